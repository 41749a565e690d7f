"""Word accounting: every word of the text layer is in the output or in ``removed``, or a
warning names the pages that lost it (reflow.accounting, rule word-accounting)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import reflow
from reflow import pipeline
from reflow.accounting import kept_fraction, layer_tokens, words
from reflow.cli import main
from reflow.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
SEED = ROOT / "tests" / "fixtures" / "seed" / "seed.pdf"


def _accounting(doc) -> list[str]:
    return [w for w in doc.warnings if "neither in the output nor in removed" in w]


def _losing(page: int, keep: int = 0):
    """A stage that drops the blocks of ``page`` but the first ``keep`` without a word, as a
    bug would."""

    def lose(doc):
        on = [b for b in doc.blocks if b.page == page]
        drop = {id(b) for b in on[keep:]}
        doc.blocks = [b for b in doc.blocks if id(b) not in drop]
        return doc

    return lose


@pytest.fixture
def loses_page(monkeypatch):
    def install(page: int, keep: int = 0) -> None:
        stages = list(pipeline.STAGES)
        stages.insert(stages.index(pipeline.assign_roles), _losing(page, keep))
        monkeypatch.setattr(pipeline, "STAGES", stages)

    return install


@pytest.mark.parametrize("path", [SAMPLE, SEED])
@pytest.mark.parametrize("options", [{}, {"article": False, "keep_furniture": True}])
def test_word_accounting_is_silent_when_every_word_is_somewhere(path, options):
    doc = reflow.convert(path, **options)
    assert not _accounting(doc)


def test_word_accounting_names_the_page_a_stage_lost(loses_page, tmp_path, capsys):
    loses_page(3)
    doc = reflow.convert(SAMPLE)
    (warning,) = _accounting(doc)
    assert warning.startswith("words of page 3 are neither in the output nor in removed")
    # the command says so on stderr, exit 0: the output is there, the loss is not silent
    assert main(["convert", str(SAMPLE), "-o", str(tmp_path / "a.md")]) == 0
    err = capsys.readouterr().err
    assert f"reflow: warning: {SAMPLE}: words of page 3 are neither" in err


def test_word_accounting_tolerance_is_a_named_setting(monkeypatch):
    """One short block gone from a page stays under the default tolerance (a few words of a
    page); the settings make the check as strict as wanted, or turn it off."""
    reference = reflow.convert(SAMPLE)
    short = min((b for b in reference.blocks if b.page == 2), key=lambda b: len(b.text.split()))
    assert 1 <= len(words(short.text)) <= 20  # of the page's 484: under 5%
    texts = {b.text for b in reference.blocks if b.page == 2}

    def lose_one(doc):
        doc.blocks = [b for b in doc.blocks if not (b.page == 2 and b.text == short.text)]
        return doc

    stages = list(pipeline.STAGES)
    stages.insert(stages.index(pipeline.find_header), lose_one)
    monkeypatch.setattr(pipeline, "STAGES", stages)
    assert short.text in texts
    lenient = reflow.convert(SAMPLE)
    strict = reflow.convert(
        SAMPLE,
        settings=Settings().with_values(
            {"output.lost_page_share": 0.0, "output.lost_min_words": 1}
        ),
    )
    off = reflow.convert(SAMPLE, settings=Settings().with_values({"output.account_words": False}))
    assert not _accounting(lenient) and not _accounting(off)
    assert _accounting(strict) and "page 2 " in _accounting(strict)[0]


def test_word_accounting_counts_removed_and_kept_furniture():
    """What furniture and article mode take out is accounted for in ``removed``; with
    --keep-furniture in the blocks: neither is a loss."""
    for options in ({}, {"keep_furniture": True}, {"article": True}):
        doc = reflow.convert(SEED, **options)
        assert not _accounting(doc)


def test_word_accounting_lists_many_pages_in_ranges(monkeypatch):
    def lose_all(doc):
        doc.blocks = [b for b in doc.blocks if b.page == 1]
        return doc

    stages = list(pipeline.STAGES)
    stages.insert(stages.index(pipeline.assign_roles), lose_all)
    monkeypatch.setattr(pipeline, "STAGES", stages)
    doc = reflow.convert(SAMPLE, article=False)
    (warning,) = _accounting(doc)
    assert warning.startswith("words of pages 2-5 are neither")


def test_the_tokens_fold_case_and_compatibility_forms_and_split_dense_scripts():
    assert words("Ｆｕｌｌ ﬁnd 東京 don't") == ["full", "find", "東", "京", "don", "t"]
    # a word broken at a line end counts joined or as its halves, whatever the hyphen
    tokens = layer_tokens(
        "An inter\x02national mea\u00ad\r\nsure, inno\u2010\r\nvated once-\nagain"
    )
    joined = Counter(words("An international measure innovated onceagain"))
    assert kept_fraction(tokens, joined) == (9, 9)
    halves = Counter(words("an inter national mea sure inno vated once again"))
    assert kept_fraction(tokens, halves) == (9, 9)
    assert kept_fraction(tokens, Counter(words("An"))) == (9, 1)
