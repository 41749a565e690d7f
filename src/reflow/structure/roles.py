"""TODO."""

from __future__ import annotations

from reflow.model import Document


def assign_roles(doc: Document) -> Document:
    return doc
