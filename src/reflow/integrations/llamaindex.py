"""A LlamaIndex reader: one ``Document`` per reflow chunk.

from reflow.integrations.llamaindex import ReflowReader

docs = ReflowReader(chunk_size=1500).load_data("article.pdf")
# or: SimpleDirectoryReader("pdfs/", file_extractor={".pdf": ReflowReader()})
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    from llama_index.core.readers.base import BaseReader
    from llama_index.core.schema import Document
except ImportError as e:  # pragma: no cover - exercised where llama-index-core is absent
    raise ImportError(
        "the LlamaIndex reader needs llama-index-core: pip install llama-index-core "
        "(reflow's [llamaindex] extra)"
    ) from e

from reflow.integrations import chunk_records

# Metadata kept out of the text the embedding model sees (it still reaches the vector store).
EXCLUDED_FROM_EMBED = ["bboxes", "headings", "pages", "chunk", "source"]


class ReflowReader(BaseReader):
    """Read PDFs or extracted-text files through reflow, one LlamaIndex ``Document`` per chunk
    (cut at headings and by ``chunk_size``), with the document's metadata and the chunk's
    heading path, pages and boxes."""

    def __init__(
        self,
        *,
        chunk_size: int | None = None,
        length: Callable[[str], int] | None = None,
        **convert_options: Any,
    ):
        super().__init__()
        self.chunk_size = chunk_size
        self.length = length
        self.convert_options = convert_options

    def load_data(
        self, file: str | os.PathLike, extra_info: dict | None = None, **kwargs: Any
    ) -> list[Document]:
        docs = []
        for text, meta in chunk_records(
            Path(file), chunk_size=self.chunk_size, length=self.length, **self.convert_options
        ):
            meta = {**meta, **(extra_info or {})}
            docs.append(
                Document(
                    text=text,
                    metadata=meta,
                    excluded_embed_metadata_keys=EXCLUDED_FROM_EMBED,
                    excluded_llm_metadata_keys=["bboxes"],
                )
            )
        return docs
