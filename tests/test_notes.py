"""Footnotes (structure/notes.py): a note is tied to the mark the text carries, the mark becomes
``[^n]`` and the note ``[^n]: ...`` at the document's end, as GFM writes footnotes."""

from __future__ import annotations

from pathlib import Path

import pytest

import reflow
from reflow.model import Block, BlockType, Document, NoteRef
from reflow.render.markdown import render_markdown
from reflow.settings import DEFAULT
from reflow.structure.notes import (
    footnote_number,
    footnote_reference,
    footnotes_at_end,
    place_notes,
)

SUITE = Path(__file__).resolve().parent.parent / "corpora" / "producers"
S = DEFAULT.roles


def _p(text: str, page: int = 1, kind: BlockType = BlockType.PARAGRAPH) -> Block:
    return Block(kind, text, page=page, pages=[page])


def _doc(blocks: list[Block]) -> Document:
    doc = Document(source="x.pdf", kind="pdf")
    doc.blocks = blocks
    return doc


def test_footnote_number_glued_or_spaced():
    assert footnote_number(_p("1The status of the game"), S)[0] == "1"
    assert footnote_number(_p("2 We use bottled water."), S)[0] == "2"
    # "12 See" may be note 12, or note 1 whose text starts "2 See": longest first
    assert footnote_number(_p("12 See the appendix."), S) == ["12", "1"]
    assert footnote_number(_p("* Corresponding author"), S) == ["*"]
    assert footnote_number(_p("The status"), S) == []


def test_footnote_reference_after_sentence_end_not_in_numbers():
    used: set = set()
    body = _p("Section 3.1 shows it. He caught two passes.1 Glass was 20-of-24.")
    hit = footnote_reference([body], 1, "1", used, S)
    assert hit is not None and body.text[hit[1] - 7 : hit[1] + 1] == "passes.1"
    # a year closing a sentence, then the mark; names with a digit are not references
    yr = _p("It ran from 2008 to 2016.1 Of the rest, the i1 and MP1 sold.")
    hit = footnote_reference([yr], 1, "1", used, S)
    assert hit is not None and yr.text[hit[1] - 5 : hit[1] + 1] == "2016.1"
    assert (
        footnote_reference([_p("Revenue grew 3.1 per cent, said MP1 and i1.")], 1, "1", used, S)
        is None
    )
    # only text on the note's page
    assert footnote_reference([_p("He said.1 Then", page=2)], 1, "1", used, S) is None


def test_footnotes_at_end_in_reference_order_markdown_gfm():
    a = _p("He caught two passes.1 Glass was fine.")
    n1 = _p("1The status of the quarterback is uncertain.", kind=BlockType.FOOTNOTE)
    b = _p("Trade talks go on, people said.”2 More later.", page=2)
    n2 = _p("2 But it may morph into something bigger.", page=2, kind=BlockType.FOOTNOTE)
    c = _p("The last paragraph.", page=2)
    doc = place_notes(_doc([a, n1, b, n2, c]))
    assert [x.type for x in doc.blocks][-2:] == [BlockType.FOOTNOTE, BlockType.FOOTNOTE]
    assert a.notes == [NoteRef(21, 22, "1")] and n1.marker == "1" and n2.marker == "2"
    md = render_markdown(doc)
    assert "two passes.[^1] Glass" in md and "people said.”[^2] More" in md
    assert md.rstrip().endswith(
        "[^1]: The status of the quarterback is uncertain.\n\n"
        "[^2]: But it may morph into something bigger."
    )
    assert doc.to_dict()["blocks"][0]["notes"] == [{"start": 21, "end": 22, "marker": "1"}]
    # the plain text keeps what the page prints
    assert "passes.1 Glass" in doc.text and "1The status" in doc.text


def test_footnotes_at_end_leaves_a_note_nothing_cites():
    a = _p("Nothing cites the note here.")
    n1 = _p("1 An orphan note.", kind=BlockType.FOOTNOTE)
    c = _p("After it.")
    doc = place_notes(_doc([a, n1, c]))
    assert doc.blocks == [a, n1, c] and not n1.marker
    footnotes_at_end(doc, [a])
    assert doc.blocks == [n1, c, a]


@pytest.mark.parametrize(
    "doc_id",
    [
        "pdftex-onecol/paper-27-times-indent-section",
        "pdftex-twocol/paper-04-tgtermes-twocolumn-gutter10pt-twoside",
    ],
)
def test_footnote_reference_producer_suite_paper(doc_id):
    """A pdfTeX paper's notes come out as GFM footnotes: references where the text has them,
    the notes at the end, in the reference Markdown's words."""
    md = reflow.convert(SUITE / f"{doc_id}.pdf").markdown
    ref = (SUITE / f"{doc_id}.expected.md").read_text(encoding="utf-8")
    ref_notes = [ln for ln in ref.splitlines() if ln.startswith("[^")]
    out_notes = [ln for ln in md.splitlines() if ln.startswith("[^")]
    assert out_notes == ref_notes and len(ref_notes) == 2
    assert md.rstrip().endswith(ref_notes[-1])
    for ln in ref.splitlines():
        if "[^1]" in ln and not ln.startswith("[^"):
            assert ln in md


def test_footnote_reference_closing_a_paragraph_after_a_space():
    used: set = set()
    body = _p("He visited the island notorious for parties. 1")
    hit = footnote_reference([body], 1, "1", used, S)
    assert hit is not None and hit[1] == len(body.text) - 1
    body.notes = [NoteRef(hit[1], hit[1] + 1, "1")]
    assert (
        render_markdown(_doc([body])).strip() == "He visited the island notorious for parties.[^1]"
    )
    # a number in running text after a space is no reference
    assert footnote_reference([_p("He scored. 1 more to go")], 1, "1", used, S) is None
    assert footnote_reference([_p("Items: 1")], 1, "1", used, S) is None


def test_footnote_by_reference_note_set_as_large_as_the_text():
    """LibreOffice sets its notes in the body's size: a paragraph closing the page that opens
    with the mark the text above it carries is the note."""
    from reflow.model import Page

    a = Block(
        BlockType.PARAGRAPH, "One place we had not yet visited.1 We always", 1, (72, 300, 540, 366)
    )
    other = Block(BlockType.PARAGRAPH, "3 reasons to stay hydrated.", 1, (72, 500, 540, 520))
    note = Block(BlockType.PARAGRAPH, "1 We use bottled water.", 1, (72, 693, 507, 720))
    nxt = Block(BlockType.PARAGRAPH, "The next page.", 2, (72, 72, 540, 100))
    doc = _doc([a, other, note, nxt])
    doc.pages = [Page(number=1, width=612, height=792), Page(number=2, width=612, height=792)]
    place_notes(doc)
    assert note.type == BlockType.FOOTNOTE and doc.blocks[-1] is note
    assert other.type == BlockType.PARAGRAPH  # not at the page's foot
    assert "visited.[^1] We" in doc.markdown and "[^1]: We use bottled water." in doc.markdown


def test_rejoin_past_notes_a_paragraph_the_notes_parted():
    """LibreOffice sets its notes as large as the text: heal does not pass them, and the
    paragraph a page break cut comes out in two around them until they go to the end."""
    from reflow.model import Page

    a = Block(
        BlockType.PARAGRAPH,
        "Trade talks stalled, and people said.1 Deadline reports that",
        1,
        (72, 600, 540, 678),
    )
    note = Block(
        BlockType.PARAGRAPH, "1 Webb still faces nine state charges.", 1, (72, 692, 535, 713)
    )
    rest = Block(BlockType.PARAGRAPH, "production could start next year.", 2, (72, 78, 539, 100))
    doc = _doc([a, note, rest])
    doc.pages = [Page(number=1, width=612, height=792), Page(number=2, width=612, height=792)]
    place_notes(doc)
    assert [b.text for b in doc.blocks] == [
        "Trade talks stalled, and people said.1 Deadline reports that production could start "
        "next year.",
        "1 Webb still faces nine state charges.",
    ]
    assert "people said.[^1] Deadline" in doc.markdown


def test_footnote_split_two_notes_read_as_one_block():
    a = _p(
        "The Identity Theft Resource Center1 reports breaches. Studies from the Ponemon Institute2 revealed costs."
    )
    notes = _p("1 http://www.idtheftcenter.org 2 http://www.ponemon.org/", kind=BlockType.FOOTNOTE)
    doc = place_notes(_doc([a, notes]))
    assert [b.text for b in doc.blocks[1:]] == [
        "1 http://www.idtheftcenter.org",
        "2 http://www.ponemon.org/",
    ]
    md = doc.markdown
    assert "Center[^1] reports" in md and "Institute[^2] revealed" in md
    assert md.rstrip().endswith(
        "[^1]: http://www.idtheftcenter.org\n\n[^2]: http://www.ponemon.org/"
    )
    # a number inside the note that nothing cites stays in it
    b = _p("He said so.1 Then more.")
    n = _p("1 See pages 2 and 3 of the report.", kind=BlockType.FOOTNOTE)
    doc = place_notes(_doc([b, n]))
    assert doc.blocks[-1].text == "1 See pages 2 and 3 of the report."
