"""What the model's article keeps that the reference body does not: the web prints' false
positive blocks, each by the fold model that never saw its site, sorted into kinds by their
features, with samples.

    python benchmarks/article_model/build.py --file web --texts --out /tmp/d
    python benchmarks/article_model/train.py --data-dir /tmp/d --fold-models /tmp/folds --no-write
    python benchmarks/article_model/false_positives.py /tmp/folds --data-dir /tmp/d

A block is a false positive when it is kept and under half of its shingles are in the
reference; its weight is its shingles outside the reference, as a share of the document's
output (the benchmark's precision loss). Kinds (the first that fits): ``header`` (between the
title and the byline/date: a dek), ``caption`` (short, against blank space or smaller type, or
a credit's shape), ``comments`` (after a comments marker), ``after-end`` (after an end marker),
``links`` (half its text links, or among link lines), ``short`` (under 8 words), ``before-title``,
``tail`` (after the reference's last block: a bio, a closing box), ``inside`` (the rest).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import train  # noqa: E402

from reflow.settings import DEFAULT  # noqa: E402


def kind_of(d: dict, i: int, ix: dict[str, int], last_ref: int) -> str:
    row = d["blocks"][i][train.META :]

    def f(name: str) -> float:
        return row[ix[name]] if name in ix else 0.0

    if f("header_zone"):
        return "header"
    if f("credit_shape") or f("copyright_sign") or f("caption_gap") or f("short_smaller"):
        return "caption"
    if f("after_comments"):
        return "comments"
    if f("after_end"):
        return "after-end"
    if f("link") >= 0.5 or f("link_run") >= 0.5:
        return "links"
    if f("words_log") < 2.2:
        return "short"
    if f("before_title"):
        return "before-title"
    if i > last_ref:
        return "tail"
    return "inside"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folds", type=Path)
    ap.add_argument("--data-dir", type=Path, default=HERE / "data")
    ap.add_argument("--samples", type=int, default=12)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fold", type=int, action="append", help="only these folds")
    args = ap.parse_args(argv)
    docs = [d for d in train.load("web", args.data_dir) if not d["clean"]]
    if args.fold:
        docs = [d for d in docs if train.fold_of(d["site"], 5) in args.fold]
    names = docs[0]["features"]
    ix = {n: k for k, n in enumerate(names)}
    models = {}
    loss: dict[str, float] = defaultdict(float)
    pages: dict[str, set] = defaultdict(set)
    samples: dict[str, list] = defaultdict(list)
    out = []
    for d in docs:
        f = train.fold_of(d["site"], 5)
        if f not in models:
            data = json.loads((args.folds / f"fold{f}.json").read_text())["pdf"]
            params = data.get("params", {})
            models[f] = (data, DEFAULT.with_values({f"article.{k}": v for k, v in params.items()}))
        model, s = models[f]
        kept = train.decide(model, d, s.article, names)
        bl = d["blocks"]
        total = sum(bl[i][0] for i in kept) or 1
        ref_blocks = [i for i, b in enumerate(bl) if b[0] and b[1] / b[0] >= 0.5]
        last_ref = ref_blocks[-1] if ref_blocks else -1
        for i in kept:
            n, c = bl[i][0], bl[i][1]
            if not n or c / n >= 0.5 or bl[i][2]:
                continue
            k = kind_of(d, i, ix, last_ref)
            w = (n - c) / total
            loss[k] += w
            pages[k].add(d["id"])
            text = d.get("texts", [""] * len(bl))[i]
            samples[k].append((d["site"], round(w, 3), text))
            out.append({"id": d["id"], "site": d["site"], "kind": k, "loss": w, "text": text})
    n_docs = len(docs)
    print(f"{n_docs} web prints; precision lost by kind (mean over documents) and pages")
    for k, v in sorted(loss.items(), key=lambda kv: -kv[1]):
        print(f"  {k:13} {v / n_docs:.4f}  {len(pages[k]):4} pages")
    rng = random.Random(0)
    for k in sorted(samples, key=lambda k: -loss[k]):
        print(f"\n== {k}")
        for site, w, text in rng.sample(samples[k], min(args.samples, len(samples[k]))):
            print(f"  {w:.3f} {site:28.28} {text[:130]!r}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
