#!/usr/bin/env python3
"""Fit the date model (``src/reflow/data/date_model.json``) on the web corpus, leave-site-out.

Every valid print of ``corpora/web`` with a reference date is run from its reader dump through
the header stage; every date the page writes (``reflow.structure.pubdates.candidates``) is
labelled right when it is the reference's day. The model (``fitting.fit_rank``, or
``--pointwise``) is fitted on four folds (by site: ``sha1(site) mod 5``) with its threshold
chosen there, and scored on the fifth: the page's answer is the best candidate above the
threshold, else the day its URL carries (``url-date``), as ``metadata`` does. The figures per
fold and their mean are printed (gold and silver references apart); the shipped model is then
fitted on all folds.

Threshold objective: right answers minus half the wrong ones (a wrong date is worse than none
for a reader; the metric scores an empty answer and a wrong one the same).

    python benchmarks/webcorpus/fit_dates.py            # LOSO report, then write the model
    python benchmarks/webcorpus/fit_dates.py --no-write --docs /tmp/docs.pkl
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

from reflow_eval.metrics import _parse_day  # noqa: E402

OUT = ROOT / "src" / "reflow" / "data" / "date_model.json"
WRONG_COST = 0.5


def page_candidates(docs: Path | None = None) -> list[dict]:
    """Per valid page with a reference date: fold, provenance, candidates (rows, right?), and
    whether the URL's day is right."""
    from reflow.structure.dates import url_date
    from reflow.structure.header import date_order, page_url
    from reflow.structure.pubdates import candidates

    pages = []
    for e, ref, doc in fitting.header_documents(through_header=True, cache=docs):
        want = _parse_day(ref["date"]["value"]) if ref["date"]["value"] else None
        if want is None:
            continue
        url_day = url_date(page_url(doc))
        cands = candidates(doc, doc.facts.title_index, date_order(doc), url_day)
        pages.append(
            {
                "id": e["id"],
                "fold": e["fold"],
                "prov": ref["date"]["prov"],
                "rows": [c.row() for c in cands],
                "right": [c.day == want for c in cands],
                "url": None if url_day is None else url_day == want,
            }
        )
    return pages


def decide(pages: list[dict], w) -> list[tuple[float, bool, bool | None]]:
    """(best candidate's probability, it is right, the URL's day is right or None) per page."""
    return [(*fitting.best(p, w), p["url"]) for p in pages]


def answers(dec, t: float) -> list[bool | None]:
    """Per page: right, wrong (False) or no answer (None)."""
    return [ok if pr >= t else url for pr, ok, url in dec]


def objective(dec, t: float) -> float:
    a = answers(dec, t)
    return sum(x is True for x in a) - WRONG_COST * sum(x is False for x in a)


def accuracy(dec, t: float) -> float:
    return sum(x is True for x in answers(dec, t)) / max(1, len(dec))


def report(train, test, w) -> dict:
    dtrain = decide(train, w)
    t = fitting.choose_threshold(lambda t: objective(dtrain, t))
    dec = decide(test, w)
    by = {
        prov: [d for d, p in zip(dec, test, strict=True) if p["prov"] == prov]
        for prov in ("gold", "silver")
    }
    return {
        "pages": len(test),
        "threshold": t,
        "date": accuracy(dec, t),
        "gold": accuracy(by["gold"], t),
        "silver": accuracy(by["silver"], t),
        "wrong": sum(x is False for x in answers(dec, t)) / max(1, len(dec)),
        "oracle": sum(any(p["right"]) for p in test) / max(1, len(test)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--docs", type=Path, help="pickle of the Documents (re-used when present)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--pointwise", action="store_true", help="fit each candidate alone, not ranked per page"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from reflow.structure.pubdates import FEATURES

    fit = fitting.fit_pointwise if args.pointwise else fitting.fit_rank
    pages = page_candidates(args.docs)
    folds = fitting.cross_validate(pages, fit, report, args.l2)
    print("| fold | pages | threshold | date | gold | silver | wrong | candidates right |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, r in enumerate(folds):
        print(
            f"| {k} | {r['pages']} | {r['threshold']:.2f} | {r['date']:.3f} | {r['gold']:.3f} "
            f"| {r['silver']:.3f} | {r['wrong']:.3f} | {r['oracle']:.3f} |"
        )
    print(f"mean over folds: {sum(r['date'] for r in folds) / len(folds):.3f}")
    w = fit(pages, args.l2)
    dall = decide(pages, w)
    t = fitting.choose_threshold(lambda t: objective(dall, t))
    weights = {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)}
    print(weights, "threshold", round(t, 2))
    if not args.no_write:
        about = (
            "reflow date model: logistic weights over structure/pubdates.py FEATURES, "
            "fitted by benchmarks/webcorpus/fit_dates.py on corpora/web"
        )
        fitting.write_model(args.out, about, FEATURES, w, t)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
