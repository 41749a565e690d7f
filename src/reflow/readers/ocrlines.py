"""OCR lines made steady: what a text layer states exactly, a scan measures to a pixel or two.

``readers/ocr.py`` turns each Tesseract line into a ``Line`` whose size comes from the line's row
height. At 200 dpi a pixel is a third of a point, and Tesseract's row height of one line jumps by
two or three pixels when the line lacks descenders or ascenders, so the lines of one 9 pt
paragraph read 7.9, 9.1 and 9.8 pt: more than the 12% the layout's ``font-change`` allows, and
the paragraph came out cut at every such line. The rules here run on a page's OCR lines before
the layout sees them:

- ``ocr-size-runs``: lines stacked at one line pitch in one column, of about one size, are one
  run of text and take the run's size (and their boxes are remade from it), as the lines of a
  paragraph in a text layer share their font's size.
- ``ocr-cell-borders``: the vertical rules between a table's cells, which Tesseract reads as
  "|" words, are dropped.
- ``ocr-bold-runs``: a run's line whose strokes are about as wide as the bold limit is as bold
  as its run.
- ``ocr-sideways``: a line Tesseract found running up or down the page (a stamp in the margin,
  a table's turned column head) is no line of the text: it is taken out and reported.
"""

from __future__ import annotations

from reflow.model import Line, Span
from reflow.rules import rule
from reflow.settings import OcrSettings

FONT = "ocr"  # the font name of OCR lines (Tesseract's LSTM models give no font)
FONT_BOLD = "ocr-bold"  # ... of their words in bold (ocr-bold)


def _baseline(ln: Line, s: OcrSettings) -> float:
    """The baseline of an OCR line, from its box (readers/ocr.py's ``_line`` put the box's
    bottom ``descent_em`` below it)."""
    return ln.bbox[3] - s.descent_em * ln.size


def _resize(ln: Line, size: float, s: OcrSettings) -> None:
    base = _baseline(ln, s)
    x0, _, x1, _ = ln.bbox
    ln.size = size
    ln.bbox = (x0, round(base - s.ascent_em * size, 2), x1, round(base + s.descent_em * size, 2))
    for sp in ln.spans:
        sp.size = size
        sp.bbox = ln.bbox


def _median(values: list[tuple[float, int]]) -> float:
    """The weighted median of (value, weight) pairs."""
    values = sorted(values)
    total = sum(w for _, w in values)
    acc = 0
    for v, w in values:
        acc += w
        if acc * 2 >= total:
            return v
    return values[-1][0]


def _full_small(ln: Line, width: float, s: OcrSettings) -> bool:
    """A line about as wide as the widest of its run (``run_full_share``), most of its letters
    small (``run_small_share``): its row height spans ascenders and descenders."""
    letters = [c for c in ln.text if c.isalpha()]
    if not letters or ln.bbox[2] - ln.bbox[0] < s.run_full_share * width:
        return False
    return sum(c.islower() for c in letters) >= s.run_small_share * len(letters)


@rule("ocr-size-runs", stage="reader")
def size_runs(lines: list[Line], s: OcrSettings) -> list[list[Line]]:
    """Lines of one run of text share one size. A line continues a run when it sits under the
    run's last line (their boxes overlap across), its baseline one line pitch lower (at most
    ``run_pitch_max_em`` ems; once the run has a pitch, within ``run_pitch_share`` of it) and
    its size within ``run_size_share`` of the run's (``run_size_share_at_pitch`` at the run's
    pitch: a short last line's row height is often far off; but not for a full line of small
    letters reading smaller, ``_full_small``, as an underlined one reads larger: a scanned
    Palatino title at 18 pt took the 13 pt of the dek under
    it, at the title's own pitch, and the date became the largest line and the title). Each
    run of two lines or more takes the size that carries most of its characters. A heading keeps its own size: it differs by more,
    or white space sets it apart from the text under it. Motivating case: a scanned 9 pt column
    whose lines read 7.9 to 9.8 pt by their row heights was cut into a block at every jump."""
    runs: list[dict] = []
    for ln in lines:
        if not ln.bbox or ln.size <= 0 or not ln.text.strip():
            continue
        base = _baseline(ln, s)
        best, best_d = None, None
        for run in runs:
            last = run["lines"][-1]
            if min(last.bbox[2], ln.bbox[2]) <= max(last.bbox[0], ln.bbox[0]):
                continue  # not under it
            size = run["size"]
            d = base - run["base"]
            if d <= 0 or d > s.run_pitch_max_em * max(size, ln.size):
                continue
            pitch = run["pitch"]
            if pitch is not None and abs(d - pitch) > s.run_pitch_share * pitch:
                continue
            # at the run's own pitch a line may read further off (a short last line, a line of
            # capitals or of underlined words): its place says more than its row height; not a
            # full line of small letters reading smaller, whose ascenders and descenders make
            # its row height exact but for an underline, which only adds (a dek under a title
            # at the title's pitch)
            small = ln.size < size and _full_small(ln, run["width"], s)
            loose = pitch is not None and not small
            share = s.run_size_share_at_pitch if loose else s.run_size_share
            if abs(ln.size - size) > share * size:
                continue
            if best_d is None or d < best_d:
                best, best_d = run, d
        width = ln.bbox[2] - ln.bbox[0]
        if best is None:
            runs.append(
                {
                    "lines": [ln],
                    "base": base,
                    "size": ln.size,
                    "pitch": None,
                    "d": [],
                    "width": width,
                }
            )
            continue
        best["lines"].append(ln)
        best["width"] = max(best["width"], width)
        best["base"] = base
        best["d"].append(best_d)
        best["pitch"] = sorted(best["d"])[len(best["d"]) // 2]
        best["size"] = _median([(x.size, len(x.text)) for x in best["lines"]])
    out = []
    for run in runs:
        if len(run["lines"]) > 1:
            size = run["size"]
            for ln in run["lines"]:
                if ln.size != size:
                    _resize(ln, size, s)
            out.append(run["lines"])
    return out


@rule("ocr-bold-runs", stage="reader")
def bold_runs(
    runs: list[list[Line]], limit: float, measured: dict[int, float], s: OcrSettings
) -> None:
    """A line of a run (``ocr-size-runs``) whose stroke width (``ocr-bold``, by ``id`` in
    ``measured``) is within ``bold_margin_share`` of the limit is as bold as its run: the
    strokes of all the run's lines, weighted by their characters, against the limit. One
    line's measure is noisy: the two lines of a bold 22 pt title read 0.96 and 1.00 of the
    limit, and the title came out as two blocks; a 13 pt bold lead paragraph read bold, plain,
    bold. A line clearly bold or plain keeps its weight (a bold byline over a plain date)."""
    if limit <= 0:
        return
    for run in runs:
        ms = [(measured.get(id(ln)), len(ln.text)) for ln in run]
        n = sum(k for m, k in ms if m is not None)
        if not n:
            continue
        bold = sum(m * k for m, k in ms if m is not None) / n > limit
        for ln, (m, _) in zip(run, ms, strict=True):
            if m is not None and not ln.spans and abs(m - limit) <= s.bold_margin_share * limit:
                ln.bold = bold


BARS = frozenset("|¦[]")


@rule("ocr-cell-borders", stage="reader")
def cell_borders(words: list, height: float, s: OcrSettings) -> list:
    """A ruled table's vertical borders read as "|" words ("North | 39%"): a "word" of bars
    taller than the row (``border_min_rows`` of the row height: the rule crosses the cell) or
    much shorter (``border_max_rows``: a piece of it) is no text; a bar as tall as the letters
    is ("Disney Plus | The Herald", a title's separator). Without them the cells stand apart
    by their gaps, as a text layer's do, and the table rules read the grid."""
    if height <= 0:
        return words
    out = []
    for w in words:
        if w[0] and all(c in BARS for c in w[0]):
            h = w[5] - w[3]
            if h > s.border_min_rows * height or h < s.border_max_rows * height:
                continue
        out.append(w)
    return out


@rule("ocr-bold", stage="reader")
def mark_bold(weights: list, s: OcrSettings) -> tuple[float, dict[int, float]]:
    """Bold lines, from the width of their strokes in ems of their line (``_stroke_meter``):
    wider than the document's usual (the median over its characters) by ``bold_ratio``. Bold
    tells a byline from the date under it and a bold heading from the paragraph it heads; a
    text layer says it by the font's name, a scan only by its ink. One word's measure is too
    noisy to tell (its letters, its length), so a line is bold or not as a whole, except for a
    bold label ending in a colon at its start ("Related article:"), which gets its own span.
    Returns the limit and each line's measure (by ``id``) for ``ocr-bold-runs``."""
    pool = sorted((w, e - a) for _, marks in weights for a, e, w in marks if w is not None)
    total = sum(n for _, n in pool)
    if not total:
        return 0.0, {}
    acc, usual = 0, pool[-1][0]
    for w, n in pool:
        acc += n
        if acc * 2 >= total:
            usual = w
            break
    limit = usual * s.bold_ratio

    def mean(marks) -> float | None:
        ws = [(w, e - a) for a, e, w in marks if w is not None]
        n = sum(k for _, k in ws)
        return sum(w * k for w, k in ws) / n if n else None

    measured: dict[int, float] = {}
    for line, marks in weights:
        if _bold_label(line, marks, mean, limit):
            continue
        m = mean(marks)
        line.bold = m is not None and m > limit
        if m is not None:
            measured[id(line)] = m
    return limit, measured


def _bold_label(line: Line, marks, mean, limit: float) -> bool:
    """A bold label of one to three words ending in a colon, then plain text: two spans."""
    for k in range(1, min(4, len(marks))):
        e = marks[k - 1][1]
        if line.text[e - 1 : e] == ":":
            head, tail = mean(marks[:k]), mean(marks[k:])
            if head is None or tail is None or not head > limit >= tail:
                return False
            cut = marks[k][0]
            line.spans = [
                Span(line.text[:cut], line.size, True, False, FONT_BOLD, line.bbox),
                Span(line.text[cut:], line.size, False, False, FONT, line.bbox),
            ]
            line.bold = False
            return True
    return False


@rule("ocr-size-classes", stage="reader")
def size_classes(lines: list[Line], s: OcrSettings) -> None:
    """A line's size from the row height is exact to a pixel (at 200 dpi, a third of a point:
    three per cent of body text), so one paragraph's lines read 10.4, 10.8 and 11.2 pt. The
    size that carries most characters takes every size within ``size_class_share`` of it, then
    the next heaviest of those left, and so on (a heading set 15% larger stays apart)."""
    chars: dict[float, int] = {}
    for ln in lines:
        if ln.size > 0:
            chars[ln.size] = chars.get(ln.size, 0) + len(ln.text)
    snap: dict[float, float] = {}
    for centre in sorted(chars, key=lambda v: (-chars[v], v)):
        if centre in snap:
            continue
        for v in chars:
            if v not in snap and abs(v - centre) <= s.size_class_share * centre:
                snap[v] = centre
    for ln in lines:
        if ln.size in snap:
            ln.size = snap[ln.size]
            for sp in ln.spans:
                sp.size = ln.size


@rule("ocr-sideways", stage="reader")
def sideways(raw, words: list, s: OcrSettings) -> bool:
    """Whether a Tesseract line runs sideways (turned by about 90 degrees on the page): its
    baseline climbs or falls more than it runs across (by ``sideways_steep_ratio``), or, without
    a baseline, its words of two characters or more are taller than wide (by
    ``sideways_word_ratio``; a word across is wider than tall). A scanner's stamp up the margin
    ("RECEIVED 12 MAR 2024"), a turned column head, a journal's ISSN down the spine: Tesseract
    reads them as one line of tall words, well when they run upwards, as garbage when they run
    downwards ("Scanned by Office 4" as "pauuEDS Aq 8240 ~ y"), and the line's box, made from
    its row height, is a small square that the layout took for a line of the body."""
    if raw.baseline:
        (x0, y0), (x1, y1) = raw.baseline
        if abs(y1 - y0) > s.sideways_steep_ratio * max(abs(x1 - x0), 1):
            return True
        if abs(x1 - x0) > 2 * (raw.row_height or 0):
            return False  # a baseline across the page: a line across it
    multi = [(w[4] - w[2], w[5] - w[3], len(w[0])) for w in words if len(w[0].strip()) >= 2]
    chars = sum(n for _, _, n in multi)
    tall = sum(n for w, h, n in multi if h > s.sideways_word_ratio * max(w, 1))
    return bool(chars) and tall * 2 > chars
