"""Headlines of web prints: the blocks that could be the article's title, scored.

The page's ``<title>`` is what ``titles`` matches, but sites write their ``<title>`` for search
engines: "Dylann Roof Convicted Of Charleston Church Massacre : The Two-Way : NPR" over the
headline "Jury Finds Dylann Roof Guilty In S.C. Church Shooting", the dek under it matching the
``<title>`` better than the headline does. ``candidates`` takes every short block that matches
the page title somewhat or is set larger than the body, and describes each by features that
hold in any language: how well it matches the page title (and whether it is the page's best
match), its type size against the body's and the page's largest, whether it is the first block
in the largest size, a heading, its length and place on the page, a date or a byline just
under it, sentence punctuation, a link over it. ``load()`` gives a logistic model over them
(``reflow/data/title_model.json``, fitted by ``benchmarks/webcorpus/fit_titles.py`` on sites
left out of its folds); the best candidate above the model's threshold is the headline.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from reflow.lexicon import PRINTED_AT, Lazy
from reflow.model import BlockType, Document
from reflow.rules import rule
from reflow.structure.dates import find_dates
from reflow.structure.ranking import LogisticModel, load_model

FEATURES = (
    "bias",
    "match",  # how well it matches the page title (0..1)
    "match_hi",  # ... at least 0.72 (what the page-title match alone asks)
    "match_top",  # the page's best match
    "size",  # type size against the body's (at most 3)
    "largest",  # set in the page's largest type (among the candidates' blocks)
    "second",  # ... in its second largest
    "first_largest",  # the first block set in the largest type
    "heading",  # typed a heading or title by the roles stage
    "words",  # log of its words
    "place",  # its index on the page (/100, at most 3)
    "before_top",  # before the page's best match
    "date_after",  # a date in one of the 3 blocks under it
    "sentence",  # ends with a full stop, or has sentence punctuation inside
    "link",  # a link over it
    "caps",  # in capitals
    "one_word",  # one word ("Menu", a site's name)
)

_NOT = frozenset(
    {BlockType.LIST_ITEM, BlockType.CAPTION, BlockType.FOOTNOTE, BlockType.CODE, BlockType.TABLE}
)
_SENTENCE = Lazy(r"[^\W\d_]{2}[.!?]\s+[^\W\d_]|[^\W\d_]{2}\.$")


@dataclass(slots=True)
class Candidate:
    """A block that could be the headline, with its features and score."""

    index: int
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    def row(self) -> list[float]:
        return [self.features.get(f, 0.0) for f in FEATURES]


def candidates(
    doc: Document,
    match: Callable[[str], float],
    site: Callable[[str], bool] = lambda _t: False,
    max_blocks: int = 400,
    min_match: float = 0.35,
    min_size: float = 1.2,
    max_words: int = 40,
) -> list[Candidate]:
    """Every block of the page's first ``max_blocks`` that matches the page title at least
    ``min_match`` (``match``: the block's text -> 0..1; ``site``: the text is the site's name)
    or is set ``min_size`` times the body's
    type or larger, in at most ``max_words`` words and not a list item, caption, footnote, code
    or table, nor the site's name, described (see the module's docstring)."""
    blocks = doc.blocks[:max_blocks]
    sizes = [b.size for b in blocks if b.type == BlockType.PARAGRAPH and b.size]
    body = median(sizes) if sizes else 12.0
    picked: list[tuple[int, float]] = []
    for i, b in enumerate(blocks):
        if b.type in _NOT or not b.text.strip() or PRINTED_AT.search(b.text):
            continue
        words = len(b.text.split())
        if words > max_words or site(b.text):
            continue  # the site's name is not its headline
        m = match(b.text)
        if m >= min_match or (b.size or 0) >= min_size * body:
            picked.append((i, m))
    if not picked:
        return []
    distinct = sorted({round(blocks[i].size or 0, 1) for i, _ in picked}, reverse=True)
    top = distinct[0]
    second = distinct[1] if len(distinct) > 1 else None
    first_top = next(i for i, _ in picked if round(blocks[i].size or 0, 1) == top)
    best_m = max(m for _, m in picked)
    best_at = next(i for i, m in picked if m == best_m)
    out = []
    for i, m in picked:
        b = blocks[i]
        text = b.text.strip()
        size = round(b.size or 0, 1)
        letters = [c for c in text if c.isalpha()]
        under = blocks[i + 1 : i + 4]
        f = {
            "bias": 1.0,
            "match": m,
            "match_hi": float(m >= 0.72),
            "match_top": float(m >= best_m - 0.01 and m > 0),
            "size": min(3.0, (b.size or 0) / body) if body else 1.0,
            "largest": float(size == top),
            "second": float(second is not None and size == second),
            "first_largest": float(i == first_top),
            "heading": float(b.type in (BlockType.HEADING, BlockType.TITLE)),
            "words": math.log(1 + len(text.split())),
            "place": min(3.0, i / 100),
            "before_top": float(i < best_at),
            "date_after": float(
                any(
                    len(u.text.split()) <= 30
                    and any(map(str.isdigit, u.text))
                    and find_dates(u.text)
                    for u in under
                )
                or any(u.type in (BlockType.BYLINE, BlockType.DATE) for u in under)
            ),
            "sentence": float(bool(_SENTENCE.search(text))),
            "link": float(bool(b.links) or any(ln.links for ln in b.lines)),
            "caps": float(len(letters) >= 4 and all(c.isupper() for c in letters)),
            "one_word": float(len(text.split()) == 1),
        }
        out.append(Candidate(i, f))
    return out


@lru_cache(maxsize=1)
def load() -> LogisticModel | None:
    return load_model("title_model.json", FEATURES)


@rule("title-score", stage="header")
def scored_titles(
    doc: Document,
    match: Callable[[str], float],
    site: Callable[[str], bool],
    model: LogisticModel | None = None,
) -> list[tuple[int, float]]:
    """``[(index, probability)]`` of the blocks the title model scores above its threshold,
    best first: the headline "Jury Finds Dylann Roof Guilty In S.C. Church Shooting" set large
    under the section's name, not the dek under it that the page title ("Dylann Roof Convicted
    Of Charleston Church Massacre : The Two-Way : NPR") matches better, nor the site's masthead
    set larger still."""
    model = model or load()
    if model is None:
        return []
    out = []
    for c in candidates(doc, match, site):
        c.score = model.proba(c)
        if c.score >= model.threshold:
            out.append((c.index, c.score))
    out.sort(key=lambda t: -t[1])
    return out
