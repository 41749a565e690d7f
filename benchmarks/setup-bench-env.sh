#!/usr/bin/env bash
# Create the benchmark's own virtualenv (.bench/venv, gitignored) with the tools reflow is compared to.
# None of them is a reflow dependency: `reflow bench` runs each tool in a subprocess of this venv and
# reports a tool that is missing as "not installed".
#
# usage: bash benchmarks/setup-bench-env.sh [PYTHON]     (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-python3}"
VENV=.bench/venv
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
# pymupdf4llm pulls PyMuPDF (AGPL): it lives only in this venv, never in reflow's.
# pymupdf4llm 2.0 on PyPI installs no module at all, hence the pin.
"$VENV/bin/pip" install --quiet 'pymupdf4llm<2' 'markitdown[pdf]' pypdfium2
"$VENV/bin/pip" install --quiet -e .
command -v pdftotext >/dev/null || echo "note: pdftotext (poppler-utils) not found; install it with apt-get install poppler-utils"
"$VENV/bin/python" - <<'PY'
import importlib
for m in ("pymupdf4llm", "markitdown", "pypdfium2", "reflow"):
    try:
        mod = importlib.import_module(m)
        print(f"{m:12s} {getattr(mod, '__version__', 'ok')}")
    except Exception as e:  # noqa: BLE001
        print(f"{m:12s} not installed ({e})")
PY
