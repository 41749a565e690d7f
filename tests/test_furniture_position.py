"""Furniture from position, size and pattern: printed once, one-page documents, margin stamps."""

from reflow.layout.furniture import remove_furniture
from reflow.model import Document, Line, Page

BODY = (
    "Residents asked the council for a safer crossing near the school, and the council agreed "
    "to study it before the budget vote in the spring."
)


def _line(text, x0, top, x1, size=12.0, height=None):
    return Line(text=text, page=1, bbox=(x0, top, x1, top + (height or size)), size=size)


def _doc(*pages):
    doc = Document(source="t", kind="pdf")
    for n, lines in enumerate(pages, 1):
        page = Page(number=n, width=612, height=792)
        for ln in lines:
            ln.page = n
        page.lines = list(lines)
        doc.pages.append(page)
    return doc


def _body(top, n=20, size=12.0, shift=0):
    words = BODY.split()  # each line its own text: a repeated line at an edge is furniture
    return [
        _line(" ".join(words[k:] + words[:k])[:90], 72, top + i * 15, 540, size)
        for i in range(n)
        for k in [(i + shift) % len(words)]
    ]


def _left(doc):
    return [ln.text for p in doc.pages for ln in p.lines]


def test_header_position_one_page_letter_and_page_of_one():
    # a one-page LibreOffice export: the header and "Page 1 of 1" are printed once
    doc = _doc(
        [
            _line("Harbor City Council", 462, 53, 540, 9.0),
            *_body(80),
            _line("Page 1 of 1", 284, 730, 328, 9.0),
        ]
    )
    remove_furniture(doc)
    assert "Harbor City Council" not in _left(doc) and "Page 1 of 1" not in _left(doc)
    assert {(r.reason, r.text) for r in doc.removed} == {
        ("header", "Harbor City Council"),
        ("page-number", "Page 1 of 1"),
    }


def test_header_position_printed_once_on_the_second_page():
    # page 1 plain, page 2 with its header pair: no repetition to go by
    doc = _doc(
        _body(80, 7),
        [
            _line("New York Man Pleads Guilty", 50, 31, 186, 10.0),
            _line("Westbrook Energy Cooperative", 398, 31, 545, 10.0),
            *_body(68, size=10.0, shift=9),
        ],
    )
    remove_furniture(doc)
    assert len(_left(doc)) == 27 and len(doc.removed) == 2
    assert sorted(r.text for r in doc.removed) == [
        "New York Man Pleads Guilty",
        "Westbrook Energy Cooperative",
    ]


def test_header_position_keeps_a_page_top_that_is_text():
    widow = _line("advance.”", 72, 40, 120)  # a paragraph's last line, then a section
    heading = _line("2 Related work", 72, 40, 200, 14.0)  # larger than the text
    close = _line("Short line without a stop", 72, 40, 300)  # as close as the lines below
    for top, below in ((widow, 80), (heading, 80), (close, 55)):
        doc = _doc([top, *_body(below)])
        remove_furniture(doc)
        assert top.text in _left(doc), top.text


def test_header_position_not_on_a_browser_print():
    # the browser's header holds the top band; the site's first row below it is content
    doc = _doc(
        [
            _line("8/16/20, 10:12 AM  Belarus Crisis - The Moscow Times", 20, 10, 400, 8.0),
            _line("Search", 72, 45, 110, 10.0),
            *_body(90),
            _line("https://www.themoscowtimes.com/2020/08/16/belarus  1/1", 20, 775, 500, 8.0),
        ]
    )
    remove_furniture(doc)
    assert "Search" in _left(doc)


def test_page_number_row_takes_the_running_header_beside_it():
    # twoside: the section name beside the page number on odd pages, authors on even ones
    doc = _doc(
        [_line("4 RESULTS", 54, 22, 104, 10.0), _line("1", 553, 22, 558, 10.0), *_body(60, 7)],
        [
            _line("2", 54, 22, 59, 10.0),
            _line("Brennan et al.", 502, 22, 558, 10.0),
            *_body(60, shift=9),
        ],
    )
    remove_furniture(doc)
    assert sorted(r.text for r in doc.removed) == ["1", "2", "4 RESULTS", "Brennan et al."]
    assert {r.reason for r in doc.removed} == {"header", "page-number"}


def test_page_number_not_in_a_table_row():
    # a table's row left at the page's foot by a page break keeps its numbers
    row = ["18", "Jimmie Johnson", "835", "0", "1", "3", "12"]
    cells = [_line(t, 60 + 70 * i, 760, 60 + 70 * i + 40, 10.0) for i, t in enumerate(row)]
    doc = _doc([*_body(60), *cells], [*_body(60)])
    remove_furniture(doc)
    assert all(t in _left(doc) for t in row)


def test_margin_stamp_removed_and_reported_once():
    # arXiv's stamp up the left margin: one tall, narrow line per word (rotated text)
    words = [("arXiv:2405.15086v2", 389, 554), ("[econ.GN]", 281, 365), ("10", 237, 257)]
    words += [("May", 196, 232), ("2024", 151, 191)]
    stamp = [Line(t, 1, (32.4, a, 50.2, b), size=19.9) for t, a, b in words]
    doc = _doc([*stamp, *_body(100)])
    remove_furniture(doc)
    assert len(_left(doc)) == 20
    assert [(r.reason, r.text) for r in doc.removed] == [
        ("margin-stamp", "arXiv:2405.15086v2 [econ.GN] 10 May 2024")
    ]


def test_margin_stamp_keeps_rotated_text_inside_the_page():
    # a rotated table header among the text, beside horizontal lines: not a margin stamp
    label = Line("Budget (million)", 1, (300, 200, 312, 300), size=10.0)
    doc = _doc([label, *_body(100)])
    remove_furniture(doc)
    assert "Budget (million)" in _left(doc)


def test_running_header_keeps_the_title_it_repeats():
    # the running header repeats the title; on page 1 the title itself is at the top
    doc = _doc(
        [_line("Trump Trade War China", 220, 84, 392, 17.0), *_body(120, size=10.0)],
        [
            _line("Trump Trade War China", 51, 18, 160, 10.0),
            _line("Mehta and Kovalenko", 466, 18, 561, 10.0),
            *_body(60, size=10.0, shift=9),
        ],
    )
    remove_furniture(doc)
    assert "Trump Trade War China" in _left(doc)
    assert sorted((r.page, r.text) for r in doc.removed) == [
        (2, "Mehta and Kovalenko"),
        (2, "Trump Trade War China"),
    ]


def test_header_position_keeps_a_float_caption_under_the_header():
    doc = _doc(
        _body(80, 7, size=10.0),
        [
            _line("Audi E Tron Sportback Revealed", 50, 31, 186, 10.0),
            _line("2", 540, 31, 545, 10.0),
            _line("Table 1: Survey responses by region", 200, 60, 400, 10.0),
            *_body(100, size=10.0, shift=9),
        ],
    )
    remove_furniture(doc)
    assert "Table 1: Survey responses by region" in _left(doc)
    assert sorted(r.text for r in doc.removed) == ["2", "Audi E Tron Sportback Revealed"]


def test_page_number_row_not_a_table_row_close_to_the_text():
    # a table's last row at the page's foot, as close to the row above as rows are
    rows = [("Athletic", "12 2", "9"), ("Wanderers", "12 10", "32")]
    cells = [
        _line(t, 200 + 80 * k, 740 + 11 * i, 240 + 80 * k, 10.0)
        for i, row in enumerate(rows)
        for k, t in enumerate(row)
    ]
    doc = _doc([*_body(60, size=10.0), *cells], _body(60, size=10.0, shift=9))
    remove_furniture(doc)
    assert "32" in _left(doc) and "Wanderers" in _left(doc)


def test_header_position_journal_line_below_a_one_inch_margin():
    # a one-page LaTeX letter (fancyhdr, 1 in margins, 12 pt): the journal line and page
    # number sit 13% down the page, set apart from the letter's first line
    doc = _doc(
        [
            _line("Transactions on Regional Planning, Vol. 4, No. 4 (2024)", 103, 92, 374),
            _line("1", 485, 92, 491),
            *_body(135),
        ]
    )
    remove_furniture(doc)
    assert sorted(r.text for r in doc.removed) == [
        "1",
        "Transactions on Regional Planning, Vol. 4, No. 4 (2024)",
    ]


def test_page_number_outermost_line_above_a_deep_bottom_margin():
    # "Page 2 of 5" printed on two pages of six, 11% of the height above the foot (LaTeX on
    # A4 with a deep margin): no repetition, outside the page-number band, but the page's last
    # line, set apart from the text
    doc = _doc([*_body(100, 8), _line("Page 2 of 5", 271, 745, 323)])
    doc.pages[0].height = 842
    remove_furniture(doc)
    assert [r.text for r in doc.removed] == ["Page 2 of 5"]
    # a number as close to the text as its lines are, or with text below it, stays
    for lines in (
        [*_body(620, 8), _line("42", 271, 745, 283)],
        [*_body(100, 8), _line("42", 271, 700, 283), _line("A closing note line.", 72, 760, 300)],
    ):
        doc = _doc(lines)
        doc.pages[0].height = 842
        remove_furniture(doc)
        assert "42" in _left(doc)
