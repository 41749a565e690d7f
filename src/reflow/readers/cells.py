"""Where a line's words stand apart: the gaps a table's columns leave inside one line.

The reader keeps a line whole up to a gap of 2.5 ems (``line-split``), so the cells of a table
set close ("3   48,069") arrive as one line. ``cell-gaps`` records, on the pages that may hold a
table (``table-page``: rows already parted in pieces), each gap between two words wider than
``cell_gap_min_em`` of the type size; the layout decides from the rows around them whether the
line is a table's row (``layout/grid.py``). Pages of running text in one column are not looked
at, so this costs nothing there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reflow.model import Line
from reflow.rules import rule
from reflow.settings import BlockSettings

_DEFAULT = BlockSettings()


@rule("table-page", stage="reader")
def table_page(lines: list[Line], s: BlockSettings = _DEFAULT) -> bool:
    """A page may hold a table when ``table_page_min_rows`` or more of its rows hold two lines
    or more side by side on one baseline (the reader parts a row at gaps wider than 2.5 ems);
    only there are the lines' gaps looked for."""
    mids = sorted(
        ((ln.bbox[1] + ln.bbox[3]) / 2, ln.bbox[0], ln.bbox[2], ln.size or 10.0)
        for ln in lines
        if ln.bbox is not None
    )
    rows = 0
    k = 0
    while k < len(mids):
        j = k + 1
        while j < len(mids) and mids[j][0] - mids[k][0] < 0.3 * mids[k][3]:
            j += 1
        if j - k >= 2:
            rows += 1
            if rows >= s.table_page_min_rows:
                return True
        k = j
    return False


@rule("cell-gaps", stage="reader")
def cell_gaps(line: Line, words: Sequence, offsets: Callable, s: BlockSettings = _DEFAULT) -> tuple:
    """The wide gaps between the words of ``line`` (``Line.gaps``) wider than
    ``cell_gap_min_em``, on a page that may hold a table (``table-page``); ``words``
    are the reader's word records (x0 at 2, x1 at 4, size at 7), ``offsets()`` their offsets in
    the line's text (None when they cannot be told)."""
    if len(words) < 2 or not line.text or not line.bbox:
        return ()
    size = line.size or 10.0
    found = []
    for k in range(1, len(words)):
        a, b = words[k - 1], words[k]
        if b[2] - a[4] > s.cell_gap_min_em * size:
            found.append((k, a[4], b[2]))
    if not found:
        return ()
    offs = offsets()
    if offs is None:
        return ()
    out = []
    for k, x1, x0 in found:
        o = offs[k]
        if o is not None:
            out.append((o[0], round(x1, 2), round(x0, 2)))
    return tuple(out)
