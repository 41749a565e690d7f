"""Code blocks: runs of lines set in a monospaced font, kept whole with their line breaks and
indentation, the line numbers a listing prints dropped.

- ``monospace-font``: a font is monospaced when its characters advance equally: over the
  document, the width of each run set in it, per character and per point of size, hardly varies
  (pdfTeX's CMTT, LMMono and NimbusMonL say nothing of it in their flags; a proportional font's
  width per character changes with every word). Known monospaced names count too.
- ``code-run``: consecutive lines (reader order) of one page, each set in a monospaced font
  (a listing's line numbers aside), stacked one under the other at the run's line pitch, are one
  code block: two or more lines, or one long one.
- ``code-line-numbers``: numbers that open every line of a run, counting up by one, set apart
  from the code in another font or size, are the listing's, not the code's.
- ``code-indent``: a line's indentation is its offset from the run's left edge in character
  widths; a gap of more than one and a half line pitches is a blank line.
"""

from __future__ import annotations

import re

from reflow.layout.join import make_block
from reflow.lexicon import Lazy
from reflow.model import Block, BlockType, Document, Line, Span
from reflow.numbers import median
from reflow.rules import rule
from reflow.settings import BlockSettings

MONO_NAME = Lazy(r"mono|courier|consol|menlo|code", re.IGNORECASE)


class CodeLines(list):
    """Lines of one code block (``code-run``), found before tables and paragraphs."""


def _spans(ln: Line) -> list[Span] | tuple:
    return ln.runs()


def _spread_within(w: list[float], limit: float) -> bool:
    """``statistics.pstdev(w) <= limit``, without importing statistics where the answer is
    plain: a two-pass float deviation is within 1e-12 of the exact one for these few hundred
    widths, so only a deviation within 1% of ``limit`` is computed exactly."""
    mean = sum(w) / len(w)
    dev = (sum((x - mean) ** 2 for x in w) / len(w)) ** 0.5
    margin = 0.01 * abs(limit) + 1e-9 * abs(mean)
    if limit > 0 and dev <= limit - margin:
        return True
    if limit > 0 and dev >= limit + margin:
        return False
    from statistics import pstdev  # exact (fractions and decimal)

    return pstdev(w) <= limit


@rule("monospace-font", stage="blocks")
def monospace_fonts(doc: Document, s: BlockSettings) -> frozenset[str]:
    """The document's fonts whose runs all have the same width per character and point of
    size (coefficient of variation at most ``code_mono_cv`` over at least ``code_mono_min_runs``
    runs of ``code_mono_min_chars`` or more), and fonts with a monospaced name; not the font
    that carries most of the document's characters (its body text is prose, whatever the
    font)."""
    cache = doc.facts.cache.get("mono_fonts")
    if cache is not None:
        return cache
    widths: dict[str, list[float]] = {}
    chars: dict[str, int] = {}
    names: set[str] = set()
    for page in doc.pages:
        for ln in page.lines:
            for sp in _spans(ln):
                if not sp.font:
                    continue
                chars[sp.font] = chars.get(sp.font, 0) + len(sp.text)
                if MONO_NAME.search(sp.font):
                    names.add(sp.font)
                t = sp.text.strip()
                if len(t) < s.code_mono_min_chars or not sp.bbox or not sp.size:
                    continue
                w = widths.setdefault(sp.font, [])
                if len(w) < 200:
                    w.append((sp.bbox[2] - sp.bbox[0]) / (len(t) * sp.size))
    for font, w in widths.items():
        if len(w) < s.code_mono_min_runs or max(w) == min(w) == 0:
            continue
        if _spread_within(w, s.code_mono_cv * (sum(w) / len(w))):
            names.add(font)
    if chars:  # the body's font is never code (a site set wholly in a monospaced font)
        names.discard(max(chars, key=chars.get))
    out = frozenset(names)
    doc.facts.cache["mono_fonts"] = out
    return out


def _code_part(ln: Line, mono: frozenset[str]) -> tuple[str, Span | None] | None:
    """(the text of a line that is code, the number span before it if any), or None when the
    line is not set in a monospaced font. A line all in one monospaced font, or a number in
    another font followed by monospaced text."""
    runs = _spans(ln)
    if not runs:
        return None
    lead = None
    body = list(runs)
    if len(body) > 1 and body[0].font not in mono and body[0].text.strip().isdigit():
        lead = body.pop(0)
    if not all(sp.font in mono or not sp.text.strip() for sp in body):
        return None
    if any(sp.bold for sp in body if sp.text.strip()):
        return None
    return ("".join(sp.text for sp in body) if lead else ln.text), lead


def _number_only(ln: Line, mono: frozenset[str]) -> bool:
    """A listing's line number the reader set apart from its code line (another font)."""
    return ln.text.strip().isdigit() and not (ln.font and ln.font in mono) and not ln.spans


def _beside(num: Line, code: Line) -> bool:
    """``num`` sits left of ``code`` on its line."""
    a, b = num.bbox, code.bbox
    mid = (a[1] + a[3]) / 2
    return bool(a and b) and a[2] <= b[0] and b[1] - 1 <= mid <= b[3] + 1


def _top(ln: Line, mono: frozenset[str]) -> float:
    for sp in _spans(ln):
        if sp.font in mono and sp.bbox and sp.text.strip():
            return sp.bbox[1]
    return ln.bbox[1]


def _stacked(a: Line, b: Line, pitch: float, mono: frozenset[str], s: BlockSettings) -> bool:
    if a.page != b.page or not a.bbox or not b.bbox:
        return False
    gap = _top(b, mono) - _top(a, mono)
    return 0 < gap <= s.code_max_gap_lines * pitch and b.bbox[0] < a.bbox[2] + pitch


def _overlaps(ln: Line, x0: float, x1: float) -> bool:
    return bool(ln.bbox) and ln.bbox[0] < x1 and ln.bbox[2] > x0


@rule("code-run", stage="blocks")
def code_runs(lines: list, mono: frozenset[str], s: BlockSettings) -> list:
    """Replace each run of monospaced lines that is a code block by a CodeLines of them (with
    the listing's line numbers the reader set apart). Lines of another column that the reader
    put between them (beside the run, not under it) are passed over and follow the run."""
    if not mono:
        return lines
    out: list = []
    i = 0
    n = len(lines)

    def is_code(k: int) -> bool:
        return (
            isinstance(lines[k], Line)
            and lines[k].bbox is not None
            and (_code_part(lines[k], mono) is not None)
        )

    def numbered(k: int) -> bool:
        return (
            k + 1 < n
            and isinstance(lines[k], Line)
            and lines[k].bbox is not None
            and _number_only(lines[k], mono)
            and is_code(k + 1)
            and _beside(lines[k], lines[k + 1])
        )

    while i < n:
        if not (is_code(i) or numbered(i)):
            out.append(lines[i])
            i += 1
            continue
        run: list[Line] = [lines[i]]
        if numbered(i):
            run.append(lines[i + 1])
        j = i + len(run)
        code = [ln for ln in run if not _number_only(ln, mono) or ln is run[-1]]
        last = code[-1]
        x0 = min(ln.bbox[0] for ln in run)
        x1 = max(ln.bbox[2] for ln in run)
        pitch = (last.size or 10.0) * s.code_pitch_em
        aside: list = []
        while j < n:
            ln = lines[j]
            if isinstance(ln, Line) and ln.bbox and not _overlaps(ln, x0 - pitch, x1 + pitch):
                aside.append(ln)  # another column
                j += 1
                continue
            k = j + 1 if numbered(j) else j
            if (
                not is_code(k)
                and isinstance(ln, Line)
                and _number_only(ln, mono)
                and j + 1 < n
                and (is_code(j + 1) or numbered(j + 1))
                and _stacked(last, ln, pitch, mono, s)
            ):
                run.append(ln)  # the number of an empty line
                j += 1
                continue
            if not is_code(k) or not _stacked(last, lines[k], pitch, mono, s):
                break
            if len(code) == 1:
                pitch = max(1.0, _top(lines[k], mono) - _top(last, mono))
            run.extend(lines[j : k + 1])
            last = lines[k]
            code.append(last)
            x0 = min(x0, *(ln.bbox[0] for ln in lines[j : k + 1]))
            x1 = max(x1, last.bbox[2])
            j = k + 1
        if len(code) >= 2 or len(code[0].text.strip()) >= s.code_single_line_min_chars:
            out.append(CodeLines(run))
            out.extend(aside)
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _split_numbers(text: str, prev: int | None) -> list[int] | None:
    """The line numbers a lead holds: one, or several the reader ran together where empty
    lines' numbers stood right above ("56" after 4: lines 5 and 6)."""
    if prev is None or text == str(prev + 1):
        return [int(text)]
    nums, rest, k = [], text, prev + 1
    while rest.startswith(str(k)) and len(nums) < 4:
        nums.append(k)
        rest = rest[len(str(k)) :]
        k += 1
    return nums if nums and not rest else [int(text)]


@rule("code-line-numbers", stage="blocks")
def line_numbers(entries: list[tuple[str, str]], s: BlockSettings) -> list[int] | None:
    """How many blank lines go before each code line, when every line (at least
    ``code_numbered_min_lines``) opens with a number set apart from the code (another font, or
    a piece of its own) and the numbers count up, by one or by a few where a listing's empty
    lines were numbered too; None when they are not a listing's numbers."""
    if len(entries) < s.code_numbered_min_lines or any(not num for num, _ in entries):
        return None
    blanks, prev = [], None
    for num, _ in entries:
        nums = _split_numbers(num, prev)
        step = nums[-1] - prev if prev is not None else 1
        if not 1 <= step <= s.code_number_max_step:
            return None
        blanks.append(step - 1)
        prev = nums[-1]
    return blanks


def _entries(run: list[Line], mono: frozenset[str]) -> list[tuple[str, str, Line]]:
    """(number, code text, line) for each line of a run; a number alone on its line numbers
    the code line beside it, or an empty line when the next line has a number of its own."""
    out: list[tuple[str, str, Line]] = []
    pending: Line | None = None
    for ln in run:
        if _number_only(ln, mono) and ln is not run[-1]:
            if pending is not None:
                out.append((pending.text.strip(), "", pending))
            pending = ln
            continue
        part = _code_part(ln, mono)
        text, lead = part if part is not None else (ln.text, None)
        if lead is not None and pending is not None:
            out.append((pending.text.strip(), "", pending))
            pending = None
        num = lead.text.strip() if lead is not None else (pending.text.strip() if pending else "")
        out.append((num, text, ln))
        pending = None
    return out


@rule("code-indent", stage="blocks")
def code_text(run: list[Line], mono: frozenset[str], s: BlockSettings) -> str:
    """The code's text: each line indented by its offset from the run's left edge in character
    widths, a blank line where the gap is more than ``code_blank_gap_lines`` line pitches (or
    where the listing's numbers skip one)."""
    entries = _entries(run, mono)
    blanks = line_numbers([(n, t) for n, t, _ in entries], s)
    lefts, advances, tops = [], [], []
    for _, text, ln in entries:
        runs = [sp for sp in _spans(ln) if sp.font in mono and sp.bbox and sp.text.strip()]
        lefts.append(runs[0].bbox[0] if runs else None if not text else ln.bbox[0])
        tops.append(_top(ln, mono))
        for sp in runs:
            k = len(sp.text.strip())
            if k >= 2:
                advances.append((sp.bbox[2] - sp.bbox[0]) / k)
    adv = median(advances) if advances else (run[0].size or 10.0) * 0.6
    x0 = min((x for x in lefts if x is not None), default=0.0)
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    pitch = median(pitches) if pitches else 0.0
    out = []
    for k, (num, text, _) in enumerate(entries):
        if blanks is not None:
            out.extend([""] * blanks[k])
        elif k and pitch and pitches[k - 1] > s.code_blank_gap_lines * pitch:
            out.append("")
        if blanks is None and num:
            text = num + " " + text.strip()
        indent = round((lefts[k] - x0) / adv) if lefts[k] is not None and text.strip() else 0
        out.append(" " * indent + text.strip())
    return "\n".join(out)


def make_code(run: list[Line], mono: frozenset[str], s: BlockSettings) -> Block:
    b = make_block(list(run), BlockType.CODE)
    b.text = code_text(run, mono, s)
    b.links = []
    return b
