"""Tables: rows of short cells whose columns line up, and tables a tagged PDF names.

- ``simple-table``: two or more consecutive rows of 2+ short cells whose left edges line up.
- ``tagged-table``: a structure tree's data table (not a layout table holding whole articles).
"""

from __future__ import annotations

from statistics import median

from reflow.layout.code import CodeLines
from reflow.layout.join import join_lines, make_block
from reflow.model import Block, BlockType, Line
from reflow.rules import rule
from reflow.settings import BlockSettings


class TaggedTable(list):
    """Lines of one data table, found from the structure tree."""


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


def _aligned(a: list[Line], b: list[Line], tol: float) -> bool:
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return False
    xa = [ln.bbox[0] for ln in a]
    xb = [ln.bbox[0] for ln in b]
    short, long_ = (xa, xb) if len(xa) <= len(xb) else (xb, xa)
    hits = sum(1 for x in short if any(abs(x - y) <= tol for y in long_))
    return hits >= len(short) - (1 if len(short) > 2 else 0)


def table_runs(lines: list, s: BlockSettings) -> list[tuple[str, list[list[Line]]]]:
    """Splits a page's lines into ("table", rows), ("tagged-table", [lines]), ("code", [lines])
    and ("lines", [[line], ...]) runs, in order."""
    out: list[tuple[str, list[list[Line]]]] = []
    plain: list[Line] = []
    for item in lines:
        if isinstance(item, TaggedTable | CodeLines):
            out.extend(_table_runs(plain, s))
            plain = []
            kind = "code" if isinstance(item, CodeLines) else "tagged-table"
            out.append((kind, [list(item)]))
        else:
            plain.append(item)
    out.extend(_table_runs(plain, s))
    return out


@rule("simple-table", stage="blocks")
def is_simple_table(rows: list[list[Line]], s: BlockSettings) -> bool:
    """Two or more consecutive rows of 2+ short cells whose left edges line up are a table
    (a scoreboard, a price list). Prose in two columns is not a table: its cells would be long
    lines, and readers give columns one by one."""
    cells = [c for r in rows for c in r]
    return len(rows) >= 2 and median(len(c.text) for c in cells) <= s.table_cell_max_chars


def _table_runs(lines: list[Line], s: BlockSettings) -> list[tuple[str, list[list[Line]]]]:
    rows = _rows(lines, s)
    out: list[tuple[str, list[list[Line]]]] = []
    i = 0
    while i < len(rows):
        j = i
        if len(rows[i]) >= 2:
            j = i + 1
            while j < len(rows) and _aligned(rows[j - 1], rows[j], s.table_align_pt):
                j += 1
        if j - i >= 2 and is_simple_table(rows[i:j], s):
            out.append(("table", rows[i:j]))
            i = j
            continue
        out.append(("lines", [[ln] for ln in rows[i]]))
        i += 1
    return out


def make_table(rows: list[list[Line]], hyphens_marked: bool = False) -> Block:
    flat = [ln for r in rows for ln in r]
    b = make_block(flat, BlockType.TABLE, hyphens_marked)
    # Columns from the row with most cells; each cell goes to the nearest column start.
    ref = max(rows, key=len)
    cols = [ln.bbox[0] for ln in ref]
    table = []
    for r in rows:
        cells = [""] * len(cols)
        for ln in r:
            k = min(range(len(cols)), key=lambda c: abs(cols[c] - ln.bbox[0]))
            cells[k] = (cells[k] + " " + ln.text.strip()).strip()
        table.append(cells)
    b.rows = table
    b.text = "\n".join(" | ".join(r) for r in table)
    b.links = []
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
        table.append([join_lines(c, hyphens_marked)[0] for c in ordered])
    b = make_block(lines, BlockType.TABLE, hyphens_marked)
    b.rows = table
    b.text = "\n".join(" | ".join(r) for r in table)
    b.links = []
    return b
