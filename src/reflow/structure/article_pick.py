"""Article mode's choice from the model's verdicts (``structure/article_model.py``): one
contiguous article over the blocks' probabilities (``article-window``), a print that is only the
article kept whole (``clean-page``), and the chrome rules' evidence weighed against the model
(``model-chrome``, ``clean-page-chrome``, ``clean-page-agree``).

Everything here reads numbers: each block's probability, words and features, the hand-set
rules' verdict; ``structure/article.py`` measures them and applies the choice.
"""

from __future__ import annotations

from reflow.rules import rule
from reflow.settings import ArticleSettings
from reflow.structure.article_model import FEATURE_INDEX, Model
from reflow.structure.body import BlockFeatures


@rule("dense-region", stage="article")
def max_window(values: list[float]) -> tuple[int, int]:
    """The article is the contiguous run of blocks (reading order, across pages) with the most
    body text: body-font running text counts for its words, chrome against. A maximum-sum
    window (Kadane) picks it, so a nav bar before and a footer after fall away."""
    best, best_s, best_e = float("-inf"), 0, -1
    cur, cur_s = 0.0, 0
    for i, v in enumerate(values):
        if cur <= 0:
            cur, cur_s = v, i
        else:
            cur += v
        if cur > best:
            best, best_s, best_e = cur, cur_s, i
    return best_s, best_e


def _top_share(p: list[float], words: list[int], share: float) -> float:
    """The probability above which the page's best ``share`` of its words score."""
    total = sum(words)
    if not total:
        return 1.0
    acc = 0.0
    for q, w in sorted(zip(p, words, strict=True), reverse=True):
        acc += w
        if acc >= share * total:
            return q
    return 0.0


@rule("article-window", stage="article")
def article_window(
    p: list[float],
    words: list[int],
    header: list[bool],
    title: int | None,
    s: ArticleSettings,
    ruled: list[bool] | None = None,
) -> list[int]:
    """The article is one contiguous run of blocks: the model's verdicts, weighed by each
    block's words, summed over a maximum-sum window (a box inside the article, low as it
    scores, is bridged when the article goes on after it; a footer after the article and the
    menus before it fall away). It starts at the title when the title comes before the window's
    end; inside it, a block the model finds unlikely goes (the header's title, byline and date
    stay; a block the hand-set rules keep goes only below ``model_rule_drop``, a list item in
    the middle of its list the model half doubts). The kept blocks' indexes, in order."""
    t, c = s.model_window_threshold, s.model_block_words
    # every print holds an article: on a page whose best text scores low (an unusual site), the
    # threshold follows the page's own best blocks
    t = min(t, s.model_relative_share * _top_share(p, words, s.model_top_share))
    values = [(q - t) * (w + c) for q, w in zip(p, words, strict=True)]
    if ruled is not None and s.model_bridge_inside:
        values = bridge_inside(values, ruled)
    start, end = max_window(values)
    if end < start:
        return []
    if title is not None and title <= end:
        start = title
    keep = min(s.model_keep_threshold, t)  # inside, never stricter than the window itself
    both = min(keep, s.model_rule_drop)
    return [
        i
        for i in range(start, end + 1)
        if header[i] or p[i] >= (both if ruled is not None and ruled[i] else keep)
    ]


@rule("bridge-inside", stage="article")
def bridge_inside(values: list[float], ruled: list[bool]) -> list[float]:
    """A box the hand-set rules cut out of the middle of their article (a newsletter sign-up,
    an advert label between two paragraphs they keep) weighs nothing in the model's window
    instead of against it: the article goes on after it, and the window does not end there
    (the box itself still goes, by ``model-rule-agree``)."""
    kept = [i for i, k in enumerate(ruled) if k]
    if not kept:
        return values
    first, last = kept[0], kept[-1]
    return [max(v, 0.0) if first < i < last and not ruled[i] else v for i, v in enumerate(values)]


@rule("clean-page", stage="article")
def clean_page(model: Model, rows, p: list[float], words: list[int], s: ArticleSettings) -> bool:
    """A print that is only the article (a reader-mode page, a clean article printed alone)
    is kept whole, captions, credits and references with it: the model's gate reads the page
    as a whole (how much of it scores unlikely, link lists, text before the title, chrome
    phrases, repeated blocks, text outside its ``<article>``) and says no site is around it."""
    return model.clean(rows, p, words) >= s.clean_page_threshold


_SITE_RULES = frozenset({"phrase", "cookie"})


@rule("clean-page-chrome", stage="article")
def clean_page_chrome(feats: list[BlockFeatures], s: ArticleSettings) -> bool:
    """A page where the chrome rules find several blocks of the site's own vocabulary
    ("Sign up for our newsletter", "Privacy policy | Terms of use", a cookie notice) has a
    site around its article, whatever the gate says: a clean print has at most one or two
    (of 440 clean-article prints, 3 have three or more; of 1,330 web prints, 718)."""
    return sum(1 for f in feats if f.rule in _SITE_RULES) >= s.clean_page_max_chrome


@rule("model-chrome", stage="article")
def model_chrome(f: BlockFeatures, q: float, s: ArticleSettings) -> bool:
    """Inside the model's article, a block the chrome rules know ("Sign up", a photo credit,
    "Advert", a block printed at the same place on several pages) goes unless the model is
    sure of it: the model weighs the vocabulary as one cue among many, and the silver bodies
    it learns from keep some chrome."""
    return f.boiler and q < s.model_chrome_keep


@rule("clean-page-agree", stage="article")
def clean_page_agree(
    p: list[float],
    ruled: list[bool],
    header: list[bool],
    s,
    site: list[bool] | None = None,
    inside: list[bool] | None = None,
    thread: list[bool] | None = None,
) -> set[int]:
    """On a page the gate finds only the article, a block still goes when both say so: the
    hand-set rules drop it and the model finds it unlikely. Inside the rules' article (between
    the first and the last block they keep, ``inside``), below ``clean_page_agree``, or, a link
    line, a block of the site's vocabulary or one beside the body column (``site``), below
    ``clean_page_site_agree``; above or below it, a block of a site's box
    (``clean-page-thread``), below ``clean_page_thread_agree``. A small site's page (a blog
    post with its comment thread, a link line between its paragraphs, a closing bio) looks
    clean to the gate as a whole; its boxes do not, to either, while what a clean print's
    rules drop (captions, credits, references after the end) stays. The kept blocks' indexes."""
    t, ts, tt = s.clean_page_agree, s.clean_page_site_agree, s.clean_page_thread_agree
    site = site or [False] * len(p)
    inside = inside or [True] * len(p)
    thread = thread or [False] * len(p)
    return {
        i
        for i, q in enumerate(p)
        if header[i]
        or ruled[i]
        or not ((inside[i] and (q < t or (site[i] and q < ts))) or (thread[i] and q < tt))
    }


_RB, _RA = FEATURE_INDEX["rule_before"], FEATURE_INDEX["rule_after"]
_THREAD = tuple(
    FEATURE_INDEX[k]
    for k in (
        "comments",
        "after_comments",
        "bio",
        "side",
        "repeated",
        "rule_phrase",
        "rule_cookie",
        "rule_weak",
    )
)


@rule("clean-page-thread", stage="article")
def clean_page_thread(rows: list[list[float]]) -> tuple[list[bool], list[bool]]:
    """Where each block the rules drop stands for ``clean-page-agree``: inside their article
    (neither above the first block they keep nor below the last), and whether it is of a
    site's box wherever it stands: a comment thread (its marker or under it), an author's
    bio, a block beside the body column or repeated at the same place on several pages, the
    site's vocabulary (a share bar, a cookie notice, a label). Captions, photo credits and
    link lists after an end marker (references, "See also") are none of these: on the 454
    clean development prints what the rules drop there is the article's."""
    inside = [not r[_RB] and not r[_RA] for r in rows]
    thread = [any(r[k] for k in _THREAD) for r in rows]
    return inside, thread


@rule("model-rule-agree", stage="article")
def model_rule_agree(q: float, ruled: bool, s: ArticleSettings) -> bool:
    """Inside the model's article, a block the hand-set rules drop (a link line between two
    paragraphs, a nav line over the title, a closing bio) stays only when the model is sure of
    it (``model_rule_keep``, fitted by site folds): the model reads the rules' verdict as one
    feature among many, and the silver bodies it learns from keep some of what they drop."""
    return ruled or q >= s.model_rule_keep


def model_selection(
    model: Model,
    rows: list[list[float]],
    p: list[float],
    feats: list[BlockFeatures],
    header: list[bool],
    title: int | None,
    ruled: list[bool],
    s: ArticleSettings,
) -> set[int] | None:
    """The blocks the model's choice keeps (None: the page stays whole)."""
    words = [f.words for f in feats]
    if clean_page(model, rows, p, words, s) and not clean_page_chrome(feats, s):
        # a photo credit inside a clean article is the article's (the reader's print keeps it)
        site = [(f.boiler and f.rule != "photo-credit") or f.links >= 0.5 or f.side for f in feats]
        kept = clean_page_agree(p, ruled, header, s, site, *clean_page_thread(rows))
        return None if len(kept) == len(p) else kept
    kept = set(article_window(p, words, header, title, s, ruled))
    kept = {
        i
        for i in kept
        if header[i]
        or (not model_chrome(feats[i], p[i], s) and model_rule_agree(p[i], ruled[i], s))
    }
    if not kept or not any(feats[i].good or feats[i].words >= 15 for i in kept):
        return None
    return kept
