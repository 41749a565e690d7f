#!/usr/bin/env python3
"""Fit the byline model (``src/reflow/data/byline_model.json``) on the web corpus, leave-site-out.

Every valid print of ``corpora/web`` is run from its reader dump up to the header stage; the
byline candidates near its title (``reflow.structure.bylines.candidates``) are labelled right
when their names are the reference's authors (``reflow_eval.metrics`` compares them: the same
set of names, case-insensitive). The model (``fitting.fit_rank``: a per-page ranking with
abstention; ``--pointwise``: each candidate alone) is fitted on four folds (folds are by site:
``sha1(site) mod 5``) with its threshold chosen there, and scored on the fifth; the figures per
fold and their mean are printed; the shipped model is then fitted on all folds.

Threshold objective: right answers minus half the wrong names put out (a wrong name is worse
than none for a reader; on this corpus, an empty answer and a wrong one score the same).

    python benchmarks/webcorpus/fit_bylines.py            # LOSO report, then write the model
    python benchmarks/webcorpus/fit_bylines.py --no-write --docs /tmp/docs.pkl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import fitting  # noqa: E402

from reflow_eval.metrics import _authors  # noqa: E402

OUT = ROOT / "src" / "reflow" / "data" / "byline_model.json"
WRONG_COST = 0.5


def page_candidates(docs: Path | None = None) -> list[dict]:
    """Per valid page with reference authors: fold, gold/silver, candidates (rows, right?)."""
    from reflow.structure.bylines import candidates
    from reflow.structure.titles import find_title_block

    pages = []
    for e, ref, doc in fitting.header_documents(through_header=False, cache=docs):
        if not ref["authors"]["value"]:
            continue
        s = doc.settings.header
        ti = find_title_block(doc)
        want = _authors(ref["authors"]["value"])
        cands = candidates(
            doc, ti, s.byline_before, s.byline_after, s.byline_max_words, s.byline_far
        )
        pages.append(
            {
                "id": e["id"],
                "fold": e["fold"],
                "prov": ref["authors"]["prov"],
                "rows": [c.row() for c in cands],
                "right": [_authors(c.names) == want for c in cands],
            }
        )
    return pages


def objective(dec, t: float) -> float:
    right = sum(ok for pr, ok in dec if pr >= t)
    wrong = sum(not ok for pr, ok in dec if pr >= t)
    return right - WRONG_COST * wrong


def accuracy(dec, t: float) -> float:
    return sum(ok and pr >= t for pr, ok in dec) / max(1, len(dec))


def report(train, test, w) -> dict:
    dtrain = [fitting.best(p, w) for p in train]
    t = fitting.choose_threshold(lambda t: objective(dtrain, t))
    dec = [fitting.best(p, w) for p in test]
    by = {
        prov: [d for d, p in zip(dec, test, strict=True) if p["prov"] == prov]
        for prov in ("gold", "silver")
    }
    return {
        "pages": len(test),
        "threshold": t,
        "authors": accuracy(dec, t),
        "gold": accuracy(by["gold"], t),
        "silver": accuracy(by["silver"], t),
        "wrong": sum(not ok and pr >= t for pr, ok in dec) / max(1, len(dec)),
        "oracle": sum(any(p["right"]) for p in test) / max(1, len(test)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--docs", type=Path, help="pickle of the Documents (re-used when present)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--pointwise", action="store_true", help="fit each candidate alone (the first model)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from reflow.structure.bylines import FEATURES

    fit = fitting.fit_pointwise if args.pointwise else fitting.fit_rank
    pages = page_candidates(args.docs)
    folds = fitting.cross_validate(pages, fit, report, args.l2)
    print(
        "| fold | pages | threshold | authors | gold | silver | put out, wrong | candidates right |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, r in enumerate(folds):
        print(
            f"| {k} | {r['pages']} | {r['threshold']:.2f} | {r['authors']:.3f} | {r['gold']:.3f} "
            f"| {r['silver']:.3f} | {r['wrong']:.3f} | {r['oracle']:.3f} |"
        )
    print(f"mean over folds: {sum(r['authors'] for r in folds) / len(folds):.3f}")
    w = fit(pages, args.l2)
    dall = [fitting.best(p, w) for p in pages]
    t = fitting.choose_threshold(lambda t: objective(dall, t))
    weights = {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)}
    print(weights, "threshold", round(t, 2))
    if not args.no_write:
        about = (
            "reflow byline model: logistic weights over structure/bylines.py FEATURES, "
            "fitted by benchmarks/webcorpus/fit_bylines.py on corpora/web"
        )
        fitting.write_model(args.out, about, FEATURES, w, t)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
