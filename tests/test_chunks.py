"""Chunks for retrieval (`--to chunks`, `doc.chunks()`): cut at headings and by size, each with
its heading path, pages, boxes and the document's metadata, and nothing of the text lost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschemas import check_chunk

import reflow
from reflow.model import Block, BlockType, Document, Metadata
from reflow.render.chunks import count_tokens, parse_size

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
WORDS = "The quick brown fox jumps over the lazy dog near the river bank today.".split()


def _para(n: int, page: int, seed: int = 0) -> Block:
    sentences = []
    for i in range(n):
        words = [WORDS[(seed + i + j) % len(WORDS)] for j in range(12)]
        sentences.append(" ".join(words).capitalize().rstrip(".") + ".")
    return Block(BlockType.PARAGRAPH, " ".join(sentences), page=page, bbox=(10, 20, 300, 40))


def _doc() -> Document:
    return Document(
        source="made.pdf",
        metadata=Metadata(title="The Title", authors=["A. Writer"], date="2024-05-01"),
        blocks=[
            Block(BlockType.TITLE, "The Title", page=1),
            Block(BlockType.BYLINE, "By A. Writer", page=1),
            _para(3, 1),
            Block(BlockType.HEADING, "Part one", level=2, page=1),
            _para(2, 1, 1),
            Block(BlockType.HEADING, "Detail", level=3, page=2),
            _para(40, 2, 2),  # far longer than a chunk
            Block(BlockType.HEADING, "Part two", level=2, page=3),
            Block(BlockType.LIST_ITEM, "first point", page=3, marker="-"),
            Block(BlockType.LIST_ITEM, "second point", page=3, marker="-"),
        ],
    )


def test_chunks_start_at_headings_and_carry_the_heading_path():
    chunks = _doc().chunks(size=500)
    paths = [tuple(c.heading_path) for c in chunks]
    assert paths[0] == ("The Title",)
    assert ("The Title", "Part one") in paths
    assert ("The Title", "Part one", "Detail") in paths
    assert paths[-1] == ("The Title", "Part two")  # an h2 closes the h3 under the last h2
    assert chunks[-1].text == "- first point\n\n- second point"
    assert [c.index for c in chunks] == list(range(len(chunks)))
    # the byline and the title are metadata, not chunk text
    assert all("By A. Writer" not in c.text for c in chunks)
    assert all(c.metadata["authors"] == ["A. Writer"] for c in chunks)


def test_no_chunk_over_the_size_and_no_word_lost_or_reordered():
    doc = _doc()
    for size in (120, 500, 2000):
        chunks = doc.chunks(size=size)
        assert all(len(c.text) <= size for c in chunks)
        got = " ".join(" ".join(c.text for c in chunks).split())
        want = [b for b in doc.blocks if b.type not in ("title", "byline", "heading")]
        expected = " ".join(
            (f"{b.marker} {b.text}" if b.type == "list_item" else b.text) for b in want
        )
        assert got == " ".join(expected.split())
    # the long paragraph is cut between sentences
    long = [c for c in doc.chunks(size=500) if c.heading_path[-1] == "Detail"]
    assert len(long) > 3 and all(c.text.endswith(".") for c in long)


def test_pages_and_boxes_come_from_the_blocks():
    chunks = _doc().chunks(size=2000)
    detail = next(c for c in chunks if c.heading_path[-1] == "Detail")
    assert detail.pages == [2]
    assert detail.bboxes == [{"page": 2, "bbox": [10, 20, 300, 40]}]
    real = reflow.convert(SAMPLE).chunks(size=1500)
    assert {p for c in real for p in c.pages} == set(range(1, 6))
    for c in real:
        check_chunk(c.to_dict())
        assert sorted({b["page"] for b in c.bboxes}) == c.pages


def test_sizes_in_tokens_and_a_tokenizer_of_ones_own():
    doc = _doc()
    by_tokens = doc.chunks(size=60, length=count_tokens)
    assert all(count_tokens(c.text) <= 60 for c in by_tokens)
    n, fn = parse_size("60t")
    assert (n, fn) == (60, count_tokens)
    words = doc.chunks(size=40, length=lambda s: len(s.split()))
    assert all(len(c.text.split()) <= 40 for c in words)
    with pytest.raises(ValueError, match="chunk size"):
        parse_size("many")


def test_the_command_writes_one_json_line_per_chunk(tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "reflow", "convert", str(SAMPLE), "--to", "chunks", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    res = run("--chunk-size", "800")
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    expected = [c.to_dict() for c in reflow.convert(SAMPLE).chunks(size=800)]
    assert lines == expected and len(lines) > 3
    for rec in lines:
        check_chunk(rec)
        assert len(rec["text"]) <= 800
    assert all(rec["metadata"]["title"].startswith("Putin") for rec in lines)
    tokens = [json.loads(x) for x in run("--chunk-size", "120t").stdout.splitlines()]
    assert all(count_tokens(r["text"]) <= 120 for r in tokens) and len(tokens) > len(lines)
    bad = run("--chunk-size", "lots")
    assert bad.returncode == 2 and re.search(r"not a chunk size", bad.stderr)
