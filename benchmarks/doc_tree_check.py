"""The structure tree and links read once per document (native/pdfobjs.c) against PDFium's.

    .venv/bin/python benchmarks/doc_tree_check.py [PDF or folder ...] [--time]

For every page of every tagged PDF: the records pc_tags gives from PDFium's tree of the page
(FPDF_StructTree_GetForPage) and from the document's tree (pd_tags), with the same element ids
to start from; for every page of every PDF, the links pc_links reads through PDFium and through
the document's objects, and whether the page has annotations readers/annots.py reads. Prints
the files the reader leaves to PDFium, the pages it reads, and any page where the two differ
(there must be none). ``--time``: the CPU time of both, per page.
Default inputs: aeb-dev, docling-pdf, and the repository's corpora and test fixtures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"


def inputs(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [
        SHARED / "aeb-dev" / "pdf",
        SHARED / "docling-pdf" / "pdf",
        ROOT / "corpora",
        ROOT / "tests",
    ]
    out: list[Path] = []
    for r in roots:
        out.extend([r] if r.is_file() else sorted(r.rglob("*.pdf")))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--time", action="store_true")
    a = ap.parse_args()
    return run(inputs(a.paths), a.time)


def run(files: list[Path], show_time: bool) -> int:
    from reflow.readers import tagged
    from reflow.readers.pdf import pdfium, sampler

    lib = pdfium()
    samp = sampler(True)
    api = tagged.api(lib.dll)
    timing = {"doc": 0.0, "pdfium": 0.0, "ours": 0.0, "links pdfium": 0.0, "links ours": 0.0}
    states: dict[str, int] = {}
    pages = read = 0
    differ = 0
    for f in files:
        state, n, done, bad = compare(f, lib, samp, api, timing)
        states[state] = states.get(state, 0) + 1
        pages += n
        read += done
        if state == "left to PDFium":
            print(f"left to PDFium: {f}")
        if bad:
            differ += 1
            print(f"DIFFERS: {f} pages {bad[:10]}")
    print(f"{len(files)} files: {states}; tagged pages {pages}, read by the document tree {read}")
    print(f"links: {LINKS}")
    if show_time and read:
        print(
            f"CPU: PDFium page trees + pc_tags {1000 * timing['pdfium'] / read:.3f} ms/page, "
            f"document tree {1000 * timing['ours'] / read:.3f} ms/page; opening the documents "
            f"{1000 * timing['doc']:.0f} ms in all"
        )
        lp = max(LINKS["pages read"], 1)
        print(
            f"CPU: links through PDFium {1000 * timing['links pdfium'] / lp:.3f} ms/page, "
            f"through the document's objects {1000 * timing['links ours'] / lp:.3f} ms/page"
        )
    return 1 if differ or LINKS["differ"] else 0


LINKS = {"files read": 0, "pages read": 0, "pages with links": 0, "pages left": 0, "differ": 0}


def text_annots(lib, page) -> bool:
    """PDFium's answer: the page has a FreeText or widget annotation (readers/annots.py)."""
    from reflow.readers import annots

    a = annots.api(lib.dll)
    for i in range(max(a.FPDFPage_GetAnnotCount(page), 0)):
        h = a.FPDFPage_GetAnnot(page, i)
        if h:
            kind = a.FPDFAnnot_GetSubtype(h)
            a.FPDFPage_CloseAnnot(h)
            if kind in (annots.FREETEXT, annots.WIDGET):
                return True
    return False


def compare_links(path: Path, data: bytes, doc, n: int, lib, samp, timing: dict) -> None:
    from reflow.native.docobjs import open_doc_objects

    clock = time.process_time
    t0 = clock()
    objs = open_doc_objects(samp, data, n)
    timing["doc"] += clock() - t0
    if objs is None:
        return
    LINKS["files read"] += 1
    try:
        for i in range(n):
            page = lib.FPDF_LoadPage(doc, i)
            if not page:
                continue
            t0 = clock()
            want = samp.links(doc, page, i + 1, 3.0, 800.0)
            t1 = clock()
            got = objs.links(i, i + 1, 3.0, 800.0)
            timing["links pdfium"] += t1 - t0
            timing["links ours"] += clock() - t1
            if got is None:
                LINKS["pages left"] += 1
            else:
                LINKS["pages read"] += 1
                LINKS["pages with links"] += bool(want)
                same = [(a.url, a.rects, r) for a, r in got] == [
                    (a.url, a.rects, r) for a, r in want
                ]
                if not same:
                    LINKS["differ"] += 1
                    print(f"LINKS DIFFER: {path} page {i + 1}")
            if not objs.text_annots(i) and text_annots(lib, page):
                LINKS["differ"] += 1
                print(f"TEXT ANNOTATIONS MISSED: {path} page {i + 1}")
            lib.FPDF_ClosePage(page)
    finally:
        objs.close()


def compare(path: Path, lib, samp, api, timing: dict) -> tuple[str, int, int, list[int]]:
    from reflow.native.docobjs import open_doc_objects
    from reflow.readers import tagged

    data = path.read_bytes()
    doc = lib.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        return "unreadable", 0, 0, []
    try:
        n = lib.FPDF_GetPageCount(doc)
        compare_links(path, data, doc, n, lib, samp, timing)
        if not tagged.is_tagged(lib.dll, doc):
            return "untagged", 0, 0, []
        clock = time.process_time
        tree = open_doc_objects(samp, data, n)
        if tree is None:
            return "left to PDFium", n, 0, []
        done, bad = 0, []
        ids = tagged.Ids()
        try:
            for i in range(n):
                page = lib.FPDF_LoadPage(doc, i)
                if not page:
                    continue
                start = ids.n
                t0 = clock()
                t = api.FPDF_StructTree_GetForPage(page)
                want = samp.struct_tags(t, tagged.MAX_ELEMENTS, tagged.MAX_DEPTH, ids) if t else []
                if t:
                    api.FPDF_StructTree_Close(t)
                t1 = clock()
                want_n, want_slots = ids.n, ids.slots
                ids.n = start
                got = tree.tags(i, tagged.MAX_ELEMENTS, tagged.MAX_DEPTH, ids)
                timing["pdfium"] += t1 - t0
                timing["ours"] += clock() - t1
                lib.FPDF_ClosePage(page)
                if got is None:
                    ids.n = want_n
                    continue
                done += 1
                if got != want or ids.n != want_n or (t and ids.slots != want_slots):
                    bad.append(i + 1)
                ids.n = want_n
            return "read", n, done, bad
        finally:
            tree.close()
    finally:
        lib.FPDF_CloseDocument(doc)


if __name__ == "__main__":
    sys.exit(main())
