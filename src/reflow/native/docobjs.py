"""The document's objects read once (``pdfobjs.c``): its structure tree and link annotations.

PDFium parses a page's structure elements, with all their ancestors' children, and its
annotations afresh for every page (FPDF_StructTree_GetForPage, FPDFLink_Enumerate). pdfobjs.c
reads the objects itself, once per document, and gives each page's tree and links through
functions shaped as PDFium's, so the C walks (pc_tags, pc_links) and their results are the ones
PDFium's objects give. A file outside its small subset (cross-reference streams, encryption,
...) is read by PDFium as before; so is a page where it meets anything it does not read as
PDFium does. ``REFLOW_DOC_TREE=0`` turns it off (to measure, or to compare).
"""

from __future__ import annotations

import os
from ctypes import c_void_p

# pc_links' link functions (native FUNCTIONS), replaced in this order by pd_link_fns'
LINK_FUNCTIONS = (
    "FPDFLink_Enumerate",
    "FPDFLink_GetAction",
    "FPDFAction_GetType",
    "FPDFAction_GetURIPath",
    "FPDFLink_GetAnnotRect",
    "FPDFLink_CountQuadPoints",
    "FPDFLink_GetQuadPoints",
)


class DocObjects:
    """One document's reader (pd_open); holds the file's bytes, which it reads in place, until
    ``close``."""

    __slots__ = ("samp", "lib", "h", "data", "lfn")

    def __init__(self, samp, h, data: bytes) -> None:
        from reflow.native import FUNCTIONS

        self.samp, self.lib, self.h, self.data = samp, samp.lib, h, data
        mine = (c_void_p * len(LINK_FUNCTIONS))()
        self.lib.pd_link_fns(mine)
        table = list(samp.fn)
        for name, ptr in zip(LINK_FUNCTIONS, mine, strict=True):
            table[FUNCTIONS.index(name)] = ptr
        self.lfn = (c_void_p * len(table))(*table)

    def tags(self, index: int, budget: int, max_depth: int, ids) -> list[tuple] | None:
        """The native sampler's ``struct_tags`` records for page ``index`` (0-based), as
        PDFium's page tree gives them; None: ask PDFium for this page."""
        n0, s0 = ids.n, ids.slots
        lib, h, s = self.lib, self.h, self.samp
        recs = s._tags(
            lambda nxt, slots: lib.pd_tags(h, index, budget, max_depth, nxt, s.sout, s.scap, slots),
            ids,
        )
        if recs is None:
            ids.n, ids.slots = n0, s0
        return recs

    def links(self, index: int, page_no: int, left: float, ptop: float):
        """The sampler's ``links`` for page ``index``; None: ask PDFium for this page."""
        if self.lib.pd_links_page(self.h, index) < 0:
            return None
        try:
            got = self.samp.links(self.h, self.h, page_no, left, ptop, self.lfn)
            return got if self.lib.pd_links_ok(self.h) else None
        finally:
            self.lib.pd_links_done(self.h)  # the page's annotation objects are released

    def text_annots(self, index: int) -> bool:
        """Page ``index`` may have an annotation readers/annots.py reads (FreeText, a widget);
        False only when it has none for sure."""
        return bool(self.lib.pd_text_annots(self.h, index))

    def close(self) -> None:
        if self.h:
            self.lib.pd_close(self.h)
        self.h, self.data = None, None


def open_doc_objects(samp, data: bytes, n_pages: int) -> DocObjects | None:
    """The document's reader, None when there is no native sampler, the file is outside the
    reader's subset, or REFLOW_DOC_TREE=0."""
    if getattr(samp, "name", None) != "native" or os.environ.get("REFLOW_DOC_TREE", "1") == "0":
        return None
    h = samp.lib.pd_open(data, len(data), n_pages)
    return DocObjects(samp, h, data) if h else None
