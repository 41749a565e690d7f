"""Lines -> blocks (``layout/blocks.py``, tables from ``layout/tables.py``): where a paragraph
starts, in extracted text (``TEXT_BREAKS``) and in PDFs (``PDF_BREAKS``), and the facts the
block stage writes (body size, hyphens marked)."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import reflow
from reflow.layout.blocks import build_blocks, merge_rtl_fragments, typical_gaps
from reflow.model import Document, Line, Page, Producer, Span, Tag

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "corpora" / "layout"

# --------------------------------------------------------------------------------------------
# Extracted text

L1 = "The committee met on Tuesday to review the plan for the new bridge over"
L2 = "the river, and after a long debate it agreed that work should start soon."
L3 = "Engineers will survey the site in the spring and report back to the panel"
L4 = "before the summer recess, when the council is expected to vote on it all."


def _text_blocks(*lines: str) -> list[str]:
    return [b.text for b in reflow.convert_text("\n".join(lines) + "\n", article=False).blocks]


def test_indent_new_paragraph_after_a_sentence_end_in_extracted_text():
    assert _text_blocks(L1, L2, " " + L3, L4) == [f"{L1} {L2}", f"{L3} {L4}"]
    # the same lines without the indent are one paragraph; an indent mid-sentence is no break
    assert _text_blocks(L1, L2, L3, L4) == [f"{L1} {L2} {L3} {L4}"]
    assert _text_blocks(L1, " " + L2, L3, L4) == [f"{L1} {L2} {L3} {L4}"]


def test_short_last_line_text_ends_a_paragraph_before_a_capital():
    assert _text_blocks(L1, L2, L3, "before the vote.", L1, L2) == [
        f"{L1} {L2} {L3} before the vote.",
        f"{L1} {L2}",
    ]
    # before a lower-case line it goes on (a wrapped sentence), and a full-width one is no end
    ends = _text_blocks(L1, L2, L3, "before the vote.", "and more follows to end this paragraph.")
    assert len(ends) == 1
    assert _text_blocks(L1, L2, L3, L4, L1) == [f"{L1} {L2} {L3} {L4} {L1}"]


def test_heading_line_stands_apart_but_a_title_wrapped_after_a_small_word_goes_on():
    head = "The view from the ground floor today"
    assert _text_blocks(head, L1, L2, L3, L4) == [head, f"{L1} {L2} {L3} {L4}"]
    wrapped = _text_blocks("Why the council wants to intervene in", "Belarus and what it costs", L1)
    assert wrapped[0].startswith("Why the council wants to intervene in Belarus and what")


def test_callout_line_stands_alone_between_paragraphs():
    label = "Related: Council approves new cycling lanes"
    assert _text_blocks(L1, L2, label, L3, L4) == [f"{L1} {L2}", label, f"{L3} {L4}"]
    # the word without a label's colon is running text
    line = "Related reading on the bridge follows in the annex of the report and"
    assert len(_text_blocks(L1, L2, line, L3, L4)) == 1


def test_list_marker_text_starts_a_block_but_a_number_without_its_dot_does_not():
    items = [
        "- the first point of the plan, which is the bridge over the river itself",
        "- the second point of the plan, which is the road that leads onto it",
    ]
    doc = reflow.convert_text("\n".join([L1, L2, *items]) + "\n", article=False)
    assert [b.text for b in doc.blocks] == [f"{L1} {L2}", items[0][2:], items[1][2:]]
    assert [b.type for b in doc.blocks[1:]] == ["list_item", "list_item"]
    year = "1990 was the year the first bridge was built, and the second came in"
    assert len(_text_blocks(L1, year, L3, L4)) == 1


def test_short_line_menu_items_stand_alone_but_a_line_cut_after_a_comma_goes_on():
    assert _text_blocks("Home", "World", "Politics", L1, L2) == [
        "Home",
        "World",
        "Politics",
        f"{L1} {L2}",
    ]
    letter = _text_blocks(L1, L2, "", "Dear residents,", "We write to you about the bridge.", L3)
    assert letter[1].startswith("Dear residents, We write to you")


@given(
    st.lists(
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=12),
            min_size=3,
            max_size=40,
        ),
        min_size=1,
        max_size=12,
    )
)
def test_blank_lines_separate_paragraphs_and_keep_every_word(paras):
    src = "\n\n".join(" ".join(p) + "." for p in paras)
    doc = reflow.convert_text(src)
    out = [w for b in doc.blocks for w in b.text.split()]
    assert [w.rstrip(".") for w in out] == [w for p in paras for w in p]


# --------------------------------------------------------------------------------------------
# PDF

WORDS = (
    "the council said on tuesday that its plan for the new bridge would go ahead after a long "
    "review"
).split()


def _txt(i: int) -> str:
    return " ".join(WORDS[i % 5 :] + WORDS[: i % 5])


def _line(text, top, x0=50.0, x1=550.0, size=10.0, **kw) -> Line:
    return Line(text, 1, bbox=(x0, top, x1, top + size), size=size, **kw)


def _pdf(lines: list[Line], producer: Producer = Producer.UNKNOWN) -> Document:
    doc = Document(source="t", kind="pdf")
    doc.facts.producer = producer
    page = Page(1, 600, 800)
    page.lines = lines
    doc.pages = [page]
    return build_blocks(doc)


def _texts(lines: list[Line]) -> list[str]:
    return [b.text for b in _pdf(lines).blocks]


def test_font_change_parts_a_heading_from_its_paragraph():
    assert _texts([_line("A big heading here", 100, size=14), _line(_txt(1), 116)]) == [
        "A big heading here",
        _txt(1),
    ]
    bold = _texts([_line("A bold heading", 100, bold=True), _line(_txt(1), 112)])
    assert bold == ["A bold heading", _txt(1)]
    assert len(_texts([_line(_txt(0), 100), _line(_txt(1), 112)])) == 1


def test_font_change_a_bold_label_that_ends_plain_goes_on():
    label = _line(
        "Related article: New York Man",
        100,
        spans=[Span("Related article:", bold=True, size=10), Span(" New York Man", size=10)],
    )
    rest = _line("Pleads Guilty to Fraud in Court", 112, spans=[Span("Pleads Guilty", size=10)])
    assert _texts([label, rest]) == [
        "Related article: New York Man Pleads Guilty to Fraud in Court"
    ]


def _loose(paragraphs: int, lines: int, pitch: float, gap: float) -> list[Line]:
    out, y = [], 100.0
    for _ in range(paragraphs):
        for i in range(lines):
            out.append(_line(_txt(i) + ("." if i == lines - 1 else ""), y))
            y += pitch
        y += gap
    return out


def test_line_spacing_loose_lines_are_one_paragraph_and_paragraph_gaps_still_part():
    # set loose (6 pt between 10 pt lines, as Korean and Chinese reports are): a fixed half-em
    # threshold would split every line; the document's own spacing keeps the paragraphs
    lines = _loose(3, 4, 16.0, 10.0)
    doc = _pdf(lines)
    assert typical_gaps(doc) == {10.0: 6.0}
    assert len(doc.blocks) == 3


def test_paragraph_gap_more_white_space_than_the_line_spacing_starts_a_block():
    solid = _loose(3, 4, 12.0, 8.0)  # 2 pt line spacing, 10 pt between paragraphs
    assert len(_texts(solid)) == 3
    assert len(_texts(_loose(1, 4, 12.0, 0.0))) == 1
    # two lines only: no usual spacing to go by, so more than half an em parts them
    assert len(_texts(_loose(1, 2, 16.0, 0.0))) == 2
    assert len(_texts(_loose(1, 2, 14.0, 0.0))) == 1


def test_column_jump_a_line_beside_or_above_the_block_starts_a_new_one():
    left = [_line(_txt(0), 100, 50, 290), _line(_txt(1), 112, 50, 290)]
    right = [_line(_txt(2), 100, 310, 550), _line(_txt(3), 112, 310, 550)]
    assert _texts(left + right) == [f"{_txt(0)} {_txt(1)}", f"{_txt(2)} {_txt(3)}"]
    up = _texts([_line(_txt(0), 200), _line(_txt(1), 212), _line(_txt(2), 100)])
    assert len(up) == 2


def test_tagged_blocks_the_structure_tree_names_the_paragraph():
    def p(block):
        return Tag("p", block=block)

    # two elements set tight: two paragraphs; a <br> inside one element: one
    assert len(_texts([_line(_txt(0), 100, tag=p(1)), _line(_txt(1), 111, tag=p(2))])) == 2
    assert len(_texts([_line(_txt(0), 100, tag=p(1)), _line(_txt(1), 124, tag=p(1))])) == 1
    assert len(_texts([_line(_txt(0), 100), _line(_txt(1), 124)])) == 2  # untagged: the gap


def test_list_marker_starts_a_block_and_a_year_does_not():
    got = _texts(
        [
            _line("• the first point of the plan", 100),
            _line("• the second point of the plan", 111),
            _line("1990 was the year it was built", 122),
        ]
    )
    assert got == [
        "• the first point of the plan",
        "• the second point of the plan 1990 was the year it was built",
    ]


def test_toc_line_each_entry_stands_alone():
    toc = ["Preface . . . . . . . . xi", "Introduction . . . . . . . 1", "Methods . . . . . . 7"]
    assert _texts([_line(t, 100 + 11 * i) for i, t in enumerate(toc)]) == toc
    pause = ["He paused . . . . and then went on to say that", "the plan would go ahead after all"]
    assert len(_texts([_line(t, 100 + 11 * i) for i, t in enumerate(pause)])) == 1


def test_first_line_indent_after_a_sentence_end_opens_a_paragraph():
    lines = [_line(_txt(0), 100), _line(_txt(1) + ".", 111), _line(_txt(2), 122, 70)]
    lines.append(_line(_txt(3), 133))
    assert len(_texts(lines)) == 2
    lines[1] = _line(_txt(1), 111)  # no sentence end before it: the indent is something else
    assert len(_texts(lines)) == 1


def _latex_style(last_lines: list[str]) -> list[str]:
    """Paragraphs parted only by a 15 pt first-line indent (LaTeX's), four lines each, the last
    one as given (short, or full width when it ends in a hyphen): the first word of each block."""
    lines, y = [], 100.0
    for p, end in enumerate(last_lines):
        for i in range(4):
            x0 = 72.0 + (15.0 if i == 0 else 0.0)
            if i == 3:
                lines.append(_line(end, y, x0, 540.0 if end.endswith("-") else 272.0))
            else:
                lines.append(_line((f"P{p} " if i == 0 else "") + _txt(p * 3 + i), y, x0, 540.0))
            y += 12.0
    return [b.text.split()[0] for b in _pdf(lines).blocks]


def test_indent_paragraph_the_documents_indent_opens_a_paragraph_after_a_short_line():
    # "as the mayor put it" ends no sentence, but leaves the column's edge: the next line, set
    # in by the body indent, opens a paragraph
    ends = ["in the end."] * 2 + ["as the mayor put it"] + ["in the end."] * 2
    assert _latex_style(ends) == ["P0", "P1", "P2", "P3", "P4"]


def test_indent_paragraph_not_after_a_hyphen():
    ends = ["in the end."] * 2 + ["of the long and costly inter-"] + ["in the end."] * 2
    assert _latex_style(ends) == ["P0", "P1", "P2", "P4"]


def test_short_last_line_a_sentence_ending_short_of_the_column_ends_the_paragraph():
    short = _line("the bridge is done.", 111, 50, 200)
    nxt = "Next paragraph " + _txt(2)
    assert len(_texts([_line(_txt(0), 100), short, _line(nxt, 122), _line(_txt(3), 133)])) == 2
    # a full line that ends a sentence, or a lower-case line after the short one: no end
    full = _line(_txt(1) + ".", 111)
    assert len(_texts([_line(_txt(0), 100), full, _line(nxt, 122)])) == 1
    assert len(_texts([_line(_txt(0), 100), short, _line("next " + _txt(2), 122)])) == 1


def test_body_size_is_the_size_that_carries_most_characters():
    doc = _pdf(
        [_line("A Title", 50, size=24)] + [_line(_txt(i), 100 + 14 * i, size=12) for i in range(5)]
    )
    assert doc.facts.body_size == 12.0
    doc = _pdf(
        [_line("Short body", 50, size=12)]
        + [_line(_txt(i) * 2, 100 + 14 * i, size=9) for i in range(3)]
    )
    assert doc.facts.body_size == 9.0


def test_rtl_line_words_on_one_baseline_make_one_line():
    words = ["תחילה", "באה", "המילה"]  # logical order; x runs leftwards
    lines = [_line(w, 100, 500 - i * 40, 530 - i * 40) for i, w in enumerate(words)]
    merged = merge_rtl_fragments(lines)
    assert len(merged) == 1 and merged[0].text == " ".join(words)


def test_rtl_line_fragments_on_other_baselines_or_in_latin_stay_apart():
    words = ["תחילה", "באה", "המילה"]
    lines = [_line(w, 100 + 30 * i, 500, 530) for i, w in enumerate(words)]
    assert len(merge_rtl_fragments(lines)) == 3
    latin = [_line(w, 100, 50 + i * 40, 80 + i * 40) for i, w in enumerate(["one", "two", "six"])]
    assert [ln.text for ln in merge_rtl_fragments(latin)] == ["one", "two", "six"]


def test_glyph_bullet_from_a_symbol_font_gets_a_space_and_makes_a_list_item():
    ln = _line(
        "-Security fundamentals",
        100,
        spans=[Span("-", font="Wingdings", size=10), Span("Security fundamentals", font="Arial")],
    )
    assert _texts([ln]) == ["- Security fundamentals"]
    same = _line(
        "-well known", 100, spans=[Span("-", font="Arial"), Span("well known", font="Arial")]
    )
    assert _texts([same]) == ["-well known"]


def test_hyphens_marked_browser_prints_keep_every_plain_hyphen_at_a_line_end():
    """A browser marks its own hyphenation (soft hyphen / U+2010, read as a soft break), so a
    hyphen-minus at a line end in a browser's print belongs to the word; elsewhere the word
    list decides."""

    def doc_from(producer):
        lines = [_line("a co-", 100, 50, 300), _line("operation deal", 114, 50, 300)]
        return _pdf(lines, producer)

    browser = doc_from(Producer.BROWSER)
    assert browser.facts.hyphens_marked and browser.blocks[0].text == "a co-operation deal"
    other = doc_from(Producer.UNKNOWN)
    assert not other.facts.hyphens_marked and other.blocks[0].text == "a cooperation deal"


# --------------------------------------------------------------------------------------------
# Tables


def test_simple_table_rows_of_short_aligned_cells_are_a_table():
    rows = [("Team", "Won", "Lost"), ("Harbor", "12", "3"), ("Hill", "9", "6"), ("Lake", "4", "11")]
    lines = [
        _line(cell, 100 + r * 12, 50 + c * 150, 50 + c * 150 + 5 * len(cell))
        for r, row in enumerate(rows)
        for c, cell in enumerate(row)
    ]
    (table,) = _pdf(lines).blocks
    assert table.type == "table"
    assert table.rows == [list(r) for r in rows]


def test_simple_table_not_for_prose_in_two_columns():
    lines = []
    for r in range(4):
        lines.append(_line(_txt(r)[:60], 100 + r * 12, 50, 290))
        lines.append(_line(_txt(r + 1)[:60], 100 + r * 12, 310, 550))
    doc = _pdf(lines)
    assert all(b.type == "paragraph" for b in doc.blocks)
    assert sorted(" ".join(b.text for b in doc.blocks).split()) == sorted(
        " ".join(ln.text for ln in lines).split()
    )


def _cell(text, row, cell, top, x0):
    return _line(text, top, x0, x0 + 60, tag=Tag("cell", block=cell, row=row, group=1))


def test_tagged_table_a_data_table_of_the_structure_tree_keeps_its_rows():
    lines = [
        _cell("Region", 0, 1, 100, 50),
        _cell("Support", 0, 2, 100, 200),
        _cell("North", 1, 3, 112, 50),
        _cell("54%", 1, 4, 112, 200),
    ]
    (table,) = _pdf(lines).blocks
    assert table.type == "table" and table.rows == [["Region", "Support"], ["North", "54%"]]


def test_tagged_table_a_layout_table_holding_paragraphs_is_text():
    lines = [_cell(_txt(i), 0, 1, 100 + 12 * i, 50) for i in range(6)]
    lines += [_cell(_txt(i), 1, 2, 200 + 12 * i, 50) for i in range(6)]
    doc = _pdf(lines)
    assert [b.type for b in doc.blocks] == ["paragraph", "paragraph"]


def test_tagged_print_gives_list_items_quote_and_table():
    doc = reflow.convert(SUITE / "longread-1col-sans-running-hf.pdf", article=False)
    types = [b.type for b in doc.blocks]
    assert types.count("list_item") >= 4
    assert "quote" in types
    table = next(b for b in doc.blocks if b.type == "table")
    assert table.rows[0] == ["Region", "Support", "Oppose", "Undecided"]
    assert all(len(r) == 4 for r in table.rows)


def test_untagged_path_keeps_every_word(monkeypatch):
    monkeypatch.setenv("REFLOW_NO_TAGS", "1")
    path = SUITE / "news-1col-letter-serif.pdf"
    plain = reflow.convert(path, article=False)
    assert all(ln.tag is None for p in plain.pages for ln in p.lines)
    monkeypatch.delenv("REFLOW_NO_TAGS")
    tagged = reflow.convert(path, article=False)
    # Bullets drawn as shapes are not text; the tagged path adds their "-" marker.
    words = lambda d: sorted(w for w in d.text.split() if w != "-")  # noqa: E731
    assert words(plain) == words(tagged)
