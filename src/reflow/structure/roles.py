"""Block roles: title, dek, byline, date, headings, lists, quotes, captions, callouts, footnotes,
disclaimers, code.

Reads the blocks (text, size, weight, position, structure-tree tags) and ``Facts.body_size``;
sets each block's ``type`` (and ``level``, ``marker``, ``label``); writes ``Facts.body_x``. PDF
rules read font size, weight and position; text rules read only the words. A rule answers
whether its role fits and sets it.
"""

from __future__ import annotations

import re
from collections import Counter

from reflow.lexicon import (
    BULLET_ITEM,
    CALLOUT,
    CAPTION_LABEL,
    LIST_MARKER,
    LIST_MARKER_PARTS,
    Lazy,
    ends_sentence,
    heading_like,
)
from reflow.model import Block, BlockType, Document, InlineLink, Tag
from reflow.rules import rule
from reflow.settings import RoleSettings
from reflow.structure.dates import is_date_line
from reflow.structure.names import BYLINE
from reflow.structure.subheads import numbered_heading, small_caps_heading
from reflow.structure.titleblock import front_matter

DISCLAIMER = Lazy(
    r"views expressed|opinions expressed|do not necessarily reflect|does not necessarily reflect|"
    r"originally (?:appeared|published)|this (?:article|story) (?:was|has been) (?:updated|"
    r"corrected|amended)|^(?:disclaimer|disclosure|editor['’]?s note|correction)\b|"
    r"^(?:additional )?reporting (?:by|was contributed|from)\b|\bediting by\b|"
    r"\bcontributed (?:to )?(?:this )?report(?:ing)?\b|"
    r"all rights reserved|reproduction (?:is )?prohibited",
    re.IGNORECASE,
)
FIGURE = Lazy(
    r"^(?:fig(?:ure)?\.?|photo(?:graph)?:?|image:?|illustration:?|chart:?)\s*\d*", re.IGNORECASE
)
FOOTNOTE = Lazy(r"^(?:\d{1,3}|[*†‡§¶])\s*\S")
MONO = Lazy(r"mono|courier|consolas|menlo|code", re.IGNORECASE)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _words(text: str) -> int:
    return len(text.split())


def strip_marker(b: Block) -> None:
    """Make ``b`` a list item: its marker ("1.", "a)", "•") kept apart from its text."""
    m = LIST_MARKER_PARTS.match(b.text)
    if not m:
        return
    cut = m.end()
    b.type = BlockType.LIST_ITEM
    if m.group("num"):
        b.ordered = True
        b.marker = m.group("num") + m.group("close")
    else:
        b.marker = m.group("bullet")
    b.text = b.text[cut:]
    b.links = [
        InlineLink(lk.start - cut, lk.end - cut, lk.url) for lk in b.links if lk.start >= cut
    ]


@rule("list-item", stage="roles")
def list_item(blocks: list[Block], i: int) -> bool:
    """A block that starts with a list marker is a list item: a bullet on its own; a number
    ("1." alone may be a year or a sentence) only with a neighbour that has a marker too, or
    that is already a list item (the item before it, whose marker was taken off); the
    neighbour is looked for past tables, figures and their captions between them."""
    t = blocks[i].text
    if not LIST_MARKER.match(t):
        return False
    if not BULLET_ITEM.match(t) and not any(
        0 <= j < len(blocks)
        and (LIST_MARKER.match(blocks[j].text) or blocks[j].type == BlockType.LIST_ITEM)
        for j in (_past_floats(blocks, i, -1), _past_floats(blocks, i, 1))
    ):
        return False
    strip_marker(blocks[i])
    return True


def _past_floats(blocks: list[Block], i: int, step: int) -> int:
    """The neighbour of block ``i`` in direction ``step`` past the floats between them (tables,
    figures, labelled captions): a list a page break cut around a table that opens the next
    page goes on after it."""
    j = i + step
    while 0 <= j < len(blocks) and (
        blocks[j].type in (BlockType.TABLE, BlockType.FIGURE)
        or (blocks[j].type != BlockType.LIST_ITEM and CAPTION_LABEL.match(blocks[j].text))
    ):
        j += step
    return j


@rule("callout", stage="roles")
def callout(b: Block, s: RoleSettings) -> bool:
    """ "Related article: <headline>", "Read more: ...": a short block opening with such a
    label is a callout; the label is kept apart (rendered bold)."""
    m = CALLOUT.match(b.text)
    if not m or _words(b.text) > s.callout_max_words:
        return False
    b.type = BlockType.CALLOUT
    b.label = m.group("label")
    return True


@rule("disclaimer", stage="roles")
def disclaimer(b: Block, position_from_end: int, s: RoleSettings) -> bool:
    """Among the last few blocks, a note on whose views these are, where the article first
    appeared, who contributed ("The views expressed in opinion pieces do not necessarily
    reflect ...", "Reporting by ...; Editing by ...")."""
    if (
        position_from_end <= s.disclaimer_last_blocks
        and _words(b.text) <= s.disclaimer_max_words
        and DISCLAIMER.search(b.text)
    ):
        b.type = BlockType.DISCLAIMER
        return True
    return False


# --------------------------------------------------------------------------------------------
# Extracted text


@rule("text-heading", stage="roles")
def text_heading(blocks: list[Block], i: int) -> bool:
    """A one-line block that reads like a heading, followed by a longer paragraph; the first of
    them, opening the document, is the title."""
    b = blocks[i]
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if not (
        b.type == BlockType.PARAGRAPH
        and len(b.lines) == 1
        and heading_like(b.text)
        and nxt is not None
        and nxt.type in (BlockType.PARAGRAPH, BlockType.DEK, BlockType.BYLINE, BlockType.DATE)
        and _words(nxt.text) > _words(b.text)
    ):
        return False
    if i == 0:
        b.type = BlockType.TITLE
    else:
        b.type, b.level = BlockType.HEADING, 2
    return True


@rule("text-print-title", stage="roles")
def text_print_title(doc: Document) -> bool:
    """Extracted text of a web print opens with the page's title, which the print header names
    ("Putin Doesn't Want to ... West. - The Moscow Times")."""
    blocks = doc.blocks
    printed = " ".join((doc.facts.print_title or "").split()).lower()
    if blocks and blocks[0].type == BlockType.PARAGRAPH and len(printed) > 15:
        head = " ".join(blocks[0].text.split()).lower()
        if len(head) > 15 and printed.startswith(head):
            blocks[0].type = BlockType.TITLE
            return True
    return False


@rule("text-dek", stage="roles")
def text_dek(doc: Document, s: RoleSettings) -> bool:
    """An article that opens with one short sentence standing alone, followed by longer
    paragraphs, opens with its dek (standfirst)."""
    blocks = doc.blocks
    start = 1 if blocks and blocks[0].type == BlockType.TITLE else 0
    body = [b for b in blocks if b.type == BlockType.PARAGRAPH]
    if len(body) < 3 or len(blocks) <= start or blocks[start].type != BlockType.PARAGRAPH:
        return False
    first = blocks[start]
    rest = [_words(b.text) for b in body[1:6]]
    if (
        _words(first.text) <= s.text_dek_max_words
        and ends_sentence(first.text)
        and first.text.count(". ") <= 1
        and sum(rest) / len(rest) > s.text_dek_ratio * _words(first.text)
    ):
        first.type = BlockType.DEK
        return True
    return False


def _text_roles(doc: Document, s: RoleSettings) -> None:
    blocks = doc.blocks
    n = len(blocks)
    for i, b in enumerate(blocks):
        if list_item(blocks, i) or callout(b, s) or disclaimer(b, n - 1 - i, s):
            continue
        if BYLINE.match(b.text) and _words(b.text) <= s.text_byline_max_words and i < 6:
            b.type = BlockType.BYLINE
        elif is_date_line(b.text) and i < 8:
            b.type = BlockType.DATE
    for i in range(n):
        text_heading(blocks, i)
    text_print_title(doc)
    text_dek(doc, s)


# --------------------------------------------------------------------------------------------
# PDF


def block_tag(b: Block) -> Tag | None:
    """The structure-tree tag most of the block's lines carry (tagged PDFs)."""
    tags = [ln.tag for ln in b.lines if ln.tag is not None]
    if not tags or len(tags) * 2 < len(b.lines):
        return None
    roles = [t.role for t in tags]
    if roles.count(roles[0]) == len(roles):  # one role (most blocks): the first line's tag
        return tags[0]
    roles = Counter(roles)
    role = roles.most_common(1)[0][0]
    return next(t for t in tags if t.role == role)


def _tag_heading(b: Block) -> bool:
    t = block_tag(b)
    return t is not None and t.role[0] == "h"


def _as_code(b: Block) -> None:
    b.type = BlockType.CODE
    b.text = "\n".join(ln.text for ln in b.lines)
    b.links = []


@rule("tagged-roles", stage="roles")
def tagged_role(b: Block, tag: Tag) -> bool:
    """List items, quotes, captions, headings and code as the structure tree says. Returns
    True when the tag decided."""
    if tag.role == "li":
        if LIST_MARKER.match(b.text):
            strip_marker(b)
        else:
            b.type = BlockType.LIST_ITEM
            b.marker = "-"
        b.level = max(1, tag.depth)
        return True
    if tag.role == "quote":
        b.type = BlockType.QUOTE
        return True
    if tag.role == "caption":
        b.type = BlockType.CAPTION
        return True
    if tag.role in HEADING_TAGS:
        b.type = BlockType.HEADING
        b.level = int(tag.role[1])
        return True
    if tag.role == "code":
        _as_code(b)
        return True
    return False


def _font(b: Block) -> str:
    for ln in b.lines:
        for sp in ln.runs():
            if sp.font:
                return sp.font
    return ""


@rule("monospace-code", stage="roles")
def monospace_code(b: Block) -> bool:
    """A block set in a monospaced font (Courier, Menlo, "...Mono") that is not bold is code,
    its lines kept as they are."""
    if MONO.search(_font(b)) and len(b.lines) >= 1 and not b.bold:
        _as_code(b)
        return True
    return False


@rule("heading", stage="roles")
def heading(b: Block, tag: Tag | None, body: float, s: RoleSettings) -> bool:
    """Larger than the body and short, or bold at the body's size, short, and not a sentence.
    A tagged paragraph is not a heading for its font unless set much larger (a dek); a lone
    page or figure number in big or bold type says nothing, so it is no heading."""
    words = _words(b.text)
    big = b.size >= body * s.heading_size_share
    tagged_p = tag is not None and tag.role == "p"
    if tagged_p:
        big = big and b.size >= body * s.tagged_heading_size_share
    if not any(map(str.isalpha, b.text)):
        return False
    if (big and words <= s.heading_max_words and len(b.lines) <= s.heading_max_lines) or (
        not tagged_p
        and b.bold
        and words <= s.bold_heading_max_words
        and not ends_sentence(b.text)
        and len(b.lines) <= s.bold_heading_max_lines
        and b.size >= body * s.bold_heading_min_size_share
    ):
        b.type = BlockType.HEADING
        return True
    return False


@rule("caption", stage="roles")
def caption(b: Block, body: float, s: RoleSettings) -> bool:
    """ "Figure 3: ...", "Photo: ...", or a short italic block set smaller than the body."""
    words = _words(b.text)
    if (FIGURE.match(b.text) and words <= s.figure_caption_max_words) or (
        b.size
        and b.size < body * s.caption_size_share
        and words <= s.caption_max_words
        and not FOOTNOTE.match(b.text)
        and b.italic
    ):
        b.type = BlockType.CAPTION
        return True
    return False


@rule("footnote", stage="roles")
def footnote(doc: Document, b: Block, body: float, s: RoleSettings) -> bool:
    """A block in the lower part of its page, set smaller than the body, that opens with a note
    mark ("1 See ...", "* Corresponding author")."""
    if not (b.size and b.size < body * s.footnote_size_share and FOOTNOTE.match(b.text)):
        return False
    page = doc.pages[b.page - 1] if 0 < b.page <= len(doc.pages) else None
    if page and page.height and b.bbox and b.bbox[1] > page.height * s.footnote_page_share:
        b.type = BlockType.FOOTNOTE
        return True
    return False


@rule("block-quote", stage="roles")
def block_quote(doc: Document, b: Block, body: float, s: RoleSettings) -> bool:
    """A paragraph of two lines or more indented on both sides relative to its body column
    (``body-column``: the one carrying most text that holds it, a two-column paper's left or
    right one)."""
    cols = [c for c in doc.facts.cache.get("columns", ()) if c[0] - 4 <= b.bbox[0] and b.bbox[2] <= c[1] + 4] if b.bbox else []  # fmt: skip
    col = cols[0] if cols else doc.facts.body_x  # the one carrying most text that holds it
    if not b.bbox or _words(b.text) < 5 or not col:
        return False
    x0, x1 = col
    indent = s.quote_indent_em * body
    if b.bbox[0] > x0 + indent and b.bbox[2] < x1 - indent and len(b.lines) >= 2:
        b.type = BlockType.QUOTE
        return True
    return False


@rule("body-column", stage="roles")
def body_column(doc: Document) -> tuple[float, float] | None:
    """The x-extent that carries most characters of paragraphs of three lines or more (in 4 pt
    steps): the body column, which quotes are indented from; and each extent with at least
    ``body_column_share`` of its characters (``Facts.cache["columns"]``: both columns of a
    two-column paper)."""
    spans: dict[tuple[int, int], int] = {}
    edges: dict[tuple[int, int], tuple[float, float]] = {}  # the extent's own outer edges
    for b in doc.blocks:
        if b.type == BlockType.PARAGRAPH and b.bbox and len(b.lines) >= 3:
            k = (round(b.bbox[0] / 4), round(b.bbox[2] / 4))
            spans[k] = spans.get(k, 0) + len(b.text)
            e = edges.get(k, b.bbox[::2])
            edges[k] = (min(e[0], b.bbox[0]), max(e[1], b.bbox[2]))
    if not spans:
        return None
    k = max(spans, key=spans.get)
    least = spans[k] * doc.settings.roles.body_column_share
    by_text = sorted(spans, key=spans.get, reverse=True)
    doc.facts.cache["columns"] = [edges[c] for c in by_text if spans[c] >= least]
    return (k[0] * 4.0, k[1] * 4.0)


CHAPTER = Lazy(
    r"^(?:chapter|part|appendix|book|kapitel|teil|anhang|chapitre|partie|annexe|cap[ií]tulo|"
    r"parte|ap[eé]ndice)\s+(?:\d{1,3}|[ivxlcdm]{1,7}|[a-z])[.:]?$",
    re.IGNORECASE,
)


@rule("table-caption", stage="roles")
def table_caption(blocks: list[Block], i: int, s: RoleSettings) -> bool:
    """A labelled caption ("Table 2: Staff by team", "Tab. 3.") right above or below a table
    is the table's caption, whatever its type size."""
    b = blocks[i]
    if b.type not in (BlockType.PARAGRAPH, BlockType.HEADING) or not CAPTION_LABEL.match(b.text):
        return False
    near = [blocks[k] for k in (i - 1, i + 1) if 0 <= k < len(blocks)]
    if not any(n.type == BlockType.TABLE for n in near):
        return False
    if _words(b.text) > s.figure_caption_max_words:
        return False
    b.type = BlockType.CAPTION
    b.level = 0
    return True


@rule("chapter-heading", stage="roles")
def chapter_heading(blocks: list[Block], i: int, s: RoleSettings) -> bool:
    """ "Chapter 2" on a line of its own above the chapter's name (LaTeX's report and book
    classes, Word's chapter styles) is one heading with it: "Chapter 2 Findings". The name is
    the next heading, right below it on the same page."""
    a = blocks[i]
    if a.type != BlockType.HEADING or i + 1 >= len(blocks) or not CHAPTER.match(a.text.strip()):
        return False
    b = blocks[i + 1]
    if b.type != BlockType.HEADING or b.page != a.page or not (a.bbox and b.bbox):
        return False
    gap = b.bbox[1] - a.bbox[3]
    if not 0 <= gap <= s.chapter_gap_em * max(a.size, b.size, 1.0):
        return False
    a.text = a.text.strip() + " " + b.text.strip()
    off = len(a.text) - len(b.text.strip())
    a.links = [*a.links, *(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in b.links)]
    a.lines = [*a.lines, *b.lines]
    a.bbox = (
        min(a.bbox[0], b.bbox[0]),
        a.bbox[1],
        max(a.bbox[2], b.bbox[2]),
        b.bbox[3],
    )
    a.size = max(a.size, b.size)
    a.bold = a.bold and b.bold
    del blocks[i + 1]
    return True


def _pdf_roles(doc: Document, s: RoleSettings) -> None:
    blocks = doc.blocks
    if not blocks:
        return
    body = doc.facts.body_size or 10.0
    n = len(blocks)
    for i, b in enumerate(blocks):
        if b.type in (BlockType.TABLE, BlockType.CODE):
            continue
        tag = block_tag(b)
        if tag and tagged_role(b, tag):
            continue
        # a note marked '*' set small at the page foot is a footnote, not a bulleted item
        if b.text[:1] == "*" and footnote(doc, b, body, s):
            continue
        if monospace_code(b) or list_item(blocks, i):
            continue
        if callout(b, s) or disclaimer(b, n - 1 - i, s) or heading(b, tag, body, s):
            continue
        if tag is None and small_caps_heading(b, s):
            continue
        if BYLINE.match(b.text) and _words(b.text) <= s.byline_max_words:
            b.type = BlockType.BYLINE
        elif is_date_line(b.text):
            b.type = BlockType.DATE
        elif caption(b, body, s) or footnote(doc, b, body, s):
            continue
        else:
            block_quote(doc, b, body, s)
    numbered_heading(blocks, s)
    i = 0
    while i < len(blocks):
        chapter_heading(blocks, i, s)
        table_caption(blocks, i, s)
        i += 1
    heading_levels(doc, body, s)


def _size_classes(sizes: list[float], same: float) -> list[float]:
    """Distinct heading sizes, largest first; sizes within ``same`` of each other are one."""
    out: list[float] = []
    for v in sorted(sizes, reverse=True):
        if not out or v < out[-1] * same:
            out.append(v)
    return out


@rule("title", stage="roles")
def title_block(doc: Document, heads: list[Block], body: float, s: RoleSettings) -> Block | None:
    """The largest heading on the first page, near the top and clearly larger than the body, is
    the title (once); in a tagged PDF the first H1 there, unless a block before it is set far
    larger (``title-over-h1``). Failing both, a heading that opens
    the document is (``opening-heading-title``: "The Evolution of the Word Processor" in bold
    body type)."""
    first_page = min(b.page for b in doc.blocks)
    top = [b for b in heads if b.page == first_page]
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    h1 = [
        b
        for b in top
        if b.level == 1 and _tag_heading(b) and index[id(b)] < s.tagged_title_max_index
    ]
    title = None
    if h1:
        title = h1[0]
        # ``title-over-h1``: a word processor tags its sections H1 and its title a paragraph
        # set far larger ("Trump Trade War China" at 28 pt over "Introduction" at 16 pt)
        above = [
            b
            for b in doc.blocks[: index[id(title)]]
            if b.page == first_page
            and b.type in (BlockType.HEADING, BlockType.PARAGRAPH)
            and not _tag_heading(b)
            and b.size >= title.size * s.title_over_h1_share
            and b.size >= body * s.title_size_share
            and _words(b.text) <= s.heading_max_words
            and len(b.lines) <= s.heading_max_lines
        ]
        if above:
            title = max(above, key=lambda b: (round(b.size * 2) / 2, -index[id(b)]))
    elif top:
        cand = max(top, key=lambda b: (round(b.size * 2) / 2, -index[id(b)]))
        if cand.size >= body * s.title_size_share and index[id(cand)] < s.title_max_index:
            title = cand
    if title is not None:
        title.type = BlockType.TITLE
        return title
    first = doc.blocks[0]
    if first.type == BlockType.HEADING and first.page == first_page:
        first.type, first.level = BlockType.TITLE, 1
        return first
    return None


@rule("dek", stage="roles")
def dek(doc: Document, title: Block, body: float, s: RoleSettings) -> None:
    """The block right after the title (or its byline and date), larger than the body or set in
    bold or italic, one or two sentences. A standfirst set large and bold looks like a heading,
    but it is a whole sentence, smaller than the title."""
    idx = doc.blocks.index(title)
    for b in doc.blocks[idx + 1 : idx + 3]:
        sentence_head = (
            b.type == BlockType.HEADING
            and ends_sentence(b.text)
            and _words(b.text) >= s.dek_heading_min_words
            and b.size < title.size * s.dek_max_title_share
        )
        if (
            (b.type == BlockType.PARAGRAPH or sentence_head)
            and _words(b.text) <= s.dek_max_words
            and (b.size >= body * s.dek_size_share or b.bold or b.italic)
        ):
            b.type = BlockType.DEK
            break
        if b.type not in (BlockType.BYLINE, BlockType.DATE):
            break


@rule("tagged-level-shift", stage="roles")
def tagged_level_shift(tagged: list[Block], title: Block | None) -> None:
    """Tagged headings keep their tag's level, at least 2 (the title is level 1), one level
    down when the title is no H1 and the sections are (LibreOffice tags the Title paragraph P
    and Heading 1 paragraphs H1): H1 and H2 were both level 2, so "3.1 Staffing" under
    "3 Findings" was a section of its own. A web page whose title is its H1 keeps its levels
    (another H1, a site's name, does not push its sections down)."""
    untagged_title = title is not None and not _tag_heading(title)
    shift = 1 if untagged_title and any(b.level == 1 for b in tagged) else 0
    for b in tagged:
        b.level = min(6, max(2, b.level + shift))


@rule("heading-levels", stage="roles")
def heading_levels(doc: Document, body: float, s: RoleSettings) -> None:
    """Rank the heading sizes: the largest is level 2 (the title is level 1); bold body-size
    headings rank below every larger one; tagged headings keep their level (at least 2) and
    their sizes rank too, so an untagged heading smaller than a tagged H2 is H3. Sizes larger
    than every recurring heading size and used once (a cover page) get no level of their own:
    they would push real section levels down to ######."""
    heads = [b for b in doc.blocks if b.type == BlockType.HEADING]
    if not heads:
        return
    title = title_block(doc, heads, body, s)
    labels: list[Block] = []
    if title is not None:
        dek(doc, title, body, s)
        labels = front_matter(doc, title, s)
    tagged = [b for b in heads if _tag_heading(b)]
    tagged_level_shift(tagged, title)
    all_heads = [b for b in doc.blocks if b.type == BlockType.HEADING and b not in labels]
    untagged = [b for b in all_heads if not _tag_heading(b)]
    same = s.heading_size_class_share
    classes = _size_classes([b.size for b in all_heads], same)
    uses = [sum(1 for b in all_heads if v * same <= b.size < v / same) for v in classes]
    recurring = [v for v, k in zip(classes, uses, strict=True) if k >= 2]
    ranks = [v for v in classes if v in recurring or not recurring or v < recurring[0]]
    for b in untagged:
        rank = next((i for i, v in enumerate(ranks) if b.size >= v * same), len(ranks) - 1)
        b.level = min(6, 2 + rank)
    for b in labels:  # "Abstract": a section of its own, whatever its type size
        b.level = 2


def assign_roles(doc: Document) -> Document:
    s = doc.settings.roles
    if doc.kind == "pdf":
        doc.facts.body_x = body_column(doc)
        _pdf_roles(doc, s)
    else:
        _text_roles(doc, s)
    return doc
