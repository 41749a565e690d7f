"""TODO."""

from __future__ import annotations

from reflow.model import Document


def select_article(doc: Document) -> Document:
    return doc
