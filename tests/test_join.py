"""Joining lines into a paragraph's text (``layout/join.py``): wraps, line-break hyphens, dashes,
CJK, and links carried along."""

from hypothesis import given
from hypothesis import strategies as st

import reflow
from reflow.layout.join import join_lines, join_texts, keep_hyphen
from reflow.model import InlineLink, Line


def test_join_wrap_lines_of_a_paragraph_are_joined_with_one_space():
    text, off = join_texts("the council said", "on Tuesday")
    assert (text, off) == ("the council said on Tuesday", len("the council said "))
    # the lines' own leading and trailing white space is not doubled, and links follow
    a = Line("  the council said  ", 1)
    b = Line("   on Tuesday it would", 1, links=[InlineLink(3, 13, "https://x.org/t")])
    text, links = join_lines([a, b])
    assert text == "the council said on Tuesday it would"
    assert [text[lk.start : lk.end] for lk in links] == ["on Tuesday"]
    # an empty side adds nothing
    assert join_texts("", "alone") == ("alone", 0)
    assert join_texts("alone", "") == ("alone", 5)


def test_real_compound_keeps_its_hyphen():
    assert join_texts("called Maidan protesters anti-", "Russian “fascists”")[0] == (
        "called Maidan protesters anti-Russian “fascists”"
    )


def test_line_break_hyphen_is_removed_from_a_known_word():
    assert join_texts("the inter-", "national community")[0] == "the international community"
    assert join_texts("careful measure-", "ments")[0] == "careful measurements"


def test_line_break_hyphen_after_a_number_is_the_texts_own():
    # "16-" + "inch": no space, the hyphen kept (it came out "16- inch")
    assert join_texts("Apple has unveiled its 16-", "inch MacBook Pro")[0] == (
        "Apple has unveiled its 16-inch MacBook Pro"
    )
    assert join_texts("the 2019-", "20 season")[0] == "the 2019-20 season"
    assert join_texts("it costs 5 -", "more")[0] == "it costs 5 - more"  # a spaced dash


def test_hyphen_kept_when_joined_word_is_not_a_word():
    assert join_texts("a once-in-a-", "generation storm")[0] == "a once-in-a-generation storm"
    assert keep_hyphen("well", "known")


def test_soft_hyphen_at_line_end_joins_without_hyphen():
    assert join_texts("the govern\u00ad", "ment said")[0] == "the government said"


def test_break_inside_a_non_word_is_a_typesetters_hyphen():
    assert join_texts("sed diam nonumy eir-", "mod tempor")[0] == "sed diam nonumy eirmod tempor"


def test_dash_join_a_break_after_a_dash_or_slash_adds_no_space():
    assert join_texts("the long—", "awaited vote")[0] == "the long—awaited vote"
    assert join_texts("pages 10–", "12 of the report")[0] == "pages 10–12 of the report"
    assert join_texts("see example.org/news/", "story.html")[0] == "see example.org/news/story.html"
    # a dash set apart by a space is a dash between words: the space stays
    assert join_texts("the vote —", "a long one")[0] == "the vote — a long one"


def test_cjk_join_chinese_and_japanese_lines_join_without_a_space():
    assert (
        join_texts("我们今天在北京举行了", "新闻发布会。")[0] == "我们今天在北京举行了新闻发布会。"
    )
    assert join_texts("東京で会議が開かれ、", "多くの人が参加した。")[0] == (
        "東京で会議が開かれ、多くの人が参加した。"
    )
    # Korean spaces its words, and Latin next to CJK keeps its space
    assert join_texts("세계적 유행", "단계에") == ("세계적 유행 단계에", 7)
    assert join_texts("使用", "Python")[0] == "使用 Python"


def test_wrapped_link_offsets_follow_the_joined_text():
    a = Line("read the report on", 1, links=[InlineLink(9, 18, "https://x.org/r")])
    b = Line("climate risk today", 1, links=[InlineLink(0, 12, "https://x.org/r")])
    text, links = join_lines([a, b])
    assert text == "read the report on climate risk today"
    assert len(links) == 1 and text[links[0].start : links[0].end] == "report on climate risk"


def test_wrapped_link_two_links_apart_stay_two():
    a = Line("see the report and", 1, links=[InlineLink(8, 14, "https://x.org/r")])
    b = Line("the annex here", 1, links=[InlineLink(4, 9, "https://x.org/r")])
    text, links = join_lines([a, b])
    assert [text[lk.start : lk.end] for lk in links] == ["report", "annex"]


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
