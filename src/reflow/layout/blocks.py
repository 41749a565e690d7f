"""Lines -> blocks, in reading order.

Extracted text: blank lines separate paragraphs; a line that starts with whitespace after a
sentence end starts a new one (``indent-new-paragraph``); so does a short line that ends a
sentence (``short-last-line``), and a capitalised line after a line far shorter than the wrap
width (``short-line``: a web print's menu items, one a line).

PDF: consecutive lines (reader order) stay in one block while they are geometrically one
paragraph: small vertical gap, same column, same size and weight (``paragraph-gap``,
``font-change``, ``column-jump``, ``first-line-indent``, ``short-last-line``, ``list-marker``).
Blocks are then put in reading order on each page by a recursive XY cut that reads columns
top to bottom before moving right, and keeps full-width blocks (title, a wide figure) where they
sit (``reading-order``).
"""

from __future__ import annotations

import re
from statistics import median

from reflow.model import Block, Document, InlineLink, Line
from reflow.structure.heal import HYPHENS_MARKED, ends_sentence, hyphens_marked, join_lines

LIST_MARKER = re.compile(
    r"^(?:[-–•●▪◦∙·*▸►✓]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlc]{1,5}[.)])\s+\S"
)
BULLET_ONLY = re.compile(r"^[-–•●▪◦∙·*▸►]$")


def _bbox_union(lines: list[Line]):
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return None
    if len(boxes) == 1:
        return boxes[0]
    x0, y0, x1, y1 = zip(*boxes, strict=True)
    return (min(x0), min(y0), max(x1), max(y1))


def make_block(lines: list[Line], type_: str = "paragraph") -> Block:
    text, links = join_lines(lines)
    sizes = []
    nchars = nbold = nitalic = 0
    for ln in lines:  # one pass: this runs for every block
        n = len(ln.text)
        nchars += n
        if ln.bold:
            nbold += n
        if ln.italic:
            nitalic += n
        if ln.size:
            sizes.append(ln.size)
    nchars = nchars or 1
    page = lines[0].page
    pages = [page] if all(ln.page == page for ln in lines) else sorted({ln.page for ln in lines})
    return Block(
        type=type_,
        text=text,
        page=page,
        bbox=_bbox_union(lines),
        links=links,
        lines=list(lines),
        bold=nbold / nchars > 0.6,
        italic=nitalic / nchars > 0.6,
        size=(sizes[0] if len(sizes) == 1 else median(sizes)) if sizes else 0.0,
        pages=pages,
    )


def _flush(cur: list[Line], out: list[Block]) -> None:
    if cur:
        out.append(make_block(cur))
        cur.clear()


# --------------------------------------------------------------------------------------------
# Extracted text


def _text_wrap_width(doc: Document) -> int:
    lengths = sorted(len(ln.text) for ln in doc.lines() if ln.text)
    if not lengths:
        return 80
    return lengths[int(len(lengths) * 0.9)]


_SMALL_WORDS = frozenset(
    "a an the of in on at to for from by with and or but as into over under about".split()
)
CALLOUT_LINE = re.compile(
    r"^(?:related|read (?:more|also)|see also|also read|more on this|recommended)"
    r"[\w ’']{0,20}:\s*\S",
    re.IGNORECASE,
)


def heading_like(text: str) -> bool:
    """Short, capitalised, and not ending like a sentence or a clause."""
    t = text.strip()
    words = t.split()
    return (
        0 < len(words) <= 12
        and t[:1].isupper()
        and t[-1] not in ".,;:!?…-—–\"”’'"
        and not LIST_MARKER.match(t)
    )


def _text_blocks(doc: Document) -> list[Block]:
    width = _text_wrap_width(doc)
    blocks: list[Block] = []
    for page in doc.pages:
        cur: list[Line] = []

        for ln in page.lines:
            if not ln.text:
                _flush(cur, blocks)
                continue
            if cur:
                prev = cur[-1]
                # rule indent-new-paragraph: " In the spring of 2006, ..." after "past mistakes."
                if ln.indent and ends_sentence(prev.text):
                    _flush(cur, blocks)
                # rule short-last-line: a sentence end well short of the wrap width
                elif (
                    ends_sentence(prev.text)
                    and len(prev.text) < 0.75 * width
                    and (ln.text[:1].isupper() or ln.text[:1] in "“\"‘'")
                ):
                    _flush(cur, blocks)
                # rule heading-line: a short first line without end punctuation, then a
                # capitalised line ("The view from the ground" / "Iran, Russia and ..."); a
                # title wrapped after a small word ("Intervene in" / "Belarus") goes on.
                elif (
                    len(cur) == 1
                    and heading_like(prev.text)
                    and len(prev.text) < 0.6 * width
                    and ln.text[:1].isupper()
                    and prev.text.split()[-1].lower() not in _SMALL_WORDS
                ):
                    _flush(cur, blocks)
                # rule callout-line: "Related article: <headline>" stands alone.
                elif CALLOUT_LINE.match(prev.text) and not ends_sentence(prev.text):
                    _flush(cur, blocks)
                elif CALLOUT_LINE.match(ln.text) and ends_sentence(prev.text):
                    _flush(cur, blocks)
                elif LIST_MARKER.match(ln.text):
                    _flush(cur, blocks)
                # rule short-line: a line far shorter than the wrap width was not wrapped (a
                # menu item, a label, a name): a capitalised line after it starts anew. A title
                # set narrow runs longer; a line cut after a comma or a small word goes on.
                elif (
                    len(prev.text.strip()) < 0.3 * width
                    and ln.text[:1].isupper()
                    and prev.text.rstrip()[-1:] not in ",-–—(:;"
                    and prev.text.split()[-1].lower() not in _SMALL_WORDS
                ):
                    _flush(cur, blocks)
            cur.append(ln)
        _flush(cur, blocks)
    return blocks


# --------------------------------------------------------------------------------------------
# PDF


def _same_style(a: Line, b: Line) -> bool:
    """rule font-change: a size change, or the switch between a wholly bold line and a plain one
    (a heading and its paragraph). A bold label that ends plain ("Related article: New York
    Man" / "Pleads Guilty...") continues."""
    if a.size and b.size and abs(a.size - b.size) > 0.12 * max(a.size, b.size):
        return False
    # style runs; a one-style line is its own run (runs() would make a Span for it)
    ra = a.spans or ((a,) if a.font is not None else ())
    rb = b.spans or ((b,) if b.font is not None else ())
    if not ra or not rb:
        return a.bold == b.bold
    if a.bold and ra[-1].bold and not rb[0].bold:
        return False
    if b.bold and rb[0].bold and not ra[-1].bold:
        return False
    return True


def typical_gaps(doc: Document) -> dict[float, float]:
    """rule line-spacing: the usual white space between two lines of one paragraph, per font
    size (the most common gap between vertically adjacent lines of that size). Set solid
    (0.2 em) or loose (0.6 em, common in Korean and Chinese reports), it tells a paragraph gap
    from line spacing better than one fixed ratio."""
    hist: dict[float, dict[float, int]] = {}
    for page in doc.pages:
        prev = None
        for ln in page.lines:
            if prev is not None and prev.bbox and ln.bbox and prev.size and ln.size:
                a, b = prev.bbox, ln.bbox
                gap = b[1] - a[3]
                # same size, vertically adjacent, overlapping horizontally
                if (
                    0 <= gap < 1.5 * ln.size
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
        if n >= 3:
            out[k] = g
    return out


def _pdf_breaks(
    prev: Line, ln: Line, block_x0: float, block_x1: float, body: float, gaps=None
) -> bool:
    if prev.page != ln.page or not prev.bbox or not ln.bbox:
        return True
    size = prev.size or body
    if size < 1.0:
        size = 1.0
    gap = ln.bbox[1] - prev.bbox[3]
    # rule column-jump: the next line is above, or beside, the previous one
    if ln.bbox[3] < prev.bbox[1] + 1 or ln.bbox[0] > block_x1 + 2 or ln.bbox[2] < block_x0 - 2:
        return True
    # rule tagged-blocks: where a tagged PDF names the paragraph, list item or heading of both
    # lines, that decides (Chromium prints: no spacing between list items, a <br> in a P).
    usual = gaps.get(round(size * 2) / 2) if gaps else None
    limit = 0.55 * size if usual is None else max(0.45 * size, usual + 0.3 * size)
    a, b = prev.tag, ln.tag
    if a and b and a.role in TEXT_ROLES and b.role in TEXT_ROLES:
        if a.block != b.block:
            return True
        # One element: its lines stay together (a <br>, list items set solid, a bold phrase
        # filling a line), unless a change of type size parts them (a heading the page put
        # inside a paragraph's element).
        return bool(prev.size and ln.size and abs(prev.size - ln.size) > 0.12 * size)
    # rule paragraph-gap: more white space than the line spacing
    if gap > limit:
        return True
    if not _same_style(prev, ln):
        return True
    if maybe_marker(ln.text) and (LIST_MARKER.match(ln.text) or BULLET_ONLY.match(ln.text)):
        return True
    # rule toc-line: table-of-contents lines ("Preface . . . . . xi") stand alone.
    if _maybe_toc(prev.text) or _maybe_toc(ln.text):
        return True
    width = block_x1 - block_x0
    # rule first-line-indent: "   Paragraph" after a sentence end
    if ln.bbox[0] - block_x0 > 0.8 * size and ends_sentence(prev.text) and width > 10 * size:
        return True
    # rule short-last-line: a sentence end well short of the column's right edge
    if (
        width > 15 * size
        and prev.bbox[2] < block_x0 + 0.7 * width
        and ln.text[:1].isupper()
        and ends_sentence(prev.text)
        and not _RTL.search(prev.text[:1] or "a")
    ):
        return True
    return False


def body_size(doc: Document) -> float:
    """The font size that carries most characters: the body text."""
    weight: dict[float, int] = {}
    for ln in doc.lines():
        if ln.size:
            k = round(ln.size * 2) / 2
            weight[k] = weight.get(k, 0) + len(ln.text)
    return max(weight, key=weight.get) if weight else 10.0


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines (reader order) that sit side by side on one baseline form a row."""
    rows: list[list[Line]] = []
    for ln in lines:
        if not ln.bbox:
            rows.append([ln])
            continue
        if rows and rows[-1][-1].bbox and ln.page == rows[-1][-1].page:
            last = rows[-1][-1]
            tol = 0.5 * max(ln.size or 0, last.size or 0, 4.0)
            same_y = abs((ln.bbox[1] + ln.bbox[3]) / 2 - (last.bbox[1] + last.bbox[3]) / 2) < tol
            if same_y and ln.bbox[0] >= last.bbox[2] - 1:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return rows


def _aligned(a: list[Line], b: list[Line], tol: float = 12.0) -> bool:
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return False
    xa = [ln.bbox[0] for ln in a]
    xb = [ln.bbox[0] for ln in b]
    short, long_ = (xa, xb) if len(xa) <= len(xb) else (xb, xa)
    hits = sum(1 for x in short if any(abs(x - y) <= tol for y in long_))
    return hits >= len(short) - (1 if len(short) > 2 else 0)


def table_runs(lines: list[Line]) -> list[tuple[str, list[list[Line]]]]:
    """rule simple-table: two or more consecutive rows of 2+ short cells whose left edges line up
    are a table. Returns ("table", rows) and ("lines", [[line], ...]) runs in order. Prose in two
    columns is not a table: its cells would be long lines, and readers give columns one by one."""
    out: list[tuple[str, list[list[Line]]]] = []
    plain: list[Line] = []
    for item in lines:
        if isinstance(item, _TaggedTable):
            out.extend(_table_runs(plain))
            plain = []
            out.append(("tagged-table", [list(item)]))
        else:
            plain.append(item)
    out.extend(_table_runs(plain))
    return out


def _table_runs(lines: list[Line]) -> list[tuple[str, list[list[Line]]]]:
    rows = _rows(lines)
    out: list[tuple[str, list[list[Line]]]] = []
    i = 0
    while i < len(rows):
        j = i
        if len(rows[i]) >= 2:
            j = i + 1
            while j < len(rows) and _aligned(rows[j - 1], rows[j]):
                j += 1
        cells = [c for r in rows[i:j] for c in r]
        if j - i >= 2 and median(len(c.text) for c in cells) <= 40:
            out.append(("table", rows[i:j]))
            i = j
            continue
        out.append(("lines", [[ln] for ln in rows[i]]))
        i += 1
    return out


def make_table(rows: list[list[Line]]) -> Block:
    flat = [ln for r in rows for ln in r]
    b = make_block(flat, "table")
    # Columns from the row with most cells; each cell goes to the nearest column start.
    ref = max(rows, key=len)
    cols = [ln.bbox[0] for ln in ref]
    table = []
    for r in rows:
        cells = [""] * len(cols)
        for ln in r:
            k = min(range(len(cols)), key=lambda c: abs(cols[c] - ln.bbox[0]))
            cells[k] = (cells[k] + " " + ln.text.strip()).strip()
        table.append(cells)
    b.rows = table
    b.text = "\n".join(" | ".join(r) for r in table)
    b.links = []
    return b


TEXT_ROLES = {"p", "li", "quote", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "code"}


class _TaggedTable(list):
    """Lines of one data table, found from the structure tree."""


def _is_data_table(lines: list[Line]) -> bool:
    """A tagged table is data, not page layout, when it has 2+ rows, a row with 2+ cells and
    short cells (layout tables hold whole articles in a cell)."""
    rows: dict[int, set[int]] = {}
    per_cell: dict[int, int] = {}
    for ln in lines:
        rows.setdefault(ln.tag.row, set()).add(ln.tag.block)
        per_cell[ln.tag.block] = per_cell.get(ln.tag.block, 0) + 1
    return (
        len(rows) >= 2 and max(len(c) for c in rows.values()) >= 2 and max(per_cell.values()) <= 4
    )


def _tagged_tables(lines: list[Line]) -> list:
    """Replace each run of lines in one tagged data table by a _TaggedTable marker line list."""
    out: list = []
    i = 0
    while i < len(lines):
        t = lines[i].tag
        if t and t.role == "cell":
            j = i
            while (
                j < len(lines)
                and lines[j].tag
                and lines[j].tag.role == "cell"
                and (lines[j].tag.group == t.group)
            ):
                j += 1
            run = lines[i:j]
            if _is_data_table(run):
                out.append(_TaggedTable(run))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def make_tagged_table(lines: list[Line]) -> Block:
    rows: dict[int, dict[int, list[Line]]] = {}
    for ln in lines:
        rows.setdefault(ln.tag.row, {}).setdefault(ln.tag.block, []).append(ln)
    table = []
    for cells in rows.values():
        ordered = sorted(cells.values(), key=lambda c: c[0].bbox[0] if c[0].bbox else 0)
        table.append([join_lines(c)[0] for c in ordered])
    b = make_block(lines, "table")
    b.rows = table
    b.text = "\n".join(" | ".join(r) for r in table)
    b.links = []
    return b


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def is_rtl(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if _RTL.match(c)) * 2 > len(letters)


def merge_rtl_fragments(lines: list[Line]) -> list[Line]:
    """rule rtl-line: right-to-left text runs leftwards, so a reader that starts a new line when
    x goes backwards cuts Arabic and Hebrew lines into words. Consecutive fragments on one
    baseline, each to the left of the previous and close to it, are one line (logical order is
    the stream order)."""
    out: list[Line] = []
    for ln in lines:
        if ln.bbox and ln.bbox[0] > ln.bbox[2]:  # first glyph right of the last one
            ln.bbox = (ln.bbox[2], ln.bbox[1], ln.bbox[0], ln.bbox[3])
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.bbox
            and ln.bbox
            and prev.page == ln.page
            and (is_rtl(ln.text) or is_rtl(prev.text))
        ):
            size = max(prev.size, ln.size, 1.0)
            h = min(prev.bbox[3] - prev.bbox[1], ln.bbox[3] - ln.bbox[1])
            overlap = min(prev.bbox[3], ln.bbox[3]) - max(prev.bbox[1], ln.bbox[1])
            # Leftwards, or rightwards for a Latin word embedded in the line ("R و Python").
            gap = max(prev.bbox[0] - ln.bbox[2], ln.bbox[0] - prev.bbox[2])
            if h > 0 and overlap >= 0.5 * h and -0.5 * size <= gap <= 4 * size:
                off = len(prev.text) + 1
                prev.links = [
                    *prev.links,
                    *(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in ln.links),
                ]
                runs = [*prev.runs(), *ln.runs()]
                prev.text = prev.text + " " + ln.text
                prev.spans, prev.font = runs, None
                prev.bbox = (
                    min(prev.bbox[0], ln.bbox[0]),
                    min(prev.bbox[1], ln.bbox[1]),
                    max(prev.bbox[2], ln.bbox[2]),
                    max(prev.bbox[3], ln.bbox[3]),
                )
                prev.hyphen_end = ln.hyphen_end
                continue
        out.append(ln)
    return out


BULLET_GLYPHS = "-–•●▪◦∙·*▸►✓■□➢➤"
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)


_MARKER_START = frozenset("-–•●▪◦∙·*▸►✓(0123456789")


def maybe_marker(t: str) -> bool:
    """Cheap pre-test for LIST_MARKER (which runs for every line)."""
    return bool(t) and (t[0] in _MARKER_START or t[1:2] in (".", ")") or t[:1].lower() in "ivxlc")


def _maybe_toc(t: str) -> bool:
    return (". ." in t or "...." in t) and bool(TOC_LINE.search(t))


def _space_glyph_bullet(ln: Line) -> None:
    """rule glyph-bullet: a bullet set in a symbol font right against its text ("-Security
    fundamentals", the "-" from a dingbat font) gets the space a list marker has."""
    if len(ln.spans) < 2 or ln.spans[0].text not in BULLET_GLYPHS or len(ln.text) < 2:
        return
    if ln.text[1].isspace() or ln.spans[0].font == ln.spans[1].font:
        return
    ln.text = ln.text[0] + " " + ln.text[1:]
    for lk in ln.links:
        if lk.start >= 1:
            lk.start += 1
        if lk.end >= 1:
            lk.end += 1


def _pdf_blocks(doc: Document) -> list[Block]:
    body = body_size(doc)
    doc.options["body_size"] = body
    gaps = typical_gaps(doc)
    blocks: list[Block] = []
    for page in doc.pages:
        if any(_RTL.search(ln.text) for ln in page.lines[:50]):
            page.lines = merge_rtl_fragments(page.lines)
        for ln in page.lines:
            _space_glyph_bullet(ln)
        page_blocks: list[Block] = []
        cur: list[Line] = []
        x0 = x1 = 0.0

        for kind, run in table_runs(_tagged_tables([ln for ln in page.lines if ln.text.strip()])):
            if kind == "tagged-table":
                _flush(cur, page_blocks)
                page_blocks.append(make_tagged_table(run[0]))
                continue
            if kind == "table":
                _flush(cur, page_blocks)
                page_blocks.append(make_table(run))
                continue
            for (ln,) in run:
                if cur and _pdf_breaks(cur[-1], ln, x0, x1, body, gaps):
                    _flush(cur, page_blocks)
                if not cur:
                    x0, x1 = (ln.bbox[0], ln.bbox[2]) if ln.bbox else (0.0, 0.0)
                elif ln.bbox:
                    if ln.bbox[0] < x0:
                        x0 = ln.bbox[0]
                    if ln.bbox[2] > x1:
                        x1 = ln.bbox[2]
                cur.append(ln)
        _flush(cur, page_blocks)
        blocks.extend(reading_order(page_blocks))
    return blocks


def _x_groups(blocks: list[Block], min_gap: float) -> list[list[Block]]:
    items = sorted(blocks, key=lambda b: b.bbox[0])
    groups: list[list[Block]] = []
    right = -1e9
    for b in items:
        if groups and b.bbox[0] < right + min_gap:
            groups[-1].append(b)
            right = max(right, b.bbox[2])
        else:
            groups.append([b])
            right = b.bbox[2]
    return groups


def _y_bands(blocks: list[Block]) -> list[list[Block]]:
    items = sorted(blocks, key=lambda b: b.bbox[1])
    bands: list[list[Block]] = []
    bottom = -1e9
    for b in items:
        if bands and b.bbox[1] < bottom - 0.5:
            bands[-1].append(b)
            bottom = max(bottom, b.bbox[3])
        else:
            bands.append([b])
            bottom = b.bbox[3]
    return bands


def reading_order(blocks: list[Block], gutter: float = 8.0, depth: int = 0) -> list[Block]:
    """Recursive XY cut. Columns (x groups) are read left to right, each top to bottom; when no
    vertical gutter crosses the region, it is cut into horizontal bands, and neighbouring bands
    that both have columns are merged back so a chance alignment of paragraph gaps in two
    columns does not interleave them."""
    geo = [b for b in blocks if b.bbox]
    if len(geo) <= 1 or depth > 30 or len(geo) != len(blocks):
        return blocks
    cols = _x_groups(geo, gutter)
    if len(cols) > 1:
        out: list[Block] = []
        for col in cols:
            out.extend(reading_order(sorted(col, key=lambda b: b.bbox[1]), gutter, depth + 1))
        return out
    bands = _y_bands(geo)
    if len(bands) == 1:
        return sorted(geo, key=lambda b: (b.bbox[1], b.bbox[0]))
    groups: list[list[Block]] = []
    for band in bands:
        # A band that fits the columns of the group above continues it, even when it has one
        # block only (the other column has a picture there); a full-width band ends it.
        if (
            groups
            and (k := len(_x_groups(groups[-1], gutter))) > 1
            and len(_x_groups(groups[-1] + band, gutter)) == k
        ):
            groups[-1].extend(band)
        else:
            groups.append(list(band))
    if len(groups) == 1:
        # Still one region: keep the stream order (no better evidence).
        return blocks
    out = []
    for g in groups:
        out.extend(reading_order(g, gutter, depth + 1))
    return out


def build_blocks(doc: Document) -> Document:
    token = HYPHENS_MARKED.set(hyphens_marked(doc))
    try:
        doc.blocks = _pdf_blocks(doc) if doc.kind == "pdf" else _text_blocks(doc)
    finally:
        HYPHENS_MARKED.reset(token)
    return doc
