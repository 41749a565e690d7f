"""Paragraph boundaries learned per document: indents, line spacing, line fill."""

from reflow.layout.blocks import build_blocks, typical_gaps
from reflow.layout.columns import Gutter
from reflow.layout.paragraphs import body_indent, column_rights
from reflow.model import Document, Line, Page
from reflow.settings import BlockSettings

TEXT = (
    "The council said on Tuesday that its plan for the new bridge would go ahead after a long "
    "review of the costs and of what the residents had asked for in the spring of that year"
).split()


def _line(text, x0, top, x1, size=10.0, height=None):
    return Line(text=text, page=1, bbox=(x0, top, x1, top + (height or size)), size=size)


def _doc(lines):
    doc = Document(source="t", kind="pdf")
    page = Page(number=1, width=612, height=792)
    page.lines = lines
    doc.pages.append(page)
    return doc


def _words(k, n=11):
    return " ".join(TEXT[(k + i) % len(TEXT)] for i in range(n))


def _indented(paras, ends, left=72.0, right=540.0, indent=15.0, pitch=12.0):
    """LaTeX's style: paragraphs parted only by a first-line indent; ``ends``: each paragraph's
    last line's text."""
    lines, y = [], 100.0
    for p in range(paras):
        for i in range(4):
            x0 = left + (indent if i == 0 else 0)
            text = f"P{p} " + _words(p + i) if i == 0 else _words(p * 3 + i)
            if i == 3:
                lines.append(_line(ends[p % len(ends)], x0, y, left + 200))
            else:
                lines.append(_line(text, x0, y, right))
            y += pitch
    return lines


def _paragraph_starts(doc):
    return [b.text.split()[0] for b in doc.blocks]


def test_body_indent_learned_from_the_document():
    doc = _doc(_indented(5, ["in the end."]))
    assert abs(body_indent(doc) - 15.0) < 0.01


def test_body_indent_none_for_a_hanging_list():
    # marker lines left of the lines under them: no first-line indent
    lines, y = [], 100.0
    for k in range(6):
        lines.append(_line("• " + _words(k), 72, y, 540))
        lines.append(_line(_words(k + 1), 84, y + 12, 540))
        y += 24
    assert body_indent(_doc(lines)) is None


def test_learned_indent_parts_paragraphs_after_a_footnote_mark():
    # "Europe.1" ends no sentence for the lexicon; the document's own indent says enough
    doc = _doc(_indented(4, ["production version for Europe.1", "and more to come”2"]))
    build_blocks(doc)
    assert _paragraph_starts(doc) == ["P0", "P1", "P2", "P3"]


def test_learned_indent_keeps_a_list_items_second_line():
    # a hanging indent as deep as the body indent: the item goes on under its marker
    lines = _indented(2, ["in the end."])
    y = lines[-1].bbox[3] + 2
    lines += [
        _line("• Pat Carlineo is passionate about his beliefs, she said", 72, y, 540),
        _line("in an email.", 87, y + 12, 150),
        _line("• He has taken responsibility for his words in this", 72, y + 24, 540),
        _line("instance.", 87, y + 36, 130),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert [b.text for b in doc.blocks[2:]] == [
        "• Pat Carlineo is passionate about his beliefs, she said in an email.",
        "• He has taken responsibility for his words in this instance.",
    ]


def test_filled_line_ends_a_ragged_right_paragraph():
    # LaTeX's \raggedright or a word processor's left-aligned text: no indent, no spacing;
    # a sentence's end with room for the next word on its line ended the paragraph
    widths = [520, 498, 505, 400, 515, 490, 530, 410, 470, 512, 390]  # ends at 75-80%
    texts = [_words(k) for k in range(len(widths))]
    texts[3] = "said in a tweet."
    texts[7] = "back to the company."
    texts[6] = "red flags for investors included that he had borrowed against his"
    texts[10] = "had no comment."
    lines = [
        _line(t, 72, 100 + 12 * i, 72 + w)
        for i, (t, w) in enumerate(zip(texts, widths, strict=True))
    ]
    for i in (4, 8):  # the next paragraphs start with a capital
        lines[i].text = "The " + lines[i].text
    doc = _doc(lines)
    build_blocks(doc)
    assert [len(b.lines) for b in doc.blocks] == [4, 4, 3]


def test_line_fill_needs_room_for_the_next_word():
    # a sentence ends a line that has no room for the next line's long first word: it goes on
    lines = [
        _line(_words(0), 72, 100, 540),
        _line("ends here. Then more words follow it.", 72, 112, 500),
        _line("Internationalisation " + _words(3, 6), 72, 124, 540),
        _line(_words(5), 72, 136, 540),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert len(doc.blocks) == 1


def test_column_right_per_column_and_left_edge():
    left = [_line("a" * 40, 54, 100 + 12 * i, 301) for i in range(5)]
    right = [_line("b" * 40, 311, 100 + 12 * i, 558) for i in range(5)]
    table = _line("Indicator 2018 2019 2020", 170, 40, 430)  # a wide float above both
    gutter = Gutter(301, 311, 100, 160, 5)
    rights = column_rights([*left, *right, table], [gutter], None, BlockSettings())
    assert {rights[id(ln)] for ln in left} == {301}
    assert {rights[id(ln)] for ln in right} == {558}
    assert rights[id(table)] == 430


def test_line_spacing_with_overlapping_boxes():
    # LibreOffice: 10 pt type at a 13 pt pitch in 14 pt boxes; the paragraph gap is 8 pt
    lines, y = [], 70.0
    for block in range(4):
        for _ in range(3):
            lines.append(_line(_words(block), 72, y, 300, 10.0, height=14.0))
            y += 13.0
        y += 8.0
    doc = _doc(lines)
    assert typical_gaps(doc) == {10.0: -1.0}
    build_blocks(doc)
    assert len(doc.blocks) == 4


def test_division_label_and_its_title_are_one_heading():
    # a LaTeX report's chapter opening: the label, far above its larger title
    lines = [
        _line("Chapter 1", 71, 152, 173, 20.7, 18.4),
        _line("Executive summary", 71, 206, 311, 24.8, 21.9),
        *[_line(_words(k), 71, 275 + 13.5 * k, 524, 10.9) for k in range(4)],
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert doc.blocks[0].text == "Chapter 1 Executive summary"
    # a label that is a sentence's start is no label ("Part of the plan ...")
    lines[0].text = "Part of the plan"
    doc = _doc(lines)
    build_blocks(doc)
    assert doc.blocks[0].text == "Part of the plan"


def test_list_item_end_where_a_line_starts_left_of_the_marker():
    # a word processor's list, then a paragraph, with no space between
    lines = [
        _line("3. It also has contrast stitching which spruces up the cabin.", 90, 575, 438),
        _line("In-car infotainment comes courtesy of an 8-inch touchscreen display.", 72, 588, 506),
        _line("It comes standard with the usual phone connections as well.", 72, 601, 511),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert [b.text.split()[0] for b in doc.blocks] == ["3.", "In-car"]
    # a reference's label is no list marker: its first-line indent goes on as a paragraph
    refs = [
        _line("[4] O. Stanton, M. Kovalenko and P. Raman. The economics of", 90, 575, 520),
        _line("broadband. Energy Policy Letters, 2012.", 72, 588, 300),
    ]
    doc = _doc(refs)
    build_blocks(doc)
    assert len(doc.blocks) == 1


def test_dash_run_on_keeps_a_dash_that_goes_on_the_sentence():
    # a justified line filled to the column's edge, then a dash opening the next line: the
    # sentence's dash ("in 2010" / "– after Epstein ..."), not a list's marker
    lines = [
        _line(_words(0), 72, 100, 540),
        _line("claimed that he visited the city in 2010", 72, 112, 540),
        _line(
            "\u2013 after he was released from prison for the offence \u2013 in order", 72, 124, 540
        ),
        _line("to end the friendship.", 72, 136, 200),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert len(doc.blocks) == 1
    # the same dash after a sentence's end, or after a line with room left, opens an item
    for prev_text, x1 in (("claimed that he visited the city.", 540), ("a list follows", 300)):
        lines[1] = _line(prev_text, 72, 112, x1)
        doc = _doc(list(lines))
        build_blocks(doc)
        assert len(doc.blocks) == 2
    # a list of dash items set flush with their text stays a list
    items = [
        _line("- " + _words(0), 72, 100, 540),
        _line("- " + _words(1), 72, 112, 540),
        _line("- " + _words(2), 72, 124, 540),
    ]
    doc = _doc(items)
    build_blocks(doc)
    assert len(doc.blocks) == 3


def test_hanging_label_keeps_a_reference_and_a_list_item_whole():
    # a bibliography's hanging indent: the second line starts where the text after "[1] " does,
    # after a line that ends a sentence; it read as a first-line indent
    first = "[1] L. Moreau. Reading habits and the printed page of the town."
    w = 243.0
    at = 315.0 + w * 4 / len(first)
    lines = [
        _line(first, 315, 100, 315 + w),
        _line("Journal of Civic Data Studies, 2023.", at, 112, 488),
        _line("[2] J. Keller. Measuring public trust in local institutions. Media", 315, 130, 558),
        _line("and Society, 2018.", at, 142, 400),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert [b.text.split()[0] for b in doc.blocks] == ["[1]", "[2]"]
    # an item's next line set in by a first-line indent, opening with its own label, is the
    # next item; a line indented elsewhere after a sentence's end opens a paragraph
    items = [
        _line(first, 72, 100, 72 + w),
        _line("[2] C. Dubois. Small grants and civic participation, 2017.", 72 + 22, 112, 400),
    ]
    doc = _doc(items)
    build_blocks(doc)
    assert len(doc.blocks) == 2


def test_line_fill_a_reference_label_opens_the_next_entry():
    # "[2] ... 2017." ends with room left; "[3] R. Ortega ..." at the same edge is the next entry
    lines = [
        _line(
            "[1] C. Dubois. Measuring public trust in local institutions. Journal, 2021.",
            72,
            100,
            450,
        ),
        _line("[2] C. Dubois. Small grants and civic participation. Review, 2017.", 72, 112, 430),
        _line(
            "[3] R. Ortega, D. Brennan and H. Whitfield. Energy cooperatives in rural", 72, 124, 540
        ),
        _line("districts. Urban Affairs Review, 2015.", 72, 136, 300),
    ]
    doc = _doc(lines)
    build_blocks(doc)
    assert [b.text[:3] for b in doc.blocks] == ["[1]", "[2]", "[3]"]


def test_label_sequence_the_next_reference_label_opens_the_next_entry():
    """A numbered bibliography whose first entry's last line runs full ("... Journal of Public
    Transportation, 2009.") still parts at "[2]": the label after the block's own, at its left
    edge, after a sentence's end; a "[3]" under "[1]", or a "[2]" after a line that does not
    end a sentence, goes on with the block."""
    from reflow.layout.blocks import build_blocks
    from reflow.model import Document, Line, Page

    def run(texts):
        doc = Document(source="r.pdf", kind="pdf")
        page = Page(1, 600, 800)
        page.lines = [
            Line(t, 1, bbox=(50.0, 100.0 + 12 * k, 300.0, 110.0 + 12 * k), size=10.0)
            for k, t in enumerate(texts)
        ]
        doc.pages = [page]
        return [b.text for b in build_blocks(doc).blocks]

    first = [
        "[1] P. DeMaio. Bike sharing: history, impacts, models of",
        "provision, and future. Journal of Public Transportation, 2009.",
    ]
    assert run(first + ["[2] T. Chen and C. Guestrin. A scalable tree boosting system."]) == [
        " ".join(first),
        "[2] T. Chen and C. Guestrin. A scalable tree boosting system.",
    ]
    assert len(run(first + ["[3] T. Chen and C. Guestrin. A scalable tree boosting system."])) == 1
    assert len(run(["[1] P. DeMaio. Bike sharing: history, impacts, models of provision, and",
                    "[2] T. Chen and C. Guestrin. A scalable tree boosting system."])) == 1  # fmt: skip
