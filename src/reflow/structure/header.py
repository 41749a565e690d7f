"""The article's header: which block is its title, and the byline and date written near it.

Reads the blocks the roles stage typed; writes ``Facts.title_index`` and ``Facts.title`` (the
title block), ``Facts.authors`` and ``Facts.date`` (from the byline and the date line near the
title), and re-types those blocks ``title``, ``byline``, ``date``. Article mode may move the
title (``refresh``); the metadata stage turns these facts into ``doc.metadata`` at the end.

- ``title``: web prints: the block matching the printed page title (``page-title-match``);
  others: the block the roles stage typed ``title``.
- ``byline-near-title``: the first byline among the blocks around the title.
- ``date-near-title``: the first date written in a short block around the title (not in a
  caption), numeric dates read in the page's day/month order (``date-order``).
"""

from __future__ import annotations

import re
from datetime import date

from reflow.lexicon import Lazy
from reflow.model import Block, BlockType, Document, Producer
from reflow.rules import rule
from reflow.settings import HeaderSettings
from reflow.structure.bylines import scored_byline
from reflow.structure.dates import find_dates, numeric_readings, url_date
from reflow.structure.names import byline_authors
from reflow.structure.pubdates import scored_date
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


def page_url(doc: Document) -> str | None:
    """The page's URL as the print footer or the info dictionary gives it."""
    for v in (doc.facts.print_url, doc.info.get("URL"), doc.info.get("Url")):
        if v and "://" in v:
            return v.strip()
    return None


@rule("byline-near-title", stage="header")
def byline_near(doc: Document, ti: int | None) -> list[str]:
    """Authors from the byline among the 10 blocks after the title and the 3 before it; on a
    web print the candidate the byline model scores best (``byline-score``: "Yasmine Hassan ·
    CBC News · Posted: ..."), else (and on other PDFs) the first byline of the "By" form ("By
    Sarah E. Needleman", "Posted on August 16, 2020 by Maria Costa"); the block is re-typed
    ``byline``."""
    s = doc.settings.header
    if is_web_page(doc):
        c = scored_byline(doc, ti)
        if c is not None:
            b = doc.blocks[c.index]
            if b.type in _BYLINE_TYPES and len(b.text.split()) <= s.byline_block_words:
                b.type = BlockType.BYLINE  # a longer block holding the names keeps its type
            return c.names
    for i in _near(doc.blocks, ti, before=s.byline_before, after=s.byline_after):
        b = doc.blocks[i]
        if b.type in _NO_BYLINE:
            continue
        names = byline_authors(b.text)
        if names:
            if b.type in _BYLINE_TYPES:
                b.type = BlockType.BYLINE
            return names
    return []


_NO_DATE = frozenset({BlockType.TITLE, BlockType.CODE, BlockType.TABLE, BlockType.FIGURE})
# Function words of English: a page in English writes a numeric date month first (US) unless
# its own dates say otherwise; every other language that writes "06/01/2026" means 6 January.
_ENGLISH = frozenset("the and of to a in is that for it was on with as are this by".split())


# Country-code domains of the countries that write English with the day first: an English page
# under one of them ("www.example.co.uk", "example.ie") writes "06/01/2026" for 6 January.
_DAY_FIRST_ENGLISH = frozenset(
    "uk ie au nz in za ng ke gh pk sg my jm tt mt lk bd ug zw zm bw na mu fj".split()
)
_HOST = Lazy(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?(?P<host>[^/:?#]+)", re.IGNORECASE)


def _country_domain(url: str | None) -> str | None:
    """The country-code top-level domain of ``url``'s host ("https://www.x.co.uk/a" -> "uk")."""
    m = _HOST.match(url or "")
    tld = m.group("host").rstrip(".").rsplit(".", 1)[-1].lower() if m else ""
    return tld if len(tld) == 2 and tld.isalpha() else None


@rule("date-order", stage="header")
def date_order(doc: Document, s: HeaderSettings | None = None) -> str:
    """How the page writes numeric dates, "dmy" or "mdy": a slashed date with a first number
    over 12 ("23/05/2022") says day first, a second over 12 ("05/23/2022") month first; else
    an English page month first unless its URL is under the domain of a country writing
    English day first (".co.uk", ".ie", ".com.au", ".in": day first), any other language day
    first ("06/01/2026" on a Portuguese page is 6 January)."""
    s = s or doc.settings.header
    votes = {"dmy": 0, "mdy": 0}
    words: list[str] = []
    for b in doc.blocks:
        if b.type in (BlockType.CODE, BlockType.TABLE):
            continue
        for a, c in numeric_readings(b.text) if "/" in b.text else ():
            if a > 12 >= c:
                votes["dmy"] += 1
            elif c > 12 >= a:
                votes["mdy"] += 1
        if len(words) < s.date_order_words and b.type == BlockType.PARAGRAPH:
            words += b.text.lower().split()
    if votes["dmy"] != votes["mdy"]:
        return max(votes, key=votes.get)
    english = sum(w in _ENGLISH for w in words) / max(1, len(words))
    if english < s.date_english_share or _country_domain(page_url(doc)) in _DAY_FIRST_ENGLISH:
        return "dmy"
    return "mdy"


@rule("date-near-title", stage="header")
def date_near(doc: Document, ti: int | None) -> str | None:
    """The first date written in a short block among the 20 after the title and the 8 before
    it (``HeaderSettings.date_after``, ``date_before``), as ISO 8601; a block that is only a date line is re-typed ``date``. A date opening a
    longer block counts too ("Monday November 18, 2019 7:45 am PST by Joe Rossignol ...").
    Captions are not read (a photo's date is not the article's); a numeric date is read in the
    page's order (``date-order``), or as the day the URL carries when one reading is it. On a
    web print, the date the date model scores best among all the page's dates (``date-score``),
    or none (the metadata stage then takes the URL's day)."""
    s = doc.settings.header
    order: str | None = None
    from_url = url_date(page_url(doc))
    if is_web_page(doc) and doc.blocks:
        c = scored_date(doc, ti, date_order(doc, s), from_url)
        if c is None:
            return None
        b = doc.blocks[c.index]
        if b.type == BlockType.PARAGRAPH and len(b.text.split()) <= 12:
            b.type = BlockType.DATE
        return c.day.isoformat()
    near = _near(doc.blocks, ti, before=s.date_before, after=s.date_after)
    # a caption's date is a photo's: read only where no other block near the title has one
    near.sort(key=lambda i: doc.blocks[i].type == BlockType.CAPTION)
    for i in near:
        b = doc.blocks[i]
        if b.type in _NO_DATE or not any(map(str.isdigit, b.text)):
            continue
        text = b.text if len(b.text.split()) <= s.date_max_words else b.text[: s.date_head_chars]
        if order is None:
            order = date_order(doc, s)
        found = [d for _, d in find_dates(text, order) if 1990 <= d.year <= date.today().year + 1]
        if not found:
            continue
        d = found[0]
        if from_url and d != from_url:
            other = "mdy" if order == "dmy" else "dmy"
            if any(o == from_url for _, o in find_dates(text, other)):
                d = from_url
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
