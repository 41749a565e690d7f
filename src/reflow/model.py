"""The typed document model every stage reads and returns.

Coordinates are PDF points with the origin at the page's top-left corner, y growing downwards:
``bbox = (x0, top, x1, bottom)``. Page numbers start at 1. A plain-text source has no geometry:
its lines carry ``bbox=None`` and a running ``index`` instead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from reflow.settings import DEFAULT, Settings

BBox = tuple[float, float, float, float]

try:
    from enum import StrEnum
except ImportError:  # Python 3.10

    class StrEnum(str, Enum):  # type: ignore[no-redef]
        """A string whose value is its name in the JSON and in f-strings (3.11's StrEnum)."""

        def __str__(self) -> str:
            return self.value

        __format__ = str.__format__


class BlockType(StrEnum):
    """What an output block is. The value is what the JSON and the tests read."""

    TITLE = "title"
    DEK = "dek"
    BYLINE = "byline"
    DATE = "date"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CAPTION = "caption"
    CALLOUT = "callout"
    FOOTNOTE = "footnote"
    TABLE = "table"
    DISCLAIMER = "disclaimer"
    CODE = "code"
    FIGURE = "figure"  # an image on the page; its text is its caption ("" without one)
    # page furniture kept in place (``keep_furniture``, the command's --all and
    # --keep-furniture): a running header or footer, a page number, a print header; ``label``
    # is its ``Reason`` ("header", "footer", "page-number", "print-header", ...)
    FURNITURE = "furniture"


class Reason(StrEnum):
    """Why reflow took something out (``Removed.reason``)."""

    PRINT_HEADER = "print-header"  # a browser's print header: date, page title
    PRINT_FOOTER = "print-footer"  # a browser's print footer: URL, "n/m"
    HEADER = "header"  # a running header
    FOOTER = "footer"  # a running footer
    PAGE_NUMBER = "page-number"
    URL_DUMP = "url-dump"  # an extractor's dump of link targets
    BOILERPLATE = "boilerplate"  # a web page's site chrome (article mode)
    STRAY_LINK = "stray-link"  # a site's link printed over the article's words
    MARGIN_STAMP = "margin-stamp"  # vertical text in the page margin (arXiv's identifier stamp)
    DECORATION = "decoration"  # an image too small to be a figure: icon, spacer, tracking pixel
    FIGURE_TEXT = "figure-text"  # text drawn inside a figure: a plot's axis labels and ticks
    SIDEWAYS = "sideways"  # OCR: a line running up or down a scanned page (a stamp, a turned label)


class Producer(StrEnum):
    """The kind of program that made the PDF, as far as the document shows (``Facts.producer``)."""

    BROWSER = "browser"  # a web browser's Print to PDF
    UNKNOWN = "unknown"
    TEXT = "text"  # no PDF: extracted plain text


# The JSON's name and version (``Document.to_dict()["schema"]``; schema/document.schema.json).
# 1.0: ``schema``, ``pages`` with sizes, per-page ``boxes``, every key always present.
# 1.1: ``figure`` blocks with their ``image``; ``uncertain`` words (OCR); pages' ``ocr``.
# 1.2: ``furniture`` blocks (page furniture kept in place), their reason as ``label``.
# 1.3: ``notes``: a block's footnote references (offsets of the printed mark, the note's
#      ``marker``); a footnote block's ``marker`` is its number (its text opens with it).
SCHEMA = "reflow-document/1.3"


@dataclass(slots=True)
class InlineLink:
    """A hyperlink on ``block.text[start:end]``."""

    start: int
    end: int
    url: str


@dataclass(slots=True)
class NoteRef:
    """A footnote reference: ``block.text[start:end]`` is the printed mark ("1" of "said.1"),
    ``marker`` the footnote block's it points to."""

    start: int
    end: int
    marker: str


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
    # OCR: the words read with a low confidence, as (start, end, confidence 0-100) offsets
    # into ``text``. Empty (one shared tuple) for a line of a text layer.
    uncertain: list[tuple[int, int, float]] | tuple = ()
    # Where the text is drawn from, when not the page's text layer: "annotation" (a FreeText
    # annotation), "form-field" (a filled field's value): readers/annots.py.
    origin: str = ""
    # PDF reader: the wide gaps between words inside the line, where a table's cells may part
    # (readers/cells.py): (offset into ``text`` where the right part starts, x where the left
    # part ends, x where the right part starts). Empty (one shared tuple) for most lines.
    gaps: tuple = ()

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
    """One page: its size, lines, link annotations, images and text layer."""

    number: int
    width: float = 0.0
    height: float = 0.0
    lines: list[Line] = field(default_factory=list)
    links: list[LinkAnnot] = field(default_factory=list)
    images: int = 0  # image objects seen (to tell a scan from an empty page)
    unmapped: int = 0  # characters PDFium could not map to Unicode (fonts without ToUnicode)
    pictures: list[Picture] = field(default_factory=list)  # the page's images (readers/images)
    ocr: bool = False  # the lines were read by OCR (readers/ocr), not from a text layer
    # The page's text as its text layer gives it (the PDF reader: PDFium's characters of the
    # page; else the lines as read), for word accounting (reflow.accounting); released with them
    layer: str | None = None
    # horizontal rules drawn on the page, (x0, y, x1), read only where a table may be
    # (readers/cells.py ``page_rulings``)
    rulings: list[tuple[float, float, float]] = field(default_factory=list)
    # the boxes of the other path objects read there (x0, top, x1, bottom): a plot's axes,
    # bars and curves (structure/figtext.py)
    graphics: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass(slots=True)
class Picture:
    """An image object on a page: which one (its index among the page's objects), where it is
    drawn (points, top-left origin) and its size in pixels."""

    index: int
    bbox: BBox
    width: int = 0
    height: int = 0


@dataclass(slots=True)
class Block:
    """One output block of a ``BlockType``."""

    type: BlockType
    text: str
    page: int = 0
    bbox: BBox | None = None
    level: int = 0  # heading level (1-6), list nesting depth
    links: list[InlineLink] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list, repr=False)
    ordered: bool = False  # list items: numbered
    marker: str = ""  # list items: original marker ("1.", "a)", "•")
    label: str = ""  # callouts: "Related article:"; furniture: its reason ("header")
    rows: list[list[str]] | None = None  # tables
    bold: bool = False
    italic: bool = False
    size: float = 0.0
    pages: list[int] = field(default_factory=list)  # every page the block touches
    # The block's box on each page it touches, kept when the lines are released (page_boxes).
    boxes: list[tuple[int, BBox | None]] = field(default_factory=list, repr=False)
    # Figures: the image drawn (page object, pixel size) and, once written out, its file
    picture: Picture | None = field(default=None, repr=False)
    image: str | None = None
    # OCR: words read with a low confidence, (start, end, confidence) offsets into ``text``
    uncertain: list[tuple[int, int, float]] = field(default_factory=list, repr=False)
    origin: str = ""  # the lines' origin when not the text layer (Line.origin)
    # Footnote references in ``text`` (structure/notes.py); a footnote's own number is ``marker``
    notes: list[NoteRef] = field(default_factory=list)

    def page_boxes(self) -> list[tuple[int, BBox | None]]:
        """(page, bbox) for each page the block touches, in page order: from its lines while
        it has them, else as recorded when they were released, else its one box."""
        if self.lines:
            by_page: dict[int, list[float] | None] = {}
            for ln in self.lines:
                box = by_page.get(ln.page)
                if ln.page not in by_page:
                    by_page[ln.page] = list(ln.bbox) if ln.bbox else None
                elif ln.bbox and box is not None:
                    box[0], box[1] = min(box[0], ln.bbox[0]), min(box[1], ln.bbox[1])
                    box[2], box[3] = max(box[2], ln.bbox[2]), max(box[3], ln.bbox[3])
                elif ln.bbox:
                    by_page[ln.page] = list(ln.bbox)
            return [(p, tuple(b) if b else None) for p, b in sorted(by_page.items())]
        if self.boxes:
            return list(self.boxes)
        pages = self.pages or ([self.page] if self.page else [])
        return [(p, self.bbox if p == self.page else None) for p in pages]

    def to_dict(self) -> dict[str, Any]:
        """Every key always present (``level`` 0, ``links`` [], ``rows`` None when they do not
        apply), so a reader never tests for a key: schema/document.schema.json."""
        return {
            "type": self.type,
            "text": self.text,
            "page": self.page,
            "pages": list(self.pages) if self.pages else ([self.page] if self.page else []),
            "bbox": _box(self.bbox),
            "boxes": [{"page": p, "bbox": _box(b)} for p, b in self.page_boxes()],
            "level": self.level,
            "links": [asdict(link) for link in self.links],
            "ordered": self.ordered,
            "marker": self.marker,
            "label": self.label,
            "rows": self.rows,
            "image": self._image_dict(),
            "uncertain": [
                {"start": a, "end": b, "confidence": round(c, 1)} for a, b, c in self.uncertain
            ],
            "notes": [asdict(n) for n in self.notes],
        } | ({"origin": self.origin} if self.origin else {})

    def _image_dict(self) -> dict[str, Any] | None:
        if self.picture is None:
            return None
        return {"path": self.image, "width": self.picture.width, "height": self.picture.height}


def _box(b) -> list[float] | None:
    return [round(v, 2) for v in b] if b else None


HEADER_TYPES = frozenset({BlockType.TITLE, BlockType.DEK, BlockType.BYLINE, BlockType.DATE})
BLOCK_TYPES = tuple(BlockType)


@dataclass(slots=True)
class Removed:
    """Text reflow took out, and why (a ``Reason``)."""

    text: str
    reason: Reason
    page: int = 0
    bbox: BBox | None = None
    urls: list[str] = field(default_factory=list)  # link targets anchored on the removed text

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "reason": self.reason,
            "page": self.page,
            "bbox": _box(self.bbox),
            "urls": list(self.urls),
        }


@dataclass(slots=True)
class Metadata:
    """What the document says about itself: title, authors, date, URL, source, producer."""

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


@dataclass(frozen=True)
class ConvertOptions:
    """What the user asked for. Stages read it and never write it."""

    password: str | None = None
    # Main-content detection: None decides by itself (web prints), True forces it, False keeps
    # everything.
    article: bool | None = None
    front_matter: bool = False  # Markdown output starts with YAML front matter
    # Page furniture (running headers and footers, page numbers, a browser's print header and
    # footer, margin stamps, URL dumps) kept in place as ``furniture`` blocks instead of going
    # to ``removed``; the rest of the output is as without it (the command's --keep-furniture;
    # --all is this and ``article=False``)
    keep_furniture: bool = False
    keep_lines: bool = False  # keep the positioned lines after the blocks are made
    # PDF pages to read, as (first, last) ranges from 1 (last 0: to the end; reflow.pagespec);
    # None reads them all
    pages: tuple[tuple[int, int], ...] | None = None
    # OCR (readers/ocr, the [ocr] extra): "auto" reads pages that have images and no usable
    # text, "force" every page, "off" none; ``lang``: Tesseract's language names ("deu",
    # "eng+fra"), None detects it from the first page read
    ocr: str = "auto"
    lang: str | None = None
    settings: Settings = DEFAULT  # the rules' settings (reflow.settings)


@dataclass(slots=True)
class Facts:
    """What stages learned about the document for later stages (never user options, never the
    PDF's info dictionary). Each field names the stage that sets it."""

    # reader: the kind of program that made the file
    producer: Producer = Producer.UNKNOWN
    # furniture: a browser's print header/footer was seen on most pages, and what it says
    print_date: str | None = None
    print_title: str | None = None
    print_url: str | None = None
    # blocks: the text's type size (the size that carries most characters), points
    body_size: float | None = None
    # roles: the x-extent of the body column (left, right), points
    body_x: tuple[float, float] | None = None
    # blocks: line-end hyphens of this document are marked by its producer (a soft hyphen
    # where it broke a word), so a plain hyphen at a line end is the word's own
    hyphens_marked: bool = False
    # header / article: the index of the title block in ``Document.blocks``, and its text
    title_index: int | None = None
    title: str | None = None
    # header / article: the names and the date written near the title
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    # furniture: what it found and kept in place (``keep_furniture``), for the furniture-blocks
    # stage: (page, reason, lines, text)
    furniture: list[tuple[int, Reason, list[Line], str]] = field(default_factory=list)
    # stages' caches, keyed by what they were computed from (not part of the result)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)


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
    options: ConvertOptions = field(default_factory=ConvertOptions)
    facts: Facts = field(default_factory=Facts)

    @property
    def markdown(self) -> str:
        from reflow.render.markdown import render_markdown

        return render_markdown(self, front_matter=self.options.front_matter)

    @property
    def settings(self) -> Settings:
        """The rules' settings for this conversion (``ConvertOptions.settings``)."""
        return self.options.settings

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
            "schema": SCHEMA,
            "source": self.source,
            "kind": self.kind,
            "metadata": self.metadata.to_dict(),
            "pages": [
                {
                    "number": p.number,
                    "width": p.width or None,
                    "height": p.height or None,
                    "ocr": p.ocr,
                }
                for p in self.pages
            ],
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

    def chunks(self, size: int | None = None, length=None) -> list:
        """The document cut for retrieval: at headings, and into pieces of at most ``size``
        characters (``length``: another measure, e.g. a tokenizer's ``lambda s: len(enc(s))``);
        each ``Chunk`` has ``text``, ``heading_path``, ``pages``, ``bboxes``, ``metadata``.
        See ``reflow.render.chunks``."""
        from reflow.render.chunks import chunks

        return chunks(self, size, length)


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
