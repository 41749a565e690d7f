"""Links: every URL the document holds ends up inline on its anchor text, or in ``doc.urls``.

Reads the blocks' links (PDF: anchored by the reader), the pages' link annotations and
``doc.urls``; writes the blocks' links, ``doc.urls`` (what anchors on no text) and stray links
into ``doc.removed``.

- PDF: the reader anchored each link annotation on the characters its rectangles cover; blocks
  carry those links already. Link annotations that anchor on nothing (a Chromium bug puts some
  on the wrong page) and links on removed text keep their URL in ``doc.urls``. A link cut by a
  page break goes on over the next page's words its slug spells (``cross-page-link``, applied
  where heal joins the two parts).
- Extracted text (``slug-match``): a URL is attached only where its slug spells a phrase of the
  text ("/russian-media-responds-to-belarus-protest-crackdown" -> "Russian Media Responds to
  Belarus Protest Crackdown"), at least three words, the whole slug less a trailing id.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from reflow.lexicon import Lazy
from reflow.model import Block, Document, InlineLink, Reason, Removed
from reflow.rules import rule

_TOKEN = Lazy(r"[^\W_]+")
_PAGE_EXT = Lazy(r"\.(html?|php|aspx?|shtml)$", re.IGNORECASE)
_SLUG_SEP = Lazy(r"[-_+]+")
_HEX_ID = Lazy(r"[0-9a-f]{6,}")


def slug_words(url: str) -> list[str]:
    """Words of the last meaningful path segment: ids, extensions and numbers dropped at the end."""
    path = unquote(urlparse(url).path).rstrip("/")
    segs = [s for s in path.split("/") if s]
    while segs:
        seg = _PAGE_EXT.sub("", segs[-1])
        words = [w.lower() for w in _SLUG_SEP.split(seg) if w]
        while words and (words[-1].isdigit() or _HEX_ID.fullmatch(words[-1])):
            words.pop()
        # An id (a UUID, a hash) is not a slug: most of a slug's words are words.
        if len(words) >= 3 and sum(w.isalpha() for w in words) * 4 >= len(words) * 3:
            return words
        segs.pop()
    return []


def _find_phrase(text: str, words: list[str]) -> tuple[int, int] | None:
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    flat = [t for t, _, _ in toks]
    n = len(words)
    for i in range(len(flat) - n + 1):
        if flat[i : i + n] == words:
            return toks[i][1], toks[i + n - 1][2]
    # Slugs drop apostrophes: "putin-s" vs "Putin's" tokenise alike ("putin", "s").
    return None


@rule("slug-match", stage="links")
def attach_by_slug(doc: Document) -> None:
    """Extracted text keeps no link annotations, only the URLs an extractor dumped: a URL goes
    on the phrase of the text its slug spells, whole ("/russian-media-responds-to-belarus-
    protest-crackdown" -> "Russian Media Responds to Belarus Protest Crackdown"), at least
    three words; never a guess. The others stay listed after the article."""
    remaining: list[str] = []
    for url in doc.urls:
        words = slug_words(url)
        placed = False
        if words:
            for b in doc.blocks:
                hit = _find_phrase(b.text, words)
                if hit and not any(lk.start < hit[1] and hit[0] < lk.end for lk in b.links):
                    b.links.append(InlineLink(hit[0], hit[1], url))
                    b.links.sort(key=lambda lk: lk.start)
                    placed = True
                    break
        if not placed:
            remaining.append(url)
    doc.urls = remaining


@rule("cross-page-link", stage="heal")
def carry_across_page(head: str, links: list[InlineLink], tail: str, off: int, urls) -> None:
    """A link that wraps onto the next page keeps going. Chromium misplaces
    the next page's piece of such a link (its rectangle lands off the text), so the anchor
    would stop at the page break. When a link reaches the end of ``head`` (the paragraph's part
    on one page), its URL has an annotation on the next page too (``urls``), and its words sit in
    the URL's slug, the link goes on over the words of ``tail`` (the part on the next page,
    placed at ``off`` in the joined text) that carry on the slug: the text-path evidence,
    never a guess ("probe measured a" + "big increase in" for
    /probe-measured-a-big-increase-in-2024-05-13/)."""
    for lk in links:
        if lk.url not in urls or head[lk.end :].strip(" \u00ad-\u2010"):
            continue
        words = slug_words(lk.url)
        anchor = [t.lower() for t in _TOKEN.findall(head[lk.start : lk.end])]
        if not words or not anchor:
            continue
        n = len(anchor)
        at = next((i for i in range(len(words) - n + 1) if words[i : i + n] == anchor), None)
        if at is None:
            continue
        rest = words[at + n :]
        end = None
        for j, m in enumerate(_TOKEN.finditer(tail)):
            if j >= len(rest) or m.group(0).lower() != rest[j]:
                break
            end = m.end()
        if end is not None:
            lk.end = off + end


def _dedupe(urls: list[str]) -> list[str]:
    seen, out = set(), []
    for u in urls:
        if u not in seen:
            seen.add(u)
            out.append(u)
    return out


def _clip_links(b: Block) -> None:
    n = len(b.text)
    good = []
    for lk in b.links:
        s, e = max(0, lk.start), min(n, lk.end)
        while s < e and b.text[s].isspace():
            s += 1
        while e > s and b.text[e - 1].isspace():
            e -= 1
        if e > s:
            good.append(InlineLink(s, e, lk.url))
    b.links = good


_POLICY_URL = Lazy(r"privacy|cookie", re.IGNORECASE)
_POLICY_WORDS = Lazy(r"privacy|cookie|polic|datenschutz|consent", re.IGNORECASE)


def _cut(text: str, i: int) -> bool:
    """Whether position ``i`` falls inside a word: letters or digits on both sides, and not a
    lower-case letter before a capital (a lost space: "Meg James|Staff Writer")."""
    if not 0 < i < len(text):
        return False
    a, b = text[i - 1], text[i]
    return a.isalnum() and b.isalnum() and not (a.islower() and b.isupper())


@rule("sticky-link", stage="links")
def sticky_urls(doc: Document) -> set[str]:
    """URLs whose link sits at the same place on two pages or more: a fixed bar or button that
    the browser printed on every page, over whatever text is there."""
    seen: dict[tuple, set[int]] = {}
    for page in doc.pages:
        for annot in page.links:
            for r in annot.rects[:1]:
                key = (annot.url, *(round(v / 2) for v in r))
                seen.setdefault(key, set()).add(page.number)
    return {key[0] for key, pages in seen.items() if len(pages) >= 2}


@rule("stray-link", stage="links")
def is_stray(text: str, lk: InlineLink) -> bool:
    """A link annotation of the site's chrome that the print laid over the
    article (a sticky bar, a share button, a cookie banner) lands on words it has nothing to do
    with: its rectangle cuts a word of the text under it ("Delh[i's air polluti]on", "[at
    firs]t"), or it leads to the site's privacy or cookie page from words that do not speak of
    it. A real anchor begins and ends at a word's edge, and a link at the same place on two
    pages (``_sticky_urls``) is the site's bar, not the article's."""
    if _cut(text, lk.start) or _cut(text, lk.end):
        return True
    return bool(_POLICY_URL.search(lk.url) and not _POLICY_WORDS.search(text[lk.start : lk.end]))


def attach_links(doc: Document) -> Document:
    if doc.kind == "text":
        doc.urls = _dedupe(doc.urls)
        attach_by_slug(doc)
        return doc
    attached = set()
    stray: set[str] = set()
    sticky = sticky_urls(doc)
    for b in doc.blocks:
        _clip_links(b)
        keep = []
        for lk in b.links:
            if lk.url in sticky or is_stray(b.text, lk):  # reported with the furniture
                doc.removed.append(
                    Removed(b.text[lk.start : lk.end], Reason.STRAY_LINK, b.page, urls=[lk.url])
                )
                stray.add(lk.url)
            else:
                keep.append(lk)
        b.links = keep
        attached.update(lk.url for lk in b.links)
    skip = attached | stray | links_on_removed_text(doc, attached)
    extra = [lk.url for page in doc.pages for lk in page.links if lk.url not in attached]
    doc.urls = _dedupe([u for u in doc.urls + extra if u not in skip])
    return doc


@rule("removed-links", stage="links")
def links_on_removed_text(doc: Document, attached: set[str]) -> set[str]:
    """A link anchored on text that reflow removed (site navigation, a
    footer) goes with that text into ``doc.removed`` (its ``urls``), not into the list after the
    article; only links that anchor on no text at all are listed there."""
    by_page: dict[int, list] = {}
    for r in doc.removed:
        by_page.setdefault(r.page, []).append(r)
    placed: set[str] = set()
    for page in doc.pages:
        # a removed block that a page break cut is reported on its first page
        removed = by_page.get(page.number, []) + by_page.get(page.number - 1, [])
        if not removed:
            continue
        for ln in page.lines:
            for lk in ln.links:
                if lk.url in attached:
                    continue
                anchor = ln.text[lk.start : lk.end].strip()
                for r in removed:
                    if anchor and anchor in r.text:
                        if lk.url not in r.urls:
                            r.urls.append(lk.url)
                        placed.add(lk.url)
                        break
    return placed
