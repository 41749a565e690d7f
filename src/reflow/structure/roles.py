"""Block roles: title, dek, byline, date, headings, lists, quotes, captions, callouts, footnotes,
disclaimers, code.

Each rule is a small function named after what it recognises; ``assign_roles`` applies them in
order. PDF rules read font size, weight and position; text rules read only the words.
"""

from __future__ import annotations

import re
from collections import Counter

from reflow.layout.blocks import LIST_MARKER, heading_like
from reflow.model import Block, Document, InlineLink, Tag
from reflow.structure.heal import ends_sentence

CALLOUT = re.compile(
    r"^(?P<label>(?:related|read|see|more|also|recommended|further|watch|listen|editor'?s? "
    r"pick|top|latest|previously|don't miss|must read)[\w ’']{0,28}?:)\s*\S",
    re.IGNORECASE,
)
DISCLAIMER = re.compile(
    r"views expressed|opinions expressed|do not necessarily reflect|does not necessarily reflect|"
    r"originally (?:appeared|published)|this (?:article|story) (?:was|has been) (?:updated|"
    r"corrected|amended)|^(?:disclaimer|disclosure|editor['’]?s note|correction)\b|"
    r"^(?:additional )?reporting (?:by|was contributed|from)\b|\bediting by\b|"
    r"\bcontributed (?:to )?(?:this )?report(?:ing)?\b|"
    r"all rights reserved|reproduction (?:is )?prohibited",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^(?:by|written by|words by|von|par|por)\s+\S", re.IGNORECASE)
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_ONLY = re.compile(
    r"^(?:(?:published|updated|posted|last updated|date)\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:"
    + MONTHS
    + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+"
    + MONTHS
    + r",?\s+\d{4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*\.?$",
    re.IGNORECASE,
)
FIGURE = re.compile(
    r"^(?:fig(?:ure)?\.?|photo(?:graph)?:?|image:?|illustration:?|chart:?)\s*\d*", re.IGNORECASE
)
TABLE_CAPTION = re.compile(r"^table\s+\d+[.:]", re.IGNORECASE)
FOOTNOTE = re.compile(r"^(?:\d{1,3}|[*†‡§¶])\s*\S")
MONO = re.compile(r"mono|courier|consolas|menlo|code", re.IGNORECASE)


def _words(text: str) -> int:
    return len(text.split())


def _strip_marker(b: Block) -> None:
    m = re.match(
        r"^(?:(?P<bullet>[-–•●▪◦∙·*▸►✓])|\(?(?P<num>\d{1,3}|[a-zA-Z]|[ivxlc]{1,5})"
        r"(?P<close>[.)]))\s+",
        b.text,
    )
    if not m:
        return
    cut = m.end()
    b.type = "list_item"
    if m.group("num"):
        b.ordered = True
        b.marker = m.group("num") + m.group("close")
    else:
        b.marker = m.group("bullet")
    b.text = b.text[cut:]
    b.links = [
        InlineLink(lk.start - cut, lk.end - cut, lk.url) for lk in b.links if lk.start >= cut
    ]


def _is_list_run(blocks: list[Block], i: int) -> bool:
    """A numbered marker needs a neighbour with a marker too ("1." alone may be a year or a
    sentence), bullets are lists on their own."""
    t = blocks[i].text
    if re.match(r"^[-–•●▪◦∙·*▸►✓]\s", t):
        return True
    for j in (i - 1, i + 1):
        if 0 <= j < len(blocks) and LIST_MARKER.match(blocks[j].text):
            return True
    return False


def _callout(b: Block) -> bool:
    m = CALLOUT.match(b.text)
    if not m or _words(b.text) > 30:
        return False
    b.type = "callout"
    b.label = m.group("label")
    return True


def _disclaimer(b: Block, position_from_end: int) -> bool:
    if position_from_end <= 3 and _words(b.text) <= 80 and DISCLAIMER.search(b.text):
        b.type = "disclaimer"
        return True
    return False


def _text_roles(doc: Document) -> None:
    blocks = doc.blocks
    n = len(blocks)
    for i, b in enumerate(blocks):
        if LIST_MARKER.match(b.text) and _is_list_run(blocks, i):
            _strip_marker(b)
            continue
        if _callout(b) or _disclaimer(b, n - 1 - i):
            continue
        if BYLINE.match(b.text) and _words(b.text) <= 12 and i < 6:
            b.type = "byline"
        elif DATE_ONLY.match(b.text) and i < 8:
            b.type = "date"
    # rule text-heading: a one-line block that reads like a heading, followed by a paragraph;
    # the first of them, opening the document, is the title.
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < n else None
        if (
            b.type == "paragraph"
            and len(b.lines) == 1
            and heading_like(b.text)
            and nxt is not None
            and nxt.type in ("paragraph", "dek", "byline", "date")
            and _words(nxt.text) > _words(b.text)
        ):
            if i == 0:
                b.type = "title"
            else:
                b.type = "heading"
                b.level = 2
    # rule text-dek: an article that opens with one short sentence standing alone, followed by
    # longer paragraphs, opens with its dek (standfirst).
    # rule text-print-title: extracted text of a web print opens with the page's title, which
    # the print header names ("Putin Doesn't Want to ... West. - The Moscow Times").
    printed = " ".join((doc.info.get("print_title") or "").split()).lower()
    if blocks and blocks[0].type == "paragraph" and len(printed) > 15:
        head = " ".join(blocks[0].text.split()).lower()
        if len(head) > 15 and printed.startswith(head):
            blocks[0].type = "title"
    start = 1 if blocks and blocks[0].type == "title" else 0
    body = [b for b in blocks if b.type == "paragraph"]
    if len(body) >= 3 and len(blocks) > start and blocks[start].type == "paragraph":
        first = blocks[start]
        rest = [_words(b.text) for b in body[1:6]]
        if (
            _words(first.text) <= 40
            and ends_sentence(first.text)
            and first.text.count(". ") <= 1
            and sum(rest) / len(rest) > 1.5 * _words(first.text)
        ):
            first.type = "dek"


def _pdf_roles(doc: Document) -> None:
    blocks = doc.blocks
    if not blocks:
        return
    body = doc.options.get("body_size") or 10.0
    n = len(blocks)
    # Heading candidates: larger than the body, or bold body-size lines that do not end a
    # sentence; short either way.
    for i, b in enumerate(blocks):
        if b.type == "table":
            continue
        tag = block_tag(b)
        if tag and _tagged_role(b, tag):
            continue
        if MONO.search(_font(b)) and len(b.lines) >= 1 and not b.bold:
            b.type = "code"
            b.text = "\n".join(ln.text for ln in b.lines)
            b.links = []
            continue
        if LIST_MARKER.match(b.text) and _is_list_run(blocks, i):
            _strip_marker(b)
            continue
        if _callout(b) or _disclaimer(b, n - 1 - i):
            continue
        words = _words(b.text)
        big = b.size >= body * 1.15
        # A tagged paragraph is not a heading because of its font, unless set large (a dek).
        if tag and tag.role == "p":
            big = big and b.size >= body * 1.6
        # a heading says something: a lone page or figure number in big or bold type does not
        says = any(c.isalpha() for c in b.text)
        if says and (
            (big and words <= 30 and len(b.lines) <= 4)
            or (
                not (tag and tag.role == "p")
                and b.bold
                and words <= 14
                and not ends_sentence(b.text)
                and len(b.lines) <= 2
                and b.size >= body * 0.95
            )
        ):
            b.type = "heading"
            continue
        if BYLINE.match(b.text) and words <= 14:
            b.type = "byline"
        elif DATE_ONLY.match(b.text):
            b.type = "date"
        elif (FIGURE.match(b.text) and words <= 80) or (
            b.size
            and b.size < body * 0.93
            and words <= 60
            and not FOOTNOTE.match(b.text)
            and b.italic
        ):
            b.type = "caption"
        elif b.size and b.size < body * 0.9 and FOOTNOTE.match(b.text) and _near_bottom(doc, b):
            b.type = "footnote"
        elif _is_quote(doc, b, body):
            b.type = "quote"
    _heading_levels(doc, body)


def block_tag(b: Block) -> Tag | None:
    """The structure-tree tag most of the block's lines carry (tagged PDFs)."""
    tags = [ln.tag for ln in b.lines if ln.tag is not None]
    if not tags or len(tags) * 2 < len(b.lines):
        return None
    roles = Counter(t.role for t in tags)
    role = roles.most_common(1)[0][0]
    return next(t for t in tags if t.role == role)


def _tag_heading(b: Block) -> bool:
    t = block_tag(b)
    return t is not None and t.role[0] == "h"


def _tagged_role(b: Block, tag: Tag) -> bool:
    """rule tagged-roles: list items, quotes, captions and headings as the structure tree says.
    Returns True when the tag decided."""
    if tag.role == "li":
        if LIST_MARKER.match(b.text):
            _strip_marker(b)
        else:
            b.type = "list_item"
            b.marker = "-"
        b.level = max(1, tag.depth)
        return True
    if tag.role == "quote":
        b.type = "quote"
        return True
    if tag.role == "caption":
        b.type = "caption"
        return True
    if tag.role in ("h1", "h2", "h3", "h4", "h5", "h6"):
        b.type = "heading"
        b.level = int(tag.role[1])
        return True
    if tag.role == "code":
        b.type = "code"
        b.text = "\n".join(ln.text for ln in b.lines)
        b.links = []
        return True
    return False


def _font(b: Block) -> str:
    for ln in b.lines:
        for s in ln.runs():
            if s.font:
                return s.font
    return ""


def _near_bottom(doc: Document, b: Block) -> bool:
    page = doc.pages[b.page - 1] if 0 < b.page <= len(doc.pages) else None
    return bool(page and page.height and b.bbox and b.bbox[1] > page.height * 0.6)


def _is_quote(doc: Document, b: Block, body: float) -> bool:
    """rule block-quote: a paragraph indented on both sides relative to the body column."""
    if not b.bbox or _words(b.text) < 5:
        return False
    col = doc.options.get("body_x")
    if not col:
        return False
    x0, x1 = col
    return b.bbox[0] > x0 + 1.8 * body and b.bbox[2] < x1 - 1.8 * body and len(b.lines) >= 2


def _body_column(doc: Document) -> None:
    spans: dict[tuple[int, int], int] = {}
    for b in doc.blocks:
        if b.type == "paragraph" and b.bbox and len(b.lines) >= 3:
            k = (round(b.bbox[0] / 4), round(b.bbox[2] / 4))
            spans[k] = spans.get(k, 0) + len(b.text)
    if spans:
        k = max(spans, key=spans.get)
        doc.options["body_x"] = (k[0] * 4.0, k[1] * 4.0)


def _size_classes(sizes: list[float]) -> list[float]:
    """Distinct heading sizes, largest first; sizes within 4% are one class."""
    out: list[float] = []
    for s in sorted(sizes, reverse=True):
        if not out or s < out[-1] * 0.96:
            out.append(s)
    return out


def _heading_levels(doc: Document, body: float) -> None:
    heads = [b for b in doc.blocks if b.type == "heading"]
    if not heads:
        return
    # rule title: the largest heading on the first page, near the top, is the title (once);
    # in a tagged PDF the first H1 there.
    first_page = min(b.page for b in doc.blocks)
    top = [b for b in heads if b.page == first_page]
    title = None
    tagged = [b for b in heads if _tag_heading(b)]
    h1 = [b for b in top if b.level == 1 and _tag_heading(b) and doc.blocks.index(b) < 40]
    if h1:
        title = h1[0]
        title.type = "title"
    elif top:
        cand = max(top, key=lambda b: (round(b.size * 2) / 2, -doc.blocks.index(b)))
        if cand.size >= body * 1.3 and doc.blocks.index(cand) < 12:
            cand.type = "title"
            title = cand
    # rule opening-heading-title: no heading is set large enough to be the title, but one
    # opens the document ("The Evolution of the Word Processor" in bold body type): that is it.
    if title is None and doc.blocks[0].type == "heading" and doc.blocks[0].page == first_page:
        title = doc.blocks[0]
        title.type = "title"
        title.level = 1
    # rule dek: the block right after the title (or its byline/date), larger than the body or
    # set in bold/italic, one or two sentences. A standfirst set large and bold looks like a
    # heading, but it is a whole sentence, smaller than the title.
    if title is not None:
        idx = doc.blocks.index(title)
        for b in doc.blocks[idx + 1 : idx + 3]:
            sentence_head = (
                b.type == "heading"
                and ends_sentence(b.text)
                and _words(b.text) >= 6
                and b.size < title.size * 0.9
            )
            if (
                (b.type == "paragraph" or sentence_head)
                and _words(b.text) <= 60
                and (b.size >= body * 1.08 or b.bold or b.italic)
            ):
                b.type = "dek"
                break
            if b.type not in ("byline", "date"):
                break
    # rule heading-levels: rank the remaining heading sizes; the largest is level 2 (the title
    # is level 1); bold body-size headings rank below every larger one.
    for b in tagged:
        b.level = max(2, b.level)
    all_heads = [b for b in heads if b.type == "heading"]
    heads = [b for b in all_heads if not _tag_heading(b)]
    # Tagged headings' sizes rank too, so an untagged heading smaller than a tagged H2 is H3.
    classes = _size_classes([b.size for b in all_heads])
    # Sizes larger than every recurring heading size and used once (a cover page, a back
    # cover) get no level of their own: they would push real section levels down to ######.
    uses = [sum(1 for b in all_heads if v * 0.96 <= b.size < v / 0.96) for v in classes]
    recurring = [v for v, n in zip(classes, uses, strict=True) if n >= 2]
    ranks = [v for v in classes if v in recurring or not recurring or v < recurring[0]]
    for b in heads:
        rank = next((i for i, v in enumerate(ranks) if b.size >= v * 0.96), len(ranks) - 1)
        b.level = min(6, 2 + rank)


def assign_roles(doc: Document) -> Document:
    if doc.kind == "pdf":
        _body_column(doc)
        _pdf_roles(doc)
    else:
        _text_roles(doc)
    return doc
