"""Tables from the alignment of their cells: rows whose cells fall into the same columns.

- ``table-cells``: a line's wide gaps (``Line.gaps``, from the reader) wider than
  ``table_cell_gap_em`` part it into cells, but only where the rows around it make a grid (a
  prose line is never cut).
- ``table-grid``: consecutive rows (pieces on one baseline, cut at their wide gaps) whose cells
  fall into the same columns: the columns are the bands the cells cover, with an empty gutter
  between them across every row; each row puts at most one cell in a band, and no cell spans
  a gutter. A line across the columns, a gap between rows much wider than the table's row
  pitch, or a line the structure tree names a list item or a heading ends it.
- ``simple-table`` (tables.py) decides whether the grid is a table.
"""

from __future__ import annotations

from dataclasses import replace

from reflow.model import InlineLink, Line
from reflow.numbers import median
from reflow.rules import rule
from reflow.settings import BlockSettings


@rule("table-cells", stage="blocks")
def split_cells(ln: Line, s: BlockSettings) -> list[Line]:
    """The cells of one line: its pieces between gaps wider than ``table_cell_gap_em``."""
    if not ln.gaps or not ln.bbox:
        return [ln]
    size = ln.size or 10.0
    cuts = [g for g in ln.gaps if g[2] - g[1] >= s.table_cell_gap_em * size]
    if not cuts:
        return [ln]
    out = []
    start, x0 = 0, ln.bbox[0]
    font = ln.font if ln.font is not None else (ln.spans[0].font if ln.spans else None)
    for off, x1, nx0 in [*cuts, (len(ln.text), ln.bbox[2], None)]:
        raw = ln.text[start:off]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            a, b = start + lead, start + lead + len(text)
            links = [
                InlineLink(max(lk.start, a) - a, min(lk.end, b) - a, lk.url)
                for lk in ln.links
                if lk.start < b and lk.end > a
            ]
            out.append(
                replace(
                    ln,
                    text=text,
                    bbox=(x0, ln.bbox[1], x1, ln.bbox[3]),
                    spans=(),
                    font=font,
                    links=links or (),
                    gaps=(),
                    hyphen_end=ln.hyphen_end and b == len(ln.text),
                )
            )
        start, x0 = off, nx0
    return out


def _merge(intervals: list[tuple[float, float]]) -> list[list[float]]:
    bands: list[list[float]] = []
    for a, b in sorted(intervals):
        if bands and a < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], b)
        else:
            bands.append([a, b])
    return bands


def _fits(cells: list[Line], bands: list[list[float]]) -> bool:
    used = set()
    for c in cells:
        hit = [k for k, (a, b) in enumerate(bands) if c.bbox[0] < b and c.bbox[2] > a]
        if len(hit) != 1 or hit[0] in used:
            return False
        used.add(hit[0])
    return True


def _named(c: Line) -> bool:
    """The structure tree names the line a list item or a heading: not a table's."""
    return c.tag is not None and (c.tag.role == "li" or c.tag.role in _HEADINGS)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def band_of(c: Line, bands: list[list[float]]) -> int:
    return max(
        range(len(bands)), key=lambda k: min(c.bbox[2], bands[k][1]) - max(c.bbox[0], bands[k][0])
    )


@rule("table-grid", stage="blocks")
def grid_run(rows: list[list[Line]], i: int, s: BlockSettings) -> tuple[int, list[list[float]]]:
    """The rows from ``rows[i]`` on that form one grid: (end index, column bands). A grid
    starts at a row of two or more cells; the next row joins while every row's cells still fall
    one to a band of the merged bands (``table-grid``) and its gap from the row above is at most
    ``table_row_gap_share`` of the pitch so far plus ``table_row_gap_em``. Lines of one cell
    at its end are left out (a heading or a note right under the table)."""
    first = rows[i]
    if len(first) < 2 or any(c.bbox is None or _named(c) for c in first):
        return i, []
    bands = _merge([(c.bbox[0], c.bbox[2]) for c in first])
    if len(bands) < 2 or not _fits(first, bands):
        return i, []
    pitches: list[float] = []
    j = i + 1
    while j < len(rows):
        row = rows[j]
        prev = rows[j - 1]
        if any(c.bbox is None or _named(c) for c in row) or row[0].page != first[0].page:
            break
        top = min(c.bbox[1] for c in row)
        prev_top = min(c.bbox[1] for c in prev)
        pitch = top - prev_top
        size = max(c.size or 10.0 for c in row)
        usual = median(pitches) if pitches else 2.0 * size
        if pitch <= 0 or pitch > s.table_row_gap_share * usual + s.table_row_gap_em * size:
            break
        merged = _merge([(a, b) for a, b in bands] + [(c.bbox[0], c.bbox[2]) for c in row])
        if len(merged) < 2 or not all(_fits(r, merged) for r in rows[i : j + 1]):
            break
        bands = merged
        pitches.append(pitch)
        j += 1
    while j - i > 2 and len(rows[j - 1]) == 1:
        j -= 1  # a line of one cell under the table: a heading or a note, not a row
    if j < i + 2 or j - i < len(pitches) + 1:
        bands = _merge([(c.bbox[0], c.bbox[2]) for r in rows[i:j] for c in r])
    return j, bands


@rule("ruled-table", stage="blocks")
def ruled(rows: list[list[Line]], bands: list[list[float]], rulings, s: BlockSettings) -> bool:
    """Two or more horizontal rules the page draws across the grid's columns (each at least
    ``table_rule_cover`` of their width, not more than twice as wide), from just above its
    first row to just under its last: a ruled table (booktabs' top and middle rules), so two
    rows are enough (a table a page break cut after its first row)."""
    if not rulings or not bands:
        return False
    x0, x1 = bands[0][0], bands[-1][1]
    size = max((c.size or 10.0) for r in rows for c in r)
    top = min(c.bbox[1] for c in rows[0]) - s.table_rule_reach_em * size
    bottom = max(c.bbox[3] for c in rows[-1]) + s.table_rule_reach_em * size
    width = x1 - x0
    hits = 0
    for a, y, b in rulings:
        cover = min(b, x1) - max(a, x0)
        if top <= y <= bottom and cover >= s.table_rule_cover * width and b - a <= 2 * width:
            hits += 1
    return hits >= 2
