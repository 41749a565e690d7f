"""structure/words.py: the compact word classes must say what wordfreq's own Zipf frequencies
say, also at the class boundaries."""

import pytest
import wordfreq

from reflow.layout.words import COMMON, KNOWN, word_class


def _expected(word: str) -> int:
    z = wordfreq.zipf_frequency(word, "en")
    return COMMON if z >= 3.0 else KNOWN if z >= 2.0 else 0


def _around(index: int, k: int = 40) -> list[str]:
    """Plain words from wordfreq's list just above and below frequency bucket ``index``."""
    pack = wordfreq.get_frequency_list("en")
    out = []
    for i in range(index - 3, index + 4):
        out += [w for w in pack[i] if w.isascii() and w.isalpha()][:k]
    return out


@pytest.mark.parametrize("bucket", [600, 700, 900 - 180])
def test_word_class_matches_wordfreq_at_the_boundaries(bucket):
    words = _around(bucket)
    assert words
    assert [word_class(w) for w in words] == [_expected(w) for w in words]


def test_common_known_rare_and_non_words():
    assert word_class("the") == COMMON
    assert word_class("known") == COMMON
    assert word_class("eirmod") == 0  # Latin filler
    assert word_class("qzxv") == 0


@pytest.mark.parametrize("word", ["don't", "café", "covid19", "naïve"])
def test_words_beyond_plain_letters_go_to_wordfreq(word):
    assert word_class(word) == _expected(word)


def test_latin_greek_cyrillic_words_match_wordfreq_without_it():
    """Accented, Greek and Cyrillic entries of the list and their halves (what a hyphen split
    gives) are looked up in the compact sets, with wordfreq's own answers."""
    pack = wordfreq.get_frequency_list("en")
    words = []
    for i in range(300, 800, 25):
        for w in [w for w in pack[i] if not w.isascii() and w.isalpha()][:15]:
            words += [w, w[: len(w) // 2], w[len(w) // 2 :]]
    words += ["привет", "ελλάδα", "straße", "ǆungla", "ǅ"]
    assert any(w.isalpha() and max(w) > "\u0400" for w in words)
    assert [word_class(w) for w in words] == [_expected(w) for w in words]
