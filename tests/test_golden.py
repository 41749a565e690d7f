"""Whole documents against golden outputs: any change in what reflow gives for these files shows
up here. After an intended change, regenerate with REFLOW_UPDATE_GOLDEN=1 and review the diff.

The golden files are reflow's own output, checked by hand when written; the references that
measure quality are elsewhere (the seed pair, corpora/, reflow eval)."""

import json
import os
from pathlib import Path

import pytest

import reflow

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "seed-text": "../shared/seeds/article.pdf.txt",
    "seed-print": "examples/article.pdf",
    "layout-3col": "corpora/layout/analysis-3col-letter-sans.pdf",
    "layout-running-hf": "corpora/layout/longread-1col-sans-running-hf.pdf",
    "docling-multi-page": "../shared/corpora/docling-pdf/pdf/multi_page.pdf",
    "docling-report-2col": "../shared/corpora/docling-pdf/pdf/normal_4pages.pdf",
}


def _summary(doc) -> str:
    data = {
        "metadata": {k: v for k, v in doc.metadata.to_dict().items() if k != "source"},
        "blocks": [[b.type, b.page, b.level, len(b.text), len(b.links)] for b in doc.blocks],
        "removed": sorted({(r.reason, r.page) for r in doc.removed}),
        "urls": doc.urls,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_whole_document_matches_golden(name):
    src = ROOT / CASES[name]
    if not src.exists():
        pytest.skip(f"{src} not present")
    doc = reflow.convert(src)
    outputs = {f"{name}.md": doc.markdown, f"{name}.json": _summary(doc)}
    for fname, text in outputs.items():
        path = GOLDEN / fname
        if os.environ.get("REFLOW_UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run with REFLOW_UPDATE_GOLDEN=1"
        assert text == path.read_text(encoding="utf-8"), f"{fname} changed"
