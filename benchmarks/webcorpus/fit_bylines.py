#!/usr/bin/env python3
"""Fit the byline model (``src/reflow/data/byline_model.json``) on the web corpus, leave-site-out.

Every valid print of ``corpora/web`` is run from its reader dump up to the header stage; the
byline candidates near its title (``reflow.structure.bylines.candidates``) are labelled right
when their names are the reference's authors (``reflow_eval.metrics`` compares them: the same
set of names, case-insensitive). A logistic model (L2, gradient descent, NumPy) is fitted on
four folds (folds are by site: ``sha1(site) mod 5``) with its threshold chosen there, and scored
on the fifth; the figures per fold and their mean are printed; the shipped model is then fitted
on all folds.

Threshold objective: right answers minus half the wrong names put out (a wrong name is worse
than none for a reader; on this corpus, an empty answer and a wrong one score the same).

    python benchmarks/webcorpus/fit_bylines.py            # LOSO report, then write the model
    python benchmarks/webcorpus/fit_bylines.py --no-write
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
import dump  # noqa: E402

from reflow_eval.metrics import _authors  # noqa: E402

OUT = ROOT / "src" / "reflow" / "data" / "byline_model.json"
WRONG_COST = 0.5


def page_candidates(cache: Path | None = None) -> list[dict]:
    """Per valid page with reference authors: fold, gold/silver, candidates (rows, right?)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    from reflow import pipeline
    from reflow.model import ConvertOptions
    from reflow.structure.bylines import candidates
    from reflow.structure.titles import find_title_block

    stop = [s.__name__ for s in pipeline.STAGES].index("find_header")
    entries = {e["id"]: e for e in corpus.manifest() if e.get("valid")}
    refs = corpus.references()
    pages = []
    for rec in corpus.dump_records():
        e = entries.get(rec["id"])
        ref = refs.get(rec["id"]) if e else None
        if not ref or not ref["authors"]["value"]:
            continue
        doc = dump.load_document(rec, f"{e['id']}.pdf")
        doc.options = ConvertOptions()
        for stage in pipeline.STAGES[:stop]:
            doc = stage(doc)
        s = doc.settings.header
        ti = find_title_block(doc)
        want = _authors(ref["authors"]["value"])
        cands = candidates(doc, ti, s.byline_before, s.byline_after, s.byline_max_words)
        pages.append(
            {
                "id": e["id"],
                "fold": e["fold"],
                "prov": ref["authors"]["prov"],
                "rows": [c.row() for c in cands],
                "right": [_authors(c.names) == want for c in cands],
            }
        )
    if cache:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def fit(pages: list[dict], l2: float = 1.0, steps: int = 3000, lr: float = 0.5) -> np.ndarray:
    X = np.array([r for p in pages for r in p["rows"]], dtype=float)
    y = np.array([v for p in pages for v in p["right"]], dtype=float)
    w = np.zeros(X.shape[1])
    if not len(y):
        return w
    pos = max(1.0, y.sum())
    cw = np.where(y > 0, (len(y) - pos) / pos, 1.0)  # balance the few right candidates
    cw = cw / cw.mean()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ ((p - y) * cw) / len(y) + l2 * np.r_[0, w[1:]] / len(y)
        w -= lr * g
    return w


def fit_rank(pages: list[dict], l2: float = 1.0, steps: int = 2000, lr: float = 1.0) -> np.ndarray:
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


def decide(pages: list[dict], w: np.ndarray) -> list[tuple[float, bool]]:
    """(best candidate's probability, it is right) per page; (0, False) without candidates."""
    out = []
    for p in pages:
        if not p["rows"]:
            out.append((0.0, False))
            continue
        z = np.array(p["rows"]) @ w
        k = int(np.argmax(z))
        out.append((float(1 / (1 + np.exp(-np.clip(z[k], -30, 30)))), bool(p["right"][k])))
    return out


def objective(dec, t: float) -> float:
    right = sum(ok for pr, ok in dec if pr >= t)
    wrong = sum(not ok for pr, ok in dec if pr >= t)
    return right - WRONG_COST * wrong


def choose_threshold(dec) -> float:
    grid = [i / 100 for i in range(5, 96)]
    return max(grid, key=lambda t: (objective(dec, t), -t))


def accuracy(dec, t: float) -> float:
    return sum(ok and pr >= t for pr, ok in dec) / max(1, len(dec))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--cache", type=Path, help="pickle of the candidates (re-used when present)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--pointwise", action="store_true", help="fit each candidate alone (the first model)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from reflow.structure.bylines import FEATURES

    pages = page_candidates(args.cache)
    accs = []
    print("| fold | pages | threshold | authors | gold | silver | put out, wrong |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for k in range(5):
        train = [p for p in pages if p["fold"] != k]
        test = [p for p in pages if p["fold"] == k]
        w = (fit if args.pointwise else fit_rank)(train, args.l2)
        t = choose_threshold(decide(train, w))
        dec = decide(test, w)
        acc = accuracy(dec, t)
        accs.append(acc)
        g = [d for d, p in zip(dec, test, strict=True) if p["prov"] == "gold"]
        s = [d for d, p in zip(dec, test, strict=True) if p["prov"] == "silver"]
        wrong = sum(not ok and pr >= t for pr, ok in dec) / max(1, len(dec))
        print(
            f"| {k} | {len(test)} | {t:.2f} | {acc:.3f} | {accuracy(g, t):.3f} | "
            f"{accuracy(s, t):.3f} | {wrong:.3f} |"
        )
    print(f"mean over folds: {sum(accs) / len(accs):.3f}")
    w = (fit if args.pointwise else fit_rank)(pages, args.l2)
    t = choose_threshold(decide(pages, w))
    model = {
        "about": "reflow byline model: logistic weights over structure/bylines.py FEATURES, "
        "fitted by benchmarks/webcorpus/fit_bylines.py on corpora/web",
        "threshold": round(t, 2),
        "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)},
    }
    print(json.dumps(model["weights"]), "threshold", model["threshold"])
    if not args.no_write:
        args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
