"""table-caption-above (structure/floats.py): an unlabelled one-line caption right above a table."""

from __future__ import annotations

from reflow.model import Block, BlockType
from reflow.settings import DEFAULT
from reflow.structure.floats import table_caption_above

S = DEFAULT.figures


def _b(text, top, bottom, kind=BlockType.PARAGRAPH, lines=1):
    b = Block(kind, text, page=1, bbox=(72, top, 300, bottom), pages=[1])
    b.lines = [None] * lines  # only counted
    return b


def test_table_caption_above_an_unlabelled_line_right_over_the_table():
    cap = _b("Survey responses by region", 149, 161)
    table = _b("Region | Support\nNorth | 38%", 163, 230, BlockType.TABLE)
    assert table_caption_above([cap, table], 0, S) and cap.type == BlockType.CAPTION
    # a sentence, a line announcing the table, a line far above it: text
    for text, top in (
        ("The survey ran in May.", 149),
        ("The results were these:", 149),
        ("Survey responses by region", 100),
    ):
        b = _b(text, top, top + 12)
        assert not table_caption_above([b, table], 0, S) and b.type == BlockType.PARAGRAPH
