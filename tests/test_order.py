"""Reading order of a page's blocks (``layout/order.py``): columns left to right, each top to
bottom; full-width blocks where they sit. Column gutters from the page's lines are
``test_columns.py``."""

from reflow.layout.order import reading_order
from reflow.model import Block


def _block(x0, top, x1, bottom, text):
    return Block(type="paragraph", text=text, page=1, bbox=(x0, top, x1, bottom))


def test_reading_order_two_columns_are_read_column_by_column_under_a_full_width_title():
    title = _block(50, 40, 550, 80, "title")
    left = [_block(50, 100 + i * 60, 290, 150 + i * 60, f"L{i}") for i in range(4)]
    # The right column's paragraph gaps fall at other heights, and one band holds a picture.
    right = [_block(310, 130 + i * 70, 550, 190 + i * 70, f"R{i}") for i in range(3)]
    shuffled = [right[1], left[2], title, right[0], left[0], right[2], left[3], left[1]]
    order = [b.text for b in reading_order(shuffled)]
    assert order == ["title", "L0", "L1", "L2", "L3", "R0", "R1", "R2"]


def test_reading_order_a_full_width_block_between_two_column_sections_stays_between():
    """A wide figure across both columns ends the columns above it: the columns below it are
    read after it, not merged with the ones above."""
    top = [_block(50, 100, 290, 200, "A-left"), _block(310, 100, 550, 200, "A-right")]
    wide = _block(50, 220, 550, 300, "figure")
    below = [_block(50, 320, 290, 420, "B-left"), _block(310, 320, 550, 420, "B-right")]
    order = [b.text for b in reading_order([below[1], wide, top[1], below[0], top[0]])]
    assert order == ["A-left", "A-right", "figure", "B-left", "B-right"]


def test_reading_order_one_column_is_top_to_bottom_and_blocks_without_boxes_keep_theirs():
    col = [_block(50, 100 + 50 * i, 550, 140 + 50 * i, f"P{i}") for i in range(4)]
    assert [b.text for b in reading_order(col[::-1])] == ["P0", "P1", "P2", "P3"]
    loose = [Block(type="paragraph", text="x", page=1), col[1], col[0]]
    assert reading_order(loose) == loose  # no geometry for all: the stream's order stands


def test_band_fits_columns_keeps_the_left_column_whole_past_a_protruding_quote():
    # a pdfTeX page: a spanning table on top; the right column ends early (the references);
    # the left column has a figure beside them, and a paragraph whose closing quote reaches
    # 3 pt into the gutter (7 pt from the right column): the rest of the left column comes
    # after its top, not after the right column
    blocks = [
        _block(205, 55, 406, 150, "table"),
        _block(51, 175, 118, 183, "L1 heading"),
        _block(51, 198, 301, 279, "L2 paragraph"),
        _block(51, 378, 302, 399, "L3 caption"),
        _block(51, 419, 304, 464, "L4 quote"),
        _block(51, 467, 301, 596, "L5 paragraph"),
        _block(311, 175, 381, 183, "R1 references"),
        _block(311, 197, 561, 230, "R2 entry"),
        _block(311, 241, 562, 382, "R3 entries"),
    ]
    order = [b.text.split()[0] for b in reading_order(blocks)]
    assert order == ["table", "L1", "L2", "L3", "L4", "L5", "R1", "R2", "R3"]
    # a block across both columns still ends the region
    wide = [*blocks[:4], _block(51, 419, 562, 464, "W wide"), *blocks[6:]]
    order = [b.text.split()[0] for b in reading_order(wide)]
    assert order.index("W") > order.index("R3")
