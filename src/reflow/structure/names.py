"""People's names in bylines: "By Jonas Weber and Lena Fischer" -> two authors.

``byline_authors`` reads the names of a byline (or nothing when the text is not one);
roles and outlets ("Staff Writer", "Reuters", "X for The Hill") are cut off.
"""

from __future__ import annotations

import re

from reflow.lexicon import Lazy
from reflow.structure.dates import month_number

# A block that starts like a byline ("By ...", "Von ...").
BYLINE = Lazy(r"^(?:by|written by|words by|von|par|por)\s+\S", re.IGNORECASE)


BY = Lazy(
    r"^(?:(?:posted|published|written|reported|story|text|words|photos?)\s+)?"
    r"(?:by|von|par|por|di|door|oleh|от)\s*:?\s+(?P<names>.+)$",
    re.IGNORECASE,
)
BY_INNER = Lazy(r"\b(?:posted|published)\b.*?\bby\s+(?P<names>[^\d|•]+)$", re.IGNORECASE)
# words that make a byline piece a role or an outlet, not a person: ", Staff Writer", "Reuters"
ROLE_WORDS = Lazy(
    r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|contributing|staff|press|"
    r"news|reuters|afp|bloomberg|times|post|journal|herald|daily|magazine|desk|associated|agency|"
    r"bureau|senior|chief|special|analyst|guest|author|photographer|team|media|online|digital)\b",
    re.IGNORECASE,
)
NAME_WORD = Lazy(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'’.\-]*|[A-Z]\.|(?:van|von|de|der|den|da|di|du|del|la|le|al|bin|"
    r"ibn|dos|das|y|e|ter)|[A-Z][a-z]*[A-Z][\w'’\-]*)$"
)


NOT_NAME = set(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "today yesterday updated published posted on at admin administrator editor staff team "
    "guest anonymous unknown".split()
)


def _clean_name(name: str) -> str | None:
    name = re.sub(r"\s+", " ", name).strip(" ,;:.|•-–—")
    name = re.sub(r"^(?:dr|mr|mrs|ms|prof)\.?\s+", "", name, flags=re.IGNORECASE)
    if not name or "@" in name or "http" in name.lower():
        return None
    words = name.split()
    # a date or a label glued to the name ends it: "Malcolm Owen Monday", "Laura Mowat PUBLISHED"
    mixed = not name.isupper()
    for k, w in enumerate(words):
        if (
            w.lower().rstrip(".,") in NOT_NAME
            or (month_number(w) is not None and (k > 0 or len(words) == 1))  # "Juli Clover"
            or (mixed and len(w) > 3 and w.isupper())
            or re.search(r"\.(?:com|org|net|co|de|fr|it|ru|uk)\b", w, re.IGNORECASE)
        ):
            words = words[:k]
            break
    name = " ".join(words)
    if not 1 <= len(words) <= 5 or (len(words) == 1 and len(name) < 4):
        return None
    if name.lower() in NOT_NAME:
        return None
    if not all(NAME_WORD.match(w) for w in words):
        return None
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return None
    if sum(w[0].isupper() for w in words) < min(2, len(words)) and len(words) > 1:
        return None
    if name.isupper() and len(name) > 3:  # "AMANDA SEITZ" -> "Amanda Seitz"
        name = " ".join(w.capitalize() if len(w) > 2 else w for w in words)
    return name


def split_names(names: str) -> list[str]:
    """ "Jonas Weber and Lena Fischer" -> ["Jonas Weber", "Lena Fischer"]; roles and outlets
    ("Erik Holm, Staff Writer", "Tom Smith | Reuters", "X for The Hill") cut off."""
    names = re.split(
        r"\s+(?:on|updated|published|posted|at|for|in|from|special to)\s+|\s*[|•/]\s*|\s{2,}",
        names,
        maxsplit=1,
    )[0]
    m = re.search(r"\d", names)  # a date glued to the byline ends it
    if m:
        names = names[: m.start()]
    parts = re.split(r"\s*[,;]\s*(?:and\s+|&\s*)?|\s+(?:and|und|et|y|e|&)\s+", names)
    out: list[str] = []
    for p in parts:
        if not p.strip():
            continue
        if ROLE_WORDS.search(p):
            break
        c = _clean_name(p)
        if c is None:
            break  # a piece that is not a name ends the list
        if c not in out:
            out.append(c)
    return out


def byline_authors(text: str) -> list[str]:
    """Names in a byline, or [] when the text is not one.

    >>> byline_authors("By Jonas Weber and Lena Fischer")
    ['Jonas Weber', 'Lena Fischer']
    """
    t = re.sub(r"\s+", " ", text).strip()
    if len(t.split()) > 25:
        return []
    m = BY.match(t) or BY_INNER.search(t)
    if m:
        return split_names(m.group("names"))
    # "Tom Krisher, Ap Auto Writer": a name followed by a newsroom role
    m = re.match(r"^(?P<name>[^,|]{3,40}?)\s*[,|]\s*(?P<role>[^,|]{2,40})$", t)
    if m and re.search(
        r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|staff)\b",
        m.group("role"),
        re.IGNORECASE,
    ):
        c = _clean_name(m.group("name"))
        return [c] if c else []
    return []
