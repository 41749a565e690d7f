"""What the fitted header scorers' scripts (``fit_bylines.py``, ``fit_dates.py``) share: the web
corpus's prints run up to the header stage, the two fits (a logistic model per candidate, and a
per-page ranking with abstention), the page's best candidate, the threshold chosen on the
training folds, the leave-site-out loop over the five folds (by site: ``sha1(site) mod 5``) and
the model file written at the end.

Runs use one BLAS thread (``OPENBLAS_NUM_THREADS=1``): the matrices are small, and on a shared
machine a multi-threaded BLAS spins more than it computes.
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import corpus  # noqa: E402
import dump  # noqa: E402
import numpy as np  # noqa: E402

FOLDS = 5
GRID = [i / 100 for i in range(5, 96)]


def header_documents(through_header: bool, cache: Path | None = None) -> Iterator[tuple]:
    """``(manifest entry, reference, Document)`` for every valid print, its stages run up to the
    header stage (``through_header``: that stage too). ``cache``: a pickle of the Documents
    before the header stage, written on the first run and read on the next ones (with the
    default options of the code that reads them: only the header stage's settings may have
    changed since)."""
    from reflow import pipeline

    header = next(s for s in pipeline.STAGES if s.__name__ == "find_header")
    entries = {e["id"]: e for e in corpus.manifest() if e.get("valid")}
    refs = corpus.references()
    if cache and cache.exists():
        docs = pickle.loads(cache.read_bytes())
    else:
        docs = _before_header(entries)
        if cache:
            docs = dict(docs)
            cache.write_bytes(pickle.dumps(docs, protocol=5))
    from reflow.model import ConvertOptions

    for pid, doc in docs.items() if isinstance(docs, dict) else docs:
        if pid in entries and pid in refs:
            doc.options = ConvertOptions()  # today's settings, not the pickled ones
            yield entries[pid], refs[pid], header(doc) if through_header else doc


def _before_header(entries: dict) -> Iterator[tuple[str, object]]:
    from reflow import pipeline
    from reflow.model import ConvertOptions

    stop = [s.__name__ for s in pipeline.STAGES].index("find_header")
    for rec in corpus.dump_records():
        e = entries.get(rec["id"])
        if e is None:
            continue
        doc = dump.load_document(rec, f"{e['id']}.pdf")
        doc.options = ConvertOptions()
        for stage in pipeline.STAGES[:stop]:
            doc = stage(doc)
        yield e["id"], doc


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def fit_pointwise(pages: list[dict], l2: float = 1.0, steps: int = 3000, lr: float = 0.5):
    """A logistic model over every candidate alone (L2, gradient descent), the few right ones
    weighted up to balance the classes."""
    X = np.array([r for p in pages for r in p["rows"]], dtype=float)
    y = np.array([v for p in pages for v in p["right"]], dtype=float)
    w = np.zeros(X.shape[1]) if X.ndim == 2 else np.zeros(1)
    if not len(y):
        return w
    pos = max(1.0, y.sum())
    cw = np.where(y > 0, (len(y) - pos) / pos, 1.0)
    cw = cw / cw.mean()
    for _ in range(steps):
        g = X.T @ ((_sigmoid(X @ w) - y) * cw) / len(y) + l2 * np.r_[0, w[1:]] / len(y)
        w -= lr * g
    return w


def fit_rank(pages: list[dict], l2: float = 1.0, steps: int = 2000, lr: float = 1.0):
    """A ranking with abstention: per page, a softmax over its candidates and "none" (score
    0); the target is the page's right candidates, or "none" when it has none. A candidate is
    then put out when it beats "none" (its score above 0, its ``sigmoid`` above 0.5), which
    the threshold moves. Fits what is asked of the model (the best candidate of each page, or
    nothing) rather than each candidate alone."""
    rows = [r for p in pages for r in p["rows"]]
    if not rows:
        return np.zeros(1)
    X = np.array(rows, dtype=float)
    y = np.array([v for p in pages for v in p["right"]], dtype=float)
    pid = np.array([k for k, p in enumerate(pages) for _ in p["rows"]])
    n = len(pages)
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        e = np.exp(np.clip(X @ w, -30, 30))
        denom = 1.0 + np.bincount(pid, weights=e, minlength=n)
        right = np.bincount(pid, weights=e * y, minlength=n)
        p = e / denom[pid]
        q = np.where(y > 0, e / np.maximum(right[pid], 1e-300), 0.0)
        g = X.T @ (p - q) / n + l2 * np.r_[0, w[1:]] / n
        w -= lr * g
    return w


def best(page: dict, w) -> tuple[float, bool]:
    """The page's best candidate under ``w``: (its probability, it is right); (0, False)
    without candidates."""
    if not page["rows"]:
        return 0.0, False
    z = np.array(page["rows"], dtype=float) @ w
    k = int(np.argmax(z))
    return float(_sigmoid(z[k])), bool(page["right"][k])


def choose_threshold(objective: Callable[[float], float]) -> float:
    """The grid's threshold of the best objective (ties: the lower threshold)."""
    return max(GRID, key=lambda t: (objective(t), -t))


def cross_validate(pages: list[dict], fit: Callable, report: Callable, l2: float) -> list:
    """Leave-site-out: for each fold, ``fit`` on the others, then ``report(train, test, w)``
    (which chooses the threshold on ``train`` and scores ``test``); the reports in fold order."""
    out = []
    for k in range(FOLDS):
        train = [p for p in pages if p["fold"] != k]
        test = [p for p in pages if p["fold"] == k]
        out.append(report(train, test, fit(train, l2)))
    return out


def write_model(path: Path, about: str, features, w, threshold: float) -> dict:
    model = {
        "about": about,
        "threshold": round(threshold, 2),
        "weights": {f: round(float(v), 4) for f, v in zip(features, w, strict=True)},
    }
    path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return model
