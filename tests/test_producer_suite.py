"""The committed producer suite (corpora/producers/) is whole, consistent and really typeset by
the producers it names; its scorer counts leaked furniture.

The suite is made by benchmarks/producer_suite/generate.py; these tests need no TeX or
LibreOffice (the structure -> Markdown replay needs ../shared, for the prose).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from reflow_eval import metrics as M

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO / "corpora" / "producers"
HERE = REPO / "benchmarks" / "producer_suite"
SHARED = REPO.parent / "shared"

PDFS = sorted(SUITE.glob("*/*.pdf"))
IDS = [f"{p.parent.name}/{p.stem}" for p in PDFS]
PRODUCER_STRING = {
    "pdftex-onecol": "pdfTeX",
    "pdftex-twocol": "pdfTeX",
    "libreoffice": "LibreOffice",
}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"producer_suite_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _meta(doc_id: str) -> dict:
    return json.loads((SUITE / f"{doc_id}.meta.json").read_text(encoding="utf-8"))


def _md(doc_id: str) -> str:
    return (SUITE / f"{doc_id}.expected.md").read_text(encoding="utf-8")


def test_suite_is_complete_and_small():
    assert len(PDFS) >= 12
    assert {p.parent.name for p in PDFS} == set(PRODUCER_STRING)
    for pdf in PDFS:
        assert pdf.with_name(pdf.stem + ".expected.md").is_file(), pdf.name
        assert pdf.with_name(pdf.stem + ".meta.json").is_file(), pdf.name
    for ref in SUITE.glob("*/*.expected.md"):
        assert ref.with_name(ref.name.replace(".expected.md", ".pdf")).is_file(), ref.name
    index = json.loads((SUITE / "index.json").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in index) == sorted(IDS)
    size = sum(p.stat().st_size for p in SUITE.rglob("*") if p.is_file())
    assert size < 9 * 1024 * 1024, "keep the committed suite small"


def test_both_splits_hold_every_producer():
    splits = Counter((_meta(i)["producer"], _meta(i)["split"]) for i in IDS)
    for producer in PRODUCER_STRING:
        assert splits[(producer, "dev")] and splits[(producer, "test")], producer


@pytest.mark.parametrize("doc_id", IDS)
def test_reference_and_meta_agree(doc_id):
    md, meta = _md(doc_id), _meta(doc_id)
    assert meta["producer"] == doc_id.split("/")[0] and meta["split"] in ("dev", "test")
    title = meta["metadata"]["title"]
    if title:
        assert md.startswith(f"# {title}\n")
    else:
        assert not md.startswith("# ")
    assert meta["metadata"]["authors"]
    # furniture that must not appear never appears in the reference itself
    assert M.furniture_leaks(md, meta["forbidden"]) == []
    assert {f["page"] for f in meta["furniture"]} <= set(range(1, meta["pages"] + 1))
    # every footnote marker has its definition at the end, numbered in order
    marks = re.findall(r"\[\^(\d+)\](?!:)", md)
    defs = re.findall(r"^\[\^(\d+)\]: ", md, re.M)
    assert marks == defs == [str(k) for k in range(1, meta["footnotes"] + 1)]


def _pdf_text(pdf: Path) -> tuple[str, int, str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        return text, len(doc), doc.get_metadata_dict().get("Producer", "")
    finally:
        doc.close()


@pytest.mark.parametrize("doc_id", IDS)
def test_pdf_is_the_producers_and_holds_the_reference(doc_id):
    """A stale PDF (reference regenerated, PDF not) or a PDF from another producer is caught:
    the producer string, the page count, the furniture each page prints and the reference's
    words are in the PDF."""
    gen = _load("generate")
    meta = _meta(doc_id)
    text, pages, producer = _pdf_text(SUITE / f"{doc_id}.pdf")
    assert PRODUCER_STRING[meta["producer"]] in producer
    assert pages == meta["pages"]
    check = gen.check_pdf(SUITE / f"{doc_id}.pdf", _md(doc_id))
    assert check["coverage"] >= 0.98, check["missing"]
    assert not check["type3"], "a bitmap font"
    flat = " ".join(text.split())
    for f in meta["furniture"]:
        if f["where"] != "margin-left":  # the rotated arXiv stamp is not one line of text
            assert " ".join(f["text"].split()) in flat, f


def test_structure_to_markdown_replays_without_typesetting():
    """The structure -> Markdown step, with the facts TeX/LibreOffice recorded in meta.json,
    gives the committed references."""
    if not (SHARED / "corpora" / "aeb-dev" / "ground-truth.json").exists():
        pytest.skip("../shared/corpora/aeb-dev not present")
    gen = _load("generate")
    for doc_id in IDS[:: max(1, len(IDS) // 12)]:
        producer, name = doc_id.split("/")
        spec, doc = gen.source_of(producer, name)
        meta = _meta(doc_id)
        assert spec["split"] == meta["split"]
        assert gen.to_markdown(spec, doc, meta["typeset"]) == _md(doc_id), doc_id


def test_spanning_float_goes_before_the_first_block_of_its_page():
    gen = _load("generate")
    blocks = [{"t": "p"}, {"t": "table", "span": True}, {"t": "p"}, {"t": "h"}, {"t": "p"}]
    doc = {"blocks": blocks}
    # the float landed on page 2; the paragraph after it starts on page 1 (cut by the break),
    # the heading stays with the paragraph after it, which starts on page 2
    zref = {"blk0": 1, "float1": 2, "blk2": 1, "blk4": 2}
    assert gen.float_positions(doc, zref) == {"1": 3}
    assert gen.float_positions(doc, {**zref, "float1": 3}) == {"1": 6}  # after everything


def test_scorer_counts_furniture_the_reference_also_holds():
    """A page number '2' is a leak only when the output holds more of them than the reference;
    a forbidden running header is a leak anywhere."""
    score = _load("score")
    ref = "# T\n\nIt cost 2 dollars.\n\nMore text here.\n"
    meta = {
        "forbidden": ["Kovalenko et al."],
        "furniture": [
            {"page": 1, "text": "1"},
            {"page": 2, "text": "2"},
            {"page": 2, "text": "Kovalenko et al."},
        ],  # fmt: skip
    }
    assert score.furniture_left(M, ref, ref, meta) == []
    leaked = "# T\n\nIt cost 2 dollars.\n\n2\n\nKovalenko et al.\n\nMore text here.\n"
    assert score.furniture_left(M, ref, leaked, meta) == ["Kovalenko et al.", "2"]
    s = score.score_one(M, ref, leaked, {**meta, "metadata": {"title": "T"}}, {"title": "T"})
    assert s["para_f1"] < 1 and s["metadata"] == {"title": True}
