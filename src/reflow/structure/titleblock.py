"""Title blocks of typeset documents: the authors, affiliations and date under a title, and the
abstract after them.

LaTeX's ``\\maketitle`` and the title, author and date paragraphs of Word and LibreOffice
documents set a centred block under the title: one box per author (name, then affiliation lines;
boxes side by side or one under another), then the date. Set larger than the body (LaTeX's
``\\large``), its lines were taken for headings; set at the body's size with the body's spacing,
they merged with the paragraph after them. Here (roles stage, once the title is known, before
heading levels are ranked) those lines are regrouped into one block per box:

- ``title-block``: the lines after the title on its page, centred on the title's axis (alone,
  or as a row of boxes side by side whose span is), short, before the first heading or the first
  line of running text; grouped into boxes by their spacing, left to right and top to bottom.
  A box that is a date line is a ``date``; any other is a ``byline``, its lines kept as lines
  (soft line breaks in Markdown).
- ``abstract-label``: "Abstract" alone on its line in the front matter is a section heading, and
  the indented paragraphs after it (LaTeX's abstract is a quotation environment), or right after
  the title block, are the abstract's paragraphs, not block quotes.

``title_block_authors`` gives the names the boxes open with, for the header stage.
"""

from __future__ import annotations

import re

from reflow.layout.join import make_block
from reflow.lexicon import Lazy, ends_sentence
from reflow.model import Block, BlockType, Document, InlineLink, Line
from reflow.rules import rule
from reflow.settings import RoleSettings
from reflow.structure.dates import is_date_line
from reflow.structure.names import BYLINE, split_names

ABSTRACT_LABEL = Lazy(r"^(?:abstract|summary|résumé|zusammenfassung|resumen)[.:]?$", re.IGNORECASE)
_KEEP = frozenset({BlockType.DEK})
_NEVER = frozenset({BlockType.TABLE, BlockType.CODE, BlockType.LIST_ITEM, BlockType.TITLE})


def _name_like(text: str) -> bool:
    """The whole text is one name ("Niamh Gallagher", "Riverbend Housing Trust"): an author
    line set larger than the body, which the dek rule took for a standfirst."""
    t = " ".join(text.split())
    return split_names(t) == [t]


def _centre(b) -> float:
    return (b[0] + b[2]) / 2


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines side by side (overlapping vertically), top to bottom, each row left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
        if rows:
            r = rows[-1]
            top = max(x.bbox[1] for x in r)
            bottom = min(x.bbox[3] for x in r)
            mid = (ln.bbox[1] + ln.bbox[3]) / 2
            if top <= mid <= bottom or (ln.bbox[1] < bottom and mid < max(x.bbox[3] for x in r)):
                r.append(ln)
                continue
        rows.append([ln])
    return [sorted(r, key=lambda ln: ln.bbox[0]) for r in rows]


def _centred_row(
    row: list[Line], axis: float, width: float, column: float, s: RoleSettings
) -> bool:
    """The row's span is centred on ``axis`` and no line in it runs most of the text area or
    fills a body column (two columns of running text side by side are centred too)."""
    x0 = min(ln.bbox[0] for ln in row)
    x1 = max(ln.bbox[2] for ln in row)
    size = max(ln.size for ln in row) or 10.0
    if any(ln.bbox[2] - ln.bbox[0] > s.title_block_line_share * width for ln in row):
        return False
    if column and any(ln.bbox[2] - ln.bbox[0] > s.title_block_column_share * column for ln in row):
        return False
    if any(len(ln.text.split()) > s.title_block_max_words for ln in row):
        return False
    return abs((x0 + x1) / 2 - axis) <= s.title_block_centre_em * size


def _boxes(lines: list[Line], s: RoleSettings) -> list[list[Line]]:
    """Lines grouped into boxes: a line goes under the box whose last line is just above it
    (overlapping horizontally, a gap under ``title_block_gap_em``); boxes in reading order."""
    boxes: list[list[Line]] = []
    for row in _rows(lines):
        for ln in row:
            size = ln.size or 10.0
            best = None
            for bx in boxes:
                last = bx[-1]
                gap = ln.bbox[1] - last.bbox[3]
                overlap = min(ln.bbox[2], last.bbox[2]) - max(ln.bbox[0], last.bbox[0])
                same = abs((last.size or size) - size) <= 0.1 * size
                if overlap > 0 and -1 <= gap <= s.title_block_gap_em * size and same:
                    best = bx
            if best is not None and not is_date_line(ln.text) and not BYLINE.match(ln.text):
                best.append(ln)
            else:
                boxes.append([ln])
    # a date written as the last line of a box is a box of its own (LibreOffice sets the date
    # paragraph right under the author's with the same spacing)
    return sorted(boxes, key=lambda bx: (round(bx[0].bbox[1]), bx[0].bbox[0]))


def lines_block(lines: list[Line], type_: BlockType) -> Block:
    """A block whose text keeps its lines (joined by newlines: soft breaks in Markdown)."""
    texts, links, pos = [], [], 0
    for ln in lines:
        t = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        for lk in ln.links:
            a, b = lk.start - lead + pos, lk.end - lead + pos
            if b > a >= pos:
                links.append(InlineLink(a, min(b, pos + len(t)), lk.url))
        texts.append(t)
        pos += len(t) + 1
    x0 = min(ln.bbox[0] for ln in lines)
    x1 = max(ln.bbox[2] for ln in lines)
    sizes = sorted(ln.size for ln in lines)
    return Block(
        type=type_,
        text="\n".join(texts),
        page=lines[0].page,
        bbox=(x0, min(ln.bbox[1] for ln in lines), x1, max(ln.bbox[3] for ln in lines)),
        links=links,
        lines=list(lines),
        bold=all(ln.bold for ln in lines),
        italic=all(ln.italic for ln in lines),
        size=sizes[len(sizes) // 2],
        pages=[lines[0].page],
    )


def _width(doc: Document, title: Block) -> float:
    """The width of the text area of the title's page (both columns of a two-column page)."""
    page = doc.pages[title.page - 1] if 0 < title.page <= len(doc.pages) else None
    boxes = [ln.bbox for ln in page.lines if ln.bbox] if page else []
    if boxes:
        return max(b[2] for b in boxes) - min(b[0] for b in boxes)
    if doc.facts.body_x and doc.facts.body_x[1] > doc.facts.body_x[0]:
        return doc.facts.body_x[1] - doc.facts.body_x[0]
    return page.width * 0.75 if page and page.width else 450.0


def _kept(b: Block) -> bool:
    """A dek stays a dek unless it reads as an author box: its first line a name, no sentence
    in it (an author line set larger than the body, which the dek rule took)."""
    if b.type not in _KEEP:
        return False
    first = b.lines[0].text if b.lines else b.text
    return not (_name_like(first) and not any(ends_sentence(ln.text) for ln in b.lines))


@rule("title-block", stage="roles")
def title_block_lines(doc: Document, title: Block, s: RoleSettings) -> list[Line]:
    """The lines after ``title`` that make its title block (see the module's docstring): rows
    of lines on the title's page, each row centred on the title's axis (one line, or boxes
    side by side) and short, up to the first row that is not (running text, a heading of the
    body, "Abstract", a sentence)."""
    blocks = doc.blocks
    if not title.bbox:
        return []
    ti = blocks.index(title)
    axis = _centre(title.bbox)
    width = _width(doc, title)
    bx = doc.facts.body_x
    column = bx[1] - bx[0] if bx and bx[1] - bx[0] < width * 0.6 else 0.0
    cands: list[Line] = []
    for b in blocks[ti + 1 : ti + 1 + s.title_block_max_blocks]:
        if b.page != title.page or b.type in _NEVER or not b.lines:
            break
        if _kept(b):
            continue
        if any(ln.bbox is None or ln.page != title.page for ln in b.lines):
            break  # a paragraph healed across the page break is running text
        cands.extend(b.lines)
    out: list[Line] = []
    for row in _rows(cands):
        if any(ABSTRACT_LABEL.match(ln.text.strip()) for ln in row):
            break
        if any(ends_sentence(ln.text) and not is_date_line(ln.text) for ln in row):
            break
        if any(ln.links for ln in row):  # a web page's share buttons, its author page
            break
        if not _centred_row(row, axis, width, column, s):
            break
        out.extend(row)
    return out


def _rebuild(lines: list[Line], s: RoleSettings) -> list[Block]:
    out = []
    for box in _boxes(lines, s):
        if len(box) == 1 and is_date_line(box[0].text):
            out.append(lines_block(box, BlockType.DATE))
        elif BYLINE.match(box[0].text):
            b = lines_block(box, BlockType.BYLINE)
            b.text = " ".join(b.text.split("\n"))
            out.append(b)
        else:
            out.append(lines_block(box, BlockType.BYLINE))
    return out


def _apply(doc: Document, ti: int, lines: list[Line], s: RoleSettings) -> int:
    """Replace the blocks after ``ti`` holding ``lines`` by the title block's boxes, put right
    after the title (a box the reading order put after the abstract label comes back); a block
    whose first lines only are in it (LibreOffice's date merged with the first paragraph) keeps
    the rest. Returns the index after the title block."""
    wanted = {id(ln) for ln in lines}
    blocks = doc.blocks
    keep: list[Block] = []
    others: list[Block] = []
    used: list[Line] = []
    left = len(wanted)
    j = ti + 1
    while j < len(blocks) and left > 0 and j <= ti + s.title_block_max_blocks:
        b = blocks[j]
        j += 1
        ins = [id(ln) in wanted for ln in b.lines]
        left -= sum(ins)
        if _kept(b):
            keep.append(b)
            continue
        k = ins.index(False) if not all(ins) else len(ins)
        if k == 0 or any(ins[k:]):  # none of it, or its lines mixed: leave it whole
            others.append(b)
            continue
        used.extend(b.lines[:k])
        if k < len(b.lines):
            others.append(make_block(b.lines[k:], hyphens_marked=doc.facts.hyphens_marked))
    if not used:
        return ti + 1
    new = keep + _rebuild(used, s)
    blocks[ti + 1 : j] = new + others
    return ti + 1 + len(new)


@rule("abstract-label", stage="roles")
def abstract_label(b: Block) -> bool:
    """ "Abstract" alone on a line (LaTeX's bold centred label) is a section heading."""
    if ABSTRACT_LABEL.match(b.text.strip()) and len(b.lines) <= 1:
        b.type = BlockType.HEADING
        return True
    return False


def front_matter(doc: Document, title: Block, s: RoleSettings) -> list[Block]:
    """Title block and abstract after ``title``; returns the abstract labels made headings
    (their level is the top section level, set by the caller)."""
    blocks = doc.blocks
    ti = blocks.index(title)
    lines = title_block_lines(doc, title, s)
    end = _apply(doc, ti, lines, s) if lines else ti + 1
    labels: list[Block] = []
    k = end
    while k < len(blocks) and blocks[k].type in (BlockType.DEK, BlockType.BYLINE, BlockType.DATE):
        k += 1
    if k < len(blocks) and blocks[k].page == title.page and abstract_label(blocks[k]):
        labels.append(blocks[k])
        k += 1
    if labels or end > ti + 1:
        while k < len(blocks) and blocks[k].type == BlockType.QUOTE:
            blocks[k].type = BlockType.PARAGRAPH
            k += 1
    return labels


def title_block_authors(doc: Document) -> list[str]:
    """The names that open the title block's author boxes (a byline with several lines: name,
    then affiliation)."""
    out: list[str] = []
    for b in doc.blocks[:40]:
        if b.type == BlockType.BYLINE and "\n" in b.text:
            for name in split_names(b.text.split("\n", 1)[0]):
                if name not in out:
                    out.append(name)
    return out
