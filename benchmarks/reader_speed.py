"""Reader speed: PDFium's own text extraction vs reflow's reader (native and fallback sampler)
vs the whole reflow conversion, on the same files in one run.

    .venv/bin/python benchmarks/reader_speed.py [PDF or folder ...] [--repeat N]

Default files: ../shared/corpora/aeb-dev/pdf/*.pdf (Chromium prints). Other producers:
../shared/corpora/docling-pdf/pdf, or LibreOffice exports made with
``soffice --headless --convert-to pdf --outdir OUT *.txt``. The floor is pypdfium2's
``get_text_range`` over all pages (load document, load every page and text page, extract text).
Each measure takes the best CPU time of ``--repeat`` passes over all files (the machine is
shared: quote ratios, not absolute times).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpora" / "aeb-dev" / "pdf"


def files_of(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for a in args or [str(DEFAULT)]:
        p = Path(a)
        out.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    return out


def floor(datas: list[bytes]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for data in datas:
        pdf = pdfium.PdfDocument(data)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    return pages


def reader(datas: list[bytes], native: bool, tags: bool = True) -> int:
    from reflow.readers.pdf import read_pdf

    if tags:
        os.environ.pop("REFLOW_NO_TAGS", None)
    else:  # the structure-tree pass of readers/tagged.py off
        os.environ["REFLOW_NO_TAGS"] = "1"

    pages = 0
    try:
        for i, data in enumerate(datas):
            try:
                doc = read_pdf(data, f"file{i}", native=native)
            except Exception:
                continue
            pages += len(doc.pages)
    finally:
        os.environ.pop("REFLOW_NO_TAGS", None)
    return pages


def convert(datas: list[bytes], native: bool) -> int:
    import reflow

    os.environ["REFLOW_NO_NATIVE"] = "0" if native else "1"
    pages = 0
    for data in datas:
        try:
            doc = reflow.convert(data)
        except Exception:
            continue
        pages += doc.metadata.pages
    return pages


def best(fn, repeat: int) -> tuple[float, int]:
    times = []
    pages = 0
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()  # CPU time: less noisy than wall time on a shared machine
        pages = fn()
        times.append(time.process_time() - t)
    return min(times), pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-convert", action="store_true", help="skip the whole-pipeline measure")
    a = ap.parse_args()
    files = files_of(a.paths)
    if not files:
        print("no PDF files", file=sys.stderr)
        return 1
    datas = [f.read_bytes() for f in files]
    from reflow.readers.pdf import sampler

    native_ok = sampler(True).name == "native" if _native_available() else False
    rows = [("pdfium get_text_range (floor)", lambda: floor(datas))]
    if native_ok:
        rows.append(("read_pdf native, no tags", lambda: reader(datas, True, tags=False)))
        rows.append(("read_pdf native", lambda: reader(datas, True)))
    rows.append(("read_pdf fallback", lambda: reader(datas, False)))
    if not a.no_convert:
        if native_ok:
            rows.append(("reflow.convert native", lambda: convert(datas, True)))
        rows.append(("reflow.convert fallback", lambda: convert(datas, False)))
    reader(datas[:2], native_ok)  # warm up: build/load the native library, import stages
    if not a.no_convert:
        convert(datas[:2], native_ok)
    print(f"{len(files)} files, best of {a.repeat}")
    base = None
    for name, fn in rows:
        t, pages = best(fn, a.repeat)
        base = base or t
        print(f"{name:32s} {pages:5d} pages {t:7.2f} s {pages / t:7.1f} pages/s  x{t / base:.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB")
    return 0


def _native_available() -> bool:
    try:
        from reflow.native import load

        load()
        return True
    except Exception as e:
        print(f"native sampler unavailable: {e}", file=sys.stderr)
        return False


if __name__ == "__main__":
    sys.exit(main())
