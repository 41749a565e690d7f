#!/usr/bin/env python3
"""Fit the date model (``src/reflow/data/date_model.json``) on the web corpus, leave-site-out.

Every valid print of ``corpora/web`` with a reference date is run from its reader dump through
the header stage; every date the page writes (``reflow.structure.pubdates.candidates``) is
labelled right when it is the reference's day. A logistic model (``fit_bylines.fit``: L2,
gradient descent, NumPy) is fitted on four folds (by site: ``sha1(site) mod 5``) with its
threshold chosen there, and scored on the fifth: the page's answer is the best candidate above
the threshold, else the day its URL carries (``url-date``), as ``metadata`` does. The figures per
fold and their mean are printed (gold and silver references apart); the shipped model is then
fitted on all folds.

Threshold objective: right answers minus half the wrong ones (a wrong date is worse than none
for a reader; the metric scores an empty answer and a wrong one the same).

    python benchmarks/webcorpus/fit_dates.py            # LOSO report, then write the model
    python benchmarks/webcorpus/fit_dates.py --no-write
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
from fit_bylines import fit, fit_rank  # noqa: E402

from reflow_eval.metrics import _parse_day  # noqa: E402

OUT = ROOT / "src" / "reflow" / "data" / "date_model.json"
WRONG_COST = 0.5


def page_candidates(cache: Path | None = None) -> list[dict]:
    """Per valid page with a reference date: fold, provenance, candidates (rows, right?), and
    whether the URL's day is right."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    from reflow import pipeline
    from reflow.model import ConvertOptions
    from reflow.structure.dates import url_date
    from reflow.structure.header import date_order, page_url
    from reflow.structure.pubdates import candidates

    stop = [s.__name__ for s in pipeline.STAGES].index("find_header") + 1
    entries = {e["id"]: e for e in corpus.manifest() if e.get("valid")}
    refs = corpus.references()
    pages = []
    for rec in corpus.dump_records():
        e = entries.get(rec["id"])
        ref = refs.get(rec["id"]) if e else None
        want = _parse_day(ref["date"]["value"]) if ref and ref["date"]["value"] else None
        if want is None:
            continue
        doc = dump.load_document(rec, f"{e['id']}.pdf")
        doc.options = ConvertOptions()
        for stage in pipeline.STAGES[:stop]:
            doc = stage(doc)
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
    if cache:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def decide(pages: list[dict], w: np.ndarray) -> list[tuple[float, bool, bool | None]]:
    """(best candidate's probability, it is right, the URL's day is right or None) per page."""
    out = []
    for p in pages:
        if not p["rows"]:
            out.append((0.0, False, p["url"]))
            continue
        z = np.array(p["rows"]) @ w
        k = int(np.argmax(z))
        pr = float(1 / (1 + np.exp(-np.clip(z[k], -30, 30))))
        out.append((pr, bool(p["right"][k]), p["url"]))
    return out


def answers(dec, t: float) -> list[bool | None]:
    """Per page: right, wrong (False) or no answer (None)."""
    return [ok if pr >= t else url for pr, ok, url in dec]


def objective(dec, t: float) -> float:
    a = answers(dec, t)
    return sum(x is True for x in a) - WRONG_COST * sum(x is False for x in a)


def choose_threshold(dec) -> float:
    grid = [i / 100 for i in range(5, 96)]
    return max(grid, key=lambda t: (objective(dec, t), -t))


def accuracy(dec, t: float) -> float:
    return sum(x is True for x in answers(dec, t)) / max(1, len(dec))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--cache", type=Path, help="pickle of the candidates (re-used when present)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--pointwise", action="store_true", help="fit each candidate alone, not ranked per page"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from reflow.structure.pubdates import FEATURES

    pages = page_candidates(args.cache)
    accs = []
    print("| fold | pages | threshold | date | gold | silver | wrong | candidates right |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
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
        wrong = sum(x is False for x in answers(dec, t)) / max(1, len(dec))
        oracle = sum(any(p["right"]) for p in test) / max(1, len(test))
        print(
            f"| {k} | {len(test)} | {t:.2f} | {acc:.3f} | {accuracy(g, t):.3f} | "
            f"{accuracy(s, t):.3f} | {wrong:.3f} | {oracle:.3f} |"
        )
    print(f"mean over folds: {sum(accs) / len(accs):.3f}")
    w = (fit if args.pointwise else fit_rank)(pages, args.l2)
    t = choose_threshold(decide(pages, w))
    model = {
        "about": "reflow date model: logistic weights over structure/pubdates.py FEATURES, "
        "fitted by benchmarks/webcorpus/fit_dates.py on corpora/web",
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
