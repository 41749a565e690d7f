"""OCR: pages without a usable text layer read by Tesseract, as positioned lines.

The engine is Tesseract 5 in-process through ``tesserocr`` (readers/tesseract.py, the ``[ocr]``
extra; the language data comes from the system's Tesseract packages, e.g. Debian's
``tesseract-ocr-eng``), chosen by ``benchmarks/ocr_engines.py`` (docs/ocr.md). Nothing is
downloaded at run time. Without the
extra a scan still fails with the one clear error line, which then names the extra.

The PDF reader hands every open page to ``PageExtras.page`` (``read_pdf(extra=...)``): the
page's images are listed (readers/images.py; they become figures), and a page that needs OCR
is rendered by PDFium in grey, read, and given ``Line`` objects like a text layer's: text, box
in points from the page's top-left corner, size, a font name, so that the same layout and
structure stages run on them. One page image is held at a time; each page is read under the
document's deadline (``safety.time_limit``; Tesseract stops at it too).

Rules:
- ``ocr-auto`` (``--ocr auto``): a page is read by OCR when it has images and no text, when its
  text is garbage (fonts without a Unicode map), or when a few characters sit on a page that an
  image covers (a scan with a stamped page number). ``--ocr force`` reads every page, ``off``
  none.
- ``ocr-resolution``: rendered at the resolution of the page's largest image (a 200 dpi scan at
  200 dpi), within 200-300 dpi: more costs time and reads no better (docs/ocr.md).
- ``ocr-deskew``: Tesseract's layout analysis measures how far the page is turned; a small
  angle is undone on the word positions, a large one by rendering the page turned back and
  reading it again.
- ``ocr-line-geometry``: a Tesseract text line becomes one ``Line`` (split where a gap is wider
  than 2.5 ems, as the PDF reader splits them); its size is the row height (x-height plus
  ascenders and descenders) in points, its box reaches from the baseline up and down as a font's
  ascent and descent do, so spacing and sizes compare with a text layer's.
- ``ocr-sideways`` (readers/ocrlines.py): a line running up or down the page (a scanner's stamp
  in the margin, a turned column head) is taken out and reported (``removed``, ``sideways``).
- ``ocr-noise``: words Tesseract barely recognised and lines of such words (specks, the texture
  of a photo) are dropped.
- ``ocr-uncertain``: words under a confidence are kept and marked (``Line.uncertain``, then
  the JSON's ``uncertain`` offsets).
- ``ocr-bold``, ``ocr-size-classes`` and the rules that make the lines' sizes and weights steady
  (``ocr-size-runs``, ``ocr-bold-runs``): readers/ocrlines.py. On pages that may hold a table
  (``table-page``), a line's wide word gaps are recorded as the PDF reader records them
  (``cell-gaps``), so the layout's table rules read a scanned table too.
- ``ocr-language``: without ``--lang`` the first page read is read in English and the language
  whose common words it holds most (of the installed ones) is used from then on (the page is
  read again when that is another).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from reflow.errors import NoTextLayerError
from reflow.model import Document, Line, Page, Reason, Removed
from reflow.readers.cells import CELL_MAX_WORDS, cell_gaps, pieced_rows, table_page
from reflow.readers.ocrlines import (
    FONT,
    bold_runs,
    cell_borders,
    mark_bold,
    sideways,
    size_classes,
    size_runs,
)
from reflow.readers.tesseract import RawLine, Tesseract, Unavailable, engine
from reflow.rules import rule
from reflow.safety import assess_text, check_deadline
from reflow.settings import OcrSettings

MODES = ("auto", "force", "off")
INSTALL_HINT = (
    "install the OCR extra to read it: pip install 'reflow-pdf[ocr]' and Tesseract's "
    "language data (apt-get install tesseract-ocr)"
)
# Tesseract language -> wordfreq's (for ocr-language)
WORDFREQ = {
    "eng": "en",
    "deu": "de",
    "fra": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "swe": "sv",
    "dan": "da",
    "nor": "nb",
    "fin": "fi",
    "pol": "pl",
    "ces": "cs",
    "tur": "tr",
}
# ---------------------------------------------------------------------------------------------
# Rules


def _area(b) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


@rule("ocr-auto", stage="reader")
def ocr_reason(page: Page, s: OcrSettings) -> str | None:
    """Why a page read from its text layer should be read by OCR instead (None: it should not).
    A scan: images and no text. Fonts without a Unicode map: the text layer is garbage, but the
    page renders right. A scan stamped by the scanner or a later tool (a page number, a fax
    header over a full-page image): a few characters under images covering most of the page."""
    if not page.lines:
        return "no text layer" if (page.images or page.pictures) else None
    q = assess_text(((page.number, ln.text) for ln in page.lines), {page.number: page.unmapped})
    if q.pages:
        return "garbled text layer"
    if page.pictures and page.width and page.height:
        chars = sum(len(ln.text) for ln in page.lines)
        if chars < s.stamp_max_chars:
            cover = sum(_area(p.bbox) for p in page.pictures) / (page.width * page.height)
            if cover >= s.stamp_image_share:
                return "a scan with a few characters of text"
    return None


@rule("ocr-resolution", stage="reader")
def ocr_dpi(page: Page, s: OcrSettings) -> float:
    """The resolution to render a page at for OCR: its largest image's own (a 200 dpi scan is
    read at 200 dpi, a 600 dpi one at 300: more costs time and reads no better; a 100 dpi fax at
    200: Tesseract wants an x-height of a dozen pixels), the default without an image."""
    best = None
    for p in page.pictures:
        w_in = (p.bbox[2] - p.bbox[0]) / 72.0
        if p.width and w_in > 0 and (best is None or _area(p.bbox) > _area(best.bbox)):
            best = p
    if best is None:
        return float(s.default_dpi)
    dpi = best.width / ((best.bbox[2] - best.bbox[0]) / 72.0)
    return float(min(s.max_dpi, max(s.min_dpi, round(dpi))))


def _turn(x: float, y: float, cx: float, cy: float, cos: float, sin: float):
    """(x, y) turned about (cx, cy), counter-clockwise as seen (y grows downwards)."""
    dx, dy = x - cx, y - cy
    return cx + dx * cos + dy * sin, cy - dx * sin + dy * cos


@rule("ocr-deskew", stage="reader")
def deskew_plan(angle: float, s: OcrSettings) -> str:
    """What to do about a page turned by ``angle`` degrees: "none" (too small to matter),
    "positions" (turn the words' positions back: at 1 degree a line's ends are a line height
    apart across a page, enough to break lines and columns apart), "render" (turned further,
    Tesseract reads worse: render the page turned back and read it again)."""
    a = abs(angle)
    if a < s.deskew_min_deg:
        return "none"
    return "render" if a >= s.rerender_min_deg else "positions"


@rule("ocr-noise", stage="reader")
def keep_words(
    raw: RawLine, s: OcrSettings, lang: str = "en"
) -> list[tuple[str, float, int, int, int, int]]:
    """The words of a line worth keeping: Tesseract's reading of specks and photo texture comes
    with a confidence near 0 and no letter or digit in it ("~", "|", "."); a line whose words
    average under the line minimum is all such, unless it is made of real words (``_real``:
    "MEB platform isn't expected until next year, but the au-" read at 2 to 91, averaging 44,
    was a body line dropped from the middle of a paragraph). A word of letters is kept whatever
    its confidence (Tesseract gives some plain words 0: "They'll")."""
    words = [
        w
        for w in raw.words
        if w[0].strip() and (w[1] >= s.min_word_confidence or any(c.isalnum() for c in w[0]))
    ]
    if not words:
        return []
    if sum(w[1] for w in words) / len(words) < s.min_line_confidence and not _real(words, lang, s):
        return []
    return words


_EDGES = ".,;:!?\"'()[]«»„“”‘’_-"


def _real(words, lang: str, s: OcrSettings) -> bool:
    """Whether a line is made of real words: at least ``noise_min_words`` words of two letters
    or more that are common in the page's language (wordfreq's Zipf frequency at least
    ``noise_word_zipf``) carry ``noise_real_share`` of its characters. Specks read as "il", ".:"
    or "Aq pauuEDS" are not."""
    from wordfreq import zipf_frequency

    total = sum(len(w[0]) for w in words)
    real = 0
    n = 0
    for w in words:
        core = w[0].strip(_EDGES).replace("’", "'")
        if len(core) >= 2 and core.replace("'", "").isalpha():
            if zipf_frequency(core.lower(), lang) >= s.noise_word_zipf:
                real += len(w[0])
                n += 1
    return n >= s.noise_min_words and real >= s.noise_real_share * total


@rule("ocr-line-geometry", stage="reader")
def make_lines(
    raw_lines: list[RawLine],
    scale: float,
    angle: float,
    size: tuple[int, int],
    page_no: int,
    s: OcrSettings,
    split_em: float = 2.5,
    weights: list | None = None,
    turned: list | None = None,
    lang: str = "en",
) -> list[Line]:
    """Tesseract's lines (pixels of an image at ``scale`` pixels a point, turned by ``angle``
    degrees) -> ``Line``s in points, straightened. One per Tesseract line, split at gaps wider
    than ``split_em`` ems (two columns or a header's left and right parts on one baseline stay
    two lines, as in the PDF reader); the size is the row height; the box reaches the font's
    ascent above the baseline and its descent below, as a text layer's character boxes do.
    ``weights``: gets (line, its words' (start, end, stroke width in ems)) for ``ocr-bold``;
    ``turned``: gets (text, box in points) of each line running sideways (``ocr-sideways``);
    ``lang``: the page's language, wordfreq's code (``ocr-noise``'s real words)."""
    pt = 1.0 / scale
    cx, cy = size[0] / 2.0, size[1] / 2.0
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    out: list[Line] = []
    for raw in raw_lines:
        words = [w for w in raw.words if w[0].strip()]
        if words and sideways(raw, words, s):  # before ocr-noise: garbage is reported too
            if turned is not None:
                corners = [
                    _turn(x, y, cx, cy, cos, sin) for w in words for x in w[2:5:2] for y in w[3:6:2]
                ]
                xs, ys = [c[0] * pt for c in corners], [c[1] * pt for c in corners]
                box = (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))
                turned.append((" ".join(w[0] for w in words), box))
            continue
        words = keep_words(raw, s, lang)
        if not words:
            continue
        height = raw.row_height or max(w[5] - w[3] for w in words)
        words = cell_borders(words, height, s)
        if not words:
            continue
        em = height * s.size_per_row_height
        if bullet(raw, words[0], height, s):
            words[0] = ("\u2022", 100.0, *words[0][2:])
        words = [(underline_gap(w[0]), *w[1:]) if "_" in w[0] else w for w in words]
        placed = []
        for text, conf, x0, y0, x1, y1, stroke in words:
            mx, my = _turn((x0 + x1) / 2, (y0 + y1) / 2, cx, cy, cos, sin)
            hw, hh = (x1 - x0) / 2, (y1 - y0) / 2
            weight = stroke / height if stroke is not None and height else None
            placed.append((text, conf, mx - hw, my - hh, mx + hw, my + hh, weight))
        if raw.baseline:
            (bx0, by0), (bx1, by1) = raw.baseline
            base = (_turn(bx0, by0, cx, cy, cos, sin)[1] + _turn(bx1, by1, cx, cy, cos, sin)[1]) / 2
        else:
            base = sorted(w[5] for w in placed)[len(placed) // 2]
        group: list = []
        for w in placed:
            if group and w[2] - group[-1][4] > split_em * em:
                out.append(_line(group, base, em, pt, page_no, s))
                if weights is not None:
                    weights.append((out[-1], _word_weights(group)))
                group = []
            group.append(w)
        out.append(_line(group, base, em, pt, page_no, s))
        if weights is not None:
            weights.append((out[-1], _word_weights(group)))
    return out


def _baseline_at(raw: RawLine, x: float) -> float | None:
    if not raw.baseline:
        return None
    (x0, y0), (x1, y1) = raw.baseline
    if x1 == x0:
        return float(y0)
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@rule("ocr-bullet", stage="reader")
def bullet(raw: RawLine, word: tuple, height: float, s: OcrSettings) -> bool:
    """A line's first word is a list bullet Tesseract read as a letter ("e", "¢", "«", "°"): one
    or two characters, a small roundish mark that floats above the baseline (a letter sits on
    it). It is given back as "•", so that list items are found as in a text layer."""
    text, _, x0, y0, x1, y1 = word[:6]
    if len(text) > 2 or len(raw.words) < 2 or height <= 0:
        return False
    base = _baseline_at(raw, (x0 + x1) / 2)
    if base is None:
        return False
    w, h = x1 - x0, y1 - y0
    if h <= 0 or h > s.bullet_max_height_em * height or not 0.5 <= w / h <= 2.0:
        return False
    return base - y1 >= s.bullet_lift_em * height


@rule("ocr-underline", stage="reader")
def underline_gap(word: str) -> str:
    """An underlined phrase (a browser prints its links so) loses its spaces to the underline:
    Tesseract reads "by new" as "by_new". An underscore between two common words is a space;
    an identifier of other parts ("QIBM_DB_ZDA") keeps it."""
    from wordfreq import zipf_frequency

    parts = word.split("_")
    if len(parts) < 2 or not all(p.strip(".,;:!?\"'()") for p in parts):
        return word
    core = [p.strip(".,;:!?\"'()").lower() for p in parts]
    if all(c.isalpha() and zipf_frequency(c, "en") >= 3.0 for c in core):
        if zipf_frequency("".join(core), "en") < 3.0:
            return word.replace("_", " ")
    return word


@rule("ocr-uncertain", stage="reader")
def uncertain_words(words, s: OcrSettings) -> list[tuple[int, int, float]]:
    """Offsets (start, end, confidence) of the words of a line read with a confidence under
    the threshold: kept (the text is all there is), marked for the reader of the JSON."""
    out = []
    pos = 0
    for text, conf, *_ in words:
        if conf < s.uncertain_confidence:
            out.append((pos, pos + len(text), conf))
        pos += len(text) + 1
    return out


def _line(words, base: float, em: float, pt: float, page_no: int, s: OcrSettings) -> Line:
    text = " ".join(w[0] for w in words)
    size = em * pt
    x0 = min(w[2] for w in words) * pt
    x1 = max(w[4] for w in words) * pt
    b = base * pt
    line = Line(
        text=text,
        page=page_no,
        bbox=(
            round(x0, 2),
            round(b - s.ascent_em * size, 2),
            round(x1, 2),
            round(b + s.descent_em * size, 2),
        ),
        size=round(size, 2),
        font=FONT,
        hyphen_end=len(text) > 1 and text[-1] == "-" and text[-2].isalpha(),
    )
    unsure = uncertain_words(words, s)
    if unsure:
        line.uncertain = unsure
    if 1 < len(words) <= CELL_MAX_WORDS:  # a table's cells (cell-gaps; kept on table pages)
        recs = [(w[0], None, w[2] * pt, None, w[4] * pt) for w in words]
        line.gaps = cell_gaps(line, recs, lambda: _offsets(words))
    return line


def _offsets(words) -> list[tuple[int, int]]:
    """Each word's (start, end) in its line's text (the words joined by spaces)."""
    out, pos = [], 0
    for w in words:
        out.append((pos, pos + len(w[0])))
        pos += len(w[0]) + 1
    return out


def _word_weights(words) -> list[tuple[int, int, float | None]]:
    """(start, end, stroke width in ems) of each word of a line's text."""
    pos = 0
    out = []
    for w in words:
        out.append((pos, pos + len(w[0]), w[6]))
        pos += len(w[0]) + 1
    return out


@rule("ocr-language", stage="reader")
def guess_language(texts: list[str], current: str, installed: list[str], s: OcrSettings) -> str:
    """The language of a page read in ``current``: of the installed languages wordfreq knows,
    the one whose common words make up most of its words, if by a margin (English models read
    German and French well enough for their common words to show: "und", "der", "les", "est")."""
    from wordfreq import zipf_frequency

    words = [w.strip(".,;:!?\"'()[]«»„“”‘’").lower() for t in texts for w in t.split()]
    words = [w for w in words if len(w) > 1 and w.isalpha()]
    if len(words) < s.language_min_words:
        return current
    sample = words[:400]

    def share(lang: str) -> float:
        code = WORDFREQ[lang]
        return sum(1 for w in sample if zipf_frequency(w, code) >= 3.0) / len(sample)

    cands = [x for x in installed if x in WORDFREQ]
    if current not in cands:
        return current
    scores = {x: share(x) for x in cands}
    best = max(scores, key=lambda x: scores[x])
    if best != current and scores[best] - scores[current] >= s.language_margin_share:
        return best
    return current


# ---------------------------------------------------------------------------------------------
# The reader's hook


def _ranges(nums: list[int]) -> str:
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


@dataclass
class PageExtras:
    """What the PDF reader reads on each open page besides its text layer: the page's images
    (``Page.pictures``), and its text by OCR where the page needs it (``ocr-auto``)."""

    mode: str = "auto"
    lang: str | None = None
    settings: OcrSettings = field(default_factory=OcrSettings)
    label: str = ""
    read: list[int] = field(default_factory=list)  # pages read by OCR
    wanted: list[int] = field(default_factory=list)  # pages that needed it
    unavailable: str | None = None
    dpis: set = field(default_factory=set)
    uncertain: int = 0
    _lang: str | None = None
    _weights: list = field(default_factory=list)  # (line, its words' stroke widths)
    _runs: list = field(default_factory=list)  # runs of lines of one size (ocr-size-runs)
    _turned: list = field(default_factory=list)  # the page's lines running sideways

    @classmethod
    def for_options(cls, options, label: str = "") -> PageExtras:
        mode = options.ocr if options.ocr in MODES else "auto"
        return cls(mode, options.lang or None, options.settings.ocr, label)

    def page(self, samp, doc_h, page_h, page: Page, left: float, ptop: float, doc) -> int:
        from reflow.readers.images import page_pictures

        page.pictures = page_pictures(samp, page_h, left, ptop, page.width, page.height)
        if self.mode == "off":
            if not page.lines and page.pictures:
                self.wanted.append(page.number)
            return 0
        reason = "asked" if self.mode == "force" else ocr_reason(page, self.settings)
        if reason is None:
            return 0
        self.wanted.append(page.number)
        if self.unavailable is not None:
            return 0
        try:
            eng = engine()
        except Unavailable as e:
            self.unavailable = str(e)
            return 0
        if self._lang is None and self.lang:
            problem = eng.check_lang(self.lang)
            if problem:
                raise NoTextLayerError(
                    self.label, f"cannot read page {page.number} by OCR: {problem}"
                )
            self._lang = self.lang
        lines = self._read(eng, page_h, page)
        self.read.append(page.number)
        for text, box in self._turned:  # ocr-sideways: reported, not read as the text
            doc.removed.append(Removed(text, Reason.SIDEWAYS, page.number, box))
        if not lines:  # nothing read: the text layer, if any, stays (and is reported)
            return 0
        self._runs.extend(size_runs(lines, self.settings))
        if not table_page(pieced_rows(lines), []):  # cell-gaps only where a table may be
            for ln in lines:
                ln.gaps = ()
        page.lines = lines
        page.ocr = True
        page.unmapped = 0
        for i, ln in enumerate(lines):
            ln.index = i
            self.uncertain += len(ln.uncertain)
        return sum(len(ln.text) for ln in lines)

    def _read(self, eng: Tesseract, page_h, page: Page) -> list[Line]:
        """The page rendered, read (in the language found on the first page), straightened."""
        from reflow.readers.images import render_gray

        s = self.settings
        dpi = ocr_dpi(page, s)
        self.dpis.add(int(dpi))
        guess = self._lang is None
        lang = self._lang or ("eng" if "eng" in eng.languages else eng.languages[0])
        w_pt, h_pt = page.width, page.height
        check_deadline(self.label)
        img = render_gray(page_h, w_pt, h_pt, dpi)
        angle = eng.layout(*img, dpi, lang)
        plan = deskew_plan(angle, s)
        if plan == "render":  # turned back by PDFium, read again
            img = render_gray(page_h, w_pt, h_pt, dpi, angle)
            eng.layout(*img, dpi, lang)
            angle = 0.0
        elif plan == "none":
            angle = 0.0
        raw = eng.recognize(lang, self.label)
        size = (img[1], img[2])
        weights: list = []
        turned: list = []
        code = WORDFREQ.get(lang.split("+")[0], "en")
        lines = make_lines(
            raw, dpi / 72.0, angle, size, page.number, s, weights=weights, turned=turned, lang=code
        )
        if guess:
            better = guess_language([ln.text for ln in lines], lang, eng.languages, s)
            if better != lang:
                lang = better
                eng.layout(*img, dpi, lang)
                raw = eng.recognize(lang, self.label)
                weights, turned = [], []
                code = WORDFREQ.get(lang.split("+")[0], "en")
                lines = make_lines(
                    raw,
                    dpi / 72.0,
                    angle,
                    size,
                    page.number,
                    s,
                    weights=weights,
                    turned=turned,
                    lang=code,
                )
            self._lang = lang
        self._weights.extend(weights)
        self._turned = turned
        del img, raw
        return lines

    def finish(self, doc: Document) -> None:
        """Bold words and size classes over the whole document's OCR lines (``ocr-bold``,
        ``ocr-size-classes``), and notes for the user: which pages OCR read, how, and how sure
        it was."""
        if self._weights:
            limit, measured = mark_bold(self._weights, self.settings)
            self._weights = []
            bold_runs(self._runs, limit, measured, self.settings)
        self._runs = []
        ocr_lines = [ln for p in doc.pages if p.ocr for ln in p.lines]
        if ocr_lines:
            size_classes(ocr_lines, self.settings)
        found = [p.number for p in doc.pages if p.ocr]
        if found:
            eng = engine()
            dpi = "/".join(str(d) for d in sorted(self.dpis))
            msg = (
                f"page(s) {_ranges(found)} read by OCR ({eng.name} {eng.version}, "
                f"{self._lang}, {dpi} dpi): check the text"
            )
            if self.uncertain:
                msg += f"; {self.uncertain} word(s) read with low confidence ('uncertain' in --to json)"
            doc.warnings.append(msg)
            code = WORDFREQ.get((self._lang or "").split("+")[0])
            if code and doc.metadata.language is None and ocr_lines:
                doc.metadata.language = code
        missed = [n for n in self.wanted if n not in self.read]
        if missed and any(p.lines for p in doc.pages):
            why = self.hint()
            doc.warnings.append(f"page(s) {_ranges(missed)} have no usable text layer: {why}")

    def hint(self) -> str:
        """What the user can do about pages OCR did not read (the no-text error says it)."""
        if self.mode == "off":
            return "turn OCR on to read it (--ocr auto)"
        if self.unavailable is not None:
            return INSTALL_HINT
        if self.read:
            return "OCR found no text on them"
        return "run OCR first"


def ocr_status() -> str:
    """One line for ``reflow --version`` and bug reports: the engine and its languages."""
    try:
        eng = engine()
    except Unavailable as e:
        return f"OCR: unavailable ({e})"
    return f"OCR: {eng.name} {eng.version} ({', '.join(eng.languages)}; {Path(eng.datapath)})"
