"""The papers suite (corpora/papers, benchmarks/papers): every paper typeset, referenced and split,
and its table score telling a right table from a shifted or missing one."""

import importlib.util
import json
from pathlib import Path

from reflow_eval.corpora import iter_corpus

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "benchmarks" / "papers"


def _score_module():
    spec = importlib.util.spec_from_file_location("papers_score", SOURCES / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_source_has_its_pdf_reference_and_split():
    texs = sorted(SOURCES.glob("paper-*.tex"))
    assert len(texs) >= 5
    items = {it.doc_id: it for it in iter_corpus("papers")}
    assert set(items) == {t.stem for t in texs}
    for t in texs:
        ref = t.with_suffix(".expected.md").read_text(encoding="utf-8")
        assert items[t.stem].reference.markdown == ref  # the committed copy is the source's
        meta = json.loads((REPO / "corpora" / "papers" / f"{t.stem}.meta.json").read_text())
        number = int(t.stem.split("-")[1])
        assert meta["split"] == ("dev" if number % 2 == 0 else "test")
    splits = {it.reference.notes["split"] for it in items.values()}
    assert splits == {"dev", "test"}


TABLE = "| A | B |\n| --- | --- |\n| x | 1 |\n| y | 2 |\n| z | 3 |\n"


def test_table_score_counts_cells_after_aligning_rows():
    S = _score_module()
    assert S.table_score(TABLE, TABLE) == 1.0
    assert S.table_score("Text.\n", "Text.\n") is None
    # one row lost: the other cells still align
    lost = "| A | B |\n| --- | --- |\n| x | 1 |\n| z | 3 |\n"
    assert 0.7 < S.table_score(TABLE, lost) < 1.0
    # the cells as paragraphs: no table found scores 0
    assert S.table_score(TABLE, "A\n\nB\n\nx\n\n1\n") == 0.0
    # columns shifted by one: only the cells that stay in place count
    shifted = "| | A | B |\n| --- | --- | --- |\n| | x | 1 |\n| | y | 2 |\n| | z | 3 |\n"
    assert S.table_score(TABLE, shifted) == 0.0
    # a false table beside the right one halves the document's score
    assert S.table_score(TABLE, TABLE + "\n| p | q |\n| --- | --- |\n| r | s |\n") == 0.5


def test_heading_levels_are_judged_on_the_headings_found():
    S = _score_module()
    ref = "## I. Intro\n\n### A. Data\n\n## II. End\n"
    out = "## I. Intro\n\n## A. Data\n\nII. End\n"
    assert S.heading_levels(ref, out) == (2, 1)
