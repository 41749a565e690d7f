"""Floats in the reading order: a table or figure that the typesetter moved to the top of a
page is read where the text makes room for it, not inside a list the page break cut.

- ``list-past-float``: a float (a table, a figure, their labelled captions) that opens a page
  between two items of one list, the list's first part on the page before, goes after the
  list's rest, as the float goes after the rest of a paragraph a page break cut
  (``break-past-floats`` in heal).
"""

from __future__ import annotations

from reflow.lexicon import CAPTION_LABEL
from reflow.model import Block, BlockType, Document
from reflow.rules import rule

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


def order_floats(doc: Document) -> Document:
    blocks = doc.blocks
    i = 1
    while i < len(blocks):
        if blocks[i].type in _FLOATS and list_past_float(blocks, i):
            i = _float_run(blocks, i)  # past the list's rest, to the moved floats' end
            continue
        i += 1
    return doc
