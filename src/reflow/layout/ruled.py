"""Tables framed by ruling lines: the rows and columns a page's drawn rules cut.

A LaTeX ``tabular`` with ``\\hline`` and ``|`` (or booktabs' top, middle and bottom rules), a
word processor's bordered table: the page draws the rules as path objects (readers/cells.py
``page_rulings``: the horizontal ones, ``Page.rulings``; the others' boxes, ``Page.graphics``,
among them the vertical rules). Where the alignment alone (grid.py) would cut a wrapped cell
("Coastal town with two / reservoirs") into rows of its own, the rules say where each row and
column ends.

- ``ruled-frame``: three or more horizontal rules of one extent, stacked, holding two rows of
  text or more (two rules are enough with vertical rules between them).
- ``ruled-rows``: between two rules is one row (``\\hline`` after every row); where rules part
  only the header from the body (booktabs), a line with text in one column only continues the
  row above (a wrapped cell).
- ``ruled-columns``: the vertical rules inside the frame part the columns; without them the
  columns are the bands the cells cover, with an empty gutter between them across all rows.
"""

from __future__ import annotations

from reflow.layout.grid import _merge, split_cells
from reflow.layout.join import join_lines, make_block
from reflow.layout.tables import RuledTable, table_text
from reflow.model import Block, BlockType, Line, Page
from reflow.numbers import median
from reflow.rules import rule
from reflow.settings import BlockSettings
from reflow.settings_graphics import GraphicsSettings


def _mid(ln: Line) -> float:
    return (ln.bbox[1] + ln.bbox[3]) / 2


@rule("ruled-frame", stage="blocks")
def ruled_frames(page: Page, g: GraphicsSettings) -> list[tuple[float, float, list[float]]]:
    """Stacks of horizontal rules (``Page.rulings``) that start and end within
    ``ruled_extent_pt`` of each other, at most ``ruled_max_gap_pt`` apart: (x0, x1, the rules' heights) of each stack of ``ruled_min_rules`` rules or more,
    or of two with vertical rules between them (``vertical_rules``)."""
    rules = sorted(page.rulings, key=lambda r: r[1])
    stacks: list[list[tuple[float, float, float]]] = []
    for r in rules:
        for st in stacks:
            a, y, b = st[-1]
            if (
                abs(a - r[0]) <= g.ruled_extent_pt
                and abs(b - r[2]) <= g.ruled_extent_pt
                and r[1] - y <= g.ruled_max_gap_pt
            ):
                if r[1] - y > g.ruled_same_pt:  # a double rule is one
                    st.append(r)
                break
        else:
            stacks.append([r])
    out = []
    for st in stacks:
        x0, x1 = min(r[0] for r in st), max(r[2] for r in st)
        ys = [r[1] for r in st]
        if len(st) >= g.ruled_min_rules or (
            len(st) >= 2 and vertical_rules(page, x0, x1, ys[0], ys[-1], g)
        ):
            out.append((x0, x1, ys))
    return out


def vertical_rules(page: Page, x0: float, x1: float, top: float, bottom: float, g) -> list[float]:
    """The x of the vertical rules drawn inside a frame, away from its two edges (each
    ``\\hline`` row draws its own segment of a ``|``: they are one rule by their x)."""
    xs = sorted(
        (a + b) / 2
        for a, t, b, bt in page.graphics
        if b - a <= g.ruled_rule_max_pt
        and bt - t >= g.ruled_vertical_min_pt
        and x0 + g.ruled_extent_pt < (a + b) / 2 < x1 - g.ruled_extent_pt
        and t >= top - g.ruled_extent_pt
        and bt <= bottom + g.ruled_extent_pt
    )
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > g.ruled_extent_pt:
            out.append(x)
    return out


@rule("ruled-columns", stage="blocks")
def ruled_columns(pieces: list[Line], cuts: list[float], g: GraphicsSettings) -> list[float]:
    """The column bounds of a frame: the vertical rules' x when it has them, else the middle
    of each empty gutter between the bands its cells cover (``cuts`` between columns)."""
    if cuts:
        return cuts
    bands = _merge([(p.bbox[0], p.bbox[2]) for p in pieces])
    return [(bands[k][1] + bands[k + 1][0]) / 2 for k in range(len(bands) - 1)]


def _column(p: Line, cuts: list[float]) -> int:
    x = (p.bbox[0] + p.bbox[2]) / 2
    return sum(1 for c in cuts if x > c)


@rule("ruled-rows", stage="blocks")
def ruled_rows(bands: list[list[list[Line]]], ncols: int, cuts: list[float]) -> list[list[Line]]:
    """The table's rows from the lines between each two rules (``bands``, each a list of
    baseline rows of cell pieces): a band of one baseline row is a row; in a band of more,
    a baseline row with text in two columns or more starts a row and one with text in a single
    column continues the row above (a cell wrapped onto more lines), unless every baseline
    row of the band fills one column only or the table has one column. A band that the rules
    close after every row (``\\hline`` grids: no band of the frame starts more than one
    row when read so, bar the header) is one row whatever it holds."""
    rows: list[list[Line]] = []
    for band in bands:
        filled = [len({_column(p, cuts) for p in br}) for br in band]
        if ncols < 2 or all(f == 1 for f in filled):
            rows.extend(list(br) for br in band)
            continue
        for br, f in zip(band, filled, strict=True):
            if f >= 2 or not rows or rows[-1] is None:
                rows.append(list(br))
            else:
                rows[-1].extend(br)
        rows.append(None)  # no row goes on across a rule
    return [r for r in rows if r]


def _baseline_rows(lines: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    for ln in sorted(lines, key=_mid):
        if out and abs(_mid(ln) - _mid(out[-1][0])) < 0.5 * (ln.size or 10.0):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def ruled_tables(items: list, page: Page, g: GraphicsSettings, s: BlockSettings) -> list:
    """Replace the lines inside each rule-framed table (``ruled-frame``) by a RuledTable of its
    rows (``ruled-rows``) and columns (``ruled-columns``), at the place of its first line."""
    if not page.rulings:
        return items
    frames = ruled_frames(page, g)
    if not frames:
        return items
    taken: dict[int, RuledTable] = {}
    first: dict[int, RuledTable] = {}
    for x0, x1, ys in frames:
        tol = g.ruled_extent_pt
        inside = [
            it
            for it in items
            if isinstance(it, Line)
            and it.bbox is not None
            and id(it) not in taken
            and ys[0] < _mid(it) < ys[-1]
            and it.bbox[0] >= x0 - tol
            and it.bbox[2] <= x1 + tol
        ]
        if not inside:
            continue
        pieces = [p for ln in inside for p in split_cells(ln, s)]
        cuts = ruled_columns(pieces, vertical_rules(page, x0, x1, ys[0], ys[-1], g), g)
        ncols = len(cuts) + 1
        bands = []
        for a, b in zip(ys, ys[1:], strict=False):
            band = [p for p in pieces if a < _mid(p) < b]
            if band:
                bands.append(_baseline_rows(band))
        rows = ruled_rows(bands, ncols, cuts)
        if not is_ruled_table(rows, ncols, cuts, g):
            continue
        table = RuledTable()
        for r in rows:
            cells: list[list[Line]] = [[] for _ in range(ncols)]
            for p in sorted(r, key=lambda p: (_mid(p), p.bbox[0])):
                cells[_column(p, cuts)].append(p)
            table.append(cells)
        for ln in inside:
            taken[id(ln)] = table
        first[id(inside[0])] = table
    if not taken:
        return items
    out = []
    for it in items:
        if id(it) in first:
            out.append(first[id(it)])
        elif id(it) not in taken:
            out.append(it)
    return out


def is_ruled_table(rows: list[list[Line]], ncols: int, cuts: list[float], g) -> bool:
    """Two rows or more, two columns or more, at least two rows filling two columns, and
    short cells (median at most ``ruled_cell_max_chars`` characters): not a boxed paragraph."""
    if len(rows) < 2 or ncols < 2:
        return False
    if sum(1 for r in rows if len({_column(p, cuts) for p in r}) >= 2) < 2:
        return False
    return median(len(p.text) for r in rows for p in r) <= g.ruled_cell_max_chars


def make_ruled_table(table: RuledTable, hyphens_marked: bool = False) -> Block:
    """The table block of a RuledTable: each cell's lines joined (a wrapped cell's hyphen
    undone), the header row first."""
    flat = [p for r in table for c in r for p in c]
    b = make_block(flat, BlockType.TABLE, hyphens_marked)
    cells = [[join_lines(c, hyphens_marked) for c in r] for r in table]
    b.rows = [[t for t, _ in r] for r in cells]
    b.text, b.links = table_text(cells)
    return b
