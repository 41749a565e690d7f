"""Article mode: keep the article, drop the site printed around it.

A web page printed to PDF carries the article and the site around it: navigation bars, share
buttons, cookie and newsletter boxes, "most read" teasers, comments, footers. This stage finds
the article the way readability and trafilatura do on HTML, but on layout: text density, link
density, the body's font and column, the title as the anchor where the article begins.

Rules, in the order they apply (each removal goes to ``doc.removed`` with reason
``"boilerplate"``; ``--all`` keeps everything):

1. Chrome by content, any position: ``boilerplate-phrase`` (short blocks about sharing,
   subscribing, newsletters, comments, copyright; "Share this article", "© 2020 X"; a longer block
   needs two such phrases), cookie/consent notices at any length, comment-section notices,
   ``photo-credit`` (captions with a credit, "(Image: GETTY)", gallery counters "Image 1 of 23"),
   copies of the browser's print header left in the text, ``repeated`` short blocks printed at
   the same place on several pages, and link lists (half the characters or more under links).
2. ``body-style``: the article's body is the font (family and size) and the column (x-extent)
   that carry most of the words of long, sentence-like, link-free blocks that are not chrome.
   ``off-column``: a block wholly beside that column, much narrower or in another font, is a
   sidebar (a second column of the same width and font is body).
3. ``dense-region``: the article is the contiguous run of blocks (reading order, across pages)
   with the most body text: body-font running text counts for its words; chrome counts against.
   A maximum-sum window picks it (Kadane), so a nav bar before and a footer after fall away.
4. ``title-anchor``: the article starts at its title: the heading, set larger than the body, that
   matches the printed page title and comes before the body (``titles.title_candidates``);
   failing that, the largest heading above the body. The byline, date and dek between the title
   and the first paragraph come with it. A moved title moves the header's title, byline and date (``header.refresh``).
5. ``body-end``: trailing blocks that are not in the body font ("About Example Corp" in small
   print) are not the article.
6. ``end-marker``: after the body has begun, a short heading that opens a site section ends the
   article: comments ("3 Comments", "Leave a Reply", "Top Rated Comments") always; "Related
   stories", "Most read", "More from ...", "You may also like" unless running text resumes right
   after it (a related-links box inside the article is dropped, not an end).
7. ``author-bio``: a closing note about the author ("Meg James is a reporter for ...", or an
   author box: the byline's name over a paragraph naming them) ends the article.
8. ``inside``: within the article, chrome blocks are dropped, and ``near-duplicate`` copies of
   a caption or pull quote (the shorter goes). Kept: lists, tables, block quotes, captions,
   subheadings, callouts ("Related article: ..."), all-link lines that continue a sentence
   (``continuation``): an article is kept whole.

On PDFs the choice is made by a learned model by default (``article-model``, ``clean-page``,
``article-window``, ``model-chrome``; ``ArticleSettings.model_pdf``), trained on the web corpus
and aeb-dev with sites left out (``benchmarks/article_model``); the rules above are what it is
built on, and what runs on extracted text and with ``model_pdf`` off.

Mode: ``ConvertOptions.article`` None runs on web pages only (``is_web_page``: the print
header seen, or a browser's user agent as the PDF's Creator), True runs on any document, False
never. Reads the blocks, ``Facts.title_index``; writes ``doc.blocks`` (the article),
``doc.removed`` (the rest, reason ``boilerplate``), and the header facts when the title moves.
The phrases it knows site chrome by are in ``structure/chrome.py``.
"""

from __future__ import annotations

from dataclasses import replace

from reflow.lexicon import SENTENCE_END, Lazy
from reflow.model import Block, BlockType, Document, Reason, Removed
from reflow.rules import rule
from reflow.settings import ArticleSettings
from reflow.structure.article_model import Model, block_rows
from reflow.structure.article_model import load as load_model
from reflow.structure.article_pick import (  # noqa: F401  (re-exported: the model's choice)
    article_window,
    clean_page,
    clean_page_chrome,
    max_window,
    model_chrome,
    model_selection,
)
from reflow.structure.article_text import text_rows
from reflow.structure.body import (
    BlockFeatures,
    body_style,
    count_words,
    font_key,
    mark_sides,
    off_column,
    same_font,
)
from reflow.structure.chrome import (
    AUTHOR_BIO,
    COMMENTS,
    EMBED_SIGNATURE,
    END_MARKER,
    boilerplate_rule,
)
from reflow.structure.header import is_web_page, refresh
from reflow.structure.titles import page_title, set_title, strip_site, title_candidates


def _is_boilerplate(b: Block, words: int, s: ArticleSettings) -> bool:
    return boilerplate_rule(b, words, s) is not None


@rule("section-heading", stage="article")
def section_heading(b: Block, f: BlockFeatures, nxt: BlockFeatures | None, font) -> bool:
    """A heading that only the site's weak words made boilerplate ("Fine print", "Comments
    from readers") opens a section of the article when running text in the body's type follows
    it; a site's "Related" or "Comments" heads links or short lines."""
    return (
        f.rule == "weak"
        and b.type == BlockType.HEADING
        and nxt is not None
        and nxt.good
        and same_font(nxt.font, font)
    )


_NON_WORDS = Lazy(r"\W+")


@rule("repeated", stage="article")
def repeated(blocks: list[Block], s: ArticleSettings) -> set[int]:
    """Short blocks printed at the same place on several pages, the same text (a sticky menu,
    a "Subscribe" bar). Short lines an article repeats ("Eat every 2-3 hours") sit at other
    places and stay."""
    seen: dict[tuple, set[int]] = {}
    keys: dict[int, tuple] = {}
    step = s.repeated_step_pt
    for i, b in enumerate(blocks):
        if b.bbox and count_words(b.text) <= s.repeated_max_words:
            key = (
                _NON_WORDS.sub(" ", b.text.lower()).strip(),
                round(b.bbox[0] / step),
                round(b.bbox[1] / step),
            )
            keys[i] = key
            seen.setdefault(key, set()).add(b.page)
    return {i for i, key in keys.items() if key[0] and len(seen[key]) >= 2}


def _body_resumes(feats, values, j: int, end: int, s: ArticleSettings) -> bool:
    """After a box heading, running text comes back within a few blocks, as a run of at least
    50 words (the article goes on), not as teaser blurbs between link lines."""
    k = j
    while k <= min(end, j + s.resume_within_blocks) and values[k] <= 0:
        k += 1
    run = 0.0
    while k <= end and not feats[k].bad and values[k] > -s.resume_max_penalty:
        run += max(0.0, values[k])
        k += 1
    return run >= s.resume_min_words


@rule("end-marker", stage="article")
def end_marker(blocks, feats, values, start: int, end: int, s: ArticleSettings) -> int:
    """After the body has begun, the first short heading that opens a site section ends the
    article. Comments ("3 Comments", "Leave a Reply") end it always; "Related stories", "Most
    read", "More from ..." end it unless more body text follows than came before (a
    related-links box inside the article is dropped, not an end)."""
    body_words = [max(0.0, v) for v in values]
    seen_good, seen_words = 0, 0.0
    for i in range(start, end + 1):
        b, f = blocks[i], feats[i]
        if body_words[i] and (f.good or f.words >= 12):
            seen_good += 1
            seen_words += body_words[i]
        if (
            seen_good < s.end_min_blocks
            or seen_words < s.end_min_words
            or f.words > s.end_marker_max_words
            or f.sentence
            or off_column(f)
            or not (END_MARKER.search(b.text.strip()) or COMMENTS.search(b.text.strip()))
        ):
            continue
        if COMMENTS.search(b.text.strip()):
            return i - 1
        before = sum(body_words[start:i])
        after = sum(body_words[i + 1 : end + 1])
        if after < before and not _body_resumes(feats, values, i + 1, end, s):
            return i - 1
        f.bad = True  # the heading of a box inside the article
    return end


_NAME = Lazy(r"(?:[^\W\d_][\w.'’-]*\s+){1,3}[^\W\d_][\w.'’-]*")


@rule("author-bio", stage="article")
def author_bio(doc: Document, feats, values, start: int, end: int, s: ArticleSettings) -> int:
    """The article ends before a closing note about its author: a block in its last few that
    introduces a person by role ("Meg James is a reporter for ..."), or the author's name
    standing alone over a paragraph that names them again (an author box)."""
    blocks = doc.blocks
    names = [n for n in doc.facts.authors if n]
    body_before = 0.0
    positives = [i for i in range(start, end + 1) if values[i] > 0]
    tail = set(positives[-s.bio_last_blocks :])
    for i in range(start, end + 1):
        b = blocks[i]
        if (
            body_before >= s.bio_min_words_before
            and i in tail
            and feats[i].words <= s.bio_max_words
        ):
            if AUTHOR_BIO.match(b.text.strip()):
                return i - 1
        t = b.text.strip()
        if (
            body_before >= s.bio_min_words_before
            and 1 < feats[i].words <= 4
            and i + 1 <= end
            and t in blocks[i + 1].text
            and _NAME.fullmatch(t)
            and all(w[0].isupper() for w in t.split())
            and (
                t in names
                or any(
                    t in blocks[j].text and blocks[j].type in (BlockType.BYLINE, BlockType.DATE)
                    for j in range(start, min(start + 6, i))
                )
            )
        ):
            return i - 1
        body_before += max(0.0, values[i])
    return end


@rule("title-anchor", stage="article")
def title_anchor(doc: Document, feats, values, font, col, start: int, end: int, s) -> int | None:
    """The article starts at its title. The title is the block matching the printed page title
    that comes before the body (a recipe card further down may repeat the title: it is not where
    the article starts); failing that, the largest heading just above the body, looking back
    past share buttons and pictures but not past running text. The choice is written back as
    the title block and the header's title, byline and date."""
    blocks = doc.blocks
    total = sum(v for v in values[start : end + 1] if v > 0) or 1.0
    chosen = None
    body = font[1] if font else 0.0
    for i, _score in title_candidates(doc):
        if i > end or blocks[i].size < s.title_size_share * body:
            continue  # a title is set larger than the body
        pre = sum(v for v in values[start:i] if v > 0)
        if pre <= s.title_max_body_before_share * total:
            chosen = i
            break
    if chosen is None and body > 0:
        heads = []
        i = min(end, start + 3)
        lo = max(0, start - s.title_look_back_blocks)
        while i >= lo:
            f = feats[i]
            if i < start and f.good and not f.bad:
                break
            if (
                blocks[i].size >= s.heading_title_size_share * body
                and 0 < f.words <= s.title_max_words
                and not _is_boilerplate(blocks[i], f.words, s)
                and not off_column(f)
            ):
                heads.append(i)
            i -= 1
        if heads:
            chosen = max(heads, key=lambda i: (blocks[i].size, i))
    facts = doc.facts
    if chosen is not None and chosen != facts.title_index:
        set_title(doc, chosen)
        refresh(doc, chosen)
    elif chosen is None and doc.metadata.web_print:
        # no heading confirms the page title: the page title it is, not a subheading of the body
        pt = page_title(doc)
        if pt:
            for b in blocks:
                if b.type == BlockType.TITLE:
                    b.type, b.level = BlockType.HEADING, b.level if b.level > 1 else 2
            facts.title = strip_site(pt)
            facts.title_index = None
    return chosen


_OPEN_END = frozenset(",;:-–—(")
_FLOW = frozenset({BlockType.PARAGRAPH, BlockType.QUOTE, BlockType.LIST_ITEM})


@rule("continuation", stage="article")
def continues(prev: Block | None, b: Block, f: BlockFeatures, font, s: ArticleSettings) -> bool:
    """A line of the body that is all link ("nearly five years ago.") goes on the sentence the
    kept block before it left open; it is the article, not a link list."""
    if prev is None or prev.type not in _FLOW:
        return False
    t = prev.text.rstrip()
    head = b.text.lstrip()[:1]
    return (
        bool(t)
        and not SENTENCE_END.search(t)
        and (head.islower() or t[-1] in _OPEN_END)
        and same_font(font_key(prev), font)
        and same_font(f.font, font)
        and not off_column(f)
        and not _is_boilerplate(b, f.words, s)
    )


@rule("near-duplicate", stage="article")
def near_duplicates(blocks: list[Block], feats, start: int, end: int, s) -> set[int]:
    """A caption printed twice (a picture's alt text and its caption, a gallery's slide and its
    thumbnail, a pull quote and its paragraph) within a few blocks: the shorter copy goes."""
    out: set[int] = set()
    cache: dict[int, str] = {}  # normalised texts of the last few blocks only (not a copy of all)
    window = s.duplicate_window_blocks

    def norm(k: int) -> str:
        t = cache.get(k)
        if t is None:
            t = cache[k] = _NON_WORDS.sub(" ", blocks[k].text.lower()).strip()
        return t

    for i in range(start, end + 1):
        cache.pop(i - window - 1, None)
        if feats[i].words < s.duplicate_min_words:
            continue
        for j in range(max(start, i - window), i):
            if j in out or feats[j].words < s.duplicate_min_words:
                continue
            a, b = norm(j), norm(i)
            if (
                a == b
                or (len(a) >= 40 and a in b)
                or (len(b) >= 40 and b in a)
                or (len(a) >= 80 and len(b) >= 80 and a[:80] == b[:80])
            ):
                out.add(i if len(b) <= len(a) else j)  # the shorter copy goes
                break
    return out


@rule("embed-signature", stage="article")
def embed_signature(b: Block) -> bool:
    """ "— Rep. Ilhan Omar (@Ilhan) November 19, 2019" closes a quoted post: part of the
    article, however many links."""
    return bool(EMBED_SIGNATURE.match(b.text.strip()))


_HEADER_KEEP = frozenset({BlockType.TITLE, BlockType.BYLINE, BlockType.DATE, BlockType.TABLE})


def _values(blocks, feats, font, s: ArticleSettings) -> list[float]:
    """Each block's weight for ``dense-region``: running text for its words (less out of the
    body font or not sentence-like), chrome and sidebars against."""
    values: list[float] = []
    for b, f in zip(blocks, feats, strict=True):
        body_font = same_font(f.font, font)
        if b.type == BlockType.CALLOUT and not off_column(f):
            # "Related article: ..." inside the body is the article's own aside: kept, neutral
            values.append(-1.0)
        elif embed_signature(b) and not off_column(f):
            f.bad = f.boiler = False
            values.append(float(f.words))
        elif f.bad or (off_column(f) and f.words < s.sidebar_max_words):
            f.bad = True
            values.append(-(f.words + 2.0))
        elif (
            f.words >= s.running_min_words
            and f.links < s.running_max_link_share
            and (b.size >= 4 or not b.size)
        ):
            # running text (size 0: extracted text, which has no sizes); lines cut out of a
            # paragraph by a sidebar still count, a little less
            f.good = f.words >= s.good_min_words and (f.sentence or f.words >= s.good_long_words)
            weight = (1.0 if body_font else s.other_font_weight) * (
                1.0 if f.good else s.not_good_weight
            )
            values.append(f.words * weight)
        else:
            values.append(-(1.0 + s.short_block_penalty * f.words))
    return values


class Measured:
    """What article mode measured of a document before it chose: each block's features, the
    blocks repeated across pages, the body's font and column, the blocks' values, the
    maximum-sum window over them and the title the window starts at."""

    __slots__ = ("feats", "rep", "font", "col", "values", "start", "end", "title")

    def __init__(self, feats, rep, font, col, values, start, end, title):
        self.feats, self.rep, self.font, self.col = feats, rep, font, col
        self.values, self.start, self.end, self.title = values, start, end, title


def measure(doc: Document) -> Measured | None:
    """Measure the blocks (None: no running text at all, nothing to tell the article from the
    site). The title anchor may move the header's title (``header.refresh``)."""
    blocks = doc.blocks
    s = doc.settings.article
    feats = [BlockFeatures(b) for b in blocks]
    rep = repeated(blocks, s)
    for i, (b, f) in enumerate(zip(blocks, feats, strict=True)):
        f.rule = boilerplate_rule(b, f.words, s)
        f.boiler = b.type != BlockType.CALLOUT and (f.rule is not None or i in rep)
        f.bad = f.boiler or (b.type != BlockType.CALLOUT and f.links >= s.link_list_share)
    font, col = body_style(blocks, feats, s)
    if font is None:
        return None
    mark_sides(feats, font, col, s)
    values = _values(blocks, feats, font, s)
    start, end = max_window(values)
    if end < start:
        return None
    ti = title_anchor(doc, feats, values, font, col, start, end, s)
    return Measured(feats, rep, font, col, values, start, end, ti)


@rule("article-model", stage="article")
def article_probabilities(doc: Document, m: Measured, model: Model, ruled: list[bool] | None):
    """Each block's probability of being the article, from a model fitted on sites it is not
    scored on (``benchmarks/article_model``): its length, links, type against the body's,
    column, structure-tree role, ``<article>``/``<aside>``, chrome vocabulary, place against
    the title and the end of the article, its neighbours; then the same verdicts around it.
    The feature rows and the probabilities."""
    text = doc.kind == "text"
    rows = block_rows(
        doc.blocks, m.feats, m.font, m.col, m.rep, doc.facts.title_index, ruled, packed=not text
    )
    if text:  # extracted text: its lines' lengths, times, repeats (article_text)
        extra = text_rows(doc.blocks, m.feats, m.start, m.end)
        rows = [r + t for r, t in zip(rows, extra, strict=True)]
    return rows, model.proba(rows, [f.words for f in m.feats])


# The agreements with the rules were fitted and measured on PDFs only: the text path keeps the
# choice its model was measured with (text_score.py).
_TEXT_CHOICE = {
    "model_relative_share": 0.7,
    "clean_page_agree": 0.0,
    "clean_page_site_agree": 0.0,
    "clean_page_thread_agree": 0.0,
    "model_rule_keep": 0.0,
    "model_rule_drop": 1.0,
    "model_bridge_inside": 0.0,
}


def _select_by_model(
    doc: Document, m: Measured, model: Model, s: ArticleSettings, ruled: list[bool]
) -> Document:
    if doc.kind == "text":
        s = replace(s, **_TEXT_CHOICE)
    rows, p = article_probabilities(doc, m, model, ruled)
    header = [b.type in _HEADER_KEEP and b.type != BlockType.TABLE for b in doc.blocks]
    kept = model_selection(model, rows, p, m.feats, header, doc.facts.title_index, ruled, s)
    return doc if kept is None else _keep_only(doc, kept)


def rule_selection(doc: Document, m: Measured) -> list[bool]:
    """What the hand-set rules keep (``body-end``, ``end-marker``, ``author-bio``,
    ``near-duplicate``, ``inside``, ``continuation``), a flag per block; every block when the
    window holds no running text. The document's blocks are not touched."""
    blocks = doc.blocks
    s = doc.settings.article
    feats, rep, font, values = m.feats, m.rep, m.font, m.values
    start, end, ti = m.start, m.end, m.title
    if ti is not None:
        start = ti

    # body-end: the article ends with the last block in the body's font; smaller print after it
    # ("About Example Corp", a disclaimer box in another type) is the site's
    while end > start and (values[end] <= 0 or not same_font(feats[end].font, font)):
        if blocks[end].type in _BODY_END_KEEP and not feats[end].bad:
            break
        end -= 1

    end = end_marker(blocks, feats, values, start, end, s)
    end = author_bio(doc, feats, values, start, end, s)

    kept = [False] * len(blocks)
    prev: Block | None = None
    dup = near_duplicates(blocks, feats, start, end, s)
    for i in range(start, end):
        f = feats[i]
        if f.boiler and i not in rep and section_heading(blocks[i], f, feats[i + 1], font):
            f.bad = f.boiler = False
    for i, b in enumerate(blocks):
        f = feats[i]
        if i in dup:
            f.bad = f.boiler = True
        inside = start <= i <= end
        drop = not inside
        if inside and i != start and b.type not in _HEADER_KEEP:
            drop = f.bad and not (
                (
                    b.type == BlockType.LIST_ITEM
                    and f.links < s.list_item_max_link_share
                    and not f.boiler
                    and not off_column(f)
                )
                or continues(prev, b, f, font, s)
            )
        if not drop:
            kept[i] = True
            prev = b
    if not any(feats[i].good for i in range(start, end + 1)):
        return [True] * len(blocks)
    return kept


def _keep_only(doc: Document, kept) -> Document:
    """Keep the blocks whose index is in ``kept``; the rest go to ``doc.removed``."""
    keep: list[Block] = []
    for i, b in enumerate(doc.blocks):
        if i in kept:
            keep.append(b)
        else:
            doc.removed.append(Removed(b.text, Reason.BOILERPLATE, b.page, b.bbox))
    doc.blocks = keep
    doc.facts.title_index = next((i for i, b in enumerate(keep) if b.type == BlockType.TITLE), None)
    return doc


def select_article(doc: Document) -> Document:
    mode = doc.options.article
    if mode is False or (mode is None and not is_web_page(doc)):
        return doc
    if len(doc.blocks) < 3:
        return doc
    s = doc.settings.article
    m = measure(doc)
    if m is None:
        return doc
    ruled = rule_selection(doc, m)
    kind = "text" if doc.kind == "text" else "pdf"
    model = load_model(kind) if (s.model_text if kind == "text" else s.model_pdf) else None
    if model is not None:
        return _select_by_model(doc, m, model, s, ruled)
    if all(ruled):
        return doc
    return _keep_only(doc, {i for i, k in enumerate(ruled) if k})


_BODY_END_KEEP = frozenset({BlockType.TABLE, BlockType.LIST_ITEM, BlockType.DISCLAIMER})
