#!/usr/bin/env python3
"""Fit the title model (``src/reflow/data/title_model.json``) on the web corpus, leave-site-out.

Every valid print of ``corpora/web`` with a reference title and a page title is run from its
reader dump up to the header stage; every block that could be the headline
(``reflow.structure.titlerank.candidates``) is labelled right when its text is the reference
title (the metric of ``score.py``: fuzz ratio >= 90). The model (``fitting.fit_rank``) is fitted
on four folds (by site: ``sha1(site) mod 5``) with its threshold chosen there, and scored on the
fifth: the page's answer is the best candidate above the threshold, else what the page-title
match alone gives (its best block, or the page title without the site's name), as
``titles.title_candidates`` does. The figures per fold and their mean are printed; the shipped
model is then fitted on all folds.

    python benchmarks/webcorpus/fit_titles.py --docs /tmp/docs.pkl          # report, write
    python benchmarks/webcorpus/fit_titles.py --no-write --docs /tmp/docs.pkl
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

from reflow_eval.metrics import metadata_accuracy  # noqa: E402

OUT = ROOT / "src" / "reflow" / "data" / "title_model.json"


def page_candidates(docs: Path | None = None) -> list[dict]:
    """Per valid page with a reference title and a page title: fold, provenance, candidates
    (rows, right?), and whether the page-title match alone is right."""
    from reflow.structure.titlerank import candidates
    from reflow.structure.titles import (
        _is_site_name,
        _title_match,
        clean_title,
        page_title,
        page_title_matches,
        strip_site,
    )

    pages = []
    for e, ref, doc in fitting.header_documents(through_header=False, cache=docs):
        want = ref["title"]["value"]
        pt = page_title(doc)
        if not want or not pt:
            continue

        def ok(text: str, want=want) -> bool:
            return bool(metadata_accuracy({"title": want}, {"title": clean_title(text)})["title"])

        cands = candidates(
            doc, lambda t, pt=pt: _title_match(t, pt), lambda t, pt=pt: _is_site_name(t, pt)
        )
        old = page_title_matches(doc)
        base = ok(doc.blocks[old[0][0]].text) if old else ok(strip_site(pt))
        pages.append(
            {
                "id": e["id"],
                "fold": e["fold"],
                "prov": ref["title"]["prov"],
                "rows": [c.row() for c in cands],
                "right": [ok(doc.blocks[c.index].text) for c in cands],
                "base": base,
            }
        )
    return pages


def decide(pages: list[dict], w) -> list[tuple[float, bool, bool]]:
    return [(*fitting.best(p, w), p["base"]) for p in pages]


def accuracy(dec, t: float) -> float:
    return sum((ok if pr >= t else base) for pr, ok, base in dec) / max(1, len(dec))


def report(train, test, w) -> dict:
    dtrain = decide(train, w)
    t = fitting.choose_threshold(lambda t: accuracy(dtrain, t))
    dec = decide(test, w)
    by = {
        prov: [d for d, p in zip(dec, test, strict=True) if p["prov"] == prov]
        for prov in ("gold", "silver")
    }
    return {
        "pages": len(test),
        "threshold": t,
        "title": accuracy(dec, t),
        "gold": accuracy(by["gold"], t),
        "silver": accuracy(by["silver"], t),
        "base": sum(p["base"] for p in test) / max(1, len(test)),
        "oracle": sum(any(p["right"]) for p in test) / max(1, len(test)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--docs", type=Path, help="pickle of the Documents (re-used when present)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from reflow.structure.titlerank import FEATURES

    pages = page_candidates(args.docs)
    folds = fitting.cross_validate(pages, fitting.fit_rank, report, args.l2)
    print(
        "| fold | pages | threshold | title | gold | silver | page-title match alone | candidates right |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, r in enumerate(folds):
        print(
            f"| {k} | {r['pages']} | {r['threshold']:.2f} | {r['title']:.3f} | {r['gold']:.3f} "
            f"| {r['silver']:.3f} | {r['base']:.3f} | {r['oracle']:.3f} |"
        )
    n = sum(r["pages"] for r in folds)
    print(
        f"all folds: title {sum(r['title'] * r['pages'] for r in folds) / n:.3f}, "
        f"page-title match alone {sum(r['base'] * r['pages'] for r in folds) / n:.3f} ({n} pages)"
    )
    w = fitting.fit_rank(pages, args.l2)
    dall = decide(pages, w)
    t = fitting.choose_threshold(lambda t: accuracy(dall, t))
    print({f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)}, "threshold", t)
    if not args.no_write:
        about = (
            "reflow title model: logistic weights over structure/titlerank.py FEATURES, "
            "fitted by benchmarks/webcorpus/fit_titles.py on corpora/web"
        )
        fitting.write_model(args.out, about, FEATURES, w, t)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
