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


def test_table_caption_split_a_caption_the_paragraph_above_ran_into():
    """LibreOffice sets an unlabelled caption in the body's type with no space before it."""
    from reflow.layout.join import make_block
    from reflow.model import Line
    from reflow.structure.floats import table_caption_split

    lines = [
        Line(
            "Republicans also questioned Morrison about the call, in which he",
            2,
            (72, 232, 539, 241),
            size=10,
        ),
        Line(
            "raised questions. After Hill left the NSC, it was Morrison.",
            2,
            (72, 246, 539, 255),
            size=10,
        ),
        Line("Annual budget and change on the previous year", 2, (72, 273, 280, 282), size=10),
    ]
    para = make_block(lines)
    table = Block(BlockType.TABLE, "Year | Budget\n2019 | 367.9", page=2, bbox=(134, 285, 538, 353))
    rest, cap = table_caption_split(para, table, S)
    assert rest.text.endswith("it was Morrison.") and len(rest.lines) == 2
    assert cap.text == "Annual budget and change on the previous year"
    assert cap.type == BlockType.CAPTION
    # a paragraph whose last line goes on its sentence keeps it
    lines[1].text = "raised questions. After Hill left the NSC, it was"
    assert table_caption_split(make_block(lines), table, S) is None
