"""Which OCR engine for reflow's scanned pages: quality and speed on the same pages.

    python benchmarks/ocr_engines.py [--pages N] [--engines tesserocr,pytesseract,rapidocr]
                                     [--dpi 300] [--json OUT]

Born-digital pages (the layout suite, the seed print, the producer suite) are scanned with
``reflow_eval.scans`` (200 dpi, grey, blur, noise, a page turned by 0.3-1.2 degrees, JPEG),
rendered back with PDFium at ``--dpi`` and read by each engine. Each page's output is scored
against the born-digital page's own text (PDFium's): word accuracy (1 - word-level edit
distance over the longer; reading order counts) and word F1 (words as a bag: order aside).
Time is CPU seconds per page, one thread (``OMP_THREAD_LIMIT=1``), rendering excluded.

Engines (each skipped when it is not installed): ``tesserocr`` (Tesseract in-process, the
language data of Debian's tesseract-ocr-* packages), ``pytesseract`` (the ``tesseract``
command, one process per page), ``rapidocr`` (RapidOCR on ONNX Runtime, PP-OCR models inside
the wheel). The results of the run that chose reflow's engine are in docs/ocr.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before Tesseract loads: one core each

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from reflow_eval.scans import ScanStyle, make_scan  # noqa: E402

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"


def sample_pages(n: int, seed: int = 1) -> list[tuple[Path, int]]:
    pdfs = sorted((ROOT / "corpora" / "layout").glob("*.pdf"))
    pdfs += [ROOT / "tests" / "fixtures" / "seed" / "seed.pdf"]
    pdfs += sorted((ROOT / "corpora" / "producers").rglob("*.pdf"))[::6]
    import pypdfium2 as pdfium

    pages = []
    for p in pdfs:
        d = pdfium.PdfDocument(str(p))
        pages += [(p, i + 1) for i in range(len(d))]
        d.close()
    rng = random.Random(seed)
    rng.shuffle(pages)
    return sorted(pages[:n])


def page_text(pdf: Path, number: int) -> str:
    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(str(pdf))
    try:
        tp = d[number - 1].get_textpage()
        return tp.get_text_bounded()
    finally:
        d.close()


def render(scan: bytes, dpi: int):
    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(scan)
    try:
        return d[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        d.close()


class Tesserocr:
    name = "tesserocr"

    def __init__(self) -> None:
        import tesserocr

        self.api = tesserocr.PyTessBaseAPI(path=TESSDATA, lang="eng")
        self.version = tesserocr.tesseract_version().split()[1]

    def read(self, img, dpi: int) -> str:
        self.api.SetImage(img)
        self.api.SetSourceResolution(dpi)
        return self.api.GetUTF8Text()


class Pytesseract:
    name = "pytesseract"

    def __init__(self) -> None:
        import pytesseract

        self.mod = pytesseract
        self.version = str(pytesseract.get_tesseract_version())

    def read(self, img, dpi: int) -> str:
        return self.mod.image_to_string(img, lang="eng", config=f"--dpi {dpi}")


class RapidOCR:
    name = "rapidocr"

    def __init__(self) -> None:
        import numpy
        from rapidocr_onnxruntime import RapidOCR as R

        self.np = numpy
        self.engine = R(intra_op_num_threads=1, inter_op_num_threads=1)
        from importlib import metadata

        self.version = metadata.version("rapidocr-onnxruntime")

    def read(self, img, dpi: int) -> str:
        res, _ = self.engine(self.np.asarray(img.convert("RGB")))
        return "\n".join(r[1] for r in (res or []))


ENGINES = {"tesserocr": Tesserocr, "pytesseract": Pytesseract, "rapidocr": RapidOCR}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the tesseract command): the
    machine is shared, so wall time says more about the neighbours than about the engine."""
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def words(text: str) -> list[str]:
    return text.replace("\u00ad", "").replace("\ufffe", "-").split()


def scores(ref: str, out: str) -> dict:
    a, b = words(ref), words(out)
    ids: dict[str, int] = {}
    sim = 1.0 - Levenshtein.normalized_distance(
        [ids.setdefault(w, len(ids)) for w in a], [ids.setdefault(w, len(ids)) for w in b]
    )
    ca, cb = Counter(a), Counter(b)
    tp = sum((ca & cb).values())
    p = tp / len(b) if b else 0.0
    r = tp / len(a) if a else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"word_accuracy": sim, "word_f1": f1, "words": len(a)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--engines", default="tesserocr,pytesseract,rapidocr")
    ap.add_argument("--dpi", default="300", help="render resolutions, comma-separated")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    pages = sample_pages(args.pages)
    style = ScanStyle()
    items = []
    for k, (pdf, n) in enumerate(pages):
        scan = make_scan(pdf, style=style, seed=k, pages=[n])
        items.append((f"{pdf.stem}#{n}", page_text(pdf, n), scan))
    results = {}
    for name in args.engines.split(","):
        try:
            eng = ENGINES[name]()
        except Exception as e:  # noqa: BLE001 - a missing engine is skipped
            print(f"{name}: skipped ({type(e).__name__}: {e})", file=sys.stderr)
            continue
        for dpi in (int(x) for x in args.dpi.split(",")):
            rows = []
            for key, ref, scan in items:
                img = render(scan, dpi)
                t0, c0 = time.perf_counter(), _cpu()
                out = eng.read(img, dpi)
                dt, cpu = time.perf_counter() - t0, _cpu() - c0
                rows.append({"page": key, "seconds": dt, "cpu": cpu, **scores(ref, out)})
            n_words = sum(r["words"] for r in rows)
            agg = {
                "engine": f"{name} {eng.version}",
                "dpi": dpi,
                "pages": len(rows),
                # word-weighted means
                "word_accuracy": sum(r["word_accuracy"] * r["words"] for r in rows) / n_words,
                "word_f1": sum(r["word_f1"] * r["words"] for r in rows) / n_words,
                "worst_page": min(r["word_accuracy"] for r in rows),
                "seconds_per_page": sum(r["seconds"] for r in rows) / len(rows),
                "cpu_per_page": sum(r["cpu"] for r in rows) / len(rows),
                "rows": rows,
            }
            results[f"{name}@{dpi}"] = agg
            print(
                f"{agg['engine']:<24} {dpi:>4} dpi  word accuracy {agg['word_accuracy']:.4f}  "
                f"word F1 {agg['word_f1']:.4f}  worst page {agg['worst_page']:.3f}  "
                f"{agg['cpu_per_page']:.2f} CPU s/page ({agg['seconds_per_page']:.2f} s wall)",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
