"""The text inside a drawn figure: a plot's axis labels, tick numbers and legend.

A figure drawn with paths (LaTeX's ``picture`` environment, TikZ, a chart a word processor
draws) has no image object: its words come out of the text layer beside the article's, and
without this they are paragraphs ("0", "50", "100", "Index size") between the text and the
caption. ``figure-text`` finds the figure from the page's paths next to its "Figure N" caption
and reports the blocks inside it in ``removed`` as ``figure-text``.

Runs after the roles (the captions are known) and before ``place_figures``. Reads
``Page.graphics`` and ``Page.rulings`` (the reader's path boxes, readers/cells.py: read on pages
that may hold a table, so also where a plot's tick numbers stand in a row).
"""

from __future__ import annotations

import re

from reflow.lexicon import Lazy
from reflow.model import BBox, Block, BlockType, Document, Reason, Removed
from reflow.rules import rule
from reflow.settings_graphics import GraphicsSettings

# "Figure 3", "Fig. 3:", "FIGURE 3." (a figure's caption, numbered)
FIGURE_LABEL = Lazy(r"^fig(?:ure)?\.?\s*\d", re.IGNORECASE)
_TEXT_TYPES = frozenset(
    {BlockType.PARAGRAPH, BlockType.HEADING, BlockType.TABLE, BlockType.LIST_ITEM,
     BlockType.QUOTE, BlockType.CAPTION}
)  # fmt: skip


def _near(a: BBox, b: BBox, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def figure_box(cap: Block, boxes: list[BBox], s: GraphicsSettings) -> tuple[BBox, bool] | None:
    """The box of the figure a caption names, from the page's path boxes: those starting within
    ``figure_caption_gap_em`` above the caption (else below it), overlapping it across, and
    every path within ``figure_join_em`` of them, on the same side of the caption. (box, the
    caption is below it) or None."""
    size = cap.size or 10.0
    gap, join = s.figure_caption_gap_em * size, s.figure_join_em * size
    x0, top, x1, bottom = cap.bbox
    for below in (True, False):
        side = [b for b in boxes if (b[3] <= top + 1 if below else b[1] >= bottom - 1)]
        seed = [
            b
            for b in side
            if b[0] < x1 and x0 < b[2] and (top - b[3] if below else b[1] - bottom) <= gap
        ]
        if not seed:
            continue
        region = [min(b[0] for b in seed), min(b[1] for b in seed)]
        region += [max(b[2] for b in seed), max(b[3] for b in seed)]
        rest = [b for b in side if b not in seed]
        grew = True
        while grew:
            grew = False
            for b in list(rest):
                if _near(tuple(region), b, join):
                    region = [min(region[0], b[0]), min(region[1], b[1])] + [
                        max(region[2], b[2]),
                        max(region[3], b[3]),
                    ]
                    rest.remove(b)
                    grew = True
        box = (region[0], region[1], region[2], region[3])
        if min(box[2] - box[0], box[3] - box[1]) >= s.figure_min_side_pt:
            return box, below
    return None


@rule("figure-text", stage="figures")
def figure_text(doc: Document, s: GraphicsSettings) -> int:
    """Blocks inside a figure drawn with paths are its text, not the article's: the figure is
    the paths next to a "Figure N" caption (``figure_box``), widened by ``figure_side_em`` on
    the sides and ``figure_above_em`` above (a y-axis title and the tick numbers stand outside
    the axes; a caption above widens it below instead), reaching to the caption; a block
    wholly inside it whose lines hold at most ``figure_max_words`` words each (a label, a
    tick row, a legend) is removed and reported as ``figure-text``. A figure's own caption
    and a paragraph beside the figure (wider, or of longer lines) stay. Returns how many."""
    by_page: dict[int, list[Block]] = {}
    for b in doc.blocks:
        by_page.setdefault(b.page, []).append(b)
    pages = {p.number: p for p in doc.pages}
    drop: set[int] = set()
    for number, blocks in by_page.items():
        page = pages.get(number)
        if page is None or not (page.graphics or page.rulings):
            continue
        boxes = list(page.graphics) + [(a, y - 0.5, b, y + 0.5) for a, y, b in page.rulings]
        for cap in blocks:
            if cap.bbox is None or not FIGURE_LABEL.match(cap.text):
                continue
            found = figure_box(cap, boxes, s)
            if found is None:
                continue
            (fx0, ftop, fx1, fbottom), below = found
            em = cap.size or 10.0
            side, above = s.figure_side_em * em, s.figure_above_em * em
            if below:
                area = (fx0 - side, ftop - above, fx1 + side, cap.bbox[1] + 1)
            else:
                area = (fx0 - side, cap.bbox[3] - 1, fx1 + side, fbottom + above)
            for b in blocks:
                if b is cap or b.bbox is None or b.type not in _TEXT_TYPES:
                    continue
                x0, top, x1, bottom = b.bbox
                if not (area[0] <= x0 and x1 <= area[2] and area[1] <= top and bottom <= area[3]):
                    continue
                lines = b.lines or [b]
                if all(len(ln.text.split()) <= s.figure_max_words for ln in lines):
                    drop.add(id(b))
    if not drop:
        return 0
    kept = []
    for b in doc.blocks:
        if id(b) in drop:
            doc.removed.append(Removed(b.text, Reason.FIGURE_TEXT, b.page, b.bbox))
        else:
            kept.append(b)
    doc.blocks = kept
    return len(drop)


def drop_figure_text(doc: Document) -> Document:
    """The stage: ``figure-text`` on a PDF's blocks."""
    if doc.kind == "pdf":
        figure_text(doc, doc.settings.graphics)
    return doc
