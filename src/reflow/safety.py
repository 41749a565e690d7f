"""Limits and checks that keep reflow safe on hostile or broken input.

Three kinds of help live here:

- **Limits** (``Limits``, ``LIMITS``): per-document caps on time, input size, pages and work per
  page. The pipeline checks the size (``check_size``), the PDF reader takes its page and
  character caps from ``LIMITS`` and calls ``check_deadline`` once per page; all raise
  ``LimitExceededError`` instead of running away. Each cap can be changed by an environment
  variable (``REFLOW_TIMEOUT``, ``REFLOW_MAX_BYTES``, ``REFLOW_MAX_PAGES``,
  ``REFLOW_MAX_CHARS_PER_PAGE``, ``REFLOW_MAX_CHARS``).
- **A per-document deadline** (``time_limit``): a context manager that stops a conversion after
  ``seconds``. In the main thread a SIGALRM raises ``LimitExceededError`` at the next Python
  bytecode; with ``hard_exit=True`` (the single-file CLI) a watchdog thread also ends the process
  with one error line and exit code 8 if the work is stuck inside native code (PDFium) and the
  alarm cannot be delivered. Cooperative code calls ``check_deadline()`` in its loops.
- **Text-layer checks** (``garbage_score``, ``assess_text``, ``count_unmapped``,
  ``no_text_error``, ``check_text_layer``): pages that are only images (a scan) and text that is
  garbage because its fonts have no Unicode map (codes shown as control characters, private-use
  or unassigned code points, or letters of unrelated scripts jumbled in one word; the reader
  counts the characters PDFium could not map in ``Page.unmapped``). ``check_text_layer`` is the
  first pipeline stage: it adds warnings naming the pages, and raises ``NoTextLayerError`` (or
  ``EmptyDocumentError``) when a PDF has no usable text at all. ``check_output``, the last
  stage, warns when text went in and nothing came out.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from reflow.errors import EmptyDocumentError, LimitExceededError, NoTextLayerError, ReflowError
from reflow.lexicon import Lazy
from reflow.rules import rule

# --------------------------------------------------------------------------------------------
# Limits


def _env_num(name: str, default, cast=int):
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return cast(raw)
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Per-document caps. A legitimate document is far below every one of them: a dense page
    holds ~5,000 characters, a long report ~1,000 pages."""

    timeout: float = 120.0  # seconds per document
    max_bytes: int = 1 << 30  # input size (1 GiB)
    max_pages: int = 20_000
    max_chars_per_page: int = 200_000  # characters PDFium reports on one page
    max_chars: int = 20_000_000  # characters in the whole document

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            timeout=_env_num("REFLOW_TIMEOUT", d.timeout, float),
            max_bytes=_env_num("REFLOW_MAX_BYTES", d.max_bytes),
            max_pages=_env_num("REFLOW_MAX_PAGES", d.max_pages),
            max_chars_per_page=_env_num("REFLOW_MAX_CHARS_PER_PAGE", d.max_chars_per_page),
            max_chars=_env_num("REFLOW_MAX_CHARS", d.max_chars),
        )


LIMITS = Limits.from_env()


def _bytes(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_size(nbytes: int, label: str, limits: Limits = LIMITS) -> None:
    """Raise ``LimitExceededError`` for an input larger than ``limits.max_bytes``."""
    if nbytes > limits.max_bytes:
        raise LimitExceededError(
            label, f"file too large ({_bytes(nbytes)}; limit {_bytes(limits.max_bytes)})"
        )


# --------------------------------------------------------------------------------------------
# Deadline

_DEADLINE: ContextVar[tuple[float, float, str] | None] = ContextVar("reflow_deadline", default=None)


def _timeout_error(label: str, seconds: float) -> LimitExceededError:
    return LimitExceededError(label, f"timed out after {seconds:g} s (per-document limit)")


def check_deadline(label: str | None = None) -> None:
    """Raise ``LimitExceededError`` if the current ``time_limit`` has run out. Cheap: call it
    once per page or per few thousand objects."""
    d = _DEADLINE.get()
    if d is not None and time.monotonic() > d[0]:
        raise _timeout_error(label or d[2], d[1])


def remaining() -> float | None:
    """Seconds left under the current ``time_limit`` (None: no limit)."""
    d = _DEADLINE.get()
    return None if d is None else d[0] - time.monotonic()


def _hard_exit(label: str, seconds: float) -> None:  # pragma: no cover - ends the process
    try:
        sys.stderr.write(f"reflow: error: {_timeout_error(label, seconds)}\n")
        sys.stderr.flush()
    finally:
        os._exit(LimitExceededError.exit_code)


@contextmanager
def time_limit(
    seconds: float | None, label: str, *, hard_exit: bool = False, grace: float = 5.0
) -> Iterator[None]:
    """Stop the work inside the block after ``seconds`` with ``LimitExceededError``.

    The alarm (SIGALRM, main thread on POSIX only) interrupts Python code. Native code that never
    returns cannot be interrupted from inside the process: with ``hard_exit`` a watchdog thread
    then prints the error line and ends the process (exit code 8) ``grace`` seconds later. Use
    ``hard_exit`` only where ending the process is right (the single-file CLI; the batch runs each
    document in a worker process it can kill). ``seconds`` None or <= 0: no limit.
    """
    if not seconds or seconds <= 0:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + seconds, seconds, label))
    use_alarm = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    active = [True]
    old_handler = None
    outer, started = 0.0, time.monotonic()
    watchdog = None
    if hard_exit:  # started before the alarm is armed: an alarm must not hit Thread.start()
        watchdog = threading.Timer(seconds + grace, _hard_exit, args=(label, seconds))
        watchdog.daemon = True
        watchdog.start()
    try:
        if use_alarm:

            def on_alarm(signum, frame):
                if active[0]:
                    raise _timeout_error(label, seconds)

            old_handler = signal.signal(signal.SIGALRM, on_alarm)
            # An outer alarm (a nested time_limit, or the caller's own) is re-armed on the way out.
            outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            active[0] = False
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            if use_alarm:
                signal.signal(
                    signal.SIGALRM, old_handler if old_handler is not None else signal.SIG_DFL
                )
                if outer > 0:
                    left = outer - (time.monotonic() - started)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4))
            _DEADLINE.reset(token)


# --------------------------------------------------------------------------------------------
# Garbage text (fonts without a Unicode map)

# Code points that never appear in real text: C0/C1 controls (tab and line ends aside), private
# use, unassigned, surrogates, the replacement character and the non-characters.
_BAD_CATEGORIES = {"Cc", "Co", "Cn", "Cs"}
_OK_CONTROLS = set("\t\n\r\f\x02")  # \x02: PDFium's merged line-end hyphen
_BAD_CHARS = set("\ufffd\ufffe\uffff")
# Blocks that are rare in running text: a run of them inside ASCII words is a glyph-id soup
# (IPA extensions, spacing modifier letters, and combining marks with no letter to sit on).
_ODD_RANGES = ((0x0250, 0x02FF),)
# Latin Extended-B holds a few real letters (Romanian ș ț, Vietnamese ơ ư, Pinyin ǎ): weighed half.
_HALF_ODD_RANGES = ((0x0180, 0x024F),)


# Lines without any of these cannot score above 0: most lines, checked at C speed. Outside:
# ASCII, Latin-1 and Latin Extended-A letters, typographic punctuation (quotes, dashes,
# bullets), currency, letterlike symbols, arrows, maths operators, shapes.
_SUSPECT = Lazy(
    "[^\t\n\r\f\x20-\x7e\xa0-\u017f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
    "\u2100-\u214f\u2190-\u22ff\u25a0-\u26ff]"
)


@lru_cache(maxsize=1 << 16)
def _script(ch: str) -> str:
    """A coarse script name for a letter: LATIN, GREEK, CYRILLIC, ARABIC, CJK, HANGUL..."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "?"
    head = name.split(" ", 1)[0]
    if head in ("MATHEMATICAL", "FULLWIDTH", "HALFWIDTH"):
        return "SYMBOL"
    return head


def _char_badness(ch: str, prev: str) -> float:
    bad = _badness(ch)
    if bad < 0:  # a combining mark: fine on a letter, garbage on nothing
        return 0.0 if prev and prev.isalpha() else 1.0
    return bad


@lru_cache(maxsize=1 << 16)
def _badness(ch: str) -> float:
    if ch in _OK_CONTROLS:
        return 0.0
    if ch in _BAD_CHARS:
        return 1.0
    cat = unicodedata.category(ch)
    if cat in _BAD_CATEGORIES:
        return 1.0
    cp = ord(ch)
    for lo, hi in _ODD_RANGES:
        if lo <= cp <= hi:
            return 1.0
    for lo, hi in _HALF_ODD_RANGES:
        if lo <= cp <= hi:
            return 0.5
    if cat == "Mn":
        return -1.0
    return 0.0


# Scripts that mix inside one word in real text: Japanese writes kanji, hiragana and katakana
# together, Korean and Japanese words take Latin letters ("TV일반"). They count as one group.
_EAST_ASIAN = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "BOPOMOFO")
_NOT_A_SCRIPT = {"SYMBOL", "?"}


def _word_mix(word: str) -> bool:
    """A word whose letters come from unrelated scripts: what glyph ids read as code points look
    like ("ȧcŹΔλ" mixes Latin and Greek; "T打ᠣ䂿" Latin, CJK and Mongolian). Two alphabets need
    at least two letters each: one odd letter among many ("Hоme" with a Cyrillic o) is a
    homoglyph, not a font failure. East Asian scripts mix with one other script freely."""
    if word.isascii():
        return False
    counts: dict[str, int] = {}
    for c in word:
        if c.isalpha():
            s = _script(c)
            if s in _NOT_A_SCRIPT:
                continue
            s = "EAST_ASIAN" if s.startswith(_EAST_ASIAN) else s
            counts[s] = counts.get(s, 0) + 1
    if len(counts) >= 3:
        return True
    if len(counts) == 2 and "EAST_ASIAN" not in counts:
        return sorted(counts.values())[0] >= 2
    return False


def _counted(ch: str) -> bool:
    """A character that counts as text: not whitespace, except control characters that Python
    calls whitespace (\x1c-\x1f, \x85)."""
    return not ch.isspace() or (ch not in " \t\n\r\f\v" and unicodedata.category(ch) == "Cc")


def garbage_score(text: str) -> float:
    """Share (0..1) of the non-space characters of ``text`` that look like unmapped glyphs.

    >>> garbage_score("The river council met on Tuesday.")
    0.0
    >>> garbage_score("\\x01\\x04\\x05\\x06\\x07\\x05\\x04\\x08") > 0.9
    True
    """
    if not _SUSPECT.search(text):
        return 0.0  # fast path: Latin-1/Latin Extended-A text without control characters
    total = 0
    bad = 0.0
    for word in text.split():
        total += len(word)
        bad += _word_badness(word)
    # Some control characters (\x1c-\x1f, \x85) are whitespace to str.split(): count them here.
    k = len(_SPACE_CONTROLS.findall(text))
    total += k
    bad += k
    return min(1.0, bad / total) if total else 0.0


# The whitespace characters _counted counts (str.split() splits on them).
_SPACE_CONTROLS = Lazy("[\x1c-\x1f\x85]")


@lru_cache(maxsize=1 << 15)
def _word_badness(word: str) -> float:
    """A word's garbage weight for garbage_score. Cached: words repeat (text in a script outside
    the fast path, Cyrillic or Greek, is scored word by word)."""
    wbad = 0.0
    prev = ""
    for ch in word:
        wbad += _char_badness(ch, prev)
        prev = ch
    if len(word) >= 4 and _word_mix(word):
        wbad = max(wbad, len(word) * 0.75)
    return wbad


def _counted_chars(text: str) -> int:
    """How many characters of ``text`` _counted counts, without a Python step per character."""
    return len("".join(text.split())) + len(_SPACE_CONTROLS.findall(text))


GARBAGE_LINE = 0.3  # a line at or over this score is garbage
GARBAGE_PAGE = 0.3  # a page with this share of garbage characters is reported
GARBAGE_DOC = 0.8  # a PDF with this share of garbage characters has no usable text

# What PDFium gives for a glyph its font cannot map to Unicode: the raw code as a C0/C1 control
# character (a subset font without ToUnicode numbers its glyphs 1, 2, 3...), NUL, or U+FFFD.
# Not tab, line ends, form feed, or U+0002 (PDFium's merged line-end hyphen).
_UNMAPPED = Lazy("[\x00\x01\x03-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def count_unmapped(text: str) -> int:
    """Characters in a page's raw text (one per PDFium character) that have no Unicode meaning.
    Readers store it in ``Page.unmapped`` before they drop those characters.

    >>> count_unmapped("\\x01\\x04\\x05 ok\\r\\n")
    3
    """
    return len(_UNMAPPED.findall(text))


@dataclass
class TextQuality:
    """What ``assess_text`` found: characters seen, characters in garbage lines (plus unmapped
    ones), and the pages (1-based) where those hold at least ``GARBAGE_PAGE`` of the text."""

    chars: int = 0
    garbage_chars: int = 0
    pages: list[int] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.garbage_chars / self.chars if self.chars else 0.0


def assess_text(
    lines: Iterable[tuple[int, str]], unmapped: dict[int, int] | None = None
) -> TextQuality:
    """Score ``(page, line text)`` pairs, plus ``unmapped`` characters per page that the reader
    dropped: a pure function, no document needed.

    >>> assess_text([(1, "Plain words here."), (2, "\\x01\\x02\\x03\\x04\\x05\\x06")]).pages
    [2]
    """
    per_page: dict[int, list[int]] = {}
    for page, n in (unmapped or {}).items():
        if n > 0:
            per_page[page] = [n, n]
    for page, text in lines:
        if not text:
            continue
        if _SUSPECT.search(text) is None:  # fast path: most lines
            n, g = len(text) - text.count(" "), 0
        else:
            n = _counted_chars(text)
            g = n if garbage_score(text) >= GARBAGE_LINE else 0
        if n <= 0:
            continue
        acc = per_page.setdefault(page, [0, 0])
        acc[0] += n
        acc[1] += g
    q = TextQuality()
    for n, g in per_page.values():
        q.chars += n
        q.garbage_chars += g
    q.pages = sorted(p for p, (n, g) in per_page.items() if n and g / n >= GARBAGE_PAGE)
    return q


def _page_list(pages: list[int], limit: int = 12) -> str:
    """ "page 3", "pages 2, 5, 7", "pages 1-4, 9" (ranges collapsed, long lists cut)."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    more = ""
    if len(parts) > limit:
        more = f" (+{len(parts) - limit} more)"
        parts = parts[:limit]
    word = "page" if len(pages) == 1 else "pages"
    return f"{word} {', '.join(parts)}{more}"


def no_text_error(doc, hint: str | None = None) -> ReflowError:
    """The error for a PDF without one usable line: unmapped fonts, a scan, or blank pages.
    ``hint``: what the user can do about a scan (the OCR reader says: install the extra, turn
    ``--ocr`` on); the default is "run OCR first"."""
    label, n = doc.source, len(doc.pages)
    hint = hint or "run OCR first"
    unmapped = [p.number for p in doc.pages if getattr(p, "unmapped", 0)]
    images = [p.number for p in doc.pages if p.images]
    if unmapped:
        count = sum(p.unmapped for p in doc.pages)
        return NoTextLayerError(
            label,
            f"text layer is unreadable ({count:,} characters from fonts without a Unicode map "
            f"on {_page_list(unmapped)}; {hint})",
        )
    if images:
        return NoTextLayerError(
            label,
            f"no text layer ({len(images)} page{'s' if len(images) != 1 else ''} with images;"
            f" a scan? {hint})",
        )
    return EmptyDocumentError(label, f"no text on any of its {n} page{'s' if n != 1 else ''}")


@rule("text-layer", stage="text-layer")
def check_text_layer(doc):
    """Pipeline stage: refuse a PDF with no usable text; report garbage text.

    - No text line anywhere in a PDF: ``no_text_error`` (``NoTextLayerError`` for a scan or for
      fonts without a Unicode map, ``EmptyDocumentError`` for blank pages). Pages with images
      and no text in an otherwise good PDF are warned about by the reader.
    - Text from fonts without a Unicode map (``assess_text``): a warning naming the pages; a PDF
      that is nearly all garbage gets ``NoTextLayerError``. Extracted-text input (``kind ==
      "text"``) only ever gets the warning.
    """
    is_pdf = doc.kind == "pdf"
    if is_pdf and doc.pages and not any(ln.text.strip() for ln in doc.lines()):
        raise no_text_error(doc)
    unmapped = {p.number: p.unmapped for p in doc.pages if getattr(p, "unmapped", 0)}
    q = assess_text(((ln.page, ln.text) for ln in doc.lines()), unmapped)
    if q.garbage_chars:
        if is_pdf and q.share >= GARBAGE_DOC:
            raise NoTextLayerError(
                doc.source,
                "text layer is unreadable (fonts without a Unicode map: "
                f"{q.share:.0%} of the text is garbage; run OCR first)",
            )
        if q.pages:
            _warn(
                doc,
                f"{_page_list(q.pages)}: text looks garbled (fonts without a Unicode map?); "
                "check the output or run OCR",
            )
    return doc


@rule("empty-result", stage="output")
def check_output(doc):
    """Pipeline stage (last): text went in but no block came out, everything was taken as page
    furniture or site chrome. Not an error (``removed`` lists each line and why), but the user
    must not get an empty result without a word: a warning says so."""
    if not doc.blocks:
        n = len(doc.removed)
        if n:
            _warn(
                doc,
                f"no text left: all {n} line{'s' if n != 1 else ''} taken out as page "
                "furniture or boilerplate (listed under 'removed' in --to json)",
            )
    return doc


def _warn(doc, message: str) -> None:
    if message not in doc.warnings:
        doc.warnings.append(message)
