"""What article mode gets wrong on extracted text, by kind (``text_score.py --errors``).

Each conversion's article stage is watched: the blocks it is given, the ones it keeps. Every
block is labelled against the reference body (its word 4-shingles, as ``build.py`` does), and
the shingles it gets wrong are counted by kind, as a share of the document's reference (the
mean over documents is how much of the benchmark's precision or recall each kind costs):

- false positives (kept, not in the reference): the print's own header and footer lines
  (Chromium's date, time and title; its URL and "page x of y"), URL lines, captions, comment
  threads and "Related" lists (after such a marker), short lines (under 8 words: nav, share
  bars, bylines), longer text; each before the reference's first block, inside its span, or
  after its last;
- false negatives (in the reference, dropped): before the first kept block, inside the kept
  span (a gap), after the last (the article cut after a box: ``after long``).

The kinds are an analysis tool's (a few patterns, some vocabulary), never a rule of reflow's.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

from reflow import pipeline
from reflow.lexicon import PRINT_FOOTER_LINE, is_url_line
from reflow.model import BlockType
from reflow.structure.article import select_article
from reflow.structure.chrome import COMMENTS, END_MARKER

# build.py's labels (loaded by path: benchmarks/webcorpus has a build.py too)
_spec = importlib.util.spec_from_file_location(
    "article_build", Path(__file__).with_name("build.py")
)
_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_build)
Reference = _build.Reference
_HEADER = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}:\d{2}")


def watch(run):
    """``run()`` (a conversion) with the article stage watched: its result, the blocks the
    stage was given (each with its lines' texts), and which of them it kept."""
    got: dict = {}
    i = pipeline.STAGES.index(select_article)

    def probe(doc):
        got["blocks"] = list(doc.blocks)
        got["lines"] = [[ln.text for ln in b.lines] for b in doc.blocks]
        out = select_article(doc)
        got["kept"] = {id(b) for b in out.blocks}
        return out

    pipeline.STAGES[i] = probe
    try:
        doc = run()
    finally:
        pipeline.STAGES[i] = select_article
    blocks = got.get("blocks", [])
    kept = [id(b) in got.get("kept", ()) for b in blocks]
    return doc, list(zip(blocks, got.get("lines", []), strict=True)), kept


def _shape(b, lines: list[str]) -> str:
    t = b.text.strip()
    lines = [ln.strip() for ln in lines if ln.strip()] or [t]
    if any(PRINT_FOOTER_LINE.match(ln) or _HEADER.match(ln) for ln in lines):
        return "print header/footer"
    if all(is_url_line(ln) for ln in lines):
        return "url lines"
    if b.type == BlockType.CAPTION:
        return "caption"
    return "short" if len(t.split()) < 8 else "long"


def block_errors(body: str, blocks, kept: list[bool]) -> list[tuple[str, str, float]]:
    """(FP or FN, kind, share of the reference) of each block the choice got wrong;
    ``blocks``: (block, its lines' texts) as ``watch`` gives them."""
    lines = [ln for _, ln in blocks]
    blocks = [b for b, _ in blocks]
    ref = Reference(body)
    size = max(ref.size, 1)
    labels = [ref.label(b.text) for b in blocks]
    true = [i for i, (n, c) in enumerate(labels) if n and c >= 0.5 * n]
    lo, hi = (true[0], true[-1]) if true else (len(blocks), -1)
    ks = [i for i, k in enumerate(kept) if k]
    klo, khi = (ks[0], ks[-1]) if ks else (len(blocks), -1)
    out = []
    marker = False
    for i, (b, (n, c), k) in enumerate(zip(blocks, labels, kept, strict=True)):
        t = b.text.strip()
        if len(t.split()) <= 8 and (END_MARKER.search(t) or COMMENTS.search(t)) and i > lo:
            marker = True
        if k and n > c:
            where = "before" if i < lo else ("after" if i > hi else "inside")
            kind = _shape(b, lines[i])
            if marker and kind in ("short", "long") and where == "after":
                kind = "after end/comments marker"
            out.append(("FP", f"{kind} ({where})", (n - c) / size))
        elif not k and c:
            where = "before" if i < klo else ("after" if i > khi else "inside")
            kind = "short" if len(t.split()) < 8 else "long"
            if b.type == BlockType.CAPTION:
                kind = "caption"
            out.append(("FN", f"{where} {kind}", c / size))
    return out


def summary(per_doc: list[list[tuple[str, str, float]]]) -> str:
    """The mean share of the reference each kind costs, over documents, largest first."""
    n = len(per_doc) or 1
    tot: dict[str, Counter] = defaultdict(Counter)
    for errs in per_doc:
        for typ, kind, w in errs:
            tot[typ][kind] += w
    lines = []
    for typ in ("FP", "FN"):
        lines.append(f"{typ} (mean share of the reference per document):")
        for kind, w in tot[typ].most_common():
            lines.append(f"  {kind:40} {w / n:.4f}")
    return "\n".join(lines)
