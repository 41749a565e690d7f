"""Renderers: Markdown, plain text, the article body, HTML, chunks for retrieval; JSON is
``Document.json_chunks()``. ``output_chunks(doc, fmt)`` gives any of them piece by piece."""

from __future__ import annotations

import itertools

FORMATS = ("md", "json", "txt", "body", "html", "chunks")
EXT = {
    "md": ".md",
    "json": ".json",
    "txt": ".txt",
    "body": ".body.txt",
    "html": ".html",
    "chunks": ".chunks.jsonl",
}


def render(doc, fmt: str, **options) -> str:
    return "".join(output_chunks(doc, fmt, **options))


def output_chunks(doc, fmt: str, *, chunk_size: int | None = None):
    """The output in pieces, written one by one: a long document's output is never held whole
    beside its model (a 1,000-page print: ~5 MB of Markdown, ~20 MB of JSON).
    ``chunk_size``: characters per chunk for ``chunks`` (default ``chunks.CHUNK_SIZE``)."""
    from reflow.model import HEADER_TYPES

    if fmt == "json":
        return itertools.chain(doc.json_chunks(), ["\n"])
    if fmt == "txt":
        from reflow.render.text import text_chunks

        return text_chunks(doc)
    if fmt == "body":  # the article body as plain text, without title/dek/byline/date
        from reflow.render.text import text_chunks

        return text_chunks(doc, HEADER_TYPES)
    if fmt == "html":
        from reflow.render.html import html_chunks

        return html_chunks(doc)
    if fmt == "chunks":
        from reflow.render.chunks import jsonl_chunks

        return jsonl_chunks(doc, chunk_size)
    from reflow.render.markdown import markdown_chunks

    return markdown_chunks(doc, front_matter=doc.options.front_matter)
