"""Publication dates of web prints: every date the page writes, scored.

A page prints many dates: the article's ("20 February, 2024", "Veröffentlicht am 5. November
2023, 14:09"), an update, the dates of the related articles in a list beside it, a photo's, the
comments', a copyright year. ``candidates`` reads every date written in the page's blocks (each
reading of a numeric date whose day and month are both under 13: "06/01/2026" is a candidate
for 6 January and for 1 June) and describes each by features that hold in any language: its
position (after or before the title, how far, the first date after it), its block (a date line,
a byline, a caption, a list item, a link, its length and type size against the body's), the
date's place in its block and the other dates beside it, a time of day or a label ("Datum:")
beside it, the same day printed elsewhere on the page, the day the URL carries, whether the
reading is the page's day/month order (``header.date_order``), and whether it is the page's
earliest or latest date. A caption's date (a photo's) is a candidate only on a page whose other
blocks write none. ``load()`` gives a logistic model over them (``reflow/data/
date_model.json``, fitted by ``benchmarks/webcorpus/fit_dates.py`` on sites left out of its
folds); the best candidate above the model's threshold is the publication date.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from reflow.lexicon import Lazy
from reflow.model import BlockType, Document
from reflow.numbers import median
from reflow.rules import rule
from reflow.structure.dates import find_dates, is_date_line
from reflow.structure.ranking import LogisticModel, load_model

FEATURES = (
    "bias",
    "after",  # the block is after the title
    "dist",  # how far from the title, in blocks (/10, at most 3)
    "near",  # within 3 blocks of the title
    "first_after",  # the first block with a date after the title
    "first_before",  # the last block with a date before the title
    "block_words",  # log of the block's words
    "date_line",  # the block is only a date line ("Published: Nov. 18, 2019 7:45 am")
    "first_in_block",  # the block's first date
    "at_start",  # the date opens its block (within its first 12 characters)
    "dates_in_block",  # log of the block's distinct dates
    "time",  # a time of day beside it ("14:09", "9:27 AM")
    "label",  # a label ends right before it ("Datum:", "Published:", "Stand:")
    "repeated",  # the same day written in another block
    "url_same",  # the URL carries this day
    "url_other",  # the URL carries another day
    "order_ok",  # a numeric date read in the page's day/month order (or unambiguous)
    "order_no",  # ... read against it
    "written",  # the month is a word ("5. November 2023"), not a number
    "earliest",  # the page's earliest date (near the title)
    "latest",  # the page's latest date (near the title)
    "byline",  # the block is the byline, or beside it
    "caption",
    "list_item",
    "heading",
    "typed_date",  # the roles stage typed the block a date or byline
    "link",  # the block is (in) a link
    "smaller",  # set smaller than the body
    "no_title",  # no title found: positions count from the page's start
    "far_after",  # more than 30 blocks after the title (the foot of the page)
    "prose",  # inside running text: a long block, the date not at its start
    "sentence",  # the block has sentence punctuation
    "offset",  # where in the block (characters /100, at most 2)
    "first_short_after",  # the first short block (a line, a byline) with a date after the title
    "run",  # a block next to it of the same type writes a date too (a list of dated stories)
    "in_title",  # inside the title block ("... 城！ 2020-02-19 20:29:58 来源"), a date line merged in
)

# "14:09", "klo 14.00", "9:27 AM", not the "16.10" of "16.10.2021"
_TIME = Lazy(
    r"(?<![\d.:])[0-2]?\d[:.h][0-5]\d(?::[0-5]\d)?(?![.:]?\d)|\b\d{1,2}\s?[ap]\.?m\b", re.IGNORECASE
)
_LABEL = Lazy(r"[^\W\d_]{2,}\s*:\s*$")
_SENTENCE = Lazy(r"[^\W\d_]{2}[.!?]\s+[^\W\d_]")


@dataclass(slots=True)
class Candidate:
    """A block read as a date, with its features and score."""

    index: int  # the block
    day: date
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    def row(self) -> list[float]:
        return [self.features.get(f, 0.0) for f in FEATURES]


def _body_size(doc: Document) -> float:
    sizes = [b.size for b in doc.blocks if b.type == BlockType.PARAGRAPH and b.size]
    return median(sizes) if sizes else 0.0


_SKIP = frozenset({BlockType.CODE, BlockType.TABLE, BlockType.FIGURE})


def _readings(text: str, order: str) -> list[tuple[int, date, bool, bool]]:
    """(offset, day, read in the page's order, month written as a word) of every date in
    ``text``; an ambiguous numeric date gives both readings."""
    other = "mdy" if order == "dmy" else "dmy"
    mine = find_dates(text, order)
    theirs = {(o, d) for o, d in find_dates(text, other)}
    out = []
    seen = set()
    for o, d in mine:
        written = not text[o : o + 1].isdigit() or bool(
            re.match(r"\d{1,2}\.?\s*(?:de\s+)?[^\W\d_]", text[o : o + 8])
        )
        out.append((o, d, True, written))
        seen.add((o, d))
    for o, d in theirs - seen:
        out.append((o, d, False, False))
    out.sort(key=lambda t: (t[0], not t[2]))
    return out


def candidates(
    doc: Document, ti: int | None, order: str, url_day: date | None, max_blocks: int = 600
) -> list[Candidate]:
    """Every date the page writes (see the module's docstring), described."""
    blocks = doc.blocks[:max_blocks]
    body = _body_size(doc)
    this_year = date.today().year + 1
    byline_at = [i for i, b in enumerate(blocks) if b.type == BlockType.BYLINE]
    found: list[tuple[int, int, date, bool, bool]] = []  # block, offset, day, order ok, written
    for i, b in enumerate(blocks):
        if b.type in _SKIP or not any(map(str.isdigit, b.text)):
            continue
        for o, d, ok, written in _readings(b.text, order):
            if 1990 <= d.year <= this_year:
                found.append((i, o, d, ok, written))
    # a caption's date is a photo's: a candidate only where no other block has a date
    if any(blocks[i].type != BlockType.CAPTION for i, *_ in found):
        found = [x for x in found if blocks[x[0]].type != BlockType.CAPTION]
    if not found:
        return []
    per_block = Counter()
    days_in: dict[int, set] = {}
    for i, _o, d, _ok, _w in found:
        days_in.setdefault(i, set()).add(d)
    for i, s in days_in.items():
        per_block[i] = len(s)
    blocks_of_day: dict[date, set] = {}
    for i, _o, d, _ok, _w in found:
        blocks_of_day.setdefault(d, set()).add(i)
    anchor = ti if ti is not None else -1
    after_idx = sorted({i for i, *_ in found if i > anchor})
    before_idx = sorted({i for i, *_ in found if i < anchor})
    first_after = after_idx[0] if after_idx else None
    first_before = before_idx[-1] if before_idx else None
    short_after = [i for i in after_idx if len(blocks[i].text.split()) <= 25]
    first_short = short_after[0] if short_after else None
    near_days = [d for i, _o, d, ok, _w in found if ok and abs(i - anchor) <= 20]
    lo, hi = (min(near_days), max(near_days)) if near_days else (None, None)
    out = []
    firsts: set[int] = set()
    for i, o, d, ok, written in found:
        b = blocks[i]
        text = b.text
        words = len(text.split())
        gap = abs(i - anchor)
        ambiguous = any(x[0] == i and x[1] == o and x[3] != ok for x in found)
        tail = text[o : o + 30]
        head = text[max(0, o - 12) : o]
        f = {
            "bias": 1.0,
            "after": float(ti is None or i > ti),
            "dist": min(3.0, gap / 10),
            "near": float(gap <= 3),
            "first_after": float(i == first_after),
            "first_before": float(i == first_before),
            "block_words": math.log(1 + words),
            "date_line": float(is_date_line(text.strip())),
            "first_in_block": float(i not in firsts),
            "at_start": float(o <= 12),
            "dates_in_block": math.log(per_block[i]),
            "time": float(bool(_TIME.search(tail)) or bool(_TIME.search(head))),
            "label": float(bool(_LABEL.search(head))),
            "repeated": float(len(blocks_of_day[d]) > 1),
            "url_same": float(url_day == d),
            "url_other": float(url_day is not None and url_day != d),
            "order_ok": float(ok and ambiguous),
            "order_no": float(not ok),
            "written": float(written),
            "earliest": float(ok and d == lo),
            "latest": float(ok and d == hi),
            "byline": float(any(abs(i - j) <= 1 for j in byline_at)),
            "caption": float(b.type == BlockType.CAPTION),
            "list_item": float(b.type == BlockType.LIST_ITEM),
            "heading": float(b.type == BlockType.HEADING),
            "typed_date": float(b.type in (BlockType.DATE, BlockType.BYLINE)),
            "link": float(bool(b.links) or any(ln.links for ln in b.lines)),
            "smaller": float(bool(body and b.size and b.size < 0.95 * body)),
            "no_title": float(ti is None),
            "far_after": float(ti is not None and i - ti > 30),
            "prose": float(words > 25 and o > 12),
            "sentence": float(bool(_SENTENCE.search(text))),
            "offset": min(2.0, o / 100),
            "first_short_after": float(i == first_short),
            "run": float(any(j in days_in and blocks[j].type == b.type for j in (i - 1, i + 1))),
            "in_title": float(b.type == BlockType.TITLE),
        }
        firsts.add(i)
        out.append(Candidate(i, d, f))
    return out


@lru_cache(maxsize=1)
def load() -> LogisticModel | None:
    return load_model("date_model.json", FEATURES)


@rule("date-score", stage="header")
def scored_date(
    doc: Document,
    ti: int | None,
    order: str,
    url_day: date | None,
    model: LogisticModel | None = None,
) -> Candidate | None:
    """The publication date of a web print: of every date the page writes, the one the date
    model scores highest, if above its threshold ("Veröffentlicht am 5. November 2023, 14:09"
    under the headline, not the related articles' "16.10.2021" in the list beside it, nor a
    photo caption's, nor "06/01/2026" read against the page's day/month order)."""
    model = model or load()
    if model is None:
        return None
    best = None
    for c in candidates(doc, ti, order, url_day):
        c.score = model.proba(c)
        if best is None or c.score > best.score:
            best = c
    if best is None or best.score < model.threshold:
        return None
    return best
