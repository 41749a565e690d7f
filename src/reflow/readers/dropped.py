"""Text PDFium draws but leaves out of its text page: glyphs of a font it cannot map to Unicode.

PDFium gives a glyph without a Unicode value as U+FFFD, a control character or a private-use
code (``safety.count_unmapped`` and the garbage measure see those), or not at all: a page of
vertical Japanese in a non-embedded CID font (``/Identity-V``, no ``/ToUnicode``) has thousands
of text objects and an almost empty text page, while poppler reads it through Adobe's CID
tables. Without a check such a page converts to a few stray characters, with exit 0.

Rules:
- ``dropped-glyphs``: a page with text objects (directly on the page) that own no character of
  the text page is named in a warning when they are many (``ReaderSettings``: at least
  ``dropped_min_objects``, and, one glyph each at least, ``dropped_share`` of the page's
  glyphs), and of fonts PDFium reads nothing from on the page (so not spaces set as objects of
  their own, nor copies drawn over read text for fake bold: PDFium reads those once). A page of text with a little
  vertical CJK among much else is not looked at (see Cost).

Cost: one PDFium call on a page with fewer page objects than ``dropped_check_objects_per_char``
per character (pages of text: one object per line or word); otherwise one call per page object
and one per character: one C call (``pc_dropped``) with the native sampler, which a browser's
print, one object per glyph, needs (in Python ~0.4 ms a page on news prints).
"""

from __future__ import annotations

from ctypes import c_int, c_void_p
from functools import cache

from reflow.readers.prototypes import Api
from reflow.rules import rule
from reflow.settings import ReaderSettings

_PROTOS = {
    "FPDFPage_CountObjects": (c_int, [c_void_p]),
    "FPDFPage_GetObject": (c_void_p, [c_void_p, c_int]),
    "FPDFPageObj_GetType": (c_int, [c_void_p]),
    "FPDFText_GetTextObject": (c_void_p, [c_void_p, c_int]),
    "FPDFTextObj_GetFont": (c_void_p, [c_void_p]),
}
TEXT = 1  # FPDF_PAGEOBJ_TEXT
MAX_OBJECTS = 200_000


@cache
def api(dll) -> Api:
    return Api(dll, _PROTOS)


@rule("dropped-glyphs", stage="reader")
def dropped_text_objects(dll, page_h, tp, n_chars: int, s: ReaderSettings, native=None) -> int:
    """A page of vertical Japanese newsprint converted to 28 stray characters of its ~2,400,
    exit 0 and no word: PDFium left the glyphs of its non-embedded Identity-V font out of the
    text page. The text objects on the page that own no character of the text page are
    counted; the count when they are enough (``s``) to say the page's text is missing, else 0.
    ``tp``: the page's text page (None or 0: it has none), ``n_chars``: its characters.
    ``native``: the native sampler, which counts the same in one C call."""
    a = api(dll)
    n = a.FPDFPage_CountObjects(page_h)
    if n < s.dropped_min_objects or n < s.dropped_check_objects_per_char * n_chars:
        return 0
    n = min(n, MAX_OBJECTS)
    counted = native.dropped(page_h, tp, n, n_chars) if native is not None else None
    if counted is not None:
        texts, missing = counted
        if texts < s.dropped_min_objects:
            return 0
        return missing if _enough(missing, n_chars, s) else 0
    get, typ = a.FPDFPage_GetObject, a.FPDFPageObj_GetType
    texts = [o for o in (get(page_h, i) for i in range(n)) if o and typ(o) == TEXT]
    if len(texts) < s.dropped_min_objects:
        return 0
    owner = a.FPDFText_GetTextObject
    seen = {owner(tp, i) for i in range(n_chars)} if tp and n_chars > 0 else set()
    # Objects of a font PDFium reads elsewhere on the page are not missing text: spaces set as
    # objects of their own, copies drawn over the read ones (fake bold, an outline).
    font = a.FPDFTextObj_GetFont
    read = {font(o) for o in texts if o in seen}
    missing = sum(1 for o in texts if o not in seen and font(o) not in read)
    return missing if _enough(missing, n_chars, s) else 0


def _enough(missing: int, n_chars: int, s: ReaderSettings) -> bool:
    return missing >= s.dropped_min_objects and missing >= s.dropped_share * (n_chars + missing)
