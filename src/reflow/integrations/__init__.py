"""Loaders for retrieval frameworks: one framework document per reflow chunk, with metadata.

- LangChain: ``from reflow.integrations.langchain import ReflowLoader``
  (the ``[langchain]`` extra)
- LlamaIndex: ``from reflow.integrations.llamaindex import ReflowReader``
  (the ``[llamaindex]`` extra)

Both take the same options as ``reflow.convert`` (``article``, ``pages``, ``password``) and the
chunk size (``chunk_size`` characters, or ``length`` a function such as a tokenizer's count).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any


def chunk_records(
    source: str | os.PathLike | bytes,
    *,
    chunk_size: int | None = None,
    length: Callable[[str], int] | None = None,
    name: str | None = None,
    **convert_options: Any,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(text, metadata) for each chunk of one document: what both loaders wrap. The metadata is
    flat: source, title, authors, date, url, heading_path (" > " joined) and headings (a list),
    pages (a list) and page (the first), chunk index, and the boxes as a JSON string."""
    import json

    import reflow

    kw = dict(convert_options)
    if isinstance(source, bytes | bytearray):
        kw["name"] = name or "<bytes>"
    doc = reflow.convert(source, **kw)
    for c in doc.chunks(size=chunk_size, length=length):
        meta = {
            "source": doc.metadata.source or (name or str(source)),
            "title": c.metadata.get("title"),
            "authors": list(c.metadata.get("authors") or []),
            "date": c.metadata.get("date"),
            "url": c.metadata.get("url"),
            "heading_path": " > ".join(c.heading_path),
            "headings": list(c.heading_path),
            "pages": list(c.pages),
            "page": c.pages[0] if c.pages else None,
            "chunk": c.index,
            "bboxes": json.dumps(c.bboxes),
        }
        yield c.text, meta
