"""Accents drawn apart from their letters, composed back into one character (``spacing-accent``).

pdfTeX with Computer Modern's OT1 fonts (LaTeX's default without ``fontenc``) has no "é": TeX's
``\\accent`` draws the acute as a glyph of its own over the "e", and PDFium reads both, the
spacing acute U+00B4 first: "caf´e", "na¨ıve" (over a dotless i), "Fran¸cois". Over a capital
the accent sits higher and PDFium puts it at the end of its text line ("at the Ecole ... ´").
Each spacing accent whose box lies over a letter (its neighbour in the text, else a letter of
the same text line) becomes the precomposed character (NFC of the letter and the combining
mark) in the letter's place, and the accent itself a mark the reader drops (``ACCENT_GONE``):
the page text keeps one character per PDFium index. An accent with no letter under it
("the ´ key", a prime typed as an acute) stays, and so does a pair Unicode has no single
character for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from reflow.lexicon import Lazy
from reflow.rules import rule
from reflow.settings import ReaderSettings

# spacing accent -> combining mark
COMBINING = {
    "\u00b4": "\u0301",  # acute
    "`": "\u0300",  # grave (OT1 maps it to the ASCII grave)
    "\u02cb": "\u0300",
    "\u00a8": "\u0308",  # diaeresis
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u00af": "\u0304",  # macron
    "\u02c9": "\u0304",
    "\u02d8": "\u0306",  # breve
    "\u02d9": "\u0307",  # dot above
    "\u02da": "\u030a",  # ring above
    "\u00b8": "\u0327",  # cedilla
    "\u02dd": "\u030b",  # double acute
    "\u02db": "\u0328",  # ogonek
    "\u02c7": "\u030c",  # caron
}
ACCENTS = Lazy("[" + re.escape("".join(COMBINING)) + "]")
ACCENT_GONE = "\ufffc"  # the accent's index once composed: dropped by the reader
DOTLESS = {"\u0131": "i", "\u0237": "j"}  # TeX puts accents over a dotless i or j
_LINE_END = "\r\n"

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF space)


def _overlap(a: Box, b: Box) -> tuple[float, float]:
    """Horizontal overlap as a share of the narrower box; vertical likewise."""
    w = min(a[2] - a[0], b[2] - b[0])
    h = min(a[3] - a[1], b[3] - b[1])
    ox = min(a[2], b[2]) - max(a[0], b[0])
    oy = min(a[3], b[3]) - max(a[1], b[1])
    return (ox / w if w > 0 else 0.0), (oy / h if h > 0 else 0.0)


def _compose(letter: str, accent: str) -> str | None:
    base = DOTLESS.get(letter, letter)
    if not base.isalpha():
        return None
    out = unicodedata.normalize("NFC", base + COMBINING[accent])
    return out if len(out) == 1 else None


@rule("spacing-accent", stage="reader")
def compose_accents(
    text: str, box: Callable[[int], Box | None], s: ReaderSettings | None = None
) -> str:
    """A spacing accent drawn over a letter (its box over the letter's by ``accent_overlap``
    across, ``accent_vertical`` up and down) is one character with it: "caf´e" -> "café",
    "na¨ıve" -> "naïve", an acute PDFium moved to its line's end over "Ecole" -> "École". The
    neighbours in the text are tried first, then the letters of the same text line (up to
    ``accent_search_chars`` away)."""
    if not ACCENTS.search(text):
        return text
    s = s or ReaderSettings()
    chars = list(text)
    n = len(chars)
    done: set[int] = set()
    for m in ACCENTS.finditer(text):
        i = m.start()
        a = box(i)
        if a is None or a[2] <= a[0]:
            continue
        best, best_ox = -1, s.accent_overlap

        def consider(j: int, a: Box = a) -> None:
            nonlocal best, best_ox
            if j in done or not chars[j].isalpha():
                return
            b = box(j)
            if b is None:
                return
            ox, oy = _overlap(a, b)
            if ox >= best_ox and oy >= s.accent_vertical:
                best, best_ox = j, ox

        for j in (i + 1, i - 1):
            if 0 <= j < n:
                consider(j)
        if best < 0:  # moved away from its letter: the letters of its text line
            j = i - 1
            while j >= 0 and i - j <= s.accent_search_chars and chars[j] not in _LINE_END:
                consider(j)
                j -= 1
            j = i + 1
            while j < n and j - i <= s.accent_search_chars and chars[j] not in _LINE_END:
                consider(j)
                j += 1
        if best < 0:
            continue
        composed = _compose(chars[best], chars[i])
        if composed is None:
            continue
        chars[best] = composed
        chars[i] = ACCENT_GONE
        done.update((i, best))
    return "".join(chars)
