"""Footnotes: each note tied to the mark its text carries, and set apart at the document's end.

A footnote block (``roles``: set small at the page foot, opening with a mark) is printed where
the page had room for it: under a column, at a page's foot, between two halves of a paragraph a
page break cut. Read in page order it interrupts the text; Markdown has a place for it, GFM's
``[^1]`` after the text it belongs to and ``[^1]: ...`` at the end. Rules:

- ``footnote-number``: the note's own mark (its number, or a symbol) at the start of its text
  is its ``marker`` ("1The status of ..." -> "1"; the text keeps it, as printed);
- ``footnote-reference``: the body text on the note's page that carries that mark right after
  a word or a sentence's end ("passes.1 Glass", "said.”2") holds the reference (``Block.notes``);
- ``footnote-split``: a footnote block holding the next note too ("1 ... 2 ...") is two;
- ``footnote-by-reference``: a paragraph closing its page that opens with a mark the text above
  it carries is a footnote too, when the notes are set as large as the text;
- ``footnotes-at-end``: the notes a reference points to go to the end of the document, in the
  order of their references. A note no text points to stays where it was printed, as it was;
- ``rejoin-past-notes``: a paragraph a page or column break cut, with notes between its halves,
  is joined once they are gone, by heal's rules.
"""

from __future__ import annotations

from reflow.lexicon import Lazy
from reflow.model import Block, BlockType, Document, InlineLink, NoteRef
from reflow.rules import rule
from reflow.settings import RoleSettings
from reflow.structure.heal import across_break, continues, join_paragraphs

# A note's mark at its start: up to three digits, or a run of note symbols.
_MARK = Lazy(r"^\s*(\d{1,3}|[*†‡§¶]{1,3})\s*(?=\S)")
_CLOSING = frozenset(".,;:!?…’”\"')]»")
# Blocks whose text can carry a reference (not headings, tables, code, furniture).
_CITING = frozenset(
    {
        BlockType.PARAGRAPH,
        BlockType.LIST_ITEM,
        BlockType.QUOTE,
        BlockType.CAPTION,
        BlockType.CALLOUT,
        BlockType.DEK,
        BlockType.BYLINE,
    }
)


@rule("footnote-number", stage="roles")
def footnote_number(b: Block, s: RoleSettings) -> list[str]:
    """The marks a footnote may open with, longest first: "12 See ..." may be note 12, or note
    1 of a text that starts "2 See". A pdfTeX note sets its number glued to the first word
    ("1The status"), a LibreOffice one with a space."""
    m = _MARK.match(b.text)
    if not m:
        return []
    mark = m.group(1)
    out = [mark]
    if mark.isdigit():
        out += [mark[:k] for k in range(len(mark) - 1, 0, -1)]
    return out[: s.footnote_max_marks]


def _mark_at(text: str, i: int, j: int) -> bool:
    """Whether text[i:j], a note's mark, stands where a reference is printed."""
    if i == 0 or (j < len(text) and (text[j].isalnum() or text[j] == "_")):
        return False
    if text[i - 1].isspace() and j == len(text.rstrip()):
        # the mark closing a paragraph, set apart from its sentence: "parties. 1"
        before = text[:i].rstrip()
        return bool(before) and before[-1] in _CLOSING and before[-1] not in ",;:"
    if text[i - 1].isdigit() or text[i - 1].isspace():
        return False
    prev = text[i - 1]
    if prev in _CLOSING:
        # "3.1", "1,2" are numbers; "2016.1 Of" is a year closing a sentence, then the mark
        if prev in ".," and i >= 2 and text[i - 2].isdigit():
            rest = text[j:].lstrip()
            return not rest or rest[0].isupper() or rest[0] in "“\"‘'"
        return True
    # glued to a word: "word1", not "i9", "MP3", "F1" (a name with a digit)
    word = text[max(0, i - 3) : i]
    return len(word) == 3 and word.isalpha() and prev.islower()


@rule("footnote-reference", stage="roles")
def footnote_reference(blocks: list[Block], page: int, mark: str, used: set[tuple[int, int]],
                       s: RoleSettings) -> tuple[Block, int] | None:  # fmt: skip
    """The first place on ``page`` whose text carries ``mark`` as a note's reference: right after
    a sentence's end or a closing quote or bracket ("passes.1 Glass", "said.”2", "2016.1 Of";
    a paragraph's last word also after a space, "parties. 1"), or glued to a lower-case word of
    three letters or more ("word1"); not a number ("3.1"), nor a name with a digit ("i9", "MP3"). Blocks touching the page are searched in reading order,
    at most ``footnote_max_citing_blocks`` of them; a place already taken is skipped."""
    seen = 0
    for b in blocks:
        if b.type not in _CITING or page not in (b.pages or [b.page]):
            continue
        seen += 1
        if seen > s.footnote_max_citing_blocks:
            break
        start = 0
        while True:
            i = b.text.find(mark, start)
            if i < 0:
                break
            j = i + len(mark)
            if (id(b), i) not in used and _mark_at(b.text, i, j):
                return b, i
            start = i + 1
    return None


@rule("footnote-split", stage="roles")
def next_note(before: list[Block], note: Block, used: set[tuple[int, int]],
              s: RoleSettings) -> Block | None:  # fmt: skip
    """The next note a footnote block runs into: notes set on one line, or read as one
    paragraph ("1 http://www.idtheftcenter.org 2 http://www.ponemon.org/"), part where the next
    number (the block's own plus one) stands after a space, when the text before the block
    carries that number as a reference too (``footnote-reference``). The block keeps the text
    before it; the returned block, a footnote, holds the rest."""
    if not note.marker.isdigit():
        return None
    mark = str(int(note.marker) + 1)
    start = len(note.marker)
    while (i := note.text.find(f" {mark} ", start)) >= 0:
        start = i + 1
        if note.text[i - 1 : i].isdigit():
            continue
        if footnote_reference(before, note.page, mark, used, s) is None:
            return None
        rest = Block(BlockType.FOOTNOTE, note.text[i + 1 :], page=note.page, bbox=note.bbox)
        rest.pages = list(note.pages)
        note.text = note.text[:i].rstrip()
        note.links, rest.links = _split_links(note.links, i + 1)
        return rest
    return None


def _split_links(links, cut: int):
    """Links before ``cut`` and those after it, shifted to start at ``cut``."""
    head = [lk for lk in links if lk.end <= cut]
    tail = [InlineLink(lk.start - cut, lk.end - cut, lk.url) for lk in links if lk.start >= cut]
    return head, tail


@rule("footnote-by-reference", stage="roles")
def footnote_by_reference(doc: Document, blocks: list[Block], k: int, s: RoleSettings) -> bool:
    """A paragraph at the foot of its page, below ``footnote_page_share`` of its height, that
    opens with a note's mark and has only such paragraphs after it on its page, is a footnote
    candidate even when set as large as the text (LibreOffice's default notes are): it becomes a
    footnote when the text before it on its page carries its mark (``footnote-reference``)."""
    b = blocks[k]
    if b.type != BlockType.PARAGRAPH or not _MARK.match(b.text) or not b.bbox:
        return False
    page = doc.pages[b.page - 1] if 0 < b.page <= len(doc.pages) else None
    if not (page and page.height and b.bbox[1] > page.height * s.footnote_page_share):
        return False
    for nxt in blocks[k + 1 :]:
        if nxt.page != b.page:
            break
        if nxt.type == BlockType.FURNITURE:
            continue
        if nxt.type not in (BlockType.PARAGRAPH, BlockType.FOOTNOTE) or not _MARK.match(nxt.text):
            return False
    return True


@rule("footnotes-at-end", stage="roles")
def footnotes_at_end(doc: Document, notes: list[Block]) -> None:
    """The notes a reference points to leave the page where they were printed and close the
    document, in the order of their references (GFM puts a footnote's text at the end); a
    paragraph they parted is one again (``rejoin-past-notes``)."""
    moved = {id(b) for b in notes}
    out: list[Block] = []
    parted = False
    for b in doc.blocks:
        if id(b) in moved:
            parted = True
            continue
        if parted and out and rejoin_past_notes(doc, out[-1], b):
            join_paragraphs(doc, out[-1], b)
        else:
            out.append(b)
        parted = False
    doc.blocks = out + notes


@rule("rejoin-past-notes", stage="heal")
def rejoin_past_notes(doc: Document, prev: Block, b: Block) -> bool:
    """Two paragraphs that notes printed under the first one's page or column parted, across
    that break, are one when heal's rules say the second goes on the first (``continues``):
    heal passes only notes set smaller than the text (``break-past-footnotes``), and
    LibreOffice sets its notes as large as the text; a two-column paper's note under the left
    column parted a reference entry from its last line."""
    return across_break(prev, b) and continues(prev, b, doc.settings.heal)


def place_notes(doc: Document) -> Document:
    """Tie each footnote to its reference, then move the tied notes to the end."""
    if doc.kind == "text":
        return doc
    s = doc.settings.roles
    blocks = doc.blocks
    used: set[tuple[int, int]] = set()
    tied: list[tuple[Block, int, Block]] = []  # (citing block, offset, note)
    k = 0
    while k < len(blocks):
        note = blocks[k]
        if note.notes or not (
            note.type == BlockType.FOOTNOTE or footnote_by_reference(doc, blocks, k, s)
        ):
            k += 1
            continue
        for mark in footnote_number(note, s):
            hit = footnote_reference(blocks[:k], note.page, mark, used, s)
            if hit is None:
                continue
            b, i = hit
            used.add((id(b), i))
            b.notes.append(NoteRef(i, i + len(mark), mark))
            note.marker = mark
            note.type = BlockType.FOOTNOTE
            tied.append((b, i, note))
            rest = next_note(blocks[:k], note, used, s)
            if rest is not None:
                blocks.insert(k + 1, rest)
            break
        k += 1
    if not tied:
        return doc
    for b in blocks:
        if len(b.notes) > 1:
            b.notes.sort(key=lambda n: n.start)
    order = {id(b): k for k, b in enumerate(blocks)}
    tied.sort(key=lambda t: (order[id(t[0])], t[1]))
    footnotes_at_end(doc, [note for _, _, note in tied])
    return doc
