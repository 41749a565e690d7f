"""Renderers: Markdown, plain text, the article body; JSON is ``Document.json_chunks()``."""

from __future__ import annotations

import itertools

FORMATS = ("md", "json", "txt", "body")


def render(doc, fmt: str) -> str:
    return "".join(output_chunks(doc, fmt))


def output_chunks(doc, fmt: str):
    """The output in pieces, written one by one: a long document's output is never held whole
    beside its model (a 1,000-page print: ~5 MB of Markdown, ~20 MB of JSON)."""
    from reflow.model import HEADER_TYPES
    from reflow.render.markdown import markdown_chunks
    from reflow.render.text import text_chunks

    if fmt == "json":
        return itertools.chain(doc.json_chunks(), ["\n"])
    if fmt == "txt":
        return text_chunks(doc)
    if fmt == "body":  # the article body as plain text, without title/dek/byline/date
        return text_chunks(doc, HEADER_TYPES)
    return markdown_chunks(doc, front_matter=doc.options.front_matter)
