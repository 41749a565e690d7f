"""Healing rules: line wraps, hyphenation, page breaks."""

from hypothesis import given
from hypothesis import strategies as st

import reflow
from reflow.layout.join import join_lines, join_texts, keep_hyphen
from reflow.model import Block, Document, Line, Page, Tag
from reflow.structure.heal import heal


def test_real_compound_keeps_its_hyphen():
    assert join_texts("called Maidan protesters anti-", "Russian “fascists”")[0] == (
        "called Maidan protesters anti-Russian “fascists”"
    )


def test_line_break_hyphen_is_removed_from_a_known_word():
    assert join_texts("the inter-", "national community")[0] == "the international community"
    assert join_texts("careful measure-", "ments")[0] == "careful measurements"


def test_hyphen_kept_when_joined_word_is_not_a_word():
    assert join_texts("a once-in-a-", "generation storm")[0] == "a once-in-a-generation storm"
    assert keep_hyphen("well", "known")


def test_soft_hyphen_at_line_end_joins_without_hyphen():
    assert join_texts("the govern\u00ad", "ment said")[0] == "the government said"


def test_wrapped_link_offsets_follow_the_joined_text():
    from reflow.model import InlineLink

    a = Line("read the report on", 1, links=[InlineLink(9, 18, "https://x.org/r")])
    b = Line("climate risk today", 1, links=[InlineLink(0, 12, "https://x.org/r")])
    text, links = join_lines([a, b])
    assert text == "read the report on climate risk today"
    assert len(links) == 1 and text[links[0].start : links[0].end] == "report on climate risk"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=12)


@given(st.lists(words, min_size=1, max_size=200), st.integers(min_value=20, max_value=90))
def test_wrapping_then_converting_loses_and_duplicates_no_word(ws, width):
    """Hard-wrap a paragraph at any width: reflow gives back exactly the same words."""
    lines, cur = [], ""
    for w in ws:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    doc = reflow.convert_text("\n".join(lines))
    out = " ".join(b.text for b in doc.blocks)
    assert out.split() == ws


@given(st.lists(st.lists(words, min_size=3, max_size=40), min_size=1, max_size=12))
def test_blank_lines_separate_paragraphs_and_keep_every_word(paras):
    src = "\n\n".join(" ".join(p) + "." for p in paras)
    doc = reflow.convert_text(src)
    out = [w for b in doc.blocks for w in b.text.split()]
    assert [w.rstrip(".") for w in out] == [w for p in paras for w in p]


def test_break_inside_a_non_word_is_a_typesetters_hyphen():
    assert join_texts("sed diam nonumy eir-", "mod tempor")[0] == "sed diam nonumy eirmod tempor"


def test_soft_hyphens_in_extracted_text_vanish_inside_words_and_join_at_line_ends():
    doc = reflow.convert_text("The com\u00adplain\u00ading ar\u00ad\u2010\nranged keys.\n")
    assert doc.blocks[0].text == "The complaining arranged keys."


def test_browser_prints_keep_every_plain_hyphen_at_a_line_end():
    """A browser marks its own hyphenation (soft hyphen / U+2010, read as a soft break), so a
    hyphen-minus at a line end in a browser's print belongs to the word; elsewhere the word
    list decides."""
    from reflow.layout.blocks import build_blocks
    from reflow.model import Document, Page, Producer

    def doc_from(producer):
        doc = Document(source="t", kind="pdf")
        doc.facts.producer = producer
        page = Page(number=1, width=600, height=800)
        page.lines = [
            Line("a co-", 1, bbox=(50, 100, 300, 112), size=10),
            Line("operation deal", 1, bbox=(50, 114, 300, 126), size=10),
        ]
        doc.pages = [page]
        return build_blocks(doc)

    assert doc_from(Producer.BROWSER).blocks[0].text == "a co-operation deal"
    assert doc_from(Producer.UNKNOWN).blocks[0].text == "a cooperation deal"


def _tagged_part(text: str, page: int, element: int, role: str = "p") -> Block:
    line = Line(text, page, tag=Tag(role, block=page * 100, element=element))
    return Block("paragraph", text, page, lines=[line], pages=[page])


def test_tagged_paragraph_cut_after_a_sentence_is_joined_across_the_page():
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


def test_chinese_and_japanese_lines_join_without_a_space():
    assert (
        join_texts("我们今天在北京举行了", "新闻发布会。")[0] == "我们今天在北京举行了新闻发布会。"
    )
    assert join_texts("東京で会議が開かれ、", "多くの人が参加した。")[0] == (
        "東京で会議が開かれ、多くの人が参加した。"
    )
    # Korean spaces its words, and Latin next to CJK keeps its space
    assert join_texts("세계적 유행", "단계에") == ("세계적 유행 단계에", 7)
    assert join_texts("使用", "Python")[0] == "使用 Python"
