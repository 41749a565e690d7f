"""Shared vocabulary: the patterns several stages mean the same thing by, defined once.

Sentence ends, list markers and bullets, a browser's print stamp, URL lines, callout labels. Each
pattern is compiled on first use (``Lazy``), so importing reflow compiles none of them: a
one-page conversion does not pay for the patterns it never reaches.

Vocabulary that one stage alone uses lives with that stage (the chrome phrases of article mode
in ``structure/chrome.py``, dates in ``structure/dates.py``, names in ``structure/names.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable


class Lazy:
    """A regular expression compiled the first time it is used. After that, ``match``,
    ``search`` and the other methods are the compiled pattern's own bound methods (looked up
    on the instance), so a hot loop pays nothing for the laziness.

    ``pattern`` is a string, or a function giving the compiled pattern or its ``(pattern,
    flags)``; in the latter case ``source()`` gives them without compiling, so a pattern built
    from another's text (``structure/chrome.py``'s fast forms) compiles only the one used."""

    def __init__(
        self, pattern: str | Callable[[], re.Pattern | tuple[str, int]], flags: int = 0
    ) -> None:
        self._source = pattern
        self._flags = flags

    def source(self) -> tuple[str, int]:
        """The pattern's text and flags, compiled only when a function gives it compiled."""
        got = self.__dict__.get("_compiled")
        if got is not None:
            return got.pattern, got.flags
        p = self._source
        if not callable(p):
            return p, self._flags
        made = self.__dict__.get("_made")
        if made is None:
            made = self._made = p()
        if isinstance(made, tuple):
            return made
        return self.compile().pattern, self.compile().flags

    def compile(self) -> re.Pattern:
        src = self.__dict__.get("_compiled")
        if src is not None:
            return src
        p = self._source
        if callable(p):
            made = self.__dict__.get("_made")
            compiled = made if made is not None else p()
            if isinstance(compiled, tuple):
                compiled = re.compile(*compiled)
            self.__dict__.pop("_made", None)
        else:
            compiled = re.compile(p, self._flags)
        self._compiled = compiled
        for name in ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split"):
            setattr(self, name, getattr(compiled, name))
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        return compiled

    def __getattr__(self, name: str):
        # Only reached for attributes not yet set: the first use.
        if name.startswith("__") or name in ("_source", "_flags", "_compiled", "_made"):
            raise AttributeError(name)
        return getattr(self.compile(), name)


# --------------------------------------------------------------------------------------------
# Sentences

# Characters a sentence can end with, closing quotes and brackets after it included; CJK full
# stops too (Chinese and Japanese text ends its sentences with 。！？).
SENTENCE_END_CHARS = frozenset(".!?:;…。！？'\"”’)]»")
SENTENCE_END = Lazy(r"[.!?:;…。！？]['\"”’)\]»]*$|[\"”»]$")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a sentence (or a clause: ``:`` and ``;`` count)."""
    text = text.rstrip()
    # Cheap test first: this runs for every line of every page.
    return bool(text) and text[-1] in SENTENCE_END_CHARS and bool(SENTENCE_END.search(text))


# --------------------------------------------------------------------------------------------
# Lists

# Bullets a list item may start with (followed by a space), and more that a symbol font draws.
BULLETS = "-–•●▪◦∙·*▸►✓"
GLYPH_BULLETS = BULLETS + "■□➢➤"
_B = re.escape(BULLETS)
# A list item: a bullet, "1." "1)" "(1)", "a." "a)", "iv." followed by text.
LIST_MARKER = Lazy(r"^(?:[" + _B + r"]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlc]{1,5}[.)])\s+\S")
# The same, with its parts named (to strip the marker and keep it).
LIST_MARKER_PARTS = Lazy(
    r"^(?:(?P<bullet>[" + _B + r"])|\(?(?P<num>\d{1,3}|[a-zA-Z]|[ivxlc]{1,5})(?P<close>[.)]))\s+"
)
BULLET_ITEM = Lazy(r"^[" + _B + r"]\s")  # a bulleted item (a list on its own)
BULLET_ONLY = Lazy(r"^[" + _B + r"]$")  # a bullet on a line of its own
_MARKER_START = frozenset(BULLETS + "(0123456789")


def maybe_marker(t: str) -> bool:
    """Cheap pre-test for LIST_MARKER (which would run for every line)."""
    return bool(t) and (t[0] in _MARKER_START or t[1:2] in (".", ")") or t[:1].lower() in "ivxlc")


# --------------------------------------------------------------------------------------------
# A browser's print header and footer: "8/16/20, 10:12 AM  Belarus ... - The Moscow Times" at
# the top of each page, "https://www.themoscowtimes.com/...  1/4" at the bottom.

# The date and time a browser stamps (12- or 24-hour clock).
PRINT_STAMP = r"\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
# The header line: the stamp, then the page title.
PRINT_DATE = Lazy(
    r"^(?P<date>\d{1,2}/\d{1,2}/\d{2,4}),?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:\s+(?P<title>.+))?$"
)
# A copy of the header left in a block's text (the stamp followed by more), anywhere.
PRINTED_AT = Lazy(r"\b" + PRINT_STAMP + r"(?=\s|$)|://")
# The page counter: "1/4".
PAGE_COUNTER = Lazy(r"^(?P<n>\d{1,4})\s*/\s*(?P<m>\d{1,4})$")
# The footer line: the page's URL, then the counter.
FOOTER_URL = Lazy(
    r"^(?P<url>(?:https?|file)://\S+|about:blank)(?:\s+(?P<n>\d{1,4})\s*/\s*(?P<m>\d{1,4}))?$"
)
# A footer line with its counter (extracted text: it closes its page).
PRINT_FOOTER_LINE = Lazy(r"^(?:(?:https?|file)://\S+|about:blank)\s+\d{1,4}\s*/\s*\d{1,4}$")
# What the furniture stage may leave of both in the text: a header line or a footer line.
PRINT_LEFTOVER = Lazy(r"^" + PRINT_STAMP + r"\s+\S|^(?:https?|file)://\S+\s+\d{1,4}\s*/\s*\d{1,4}$")

# --------------------------------------------------------------------------------------------
# URLs and labels

URL_LINE = Lazy(r"^\s*<?(https?://|www\.)\S+>?\s*$", re.IGNORECASE)


def is_url_line(text: str) -> bool:
    """A line that is a bare URL (an extractor's dump of a page's link targets)."""
    return bool(URL_LINE.match(text))


# "Related article: <headline>", "Read more: ...": a callout's label.
CALLOUT = Lazy(
    r"^(?P<label>(?:related|read|see|more|also|recommended|further|watch|listen|editor'?s? "
    r"pick|top|latest|previously|don't miss|must read)[\w ’']{0,28}?:)\s*\S",
    re.IGNORECASE,
)
# The same labels as a line of extracted text, which stands alone.
CALLOUT_LINE = Lazy(
    r"^(?:related|read (?:more|also)|see also|also read|more on this|recommended)"
    r"[\w ’']{0,20}:\s*\S",
    re.IGNORECASE,
)

# A float's caption label: "Table 1:", "Figure 2.", "Fig. 3", "Listing 4".
CAPTION_LABEL = Lazy(
    r"^(?:fig(?:ure)?|tab(?:le)?|listing|chart|exhibit|scheme|plate|algorithm)\.?\s*"
    r"(?:\d{1,3}|[ivx]{1,5})(?:\.\d{1,2})?\s*[.:]",
    re.IGNORECASE,
)

# A division's label standing alone above its title: "Chapter 1", "PART II", "Appendix A".
DIVISION_LABEL = Lazy(
    r"^(?:chapter|part|appendix|annex|book|kapitel|chapitre|cap[ií]tulo|teil)\s+"
    r"(?:\d{1,3}|[ivxlc]{1,6}|[a-z]|one|two|three|four|five|six|seven|eight|nine|ten)\.?$",
    re.IGNORECASE,
)

# Small words a wrapped title or a clause may end a line with ("Intervene in" / "Belarus").
SMALL_WORDS = frozenset(
    "a an the of in on at to for from by with and or but as into over under about".split()
)


def heading_like(text: str) -> bool:
    """Short, capitalised, and not ending like a sentence or a clause."""
    t = text.strip()
    words = t.split()
    return (
        0 < len(words) <= 12
        and t[:1].isupper()
        and t[-1] not in ".,;:!?…-—–\"”’'"
        and not LIST_MARKER.match(t)
    )


# --------------------------------------------------------------------------------------------
# Scripts

RTL_CHARS = Lazy(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def is_rtl(text: str) -> bool:
    """Most letters of ``text`` are of a right-to-left script (Hebrew, Arabic)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if RTL_CHARS.match(c)) * 2 > len(letters)


def is_cjk(ch: str) -> bool:
    """A Chinese or Japanese character or CJK punctuation (ideographs, kana, full-width forms)."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFF60  # full-width forms (not the half-width katakana after them)
    )
