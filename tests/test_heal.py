"""Healing (``structure/heal.py``): paragraphs made whole across page and column breaks. The
joining itself (wraps, hyphens) is ``test_join.py``'s."""

from reflow.model import Block, Document, Line, Page, Tag
from reflow.structure.heal import heal


def _part(text: str, page: int, size: float = 10.0, bold: bool = False, type_="paragraph"):
    top = 600.0 if page == 1 else 100.0
    return Block(
        type_, text, page, bbox=(50.0, top, 550.0, top + 100), pages=[page], size=size, bold=bold
    )


def _healed(head: str, tail: str, **kw) -> list[str]:
    doc = Document(source="x.pdf", kind="pdf")
    doc.pages = [Page(1), Page(2)]
    doc.blocks = [_part(head, 1), _part(tail, 2, **kw)]
    return [b.text for b in heal(doc).blocks]


def test_page_break_sentence_cut_mid_sentence_is_joined_across_the_page():
    assert _healed("The council said it would hear from residents and", "then decide.") == [
        "The council said it would hear from residents and then decide."
    ]
    assert _healed("The council said it would hear from resi-", "dents and then decide.") == [
        "The council said it would hear from residents and then decide."
    ]
    # a long paragraph ending in a lower-case word goes on with a capitalised one, set alike
    head = "A long paragraph of the report asked for support from"
    assert _healed(head, "European states and others.") == [f"{head} European states and others."]


def test_page_break_sentence_leaves_a_finished_sentence_a_heading_and_other_type_apart():
    assert len(_healed("The council decided.", "then it voted on the plan.")) == 2
    assert len(_healed("Outlook from", "European states and others.")) == 2  # short: a heading
    head = "A long paragraph of the report asked for support from"
    assert len(_healed(head, "European states and others.", size=14.0)) == 2
    assert len(_healed(head, "european states and others.", type_="heading")) == 2


def _tagged_part(text: str, page: int, element: int, role: str = "p") -> Block:
    line = Line(text, page, tag=Tag(role, block=page * 100, element=element))
    return Block("paragraph", text, page, lines=[line], pages=[page])


def test_tagged_continuation_paragraph_cut_after_a_sentence_is_joined_across_the_page():
    """A tagged PDF names the paragraph: one element on both pages is one paragraph, even
    where the break falls right after a full stop and the next page starts a sentence."""
    head = "Door handles are done away with in favor of touch pads. Walk up to the car."
    tail = "The pads light up; touch one, and it pulses, vibrates, and the door opens."
    doc = Document(source="x.pdf", kind="pdf")
    doc.pages = [Page(1), Page(2)]
    doc.blocks = [_tagged_part(head, 1, 77), _tagged_part(tail, 2, 77)]
    heal(doc)
    assert [b.text for b in doc.blocks] == [head + " " + tail]
    # two elements (two paragraphs), or headings: left apart
    for a, b in [(77, 78), (0, 0)]:
        doc.blocks = [_tagged_part(head, 1, a), _tagged_part(tail, 2, b)]
        heal(doc)
        assert len(doc.blocks) == 2
    doc.blocks = [_tagged_part(head, 1, 5, "h2"), _tagged_part(tail, 2, 5, "h2")]
    heal(doc)
    assert len(doc.blocks) == 2


def test_structure_element_keys_are_the_same_on_every_page():
    # a Chromium print whose paragraph runs over a page break: its lines on both pages carry
    # one element key, read natively or not
    from pathlib import Path

    from reflow.readers.pdf import read_pdf

    pdf = Path(__file__).parent.parent / "corpora/layout/essay-1col-a4-justify.pdf"
    for native in (None, False):  # the native sampler where it builds, and the fallback
        doc = read_pdf(pdf.read_bytes(), "e.pdf", native=native)
        pages: dict[int, set[int]] = {}
        for p in doc.pages:
            for ln in p.lines:
                if ln.tag and ln.tag.element:
                    pages.setdefault(ln.tag.element, set()).add(p.number)
        assert any(len(v) > 1 for v in pages.values())
        assert sum(len(v) > 1 for v in pages.values()) < len(pages) / 4  # not all one key


def test_quote_comma_goes_on_with_its_attribution_across_the_break():
    # "... a member of the royal family,”" ends the left column; "said one legal expert" opens
    # the right one: the closing quote after a comma ends no sentence
    head = "“Prince Andrew is not entitled to any form of immunity as a member of the family,”"
    assert _healed(head, "said one legal expert, as the newspaper reported.") == [
        f"{head} said one legal expert, as the newspaper reported."
    ]
    # a quotation that ends its sentence, or one followed by a capital, stays apart
    done = "“He will not be immune,” one expert said, “whatever his rank.”"
    assert len(_healed(done, "said the next paragraph, oddly.")) == 2
    assert len(_healed(head, "Said One Legal Expert")) == 2
