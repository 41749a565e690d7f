"""How common an English word is, for the hyphen rule (layout/join.py), from wordfreq's
frequency list without holding all of it.

wordfreq's own lookup builds a dict of its whole English list (~320,000 words, ~28 MB, ~0.5 s).
The hyphen rule only asks whether a word is common (Zipf frequency >= 3) or known (>= 2): the
~96,000 such words come first in wordfreq's file, so it is read as a stream up to there and kept
as two frozensets (~7 MB). A word that is not plain letters (apostrophes, digits, accents) goes
to wordfreq itself, whose tokenizer decides what such a word is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

COMMON = 3  # Zipf >= 3: about once per million words or more ("anti", "known")
KNOWN = 2  # Zipf >= 2 ("coauthored")
# wordfreq's cBpack lists bucket i hold the words of frequency 10 ** (-i / 100): Zipf 9 - i/100.
_LAST_COMMON, _LAST_KNOWN = 600, 700


def _word_list() -> str:
    """wordfreq's English list, found without importing wordfreq (its import takes ~0.3 s,
    most of a small file's conversion): the package's data folder, else wordfreq's own answer."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("wordfreq")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "data", "large_en.msgpack.gz")
        if os.path.isfile(path):
            return path
    import wordfreq

    return wordfreq.available_languages("best")["en"]


@lru_cache(maxsize=1)
def _sets() -> tuple[frozenset[str], frozenset[str]]:
    import gzip

    import msgpack

    path = _word_list()
    common: set[str] = set()
    known: set[str] = set()
    with gzip.open(path, "rb") as f:
        unpacker = msgpack.Unpacker(f, raw=False)
        n = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise ValueError(f"{path}: not a cBpack word list")
        for i in range(min(n - 1, _LAST_KNOWN + 1)):
            (common if i <= _LAST_COMMON else known).update(unpacker.unpack())
    return frozenset(common), frozenset(known)


def _one_token(word: str) -> bool:
    """An alphabetic word that wordfreq's English lookup takes as it is: Latin, Greek or
    Cyrillic letters, already case-folded and composed. Its Zipf frequency is then its own entry
    in the list (a Cyrillic hyphen split need not import wordfreq and build its ~28 MB dict)."""
    return max(word) <= "\u04ff" and unicodedata.normalize("NFC", word.casefold()) == word


@lru_cache(maxsize=8192)
def word_class(word: str) -> int:
    """COMMON, KNOWN or 0 (rare or no word) for a lower-case word."""
    if word.isalpha() and (word.isascii() or _one_token(word)):
        common, known = _sets()
        return COMMON if word in common else KNOWN if word in known else 0
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0
    z = wordfreq.zipf_frequency(word, "en")
    return COMMON if z >= 3.0 else KNOWN if z >= 2.0 else 0
