"""PDF -> Document of positioned lines, fonts, link annotations and the info dictionary.

PDFium (pypdfium2) does the parsing. Its text page is sampled once per *word* (a run of
characters between whitespace; PDFium's merged line-end hyphen U+0002 also ends a word): the
loose boxes of the word's first and last characters, the baseline and the visible font size
(Tf operand times the text matrix scale) and font of its first character. Two samplers give the
same numbers, and the same Document:

- ``native``: ``reflow/native/pdfchars.c``, built on first use with the system C compiler and
  handed PDFium's own function pointers. One call per page samples the words and groups them
  into lines (``pc_sample``, ``pc_lines``); one more reads the link annotations (``pc_links``)
  and one marks link anchors (``pc_anchor``); a tagged page's structure tree is read by
  ``pc_tags`` (readers/tagged.py) and each word's marked-content id by ``pc_word_mcids``.
  Where it can, ``native/pdfobjs.c`` reads the structure tree and the link annotations once
  per document (native/docobjs.py) and pc_tags and pc_links read them from there, not from
  PDFium's per-page objects; elsewhere PDFium's, with the same results.
- ``fallback``: the same steps through ctypes (own ``c_void_p`` prototypes: one call per
  character for its code, a few per word). Used without a C compiler or with
  ``REFLOW_NO_NATIVE=1``; ~2x slower.

Lines and spans are built in shared Python from the words (``_make_line``; a line pc_lines marks
simple, one style and single spaces, is one slice of the page text: ``_simple_line``). Pages are
processed one at a time and closed; only the text of the current page is held.
``page.images`` is counted only on pages without text (it tells a scan from a blank page).

Rules:
- ``line-split``: a word starts a new line when it does not overlap the line vertically (the
  baseline jumped), when x goes backwards (unless right-to-left text goes on leftwards), or
  after a horizontal gap wider than 2.5x the font size (two columns on one baseline stay two
  lines). Words keep PDFium's (logical) order.
- ``hard-hyphen``: PDFium merges a hard hyphen at a line end with the break (U+0002): the line
  ends with '-' and ``hyphen_end`` is set; the healer decides whether it stays.
- ``soft-hyphen``: U+00AD inside a line is dropped; a soft hyphen broken at a line end (U+00AD +
  a visible U+2010, or a lone U+2010 in Chromium prints, which is how Chromium draws a
  hyphenation break) ends the line with one U+00AD and no visible hyphen.
- ``link-anchor``: a link's rectangles (quad points, else the annotation rectangle) mark the
  words they cover; a word a rectangle covers only in part is decided per character (loose-box
  centre inside). One InlineLink per line, whitespace trimmed; a link covering no text stays in
  ``page.links`` only (Chromium once put a link on the wrong page). Internal links are skipped.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import sys
import threading
from array import array
from ctypes import POINTER, byref, c_double, c_float, c_int, c_size_t, c_uint, c_ulong, c_void_p

from reflow.errors import (
    BrokenPDFError,
    EmptyDocumentError,
    EncryptedPDFError,
    LimitExceededError,
    NotAPDFError,
    ReflowError,
)
from reflow.model import BBox, Document, InlineLink, Line, Page, Span
from reflow.native import link_entries
from reflow.native.docobjs import open_doc_objects
from reflow.pagespec import format_pages, page_numbers
from reflow.readers import tagged
from reflow.readers.accents import ACCENT_GONE, compose_accents
from reflow.readers.annots import Forms, annotation_lines, place
from reflow.readers.cells import (
    CELL_MAX_WORDS,
    cell_gaps,
    page_rulings,
    pieced_rows,
    table_page,
)
from reflow.readers.crypt import empty_owner_open
from reflow.readers.dropped import dropped_text_objects
from reflow.readers.producer import browser_creator
from reflow.readers.prototypes import bind
from reflow.readers.tagged import Ids, is_tagged, tag_page_lines
from reflow.safety import LIMITS, check_deadline, count_unmapped, no_text_error
from reflow.settings import ReaderSettings

MAX_PAGE_CHARS = LIMITS.max_chars_per_page  # characters on one page (200,000)
MAX_DOC_CHARS = LIMITS.max_chars  # characters in one document (20 million)
MAX_PAGES = LIMITS.max_pages  # 20,000; each can be set by environment (safety.Limits)
UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # native uint32 code arrays

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
# PDFium gives a character above U+FFFF as two indices (its UTF-16 surrogate pair): the first
# becomes the character, the second PAIR_TAIL, a noncharacter that is no word separator and is
# dropped from the text (join_pairs; pdfchars.c join_pairs is the same step).
PAIR_TAIL = 0x1FFFF
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
# Text of one word: merged hyphen -> '-', soft hyphens and stray controls dropped, ligatures split,
# an accent composed with its letter (readers/accents.py) dropped.
_NORM = {0x02: "-", 0xAD: None, 0xFFFE: None, 0xFFFF: None, 0xFEFF: None, 0x200B: None}
_NORM[PAIR_TAIL] = None
_NORM[ord(ACCENT_GONE)] = None
_NORM.update({c: None for c in range(0x20) if c != 0x02})
_NORM.update(_LIGATURES)

_SPECIAL = re.compile("[" + "".join(re.escape(chr(c)) for c in _NORM) + "]")
_DROPPED = re.compile("[" + "".join(re.escape(chr(c)) for c, v in _NORM.items() if v is None) + "]")
_BOLD_RE = re.compile(
    r"(?i:bold|black|heavy|semibold|demibold|extrabold|ultrabold|\bdemi\b)|"
    # abbreviated weights after a name ("MyriadBdIt", "HelveticaNeueLTPro-Bd", URW's "-Medi")
    r"(?<=[a-z0-9_,-])(?:Bd|Bld|Blk|Hv)(?:It|Ita|Obl)?$|-Medi(?:Ital)?$|"
    # TeX fonts: Computer Modern, EC, CM-Super bold extended and bold ("CMBX12", "SFBX1000")
    r"^(?i:(?:cm|ec|sf|tc)(?:bx|b\d|bi|bl|sx)|cmssbx|cmssdc)"
)
_ITALIC_RE = re.compile(
    r"(?i:italic|oblique|\bit\b|-it$)|(?<=[a-z0-9_,-])(?:It|Ita|Ital|Obl)$|"
    # TeX text italic and slanted ("CMTI10", "SFTI1000", "CMSL10"; not math italic CMMI)
    r"^(?i:(?:cm|ec|sf)(?:ti|sl|bi|bl|si|bxti|bxsl|itt|sltt))"
)
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
REOPEN_PAGES = 25  # reopen the PDFium document every so many pages (frees its caches)


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
    "FPDFPageObj_GetBounds": (c_int, [c_void_p] + [POINTER(c_float)] * 4),
    "FPDFImageObj_GetImagePixelSize": (c_int, [c_void_p, POINTER(c_uint), POINTER(c_uint)]),
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


class _LibraryConfig(ctypes.Structure):
    """FPDF_LIBRARY_CONFIG, version 2 (what pypdfium2 passes)."""

    _fields_ = [
        ("version", c_int),
        ("m_pUserFontPaths", c_void_p),
        ("m_pIsolate", c_void_p),
        ("m_v8EmbedderSlot", c_uint),
    ]


class _Pdfium:
    """pypdfium2's own libpdfium, with reflow's prototypes. Unless pypdfium2 is imported
    already, the library is loaded from pypdfium2_raw's folder and initialised as pypdfium2
    does (FPDF_InitLibraryWithConfig, version 2, no font paths) without importing pypdfium2:
    its import costs more than a one-page conversion's reading (~60 ms). PDFium initialises
    once (a later ``import pypdfium2`` finds it so); the library is one, whoever loads it."""

    def __init__(self) -> None:
        try:
            if "pypdfium2" in sys.modules:
                import pypdfium2  # noqa: F401  (initialised the library)
                import pypdfium2_raw

                self.path = _libpdfium_path(os.path.dirname(pypdfium2_raw.__file__))
                self.dll = ctypes.CDLL(self.path)
            else:
                self.path = _libpdfium_path(_package_dir("pypdfium2_raw"))
                self.dll = ctypes.CDLL(self.path)
                init = self.dll.FPDF_InitLibraryWithConfig
                init.restype = None
                init.argtypes = [POINTER(_LibraryConfig)]
                init(byref(_LibraryConfig(2, None, None, 0)))
        except OSError as e:  # under a low memory limit the loader cannot map the library
            if "map segment" in str(e) or "allocate memory" in str(e):
                raise MemoryError(str(e)) from None
            raise
        bind(self, self.dll, _PROTOS)


def _package_dir(name: str) -> str:
    """The folder of package ``name``, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return list(spec.submodule_search_locations)[0]


def _libpdfium_path(d: str) -> str:
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
        with _LOCK:
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

    def text(self, tp, n: int) -> str:
        # One FPDFText_GetUnicode call per character: FPDFText_GetText is not one character per
        # index (complex scripts, private-use glyphs and U+FFFE for merged hyphens shift it).
        get = self.lib.FPDFText_GetUnicode
        codes = array("I", [get(tp, i) for i in range(n)])
        join_pairs(codes)
        return codes.tobytes().decode(UTF32, "replace")  # as the native sampler does

    def sample(self, tp, n: int, left: float, ptop: float):
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
            if not loose(tp, s, rp):
                rect.left = rect.top = rect.right = rect.bottom = 0.0
            x0, x1, t0, b0 = rect.left, rect.right, rect.top, rect.bottom
            if e - 1 != s and not loose(tp, e - 1, rp):
                rect.left = rect.top = rect.right = rect.bottom = 0.0
            if rect.left < x0:  # right-to-left words start on the right
                x0 = rect.left
            if rect.right > x1:
                x1 = rect.right
            t1, b1 = rect.top, rect.bottom
            if not origin(tp, s, oxp, oyp):
                oy.value = 0.0
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
                    ptop - (t0 if t0 > t1 else t1),
                    x1 - left,
                    ptop - (b0 if b0 < b1 else b1),
                    ptop - oy.value,
                    size,
                    font,
                )
            )
        self.tp, self.left, self.ptop = tp, left, ptop
        self.breaks = _breaks(words, text)
        return text, words, _lines(self.breaks)

    def marks(self, words, rects):
        tp, left, ptop = self.tp, self.left, self.ptop
        return _marks(words, self.breaks, rects, lambda i: self.centre(tp, i, left, ptop))

    def links(self, doc_h, page_h, page_no: int, left: float, ptop: float):
        return page_links(self.lib, doc_h, page_h, page_no, left, ptop)

    def centre(self, tp, i: int, left: float, ptop: float) -> tuple[float, float]:
        r = self.rect
        if not self.lib.FPDFText_GetLooseCharBox(tp, i, byref(r)):
            return -1e9, -1e9
        return (r.left + r.right) / 2 - left, ptop - (r.top + r.bottom) / 2

    def count_images(self, page: int) -> int:
        lib = self.lib
        get, typ = lib.FPDFPage_GetObject, lib.FPDFPageObj_GetType
        n = lib.FPDFPage_CountObjects(page)
        return sum(1 for i in range(n) if typ(get(page, i)) == FPDF_PAGEOBJ_IMAGE)

    def image_objects(self, page: int) -> list[int]:
        lib = self.lib
        get, typ = lib.FPDFPage_GetObject, lib.FPDFPageObj_GetType
        n = lib.FPDFPage_CountObjects(page)
        return [i for i in range(n) if typ(get(page, i)) == FPDF_PAGEOBJ_IMAGE]


def join_pairs(codes: array) -> None:
    """Surrogate pairs among PDFium's character codes, in place: a high surrogate followed by a
    low one is one character at the first index and PAIR_TAIL at the second (a lone surrogate
    stays, and decodes to U+FFFD). pdfchars.c join_pairs is the same step."""
    if not codes or max(codes) < 0xD800:
        return
    i, n = 0, len(codes) - 1
    while i < n:
        h = codes[i]
        if 0xD800 <= h <= 0xDBFF and 0xDC00 <= codes[i + 1] <= 0xDFFF:
            codes[i] = 0x10000 + ((h - 0xD800) << 10) + (codes[i + 1] - 0xDC00)
            codes[i + 1] = PAIR_TAIL
            i += 1
        i += 1


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
    >>> font_style("SFBX1000"), font_style("CMTI10"), font_style("CMMI10"), font_style("MyriadRgIt")
    ((True, False), (False, True), (False, False), (False, True))
    """
    base = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    bold = bool(_BOLD_RE.search(base)) or bool(flags & _FLAG_FORCEBOLD)
    italic = bool(_ITALIC_RE.search(base)) or bool(flags & _FLAG_ITALIC)
    return bold, italic


_NAME_BUF = ctypes.create_string_buffer(256)  # readers hold _LOCK: one buffer will do
# (base name, flags) -> facts, across pages and documents: a document's pages share their fonts,
# and parsing the name costs more than asking PDFium for it.
_FACTS: dict[tuple[bytes, int], _FontFacts] = {}


def _font_facts(lib: _Pdfium, font: int, cache: dict[int, _FontFacts]) -> _FontFacts:
    f = cache.get(font)
    if f is None:
        if font:
            k = lib.FPDFFont_GetBaseFontName(font, _NAME_BUF, 256)
            key = (_NAME_BUF.raw[: max(0, min(k, 256) - 1)], lib.FPDFFont_GetFlags(font))
            f = _FACTS.get(key)
            if f is None:
                raw = key[0].decode("latin-1", "replace")
                name = raw.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", raw) else raw
                bold, italic = font_style(raw, key[1] if key[1] > 0 else 0)
                f = _FontFacts(name, bold, italic)
                if len(_FACTS) > 4096:
                    _FACTS.clear()
                _FACTS[key] = f
        else:
            f = _FontFacts("", False, False)
        cache[font] = f
    return f


# ---------------------------------------------------------------------------------------------
# Words -> lines


def _is_rtl(ch: str) -> bool:
    u = ord(ch)
    return 0x0590 <= u <= 0x08FF or 0xFB1D <= u <= 0xFDFF or 0xFE70 <= u <= 0xFEFC


def _new_line(prev: WordT, w: WordT, rtl: bool = False) -> bool:
    """rule line-split (pdfchars.c new_line is the same test). ``rtl``: either word starts with
    a right-to-left letter, so going left is going on."""
    size = prev[7] if prev[7] > w[7] else w[7]
    if size < 1.0:
        size = 1.0
    overlap = (prev[5] if prev[5] < w[5] else w[5]) - (prev[3] if prev[3] > w[3] else w[3])
    hp = prev[5] - prev[3]
    hw = w[5] - w[3]
    h = hp if hp < hw else hw
    if h > 0 and overlap < 0.5 * h:
        return True
    if h <= 0 and abs(prev[6] - w[6]) > 0.5 * size:
        return True
    if w[2] < prev[4] - 0.25 * size:  # x went backwards
        if rtl and w[4] <= prev[2] + 0.25 * size and prev[2] - w[4] <= 2.5 * size:
            return False  # right-to-left text goes on to the left of the previous word
        return True
    if w[2] - prev[4] > 2.5 * size:  # a gap wider than a word space: another column
        return True
    return False


def _breaks(words: list[WordT], text: str) -> list[int]:
    out = [1] * len(words)
    for k in range(1, len(words)):
        rtl = _is_rtl(text[words[k][0]]) or _is_rtl(text[words[k - 1][0]])
        out[k] = 1 if _new_line(words[k - 1], words[k], rtl) else 0
    return out


def _lines(breaks: list[int]) -> list[tuple]:
    """Line records (first word, word count, box, simple, first char, end char, font, size)
    from line-start flags; the Python sampler leaves the box, the ``simple`` flag and what
    follows it (pdfchars.c's pc_lines fills them) unset."""
    starts = [k for k, b in enumerate(breaks) if b]
    if breaks and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    starts.append(len(breaks))
    return [
        (a, b - a, None, 0, 0, 0, 0, 0.0) for a, b in zip(starts, starts[1:], strict=False) if b > a
    ]


_ENDMARKS = HYPHEN_MARK + SOFT_HYPHEN + "\u2010-"


def _simple_line(ctx: _PageCtx, rec, page_no: int, index: int):
    """A line pc_lines marked simple (one style, single spaces): its text is one slice of the
    page text when nothing in it needs normalising. None: use _make_line (same result).
    ``rec``: the line record (its box, first and end character, font and size)."""
    bbox, s, e, font, size = rec[2], rec[4], rec[5], rec[6], rec[7]
    raw = ctx.text[s:e]
    if raw[-1] in _ENDMARKS or (not raw.isascii() and _SPECIAL.search(raw)):
        return None
    st = ctx.styles.get((font, size)) or _style(ctx, font, size)
    return Line(
        text=raw,
        page=page_no,
        bbox=bbox,
        font=st[0],
        size=st[1],
        bold=st[2],
        italic=st[3],
        index=index,
        hyphen_end=False,
    )


class _PageCtx:
    __slots__ = ("text", "soft_2010", "fonts", "lib", "styles")

    def __init__(self, text: str, soft_2010: bool, fonts, lib, styles) -> None:
        self.text, self.soft_2010, self.fonts, self.lib = text, soft_2010, fonts, lib
        self.styles = styles


def _style(ctx: _PageCtx, font: int, size: float) -> tuple[str, float, bool, bool]:
    """(font name, visible size, bold, italic) for a word, one shared tuple per style."""
    key = (font, size)
    st = ctx.styles.get(key)
    if st is None:
        f = _font_facts(ctx.lib, font, ctx.fonts)
        st = (f.name, round(size, 2), f.bold, f.italic)
        st = ctx.styles.setdefault(st, st)
        ctx.styles[key] = st
    return st


def _line_end(ctx: _PageCtx, raw: str) -> tuple[str, str, bool]:
    """rules hard-hyphen and soft-hyphen on the last word of a line: (raw word without the
    break mark, text to append after normalising, hyphen_end)."""
    last = raw[-1]
    if last == HYPHEN_MARK:
        return raw, "", True
    if last == SOFT_HYPHEN:
        return raw[:-1], SOFT_HYPHEN, False
    if last in "\u2010-" and len(raw) > 1:
        if raw[-2] == SOFT_HYPHEN:
            return raw[:-2], SOFT_HYPHEN, False
        if last == "\u2010" and ctx.soft_2010:
            return raw[:-1], SOFT_HYPHEN, False
    return raw, "", False


def _make_line(ctx: _PageCtx, ws: list[WordT], page_no: int, index: int) -> Line:
    text = ctx.text
    styles = ctx.styles
    last = len(ws) - 1
    raw_end, tail, hyphen_end = _line_end(ctx, text[ws[last][0] : ws[last][1]])
    w0 = ws[0]
    key = (w0[8], w0[7])
    if all((w[8], w[7]) == key for w in ws):
        # Fast path, same result as the loop below: one style, nothing that normalises away.
        raws = [text[w[0] : w[1]] for w in ws]
        raws[last] = raw_end
        joined = " ".join(raws)
        if not _DROPPED.search(joined):
            if HYPHEN_MARK in joined:
                joined = joined.replace(HYPHEN_MARK + " ", HYPHEN_MARK)
            t = joined.translate(_NORM) + tail
            st = styles.get(key) or _style(ctx, w0[8], w0[7])
            if ws[last] is w0:
                bbox = (w0[2], w0[3], w0[4], w0[5])
            else:
                cols = list(zip(*ws, strict=True))
                bbox = (min(cols[2]), min(cols[3]), max(cols[4]), max(cols[5]))
            return Line(
                text=t,
                page=page_no,
                bbox=bbox,
                font=st[0],
                size=st[1],
                bold=st[2] and bool(t),
                italic=st[3] and bool(t),
                index=index,
                hyphen_end=hyphen_end,
            )
    pieces: list[str] = []
    spans: list[Span] = []
    chars: dict[tuple, int] = {}
    cur = None  # style of the open span
    sp_piece = sp_word = 0
    prev_hy = False
    for k, w in enumerate(ws):
        raw = raw_end if k == last else text[w[0] : w[1]]
        t = raw.translate(_NORM)
        if k == last and tail:
            t += tail
        if not t:
            continue
        st = styles.get((w[8], w[7])) or _style(ctx, w[8], w[7])
        if st is not cur:
            if cur is not None:
                _close_span(spans, chars, cur, pieces, sp_piece, ws, sp_word, k)
            if pieces and not prev_hy:
                pieces.append(" ")
            cur, sp_piece, sp_word = st, len(pieces), k
        elif pieces and not prev_hy:
            pieces.append(" ")
        pieces.append(t)
        prev_hy = raw[-1:] == HYPHEN_MARK
    if cur is not None:
        _close_span(spans, chars, cur, pieces, sp_piece, ws, sp_word, len(ws))
    cols = list(zip(*ws, strict=True))
    total = sum(chars.values())
    sizes: dict[float, int] = {}
    bold = italic = 0
    for st, n in chars.items():
        sizes[st[1]] = sizes.get(st[1], 0) + n
        if st[2]:
            bold += n
        if st[3]:
            italic += n
    font = None
    if len(spans) == 1:  # one style after all: the line's own (see Line.spans)
        font, spans = spans[0].font, ()
    return Line(
        text="".join(pieces),
        page=page_no,
        bbox=(min(cols[2]), min(cols[3]), max(cols[4]), max(cols[5])),
        spans=spans,
        font=font,
        size=max(sizes, key=lambda s: (sizes[s], s)) if sizes else 0.0,
        bold=total > 0 and bold * 2 > total,
        italic=total > 0 and italic * 2 > total,
        index=index,
        hyphen_end=hyphen_end,
    )


def _close_span(spans, chars, st, pieces, a, ws, wa, wb) -> None:
    t = "".join(pieces[a:])
    cols = list(zip(*ws[wa:wb], strict=True))
    bbox = (min(cols[2]), min(cols[3]), max(cols[4]), max(cols[5]))
    spans.append(Span(text=t, size=st[1], bold=st[2], italic=st[3], font=st[0], bbox=bbox))
    chars[st] = chars.get(st, 0) + len(t)


def _word_offsets(ctx: _PageCtx, ws: list[WordT], line: Line):
    """Each word's (start, end, raw) in line.text (None: normalised away), rebuilt the way
    _make_line builds the text; None if that does not give line.text back."""
    text = ctx.text
    last = len(ws) - 1
    raw_end, tail, _ = _line_end(ctx, text[ws[last][0] : ws[last][1]])
    out: list[tuple[int, int, str] | None] = []
    pos = 0
    started = prev_hy = False
    for k, w in enumerate(ws):
        raw = raw_end if k == last else text[w[0] : w[1]]
        t = raw.translate(_NORM) + (tail if k == last else "")
        if not t:
            out.append(None)
            continue
        if started and not prev_hy:
            pos += 1
        started = True
        out.append((pos, pos + len(t), raw))
        pos += len(t)
        prev_hy = raw[-1:] == HYPHEN_MARK
    return out if pos == len(line.text) else None


# ---------------------------------------------------------------------------------------------
# Links


def page_links(lib: _Pdfium, doc_h, page_h, page_no: int, left: float, ptop: float):
    """URI link annotations of a page: [(LinkAnnot, rects)]. Internal links are skipped.
    Rectangles are the quad points when present, else the annotation rectangle."""
    urls: list[bytes] = []
    rect_lists: list[list[BBox]] = []
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
        urls.append(buf.raw[: k - 1])
        have_rect = lib.FPDFLink_GetAnnotRect(link.value, byref(rect))
        rects: list[BBox] = []
        for qi in range(min(lib.FPDFLink_CountQuadPoints(link.value), 256)):
            if lib.FPDFLink_GetQuadPoints(link.value, qi, byref(quad)):
                xs = (quad.x1, quad.x2, quad.x3, quad.x4)
                ys = (quad.y1, quad.y2, quad.y3, quad.y4)
                rects.append(_rect_bbox(min(xs), max(ys), max(xs), min(ys), left, ptop))
        if not rects and have_rect:
            rects.append(_rect_bbox(rect.left, rect.top, rect.right, rect.bottom, left, ptop))
        rect_lists.append(rects)
    return link_entries(urls, rect_lists, page_no)


def _rect_bbox(l_, t, r, b, left: float, ptop: float) -> BBox:
    x0, x1 = l_ - left, r - left
    y0, y1 = ptop - t, ptop - b
    return (
        x0 if x0 < x1 else x1,
        y0 if y0 < y1 else y1,
        x1 if x0 < x1 else x0,
        y1 if y0 < y1 else y0,
    )


def _anchor_rects(links) -> list[tuple[BBox, str]]:
    """The rectangles anchors are looked for in, in page order (a link over the whole page
    height is no anchor)."""
    return [(r, annot.url) for annot, rects in links for r in rects if r[3] - r[1] <= 2000]


def _marks(words: list[WordT], breaks, rects: list[tuple[BBox, str]], centre) -> list[tuple]:
    """rule link-anchor (pdfchars.c pc_anchor is the same): a word a rectangle covers
    (horizontally, and its middle vertically) is linked whole to the first such rectangle;
    otherwise each character goes to the first rectangle touching its word that holds the
    character's box centre. Marks: (word, first char, end char, rectangle); whole words linked to
    one rectangle in a row on one line (``breaks``: line-start flags) are one mark."""
    out: list[tuple[int, int, int, int]] = []
    if not rects:
        return out
    boxes = [r for r, _ in rects]
    last_whole = -2
    top = min(r[1] for r in boxes)
    bottom = max(r[3] for r in boxes)
    for wi, w in enumerate(words):
        if w[5] <= top or w[3] >= bottom:
            last_whole = -2
            continue
        x0, t, x1, b = w[2], w[3], w[4], w[5]
        near = [i for i, q in enumerate(boxes) if q[0] < x1 and x0 < q[2] and q[1] < b and t < q[3]]
        if not near:
            last_whole = -2
            continue
        mid = (t + b) / 2
        whole = [i for i in near if boxes[i][0] <= x0 and x1 <= boxes[i][2]]
        whole = [i for i in whole if boxes[i][1] <= mid <= boxes[i][3]]
        if whole:
            if last_whole == wi - 1 and not breaks[wi] and out[-1][3] == whole[0]:
                out[-1] = (out[-1][0], out[-1][1], w[1], whole[0])  # the same link goes on
            else:
                out.append((wi, w[0], w[1], whole[0]))
            last_whole = wi
            continue
        last_whole = -2
        for ci in range(w[0], w[1]):
            cx, cy = centre(ci)
            for i in near:
                q = boxes[i]
                if q[0] <= cx <= q[2] and q[1] <= cy <= q[3]:
                    out.append((wi, ci, ci + 1, i))
                    break
    return out


def _attach(ctx: _PageCtx, lines: list[Line], built, marks, rects) -> None:
    """Hand each line its marks (marks and lines are both in word order). ``built``: per line
    (first word, word count, its words, or None for a simple line, which needs none: base,
    its first character)."""
    j = 0
    cur: list[tuple] = []
    for m in marks:
        while j < len(built) and m[0] >= built[j][0] + built[j][1]:
            if cur:
                first, _, ws, base = built[j]
                _apply_marks(ctx, lines[j], ws, first, base, cur, rects)
                cur = []
            j += 1
        cur.append(m)
    if cur and j < len(built):
        first, _, ws, base = built[j]
        _apply_marks(ctx, lines[j], ws, first, base, cur, rects)


def _apply_marks(ctx: _PageCtx, line: Line, ws, first: int, base, marks, rects) -> None:
    """InlineLinks on ``line`` from its marks (word index, char range, rectangle): offsets into
    line.text, neighbours with one URL merged, whitespace and soft hyphens trimmed."""
    offs = None
    prefix: dict[int, list[int]] = {}  # word index -> normalised prefix lengths
    ends: dict[int, int] | None = None
    spans: list[tuple[int, int, str]] = []
    for wi, cs, ce, ri in marks:
        if base is not None:  # a simple line: offsets are character offsets
            a, b = cs - base, ce - base
        else:
            w = ws[wi - first]
            if offs is None:
                offs = _word_offsets(ctx, ws, line)
                if offs is None:
                    return
            o = offs[wi - first]
            if o is None:
                continue
            start, end, raw = o
            if cs == w[0] and ce == w[1]:
                a, b = start, end
            elif cs == w[0] and ce > w[1]:  # whole words in a row
                if ends is None:  # word end -> first word index, once per line (not per mark)
                    ends = {}
                    for k, x in enumerate(ws):
                        ends.setdefault(x[1], k)
                last = ends.get(ce)
                o2 = offs[last] if last is not None else None
                if o2 is None:
                    continue
                a, b = start, o2[1]
            else:
                j = cs - w[0]
                if j < len(raw):
                    # Normalised length of each prefix of the word, once per word: offsets per
                    # mark stay linear (a 32,767-letter word took a minute, quadratic).
                    pre = prefix.get(wi)
                    if pre is None:
                        pre = prefix[wi] = [0]
                        for ch in raw:
                            pre.append(pre[-1] + len(ch.translate(_NORM)))
                    a = start + pre[j]
                    b = start + pre[min(ce - w[0], len(raw))]
                else:  # the broken hyphen of a soft-hyphen line end
                    a, b = start + len(raw.translate(_NORM)), end
        if b > a:
            spans.append((a, b, rects[ri][1]))
    if not spans:
        return
    spans.sort()
    text = line.text
    out: list[InlineLink] = []
    for a, b, url in spans:
        if out and out[-1].url == url and not text[out[-1].end : a].strip():
            out[-1].end = max(out[-1].end, b)
        elif out and a < out[-1].end:
            continue  # overlapping links: the first wins
        else:
            out.append(InlineLink(a, b, url))
    for lk in out:
        while lk.start < lk.end and text[lk.start] in " \u00ad":
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
    pages=None,
    extra=None,
    settings: ReaderSettings | None = None,
) -> Document:
    """Read a PDF into a Document of pages of positioned lines (kind="pdf").
    ``pages``: page ranges (``reflow.pagespec``) to read, the others are never loaded.

    ``native``: None picks the C sampler when available; True/False forces one (tests, bench).
    ``extra``: more to read on each page while it is open (``readers.ocr.PageExtras``: the
    page's images, OCR); None reads the text layer only.
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
            return _read(data, label, password, native, pages, extra, settings)
    except ReflowError:
        raise
    except MemoryError:
        raise LimitExceededError(label, "out of memory reading the PDF") from None
    except Exception as e:  # never let a raw exception escape for bad input
        raise BrokenPDFError(label, f"cannot read ({type(e).__name__}: {e})") from None


def _read(
    data: bytes,
    label: str,
    password: str | None,
    native: bool | None,
    pages=None,
    extra=None,
    settings: ReaderSettings | None = None,
) -> Document:
    lib = pdfium()
    samp = sampler(native)
    # PDFium reads the caller's bytes in place (no copy; ``data`` outlives the document).
    pw = password.encode("utf-8") if password else None
    doc_h = lib.FPDF_LoadMemDocument64(data, len(data), pw)
    if not doc_h and not pw and lib.FPDF_GetLastError() == 4:
        # PDFium never tries an empty password as the owner's (readers/crypt.py)
        opened = empty_owner_open(data)
        if opened is not None:
            data = opened  # held here while the document is open, and for reopening
            doc_h = lib.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc_h:
        code = lib.FPDF_GetLastError()
        if code == 4:
            if password:
                raise EncryptedPDFError(label, "encrypted; wrong password")
            raise EncryptedPDFError(label, "encrypted; pass --password")
        if code == 5:
            raise EncryptedPDFError(label, "encrypted with an unsupported security scheme")
        raise BrokenPDFError(label, f"cannot open: {_err(code)}")
    forms = Forms(lib.dll, doc_h)  # form fields' values (readers/annots.py), made when needed
    doc = None
    try:
        n_pages = lib.FPDF_GetPageCount(doc_h)
        if n_pages <= 0:
            if b"%%EOF" not in data[-2048:]:
                raise BrokenPDFError(label, "truncated: no pages could be recovered")
            raise EmptyDocumentError(label, "the PDF has no pages")
        if n_pages > MAX_PAGES:
            raise LimitExceededError(label, f"{n_pages} pages (limit {MAX_PAGES})")
        doc = Document(source=label, kind="pdf")
        doc.facts.cache["forms"] = forms
        doc.info = _meta(lib, doc_h)
        # A lone U+2010 at a line end is how a browser's print draws a soft hyphen.
        soft_2010 = browser_creator(doc)
        # Structure-tree hints (readers/tagged.py); REFLOW_NO_TAGS=1 measures the untagged path.
        if not os.environ.get("REFLOW_NO_TAGS") and is_tagged(lib.dll, doc_h):
            doc.facts.cache["tag_ids"] = Ids()
        # The structure tree and link annotations read once (native/docobjs.py), if they can be
        objs = doc.facts.cache["doc_objects"] = open_doc_objects(samp, data, n_pages)
        if objs is not None and "tag_ids" in doc.facts.cache:
            doc.facts.cache["tag_ids"].doc_tree = objs
        total = 0
        # One float object per distinct coordinate: a layout repeats its margins and line
        # positions on every page (a 769-page print: 329,000 box values, 17,000 distinct; ~8 MB).
        floats: dict[float, float] = {}
        wanted = [p - 1 for p in page_numbers(pages, n_pages)]
        if not wanted:
            raise EmptyDocumentError(
                label, f"no page {format_pages(pages)} (the PDF has {n_pages} pages)"
            )
        for k, pi in enumerate(wanted):
            check_deadline(label)  # cooperative per-document timeout (safety.time_limit)
            if k and k % REOPEN_PAGES == 0:
                # PDFium keeps every parsed page resource until the document is closed
                # (~100 kB a page on Chromium prints): reopen to bound memory on huge files.
                forms.close()
                lib.FPDF_CloseDocument(doc_h)
                doc_h = forms.doc_h = lib.FPDF_LoadMemDocument64(data, len(data), pw)
                if not doc_h:
                    raise BrokenPDFError(label, f"cannot reopen: {_err(lib.FPDF_GetLastError())}")
            page, n = _read_page(
                lib, samp, doc_h, pi, label, soft_2010, doc, floats, extra, settings
            )
            total += n
            if total > MAX_DOC_CHARS:
                raise LimitExceededError(label, f"more than {MAX_DOC_CHARS} characters")
            doc.pages.append(page)
    finally:
        objs = doc.facts.cache.pop("doc_objects", None) if doc is not None else None
        if objs is not None:
            objs.close()
        if doc_h:
            forms.close()
            lib.FPDF_CloseDocument(doc_h)
    doc.facts.cache.pop("tag_ids", None)  # the tree's ids are the reader's own business
    doc.facts.cache.pop("forms", None)
    dropped = doc.facts.cache.pop("dropped", None)
    if dropped:
        doc.warnings.append(
            f"text missing on page(s) {_ranges(sorted(dropped))}: {sum(dropped.values()):,} text "
            "objects have no character PDFium can read (fonts without a Unicode map, such as "
            "vertical CJK); another reader or OCR may get it"
        )
    doc.metadata.pages = len(doc.pages)
    doc.metadata.producer = doc.info.get("Producer")
    empty = [p for p in doc.pages if not p.lines]
    if extra is not None:
        extra.finish(doc)  # OCR's notes (readers/ocr.py)
    if len(empty) == len(doc.pages):
        # a scan, fonts without Unicode, or blank pages (safety.py)
        raise no_text_error(doc, extra.hint() if extra is not None else None)
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


def _extra(extra, samp, doc_h, page_h, page, n, left, ptop, doc) -> tuple[Page, int]:
    """What ``extra`` reads on the open page (its images; OCR), then the text of its
    annotations and form fields (readers/annots.py: not on a page read by OCR, which sees them
    rendered), and the characters they added."""
    if extra is not None:
        n += extra.page(samp, doc_h, page_h, page, left, ptop, doc)
    objs = doc.facts.cache.get("doc_objects")
    if not page.ocr and (objs is None or objs.text_annots(page.number - 1)):
        forms = doc.facts.cache["forms"]
        more = annotation_lines(forms, page_h, page.number, left, ptop, page.lines)
        if more:
            page.lines = place(page.lines, more)
            for idx, ln in enumerate(page.lines):
                ln.index = idx
            n += sum(len(ln.text) for ln in more)
    return page, n


def _char_box(lib: _Pdfium, tp, rect: FS_RECTF):
    """A character's loose box (left, bottom, right, top; PDF space), None without one."""

    def box(i: int):
        if not lib.FPDFText_GetLooseCharBox(tp, i, byref(rect)):
            return None
        return (rect.left, rect.bottom, rect.right, rect.top)

    return box


def _dropped(lib, page_h, tp, n: int, page: Page, doc, settings=None, native=None) -> None:
    """rule dropped-glyphs (readers/dropped.py): a page's text objects without characters,
    noted for the warning ``_read`` gives; on a page without characters they are its
    ``unmapped`` count, so a document of nothing else is refused as unreadable, not blank."""
    k = dropped_text_objects(
        lib.dll, page_h, tp, n, settings if settings is not None else ReaderSettings(), native
    )
    if k:
        doc.facts.cache.setdefault("dropped", {})[page.number] = k
        if n == 0:
            page.unmapped = k


def _read_page(
    lib, samp, doc_h, pi, label, soft_2010, doc, floats, extra, settings=None
) -> tuple[Page, int]:
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
        objs = doc.facts.cache.get("doc_objects")  # the document's links read once, if read
        links = objs.links(pi, number, left, ptop) if objs is not None else None
        if links is None:
            links = samp.links(doc_h, page_h, number, left, ptop)
        if links is None:  # more links than the C helper's buffers hold
            links = page_links(lib, doc_h, page_h, number, left, ptop)
        page.links = [a for a, _ in links]
        tp = lib.FPDFText_LoadPage(page_h)
        if not tp:
            doc.warnings.append(f"page {number}: text layer cannot be loaded")
            page.images = samp.count_images(page_h)
            return _extra(extra, samp, doc_h, page_h, page, 0, left, ptop, doc)
        n = lib.FPDFText_CountChars(tp)
        native = samp if samp.name == "native" else None
        _dropped(lib, page_h, tp, max(n, 0), page, doc, settings, native)  # glyphs left out
        if n <= 0:
            page.images = samp.count_images(page_h)  # only textless pages: a scan?
            return _extra(extra, samp, doc_h, page_h, page, 0, left, ptop, doc)
        if n > MAX_PAGE_CHARS:
            raise LimitExceededError(
                label, f"page {number} has {n} characters (limit {MAX_PAGE_CHARS})"
            )
        rects = _anchor_rects(links)
        text, words, lines = samp.sample(tp, n, left, ptop)
        page.unmapped += count_unmapped(text)  # glyphs with no Unicode (safety.py)
        text = compose_accents(text, _char_box(lib, tp, FS_RECTF()), settings)
        page.layer = text  # the words the output must account for (reflow.accounting)
        # Font facts are cached per page: PDFium may free a font with its page and reuse the address.
        ctx = _PageCtx(text, soft_2010, {}, lib, {})
        # (first word, word count, the words if made, first character of a simple line)
        built: list[tuple[int, int, list | None, int | None]] = []
        for idx, rec in enumerate(lines):
            first, count = rec[0], rec[1]
            line = _simple_line(ctx, rec, number, idx) if rec[3] else None
            if line is None:
                ws = words[first : first + count]
                line = _make_line(ctx, ws, number, idx)
                built.append((first, count, ws, None))
            else:  # its words are made only if a link or a table cell needs them
                built.append((first, count, None, rec[4]))
            page.lines.append(line)
        rows = pieced_rows(page.lines)
        if rows and not soft_2010:  # a browser's print: tables from its tags and alignment
            page.rulings = page_rulings(page_h, left, ptop, graphics=page.graphics)
        if table_page(rows, page.rulings):
            for line, (first, count, _, _) in zip(page.lines, built, strict=True):
                if 1 < count <= CELL_MAX_WORDS:
                    ws = words[first : first + count]
                    line.gaps = cell_gaps(line, ws, lambda w=ws, ln=line: _word_offsets(ctx, w, ln))
        if rects:
            _attach(ctx, page.lines, built, samp.marks(words, rects), rects)
        if "tag_ids" in doc.facts.cache:  # structure-tree hints (readers/tagged.py)

            def line_words(i: int, built=built, words=words) -> list:
                first, count, ws, _ = built[i]
                return ws if ws is not None else words[first : first + count]

            page.lines = tag_page_lines(
                lib.dll,
                page_h,
                tp,
                doc.facts.cache["tag_ids"],
                page.lines,
                [b[3] if b[3] is not None else b[2][0][0] if b[2] else None for b in built],
                line_words,
                lambda ws: _make_line(ctx, ws, number, 0),
                samp if samp.name == "native" else None,
                pi,
            )
            slots = doc.facts.cache["tag_ids"].slots
            if slots > tagged.MAX_TREE_SLOTS and not doc.facts.cache["tag_ids"].from_doc:
                del doc.facts.cache["tag_ids"]
                doc.warnings.append(
                    f"structure tree not used from page {number} on: PDFium would load "
                    f"{slots} of its elements for each page (read by layout alone, faster)"
                )
        page.lines = [ln for ln in page.lines if ln.text]
        if not page.lines:
            page.images = samp.count_images(page_h)
        if len(floats) > 100_000:  # hostile or odd coordinates: keep the table small
            floats.clear()
        intern = floats.setdefault
        for idx, ln in enumerate(page.lines):
            ln.index = idx
            b = ln.bbox
            if b is not None:
                ln.bbox = (
                    intern(b[0], b[0]),
                    intern(b[1], b[1]),
                    intern(b[2], b[2]),
                    intern(b[3], b[3]),
                )
        return _extra(extra, samp, doc_h, page_h, page, n, left, ptop, doc)
    finally:
        if tp:
            lib.FPDFText_ClosePage(tp)
        lib.FPDF_ClosePage(page_h)
