"""Read-only access to the web-print corpus (``corpora/web/``).

>>> import sys; sys.path.insert(0, "benchmarks/webcorpus")
>>> from corpus import iter_pages
>>> for entry, ref, doc in iter_pages():          # valid pages, Documents from the reader dump
...     body = ref["body"]["text"]; entry["fold"], entry["site"], entry["language"]
...     doc.body_text                              # reflow's stages already run on it

``iter_pages(valid_only=True, source="dump")`` yields ``(manifest entry, reference, document)``:
``source="dump"`` rebuilds each Document from the committed reader dump and runs reflow's stages
on it (no PDF needed); ``source="pdf"`` yields the path of the printed PDF in the builder's cache
instead (None when it is not there: run ``build.py print``); ``source=None`` yields None.
``clean=True`` walks the clean-article prints (the subset whose print is only the article).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # dump.py beside this file
    sys.path.insert(0, str(HERE))
CORPUS = HERE.parents[1] / "corpora" / "web"


def manifest(corpus: Path = CORPUS) -> list[dict]:
    with open(corpus / "manifest.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def references(corpus: Path = CORPUS) -> dict[str, dict]:
    with gzip.open(corpus / "references.jsonl.gz", "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f) if r}


def _cache() -> Path:
    import os

    return Path(os.environ.get("REFLOW_CACHE") or Path.home() / ".cache" / "reflow") / "webcorpus"


def dump_records(clean: bool = False, corpus: Path = CORPUS) -> Iterator[dict]:
    path = corpus / ("reader-dump-clean.jsonl.gz" if clean else "reader-dump.jsonl.gz")
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def iter_pages(
    valid_only: bool = True,
    source: str | None = "dump",
    clean: bool = False,
    options=None,
    corpus: Path = CORPUS,
    ids: set[str] | None = None,
):
    """(manifest entry, reference, Document | pdf path | None) for each page, in manifest
    order. ``options``: a ``reflow.model.ConvertOptions`` for the stages (dump source)."""
    refs = references(corpus)
    entries = manifest(corpus)

    def ok(e: dict) -> bool:
        if ids is not None and e["id"] not in ids:
            return False
        if clean:
            c = e.get("clean") or {}
            return bool(c.get("valid") if valid_only else c.get("printed"))
        return bool(e["valid"]) if valid_only else True

    entries = [e for e in entries if ok(e)]
    if source == "dump":
        import dump

        wanted = {e["id"]: e for e in entries}
        for rec in dump_records(clean, corpus):
            e = wanted.get(rec["id"])
            if e is not None:
                yield e, refs[e["id"]], dump.convert_record(rec, f"{e['id']}.pdf", options)
        return
    folder = _cache() / ("pdf-clean" if clean else "pdf")
    for e in entries:
        if source == "pdf":
            pdf = folder / f"{e['id']}.pdf"
            yield e, refs[e["id"]], pdf if pdf.exists() else None
        else:
            yield e, refs[e["id"]], None


if __name__ == "__main__":
    n = sum(1 for _ in iter_pages(source=None))
    print(f"{n} valid pages in {CORPUS}")
