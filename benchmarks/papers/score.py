#!/usr/bin/env python3
"""Score reflow (or any tool's Markdown) on the papers suite (corpora/papers/).

    python benchmarks/papers/score.py                    # convert every PDF with reflow, print tables
    python benchmarks/papers/score.py --split dev -v     # one line per document
    python benchmarks/papers/score.py --explain          # what each document got wrong
    python benchmarks/papers/score.py --outputs DIR      # score DIR/<name>.md made by another tool

Per document, with the harness's metrics (``reflow_eval.metrics``, the producer suite's
``score_one``): text similarity, paragraph F1, reading order, heading F1 on (level, text), the
furniture left; and two scores of this suite:

- heading levels: of the headings whose text an output finds (casefolded), the share it gives
  the reference's level;
- tables: a cell-level similarity in the spirit of TEDS. Each reference table is paired with
  the output table that scores best with it (each output table used once); the pair's score is
  the F1 of their cells after aligning their rows (a row pairs with a row, in order, scoring the
  cells equal at the same column; the alignment maximises the cells matched). A reference table
  without a partner scores 0, and so does an output table that pairs with no reference table
  (a false table): the document's table score is the mean over both. Documents with no table
  on either side are not scored for tables.

Means over documents per split (even paper numbers dev, odd test: fit on dev, report on test).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SUITE = REPO / "corpora" / "papers"
sys.path.insert(0, str(REPO / "benchmarks"))


def _producer_score():
    """benchmarks/producer_suite/score.py, whose score_one and explain this suite reuses."""
    spec = importlib.util.spec_from_file_location(
        "producer_score", REPO / "benchmarks" / "producer_suite" / "score.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents(suite: Path, split: str | None = None, only: str | None = None) -> list[dict]:
    out = []
    for meta_path in sorted(suite.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (split and meta["split"] != split) or (only and only not in meta["name"]):
            continue
        out.append({
            "id": meta["name"],
            "pdf": suite / f"{meta['name']}.pdf",
            "reference": suite / f"{meta['name']}.expected.md",
            "meta": meta,
        })  # fmt: skip
    return out


def heading_levels(ref_md: str, out_md: str) -> tuple[int, int]:
    """(headings found by text, of which at the reference's level)."""
    from reflow_eval import metrics as M

    ref, out = M.md_headings(ref_md), M.md_headings(out_md)
    levels: dict[str, list[int]] = {}
    for lv, t in out:
        levels.setdefault(t, []).append(lv)
    found = same = 0
    for lv, t in ref:
        got = levels.get(t)
        if not got:
            continue
        found += 1
        if lv in got:
            got.remove(lv)
            same += 1
        else:
            got.pop(0)
    return found, same


def _cells(t: list[list[str]]) -> int:
    return sum(1 for r in t for c in r if c)


def table_pair_score(ref: list[list[str]], out: list[list[str]]) -> float:
    """F1 of the cells of two tables after the row alignment that matches most cells."""
    n, m = len(ref), len(out)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            same = sum(1 for a, b in zip(ref[i], out[j], strict=False) if a and a == b)
            best[i][j] = max(best[i + 1][j], best[i][j + 1], same + best[i + 1][j + 1])
    total = _cells(ref) + _cells(out)
    return 2 * best[0][0] / total if total else 1.0


def table_score(ref_md: str, out_md: str) -> float | None:
    """The document's table score (see the module's docstring); None with no table at all."""
    from reflow_eval.grid_metrics import md_tables

    ref, out = md_tables(ref_md), md_tables(out_md)
    if not ref and not out:
        return None
    pairs = sorted(
        ((table_pair_score(r, o), i, j) for i, r in enumerate(ref) for j, o in enumerate(out)),
        reverse=True,
    )
    used_r, used_o, scores = set(), set(), []
    for s, i, j in pairs:
        if s > 0 and i not in used_r and j not in used_o:
            used_r.add(i)
            used_o.add(j)
            scores.append(s)
    scores += [0.0] * (len(ref) - len(used_r) + len(out) - len(used_o))
    return statistics.mean(scores)


def convert(pdf: str) -> tuple[str, float, str | None]:
    import reflow

    t0 = time.perf_counter()
    try:
        return reflow.convert(pdf).markdown, time.perf_counter() - t0, None
    except Exception as e:  # a failure scores as an empty output
        return "", time.perf_counter() - t0, f"{type(e).__name__}: {e}"


def score_doc(ref_md: str, out_md: str, meta: dict) -> dict:
    from reflow_eval import metrics as M

    P = _producer_score()
    out_md = M.strip_trailer(out_md)
    s = P.score_one(M, ref_md, out_md, meta, {})
    found, same = heading_levels(ref_md, out_md)
    return {
        "text": s["text"],
        "para_f1": s["para_f1"],
        "order": s["order"],
        "heading_f1": s["heading_f1"],
        "heading_level": same / found if found else None,
        "table": table_score(ref_md, out_md),
        "leaks": s["leaks"],
    }


def _mean(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.mean(xs) if xs else None


KEYS = ("text", "para_f1", "order", "heading_f1", "heading_level", "table")


def summarise(rows: list[dict]) -> dict:
    out = {k: _mean([r["scores"][k] for r in rows]) for k in KEYS}
    out["documents"] = len(rows)
    out["furniture_left"] = sum(bool(r["scores"]["leaks"]) for r in rows)
    return out


def table(groups: dict[str, list[dict]]) -> str:
    lines = [
        "| split | docs | text | para F1 | order | heading F1 | heading level | table | furniture left |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows in groups.items():
        if not rows:
            continue
        s = summarise(rows)
        f = {k: "–" if s[k] is None else f"{s[k]:.3f}" for k in KEYS}
        lines.append(
            f"| {name} | {s['documents']} | {f['text']} | {f['para_f1']} | {f['order']} "
            f"| {f['heading_f1']} | {f['heading_level']} | {f['table']} "
            f"| {s['furniture_left']} of {s['documents']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=SUITE)
    ap.add_argument("--split", choices=("dev", "test"))
    ap.add_argument("--id", help="keep documents whose name contains this")
    ap.add_argument("--outputs", type=Path, help="score DIR/<name>.md instead of reflow")
    ap.add_argument("--save", type=Path, help="write reflow's Markdown to DIR/<name>.md")
    ap.add_argument("--json", type=Path, help="write every document's scores here")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per document")
    ap.add_argument("--explain", action="store_true", help="and what each document got wrong")
    args = ap.parse_args(argv)
    docs = documents(args.suite, args.split, args.id)
    if not docs:
        print(f"no documents under {args.suite}", file=sys.stderr)
        return 2
    from reflow_eval import metrics as M

    rows = []
    for d in docs:
        if args.outputs:
            p = args.outputs / f"{d['id']}.md"
            md, secs, err = (p.read_text(encoding="utf-8") if p.exists() else ""), 0.0, None
            err = None if p.exists() else "missing"
        else:
            md, secs, err = convert(str(d["pdf"]))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{d['id']}.md").write_text(md, encoding="utf-8")
        ref = d["reference"].read_text(encoding="utf-8")
        s = score_doc(ref, md, d["meta"])
        rows.append({"id": d["id"], "split": d["meta"]["split"], "seconds": round(secs, 3),
                     "error": err, "scores": s})  # fmt: skip
        if args.verbose or args.explain:
            f = {k: "–" if s[k] is None else f"{s[k]:.3f}" for k in KEYS}
            print(f"{d['id']:32s} {d['meta']['split']:4s} text {f['text']} para {f['para_f1']} "
                  f"order {f['order']} head {f['heading_f1']} level {f['heading_level']} "
                  f"table {f['table']}" + (f" leaks {s['leaks']}" if s["leaks"] else "")
                  + (f" ERROR {err}" if err else ""))  # fmt: skip
        if args.explain:
            print("\n".join(_producer_score().explain(M, ref, md)))
    groups = {sp: [r for r in rows if r["split"] == sp] for sp in ("dev", "test")}
    groups["all"] = rows
    print(table(groups))
    if args.json:
        summary = {k: summarise(v) for k, v in groups.items() if v}
        args.json.write_text(json.dumps({"summary": summary, "documents": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
