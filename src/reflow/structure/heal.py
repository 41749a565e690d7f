"""Healing: paragraphs made whole across page and column breaks.

Reads and rewrites ``doc.blocks``: a block that a page or column break cut is joined to its
other part (text, links, lines, pages). The joining itself (wraps, hyphens) is
``layout/join.py``'s. Rules:

- ``tagged-continuation``: a tagged PDF names one structure element on both sides of the break.
- ``page-break-sentence``: a paragraph that ends mid-sentence at the end of a page or column, and
  a paragraph that starts in lower case on the next one, are one paragraph ("A short" /
  "statement of solidarity").
- ``page-break-full-line``: a paragraph whose last line is as wide as the column goes on.
- ``quote-comma``: a quotation closed after a comma goes on with its attribution in lower case.
- ``break-past-footnotes``: footnotes closing a page or column are skipped to find the
  paragraph the next one continues (they stay where they are).
- ``code-across-break``: a code block cut by a page or column break is one block.
- ``table-across-break``: so is a table, its header row repeated on the next page dropped.
- ``break-past-floats``: a float opening the next page or column (a table, a caption) is
  passed to find the paragraph's rest; the float follows the joined paragraph.
"""

from __future__ import annotations

from reflow.layout.join import HYPHENS, SOFT_HYPHEN, join_texts, merge_links
from reflow.layout.paragraphs import ends_sentence_marked
from reflow.lexicon import CAPTION_LABEL, Lazy, ends_sentence
from reflow.model import Block, BlockType, Document, InlineLink, NoteRef
from reflow.rules import rule
from reflow.settings import HealSettings
from reflow.structure.links import carry_across_page

# Tagged roles of running text a break may cut (a heading or a cell is not continued).
_FLOW_ROLES = frozenset({"p", "li", "quote"})


@rule("tagged-continuation", stage="heal")
def same_element(prev: Block, nxt: Block) -> bool:
    """A tagged PDF says the two parts are one paragraph (one structure element: PDFium keeps
    an element's path of child indices the same on every page), also where the break falls
    right after a sentence."""
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


@rule("page-break-sentence", stage="heal")
def continues(prev: Block, nxt: Block, s: HealSettings) -> bool:
    """``nxt`` continues ``prev`` across a page or column break: ``prev`` ends in a hyphen or
    without ending a sentence, and ``nxt`` starts in lower case or with what cannot begin a
    sentence; or a long paragraph ends in a lower-case word and the next, set alike, goes on
    with a capitalised one ("support from" / "European states")."""
    if prev.type != BlockType.PARAGRAPH or nxt.type != BlockType.PARAGRAPH:
        return False
    if same_element(prev, nxt):
        return True
    a, b = prev.text.rstrip(), nxt.text.lstrip()
    if not a or not b:
        return False
    if a.endswith(SOFT_HYPHEN) or (a[-1] in HYPHENS and a[-2:-1].isalpha()):
        return True
    if quote_comma(a, b):
        return True
    if ends_sentence_marked(a):
        return False  # a sentence's end, a footnote's mark after it included ("love.”1")
    # Continuation: lower-case start, or a start that cannot begin a sentence.
    if b[0].islower() or b[0] in ",;)]}":
        return True
    # A sentence cut before a capitalised word ("support from" / "European states"): the previous
    # block is long running text ending in a lower-case word, set like the next one. A heading
    # at the foot of a page is short, or set differently, so it is not glued to what follows.
    if CAPTION_LABEL.match(b):
        return False  # a float's caption at the next page's or column's top
    last = a.split()[-1]
    if len(a.split()) >= s.capital_min_words and last[:1].islower() and _same_set(prev, nxt, s):
        return True
    return full_last_line(prev, nxt, s) or sentence_tail(prev, nxt, s)


@rule("page-break-tail", stage="heal")
def sentence_tail(prev: Block, nxt: Block, s: HealSettings) -> bool:
    """One line that ends a sentence, set like the running text before the break, which ends
    none (nor a clause: no colon), is that text's last line, whatever its first word
    ("... Proceedings of the Annual" / "Conference on Public Information, 2019."). A heading
    ends in no full stop; the text before the break has ``capital_min_words`` words or more."""
    a, b = prev.text.rstrip(), nxt.text.strip()
    return (
        len(nxt.lines) == 1
        and ends_sentence(b)
        and a[-1:] not in ":;"
        and len(a.split()) >= s.capital_min_words
        and _same_set(prev, nxt, s)
    )


_QUOTE_COMMA = Lazy(r",[”’\"'»]+$")


@rule("quote-comma", stage="heal")
def quote_comma(a: str, b: str) -> bool:
    """A quotation closed after a comma ("... a member of the royal family,”") ends no
    sentence when the text after the break goes on in lower case ("said one legal expert"):
    the attribution follows. A closing quote read as a sentence's end had cut the paragraph
    at a column break."""
    return bool(_QUOTE_COMMA.search(a)) and b[:1].islower()


@rule("page-break-full-line", stage="heal")
def full_last_line(prev: Block, nxt: Block, s: HealSettings) -> bool:
    """A paragraph whose last line runs as wide as the column the text goes on in, without
    ending a sentence, did not end at the break, whatever the next word ("Trade Representative
    Robert" / "Lighthizer recognize ...": a name across a column break). A heading at a page's
    foot is short; a paragraph's last line falls short of the column's edge. Judged when the
    last line has a few words and the next block is running text of two lines or more (its
    width is its column's; "Chapter 2 Findings" is not)."""
    if (
        not prev.lines
        or len(nxt.lines) < 2
        or not nxt.bbox
        or len(prev.lines[-1].text.split()) < s.full_line_min_words
        or len(nxt.text.split()) < s.capital_min_words
        or not _same_set(prev, nxt, s)
    ):
        return False
    box = prev.lines[-1].bbox
    if box is None:
        return False
    width = nxt.bbox[2] - nxt.bbox[0]  # a paragraph of two lines or more: its column's width
    return width > 0 and box[2] - box[0] >= s.full_line_share * width


def _same_set(a: Block, b: Block, s: HealSettings) -> bool:
    if a.size and b.size and abs(a.size - b.size) > s.same_size_share * max(a.size, b.size):
        return False
    return a.bold == b.bold and a.italic == b.italic


@rule("break-past-footnotes", stage="heal")
def past_footnotes(out: list[Block], nxt: Block, s: HealSettings, body: float = 0.0) -> int:
    """Where a page or column ends in footnotes (or a float's caption) set smaller than the
    text, the paragraph the next page or column continues is the one above them: the index in
    ``out`` of the block to try (the last one when nothing smaller closes the page). The
    blocks passed are smaller than the body text (``body``, ``Facts.body_size``) and than both
    that paragraph and the next block, which are set alike (a heading's size does not make the
    body text above it footnotes).
    A two-column paper's footnote under the left column split every paragraph that ran on into
    the right one."""
    last = len(out) - 1
    j = last
    limit = (1 - s.smaller_share) * min(nxt.size or 0, body or nxt.size or 0)
    while j > 0 and out[j].page == out[last].page and out[j].size and out[j].size < limit:
        j -= 1
    if j == last or out[j].page != out[last].page:
        return last
    cand = out[j]
    if not _same_set(cand, nxt, s) or any(
        b.size >= (1 - s.smaller_share) * cand.size for b in out[j + 1 :]
    ):
        return last
    return j


def _float(b: Block, prev: Block, s: HealSettings) -> bool:
    return (
        b.type == BlockType.TABLE
        or bool(CAPTION_LABEL.match(b.text))
        or bool(b.size and prev.size and b.size < (1 - s.smaller_share) * prev.size)
    )


@rule("break-past-floats", stage="heal")
def past_floats(blocks: list[Block], i: int, prev: Block, s: HealSettings) -> int | None:
    """Where the next page or column opens with a float (a table, a figure's or a table's
    caption, text set smaller than the paragraph) and the paragraph goes on below it, the index
    of the block that goes on (the float stays after the joined paragraph): a paragraph cut by
    a page break right where LaTeX put a table at the next page's top came out in two halves
    around the table. At most ``float_max_blocks`` blocks of one float are passed."""
    b = blocks[i]
    if not _float(b, prev, s):
        return None
    for j in range(i + 1, min(len(blocks), i + 1 + s.float_max_blocks)):
        c = blocks[j]
        if c.page != b.page:
            return None
        if not _float(c, prev, s):
            return j if continues(prev, c, s) else None
    return None


@rule("code-across-break", stage="heal")
def code_continues(prev: Block, nxt: Block, s: HealSettings) -> bool:
    """A code block that a page or column break cut goes on in the code block right after the
    break, set in the same size (a listing longer than the page's rest)."""
    return (
        prev.type == BlockType.CODE
        and nxt.type == BlockType.CODE
        and abs((prev.size or 0) - (nxt.size or 0)) <= s.smaller_share * max(prev.size, 1.0)
    )


@rule("table-across-break", stage="heal")
def table_continues(prev: Block, nxt: Block) -> bool:
    """A table that a page or column break cut goes on in the table right after the break
    with as many columns (its header row, when the next page repeats it, is dropped), also
    past the footnotes printed under its first part."""
    return (
        prev.type == BlockType.TABLE
        and nxt.type == BlockType.TABLE
        and bool(prev.rows)
        and bool(nxt.rows)
        and len(prev.rows[0]) == len(nxt.rows[0])
    )


def _table_before(out: list[Block], b: Block, s: HealSettings) -> Block | None:
    """The table ``b`` continues: the last block before the break, or one at most
    ``table_notes_max_blocks`` blocks above it on the same page (the notes under it)."""
    last = out[-1]
    for k in range(len(out) - 1, max(-1, len(out) - 2 - s.table_notes_max_blocks), -1):
        t = out[k]
        if t.page != last.page:
            return None
        if t.type == BlockType.TABLE:
            return t if table_continues(t, b) else None
    return None


def _join_tables(prev: Block, b: Block) -> None:
    drop = b.rows[0] == prev.rows[0]
    rows = b.rows[1:] if drop else b.rows
    cut = len(b.text.split("\n", 1)[0]) + 1 if drop and len(b.rows) > 1 else 0
    if drop and len(b.rows) == 1:
        cut = len(b.text) + 1
    off = len(prev.text) + 1 - cut
    prev.links = prev.links + [
        InlineLink(lk.start + off, lk.end + off, lk.url) for lk in b.links if lk.start >= cut
    ]
    prev.rows = prev.rows + rows
    prev.text = prev.text + ("\n" + b.text[cut:] if rows else "")
    _extend(prev, b)


def _extend(prev: Block, b: Block) -> None:
    prev.lines.extend(b.lines)
    for p in b.pages or [b.page]:
        if p not in prev.pages:
            prev.pages.append(p)


def heal(doc: Document) -> Document:
    """Join paragraphs broken by a page or column break."""
    s = doc.settings.heal
    out: list[Block] = []
    blocks = list(doc.blocks)
    for i in range(len(blocks)):
        b = blocks[i]
        at = past_footnotes(out, b, s, doc.facts.body_size or 0.0) if out else -1
        prev = out[at] if out else None
        # A page break, or a column break (the next block starts above the previous one).
        boundary = prev is not None and across_break(prev, b)
        if b.type == BlockType.TABLE and prev is not None and boundary:
            t = _table_before(out, b, s)
            if t is not None:
                _join_tables(t, b)
                continue
        if prev is not None and boundary and code_continues(prev, b, s):
            prev.text += "\n" + b.text
            _extend(prev, b)
            continue
        if prev is not None and boundary and not continues(prev, b, s):
            j = past_floats(blocks, i, prev, s)
            if j is not None:  # the paragraph's rest goes before the float
                blocks.insert(i, blocks.pop(j))
                b = blocks[i]
        if prev is not None and boundary and continues(prev, b, s):
            join_paragraphs(doc, prev, b)
            continue
        out.append(b)
    doc.blocks = out
    return doc


@rule("column-break-beside", stage="heal")
def across_break(prev: Block, b: Block) -> bool:
    """``b`` is on a later page than ``prev``, or in the next column: it starts above it, or
    beside it, right of it and above its bottom (a column that starts as high as the cut
    paragraph did: a reference list's entry whose last line opens the right column)."""
    if b.page != prev.page:
        return True
    if b.bbox is None or prev.bbox is None:
        return False
    return b.bbox[1] < prev.bbox[1] or (b.bbox[1] < prev.bbox[3] and b.bbox[0] >= prev.bbox[2])


def join_paragraphs(doc: Document, prev: Block, b: Block) -> None:
    """``b``'s text goes on ``prev``'s (its links and footnote references with it)."""
    text, off = join_texts(prev.text, b.text, doc.facts.hyphens_marked)
    if b.page != prev.page and prev.links and 0 < b.page <= len(doc.pages):
        urls = {lk.url for lk in doc.pages[b.page - 1].links}
        urls -= {lk.url for lk in b.links}  # the next page's piece anchored: no bug
        if urls:
            carry_across_page(prev.text, prev.links, b.text, off, urls)
    prev.links.extend(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in b.links)
    prev.links = merge_links(text, prev.links)
    prev.notes.extend(NoteRef(n.start + off, n.end + off, n.marker) for n in b.notes)
    prev.text = text
    _extend(prev, b)
