"""Word accounting: every word of the text layer is in the output or in ``removed``, or a
warning names its page, so that no loss is ever silent.

The words are those of a page's text layer as the reader got it (``Page.layer``: PDFium's own
characters of the page, the ones the reader builds its lines from; the lines of a page read by
OCR; an extracted text's page), as a multiset of tokens (``words``): NFKC, case-folded runs of
letters and digits, and each character of a script written without spaces (CJK, kana, Hangul)
one word. A word a line end breaks with a hyphen (PDFium's merged U+0002, a soft hyphen, "-" and
a newline) counts whether the output joined it or not (``layer_tokens``). The output's words are
the blocks' (text, list markers, table cells) and the texts of ``removed`` (not the link targets
of ``stray-link``, whose words are a block's, nor ``decoration`` images).

``benchmarks/realworld/run.py`` scores the real-world corpus with the same tokens; it reads the
text layer anew with pypdfium2 (``get_text_range``), which gives the same words.

Stages: ``note_layer`` (first: the text of pages the PDF reader did not note, OCR and extracted
text) and ``account_words`` (last, rule ``word-accounting``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from reflow.lexicon import Lazy
from reflow.model import Block, Document, Reason
from reflow.rules import rule

# Scripts written without spaces (CJK, kana, Hangul): one character is one token, as lines of
# them are joined without a space.
_DENSE_RANGES = (
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x31A0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
DENSE = "".join(f"{chr(a)}-{chr(b)}" for a, b in _DENSE_RANGES)
# Compiled on first use (lexicon.Lazy): a class of the dense scripts' ~40,000 characters takes
# ~5 ms to compile, and most documents never need _WORD.
_WORD = Lazy(lambda: (f"[{DENSE}]|[^\\W_{DENSE}]+", 0))
# Where a dense character may be: Hangul Jamo, or U+3000 and up (not the quotes, dashes and
# symbols of U+2000-U+2FFF a Latin text has): a class ~5x cheaper to compile than the scripts'
# own, each character it finds checked against them (_has_dense)
_MAYBE_DENSE = Lazy(r"[^\x00-\u10ff\u1200-\u2fff]")
_PLAIN_WORD = Lazy(r"[^\W_]+")  # the same tokens in a text without those scripts
# Joiners a text layer leaves inside a word broken at a line end: PDFium's merged hard hyphen
# (U+0002 in the text page, U+FFFE from get_text_range), a soft hyphen, a hyphen before a break.
_BREAK = Lazy(r"[\ufffe\x02]|\u00ad\s*|(?<=\w)[-\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*(?=\w)")
_QUICK_BREAK = Lazy(r"[\ufffe\x02\u00ad]|[-\u2010][ \t]*[\r\n]")


def _has_dense(norm: str) -> bool:
    """Whether ``norm`` has a character of a dense script (the class ``[DENSE]`` finds)."""
    m = _MAYBE_DENSE.search(norm)
    while m is not None:
        o = ord(m.group())
        if any(a <= o <= b for a, b in _DENSE_RANGES):
            return True
        m = _MAYBE_DENSE.search(norm, m.end())
    return False


# The PDF reader's mark at the second index of a character above U+FFFF (readers/pdf.py
# PAIR_TAIL): no character of the text, dropped from its words as the reader drops it.
_PAIR_TAIL = "\U0001ffff"

Token = str | tuple[str, str]
_SKIP = frozenset({Reason.STRAY_LINK, Reason.DECORATION})


def _norm(text: str) -> str:
    if text.isascii():
        return text.lower()
    if _PAIR_TAIL in text:
        text = text.replace(_PAIR_TAIL, "")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def _tokens(norm: str) -> list[str]:
    if norm.isascii() or not _has_dense(norm):
        return _PLAIN_WORD.findall(norm)
    return _WORD.findall(norm)


def words(text: str) -> list[str]:
    """Word tokens: NFKC, case-folded runs of letters and digits (one character of a script
    written without spaces)."""
    return _tokens(_norm(text))


def layer_tokens(text: str) -> list[Token]:
    """Text-layer tokens, where a word broken at a line end is one ``(first, rest)`` pair that
    matches either joined or as its two halves."""
    if not _QUICK_BREAK.search(text):
        return list(words(text))
    out: list[Token] = []
    for i, piece in enumerate(_BREAK.split(text)):
        ws = words(piece)
        if i and out and ws and isinstance(out[-1], str):
            out[-1] = (out[-1], ws[0])
            ws = ws[1:]
        out.extend(ws)
    return out


def _take(t: Token, pools: tuple[Counter, ...]) -> int:
    """How many of token ``t``'s words the pools all have, taken out of each of them."""
    if isinstance(t, str):
        if all(p[t] > 0 for p in pools):
            for p in pools:
                p[t] -= 1
            return 1
        return 0
    joined = t[0] + t[1]
    if all(p[joined] > 0 for p in pools):
        for p in pools:
            p[joined] -= 1
        return 2
    return sum(_take(w, pools) for w in t)


def kept_fraction(tokens: list, out: Counter) -> tuple[int, int]:
    """(text-layer words, how many of them the output has), multiset-wise."""
    have = Counter(out)
    total = found = 0
    for t in tokens:
        t = t if isinstance(t, str) else (t[0], t[1])  # a pair read back from JSON is a list
        total += 1 if isinstance(t, str) else 2
        found += _take(t, (have,))
    return total, found


def block_words(b: Block) -> list[str]:
    """The words a block puts in the output: its text, its list marker, its table's cells."""
    out = words(b.text)
    if b.marker:
        out += words(b.marker)
    if b.rows and not b.text.strip():
        out += [w for row in b.rows for cell in row for w in words(cell)]
    return out


def note_layer(doc: Document) -> Document:
    """Pipeline stage (first): the text layer of the pages the PDF reader did not note, as their
    lines are before any stage takes something out (OCR, extracted text)."""
    for page in doc.pages:
        if page.layer is None or page.ocr:
            page.layer = "\n".join(ln.text for ln in page.lines)
    return doc


def _pages(nums: list[int]) -> str:
    runs: list[list[int]] = []
    for n in sorted(nums):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _output_texts(doc: Document) -> list[str]:
    texts = [b.text for b in doc.blocks]
    texts += [b.marker for b in doc.blocks if b.marker]
    texts += [c for b in doc.blocks if b.rows and not b.text.strip() for r in b.rows for c in r]
    texts += [r.text for r in doc.removed if r.reason not in _SKIP]
    return texts


def _counted_words(texts: list[str], chunk: int = 256) -> Counter:
    """``Counter(words("\\n".join(texts)))``, a few texts at a time (a line end joins nothing):
    the same counts without the list of all the words of a document."""
    have: Counter = Counter()
    for i in range(0, len(texts), chunk):
        have.update(words("\n".join(texts[i : i + chunk])))
    return have


def _local_texts(doc: Document) -> dict[int, list[str]]:
    """The output's texts by page: a block's (text, marker, table cells) on its page, a block
    a page break cuts by its lines' pages (its words counted once), a removal's on its page.
    Texts, not word counts: a page's words are counted when its page is looked at
    (``_local_words``), so that a long document never holds all its pages' counts at once
    (~35 MB on a 1,000-page print)."""
    local: dict[int, list[str]] = {}
    for b in doc.blocks:
        if len(b.pages) > 1 and b.lines:
            for ln in b.lines:
                local.setdefault(ln.page, []).append(ln.text)
            if b.marker:
                local.setdefault(b.page, []).append(b.marker)
        else:
            texts = local.setdefault(b.page, [])
            texts.append(b.text)  # block_words(b)'s texts
            if b.marker:
                texts.append(b.marker)
            if b.rows and not b.text.strip():
                texts += [cell for row in b.rows for cell in row]
    for r in doc.removed:
        if r.reason not in _SKIP:
            local.setdefault(r.page, []).append(r.text)
    return local


def _local_words(texts: list[str]) -> Counter:
    """The words of one page's output texts (``_local_texts``)."""
    have: Counter = Counter()
    for t in texts:
        have.update(words(t))
    return have


def _count_layer(layers: list[str]) -> tuple[Counter, list[tuple[str, str]]]:
    """The words of the text layers of pages (apart by a form feed) as ``layer_tokens`` has
    them, counted: the words that stand alone, and the pairs of a word a line end breaks. One
    pass of the tokenizer over the text; the few breaks are found apart (a break is no word
    character, so both halves are tokens). Normalised and counted page by page (a form feed
    joins nothing, in NFKC nor in a token: the same as the whole text at once), so no list of
    a whole document's words is made (~60 MB on a 1,000-page print)."""
    norms = [_norm(t) for t in layers]
    need: Counter = Counter()
    for piece in norms:
        need.update(_tokens(piece))
    norm = "\f".join(norms)
    del norms
    pairs: list[tuple[str, str]] = []
    last = -1
    for q in _QUICK_BREAK.finditer(norm):
        m = _BREAK.match(norm, max(0, q.start()))
        if m is None:
            continue
        j = m.start()
        while j > 0 and norm[j - 1].isspace():
            j -= 1
        i = j
        while i > 0 and norm[i - 1].isalnum():
            i -= 1
        k = m.end()
        while k < len(norm) and norm[k].isspace():
            k += 1
        e = k
        while e < len(norm) and norm[e].isalnum():
            e += 1
        x, y = norm[i:j], norm[k:e]
        if x and y and i > last and need[x] > 0 and need[y] > 0:
            need[x] -= 1
            need[y] -= 1
            pairs.append((x, y))
            last = k  # "a-/b-/c": b is taken, as layer_tokens has it
    return need, pairs


def missing_words(
    doc: Document, at_least: int = 1
) -> tuple[int, dict[int, tuple[int, int]], list[str]]:
    """The text layer's words, and per page (its words, how many of them are neither in the
    output nor in ``removed``) with some of the words missing. The whole document is counted
    first, at once (most lose nothing); one that lacks fewer than ``at_least`` words is not
    looked at page by page (no pages). Page by page, each page's words are looked for first
    among the blocks and removals on that page, then in what is left of the whole output."""
    pages = [p for p in doc.pages if p.layer]
    # Pages apart by a form feed: no line-end break pairs a page's last word with the next's
    need, pairs = _count_layer([p.layer for p in pages])
    total = need.total() + 2 * len(pairs)
    have = _counted_words(_output_texts(doc))
    left = have.copy()
    lost = sum(2 - _take(pair, (left,)) for pair in pairs)
    for w, n in need.items():
        if n > left[w]:
            lost += n - left[w]
    if lost < at_least:
        return total, {}, []
    local = _local_texts(doc)
    pending: list[tuple[int, int, list[Token]]] = []
    for p in pages:
        pools = (have, _local_words(local.get(p.number, ())))
        toks = layer_tokens(p.layer)
        n = len(toks) + sum(1 for t in toks if t.__class__ is tuple)
        rest = [t for t in toks if _take(t, pools) < (1 if t.__class__ is str else 2)]
        pending.append((p.number, n, rest))
    result: dict[int, tuple[int, int]] = {}
    sample: list[str] = []
    for num, n, rest in pending:
        lost = 0
        for t in rest:
            if t.__class__ is str:
                if _take(t, (have,)):
                    continue
                missed = [t]
            else:  # joined, else its halves
                joined = t[0] + t[1]
                if have[joined] > 0:
                    have[joined] -= 1
                    continue
                missed = [w for w in t if not _take(w, (have,))]
            lost += len(missed)
            sample += [w for w in missed if len(sample) < 5 and w not in sample]
        result[num] = (n, lost)
    return total, result, sample


@rule("word-accounting", stage="output")
def account_words(doc: Document) -> Document:
    """Pipeline stage (last): the words of the text layer against the words of the output and of
    ``removed``. A page that lost more than a small share of its words (and a few at least),
    or a document that did, is a warning naming the pages: a reader that mis-decodes characters,
    a stage that drops a line, are never silent. Seen first on the real-world corpus (issue 13):
    characters above U+FFFF read as two U+FFFD, lines the tagged reader left out."""
    s = doc.settings.output
    if not s.account_words:
        return doc
    total, per_page, sample = missing_words(doc, s.lost_min_words)
    lost = sum(n for _, n in per_page.values())
    named = [
        p for p, (t, n) in per_page.items() if n >= s.lost_min_words and n > s.lost_page_share * t
    ]
    if not named and lost >= s.lost_min_words and lost > s.lost_share * total:
        ranked = sorted((p for p, (_, n) in per_page.items() if n), key=lambda p: -per_page[p][1])
        named = ranked[: s.lost_max_pages]
    if not named:
        return doc
    shown = sorted(named)[: s.lost_max_pages]
    more = f" and {len(named) - len(shown)} more" if len(named) > len(shown) else ""
    word = "page" if len(named) == 1 else "pages"
    n = sum(per_page[p][1] for p in named)
    msg = (
        f"words of {word} {_pages(shown)}{more} are neither in the output nor in removed "
        f"({n} of {sum(per_page[p][0] for p in named)}"
        + (f", e.g. {', '.join(repr(w) for w in sample)})" if sample else ")")
    )
    if msg not in doc.warnings:
        doc.warnings.append(msg)
    return doc
