"""Healing: make text whole again across line wraps, hyphenation, columns and pages.

Rules:
- ``join-wrap``: lines of one paragraph are joined with one space.
- ``line-break-hyphen``: "inter-" + "national" -> "international" when the joined word is a known
  word and the hyphenated form is not more likely; "anti-" + "Russian" keeps its hyphen (the second
  part is capitalised); "once-in-a-" + "generation" keeps it (the joined word is unknown).
- ``soft-hyphen``: a soft hyphen (U+00AD) broken at a line end is always joined without a hyphen.
- ``page-break-sentence``: a paragraph that ends mid-sentence at the end of a page or column, and
  a paragraph that starts in lower case on the next one, are one paragraph ("A short" /
  "statement of solidarity").
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from reflow.model import Block, Document, InlineLink, Line
from reflow.structure.links import carry_across_page
from reflow.structure.words import COMMON, KNOWN, word_class

SOFT_HYPHEN = "\u00ad"
HYPHENS = "-\u2010\u2011"
# A sentence (or block) can end here: terminal punctuation, optionally followed by closing quotes.
SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)\]»]*$|[\"”»]$")
_WORD_TAIL = re.compile(r"([^\W\d_][\w']*)[" + HYPHENS + r"]$")
_WORD_HEAD = re.compile(r"^([\w']+)")


def keep_hyphen(left: str, right: str) -> bool:
    """Decide whether a hyphen at a line end belongs to the word ("anti-Russian") or only to the
    line break ("inter-national"). ``left`` is the word before the hyphen, ``right`` after.

    >>> keep_hyphen("anti", "Russian"), keep_hyphen("inter", "national")
    (True, False)
    """
    if not left or not right:
        return True
    if right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return True
    # "once-in-a-" + "generation", "well-" + "known": the joined form is no word (or a rare
    # one) while both halves are common words, so the hyphen is real. "inter-" + "national"
    # joins into a word; "eir-" + "mod" (Latin filler, names) has no word in it: a typesetter's
    # break either way.
    if word_class((left + right).lower()) >= KNOWN:
        return False
    return word_class(left.lower()) == COMMON and word_class(right.lower()) == COMMON


# rule marked-breaks: Chromium (Skia/PDF) prints mark their own hyphenation (a soft hyphen, or
# U+2010, which the reader turns into a soft break); a plain hyphen-minus at a line end there is
# the word's own ("pro-" + "Western", "once-in-a-" + "generation"). Such documents need no word
# list, which also spares loading one (~45 MB) for every browser print.
HYPHENS_MARKED: ContextVar[bool] = ContextVar("reflow_hyphens_marked", default=False)


def hyphens_marked(doc: Document) -> bool:
    return doc.kind == "pdf" and "Skia/PDF" in (doc.info.get("Producer") or "")


def join_texts(a: str, b: str) -> tuple[str, int]:
    """Join two line texts of one paragraph. Returns the text and the offset at which ``b``
    starts in it (for link offsets)."""
    if not a:
        return b, 0
    if not b:
        return a, len(a)
    if a.endswith(SOFT_HYPHEN):
        a = a[:-1]
        return a + b, len(a)
    m = _WORD_TAIL.search(a) if a[-1] in HYPHENS else None
    if m and not a[-2:-1].isspace():
        h = _WORD_HEAD.match(b)
        if h:
            if HYPHENS_MARKED.get() or keep_hyphen(m.group(1), h.group(1)):
                return a + b, len(a)
            a = a[:-1]
            return a + b, len(a)
    if a[-1] in "\u2014\u2013/" and not a[-2:-1].isspace():
        # "word—" + "next" was "word—next": browsers break after a dash without a space.
        return a + b, len(a)
    if _cjk(a[-1]) and _cjk(b[0]):
        # rule cjk-join: Chinese and Japanese set no spaces; a line may break between any two
        # characters (Korean spaces its words, so Hangul is not joined so).
        return a + b, len(a)
    return a + " " + b, len(a) + 1


def _cjk(ch: str) -> bool:
    """A Chinese or Japanese character or CJK punctuation (ideographs, kana, full-width forms)."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFF60  # full-width forms (not the half-width katakana after them)
    )


def join_lines(lines: list[Line]) -> tuple[str, list[InlineLink]]:
    """The text of a paragraph made of ``lines`` and its links shifted into place."""
    text = ""
    links: list[InlineLink] = []
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        lead = len(ln.text) - len(ln.text.lstrip())
        text, off = join_texts(text, t)
        for lk in ln.links:
            s, e = lk.start - lead + off, lk.end - lead + off
            if e > s >= 0:
                links.append(InlineLink(s, e, lk.url))
    return text, _merge_links(text, links)


def _merge_links(text: str, links: list[InlineLink]) -> list[InlineLink]:
    """One link wrapped over two lines is one link: merge neighbours with the same URL that are
    separated only by whitespace."""
    links.sort(key=lambda lk: lk.start)
    out: list[InlineLink] = []
    for lk in links:
        if out and out[-1].url == lk.url and not text[out[-1].end : lk.start].strip():
            out[-1].end = max(out[-1].end, lk.end)
        else:
            out.append(InlineLink(lk.start, lk.end, lk.url))
    return out


_END_CHARS = frozenset(".!?:;…'\"”’)]»")


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    # Cheap test first: this runs for every line of every page.
    return bool(text) and text[-1] in _END_CHARS and bool(SENTENCE_END.search(text))


# Tagged roles of running text a break may cut (a heading or a cell is not continued).
_FLOW_ROLES = frozenset({"p", "li", "quote"})


def _same_element(prev: Block, nxt: Block) -> bool:
    """rule tagged-continuation: a tagged PDF says the two parts are one paragraph (one
    structure element), also where the break falls right after a sentence."""
    if not prev.lines or not nxt.lines:
        return False
    a, b = prev.lines[-1].tag, nxt.lines[0].tag
    return (
        a is not None
        and b is not None
        and a.element != 0
        and a.element == b.element
        and a.role == b.role
        and a.role in _FLOW_ROLES
    )


def _continues(prev: Block, nxt: Block) -> bool:
    """rule page-break-sentence: ``nxt`` continues ``prev`` across a page or column break."""
    if prev.type != "paragraph" or nxt.type != "paragraph":
        return False
    if _same_element(prev, nxt):
        return True
    a, b = prev.text.rstrip(), nxt.text.lstrip()
    if not a or not b:
        return False
    if a.endswith(SOFT_HYPHEN) or (a[-1] in HYPHENS and a[-2:-1].isalpha()):
        return True
    if ends_sentence(a):
        return False
    # Continuation: lower-case start, or a start that cannot begin a sentence.
    if b[0].islower() or b[0] in ",;)]}":
        return True
    # A sentence cut before a capitalised word ("support from" / "European states"): the previous
    # block is long running text ending in a lower-case word, set like the next one. A heading
    # at the foot of a page is short, or set differently, so it is not glued to what follows.
    last = a.split()[-1]
    if len(a.split()) >= 8 and last[:1].islower() and _same_set(prev, nxt):
        return True
    return False


def _same_set(a: Block, b: Block) -> bool:
    if a.size and b.size and abs(a.size - b.size) > 0.05 * max(a.size, b.size):
        return False
    return a.bold == b.bold and a.italic == b.italic


def heal(doc: Document) -> Document:
    """Join paragraphs broken by a page or column break."""
    token = HYPHENS_MARKED.set(hyphens_marked(doc))
    try:
        return _heal(doc)
    finally:
        HYPHENS_MARKED.reset(token)


def _heal(doc: Document) -> Document:
    out: list[Block] = []
    for b in doc.blocks:
        prev = out[-1] if out else None
        # A page break, or a column break (the next block starts above the previous one).
        boundary = prev is not None and (
            b.page != prev.page
            or (b.bbox is not None and prev.bbox is not None and b.bbox[1] < prev.bbox[1])
        )
        if prev is not None and boundary and _continues(prev, b):
            text, off = join_texts(prev.text, b.text)
            if b.page != prev.page and prev.links and 0 < b.page <= len(doc.pages):
                urls = {lk.url for lk in doc.pages[b.page - 1].links}
                urls -= {lk.url for lk in b.links}  # the next page's piece anchored: no bug
                if urls:
                    carry_across_page(prev.text, prev.links, b.text, off, urls)
            prev.links.extend(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in b.links)
            prev.links = _merge_links(text, prev.links)
            prev.text = text
            prev.lines.extend(b.lines)
            for p in b.pages or [b.page]:
                if p not in prev.pages:
                    prev.pages.append(p)
            continue
        out.append(b)
    doc.blocks = out
    return doc
