"""`--to html`: one standalone HTML5 page in semantic elements with the links, checked as markup
and as what headless Chromium renders (a screenshot and a PDF print in the test's tmp folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import reflow
from reflow.model import Block, BlockType, Document, InlineLink, Metadata
from reflow.render.html import render_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        if tag not in ("meta", "link", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-3:]}"
        self.stack.pop()

    def handle_data(self, data):
        if "style" not in self.stack and "title" not in self.stack:
            self.text.append(data)


def _parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    p.close()
    assert p.stack == [], f"unclosed {p.stack}"
    return p


def _words(s: str) -> list[str]:
    return " ".join(s.split()).split(" ")


def test_the_page_is_well_formed_semantic_html_with_every_link():
    doc = reflow.convert(SAMPLE)
    html = render_html(doc)
    assert html.startswith("<!DOCTYPE html>\n<html lang=")
    p = _parse(html)
    assert {"article", "header", "h1", "p", "style", "title"} <= set(p.tags)
    assert p.tags.count("h1") == 1
    block_links = [lk.url for b in doc.blocks for lk in b.links]
    assert p.links == block_links + list(doc.urls)
    text = " ".join("".join(p.text).split())
    for b in doc.blocks:
        assert " ".join(b.text.split()) in text, b.text[:60]


def test_text_is_escaped_and_lists_nest():
    doc = Document(
        source="x",
        metadata=Metadata(title='A <b> & "title"'),
        blocks=[
            Block(BlockType.TITLE, 'A <b> & "title"'),
            Block(BlockType.PARAGRAPH, "<script>alert(1)</script> see here", links=[]),
            Block(
                BlockType.PARAGRAPH, "a link", links=[InlineLink(2, 6, 'https://x.org/?a=1&b="2"')]
            ),
            Block(BlockType.LIST_ITEM, "one", level=1, marker="1.", ordered=True),
            Block(BlockType.LIST_ITEM, "one.a", level=2, marker="-"),
            Block(BlockType.LIST_ITEM, "two", level=1, marker="2.", ordered=True),
            Block(BlockType.HEADING, "Section", level=3),
            Block(BlockType.TABLE, "", rows=[["h1", "h2"], ["a", "b"]]),
        ],
    )
    html = render_html(doc)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">link</a>' in html
    p = _parse(html)
    assert "<ol>\n<li>one\n<ul>\n<li>one.a\n</li></ul>\n</li>\n<li>two" in html
    assert {"table", "thead", "th", "td", "h3"} <= set(p.tags)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")
def test_headless_chromium_renders_the_article(tmp_path):
    """Chromium opens the page with no network: the screenshot is saved beside the test's
    outputs, and its print of the page, read back with PDFium, holds the article's text, in
    order, and its links."""
    page = tmp_path / "article.html"
    res = subprocess.run(
        [sys.executable, "-m", "reflow", "convert", str(SAMPLE), "--to", "html", "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    shot, printed = tmp_path / "article.png", tmp_path / "article.print.pdf"
    common = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    for extra in (
        [f"--screenshot={shot}", "--window-size=1000,1600"],
        [f"--print-to-pdf={printed}", "--no-pdf-header-footer"],
    ):
        run = subprocess.run(
            [*common, *extra, page.as_uri()], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a page of text, not a blank image
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = reflow.convert(SAMPLE)
    pdf = pdfium.PdfDocument(str(printed))
    rendered = " ".join(p.get_textpage().get_text_range() for p in pdf)
    rendered = " ".join(rendered.split())
    pos = 0
    for b in doc.blocks:  # every block's text is on the printed page, in the article's order
        head = " ".join(_words(b.text)[:6])
        found = rendered.find(head, pos)
        assert found >= 0, f"not rendered (after {pos}): {head!r}"
        pos = found
    again = reflow.convert(printed)  # and the links are real links in Chromium's print
    urls = {a.url for p in again.pages for a in p.links}
    assert {lk.url for b in doc.blocks for lk in b.links} <= urls
