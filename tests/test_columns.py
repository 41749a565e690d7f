"""Columns from the page's geometry: gutters, and reading order across them."""

import random

from reflow.layout.blocks import build_blocks
from reflow.layout.columns import page_gutters, rejoin_split_line
from reflow.model import Document, Line, Page
from reflow.settings import BlockSettings

WORDS = (
    "the council said on tuesday that its plan for the new bridge would go ahead after a long "
    "review of the costs and of what the residents had asked for in the spring"
).split()


def _line(text, x0, top, x1, size=10.0, page=1):
    return Line(text=text, page=page, bbox=(x0, top, x1, top + size), size=size)


def _text(rng, n=9):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _column(rng, x0, x1, top, paras, label, pitch=12.0):
    """Justified lines of a few paragraphs (first line indented, last line short)."""
    lines, y = [], top
    for p in range(paras):
        for i in range(5):
            start = x0 + (15 if i == 0 else 0)
            end = x1 if i < 4 else x0 + 80
            text = f"{label}{p}" + (" " + _text(rng) if i < 4 else " end.")
            lines.append(_line(text, start, y, end))
            y += pitch
        y += 4
    return lines


def test_column_gutter_narrow_two_columns_are_read_column_by_column():
    # pdfTeX's two columns, 6 pt apart once protrusion is counted: less than any fixed gap
    # between blocks that would not also cut a page at a chance gap
    rng = random.Random(1)
    left = _column(rng, 54, 301, 100, 4, "L")
    right = _column(rng, 307, 554, 100, 4, "R", pitch=12.5)
    gutters = page_gutters(left + right)
    assert len(gutters) == 1 and 301 <= gutters[0].x0 < gutters[0].x1 <= 307
    doc = Document(source="t", kind="pdf")
    page = Page(number=1, width=612, height=792)
    # stream order interleaves nothing, but the blocks' order is the cut's to decide
    page.lines = [_line("A Title Across Both Columns", 150, 60, 460, 17.0), *left, *right]
    doc.pages.append(page)
    build_blocks(doc)
    labels = [b.text.split()[0] for b in doc.blocks]
    assert labels == ["A", "L0", "L1", "L2", "L3", "R0", "R1", "R2", "R3"]


def test_column_gutter_not_from_justified_word_gaps():
    # one column of justified lines that the reader split at wide word gaps: the gaps fall at
    # a different place on every line, so no gutter
    rng = random.Random(2)
    lines = []
    for i in range(40):
        cut = rng.uniform(120, 480)
        lines.append(_line(_text(rng, 5), 54, 100 + 12 * i, cut))
        lines.append(_line(_text(rng, 5), cut + 30, 100 + 12 * i, 558))
    assert page_gutters(lines) == []


def test_column_gutter_not_for_a_column_of_list_numbers():
    # "3." "4." set apart beside each item's first line: labels, not a column of text
    rng = random.Random(3)
    lines = []
    for i in range(8):
        lines.append(_line(f"{i + 1}.", 51, 100 + 40 * i, 62))
        for k in range(3):
            lines.append(_line(_text(rng), 70, 100 + 40 * i + 12 * k, 540))
    assert page_gutters(lines) == []


def test_column_gutter_three_columns():
    rng = random.Random(4)
    cols = [(40, 200), (206, 366), (372, 532)]
    lines = [ln for k, (a, b) in enumerate(cols) for ln in _column(rng, a, b, 80, 5, f"C{k}")]
    gutters = sorted(page_gutters(lines), key=lambda g: g.x0)
    assert [(round(g.x0), round(g.x1)) for g in gutters] == [(200, 206), (366, 372)]


def _letter(rows):
    """A justified letter (LibreOffice): the lines before each forced break are spread over
    the column, which the reader cuts into pieces; body lines show the column's edges."""
    lines, y = [], 80.0
    for row in rows:
        for text, x0, x1 in row:
            lines.append(_line(text, x0, y, x1, 12.0))
        y += 16.5
    rng = random.Random(5)
    for _ in range(6):
        lines.append(_line(_text(rng, 12), 72, y, 540, 12.0))
        y += 16.5
    doc = Document(source="t", kind="pdf")
    page = Page(number=1, width=612, height=792)
    page.lines = lines
    doc.pages.append(page)
    build_blocks(doc)
    return [ln.text for b in doc.blocks for ln in b.lines if len(ln.text.split()) < 12]


def test_rejoin_split_line_justified_pieces_are_one_line():
    rows = [
        [("Lakeside", 72, 117), ("Water", 286, 319), ("Board", 488, 540)],  # gaps 169, 169
        [("Hannah", 72, 112), ("Whitfield", 491, 540)],  # two pieces, out to the edge
    ]
    assert _letter(rows) == ["Lakeside Water Board", "Hannah Whitfield"]


def test_rejoin_split_line_keeps_cells_and_columns_apart():
    # two cells that do not end at the column's edge, three with unequal gaps
    rows = [
        [("Left cell words", 72, 162), ("Right cell words", 348, 447)],
        [("Total", 72, 100), ("12", 300, 312), ("Q3", 520, 534)],
    ]
    assert sorted(_letter(rows)) == ["12", "Left cell words", "Q3", "Right cell words", "Total"]
    # pieces on a baseline across a column gutter stay two lines
    rng = random.Random(6)
    left = _column(rng, 54, 301, 100, 3, "L")
    right = _column(rng, 307, 554, 100, 3, "R")
    gutters = page_gutters(left + right)
    a, b = _line("Lakeside", 200, 400, 250), _line("Water", 320, 400, 360)
    assert len(rejoin_split_line([a, b], gutters, BlockSettings(), False, 554)) == 2


def test_grid_row_authors_then_the_date_under_them():
    # a paper's title block: three authors side by side, then the date centred under the row
    from reflow.layout.order import reading_order
    from reflow.model import Block

    def blk(t, x0, y0, x1, y1):
        return Block(type="paragraph", text=t, page=1, bbox=(x0, y0, x1, y1))

    blocks = [
        blk("Title", 72, 97, 523, 115),  # spans the row: the page is read in bands
        blk("Lindqvist", 65, 137, 223, 176),
        blk("Duarte", 248, 137, 361, 176),
        blk("Tanaka", 386, 137, 531, 176),
        blk("16 December 2024", 250, 188, 345, 200),
    ]
    assert [b.text for b in reading_order(blocks)] == [
        "Title",
        "Lindqvist",
        "Duarte",
        "Tanaka",
        "16 December 2024",
    ]
    # columns of text whose blocks do not end level go on below (a picture beside one)
    cols = [
        blk("L0", 50, 100, 290, 300),
        blk("R0", 310, 100, 550, 240),
        blk("L1", 50, 310, 290, 400),
    ]
    assert [b.text for b in reading_order(cols)] == ["L0", "L1", "R0"]


def test_grid_row_two_author_boxes_above_two_columns_that_reach_into_their_gutter():
    """Two authors side by side over a two-column paper: the left box, centred apart from the
    body's columns, reaches into their gutter, so the row is read whole before the columns
    (the right box was read as the top of the right column). Two paragraphs level at the top
    of the columns themselves stay in their columns."""
    from reflow.layout.columns import Gutter
    from reflow.layout.order import reading_order
    from reflow.model import Block

    def blk(t, x0, y0, x1, y1):
        return Block(type="paragraph", text=t, page=1, bbox=(x0, y0, x1, y1))

    gutters = [Gutter(301.0, 311.0, 180.0, 700.0, 30)]
    blocks = [
        blk("Title", 87, 80, 524, 96),
        blk("Romero", 115, 113, 308, 151),
        blk("Dahl", 341, 113, 497, 151),
        blk("Abstract", 144, 181, 208, 190),
        blk("Right column top", 311, 181, 560, 300),
        blk("Left column text", 50, 203, 301, 600),
    ]
    got = [b.text for b in reading_order(blocks, gutters=gutters)]
    assert got[:3] == ["Title", "Romero", "Dahl"]
    assert got[3:] == ["Abstract", "Left column text", "Right column top"]
    level = [
        blk("L0", 50, 100, 301, 160),
        blk("R0", 311, 100, 560, 160),
        blk("L1", 50, 170, 301, 400),
        blk("R1", 311, 170, 560, 400),
    ]
    assert [b.text for b in reading_order(level, gutters=gutters)] == ["L0", "L1", "R0", "R1"]
