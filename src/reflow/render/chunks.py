"""Chunks for retrieval: the article cut at its headings and, within a section, into pieces of
at most ``size`` characters (or tokens), each knowing its heading path, its pages and the boxes
of its blocks on those pages, and carrying the document's metadata.

    for chunk in doc.chunks(size=1500):
        chunk.text, chunk.heading_path, chunk.pages, chunk.bboxes

A block longer than the size is cut between sentences (between words for a sentence that is
itself too long). The title, byline and date are not chunk text: they are in every chunk's
``metadata`` (and the title heads every ``heading_path``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reflow.lexicon import Lazy
from reflow.model import Block, BlockType, Document

CHUNK_SIZE = 2000  # characters
_TOKEN = Lazy(r"\w+|[^\w\s]")
_SENTENCE_END = Lazy(r"(?<=[.!?。！？…])[\"'”’)\]]*\s+")


def count_chars(text: str) -> int:
    return len(text)


def count_tokens(text: str) -> int:
    """Words and punctuation marks: a tokenizer-free estimate (a model's subword tokenizer
    gives about a quarter more on English prose). Pass your tokenizer as ``length`` for its
    exact count."""
    return len(_TOKEN.findall(text))


def parse_size(value: str | int) -> tuple[int, Callable[[str], int]]:
    """``"2000"`` -> 2000 characters; ``"500t"`` / ``"500tokens"`` -> 500 tokens."""
    s = str(value).strip().lower()
    m = re.fullmatch(r"(\d+)\s*(c|chars?|characters?|t|tok|tokens?)?", s)
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"not a chunk size: {value!r} (e.g. 2000 characters or 500t tokens)")
    unit = m.group(2) or "c"
    return int(m.group(1)), count_tokens if unit.startswith("t") else count_chars


@dataclass
class Chunk:
    index: int
    text: str
    heading_path: list[str]
    pages: list[int]
    bboxes: list[dict[str, Any]]  # [{"page": n, "bbox": [x0, y0, x1, y1]}] per block and page
    types: list[str]  # the block types in the chunk, in order
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "heading_path": self.heading_path,
            "pages": self.pages,
            "bboxes": self.bboxes,
            "types": self.types,
            "metadata": self.metadata,
        }


def block_text(b: Block) -> str:
    if b.type == BlockType.TABLE and b.rows:
        return "\n".join("\t".join(r) for r in b.rows)
    if b.type == BlockType.LIST_ITEM:
        return f"{b.marker or '-'} {b.text}"
    return b.text


def page_boxes(b: Block) -> list[tuple[int, Any]]:
    """The block's box on each page it touches: ``Block.boxes`` when the reader kept them,
    else its one box on its first page."""
    boxes = getattr(b, "boxes", None)
    if boxes:
        return list(boxes)
    return [(b.page, b.bbox)] if b.page else []


def _pieces(text: str, size: int, length: Callable[[str], int]) -> list[str]:
    """``text`` cut between sentences (or words) into pieces of at most ``size``."""
    if length(text) <= size:
        return [text]
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if length(sentence) <= size:
            units.append(sentence)
            continue
        words = sentence.split(" ")
        cur = ""
        for w in words:
            cand = f"{cur} {w}" if cur else w
            if cur and length(cand) > size:
                units.append(cur)
                cur = w
            else:
                cur = cand
        if cur:
            units.append(cur)
    out: list[str] = []
    cur = ""
    for u in units:
        cand = f"{cur} {u}" if cur else u
        if cur and length(cand) > size:
            out.append(cur)
            cur = u
        else:
            cur = cand
    if cur:
        out.append(cur)
    return out


def _metadata(doc: Document) -> dict[str, Any]:
    m = doc.metadata
    return {
        "title": m.title,
        "authors": list(m.authors),
        "date": m.date,
        "url": m.url,
        "source": m.source,
    }


def iter_chunks(
    doc: Document, size: int | None = None, length: Callable[[str], int] | None = None
) -> Iterator[Chunk]:
    """The document's chunks, in reading order. ``size``: at most this much a chunk by
    ``length`` (characters by default; ``count_tokens``, or a tokenizer's ``len(encode(s))``)."""
    size = size or CHUNK_SIZE
    length = length or count_chars
    meta = _metadata(doc)
    title = doc.metadata.title
    path: list[tuple[int, str]] = []  # (level, heading text)
    index = 0
    cur: list[tuple[str, Block]] = []  # (text, block) of the chunk being filled

    def heading_path() -> list[str]:
        return ([title] if title else []) + [h for _, h in path]

    def flush() -> Chunk | None:
        nonlocal cur, index
        if not cur:
            return None
        pages: list[int] = []
        bboxes: list[dict[str, Any]] = []
        for _, b in cur:
            for page, bbox in page_boxes(b):
                if page not in pages:
                    pages.append(page)
                box = [round(v, 2) for v in bbox] if bbox else None
                entry = {"page": page, "bbox": box}
                if entry not in bboxes:
                    bboxes.append(entry)
        chunk = Chunk(
            index=index,
            text="\n\n".join(t for t, _ in cur),
            heading_path=heading_path(),
            pages=sorted(pages),
            bboxes=bboxes,
            types=[str(b.type) for _, b in cur],
            metadata=meta,
        )
        index += 1
        cur = []
        return chunk

    for b in doc.blocks:
        if b.type in (BlockType.TITLE, BlockType.BYLINE, BlockType.DATE):
            continue
        if b.type == BlockType.HEADING:
            if (c := flush()) is not None:
                yield c
            level = b.level or 2
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, b.text))
            continue
        text = block_text(b)
        if not text.strip():
            continue
        for piece in _pieces(text, size, length):
            if cur and length("\n\n".join([*(t for t, _ in cur), piece])) > size:
                if (c := flush()) is not None:
                    yield c
            cur.append((piece, b))

    if (c := flush()) is not None:
        yield c


def chunks(
    doc: Document, size: int | None = None, length: Callable[[str], int] | None = None
) -> list[Chunk]:
    return list(iter_chunks(doc, size, length))


def jsonl_chunks(doc: Document, size: int | str | None = None) -> Iterator[str]:
    """JSON Lines, one chunk a line (``--to chunks``)."""
    length = None
    if isinstance(size, str):
        size, length = parse_size(size)
    for c in iter_chunks(doc, size, length):
        yield json.dumps(c.to_dict(), ensure_ascii=False) + "\n"
