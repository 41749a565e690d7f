"""The OCR engine: Tesseract 5 in-process through ``tesserocr`` (the ``[ocr]`` extra), with the
language data of the system's Tesseract packages (Debian's ``tesseract-ocr-eng`` and others;
``$TESSDATA_PREFIX`` overrides where they are looked for). Why Tesseract and tesserocr:
docs/ocr.md (``benchmarks/ocr_engines.py``). Nothing is downloaded at run time.

``engine()`` gives the one engine of the process (``Unavailable`` says why there is none);
``Tesseract.layout`` sets a page image and measures its skew, ``recognize`` reads it into
``RawLine``s of words with boxes, confidences and stroke widths (readers/ocr.py makes lines).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from reflow.safety import check_deadline, remaining

ENGINE = "tesseract"
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
)


class Unavailable(RuntimeError):
    """No OCR engine here (the extra is not installed, or no language data)."""


def tessdata_dir() -> str | None:
    """Where Tesseract's ``*.traineddata`` are: ``$TESSDATA_PREFIX`` (the folder or its
    ``tessdata``), else the usual system folders."""
    env = os.environ.get("TESSDATA_PREFIX")
    cands = [env, os.path.join(env, "tessdata")] if env else []
    for d in (*cands, *TESSDATA_DIRS):
        if d and os.path.isdir(d) and any(n.endswith(".traineddata") for n in os.listdir(d)):
            return d.rstrip("/") + "/"
    return None


@dataclass
class RawLine:
    """One text line as Tesseract gives it, in pixels of the image read."""

    # text, confidence, x0, y0, x1, y1, stroke width in pixels (None: not measured)
    words: list[tuple]
    baseline: tuple[tuple[int, int], tuple[int, int]] | None
    row_height: float


class Tesseract:
    """Tesseract through tesserocr, one API object per language (loading a model takes ~0.2 s;
    it is kept for the next page and the next document)."""

    name = ENGINE

    def __init__(self) -> None:
        # Tesseract's OpenMP threads slow it down when several documents run in parallel
        # (batch workers) and gain little alone: one thread unless the user said otherwise.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            import tesserocr
        except ImportError as e:
            raise Unavailable(f"tesserocr is not installed ({e})") from None
        self.mod = tesserocr
        self.datapath = tessdata_dir()
        if self.datapath is None:
            raise Unavailable("no Tesseract language data (*.traineddata) found")
        self.languages = sorted(
            n[: -len(".traineddata")]
            for n in os.listdir(self.datapath)
            if n.endswith(".traineddata") and n[: -len(".traineddata")] not in ("osd", "equ")
        )
        if not self.languages:
            raise Unavailable(f"no Tesseract language in {self.datapath}")
        self.version = tesserocr.tesseract_version().split()[1]
        self._apis: dict[str, object] = {}

    def check_lang(self, lang: str) -> str | None:
        """None if every part of ``lang`` ("eng+fra") is installed, else what is wrong."""
        missing = [p for p in lang.split("+") if p not in self.languages]
        if missing:
            return (
                f"no Tesseract language data for {'+'.join(missing)} "
                f"(installed: {', '.join(self.languages)})"
            )
        return None

    def api(self, lang: str):
        api = self._apis.get(lang)
        if api is None:
            t = self.mod
            api = t.PyTessBaseAPI(
                path=self.datapath, lang=lang, psm=t.PSM.AUTO, oem=t.OEM.LSTM_ONLY
            )
            self._apis[lang] = api
        return api

    def layout(self, pixels: bytes, w: int, h: int, stride: int, dpi: float, lang: str) -> float:
        """Set the page image and analyse its layout; the angle (degrees, counter-clockwise as
        seen) that would straighten its lines."""
        api = self.api(lang)
        api.SetImageBytes(pixels, w, h, 1, stride)
        api.SetSourceResolution(int(round(dpi)))
        it = api.AnalyseLayout()
        if it is None:
            return 0.0
        try:
            return math.degrees(it.Orientation()[3])
        except (RuntimeError, IndexError, TypeError):
            return 0.0

    def recognize(self, lang: str, label: str) -> list[RawLine]:
        """Read the image set by ``layout`` (its layout is reused): its lines and words."""
        t = self.mod
        api = self.api(lang)
        left = remaining()
        ok = api.Recognize(timeout=max(1, int(left * 1000)) if left is not None else 0)
        check_deadline(label)  # a timed-out Recognize ends the document here
        if not ok:
            return []
        ri = api.GetIterator()
        if ri is None:
            return []
        word, line_level = t.RIL.WORD, t.RIL.TEXTLINE
        stroke = _stroke_meter(api)
        lines: list[RawLine] = []
        cur: RawLine | None = None
        for w in t.iterate_level(ri, word):
            if w.Empty(word):  # a page without text: asking more of it crashes Tesseract
                continue
            if cur is None or w.IsAtBeginningOf(line_level):
                row = w.RowAttributes() or {}
                cur = RawLine([], w.Baseline(line_level), float(row.get("row_height") or 0.0))
                lines.append(cur)
            text = w.GetUTF8Text(word)
            box = w.BoundingBox(word)
            if text and box:
                cur.words.append((text, float(w.Confidence(word)), *box, stroke(box)))
        return [ln for ln in lines if ln.words]


def _stroke_meter(api):
    """A function of a word's box -> the width of its strokes in pixels, measured on
    Tesseract's black-and-white page: the share of ink an erosion by one pixel on each side
    leaves is 1 - 2/width. None without Pillow (then nothing is bold)."""
    try:
        from PIL import ImageFilter
    except ImportError:
        return lambda box: None
    try:
        ink = api.GetThresholdedImage().convert("L")
    except Exception:  # noqa: BLE001 - no image, no measure
        return lambda box: None
    eroded = ink.filter(ImageFilter.MaxFilter(3))

    def measure(box) -> float | None:
        a = ink.crop(box).histogram()[0]
        if a < 4:
            return None
        left = eroded.crop(box).histogram()[0] / a
        return 2.0 / max(1.0 - left, 0.05)

    return measure


_ENGINE: Tesseract | None = None
_ENGINE_ERROR: str | None = None


def engine() -> Tesseract:
    """The OCR engine, made once; ``Unavailable`` says why there is none."""
    global _ENGINE, _ENGINE_ERROR
    if _ENGINE is None:
        if _ENGINE_ERROR is not None:
            raise Unavailable(_ENGINE_ERROR)
        try:
            _ENGINE = Tesseract()
        except Unavailable as e:
            _ENGINE_ERROR = str(e)
            raise
    return _ENGINE


def available() -> bool:
    try:
        engine()
    except Unavailable:
        return False
    return True
