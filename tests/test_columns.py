"""Columns from the page's geometry: gutters, and reading order across them."""

import random

from reflow.layout.blocks import build_blocks
from reflow.layout.columns import page_gutters
from reflow.model import Document, Line, Page

WORDS = (
    "the council said on tuesday that its plan for the new bridge would go ahead after a long "
    "review of the costs and of what the residents had asked for in the spring"
).split()


def _line(text, x0, top, x1, size=10.0, page=1):
    return Line(text=text, page=page, bbox=(x0, top, x1, top + size), size=size)


def _text(rng, n=9):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _column(rng, x0, x1, top, paras, label, pitch=12.0):
    """Justified lines of a few paragraphs (first line indented, last line short)."""
    lines, y = [], top
    for p in range(paras):
        for i in range(5):
            start = x0 + (15 if i == 0 else 0)
            end = x1 if i < 4 else x0 + 80
            text = f"{label}{p}" + (" " + _text(rng) if i < 4 else " end.")
            lines.append(_line(text, start, y, end))
            y += pitch
        y += 4
    return lines


def test_column_gutter_narrow_two_columns_are_read_column_by_column():
    # pdfTeX's two columns, 6 pt apart once protrusion is counted: less than any fixed gap
    # between blocks that would not also cut a page at a chance gap
    rng = random.Random(1)
    left = _column(rng, 54, 301, 100, 4, "L")
    right = _column(rng, 307, 554, 100, 4, "R", pitch=12.5)
    gutters = page_gutters(left + right)
    assert len(gutters) == 1 and 301 <= gutters[0].x0 < gutters[0].x1 <= 307
    doc = Document(source="t", kind="pdf")
    page = Page(number=1, width=612, height=792)
    # stream order interleaves nothing, but the blocks' order is the cut's to decide
    page.lines = [_line("A Title Across Both Columns", 150, 60, 460, 17.0), *left, *right]
    doc.pages.append(page)
    build_blocks(doc)
    labels = [b.text.split()[0] for b in doc.blocks]
    assert labels == ["A", "L0", "L1", "L2", "L3", "R0", "R1", "R2", "R3"]


def test_column_gutter_not_from_justified_word_gaps():
    # one column of justified lines that the reader split at wide word gaps: the gaps fall at
    # a different place on every line, so no gutter
    rng = random.Random(2)
    lines = []
    for i in range(40):
        cut = rng.uniform(120, 480)
        lines.append(_line(_text(rng, 5), 54, 100 + 12 * i, cut))
        lines.append(_line(_text(rng, 5), cut + 30, 100 + 12 * i, 558))
    assert page_gutters(lines) == []


def test_column_gutter_not_for_a_column_of_list_numbers():
    # "3." "4." set apart beside each item's first line: labels, not a column of text
    rng = random.Random(3)
    lines = []
    for i in range(8):
        lines.append(_line(f"{i + 1}.", 51, 100 + 40 * i, 62))
        for k in range(3):
            lines.append(_line(_text(rng), 70, 100 + 40 * i + 12 * k, 540))
    assert page_gutters(lines) == []


def test_column_gutter_three_columns():
    rng = random.Random(4)
    cols = [(40, 200), (206, 366), (372, 532)]
    lines = [ln for k, (a, b) in enumerate(cols) for ln in _column(rng, a, b, 80, 5, f"C{k}")]
    gutters = sorted(page_gutters(lines), key=lambda g: g.x0)
    assert [(round(g.x0), round(g.x1)) for g in gutters] == [(200, 206), (366, 372)]
