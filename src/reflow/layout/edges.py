"""Page furniture by position, size and pattern, for what repetition cannot tell: a running
header or footer printed once (a one-page document, the second page of two), the pieces beside a
page number, a margin stamp. ``layout/furniture.py`` applies these rules in its stage.

- ``margin-stamp``: vertical text in a side margin (arXiv's identifier stamp).
- ``page-number-row``: the short pieces on a page number's outermost row.
- ``header-position``: the topmost row, set apart from the text below it, of short pieces.
"""

from __future__ import annotations

from reflow.lexicon import CAPTION_LABEL, Lazy, ends_sentence
from reflow.model import Document, Line, Page, Reason, Removed
from reflow.rules import rule
from reflow.settings import FurnitureSettings


def set_aside(
    doc: Document,
    page: int,
    lines: list[Line],
    reason: Reason,
    text: str | None = None,
    bbox=None,
) -> None:
    """Furniture found: into ``doc.removed`` with its reason, or, when the user keeps furniture
    (``ConvertOptions.keep_furniture``), into ``Facts.furniture`` to come back as a ``furniture``
    block in its place (layout/kept.py). Either way its lines leave the page, so
    the blocks, the healing and the roles are the same."""
    if text is None:
        text = lines[0].text
    if doc.options.keep_furniture:
        doc.facts.furniture.append((page, reason, lines, text))
        return
    if bbox is None and len(lines) == 1:
        bbox = lines[0].bbox
    doc.removed.append(Removed(text=text, reason=reason, page=page, bbox=bbox))


def same_row(a: Line, b: Line) -> bool:
    ca, cb = (a.bbox[1] + a.bbox[3]) / 2, (b.bbox[1] + b.bbox[3]) / 2
    return abs(ca - cb) <= 0.5 * max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1], 4.0)


def _vertical(ln: Line, s: FurnitureSettings) -> bool:
    x0, y0, x1, y1 = ln.bbox
    h, w = y1 - y0, x1 - x0
    return h > s.stamp_vertical_ratio * max(w, 0.1) and h >= s.stamp_min_height_em * (
        ln.size or 1.0
    )


@rule("margin-stamp", stage="furniture")
def margin_stamp(doc: Document, s: FurnitureSettings) -> None:
    """Vertical text in a side margin, beside no line of the page's text: arXiv stamps its
    identifier, subject and date up the left margin of a preprint's first page
    ("arXiv:2405.15086v2 [econ.GN] 10 May 2024"), which the reader gives as one tall, narrow
    line per word; read as text it became a run of one-word headings. The strip's lines (the
    short words of the stamp too) are removed as one margin stamp, in the stream's order."""
    for page in doc.pages:
        if not page.width or not page.lines:
            continue
        geo = [ln for ln in page.lines if ln.bbox]
        seeds = [ln for ln in geo if _vertical(ln, s)]
        if not seeds:
            continue
        left, right = page.width * s.stamp_margin_share, page.width * (1 - s.stamp_margin_share)
        taken: set[int] = set()
        for seed in seeds:
            x0, _, x1, _ = seed.bbox
            if id(seed) in taken or not (x1 <= left or x0 >= right):
                continue
            strip = [
                ln
                for ln in geo
                if min(ln.bbox[2], x1) - max(ln.bbox[0], x0)
                >= 0.5 * min(ln.bbox[2] - ln.bbox[0], x1 - x0)
            ]
            # beside no horizontal line of text (a margin, not a rotated label in the page)
            if any(
                not _vertical(ln, s) and ln.bbox[2] - ln.bbox[0] > 2 * (x1 - x0) for ln in strip
            ):
                continue
            ids = {id(ln) for ln in strip}
            taken |= ids
            boxes = [ln.bbox for ln in strip]
            set_aside(
                doc,
                page.number,
                strip,
                Reason.MARGIN_STAMP,
                " ".join(ln.text.strip() for ln in strip),
                (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                ),
            )
        if taken:
            page.lines = [ln for ln in page.lines if id(ln) not in taken]


def row_pieces(page: Page, ln: Line) -> int:
    return sum(1 for x in page.lines if x.bbox and same_row(x, ln))


def apart(page: Page, ln: Line, s: FurnitureSettings) -> bool:
    """Whether the row of ``ln`` (at a page edge) is set apart from the text inside the page by
    a header's or footer's distance (``header_gap_em`` of its size)."""
    top = ln.bbox[3] <= page.height / 2
    gap = float("inf")
    for x in page.lines:
        if not x.bbox or same_row(x, ln):
            continue
        d = x.bbox[1] - ln.bbox[3] if top else ln.bbox[1] - x.bbox[3]
        if d > -0.5 and d < gap:
            gap = d
    return gap >= s.header_gap_em * (ln.size or 10.0)


def text_size(doc: Document) -> float:
    """The type size that carries most characters (the body text's), 10 pt without sizes."""
    weight: dict[float, int] = {}
    for ln in doc.lines():
        if ln.size:
            k = round(ln.size * 2) / 2
            weight[k] = weight.get(k, 0) + len(ln.text)
    return max(weight, key=weight.get) if weight else 10.0


_ET_AL = Lazy(r"\bet al\.$")


def _small_piece(ln: Line, body: float, s: FurnitureSettings) -> bool:
    """Short, not larger than the text, not a sentence: what a header or footer prints
    ("Brennan et al." is a name, not a sentence)."""
    t = ln.text.strip()
    return (
        bool(t)
        and ln.size <= body * (1 + s.edge_size_share)
        and len(t.split()) <= s.edge_max_words
        and not ends_sentence(_ET_AL.sub("", t))
    )


@rule("page-number-row", stage="furniture")
def page_number_row(page: Page, number: Line, body: float, s: FurnitureSettings) -> list[Line]:
    """The other pieces on a page number's row at the page's edge are the running header or
    footer it belongs to ("4 RESULTS" left of "1", "2" left of "Brennan et al.", "Preprint
    submitted to ..." beside "1"), printed once or with a text that changes from page to page
    (twoside: section names on odd pages, authors on even ones): short, not larger than the
    text, not a sentence."""
    row = [ln for ln in page.lines if ln is not number and ln.bbox and same_row(ln, number)]
    if not row or len(row) >= s.edge_row_max_pieces or not apart(page, number, s):
        return []
    # the outermost row of the page (a table's last row is not a footer)
    top = number.bbox[3] <= page.height / 2
    ids = {id(ln) for ln in row}
    for ln in page.lines:
        if id(ln) in ids or ln is number or not ln.bbox:
            continue
        if (ln.bbox[3] <= number.bbox[1]) if top else (ln.bbox[1] >= number.bbox[3]):
            return []
    return [ln for ln in row if _small_piece(ln, body, s)]


@rule("header-position", stage="furniture")
def header_position(
    page: Page, body: float, s: FurnitureSettings, taken: dict | None = None
) -> list[Line]:
    """The page's topmost row, in the top band and set apart from the text below it by more
    than a paragraph's spacing, whose pieces are short, no larger than the text and not
    sentences, is a running header even when it is printed once: a one-page letter's "Harbor
    City Council", a two-page report's "New York Man Pleads Guilty  Westbrook Energy
    Cooperative" on its second page only (the first page plain), a journal line "Review of
    Applied Media Research, Vol. 17, No. 1 (2023)". A heading is larger or close to its text; a
    paragraph's last line ends a sentence; a line the structure tree tags is content, and so is
    a float's caption at the top of a page ("Table 1: Survey responses by region"); a page whose
    header was found beside its page number has no second one. Not on
    a browser's print (``print-header-footer`` found its header and footer): there the top band
    is the browser's, and the page's own first row below it (a site's logo, a search box, a
    link above a picture) is content, which article mode judges. ``taken``: ids of lines
    already found to be furniture."""
    if not page.height:
        return []
    taken = taken or {}
    every = [ln for ln in page.lines if ln.bbox]
    if len(every) < 2:
        return []
    first = min(every, key=lambda ln: ln.bbox[1])
    row = [ln for ln in every if same_row(ln, first)]
    if any(id(ln) in taken for ln in row):
        # the header row is known (a repeated piece, a page number): the rest of it goes along
        return [ln for ln in row if id(ln) not in taken and _small_piece(ln, body, s)]
    if any(ln.bbox[3] <= page.height / 2 for ln in every if id(ln) in taken):
        return []  # the page's header is known: no second one
    geo = [ln for ln in every if id(ln) not in taken]
    bottom = max(ln.bbox[3] for ln in row)
    if bottom > page.height * s.header_band_share:
        return []
    rest = [ln.bbox[1] for ln in geo if all(ln is not r for r in row)]
    if not rest or min(rest) - bottom < s.header_gap_em * body:
        return []
    if any(ln.tag is not None or CAPTION_LABEL.match(ln.text.strip()) for ln in row):
        return []
    return row if all(_small_piece(ln, body, s) for ln in row) else []
