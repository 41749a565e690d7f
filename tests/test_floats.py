"""A float a page break put inside a list: the list stays one (roles' list-item looks past it,
structure/floats.py's list-past-float reads the float after the list)."""

from __future__ import annotations

from pathlib import Path

import reflow
from reflow.model import Block, BlockType, Document
from reflow.structure.floats import list_past_float, order_floats
from reflow.structure.roles import list_item

SUITE = Path(__file__).resolve().parent.parent / "corpora" / "producers"


def _b(text: str, page: int, kind: BlockType = BlockType.PARAGRAPH, **kw) -> Block:
    return Block(kind, text, page=page, pages=[page], **kw)


def test_list_item_neighbour_past_a_table():
    blocks = [
        _b("1. However, these techniques fuel a water shortage.", 1),
        _b("Table 2: Service indicators by year", 2),
        _b("Item | 2018\nVisits | 233", 2, BlockType.TABLE),
        _b("2. To combat this, the government enacted a law.", 2),
    ]
    assert list_item(blocks, 0) and blocks[0].marker == "1." and blocks[0].ordered
    # a lone "1." with prose around it stays a paragraph
    lone = [_b("1. Alone in its page.", 1), _b("Prose after it.", 1)]
    assert not list_item(lone, 0)


def _item(n: int, page: int) -> Block:
    return _b(f"Item {n}.", page, BlockType.LIST_ITEM, ordered=True, marker=f"{n}.", level=1)


def test_list_past_float_table_at_the_next_page_top():
    cap = _b("Table 2: Service indicators", 2, BlockType.CAPTION)
    tab = _b("A | B\n1 | 2", 2, BlockType.TABLE)
    after = _b("Next section text.", 2)
    doc = Document(source="x.pdf")
    doc.blocks = [_item(1, 1), cap, tab, _item(2, 2), _item(3, 2), after]
    order_floats(doc)
    assert [b.text for b in doc.blocks] == [
        "Item 1.", "Item 2.", "Item 3.", cap.text, tab.text, after.text
    ]  # fmt: skip
    # numbers that do not go on, or a float on the list's own page: left alone
    blocks = [_item(1, 1), cap, tab, _item(5, 2)]
    assert not list_past_float(blocks, 1)
    blocks = [_item(1, 2), cap, tab, _item(2, 2)]
    assert not list_past_float(blocks, 1)


def test_list_past_float_producer_suite_report():
    """A two-column report whose spanning table opens page 2 after its list's first item: the
    five items are one list, then the table."""
    doc_id = "pdftex-twocol/report-19-palatino-twocolumn-gutter10pt-journal"
    md = reflow.convert(SUITE / f"{doc_id}.pdf").markdown
    i = md.index("1. However, these intensive farming")
    j = md.index("5. The water act prohibited")
    assert i < j < md.index("*Table 2: Service indicators by year*")


def test_list_past_float_leaves_a_picture_in_its_list():
    # a web print's image between two items of a list keeps its place
    pic = _b("", 2, BlockType.FIGURE)
    blocks = [_item(1, 1), pic, _item(2, 2)]
    assert not list_past_float(blocks, 1)
