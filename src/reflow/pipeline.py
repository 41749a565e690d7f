"""The whole journey of a document, in order. Add a stage by adding a line to STAGES."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from reflow.accounting import account_words, note_layer
from reflow.errors import EmptyDocumentError, NotAPDFError
from reflow.layout.blocks import build_blocks
from reflow.layout.furniture import remove_furniture
from reflow.layout.kept import keep_furniture
from reflow.model import ConvertOptions, Document
from reflow.pagespec import format_pages, page_numbers, parse_pages
from reflow.readers.producer import identify_producer
from reflow.rules import RULES, Rule
from reflow.safety import check_output, check_size, check_text_layer
from reflow.settings import DEFAULT, Settings
from reflow.structure.article import select_article
from reflow.structure.figtext import drop_figure_text
from reflow.structure.figures import place_figures
from reflow.structure.floats import order_floats
from reflow.structure.header import find_header
from reflow.structure.heal import heal
from reflow.structure.links import attach_links
from reflow.structure.metadata import extract_metadata
from reflow.structure.notes import place_notes
from reflow.structure.numbering import number_headings
from reflow.structure.roles import assign_roles

Stage = Callable[[Document], Document]

STAGES: list[Stage] = [
    note_layer,  # the text layer's words, for the accounting at the end
    identify_producer,  # a browser's print? (the PDF's Creator)
    check_text_layer,  # no usable text (scan, fonts without Unicode) -> error; garbage -> warning
    remove_furniture,  # print header/footer, running headers, page numbers, URL dumps
    build_blocks,  # lines -> blocks in reading order (columns, tables)
    heal,  # join blocks split by pages/columns
    assign_roles,  # title, dek, byline, headings, lists, quotes, captions, callouts...
    number_headings,  # lettered headings ("A. Datasets"); levels from "2.1.3" numbering depth
    drop_figure_text,  # the labels and tick numbers inside a figure drawn with paths, removed
    place_figures,  # images -> figure blocks in reading order, with captions; icons removed
    order_floats,  # a table's caption above it; a float a page break put in a list after it
    find_header,  # the title block, and the byline and date near it
    select_article,  # web prints: keep the article, drop the site around it
    extract_metadata,  # title, authors, date, URL from the header, info dict, print furniture
    keep_furniture,  # --keep-furniture, --all: the furniture back in place as blocks
    attach_links,  # link annotations (PDF) or slug-matched URLs (text) -> inline links
    place_notes,  # footnotes tied to their references ([^1]) and set at the end
    check_output,  # text in, nothing out -> warning
    account_words,  # text-layer words neither in the output nor in removed -> warning
]


def registered_rules() -> dict[str, Rule]:
    """Every rule of every stage, by name (the stages are all imported here; the readers,
    which ``convert`` imports only when it reads, are imported now)."""
    import reflow.readers.ocr  # noqa: F401
    import reflow.readers.pdf  # noqa: F401
    import reflow.readers.text  # noqa: F401

    return dict(RULES)


def run_stages(doc: Document) -> Document:
    for stage in STAGES:
        doc = stage(doc)
    return doc


def release_lines(doc: Document) -> Document:
    """Drop the positioned lines once the blocks are final: the outputs are made from blocks
    (text, links, page, bbox), and the lines are most of the model's memory (a 1,000-page
    print: ~110,000 lines, ~45 MB). ``convert(..., keep_lines=True)`` keeps them."""
    for page in doc.pages:
        page.lines = []
        page.layer = None
    for b in doc.blocks:
        b.boxes = b.page_boxes()  # each page's box stays once the lines go
        b.lines = []
    return doc


@contextmanager
def _no_cyclic_gc():
    """A conversion makes hundreds of thousands of small objects and no garbage cycles worth
    chasing: Python's cyclic collector would walk them all again and again (about 8% of the
    time on news prints). Reference counting still frees everything; the collector runs again
    after the conversion."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def convert(
    source: str | os.PathLike | bytes,
    *,
    password: str | None = None,
    article: bool | None = None,
    keep_furniture: bool = False,
    front_matter: bool = False,
    kind: str | None = None,
    name: str | None = None,
    keep_lines: bool = False,
    settings: Settings | None = None,
    pages=None,
    ocr: str = "auto",
    lang: str | None = None,
) -> Document:
    """Convert a PDF or extracted-text file (path, or raw bytes) into a Document.

    ``article``: None decides by itself (web prints get main-content detection), True forces
    it, False turns it off. ``keep_furniture``: running headers and footers, page numbers, a
    print header and footer (all that ``removed`` would list as page furniture) stay in place as
    ``furniture`` blocks; with ``article=False`` nothing is taken out (the command's ``--all``).
    ``kind``: "pdf" or "text"; guessed from the content if None.
    ``keep_lines``: keep each page's positioned lines (``Page.lines``, ``Block.lines``: fonts,
    spans, boxes) in the result; by default they are released once the blocks are final.
    ``settings``: the rules' settings (``reflow.settings.Settings``), for fitting them.
    ``pages``: the pages to read, as ``"1,3-5"``, ``[1, 3, 4, 5]`` or ranges (``reflow.pagespec``);
    the others are never loaded (a PDF) or dropped (text, whose pages are split at form feeds).
    ``ocr``: "auto" reads pages without a usable text layer by OCR (the ``[ocr]`` extra),
    "force" every page, "off" none; ``lang``: Tesseract's language ("deu", "eng+fra"), None
    detects it (``reflow.readers.ocr``).
    """
    if ocr not in ("auto", "force", "off"):
        raise ValueError(f"ocr must be 'auto', 'force' or 'off', not {ocr!r}")
    opts = ConvertOptions(
        password=password,
        article=article,
        keep_furniture=keep_furniture,
        front_matter=front_matter,
        keep_lines=keep_lines,
        settings=settings or DEFAULT,
        pages=parse_pages(pages) if pages is not None else None,
        ocr=ocr,
        lang=lang or None,
    )
    with _no_cyclic_gc():
        doc = _convert(source, opts, kind, name)
        return doc if keep_lines else release_lines(doc)


def _convert(source, opts: ConvertOptions, kind, name) -> Document:
    password = opts.password
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        label = name or "<bytes>"
    else:
        path = Path(source)
        label = name or str(source)
        if str(source) == "-":
            import sys

            data = sys.stdin.buffer.read()
            label = name or "<stdin>"
        else:
            try:
                data = path.read_bytes()
            except IsADirectoryError:
                raise NotAPDFError(label, "is a directory") from None
            except FileNotFoundError:
                raise NotAPDFError(label, "no such file") from None
            except OSError as e:
                raise NotAPDFError(label, f"cannot read ({e.strerror or e})") from None
    check_size(len(data), label)  # safety.LIMITS.max_bytes (1 GiB; REFLOW_MAX_BYTES)
    if not data.strip():
        raise EmptyDocumentError(label, "file is empty")
    if kind is None:
        kind = "pdf" if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024] else "text"
    if kind == "pdf":
        from reflow.readers.ocr import PageExtras
        from reflow.readers.pdf import read_pdf

        extra = PageExtras.for_options(opts, label)
        doc = read_pdf(
            data,
            label,
            password=password,
            pages=opts.pages,
            extra=extra,
            settings=opts.settings.reader,
        )
    else:
        if label.lower().endswith(".pdf"):
            raise NotAPDFError(label, "not a PDF (no %PDF- header)")
        from reflow.readers.text import read_text

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        doc = read_text(text, label)
        if opts.pages:
            keep = set(page_numbers(opts.pages, len(doc.pages)))
            doc.pages = [p for p in doc.pages if p.number in keep]
            if not doc.pages:
                raise EmptyDocumentError(label, f"no page {format_pages(opts.pages)}")
    del data  # the stages need only the document (a 1,000-page print's bytes are ~27 MB)
    doc.options = opts
    doc.metadata.source = label
    return run_stages(doc)


def convert_text(text: str, *, name: str = "<text>", **kw) -> Document:
    """Convert already-extracted plain text."""
    return convert(text.encode("utf-8"), kind="text", name=name, **kw)
