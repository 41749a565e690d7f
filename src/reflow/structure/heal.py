"""TODO."""

from __future__ import annotations

from reflow.model import Document


def heal(doc: Document) -> Document:
    return doc
