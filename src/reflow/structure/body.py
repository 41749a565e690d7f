"""The article's body on a web print: what each block looks like, and the body's type and column.

Article mode (``structure/article.py``) measures every block (``BlockFeatures``: words, link
density, font, sentence end, x-extent) and finds the body's font and column from the long,
sentence-like, link-free blocks; a block beside that column that is no column of the body is a
sidebar.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from reflow.lexicon import SENTENCE_END, Lazy
from reflow.model import Block, BlockType
from reflow.rules import rule
from reflow.settings import ArticleSettings
from reflow.structure.chrome import WORD


@lru_cache(maxsize=8192)
def count_words(text: str) -> int:
    """Word count (cached: the features and the repeated-block test count the same texts)."""
    return len(WORD.findall(text))


def _link_density(b: Block) -> float:
    """Share of the block's characters that sit under a hyperlink."""
    if not b.text:
        return 0.0
    links = b.links or [lk for ln in b.lines for lk in ln.links]
    if b.links:
        covered = sum(max(0, lk.end - lk.start) for lk in links)
        return min(1.0, covered / len(b.text))
    total = sum(len(ln.text) for ln in b.lines) or len(b.text)
    covered = sum(max(0, lk.end - lk.start) for lk in links)
    return min(1.0, covered / total)


FONT_STYLE = Lazy(r"[-,](?:bold|italic|oblique|regular|medium|semibold|light).*$", re.IGNORECASE)
_FAMILIES: dict[str, str] = {}  # font name -> family (FONT_STYLE removed); few names per run


def font_key(b: Block) -> tuple[str, float]:
    """The block's dominant font family and size (size rounded to half points)."""
    c: dict[tuple[str, float], int] = {}
    for ln in b.lines:
        # a one-style line is its own run: read it without making the Span runs() would
        runs = ln.spans or ((ln,) if ln.font is not None else ())
        for sp in runs:
            if sp.text.strip():
                fam = _FAMILIES.get(sp.font)
                if fam is None:
                    fam = _FAMILIES[sp.font] = FONT_STYLE.sub("", sp.font)
                key = (fam, round((sp.size or ln.size or b.size) * 2) / 2)
                c[key] = c.get(key, 0) + len(sp.text)
    if c:
        return max(c, key=c.__getitem__)  # the first of the most common, as Counter's
    return ("", round(b.size * 2) / 2)


class BlockFeatures:
    """What article mode knows of one block."""

    __slots__ = (
        "words",
        "links",
        "font",
        "good",
        "bad",
        "boiler",
        "rule",
        "sentence",
        "x0",
        "x1",
        "side",
    )

    def __init__(self, b: Block):
        self.words = count_words(b.text)
        self.links = _link_density(b)
        self.font = font_key(b)
        self.sentence = bool(SENTENCE_END.search(b.text.strip()))
        self.x0, self.x1 = (b.bbox[0], b.bbox[2]) if b.bbox else (0.0, 0.0)
        self.bad = False
        self.boiler = False
        self.side = False
        self.rule: str | None = None  # the boilerplate rule the block meets (select_article)
        self.good = False


_BODY_TYPES = frozenset({BlockType.PARAGRAPH, BlockType.QUOTE, BlockType.DEK, BlockType.LIST_ITEM})


@rule("body-style", stage="article")
def body_style(blocks: list[Block], feats: list[BlockFeatures], s: ArticleSettings):
    """The article's body is the font (family and size) and the column (x-extent) that carry
    most of the words of long, sentence-like, link-free blocks that are not chrome. The
    column's right edge is where most of the body's words end (one wide footer line must not
    widen it)."""
    fonts: Counter = Counter()
    for b, f in zip(blocks, feats, strict=True):
        if (
            f.words >= s.body_min_words
            and f.links < s.body_max_link_share
            and not f.bad
            and b.type in _BODY_TYPES
        ):
            fonts[f.font] += f.words
    if not fonts:
        return None, None
    font = fonts.most_common(1)[0][0]
    cols: Counter = Counter()
    step = s.column_step_pt
    for b, f in zip(blocks, feats, strict=True):
        if (
            f.font == font
            and f.words >= s.body_min_words
            and f.links < s.body_max_link_share
            and not f.bad
            and b.bbox
        ):
            cols[(round(f.x0 / step), round(f.x1 / step))] += f.words
    if not cols:
        return font, None
    (c0, c1), _ = cols.most_common(1)[0]
    x0 = c0 * step
    ends = sorted(
        (f.x1, f.words)
        for f in feats
        if f.font == font
        and abs(f.x0 - x0) <= s.column_edge_pt
        and f.words >= s.body_min_words
        and not f.bad
    )
    total = sum(w for _, w in ends)
    acc, x1 = 0, c1 * step
    for xe, w in ends:
        acc += w
        if acc >= s.column_right_share * total:
            x1 = xe
            break
    return font, (x0, max(x1, c1 * step))


def same_font(a: tuple[str, float], b: tuple[str, float], tol: float = 0.6) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= tol


@rule("off-column", stage="article")
def off_column(f: BlockFeatures) -> bool:
    """The block sits wholly beside the body column (a sidebar), and is no second column of
    the body: much narrower, or in another font (``body-columns`` marks it)."""
    return f.side


@rule("body-columns", stage="article")
def body_columns(
    feats: list[BlockFeatures], font, col: tuple[float, float], s: ArticleSettings
) -> list[tuple[float, float]]:
    """A page set in two or three columns has its body in each of them: x-ranges as wide as
    the body column (within 15%) that carry at least two running-text blocks in the body font.
    Headings and captions inside those columns are the article's."""
    x0, x1 = col
    width = max(1.0, x1 - x0)
    step = s.columns_step_pt
    found: Counter = Counter()
    for f in feats:
        if (
            f.words >= s.body_min_words
            and not f.bad
            and same_font(f.font, font)
            and abs((f.x1 - f.x0) - width) <= s.columns_width_share * width
        ):
            found[(round(f.x0 / step), round(f.x1 / step))] += 1
    cols = [col]
    for (a, b), n in found.items():
        if n >= 2 and not any(
            abs(a * step - c0) <= step and abs(b * step - c1) <= step for c0, c1 in cols
        ):
            cols.append((a * step, b * step))
    return cols


def mark_sides(feats: list[BlockFeatures], font, col: tuple[float, float] | None, s) -> None:
    if not col:
        return
    x0, x1 = col
    width = max(1.0, x1 - x0)
    cols = body_columns(feats, font, col, s)
    inside, beside = s.column_inside_pt, s.column_beside_pt
    for f in feats:
        if not (f.x0 or f.x1):
            continue
        if any(f.x0 >= c0 - inside and f.x1 <= c1 + inside for c0, c1 in cols):
            continue  # inside a column of the body
        out = f.x0 >= x1 - beside or f.x1 <= x0 + beside
        f.side = out and (
            (f.x1 - f.x0) < s.sidebar_width_share * width or not same_font(f.font, font)
        )
