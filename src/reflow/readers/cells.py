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
CELL_MAX_WORDS = _DEFAULT.cell_max_words


def pieced_rows(lines: list[Line]) -> int:
    """How many of the page's rows hold two lines or more side by side on one baseline (the
    reader parts a row at gaps wider than 2.5 ems)."""
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
        k = j
    return rows


@rule("table-page", stage="reader")
def table_page(rows: int, rulings: list, s: BlockSettings = _DEFAULT) -> bool:
    """A page may hold a table when ``table_page_min_rows`` or more of its rows are in pieces
    (``pieced_rows``), or one is and the page draws horizontal rules (a booktabs table cut by
    a page break); only there are the lines' gaps looked for."""
    return rows >= s.table_page_min_rows or (rows >= 1 and len(rulings) >= 2)


FPDF_PAGEOBJ_PATH = 2


@rule("page-rulings", stage="reader")
def page_rulings(
    page_h: int, left: float, ptop: float, s: BlockSettings = _DEFAULT, graphics=None
) -> list:
    """The horizontal rules a page draws: path objects at most ``ruling_max_pt`` thick and at
    least ``ruling_min_pt`` long, as (x0, y, x1) in top-left coordinates; the boxes of the
    page's other path objects, (x0, top, x1, bottom), go to ``graphics`` when it is a list. Read only on pages
    with a row in pieces and at most ``ruling_max_objects`` objects (a pdfTeX or LibreOffice
    page of text has fewer than 200), and not in a browser's print (told by its Creator, as
    the reader's soft-hyphen rule tells it): a browser draws each run of glyphs as an object,
    hundreds a page, and its tables come from the structure tree or the alignment alone."""
    import ctypes
    from ctypes import byref, c_float

    import pypdfium2.raw as c

    page = ctypes.cast(ctypes.c_void_p(page_h), c.FPDF_PAGE)
    n = c.FPDFPage_CountObjects(page)
    if n > s.ruling_max_objects:
        return []
    l_, b_, r_, t_ = c_float(), c_float(), c_float(), c_float()
    out = []
    for i in range(n):
        obj = c.FPDFPage_GetObject(page, i)
        if not obj or c.FPDFPageObj_GetType(obj) != FPDF_PAGEOBJ_PATH:
            continue
        if not c.FPDFPageObj_GetBounds(obj, byref(l_), byref(b_), byref(r_), byref(t_)):
            continue
        w, h = r_.value - l_.value, t_.value - b_.value
        if h <= s.ruling_max_pt and w >= s.ruling_min_pt:
            y = ptop - (t_.value + b_.value) / 2
            out.append((round(l_.value - left, 2), round(y, 2), round(r_.value - left, 2)))
        elif graphics is not None:
            x0, top = round(l_.value - left, 2), round(ptop - t_.value, 2)
            graphics.append((x0, top, round(r_.value - left, 2), round(ptop - b_.value, 2)))
    return out


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
