"""Images on PDF pages: where each one is drawn, and its pixels, through PDFium's page-object API
(pypdfium2's raw bindings, on the reader's own page handles).

- ``page_pictures``: the image objects directly on a page (the C helper finds their indices
  among the page's objects in one call: a Chromium print draws each glyph as an object, so a
  loop in Python would cost a few milliseconds a page), each with the box it is drawn in
  (points, top-left origin, clipped to the page) and its size in pixels. Images inside form
  XObjects are not looked into (browsers, LibreOffice and TeX draw theirs on the page).
- ``render_gray``: a page rendered in grey at a resolution, optionally turned about its centre
  (OCR straightens a crooked scan this way, readers/ocr.py).
- ``save_images``: the figure blocks' images written as PNG files named by document, page and
  index (``article-p2-1.png``); ``Block.image`` is set to each file's path. PNG is encoded
  here (zlib), so writing images needs no imaging library.
"""

from __future__ import annotations

import ctypes
import math
import struct
import zlib
from ctypes import byref, c_float, c_uint
from pathlib import Path

from reflow.model import BlockType, Document, Picture

FPDF_PAGEOBJ_IMAGE = 3


def _raw():
    import pypdfium2  # noqa: F401  (initialises the library)
    import pypdfium2.raw as pdfium_c

    return pdfium_c


def _as(handle: int, typ):
    """A handle from the reader's own ctypes prototypes (an int) as pypdfium2's typed pointer."""
    return ctypes.cast(ctypes.c_void_p(handle), typ)


def page_pictures(samp, page_h: int, left: float, ptop: float, width: float, height: float):
    """The images drawn directly on the open page ``page_h``, in drawing order (through the
    reader's own prototypes: no pypdfium2 import, no typed pointer per call)."""
    indices = samp.image_objects(page_h)
    if not indices:
        return []
    from reflow.readers.pdf import pdfium

    c = pdfium()
    l_, b_, r_, t_ = c_float(), c_float(), c_float(), c_float()
    pw, ph = c_uint(), c_uint()
    out: list[Picture] = []
    for i in indices:
        obj = c.FPDFPage_GetObject(page_h, i)
        if not obj or not c.FPDFPageObj_GetBounds(obj, byref(l_), byref(b_), byref(r_), byref(t_)):
            continue
        x0, x1 = l_.value - left, r_.value - left
        top, bottom = ptop - t_.value, ptop - b_.value
        # Clipped to the page: an image bleeding off the edge is drawn only where the page is.
        x0, x1 = max(0.0, min(x0, x1)), min(width, max(x0, x1))
        top, bottom = max(0.0, min(top, bottom)), min(height, max(top, bottom))
        if x1 <= x0 or bottom <= top:
            continue  # drawn off the page
        if not c.FPDFImageObj_GetImagePixelSize(obj, byref(pw), byref(ph)):
            pw.value = ph.value = 0
        box = (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
        out.append(Picture(i, box, int(pw.value), int(ph.value)))
    return out


def render_gray(
    page_h: int, width: float, height: float, dpi: float, angle: float = 0.0
) -> tuple[bytes, int, int, int]:
    """The open page rendered in grey (8 bits a pixel) at ``dpi``, turned by ``angle`` degrees
    (counter-clockwise on the page as seen) about its centre: (pixels, width, height, stride)."""
    c = _raw()
    page = _as(page_h, c.FPDF_PAGE)
    s = dpi / 72.0
    w, h = max(1, round(width * s)), max(1, round(height * s))
    bmp = c.FPDFBitmap_CreateEx(w, h, c.FPDFBitmap_Gray, None, 0)
    if not bmp:
        raise MemoryError(f"cannot allocate a {w}x{h} bitmap")
    try:
        c.FPDFBitmap_FillRect(bmp, 0, 0, w, h, 0xFFFFFFFF)
        flags = c.FPDF_ANNOT
        if angle:
            t = math.radians(-angle)
            cos, sin = math.cos(t), math.sin(t)
            cx, cy = w / 2.0, h / 2.0
            m = c.FS_MATRIX(
                s * cos,
                s * sin,
                -s * sin,
                s * cos,
                cx - cos * cx + sin * cy,
                cy - sin * cx - cos * cy,
            )
            c.FPDF_RenderPageBitmapWithMatrix(bmp, page, m, c.FS_RECTF(0, 0, w, h), flags)
        else:
            c.FPDF_RenderPageBitmap(bmp, page, 0, 0, w, h, 0, flags)
        stride = c.FPDFBitmap_GetStride(bmp)
        data = ctypes.string_at(c.FPDFBitmap_GetBuffer(bmp), stride * h)
    finally:
        c.FPDFBitmap_Destroy(bmp)
    return data, w, h, stride


# ---------------------------------------------------------------------------------------------
# Writing images out


def png(width: int, height: int, channels: int, data: bytes, stride: int) -> bytes:
    """A PNG of 8-bit pixels (1 grey, 3 RGB, 4 RGBA channels) in rows of ``stride`` bytes."""
    kind = {1: 0, 3: 2, 4: 6}[channels]
    row = width * channels
    raw = b"".join(b"\0" + data[y * stride : y * stride + row] for y in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + tag
            + body
            + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)
        )

    head = struct.pack(">IIBBBBB", width, height, 8, kind, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _bitmap_png(c, bmp) -> bytes | None:
    """A PDFium bitmap as PNG bytes (BGR orders swapped to RGB; BGRx drops its padding byte)."""
    w, h = c.FPDFBitmap_GetWidth(bmp), c.FPDFBitmap_GetHeight(bmp)
    fmt, stride = c.FPDFBitmap_GetFormat(bmp), c.FPDFBitmap_GetStride(bmp)
    if w <= 0 or h <= 0:
        return None
    data = ctypes.string_at(c.FPDFBitmap_GetBuffer(bmp), stride * h)
    if fmt == c.FPDFBitmap_Gray:
        return png(w, h, 1, data, stride)
    bpp = {c.FPDFBitmap_BGR: 3, c.FPDFBitmap_BGRx: 4, c.FPDFBitmap_BGRA: 4}.get(fmt)
    if bpp is None:
        return None
    rows = b"".join(data[y * stride : y * stride + w * bpp] for y in range(h))
    px = bytearray(rows)
    px[0::bpp], px[2::bpp] = rows[2::bpp], rows[0::bpp]  # BGR -> RGB, at C speed
    if fmt == c.FPDFBitmap_BGRx:
        del px[3::4]
        return png(w, h, 3, bytes(px), w * 3)
    return png(w, h, bpp, bytes(px), w * bpp)


def image_png(c, pdf_raw, page_raw, index: int) -> bytes | None:
    """The image object ``index`` of a page as PNG bytes: its own pixels (the image's full
    resolution), else PDFium's rendering of it (masks and colour spaces PDFium cannot hand out
    raw)."""
    obj = c.FPDFPage_GetObject(page_raw, index)
    if not obj or c.FPDFPageObj_GetType(obj) != FPDF_PAGEOBJ_IMAGE:
        return None
    for get in (
        lambda: c.FPDFImageObj_GetBitmap(obj),
        lambda: c.FPDFImageObj_GetRenderedBitmap(pdf_raw, page_raw, obj),
    ):
        bmp = get()
        if not bmp:
            continue
        try:
            out = _bitmap_png(c, bmp)
        finally:
            c.FPDFBitmap_Destroy(bmp)
        if out is not None:
            return out
    return None


def image_name(stem: str, page: int, k: int) -> str:
    """``<document>-p<page>-<k>.png``: the k-th figure (from 1) of a page."""
    return f"{stem}-p{page}-{k}.png"


def save_images(
    doc: Document,
    source: str | Path | bytes,
    directory: str | Path,
    stem: str,
    link_base: str | Path | None = None,
) -> list[Path]:
    """Write the images of ``doc``'s figure blocks to ``directory`` as PNG files (read again from
    ``source``, the PDF ``doc`` was converted from) and set each block's ``image`` to its path,
    relative to ``link_base`` (the folder the Markdown goes to) when given. Returns the files
    written; an image PDFium cannot hand out is skipped (its block keeps ``image`` None)."""
    import os

    import pypdfium2 as pdfium

    figures = [b for b in doc.blocks if b.type == BlockType.FIGURE and b.picture is not None]
    if not figures:
        return []
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    c = _raw()
    src = bytes(source) if isinstance(source, bytes | bytearray) else str(source)
    pdf = pdfium.PdfDocument(src, password=doc.options.password)
    written: list[Path] = []
    try:
        per_page: dict[int, int] = {}
        for b in sorted(figures, key=lambda b: (b.page, b.picture.index)):
            per_page[b.page] = k = per_page.get(b.page, 0) + 1
            if not 1 <= b.page <= len(pdf):
                continue
            page = pdf[b.page - 1]
            try:
                data = image_png(c, pdf.raw, page.raw, b.picture.index)
            finally:
                page.close()
            if data is None:
                continue
            path = out_dir / image_name(stem, b.page, k)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            written.append(path)
            where = os.path.relpath(path, link_base) if link_base is not None else str(path)
            b.image = where.replace(os.sep, "/")
    finally:
        pdf.close()
    return written
