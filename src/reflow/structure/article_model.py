"""Article mode's learned part: what each block looks like as numbers, and a small model's
verdict on it.

``block_rows`` turns the blocks of a web print into rows of features that hold in any language
and on any site: the block's length, link density, type size and weight against the body's, its
column, its structure-tree role and whether it sits in the page's ``<article>`` or ``<aside>``,
its punctuation, where it is (before the title, after an end-of-article heading, how much of
the body's running text lies before and after it), whether it repeats across pages, which
site-chrome vocabulary it meets, and the same of its neighbours. ``Model`` is a logistic model
over those rows, a few kilobytes of plain numbers (``reflow/data/article_model.json``, trained
by ``benchmarks/article_model/train.py`` on sites left out of its folds); it scores a page in
pure Python, about a microsecond a feature.

The selection that reads the scores (``structure/article.py``) keeps its structure: one
contiguous article (a maximum-sum window over the scores), from its title to its end.
"""

from __future__ import annotations

import bisect
import json
import math
from array import array
from functools import lru_cache

from reflow.datafiles import read_data
from reflow.model import Block, BlockType
from reflow.structure.article_text import TEXT
from reflow.structure.body import BlockFeatures, same_font
from reflow.structure.chrome import AUTHOR_BIO, COMMENTS, END_MARKER

_TYPES = (
    BlockType.PARAGRAPH,
    BlockType.HEADING,
    BlockType.LIST_ITEM,
    BlockType.CAPTION,
    BlockType.QUOTE,
    BlockType.CALLOUT,
    BlockType.DEK,
    BlockType.BYLINE,
    BlockType.DATE,
    BlockType.TITLE,
    BlockType.TABLE,
)
_RULES = ("phrase", "weak", "cookie", "photo-credit", "chrome-word", "picture", "print-leftover")
_ROLES = ("p", "h", "li", "caption", "other", "cell", "quote")

# One block's own features, in order.
OWN = (
    "words_log",
    "chars_per_word",
    "link",
    "body_font",
    "size_ratio",
    "bold",
    "italic",
    "side",
    "in_col",
    "width_ratio",
    "sentence",
    "punct",
    "caps",
    "digits",
    *(f"type_{t.value}" for t in _TYPES),
    "type_other",
    *(f"rule_{r}" for r in _RULES),
    "repeated",
    "end_mark",
    "comments",
    "bio",
    "tag_art",
    "tag_aside",
    "tag_none",
    *(f"role_{r}" for r in _ROLES),
    "running",
    "good",
)
# The document around it.
CONTEXT = (
    "rel_pos",
    "before_title",
    "is_title",
    "title_dist",
    "after_end",
    "after_comments",
    "good_before",
    "good_after",
    "good_near",
    "art_doc",
    "tagged_doc",
    "out_art",
    "has_size",
    "second_header",
    "link_run",
    "short_run",
    "good_wide",
    "from_good",
    "to_good",
    "dated_near",
)
# The neighbours' (previous and next block's) features.
NEIGHBOUR = ("words_log", "link", "body_font", "running", "side", "type_heading", "tag_art")
# The hand-set rules' verdict (``structure/article.py``'s selection with the model off): kept,
# before the first block they keep, after the last (cut by ``end-marker``, ``author-bio``,
# ``body-end`` or outside ``dense-region``), and the same of the neighbours.
RULED = ("rule_kept", "rule_before", "rule_after", "rule_prev_kept", "rule_next_kept")
FEATURES = (
    *OWN,
    *CONTEXT,
    *(f"prev_{n}" for n in NEIGHBOUR),
    *(f"next_{n}" for n in NEIGHBOUR),
    *RULED,
)
# The text model's: the same, then the lines' cues (``article_text.TEXT``).
TEXT_FEATURES = (*FEATURES, *TEXT)
_INDEX = {n: i for i, n in enumerate(OWN)}
FEATURE_INDEX = {n: i for i, n in enumerate(FEATURES)}
_NEIGHBOUR_INDEX = tuple(_INDEX[n] for n in NEIGHBOUR)


def _share(n: float, d: float) -> float:
    return n / d if d else 0.0


def _own(b: Block, f: BlockFeatures, font, col, rep: bool, tagged: bool) -> list[float]:
    text = b.text.strip()
    words = f.words
    body = font[1] if font else 0.0
    size = f.font[1] or b.size
    x0, x1 = col if col else (0.0, 0.0)
    width = max(1.0, x1 - x0)
    geo = bool(b.bbox and col)
    in_col = float(geo and f.x0 >= x0 - 8 and f.x1 <= x1 + 8)
    caps = 0
    toks = text.split()
    for t in toks:
        if t[:1].isupper():
            caps += 1
    digits = sum(map(str.isdigit, text))
    punct = text.count(",") + text.count(".") + text.count(";")
    tags = [ln.tag for ln in b.lines if ln.tag is not None]
    n_tags = len(b.lines) or 1
    art = sum(1 for t in tags if t.article) / n_tags
    aside = sum(1 for t in tags if t.aside) / n_tags
    roles = {r: 0.0 for r in _ROLES}
    for t in tags:
        r = t.role
        r = "h" if r.startswith("h") and len(r) == 2 else r
        if r in roles:
            roles[r] += 1.0 / n_tags
    rule = f.rule
    end = len(toks) <= 8 and bool(END_MARKER.search(text))
    com = len(toks) <= 8 and bool(COMMENTS.search(text))
    running = float(words >= 8 and f.links < 0.35)
    good = float(words >= 15 and (f.sentence or words >= 30) and f.links < 0.35)
    row = [
        math.log1p(words),
        min(len(text) / max(words, 1), 20.0) / 10.0,
        f.links,
        float(bool(font) and same_font(f.font, font)),
        math.log(size / body) if size and body else 0.0,
        float(b.bold),
        float(b.italic),
        float(f.side),
        in_col,
        min((f.x1 - f.x0) / width, 2.0) if geo else 0.0,
        float(f.sentence),
        min(_share(punct, words), 2.0),
        _share(caps, len(toks)),
        min(_share(digits, len(text)), 1.0),
    ]
    row.extend(float(b.type == t) for t in _TYPES)
    row.append(float(b.type not in _TYPES))
    row.extend(float(rule == r) for r in _RULES)
    row.append(float(rep))
    row.append(float(end))
    row.append(float(com))
    row.append(float(words <= 120 and bool(AUTHOR_BIO.match(text))))
    row.append(art)
    row.append(aside)
    row.append(float(tagged and not tags))
    row.extend(roles[r] for r in _ROLES)
    row.append(running)
    row.append(good)
    return row


def block_rows(
    blocks: list[Block],
    feats: list[BlockFeatures],
    font,
    col,
    rep: set[int],
    title: int | None,
    ruled: list[bool] | None = None,
    packed: bool = False,
) -> list[list[float]]:
    """The feature rows (``FEATURES``, in order) of the blocks of one document; ``ruled``:
    the blocks the hand-set rules keep (None: all of them). ``packed``: each row an
    ``array('d')`` of the same values, not a list of float objects (a 1,000-page print's 28,000
    blocks: 18 MB instead of about 70)."""
    n = len(blocks)
    tagged = any(ln.tag is not None for b in blocks for ln in b.lines[:1])
    own = [  # each block's own features, all floats: kept packed while the rows are made
        array("d", _own(b, f, font, col, i in rep, tagged))
        for i, (b, f) in enumerate(zip(blocks, feats, strict=True))
    ]
    gi = _INDEX["good"]
    good = [r[gi] * feats[i].words for i, r in enumerate(own)]
    any_good = bool(sum(good))
    total = sum(good) or 1.0
    ai = _INDEX["tag_art"]
    art_doc = float(any(r[ai] > 0 for r in own))
    has_size = float(any(b.size for b in blocks))
    ei, ci = _INDEX["end_mark"], _INDEX["comments"]
    li, di = _INDEX["link"], _INDEX["digits"]
    short = [f.words < 8 for f in feats]
    run = _runs(short)
    goods = [i for i in range(n) if good[i]]
    dated = [short[i] and own[i][di] >= 0.1 for i in range(n)]
    header_types = (BlockType.BYLINE, BlockType.DATE)
    second = 0.0
    kept_at = [i for i in range(n) if ruled is None or ruled[i]]
    first, last = (kept_at[0], kept_at[-1]) if kept_at else (n, -1)
    rows = []
    before = since = 0.0  # the body's words before the block, and since the title
    seen_end = seen_com = 0.0
    for i in range(n):
        r = own[i]
        near = sum(good[max(0, i - 3) : i + 4]) - good[i]
        ctx = [
            i / max(1, n - 1),
            float(title is not None and i < title),
            float(i == title),
            math.log1p(abs(i - title)) * (1 if i >= title else -1) if title is not None else 0.0,
            seen_end,
            seen_com,
            before / total,
            (total - before - good[i]) / total if any_good else 0.0,
            math.log1p(near),
            art_doc,
            float(tagged),
            float(art_doc and r[ai] == 0),
            has_size,
            *_around(i, n, own, li, goods, dated, run, good, second),
        ]
        prev = own[i - 1] if i > 0 else None
        nxt = own[i + 1] if i + 1 < n else None
        row = r.tolist() + ctx
        row.extend(prev[k] if prev else 0.0 for k in _NEIGHBOUR_INDEX)
        row.extend(nxt[k] if nxt else 0.0 for k in _NEIGHBOUR_INDEX)
        row.extend(_ruled(ruled, i, n, first, last))
        rows.append(array("d", row) if packed else row)
        before += good[i]
        if title is None or i > title:
            since += good[i]
        if since >= 80 and blocks[i].type in header_types:
            second = 1.0  # a second article's byline or date: the page went on to another
        if since >= 40 and (r[ei] or r[ci]):
            seen_end = 1.0
            if r[ci]:
                seen_com = 1.0
    return rows


def _ruled(ruled: list[bool] | None, i: int, n: int, first: int, last: int) -> list[float]:
    def kept(j: int) -> float:
        return float(0 <= j < n and (ruled is None or ruled[j]))

    return [kept(i), float(i < first), float(i > last), kept(i - 1), kept(i + 1)]


def _runs(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags (True) it sits in (0 if False)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = j
    return out


def _around(i, n, own, li, goods, dated, run, good, second) -> list[float]:
    """The block's surroundings: a second article begun, the links around it, the run of
    short blocks it is in, the body text within eight blocks, how far the nearest running
    text is before and after it (in blocks), short dated lines near it (a comment thread)."""
    lo, hi = max(0, i - 3), min(n, i + 4)
    links = [own[j][li] for j in range(lo, hi) if j != i]
    wide = sum(good[max(0, i - 8) : i + 9]) - good[i]
    k = bisect.bisect_left(goods, i)
    before = i - goods[k - 1] if k > 0 else n
    k2 = bisect.bisect_right(goods, i)
    after = goods[k2] - i if k2 < len(goods) else n
    return [
        second,
        sum(links) / len(links) if links else 0.0,
        math.log1p(run[i]),
        math.log1p(wide),
        math.log1p(min(before, 50)),
        math.log1p(min(after, 50)),
        float(sum(dated[lo:hi]) - dated[i]),
    ]


class Logistic:
    """A logistic model over named features: standardised inputs, weights, a bias (the
    standardisation folded into the weights: one multiply-add a feature). A feature the model
    does not know weighs nothing."""

    __slots__ = ("weights", "bias")

    def __init__(self, data: dict, names: tuple[str, ...]):
        index = {n: i for i, n in enumerate(data["features"])}
        self.weights = [0.0] * len(names)
        self.bias = float(data["bias"])
        for j, name in enumerate(names):
            k = index.get(name)
            if k is not None:
                w = data["weights"][k] / (data["scale"][k] or 1.0)
                self.weights[j] = w
                self.bias -= w * data["mean"][k]

    def logits(self, rows: list[list[float]]) -> list[float]:
        ws, b = self.weights, self.bias
        out = []
        for row in rows:
            z = b
            for w, x in zip(ws, row, strict=True):
                if x:
                    z += w * x
            out.append(z)
        return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


class Model:
    """Two logistic stages: the block's own look (``FEATURES``), then the first stage's
    verdicts around it (``STAGE2``). ``params``: the window's settings fitted with it."""

    __slots__ = ("stage1", "stage2", "gate", "params")

    def __init__(self, data: dict, names: tuple[str, ...] = FEATURES):
        self.stage1 = Logistic(data["stage1"], names)
        self.stage2 = Logistic(data["stage2"], STAGE2) if data.get("stage2") else None
        self.gate = Logistic(data["gate"], GATE) if data.get("gate") else None
        self.params = data.get("params", {})

    def clean(self, rows: list[list[float]], p: list[float], words: list[int]) -> float:
        """The probability that the page is only the article (no site around it)."""
        if self.gate is None:
            return 0.0
        return sigmoid(self.gate.logits([page_row(rows, p, words)])[0])

    def proba(self, rows: list[list[float]], words: list[int]) -> list[float]:
        z = self.stage1.logits(rows)
        if self.stage2 is not None:
            z = self.stage2.logits(stage2_rows(z, words))
        return [sigmoid(v) for v in z]


@lru_cache(maxsize=4)
def load(kind: str = "pdf") -> Model | None:
    """The packaged model for ``kind`` (``pdf`` or ``text``), None if it has none. The text
    model reads ``FEATURES`` and then ``article_text.TEXT``."""
    try:
        raw = read_data("article_model.json")
    except (FileNotFoundError, OSError):
        return None
    part = json.loads(raw).get(kind)
    if not part:
        return None
    return Model(part, TEXT_FEATURES if kind == "text" else FEATURES)


# The second stage reads the first stage's verdicts on the block and around it, against the
# page's best: a paragraph between two of the article's is the article, however it looks.
STAGE2 = (
    "z",
    "z_rel",
    "z_prev",
    "z_next",
    "z_near",
    "z_max_before",
    "z_max_after",
    "mass_before",
    "mass_after",
    "words_log",
)


def _clip(z: float) -> float:
    return max(-8.0, min(8.0, z))


def top_logit(z: list[float], words: list[int], share: float = 0.25) -> float:
    """The logit above which the page's best ``share`` of its words score."""
    total = sum(words)
    acc = 0.0
    for q, w in sorted(zip(z, words, strict=True), reverse=True):
        acc += w
        if acc >= share * total:
            return q
    return max(z) if z else 0.0


def stage2_rows(z: list[float], words: list[int]) -> list[list[float]]:
    """Rows of ``STAGE2`` from the first stage's logits ``z`` and the blocks' words."""
    n = len(z)
    z = [_clip(v) for v in z]
    ref = top_logit(z, words) if n else 0.0
    mass = [w / (1.0 + math.exp(ref - 1.0 - v)) for v, w in zip(z, words, strict=True)]
    total = sum(mass) or 1.0
    rows = []
    before = 0.0
    run = -8.0
    max_before = []
    for v in z:
        max_before.append(run)
        run = max(run, v)
    max_after = [0.0] * n
    run = -8.0
    for i in range(n - 1, -1, -1):
        max_after[i] = run
        run = max(run, z[i])
    for i in range(n):
        near = [z[j] for j in range(max(0, i - 2), min(n, i + 3)) if j != i]
        rows.append(
            [
                z[i],
                z[i] - ref,
                z[i - 1] if i else -8.0,
                z[i + 1] if i + 1 < n else -8.0,
                sum(near) / len(near) if near else -8.0,
                max(-8.0, min(8.0, max_before[i] - ref)),
                max(-8.0, min(8.0, max_after[i] - ref)),
                before / total,
                (total - before - mass[i]) / total,
                math.log1p(words[i]),
            ]
        )
        before += mass[i]
    return rows


# A page with a site around its article, or a print that is only the article: what the page
# as a whole looks like once its blocks are scored.
GATE = (
    "unlikely_words",
    "very_unlikely_words",
    "link_lists",
    "before_title_words",
    "chrome_blocks",
    "repeated_blocks",
    "outside_article_words",
    "short_blocks",
    "blocks_log",
    "rule_dropped_words",
    "rule_after_words",
    # what the rules drop, counted (a small page's one nav line counts as a big page's): blocks
    # before the first they keep (chrome above the headline), link lines, chrome vocabulary,
    # and blocks inside the article they cut out
    "rule_before_blocks",
    "rule_link_drops",
    "rule_chrome_drops",
    "rule_inside_drops",
    # the words after an end-of-article marker ("Related", "12 Comments"), after a comments one
    "after_end_words",
    "after_comments_words",
    # ... and whether there is any at all: a print that is only the article has none above
    # its headline (454 of 454 development clean prints; 4% of the web prints)
    "rule_before_any",
    "rule_link_any",
)


def page_row(rows: list[list[float]], p: list[float], words: list[int]) -> list[float]:
    """The ``GATE`` features of one page from its blocks' rows and probabilities."""
    n = len(rows) or 1
    total = sum(words) or 1
    li, bi, ri, oi = (FEATURE_INDEX[k] for k in ("link", "before_title", "repeated", "out_art"))
    chrome = [FEATURE_INDEX[f"rule_{r}"] for r in ("phrase", "cookie", "chrome-word", "weak")]
    ki, ai = FEATURE_INDEX["rule_kept"], FEATURE_INDEX["rule_after"]
    rbi = FEATURE_INDEX["rule_before"]
    aei, aci = FEATURE_INDEX["after_end"], FEATURE_INDEX["after_comments"]
    after_end = after_com = 0.0
    unlikely = very = links = before = out = short = dropped = after = 0.0
    n_chrome = n_rep = 0
    r_before = r_links = r_chrome = r_inside = 0
    for row, q, w in zip(rows, p, words, strict=True):
        if q < 0.5:
            unlikely += w
        if q < 0.1:
            very += w
        if row[li] >= 0.5 and w:
            links += 1
        if row[bi]:
            before += w
        if row[oi]:
            out += w
        if w <= 3:
            short += 1
        if not row[ki]:
            dropped += w
        if row[ai]:
            after += w
        if row[aei]:
            after_end += w
        if row[aci]:
            after_com += w
        is_chrome = any(row[k] for k in chrome)
        n_chrome += is_chrome
        n_rep += bool(row[ri])
        if not row[ki]:
            r_before += bool(row[rbi])
            r_links += row[li] >= 0.5
            r_chrome += is_chrome
            r_inside += not row[rbi] and not row[ai]
    return [
        unlikely / total,
        very / total,
        links / n,
        before / total,
        n_chrome / n,
        n_rep / n,
        out / total,
        short / n,
        math.log1p(len(rows)),
        dropped / total,
        after / total,
        math.log1p(r_before),
        math.log1p(r_links),
        math.log1p(r_chrome),
        math.log1p(r_inside),
        after_end / total,
        after_com / total,
        float(r_before > 0),
        float(r_links > 0),
    ]
