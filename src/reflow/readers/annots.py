"""Text a page shows from its annotations, outside its text layer: FreeText annotations (their
``/Contents``) and filled form fields (a widget's ``/V``, inherited from its field's parents).

A viewer draws both over the page (from an appearance stream, or one it makes from the value),
and other readers (poppler's pdftotext) print them; PDFium's text page holds only the page's
content stream. Each becomes a positioned ``Line`` with ``origin`` set ("annotation",
"form-field"), placed in the page's lines where its box says (reading-order stages then treat it
as any line), so its text is neither lost nor taken for the text layer's.

Rules:
- ``annotation-text``: a FreeText annotation's contents and a text or choice field's value
  (a string: check boxes and radio buttons have names, and no text) become lines at the
  annotation's rectangle; hidden annotations (flags Hidden, NoView) and empty values are
  skipped. A value the text layer already shows inside the rectangle (a form flattened into
  the page, its widget kept) is not read twice.

Cost: one PDFium call per page (``FPDFPage_GetAnnotCount``) when a page has no annotation.
"""

from __future__ import annotations

import ctypes
import re
from ctypes import c_char_p, c_int, c_ulong, c_void_p
from functools import cache

from reflow.model import Line
from reflow.readers.prototypes import Api
from reflow.rules import rule

_PROTOS = {
    "FPDFPage_GetAnnotCount": (c_int, [c_void_p]),
    "FPDFPage_GetAnnot": (c_void_p, [c_void_p, c_int]),
    "FPDFPage_CloseAnnot": (None, [c_void_p]),
    "FPDFAnnot_GetSubtype": (c_int, [c_void_p]),
    "FPDFAnnot_GetRect": (c_int, [c_void_p, c_void_p]),
    "FPDFAnnot_GetFlags": (c_int, [c_void_p]),
    "FPDFAnnot_GetValueType": (c_int, [c_void_p, c_char_p]),
    "FPDFAnnot_GetStringValue": (c_ulong, [c_void_p, c_char_p, c_void_p, c_ulong]),
    "FPDFAnnot_GetFormFieldType": (c_int, [c_void_p, c_void_p]),
    "FPDFAnnot_GetFormFieldValue": (c_ulong, [c_void_p, c_void_p, c_void_p, c_ulong]),
    "FPDFAnnot_GetFontSize": (c_int, [c_void_p, c_void_p, c_void_p]),
    "FPDF_GetFormType": (c_int, [c_void_p]),
    "FPDFDOC_InitFormFillEnvironment": (c_void_p, [c_void_p, c_void_p]),
    "FPDFDOC_ExitFormFillEnvironment": (None, [c_void_p]),
}

FREETEXT = 3  # FPDF_ANNOT_FREETEXT
WIDGET = 20  # FPDF_ANNOT_WIDGET
OBJECT_STRING = 3  # FPDF_OBJECT_STRING
HIDDEN = 2 | 32  # annotation flags Hidden and NoView
MAX_ANNOTS = 2000  # per page: a hostile file cannot make the walk unbounded
TEXT_FIELDS = (4, 5, 6)  # FPDF_FORMFIELD_COMBOBOX, _LISTBOX, _TEXTFIELD: values are text
MAX_VALUE = 1 << 16  # characters of one value
ANNOTATION, FORM_FIELD = "annotation", "form-field"

_FONT_SIZE = re.compile(r"([0-9.]+)\s+Tf")
_SPACE = re.compile(r"[ \t\u00a0]+")


class _RECT(ctypes.Structure):
    _fields_ = [(n, ctypes.c_float) for n in ("left", "bottom", "right", "top")]


@cache
def api(dll) -> Api | None:
    try:
        return Api(dll, _PROTOS)
    except AttributeError:  # an older libpdfium without the annotation API
        return None


def _string(a: Api, annot, key: bytes) -> str | None:
    """The annotation dictionary's string ``key`` (None: absent or not a string)."""
    if a.FPDFAnnot_GetValueType(annot, key) != OBJECT_STRING:
        return None
    n = a.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if n <= 2:
        return ""
    n = min(n, 2 * MAX_VALUE + 2)
    buf = ctypes.create_string_buffer(n)
    a.FPDFAnnot_GetStringValue(annot, key, buf, n)
    return buf.raw[: n - 2].decode("utf-16-le", "replace")


class Forms:
    """A document's form-fill environment, made when a page first shows a widget (it loads the
    whole AcroForm) and ended before the document is closed or reopened (``close``)."""

    def __init__(self, dll, doc_h) -> None:
        self.dll, self.doc_h = dll, doc_h
        self.h = None
        self.info = None
        self.tried = False

    def handle(self, a: Api):
        if not self.tried:
            self.tried = True
            if a.FPDF_GetFormType(self.doc_h) > 0:  # FORMTYPE_NONE is 0
                import pypdfium2_raw

                self.info = pypdfium2_raw.FPDF_FORMFILLINFO(version=1)
                self.h = a.FPDFDOC_InitFormFillEnvironment(self.doc_h, ctypes.addressof(self.info))
        return self.h

    def close(self) -> None:
        if self.h:
            api(self.dll).FPDFDOC_ExitFormFillEnvironment(self.h)
        self.h, self.info, self.tried = None, None, False


def _field_value(a: Api, forms: Forms, annot) -> tuple[str | None, float]:
    """A widget's field value if it is text (a text field, a list or combo box), and the font
    size its appearance sets (0: auto)."""
    h = forms.handle(a)
    if not h or a.FPDFAnnot_GetFormFieldType(h, annot) not in TEXT_FIELDS:
        return None, 0.0
    n = a.FPDFAnnot_GetFormFieldValue(h, annot, None, 0)
    if n <= 2:
        return None, 0.0
    n = min(n, 2 * MAX_VALUE + 2)
    buf = ctypes.create_string_buffer(n)
    a.FPDFAnnot_GetFormFieldValue(h, annot, buf, n)
    size = ctypes.c_float(0.0)
    m = _FONT_SIZE.search(_string(a, annot, b"DA") or "")  # the widget's own, else PDFium's
    if m:
        size.value = float(m.group(1))
    elif not a.FPDFAnnot_GetFontSize(h, annot, ctypes.byref(size)):
        size.value = 0.0
    return buf.raw[: n - 2].decode("utf-16-le", "replace"), float(size.value)


def _size(size: float, height: float, n_lines: int) -> float:
    """The font size the appearance sets; 0 (auto) or none: what fits the rectangle."""
    if size <= 0:
        size = min(12.0, max(height / max(n_lines, 1) * 0.75, 1.0))
    return round(size, 2)


@rule("annotation-text", stage="reader")
def annotation_lines(
    forms: Forms, page_h, number: int, left: float, ptop: float, shown: list[Line]
) -> list[Line]:
    """A fillable form read back from a PDF came out with its labels ("Name:", "Town:") and
    none of the values typed into it, and a page of FreeText comments came out empty: PDFium's
    text page holds the content stream only, while viewers (and pdftotext) show the
    annotations too. Text of FreeText annotations and the string values of form fields become
    lines at their rectangles, marked with their ``origin``; hidden ones are skipped, and a
    value the text layer already shows inside the rectangle is not read twice (``shown``:
    the page's text-layer lines)."""
    a = api(forms.dll)
    if a is None:
        return []
    n = a.FPDFPage_GetAnnotCount(page_h)
    if n <= 0:
        return []
    out: list[Line] = []
    rect = _RECT()
    for i in range(min(n, MAX_ANNOTS)):
        annot = a.FPDFPage_GetAnnot(page_h, i)
        if not annot:
            continue
        try:
            kind = a.FPDFAnnot_GetSubtype(annot)
            if kind not in (FREETEXT, WIDGET) or a.FPDFAnnot_GetFlags(annot) & HIDDEN:
                continue
            if kind == FREETEXT:
                text, origin = _string(a, annot, b"Contents"), ANNOTATION
                m = _FONT_SIZE.search(_string(a, annot, b"DA") or "")
                size = float(m.group(1)) if m else 0.0
            else:
                (text, size), origin = _field_value(a, forms, annot), FORM_FIELD
            if not text or not text.strip() or not a.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
            x0, x1 = sorted((rect.left - left, rect.right - left))
            y0, y1 = sorted((ptop - rect.top, ptop - rect.bottom))
            out.extend(_lines(text[:MAX_VALUE], (x0, y0, x1, y1), size, number, origin, shown))
        finally:
            a.FPDFPage_CloseAnnot(annot)
    return out


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def _shown(text: str, box, shown: list[Line]) -> bool:
    """The text layer already shows ``text`` inside ``box`` (a flattened form)."""
    want = _norm(text)
    got = "".join(
        _norm(ln.text)
        for ln in shown
        if ln.bbox
        and ln.bbox[0] < box[2]
        and box[0] < ln.bbox[2]
        and ln.bbox[1] < box[3]
        and box[1] < ln.bbox[3]
    )
    return bool(want) and want in got


def _lines(text: str, box, size: float, number: int, origin: str, shown: list[Line]):
    parts = [_SPACE.sub(" ", p).strip() for p in re.split(r"\r\n|[\r\n\u2028\u2029]", text)]
    parts = [p for p in parts if p]
    if not parts or _shown(" ".join(parts), box, shown):
        return []
    x0, y0, x1, y1 = box
    size = _size(size, y1 - y0, len(parts))
    step = min(size * 1.2, (y1 - y0) / len(parts)) if y1 > y0 else size * 1.2
    out = []
    for k, p in enumerate(parts):
        top = y0 + k * step
        bottom = min(top + max(step, size), y1) if y1 > top else top + size
        box = (x0, top, x1, bottom)
        out.append(Line(text=p, page=number, bbox=box, size=size, font="", origin=origin))
    return out


def place(lines: list[Line], extra: list[Line]) -> list[Line]:
    """``extra`` lines among the page's ``lines`` where their boxes say: each before the first
    line whose top is below its middle (a label beside a field comes first, the next row
    after), the page's own order kept otherwise."""
    if not extra:
        return lines
    out = list(lines)
    for ln in sorted(extra, key=lambda x: (x.bbox[1], x.bbox[0])):
        mid = (ln.bbox[1] + ln.bbox[3]) / 2
        at = len(out)
        for k, other in enumerate(out):
            if other.bbox is not None and other.bbox[1] > mid:
                at = k
                break
        out.insert(at, ln)
    return out
