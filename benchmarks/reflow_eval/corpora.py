"""The evaluation corpora: each yields ``Item(corpus, doc_id, source, reference)``.

- ``seed``: ``../shared/seeds/article.pdf.txt`` against ``article.expected.md`` (gold), and the
  same article printed to PDF (``tests/fixtures/seed/seed.pdf``) against ``seed.expected.md``.
- ``aeb-dev``: ``../shared/corpora/aeb-dev``, the 78 ``valid-keys.txt`` pages printed to PDF;
  reference = article body + URL, and a title taken from the saved HTML (see ``html_title``).
- ``layout``: ``corpora/layout/`` in the repository, generated PDFs with ``<name>.expected.md``
  and ``<name>.meta.json`` (forbidden furniture strings, metadata); whatever is there is read.
- ``producers-pdftex-onecol``, ``producers-pdftex-twocol``, ``producers-libreoffice``: the
  producer suite (``corpora/producers``, 28 documents per producer typeset from exact references:
  ``benchmarks/producer_suite``), one corpus per producer.
- ``papers``: the papers suite (``corpora/papers``: LaTeX papers written by hand with exact
  references written by hand, ``benchmarks/papers``): Roman and lettered headings, ruled
  tables, plots drawn in the picture environment, footnotes; even numbers dev, odd test.
- ``docling``: ``../shared/corpora/docling-pdf``, 11 PDFs with Docling's Markdown (silver).
- ``aeb-dev-text``: the aeb-dev prints as the plain text PDFium extracts from them (what a user
  who only kept the text has: no fonts, no positions, the site's menus one line each), through
  reflow's text path; same references. The texts are made on first use, in the cache folder.
- ``scanned``: scanned copies (``reflow_eval.scans``: 200 dpi grey, blur, noise, each page a
  little crooked, JPEG, no text layer) of the layout suite, the seed print and every seventh
  document of the producer suite, and three layout documents with only their second page
  scanned (``mixed/...``), each against the born-digital document's own reference. Made on
  first use in the cache folder (needs Pillow: the ``[ocr]`` extra); read by OCR.
- ``scanned-fresh``: the held-out scans: documents the OCR rules were never developed on (every
  seventh producer-suite document from the fourth, none of them in ``scanned``, and the
  docling-pdf PDFs in the Latin script, but the 18-page one), each scanned in a style of its own
  (200, 240 or 300 dpi, skew, blur, noise and JPEG quality drawn from the document's id), against
  the born-digital document's reference (docling's silver). Made and read like ``scanned``.
- ``web``: the web-print corpus (``corpora/web``: 1,364 valid prints of 1,194 sites in 38
  languages, ``benchmarks/webcorpus``), converted from its committed reader dump (no PDF needed):
  body against the silver body (trafilatura on the page's HTML), title, authors and date against
  the collection's gold value where it has one, else silver; each item's notes give its
  leave-site-out fold (``sha1(site) mod 5``) and the provenance of each field.

``../shared`` is found beside the repository (``$REFLOW_SHARED`` overrides it).
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

# The producer suite is scored per producer, so each producer's figures stand beside the
# Chromium prints' (``--corpus producers`` names all three).
PRODUCERS = ("pdftex-onecol", "pdftex-twocol", "libreoffice")
PRODUCER_CORPORA = tuple(f"producers-{p}" for p in PRODUCERS)
CORPORA = (
    "seed",
    "aeb-dev",
    "web",
    "layout",
    *PRODUCER_CORPORA,
    "papers",
    "docling",
    "aeb-dev-text",
    "scanned",
    "scanned-fresh",
)
# What ``--corpus all`` (and no --corpus) runs: the scanned corpora are read by OCR, minutes on
# two cores, and are asked for by name.
ALL_CORPORA = tuple(c for c in CORPORA if not c.startswith("scanned"))


@dataclass
class Reference:
    """What an output is scored against; a field left empty is not scored."""

    markdown: str | None = None  # gold (or silver) Markdown of the whole document
    body: str | None = None  # aeb: the article body, plain text, paragraphs on blank lines
    metadata: dict = field(default_factory=dict)  # title, authors, date, url
    forbidden: list[str] = field(default_factory=list)  # furniture that must not appear
    silver: bool = False  # made by another tool, not by hand
    notes: dict = field(default_factory=dict)  # where each reference came from


@dataclass
class Item:
    """One document of a corpus. Unpacks as ``doc_id, source, reference``:

    >>> for doc_id, source, ref in iter_corpus("seed"): ...
    """

    corpus: str
    doc_id: str
    source: Path
    reference: Reference
    # A reader dump record (zlib-compressed JSON) to convert instead of ``source`` (``web``).
    payload: bytes | None = None

    def __iter__(self):
        return iter((self.doc_id, self.source, self.reference))


def repo_root() -> Path:
    """The checkout this package lives in, else the current directory."""
    here = Path(__file__).resolve()
    for p in here.parents:
        if (p / "pyproject.toml").exists() and (p / "src" / "reflow").is_dir():
            return p
    return Path.cwd()


def shared_dir() -> Path:
    """``../shared`` beside the repository (``$REFLOW_SHARED`` wins)."""
    env = os.environ.get("REFLOW_SHARED")
    if env:
        return Path(env)
    for cand in (
        repo_root().parent / "shared",
        Path.cwd().parent / "shared",
        Path.cwd() / "shared",
    ):
        if cand.is_dir():
            return cand
    return repo_root().parent / "shared"


def layout_dir() -> Path:
    env = os.environ.get("REFLOW_LAYOUT_SUITE")
    if env:
        return Path(env)
    for cand in (repo_root() / "corpora" / "layout", Path.cwd() / "corpora" / "layout"):
        if cand.is_dir():
            return cand
    return repo_root() / "corpora" / "layout"


# ---------------------------------------------------------------------------------------------


def iter_seed(root: Path | None = None) -> Iterator[Item]:
    """``article``: the extracted text of the seed print against its hand-made target;
    ``print``: the same article printed by Chromium (``tests/fixtures/seed/seed.pdf``, with real
    link targets) against the Markdown generated from the same source."""
    seeds = (root or shared_dir()) / "seeds"
    src, ref = seeds / "article.pdf.txt", seeds / "article.expected.md"
    if src.exists() and ref.exists():
        yield Item(
            "seed",
            "article",
            src,
            Reference(markdown=ref.read_text(encoding="utf-8"), notes={"markdown": "gold"}),
        )
    fixture = repo_root() / "tests" / "fixtures" / "seed"
    src, ref = fixture / "seed.pdf", fixture / "seed.expected.md"
    if src.exists() and ref.exists():
        yield Item(
            "seed",
            "print",
            src,
            Reference(
                markdown=ref.read_text(encoding="utf-8"),
                notes={"markdown": "gold (generated from the page the PDF was printed from)"},
            ),
        )


_META_RE = re.compile(r"<meta\b[^>]*>", re.I | re.S)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.S)
_H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG_RE.sub(" ", s))).strip()


def html_title(page: str) -> tuple[list[str], str]:
    """The acceptable article titles of a saved page and where they came from.

    - An ``<h1>`` whose text agrees with ``og:title`` (fuzzy partial ratio >= 90, at least 60% of
      its length): the visible headline, without the site's "Opinion | " prefixes -> ``[h1]``.
    - Otherwise ``og:title`` (or ``twitter:title``) without a trailing `` | <og:site_name>``, and
      also the page's only ``<h1>`` when there is exactly one, of 4 words or more, that is not the
      site's name (publishers often rewrite the social headline: "Taylor Swift's AMA row seems to
      be over" vs the printed "Taylor Swift is allowed to play her music at the AMAs after all").
    - No ``og:title``: no title (a bare ``<h1>`` is too often the site's logo).
    """
    og = site = None
    og_is_og = False
    for tag in _META_RE.findall(page):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR_RE.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        content = _clean(attrs.get("content", ""))
        if not content:
            continue
        if key == "og:site_name":
            site = content
        elif key == "og:title" and not og_is_og:
            og, og_is_og = content, True
        elif key == "twitter:title" and og is None:
            og = content
    if not og:
        return [], "none"
    if site:  # "Spiced Honey Pear Jam Recipe | The Anti-June Cleaver": drop the site's name
        m = re.match(r"^(.{8,}?)\s+[|\-\u2013\u2014:]\s+(.+)$", og)
        if m and fuzz.ratio(m.group(2).casefold(), site.casefold()) >= 90:
            og = m.group(1)
    h1s = [h for h in (_clean(raw) for raw in _H1_RE.findall(page)) if h]
    for h1 in h1s:
        if len(h1) >= 8 and fuzz.partial_ratio(h1.casefold(), og.casefold()) >= 90:
            if len(h1) >= 0.6 * len(og):
                return [h1], "h1"
    if len(h1s) == 1 and len(h1s[0].split()) >= 4:
        if not site or fuzz.ratio(h1s[0].casefold(), site.casefold()) < 90:
            return [og, h1s[0]], "og:title or the only h1"
    return [og], "og:title"


def iter_aeb(root: Path | None = None) -> Iterator[Item]:
    base = (root or shared_dir()) / "corpora" / "aeb-dev"
    gt_path = base / "ground-truth.json"
    if not gt_path.exists():
        return
    truth = json.loads(gt_path.read_text(encoding="utf-8"))
    keys_file = base / "valid-keys.txt"
    keys = keys_file.read_text().split() if keys_file.exists() else sorted(truth)
    for key in keys:
        rec = truth.get(key)
        pdf = base / "pdf" / f"{key}.pdf"
        if rec is None or not pdf.exists():
            continue
        meta = {"url": rec.get("url")} if rec.get("url") else {}
        notes = {"body": "gold (benchmark)", "url": "gold (benchmark)"}
        page = base / "html" / f"{key}.html.gz"
        if page.exists():
            try:
                with gzip.open(page, "rt", encoding="utf-8", errors="replace") as f:
                    titles, how = html_title(f.read())
            except OSError:
                titles, how = [], "none"
            if titles:
                meta["title"] = titles[0] if len(titles) == 1 else titles
                notes["title"] = f"html {how}"
        yield Item(
            "aeb-dev",
            key,
            pdf,
            Reference(body=rec.get("articleBody", ""), metadata=meta, notes=notes),
        )


def web_dir() -> Path:
    return repo_root() / "corpora" / "web"


def iter_web(root: Path | None = None) -> Iterator[Item]:
    """The web corpus's valid prints, each carrying its reader dump record (see the module's
    docstring); nothing when ``corpora/web`` is absent."""
    import zlib

    base = root or web_dir()
    dump = base / "reader-dump.jsonl.gz"
    if not (dump.exists() and (base / "manifest.jsonl").exists()):
        return
    with open(base / "manifest.jsonl", encoding="utf-8") as f:
        entries = {e["id"]: e for e in map(json.loads, filter(str.strip, f)) if e.get("valid")}
    with gzip.open(base / "references.jsonl.gz", "rt", encoding="utf-8") as f:
        refs = {r["id"]: r for r in map(json.loads, filter(str.strip, f))}
    with gzip.open(dump, "rb") as f:
        for line in f:
            m = re.search(rb'"id": ?"([^"]+)"', line[:200])
            e = entries.get(m.group(1).decode()) if m else None
            ref = refs.get(e["id"]) if e else None
            if ref is None:
                continue
            meta = {k: ref[k]["value"] for k in ("title", "authors", "date") if ref[k]["value"]}
            meta["url"] = e["url"]
            prov = {k: ref[k]["prov"] for k in meta if k != "url"}
            prov["url"] = "gold" if e.get("url_from") == "collection" else "silver"
            notes = {
                "body": "silver (trafilatura on the page's HTML)",
                "fold": e["fold"],
                "site": e["site"],
                "language": e["language"],
                "prov": prov,
            }
            yield Item(
                "web",
                e["id"],
                dump,
                Reference(body=ref["body"]["text"], metadata=meta, silver=True, notes=notes),
                payload=zlib.compress(line, 1),
            )


def extracted_text(pdf: Path, out: Path) -> Path:
    """PDFium's plain text of ``pdf`` (pages separated by form feeds), written once to ``out``."""
    if not out.exists():
        from reflow_eval.floor import pdfium_page_texts

        pages = pdfium_page_texts(pdf)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".part")
        tmp.write_text("\f".join(pages), encoding="utf-8")
        tmp.replace(out)
    return out


def iter_aeb_text(root: Path | None = None) -> Iterator[Item]:
    from reflow.native import cache_dir

    folder = cache_dir() / "eval" / "aeb-dev-text"
    for item in iter_aeb(root):
        txt = extracted_text(item.source, folder / f"{item.doc_id}.txt")
        yield Item("aeb-dev-text", item.doc_id, txt, item.reference)


def _read_meta(path: Path) -> tuple[dict, list[str]]:
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, []
    if not isinstance(data, dict):
        return {}, []
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    meta = dict(meta)
    for k in ("title", "authors", "date", "url"):
        if k in data and k not in meta:
            meta[k] = data[k]
    forbidden = data.get("forbidden") or data.get("furniture") or []
    if isinstance(forbidden, str):
        forbidden = [forbidden]
    return {k: v for k, v in meta.items() if v}, [str(f) for f in forbidden if f]


def iter_layout(root: Path | None = None) -> Iterator[Item]:
    base = root or layout_dir()
    if not base.is_dir():
        return
    for pdf in sorted(base.rglob("*.pdf")):
        stem = pdf.name[: -len(".pdf")]
        ref = pdf.with_name(stem + ".expected.md")
        if not ref.exists():
            continue
        meta, forbidden = _read_meta(pdf.with_name(stem + ".meta.json"))
        doc_id = str(pdf.relative_to(base))[: -len(".pdf")]
        yield Item(
            "layout",
            doc_id,
            pdf,
            Reference(
                markdown=ref.read_text(encoding="utf-8"),
                metadata=meta,
                forbidden=forbidden,
                notes={"markdown": "gold (generated)"},
            ),
        )


def iter_docling(root: Path | None = None) -> Iterator[Item]:
    base = (root or shared_dir()) / "corpora" / "docling-pdf"
    for pdf in sorted((base / "pdf").glob("*.pdf")):
        ref = base / "groundtruth" / f"{pdf.stem}.md"
        if not ref.exists():
            continue
        yield Item(
            "docling",
            pdf.stem,
            pdf,
            Reference(
                markdown=ref.read_text(encoding="utf-8"),
                silver=True,
                notes={"markdown": "silver (Docling output)"},
            ),
        )


def producers_dir() -> Path:
    return repo_root() / "corpora" / "producers"


def _iter_indexed(corpus: str, base: Path, key: str, notes) -> Iterator[Item]:
    """The documents a suite's ``index.json`` lists by ``key``: each ``<name>.pdf`` beside its
    ``<name>.expected.md`` (and optional ``.meta.json``); ``notes(rec)`` gives the reference's notes."""
    index = base / "index.json"
    if not index.exists():
        return
    for rec in json.loads(index.read_text(encoding="utf-8")):
        name = rec[key]
        pdf = base / f"{name}.pdf"
        ref = base / f"{name}.expected.md"
        if not pdf.exists() or not ref.exists():
            continue
        meta, forbidden = _read_meta(base / f"{name}.meta.json")
        yield Item(
            corpus,
            name,
            pdf,
            Reference(
                markdown=ref.read_text(encoding="utf-8"),
                metadata=meta,
                forbidden=forbidden,
                notes=notes(rec),
            ),
        )


def iter_producers(root: Path | None = None) -> Iterator[Item]:
    """The producer suite's documents (``corpora/producers``, listed in ``index.json``)."""
    return _iter_indexed(
        "producers", root or producers_dir(), "id", lambda rec: {"markdown": "gold (generated)"}
    )


def papers_dir() -> Path:
    return repo_root() / "corpora" / "papers"


def iter_papers(root: Path | None = None) -> Iterator[Item]:
    """The papers suite (``corpora/papers``, listed in ``index.json``); each item's notes give
    its split."""
    return _iter_indexed(
        "papers",
        root or papers_dir(),
        "name",
        lambda rec: {"markdown": "gold (written by hand)", "split": rec["split"]},
    )


def scanned_sources() -> Iterator[tuple[str, Item, frozenset[int] | None]]:
    """(id, born-digital item, pages to scan or None for all) of the scanned corpus."""
    layout = list(iter_layout())
    for item in layout:
        yield f"layout/{item.doc_id}", item, None
    for item in iter_seed():
        if item.source.suffix == ".pdf":
            yield f"seed/{item.doc_id}", item, None
    for k, item in enumerate(iter_producers()):
        if k % 7 == 0:
            yield f"producers/{item.doc_id}", item, None
    import pypdfium2 as pdfium

    multi = []
    for item in layout:
        d = pdfium.PdfDocument(str(item.source))
        if len(d) >= 2:
            multi.append(item)
        d.close()
    for item in multi[::4][:3]:
        yield f"mixed/{item.doc_id}", item, frozenset({2})


def fresh_sources() -> Iterator[tuple[str, Item, frozenset[int] | None]]:
    """(id, born-digital item, None) of the held-out scanned corpus (``scanned-fresh``): none
    is a document ``scanned_sources`` scans."""
    for k, item in enumerate(iter_producers()):
        if k % 7 == 3:
            yield f"producers/{item.doc_id}", item, None
    import pypdfium2 as pdfium

    for item in iter_docling():
        letters = [c for c in item.reference.markdown or "" if c.isalpha()]
        if sum(c < "\u0250" for c in letters) < 0.9 * len(letters):
            continue  # Korean, Arabic, Hebrew: Tesseract's stock eng/deu/fra cannot read them
        d = pdfium.PdfDocument(str(item.source))
        pages = len(d)
        d.close()
        if pages <= 8:
            yield f"docling/{item.doc_id}", item, None


def fresh_style(doc_id: str):
    """A scan style of the document's own (``scanned-fresh``): resolution, skew, blur, noise and
    JPEG quality drawn from its id, around the office scanner of ``ScanStyle``'s defaults."""
    import random
    import zlib

    from reflow_eval.scans import ScanStyle

    rng = random.Random(zlib.crc32(b"fresh/" + doc_id.encode()))
    dpi, skew = rng.choice((200, 240, 300)), round(rng.uniform(0.6, 1.6), 2)
    blur, noise = round(rng.uniform(0.3, 0.9), 2), round(rng.uniform(5.0, 14.0), 1)
    return ScanStyle(dpi, skew, 0.2, blur, noise, rng.choice((60, 70, 80, 90)))


def _scan_items(corpus: str, sources, style_of, folder: Path) -> Iterator[Item]:
    import hashlib
    import zlib

    from reflow_eval.scans import make_mixed, make_scan

    for doc_id, item, pages in sources:
        style = style_of(doc_id)
        data = item.source.read_bytes()
        key = hashlib.sha256(data + repr((style, sorted(pages or ()))).encode()).hexdigest()[:12]
        out = folder / f"{doc_id}.{key}.pdf"
        if not out.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
            seed = zlib.crc32(doc_id.encode())
            scan = (
                make_scan(data, style=style, seed=seed)
                if pages is None
                else make_mixed(data, scanned=pages, style=style, seed=seed)
            )
            tmp = out.with_suffix(".part")
            tmp.write_bytes(scan)
            tmp.replace(out)
        yield Item(corpus, doc_id, out, item.reference)


def _have_pillow() -> bool:
    try:
        import PIL  # noqa: F401  (the scans are made with Pillow: the [ocr] extra)
    except ImportError:
        return False
    return True


def iter_scanned(root: Path | None = None) -> Iterator[Item]:
    from reflow.native import cache_dir

    if _have_pillow():
        from reflow_eval.scans import ScanStyle

        folder = root or cache_dir() / "eval" / "scanned"
        yield from _scan_items("scanned", scanned_sources(), lambda _: ScanStyle(), folder)


def iter_scanned_fresh(root: Path | None = None) -> Iterator[Item]:
    from reflow.native import cache_dir

    if _have_pillow():
        folder = root or cache_dir() / "eval" / "scanned-fresh"
        yield from _scan_items("scanned-fresh", fresh_sources(), fresh_style, folder)


_ITERS = {
    "seed": iter_seed,
    "aeb-dev": iter_aeb,
    "web": iter_web,
    "layout": iter_layout,
    "docling": iter_docling,
    "papers": iter_papers,
    "aeb-dev-text": iter_aeb_text,
    "scanned": iter_scanned,
    "scanned-fresh": iter_scanned_fresh,
    **{
        f"producers-{p}": (
            lambda p=p: (
                Item(f"producers-{p}", it.doc_id, it.source, it.reference)
                for it in iter_producers()
                if it.doc_id.split("/")[0] == p
            )
        )
        for p in PRODUCERS
    },
}


def corpus_location(name: str) -> str:
    """Where a corpus's files are looked for, for a message that says so."""
    shared = f"{shared_dir()} (../shared beside the checkout, or $REFLOW_SHARED)"
    where = {
        "seed": f"{shared_dir() / 'seeds'} and {repo_root() / 'tests' / 'fixtures' / 'seed'}",
        "aeb-dev": f"{shared_dir() / 'corpora' / 'aeb-dev'} in {shared}",
        "web": str(web_dir()),
        "layout": f"{layout_dir()} ($REFLOW_LAYOUT_SUITE)",
        "docling": f"{shared_dir() / 'corpora' / 'docling-pdf'} in {shared}",
        "aeb-dev-text": f"{shared_dir() / 'corpora' / 'aeb-dev'} in {shared}",
        **{c: str(producers_dir()) for c in PRODUCER_CORPORA},
        "papers": str(papers_dir()),
        "scanned": f"{layout_dir()}, the seed print and {producers_dir()} (scanned on first "
        "use; needs Pillow, the [ocr] extra)",
        "scanned-fresh": f"{producers_dir()} and {shared_dir() / 'corpora' / 'docling-pdf'} "
        "(scanned on first use; needs Pillow, the [ocr] extra)",
    }
    return where.get(name, "?")


def iter_corpus(name: str, limit: int | None = None) -> Iterator[Item]:
    """The items of one corpus (one of ``CORPORA``), at most
    ``limit``. A corpus whose files are missing yields nothing."""
    if name not in _ITERS:
        raise ValueError(f"unknown corpus {name!r} (choose from {', '.join(CORPORA)})")
    for n, item in enumerate(_ITERS[name]()):
        if limit is not None and n >= limit:
            return
        yield item
