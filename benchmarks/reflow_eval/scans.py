"""Scanned copies of born-digital PDFs: what a flatbed scanner or a fax gives of a printed page.

``make_scan(pdf, out)`` renders each page with PDFium (pypdfium2) in grey at ``dpi``, turns it
by a small angle (each page its own, from ``seed``), blurs it a little, adds grey noise and
stores it as a JPEG in an image-only PDF (Pillow writes it): no text layer, one image per page,
the page size of the original. ``make_mixed(pdf, out, scanned)`` keeps the born-digital pages
and puts the scanned copies in place of the pages in ``scanned`` (one PDF whose page 2 was
scanned, as happens when one page of a printed article is re-scanned).

The scanned corpus of ``reflow eval`` (``corpora.iter_scanned``) and the OCR tests make their
files with these functions; the references are the born-digital documents' own, so a scan is
scored against exactly what the born-digital PDF should give.

Needs Pillow (the ``[ocr]`` extra brings it).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ScanStyle:
    """How rough the scan is. The defaults are an office scanner at 200 dpi, a page laid on
    the glass a little crooked."""

    dpi: int = 200
    max_skew: float = 1.2  # degrees; each page turns by up to this, either way
    min_skew: float = 0.3  # ... and by at least this (a page is never laid perfectly straight)
    blur: float = 0.6  # Gaussian blur radius, pixels
    noise: float = 10.0  # grey noise, standard deviation in grey levels
    jpeg_quality: int = 75


def _pdfium():
    import pypdfium2

    return pypdfium2


def _noise(size: tuple[int, int], sigma: float, rng: random.Random):
    """Grey noise centred on 128, drawn from ``rng``: a tile of seeded Gaussian values repeated
    over the page. Pillow's ``effect_noise`` draws from C's ``rand()``, so a scan depended on
    how many had been made before it in the process, and a test on it passed or failed by
    the order the tests ran in."""
    from PIL import Image

    side = 509  # prime, so the tile does not line up with text lines or columns
    tile = Image.frombytes(
        "L",
        (side, side),
        bytes(min(255, max(0, int(round(rng.gauss(128, sigma))))) for _ in range(side * side)),
    )
    out = Image.new("L", size)
    for y in range(0, size[1], side):
        for x in range(0, size[0], side):
            out.paste(tile, (x, y))
    return out


def scan_page_image(page, style: ScanStyle, rng: random.Random):
    """One PDFium page -> a scanned-looking Pillow image (mode L) at ``style.dpi``."""
    from PIL import Image, ImageChops, ImageFilter

    img = page.render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
    angle = rng.uniform(style.min_skew, style.max_skew) * rng.choice((-1, 1))
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if style.blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(style.blur))
    if style.noise > 0:
        noise = _noise(img.size, style.noise, rng)  # centred on 128
        img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    return img


def make_scan(
    pdf: str | Path | bytes,
    out: str | Path | None = None,
    style: ScanStyle | None = None,
    *,
    seed: int = 0,
    pages: list[int] | None = None,
) -> bytes:
    """The scanned copy of ``pdf`` (all pages, or ``pages``, numbered from 1) as PDF bytes,
    written to ``out`` too when given. One page image is held at a time while rendering."""
    style = style or ScanStyle()
    pdfium = _pdfium()
    src = pdfium.PdfDocument(pdf if not isinstance(pdf, Path) else str(pdf))
    rng = random.Random(seed)
    jpegs = []
    sizes = []
    try:
        numbers = pages or list(range(1, len(src) + 1))
        for n in numbers:
            page = src[n - 1]
            try:
                img = scan_page_image(page, style, rng)
                sizes.append(page.get_size())
            finally:
                page.close()
            # Kept as JPEG bytes: a 200 dpi page is ~4 MB as pixels and ~0.3 MB as JPEG.
            b = io.BytesIO()
            img.save(b, "JPEG", quality=style.jpeg_quality)
            jpegs.append(b.getvalue())
            del img
    finally:
        src.close()
    data = _jpeg_pdf(jpegs, sizes)
    if out is not None:
        Path(out).write_bytes(data)
    return data


def _jpeg_pdf(jpegs: list[bytes], sizes: list[tuple[float, float]]) -> bytes:
    """A PDF of one JPEG (grey, DCTDecode) per page, each filling its page: written by hand,
    so the JPEG bytes go in as they are (no second compression) and each page keeps its size."""
    from PIL import Image

    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    kids = []
    pages_id = 2  # objects 1 (catalog) and 2 (pages) first
    objs.append(b"")  # 1: catalog, filled below
    objs.append(b"")  # 2: pages, filled below
    for jpg, (w, h) in zip(jpegs, sizes, strict=True):
        with Image.open(io.BytesIO(jpg)) as im:
            pw, ph = im.size
            cs = b"/DeviceGray" if im.mode == "L" else b"/DeviceRGB"
        img = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % (pw, ph, cs, len(jpg))
            + jpg
            + b"\nendstream"
        )
        content = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q" % (w, h)
        cid = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, w, h, img, cid)
            )
        )
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out.getvalue()


def make_mixed(
    pdf: str | Path | bytes,
    out: str | Path | None = None,
    scanned: set[int] | frozenset[int] = frozenset({2}),
    style: ScanStyle | None = None,
    *,
    seed: int = 0,
) -> bytes:
    """``pdf`` with the pages in ``scanned`` (from 1) replaced by their scanned copies: a
    born-digital document with some pages that have no text layer."""
    pdfium = _pdfium()
    src_arg = pdf if not isinstance(pdf, Path) else str(pdf)
    src = pdfium.PdfDocument(src_arg)
    n = len(src)
    want = sorted(p for p in scanned if 1 <= p <= n)
    scan = pdfium.PdfDocument(make_scan(src_arg, style=style, seed=seed, pages=want))
    dest = pdfium.PdfDocument.new()
    try:
        for p in range(1, n + 1):
            if p in want:
                dest.import_pages(scan, [want.index(p)])
            else:
                dest.import_pages(src, [p - 1])
        buf = io.BytesIO()
        dest.save(buf)
        data = buf.getvalue()
    finally:
        dest.close()
        scan.close()
        src.close()
    if out is not None:
        Path(out).write_bytes(data)
    return data
