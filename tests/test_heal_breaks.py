"""Paragraphs across page and column breaks: past footnotes, full last lines, captions."""

from reflow.layout.join import make_block
from reflow.model import Document, Line
from reflow.structure.heal import across_break, heal


def _block(lines, page=1):
    return make_block([Line(t, page, bbox=b, size=sz) for t, b, sz in lines])


def _doc(blocks):
    doc = Document(source="t", kind="pdf")
    doc.blocks = blocks
    return doc


LEFT = (54, 292)
RIGHT = (303, 541)


def _para(texts, col, top, page=1, size=10.0, indent=0):
    x0, x1 = col
    return _block(
        [
            (t, (x0 + (indent if i == 0 else 0), top + 12 * i, x1, top + 12 * i + 10), size)
            for i, t in enumerate(texts)
        ],
        page,
    )


def test_break_past_footnotes_joins_the_paragraph_above_them():
    # a two-column paper: the left column ends in a footnote; the right column goes on
    para = _para(
        [
            "More than two decades ago, the spacecraft found evidence of",
            "an electrically conductive fluid on the",
        ],
        LEFT,
        700,
    )
    note = _para(["1The status of the quarterback is uncertain for the game."], LEFT, 765, size=8.0)
    rest = _para(
        ["moon’s surface. Then, a 2018 analysis of the data found more", "evidence of the plumes."],
        RIGHT,
        218,
    )
    doc = heal(_doc([para, note, rest]))
    assert [b.text for b in doc.blocks] == [
        "More than two decades ago, the spacecraft found evidence of an electrically conductive "
        "fluid on the moon’s surface. Then, a 2018 analysis of the data found more evidence of "
        "the plumes.",
        "1The status of the quarterback is uncertain for the game.",
    ]


def test_break_past_footnotes_keeps_a_caption_apart():
    para = _para(
        [
            "The tagline drew a mix of criticism and ridicule across the state,",
            "but the governor cited the backlash as proof",
        ],
        LEFT,
        700,
    )
    cap = _para(["Table 1: League standings after twelve rounds", "of the season"], RIGHT, 60)
    doc = heal(_doc([para, cap]))
    assert len(doc.blocks) == 2


def test_page_break_full_line_joins_before_a_capital():
    # "Trade Representative Robert" / "Lighthizer recognize ...": the last line is full
    para = _para(["Trump and US Trade Representative Robert"], RIGHT, 783, indent=17)
    rest = _para(
        [
            "Lighthizer recognize that making such concessions for a deal",
            "would be hard, officials on last weekend’s trade call said.",
        ],
        LEFT,
        60,
        page=2,
    )
    doc = heal(_doc([para, rest]))
    assert len(doc.blocks) == 1
    assert doc.blocks[0].text.startswith("Trump and US Trade Representative Robert Lighthizer")


def test_page_break_full_line_keeps_a_short_heading_apart():
    head = _para(["2 Related work"], LEFT, 780)
    nxt = _para(["3 Method"], RIGHT, 60)
    doc = heal(_doc([head, nxt]))
    assert len(doc.blocks) == 2
    short = _para(["A paragraph that ends short of the edge, the meeting in Madrid"], LEFT, 700)
    short.lines[-1].bbox = (54, 700, 200, 710)
    rest = _para(
        ["Another paragraph starts in the next column with its own", "text that runs on."],
        RIGHT,
        60,
    )
    assert len(heal(_doc([short, rest])).blocks) == 2


def test_break_past_floats_joins_the_rest_below_a_table():
    # LaTeX put a table at the next page's top, right where the paragraph was cut
    para = _para(
        ["1. However, these farming techniques started to fuel a shortage", "as farmers using"],
        LEFT,
        740,
    )
    cap = _para(["Table 2: Service indicators by year"], LEFT, 55, page=2)
    row = _para(["Members 984 847 950 615 764 426"], LEFT, 80, page=2, size=9.0)
    rest = _para(["cheap electricity overdrew from groundwater reserves."], LEFT, 160, page=2)
    doc = heal(_doc([para, cap, row, rest]))
    assert [b.text.split()[0] for b in doc.blocks] == ["1.", "Table", "Members"]
    assert doc.blocks[0].text.endswith(
        "farmers using cheap electricity overdrew from groundwater reserves."
    )


def test_break_past_floats_keeps_a_new_paragraph_below_the_float():
    para = _para(["The paragraph ends here, with its sentence complete and done."], LEFT, 740)
    cap = _para(["Table 2: Service indicators by year"], LEFT, 55, page=2)
    nxt = _para(
        ["cheap electricity is the next topic of this report, in lower case"], LEFT, 160, page=2
    )
    assert len(heal(_doc([para, cap, nxt])).blocks) == 3


def test_page_break_tail_one_line_that_ends_the_sentence():
    # a reference entry's last line opens the next column (which starts as high as the entry)
    entry = _para(
        [
            "[3] A. Mehta, J. O’Neill and I. Solberg. A survey of regional",
            "transport use. Proceedings of the Annual",
        ],
        LEFT,
        71,
    )
    tail = _para(["Conference on Public Information, 2019."], RIGHT, 71)
    doc = heal(_doc([entry, tail]))
    assert len(doc.blocks) == 1
    assert doc.blocks[0].text.endswith(
        "Proceedings of the Annual Conference on Public Information, 2019."
    )


def test_column_break_beside_needs_the_next_column():
    # a block under the paragraph in its own column is no break; one right of it is
    a = _para(["Words of a paragraph that runs on and on and does not end"], LEFT, 100)
    below = _para(["Conference on Public Information, 2019."], LEFT, 140)
    assert not across_break(a, below)
    beside = _para(["Conference on Public Information, 2019."], RIGHT, 100)
    assert across_break(a, beside)
    head = _para(["A heading that ends no sentence at all here"], LEFT, 700, size=14.0)
    line = _para(["One line that ends a sentence."], RIGHT, 60)
    assert len(heal(_doc([head, line])).blocks) == 2
