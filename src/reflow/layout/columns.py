"""Columns from the page's geometry: the gutters between them, found from the lines.

``column-gutter``: a gutter is an empty vertical band that many lines stand beside on the same
baselines: lines whose left edges align (a column's left margin) and that each have a line of
another column level with them a little to the left. A gutter found so may be narrow (LaTeX's
default 10 pt, less once the margins' punctuation protrudes into it), where a fixed minimum
width between blocks would either miss it or cut a page at any chance gap. A justified line's
wide word gaps do not make one: they fall at a different place on every line.

Reading order (``layout/order.py``) cuts a region into columns at its gutters;
``rejoin-split-line`` joins the pieces of a justified line the reader cut at wide word gaps,
never across a gutter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reflow.lexicon import Lazy
from reflow.model import InlineLink, Line
from reflow.rules import rule
from reflow.settings import BlockSettings

_FIGURES = Lazy(r"^[-+−–(]?[$€£¥]?\d[\d.,:/%\s]*[%)]?$")


@dataclass(frozen=True, slots=True)
class Gutter:
    """An empty band between columns: ``x0``-``x1`` across, over ``y0``-``y1`` of the page."""

    x0: float
    x1: float
    y0: float
    y1: float
    lines: int  # how many lines stand beside it

    def between(self, right: float, left: float, top: float, bottom: float) -> bool:
        """Whether an empty band from ``right`` to ``left`` (x), somewhere between ``top`` and
        ``bottom`` (y), is this gutter."""
        return right < self.x1 and left > self.x0 and top < self.y1 and bottom > self.y0


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


@rule("column-gutter", stage="blocks")
def page_gutters(lines: list[Line], s: BlockSettings | None = None) -> list[Gutter]:
    """The page's column gutters. Each line with another line level with it (any vertical
    overlap: columns balanced by ``multicol`` keep no common baseline grid) and at least
    ``gutter_min_gap_pt`` to its left is evidence of a column starting at its left edge. Left
    edges within ``gutter_align_pt`` of each other are one column's; at least
    ``gutter_min_lines`` such lines make a gutter, from the left neighbours' usual right edge to
    the column's left edge, when both sides are columns of text (their lines, at the median,
    ``gutter_min_width_em`` wide or more: a column of list numbers beside the items is none).
    Motivating case: pdfTeX two-column papers (10 pt between the columns, 6-8 pt once the
    margins' punctuation protrudes) read across both columns, paragraph by paragraph, by a cut
    that wanted 8 pt."""
    s = s or BlockSettings()
    geo = sorted((ln for ln in lines if ln.bbox and ln.text.strip()), key=lambda ln: ln.bbox[1])
    if len(geo) < 2 * s.gutter_min_lines:
        return []
    # (column's left edge, the neighbour's right edge, top, bottom, widths in ems: the line's,
    # the neighbour's)
    evidence: list[tuple[float, float, float, float, float, float]] = []
    n = len(geo)
    for i, ln in enumerate(geo):
        x0, y0, _, y1 = ln.bbox
        h = y1 - y0
        best = None
        # lines level with this one: their tops are near its top (sorted by top)
        j = i - 1
        while j >= 0 and geo[j].bbox[1] > y0 - 2 * h:
            best = _left_of(geo[j], x0, y0, y1, best)
            j -= 1
        j = i + 1
        while j < n and geo[j].bbox[1] < y1:
            best = _left_of(geo[j], x0, y0, y1, best)
            j += 1
        if best is not None and x0 - best[0] >= s.gutter_min_gap_pt:
            em = ln.size or h or 1.0
            width = (ln.bbox[2] - x0) / em
            evidence.append((x0, best[0], y0, y1, width, best[1] / em))
    if len(evidence) < s.gutter_min_lines:
        return []
    evidence.sort()
    out: list[Gutter] = []
    run = [evidence[0]]
    for ev in evidence[1:]:
        if ev[0] - run[0][0] <= s.gutter_align_pt:
            run.append(ev)
            continue
        _close(run, out, s)
        run = [ev]
    _close(run, out, s)
    return out


def _left_of(m: Line, x0: float, y0: float, y1: float, best):
    """(right edge, width) of the nearest line level with a line and left of ``x0``."""
    mx0, my0, mx1, my1 = m.bbox
    if mx1 > x0 + 0.5 or mx0 >= x0:
        return best  # not to the left (or overlapping)
    if min(y1, my1) - max(y0, my0) <= 0:
        return best
    return (mx1, mx1 - mx0) if best is None or mx1 > best[0] else best


def _close(run: list, out: list[Gutter], s: BlockSettings) -> None:
    if len(run) < s.gutter_min_lines:
        return
    # columns of text on both sides, not a column of labels (list numbers, a form's field
    # names) beside the text they label
    if min(_median([ev[4] for ev in run]), _median([ev[5] for ev in run])) < s.gutter_min_width_em:
        return
    left = min(ev[0] for ev in run)
    right = _median([ev[1] for ev in run])
    if left - right < s.gutter_min_gap_pt:
        return
    out.append(
        Gutter(
            x0=right,
            x1=left,
            y0=min(ev[2] for ev in run),
            y1=max(ev[3] for ev in run),
            lines=len(run),
        )
    )


def _same_style(a: Line, b: Line) -> bool:
    size = max(a.size, b.size, 1.0)
    return abs(a.size - b.size) <= 0.02 * size and a.bold == b.bold and a.italic == b.italic


def _join_pieces(a: Line, b: Line) -> Line:
    """``a`` and ``b`` (to its right on its baseline) as one line."""
    off = len(a.text) + 1
    links = [*a.links, *(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in b.links)]
    one_style = not a.spans and not b.spans and a.font is not None and a.font == b.font
    x0, y0, x1, y1 = a.bbox
    bx0, by0, bx1, by1 = b.bbox
    return replace(
        a,
        text=a.text + " " + b.text,
        bbox=(min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)),
        spans=() if one_style else [*a.runs(), *b.runs()],
        font=a.font if one_style else None,
        links=links or (),
        hyphen_end=b.hyphen_end,
    )


@rule("rejoin-split-line", stage="blocks")
def rejoin_split_line(
    row: list[Line],
    gutters: list[Gutter],
    s: BlockSettings,
    equal_gaps: bool,
    right: float | None = None,
) -> list[Line]:
    """Pieces of one line that the reader cut at wide word gaps (it starts a new line after a
    gap of 2.5 ems, which keeps two columns on one baseline apart) are joined again: a
    justified line whose words the setter spread ("Lakeside            Water            Board",
    the address lines of a justified letter; a title "Milan   Design   Week   Michael" that
    came out as three headings). ``row``: consecutive pieces of one baseline, left to right.
    Never across a column gutter (``column-gutter``), between two styles or two tagged
    elements. ``equal_gaps``: before the table rules look at the rows, only three pieces or
    more whose gaps are equal (a justified line stretches every space alike); after them, in
    the rows they did not take, whatever the gaps. Either way the last piece ends at
    ``right``, the column's right edge for the first piece's left edge (``column-right``), as
    other lines show it: a justified line spans its column exactly; a link's pop-up card beside
    a sentence, a row of two cells, a table's row of evenly spaced figures narrower than the
    text, two figures or more (a table's row) do not."""
    if len(row) < 2:
        return row
    pieces = [ln for ln in row if ln.bbox]
    if len(pieces) != len(row):
        return row
    if sum(1 for ln in pieces if _FIGURES.match(ln.text.strip())) > 1:
        return row  # a table's row of figures
    gaps = [b.bbox[0] - a.bbox[2] for a, b in zip(pieces, pieces[1:], strict=False)]
    if equal_gaps and (len(pieces) < 3 or max(gaps) - min(gaps) > s.rejoin_equal_gap_pt):
        return row
    if (
        right is None
        or right <= pieces[0].bbox[2] + s.rejoin_edge_pt  # no other line shows the column
        or abs(pieces[-1].bbox[2] - right) > s.rejoin_edge_pt  # a justified line ends there
    ):
        return row
    out = [pieces[0]]
    for b in pieces[1:]:
        a = out[-1]
        y0, y1 = min(a.bbox[1], b.bbox[1]), max(a.bbox[3], b.bbox[3])
        if (
            b.bbox[0] > a.bbox[2] - 1
            and _same_style(a, b)
            and not (a.tag and b.tag and a.tag.block != b.tag.block)
            and not any(g.between(a.bbox[2], b.bbox[0], y0, y1) for g in gutters)
        ):
            out[-1] = _join_pieces(a, b)
        else:
            out.append(b)
    return out


def baseline_rows(lines: list[Line], s: BlockSettings) -> list[list[Line]]:
    """Consecutive lines (reader order) side by side on one baseline, left to right: the pieces
    ``rejoin-split-line`` looks at (the same grouping as the table rules' rows)."""
    rows: list[list[Line]] = []
    for ln in lines:
        last = rows[-1][-1] if rows else None
        if last is not None and ln.bbox and last.bbox and ln.page == last.page:
            tol = s.row_tolerance_em * max(ln.size or 0, last.size or 0, s.row_tolerance_min_pt)
            mid, last_mid = (ln.bbox[1] + ln.bbox[3]) / 2, (last.bbox[1] + last.bbox[3]) / 2
            if abs(mid - last_mid) < tol and ln.bbox[0] >= last.bbox[2] - 1:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return rows
