"""TODO."""

from __future__ import annotations

from reflow.model import Document


def extract_metadata(doc: Document) -> Document:
    return doc
