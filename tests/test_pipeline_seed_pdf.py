"""The seed article printed to PDF by headless Chromium (default print header and footer, real
link targets): reflow gives back the article as the publisher wrote it."""

import json
import re
from pathlib import Path

import pytest

import reflow

FIX = Path(__file__).parent / "fixtures" / "seed"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def doc():
    return reflow.convert(FIX / "seed.pdf")


@pytest.fixture(scope="module")
def expected() -> str:
    return (FIX / "seed.expected.md").read_text(encoding="utf-8")


def _blocks(md: str) -> list[str]:
    md = md.split("\n---\n")[0]
    return [b.strip() for b in md.strip().split("\n\n") if b.strip()]


def test_title_dek_byline_date_and_caption(doc):
    kinds = {b.type: b.text for b in reversed(doc.blocks)}
    assert kinds["title"] == (
        "Putin Doesn't Want to Intervene in Belarus. That's an Opportunity for the West."
    )
    assert kinds["dek"].startswith("It's certainly not too soon")
    assert kinds["byline"] == "By Anna Arutunyan"
    assert kinds["date"] == "August 16, 2020"
    assert kinds["caption"].startswith("Alexander Lukashenko and Vladimir Putin")


def test_every_link_on_its_exact_anchor(doc, expected):
    want = set(LINK.findall(expected))
    got = {(b.text[lk.start : lk.end], lk.url) for b in doc.blocks for lk in b.links}
    assert got == want


def test_print_header_and_footer_are_gone_and_reported(doc):
    md = doc.markdown
    assert "127.0.0.1" not in md and "/5" not in md and " PM " not in md
    reasons = {r.reason for r in doc.removed}
    assert {"print-header", "print-footer"} <= reasons
    assert doc.metadata.web_print


def test_paragraphs_whole_across_page_breaks(doc, expected):
    got = _blocks(doc.markdown)
    for block in _blocks(expected):
        assert block in got, block[:80]


def test_metadata_from_page_and_print_furniture(doc):
    m = doc.metadata
    assert m.title.startswith("Putin Doesn't Want to Intervene")
    assert m.authors == ["Anna Arutunyan"]
    assert m.date == "2020-08-16"
    assert m.url and m.url.endswith("-a71166")


def test_lines_are_released_unless_kept():
    # The outputs come from blocks; the positioned lines (most of the memory) go once the
    # blocks are final, unless the caller asks to keep them.
    lean = reflow.convert(FIX / "seed.pdf")
    assert lean.blocks and all(b.page and b.bbox for b in lean.blocks)
    assert not any(p.lines for p in lean.pages) and not any(b.lines for b in lean.blocks)
    full = reflow.convert(FIX / "seed.pdf", keep_lines=True)
    assert all(p.lines for p in full.pages) and all(b.lines for b in full.blocks)
    assert full.markdown == lean.markdown and full.to_json() == lean.to_json()


def test_json_in_pieces_is_the_json(doc):
    pieces = list(doc.json_chunks())
    assert "".join(pieces) == doc.to_json()
    assert json.loads("".join(pieces))["blocks"][0]["type"] == "title"
