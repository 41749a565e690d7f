"""Tables framed by ruling lines (``layout/ruled.py``): rows and columns from the rules a page
draws, a wrapped cell kept in its row; a boxed paragraph or a stack of two rules is no table."""

from pathlib import Path

import reflow
from reflow.layout.blocks import build_blocks
from reflow.layout.ruled import ruled_frames
from reflow.model import Document, Line, Page
from reflow.settings_graphics import GraphicsSettings

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "corpora" / "papers"


def _ln(text: str, x0: float, top: float) -> Line:
    return Line(text, 1, bbox=(x0, top, x0 + 5.0 * len(text), top + 9), size=10.0, font="Serif")


def _grid_page(rulings, verticals=True) -> Page:
    """A \\hline grid of two columns (a rule at x = 150) whose first body cell wraps onto two
    lines: "Coastal town with" / "two reservoirs"."""
    page = Page(1, 600, 800)
    page.lines = [
        _ln("Network", 55, 102),
        _ln("Pipes", 160, 102),
        _ln("Coastal town with", 55, 118),
        _ln("1240", 160, 118),
        _ln("two reservoirs", 55, 130),
        _ln("Hill district", 55, 146),
        _ln("860", 160, 146),
    ]
    page.rulings = rulings
    if verticals:  # each row draws its own segment of the rules at x = 50, 150 and 220
        page.graphics = [(x - 0.2, a, x + 0.2, b) for x in (50, 150, 220)
                         for a, b in ((100, 114), (114, 142), (142, 158))]  # fmt: skip
    return page


def _blocks(page: Page):
    doc = Document(source="t", kind="pdf")
    doc.pages = [page]
    return build_blocks(doc).blocks


HLINES = [(50.0, 100.0, 220.0), (50.0, 114.0, 220.0), (50.0, 142.0, 220.0), (50.0, 158.0, 220.0)]


def test_ruled_rows_and_ruled_columns_from_the_rules_a_wrapped_cell_stays_whole():
    (table,) = _blocks(_grid_page(HLINES))
    assert table.type == "table"
    assert table.rows == [
        ["Network", "Pipes"],
        ["Coastal town with two reservoirs", "1240"],
        ["Hill district", "860"],
    ]


def test_ruled_rows_booktabs_a_line_in_one_column_continues_the_row_above():
    # top, middle and bottom rules only, no vertical rules: the body's rows from its lines
    rules = [(50.0, 100.0, 220.0), (50.0, 114.0, 220.0), (50.0, 158.0, 220.0)]
    (table,) = _blocks(_grid_page(rules, verticals=False))
    assert table.rows[1] == ["Coastal town with two reservoirs", "1240"]
    assert len(table.rows) == 3


def test_ruled_frame_needs_three_rules_or_vertical_rules():
    g = GraphicsSettings()
    assert [f[2] for f in ruled_frames(_grid_page(HLINES), g)] == [[100.0, 114.0, 142.0, 158.0]]
    two = [(50.0, 100.0, 220.0), (50.0, 158.0, 220.0)]
    assert ruled_frames(_grid_page(two, verticals=False), g) == []
    assert len(ruled_frames(_grid_page(two), g)) == 1  # the vertical rules between them
    # rules of different extents are not one frame
    ragged = [(50.0, 100.0, 220.0), (50.0, 114.0, 320.0), (90.0, 158.0, 220.0)]
    assert ruled_frames(_grid_page(ragged, verticals=False), g) == []


def test_ruled_table_a_boxed_paragraph_is_no_table():
    page = Page(1, 600, 800)
    prose = "The committee met on Tuesday to review the plan for the new bridge over the river"
    page.lines = [_ln(prose, 55, 102 + 12 * k) for k in range(3)]
    page.rulings = [(50.0, 100.0, 500.0), (50.0, 120.0, 500.0), (50.0, 140.0, 500.0)]
    assert all(b.type != "table" for b in _blocks(page))


def test_ruled_table_in_a_two_column_paper_keeps_its_wrapped_cells():
    """paper-06 (dev) draws a |p{2.6cm}|c|c| grid with \\hline under every row: the cells
    that wrap onto two and three lines stay in their rows."""
    doc = reflow.convert(str(PAPERS / "paper-06-twocol-caps.pdf"))
    (table,) = [b for b in doc.blocks if b.type == "table"]
    assert table.rows[0] == ["Network", "Pipes", "Sensors"]
    assert table.rows[1] == ["Coastal town with two reservoirs", "1240", "9"]
    assert len(table.rows) == 4
