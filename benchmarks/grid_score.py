#!/usr/bin/env python3
"""Tables and code blocks of any corpus of PDFs with reference Markdown, scored the producer
suite's way (``reflow_eval.grid_metrics``): per document and summed.

    python benchmarks/grid_score.py ../shared/corpora/docling-pdf      # pdf/<name>.pdf beside
                                                                       # groundtruth/<name>.md
    python benchmarks/grid_score.py DIR --pdfs pdf --refs groundtruth --save OUT

Tables: reference tables reproduced cell for cell, of all; output tables sharing no cell with a
reference table (false); F1 on rows as tuples of cells. Code: fenced blocks reproduced line for
line, of all; output blocks sharing no line with a reference block (false).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reflow_eval.grid_metrics import code_scores, table_scores  # noqa: E402
from reflow_eval.metrics import strip_trailer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--pdfs", default="pdf")
    ap.add_argument("--refs", default="groundtruth")
    ap.add_argument("--save", type=Path, help="write reflow's Markdown here")
    args = ap.parse_args(argv)
    import reflow

    tot = {"t": [0, 0, 0, 0], "rows": [0, 0, 0], "c": [0, 0, 0, 0]}
    for pdf in sorted((args.corpus / args.pdfs).glob("*.pdf")):
        ref_path = args.corpus / args.refs / (pdf.stem + ".md")
        if not ref_path.exists():
            continue
        ref = ref_path.read_text(encoding="utf-8")
        md = strip_trailer(reflow.convert(str(pdf)).markdown)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / (pdf.stem + ".md")).write_text(md, encoding="utf-8")
        t, c = table_scores(ref, md), code_scores(ref, md)
        for k, key in enumerate(("exact", "n_ref", "n_out", "false")):
            tot["t"][k] += t[key]
            tot["c"][k] += c[key]
        r = t["rows"]
        tot["rows"] = [
            tot["rows"][0] + r["tp"],
            tot["rows"][1] + r["n_ref"],
            tot["rows"][2] + r["n_out"],
        ]
        print(f"{pdf.stem:40s} tables {t['exact']}/{t['n_ref']} out {t['n_out']} false {t['false']} "
              f"rows F1 {r['f1']:.2f}   code {c['exact']}/{c['n_ref']} out {c['n_out']} "
              f"false {c['false']}")  # fmt: skip
    e, n, o, f = tot["t"]
    tp, nr, no = tot["rows"]
    rows_f1 = 2 * tp / (nr + no) if nr + no else 1.0
    ce, cn, co, cf = tot["c"]
    print(f"{'all':40s} tables {e}/{n} out {o} false {f} rows F1 {rows_f1:.2f}   "
          f"code {ce}/{cn} out {co} false {cf}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
