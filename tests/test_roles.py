"""Block roles (``structure/roles.py``): title, dek, headings and their levels, lists, quotes,
captions, callouts, footnotes, disclaimers, code; on PDFs (type, position, tags) and on
extracted text (words only)."""

import reflow
from reflow.model import Block, Document, Line, Page, Tag
from reflow.structure.roles import assign_roles

SENT = "Running text of the report goes on here, sentence after sentence, as reports do."


def _block(
    text: str,
    size: float = 10.0,
    *,
    bold: bool = False,
    italic: bool = False,
    top: float = 100.0,
    x0: float = 50.0,
    x1: float = 550.0,
    lines: int = 1,
    font: str = "Serif",
    page: int = 1,
    tag: Tag | None = None,
) -> Block:
    lns = [
        Line(
            text,
            page,
            bbox=(x0, top + 12 * i, x1, top + 12 * i + size),
            size=size,
            bold=bold,
            italic=italic,
            font=font,
            tag=tag,
        )
        for i in range(lines)
    ]
    return Block(
        "paragraph",
        text,
        page,
        (x0, top, x1, top + 12 * lines),
        lines=lns,
        size=size,
        bold=bold,
        italic=italic,
        pages=[page],
    )


def _pdf(blocks: list[Block], body: float = 10.0) -> Document:
    doc = Document(source="r.pdf", kind="pdf")
    doc.pages = [Page(1, 600.0, 800.0), Page(2, 600.0, 800.0)]
    doc.facts.body_size = body
    doc.blocks = blocks
    return assign_roles(doc)


def _types(doc: Document) -> list[str]:
    return [str(b.type) for b in doc.blocks]


def test_heading_comes_from_type_but_a_lone_number_is_none():
    """Bold or large short lines are headings; a page number or a list number set that way
    ("208", "1.") is not, whatever its type."""

    def block(text: str, size: float, bold: bool = False) -> Block:
        ln = Line(text, 1, bbox=(50.0, 100.0, 300.0, 112.0), size=size, bold=bold, font="F")
        return Block(
            "paragraph",
            text,
            1,
            (50.0, 100.0, 300.0, 112.0),
            lines=[ln],
            size=size,
            bold=bold,
            pages=[1],
        )

    body = "Running text of the report goes on here, sentence after sentence, as reports do."
    doc = Document(source="r.pdf", kind="pdf")
    doc.pages = [Page(1, 600.0, 800.0)]
    doc.facts.body_size = 10.0
    doc.blocks = [
        block("208", 10.0, bold=True),
        block("State funded legal aid", 10.0, bold=True),
        block(body, 10.0),
        block("1.", 16.0),
        block("Annex", 16.0),
        block(body, 10.0),
    ]
    assign_roles(doc)
    types = [b.type for b in doc.blocks]
    assert types[0] == types[3] == "paragraph"
    assert types[1] == "heading" and types[4] in ("heading", "title")


def test_heading_not_for_a_bold_sentence_or_a_long_large_block():
    doc = _pdf(
        [_block(SENT), _block("The vote was close, and it passed.", bold=True), _block(SENT)]
    )
    assert _types(doc)[1] == "paragraph"
    doc = _pdf([_block(SENT), _block(" ".join([SENT] * 3), size=14), _block(SENT)])
    assert _types(doc)[1] == "paragraph"


def test_list_item_bullets_alone_and_numbers_only_with_a_numbered_neighbour():
    doc = _pdf(
        [
            _block("1. the first step"),
            _block("2. the second step"),
            _block("3. the third step"),
            _block(SENT),
            _block("1. alone here"),
            _block(SENT),
            _block("• a bullet alone"),
        ]
    )
    types = _types(doc)
    assert types[:2] == ["list_item", "list_item"]
    assert types[3:] == ["paragraph", "paragraph", "paragraph", "list_item"]
    assert [(b.marker, b.ordered, b.text) for b in doc.blocks[:2]] == [
        ("1.", True, "the first step"),
        ("2.", True, "the second step"),
    ]
    assert doc.blocks[6].marker == "•" and doc.blocks[6].text == "a bullet alone"
    assert doc.blocks[4].text == "1. alone here"


def test_list_item_the_last_of_a_numbered_list_is_an_item_too():
    doc = _pdf([_block(SENT), _block("1. the first step"), _block("2. the second step")])
    assert _types(doc) == ["paragraph", "list_item", "list_item"]


def test_callout_label_is_kept_apart_but_a_long_block_is_no_callout():
    long_read = "Read more: " + " ".join(["words"] * 40)
    doc = _pdf(
        [
            _block(SENT),
            _block("Related article: Council approves new cycling lanes"),
            _block(long_read),
        ]
    )
    assert _types(doc) == ["paragraph", "callout", "paragraph"]
    assert doc.blocks[1].label == "Related article:"


def test_disclaimer_among_the_last_blocks_only():
    note = "The views expressed in opinion pieces do not necessarily reflect those of the paper."
    doc = _pdf([_block(note)] + [_block(SENT) for _ in range(4)] + [_block(note)])
    assert _types(doc) == ["paragraph"] * 5 + ["disclaimer"]
    doc = _pdf([_block(SENT), _block("Reporting by Jane Doe; Editing by John Roe")])
    assert _types(doc)[-1] == "disclaimer"


def test_tagged_roles_the_structure_tree_decides_list_quote_caption_heading_code():
    got = {}
    for role in ("li", "quote", "caption", "h3", "code", "p"):
        doc = _pdf([_block(SENT), _block("Some tagged text here", tag=Tag(role, block=1))])
        got[role] = (str(doc.blocks[1].type), doc.blocks[1].level)
    assert got == {
        "li": ("list_item", 1),
        "quote": ("quote", 0),
        "caption": ("caption", 0),
        "h3": ("heading", 3),
        "code": ("code", 0),
        "p": ("paragraph", 0),  # a paragraph tag leaves it to the other rules
    }


def test_monospace_code_keeps_its_lines_but_bold_monospace_is_not_code():
    doc = _pdf([_block("x = compute(a, b)", font="Courier", lines=2), _block(SENT)])
    assert doc.blocks[0].type == "code"
    assert doc.blocks[0].text == "x = compute(a, b)\nx = compute(a, b)"
    doc = _pdf([_block(SENT), _block("Setup", font="Menlo-Bold", bold=True), _block(SENT)])
    assert doc.blocks[1].type != "code"


def test_caption_figure_label_or_small_italic_but_not_a_small_note():
    doc = _pdf(
        [
            _block(SENT),
            _block("Figure 3: The bridge at night"),
            _block("A quiet street in the rain", size=8, italic=True),
            _block("1 A note set small", size=8, italic=True),
            _block("A quiet street in the rain", size=8),  # small but upright: not a caption
        ]
    )
    assert _types(doc) == ["paragraph", "caption", "caption", "paragraph", "paragraph"]


def test_footnote_small_with_a_note_mark_in_the_lower_part_of_the_page():
    doc = _pdf(
        [
            _block(SENT),
            _block("1 See the annex for the method.", size=8, top=700),
            _block("† Corresponding author", size=8, top=720),
            _block("2 See the annex for the method.", size=8, top=200),  # high on the page
            _block("3 See the annex for the method.", top=740),  # body size
        ]
    )
    assert _types(doc) == ["paragraph", "footnote", "footnote", "paragraph", "paragraph"]


def test_footnote_an_asterisk_note_at_the_page_foot_is_no_list_item():
    # "* Research officer, 02-788-4582": an author note, not a one-item bulleted list
    doc = _pdf(
        [
            _block(SENT),
            _block("* Research officer, Economy Division, 02-788-4582", size=8, top=720),
            _block("* A starred line set in body type mid-page", top=300),
        ]
    )
    assert _types(doc)[:2] == ["paragraph", "footnote"]
    assert _types(doc)[2] != "footnote"


def test_body_column_and_block_quote_indented_on_both_sides_of_it():
    doc = _pdf(
        [
            _block(SENT, lines=4, top=100),
            _block(SENT, lines=4, top=200),
            _block(SENT, lines=3, x0=90, x1=510, top=300),  # indented 40 pt each side
            _block(SENT, lines=3, x0=60, x1=540, top=400),  # 10 pt: no quote
            _block(SENT, lines=1, x0=90, x1=510, top=500),  # one line: no quote
        ]
    )
    assert doc.facts.body_x == (48.0, 552.0)
    assert _types(doc) == ["paragraph", "paragraph", "quote", "paragraph", "paragraph"]


def test_title_is_the_largest_heading_on_the_first_page():
    doc = _pdf(
        [
            _block("Masthead", size=12, bold=True),
            _block("The Real Title", size=24),
            _block(SENT),
            _block("Section", size=16),
            _block(SENT),
        ]
    )
    assert [b.text for b in doc.blocks if b.type == "title"] == ["The Real Title"]


def test_title_of_an_opening_heading_in_body_type_and_none_for_a_later_heading():
    doc = _pdf([_block("The Evolution of the Word Processor", bold=True), _block(SENT)])
    assert _types(doc) == ["title", "paragraph"]
    doc = _pdf([_block(SENT), _block("A later heading", size=11.5), _block(SENT)])
    assert "title" not in _types(doc)


def test_dek_after_the_title_or_its_byline_set_apart_from_the_body():
    standfirst = "A short standfirst that says what happened."
    doc = _pdf([_block("The Title", size=24), _block(standfirst, italic=True), _block(SENT)])
    assert _types(doc) == ["title", "dek", "paragraph"]
    doc = _pdf(
        [
            _block("The Title", size=24),
            _block("By Jane Doe"),
            _block(standfirst, size=12),
            _block(SENT),
        ]
    )
    assert _types(doc) == ["title", "byline", "dek", "paragraph"]
    # set large and bold like a heading, but a whole sentence smaller than the title
    big = "A standfirst set large and bold says what happened today."
    doc = _pdf([_block("The Title", size=24), _block(big, size=16, bold=True), _block(SENT)])
    assert _types(doc)[:2] == ["title", "dek"]
    # body text after the title is no dek
    doc = _pdf([_block("The Title", size=24), _block(SENT), _block(SENT)])
    assert _types(doc) == ["title", "paragraph", "paragraph"]


def test_heading_levels_rank_sizes_and_bold_body_headings_rank_below():
    doc = _pdf(
        [
            _block("The Title of It", size=24),
            _block(SENT),
            _block("Section one", size=16),
            _block(SENT),
            _block("Sub part", size=13),
            _block(SENT),
            _block("Section two", size=16),
            _block(SENT),
            _block("Bold one", bold=True),
            _block(SENT),
            _block("Sub two", size=13),
        ]
    )
    levels = {b.text: b.level for b in doc.blocks if b.type == "heading"}
    assert levels == {
        "Section one": 2,
        "Sub part": 3,
        "Section two": 2,
        "Bold one": 4,
        "Sub two": 3,
    }


def test_heading_levels_a_size_used_once_above_the_sections_does_not_push_them_down():
    doc = _pdf(
        [
            _block("COVER", size=40),
            _block(SENT),
            _block("The Report", size=24, page=2),
            _block(SENT, page=2),
            _block("Section one", size=16, page=2),
            _block(SENT, page=2),
            _block("Section two", size=16, page=2),
            _block(SENT, page=2),
        ]
    )
    assert {b.text: b.level for b in doc.blocks if b.type == "heading"} == {
        "The Report": 2,
        "Section one": 2,
        "Section two": 2,
    }


# --------------------------------------------------------------------------------------------
# Extracted text

PARAS = [
    "The committee met on Tuesday to review the plan for the new bridge over the river, and "
    "after a long debate it agreed that work should start soon, once the weather allows.",
    "Engineers will survey the site in the spring and report back to the panel before the "
    "summer recess, when the council is expected to vote on the final design and its cost.",
    "Residents have asked for a footpath on both sides, and the council said it would consider "
    "the request when the design is put out for comment later in the year.",
]


def _text_types(parts: list[str]) -> list[str]:
    doc = reflow.convert_text("\n\n".join(parts) + "\n", article=False)
    return [str(b.type) for b in doc.blocks]


def test_text_heading_a_short_line_before_a_longer_paragraph_and_the_first_is_the_title():
    parts = ["Bridge plan approved", PARAS[0], "What happens next", PARAS[1], PARAS[2]]
    assert _text_types(parts) == ["title", "paragraph", "heading", "paragraph", "paragraph"]
    # a short line before a shorter one, or one that ends a sentence, is no heading
    assert _text_types([PARAS[0], "What happens next", "Soon enough", PARAS[1]])[1] == "paragraph"


def test_text_print_title_the_opening_block_the_print_header_names():
    title = "Putin Doesn't Want a War With the West. But He Might Get One."

    def first_type(print_title):
        doc = Document(source="x.txt", kind="text")
        doc.facts.print_title = print_title
        doc.blocks = [Block("paragraph", t) for t in [title, *PARAS]]
        return str(assign_roles(doc).blocks[0].type)

    assert first_type(title + " - The Moscow Times") == "title"
    assert first_type("Bridge plan approved - Harbor Post") != "title"
    assert first_type(None) != "title"


def test_text_dek_one_short_sentence_before_longer_paragraphs():
    assert _text_types(["Bridge plan approved", "Work starts in the spring.", *PARAS]) == [
        "title",
        "dek",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    # paragraphs about as long as the opening one: it is the article's first paragraph
    short = [p[:90].rsplit(" ", 1)[0] + "." for p in PARAS]
    assert _text_types(["Bridge plan approved", *short]) == ["title"] + ["paragraph"] * 3


def test_numbered_heading_in_italic_continues_the_documents_numbers():
    """LaTeX's \\subsection set in body-size italic ("3.1 Measures" under "3 Method") is a
    heading one level below its section; a numbered italic block whose parent number no
    heading carries, or a sentence, stays a paragraph."""
    doc = _pdf(
        [
            _block("The Title of It", size=20),
            _block(SENT),
            _block("3 Method", size=12),
            _block(SENT),
            _block("3.1 Measures", italic=True),
            _block(SENT),
            _block("4.2 Findings", italic=True),
            _block(SENT),
            _block("3.2 The sample was drawn at random.", italic=True),
            _block(SENT),
        ]
    )
    got = {b.text: (str(b.type), b.level) for b in doc.blocks if b.text[:1].isdigit()}
    assert got["3 Method"] == ("heading", 2)
    assert got["3.1 Measures"] == ("heading", 3)
    assert got["4.2 Findings"][0] == got["3.2 The sample was drawn at random."][0] == "paragraph"


def test_small_caps_heading_at_the_body_size():
    """A section title in \\scshape at the body's size (Computer Modern's CMCSC10) is a
    heading; the same line in the body's roman font, or a small-caps sentence, is not."""
    doc = _pdf(
        [
            _block("The Title of It", size=20),
            _block(SENT, font="CMR10"),
            _block("Related work", font="CMCSC10"),
            _block(SENT, font="CMR10"),
            _block("Related work", font="CMR10"),
            _block(SENT, font="CMR10"),
            _block("This is what we found.", font="LMRomanCaps10-Regular"),
            _block(SENT, font="CMR10"),
        ]
    )
    assert _types(doc)[2:7] == ["heading", "paragraph", "paragraph", "paragraph", "paragraph"]


def test_tagged_level_shift_under_a_title_that_is_no_h1():
    """LibreOffice tags its Title paragraph P and its Heading 1 and 2 paragraphs H1 and H2:
    the sections are level 2 and their sub-sections level 3 ("3.1 Staffing" under "3
    Findings"); under a title tagged H1 (a web page) an H2 stays level 2."""

    def doc(title_role: str):
        return _pdf(
            [
                _block("The Title of It", size=28, tag=Tag(title_role, block=1)),
                _block(SENT, tag=Tag("p", block=2)),
                _block("3 Findings", size=16, bold=True, tag=Tag("h1", block=3)),
                _block(SENT, tag=Tag("p", block=4)),
                _block("3.1 Staffing", size=14, bold=True, tag=Tag("h2", block=5)),
                _block(SENT, tag=Tag("p", block=6)),
            ]
        )

    levels = {b.text: b.level for b in doc("p").blocks if b.type == "heading"}
    assert levels == {"3 Findings": 2, "3.1 Staffing": 3}
    web = {b.text: b.level for b in doc("h1").blocks if b.type == "heading"}
    assert web["3.1 Staffing"] == 2


def test_body_column_of_each_column_and_block_quote_in_the_right_one():
    # a two-column paper: a quote set in 20 pt on both sides within the right column (the
    # main column, the left one, would not hold it)
    doc = _pdf(
        [
            _block(SENT, lines=6, x0=50, x1=300, top=100),
            _block(SENT, lines=6, x0=50, x1=300, top=200),
            _block(SENT, lines=5, x0=311, x1=561, top=100),
            _block(SENT, lines=3, x0=331, x1=541, top=200),  # the quote
            _block(SENT, lines=3, x0=316, x1=556, top=300),  # 5 pt in: no quote
        ]
    )
    assert (311.0, 561.0) in doc.facts.cache["columns"]
    assert _types(doc) == ["paragraph", "paragraph", "paragraph", "quote", "paragraph"]
