"""Bylines of web prints, with or without "By": candidate names near the title, scored.

A byline is not always "By Jane Doe". Sites print "Dan Jervis-Bardy", "Yasmine Hassan · CBC
News · Posted: Oct 14, 2022", "Heiko Sauer Do 9 Apr 2020", "Sara Zinnecker Stand: 05.
Februar 2020", a name glued to a "Twitter" link. ``candidates`` cuts every short block near
the title into pieces at the marks sites put between a byline's parts (dates and times, ``·``
``|`` ``•`` ``—``, a "By"/"Von"/"Par" word, a word glued to the next: "LazareTwitter") and
reads each piece as names (``names.split_names``: person-name shape, roles and outlets cut
off). Each candidate is described by features that hold in any language: a byline word before
it, its position (after or before the title, how far), its block's length, type size, weight
and type against the body's, the name's shape (tokens, capitals), a date beside it, a link over
it whose URL carries the name (an author page), the name printed again further down (an author
box), sentence punctuation. ``load()`` gives a logistic model over them, a few hundred bytes of
numbers (``reflow/data/byline_model.json``, fitted by ``benchmarks/webcorpus/fit_bylines.py``
on sites left out of its folds); the best candidate above the model's threshold is the byline.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from reflow.lexicon import Lazy
from reflow.model import Block, BlockType, Document
from reflow.numbers import median
from reflow.rules import rule
from reflow.structure.dates import month_number
from reflow.structure.names import ROLE_WORDS, split_names
from reflow.structure.ranking import LogisticModel, load_model

# A word that says the names after it wrote the piece, in the languages of the web corpus
# (one cue among several: most bylines of the corpus have none).
MARKER = Lazy(
    r"^(?:(?:posted|published|written|reported|story|text|texte|words|photos?|geschrieben|"
    r"erstellt|verfasst|publicado|escrito|publié|écrit|pubblicato|scritto)\s+)?"
    r"(?:by|von|vom|par|por|di|da|door|av|af|oleh|przez|от|tarafından)\b\s*:?\s*"
    r"|^(?:author|authors|autor|autorin|autoren|auteur|auteurs|autore|autori|auteur\(s\)|"
    r"autor\(in\)|autor\*in|text|texte|redaktion|redacción|redazione|reporter)\s*:\s*",
    re.IGNORECASE,
)
# Marks between the parts of a byline: a name stops at them.
_SEPARATORS = Lazy(r"\s*(?:[·|•/—–]|\s-\s|\(|\)|\[|\]|\s{2,})\s*")
# A word glued to the next one at a case change after three lower-case letters:
# "LazareTwitter", "WisemanFatima", "DambrotNovember" (not "McDonald", "DeShawn", "MacArthur").
_GLUED = Lazy(r"(?<=[^\W\d_]{3}[a-zà-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])")
# Hosts of social sites: a link to one over a word makes it a handle, not a name.
_SOCIAL = Lazy(
    r"://(?:[\w-]+\.)*(?:twitter|x|facebook|instagram|linkedin|threads|mastodon|tiktok|"
    r"youtube|bsky|t)\.(?:com|net|social|me|app|co)\b",
    re.IGNORECASE,
)
_PERSON_PAGE = Lazy(
    r"/(?:author|authors|autor|autoren|auteur|autore|people|person|profile|profil|staff|"
    r"journalist|journalists|redaktion|redakteur|team|writer|writers|contributor|"
    r"contributors|user|users|members?|by|firma|about)(?:/|s?/|\b)",
    re.IGNORECASE,
)

# The features, in the order the model's weights are.
FEATURES = (
    "bias",
    "marker",  # a byline word ("By", "Von", "Autor:") opens the piece
    "after",  # the block is after the title
    "dist",  # how far from the title, in blocks (/10, at most 2)
    "first_after",  # the first candidate block after the title
    "block_words",  # log of the block's words
    "share",  # the names' share of the block's characters
    "n_names",  # names in the candidate (at most 3)
    "one_word",  # a one-word name ("Cortyn")
    "tokens",  # mean words a name (/3)
    "caps",  # the names are in capitals
    "date",  # a date or a number beside the names in the block
    "role",  # a newsroom role or outlet word in the block
    "sentence",  # the block has sentence punctuation
    "smaller",  # the block is set smaller than the body
    "larger",  # ... larger
    "bold",
    "heading",  # the roles stage typed the block a heading
    "list_item",  # ... a list item
    "caption",  # ... a caption
    "dateline",  # ... a date or a byline
    "person_link",  # a link over the names to a person's page (its URL carries the name)
    "link",  # any link over the names
    "repeated",  # the name printed again further down (an author box)
    "no_title",  # no title found: positions count from the page's start
    "variant",  # a name shortened to two words, or the names of several pieces together
    "user_name",  # one lower-case word after a byline word
    "first_piece",  # the first names of their block
    "dropped",  # the piece's last word dropped ("Vanessa Franke RSS-Newsfeed" -> Vanessa Franke)
    "tail_common",  # the name's last word is printed in two other blocks or more (a label)
    "long_block",  # from the opening words of a block too long to be a byline
    "caps_tail",  # a surname in capitals kept ("Chokri GHARBI")
    "far",  # outside the blocks around the title (a byline word or label opens it)
    "inner",  # the names after a byline word inside the piece ("Gepostet von Katharina Volkwein")
    "head_dropped",  # the piece's first word dropped ("Avatar Frank Hahn" -> Frank Hahn)
    "role_cut",  # the names before a role word ("Sam Stein Senior Politics Editor")
)


@dataclass(slots=True)
class Candidate:
    """A block read as a byline (its names), with its features and score."""

    index: int  # the block
    names: list[str]
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    def row(self) -> list[float]:
        return [self.features.get(f, 0.0) for f in FEATURES]


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", t)


def _block_links(b: Block) -> list[tuple[str, str]]:
    """(anchor text, URL) of the link annotations over the block's lines."""
    out = []
    for ln in b.lines:
        for lk in ln.links:
            out.append((ln.text[lk.start : lk.end], lk.url))
    return out


# Lower-case words a name may hold, and the words that join names ("and", "und", "&").
_PARTICLES = frozenset(
    "van von de der den da di du del della la le al bin ibn dos das do y e ter ten zu af "
    "and und et i och og en & ja és".split()
)
# Words that say the next names wrote the piece, at a piece's start ("By", "Von", "Par").
_MARKERS = frozenset("by von vom par por di da door av af oleh przez от".split())
_LABELS = Lazy(
    r"^(?:author|authors|autor|autorin|autoren|auteur|auteurs|autore|autori|text|texte|"
    r"redaktion|redacción|redazione|reporter|verfasst|geschrieben|written|posted|"
    r"publié|publicado)\b",
    re.IGNORECASE,
)
# "X for The Hill", "X für Spiegel": an outlet follows.
_FOR = frozenset("for für pour para per voor för".split())
# Days of the week, which print beside a byline's date ("Heiko Sauer Do 9 Apr 2020").
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo lunedì martedì mercoledì giovedì "
    "venerdì sabato domenica segunda terça quarta quinta sexta".split()
)


_BARE = ".,;:!?()[]«»\"'"


def _tokens(text: str) -> list[str]:
    """A block's words as ``_pieces`` reads them: handles, glued words, digits after letters
    and separators cut apart."""
    text = re.sub(r"@[\w.]+", " | ", text)
    text = _GLUED.sub(" | ", text)
    text = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", text)  # "Kalt4", "on28."
    return _SEPARATORS.sub(" | ", text).split()


# Where a byline word or label may begin one of ``_tokens``' words, on the block's text: after
# a non-letter, or in upper case after a lower-case letter (a glued word), and ending before a
# non-letter or an upper-case one. More than ``_has_marker`` finds, never less: the cheap test.
_MARKER_CUE = Lazy(
    r"(?:(?<![^\W\d_])|(?<=[a-zà-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ]))(?:(?i:"
    + "|".join(sorted(_MARKERS, key=len, reverse=True))
    + r")(?:(?![^\W\d_])|(?=[A-ZÀ-ÖØ-Þ]))|(?i:author|autor|auteur|autore|text|redaktion|"
    r"redacción|redazione|reporter|verfasst|geschrieben|written|posted|publié|publicado))"
)


def _has_marker(toks: list[str]) -> bool:
    """A byline word or label among the words: without one, no piece of theirs is opened by
    one (``_pieces``' marker), which is all a block far from the title is read for."""
    for tok in toks:
        bare = tok.strip(_BARE)
        if bare and (bare.lower() in _MARKERS or _LABELS.match(bare)):
            return True
    return False


def _pieces(text: str, handles: set[str], toks: list[str] | None = None) -> list[tuple[str, bool]]:
    """(piece, a byline word opened it) for each run of name-like words of a block: a date, a
    time, a number, a lower-case word that is no particle, a handle, a separator ends one.
    ``toks``: the block's ``_tokens``, when already made."""
    if toks is None:
        toks = _tokens(text)
    out: list[tuple[str, bool]] = []
    cur: list[str] = []
    marker = False
    by_word = False  # the marker is a byline word ("by", "von"), not a label ("Posted on")

    def flush() -> None:
        nonlocal cur, marker
        if cur:
            out.append((" ".join(cur), marker))
            cur, marker = [], False

    def digit(k: int) -> bool:
        return 0 <= k < len(toks) and any(c.isdigit() for c in toks[k])

    def lower_next(k: int) -> bool:  # a user name follows: "von rasos"
        nxt = toks[k + 1].strip(".,;:") if k + 1 < len(toks) else ""
        return nxt[:1].islower() and nxt.lower() not in _PARTICLES

    after_time = False
    for k, tok in enumerate(toks):
        after_time = after_time and not cur and (k > 0 and toks[k - 1].isupper())
        bare = tok.strip(_BARE)
        low = bare.lower()
        if tok == "|" or not bare or digit(k) or bare in handles or low in _WEEKDAYS:
            flush()
        elif month_number(bare) is not None and (digit(k - 1) or digit(k + 1)):
            flush()
        elif len(bare) <= 3 and bare[0].isupper() and digit(k + 1):
            flush()  # "Do 9 Apr", "Mon 12"
        elif not cur and len(bare) <= 4 and bare.isupper() and (digit(k - 1) or after_time):
            after_time = True  # "9:27 AM ET", "4:08pm EST"
            continue
        elif tok.endswith(":") and cur and k == len(toks) - 1 and bare[:1].isupper():
            cur.append(bare)  # the block's end: "Autor Mark Newton:"
            flush()
        elif tok.endswith(":"):
            flush()  # a label: "Aktualisiert:", "Autor:"
            marker = marker or bool(_LABELS.match(bare) or low in _MARKERS)
            by_word = low in _MARKERS or bool(_LABELS.match(bare))
        elif cur and low in _FOR:
            flush()  # "Dolores Chang For The Hill"
        elif low in _MARKERS and (not cur or low not in _PARTICLES or lower_next(k)):
            flush()  # "By", "Von" opening a piece; "X by X"; "Gespeichert von rasos"
            marker = by_word = True
        elif not cur and _LABELS.match(bare):
            marker = True  # "Author:", "Verfasst von:", "Posted by"
        elif bare[0].islower() and low not in _PARTICLES:
            if marker and by_word and not cur and re.fullmatch(r"[\w.\-]{2,30}", bare):
                out.append((bare, True))  # a user name after "by": "von mywakenews"
                marker = False
            else:
                flush()
        else:
            cur.append(tok)
            if tok.endswith(".") and len(bare) > 3:
                flush()  # a sentence's end
    flush()
    return [(p.strip(" ,;"), mk) for p, mk in out if p.strip(" ,;")]


def _body_size(doc: Document) -> float:
    sizes = [b.size for b in doc.blocks if b.type == BlockType.PARAGRAPH and b.size]
    return median(sizes) if sizes else 0.0


_SKIP = frozenset(
    {BlockType.TITLE, BlockType.CODE, BlockType.TABLE, BlockType.FIGURE, BlockType.QUOTE}
)


def candidates(
    doc: Document, ti: int | None, before: int, after: int, max_words: int, far: int = 0
):
    """Every byline candidate among the blocks around the title; and among the page's first
    ``far`` blocks, those a byline word or label opens."""
    blocks = doc.blocks
    if ti is None:
        near = range(min(len(blocks), after))
    else:
        near = range(max(0, ti - before), min(len(blocks), ti + after + 1))
    order = list(near) + [i for i in range(min(len(blocks), far)) if i not in near]
    body = _body_size(doc)
    later = None
    out: list[Candidate] = []
    first_after = None
    for i in order:
        b = blocks[i]
        if i == ti or b.type in _SKIP:
            continue
        words = b.text.split()
        if not words:
            continue
        long_block = len(words) > max_words
        text = " ".join(words[:_HEAD_WORDS]) if long_block else b.text
        is_far = i not in near
        if is_far and not _MARKER_CUE.search(text):
            continue
        toks = _tokens(text)
        if is_far and not _has_marker(toks):
            continue  # far from the title only a piece a byline word or label opens counts
        links = _block_links(b)
        handles = {a.strip() for a, u in links if _SOCIAL.search(u)}
        found = []
        for k, (whole, marker0) in enumerate(_pieces(text, handles, toks)):
            for piece, marker, how in _readings(_trim_particles(whole), marker0):
                if (long_block or is_far) and not (marker or (k == 0 and not is_far)):
                    continue  # a long block: only a byline opening it, or one a "By" opens
                _read(piece, marker, how, found)
        if len(found) > 1:  # "Richard David Precht im Gespräch mit Karin Fischer"
            union = [n for ns, _, v in found if not v for n in ns]
            if 1 < len(union) <= 4 and len(set(union)) == len(union):
                found.append((union, any(m for _, m, _ in found), True))
        for k, (names, marker, variant) in enumerate(found):
            if later is None:
                end = ti if ti is not None else 0
                later = _norm(" ".join(x.text for x in blocks[end + after + 1 :][:400]))
                counts = _word_blocks(blocks)
            if first_after is None and ti is not None and i > ti and not is_far:
                first_after = i
            c = _describe(b, i, ti, names, marker, links, body, later, first_after)
            c.features["variant"] = float(variant in (True, "dropped", "caps"))
            c.features["first_piece"] = float(k == 0 or (k == 1 and bool(variant)))
            c.features["dropped"] = float(variant == "dropped")
            c.features["caps_tail"] = float(variant == "caps")
            c.features["far"] = float(is_far)
            for how in ("inner", "head_dropped", "role_cut"):
                c.features[how] = float(variant == how)
            c.features["long_block"] = float(long_block)
            tail = names[-1].split()[-1].casefold()
            c.features["tail_common"] = float(counts.get(tail, 0) >= 3)  # its own block too
            out.append(c)
    return out


def _read(piece: str, marker: bool, how: str | bool, found: list) -> None:
    """The names of one reading of a piece, and their variants, appended to ``found`` as
    (names, a byline word opened them, which variant)."""
    names = split_names(piece)
    if not names and marker and " " not in piece:
        names = [piece]  # a user name: "by oz", "von mywakenews"
    if names:
        found.append((names, marker, how))
        if len(names) == 1 and len(names[0].split()) >= 3:  # "Carola Pönisch Kultur"
            found.append(([" ".join(names[0].split()[:2])], marker, how or True))
        last = names[-1].split()
        if len(last) >= 2 and (marker or len(last) >= 3):  # "Creeny Standard"
            found.append((names[:-1] + [" ".join(last[:-1])], marker, "dropped"))
    caps = _caps_name(piece)
    if caps and caps not in (names or []):
        found.append(([caps], marker, "caps"))


def _readings(piece: str, marker: bool) -> list[tuple[str, bool, str | bool]]:
    """The piece itself, and the shorter readings of it a byline may need: the words after a
    byline word inside it ("Gepostet von Katharina Volkwein", "Disko Von Ernst Lohoff"), the
    words after its first ("Avatar Frank Hahn", "Minuten Melanie Wassink"), the words before
    a role word ("Sam Stein Senior Politics Editor, The Huffington Post")."""
    out: list[tuple[str, bool, str | bool]] = [(piece, marker, False)]
    words = piece.split()
    for k in range(1, len(words) - 1):
        if words[k].lower() in _MARKERS:
            out.append((" ".join(words[k + 1 :]), True, "inner"))
            break
    if len(words) >= 3:
        out.append((" ".join(words[1:]), marker, "head_dropped"))
    m = ROLE_WORDS.search(piece)
    if m and len(piece[: m.start()].split()) >= 2:
        out.append((piece[: m.start()].strip(" ,;"), marker, "role_cut"))
    return out


# A block longer than ``max_words`` is read in its first words only (a byline opening a
# caption or the first paragraph it was merged with: "Pete Evans · CBC News · Posted: ...").
_HEAD_WORDS = 14


def _trim_particles(piece: str) -> str:
    """A name does not end with a particle: "Matthieu Hy le" (before "le 07 Mai") -> "Matthieu
    Hy"."""
    words = piece.split()
    while len(words) > 1 and words[-1].lower() in _PARTICLES:
        words.pop()
    return " ".join(words)


def _caps_name(piece: str) -> str | None:
    """A given name and a surname in capitals ("Chokri GHARBI Publié" -> "Chokri GHARBI"),
    which ``split_names`` cuts at the capitals (there, a label glued to a name)."""
    words = piece.split()
    for k in range(1, min(4, len(words))):
        w = words[k].strip(".,;:")
        if len(w) > 1 and w.isupper() and w.isalpha() and words[0][:1].isupper():
            head = words[:k]
            if all(x[:1].isupper() and not x.isupper() for x in head):
                return " ".join([*head, w])
    return None


def _word_blocks(blocks) -> dict[str, int]:
    """In how many of the page's blocks each word is printed (casefolded)."""
    counts: Counter = Counter()
    for b in blocks[:600]:
        counts.update({w.strip(".,;:()[]").casefold() for w in b.text.split()})
    return counts


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _describe(b, i, ti, names, marker, links, body, later, first_after) -> Candidate:
    text = b.text
    joined = " ".join(names)
    toks = [len(n.split()) for n in names]
    f = {
        "bias": 1.0,
        "marker": float(marker),
        "after": float(ti is None or i > ti),
        "dist": min(2.0, abs(i - (ti if ti is not None else -1)) / 10),
        "first_after": float(first_after == i),
        "block_words": math.log(1 + len(text.split())),
        "share": min(1.0, len(joined) / max(1, len(text))),
        "n_names": float(min(3, len(names))),
        "one_word": float(any(t == 1 for t in toks)),
        "tokens": sum(toks) / len(toks) / 3,
        "caps": float(joined.isupper() or text.isupper()),
        "date": float(any(map(str.isdigit, text))),
        "role": float(bool(ROLE_WORDS.search(text))),
        "sentence": float(bool(re.search(r"[.!?]\s+\S|[.!?]$", text)) and not marker),
        "smaller": float(bool(body and b.size and b.size < 0.95 * body)),
        "larger": float(bool(body and b.size and b.size > 1.15 * body)),
        "bold": float(b.bold),
        "heading": float(b.type == BlockType.HEADING),
        "list_item": float(b.type == BlockType.LIST_ITEM),
        "caption": float(b.type == BlockType.CAPTION),
        "dateline": float(b.type in (BlockType.DATE, BlockType.BYLINE)),
        "no_title": float(ti is None),
    }
    slugs = [_slug(n) for n in names]
    anchors = [(a, u) for a, u in links if any(_slug(a) and _slug(a) in s for s in slugs)]
    f["link"] = float(bool(anchors) or bool(links and f["share"] > 0.6))
    f["person_link"] = float(
        any(
            any(s and s in _slug(u) for s in slugs) or _PERSON_PAGE.search(u)
            for _a, u in (anchors or links)
        )
    )
    f["repeated"] = float(all(_norm(n) in later for n in names))
    f["user_name"] = float(len(names) == 1 and names[0][:1].islower())
    return Candidate(i, names, f)


@lru_cache(maxsize=1)
def load() -> LogisticModel | None:
    return load_model("byline_model.json", FEATURES)


@rule("byline-score", stage="header")
def scored_byline(
    doc: Document, ti: int | None, model: LogisticModel | None = None
) -> Candidate | None:
    """The byline of a web print, with or without "By": the candidate names near the title
    the byline model scores highest, if above its threshold ("Yasmine Hassan · CBC News ·
    Posted: ..." -> Yasmine Hassan; "Heiko Sauer Do 9 Apr 2020" -> Heiko Sauer; "Sarah
    LazareTwitter" -> Sarah Lazare)."""
    s = doc.settings.header
    model = model or load()
    if model is None:
        return None
    best = None
    cands = candidates(doc, ti, s.byline_before, s.byline_after, s.byline_max_words, s.byline_far)
    for c in cands:
        c.score = model.proba(c)
        if best is None or c.score > best.score:
            best = c
    if best is None or best.score < model.threshold:
        return None
    return best
