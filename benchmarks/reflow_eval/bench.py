"""`reflow bench`: reflow side by side with other PDF-to-text tools, same files, same run.

    reflow bench [--quick] [--tools reflow,pypdfium2,pdftotext,pymupdf4llm,markitdown]
                 [--corpora layout,aeb-dev] [--limit N] [--python PY] [--no-taskset]
                 [--no-batch] [--out docs/benchmarks.md] [--json docs/benchmarks.json]

Each tool converts each corpus in ONE subprocess (pinned to one core with ``taskset -c 0`` where
available); the subprocess times its own conversion loop (after its imports) and the parent
reads the subprocess's peak RSS from ``os.wait4``. Outputs are scored with the shared metrics
(:mod:`reflow_eval.metrics`, through :func:`reflow_eval.cli.score`/``aggregate``, the same
figures `reflow eval` gives).

The other tools are never reflow dependencies: ``benchmarks/setup-bench-env.sh`` makes a venv
at ``.bench/venv`` with them (and reflow), and the tools run in that venv's Python when it
exists (``--python`` picks another). A tool that cannot be imported there is reported as "not
installed". pdftotext is the poppler command (one process per file, as it is used).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

if __package__:
    from reflow_eval.floor import pdfium_page_texts
else:  # run as a script (the worker, in a tool's own interpreter): the file beside this one
    import importlib.util as _ilu

    _spec = _ilu.spec_from_file_location("reflow_eval_floor", Path(__file__).with_name("floor.py"))
    _floor = _ilu.module_from_spec(_spec)
    _spec.loader.exec_module(_floor)
    pdfium_page_texts = _floor.pdfium_page_texts

TOOLS = ("reflow", "pypdfium2", "pdftotext", "pymupdf4llm", "markitdown")
# On request only: reflow without main-content detection (`reflow convert --all`), to see what
# article mode adds or loses.
EXTRA_TOOLS = ("reflow-all",)
BENCH_CORPORA = ("layout", "aeb-dev")
# Output format of each tool: Markdown is scored as Markdown, plain text as text.
FORMATS = {
    "reflow": "md",
    "reflow-all": "md",
    "pypdfium2": "txt",
    "pdftotext": "txt",
    "pymupdf4llm": "md",
    "markitdown": "md",
}
MODULES = {
    "reflow": "reflow",
    "reflow-all": "reflow",
    "pypdfium2": "pypdfium2",
    "pymupdf4llm": "pymupdf4llm",
    "markitdown": "markitdown",
}
QUICK = {"layout": 3, "aeb-dev": 5}
# pymupdf4llm (with its ONNX layout model) and markitdown run at ~1 page/s on this machine: the
# 78 aeb-dev documents (978 pages) would take them half an hour each. A full run scores an even
# spread of the valid keys instead (the same documents for every tool); --aeb-docs 0 takes all.
AEB_DOCS = 16


# ---------------------------------------------------------------------------------------------
# Worker: runs inside the tool's interpreter, converts a list of files, prints one JSON line.


def _converter(tool: str):
    """A function path -> (text, metadata) for one tool; imports happen here, before timing."""
    if tool in ("reflow", "reflow-all"):
        import reflow

        article = None if tool == "reflow" else False

        def conv(path):
            doc = reflow.convert(path, article=article)
            meta = doc.metadata.to_dict() if getattr(doc, "metadata", None) else {}
            # aeb-dev scores the article body (eval.cli.score), as for reflow eval.
            meta["body_text"] = getattr(doc, "body_text", "")
            return doc.markdown, meta

        return conv
    if tool == "pypdfium2":
        import pypdfium2  # noqa: F401 - imported before timing

        def conv(path):
            return "\n".join(pdfium_page_texts(path)), {}

        return conv
    if tool == "pdftotext":
        exe = shutil.which("pdftotext")
        if not exe:
            raise ImportError("pdftotext not found")

        def conv(path):
            res = subprocess.run(
                [exe, "-enc", "UTF-8", path, "-"], capture_output=True, timeout=300
            )
            if res.returncode:
                raise RuntimeError(f"pdftotext exit {res.returncode}")
            return res.stdout.decode("utf-8", "replace"), {}

        return conv
    if tool == "pymupdf4llm":
        import pymupdf4llm

        def conv(path):
            return pymupdf4llm.to_markdown(path, show_progress=False), {}

        return conv
    if tool == "markitdown":
        from markitdown import MarkItDown

        md = MarkItDown()

        def conv(path):
            return md.convert(path).text_content, {}

        return conv
    raise ImportError(f"unknown tool {tool}")


def _worker(tool: str, list_file: str, out_dir: str, repeat: str = "1", budget: str = "0") -> int:
    """Convert every file; repeat the whole pass (up to ``repeat`` times) while a pass takes
    less than ``budget`` seconds, and report the fastest pass: a steadier time for fast tools."""
    files = json.loads(Path(list_file).read_text(encoding="utf-8"))
    t_imp = time.perf_counter()
    try:
        conv = _converter(tool)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        print(json.dumps({"status": "not installed", "error": f"{type(e).__name__}: {e}"}))
        return 0
    import_seconds = time.perf_counter() - t_imp
    best: tuple[float, list[float]] | None = None
    passes = 0
    errors: dict[str, str] = {}
    while True:
        errors = {}
        per_file: list[float] = []
        t0 = time.perf_counter()
        for i, path in enumerate(files):
            t1 = time.perf_counter()
            try:
                text, meta = conv(path)
            except Exception as e:  # noqa: BLE001 - a failing file scores as empty output
                errors[str(i)] = f"{type(e).__name__}: {str(e)[:200]}"
                text, meta = "", {}
            per_file.append(time.perf_counter() - t1)
            if passes == 0:
                Path(out_dir, f"{i}.out").write_text(text or "", encoding="utf-8")
                if meta:
                    Path(out_dir, f"{i}.meta.json").write_text(json.dumps(meta, default=str))
        seconds = time.perf_counter() - t0
        passes += 1
        if best is None or seconds < best[0]:
            best = (seconds, per_file)
        if passes >= int(repeat) or seconds >= float(budget):
            break
    seconds, per_file = best
    print(
        json.dumps(
            {
                "status": "ok",
                "seconds": seconds,
                "import_seconds": import_seconds,
                "per_file": per_file,
                "passes": passes,
                "errors": errors,
            }
        )
    )
    return 0


# ---------------------------------------------------------------------------------------------
# Parent


def bench_python(arg: str | None) -> str:
    if arg:
        return arg
    from reflow_eval.corpora import repo_root

    venv = repo_root() / ".bench" / "venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def tool_version(tool: str, python: str) -> str | None:
    """The tool's version in that interpreter, or None when it is not installed."""
    if tool == "pdftotext":
        exe = shutil.which("pdftotext")
        if not exe:
            return None
        res = subprocess.run([exe, "-v"], capture_output=True, text=True)
        first = (res.stderr or res.stdout).strip().splitlines()
        return first[0].replace("pdftotext version ", "poppler ") if first else "poppler"
    mod = MODULES.get(tool)
    if not mod:
        return None
    code = (
        "import importlib.metadata as m, importlib.util as u, sys\n"
        f"if u.find_spec({mod!r}) is None: sys.exit(3)\n"
        "try:\n"
        f"    print(m.version({mod!r}))\n"
        "except m.PackageNotFoundError:\n"
        "    print('?')\n"
    )
    try:
        res = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def _taskset() -> list[str]:
    exe = shutil.which("taskset")
    return [exe, "-c", "0"] if exe else []


def run_worker(
    tool: str,
    files: list[Path],
    python: str,
    out_dir: Path,
    pin: bool,
    timeout: float,
    repeat: int = 1,
    budget: float = 0.0,
) -> dict:
    """One subprocess converts all files; returns its report plus wall time and peak RSS."""
    out_dir.mkdir(parents=True, exist_ok=True)
    list_file = out_dir / "files.json"
    list_file.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
    # The worker is this file run as a script: it needs only the tool in that interpreter.
    cmd = [
        *(_taskset() if pin else []),
        python,
        str(Path(__file__).resolve()),
        "--worker",
        tool,
        str(list_file),
        str(out_dir),
        str(repeat),
        str(budget),
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS="1")
    with open(out_dir / "stdout", "wb") as so, open(out_dir / "stderr", "wb") as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, env=env)
        deadline = t0 + timeout
        status, ru = None, None
        while True:
            pid, st, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, ru = st, usage
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, st, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {
                    "status": "timeout",
                    "wall": time.perf_counter() - t0,
                    "rss_mb": usage.ru_maxrss / 1024,
                }
            time.sleep(0.02)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    rep: dict = {"wall": wall, "rss_mb": ru.ru_maxrss / 1024}  # Linux: KiB
    lines = (out_dir / "stdout").read_text(encoding="utf-8", errors="replace").strip()
    try:
        rep.update(json.loads(lines.splitlines()[-1]))
    except (ValueError, IndexError):
        err = (out_dir / "stderr").read_text(errors="replace").strip().splitlines()
        rep.update(status="crashed", error=(err[-1] if err else f"exit {proc.returncode}"))
    return rep


def _rounds(rows: list[dict], files: list[Path], python: str, out: Path, args) -> None:
    """More timed passes of the fast tools, in turns (PDFium, reflow, pdftotext, PDFium, ...),
    each tool keeping its fastest: on a shared machine a slow spell then hits every tool alike,
    instead of whichever ran during it. Pages/s and the ratio to PDFium are updated."""
    fast = [
        r for r in rows if r.get("status") == "ok" and r.get("seconds", 1e9) < args.repeat_budget
    ]
    for _ in range(max(0, args.rounds - 1)):
        for row in fast:
            rep = run_worker(
                row["tool"],
                files,
                python,
                out / (row["tool"] + "-rounds"),
                args.pin,
                args.timeout,
                args.repeat,
                args.repeat_budget,
            )
            if rep.get("status") == "ok":
                row["seconds"] = round(min(row["seconds"], rep["seconds"]), 3)
                row["passes"] = row.get("passes", 1) + rep.get("passes", 1)
    floor = next((r["seconds"] for r in rows if r["tool"] == "pypdfium2" and "seconds" in r), None)
    for row in rows:
        if "seconds" not in row:
            continue
        row["pages_per_s"] = row["pages"] / row["seconds"] if row["seconds"] > 0 else None
        row["ratio_to_pdfium"] = row["seconds"] / floor if floor else None
        if row in fast:
            print(
                f"{row['corpus']:8s} {row['tool']:12s} {row['pages_per_s'] or 0:7.1f} pages/s "
                f"after {args.rounds} rounds ({row['ratio_to_pdfium'] or 0:.2f}x PDFium)",
                file=sys.stderr,
            )


def count_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def score_outputs(items, tool: str, out_dir: Path, rep: dict) -> dict:
    from reflow_eval.cli import aggregate, score

    recs = []
    per_file = rep.get("per_file") or []
    for i, item in enumerate(items):
        p = out_dir / f"{i}.out"
        text = p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""
        mp = out_dir / f"{i}.meta.json"
        meta = json.loads(mp.read_text()) if mp.exists() else {}
        ok = str(i) not in (rep.get("errors") or {})
        recs.append(
            {
                "ok": ok,
                "seconds": per_file[i] if i < len(per_file) else 0.0,
                "scores": score(item, text, meta, FORMATS.get(tool, "txt")),
            }
        )
    agg = aggregate(recs)
    keep = (
        "text_similarity",
        "paragraph_f1",
        "reading_order",
        "heading_f1",
        "link_f1",
        "leaks",
        "docs_with_leaks",
        "aeb_precision",
        "aeb_recall",
        "aeb_f1",
        "body_paragraph_recall",
        "meta_title",
        "meta_date",
        "meta_authors",
        "meta_url",
    )
    quality = {k: agg[k] for k in keep if k in agg}
    quality["per_document"] = [_doc_scores(item, r) for item, r in zip(items, recs, strict=True)]
    return quality


def _doc_scores(item, rec: dict) -> dict:
    """The few figures per document that say where a tool loses (JSON only)."""
    s = rec["scores"]
    d: dict = {"id": item.doc_id, "ok": rec["ok"], "seconds": round(rec["seconds"], 4)}
    if "text_similarity" in s:
        d["text_similarity"] = round(s["text_similarity"], 4)
        d["paragraph_f1"] = round(s["paragraph"]["f1"], 4)
        d["link_f1"] = round(s["link"]["f1"], 4)
    if "aeb" in s:
        d["aeb_f1"] = round(s["aeb"]["f1"], 4)
    if "leaks" in s:
        d["leaks"] = s["leaks"]
    return d


def run_batch(items, jobs: int, pin: bool, timeout: float, tmp: Path) -> dict:
    """`reflow convert DIR -o OUT -j N`: throughput of the batch engine on one corpus."""
    src = tmp / f"batch-in-{jobs}"
    src.mkdir(parents=True, exist_ok=True)
    for i, item in enumerate(items):
        dst = src / f"{i:04d}-{item.source.name}"
        if not dst.exists():
            os.symlink(item.source.resolve(), dst)
    out = tmp / f"batch-out-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    cpus = "0" if jobs == 1 else f"0-{jobs - 1}"
    pin_cmd = [shutil.which("taskset"), "-c", cpus] if pin and shutil.which("taskset") else []
    cmd = [
        *pin_cmd,
        sys.executable,
        "-m",
        "reflow",
        "convert",
        str(src),
        "-o",
        str(out),
        "-j",
        str(jobs),
        "--no-progress",
    ]
    t0 = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"status": "timeout", "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    done = len(list(out.rglob("*.md"))) if out.exists() else 0
    return {
        "status": "ok" if rc == 0 else f"exit {rc}",
        "wall": wall,
        "converted": done,
        "stderr": err.decode(errors="replace")[-300:] if rc else "",
    }


# ---------------------------------------------------------------------------------------------
# Report


def _f(x, nd=3) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _meta_cell(q: dict) -> str | None:
    """Share of documents whose title / date / authors / URL came out right."""
    keys = ("meta_title", "meta_date", "meta_authors", "meta_url")
    if not any(k in q for k in keys):
        return None
    return "/".join(f"{q[k]:.2f}" if k in q else "–" for k in keys)


COLUMNS = [
    ("Corpus", lambda r: r["corpus"]),
    ("Tool", lambda r: r["tool"]),
    ("Docs", lambda r: r.get("documents")),
    ("Pages", lambda r: r.get("pages")),
    ("Text sim", lambda r: r.get("quality", {}).get("text_similarity")),
    ("Para F1", lambda r: r.get("quality", {}).get("paragraph_f1")),
    ("Link F1", lambda r: r.get("quality", {}).get("link_f1")),
    ("Meta T/D/A/U", lambda r: _meta_cell(r.get("quality", {}))),
    (
        "Leaks (docs)",
        lambda r: (
            f"{r['quality']['leaks']} ({r['quality']['docs_with_leaks']})"
            if "leaks" in r.get("quality", {})
            else None
        ),
    ),
    ("Body P", lambda r: r.get("quality", {}).get("aeb_precision")),
    ("Body R", lambda r: r.get("quality", {}).get("aeb_recall")),
    ("Body F1", lambda r: r.get("quality", {}).get("aeb_f1")),
    ("Pages/s", lambda r: r.get("pages_per_s")),
    ("Peak RSS MB", lambda r: r.get("rss_mb")),
    ("Time × pdfium", lambda r: r.get("ratio_to_pdfium")),
]


def markdown_table(runs: list[dict]) -> str:
    head = "| " + " | ".join(c for c, _ in COLUMNS) + " |"
    sep = "| " + " | ".join("---" if i < 2 else "---:" for i in range(len(COLUMNS))) + " |"
    lines = [head, sep]
    for r in runs:
        if r.get("status") != "ok":
            cells = [r["corpus"], r["tool"], r.get("status", "?")] + [""] * (len(COLUMNS) - 3)
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            continue
        cells = []
        for name, get in COLUMNS:
            v = get(r)
            nd = 1 if name in ("Pages/s", "Peak RSS MB", "Time × pdfium") else 3
            cells.append(_f(v, nd))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}"


CORPUS_TEXT = {
    "layout": "the generated layout suite (`corpora/layout/`: Chromium prints in 1-3 columns, "
    "with print headers/footers, running heads, hyphenation; exact reference Markdown)",
    "aeb-dev": "real news pages printed by Chromium (`../shared/corpora/aeb-dev`, valid keys; "
    "reference = article body)",
}


def corpora_lines(notes: dict) -> list[str]:
    out = []
    for c, n in notes.items():
        how = "an even spread" if n.get("sample") == "spread" else "the first"
        part = "" if n["documents"] == n["of"] else f" ({how} of {n['of']})"
        out.append(
            f"- **{c}**: {n['documents']} documents{part}, {n['pages']} pages: "
            f"{CORPUS_TEXT.get(c, c)}."
        )
    return [*out, ""] if out else []


def write_markdown(path: Path, data: dict) -> None:
    runs = data["runs"]
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{data.get('command') or 'reflow bench'}` "
        f"({'quick' if data['quick'] else 'full'} run, {data['date']}"
        + (f", commit {data['commit']}" if data.get("commit") else "")
        + "); do not edit by hand. How to run it: `benchmarks/README.md`.",
        "",
        f"Machine: {data['machine']}. Every tool ran in one process per corpus"
        + (", pinned to one core (`taskset -c 0`)" if data["pinned"] else "")
        + "; the machine is shared, so read speed as ratios within one run, not as absolutes.",
        "",
        *corpora_lines(data.get("corpora") or {}),
        markdown_table(runs),
        "Columns:",
        "- **Text sim**: 1 − word-level edit distance to the reference Markdown, syntax stripped"
        " (layout suite). **Para F1**: blocks matched one-to-one at fuzz ratio ≥ 95."
        " **Link F1**: `[anchor](url)` pairs, both right. **Leaks (docs)**: forbidden furniture"
        " strings found in the output (print header date, URL, `n/m` counters, running"
        " headers), and in how many documents. **Meta T/D/A/U**: share of documents whose"
        " title, date, authors, URL the tool reported right (only reflow reports metadata).",
        "- **Body P/R/F1**: the article-extraction benchmark's word 4-shingle metric against the"
        " article body (aeb-dev `valid-keys.txt`). A tool that keeps the whole page (site chrome)"
        " has high recall and low precision.",
        "- **Pages/s**: pages converted per second of the tool's own conversion loop (imports"
        " excluded; pdftotext includes its process start per file; for tools whose pass takes"
        " under 15 s, the fastest of up to 3 passes in each of 3 rounds, the tools taking"
        " turns, so a busy spell of the shared machine slows them alike). **Peak RSS MB**: the"
        " worker process's peak resident memory (`wait4`). **Time × pdfium**: seconds per page"
        " divided by pypdfium2 plain text's (`get_text_range` over all pages, the speed floor)"
        " on the same corpus.",
        "",
        "Versions: " + ", ".join(f"{t} {v}" for t, v in data["versions"].items() if v) + ".",
        "pymupdf4llm 1.x installs `pymupdf-layout` and runs its ONNX layout model by default;"
        " markitdown reads PDFs with pdfminer.six.",
        "",
    ]
    if data.get("batch"):
        lines += [
            "## reflow batch throughput",
            "",
            "`reflow convert DIR -o OUT -j N` on the layout suite, wall time of the whole"
            " command (process start, workers, writing outputs).",
            "",
            "| Workers | Docs | Pages | Wall s | Pages/s | Status |",
            "| ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for b in data["batch"]:
            lines.append(
                f"| {b['jobs']} | {b['documents']} | {b['pages']} | {_f(b.get('wall'), 2)}"
                f" | {_f(b.get('pages_per_s'), 1)} | {b['status']} |"
            )
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reflow bench", description=__doc__.splitlines()[0])
    p.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"comma-separated, of {','.join(TOOLS + EXTRA_TOOLS)} (default: all but reflow-all)",
    )
    p.add_argument("--corpora", default=",".join(BENCH_CORPORA), help="layout,aeb-dev")
    p.add_argument("--quick", action="store_true", help="a few files per corpus (smoke test)")
    p.add_argument("--limit", type=int, help="at most N documents per corpus")
    p.add_argument(
        "--aeb-docs",
        type=int,
        default=AEB_DOCS,
        help=f"aeb-dev: an even spread of N of the valid keys (default {AEB_DOCS}; 0 = all 78)",
    )
    p.add_argument("--python", help="interpreter the tools run in (default: .bench/venv)")
    p.add_argument("--layout-dir", help="layout suite folder (default: corpora/layout)")
    p.add_argument(
        "--no-taskset", dest="pin", action="store_false", help="do not pin the tools to one core"
    )
    p.add_argument(
        "--no-batch", dest="batch", action="store_false", help="skip the reflow batch rows"
    )
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per tool and corpus")
    p.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="time up to N passes over a corpus and keep the fastest, for tools whose pass"
        " takes under --repeat-budget seconds (default 3)",
    )
    p.add_argument("--repeat-budget", type=float, default=15.0, help="seconds (default 15)")
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="then run the fast tools (a pass under --repeat-budget) N-1 more times, taking"
        " turns, and keep each one's fastest: the ratios do not hang on a busy moment (default 3)",
    )
    p.add_argument(
        "--out",
        default=None,
        help="Markdown table (default: docs/benchmarks.md; --quick: .bench/benchmarks.md)",
    )
    p.add_argument(
        "--json",
        default=None,
        help="JSON results (default: docs/benchmarks.json; --quick: .bench/)",
    )
    p.add_argument("--keep", help="keep every tool's outputs in this folder")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        return _worker(*argv[1:6])
    args = build_parser().parse_args(argv)
    from reflow_eval.cli import git_rev
    from reflow_eval.corpora import corpus_location, iter_corpus, iter_layout, repo_root

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS + EXTRA_TOOLS]
    if unknown:
        print(
            f"reflow bench: unknown tool(s) {', '.join(unknown)} (choose from {', '.join(TOOLS + EXTRA_TOOLS)})",
            file=sys.stderr,
        )
        return 2
    if "pypdfium2" in tools:  # the floor runs first: every ratio is to it
        tools = ["pypdfium2"] + [t for t in tools if t != "pypdfium2"]
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    python = bench_python(args.python)
    root = repo_root()
    # A quick run never overwrites the committed full table.
    default_dir = root / (".bench" if args.quick else "docs")
    out_md = Path(args.out) if args.out else default_dir / "benchmarks.md"
    out_json = Path(args.json) if args.json else default_dir / "benchmarks.json"
    versions = {t: tool_version(t, python) for t in tools}
    print(f"tools run in {python}", file=sys.stderr)
    runs: list[dict] = []
    batch_rows: list[dict] = []
    corpus_notes: dict[str, dict] = {}
    tmp_root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reflow-bench-"))
    try:
        for corpus in corpora:
            if corpus == "layout" and args.layout_dir:
                items = list(iter_layout(Path(args.layout_dir)))
            elif corpus in BENCH_CORPORA:
                items = list(iter_corpus(corpus))
            else:
                print(f"reflow bench: unknown corpus {corpus!r}", file=sys.stderr)
                return 2
            n_all = len(items)
            spread = corpus == "aeb-dev" and args.aeb_docs and not args.quick and not args.limit
            if spread:
                step = max(1, len(items) // args.aeb_docs)
                items = items[::step][: args.aeb_docs]
            limit = args.limit or (QUICK.get(corpus) if args.quick else None)
            if limit:
                items = items[:limit]
            items = [it for it in items if it.source.suffix.lower() == ".pdf"]
            if not items:
                where = args.layout_dir if corpus == "layout" and args.layout_dir else None
                print(
                    f"reflow bench: {corpus}: no documents found in "
                    f"{where or corpus_location(corpus)}, skipped",
                    file=sys.stderr,
                )
                continue
            pages = [count_pages(it.source) for it in items]
            corpus_notes[corpus] = {
                "documents": len(items),
                "of": n_all,
                "pages": sum(pages),
                "sample": "spread" if spread else "first",
            }
            total_pages = sum(pages)
            floor = None
            first_row = len(runs)
            for tool in tools:
                row = {
                    "corpus": corpus,
                    "tool": tool,
                    "documents": len(items),
                    "pages": total_pages,
                    "version": versions.get(tool),
                }
                if versions.get(tool) is None:
                    row["status"] = "not installed"
                    runs.append(row)
                    print(f"{corpus:8s} {tool:12s} not installed", file=sys.stderr)
                    continue
                out_dir = tmp_root / corpus / tool
                rep = run_worker(
                    tool,
                    [it.source for it in items],
                    python,
                    out_dir,
                    args.pin,
                    args.timeout,
                    args.repeat,
                    args.repeat_budget,
                )
                row["status"] = rep.get("status", "crashed")
                row["rss_mb"] = round(rep.get("rss_mb", 0.0), 1)
                row["wall"] = round(rep.get("wall", 0.0), 3)
                if row["status"] != "ok":
                    row["error"] = rep.get("error")
                    runs.append(row)
                    print(
                        f"{corpus:8s} {tool:12s} {row['status']}: {rep.get('error')}",
                        file=sys.stderr,
                    )
                    continue
                secs = rep["seconds"]
                row["seconds"] = round(secs, 3)
                row["import_seconds"] = round(rep.get("import_seconds", 0.0), 3)
                row["passes"] = rep.get("passes", 1)
                row["failed"] = len(rep.get("errors") or {})
                row["errors"] = rep.get("errors") or {}
                row["pages_per_s"] = total_pages / secs if secs > 0 else None
                if tool == "pypdfium2":
                    floor = secs
                row["ratio_to_pdfium"] = secs / floor if floor else None
                row["quality"] = score_outputs(items, tool, out_dir, rep)
                runs.append(row)
                q = row["quality"]
                print(
                    f"{corpus:8s} {tool:12s} {row['pages_per_s'] or 0:7.1f} pages/s "
                    f"{row['rss_mb']:7.1f} MB  "
                    + "  ".join(f"{k}={_f(v)}" for k, v in q.items() if k != "per_document"),
                    file=sys.stderr,
                )
            _rounds(runs[first_row:], [it.source for it in items], python, tmp_root / corpus, args)
            if (
                corpus == "layout"
                and args.batch
                and "reflow" in tools
                and importlib.util.find_spec("reflow.batch") is not None
            ):
                for jobs in (1, 2):
                    b = run_batch(items, jobs, args.pin, args.timeout, tmp_root)
                    b.update(jobs=jobs, documents=len(items), pages=total_pages)
                    b["pages_per_s"] = total_pages / b["wall"] if b.get("wall") else None
                    batch_rows.append(b)
                    print(
                        f"batch -j{jobs}: {b['status']} {b.get('pages_per_s') or 0:.1f} pages/s",
                        file=sys.stderr,
                    )
    finally:
        if not args.keep:
            shutil.rmtree(tmp_root, ignore_errors=True)
    data = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_rev(),
        "command": " ".join(["reflow", "bench", *argv]),
        "quick": bool(args.quick),
        "pinned": bool(args.pin and _taskset()),
        "machine": _machine(),
        "python": python,
        "versions": versions,
        "corpora": corpus_notes,
        "runs": runs,
        "batch": batch_rows,
    }
    write_markdown(out_md, data)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    print(markdown_table(runs))
    print(f"wrote {out_md} and {out_json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Run as a script (the worker): this folder must not shadow the tools' own modules.
    _here = Path(__file__).resolve().parent
    sys.path = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.exit(main())
