"""Paragraph boundaries learned per document: the body's first-line indent, the columns' right
edges, whether a line was filled.

``layout/blocks.py`` asks these rules about two consecutive lines (``PDF_BREAKS``); this module
learns what they need once per document or page:

- ``body-indent``: the document's first-line indent, the usual offset of a line that is set in
  from both the line before it and the line after it (LaTeX's 15 pt at 10 pt, a book's 1 em).
- ``column-right``: each line's column right edge on its page (columns from ``column-gutter``),
  so the fill of a line is judged against its column, not against the lines of its block so far.
- ``indent-paragraph``: a line indented by the body indent, after which the text goes back to
  the left edge, opens a paragraph (whatever the previous line ends with: "2016.1", a footnote's
  mark, is no sentence end to the lexicon).
- ``line-fill``: a line that ends a sentence with room left for the next line's first word opens
  no line: the paragraph ended there (ragged-right text without indent or spacing; a justified
  paragraph's last line).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

from reflow.layout.columns import Gutter
from reflow.lexicon import (
    GLYPH_BULLETS,
    LIST_MARKER,
    RTL_CHARS,
    Lazy,
    ends_sentence,
    maybe_marker,
)
from reflow.model import Document, Line
from reflow.rules import rule
from reflow.settings import BlockSettings

# A full stop, closing quotes and brackets after it, and a footnote's mark ("forces.1").
_FULL_STOP = Lazy(r"[.!?…][\"”’)\]»]*(?:(?<=[^\W\d_][.!?])\d{1,2}|(?<=[.!?][”’\"»)])\d{1,2})?$")
# A sentence end with a footnote's mark after it ("forces.1", "love.”2"); not "3.1".
_MARKED_END = Lazy(r"(?:(?<=[^\W\d_][.!?])|(?<=[.!?][”’\"»)]))\d{1,2}$")


def ends_sentence_marked(text: str) -> bool:
    """``ends_sentence``, also with a footnote's mark after the sentence's end."""
    text = text.rstrip()
    return ends_sentence(text) or (
        bool(text) and text[-1].isdigit() and ends_sentence(_MARKED_END.sub("", text))
    )


def list_like(text: str) -> bool:
    """A line that starts a list item: a list marker, a bullet, or a symbol font's glyph (a
    control, private-use or symbol character: '\x84', '\uf0b7'); not a bracket ("[4] ...", a
    reference's label)."""
    t = text.lstrip()
    if not t:
        return False
    if maybe_marker(t) and LIST_MARKER.match(t):
        return True
    return t[0] in GLYPH_BULLETS or unicodedata.category(t[0])[0] in "CS"


def _adjacent(a: Line, b: Line, s: BlockSettings) -> bool:
    """``b`` is the line under ``a`` in one paragraph's setting: same size, close below."""
    size = a.size or 10.0
    gap = b.bbox[1] - a.bbox[3]
    return (
        abs(a.size - b.size) <= 0.05 * size
        and -s.spacing_overlap_em * size <= gap < s.indent_max_gap_em * size
    )


@rule("body-indent", stage="blocks")
def body_indent(doc: Document, s: BlockSettings | None = None) -> float | None:
    """The document's first-line indent: the most common offset (to the point) of a line set in
    from the line after it, where the line before it starts where the line after it does (three
    lines of one column: the end of a paragraph, the indented start of the next, its second
    line), between ``indent_min_em`` and ``indent_max_em``; at least ``indent_min_count`` of
    them. None: the document does not indent its paragraphs (or too few show it). A list's
    hanging indent is not counted (a marker line before or after the three). Motivating case: LaTeX papers, whose paragraphs only a 15 pt indent parts, came
    out as one block per page."""
    s = s or BlockSettings()
    hist: dict[int, list[float]] = {}
    for page in doc.pages:
        lines = [ln for ln in page.lines if ln.bbox and ln.text.strip() and ln.size]
        for a, b, c in zip(lines, lines[1:], lines[2:], strict=False):
            if not (_adjacent(a, b, s) and _adjacent(b, c, s)):
                continue
            d = b.bbox[0] - c.bbox[0]
            size = b.size
            if (
                abs(a.bbox[0] - c.bbox[0]) <= s.indent_align_pt
                and not (list_like(a.text) or list_like(c.text))
                and s.indent_min_em * size <= d <= s.indent_max_em * size
            ):
                hist.setdefault(round(d), []).append(d)
    if not hist:
        return None
    best = max(
        hist, key=lambda k: len(hist[k]) + len(hist.get(k - 1, ())) + len(hist.get(k + 1, ()))
    )
    near = [d for k in (best - 1, best, best + 1) for d in hist.get(k, ())]
    if len(near) < s.indent_min_count:
        return None
    near.sort()
    return near[len(near) // 2]


@rule("column-right", stage="blocks")
def column_rights(
    lines: list[Line], gutters: list[Gutter], indent: float | None, s: BlockSettings
) -> dict[int, float]:
    """Each line's column right edge (by ``id``): the rightmost end of the lines that start
    where it does (or one body indent left of it) in its column on the page, a column being
    the band between two gutters (a line across a gutter, a title, belongs to the page's full
    width). Ragged-right text judged against its block's lines so far took a paragraph's second
    line for its column's width; judged against the page, a wide table beside a column."""
    bands: list[tuple[float, float]] = []
    left = float("-inf")
    for g in sorted(gutters, key=lambda g: g.x0):
        bands.append((left, g.x0))
        left = g.x1
    bands.append((left, float("inf")))
    tol = s.indent_align_pt
    groups: dict[int, list[tuple[float, float, int]]] = {}  # band -> (x0, x1, id)
    for ln in lines:
        if not ln.bbox:
            continue
        x0, _, x1, _ = ln.bbox
        k = -1  # across a gutter
        for i, (a, b) in enumerate(bands):
            if x0 >= a - tol and x1 <= b + tol:
                k = i
                break
        groups.setdefault(k, []).append((x0, x1, id(ln)))
    out: dict[int, float] = {}
    for items in groups.values():
        items.sort()
        starts = [x0 for x0, _, _ in items]
        ends = [x1 for _, x1, _ in items]
        # the widest end of the lines starting in [lo, hi): lines of one column mostly start
        # at one x, so each range is measured once (not once per line: n^2 on a long page)
        widest: dict[tuple[int, int], float] = {}
        for x0, x1, key in items:
            right = x1
            for at in (x0, x0 - indent) if indent else (x0,):
                span = (bisect_left(starts, at - tol), bisect_right(starts, at + tol))
                w = widest.get(span)
                if w is None:
                    w = widest[span] = max(ends[span[0] : span[1]], default=float("-inf"))
                if w > right:
                    right = w
            out[key] = right
    return out


@rule("indent-paragraph", stage="blocks")
def indent_paragraph(
    prev: Line,
    ln: Line,
    nxt: Line | None,
    x0: float,
    indent: float | None,
    right: float | None,
    s: BlockSettings,
) -> bool | None:
    """A line set in by the document's body indent (``body-indent``) from its block's left
    edge opens a paragraph when the line before it ended one (a sentence's end, a footnote's
    mark after it included: "2016.1", or room left at the column's right edge) and the line
    under it goes back to that edge (or none follows). A list item's second line, set in as
    far under its marker, follows a line that runs on ("assignments to" / "represent ..."); a
    hyphen at the previous line's end goes on."""
    if indent is None:
        return None
    d = ln.bbox[0] - x0
    if abs(d - indent) > s.indent_match_pt or prev.text.rstrip()[-1:] in "-\u2010\u00ad":
        return None
    size = prev.size or 10.0
    ended = ends_sentence_marked(prev.text) or (
        right is not None and right - prev.bbox[2] > s.fill_slack_em * size
    )
    if not ended:
        return None
    if nxt is not None and nxt.bbox and _adjacent(ln, nxt, s):
        return True if abs(nxt.bbox[0] - x0) <= s.indent_align_pt else None
    return True


@rule("line-fill", stage="blocks")
def line_fill(prev: Line, ln: Line, right: float, s: BlockSettings) -> bool | None:
    """A line that ends a sentence (a full stop, not a closing quote or a colon alone),
    leaving room at its column's right edge (``column-right``) for the next line's first word
    and more, ended its paragraph when the next line starts one (a capital or an opening
    quote, or a reference's label, "[3] R. Ortega ..."): ragged-right text that neither indents
    nor spaces its paragraphs (LaTeX's
    \\raggedright, a word processor's left-aligned text), a justified paragraph's last line.
    Both lines start at one left edge (centred lines are judged by others); right-to-left lines
    end at the left and are not judged so."""
    t = ln.text.strip()
    if not t or abs(ln.bbox[0] - prev.bbox[0]) > s.indent_align_pt:
        return None
    if not _FULL_STOP.search(prev.text.rstrip()) or not (
        t[0].isupper() or t[0] in "“\"‘'(" or (t[0] == "[" and ITEM_LABEL.match(t))
    ):
        return None
    if RTL_CHARS.search(prev.text[:1] or "a"):
        return None
    first = t.split()[0]
    size = prev.size or 10.0
    word = (ln.bbox[2] - ln.bbox[0]) * len(first) / max(1, len(t))
    room = right - prev.bbox[2]
    return True if room > word + s.fill_slack_em * size else None


DASHES = "-\u2013\u2014"


@rule("dash-run-on", stage="blocks")
def dash_run_on(prev: Line, ln: Line, first: Line, right: float | None, s: BlockSettings) -> bool:
    """A dash opening a line goes on the sentence of the line before it ("... in New York in
    2010" / "– after Epstein was released ...", "350 partners" / "- you couldn't ask ..."): the
    line before does not end a sentence or a clause, and runs to its column's right edge
    (``column-right``) with no room for the dash and the word after it, and both lines start at
    one left edge. A list of dash items whose lines are not set in (its block opened with the
    same dash there) keeps its items apart; LaTeX's nested "–" items are set in."""
    t = ln.text.lstrip()
    if right is None or len(t) < 3 or t[0] not in DASHES or not t[1].isspace():
        return False
    size = prev.size or 10.0
    align = s.dash_align_em * size
    if abs(ln.bbox[0] - prev.bbox[0]) > align or ends_sentence(prev.text):
        return False
    head = first.text.lstrip()
    if head[:1] == t[0] and abs(first.bbox[0] - ln.bbox[0]) <= align:
        return False
    words = t.split()
    need = (ln.bbox[2] - ln.bbox[0]) * (len(words[0]) + 1 + len(words[1])) / max(1, len(t))
    return right - prev.bbox[2] < need


# An item's opening label: a reference's "[12]", a list's "3." "(a)" "iv)", a bullet.
ITEM_LABEL = Lazy(
    r"^(?:\[[\w.-]{1,8}\]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlc]{1,5}[.)]|["
    + re.escape(GLYPH_BULLETS)
    + r"])\s+(?=\S)"
)


@rule("hanging-label", stage="blocks")
def hanging_label(first: Line, ln: Line, s: BlockSettings) -> bool:
    """``ln`` goes on with the item ``first`` opened: ``first`` starts with a label ("[1]",
    "3.", "•") and ``ln`` starts where the text after the label does (the label's share of
    the line's characters, within ``hanging_label_em``): a bibliography's hanging indent
    ("[1] L. Moreau. Reading habits and the printed page." / "Journal of Civic Data Studies,
    2023."), a list item's wrapped last line after a quotation's close ("... in our team,”"
    / "Mahut said."), which read as first-line indents after a sentence's end. A line that
    opens with a label itself is the next item."""
    t = first.text
    m = ITEM_LABEL.match(t)
    if not m or not first.bbox or not ln.bbox or ln.bbox[0] <= first.bbox[0]:
        return False
    if ITEM_LABEL.match(ln.text):
        return False  # the next item, set in by a first-line indent
    at = first.bbox[0] + (first.bbox[2] - first.bbox[0]) * m.end() / len(t)
    return abs(ln.bbox[0] - at) <= s.hanging_label_em * (first.size or 10.0)
