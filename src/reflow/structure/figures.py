"""Figures: every image on a page becomes a ``figure`` block at its place in the reading order,
with its caption when one sits beside it; images too small to be figures are reported in
``removed`` as ``decoration``.

Runs after the roles (so captions are known) and before the header and article mode (which
judge a figure as any other block: a web page's teaser pictures go with the teasers). Reads
``Page.pictures`` (the PDF reader's images, readers/images.py); writes ``blocks`` (figures,
their captions folded in) and ``removed``.

Rules:
- ``decoration``: icons, bullets, spacers and tracking pixels (an image under half an inch on a
  side, a sliver, a few pixels) are no figures: Chromium prints carry dozens of 8-12 pt icons.
- ``repeated-image``: the same image at the same place on most pages (a letterhead logo) is page
  furniture, reported as decoration.
- ``scan-image``: on a page read by OCR the image covering the page is the scan itself.
- ``figure-place``: a figure goes before the first block of its column below its top, else after
  the last block of its column above it, else at the end of its page.
- ``figure-caption``: the block just below the image (else just above), overlapping it across,
  is its caption when the roles call it one, when it starts like one ("Figure 3", "Photo:") or
  when it is short and set smaller than the body; its text becomes the figure's.
"""

from __future__ import annotations

from collections import Counter

from reflow.model import BBox, Block, BlockType, Document, Picture, Reason, Removed
from reflow.rules import rule
from reflow.settings import FigureSettings
from reflow.structure.roles import FIGURE


def _size(b: BBox) -> tuple[float, float]:
    return b[2] - b[0], b[3] - b[1]


@rule("decoration", stage="figures")
def is_decoration(p: Picture, s: FigureSettings) -> bool:
    """An image too small to be a figure: under ``min_side_pt`` on a side (Chromium draws its
    icons at 8-12 pt), a sliver (a rule or a spacer drawn as an image), or a few pixels (a
    tracking pixel stretched over a box)."""
    w, h = _size(p.bbox)
    if min(w, h) < s.min_side_pt:
        return True
    if max(w, h) > s.max_aspect * max(min(w, h), 1e-6):
        return True
    return 0 < min(p.width, p.height) <= s.min_pixels


def _key(page_no: int, p: Picture) -> tuple:
    return (
        round(p.bbox[0]),
        round(p.bbox[1]),
        round(p.bbox[2]),
        round(p.bbox[3]),
        p.width,
        p.height,
    )


@rule("repeated-image", stage="figures")
def repeated_images(doc: Document, min_pages: int = 3, share: float = 0.5) -> set[tuple]:
    """Images drawn at the same place and size on at least half the pages (and three): a
    letterhead's logo, a template's ornament. Page furniture, like a running header."""
    if len(doc.pages) < min_pages:
        return set()
    seen: Counter = Counter()
    for page in doc.pages:
        seen.update({_key(page.number, p) for p in page.pictures})
    need = max(min_pages, share * len(doc.pages))
    return {k for k, n in seen.items() if n >= need}


@rule("scan-image", stage="figures")
def is_scan(page, p: Picture, s: FigureSettings) -> bool:
    """On a page whose text OCR read, an image covering most of the page is the scanned page
    itself, not a figure on it."""
    if not page.ocr or not page.width or not page.height:
        return False
    w, h = _size(p.bbox)
    return w * h >= s.scan_cover_share * page.width * page.height


def _first_last(b: Block) -> tuple[tuple[int, BBox | None], tuple[int, BBox | None]]:
    boxes = b.page_boxes()
    if not boxes:
        return (b.page, b.bbox), (b.page, b.bbox)
    return boxes[0], boxes[-1]


def _overlap(a: BBox, b: BBox) -> float:
    return min(a[2], b[2]) - max(a[0], b[0])


@rule("figure-place", stage="figures")
def place(spans: list, page_no: int, box: BBox) -> int:
    """Where a figure goes in the blocks (``spans``: each block's first and last (page, box)):
    before the first block of its page that starts below the figure's top in its column, else
    after the last block of its column above it, else before the first block of a later page
    (the figure ends its page), else at the end."""
    after = None
    for i, (first, last) in enumerate(spans):
        fp, fb = first
        if fp > page_no:
            return after + 1 if after is not None else i
        lp, lb = last
        if fp == page_no and fb is not None and _overlap(fb, box) > 0 and fb[1] >= box[1] - 1:
            return i
        if lp == page_no and lb is not None and _overlap(lb, box) > 0 and lb[3] <= box[3]:
            after = i
    return after + 1 if after is not None else len(spans)


def _words(text: str) -> int:
    return len(text.split())


@rule("figure-caption", stage="figures")
def is_caption(
    fig: BBox, page_no: int, b: Block, below: bool, body: float, s: FigureSettings
) -> bool:
    """Whether block ``b`` (just below the figure, or just above it) is the figure's caption:
    near its edge, overlapping it across, and a caption already (roles), or starting like one
    ("Figure 3", "Photo:"), or short and set smaller than the body."""
    first, last = _first_last(b)
    p, box = first if below else last
    if p != page_no or box is None:
        return False
    gap = box[1] - fig[3] if below else fig[1] - box[3]
    if gap < -2 or gap > s.caption_gap_pt:
        return False
    narrow = min(box[2] - box[0], fig[2] - fig[0])
    if narrow <= 0 or _overlap(box, fig) < s.caption_overlap_share * narrow:
        return False
    if b.type == BlockType.CAPTION:
        return True
    if b.type not in (BlockType.PARAGRAPH,) or _words(b.text) > s.caption_max_words:
        return False
    if FIGURE.match(b.text):
        return True
    return bool(b.size and body and b.size < body * s.caption_size_share)


def place_figures(doc: Document) -> Document:
    """Pipeline stage: the pages' images -> figure blocks in reading order, with captions;
    decoration -> ``removed``."""
    s = doc.settings.figures
    if not any(p.pictures for p in doc.pages):
        return doc
    repeated = repeated_images(doc)
    body = doc.facts.body_size or 0.0
    figures: list[Block] = []
    for page in doc.pages:
        for p in page.pictures:
            if is_scan(page, p, s):
                continue
            if is_decoration(p, s) or _key(page.number, p) in repeated:
                doc.removed.append(
                    Removed(
                        f"image {p.width}x{p.height} px", Reason.DECORATION, page.number, p.bbox
                    )
                )
                continue
            fig = Block(BlockType.FIGURE, "", page=page.number, bbox=p.bbox, picture=p)
            fig.pages = [page.number]
            fig.boxes = [(page.number, p.bbox)]
            figures.append(fig)
        page.pictures = []  # what stays of them is in the blocks (and removed)
    if not figures:
        return doc
    blocks = doc.blocks
    spans = [_first_last(b) for b in blocks]
    # Insert from the last figure backwards, each at its place among the text blocks.
    where = [(place(spans, f.page, f.bbox), k) for k, f in enumerate(figures)]
    for pos, k in sorted(where, reverse=True):
        blocks.insert(pos, figures[k])
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.type == BlockType.FIGURE and b.bbox is not None and not b.text:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            prev = out[-1] if out else None
            if (
                nxt is not None
                and nxt.type != BlockType.FIGURE
                and is_caption(b.bbox, b.page, nxt, True, body, s)
            ):
                b.text, b.links = nxt.text, nxt.links
                out.append(b)
                i += 2
                continue
            if (
                prev is not None
                and prev.type != BlockType.FIGURE
                and is_caption(b.bbox, b.page, prev, False, body, s)
            ):
                b.text, b.links = prev.text, prev.links
                out[-1] = b
                i += 1
                continue
        out.append(b)
        i += 1
    doc.blocks = out
    return doc
