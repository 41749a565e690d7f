"""Where reflow's time goes: per-stage ms/page next to PDFium's own text extraction, per corpus,
and the peak memory of a 1,000-page conversion.

    .venv/bin/python benchmarks/pipeline_profile.py [--repeat N] [--lo] [--big-pages 1000] [--no-big]
        [--only aeb-dev,producers-libreoffice] [--start-rounds 15]

Corpora: ``../shared/corpora/aeb-dev/pdf`` (Chromium prints of news pages), ``corpora/layout``
(generated Chromium prints), ``../shared/corpora/docling-pdf/pdf`` (other producers) and, with
``--lo``, a few LibreOffice exports made on the fly from aeb-dev reference bodies
(``soffice --headless --convert-to pdf`` into a temporary folder; needs LibreOffice).

Start-up first: a one-page conversion in a fresh interpreter against importing pypdfium2 and
extracting the same page's text, CPU time, best of ``--start-rounds`` rounds taking turns. Then
the corpora, the producer suite one corpus per producer (``corpora/producers/*``). For each corpus
the columns are: the floor (pypdfium2 ``get_text_range`` over all pages: load the
document, every page and text page, extract text), reflow's reader (``read_pdf``), each entry of
``reflow.pipeline.STAGES`` in order, the Markdown renderer, and the whole conversion. Each figure is
the best CPU time of ``--repeat`` passes (the machine is shared: quote ratios, not absolute times).

Three big files of about ``--big-pages`` pages: a two-column Chromium print of aeb-dev reference
bodies (needs chromium; a few minutes to print, cached in the temp folder), the same with every
20th word a link (about 26 link annotations a page, as news prints have) and the pages of
``corpora/layout/feature-2col-a4-serif-long.pdf`` imported into one document again and again
(PDFium re-save: other producer, untagged). Each is converted in a fresh interpreter, by the
command (``reflow convert FILE -o OUT.md``) and by the API (``reflow.convert(FILE).markdown``),
and the peak RSS (``ru_maxrss``) and wall time are reported.
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The PDFium floor is measured the same way as in the reader benchmark beside this script.
from reader_speed import floor

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BIG_SOURCE = ROOT / "corpora" / "layout" / "feature-2col-a4-serif-long.pdf"


def corpora(lo: bool) -> dict[str, list[Path]]:
    out = {
        "aeb-dev": sorted((SHARED / "corpora" / "aeb-dev" / "pdf").glob("*.pdf")),
        "layout": sorted((ROOT / "corpora" / "layout").glob("*.pdf")),
        "docling-pdf": sorted((SHARED / "corpora" / "docling-pdf" / "pdf").glob("*.pdf")),
    }
    # the producer suite, one corpus per producer (pdfTeX one and two columns, LibreOffice Writer)
    for d in sorted((ROOT / "corpora" / "producers").glob("*/")):
        out[f"producers-{d.name}"] = sorted(d.glob("*.pdf"))
    if lo:
        out["libreoffice"] = libreoffice_exports()
    return {k: v for k, v in out.items() if v}


def libreoffice_exports(n: int = 6) -> list[Path]:
    """A few PDFs exported by LibreOffice from aeb-dev reference bodies (plain text and HTML)."""
    gt = SHARED / "corpora" / "aeb-dev" / "ground-truth.json"
    if not gt.exists():
        return []
    bodies = json.loads(gt.read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="reflow-lo-"))
    src = tmp / "src"
    src.mkdir()
    for i, key in enumerate(sorted(bodies)[:n]):
        body = bodies[key].get("articleBody") or ""
        if i % 2 == 0:
            (src / f"lo{i}.txt").write_text(body, encoding="utf-8")
        else:
            paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
            page = f"<html><body><h1>Article {i}</h1>{paras}</body></html>"
            (src / f"lo{i}.html").write_text(page, encoding="utf-8")
    inputs = sorted(str(p) for p in src.iterdir())
    try:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), *inputs],
            check=False,
            capture_output=True,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(tmp.glob("*.pdf"))


def profile(datas: list[bytes]) -> tuple[dict[str, float], int]:
    """CPU seconds per step over all files (one pass) and the page count."""
    from reflow.pipeline import STAGES
    from reflow.readers.pdf import read_pdf

    t: dict[str, float] = {}
    pages = 0
    clock = time.process_time

    def add(name: str, dt: float) -> None:
        t[name] = t.get(name, 0.0) + dt

    for i, data in enumerate(datas):
        gc.disable()  # as reflow.convert does (pipeline._no_cyclic_gc)
        try:
            _one(data, i, t, add, clock, STAGES, read_pdf)
        finally:
            gc.enable()
        pages += t.pop("_pages", 0)
    return t, pages


def _one(data, i, t, add, clock, stages, read_pdf) -> None:
    """Read and convert one file, adding each step's CPU time to ``t`` and its pages to
    ``t["_pages"]``."""
    t0 = clock()
    try:
        doc = read_pdf(data, f"file{i}.pdf")
    except Exception:
        return
    add("reader", clock() - t0)
    t["_pages"] = len(doc.pages)
    for stage in stages:
        t0 = clock()
        try:
            doc = stage(doc)
        except Exception:
            add(stage.__name__, clock() - t0)
            return
        add(stage.__name__, clock() - t0)
    t0 = clock()
    doc.markdown  # noqa: B018
    add("markdown", clock() - t0)


def best_floor(datas: list[bytes], repeat: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        pages = floor(datas)
        times.append(time.process_time() - t0)
    return min(times), pages


def best_profile(datas: list[bytes], repeat: int) -> tuple[dict[str, float], int]:
    best: dict[str, float] = {}
    pages = 0
    for _ in range(repeat):
        gc.collect()
        t, pages = profile(datas)
        for k, v in t.items():
            best[k] = min(best.get(k, v), v)
    return best, pages


def pdfium_extras(datas: list[bytes], repeat: int) -> dict[str, float]:
    """CPU seconds of the PDF object reading reflow does beyond the floor's, each timed alone
    over all pages (best of ``repeat``): the link annotations and the page's structure tree
    with its walk (pc_tags), as reflow's reader reads them: from the document's objects read
    once (native/docobjs.py: opening it included) where that reader reads the file and page,
    else through PDFium (``FPDFLink_Enumerate`` and each URI and rectangle;
    ``FPDF_StructTree_GetForPage`` + close). REFLOW_DOC_TREE=0: PDFium's alone. No Python can
    win these back: they bound the whole conversion from below."""
    from reflow.native.docobjs import open_doc_objects
    from reflow.readers import tagged
    from reflow.readers.pdf import pdfium, sampler

    lib = pdfium()
    samp = sampler(None)
    api = tagged.api(lib.dll)
    native = samp if samp.name == "native" else None

    def one_pass() -> dict[str, float]:
        t = {"links": 0.0, "struct tree": 0.0, "struct walk": 0.0}
        clock = time.process_time
        for data in datas:
            doc = lib.FPDF_LoadMemDocument64(data, len(data), None)
            if not doc:
                continue
            try:
                n = lib.FPDF_GetPageCount(doc)
                t0 = clock()
                objs = open_doc_objects(samp, data, n)
                t["links"] += clock() - t0
                tagged_doc = tagged.is_tagged(lib.dll, doc)
                for i in range(n):
                    page = lib.FPDF_LoadPage(doc, i)
                    if not page:
                        continue
                    t0 = clock()
                    got = objs.links(i, i + 1, 0.0, 0.0) if objs is not None else None
                    if got is None:
                        samp.links(doc, page, i + 1, 0.0, 0.0)
                    t1 = clock()
                    t["links"] += t1 - t0
                    recs = None
                    if objs is not None and tagged_doc:
                        recs = objs.tags(i, tagged.MAX_ELEMENTS, tagged.MAX_DEPTH, tagged.Ids())
                    if recs is not None:
                        t["struct walk"] += clock() - t1
                    else:
                        t1 = clock()
                        tree = api.FPDF_StructTree_GetForPage(page)
                        t2 = clock()
                        if tree and native is not None:
                            native.struct_tags(
                                tree, tagged.MAX_ELEMENTS, tagged.MAX_DEPTH, tagged.Ids()
                            )
                        t3 = clock()
                        if tree:
                            api.FPDF_StructTree_Close(tree)
                        t4 = clock()
                        t["struct tree"] += (t2 - t1) + (t4 - t3)
                        t["struct walk"] += t3 - t2
                    lib.FPDF_ClosePage(page)
                if objs is not None:
                    objs.close()
            finally:
                lib.FPDF_CloseDocument(doc)
        return t

    best: dict[str, float] = {}
    for _ in range(repeat):
        gc.collect()
        for k, v in one_pass().items():
            best[k] = min(best.get(k, v), v)
    return best


def make_big(pages: int, out: Path) -> Path:
    import pypdfium2 as pdfium

    if out.exists():
        return out
    src = pdfium.PdfDocument(str(BIG_SOURCE))
    dst = pdfium.PdfDocument.new()
    n = len(src)
    while len(dst) < pages:
        take = min(n, pages - len(dst))
        dst.import_pages(src, list(range(take)))
    dst.save(str(out))
    dst.close()
    src.close()
    return out


def _linked(paragraph: str, chapter: int, every: int) -> str:
    """A paragraph's text, escaped, with every ``every``-th word a link (a web page's inline
    links: the print's link annotations)."""
    words = paragraph.split(" ")
    out = []
    for j, w in enumerate(words):
        w = html.escape(w)
        if every and j % every == every - 1:
            w = f'<a href="https://example.org/{chapter}/{j}">{w}</a>'
        out.append(w)
    return " ".join(out)


def make_big_print(pages: int, out: Path, link_every: int = 0) -> Path | None:
    """A two-column Chromium print of about ``pages`` pages, made of aeb-dev reference bodies
    (chapter after chapter), the kind of file a user prints from a long web page; with
    ``link_every``, every that many words of a paragraph is a link (20: about 26 links a page, a
    news print's density). None without chromium or the corpus. Takes a few minutes; cached at
    ``out``."""
    if out.exists():
        return out
    gt = SHARED / "corpora" / "aeb-dev" / "ground-truth.json"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not gt.exists() or not chromium:
        return None
    bodies = [v.get("articleBody") or "" for _, v in sorted(json.loads(gt.read_text()).items())]
    parts, total, i = [], 0, 0
    while total < pages * 5_500:  # about 5,500 characters a page at 10 pt in two columns
        body = bodies[i % len(bodies)]
        i += 1
        paras = "".join(
            f"<p>{_linked(p, i, link_every)}</p>" for p in body.split("\n\n") if p.strip()
        )
        parts.append(f"<h2>Chapter {i}</h2><div class=c>{paras}</div>")
        total += len(body)
    style = "body{font:10pt serif} .c{column-count:2;column-gap:2em} p{margin:0 0 .5em}"
    doc = f"<html><head><title>Long print</title><style>{style}</style></head><body>"
    doc += "<h1>Long print</h1>" + "".join(parts) + "</body></html>"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "long.html"
        src.write_text(doc, encoding="utf-8")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        cmd += ["--disable-background-networking", "--disable-component-update"]
        cmd += ["--disable-sync", f"--user-data-dir={tmp}/profile"]
        cmd += [f"--print-to-pdf={out}", src.as_uri()]
        subprocess.run(cmd, capture_output=True, timeout=1800, check=False)
    return out if out.exists() else None


# Peak RSS of the command a user runs (reflow convert FILE -o OUT.md) and of the Python API
# (reflow.convert(FILE).markdown), each in a fresh interpreter.
BIG_CHILD = """
import os, resource, sys, tempfile, time
t = time.perf_counter()
if sys.argv[2] == "cli":
    from reflow.cli import main
    out = os.path.join(tempfile.mkdtemp(), "big.md")
    assert main(["convert", sys.argv[1], "-o", out]) == 0
    os.unlink(out)
else:
    import reflow
    md = reflow.convert(sys.argv[1]).markdown
wall = time.perf_counter() - t
print(f"{wall:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""


def big_run(path: Path, how: str = "cli") -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of converting ``path`` in a fresh interpreter."""
    r = subprocess.run(
        [sys.executable, "-c", BIG_CHILD, str(path), how],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, rss = r.stdout.split()
    kib = int(rss) if sys.platform != "darwin" else int(rss) // 1024
    return float(wall), kib / 1024


START_FLOOR = """
import sys
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
for i in range(len(pdf)):
    pdf[i].get_textpage().get_text_range()
"""
START_REFLOW = """
import sys
import reflow
reflow.convert(sys.argv[1]).markdown
"""
START_FILE = ROOT / "corpora" / "layout" / "brief-2col-short-plain.pdf"


def child_cpu(code: str, path: Path) -> float:
    """CPU seconds (user + system) of a fresh interpreter running ``code`` on ``path``."""
    import os
    import resource

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def start_up(rounds: int, path: Path = START_FILE) -> dict[str, float]:
    """Best CPU ms of a one-page conversion in a fresh interpreter, against the floor (import
    pypdfium2, extract the page's text), the two taking turns (bytecode cached, as installed)."""
    child_cpu(START_REFLOW, path)  # write the bytecode caches first
    child_cpu(START_FLOOR, path)
    fl, rf = float("inf"), float("inf")
    for _ in range(rounds):
        fl = min(fl, child_cpu(START_FLOOR, path))
        rf = min(rf, child_cpu(START_REFLOW, path))
    return {"floor_ms": round(1000 * fl, 1), "reflow_ms": round(1000 * rf, 1)}


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lo", action="store_true", help="also LibreOffice exports (needs soffice)")
    ap.add_argument("--big-pages", type=int, default=1000)
    ap.add_argument("--no-big", action="store_true", help="skip the big-file memory run")
    ap.add_argument("--only", help="comma-separated corpus names")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--start-rounds", type=int, default=15, help="0: no start-up run")
    a = ap.parse_args()

    from reflow.pipeline import STAGES

    steps = ["reader", *(s.__name__ for s in STAGES), "markdown"]
    report: dict = {"corpora": {}}
    if a.start_rounds:
        st = start_up(a.start_rounds)
        report["start_up"] = st
        print(
            f"start-up ({START_FILE.name}, fresh interpreter, CPU, best of {a.start_rounds}): "
            f"reflow {st['reflow_ms']:.0f} ms, floor (import pypdfium2 + its text) "
            f"{st['floor_ms']:.0f} ms, +{st['reflow_ms'] - st['floor_ms']:.0f} ms"
        )
    sets = corpora(a.lo)
    if a.only:
        sets = {k: v for k, v in sets.items() if k in a.only.split(",")}
    for name, files in sets.items():
        datas = [f.read_bytes() for f in files]
        # Floor and reflow take turns, each keeping its best pass: a busy spell of the shared
        # machine then slows both alike instead of whichever ran during it.
        fl, t, extras = float("inf"), {}, {}
        for _ in range(a.repeat):
            f1, fpages = best_floor(datas, 1)
            fl = min(fl, f1)
            t1, pages = best_profile(datas, 1)
            t = {k: min(t.get(k, v), v) for k, v in t1.items()}
            e1 = pdfium_extras(datas, 1)
            extras = {k: min(extras.get(k, v), v) for k, v in e1.items()}
        total = sum(t.values())
        per = {k: 1000 * t.get(k, 0.0) / max(pages, 1) for k in steps}
        floor_ms = 1000 * fl / max(fpages, 1)
        total_ms = 1000 * total / max(pages, 1)
        report["corpora"][name] = {
            "files": len(files),
            "pages": pages,
            "floor_ms_per_page": round(floor_ms, 3),
            "ms_per_page": {k: round(v, 3) for k, v in per.items()},
            "total_ms_per_page": round(total_ms, 3),
            "ratio_to_floor": round(total_ms / floor_ms, 2) if floor_ms else None,
            "pdfium_beyond_floor_ms_per_page": {
                k: round(1000 * v / max(fpages, 1), 3) for k, v in extras.items()
            },
        }
        print(f"\n{name}: {len(files)} files, {pages} pages")
        print(f"  {'pdfium floor':<22}{floor_ms:8.2f} ms/page")
        for k in steps:
            print(f"  {k:<22}{per[k]:8.2f} ms/page  ({per[k] / floor_ms:5.2f}x floor)")
        print(
            f"  {'whole conversion':<22}{total_ms:8.2f} ms/page  ({total_ms / floor_ms:5.2f}x floor)"
        )
        # the part of the reader's time that is PDFium's work beyond the floor's
        ex = {k: 1000 * v / max(fpages, 1) for k, v in extras.items()}
        for k, v in ex.items():
            print(f"  {'  of which ' + k:<22}{v:8.2f} ms/page  ({v / floor_ms:5.2f}x floor)")
        low = floor_ms + sum(ex.values())
        print(f"  {'PDFium alone':<22}{low:8.2f} ms/page  ({low / floor_ms:5.2f}x floor)")

    if not a.no_big:
        tmp = Path(tempfile.gettempdir())
        n = a.big_pages
        bigs = {
            "chromium-print": make_big_print(n, tmp / f"reflow-print-{n}.pdf"),
            "chromium-print-links": make_big_print(
                n, tmp / f"reflow-print-links-{n}.pdf", link_every=20
            ),
        }
        if BIG_SOURCE.exists():
            bigs["imported"] = make_big(a.big_pages, tmp / f"reflow-big-{a.big_pages}.pdf")
        report["big"] = {}
        for kind, big in bigs.items():
            if big is None:
                continue
            pages = page_count(big)
            row = {"pages": pages}
            for how in ("cli", "api"):
                wall, rss = big_run(big, how)
                row[how] = {"wall_s": wall, "peak_rss_mib": round(rss, 1)}
                print(
                    f"\nbig file ({kind}, {how}): {pages} pages, {wall:.1f} s, peak RSS {rss:.0f} MiB"
                )
            report["big"][kind] = row
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
