"""Lines -> blocks, in reading order.

Reads the pages' lines; writes ``doc.blocks`` (paragraph blocks and tables, in reading order)
and the facts later stages need: ``Facts.body_size`` (the text's type size) and
``Facts.hyphens_marked``.

Extracted text (``TEXT_BREAKS``): blank lines separate paragraphs; a line that starts with
whitespace after a sentence end starts a new one, and so do the other text rules below.

PDF (``PDF_BREAKS``): consecutive lines (reader order) stay in one block while they are
geometrically one paragraph: small vertical gap, same column, same size and weight. Tables come
out of the line stream first (``layout/tables.py``), and each page's blocks are then put in
reading order (``layout/order.py``).

A break rule looks at two consecutive lines and answers True (a new block starts), False (they
stay together: decided) or None (no opinion: the next rule asks); no rule deciding means they
stay together.
"""

from __future__ import annotations

import re

from reflow.layout.code import code_runs, make_code, monospace_fonts
from reflow.layout.columns import baseline_rows, page_gutters, rejoin_split_line
from reflow.layout.join import make_block
from reflow.layout.order import reading_order
from reflow.layout.paragraphs import (
    body_indent,
    column_rights,
    dash_run_on,
    hanging_label,
    indent_paragraph,
    line_fill,
    list_like,
)
from reflow.layout.rtl import merge_rtl_fragments
from reflow.layout.ruled import make_ruled_table, ruled_tables
from reflow.layout.tables import make_table, make_tagged_table, table_runs, tagged_tables
from reflow.lexicon import (
    BULLET_ONLY,
    CALLOUT_LINE,
    DIVISION_LABEL,
    GLYPH_BULLETS,
    LIST_MARKER,
    RTL_CHARS,
    SMALL_WORDS,
    Lazy,
    ends_sentence,
    heading_like,
    maybe_marker,
)
from reflow.model import Block, Document, Line, Producer
from reflow.rules import rule
from reflow.settings import BlockSettings

# Tagged roles of running text whose lines a structure element groups.
TEXT_ROLES = frozenset({"p", "li", "quote", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "code"})
TOC_LINE = Lazy(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)


def _flush(cur: list[Line], out: list[Block], hyphens_marked: bool) -> None:
    if cur:
        out.append(make_block(cur, hyphens_marked=hyphens_marked))
        cur.clear()


# --------------------------------------------------------------------------------------------
# Extracted text


class _TextPair:
    """Two consecutive lines of extracted text, and what the break rules need to know."""

    __slots__ = ("prev", "ln", "run", "width", "s")

    def __init__(self, width: int, s: BlockSettings) -> None:
        self.width, self.s = width, s


def _text_wrap_width(doc: Document, s: BlockSettings) -> int:
    lengths = sorted(len(ln.text) for ln in doc.lines() if ln.text)
    if not lengths:
        return 80
    return lengths[int(len(lengths) * s.text_wrap_percentile)]


@rule("indent-new-paragraph", stage="blocks")
def indent_new_paragraph(p: _TextPair) -> bool | None:
    """A line that starts with whitespace after a sentence end starts a paragraph
    (" In the spring of 2006, ..." after "past mistakes.": the seed's extractor kept the
    first-line indent)."""
    return True if p.ln.indent and ends_sentence(p.prev.text) else None


@rule("short-last-line-text", stage="blocks")
def short_last_line_text(p: _TextPair) -> bool | None:
    """A sentence end well short of the wrap width, then a capitalised line or a quote: the
    paragraph ended there."""
    prev, ln = p.prev, p.ln
    if (
        ends_sentence(prev.text)
        and len(prev.text) < p.s.text_short_last_line_share * p.width
        and (ln.text[:1].isupper() or ln.text[:1] in "“\"‘'")
    ):
        return True
    return None


@rule("heading-line", stage="blocks")
def heading_line(p: _TextPair) -> bool | None:
    """A short first line without end punctuation, then a capitalised line, is a heading
    ("The view from the ground" / "Iran, Russia and ..."); a title wrapped after a small word
    ("Intervene in" / "Belarus") goes on."""
    prev, ln = p.prev, p.ln
    if (
        p.run == 1
        and heading_like(prev.text)
        and len(prev.text) < p.s.text_heading_line_share * p.width
        and ln.text[:1].isupper()
        and prev.text.split()[-1].lower() not in SMALL_WORDS
    ):
        return True
    return None


@rule("callout-line", stage="blocks")
def callout_line(p: _TextPair) -> bool | None:
    """ "Related article: <headline>" stands alone: a break after such a label line that does
    not end a sentence, and before one that follows a sentence end."""
    if CALLOUT_LINE.match(p.prev.text) and not ends_sentence(p.prev.text):
        return True
    if CALLOUT_LINE.match(p.ln.text) and ends_sentence(p.prev.text):
        return True
    return None


@rule("list-marker-text", stage="blocks")
def list_marker_text(p: _TextPair) -> bool | None:
    """A line that starts with a list marker ("- ", "1.", "(a)") starts a block."""
    return True if LIST_MARKER.match(p.ln.text) else None


@rule("short-line", stage="blocks")
def short_line(p: _TextPair) -> bool | None:
    """A line far shorter than the wrap width was not wrapped (a menu item, a label, a name):
    a capitalised line after it starts anew. A title set narrow runs longer; a line cut after
    a comma or a small word goes on."""
    prev, ln = p.prev, p.ln
    if (
        len(prev.text.strip()) < p.s.text_short_line_share * p.width
        and ln.text[:1].isupper()
        and prev.text.rstrip()[-1:] not in ",-–—(:;"
        and prev.text.split()[-1].lower() not in SMALL_WORDS
    ):
        return True
    return None


TEXT_BREAKS = [
    indent_new_paragraph,
    short_last_line_text,
    heading_line,
    callout_line,
    list_marker_text,
    short_line,
]


def _text_blocks(doc: Document, s: BlockSettings) -> list[Block]:
    pair = _TextPair(_text_wrap_width(doc, s), s)
    blocks: list[Block] = []
    for page in doc.pages:
        cur: list[Line] = []
        for ln in page.lines:
            if not ln.text:
                _flush(cur, blocks, False)
                continue
            if cur:
                pair.prev, pair.ln, pair.run = cur[-1], ln, len(cur)
                for brk in TEXT_BREAKS:
                    if brk(pair):
                        _flush(cur, blocks, False)
                        break
            cur.append(ln)
        _flush(cur, blocks, False)
    return blocks


# --------------------------------------------------------------------------------------------
# PDF


class _Pair:
    """Two consecutive lines of a PDF page, the block so far, and what the rules need: the line
    after them (``nxt``, or None), the document's body indent, the column's right edge."""

    __slots__ = (
        "first",
        "prev",
        "ln",
        "nxt",
        "x0",
        "x1",
        "size",
        "gap",
        "usual",
        "indent",
        "right",
        "s",
    )

    def __init__(self, s: BlockSettings) -> None:
        self.s = s


def _runs(ln: Line) -> tuple:
    # a line's style runs; a one-style line is its own run (runs() would make a Span for it)
    return ln.spans or ((ln,) if ln.font is not None else ())


@rule("font-change", stage="blocks")
def font_change(p: _Pair) -> bool | None:
    """A size change, or the switch between a wholly bold line and a plain one (a heading and
    its paragraph), starts a block. A bold label that ends plain ("Related article: New York
    Man" / "Pleads Guilty...") continues."""
    a, b = p.prev, p.ln
    if a.size and b.size and abs(a.size - b.size) > p.s.font_change_share * max(a.size, b.size):
        return True
    ra, rb = _runs(a), _runs(b)
    if not ra or not rb:
        return True if a.bold != b.bold else None
    if a.bold and ra[-1].bold and not rb[0].bold:
        return True
    if b.bold and rb[0].bold and not ra[-1].bold:
        return True
    return None


@rule("line-spacing", stage="blocks")
def typical_gaps(doc: Document, s: BlockSettings | None = None) -> dict[float, float]:
    """The usual white space between two lines of one paragraph, per font size (the most common
    gap between vertically adjacent lines of that size). Set solid (0.2 em) or loose (0.6 em,
    common in Korean and Chinese reports), it tells a paragraph gap from line spacing better
    than one fixed ratio. Lines whose boxes overlap count too: LibreOffice sets 10 pt type at a
    13 pt pitch in 14 pt boxes, and without them the paragraph gap was the usual one."""
    s = s or BlockSettings()
    hist: dict[float, dict[float, int]] = {}
    for page in doc.pages:
        prev = None
        for ln in page.lines:
            if prev is not None and prev.bbox and ln.bbox and prev.size and ln.size:
                a, b = prev.bbox, ln.bbox
                gap = b[1] - a[3]
                # same size, vertically adjacent, overlapping horizontally
                if (
                    -s.spacing_overlap_em * ln.size <= gap < s.spacing_max_em * ln.size
                    and abs(prev.size - ln.size) < 0.05 * ln.size
                    and (a[2] if a[2] < b[2] else b[2]) > (a[0] if a[0] > b[0] else b[0])
                ):
                    h = hist.setdefault(round(ln.size * 2) / 2, {})
                    g = round(gap * 2) / 2
                    h[g] = h.get(g, 0) + 1
            prev = ln
    out = {}
    for k, h in hist.items():
        g, n = max(h.items(), key=lambda kv: kv[1])
        if n >= s.spacing_min_pairs:
            out[k] = g
    return out


@rule("origin-change", stage="blocks")
def origin_change(p: _Pair) -> bool | None:
    """A form field's value or an annotation's text (Line.origin, readers/annots.py) is a block
    of its own: "Name:" from the page and "Ada Lovelace" typed into the field beside it are
    two blocks, so the output says which text the file's own page holds."""
    return True if p.prev.origin != p.ln.origin else None


@rule("column-jump", stage="blocks")
def column_jump(p: _Pair) -> bool | None:
    """The next line is above the previous one, or beside the block so far: the reader moved
    to another column or region."""
    a, b = p.prev.bbox, p.ln.bbox
    if b[3] < a[1] + 1 or b[0] > p.x1 + 2 or b[2] < p.x0 - 2:
        return True
    return None


@rule("tagged-blocks", stage="blocks")
def tagged_blocks(p: _Pair) -> bool | None:
    """Where a tagged PDF names the paragraph, list item or heading of both lines, that
    decides (Chromium prints: no spacing between list items, a <br> in a P). The lines of one
    element stay together unless a change of type size parts them (a heading the page put
    inside a paragraph's element)."""
    a, b = p.prev.tag, p.ln.tag
    if not (a and b and a.role in TEXT_ROLES and b.role in TEXT_ROLES):
        return None
    if a.block != b.block:
        return True
    prev, ln = p.prev, p.ln
    return bool(prev.size and ln.size and abs(prev.size - ln.size) > p.s.font_change_share * p.size)


@rule("paragraph-gap", stage="blocks")
def paragraph_gap(p: _Pair) -> bool | None:
    """More white space between two lines than the document's line spacing at that size
    (``line-spacing``) starts a new block; without a usual spacing, more than about half an
    em does."""
    s = p.s
    if p.usual is None:
        limit = s.paragraph_gap_em * p.size
    else:
        limit = max(s.paragraph_gap_min_em * p.size, p.usual + s.paragraph_gap_over_em * p.size)
    return True if p.gap > limit else None


@rule("list-marker", stage="blocks")
def list_marker(p: _Pair) -> bool | None:
    """A line that starts with a list marker ("•", "1.", "(a)"), or a bullet alone on its
    line, starts a block; not a dash that goes on the sentence before it (``dash-run-on``)."""
    t = p.ln.text
    if maybe_marker(t) and (LIST_MARKER.match(t) or BULLET_ONLY.match(t)):
        if dash_run_on(p.prev, p.ln, p.first, p.right, p.s):
            return None
        return True
    return None


def _maybe_toc(t: str) -> bool:
    return (". ." in t or "...." in t) and bool(TOC_LINE.search(t))


@rule("toc-line", stage="blocks")
def toc_line(p: _Pair) -> bool | None:
    """Table-of-contents lines ("Preface . . . . . xi") stand alone."""
    return True if _maybe_toc(p.prev.text) or _maybe_toc(p.ln.text) else None


@rule("first-line-indent", stage="blocks")
def first_line_indent(p: _Pair) -> bool | None:
    """A line indented from the block's left edge after a sentence end opens a paragraph
    ("   Paragraph"), in a column wide enough for an indent to mean something; not a line set
    under the text after its item's label (``hanging-label``)."""
    s, size = p.s, p.size
    if hanging_label(p.first, p.ln, s):
        return None
    if (
        p.ln.bbox[0] - p.x0 > s.first_line_indent_em * size
        and ends_sentence(p.prev.text)
        and p.x1 - p.x0 > s.first_line_min_width_em * size
    ):
        return True
    return None


@rule("learned-indent", stage="blocks")
def learned_indent(p: _Pair) -> bool | None:
    """The document's own first-line indent opens a paragraph (``indent-paragraph``, learned by
    ``body-indent``); not in a list item, whose hanging indent may be as deep ("• “Pat
    Carlineo ... she said" / "in an email.")."""
    if list_like(p.first.text) or hanging_label(p.first, p.ln, p.s):
        return None  # a list item (a bullet from a symbol font starts with a glyph)
    right = None if p.right is None else max(p.right, p.x1)
    return indent_paragraph(p.prev, p.ln, p.nxt, p.x0, p.indent, right, p.s)


@rule("filled-line", stage="blocks")
def filled_line(p: _Pair) -> bool | None:
    """A sentence's end with room for the next word on its line ends the paragraph
    (``line-fill``, against the column's right edge from ``column-right``)."""
    if p.right is None:
        return None
    return line_fill(p.prev, p.ln, max(p.right, p.x1), p.s)


@rule("short-last-line", stage="blocks")
def short_last_line(p: _Pair) -> bool | None:
    """A sentence end well short of the column's right edge, then a capitalised line: the
    paragraph ended there (paragraphs set without spacing or indent). Right-to-left lines end
    at the left, so they are not judged so."""
    s, size, prev = p.s, p.size, p.prev
    width = p.x1 - p.x0
    if (
        width > s.short_last_line_min_width_em * size
        and prev.bbox[2] < p.x0 + s.short_last_line_share * width
        and p.ln.text[:1].isupper()
        and ends_sentence(prev.text)
        and not RTL_CHARS.search(prev.text[:1] or "a")
    ):
        return True
    return None


@rule("list-item-end", stage="blocks")
def list_item_end(p: _Pair) -> bool | None:
    """A line that starts left of a list item's marker ends the item: no continuation line of
    an item runs left of its marker ("3. It also has contrast stitching ..." / "In-car
    infotainment comes ...": a word processor's list, then a paragraph, no space between)."""
    if p.ln.bbox[0] < p.first.bbox[0] - p.s.indent_align_pt and list_like(p.first.text):
        return True
    return None


@rule("division-label", stage="blocks")
def division_label(p: _Pair) -> bool | None:
    """A division's label alone on its line ("Chapter 1", "Part II", "Appendix A") and the title
    set under it, as large or larger, are one heading ("Chapter 1" / "Executive summary" in a
    LaTeX report: two headings before), however far apart."""
    prev, ln = p.prev, p.ln
    if p.first is not prev or not DIVISION_LABEL.match(prev.text.strip()):
        return None
    if ln.size < prev.size * (1 - p.s.font_change_share) or len(ln.text.split()) > 12:
        return None
    return False if p.gap < p.s.division_max_gap_em * p.size else None


_LABEL_NUMBER = re.compile(r"^\[(\d{1,4})\]\s")


@rule("label-sequence", stage="blocks")
def label_sequence(p: _Pair) -> bool | None:
    """A line opening with the label after the block's own ("[2] T. Chen ..." under a block
    that opened with "[1]"), at the block's left edge, after a sentence's end, is the next
    entry of a numbered bibliography, however full the line before it ran."""
    m = _LABEL_NUMBER.match(p.ln.text.lstrip())
    if not m or abs(p.ln.bbox[0] - p.first.bbox[0]) > p.s.indent_align_pt:
        return None
    head = _LABEL_NUMBER.match(p.first.text.lstrip())
    if head and int(head.group(1)) + 1 == int(m.group(1)) and ends_sentence(p.prev.text):
        return True
    return None


# The order matters: the first rule with an opinion decides.
PDF_BREAKS = [
    origin_change,
    column_jump,
    tagged_blocks,
    division_label,
    list_item_end,
    paragraph_gap,
    font_change,
    list_marker,
    toc_line,
    label_sequence,
    learned_indent,
    first_line_indent,
    filled_line,
    short_last_line,
]


def _pdf_breaks(p: _Pair, gaps: dict[float, float], body: float) -> bool:
    prev, ln = p.prev, p.ln
    if prev.page != ln.page or not prev.bbox or not ln.bbox:
        return True
    size = prev.size or body
    p.size = size if size >= 1.0 else 1.0
    p.gap = ln.bbox[1] - prev.bbox[3]
    p.usual = gaps.get(round(p.size * 2) / 2) if gaps else None
    for brk in PDF_BREAKS:
        verdict = brk(p)
        if verdict is not None:
            return verdict
    return False


@rule("body-size", stage="blocks")
def body_size(doc: Document) -> float:
    """The font size that carries most characters is the body text's (10 pt when no line
    has a size)."""
    weight: dict[float, int] = {}
    for ln in doc.lines():
        if ln.size:
            k = round(ln.size * 2) / 2
            weight[k] = weight.get(k, 0) + len(ln.text)
    return max(weight, key=weight.get) if weight else 10.0


@rule("glyph-bullet", stage="blocks")
def space_glyph_bullet(ln: Line) -> None:
    """A bullet set in a symbol font right against its text ("-Security fundamentals", the "-"
    from a dingbat font) gets the space a list marker has."""
    if len(ln.spans) < 2 or ln.spans[0].text not in GLYPH_BULLETS or len(ln.text) < 2:
        return
    if ln.text[1].isspace() or ln.spans[0].font == ln.spans[1].font:
        return
    ln.text = ln.text[0] + " " + ln.text[1:]
    for lk in ln.links:
        if lk.start >= 1:
            lk.start += 1
        if lk.end >= 1:
            lk.end += 1


def _pdf_blocks(doc: Document, s: BlockSettings) -> list[Block]:
    body = doc.facts.body_size = body_size(doc)
    marked = doc.facts.hyphens_marked
    gaps = typical_gaps(doc, s)
    pair = _Pair(s)
    pair.indent = body_indent(doc, s)
    mono = monospace_fonts(doc, s)
    blocks: list[Block] = []
    for page in doc.pages:
        if any(RTL_CHARS.search(ln.text) for ln in page.lines[:50]):
            page.lines = merge_rtl_fragments(page.lines, s)
        for ln in page.lines:
            space_glyph_bullet(ln)
        page_blocks: list[Block] = []
        cur: list[Line] = []
        x0 = x1 = 0.0
        gutters = page_gutters(page.lines, s)
        lines = [ln for ln in page.lines if ln.text.strip()]
        raw = column_rights(lines, gutters, pair.indent, s)
        lines = [
            ln
            for row in baseline_rows(lines, s)
            for ln in (
                rejoin_split_line(row, gutters, s, True, raw.get(id(row[0])))
                if len(row) > 2
                else row
            )
        ]
        rights = column_rights(lines, gutters, pair.indent, s)
        lines = code_runs(
            ruled_tables(tagged_tables(lines, s), page, doc.settings.graphics, s), mono, s
        )
        # the page's items in order: tables whole, other lines one by one (a rule may look at
        # the line after the two it judges)
        items: list[tuple[str, object]] = []
        for kind, run in table_runs(lines, s, page.rulings):
            if kind in ("tagged-table", "table", "code", "ruled-table"):
                items.append((kind, run))
            else:
                row = [ln for (ln,) in run]
                if len(row) > 1:
                    right = rights.get(id(row[0]))
                    row = rejoin_split_line(row, gutters, s, False, right)
                items.extend(("line", ln) for ln in row)
        for k, (kind, item) in enumerate(items):
            if kind in ("tagged-table", "ruled-table"):
                _flush(cur, page_blocks, marked)
                make = make_tagged_table if kind == "tagged-table" else make_ruled_table
                page_blocks.append(make(item[0], marked))
                continue
            if kind == "table":
                _flush(cur, page_blocks, marked)
                page_blocks.append(make_table(item, marked))
                continue
            if kind == "code":
                _flush(cur, page_blocks, marked)
                page_blocks.append(make_code(item[0], mono, s))
                continue
            ln = item
            if cur:
                pair.first, pair.prev, pair.ln, pair.x0, pair.x1 = cur[0], cur[-1], ln, x0, x1
                nxt = items[k + 1] if k + 1 < len(items) else None
                pair.nxt = nxt[1] if nxt is not None and nxt[0] == "line" else None
                pair.right = rights.get(id(cur[-1]))
                if _pdf_breaks(pair, gaps, body):
                    _flush(cur, page_blocks, marked)
            if not cur:
                x0, x1 = (ln.bbox[0], ln.bbox[2]) if ln.bbox else (0.0, 0.0)
            elif ln.bbox:
                if ln.bbox[0] < x0:
                    x0 = ln.bbox[0]
                if ln.bbox[2] > x1:
                    x1 = ln.bbox[2]
            cur.append(ln)
        _flush(cur, page_blocks, marked)
        blocks.extend(reading_order(page_blocks, s, gutters=gutters))
    return blocks


@rule("hyphens-marked", stage="blocks")
def hyphens_marked(doc: Document) -> bool:
    """A web browser hyphenates only where the page marks it (a soft hyphen, or CSS
    hyphenation, which it prints as U+2010 and the reader turns into a soft break), so in a
    browser's print (``Facts.producer``: its print header and footer, or its user agent as the
    Creator) a plain hyphen-minus at a line end is the word's own ("pro-" + "Western",
    "once-in-a-" + "generation"), and no word list is needed to tell."""
    scanned = any(p.ocr for p in doc.pages)  # a scanned print shows its soft breaks as "-"
    return doc.kind == "pdf" and doc.facts.producer is Producer.BROWSER and not scanned


def build_blocks(doc: Document) -> Document:
    s = doc.settings.blocks
    doc.facts.hyphens_marked = hyphens_marked(doc)
    doc.blocks = _pdf_blocks(doc, s) if doc.kind == "pdf" else _text_blocks(doc, s)
    return doc
