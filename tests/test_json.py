"""The JSON output: versioned, with page sizes and per-page boxes, every key always present, and
valid against the JSON Schema in the repository (src/reflow/schema/document.schema.json)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from jsonschemas import SCHEMAS, check_chunk, check_document

import reflow
from reflow.model import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
DOCUMENTS = sorted(
    [
        SAMPLE,
        *(ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"),
        *(ROOT / "tests" / "fixtures" / "article").glob("*.pdf"),
        *(ROOT / "tests" / "fixtures" / "seed").glob("*.pdf"),
        *(ROOT / "corpora" / "layout").glob("*.pdf"),
    ]
)


def _convert(path: Path, **kw):
    try:
        return reflow.convert(path, **kw)
    except reflow.ReflowError:
        return None  # the encrypted and the scanned fixtures fail, as they should


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_documents_json_matches_the_schema(path):
    for article in (None, False):
        doc = _convert(path, article=article)
        if doc is None:
            continue
        data = json.loads(doc.to_json())
        check_document(data)
        assert data == json.loads("".join(doc.json_chunks()))  # the streamed JSON is the same
        for chunk in doc.chunks(size=600):
            check_chunk(chunk.to_dict())


def test_keys_are_stable_whatever_the_block():
    doc = reflow.convert(SAMPLE)
    data = json.loads(doc.to_json())
    assert data["schema"] == SCHEMA == "reflow-document/1.3"
    schema = json.loads((SCHEMAS / "document.schema.json").read_text())
    assert schema["properties"]["schema"]["const"] == SCHEMA
    key_sets = {tuple(b) for b in data["blocks"]}
    assert len(key_sets) == 1, key_sets  # headings, paragraphs, list items alike
    assert len({tuple(r) for r in data["removed"]}) == 1
    assert {b["type"] for b in data["blocks"]} >= {"title", "paragraph"}


def test_pages_carry_their_size_in_points():
    doc = reflow.convert(SAMPLE)
    pages = json.loads(doc.to_json())["pages"]
    pdf = pdfium.PdfDocument(str(SAMPLE))
    assert [p["number"] for p in pages] == list(range(1, len(pdf) + 1))
    for p, page in zip(pages, pdf, strict=True):
        w, h = page.get_size()
        assert (p["width"], p["height"]) == (pytest.approx(w, abs=0.5), pytest.approx(h, abs=0.5))
    # extracted text has pages but no geometry
    text = json.loads(reflow.convert_text("One.\n\fTwo.\n").to_json())
    assert [(p["number"], p["width"]) for p in text["pages"]] == [(1, None), (2, None)]


def test_a_block_across_a_page_break_has_a_box_on_each_page():
    doc = reflow.convert(SAMPLE)
    data = json.loads(doc.to_json())
    spanning = [b for b in data["blocks"] if len(b["pages"]) > 1]
    assert spanning, "the sample has paragraphs cut by a page break"
    sizes = {p["number"]: (p["width"], p["height"]) for p in data["pages"]}
    for b in spanning:
        assert [x["page"] for x in b["boxes"]] == b["pages"]
        assert b["boxes"][0]["bbox"] == b["bbox"]
        for box in b["boxes"]:
            x0, y0, x1, y1 = box["bbox"]
            w, h = sizes[box["page"]]
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        # the part on the next page starts near that page's top, the first part ends low
        assert b["boxes"][1]["bbox"][1] < b["boxes"][0]["bbox"][1]
    # the same boxes whether or not the lines are kept
    kept = json.loads(reflow.convert(SAMPLE, keep_lines=True).to_json())
    assert [b["boxes"] for b in kept["blocks"]] == [b["boxes"] for b in data["blocks"]]


def test_the_command_line_json_and_batch_records_match_the_schema(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "reflow", "convert", str(SAMPLE), "--to", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    check_document(json.loads(out.stdout))
    from reflow.batch import run_batch

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("A title\n\nA paragraph of text that wraps\nonto a second line.\n")
    (src / "b.pdf").write_bytes(SAMPLE.read_bytes())
    run_batch([str(src)], jsonl=tmp_path / "r.jsonl", progress=False, jobs=1)
    records = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert len(records) == 2
    for rec in records:
        check_document(rec["json"])
