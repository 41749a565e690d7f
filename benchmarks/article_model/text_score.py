"""Exact figures of article mode on extracted text (the text path), leave-site-out.

    python benchmarks/article_model/train.py --kind text --fold-models /tmp/folds --no-write
    python benchmarks/article_model/text_score.py /tmp/folds/text     # each fold's model
    python benchmarks/article_model/text_score.py --packaged       # the shipped model
    python benchmarks/article_model/text_score.py --rules          # the hand-set rules

Every web corpus print as the plain text PDFium gives for it (``plaintext.document_text`` of
its reader dump), converted by reflow's text path with the model of the fold that never saw
its site (``sha1(site) mod 5``); the clean-article prints' text kept; aeb-dev as PDFium's text
(``aeb-dev-text``) and as pdftotext's (``--pdftotext``: another extractor's line breaks,
reading order and blank lines), scored by the model of the fold its site falls in. Body
P/R/F1 as ``reflow eval`` computes it (``doc.body_text``, the benchmark's shingles).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "webcorpus"))
sys.path.insert(0, str(HERE))

import corpus as web  # noqa: E402
import dump  # noqa: E402
from loso_score import K, _f, agg, fold_of  # noqa: E402
from plaintext import document_text  # noqa: E402
from text_errors import block_errors, summary, watch  # noqa: E402

import reflow  # noqa: E402
import reflow.structure.article as article  # noqa: E402
from reflow.settings import DEFAULT  # noqa: E402
from reflow.structure.article_model import TEXT_FEATURES, Model  # noqa: E402
from reflow.structure.article_model import load as load_packaged  # noqa: E402
from reflow_eval.corpora import iter_corpus  # noqa: E402
from reflow_eval.metrics import aeb_scores  # noqa: E402


def use(folder: Path | None, f: int, packaged: bool):
    """Settings for fold ``f``'s text model (installed), the packaged one, or the rules."""
    if packaged:
        article.load_model = load_packaged
        data = json.loads((HERE.parents[1] / "src/reflow/data/article_model.json").read_text()).get(
            "text", {}
        )
    elif folder is None:
        article.load_model = lambda kind: None
        return DEFAULT
    else:
        data = json.loads((folder / f"fold{f}.json").read_text())["text"]
        m = Model(data, TEXT_FEATURES)
        article.load_model = lambda kind: m if kind == "text" else None
    vals = {f"article.{k}": v for k, v in data.get("params", {}).items()}
    vals["article.model_text"] = True
    return DEFAULT.with_values(vals)


def pdftotext(pdf: Path, cache: Path) -> Path:
    out = cache / f"{pdf.stem}.txt"
    if not out.exists():
        res = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True)
        cache.mkdir(parents=True, exist_ok=True)
        out.write_bytes(res.stdout)
    return out


def host_of(item) -> str:
    url = (item.reference.metadata or {}).get("url") or ""
    host = url.split("/")[2] if "//" in url else item.doc_id
    return host[4:] if host.startswith("www.") else host


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, nargs="?", help="fold<k>.json models")
    ap.add_argument("--rules", action="store_true", help="the hand-set rules, no model")
    ap.add_argument("--packaged", action="store_true", help="the shipped text model")
    ap.add_argument("--no-web", action="store_true", help="aeb-dev only")
    ap.add_argument("--pdftotext", action="store_true", help="also aeb-dev as pdftotext's text")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fold", type=int, action="append", help="only these folds")
    ap.add_argument(
        "--errors", action="store_true", help="what the web prints' outputs get wrong, by kind"
    )
    args = ap.parse_args(argv)
    folder = None if args.rules else args.folder
    entries = {e["id"]: e for e in web.manifest()}
    refs = {} if args.no_web else web.references()
    rows, clean, aeb, aeb_p, errors = [], [], [], [], []
    from reflow.native import cache_dir

    p2t = cache_dir() / "eval" / "aeb-dev-pdftotext"
    for f in args.fold or range(K):
        s = use(folder, f, args.packaged)
        for is_clean in () if args.no_web else (False, True):
            for rec in web.dump_records(is_clean):
                e = entries.get(rec["id"])
                ok = (
                    (e.get("clean") or {}).get("valid")
                    if (e and is_clean)
                    else (e or {}).get("valid")
                )
                if not ok or e["fold"] != f:
                    continue
                text = document_text(dump.load_document(rec, f"{e['id']}.pdf"))

                def run(text=text, e=e, s=s):
                    raw = text.encode("utf-8")
                    return reflow.convert(raw, kind="text", name=e["id"], settings=s)

                if args.errors and not is_clean:
                    doc, blocks, kept = watch(run)
                    errors.append(block_errors(refs[e["id"]]["body"]["text"], blocks, kept))
                else:
                    doc = run()
                if is_clean:
                    want = refs[e["id"]].get("clean_text") or ""
                    clean.append({"id": e["id"], "kept": aeb_scores(want, doc.body_text)["recall"]})
                else:
                    body = refs[e["id"]]["body"]["text"]
                    r = aeb_scores(body, doc.body_text)
                    rows.append({"id": e["id"], "fold": f, "lang": e["language"], "aeb": r})
        for item in iter_corpus("aeb-dev-text"):
            if fold_of(host_of(item)) != f:
                continue
            doc = reflow.convert(item.source, kind="text", settings=s)
            aeb.append({"id": item.doc_id, "aeb": aeb_scores(item.reference.body, doc.body_text)})
        if args.pdftotext:
            for item in iter_corpus("aeb-dev"):
                if fold_of(host_of(item)) != f:
                    continue
                txt = pdftotext(item.source, p2t)
                doc = reflow.convert(txt, kind="text", settings=s)
                r = aeb_scores(item.reference.body, doc.body_text)
                aeb_p.append({"id": item.doc_id, "aeb": r})
    if rows:
        print("web corpus as text:", _f(agg([r["aeb"] for r in rows])))
        for f in sorted({r["fold"] for r in rows}):
            print(f"  fold {f}:", _f(agg([r["aeb"] for r in rows if r["fold"] == f])))
        print("  English:", _f(agg([r["aeb"] for r in rows if r["lang"] == "en"])))
        print("  other languages:", _f(agg([r["aeb"] for r in rows if r["lang"] != "en"])))
    if clean:
        kept = [c["kept"] for c in clean]
        print(
            f"clean-article prints as text ({len(kept)}): kept {sum(kept) / len(kept):.3f}"
            f" (>= 98% on {sum(k >= 0.98 for k in kept) / len(kept):.0%})"
        )
    print("aeb-dev-text:", _f(agg([a["aeb"] for a in aeb])))
    if aeb_p:
        print("aeb-dev as pdftotext text:", _f(agg([a["aeb"] for a in aeb_p])))
    if errors:
        print(summary(errors))
    if args.json:
        args.json.write_text(json.dumps({"web": rows, "clean": clean, "aeb": aeb, "p2t": aeb_p}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
