#!/usr/bin/env python3
"""Score reflow on the web-print corpus (``corpora/web``): article body P/R/F1 with the
ScrapingHub benchmark's metric on ``Document.body_text``, title/authors/date accuracy (gold
and silver references apart), the gold "with"/"without" segments of the collections, and on
the clean-article prints the share of their text reflow keeps. Overall, per leave-site-out
fold, per language and per source. Standalone (not wired into ``reflow eval`` yet).

    python benchmarks/webcorpus/score.py                  # from the reader dump (no PDFs)
    python benchmarks/webcorpus/score.py --from pdf       # from the printed PDFs in the cache
    python benchmarks/webcorpus/score.py --json out.json --limit 100
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # reflow_eval (the evaluation harness)

import corpus  # noqa: E402

from reflow_eval.metrics import aeb_corpus, aeb_scores, metadata_accuracy  # noqa: E402

FIELDS = ("title", "authors", "date", "url")


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split()).casefold()


def snippet_counts(ref: dict, text: str) -> dict | None:
    """trafilatura's evaluation on the gold segments: each "with" segment should be in the
    output, each "without" segment should not (whitespace-normalised substring match)."""
    sn = ref.get("snippets")
    if not sn:
        return None
    out = _norm(text)
    w = [_norm(s) in out for s in sn.get("with", []) if s.strip()]
    wo = [_norm(s) not in out for s in sn.get("without", []) if s.strip()]
    return {"with": len(w), "with_ok": sum(w), "without": len(wo), "without_ok": sum(wo)}


def score_page(entry: dict, ref: dict, doc) -> dict:
    body = doc.body_text
    row = {
        "id": entry["id"],
        "fold": entry["fold"],
        "language": entry["language"],
        "source": entry["source"],
        "site": entry["site"],
    }
    row["aeb"] = aeb_scores(ref["body"]["text"], body)
    meta = doc.metadata.to_dict()
    want = {f: ref[f]["value"] for f in ("title", "authors", "date") if ref[f]["value"]}
    want["url"] = entry["url"]
    acc = metadata_accuracy(want, meta)
    url_prov = "gold" if entry["url_from"] == "collection" else "silver"
    row["meta"] = {f: {"ok": acc[f], "prov": ref[f]["prov"] if f in ref else url_prov} for f in acc}
    row["got"] = {f: meta.get(f) for f in ("title", "authors", "date", "url")}
    sn = snippet_counts(ref, body)
    if sn:
        row["snippets"] = sn
    return row


def score_clean(entry: dict, ref: dict, doc, doc_all) -> dict:
    """Share of the clean article's text shingles that reflow keeps (recall), by default and
    with --all; the clean print has no site chrome, so nothing should go."""
    want = ref.get("clean_text") or ""
    return {
        "id": entry["id"],
        "fold": entry["fold"],
        "language": entry["language"],
        "kept": aeb_scores(want, doc.body_text)["recall"],
        "kept_all": aeb_scores(want, doc_all.body_text)["recall"],
    }


def aggregate(rows: list[dict]) -> dict:
    if not rows:
        return {"n": 0}
    a = aeb_corpus([r["aeb"] for r in rows])
    out = {
        "n": len(rows),
        "P": round(a["precision"], 4),
        "R": round(a["recall"], 4),
        "F1": round(a["f1"], 4),
    }
    for f in FIELDS:
        for prov in ("gold", "silver", None):
            oks = [
                r["meta"][f]["ok"]
                for r in rows
                if f in r["meta"] and (prov is None or r["meta"][f]["prov"] == prov)
            ]
            if oks:
                key = f if prov is None else f"{f}_{prov}"
                out[key] = round(sum(oks) / len(oks), 4)
                out[f"{key}_n"] = len(oks)
    sn = [r["snippets"] for r in rows if "snippets" in r]
    if sn:
        w, wo = sum(s["with"] for s in sn), sum(s["without"] for s in sn)
        out["with_found"] = round(sum(s["with_ok"] for s in sn) / w, 4) if w else None
        out["without_absent"] = round(sum(s["without_ok"] for s in sn) / wo, 4) if wo else None
        out["snippet_docs"] = len(sn)
    return out


def by(rows: list[dict], key: str, min_n: int = 1) -> dict:
    groups = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    return {
        str(k): aggregate(v)
        for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))
        if len(v) >= min_n
    }


def _docs(args, clean=False, options=None):
    import reflow

    if args.source == "dump":
        yield from corpus.iter_pages(source="dump", clean=clean, options=options)
        return
    for e, ref, pdf in corpus.iter_pages(source="pdf", clean=clean):
        if pdf is None:
            continue
        art = None if options is None else options.article
        yield e, ref, reflow.convert(pdf, article=art)


def fmt(name: str, a: dict) -> str:
    def g(k, p=3):
        v = a.get(k)
        return "–" if v is None else f"{v:.{p}f}"

    return (
        f"| {name} | {a['n']} | {g('P')} | {g('R')} | **{g('F1')}** | {g('title')} | {g('authors')} "
        f"| {g('date')} | {g('url')} | {g('with_found')} | {g('without_absent')} |"
    )


HEAD = (
    "| set | pages | body P | body R | body F1 | title | authors | date | URL | with found | without absent |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="source", choices=["dump", "pdf"], default="dump")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-clean", action="store_true", help="skip the clean-article prints")
    args = ap.parse_args(argv)
    from reflow.model import ConvertOptions

    t0 = time.time()
    rows, fails = [], []
    for i, (e, ref, doc) in enumerate(_docs(args)):
        if args.limit and i >= args.limit:
            break
        try:
            rows.append(score_page(e, ref, doc))
        except Exception as ex:  # scored as nothing, listed
            fails.append({"id": e["id"], "error": f"{type(ex).__name__}: {ex}"})
    clean_rows = []
    if not args.no_clean:
        alls = {}
        for e, _ref, doc in _docs(args, clean=True, options=ConvertOptions(article=False)):
            alls[e["id"]] = doc
        for e, ref, doc in _docs(args, clean=True):
            if e["id"] in alls:
                clean_rows.append(score_clean(e, ref, doc, alls[e["id"]]))
    res = {
        "overall": aggregate(rows),
        "fold": by(rows, "fold"),
        "language": by(rows, "language"),
        "source": by(rows, "source"),
        "english_vs_other": by(
            [{**r, "en": "en" if r["language"] == "en" else "other"} for r in rows], "en"
        ),
        "failures": fails,
        "seconds": round(time.time() - t0, 1),
    }
    if clean_rows:
        res["clean"] = {
            "n": len(clean_rows),
            "kept": round(sum(r["kept"] for r in clean_rows) / len(clean_rows), 4),
            "kept_all": round(sum(r["kept_all"] for r in clean_rows) / len(clean_rows), 4),
            "kept_98": round(sum(r["kept"] >= 0.98 for r in clean_rows) / len(clean_rows), 4),
        }
    print(HEAD)
    print(fmt("all", res["overall"]))
    for k, a in res["fold"].items():
        print(fmt(f"fold {k}", a))
    for k, a in res["english_vs_other"].items():
        print(fmt(k, a))
    for k, a in res["source"].items():
        print(fmt(k, a))
    for k, a in list(res["language"].items())[:12]:
        print(fmt(f"lang {k}", a))
    o = res["overall"]
    for f in ("title", "authors", "date"):
        parts = [
            f"{p} {o[f + '_' + p]:.3f} (n={o[f + '_' + p + '_n']})"
            for p in ("gold", "silver")
            if f + "_" + p in o
        ]
        print(f"{f}: " + "; ".join(parts))
    if clean_rows:
        c = res["clean"]
        print(
            f"clean-article prints ({c['n']}): text kept {c['kept']:.3f} by default "
            f"(>= 98% on {c['kept_98']:.0%}), {c['kept_all']:.3f} with --all"
        )
    print(f"{len(rows)} pages scored, {len(fails)} failures, {res['seconds']} s")
    if args.json:
        res["per_document"] = rows + [{"clean": True, **r} for r in clean_rows]
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
