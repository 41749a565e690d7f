"""Page furniture kept in place: with ``keep_furniture`` (the command's ``--keep-furniture``, and
``--all``), what the furniture stage found (running headers and footers, page numbers, a
browser's print header and footer, margin stamps, URL dumps) comes back as ``furniture`` blocks
where it stood, its reason as the block's ``label``, instead of going to ``removed``.

The furniture stage still takes the lines off the page (``layout/edges.set_aside``), so the
blocks, the healing across page breaks, the roles, the header and article mode are exactly as
without the option; this stage runs after them and only inserts. Reads ``Facts.furniture``;
writes ``doc.blocks`` (and ``Facts.title_index``, which moves with the insertions).

Rule ``furniture-place``: furniture in the upper half of its page goes before the first block
that starts below it there (a running header: before the page's first block), the rest after
the last block that starts above it (a footer, a page number: after the page's last block). A
paragraph a page break cuts stays whole: the footer of the page it starts on and the header of
the next both follow it. Extracted text has no geometry: a line's place in the page's text
stands for its height.
"""

from __future__ import annotations

from reflow.layout.join import make_block
from reflow.model import Block, BlockType, Document, Line
from reflow.rules import rule


def _block(page: int, reason, lines: list[Line], text: str) -> Block:
    b = make_block(lines, BlockType.FURNITURE)
    if b.text.strip() != text.strip():  # a margin stamp: its words, in the stream's order
        b.text, b.links = text.strip(), []
    b.page, b.label = page, str(reason)
    if not b.pages:
        b.pages = [page]
    return b


def _start(b: Block, pdf: bool) -> tuple[int, float]:
    """A block's first page and where it starts there: its box's top (PDF), its first line's
    place in the page's text (extracted text)."""
    if not pdf:
        return (b.lines[0].page, b.lines[0].index) if b.lines else (b.page, 1 << 30)
    boxes = b.page_boxes()
    page, box = boxes[0] if boxes else (b.page, b.bbox)
    return page, box[1] if box else 0.0


@rule("furniture-place", stage="furniture")
def furniture_place(starts: list[tuple[int, float]], page: int, top: float, upper: bool) -> int:
    """Where a kept furniture block goes among the blocks (``starts``: each block's first page
    and the top of its box there, in reading order): furniture in the upper half of its page
    goes before the first block that starts below it on its page (or on a later one), the rest
    after the last block that starts above it (or on an earlier page). A paragraph a page break
    cuts stays whole: page 3's footer and page 4's header both follow it, in page order."""
    if upper:
        for i, (p, t) in enumerate(starts):
            if p > page or (p == page and t >= top - 1):
                return i
        return len(starts)
    for i in range(len(starts) - 1, -1, -1):
        p, t = starts[i]
        if p < page or (p == page and t < top):
            return i + 1
    return 0


def keep_furniture(doc: Document) -> Document:
    """Pipeline stage: ``Facts.furniture`` -> ``furniture`` blocks in reading position."""
    kept = doc.facts.furniture
    if not kept:
        return doc
    pdf = doc.kind == "pdf"
    items = [_block(*k) for k in kept]
    doc.facts.furniture = []
    items.sort(key=lambda b: _start(b, pdf))
    heights = {p.number: p.height for p in doc.pages}
    if not pdf:  # where a page's text ends: its last line's place
        ends = {p.number: max((ln.index for ln in p.lines), default=0) for p in doc.pages}
        for it in items:
            page, at = _start(it, pdf)
            ends[page] = max(ends.get(page, 0), at)
    blocks = doc.blocks
    starts = [_start(b, pdf) for b in blocks]
    where = []
    for k, it in enumerate(items):
        page, top = _start(it, pdf)
        if pdf:
            mid = (it.bbox[1] + it.bbox[3]) / 2 if it.bbox else 0.0
            upper = mid < heights.get(page, 0.0) / 2 or not heights.get(page)
        else:  # the text's first lines, else its last
            upper = 2 * top <= ends.get(page, 0)
        where.append((furniture_place(starts, page, top, upper), k))
    for pos, k in sorted(where, reverse=True):
        blocks.insert(pos, items[k])
    if doc.facts.title_index is not None:
        doc.facts.title_index = next(
            (i for i, b in enumerate(blocks) if b.type == BlockType.TITLE), None
        )
    return doc
