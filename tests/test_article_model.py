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
from reflow.structure.article_model import FEATURES, GATE, STAGE2, Logistic, Model, load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "article_model" / "data"
LAYOUT = ROOT / "corpora" / "layout"
FIX = Path(__file__).parent / "fixtures" / "article"


def test_article_model_is_small_plain_data_scored_without_numpy():
    path = ROOT / "src" / "reflow" / "data" / "article_model.json"
    assert path.stat().st_size < 40_000
    data = json.loads(path.read_text())
    for kind in ("pdf", "text"):
        assert data[kind]["stage1"]["features"] == list(FEATURES)
        assert data[kind]["stage2"]["features"] == list(STAGE2)
    assert data["pdf"]["gate"]["features"] == list(GATE)
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
    """The model path for PDFs (off by default until it beats the rules on unseen sites)."""
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
    with gzip.open(path, "rt", encoding="utf-8") as f:
        first = json.loads(f.readline())
    assert first["features"] == list(FEATURES)
    assert all(len(b) == 4 + len(FEATURES) for b in first["blocks"])
