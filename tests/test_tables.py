"""Tables without structure tags (``readers/cells.py``, ``layout/grid.py``, ``layout/tables.py``,
``structure/heal.py``): cells from the gaps and the alignment of rows, header cells kept in the
table, links kept in their cells, one table across a page break; lists and prose stay text."""

from pathlib import Path

import reflow
from reflow.layout.blocks import build_blocks
from reflow.model import Document, InlineLink, Line, Page
from reflow.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
PRODUCERS = ROOT / "corpora" / "producers"

ROWS = [
    ("District", "Population", "Sites"),
    ("Abbey", "13,063", "3"),
    ("Beacon", "57,460", "5"),
    ("Castle", "18,725", "3"),
]
PROSE = (
    "The committee met on Tuesday to review the plan for the new bridge over the river, "
    "and after a long debate it agreed that work should start soon."
)


def _row(cells, top: float, xs=(50.0, 200.0, 300.0), links=None) -> Line:
    """One line holding a row's cells, with the gaps between them as the reader records them
    (a table set close: the reader keeps the row in one line)."""
    text, gaps, x = "", [], xs[0]
    for k, cell in enumerate(cells):
        if k:
            gaps.append((len(text) + 1, x, xs[k]))
            text += " "
            x = xs[k]
        text += cell
        x += 5.0 * len(cell)
    return Line(text, 1, bbox=(xs[0], top, x, top + 10), size=10.0, font="Serif",
                gaps=tuple(gaps), links=links or ())  # fmt: skip


def _doc(lines: list[Line]) -> Document:
    doc = Document(source="t", kind="pdf")
    page = Page(1, 600, 800)
    page.lines = lines
    doc.pages = [page]
    return build_blocks(doc)


def test_table_cells_and_table_grid_make_one_table_with_its_header_row():
    lines = [Line(PROSE[:80], 1, bbox=(50, 60, 530, 70), size=10.0)]
    lines += [_row(r, 100 + 14 * i) for i, r in enumerate(ROWS)]
    lines += [Line(PROSE[:80], 1, bbox=(50, 200, 530, 210), size=10.0)]
    blocks = _doc(lines).blocks
    assert [b.type for b in blocks] == ["paragraph", "table", "paragraph"]
    assert blocks[1].rows == [list(r) for r in ROWS]


def test_table_cells_a_prose_line_with_a_wide_gap_is_not_cut():
    # one wide gap in a justified line: no rows around it line up, so it stays a line
    line = _row(("The committee met on Tuesday to review", "the plan for the bridge"), 100,
                xs=(50.0, 260.0))  # fmt: skip
    blocks = _doc([line, Line(PROSE[:80], 1, bbox=(50, 112, 530, 122), size=10.0)]).blocks
    assert all(b.type == "paragraph" for b in blocks)
    assert blocks[0].text.startswith("The committee met on Tuesday to review the plan")


def test_table_grid_a_heading_under_the_table_is_not_a_row():
    lines = [_row(r, 100 + 14 * i) for i, r in enumerate(ROWS)]
    lines.append(Line("Equipment", 1, bbox=(50, 100 + 14 * 4 + 6, 100, 172), size=10.0))
    blocks = _doc(lines).blocks
    assert blocks[0].type == "table" and len(blocks[0].rows) == 4
    assert blocks[1].text == "Equipment"


def test_table_grid_needs_three_rows():
    blocks = _doc([_row(r, 100 + 14 * i) for i, r in enumerate(ROWS[:2])]).blocks
    assert all(b.type != "table" for b in blocks)


def test_simple_table_a_list_whose_markers_stand_apart_is_not_a_table():
    items = ["First item of the list here", "Second item of the list", "Third item, the last"]
    for marker in ("•", "1.", "\x84"):
        marks = [marker if marker != "1." else f"{i + 1}." for i in range(3)]
        rows = [_row((m, t), 100 + 14 * i, xs=(50.0, 70.0)) for i, (m, t) in enumerate(zip(marks, items, strict=True))]  # fmt: skip
        assert all(b.type != "table" for b in _doc(rows).blocks), marker


def test_table_cells_keep_their_links():
    link = InlineLink(len("Abbey 13,063 "), len("Abbey 13,063 3"), "https://example.org/abbey")
    lines = [_row(r, 100 + 14 * i, links=[link] if i == 1 else None) for i, r in enumerate(ROWS)]
    doc = _doc(lines)
    (table,) = doc.blocks
    assert [table.text[lk.start : lk.end] for lk in table.links] == ["3"]
    md = doc.markdown
    assert "| Abbey | 13,063 | [3](https://example.org/abbey) |" in md


def test_cell_gaps_and_table_page_only_where_rows_are_already_parted():
    data = (
        PRODUCERS / "pdftex-onecol/report-02-lmodern-parskip-runningtitle-report.pdf"
    ).read_bytes()
    doc = read_pdf(data, "report.pdf")
    header = [ln for ln in doc.pages[2].lines if ln.text.startswith("District Population")]
    assert header and len(header[0].gaps) == 4  # five header cells in one line
    # the title page and a page of running text hold no row of pieces: nothing looked for
    assert not any(ln.gaps for ln in doc.pages[0].lines)


def test_table_across_break_is_one_table_with_its_header_once():
    # a LaTeX longtable over two pages repeats its header row on the second
    name = "pdftex-onecol/report-02-lmodern-parskip-runningtitle-report"
    doc = reflow.convert(str(PRODUCERS / f"{name}.pdf"))
    (table,) = [b for b in doc.blocks if b.type == "table"]
    assert table.pages == [3, 4]
    assert table.rows[0] == ["District", "Population", "Sites", "Visits", "Per head"]
    assert len(table.rows) == 1 + 31 and table.rows.count(table.rows[0]) == 1


def test_table_caption_a_labelled_line_above_a_table_is_its_caption():
    doc = reflow.convert(str(PRODUCERS / "pdftex-onecol/paper-01-cm-indent-plain.pdf"))
    k = next(i for i, b in enumerate(doc.blocks) if b.type == "table")
    assert doc.blocks[k - 1].type == "caption"
    assert doc.blocks[k - 1].text.startswith("Table 1:")
    assert "*Table 1: Annual budget" in doc.markdown


def test_table_across_break_goes_on_past_the_notes_under_its_first_part():
    # a LibreOffice table cut after two rows, a footnote (set as large as the text) under them
    doc = reflow.convert(str(PRODUCERS / "libreoffice/report-08-odt-indent-dash.pdf"))
    tables = [b for b in doc.blocks if b.type == "table"]
    assert len(tables) == 1 and tables[0].pages == [1, 2]
    assert tables[0].rows.count(tables[0].rows[0]) == 1
    # the note under the table's first part goes to the end as a footnote (structure/notes.py)
    notes = [b for b in doc.blocks if b.type == "footnote"]
    assert notes[0].text.startswith("1 So-called") and doc.blocks[-len(notes)] is notes[0]


def test_page_rulings_are_read_where_a_row_is_in_pieces():
    # a booktabs table cut by the page break after its first row: top and middle rules
    data = (PRODUCERS / "pdftex-onecol/paper-13-tgtermes-indent-draft.pdf").read_bytes()
    doc = read_pdf(data, "paper.pdf")
    rules = [r for r in doc.pages[0].rulings if r[2] - r[0] > 150]
    assert len(rules) >= 2
    header = [ln for ln in doc.pages[0].lines if ln.text.startswith("Region Support")]
    assert header and len(header[0].gaps) == 3


def test_ruled_table_two_rows_under_the_page_rules_are_a_table():
    lines = [_row(r, 100 + 14 * i) for i, r in enumerate(ROWS[:2])]
    doc = Document(source="t", kind="pdf")
    page = Page(1, 600, 800)
    page.lines = lines
    page.rulings = [(48.0, 97.0, 312.0), (48.0, 112.0, 312.0)]  # above and under the header
    doc.pages = [page]
    (table,) = build_blocks(doc).blocks
    assert table.type == "table" and table.rows == [list(r) for r in ROWS[:2]]
    # a rule under a paragraph far from the rows, or none: two rows are not enough
    page.rulings = [(48.0, 40.0, 312.0), (48.0, 300.0, 312.0)]
    assert all(b.type != "table" for b in build_blocks(doc).blocks)
