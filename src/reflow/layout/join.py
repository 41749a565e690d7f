"""Joining lines into a paragraph's text: wraps, line-break hyphens, CJK, links carried along.

Used wherever lines become one text: building blocks, and healing blocks a page or column break
cut. Rules:

- ``join-wrap``: lines of one paragraph are joined with one space.
- ``line-break-hyphen``: "inter-" + "national" -> "international" when the joined word is a known
  word and the hyphenated form is not more likely; "anti-" + "Russian" keeps its hyphen (the second
  part is capitalised); "once-in-a-" + "generation" keeps it (the joined word is unknown); "16-"
  + "inch" is "16-inch" (no typesetter breaks a number inside).
- ``soft-hyphen``: a soft hyphen (U+00AD) broken at a line end is always joined without a hyphen.
- ``dash-join``: "word—" + "next" was "word—next".
- ``cjk-join``: Chinese and Japanese lines join without a space.
"""

from __future__ import annotations

from reflow.layout.words import COMMON, KNOWN, word_class
from reflow.lexicon import Lazy, is_cjk
from reflow.model import BBox, Block, BlockType, InlineLink, Line
from reflow.numbers import median
from reflow.rules import rule

SOFT_HYPHEN = "\u00ad"
HYPHENS = "-\u2010\u2011"
_WORD_TAIL = Lazy(r"([^\W_][\w']*)[" + HYPHENS + r"]$")
_WORD_HEAD = Lazy(r"^([\w']+)")


@rule("line-break-hyphen", stage="blocks")
def keep_hyphen(left: str, right: str) -> bool:
    """Decide whether a hyphen at a line end belongs to the word ("anti-Russian") or only to the
    line break ("inter-national"). ``left`` is the word before the hyphen, ``right`` after.
    "once-in-a-" + "generation", "well-" + "known": the joined form is no word (or a rare one)
    while both halves are common words, so the hyphen is real; after a number ("16-" + "inch",
    "2019-" + "20") it is the text's own ("16- inch" was written before). "inter-" + "national" joins into
    a word; "eir-" + "mod" (Latin filler, names) has no word in it: a typesetter's break either
    way.

    >>> keep_hyphen("anti", "Russian"), keep_hyphen("inter", "national")
    (True, False)
    """
    if not left or not right:
        return True
    if right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return True
    if word_class((left + right).lower()) >= KNOWN:
        return False
    return word_class(left.lower()) == COMMON and word_class(right.lower()) == COMMON


@rule("join-wrap", stage="blocks")
def join_texts(a: str, b: str, hyphens_marked: bool = False) -> tuple[str, int]:
    """Join two line texts of one paragraph with one space, or none where the break fell
    inside a word (``soft-hyphen``, ``line-break-hyphen``, ``dash-join``, ``cjk-join``).
    Returns the text and the offset at which ``b`` starts in it (for link offsets).
    ``hyphens_marked``: the document marks its own hyphenation (``Facts.hyphens_marked``), so
    a plain hyphen at a line end is the word's own."""
    if not a:
        return b, 0
    if not b:
        return a, len(a)
    if soft_hyphen(a):
        a = a[:-1]
        return a + b, len(a)
    m = _WORD_TAIL.search(a) if a[-1] in HYPHENS else None
    if m and not a[-2:-1].isspace():
        h = _WORD_HEAD.match(b)
        if h:
            if hyphens_marked or keep_hyphen(m.group(1), h.group(1)):
                return a + b, len(a)
            a = a[:-1]
            return a + b, len(a)
    if dash_join(a):
        return a + b, len(a)
    if cjk_join(a, b):
        return a + b, len(a)
    return a + " " + b, len(a) + 1


@rule("soft-hyphen", stage="blocks")
def soft_hyphen(a: str) -> bool:
    """A soft hyphen (U+00AD) at a line end is where the typesetter broke a word: the line
    joins the next without it, always ("com\u00ad" + "plaining")."""
    return a.endswith(SOFT_HYPHEN)


@rule("dash-join", stage="blocks")
def dash_join(a: str) -> bool:
    """ "word—" + "next" was "word—next": browsers break after a dash or a slash without a
    space; joined without one."""
    return a[-1] in "\u2014\u2013/" and not a[-2:-1].isspace()


@rule("cjk-join", stage="blocks")
def cjk_join(a: str, b: str) -> bool:
    """Chinese and Japanese set no spaces; a line may break between any two characters, so
    two such lines join without one. Korean spaces its words, so Hangul is not joined so, nor
    CJK next to Latin."""
    return is_cjk(a[-1]) and is_cjk(b[0])


def join_lines(lines: list[Line], hyphens_marked: bool = False) -> tuple[str, list[InlineLink]]:
    """The text of a paragraph made of ``lines`` and its links shifted into place."""
    text = ""
    links: list[InlineLink] = []
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        lead = len(ln.text) - len(ln.text.lstrip())
        text, off = join_texts(text, t, hyphens_marked)
        for lk in ln.links:
            s, e = lk.start - lead + off, lk.end - lead + off
            if e > s >= 0:
                links.append(InlineLink(s, e, lk.url))
    return text, merge_links(text, links)


@rule("wrapped-link", stage="blocks")
def merge_links(text: str, links: list[InlineLink]) -> list[InlineLink]:
    """One link wrapped over two lines is one link: neighbours with the same URL that only
    whitespace separates are merged."""
    links.sort(key=lambda lk: lk.start)
    out: list[InlineLink] = []
    for lk in links:
        if out and out[-1].url == lk.url and not text[out[-1].end : lk.start].strip():
            out[-1].end = max(out[-1].end, lk.end)
        else:
            out.append(InlineLink(lk.start, lk.end, lk.url))
    return out


def bbox_union(lines: list[Line]) -> BBox | None:
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return None
    if len(boxes) == 1:
        return boxes[0]
    x0, y0, x1, y1 = zip(*boxes, strict=True)
    return (min(x0), min(y0), max(x1), max(y1))


def make_block(
    lines: list[Line], type_: BlockType = BlockType.PARAGRAPH, hyphens_marked: bool = False
) -> Block:
    """A block of ``lines``: their joined text and links, box, pages, and the style most of
    their characters have (bold or italic when more than 60% are)."""
    text, links = join_lines(lines, hyphens_marked)
    sizes = []
    nchars = nbold = nitalic = 0
    origin = ""  # text not from the text layer (Line.origin): a table may hold field values
    for ln in lines:  # one pass: this runs for every block
        if ln.origin and not origin:
            origin = ln.origin
        n = len(ln.text)
        nchars += n
        if ln.bold:
            nbold += n
        if ln.italic:
            nitalic += n
        if ln.size:
            sizes.append(ln.size)
    nchars = nchars or 1
    page = lines[0].page
    pages = [page] if all(ln.page == page for ln in lines) else sorted({ln.page for ln in lines})
    return Block(
        type=type_,
        text=text,
        page=page,
        bbox=bbox_union(lines),
        links=links,
        lines=list(lines),
        bold=nbold / nchars > 0.6,
        italic=nitalic / nchars > 0.6,
        size=(sizes[0] if len(sizes) == 1 else median(sizes)) if sizes else 0.0,
        pages=pages,
        origin=origin,
    )
