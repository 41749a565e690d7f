"""Titles: the article's own headline, matched against the page title a browser printed.

A web page's ``<title>`` reaches the PDF twice: in the info dictionary (whole) and in the print
header (``Facts.print_title``, maybe elided). The article's headline is the block that matches
it best, once the site's name is cut off ("Night trains return | Example Daily").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reflow.lexicon import PRINTED_AT, Lazy
from reflow.model import BlockType, Document
from reflow.rules import rule
from reflow.structure.titlerank import scored_titles

_QUOTES = str.maketrans({c: "'" for c in "‘’`´"} | {c: '"' for c in "“”«»„"})
_NON_WORD = Lazy(r"[^\w']+")


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    """Lower case, quotes unified, runs of other non-word characters to one space. Cached: the
    title is matched against the same blocks by the metadata and the article stages."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    return _NON_WORD.sub(" ", text).strip()


# The separators sites put between a headline and their name in <title>.
TITLE_SEPARATORS = Lazy(r"\s+(?:\||-|–|—|::|:|·|•|»|/)\s+")
JUNK_TITLE = Lazy(
    r"^(?:untitled|microsoft (?:word|powerpoint|excel)\b|powerpoint presentation$|document\d*$|"
    r"slide \d+|title$|"
    r"[\w\-]+\.(?:docx?|pptx?|xlsx?|pdf|tex|dvi|indd|qxd|rtf|odt)$)|^\s*$",
    re.IGNORECASE,
)


def title_parts(title: str) -> list[str]:
    """The page title and its pieces without the site's name: "Opinion | X - The New York Times"
    -> ["Opinion | X - The New York Times", "Opinion | X", "X", ...], longest first."""
    title = title.strip().rstrip("…").strip()
    out = [title]
    pieces = TITLE_SEPARATORS.split(title)
    if len(pieces) > 1:
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces) + 1):
                part = " - ".join(pieces[i:j]).strip()
                if part and part not in out:
                    out.append(part)
    return sorted(out, key=len, reverse=True)


def strip_site(title: str) -> str:
    """The headline part of a page title: the longest piece between site separators."""
    pieces = [p.strip() for p in TITLE_SEPARATORS.split(title.strip()) if p.strip()]
    if len(pieces) <= 1:
        return title.strip()
    return max(pieces, key=len)


@lru_cache(maxsize=64)
def _title_forms(page_title: str) -> tuple[int, tuple[tuple[str, float], ...], str, int]:
    """The page title's normalised pieces with their cover of the headline, computed once."""
    headline = _norm(strip_site(page_title))
    head = len(headline) or 1
    parts = []
    for part in title_parts(page_title):
        np_ = _norm(part)
        if np_:
            parts.append((np_, min(1.0, len(np_) / head)))
    words = set(headline.split())
    return head, tuple(parts), " ".join(sorted(words)), len(words)


@lru_cache(maxsize=4096)
def _title_match(text: str, page_title: str) -> float:
    """How well a block's text matches the page title (0..1): the best ratio over the title's
    pieces, scaled down for pieces shorter than the headline (the site's name matches its own
    masthead perfectly but is not the title); a block that is a long prefix of an elided title
    counts too. Cached: the metadata and article stages score the same blocks."""
    from rapidfuzz import fuzz

    nt = _norm(text)
    if len(nt) < 4:
        return 0.0
    _head, parts, head_words, n_head = _title_forms(page_title)
    best = 0.0
    for np_, cover in parts:
        r = fuzz.ratio(nt, np_) / 100.0 * cover
        # the print header elides long titles: "Lawan moves motion for Senate’s adjournment ov…"
        if (
            len(np_) >= 25
            and (nt.startswith(np_) or np_.startswith(nt))
            and len(nt) >= 0.5 * len(np_)
        ):
            r = max(r, 0.9 * cover)
        best = max(best, r)
    # the same words in another order or with a word more ("Homemade Spiced Honey Pear Jam for the
    # Holidays" for the page title "Spiced Honey Pear Jam Recipe")
    tb = set(nt.split())
    if len(tb) >= 3 and n_head >= 3:
        r = fuzz.token_set_ratio(nt, head_words) / 100.0
        best = max(best, 0.9 * r * min(1.0, len(tb) / n_head))
    return best


_SITE_SEPARATOR = Lazy(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")


@lru_cache(maxsize=4096)
def _is_site_name(text: str, page_title: str) -> bool:
    """The text is the last piece of the page title after a separator that is not a colon,
    where sites put their name ("Example Daily" of "Night trains return | Example Daily")."""
    from rapidfuzz import fuzz

    pieces = [p for p in _SITE_SEPARATOR.split(page_title.strip()) if p.strip()]
    if len(pieces) < 2:
        return False
    nt, last = _norm(text), _norm(pieces[-1])
    return bool(nt and last) and fuzz.ratio(nt, last) >= 90


def page_title(doc: Document) -> str | None:
    """The page's <title> as the browser printed it (info Title is whole; the header may elide)."""
    for v in (doc.info.get("Title"), doc.info.get("title"), doc.facts.print_title):
        v = (v or "").strip()
        if v and not JUNK_TITLE.search(v):
            return v
    return None


def title_candidates(doc: Document, max_blocks: int = 400, threshold: float = 0.72):
    """``[(index, score)]`` of the blocks that could be the article's title, best first: on a
    web print (a PDF), the blocks the title model scores above its threshold (``title-score``:
    the headline set large, not the dek the page title matches better), then the other blocks
    that match the printed page title (``page-title-match``); elsewhere those alone."""
    # Extracted text of a web print still carries the print header's page title.
    pt = page_title(doc) if doc.kind == "pdf" or doc.metadata.web_print else None
    if not pt:
        return []
    # The metadata and article stages both ask, about the same blocks: answer once.
    blocks = doc.blocks[:max_blocks]
    key = (
        pt,
        threshold,
        tuple((id(b), b.type, b.text, b.size) for b in blocks),
    )
    cached = doc.facts.cache.get("title_candidates")
    if cached is not None and cached[0] == key and cached[2] is doc.blocks:
        return list(cached[1])
    out = _title_candidates(doc, blocks, pt, threshold)
    if doc.kind == "pdf" and doc.metadata.web_print:
        scored = scored_titles(doc, lambda t: _title_match(t, pt), lambda t: _is_site_name(t, pt))[
            :1
        ]
        seen = {i for i, _ in scored}
        out = scored + [(i, s) for i, s in out if i not in seen]
    doc.facts.cache["title_candidates"] = (key, tuple(out), doc.blocks)
    return out


@rule("page-title-match", stage="header")
def page_title_matches(doc: Document, max_blocks: int = 400, threshold: float = 0.72):
    """``[(index, score)]`` of the blocks that match the printed page title, best first (ties:
    larger type, earlier): "Night trains return" for the page title "Night trains return |
    Example Daily". Blocks that are lists, captions, code, tables, longer than 60 words, or
    carry a print stamp or a URL are not candidates."""
    pt = page_title(doc) if doc.kind == "pdf" or doc.metadata.web_print else None
    if not pt:
        return []
    return _title_candidates(doc, doc.blocks[:max_blocks], pt, threshold)


_NOT_TITLES = frozenset({"list_item", "caption", "footnote", "code", "table"})


def _title_candidates(doc: Document, blocks: list, pt: str, threshold: float):
    out = []
    for i, b in enumerate(blocks):
        if b.type in _NOT_TITLES:
            continue
        words = len(b.text.split())
        if words > 60 or words == 0 or PRINTED_AT.search(b.text):
            continue
        s = _title_match(b.text, pt)
        if s >= threshold:
            out.append((i, s))
    out.sort(key=lambda t: (round(t[1], 1), doc.blocks[t[0]].size, -t[0]), reverse=True)
    return out


def find_title_block(doc: Document, max_blocks: int = 400) -> int | None:
    """Index of the block that is the article's title, or None.

    Web prints: the block matching the page title best (ties: larger type, earlier). Others: the
    block the roles stage typed ``title``.
    """
    if not doc.blocks:
        return None
    cands = title_candidates(doc, max_blocks)
    if cands:
        return cands[0][0]
    for i, b in enumerate(doc.blocks):
        if b.type == "title":
            return i
    return None


def set_title(doc: Document, index: int) -> None:
    """Make ``doc.blocks[index]`` the one title block (``Facts.title_index``, ``Facts.title``)."""
    tb = doc.blocks[index]
    for b in doc.blocks:
        if b.type == BlockType.TITLE and b is not tb:
            b.type = BlockType.HEADING
            b.level = b.level or 2
    tb.type = BlockType.TITLE
    tb.level = 1
    doc.facts.title = clean_title(tb.text)
    doc.facts.title_index = index


def clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
