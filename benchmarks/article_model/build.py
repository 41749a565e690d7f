"""Build the data article mode's model is trained on: every block of every development print,
as the feature row reflow computes for it (``reflow.structure.article_model.block_rows``) and
a label saying how much of it is the article.

    python benchmarks/article_model/build.py            # all corpora it can reach
    python benchmarks/article_model/build.py --corpus aeb-dev --corpus layout

A block's label is measured the way the benchmark scores a body: its word 4-shingles (``\\w+``
tokens; a block of fewer than 4 words is one shorter shingle) and how many of them the
reference body holds. Written to ``data/<kind>.jsonl.gz`` beside this file, one document a
line::

    {"id", "corpus", "site", "lang", "clean", "kind", "ref": shingles in the reference,
     "features": [names], "blocks": [[shingles, in the reference, header?, kept today?, *features], ...]}

``clean``: the print is only the article (the layout suite, the seed): all of it should stay.
``site``: the page's host without ``www.``, what the folds of ``train.py`` leave out together.
Training and its tests read these files only; nothing is printed or converted again.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # reflow_eval
sys.path.insert(0, str(HERE))

import reflow.pipeline as pipeline  # noqa: E402
import reflow.structure.article as article  # noqa: E402
from reflow.model import HEADER_TYPES  # noqa: E402
from reflow.structure.article import measure, select_article  # noqa: E402
from reflow.structure.article_model import FEATURES, TEXT_FEATURES, block_rows  # noqa: E402
from reflow.structure.article_text import text_rows  # noqa: E402
from reflow_eval.corpora import iter_corpus  # noqa: E402
from reflow_eval.metrics import strip_markdown  # noqa: E402

TOKEN = re.compile(r"\w+")
N = 4


def shingles(tokens: list[str]) -> list[tuple]:
    if len(tokens) < N:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + N]) for i in range(len(tokens) - N + 1)]


class Reference:
    """The reference body's shingles, and its shorter n-grams for blocks of few words."""

    def __init__(self, text: str):
        toks = TOKEN.findall(text)
        # the output's blocks are scored one by one: the reference's shingles that bridge two
        # of its paragraphs are not counted (nor are the output's)
        self.size = sum(len(shingles(TOKEN.findall(p))) for p in re.split(r"\n\s*\n", text))
        self.grams = set(shingles(toks))
        for n in range(1, N):
            self.grams.update(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))

    def label(self, text: str) -> tuple[int, int]:
        sh = shingles(TOKEN.findall(text))
        return len(sh), sum(1 for g in sh if g in self.grams)


def capture(path: Path, kind: str):
    """Convert ``path`` with article mode forced on, stopping where it would choose: the
    measured document, or None."""
    return capture_run(lambda: pipeline.convert(path, article=True, kind=kind, keep_lines=True))


def capture_run(run):
    """``run()`` (a conversion) with the article stage replaced by a probe: the measured
    document, its blocks, what the hand-set rules kept, the title index."""
    got = {}

    def grab(doc):
        m = measure(doc) if len(doc.blocks) >= 3 else None
        got["doc"], got["m"], got["blocks"] = doc, m, list(doc.blocks)
        got["title"] = doc.facts.title_index
        # what the hand-set rules kept before the model, for comparison
        real, article.load_model = article.load_model, lambda kind: None
        try:
            kept = saved(doc)
        finally:
            article.load_model = real
        got["kept"] = {id(b) for b in kept.blocks}
        return kept

    i = pipeline.STAGES.index(select_article)
    saved = pipeline.STAGES[i]
    pipeline.STAGES[i] = grab
    try:
        run()
    finally:
        pipeline.STAGES[i] = saved
    return got.get("doc"), got.get("m"), got.get("blocks"), got.get("kept"), got.get("title")


LANGS = ("en", "de", "fr", "es", "pt", "it", "nl", "ru", "id", "ar", "pl", "tr")
SCRIPTS = (("ko", "\uac00", "\ud7a3"), ("ja", "\u3040", "\u30ff"), ("zh", "\u4e00", "\u9fff"))


def language(text: str) -> str:
    """The reference's language, for the figures by language: the language in which its words
    are most common (wordfreq), when the page says none."""
    from wordfreq import zipf_frequency

    words = [w.lower() for w in TOKEN.findall(text)[:300] if not w.isdigit()]
    if not words:
        return ""
    for lang, lo, hi in SCRIPTS:  # the scripts wordfreq needs a tokenizer for
        if sum(lo <= c <= hi for c in text[:2000]) > 50:
            return lang
    score = {lg: sum(zipf_frequency(w, lg) for w in words) for lg in LANGS}
    return max(score, key=score.__getitem__)


def site_of(url: str | None, fallback: str) -> str:
    host = urlparse(url or "").hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return host or fallback


def clean_items():
    """``clean_prints.py``'s prints of aeb-dev's articles alone; the reference is the whole
    print (``--all``): all of it is the article. Same site as the page it was cut from."""
    from clean_prints import folder

    import reflow

    for item in iter_corpus("aeb-dev"):
        pdf = folder() / f"{item.doc_id}.pdf"
        if not pdf.exists():
            continue
        whole = reflow.convert(pdf, article=False)
        ref = type(item.reference)(markdown=whole.markdown, metadata=dict(item.reference.metadata))
        yield type(item)("aeb-clean", item.doc_id, pdf, ref)


def record(item, kind: str) -> dict | None:
    ref = item.reference
    body = ref.body if ref.body is not None else strip_markdown(ref.markdown or "")
    clean = ref.body is None  # a whole-document reference: the print is only the article
    got = capture(item.source, kind)
    url = (ref.metadata or {}).get("url") or (got[0].facts.print_url if got[0] else None)
    site = site_of(url, item.doc_id) if item.corpus == "aeb-clean" or not clean else item.corpus
    lang = (ref.metadata or {}).get("lang") or language(body)
    return make_record(got, body, item.doc_id, item.corpus, site, lang, clean, kind)


def make_record(got, body: str, doc_id, corpus, site, lang, clean, kind) -> dict | None:
    doc, m, blocks, kept, title = got
    if doc is None or m is None:
        return None
    r = Reference(body)
    ruled = [id(b) in kept for b in blocks]
    rows = block_rows(blocks, m.feats, m.font, m.col, m.rep, title, ruled)
    if kind == "text":
        extra = text_rows(blocks, m.feats, m.start, m.end)
        rows = [r + t for r, t in zip(rows, extra, strict=True)]
    out = []
    for b, row in zip(blocks, rows, strict=True):
        n, c = r.label(b.text)
        head = int(b.type in HEADER_TYPES)
        out.append([n, c, head, int(id(b) in kept), *(round(x, 4) for x in row)])
    rec = {
        "id": doc_id,
        "corpus": corpus,
        "site": site,
        "lang": lang,
        "clean": clean,
        "kind": kind,
        "ref": r.size,
        "features": list(TEXT_FEATURES if kind == "text" else FEATURES),
        "blocks": out,
    }
    if TEXTS:  # for looking at the blocks (analysis), not for training
        rec["texts"] = [f"{b.type.value}|{b.text[:160]}" for b in blocks]
    return rec


TEXTS = False


def web_records(clean: bool = False):
    """The web corpus (``corpora/web``) from its committed reader dump: every valid print
    (the silver body as reference; the site as the manifest gives it, so the folds are the
    corpus's own), or with ``clean`` its clean-article prints (the clean article's text)."""
    sys.path.insert(0, str(HERE.parent / "webcorpus"))
    import corpus as web
    import dump

    from reflow.model import ConvertOptions

    refs = web.references()
    entries = {e["id"]: e for e in web.manifest()}
    for rec in web.dump_records(clean):
        e = entries.get(rec["id"])
        if e is None or not ((e.get("clean") or {}).get("valid") if clean else e["valid"]):
            continue
        ref = refs[e["id"]]
        body = (ref.get("clean_text") or "") if clean else ref["body"]["text"]

        def run(rec=rec, e=e):
            doc = dump.load_document(rec, f"{e['id']}.pdf")
            doc.options = ConvertOptions(article=True, keep_lines=True)
            doc.metadata.source = doc.source
            pipeline.run_stages(doc)

        got = capture_run(run)
        lang = e.get("language") or ""
        name = "web-clean" if clean else "web"
        out = make_record(got, body, e["id"], name, e["site"], lang, clean, "pdf")
        if out is not None:
            yield out


def webtext_records(clean: bool = False):
    """The web corpus as extracted text: each valid print's plain text as PDFium would give it
    (``plaintext.document_text`` of the reader dump), through the text path; the same sites,
    references and folds as ``web_records``."""
    sys.path.insert(0, str(HERE.parent / "webcorpus"))
    import corpus as web
    import dump
    from plaintext import document_text

    refs = web.references()
    entries = {e["id"]: e for e in web.manifest()}
    for rec in web.dump_records(clean):
        e = entries.get(rec["id"])
        if e is None or not ((e.get("clean") or {}).get("valid") if clean else e["valid"]):
            continue
        ref = refs[e["id"]]
        body = (ref.get("clean_text") or "") if clean else ref["body"]["text"]
        text = document_text(dump.load_document(rec, f"{e['id']}.pdf"))

        def run(text=text, e=e):
            pipeline.convert(
                text.encode("utf-8"), article=True, kind="text", name=e["id"], keep_lines=True
            )

        got = capture_run(run)
        lang = e.get("language") or ""
        name = "webtext-clean" if clean else "webtext"
        out = make_record(got, body, e["id"], name, e["site"], lang, clean, "text")
        if out is not None:
            yield out


# output file -> (kind, corpora); "web" is the web corpus from its dump (~10 min), "webtext"
# the same prints as extracted text (~2 min)
CORPORA = {
    "pdf": ("pdf", ("aeb-dev", "layout", "seed", "aeb-clean")),
    "text": ("text", ("aeb-dev-text",)),
    "web": ("pdf", ("web", "web-clean")),
    "webtext": ("text", ("webtext", "webtext-clean")),
}


def items_of(name: str, kind: str):
    if name in ("web", "web-clean"):
        yield from web_records(clean=name == "web-clean")
        return
    if name in ("webtext", "webtext-clean"):
        yield from webtext_records(clean=name == "webtext-clean")
        return
    for item in clean_items() if name == "aeb-clean" else iter_corpus(name):
        if item.corpus == "seed" and item.source.suffix != ".pdf":
            continue  # the seed's text is not a web print's text
        rec = record(item, kind)
        if rec is not None:
            yield rec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", help="only these corpora")
    ap.add_argument("--file", action="append", choices=tuple(CORPORA), help="only these files")
    ap.add_argument("--out", type=Path, default=HERE / "data")
    ap.add_argument("--texts", action="store_true", help="each block's type and text too")
    args = ap.parse_args(argv)
    global TEXTS
    TEXTS = args.texts
    args.out.mkdir(parents=True, exist_ok=True)
    for out, (kind, names) in CORPORA.items():
        if args.file and out not in args.file:
            continue
        names = [n for n in names if not args.corpus or n in args.corpus]
        if not names:
            continue
        recs = [rec for name in names for rec in items_of(name, kind)]
        path = args.out / f"{out}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
            for rec in recs:
                f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"{path}: {len(recs)} documents, {sum(len(r['blocks']) for r in recs)} blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
