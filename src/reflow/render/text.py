"""Plain text: blocks separated by blank lines, links as bare text."""

from __future__ import annotations

from reflow.model import Document


def render_text(doc: Document, skip: frozenset[str] = frozenset()) -> str:
    return "".join(text_chunks(doc, skip))


def text_chunks(doc: Document, skip: frozenset[str] = frozenset()):
    """The plain text piece by piece (joined, ``render_text``): blocks apart by a blank line."""
    first = True
    seen = False
    for b in doc.blocks:
        if b.type in skip:
            continue
        seen = True
        if b.type == "table" and b.rows:
            part = "\n".join("\t".join(r) for r in b.rows)
        elif b.type == "list_item":
            part = f"{b.marker or '-'} {b.text}"
        else:
            part = b.text
        if not part:
            continue
        if not first:
            yield "\n\n"
        yield part
        first = False
    if seen:
        yield "\n"
