"""TODO."""

from __future__ import annotations

from reflow.model import Document


def build_blocks(doc: Document) -> Document:
    return doc
