"""Exact leave-site-out figures of article mode's model: every page converted by the model of
the fold that never saw its site, and scored on its whole output.

    python benchmarks/article_model/train.py --fold-models /tmp/folds --no-write
    python benchmarks/article_model/loso_score.py /tmp/folds

``train.py`` gives figures from the blocks' labels; this runs reflow itself (from the web
corpus's reader dump, and on aeb-dev's PDFs), each page with ``fold<k>.json`` and the window
settings fitted with it, ``k`` = ``sha1(site) mod 5`` as the corpus's folds. Reports body P/R/F1
of the web corpus overall, per fold, English and not; the clean-article prints' text kept by
default; aeb-dev (out of sample: its sites in no training fold of the model that scores them).
``--rules`` scores today's hand-set rules the same way, for comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "webcorpus"))

import corpus as web  # noqa: E402
import score  # noqa: E402

import reflow  # noqa: E402
import reflow.structure.article as article  # noqa: E402
from reflow.model import ConvertOptions  # noqa: E402
from reflow.settings import DEFAULT  # noqa: E402
from reflow.structure.article_model import Model  # noqa: E402
from reflow_eval.corpora import iter_corpus  # noqa: E402
from reflow_eval.metrics import aeb_corpus, aeb_scores  # noqa: E402

K = 5


def fold_of(site: str) -> int:
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % K


def use(folder: Path | None, f: int, extra: dict | None = None):
    """Settings for fold ``f``'s model (and the model installed), or the rules."""
    if folder is None:
        article.load_model = lambda kind: None
        return DEFAULT
    data = json.loads((folder / f"fold{f}.json").read_text())["pdf"]
    m = Model(data)
    article.load_model = lambda kind: m if kind == "pdf" else None
    vals = {f"article.{k}": v for k, v in data.get("params", {}).items()}
    vals["article.model_pdf"] = True
    return DEFAULT.with_values({**vals, **(extra or {})})


def _f(a: dict) -> str:
    return f"P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} (n={a['n']})"


def agg(rows) -> dict:
    out = aeb_corpus(rows)
    out["n"] = len(rows)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, nargs="?", help="fold<k>.json models (none: --rules)")
    ap.add_argument("--rules", action="store_true", help="today's rules, no model")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fold", type=int, action="append", help="only these folds")
    ap.add_argument("--set", action="append", default=[], help="article.NAME=VALUE (a float)")
    args = ap.parse_args(argv)
    folder = None if args.rules else args.folder
    entries = web.manifest()
    rows, clean, aeb = [], [], []
    folds = args.fold if args.fold is not None else list(range(K))
    for f in folds:
        extra = {k: float(v) for k, v in (a.split("=", 1) for a in args.set)}
        s = use(folder, f, extra)
        ids = {e["id"] for e in entries if e["valid"] and e["fold"] == f}
        opts = ConvertOptions(settings=s)
        for e, ref, doc in web.iter_pages(options=opts, ids=ids):
            r = score.score_page(e, ref, doc)
            rows.append({"id": e["id"], "fold": f, "lang": e["language"], "aeb": r["aeb"]})
        for e, ref, doc in web.iter_pages(options=opts, ids=ids, clean=True):
            want = ref.get("clean_text") or ""
            clean.append({"id": e["id"], "kept": aeb_scores(want, doc.body_text)["recall"]})
        for item in iter_corpus("aeb-dev"):
            url = (item.reference.metadata or {}).get("url") or ""
            host = url.split("/")[2] if "//" in url else item.doc_id
            host = host[4:] if host.startswith("www.") else host
            if fold_of(host) != f:
                continue
            doc = reflow.convert(item.source, settings=s)
            aeb.append({"id": item.doc_id, "aeb": aeb_scores(item.reference.body, doc.body_text)})
    print("web corpus:", _f(agg([r["aeb"] for r in rows])))
    for f in folds:
        print(f"  fold {f}:", _f(agg([r["aeb"] for r in rows if r["fold"] == f])))
    print("  English:", _f(agg([r["aeb"] for r in rows if r["lang"] == "en"])))
    print("  other languages:", _f(agg([r["aeb"] for r in rows if r["lang"] != "en"])))
    kept = [c["kept"] for c in clean]
    print(
        f"clean-article prints ({len(kept)}): kept {sum(kept) / len(kept):.3f}"
        f" (>= 98% on {sum(k >= 0.98 for k in kept) / len(kept):.0%})"
    )
    print("aeb-dev:", _f(agg([a["aeb"] for a in aeb])))
    if args.json:
        args.json.write_text(json.dumps({"web": rows, "clean": clean, "aeb": aeb}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
