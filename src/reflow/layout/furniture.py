"""TODO."""

from __future__ import annotations

from reflow.model import Document


def remove_furniture(doc: Document) -> Document:
    return doc
