"""Plain text: blocks separated by blank lines, links as bare text."""

from __future__ import annotations

from reflow.model import Document


def render_text(doc: Document, skip: frozenset[str] = frozenset()) -> str:
    parts = []
    for b in doc.blocks:
        if b.type in skip:
            continue
        if b.type == "table" and b.rows:
            parts.append("\n".join("\t".join(r) for r in b.rows))
        elif b.type == "list_item":
            parts.append(f"{b.marker or '-'} {b.text}")
        else:
            parts.append(b.text)
    return "\n\n".join(p for p in parts if p) + ("\n" if parts else "")
