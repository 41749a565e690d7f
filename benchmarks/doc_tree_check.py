"""The structure tree read once per document (native/pdfobjs.c) against PDFium's page trees.

    .venv/bin/python benchmarks/doc_tree_check.py [PDF or folder ...] [--time]

For every page of every tagged PDF: the records pc_tags gives from PDFium's tree of the page
(FPDF_StructTree_GetForPage) and from the document's tree (pd_tags), with the same element ids
to start from; prints the files the reader leaves to PDFium, the pages it does, and any page
where the two differ (there must be none). ``--time``: the CPU time of both, per page.
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
    timing = {"doc": 0.0, "pdfium": 0.0, "ours": 0.0}
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
    if show_time and read:
        print(
            f"CPU: PDFium page trees + pc_tags {1000 * timing['pdfium'] / read:.3f} ms/page, "
            f"document tree {1000 * (timing['ours'] + timing['doc']) / read:.3f} ms/page "
            f"(of which opening {1000 * timing['doc'] / read:.3f})"
        )
    return 1 if differ else 0


def compare(path: Path, lib, samp, api, timing: dict) -> tuple[str, int, int, list[int]]:
    from reflow.readers import tagged

    data = path.read_bytes()
    doc = lib.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        return "unreadable", 0, 0, []
    try:
        if not tagged.is_tagged(lib.dll, doc):
            return "untagged", 0, 0, []
        n = lib.FPDF_GetPageCount(doc)
        clock = time.process_time
        t0 = clock()
        tree = samp.open_tree(data, n)
        timing["doc"] += clock() - t0
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
                got = samp.doc_tags(tree, i, tagged.MAX_ELEMENTS, tagged.MAX_DEPTH, ids)
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
