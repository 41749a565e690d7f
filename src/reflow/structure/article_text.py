"""Article mode on extracted text: what a block looks like when there is no font, size, column
or structure tag to read, only its lines.

A web print's plain text still shows its layout in its line lengths: the article's paragraphs
are wrapped at one width (the body column's, in characters), a sidebar at a narrower one, and a
navigation menu, a "most read" list or a comment thread is a run of short lines, often with
times, dates and handles, and with the same words ("Reply", "Share") again and again.
``text_rows`` gives these cues as numbers (``TEXT``), appended to ``article_model.FEATURES``
for the text model (``article_model.load("text")``); all hold in any language and script.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from reflow.lexicon import Lazy
from reflow.model import Block
from reflow.rules import rule
from reflow.structure.body import BlockFeatures

TEXT = (
    "t_lines_log",
    "t_chars_log",
    "t_width",
    "t_width_max",
    "t_short_lines",
    "t_ragged",
    "t_time",
    "t_date",
    "t_handle",
    "t_url",
    "t_dup",
    "t_dup_near",
    "t_window",
    "t_window_dist",
    "t_width_near",
    "t_time_near",
)

_TIME = Lazy(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DATE = Lazy(r"(?<!\d)(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:19|20)\d{2})(?!\d)")
_HANDLE = Lazy(r"(?<![\w@])[@#][^\W\d]\w{1,}")
_URL = Lazy(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*", re.I)
_NORM = Lazy(r"\W+")


def _line_lengths(b: Block) -> list[int]:
    lens = [len(ln.text) for ln in b.lines if ln.text.strip()]
    return lens or [len(b.text)]


@rule("text-width", stage="article")
def prose_width(blocks: list[Block], feats: list[BlockFeatures]) -> float:
    """The width the article's paragraphs are wrapped at, in characters: the longest line of
    each block of three lines or more with sentence punctuation, the median of those weighed by
    words (a web print's body column; a sidebar's lines are shorter, a menu's much shorter)."""
    widths: list[tuple[int, int]] = []
    for b, f in zip(blocks, feats, strict=True):
        lens = _line_lengths(b)
        if len(lens) >= 3 and f.sentence and f.words >= 15:
            widths.append((max(lens), f.words))
    if not widths:
        lens = sorted(n for b in blocks for n in _line_lengths(b))
        return float(lens[int(0.9 * (len(lens) - 1))]) if lens else 1.0
    widths.sort()
    half = sum(w for _, w in widths) / 2
    acc = 0
    for width, w in widths:
        acc += w
        if acc >= half:
            return float(max(width, 1))
    return float(widths[-1][0])


def _own(b: Block, f: BlockFeatures, width: float) -> list[float]:
    text = b.text
    lens = _line_lengths(b)
    n = len(lens)
    toks = text.split() or [""]
    mean = sum(lens) / n
    short = sum(1 for x in lens if x < 0.5 * width) / n
    # a paragraph's lines run to the width but its last; a list's lines all stop short
    ragged = sum(1 for x in lens[:-1] if x < 0.8 * width) / (n - 1) if n > 1 else 0.0
    return [
        math.log1p(n),
        math.log1p(mean),
        min(mean / width, 2.0),
        min(max(lens) / width, 2.0),
        short,
        ragged,
        min(len(_TIME.findall(text)), 3) / 3,
        min(len(_DATE.findall(text)), 3) / 3,
        min(len(_HANDLE.findall(text)) / len(toks), 1.0),
        min(sum(len(m) for m in _URL.findall(text)) / max(len(text), 1), 1.0),
    ]


@rule("text-repeats", stage="article")
def repeats(blocks: list[Block], feats: list[BlockFeatures], max_words: int = 12) -> list[int]:
    """How many times each short block's text (words only, any case) is printed in the
    document: a comment thread's "Reply" and "Like", a list's "Read more", a menu printed twice.
    0 for a block printed once or longer than ``max_words``."""
    keys = [
        _NORM.sub(" ", b.text.lower()).strip() if f.words <= max_words else ""
        for b, f in zip(blocks, feats, strict=True)
    ]
    count = Counter(k for k in keys if k)
    return [count[k] - 1 if k else 0 for k in keys]


def text_rows(
    blocks: list[Block], feats: list[BlockFeatures], start: int, end: int
) -> list[list[float]]:
    """The ``TEXT`` features of each block; ``start``, ``end``: the hand-set rules' densest
    run of body text (``dense-region``), which the block is in or how far from."""
    n = len(blocks)
    width = prose_width(blocks, feats)
    own = [_own(b, f, width) for b, f in zip(blocks, feats, strict=True)]
    dup = repeats(blocks, feats)
    rows = []
    wi, ti = TEXT.index("t_width_max"), TEXT.index("t_time")
    for i in range(n):
        lo, hi = max(0, i - 3), min(n, i + 4)
        others = [j for j in range(lo, hi) if j != i]
        k = len(others) or 1
        if start <= i <= end:
            inside, dist = 1.0, 0.0
        else:
            inside = 0.0
            dist = math.log1p(start - i if i < start else i - end) * (-1 if i < start else 1)
        rows.append(
            [
                *own[i],
                math.log1p(dup[i]),
                sum(1 for j in others if dup[j]) / k,
                inside,
                dist,
                sum(own[j][wi] for j in others) / k,
                sum(own[j][ti] for j in others) / k,
            ]
        )
    return rows
