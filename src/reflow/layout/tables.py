"""Tables: rows of short cells whose columns line up, and tables a tagged PDF names.

- ``simple-table``: a grid of rows whose short cells fall into the same columns
  (``layout/grid.py``: ``table-cells``, ``table-grid``).
- ``tagged-table``: a structure tree's data table (not a layout table holding whole articles).
"""

from __future__ import annotations

from reflow.layout.code import CodeLines
from reflow.layout.grid import _merge, band_of, grid_run, ruled, split_cells
from reflow.layout.join import join_lines, make_block
from reflow.lexicon import LIST_MARKER
from reflow.model import Block, BlockType, InlineLink, Line
from reflow.numbers import median
from reflow.rules import rule
from reflow.settings import BlockSettings


class TaggedTable(list):
    """Lines of one data table, found from the structure tree."""


class RuledTable(list):
    """The rows of a table the page's rules frame (layout/ruled.py): each row its cells, each
    cell its lines."""


def _rows(lines: list[Line], s: BlockSettings) -> list[list[Line]]:
    """Consecutive lines (reader order) that sit side by side on one baseline form a row."""
    rows: list[list[Line]] = []
    for ln in lines:
        if not ln.bbox:
            rows.append([ln])
            continue
        if rows and rows[-1][-1].bbox and ln.page == rows[-1][-1].page:
            last = rows[-1][-1]
            tol = s.row_tolerance_em * max(ln.size or 0, last.size or 0, s.row_tolerance_min_pt)
            same_y = abs((ln.bbox[1] + ln.bbox[3]) / 2 - (last.bbox[1] + last.bbox[3]) / 2) < tol
            if same_y and ln.bbox[0] >= last.bbox[2] - 1:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return rows


def table_runs(lines: list, s: BlockSettings, rulings=()) -> list[tuple[str, list[list[Line]]]]:
    """Splits a page's lines into ("table", rows), ("tagged-table", [lines]), ("code", [lines])
    and ("lines", [[line], ...]) runs, in order."""
    out: list[tuple[str, list[list[Line]]]] = []
    plain: list[Line] = []
    for item in lines:
        if isinstance(item, RuledTable):
            out.extend(_table_runs(plain, s, rulings))
            plain = []
            out.append(("ruled-table", [item]))
        elif isinstance(item, TaggedTable | CodeLines):
            out.extend(_table_runs(plain, s, rulings))
            plain = []
            kind = "code" if isinstance(item, CodeLines) else "tagged-table"
            out.append((kind, [list(item)]))
        else:
            plain.append(item)
    out.extend(_table_runs(plain, s, rulings))
    return out


@rule("simple-table", stage="blocks")
def is_simple_table(
    rows: list[list[Line]], bands: list[list[float]], s: BlockSettings, rulings=()
) -> bool:
    """A grid (``table-grid``) is a table when it has ``table_min_rows`` rows or more (two
    under the page's rules, ``ruled-table``), at least
    two of them with two cells or more, and short cells (a scoreboard, a price list). Prose in
    two columns is not a table: its cells would be long lines, each as wide as its column
    (``table_prose_fill`` of the band, in most rows); nor is a list whose markers stand apart
    from their text (a column of bullets, checkboxes or "1.", "2."); every column holds two
    cells or more (a header cell set apart from its column's cells makes a column of one)."""
    cells = [c for r in rows for c in r]
    least = s.table_min_rows if not rulings or not ruled(rows, bands, rulings, s) else 2
    if len(rows) < least or len(bands) < 2:
        return False
    if sum(1 for r in rows if len(r) >= 2) < 2:
        return False
    if median(len(c.text) for c in cells) > s.table_cell_max_chars:
        return False
    for k in range(len(bands)):  # a column of bullets, boxes or "1." is a list's markers
        texts = [c.text for c in cells if band_of(c, bands) == k]
        if texts and all(_marker_only(t) for t in texts):
            return False
        if len(texts) < 2:  # a column of one cell: its header and its cells do not line up
            return False
    full = 0
    for c in cells:
        a, b = bands[band_of(c, bands)]
        wide = c.bbox[2] - c.bbox[0] >= s.table_prose_fill * (b - a)
        if wide and len(c.text) >= s.table_prose_min_chars:
            full += 1
    return full < s.table_prose_fill * len(cells)


def _marker_only(t: str) -> bool:
    """A list's marker alone ("•", "1.", "a)"), or signs without a letter or digit (a
    checkbox)."""
    if not any(ch.isalnum() for ch in t):
        return True
    return " " not in t and bool(LIST_MARKER.match(t + " x"))


def _table_runs(lines: list[Line], s: BlockSettings, rulings=()) -> list[tuple[str, list]]:
    rows = _rows(lines, s)
    cells = [[c for ln in r for c in split_cells(ln, s)] for r in rows]
    out: list[tuple[str, list[list[Line]]]] = []
    i = 0
    while i < len(rows):
        j, bands = grid_run(cells, i, s)
        if j - i >= 2 and is_simple_table(cells[i:j], bands, s, rulings):
            out.append(("table", cells[i:j]))
            i = j
            continue
        out.append(("lines", [[ln] for ln in rows[i]]))
        i += 1
    return out


def table_text(cells: list[list[tuple[str, list[InlineLink]]]]) -> tuple[str, list]:
    """A table block's text (cells joined by " | ", rows by new lines) and its cells' links as
    offsets into it (``render/markdown.py`` puts each back into its cell)."""
    parts: list[str] = []
    links: list[InlineLink] = []
    pos = 0
    for r, row in enumerate(cells):
        for k, (text, lks) in enumerate(row):
            sep = "\n" if r and not k else " | " if k else ""
            parts.append(sep)
            pos += len(sep)
            links += [InlineLink(lk.start + pos, lk.end + pos, lk.url) for lk in lks]
            parts.append(text)
            pos += len(text)
    return "".join(parts), links


def make_table(rows: list[list[Line]], hyphens_marked: bool = False) -> Block:
    flat = [ln for r in rows for ln in r]
    b = make_block(flat, BlockType.TABLE, hyphens_marked)
    bands = _merge([(c.bbox[0], c.bbox[2]) for c in flat])
    table = []
    for r in rows:
        cells: list[list[Line]] = [[] for _ in bands]
        for ln in r:
            cells[band_of(ln, bands)].append(ln)
        table.append([join_lines(c, hyphens_marked) for c in cells])
    b.rows = [[t for t, _ in r] for r in table]
    b.text, b.links = table_text(table)
    return b


@rule("tagged-table", stage="blocks")
def is_data_table(lines: list[Line], s: BlockSettings) -> bool:
    """A tagged table is data, not page layout, when it has 2+ rows, a row with 2+ cells and
    short cells (layout tables hold whole articles in a cell)."""
    rows: dict[int, set[int]] = {}
    per_cell: dict[int, int] = {}
    for ln in lines:
        rows.setdefault(ln.tag.row, set()).add(ln.tag.block)
        per_cell[ln.tag.block] = per_cell.get(ln.tag.block, 0) + 1
    return (
        len(rows) >= 2
        and max(len(c) for c in rows.values()) >= 2
        and max(per_cell.values()) <= s.tagged_cell_max_lines
    )


def tagged_tables(lines: list[Line], s: BlockSettings) -> list:
    """Replace each run of lines in one tagged data table by a TaggedTable of them."""
    out: list = []
    i = 0
    while i < len(lines):
        t = lines[i].tag
        if t and t.role == "cell":
            j = i
            while (
                j < len(lines)
                and lines[j].tag
                and lines[j].tag.role == "cell"
                and (lines[j].tag.group == t.group)
            ):
                j += 1
            run = lines[i:j]
            if is_data_table(run, s):
                out.append(TaggedTable(run))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def make_tagged_table(lines: list[Line], hyphens_marked: bool = False) -> Block:
    rows: dict[int, dict[int, list[Line]]] = {}
    for ln in lines:
        rows.setdefault(ln.tag.row, {}).setdefault(ln.tag.block, []).append(ln)
    table = []
    for cells in rows.values():
        ordered = sorted(cells.values(), key=lambda c: c[0].bbox[0] if c[0].bbox else 0)
        table.append([join_lines(c, hyphens_marked) for c in ordered])
    b = make_block(lines, BlockType.TABLE, hyphens_marked)
    b.rows = [[t for t, _ in r] for r in table]
    b.text, b.links = table_text(table)
    return b
