#!/usr/bin/env python3
"""Fit layout settings on the producer suite's dev split; report on its test split (or leave one
producer out).

Each document of ``corpora/producers/<producer>/`` (``.pdf``, ``.expected.md``, ``.meta.json``
with ``split`` and ``forbidden``) is converted with ``Settings().with_values(...)`` and scored
with ``reflow eval``'s own metrics (text similarity, paragraph F1, reading order, heading F1,
furniture leaks). A grid over one or more settings is scored on the fitting documents only; the
best value (highest mean of text, paragraph F1 and order, leaks subtracted) is then reported on
the held-out documents beside the default's figures.

    python benchmarks/fit_settings.py score                       # defaults, per producer/split
    python benchmarks/fit_settings.py score --set blocks.paragraph_gap_em=0.6
    python benchmarks/fit_settings.py fit blocks.indent_min_em=0.5,0.8,1.2
    python benchmarks/fit_settings.py fit blocks.x=1,2 --leave-producer-out
    python benchmarks/fit_settings.py score --explain --id paper-04   # missed and extra blocks

No rule is keyed to a producer: the producer name is used here only to split and report.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from reflow_eval import cli as E  # noqa: E402
from reflow_eval.corpora import Item, Reference, _read_meta  # noqa: E402

CORPUS = Path(os.environ.get("REFLOW_PRODUCERS", HERE.parent / "corpora" / "producers"))
METRICS = ("text", "para_f1", "order", "head_f1", "leaks")


def documents(root: Path) -> list[tuple[Item, str, str]]:
    """(item, producer, split) of every document with a reference."""
    out = []
    for pdf in sorted(root.rglob("*.pdf")):
        stem = pdf.name[: -len(".pdf")]
        ref = pdf.with_name(stem + ".expected.md")
        if not ref.exists():
            continue
        meta_path = pdf.with_name(stem + ".meta.json")
        meta, forbidden = _read_meta(meta_path)
        try:
            raw = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        producer = raw.get("producer") or pdf.parent.name
        item = Item(
            "producers",
            f"{producer}/{stem}",
            pdf,
            Reference(markdown=ref.read_text(encoding="utf-8"), metadata=meta, forbidden=forbidden),
        )
        out.append((item, producer, raw.get("split", "dev")))
    return out


def _convert_score(args) -> dict:
    item, values, explain = args
    import reflow
    from reflow.settings import Settings

    try:
        doc = reflow.convert(item.source, settings=Settings().with_values(values))
        md = doc.markdown
    except Exception as e:  # noqa: BLE001 - a failure scores as an empty output
        md = ""
        print(f"{item.doc_id}: {type(e).__name__}: {e}", file=sys.stderr)
    s = E.score(item, md, {})
    rec = {
        "id": item.doc_id,
        "text": s["text_similarity"],
        "para_f1": s["paragraph"]["f1"],
        "order": s["reading_order"],
        "head": s["heading"],
        "leaks": s.get("leaks", []),
    }
    if explain:
        rec["explain"] = E.explain_item(item, md)
    return rec


def run(docs, values: dict, jobs: int, explain: bool = False) -> list[dict]:
    tasks = [(item, values, explain) for item, _, _ in docs]
    if jobs <= 1:
        return [_convert_score(t) for t in tasks]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_convert_score, tasks, chunksize=2))


def summary(recs: list[dict]) -> dict:
    n = len(recs) or 1
    tp = sum(r["head"]["tp"] for r in recs)
    nr = sum(r["head"]["n_ref"] for r in recs)
    no = sum(r["head"]["n_out"] for r in recs)
    return {
        "docs": len(recs),
        "text": sum(r["text"] for r in recs) / n,
        "para_f1": sum(r["para_f1"] for r in recs) / n,
        "order": sum(r["order"] for r in recs) / n,
        "head_f1": 2 * tp / (nr + no) if nr + no else 1.0,
        "leaks": sum(len(r["leaks"]) for r in recs),
        "docs_with_leaks": sum(bool(r["leaks"]) for r in recs),
    }


def objective(s: dict) -> float:
    return s["text"] + s["para_f1"] + s["order"] - 0.01 * s["leaks"] / max(1, s["docs"])


def table(rows: dict[str, dict]) -> str:
    head = f"{'group':34s} {'docs':>4s} {'text':>6s} {'paraF1':>6s} {'order':>6s} {'headF1':>6s} {'leaks':>5s}"
    lines = [head]
    for name, s in rows.items():
        lines.append(
            f"{name:34s} {s['docs']:4d} {s['text']:6.3f} {s['para_f1']:6.3f} {s['order']:6.3f}"
            f" {s['head_f1']:6.3f} {s['leaks']:5d}"
        )
    return "\n".join(lines)


def grouped(docs, recs) -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for (_, producer, split), r in zip(docs, recs, strict=True):
        groups.setdefault(f"{producer} {split}", []).append(r)
        groups.setdefault(f"all {split}", []).append(r)
    return {k: summary(v) for k, v in sorted(groups.items())}


def parse_values(pairs: list[str]) -> dict:
    out = {}
    for p in pairs:
        k, _, v = p.partition("=")
        out[k] = ast.literal_eval(v)
    return out


def parse_grid(specs: list[str]) -> list[dict]:
    axes = []
    for spec in specs:
        k, _, vs = spec.partition("=")
        axes.append([(k, ast.literal_eval(v)) for v in vs.split(",")])
    return [dict(c) for c in itertools.product(*axes)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sc = sub.add_parser("score", help="score one setting (defaults unless --set)")
    sc.add_argument("--set", action="append", default=[], metavar="STAGE.NAME=VALUE")
    sc.add_argument("--explain", action="store_true")
    fit = sub.add_parser("fit", help="grid over settings: fit on dev, report on test")
    fit.add_argument("grid", nargs="+", metavar="STAGE.NAME=V1,V2,...")
    fit.add_argument("--leave-producer-out", action="store_true")
    for p in (sc, fit):
        p.add_argument("--corpus", type=Path, default=CORPUS)
        p.add_argument("--id", action="append", default=[])
        p.add_argument("--producer", action="append", default=[])
        p.add_argument("-j", "--jobs", type=int, default=2)
        p.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    docs = documents(a.corpus)
    if a.id:
        docs = [d for d in docs if any(x in d[0].doc_id for x in a.id)]
    if a.producer:
        docs = [d for d in docs if d[1] in a.producer]
    if not docs:
        print(f"no documents under {a.corpus}", file=sys.stderr)
        return 1
    if a.cmd == "score":
        recs = run(docs, parse_values(a.set), a.jobs, a.explain)
        print(table(grouped(docs, recs)))
        if a.explain:
            for r in recs:
                ex = r["explain"]
                if ex["missed"] or ex["extra"] or ex.get("leaks"):
                    print(
                        f"\n== {r['id']}  text {r['text']:.3f} para {r['para_f1']:.3f}"
                        f" order {r['order']:.3f}"
                    )
                    for b in ex["missed"]:
                        print("  - " + b[:150])
                    for b in ex["extra"]:
                        print("  + " + b[:150])
                    for b in ex.get("leaks", []):
                        print("  ! " + b[:150])
        if a.json:
            a.json.write_text(json.dumps(recs, indent=1))
        return 0
    grid = parse_grid(a.grid)
    results = [(values, run(docs, values, a.jobs)) for values in grid]
    producers = sorted({p for _, p, _ in docs})
    folds = (
        [(f"leave {p} out", lambda d, p=p: d[1] != p, lambda d, p=p: d[1] == p) for p in producers]
        if a.leave_producer_out
        else [("dev -> test", lambda d: d[2] == "dev", lambda d: d[2] == "test")]
    )
    report = []
    for name, fit_on, held in folds:
        scored = []
        for values, recs in results:
            train = [r for d, r in zip(docs, recs, strict=True) if fit_on(d)]
            scored.append((objective(summary(train)), values, recs))
        best = max(scored, key=lambda x: x[0])
        for obj, values, _ in scored:
            print(f"{name}: {values} fit objective {obj:.4f}")
        _, values, recs = best
        test = [r for d, r in zip(docs, recs, strict=True) if held(d)]
        print(f"{name}: chosen {values}\n" + table({"held out": summary(test)}) + "\n")
        report.append({"fold": name, "chosen": values, "held_out": summary(test)})
    if a.json:
        a.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
