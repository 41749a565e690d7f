"""PDF -> Document of positioned lines, fonts, link annotations and the info dictionary.

PDFium (pypdfium2) does the parsing. Its text page is sampled once per *word* (a run of
characters between whitespace; PDFium's merged line-end hyphen U+0002 also ends a word): the
loose boxes of the word's first and last characters, the baseline and the font of its first
character. Two samplers give the same numbers:

- ``native``: a small C loop (``reflow/native/pdfchars.c``) that walks the characters with
  PDFium's own function pointers; within ~10% of PDFium's plain text extraction.
- ``fallback``: the same sampling through ctypes (own ``c_void_p`` prototypes), a few calls per
  word instead of one per character. Used when no C compiler is at hand or ``REFLOW_NO_NATIVE=1``.

Everything after sampling (words -> lines -> spans, link anchors) is shared Python.

Rules:
- ``line-split``: a word starts a new line when it does not overlap the line vertically (the
  baseline jumped), when x goes backwards, or after a horizontal gap wider than 2.5x the font
  size (two columns on one baseline stay two lines).
- ``hard-hyphen``: PDFium merges a hard hyphen at a line end with the break (U+0002): the line
  ends with '-' and ``hyphen_end`` is set; the healer decides whether it stays.
- ``soft-hyphen``: U+00AD inside a line is dropped; a soft hyphen broken at a line end (U+00AD +
  a visible U+2010, or a lone U+2010 in Chromium prints, which is how Chromium draws a
  hyphenation break) ends the line with one U+00AD and no visible hyphen.
- ``link-anchor``: the characters whose loose-box centre lies inside a link's rectangles or quads
  are its anchor, one InlineLink per line; a link covering no text stays in ``page.links`` only.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import threading
from collections.abc import Callable
from ctypes import POINTER, byref, c_double, c_float, c_int, c_size_t, c_uint, c_ulong, c_void_p

from reflow.errors import (
    BrokenPDFError,
    EmptyDocumentError,
    EncryptedPDFError,
    LimitExceededError,
    NotAPDFError,
    NoTextLayerError,
    ReflowError,
)
from reflow.model import BBox, Document, InlineLink, Line, LinkAnnot, Page, Span

MAX_PAGE_CHARS = 200_000  # characters on one page
MAX_DOC_CHARS = 20_000_000  # characters in one document
MAX_PAGES = 20_000

INFO_KEYS = (
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
)

# Word separators. The C sampler (pdfchars.c, is_sep) uses exactly this set.
_SEP_RANGES = (
    (0x00, 0x01),
    (0x03, 0x20),
    (0x7F, 0x7F),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200B),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
    (0xFFFE, 0xFFFF),
)
_SEP_CLASS = "".join(
    re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
    for a, b in _SEP_RANGES
)
# A word: non-separators, ended by a separator or by PDFium's merged hyphen U+0002.
WORD_RE = re.compile(f"[^{_SEP_CLASS}\x02]*\x02|[^{_SEP_CLASS}\x02]+")

HYPHEN_MARK = "\x02"  # FPDFText_GetUnicode of a hard hyphen merged with the line break
SOFT_HYPHEN = "\u00ad"
_LIGATURES = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
}
# Text of one word: merged hyphen -> '-', soft hyphens and stray controls dropped, ligatures split.
_NORM = {0x02: "-", 0xAD: None, 0xFFFE: None, 0xFFFF: None, 0xFEFF: None, 0x200B: None}
_NORM.update({c: None for c in range(0x20) if c != 0x02})
_NORM.update(_LIGATURES)

_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|ultrabold|\bdemi\b", re.I)
_ITALIC_RE = re.compile(r"italic|oblique|\bit\b|-it$", re.I)
_FLAG_ITALIC = 64
_FLAG_FORCEBOLD = 1 << 18

_PDFIUM_ERRORS = {
    1: "unknown PDFium error",
    2: "file not found or could not be opened",
    3: "not in PDF format or corrupted",
    4: "password required or incorrect password",
    5: "unsupported security scheme",
    6: "page not found or content error",
}

_LOCK = threading.RLock()  # PDFium is not thread-safe


# ---------------------------------------------------------------------------------------------
# PDFium through ctypes, own prototypes (plain c_void_p: no wrapper objects per call)


class FS_RECTF(ctypes.Structure):
    _fields_ = [("left", c_float), ("top", c_float), ("right", c_float), ("bottom", c_float)]


class FS_MATRIX(ctypes.Structure):
    _fields_ = [(n, c_float) for n in "abcdef"]


class FS_QUADPOINTSF(ctypes.Structure):
    _fields_ = [(n, c_float) for n in ("x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4")]


_PROTOS: dict[str, tuple] = {
    "FPDF_LoadMemDocument64": (c_void_p, [c_void_p, c_size_t, ctypes.c_char_p]),
    "FPDF_CloseDocument": (None, [c_void_p]),
    "FPDF_GetLastError": (c_ulong, []),
    "FPDF_GetPageCount": (c_int, [c_void_p]),
    "FPDF_LoadPage": (c_void_p, [c_void_p, c_int]),
    "FPDF_ClosePage": (None, [c_void_p]),
    "FPDF_GetPageBoundingBox": (c_int, [c_void_p, POINTER(FS_RECTF)]),
    "FPDF_GetPageWidthF": (c_float, [c_void_p]),
    "FPDF_GetPageHeightF": (c_float, [c_void_p]),
    "FPDF_GetMetaText": (c_ulong, [c_void_p, ctypes.c_char_p, c_void_p, c_ulong]),
    "FPDFPage_CountObjects": (c_int, [c_void_p]),
    "FPDFPage_GetObject": (c_void_p, [c_void_p, c_int]),
    "FPDFPageObj_GetType": (c_int, [c_void_p]),
    "FPDFText_LoadPage": (c_void_p, [c_void_p]),
    "FPDFText_ClosePage": (None, [c_void_p]),
    "FPDFText_CountChars": (c_int, [c_void_p]),
    "FPDFText_GetText": (c_int, [c_void_p, c_int, c_int, c_void_p]),
    "FPDFText_GetUnicode": (c_uint, [c_void_p, c_int]),
    "FPDFText_GetLooseCharBox": (c_int, [c_void_p, c_int, POINTER(FS_RECTF)]),
    "FPDFText_GetCharOrigin": (c_int, [c_void_p, c_int, POINTER(c_double), POINTER(c_double)]),
    "FPDFText_GetFontSize": (c_double, [c_void_p, c_int]),
    "FPDFText_GetMatrix": (c_int, [c_void_p, c_int, POINTER(FS_MATRIX)]),
    "FPDFText_GetTextObject": (c_void_p, [c_void_p, c_int]),
    "FPDFTextObj_GetFont": (c_void_p, [c_void_p]),
    "FPDFFont_GetBaseFontName": (c_size_t, [c_void_p, c_void_p, c_size_t]),
    "FPDFFont_GetFlags": (c_int, [c_void_p]),
    "FPDFLink_Enumerate": (c_int, [c_void_p, POINTER(c_int), POINTER(c_void_p)]),
    "FPDFLink_GetAction": (c_void_p, [c_void_p]),
    "FPDFLink_GetAnnotRect": (c_int, [c_void_p, POINTER(FS_RECTF)]),
    "FPDFLink_CountQuadPoints": (c_int, [c_void_p]),
    "FPDFLink_GetQuadPoints": (c_int, [c_void_p, c_int, POINTER(FS_QUADPOINTSF)]),
    "FPDFAction_GetType": (c_ulong, [c_void_p]),
    "FPDFAction_GetURIPath": (c_ulong, [c_void_p, c_void_p, c_void_p, c_ulong]),
}

PDFACTION_URI = 3
FPDF_PAGEOBJ_IMAGE = 3


class _Pdfium:
    """pypdfium2's own libpdfium, with reflow's prototypes."""

    def __init__(self) -> None:
        import pypdfium2  # noqa: F401  (initialises the library)
        import pypdfium2_raw

        self.path = _libpdfium_path(pypdfium2_raw)
        self.dll = ctypes.CDLL(self.path)
        for name, (res, args) in _PROTOS.items():
            fn = getattr(self.dll, name)
            fn.restype = res
            fn.argtypes = args
            setattr(self, name, fn)


def _libpdfium_path(pkg) -> str:
    d = os.path.dirname(pkg.__file__)
    for name in ("libpdfium.so", "libpdfium.dylib", "pdfium.dll", "libpdfium.dll"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    for name in sorted(os.listdir(d)):
        if "pdfium" in name and name.rsplit(".", 1)[-1] in ("so", "dylib", "dll"):
            return os.path.join(d, name)
    raise RuntimeError(f"libpdfium not found in {d}")


_PDFIUM: _Pdfium | None = None


def pdfium() -> _Pdfium:
    global _PDFIUM
    if _PDFIUM is None:
        _PDFIUM = _Pdfium()
    return _PDFIUM


# ---------------------------------------------------------------------------------------------
# Samplers: text page -> (text, words). A word is a tuple
# (start, end, x0, top, x1, bottom, baseline, size, font) in top-left page coordinates;
# ``text`` has one character per PDFium character index.

WordT = tuple[int, int, float, float, float, float, float, float, int]


class _FallbackSampler:
    name = "fallback"

    def __init__(self, lib: _Pdfium) -> None:
        self.lib = lib
        self.rect = FS_RECTF()
        self.mat = FS_MATRIX()
        self.ox = c_double()
        self.oy = c_double()

    def text(self, tp: int, n: int) -> str:
        lib = self.lib
        buf = ctypes.create_string_buffer(2 * (n + 1))
        lib.FPDFText_GetText(tp, 0, n, buf)
        text = buf.raw[: 2 * n].decode("utf-16-le", "surrogatepass")
        if len(text) == n and not _SURROGATE.search(text):
            return text.replace("\ufffe", HYPHEN_MARK)
        # Characters outside the BMP (or odd ones): one call per character.
        get = lib.FPDFText_GetUnicode
        return "".join(_chr(get(tp, i)) for i in range(n))

    def sample(self, tp: int, n: int, left: float, ptop: float) -> tuple[str, list[WordT], None]:
        lib = self.lib
        text = self.text(tp, n)
        rect, mat, ox, oy = self.rect, self.mat, self.ox, self.oy
        rp, mp, oxp, oyp = byref(rect), byref(mat), byref(ox), byref(oy)
        loose = lib.FPDFText_GetLooseCharBox
        origin = lib.FPDFText_GetCharOrigin
        fsize = lib.FPDFText_GetFontSize
        matrix = lib.FPDFText_GetMatrix
        tobj = lib.FPDFText_GetTextObject
        tfont = lib.FPDFTextObj_GetFont
        words: list[WordT] = []
        append = words.append
        for m in WORD_RE.finditer(text):
            s, e = m.span()
            loose(tp, s, rp)
            x0, t0, b0 = rect.left, rect.top, rect.bottom
            if e - 1 != s:
                loose(tp, e - 1, rp)
            x1, t1, b1 = rect.right, rect.top, rect.bottom
            origin(tp, s, oxp, oyp)
            size = fsize(tp, s)
            if matrix(tp, s, mp):
                size = size * math.sqrt(abs(mat.a * mat.d - mat.b * mat.c))
            obj = tobj(tp, s)
            font = (tfont(obj) or 0) if obj else 0
            append(
                (
                    s,
                    e,
                    x0 - left,
                    ptop - max(t0, t1),
                    x1 - left,
                    ptop - min(b0, b1),
                    ptop - oy.value,
                    size,
                    font,
                )
            )
        return text, words, None

    def centre(self, tp: int, i: int, left: float, ptop: float, centres) -> tuple[float, float]:
        self.lib.FPDFText_GetLooseCharBox(tp, i, byref(self.rect))
        r = self.rect
        return (r.left + r.right) / 2 - left, ptop - (r.top + r.bottom) / 2

    def count_images(self, page: int) -> int:
        lib = self.lib
        get, typ = lib.FPDFPage_GetObject, lib.FPDFPageObj_GetType
        return sum(1 for i in range(lib.FPDFPage_CountObjects(page)) if typ(get(page, i)) == 3)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _chr(u: int) -> str:
    if 0xD800 <= u <= 0xDFFF or u > 0x10FFFF:
        return "\ufffd"
    return chr(u)


_SAMPLER = None


def sampler(native: bool | None = None):
    """The sampler to use: native unless ``REFLOW_NO_NATIVE=1`` or it cannot be built.
    ``native=True``/``False`` asks for one explicitly (True raises if unavailable)."""
    global _SAMPLER
    lib = pdfium()
    if native is False:
        return _FallbackSampler(lib)
    if native is None and os.environ.get("REFLOW_NO_NATIVE", "") not in ("", "0"):
        return _FallbackSampler(lib)
    if native is None and _SAMPLER is not None:
        return _SAMPLER
    try:
        from reflow.native import NativeSampler

        s = NativeSampler(lib)
    except Exception:
        if native:
            raise
        s = _FallbackSampler(lib)
    if native is None:
        _SAMPLER = s
    return s


# ---------------------------------------------------------------------------------------------
# Fonts


class _FontFacts:
    __slots__ = ("name", "bold", "italic")

    def __init__(self, name: str, bold: bool, italic: bool) -> None:
        self.name, self.bold, self.italic = name, bold, italic


def font_style(name: str, flags: int = 0) -> tuple[bool, bool]:
    """Bold and italic from a font's base name and descriptor flags (weight is useless).

    >>> font_style("ABCDEF+Arial-BoldItalicMT")
    (True, True)
    """
    base = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    bold = bool(_BOLD_RE.search(base)) or bool(flags & _FLAG_FORCEBOLD)
    italic = bool(_ITALIC_RE.search(base)) or bool(flags & _FLAG_ITALIC)
    return bold, italic


def _font_facts(lib: _Pdfium, font: int, cache: dict[int, _FontFacts]) -> _FontFacts:
    f = cache.get(font)
    if f is None:
        if font:
            buf = ctypes.create_string_buffer(256)
            k = lib.FPDFFont_GetBaseFontName(font, buf, 256)
            raw = buf.raw[: max(0, min(k, 256) - 1)].decode("latin-1", "replace")
            flags = lib.FPDFFont_GetFlags(font)
            name = raw.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", raw) else raw
            bold, italic = font_style(raw, flags if flags > 0 else 0)
            f = _FontFacts(name, bold, italic)
        else:
            f = _FontFacts("", False, False)
        cache[font] = f
    return f


# ---------------------------------------------------------------------------------------------
# Words -> lines


def _new_line(prev: WordT, w: WordT) -> bool:
    """rule line-split."""
    size = max(prev[7], w[7], 1.0)
    ptop, pbot = prev[3], prev[5]
    overlap = min(pbot, w[5]) - max(ptop, w[3])
    h = min(pbot - ptop, w[5] - w[3])
    if h > 0 and overlap < 0.5 * h:
        return True
    if h <= 0 and abs(prev[6] - w[6]) > 0.5 * size:
        return True
    if w[2] < prev[4] - 0.25 * size:  # x went backwards
        return True
    if w[2] - prev[4] > 2.5 * size:  # a gap wider than a word space: another column
        return True
    return False


def _group_lines(words: list[WordT]) -> list[list[WordT]]:
    lines: list[list[WordT]] = []
    cur: list[WordT] = []
    prev = None
    for w in words:
        if prev is not None and _new_line(prev, w):
            lines.append(cur)
            cur = []
        cur.append(w)
        prev = w
    if cur:
        lines.append(cur)
    return lines


class _PageCtx:
    __slots__ = ("text", "soft_2010", "fonts", "lib")

    def __init__(self, text: str, soft_2010: bool, fonts, lib) -> None:
        self.text, self.soft_2010, self.fonts, self.lib = text, soft_2010, fonts, lib


def _make_line(ctx: _PageCtx, ws: list[WordT], page_no: int, index: int):
    """Build one Line; also return each word's offset in line.text (for link anchors)."""
    text = ctx.text
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    spans: list[Span] = []
    size_chars: dict[float, int] = {}
    bold_chars = italic_chars = total = 0
    last = len(ws) - 1
    hyphen_end = False
    span_key = None
    span_parts: list[str] = []
    span_box: list[float] = []
    cur_span: Span | None = None
    for k, w in enumerate(ws):
        raw = text[w[0] : w[1]]
        if k == last:
            if raw.endswith(HYPHEN_MARK):
                hyphen_end = True
                t = raw.translate(_NORM)
            elif raw.endswith(SOFT_HYPHEN + "\u2010") or raw.endswith(SOFT_HYPHEN + "-"):
                t = raw[:-2].translate(_NORM) + SOFT_HYPHEN
            elif raw.endswith(SOFT_HYPHEN):
                t = raw[:-1].translate(_NORM) + SOFT_HYPHEN
            elif ctx.soft_2010 and raw.endswith("\u2010") and len(raw) > 1:
                t = raw[:-1].translate(_NORM) + SOFT_HYPHEN
            else:
                t = raw.translate(_NORM)
        else:
            t = raw.translate(_NORM)
        if not t:
            offsets.append(pos)
            continue
        sep = ""
        if parts:
            sep = "" if text[ws[k - 1][1] - 1] == HYPHEN_MARK else " "
            parts.append(sep)
            pos += len(sep)
        offsets.append(pos)
        parts.append(t)
        pos += len(t)
        size = round(w[7], 2)
        f = _font_facts(ctx.lib, w[8], ctx.fonts)
        n = len(t)
        total += n
        size_chars[size] = size_chars.get(size, 0) + n
        if f.bold:
            bold_chars += n
        if f.italic:
            italic_chars += n
        key = (f.name, size, f.bold, f.italic)
        if key == span_key and cur_span is not None:
            span_parts.append(sep)
            span_parts.append(t)
            span_box[2] = max(span_box[2], w[4])
            span_box[1] = min(span_box[1], w[3])
            span_box[3] = max(span_box[3], w[5])
        else:
            if cur_span is not None:
                cur_span.text = "".join(span_parts)
                cur_span.bbox = (span_box[0], span_box[1], span_box[2], span_box[3])
            span_key = key
            cur_span = Span(text="", size=size, bold=f.bold, italic=f.italic, font=f.name)
            spans.append(cur_span)
            span_parts = [t]
            span_box = [w[2], w[3], w[4], w[5]]
    if cur_span is not None:
        cur_span.text = "".join(span_parts)
        cur_span.bbox = (span_box[0], span_box[1], span_box[2], span_box[3])
    line_text = "".join(parts)
    bbox = (
        min(w[2] for w in ws),
        min(w[3] for w in ws),
        max(w[4] for w in ws),
        max(w[5] for w in ws),
    )
    size = max(size_chars, key=lambda s: (size_chars[s], s)) if size_chars else 0.0
    line = Line(
        text=line_text,
        page=page_no,
        bbox=bbox,
        spans=spans,
        size=size,
        bold=total > 0 and bold_chars * 2 > total,
        italic=total > 0 and italic_chars * 2 > total,
        index=index,
        hyphen_end=hyphen_end,
    )
    return line, offsets


# ---------------------------------------------------------------------------------------------
# Links


def _page_links(lib: _Pdfium, doc_h: int, page_h: int, page_no: int, left: float, ptop: float):
    """URI link annotations of a page: [(LinkAnnot, [hit rects])]. Internal links are skipped."""
    out = []
    pos = c_int(0)
    link = c_void_p()
    rect = FS_RECTF()
    quad = FS_QUADPOINTSF()
    buf_len = 4096
    buf = ctypes.create_string_buffer(buf_len)
    guard = 0
    while lib.FPDFLink_Enumerate(page_h, byref(pos), byref(link)) and guard < 10_000:
        guard += 1
        if not link.value:
            continue
        action = lib.FPDFLink_GetAction(link.value)
        if not action or lib.FPDFAction_GetType(action) != PDFACTION_URI:
            continue
        k = lib.FPDFAction_GetURIPath(doc_h, action, None, 0)
        if k <= 1:
            continue
        if k > buf_len:
            buf_len = k
            buf = ctypes.create_string_buffer(buf_len)
        lib.FPDFAction_GetURIPath(doc_h, action, buf, buf_len)
        url = buf.raw[: k - 1].decode("utf-8", "replace").strip()
        if not url:
            continue
        rects: list[BBox] = []
        if lib.FPDFLink_GetAnnotRect(link.value, byref(rect)):
            rects.append(_rect_bbox(rect.left, rect.top, rect.right, rect.bottom, left, ptop))
        quads: list[BBox] = []
        for qi in range(min(lib.FPDFLink_CountQuadPoints(link.value), 256)):
            if lib.FPDFLink_GetQuadPoints(link.value, qi, byref(quad)):
                xs = (quad.x1, quad.x2, quad.x3, quad.x4)
                ys = (quad.y1, quad.y2, quad.y3, quad.y4)
                quads.append(_rect_bbox(min(xs), max(ys), max(xs), min(ys), left, ptop))
        annot = LinkAnnot(url=url, page=page_no, rects=quads or rects)
        out.append((annot, quads or rects))
    return out


def _rect_bbox(l_, t, r, b, left: float, ptop: float) -> BBox:
    x0, x1 = sorted((l_ - left, r - left))
    y0, y1 = sorted((ptop - t, ptop - b))
    return (x0, y0, x1, y1)


def _anchor(
    ctx: _PageCtx,
    line: Line,
    ws: list[WordT],
    offsets: list[int],
    links,
    centre: Callable[[int], tuple[float, float]],
) -> None:
    """rule link-anchor: InlineLinks on ``line`` for the link rectangles over its characters."""
    lb = line.bbox
    assert lb is not None
    marks: list[tuple[int, int, str]] = []  # (start, end, url) per character
    for annot, rects in links:
        hit = [r for r in rects if r[0] < lb[2] and lb[0] < r[2] and r[1] < lb[3] and lb[1] < r[3]]
        if not hit:
            continue
        for w, off in zip(ws, offsets, strict=True):
            if not any(r[0] < w[4] and w[2] < r[2] and r[1] < w[5] and w[3] < r[3] for r in hit):
                continue
            raw = ctx.text[w[0] : w[1]]
            for ci in range(w[0], w[1]):
                cx, cy = centre(ci)
                if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in hit):
                    a = off + len(raw[: ci - w[0]].translate(_NORM))
                    b = off + len(raw[: ci - w[0] + 1].translate(_NORM))
                    b = min(b, len(line.text))
                    if b > a:
                        marks.append((a, b, annot.url))
    if not marks:
        return
    marks.sort()
    text = line.text
    out: list[InlineLink] = []
    for a, b, url in marks:
        if out and out[-1].url == url and not text[out[-1].end : a].strip():
            out[-1].end = max(out[-1].end, b)
        elif out and a < out[-1].end:
            continue  # overlapping links: first wins
        else:
            out.append(InlineLink(a, b, url))
    for lk in out:
        while lk.start < lk.end and text[lk.start].isspace():
            lk.start += 1
        while lk.end > lk.start and text[lk.end - 1] in " \u00ad":
            lk.end -= 1
    line.links = [lk for lk in out if lk.end > lk.start]


# ---------------------------------------------------------------------------------------------
# The reader


def _err(code: int) -> str:
    return _PDFIUM_ERRORS.get(code, f"PDFium error {code}")


def _meta(lib: _Pdfium, doc_h: int) -> dict[str, str]:
    info: dict[str, str] = {}
    for key in INFO_KEYS:
        k = lib.FPDF_GetMetaText(doc_h, key.encode(), None, 0)
        if k <= 2:
            continue
        k = min(k, 1 << 16)
        buf = ctypes.create_string_buffer(k)
        lib.FPDF_GetMetaText(doc_h, key.encode(), buf, k)
        val = buf.raw[: k - 2].decode("utf-16-le", "replace").replace("\x00", "").strip()
        if val:
            info[key] = val
    return info


def read_pdf(
    data: bytes,
    label: str,
    password: str | None = None,
    *,
    native: bool | None = None,
) -> Document:
    """Read a PDF into a Document of pages of positioned lines (kind="pdf").

    ``native``: None picks the C sampler when available; True/False forces one (tests, bench).
    Raises NotAPDFError, BrokenPDFError, EncryptedPDFError, EmptyDocumentError,
    NoTextLayerError or LimitExceededError, all naming ``label``.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise NotAPDFError(label, "not a PDF (no data)")
    data = bytes(data)
    if b"%PDF-" not in data[:1024]:
        raise NotAPDFError(label, "not a PDF (no %PDF- header)")
    try:
        with _LOCK:
            return _read(data, label, password, native)
    except ReflowError:
        raise
    except MemoryError:
        raise LimitExceededError(label, "out of memory reading the PDF") from None
    except Exception as e:  # never let a raw exception escape for bad input
        raise BrokenPDFError(label, f"cannot read ({type(e).__name__}: {e})") from None


def _read(data: bytes, label: str, password: str | None, native: bool | None) -> Document:
    lib = pdfium()
    samp = sampler(native)
    buf = ctypes.create_string_buffer(data, len(data))
    pw = password.encode("utf-8") if password else None
    doc_h = lib.FPDF_LoadMemDocument64(buf, len(data), pw)
    if not doc_h:
        code = lib.FPDF_GetLastError()
        if code == 4:
            if password:
                raise EncryptedPDFError(label, "encrypted; wrong password")
            raise EncryptedPDFError(label, "encrypted; pass --password")
        if code == 5:
            raise EncryptedPDFError(label, "encrypted with an unsupported security scheme")
        raise BrokenPDFError(label, f"cannot open: {_err(code)}")
    try:
        n_pages = lib.FPDF_GetPageCount(doc_h)
        if n_pages <= 0:
            if b"%%EOF" not in data[-2048:]:
                raise BrokenPDFError(label, "truncated: no pages could be recovered")
            raise EmptyDocumentError(label, "the PDF has no pages")
        if n_pages > MAX_PAGES:
            raise LimitExceededError(label, f"{n_pages} pages (limit {MAX_PAGES})")
        doc = Document(source=label, kind="pdf")
        doc.info = _meta(lib, doc_h)
        producer = doc.info.get("Producer", "")
        soft_2010 = "Skia/PDF" in producer or "Chromium" in doc.info.get("Creator", "")
        fonts: dict[int, _FontFacts] = {}
        total = 0
        for pi in range(n_pages):
            page, n = _read_page(lib, samp, doc_h, pi, label, soft_2010, fonts, doc)
            total += n
            if total > MAX_DOC_CHARS:
                raise LimitExceededError(label, f"more than {MAX_DOC_CHARS} characters")
            doc.pages.append(page)
    finally:
        lib.FPDF_CloseDocument(doc_h)
        del buf
    doc.metadata.pages = len(doc.pages)
    doc.metadata.producer = doc.info.get("Producer")
    empty = [p for p in doc.pages if not p.lines]
    if len(empty) == len(doc.pages):
        imgs = sum(1 for p in doc.pages if p.images)
        if imgs:
            what = f"{imgs} of them hold images (scanned?)"
        else:
            what = "and no images"
        raise NoTextLayerError(label, f"no text layer on any of {len(doc.pages)} pages; {what}")
    if empty:
        nums = [p.number for p in empty]
        img = [p.number for p in empty if p.images]
        msg = f"no text on page(s) {_ranges(nums)}"
        if img:
            msg += f"; image-only (scanned?): {_ranges(img)}"
        doc.warnings.append(msg)
    return doc


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    for n in nums:
        if out and "-" not in out[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _read_page(lib, samp, doc_h, pi, label, soft_2010, fonts, doc) -> tuple[Page, int]:
    number = pi + 1
    page_h = lib.FPDF_LoadPage(doc_h, pi)
    if not page_h:
        doc.warnings.append(f"page {number}: cannot be loaded ({_err(lib.FPDF_GetLastError())})")
        return Page(number=number), 0
    tp = None
    try:
        box = FS_RECTF()
        if lib.FPDF_GetPageBoundingBox(page_h, byref(box)):
            left, ptop = float(box.left), float(box.top)
            width, height = float(box.right - box.left), float(box.top - box.bottom)
        else:
            left, ptop = 0.0, float(lib.FPDF_GetPageHeightF(page_h))
            width, height = float(lib.FPDF_GetPageWidthF(page_h)), ptop
        page = Page(number=number, width=round(width, 2), height=round(height, 2))
        page.images = samp.count_images(page_h)
        tp = lib.FPDFText_LoadPage(page_h)
        if not tp:
            doc.warnings.append(f"page {number}: text layer cannot be loaded")
            return page, 0
        n = lib.FPDFText_CountChars(tp)
        if n <= 0:
            return page, 0
        if n > MAX_PAGE_CHARS:
            raise LimitExceededError(
                label, f"page {number} has {n} characters (limit {MAX_PAGE_CHARS})"
            )
        text, words, centres = samp.sample(tp, n, left, ptop)
        ctx = _PageCtx(text, soft_2010, fonts, lib)
        links = _page_links(lib, doc_h, page_h, number, left, ptop)
        page.links = [a for a, _ in links]
        if centres is not None:

            def centre(i: int) -> tuple[float, float]:
                return centres[2 * i], centres[2 * i + 1]
        else:

            def centre(i: int) -> tuple[float, float]:
                return samp.centre(tp, i, left, ptop, None)

        for idx, ws in enumerate(_group_lines(words)):
            line, offsets = _make_line(ctx, ws, number, idx)
            if links:
                _anchor(ctx, line, ws, offsets, links, centre)
            page.lines.append(line)
        page.lines = [ln for ln in page.lines if ln.text]
        for idx, ln in enumerate(page.lines):
            ln.index = idx
        return page, n
    finally:
        if tp:
            lib.FPDFText_ClosePage(tp)
        lib.FPDF_ClosePage(page_h)
