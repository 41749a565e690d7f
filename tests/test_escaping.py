"""Markdown escaping: text comes back verbatim from a CommonMark parser, with a backslash only
where the parser would otherwise read syntax (render/escape.py)."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflow.model import Block, BlockType, Document, InlineLink
from reflow.render.markdown import render_block, render_markdown

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
SYNTAX = {"em_open", "strong_open", "s_open", "code_inline", "html_inline", "image", "link_open"}


def parsed(md: str):
    """(block token types, inline children of the first inline token)."""
    tokens = MD.parse(md)
    inl = [t for t in tokens if t.type == "inline"]
    return [t.type for t in tokens], (inl[0].children if inl else [])


def plain(children) -> str:
    out = []
    for c in children:
        if c.type == "text":
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif c.type == "link_open":
            out.append("\x00")
    return "".join(out)


def para(text: str, links=()) -> str:
    return render_block(Block(BlockType.PARAGRAPH, text, links=list(links)))


def test_brackets_stay_plain_where_commonmark_reads_them_as_text():
    # a reference list and a Korean table label: no \[ \] (read as TeX display math)
    assert para("[1] A. Mehta. Open data portals in practice. 2015.") == (
        "[1] A. Mehta. Open data portals in practice. 2015."
    )
    assert para("[표 1] 감염병예방법 제2조") == "[표 1] 감염병예방법 제2조"
    assert para("an array a[i] and a list [x, y]") == "an array a[i] and a list [x, y]"


def test_brackets_escaped_where_they_would_make_a_link():
    for text in ("see [here](http://x.org)", "[a][b] both", "[1]: http://example.org", "![x](y)"):
        md = para(text)
        types, children = parsed(md)
        assert not {c.type for c in children} & SYNTAX, (text, md)
        assert plain(children) == text, (text, md)


def test_exclamation_before_a_link_is_no_image():
    md = para("Wow!here", [InlineLink(4, 8, "https://example.org/")])
    _, children = parsed(md)
    assert [c.type for c in children].count("link_open") == 1
    assert "image" not in {c.type for c in children}
    assert plain(children) == "Wow!\x00here"


def test_brackets_inside_an_anchor_stay_in_the_anchor():
    text = "see [1] for details"
    md = para(text, [InlineLink(4, 7, "https://example.org/ref")])
    _, children = parsed(md)
    assert plain(children) == "see \x00[1] for details"


def test_lone_delimiters_are_not_escaped():
    assert para("5 * 3 = 15") == "5 * 3 = 15"
    assert para("QIBM_DB_ZDA and SYS_PARAM") == "QIBM_DB_ZDA and SYS_PARAM"
    assert para("Corresponding author*") == "Corresponding author*"
    assert para("a < b and c > d, AT&T") == "a < b and c > d, AT&T"
    assert para("C:\\Users\\me") == "C:\\Users\\me"


def test_line_starts_that_open_a_block_are_escaped():
    for text in ("# not a heading", "- not a list", "2019. A year", "> not a quote", "---", "+ x"):
        types, children = parsed(para(text))
        assert types == ["paragraph_open", "inline", "paragraph_close"], text
        assert plain(children) == text


def test_soft_broken_lines_do_not_open_blocks():
    text = "Maria Kovalenko\n- Westbrook University\n==="
    types, children = parsed(para(text))
    assert types == ["paragraph_open", "inline", "paragraph_close"]
    assert plain(children) == text


def test_emphasis_wrappers_hold_their_text():
    md = render_block(Block(BlockType.CAPTION, "Figure 1: the author* and 2*3"))
    _, children = parsed(md)
    assert [c.type for c in children] == ["em_open", "text", "em_close"]
    assert children[1].content == "Figure 1: the author* and 2*3"


def test_heading_keeps_a_trailing_hash():
    md = render_block(Block(BlockType.HEADING, "Programming in C #", level=2))
    tokens = MD.parse(md)
    assert tokens[1].content.replace("\\", "") == "Programming in C #"
    assert html.unescape(MD.render(md)).strip() == "<h2>Programming in C #</h2>"


def test_code_fence_longer_than_backticks_inside():
    code = "```\nnot the end\n```"
    md = render_block(Block(BlockType.CODE, code))
    tokens = MD.parse(md)
    assert [t.type for t in tokens] == ["fence"] and tokens[0].content == code + "\n"


def test_table_cell_pipes_and_brackets():
    b = Block(BlockType.TABLE, "", rows=[["a|b", "[1]"], ["x", "*y*"]])
    out = MD.render(render_block(b))
    assert "<td>x</td>" in out and "<td>*y*</td>" in out and "<th>a|b</th>" in out
    assert "<th>[1]</th>" in out


ALPHABET = st.sampled_from(list("ab1 .*_~`[]()<>!&#;\\-+=|:\n") + ["&amp;", "http://x"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=30).map("".join))
def test_any_text_round_trips(text):
    text = "\n".join(" ".join(ln.split()) for ln in text.split("\n"))
    text = re.sub(r"\n+", "\n", text).strip()
    if not text:
        return
    md = render_markdown(Document("x", blocks=[Block(BlockType.PARAGRAPH, text)]))
    types, children = parsed(md)
    assert types == ["paragraph_open", "inline", "paragraph_close"], (text, md)
    assert not {c.type for c in children} & SYNTAX, (text, md)
    assert plain(children) == text, (text, md)
