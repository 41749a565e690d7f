"""TODO."""

from __future__ import annotations

from reflow.model import Document


def attach_links(doc: Document) -> Document:
    return doc
