"""The typed document model every stage reads and returns.

Coordinates are PDF points with the origin at the page's top-left corner, y growing downwards:
``bbox = (x0, top, x1, bottom)``. Page numbers start at 1. A plain-text source has no geometry:
its lines carry ``bbox=None`` and a running ``index`` instead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class InlineLink:
    """A hyperlink on ``block.text[start:end]``."""

    start: int
    end: int
    url: str


@dataclass(slots=True)
class Span:
    """A run of characters in one font on one line."""

    text: str
    size: float = 0.0  # visible size in points (Tf operand times the text matrix scale)
    bold: bool = False
    italic: bool = False
    font: str = ""  # font name, subset prefix stripped
    bbox: BBox | None = None


@dataclass(slots=True)
class Tag:
    """What a tagged PDF's structure tree says about a line (Chromium prints are tagged).

    ``role``: "h1".."h6", "p", "li", "cell", "caption", "quote", "code", "other";
    ``block``: id of the structure element the line belongs to (one per paragraph, list item,
    table cell); ``group``: the list, table or block quote around it; ``row``: the table row;
    ``depth``: list nesting depth; ``article`` / ``aside``: inside an HTML <article> (Art) or
    <aside> (Aside) element of the printed page. Ids are unique within a document.
    ``element``: a key of the block's structure element that is the same on every page (a
    paragraph a page break cuts has one key on both pages; 0: none).
    """

    role: str
    block: int
    group: int = 0
    row: int = 0
    depth: int = 0
    article: bool = False
    aside: bool = False
    element: int = 0


@dataclass(slots=True)
class Line:
    """One visual line of text."""

    text: str
    page: int
    bbox: BBox | None = None
    # Style runs of a line set in more than one style. Empty for a line in one style (most
    # lines): that style is the line's own ``font``, ``size``, ``bold``, ``italic`` (see runs();
    # a Span object a line would cost ~150 bytes, ~13 MB on a 1,000-page file).
    spans: list[Span] | tuple = ()
    size: float = 0.0  # dominant visible font size
    bold: bool = False  # most characters bold
    italic: bool = False
    index: int = 0  # running line number within the page (reading order from the reader)
    # Set by readers: the line ended with a hard hyphen PDFium merged with the break (U+0002),
    # or the text ended with '-' at a line end in extracted text.
    hyphen_end: bool = False
    indent: bool = False  # text reader: the line began with whitespace
    # Link annotations already anchored by the PDF reader: offsets into ``text``. A line
    # without links shares one empty tuple; assign a new list to add some.
    links: list[InlineLink] | tuple = ()
    tag: Tag | None = None  # structure-tree hint (tagged PDFs only)
    font: str | None = None  # the font of a one-style PDF line (``spans`` empty)

    def runs(self) -> list[Span] | tuple:
        """The line's style runs: its spans, or one span of its own style. Empty for a line
        with no style information (the text reader's)."""
        if self.spans:
            return self.spans
        if self.font is None:
            return []
        return [Span(self.text, self.size, self.bold, self.italic, self.font, self.bbox)]


@dataclass(slots=True)
class LinkAnnot:
    """A link annotation from the PDF: target and the rectangles it covers on its page."""

    url: str
    page: int
    rects: list[BBox] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    number: int
    width: float = 0.0
    height: float = 0.0
    lines: list[Line] = field(default_factory=list)
    links: list[LinkAnnot] = field(default_factory=list)
    images: int = 0  # image objects seen (to tell a scan from an empty page)
    unmapped: int = 0  # characters PDFium could not map to Unicode (fonts without ToUnicode)


@dataclass(slots=True)
class Block:
    """One output block. ``type`` is one of BLOCK_TYPES."""

    type: str
    text: str
    page: int = 0
    bbox: BBox | None = None
    level: int = 0  # heading level (1-6), list nesting depth
    links: list[InlineLink] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list, repr=False)
    ordered: bool = False  # list items: numbered
    marker: str = ""  # list items: original marker ("1.", "a)", "•")
    label: str = ""  # callouts: "Related article:"
    rows: list[list[str]] | None = None  # tables
    bold: bool = False
    italic: bool = False
    size: float = 0.0
    pages: list[int] = field(default_factory=list)  # every page the block touches

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "text": self.text, "page": self.page}
        d["bbox"] = [round(v, 2) for v in self.bbox] if self.bbox else None
        if len(self.pages) > 1:
            d["pages"] = self.pages
        if self.level:
            d["level"] = self.level
        if self.links:
            d["links"] = [asdict(link) for link in self.links]
        if self.type == "list_item":
            d["ordered"] = self.ordered
            d["marker"] = self.marker
        if self.label:
            d["label"] = self.label
        if self.rows is not None:
            d["rows"] = self.rows
        return d


HEADER_TYPES = frozenset({"title", "dek", "byline", "date"})

BLOCK_TYPES = (
    "title",
    "dek",
    "byline",
    "date",
    "heading",
    "paragraph",
    "list_item",
    "quote",
    "caption",
    "callout",
    "footnote",
    "table",
    "disclaimer",
    "code",
)


@dataclass(slots=True)
class Removed:
    """Text reflow took out, and why ("header", "footer", "page-number", "print-header",
    "print-footer", "url-dump", "boilerplate", ...)."""

    text: str
    reason: str
    page: int = 0
    bbox: BBox | None = None
    urls: list[str] = field(default_factory=list)  # link targets anchored on the removed text

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "reason": self.reason,
            "page": self.page,
            "bbox": [round(v, 2) for v in self.bbox] if self.bbox else None,
        }
        if self.urls:
            d["urls"] = self.urls
        return d


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # ISO 8601
    url: str | None = None
    source: str | None = None  # the input path
    pages: int = 0
    producer: str | None = None
    language: str | None = None
    web_print: bool = False  # a browser's Print to PDF (print header/footer seen)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    """What reflow knows about one source. Stages enrich it in place and return it."""

    source: str
    kind: str = "pdf"  # "pdf" or "text"
    pages: list[Page] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    info: dict[str, str] = field(default_factory=dict)  # PDF info dictionary
    urls: list[str] = field(default_factory=list)  # URLs not attached inline (kept, de-duplicated)
    warnings: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def markdown(self) -> str:
        from reflow.render.markdown import render_markdown

        return render_markdown(self, front_matter=bool(self.options.get("front_matter")))

    @property
    def text(self) -> str:
        from reflow.render.text import render_text

        return render_text(self)

    @property
    def body_text(self) -> str:
        """Plain text of the article body: every kept block but the header that the metadata
        already holds (title, dek, byline, date). What article-extraction benchmarks score."""
        from reflow.render.text import render_text

        return render_text(self, skip=HEADER_TYPES)

    def to_dict(self, lazy: bool = False) -> dict[str, Any]:
        """The document as JSON-ready data. ``lazy``: the blocks and removals as lists whose
        items are made on reading (for json's indenting encoder, which walks a list with
        ``for``), so the whole dict never exists at once."""
        items = _LazyList if lazy else _eager
        return {
            "source": self.source,
            "kind": self.kind,
            "metadata": self.metadata.to_dict(),
            "blocks": items(self.blocks, Block.to_dict),
            "urls": self.urls,
            "removed": items(self.removed, Removed.to_dict),
            "warnings": self.warnings,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def json_chunks(self, indent: int = 2):
        """``to_json(indent)`` piece by piece, each block's dict made only when it is reached:
        a 1,000-page document's JSON is written out without its whole dict and text in memory."""
        d = self.to_dict(lazy=True)
        buf: list[str] = []
        size = 0
        for piece in json.JSONEncoder(ensure_ascii=False, indent=indent).iterencode(d):
            buf.append(piece)
            size += len(piece)
            if size > 1 << 16:
                yield "".join(buf)
                buf, size = [], 0
        if buf:
            yield "".join(buf)

    def lines(self):
        for page in self.pages:
            yield from page.lines


def _eager(items, fn) -> list:
    return [fn(x) for x in items]


class _LazyList(list):
    """Looks like a list of ``fn(item)`` to json's pure-Python encoder (the one ``indent``
    selects), but makes each entry only when the encoder reaches it."""

    def __init__(self, items, fn) -> None:
        super().__init__()
        self._items, self._fn = items, fn

    def __iter__(self):
        return map(self._fn, self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)
