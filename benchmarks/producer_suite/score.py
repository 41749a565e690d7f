#!/usr/bin/env python3
"""Score reflow on the producer suite (corpora/producers/) with reflow's own metrics.

    python benchmarks/producer_suite/score.py                  # convert every PDF, print the tables
    python benchmarks/producer_suite/score.py --split test --producer pdftex-twocol -v
    python benchmarks/producer_suite/score.py --json scores.json
    python benchmarks/producer_suite/score.py --outputs DIR    # score Markdown made by any tool:
                                                               # DIR/<producer>/<name>.md

Per document: text similarity, paragraph F1, reading order, heading F1 (level and text), the
furniture left in the output, and the metadata (title, authors, date) reflow found. Two furniture
checks, both in the output's text with the Markdown syntax stripped:
- ``forbidden`` (meta.json): strings that never occur in the reference (a running header such as
  "Kovalenko et al.", "Page 3 of 5", an arXiv stamp): any occurrence is a leak, as in
  ``reflow eval`` (``metrics.furniture_leaks``);
- ``furniture`` (every header, footer and page number each page prints, with its page): a text
  that the reference also holds (a bare page number "3", a running header that repeats the
  title or a section heading) is a leak when the output holds it more often than the reference.
Tables and code blocks (``reflow_eval.grid_metrics``): the reference's GFM tables and fenced
code blocks an output reproduces exactly, of all of them, and in brackets the output's false
ones (sharing no cell, or no line, with the reference's); "table rows" is F1 on the rows of all
tables as tuples of cells (summed over documents).
Tables: means over documents per producer, then per split (dev, test) and producer; "furniture
left" counts documents with at least one leak.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SUITE = REPO / "corpora" / "producers"

# reflow's metrics: benchmarks/reflow_eval (the harness, outside the installed package), or
# the package itself in checkouts from before the move
_METRIC_MODULES = ("reflow_eval.metrics", "reflow.eval.metrics")


def metrics():
    sys.path.insert(0, str(REPO / "benchmarks"))
    for name in _METRIC_MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise SystemExit(f"reflow's metrics not found (tried {', '.join(_METRIC_MODULES)})")


def documents(suite: Path, producers: list[str] | None, split: str | None, only: str | None):
    for meta_path in sorted(suite.glob("*/*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if producers and meta["producer"] not in producers:
            continue
        if split and meta["split"] != split:
            continue
        if only and only not in f"{meta['producer']}/{meta['name']}":
            continue
        stem = meta_path.name[: -len(".meta.json")]
        yield {
            "id": f"{meta['producer']}/{meta['name']}",
            "pdf": meta_path.with_name(stem + ".pdf"),
            "reference": meta_path.with_name(stem + ".expected.md"),
            "meta": meta,
        }


def convert(pdf: str) -> tuple[str, dict, float, str | None]:
    """reflow's Markdown and metadata of one PDF (in a worker process)."""
    import reflow

    t0 = time.perf_counter()
    try:
        doc = reflow.convert(pdf)
        md = doc.markdown
        m = doc.metadata
        meta = {"title": m.title, "authors": list(m.authors or []), "date": m.date}
        return md, meta, time.perf_counter() - t0, None
    except Exception as e:  # a failure scores as an empty output
        return "", {}, time.perf_counter() - t0, f"{type(e).__name__}: {e}"


def token_count(M, needle: str, text: str) -> int:
    pat = re.escape(" ".join(needle.split()))
    if re.match(r"\w", needle):
        pat = r"(?<!\w)" + pat
    if re.search(r"\w$", needle):
        pat += r"(?!\w)"
    return len(re.findall(pat, text))


def furniture_left(M, ref_md: str, out_md: str, meta: dict) -> list[str]:
    leaks = list(M.furniture_leaks(out_md, meta.get("forbidden") or []))
    ref_plain = " ".join(M.md_blocks(ref_md))
    out_plain = " ".join(M.md_blocks(out_md))
    texts = {}
    for f in meta.get("furniture") or []:
        texts[f["text"]] = texts.get(f["text"], 0) + 1
    for text in texts:
        if text in leaks:
            continue
        if token_count(M, text, out_plain) > token_count(M, text, ref_plain):
            leaks.append(text)
    return leaks


def grid_metrics():
    metrics()
    try:
        return importlib.import_module("reflow_eval.grid_metrics")
    except ImportError:  # checkouts from before the table and code metrics
        return None


def score_one(M, ref_md: str, out_md: str, meta: dict, out_meta: dict) -> dict:
    out_md = M.strip_trailer(out_md)
    G = grid_metrics()
    matches = M.match_blocks(ref_md, out_md)
    para = M.prf(len(matches), len(M.md_blocks(ref_md)), len(M.md_blocks(out_md)))
    md_meta = {k: v for k, v in (meta.get("metadata") or {}).items() if v}
    return {
        "text": M.text_similarity(ref_md, out_md),
        "para_f1": para["f1"],
        "order": M.order_from_matches(matches),
        "heading_f1": M.heading_f1(ref_md, out_md)["f1"],
        "leaks": furniture_left(M, ref_md, out_md, meta),
        "metadata": M.metadata_accuracy(md_meta, out_meta),
        "tables": G.table_scores(ref_md, out_md) if G else None,
        "code": G.code_scores(ref_md, out_md) if G else None,
    }


def explain(M, ref_md: str, out_md: str, width: int = 110) -> list[str]:
    """What an output got wrong: reference blocks it missed or broke, its own blocks that match
    nothing, headings missed and spurious (level, text)."""
    out_md = M.strip_trailer(out_md)
    ref_b, out_b = M.md_blocks(ref_md), M.md_blocks(out_md)
    matches = M.match_blocks(ref_b, out_b)
    got_r = {i for i, _, _ in matches}
    got_o = {j for _, j, _ in matches}
    lines = [f"  - missed: {b[:width]}" for i, b in enumerate(ref_b) if i not in got_r]
    lines += [f"  + extra:  {b[:width]}" for j, b in enumerate(out_b) if j not in got_o]
    rh, oh = M.md_headings(ref_md), M.md_headings(out_md)
    lines += [f"  # missed heading {lv} {t[:width]}" for lv, t in rh if (lv, t) not in oh]
    lines += [f"  # spurious heading {lv} {t[:width]}" for lv, t in oh if (lv, t) not in rh]
    return lines


def mean(xs: list[float]) -> float:
    return statistics.mean(xs) if xs else float("nan")


def summarise(rows: list[dict]) -> dict:
    meta_fields: dict[str, list[bool]] = {}
    for r in rows:
        for k, v in r["scores"]["metadata"].items():
            meta_fields.setdefault(k, []).append(v)
    return {
        "documents": len(rows),
        "text": mean([r["scores"]["text"] for r in rows]),
        "para_f1": mean([r["scores"]["para_f1"] for r in rows]),
        "order": mean([r["scores"]["order"] for r in rows]),
        "heading_f1": mean([r["scores"]["heading_f1"] for r in rows]),
        "furniture_left": sum(bool(r["scores"]["leaks"]) for r in rows),
        "metadata": {k: mean([float(x) for x in v]) for k, v in meta_fields.items()},
        "failures": sum(bool(r.get("error")) for r in rows),
        "tables": _sum([r["scores"].get("tables") for r in rows]),
        "code": _sum([r["scores"].get("code") for r in rows]),
    }


def _sum(scores: list[dict | None]) -> dict:
    """Counts summed over documents: ``exact`` of ``n_ref`` found, ``false`` of ``n_out``."""
    out = {"exact": 0, "n_ref": 0, "n_out": 0, "false": 0}
    rows = [0, 0, 0]
    for s in scores:
        for k in out:
            out[k] += (s or {}).get(k, 0)
        r = (s or {}).get("rows")
        if r:
            rows = [rows[0] + r["tp"], rows[1] + r["n_ref"], rows[2] + r["n_out"]]
    tp, n_ref, n_out = rows
    out["rows_f1"] = 2 * tp / (n_ref + n_out) if n_ref + n_out else 1.0
    return out


def table(groups: dict[str, list[dict]], title: str) -> str:
    head = ("| producer | docs | text | para F1 | order | heading F1 | furniture left | "
            "title | authors | date | tables (false) | table rows | code (false) |")  # fmt: skip
    lines = [
        f"**{title}**",
        "",
        head,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows in groups.items():
        if not rows:
            continue
        s = summarise(rows)
        md = s["metadata"]

        def f(k: str, md: dict = md) -> str:
            return f"{md[k]:.2f}" if k in md else "–"

        lines.append(
            f"| {name} | {s['documents']} | {s['text']:.3f} | {s['para_f1']:.3f} | {s['order']:.3f} "
            f"| {s['heading_f1']:.3f} | {s['furniture_left']} of {s['documents']} | {f('title')} "
            f"| {f('authors')} | {f('date')} | {_count(s['tables'])} "
            f"| {s['tables']['rows_f1']:.2f} | {_count(s['code'])} |"
        )
    return "\n".join(lines)


def _count(c: dict) -> str:
    return f"{c['exact']}/{c['n_ref']} ({c['false']})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=SUITE)
    ap.add_argument("--producer", action="append")
    ap.add_argument("--split", choices=("dev", "test"))
    ap.add_argument("--id", help="keep documents whose id contains this")
    ap.add_argument("--outputs", type=Path, help="score DIR/<producer>/<name>.md instead of reflow")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (2 at most here)")
    ap.add_argument("--json", type=Path, help="write every document's scores here")
    ap.add_argument("--save", type=Path, help="write reflow's Markdown to DIR/<producer>/<name>.md")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per document")
    ap.add_argument("--explain", action="store_true", help="and what each document got wrong")
    args = ap.parse_args(argv)
    M = metrics()
    docs = list(documents(args.suite, args.producer, args.split, args.id))
    if not docs:
        print(f"no documents under {args.suite}", file=sys.stderr)
        return 2
    if args.outputs:
        results = []
        for d in docs:
            p = args.outputs / f"{d['id']}.md"
            md = p.read_text(encoding="utf-8") if p.exists() else ""
            fields, _ = M.split_front_matter(md)
            results.append((md, fields, 0.0, None if p.exists() else "missing"))
    elif args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            results = list(ex.map(convert, [str(d["pdf"]) for d in docs]))
    else:
        results = [convert(str(d["pdf"])) for d in docs]
    rows = []
    for d, (md, out_meta, secs, err) in zip(docs, results, strict=True):
        ref = d["reference"].read_text(encoding="utf-8")
        if args.save:
            (args.save / d["id"]).parent.mkdir(parents=True, exist_ok=True)
            (args.save / f"{d['id']}.md").write_text(md, encoding="utf-8")
        scores = score_one(M, ref, md, d["meta"], out_meta)
        row = {"id": d["id"], "producer": d["meta"]["producer"], "split": d["meta"]["split"],
               "kind": d["meta"]["kind"], "pages": d["meta"]["pages"], "seconds": round(secs, 3),
               "error": err, "scores": scores}  # fmt: skip
        rows.append(row)
        if args.verbose or args.explain:
            s = scores
            bad = [k for k, v in s["metadata"].items() if not v]
            print(f"{d['id']:62s} text {s['text']:.3f} para {s['para_f1']:.3f} order "
                  f"{s['order']:.3f} head {s['heading_f1']:.3f}"
                  + (f" tables {_count(s['tables'])}" if s["tables"] and s["tables"]["n_ref"] + s["tables"]["n_out"] else "")
                  + (f" code {_count(s['code'])}" if s["code"] and s["code"]["n_ref"] + s["code"]["n_out"] else "")
                  + (f" leaks {s['leaks'][:3]}" if s["leaks"] else "")
                  + (f" meta-wrong {bad}" if bad else "") + (f" ERROR {err}" if err else ""))  # fmt: skip
        if args.explain:
            print("\n".join(explain(M, ref, md)))
    producers = sorted({r["producer"] for r in rows}, key=lambda p: (p != "pdftex-onecol", p))
    groups = {p: [r for r in rows if r["producer"] == p] for p in producers}
    groups["all"] = rows
    print(table(groups, "All documents"))
    for split in ("dev", "test"):
        sub = {p: [r for r in rs if r["split"] == split] for p, rs in groups.items()}
        if any(sub.values()):
            print()
            print(table(sub, f"Split: {split}"))
    if args.json:
        summary = {"all": {p: summarise(rs) for p, rs in groups.items()}}
        for split in ("dev", "test"):
            summary[split] = {p: summarise([r for r in rs if r["split"] == split])
                              for p, rs in groups.items()}  # fmt: skip
        args.json.write_text(json.dumps({"summary": summary, "documents": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
