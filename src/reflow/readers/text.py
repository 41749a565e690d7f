"""Plain text extracted from a PDF -> Document of lines without geometry.

Pages: a form feed is a page break. Without form feeds, a block of bare URLs (a PDF extractor's
dump of a page's link targets) marks the end of a page, as in the seed article, and so does a
browser's print footer line.
"""

from __future__ import annotations

import unicodedata

from reflow.lexicon import PRINT_FOOTER_LINE, Lazy, is_url_line
from reflow.model import Document, Line, Page, Producer
from reflow.rules import rule

# Characters an extractor leaves that are not text: BOM, NUL and other C0 controls but tab/newline.
_CONTROL = Lazy(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\ufffe]")
_SOFT_BREAK = Lazy("\u00ad[\u2010-]?[ \t]*(?=\n)")
_SOFT_INNER = Lazy("\u00ad(?!\n)")


@rule("soft-hyphen-text", stage="reader")
def clean_text(text: str) -> str:
    """Extractors keep soft hyphens: inside a word they are invisible ("com\u00adplain\u00ading"),
    at a line end (often with the visible hyphen the break drew) they mark a word the healer
    joins without a hyphen. Control characters (BOM, NUL) go; line ends and Unicode are
    normalised (NFC)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SOFT_BREAK.sub("\u00ad", text)
    text = _SOFT_INNER.sub("", text)
    return unicodedata.normalize("NFC", text)


@rule("url-dump-page-end", stage="reader")
def url_dump_ends_page(run: list[str]) -> bool:
    """A run of two or more URL-only lines (blank lines between them allowed) ends the page it
    sits on: the seed's extractor dumped page 1's link targets there, mid-sentence."""
    return sum(1 for ln in run if ln.strip()) >= 2


@rule("print-footer-page-end", stage="reader")
def print_footer_ends_page(line: str) -> bool:
    """A browser's print footer ("https://site/a 1/4") closes its page; PDFium-based
    extractors give it (after the header) at each page's end."""
    return bool(PRINT_FOOTER_LINE.match(line.strip()))


def _split_pages(text: str) -> list[list[str]]:
    if "\f" in text:
        chunks = text.split("\f")
        if chunks and not chunks[-1].strip():
            chunks.pop()
        return [c.split("\n") for c in chunks]
    lines = text.split("\n")
    pages: list[list[str]] = [[]]
    i = 0
    while i < len(lines):
        if is_url_line(lines[i]):
            j = i
            while j < len(lines) and (is_url_line(lines[j]) or not lines[j].strip()):
                j += 1
            run = lines[i:j]
            pages[-1].extend(run)
            if url_dump_ends_page(run) and j < len(lines):
                pages.append([])
            i = j
            continue
        pages[-1].append(lines[i])
        if print_footer_ends_page(lines[i]) and any(ln.strip() for ln in lines[i + 1 :]):
            pages.append([])
        i += 1
    return pages


def read_text(text: str, label: str) -> Document:
    doc = Document(source=label, kind="text")
    doc.facts.producer = Producer.TEXT
    text = clean_text(text)
    for number, raw_lines in enumerate(_split_pages(text), start=1):
        page = Page(number=number)
        for idx, raw in enumerate(raw_lines):
            expanded = raw.expandtabs(4)
            stripped = expanded.strip()
            line = Line(text=stripped, page=number, index=idx)
            line.indent = bool(stripped) and expanded[:1].isspace()
            page.lines.append(line)
        doc.pages.append(page)
    doc.metadata.pages = len(doc.pages)
    return doc
