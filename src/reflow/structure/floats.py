"""Floats in the reading order: a table or figure that the typesetter moved to the top of a
page is read where the text makes room for it, not inside a list the page break cut.

- ``list-past-float``: a float (a table, a figure, their labelled captions) that opens a page
  between two items of one list, the list's first part on the page before, goes after the
  list's rest, as the float goes after the rest of a paragraph a page break cut
  (``break-past-floats`` in heal);
- ``table-caption-above``: a short line right above a table, no sentence, is its caption when
  it carries no label ("Survey responses by region": pandoc's Word and LibreOffice captions);
  ``table-caption-split``: such a line a paragraph above the table ran into is set apart.
"""

from __future__ import annotations

from reflow.layout.join import make_block
from reflow.lexicon import CAPTION_LABEL, ends_sentence
from reflow.model import Block, BlockType, Document
from reflow.rules import rule
from reflow.settings import FigureSettings

_FLOATS = frozenset({BlockType.TABLE, BlockType.FIGURE, BlockType.CAPTION})


def _float_run(blocks: list[Block], i: int) -> int:
    """The end of the run of floats starting at ``i`` (``i`` itself when it is none)."""
    j = i
    while j < len(blocks) and blocks[j].type in _FLOATS:
        j += 1
    return j


@rule("list-past-float", stage="figures")
def list_past_float(blocks: list[Block], i: int) -> bool:
    """Floats ``blocks[i:j]`` (a table, or a figure with a labelled caption: "Figure 2: ...")
    between a list item on an earlier page and a list item of the same list on the floats' page
    (same nesting; numbered: the numbers go on) go after that list's last item. A LaTeX ``table*`` at the top of the page after a list's first item
    otherwise cut the list in two (the second half numbered on from 2)."""
    j = _float_run(blocks, i)
    if j == i or i == 0 or j >= len(blocks):
        return False
    if not any(b.type == BlockType.TABLE or CAPTION_LABEL.match(b.text) for b in blocks[i:j]):
        return False  # a picture alone (a web print's image in a list) stays where it is
    prev, nxt = blocks[i - 1], blocks[j]
    if prev.type != BlockType.LIST_ITEM or nxt.type != BlockType.LIST_ITEM:
        return False
    if not (prev.page < blocks[i].page == nxt.page) or prev.ordered != nxt.ordered:
        return False
    if prev.level != nxt.level and not (prev.level <= 1 and nxt.level <= 1):
        return False
    if prev.ordered and _number(nxt.marker) != _number(prev.marker) + 1:
        return False
    k = j
    while k < len(blocks) and blocks[k].type == BlockType.LIST_ITEM:
        k += 1
    blocks[i:k] = blocks[j:k] + blocks[i:j]
    return True


def _number(marker: str) -> int:
    digits = "".join(c for c in marker if c.isdigit())
    return int(digits) if digits else -1


@rule("table-caption-above", stage="figures")
def table_caption_above(blocks: list[Block], i: int, s: FigureSettings) -> bool:
    """A paragraph of one line right above the table ``blocks[i + 1]`` (at most
    ``table_caption_gap_lines`` of its height between them, on one page), of at most
    ``table_caption_max_words`` words, that ends no sentence nor announces the table (no full
    stop, no colon), is the table's caption, labelled or not ("Survey responses by region":
    pandoc's Word and LibreOffice table captions carry no number)."""
    b = blocks[i]
    t = blocks[i + 1] if i + 1 < len(blocks) else None
    if t is None or t.type != BlockType.TABLE or b.type != BlockType.PARAGRAPH:
        return False
    if len(b.lines) != 1 or not b.bbox or not t.bbox or b.page != t.page:
        return False
    text = b.text.strip()
    if not text or len(text.split()) > s.table_caption_max_words or text[-1] in ":;,":
        return False
    if ends_sentence(text) and not CAPTION_LABEL.match(text):
        return False
    height = b.bbox[3] - b.bbox[1]
    if not (-height <= t.bbox[1] - b.bbox[3] <= s.table_caption_gap_lines * height):
        return False
    b.type = BlockType.CAPTION
    return True


@rule("table-caption-split", stage="figures")
def table_caption_split(b: Block, t: Block, s: FigureSettings) -> list[Block] | None:
    """A paragraph right above the table ``t`` whose last line is a caption the paragraph ran
    into: its line before ends a sentence, the last one is short and ends none
    (``table-caption-above``'s test on it alone; LibreOffice sets a caption in the body's type
    with no space before it, so "... was Morrison." / "Annual budget and change on the previous
    year" read as one paragraph). Returns the paragraph's rest and the caption."""
    if b.type != BlockType.PARAGRAPH or len(b.lines) < 2 or t.type != BlockType.TABLE:
        return None
    last = b.lines[-1]
    if not last.bbox or not ends_sentence(b.lines[-2].text.strip()):
        return None
    cap = make_block([last], hyphens_marked=False)
    if not table_caption_above([cap, t], 0, s):
        return None
    return [make_block(b.lines[:-1]), cap]


def order_floats(doc: Document) -> Document:
    s = doc.settings.figures
    blocks: list[Block] = []
    for i, b in enumerate(doc.blocks):
        t = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
        if t is not None and t.type == BlockType.TABLE:
            if not table_caption_above(doc.blocks, i, s):
                parts = table_caption_split(b, t, s)
                if parts:
                    blocks.extend(parts)
                    continue
        blocks.append(b)
    doc.blocks = blocks
    i = 1
    while i < len(blocks):
        if blocks[i].type in _FLOATS and list_past_float(blocks, i):
            i = _float_run(blocks, i)  # past the list's rest, to the moved floats' end
            continue
        i += 1
    return doc
