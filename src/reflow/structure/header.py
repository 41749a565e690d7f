"""The article's header: which block is its title, and the byline and date written near it.

Reads the blocks the roles stage typed; writes ``Facts.title_index`` and ``Facts.title`` (the
title block), ``Facts.authors`` and ``Facts.date`` (from the byline and the date line near the
title), and re-types those blocks ``title``, ``byline``, ``date``. Article mode may move the
title (``refresh``); the metadata stage turns these facts into ``doc.metadata`` at the end.

- ``title``: web prints: the block matching the printed page title (``page-title-match``);
  others: the block the roles stage typed ``title``.
- ``byline-near-title``: the first byline among the blocks around the title.
- ``date-near-title``: the first date written in a short block around the title.
"""

from __future__ import annotations

from datetime import date

from reflow.model import Block, BlockType, Document, Producer
from reflow.rules import rule
from reflow.structure.dates import parse_date
from reflow.structure.names import byline_authors
from reflow.structure.titleblock import title_block_authors
from reflow.structure.titles import find_title_block, set_title


def is_web_page(doc: Document) -> bool:
    """A web page printed to PDF: the print header/footer was seen, or a browser made the PDF
    (``Facts.producer``)."""
    return doc.metadata.web_print or doc.facts.producer is Producer.BROWSER


def _near(blocks: list[Block], idx: int | None, before: int, after: int) -> list[int]:
    if idx is None:
        return list(range(min(len(blocks), after)))
    lo = max(0, idx - before)
    hi = min(len(blocks), idx + after + 1)
    return list(range(idx + 1, hi)) + list(range(idx - 1, lo - 1, -1))


_NO_BYLINE = frozenset({BlockType.TITLE, BlockType.LIST_ITEM, BlockType.CODE, BlockType.TABLE})
_BYLINE_TYPES = frozenset({BlockType.PARAGRAPH, BlockType.DATE, BlockType.DEK})


@rule("byline-near-title", stage="header")
def byline_near(doc: Document, ti: int | None) -> list[str]:
    """Authors from the first byline among the 10 blocks after the title and the 3 before it
    ("By Sarah E. Needleman", "Posted on August 16, 2020 by Maria Costa"); the block is re-typed
    ``byline``."""
    for i in _near(doc.blocks, ti, before=3, after=10):
        b = doc.blocks[i]
        if b.type in _NO_BYLINE:
            continue
        names = byline_authors(b.text)
        if names:
            if b.type in _BYLINE_TYPES:
                b.type = BlockType.BYLINE
            return names
    return []


_NO_DATE = frozenset({BlockType.TITLE, BlockType.CODE, BlockType.TABLE})


@rule("date-near-title", stage="header")
def date_near(doc: Document, ti: int | None) -> str | None:
    """The first date written in a short block among the 12 after the title and the 3 before
    it, as ISO 8601; a block that is only a date line is re-typed ``date``. A date opening a
    longer block counts too ("Monday November 18, 2019 7:45 am PST by Joe Rossignol ...")."""
    for i in _near(doc.blocks, ti, before=3, after=12):
        b = doc.blocks[i]
        if b.type in _NO_DATE:
            continue
        d = parse_date(b.text if len(b.text.split()) <= 30 else b.text[:40])
        if d and 1990 <= d.year <= date.today().year + 1:
            if b.type == BlockType.PARAGRAPH and len(b.text.split()) <= 12:
                b.type = BlockType.DATE
            return d.isoformat()
    return None


def refresh(doc: Document, ti: int) -> None:
    """The title moved to block ``ti`` (article mode): read the byline and date around it."""
    names = byline_near(doc, ti)
    if names:
        doc.facts.authors = names
    day = date_near(doc, ti)
    if day:
        doc.facts.date = day


def find_header(doc: Document) -> Document:
    facts = doc.facts
    ti = find_title_block(doc)
    if ti is not None:
        set_title(doc, ti)
    facts.authors = byline_near(doc, ti) or title_block_authors(doc)
    facts.date = date_near(doc, ti)
    return doc
