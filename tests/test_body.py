"""The body of a web print (``structure/body.py``): its type and column, the columns of a
multi-column print, and sidebars beside them."""

import re
from pathlib import Path

import reflow
from reflow.model import Block, Document, Line, Span
from reflow.settings import ArticleSettings
from reflow.structure.article import select_article
from reflow.structure.body import BlockFeatures, body_columns, body_style, mark_sides, off_column

SENT = (
    "The committee met on Tuesday to review the plan and agreed after a long debate that the "
    "work should start in the spring, once the weather allows the crews to reach the site."
)
WORDS = SENT.rstrip(".").split()


def _para(i: int) -> str:
    """A sentence of its own (no paragraph is a copy of another, which article mode drops)."""
    k = i % len(WORDS)
    return " ".join(WORDS[k:] + WORDS[:k]).capitalize() + f" (part {i})."


def _block(text, size=10.0, x0=50.0, x1=500.0, top=100.0, font="Serif", page=1) -> Block:
    line = Line(text=text, page=page, size=size, spans=[Span(text=text, size=size, font=font)])
    return Block("paragraph", text, page, size=size, bbox=(x0, top, x1, top + 20), lines=[line])


def _web(blocks: list[Block]) -> Document:
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    doc.blocks = blocks
    return doc


def _style(blocks: list[Block]):
    feats = [BlockFeatures(b) for b in blocks]
    return feats, *body_style(blocks, feats, ArticleSettings())


def test_body_style_is_the_font_and_column_of_the_running_text():
    blocks = [_block(_para(i)) for i in range(12)]
    blocks += [_block(_para(20 + i), size=9.0, font="Sans", x0=520, x1=590) for i in range(3)]
    blocks.append(_block(_para(30), x1=590))  # one wide line in the body's type
    _, font, col = _style(blocks)
    assert font == ("Serif", 10.0)
    assert col == (48.0, 500.0)  # the wide line does not widen the column


def test_body_style_none_without_running_text():
    _, font, col = _style([_block("Home"), _block("World"), _block("Sport news today")])
    assert font is None and col is None


def test_off_column_sidebar_beside_the_body_column_is_dropped():
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    for i in range(6):
        doc.blocks.append(_block(f"({i}) {SENT}"))
        doc.blocks.append(_block("Five places to swim outdoors this summer", x0=520, x1=590))
    select_article(doc)
    assert all(b.bbox[0] < 510 for b in doc.blocks)
    assert sum(r.reason == "boilerplate" for r in doc.removed) == 6


def _two_columns() -> list[Block]:
    left = [_block(_para(i), x0=50, x1=290, top=100 + 50 * i) for i in range(4)]
    right = [_block(_para(10 + i), x0=310, x1=550, top=100 + 50 * i) for i in range(4)]
    pull = _block("Pull quote of the right column", x0=310, x1=400, top=190)
    return left + right[:2] + [pull] + right[2:]


def test_body_columns_a_second_column_as_wide_in_the_body_font_is_body_not_a_sidebar():
    blocks = _two_columns()
    feats, font, col = _style(blocks)
    s = ArticleSettings()
    assert col == (48.0, 290)
    assert body_columns(feats, font, col, s) == [(48.0, 290), (312.0, 552.0)]
    mark_sides(feats, font, col, s)
    assert not any(off_column(f) for f in feats)
    doc = _web(_two_columns())
    select_article(doc)
    assert [b.text for b in doc.blocks] == [b.text for b in _two_columns()]


def test_off_column_a_narrow_block_beside_a_one_column_body():
    blocks = [_block(_para(i)) for i in range(6)]
    blocks += [_block("Five places to swim outdoors this summer", x0=520, x1=590)]
    blocks += [_block(_para(9), x0=30, x1=500)]  # wider than the column: not beside it
    feats, font, col = _style(blocks)
    mark_sides(feats, font, col, ArticleSettings())
    assert [off_column(f) for f in feats] == [False] * 6 + [True, False]


def test_body_columns_keep_headings_and_captions_in_every_column_of_a_multi_column_print():
    """Web prints in two or three columns: the other columns' headings, captions and closing
    notes are the article's, not a sidebar."""
    suite = Path(__file__).resolve().parent.parent / "corpora" / "layout"
    for name in ("analysis-3col-letter-sans", "digest-3col-a4-serif-running"):
        expected = (suite / f"{name}.expected.md").read_text(encoding="utf-8")
        doc = reflow.convert(suite / f"{name}.pdf", article=True)
        headings = {b.text for b in doc.blocks if b.type in ("heading", "title")}
        for h in re.findall(r"^#+ (.+)$", expected, flags=re.M):
            assert re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", h) in headings, (name, h)
        assert not [r for r in doc.removed if r.reason == "boilerplate" and len(r.text) > 200]
