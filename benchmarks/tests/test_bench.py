"""`reflow bench` runs end to end on a few small documents of the layout suite."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PDFS = sorted((REPO / "corpora" / "layout").glob("*.pdf"))


@pytest.mark.skipif(not PDFS, reason="no layout suite")
def test_bench_quick_writes_a_table(tmp_path):
    """`reflow bench --quick` on two small documents: one row per tool, quality filled in."""
    from reflow_eval.bench import main

    small = sorted(PDFS, key=lambda p: p.stat().st_size)[:2]
    suite = tmp_path / "suite"
    suite.mkdir()
    for pdf in small:
        for suffix in (".pdf", ".expected.md", ".meta.json"):
            shutil.copy(pdf.with_suffix("").with_name(pdf.stem + suffix), suite)
    out_md, out_json = tmp_path / "bench.md", tmp_path / "bench.json"
    rc = main(
        [
            "--quick",
            "--tools",
            "reflow,pypdfium2,markitdown",
            "--corpora",
            "layout",
            "--layout-dir",
            str(suite),
            "--python",
            sys.executable,
            "--no-batch",
            "--out",
            str(out_md),
            "--json",
            str(out_json),
        ]
    )
    assert rc == 0
    table = out_md.read_text(encoding="utf-8")
    rows = [ln for ln in table.splitlines() if ln.startswith("| layout")]
    assert any("| reflow " in r for r in rows) and any("| pypdfium2 " in r for r in rows)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    runs = {r["tool"]: r for r in data["runs"] if r["corpus"] == "layout"}
    assert runs["pypdfium2"]["documents"] == 2
    assert runs["pypdfium2"]["pages"] >= 2
    # plain text holds the words of the article: the scoring really ran
    assert runs["pypdfium2"]["quality"]["text_similarity"] > 0.5
    # a tool missing from the interpreter is reported, not a crash
    has_markitdown = importlib.util.find_spec("markitdown") is not None
    assert (runs["markitdown"]["status"] == "not installed") is not has_markitdown
