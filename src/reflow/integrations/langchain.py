"""A LangChain document loader: one ``Document`` per reflow chunk.

from reflow.integrations.langchain import ReflowLoader

docs = ReflowLoader(["article.pdf", "report.pdf"], chunk_size=1500).load()
docs[0].page_content, docs[0].metadata["heading_path"], docs[0].metadata["pages"]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

try:
    from langchain_core.document_loaders import BaseLoader
    from langchain_core.documents import Document
except ImportError as e:  # pragma: no cover - exercised where langchain-core is absent
    raise ImportError(
        "the LangChain loader needs langchain-core: pip install langchain-core "
        "(reflow's [langchain] extra)"
    ) from e

from reflow.integrations import chunk_records


class ReflowLoader(BaseLoader):
    """Load PDFs or extracted-text files through reflow, one LangChain ``Document`` per chunk
    (cut at headings and by ``chunk_size``), with the document's metadata and the chunk's
    heading path, pages and boxes."""

    def __init__(
        self,
        paths: str | os.PathLike | list[str | os.PathLike],
        *,
        chunk_size: int | None = None,
        length: Callable[[str], int] | None = None,
        **convert_options: Any,
    ):
        self.paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        self.chunk_size = chunk_size
        self.length = length
        self.convert_options = convert_options

    def lazy_load(self) -> Iterator[Document]:
        for path in self.paths:
            for text, meta in chunk_records(
                path, chunk_size=self.chunk_size, length=self.length, **self.convert_options
            ):
                yield Document(page_content=text, metadata=meta)
