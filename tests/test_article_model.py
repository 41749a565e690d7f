"""Article mode's model: the packaged scorer, the window over its verdicts, the clean-page gate,
and the committed training data staying in step with the features the package computes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import reflow
from reflow.settings import ArticleSettings
from reflow.structure import article_model
from reflow.structure.article import article_window
from reflow.structure.article_model import (
    FEATURES,
    GATE,
    STAGE2,
    TEXT_FEATURES,
    Logistic,
    Model,
    load,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "article_model" / "data"
LAYOUT = ROOT / "corpora" / "layout"
FIX = Path(__file__).parent / "fixtures" / "article"


def test_article_model_is_small_plain_data_scored_without_numpy():
    path = ROOT / "src" / "reflow" / "data" / "article_model.json"
    assert path.stat().st_size < 40_000
    data = json.loads(path.read_text())
    assert data["pdf"]["stage1"]["features"] == list(FEATURES)
    for kind, names in (("pdf", FEATURES), ("text", TEXT_FEATURES)):
        # a model fitted before a feature was added reads the ones it knows (the rest weigh 0)
        known = data[kind]["stage1"]["features"]
        assert known == [f for f in names if f in known]
        assert data[kind]["stage2"]["features"] == list(STAGE2)
        gate = data[kind]["gate"]["features"]
        assert gate == [f for f in GATE if f in gate]
    assert "numpy" not in Path(article_model.__file__).read_text()
    m = load("pdf")
    assert isinstance(m, Model)
    rows = [[0.0] * len(FEATURES) for _ in range(3)]
    p = m.proba(rows, [10, 10, 10])
    assert len(p) == 3 and all(0.0 <= q <= 1.0 for q in p)


def test_article_model_logistic_folds_standardisation_into_its_weights():
    part = {"features": ["a", "b"], "weights": [2.0, -1.0], "bias": 0.5, "mean": [1.0, 0.0]}
    part["scale"] = [2.0, 1.0]
    lg = Logistic(part, ("b", "a", "c"))  # another order, and a feature it does not know
    # z = 0.5 + 2 * (a - 1) / 2 - 1 * b
    assert lg.logits([[3.0, 5.0, 7.0]])[0] == pytest.approx(0.5 + 2.0 * 4.0 / 2.0 - 3.0)


def test_article_window_bridges_an_inline_box_and_starts_at_the_title():
    s = ArticleSettings()
    #        nav   title  body  body  box   body  body  footer
    p = [0.05, 0.9, 0.95, 0.95, 0.1, 0.95, 0.9, 0.02]
    words = [30, 8, 60, 70, 12, 80, 50, 40]
    header = [False, True, False, False, False, False, False, False]
    kept = article_window(p, words, header, 1, s)
    assert kept == [1, 2, 3, 5, 6]  # the box inside goes, the article after it stays


def test_article_window_follows_a_page_whose_text_scores_low():
    """Every print holds an article: on a site unlike any seen, the best text still wins."""
    s = ArticleSettings()
    p = [0.01, 0.3, 0.32, 0.28, 0.01]
    words = [40, 60, 70, 50, 40]
    kept = article_window(p, words, [False] * 5, None, s)
    assert kept == [1, 2, 3]


@pytest.fixture
def model_on(monkeypatch):
    """The model path for PDFs (the default; held on here whatever the defaults become)."""
    from reflow import settings

    on = settings.Settings().with_values({"article.model_pdf": True})
    real = reflow.convert
    monkeypatch.setattr(reflow, "convert", lambda *a, **k: real(*a, settings=on, **k))


def _text(doc) -> str:
    return " ".join(b.text for b in doc.blocks)


@pytest.mark.parametrize("name", ["brief-1col-short", "magazine-2col-legal-sans"])
def test_clean_page_print_that_is_only_the_article_is_kept_whole(name, model_on):
    pdf = LAYOUT / f"{name}.pdf"
    whole = reflow.convert(pdf, article=False)
    doc = reflow.convert(pdf)
    assert _text(doc).split() == _text(whole).split()


def test_clean_page_gate_does_not_keep_a_site_whole(model_on):
    pdf = FIX / "nav.pdf"
    whole = reflow.convert(pdf, article=False)
    doc = reflow.convert(pdf)
    assert len(_text(doc).split()) < len(_text(whole).split())


@pytest.mark.parametrize("kind", ["pdf", "text"])
def test_article_model_training_data_carries_the_package_features(kind):
    path = DATA / f"{kind}.jsonl.gz"
    names = TEXT_FEATURES if kind == "text" else FEATURES
    with gzip.open(path, "rt", encoding="utf-8") as f:
        first = json.loads(f.readline())
    assert first["features"] == list(names)
    assert all(len(b) == 4 + len(names) for b in first["blocks"])


def _rows(blocks):
    from reflow.structure.body import BlockFeatures

    feats = [BlockFeatures(b) for b in blocks]
    return article_model.block_rows(blocks, feats, None, None, set(), 0)


def test_article_model_sees_a_second_article_begin_after_the_first():
    from reflow.model import Block, BlockType

    para = "This is a sentence of the running text of the article, long enough to count. " * 3
    blocks = [Block(BlockType.TITLE, "The headline")]
    blocks += [Block(BlockType.PARAGRAPH, para) for _ in range(4)]
    blocks += [Block(BlockType.BYLINE, "By Someone Else"), Block(BlockType.PARAGRAPH, para)]
    k = article_model.FEATURE_INDEX["second_header"]
    got = [r[k] for r in _rows(blocks)]
    # the article's own paragraphs are before any second byline; the next article's after it
    assert got[:5] == [0.0] * 5 and got[-1] == 1.0


def test_article_model_measures_runs_of_short_blocks_and_distance_to_running_text():
    from reflow.model import Block, BlockType

    para = "This is a sentence of the running text of the article, long enough to count. " * 3
    blocks = [Block(BlockType.TITLE, "The headline"), Block(BlockType.PARAGRAPH, para)]
    blocks += [Block(BlockType.PARAGRAPH, f"Menu item {i}") for i in range(6)]
    rows = _rows(blocks)
    run, dist = (article_model.FEATURE_INDEX[k] for k in ("short_run", "from_good"))
    assert rows[-1][run] > rows[1][run]  # a link menu is a run of short lines; the body is not
    assert rows[-1][dist] > rows[2][dist]  # and the further from the body, the further


def test_model_chrome_drops_a_newsletter_box_inside_the_article_and_keeps_the_rest(model_on):
    doc = reflow.convert(FIX / "newsletter.pdf")
    text = _text(doc)
    assert "Morning Briefing" not in text and "Subscribe" not in text
    # the article goes on after the box: none of it is lost
    assert "charging stations were the hardest part" in text
    assert "sealed compartment" in text


def test_model_chrome_keeps_what_the_model_is_sure_of():
    from reflow.model import Block, BlockType
    from reflow.structure.article import model_chrome
    from reflow.structure.body import BlockFeatures

    f = BlockFeatures(Block(BlockType.PARAGRAPH, "Sign up for our newsletter"))
    f.boiler = True
    s = ArticleSettings()
    assert model_chrome(f, 0.2, s) and not model_chrome(f, 0.99, s)
    f.boiler = False
    assert not model_chrome(f, 0.2, s)


def test_clean_page_chrome_a_page_with_the_site_vocabulary_is_not_kept_whole(model_on):
    pdf = FIX / "footer.pdf"
    doc = reflow.convert(pdf)
    assert "Privacy policy" not in _text(doc)
    assert "public hearing in September" in _text(doc)


def test_clean_page_agree_drops_only_what_rules_and_model_both_drop():
    from reflow.structure.article_pick import clean_page_agree

    s = ArticleSettings(clean_page_agree=0.3)
    #      nav   title body  form  caption
    p = [0.05, 0.4, 0.95, 0.1, 0.2]
    ruled = [False, True, True, False, True]
    header = [False, True, False, False, False]
    # the nav line and the comment form: both say no; the caption the rules keep stays
    assert clean_page_agree(p, ruled, header, s) == {1, 2, 4}
    assert clean_page_agree(p, ruled, header, ArticleSettings(clean_page_agree=0.0)) == set(
        range(5)
    )


def test_article_model_reads_the_rules_verdict_of_each_block():
    from reflow.model import Block, BlockType
    from reflow.structure.body import BlockFeatures

    para = "This is a sentence of the running text of the article, long enough to count. " * 3
    blocks = [Block(BlockType.PARAGRAPH, "Home News")]
    blocks += [Block(BlockType.PARAGRAPH, para) for _ in range(3)]
    blocks += [Block(BlockType.PARAGRAPH, "Leave a Reply")]
    feats = [BlockFeatures(b) for b in blocks]
    ruled = [False, True, False, True, False]
    rows = article_model.block_rows(blocks, feats, None, None, set(), None, ruled)
    kept, before, after = (
        article_model.FEATURE_INDEX[k] for k in ("rule_kept", "rule_before", "rule_after")
    )
    assert [r[kept] for r in rows] == [0.0, 1.0, 0.0, 1.0, 0.0]
    assert [r[before] for r in rows] == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert [r[after] for r in rows] == [0.0, 0.0, 0.0, 0.0, 1.0]  # dropped inside is neither


def test_model_rule_agree_keeps_a_block_the_rules_drop_only_when_the_model_is_sure():
    from reflow.structure.article_pick import model_rule_agree

    s = ArticleSettings(model_rule_keep=0.9)
    assert model_rule_agree(0.2, True, s)  # the rules keep it: the model's window decides
    assert not model_rule_agree(0.7, False, s)  # a footer link line the model half believes
    assert model_rule_agree(0.95, False, s)
    assert model_rule_agree(0.1, False, ArticleSettings(model_rule_keep=0.0))  # off


def test_clean_page_gate_counts_what_the_rules_drop_above_the_headline():
    from reflow.structure.article_model import FEATURE_INDEX, page_row

    n = len(FEATURES)
    nav, body = [0.0] * n, [0.0] * n
    nav[FEATURE_INDEX["link"]] = 1.0
    nav[FEATURE_INDEX["rule_before"]] = 1.0
    body[FEATURE_INDEX["rule_kept"]] = 1.0
    small = page_row([nav] + [body] * 4, [0.5] * 5, [4] + [30] * 4)
    big = page_row([nav] + [body] * 40, [0.5] * 41, [4] + [30] * 40)
    k = GATE.index("rule_before_blocks")
    # one nav line over the headline counts the same on a short page as on a long one
    assert small[k] == big[k] > 0
    assert small[GATE.index("rule_link_drops")] > 0
    clean = page_row([body] * 5, [0.5] * 5, [30] * 5)
    assert clean[k] == clean[GATE.index("rule_link_drops")] == 0


def test_clean_page_agree_drops_a_link_line_the_rules_drop_below_the_site_threshold():
    from reflow.structure.article_pick import clean_page_agree

    s = ArticleSettings(clean_page_agree=0.0, clean_page_site_agree=0.9)
    off = ArticleSettings(clean_page_agree=0.0, clean_page_site_agree=0.0)
    #      body  link line  caption  body
    p = [0.95, 0.8, 0.3, 0.9]
    ruled = [True, False, False, True]
    site = [False, True, False, False]
    header = [False] * 4
    # the link line goes (both say no, and it is a link line); the caption stays on a clean page
    assert clean_page_agree(p, ruled, header, s, site) == {0, 2, 3}
    assert clean_page_agree(p, ruled, header, off, site) == {0, 1, 2, 3}


def test_bridge_inside_a_box_the_rules_cut_from_the_middle_does_not_end_the_window():
    s = ArticleSettings(model_bridge_inside=1.0, model_rule_keep=0.7)
    #      body  body  box   box   body  body
    p = [0.7, 0.7, 0.1, 0.1, 0.6, 0.6]
    words = [35, 35, 12, 40, 35, 35]
    header = [False] * 6
    ruled = [True, True, False, False, True, True]
    # the article after the box is kept; the box itself goes
    assert article_window(p, words, header, None, s, ruled) == [0, 1, 4, 5]
    off = ArticleSettings(model_bridge_inside=0.0)
    assert article_window(p, words, header, None, off, ruled) == [0, 1]


def test_clean_page_thread_a_clean_looking_page_loses_its_comment_thread_not_its_references():
    from reflow.structure.article_model import FEATURE_INDEX
    from reflow.structure.article_pick import clean_page_agree, clean_page_thread

    def row(**flags):
        r = [0.0] * len(FEATURES)
        for k, v in flags.items():
            r[FEATURE_INDEX[k]] = v
        return r

    rows = [
        row(rule_kept=1.0),  # body
        row(link=1.0),  # a link line between two paragraphs
        row(rule_kept=1.0),  # body
        row(end_mark=1.0, rule_after=1.0),  # "References"
        row(link=1.0, after_end=1.0, rule_after=1.0),  # a reference
        row(comments=1.0, rule_after=1.0),  # "12 Comments"
        row(after_comments=1.0, rule_after=1.0),  # a reader's comment
    ]
    inside, thread = clean_page_thread(rows)
    assert inside == [True, True, True, False, False, False, False]
    assert thread == [False, False, False, False, False, True, True]
    s = ArticleSettings(
        clean_page_agree=0.0, clean_page_site_agree=0.9, clean_page_thread_agree=0.5
    )
    p = [0.95, 0.8, 0.95, 0.2, 0.3, 0.3, 0.35]
    ruled = [True, False, True, False, False, False, False]
    site = [False, True, False, False, True, False, False]
    header = [False] * 7
    # the link line inside and the comment thread go; the references after the end stay
    assert clean_page_agree(p, ruled, header, s, site, inside, thread) == {0, 2, 3, 4}
    off = ArticleSettings(
        clean_page_agree=0.0, clean_page_site_agree=0.0, clean_page_thread_agree=0.0
    )
    assert clean_page_agree(p, ruled, header, off, site, inside, thread) == set(range(7))
