"""Markdown escaping: a backslash only where CommonMark (with GFM's tables and strikethrough)
would read the text as syntax.

Text a reader keeps verbatim must come back verbatim from any CommonMark parser, and nothing
more is escaped than that needs: a Markdown consumer that reads TeX math takes ``\\[`` ... ``\\]``
as a display formula, so escaping every bracket ("[1] A. Author", "[표 1]") turned references into
formulas. What is escaped, and why (CommonMark 0.31, GFM):

- ``]`` before ``(`` or ``[``, and ``!`` before a link (an inline link, a reference link, an
  image); brackets inside a link's anchor text. A bracket pair alone is text: reflow writes no
  link reference definitions, so ``[1]`` is no link.
- ``*``, ``_``, ``~``: a delimiter that could open or close emphasis (or strikethrough), when the
  block holds another one it could pair with (one alone never forms emphasis), or always inside
  emphasis reflow adds. An underscore inside a word (QIBM_DB_ZDA) and a star between spaces
  ("5 * 3") are never delimiters.
- backticks, when there are two or more (a code span needs a closing run);
- ``<`` before a letter, ``/``, ``!`` or ``?`` (raw HTML, autolinks); ``&`` before an entity name;
- ``\\`` before ASCII punctuation or at the end of a run of text (it would escape what follows);
- at the start of a line: what would open a heading, a list, a quote, a thematic break, a code
  fence, a link reference definition, or (after the first line) a setext heading underline.
"""

from __future__ import annotations

import re

from reflow.lexicon import Lazy

_ANY = Lazy(r"[\\`*_~\[\]<&!]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_HTML_START = Lazy(r"[A-Za-z/!?]")
_ENTITY = Lazy(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# What a line may start with that is not text: ATX heading, list item (also empty), quote,
# thematic break, fence, link reference definition (incl. GFM footnote definitions).
_LINE_START = Lazy(
    r"#{1,6}(?:\s|$)|[-+*](?:\s|$)|>|\d{1,9}[.)](?:\s|$)|(?:[-*_][ \t]*){3,}$|```|~~~|\[[^\]]*\]:"
)
# After a paragraph's first line, a line of = or - underlines it as a setext heading.
_SETEXT = Lazy(r"(?:=+|-+)[ \t]*$")
_HEADING_CLOSE = Lazy(r"(?:^|\s)(#+)\s*$")


def _delims(text: str, ch: str, intraword_ok: bool) -> list[int]:
    """Positions of ``ch`` that could be emphasis delimiters: not between two spaces (and, for
    ``_``, not inside a word)."""
    out = []
    n = len(text)
    i = text.find(ch)
    while i >= 0:
        prev = text[i - 1] if i else " "
        j = i
        while j < n and text[j] == ch:
            j += 1
        nxt = text[j] if j < n else " "
        run = range(i, j)
        if prev.isspace() and nxt.isspace():
            pass
        elif not intraword_ok and prev.isalnum() and nxt.isalnum():
            pass
        else:
            out.extend(run)
        i = text.find(ch, j)
    return out


def escape_positions(text: str, starts: set[int], anchors: list[tuple[int, int]],
                     emphasized: bool = False) -> set[int]:  # fmt: skip
    """Offsets in ``text`` that need a backslash before them. ``starts``: offsets where a link
    begins (the output has ``[`` there); ``anchors``: the links' (start, end)."""
    out: set[int] = set()
    if not _ANY.search(text):
        return out
    n = len(text)
    bounds = starts | {e for _, e in anchors}
    for ch, intraword in (("*", True), ("_", False), ("~", True)):
        if ch in text:
            pos = _delims(text, ch, intraword)
            if len(pos) >= 2 or (pos and emphasized and ch == "*"):
                out.update(pos)
    if text.count("`") >= 2:
        out.update(i for i, c in enumerate(text) if c == "`")
    inside = [False] * n if anchors else None
    if inside is not None:
        for a, b in anchors:
            for k in range(a, b):
                inside[k] = True
    for m in re.finditer(r"[\\\[\]<&!]", text):
        i = m.start()
        c = m.group()
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "\\":
            if nxt in _ASCII_PUNCT or nxt in ("", "\n") or i + 1 in bounds:
                out.add(i)
        elif c in "[]":
            if inside is not None and inside[i]:
                out.add(i)
            elif c == "]" and (nxt in ("(", "[") or i + 1 in starts):
                out.add(i)
        elif c == "<":
            if _HTML_START.match(nxt):
                out.add(i)
        elif c == "&":
            if _ENTITY.match(text, i):
                out.add(i)
        elif c == "!" and i + 1 in starts:
            out.add(i)
    return out


def _insert(text: str, a: int, b: int, marks: set[int]) -> str:
    if not marks:
        return text[a:b]
    pieces, pos = [], a
    for i in sorted(k for k in marks if a <= k < b):
        pieces.append(text[pos:i])
        pieces.append("\\")
        pos = i
    pieces.append(text[pos:b])
    return "".join(pieces)


def escape_text(text: str, emphasized: bool = False) -> str:
    """``text`` as Markdown inline content (no links)."""
    return _insert(text, 0, len(text), escape_positions(text, set(), [], emphasized))


def link_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inline_markdown(text: str, links: list, emphasized: bool = False, notes=()) -> str:
    """``text`` with its inline links (``InlineLink``s) and footnote references (``NoteRef``s,
    each written ``[^marker]`` in place of the printed mark), escaped. Overlapping or
    out-of-range links are dropped, and references inside a link."""
    ok: list = []
    pos = 0
    spans = [*links, *notes]
    for lk in sorted(spans, key=lambda lk: (lk.start, hasattr(lk, "marker"))):
        if lk.start < pos or lk.end > len(text) or lk.start >= lk.end:
            continue
        ok.append(lk)
        pos = lk.end
    anchors = [(lk.start, lk.end) for lk in ok if not hasattr(lk, "marker")]
    marks = escape_positions(text, {lk.start for lk in ok}, anchors, emphasized)
    out, pos = [], 0
    for lk in ok:
        out.append(_insert(text, pos, lk.start, marks))
        if hasattr(lk, "marker"):
            out[-1] = out[-1].rstrip(" ")  # "idea. 2" printed apart: "idea.[^2]"
            out.append(f"[^{note_label(lk.marker)}]")
        else:
            out.append(f"[{_insert(text, lk.start, lk.end, marks)}]({link_url(lk.url)})")
        pos = lk.end
    out.append(_insert(text, pos, len(text), marks))
    return "".join(out)


def note_label(marker: str) -> str:
    """A footnote's label in ``[^label]``: its mark, without what would end the label."""
    return re.sub(r"[\s\]\[^]", "", marker) or "note"


def _line_start(line: str, first: bool) -> str:
    if not line or line[0] == "\\":
        return line
    if _LINE_START.match(line) or (not first and _SETEXT.match(line)):
        m = re.match(r"\d{1,9}", line)
        if m:
            return m.group() + "\\" + line[m.end() :]
        return "\\" + line
    return line


def escape_line_starts(md: str) -> str:
    """Escape what would open a block at the start of each line of an escaped paragraph."""
    if "\n" not in md:
        return _line_start(md, True)
    lines = md.split("\n")
    return "\n".join(_line_start(ln.lstrip(" \t"), i == 0) for i, ln in enumerate(lines))


def escape_heading_end(md: str) -> str:
    """A heading's text ending in " #" would lose it as a closing sequence."""
    m = _HEADING_CLOSE.search(md)
    if m:
        i = m.start(1)
        return md[:i] + "\\" + md[i:]
    return md
