"""Plain text extracted from a PDF -> Document of lines without geometry.

Pages: a form feed is a page break. Without form feeds, a block of bare URLs (a PDF extractor's
dump of a page's link targets) marks the end of a page, as in the seed article.
"""

from __future__ import annotations

import re
import unicodedata

from reflow.model import Document, Line, Page

PRINT_FOOTER_LINE = re.compile(r"^(?:(?:https?|file)://\S+|about:blank)\s+\d{1,4}\s*/\s*\d{1,4}$")
URL_LINE = re.compile(r"^\s*<?(https?://|www\.)\S+>?\s*$", re.IGNORECASE)

# Characters an extractor leaves that are not text: BOM, NUL and other C0 controls but tab/newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\ufffe]")


def is_url_line(text: str) -> bool:
    return bool(URL_LINE.match(text))


_SOFT_BREAK = re.compile("\u00ad[\u2010-]?[ \t]*(?=\n)")
_SOFT_INNER = re.compile("\u00ad(?!\n)")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # rule soft-hyphen (text): extractors keep soft hyphens; inside a word they are invisible
    # ("com\u00adplain\u00ading"), at a line end (often with the visible hyphen the break drew) they
    # mark a word the healer joins without a hyphen.
    text = _SOFT_BREAK.sub("\u00ad", text)
    text = _SOFT_INNER.sub("", text)
    return unicodedata.normalize("NFC", text)


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
        # rule url-dump-page-end: a run of URL-only lines ends the page it sits on.
        if is_url_line(lines[i]):
            j = i
            while j < len(lines) and (is_url_line(lines[j]) or not lines[j].strip()):
                j += 1
            run = lines[i:j]
            pages[-1].extend(run)
            if sum(1 for ln in run if ln.strip()) >= 2 and j < len(lines):
                pages.append([])
            i = j
            continue
        pages[-1].append(lines[i])
        # rule print-footer-page-end: a browser's print footer ("https://site/a 1/4") closes
        # its page; PDFium-based extractors give it (after the header) at each page's end.
        if PRINT_FOOTER_LINE.match(lines[i].strip()) and i + 1 < len(lines):
            pages.append([])
        i += 1
    return pages


def read_text(text: str, label: str) -> Document:
    doc = Document(source=label, kind="text")
    text = _clean(text)
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
