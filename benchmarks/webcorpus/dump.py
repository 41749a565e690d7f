"""A compact dump of reflow's reader output, so the corpus is usable without re-printing or
re-reading its PDFs: what ``reflow.readers.pdf.read_pdf`` returns before the stages (pages
with their size, lines with text, box, size, bold/italic, font, spans, structure tag, links,
hyphen flag; link annotations; the info dictionary; the reader's warnings).

Format: gzipped JSON lines, one document a line::

    {"v": 1, "id": ..., "info": {...}, "warnings": [...], "fonts": [names], "urls": [targets],
     "pages": [[number, width, height, images, unmapped, [link annots], [lines],
                [pictures], ocr, [rulings]], ...]}           (pictures, ocr, rulings: optional)

    line   = [text, bbox, size, flags, font, spans, tag, links, uncertain, origin, gaps]
             (trailing empties dropped; origin: Line.origin, "annotation", "form-field")
    gaps   = [[offset, x where the left part ends, x where the right part starts], ...]
    rulings = [[x0, y, x1], ...]                                     (horizontal rules)
    picture = [object index, x0, top, x1, bottom, width px, height px]
    uncertain = [[start, end, confidence], ...]                      (OCR lines)
    bbox   = [x0, top, x1, bottom], rounded to 0.1 pt (``BBOX_DIGITS``); null for none
    flags  = bold | italic << 1 | hyphen_end << 2 | indent << 3
    font   = index into "fonts", -1 for None
    spans  = [[text, size, flags, font, bbox], ...]                  (empty: a one-style line)
    tag    = [role, block, group, row, depth, article | aside << 1, element] or null
    links  = [[start, end, url], ...]  with url an index into "urls"
    annot  = [url, [rects]]

``load_document`` rebuilds a ``reflow.model.Document`` from a record; ``convert_record`` runs
reflow's stages on it, which gives the Markdown ``reflow.convert`` gives on the PDF (checked:
``python benchmarks/webcorpus/dump.py check``). Only reader-level fields are dumped: the
Document's other fields (options, facts, blocks) are made by the stages.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from reflow.model import (
    ConvertOptions,
    Document,
    InlineLink,
    Line,
    LinkAnnot,
    Page,
    Picture,
    Span,
    Tag,
)

VERSION = 1
BBOX_DIGITS = 1  # 0.1 pt
SIZE_DIGITS = 2

# The reader-level fields this format knows. tests/test_webcorpus_dump.py fails when the model
# gains one, so the format is extended rather than silently dropping it.
KNOWN_FIELDS = {
    "Line": {
        "text",
        "page",
        "bbox",
        "spans",
        "size",
        "bold",
        "italic",
        "index",
        "hyphen_end",
        "indent",
        "links",
        "tag",
        "font",
        "uncertain",
        "origin",
        "gaps",
    },
    "Span": {"text", "size", "bold", "italic", "font", "bbox"},
    "Tag": {"role", "block", "group", "row", "depth", "article", "aside", "element"},
    "LinkAnnot": {"url", "page", "rects"},
    "InlineLink": {"start", "end", "url"},
    "Page": {
        "number",
        "width",
        "height",
        "lines",
        "links",
        "images",
        "unmapped",
        "pictures",
        "ocr",
        # not dumped: the text layer's words (word accounting) are the lines' on loading
        # (reflow.accounting.note_layer), which the dump keeps
        "layer",
        "rulings",
        # not dumped: path boxes are read only where rulings are, never on a browser's print
        # (readers/cells.py page_rulings), which is all this corpus holds
        "graphics",
    },
}


def model_fields() -> dict[str, set[str]]:
    return {
        cls.__name__: {f.name for f in dataclasses.fields(cls)}
        for cls in (Line, Span, Tag, LinkAnnot, InlineLink, Page)
    }


def _box(b, digits=BBOX_DIGITS):
    return None if b is None else [round(v, digits) for v in b]


def _flags(bold, italic, hyphen=False, indent=False) -> int:
    return int(bold) | int(italic) << 1 | int(hyphen) << 2 | int(indent) << 3


class _Table:
    def __init__(self) -> None:
        self.items: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        if value is None:
            return -1
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.items)
            self.items.append(value)
        return i


def encode_document(doc: Document, id: str) -> dict:
    """The dump record of a Document as the reader returned it (before any stage)."""
    fonts, urls = _Table(), _Table()
    pages = []
    for p in doc.pages:
        lines = []
        for ln in p.lines:
            spans = [
                [
                    s.text,
                    round(s.size, SIZE_DIGITS),
                    _flags(s.bold, s.italic),
                    fonts(s.font),
                    _box(s.bbox),
                ]
                for s in ln.spans
            ]
            t = ln.tag
            tag = (
                [t.role, t.block, t.group, t.row, t.depth, _flags(t.article, t.aside), t.element]
                if t is not None
                else None
            )
            links = [[k.start, k.end, urls(k.url)] for k in ln.links]
            rec = [
                ln.text,
                _box(ln.bbox),
                round(ln.size, SIZE_DIGITS),
                _flags(ln.bold, ln.italic, ln.hyphen_end, ln.indent),
                fonts(ln.font),
                spans,
                tag,
                links,
                [[a, b, round(c, 1)] for a, b, c in ln.uncertain],
                ln.origin,
                [[o, round(a, BBOX_DIGITS), round(b, BBOX_DIGITS)] for o, a, b in ln.gaps],
            ]
            while len(rec) > 5 and not rec[-1]:
                rec.pop()
            lines.append(rec)
        annots = [[urls(a.url), [_box(r) for r in a.rects]] for a in p.links]
        page = [p.number, p.width, p.height, p.images, p.unmapped, annots, lines]
        pics = [[q.index, *_box(q.bbox, 2), q.width, q.height] for q in p.pictures]
        rules = [[round(v, BBOX_DIGITS) for v in r] for r in p.rulings]
        if pics or p.ocr or rules:
            page += [pics, int(p.ocr)]
        if rules:
            page.append(rules)
        pages.append(page)
    return {
        "v": VERSION,
        "id": id,
        "info": doc.info,
        "warnings": doc.warnings,
        "fonts": fonts.items,
        "urls": urls.items,
        "pages": pages,
    }


def load_document(rec: dict, source: str | None = None) -> Document:
    """A Document as ``read_pdf`` would have returned it, from a dump record."""
    if rec.get("v") != VERSION:
        raise ValueError(f"dump format {rec.get('v')} (this loader reads {VERSION})")
    fonts, urls = rec["fonts"], rec["urls"]
    label = source or f"{rec['id']}.pdf"
    doc = Document(source=label, kind="pdf")
    doc.info = dict(rec["info"])
    doc.warnings = list(rec["warnings"])
    for number, width, height, images, unmapped, annots, lines, *more in rec["pages"]:
        page = Page(number=number, width=width, height=height, images=images, unmapped=unmapped)
        if more:
            page.pictures = [Picture(i, (a, b, c, d), w, h) for i, a, b, c, d, w, h in more[0]]
            page.ocr = bool(more[1])
        if len(more) > 2:
            page.rulings = [tuple(r) for r in more[2]]
        page.links = [LinkAnnot(urls[u], number, [tuple(r) for r in rects]) for u, rects in annots]
        for idx, r in enumerate(lines):
            text, bbox, size, flags, font = r[:5]
            spans = r[5] if len(r) > 5 else ()
            tag = r[6] if len(r) > 6 else None
            links = r[7] if len(r) > 7 else ()
            unsure = r[8] if len(r) > 8 else ()
            origin = r[9] if len(r) > 9 else ""
            gaps = r[10] if len(r) > 10 else ()
            ln = Line(
                text=text,
                page=number,
                bbox=tuple(bbox) if bbox is not None else None,
                size=size,
                bold=bool(flags & 1),
                italic=bool(flags & 2),
                hyphen_end=bool(flags & 4),
                indent=bool(flags & 8),
                index=idx,
                font=fonts[font] if font >= 0 else None,
                origin=origin,
            )
            if spans:
                ln.spans = [
                    Span(
                        t,
                        sz,
                        bool(f & 1),
                        bool(f & 2),
                        fonts[fo] if fo >= 0 else "",
                        tuple(b) if b is not None else None,
                    )
                    for t, sz, f, fo, b in spans
                ]
            if tag:
                role, block, group, row, depth, af, element = tag
                ln.tag = Tag(role, block, group, row, depth, bool(af & 1), bool(af & 2), element)
            if links:
                ln.links = [InlineLink(s, e, urls[u]) for s, e, u in links]
            if unsure:
                ln.uncertain = [(a, b, c) for a, b, c in unsure]
            if gaps:
                ln.gaps = tuple((o, a, b) for o, a, b in gaps)
            page.lines.append(ln)
        doc.pages.append(page)
    doc.metadata.pages = len(doc.pages)
    doc.metadata.producer = doc.info.get("Producer")
    return doc


def convert_record(
    rec: dict, source: str | None = None, options: ConvertOptions | None = None
) -> Document:
    """Run reflow's stages on a dump record: what ``reflow.convert`` gives on the PDF."""
    from reflow.pipeline import release_lines, run_stages

    doc = load_document(rec, source)
    doc.options = options or ConvertOptions()
    doc.metadata.source = doc.source
    doc = run_stages(doc)
    return doc if doc.options.keep_lines else release_lines(doc)


def read_pdf_record(pdf: Path, id: str) -> dict:
    from reflow.readers.ocr import PageExtras
    from reflow.readers.pdf import read_pdf

    extra = PageExtras.for_options(ConvertOptions(), str(pdf))  # images and OCR, as convert()
    return encode_document(read_pdf(Path(pdf).read_bytes(), str(pdf), extra=extra), id)


def write_dump(items: Iterable[tuple[str, Path]], out: Path) -> tuple[int, int]:
    """Dump every (id, pdf) to ``out`` (gzipped JSON lines); returns (documents, bytes)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    n = 0
    with (
        open(tmp, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as f,
    ):
        for id, pdf in items:
            try:
                rec = read_pdf_record(pdf, id)
            except Exception as e:  # a PDF reflow cannot read is left out, and said
                print(f"dump: {id}: {e}", file=sys.stderr)
                continue
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            n += 1
    tmp.replace(out)
    return n, out.stat().st_size


def iter_dump(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def check(dump_path: Path, pdf_dir: Path, every: int = 10) -> tuple[int, list[str]]:
    """Markdown from the dump == Markdown from the PDF, on every ``every``-th document."""
    import reflow

    bad, n = [], 0
    for i, rec in enumerate(iter_dump(dump_path)):
        if i % every:
            continue
        pdf = pdf_dir / f"{rec['id']}.pdf"
        if not pdf.exists():
            continue
        n += 1
        a = convert_record(rec, str(pdf)).markdown
        b = reflow.convert(pdf).markdown
        if a != b:
            bad.append(rec["id"])
    return n, bad


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="check the reader dump against the PDFs")
    ap.add_argument("cmd", choices=["check"])
    ap.add_argument(
        "--dump",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "corpora/web/reader-dump.jsonl.gz",
    )
    ap.add_argument("--pdfs", type=Path, default=None)
    ap.add_argument("--every", type=int, default=10)
    a = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build import CACHE

    pdfs = a.pdfs or (CACHE / ("pdf-clean" if "clean" in a.dump.name else "pdf"))
    n, bad = check(a.dump, pdfs, a.every)
    print(f"{n} documents compared, {len(bad)} differ" + (f": {' '.join(bad)}" if bad else ""))
    sys.exit(1 if bad else 0)
