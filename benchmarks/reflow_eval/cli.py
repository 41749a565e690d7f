"""`reflow eval`: score reflow (or another tool's outputs) on the reference corpora.

    reflow eval [--corpus seed|aeb-dev|web|layout|producers|papers|docling|aeb-dev-text|scanned
                 |scanned-fresh|all]
                [--json OUT.json]
                [--limit N]
                [--jobs N] [-v] [--id TEXT] [--explain] [--baseline OLD.json] [--timeout S]
                [--tool reflow|pdftotext | --outputs DIR] [--write-docs [PATH]]

Every document is converted in a worker (``--jobs``) under a time limit; a document that fails
scores as an empty output (0) and is listed, it never stops the run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from reflow_eval import metrics as M
from reflow_eval.corpora import (
    ALL_CORPORA,
    CORPORA,
    PRODUCER_CORPORA,
    Item,
    corpus_location,
    iter_corpus,
    repo_root,
)

TOOLS = ("reflow", "pdftotext")


class _Timeout(BaseException):  # not swallowed by an engine's "except Exception"
    pass


def _alarm(signum, frame):  # pragma: no cover - only under a hung conversion
    raise _Timeout()


# ---------------------------------------------------------------------------------------------
# Producing an output


def _reflow_output(src: Path) -> tuple[str, dict, str]:
    import reflow

    doc = reflow.convert(src)
    md = doc.markdown
    meta = doc.metadata.to_dict() if doc.metadata else {}
    # Article-body corpora (aeb) score the body, as the published extractors' outputs are:
    # the header reflow also gives (title, dek, byline, date) is metadata there.
    meta["body_text"] = doc.body_text
    return md, meta, "md"


def _dump_output(item: Item) -> tuple[str, dict, str]:
    """reflow's stages on a reader dump record (the web corpus): what ``reflow.convert`` gives
    on the print itself (``benchmarks/webcorpus/dump.py check``)."""
    import zlib

    here = Path(__file__).resolve().parents[1] / "webcorpus"
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    import dump

    doc = dump.convert_record(json.loads(zlib.decompress(item.payload)), f"{item.doc_id}.pdf")
    meta = doc.metadata.to_dict() if doc.metadata else {}
    meta["body_text"] = doc.body_text
    return doc.markdown, meta, "md"


def _pdftotext_output(src: Path) -> tuple[str, dict, str]:
    if src.suffix.lower() != ".pdf":  # already extracted text: the tool would give it back
        return src.read_text(encoding="utf-8", errors="replace"), {}, "txt"
    res = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(src), "-"],
        capture_output=True,
        timeout=300,
    )
    if res.returncode != 0:
        raise RuntimeError(f"pdftotext exit {res.returncode}: {res.stderr.decode()[:200].strip()}")
    return res.stdout.decode("utf-8", errors="replace"), {}, "txt"


def _stored_output(outputs: Path, item: Item) -> tuple[str, dict, str]:
    """A precomputed output: ``DIR/<corpus>/<id>.md|.txt`` or ``DIR/<id>.md|.txt``. The
    metadata comes from the Markdown's YAML front matter, or from a reflow JSON output
    ``<id>.json`` beside it (its ``metadata`` object)."""
    for base in (outputs / item.corpus, outputs):
        for ext in ("md", "txt"):
            p = base / f"{item.doc_id}.{ext}"
            if p.exists():
                text = p.read_text(encoding="utf-8", errors="replace")
                meta: dict = {}
                side = p.with_suffix(".json")
                if side.exists():
                    try:
                        data = json.loads(side.read_text(encoding="utf-8"))
                        if isinstance(data, dict) and isinstance(data.get("metadata"), dict):
                            meta = data["metadata"]
                    except (OSError, ValueError):
                        pass
                return text, meta, ext
    raise FileNotFoundError(f"no output for {item.doc_id} in {outputs}")


def produce(item: Item, tool: str, outputs: str | None) -> tuple[str, dict, str]:
    """``(text, metadata, "md"|"txt")`` of one tool on one item."""
    if outputs:
        return _stored_output(Path(outputs), item)
    if item.payload is not None:
        if tool != "reflow":
            raise RuntimeError(f"{item.corpus} is a reader dump: only reflow reads it")
        return _dump_output(item)
    if tool == "pdftotext":
        return _pdftotext_output(item.source)
    return _reflow_output(item.source)


# ---------------------------------------------------------------------------------------------
# Scoring


def score(item: Item, out: str, out_meta: dict, fmt: str = "md") -> dict:
    """All the scores that apply to one item, given one output (Markdown or plain text)."""
    ref = item.reference
    fm, _ = M.split_front_matter(out) if fmt == "md" else ({}, out)
    meta = dict(out_meta or {})
    for k, v in fm.items():
        if v and not meta.get(k):
            meta[k] = v
    body = M.strip_trailer(out) if fmt == "md" else out
    s: dict = {}
    if ref.markdown is not None:
        s["text_similarity"] = M.text_similarity(ref.markdown, body)
        ref_blocks, out_blocks = M.md_blocks(ref.markdown), M.md_blocks(body)
        matches = M.match_blocks(ref_blocks, out_blocks)  # one matching for both scores
        s["paragraph"] = M.prf(len(matches), len(ref_blocks), len(out_blocks))
        s["reading_order"] = M.order_from_matches(matches)
        s["heading"] = M.heading_f1(ref.markdown, body)
        s["heading_text"] = M.heading_f1(ref.markdown, body, levels=False)
        s["link"] = M.link_f1(ref.markdown, body)
    if ref.body is not None:
        whole = M.strip_markdown(body) if fmt == "md" else body
        body_text = (out_meta or {}).get("body_text")
        s["aeb"] = M.aeb_scores(ref.body, body_text or whole)
        if body_text:
            # The same metric on the whole Markdown (headline, dek, byline included), so the
            # effect of scoring reflow's body output alone stays visible.
            s["aeb_whole"] = M.aeb_scores(ref.body, whole)
        # The body's paragraphs (blank-line separated plain text) against the output's blocks:
        # recall says whether paragraphs come out whole (page breaks healed); precision is low
        # by nature wherever site chrome is kept.
        ref_paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", ref.body) if p.strip()]
        s["body_paragraph"] = M.paragraph_f1(ref_paras, M.md_blocks(body))
    if ref.forbidden:
        s["leaks"] = M.furniture_leaks(body, ref.forbidden)
    if ref.metadata:
        s["metadata"] = M.metadata_accuracy(ref.metadata, meta)
    return s


def explain_item(item: Item, out: str, fmt: str = "md") -> dict:
    """What the scores do not say: the reference blocks the output missed (or broke), the
    output blocks that match nothing, the furniture that leaked."""
    ref = item.reference
    body = M.strip_trailer(out) if fmt == "md" else out
    if ref.markdown is not None:
        ref_blocks = M.md_blocks(ref.markdown)
    elif ref.body is not None:
        ref_blocks = [" ".join(p.split()) for p in re.split(r"\n\s*\n", ref.body) if p.strip()]
    else:
        ref_blocks = []
    out_blocks = M.md_blocks(body)
    matches = M.match_blocks(ref_blocks, out_blocks)
    got_r = {i for i, _, _ in matches}
    got_o = {j for _, j, _ in matches}
    res = {
        "missed": [b for i, b in enumerate(ref_blocks) if i not in got_r],
        "extra": [b for j, b in enumerate(out_blocks) if j not in got_o],
    }
    if ref.markdown is not None:
        rh, oh = M.md_headings(ref.markdown), M.md_headings(body)
        levels: dict[str, list[int]] = {}
        for lv, t in oh:
            levels.setdefault(t, []).append(lv)
        res["headings_missed"] = [
            f"{'#' * lv} {t}"
            + (
                f"  (output has it as {'/'.join('#' * x for x in levels[t])})"
                if t in levels
                else ""
            )
            for lv, t in rh
            if (lv, t) not in oh
        ]
        rl, ol = M.md_links(ref.markdown), M.md_links(body)
        res["links_missed"] = [f"[{a}]({u})" for a, u in rl if (a, u) not in ol]
    if ref.forbidden:
        res["leaks"] = M.furniture_leaks(body, ref.forbidden)
    return res


def evaluate_item(args: tuple) -> dict:
    """Worker: convert one item and score it. Never raises."""
    index, item, tool, outputs, timeout = args[:5]
    explain = len(args) > 5 and args[5]
    rec: dict = {
        "index": index,
        "corpus": item.corpus,
        "id": item.doc_id,
        "source": str(item.source),
        "ok": True,
        "error": None,
    }
    for key in ("fold", "prov"):  # the web corpus: leave-site-out fold, gold/silver per field
        if key in item.reference.notes:
            rec[key] = item.reference.notes[key]
    t0 = time.perf_counter()
    use_alarm = bool(timeout) and hasattr(signal, "SIGALRM")
    old = None
    try:
        if use_alarm:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, float(timeout))
        try:
            out, meta, fmt = produce(item, tool, outputs)
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
    except _Timeout:
        out, meta, fmt = "", {}, "md"
        rec.update(ok=False, error=f"timeout after {timeout:g}s")
    except BaseException as e:  # noqa: BLE001 - a failing document is scored, never fatal
        if isinstance(e, KeyboardInterrupt):
            raise
        out, meta, fmt = "", {}, "md"
        msg = str(e) or type(e).__name__
        rec.update(ok=False, error=f"{type(e).__name__}: {msg}"[:500])
        if os.environ.get("REFLOW_EVAL_TRACEBACK"):
            rec["traceback"] = traceback.format_exc()
    rec["seconds"] = round(time.perf_counter() - t0, 4)
    rec["words"] = len(out.split())
    try:
        rec["scores"] = score(item, out, meta, fmt)
        if explain:
            rec["explain"] = explain_item(item, out, fmt)
    except Exception as e:  # noqa: BLE001
        rec.update(ok=False, error=f"scoring failed: {type(e).__name__}: {e}"[:500])
        rec["scores"] = score(item, "", {}, "md")
    return rec


# ---------------------------------------------------------------------------------------------
# Aggregates


def _mean(xs) -> float | None:
    xs = list(xs)
    return statistics.mean(xs) if xs else None


def _micro(recs: list[dict], key: str) -> dict | None:
    rows = [r["scores"][key] for r in recs if key in r["scores"]]
    if not rows:
        return None
    return M.prf(
        sum(x["tp"] for x in rows), sum(x["n_ref"] for x in rows), sum(x["n_out"] for x in rows)
    )


def aggregate(recs: list[dict]) -> dict:
    """Corpus figures: means over documents (a failure counts as 0), micro-averaged P/R/F1 for
    headings and links (counts summed), the benchmark's own corpus formula for ``aeb``."""
    agg: dict = {
        "documents": len(recs),
        "failed": sum(not r["ok"] for r in recs),
        "seconds": round(sum(r["seconds"] for r in recs), 3),
    }
    sc = [r["scores"] for r in recs]
    if any("text_similarity" in s for s in sc):
        agg["text_similarity"] = _mean(s["text_similarity"] for s in sc if "text_similarity" in s)
        para = [s["paragraph"] for s in sc if "paragraph" in s]
        agg["paragraph_precision"] = _mean(p["precision"] for p in para)
        agg["paragraph_recall"] = _mean(p["recall"] for p in para)
        agg["paragraph_f1"] = _mean(p["f1"] for p in para)
        agg["reading_order"] = _mean(s["reading_order"] for s in sc if "reading_order" in s)
        for key, name in (("heading", "heading_f1"), ("heading_text", "heading_text_f1")):
            m = _micro(recs, key)
            if m and m["n_ref"]:
                agg[name] = m["f1"]
        m = _micro(recs, "link")
        if m and m["n_ref"]:
            agg["link_f1"] = m["f1"]
            agg["link_precision"] = m["precision"]
            agg["link_recall"] = m["recall"]
    para = [s["body_paragraph"] for s in sc if "body_paragraph" in s]
    if para:
        agg["body_paragraph_precision"] = _mean(p["precision"] for p in para)
        agg["body_paragraph_recall"] = _mean(p["recall"] for p in para)
    if any("aeb" in s for s in sc):
        docs = [s["aeb"] for s in sc if "aeb" in s]
        a = M.aeb_corpus(docs)
        agg["aeb_f1_std"] = M.aeb_bootstrap(docs, n=200)["f1_std"]
        whole = [s.get("aeb_whole", s["aeb"]) for s in sc if "aeb" in s]
        if any("aeb_whole" in s for s in sc):
            agg["aeb_whole_f1"] = M.aeb_corpus(whole)["f1"]
        agg["aeb_precision"], agg["aeb_recall"], agg["aeb_f1"] = (
            a["precision"],
            a["recall"],
            a["f1"],
        )
        folds: dict = {}
        for r in recs:
            if "fold" in r and "aeb" in r["scores"]:
                folds.setdefault(r["fold"], []).append(r["scores"]["aeb"])
        # leave-site-out folds: how much the figure moves from one set of sites to another
        if folds:
            f1s = {k: M.aeb_corpus(v)["f1"] for k, v in sorted(folds.items())}
            agg["aeb_f1_folds"] = f1s
            agg["aeb_f1_fold_min"], agg["aeb_f1_fold_max"] = min(f1s.values()), max(f1s.values())
    if any("leaks" in s for s in sc):
        leaks = [s["leaks"] for s in sc if "leaks" in s]
        agg["leaks"] = sum(len(x) for x in leaks)
        agg["docs_with_leaks"] = sum(bool(x) for x in leaks)
    fields: dict[str, list[bool]] = {}
    for s in sc:
        for k, v in s.get("metadata", {}).items():
            fields.setdefault(k, []).append(bool(v))
    for k, vs in sorted(fields.items()):
        agg[f"meta_{k}"] = sum(vs) / len(vs)
        agg[f"meta_{k}_n"] = len(vs)
    gold: dict[str, list[bool]] = {}
    for r in recs:
        for k, v in r["scores"].get("metadata", {}).items():
            if r.get("prov", {}).get(k) == "gold":
                gold.setdefault(k, []).append(bool(v))
    for k, vs in sorted(gold.items()):
        agg[f"meta_{k}_gold"] = sum(vs) / len(vs)
        agg[f"meta_{k}_gold_n"] = len(vs)
    return agg


# ---------------------------------------------------------------------------------------------
# Output


def _f(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


_AGG_COLUMNS = [
    ("documents", "docs"),
    ("failed", "failed"),
    ("text_similarity", "text sim"),
    ("paragraph_precision", "para P"),
    ("paragraph_recall", "para R"),
    ("paragraph_f1", "para F1"),
    ("reading_order", "order"),
    ("heading_f1", "head F1"),
    ("heading_text_f1", "head F1 (any lvl)"),
    ("link_f1", "link F1"),
    ("aeb_precision", "aeb P"),
    ("aeb_recall", "aeb R"),
    ("aeb_f1", "aeb F1"),
    ("aeb_f1_std", "aeb F1 ±"),
    ("aeb_f1_fold_min", "aeb F1 fold min"),
    ("aeb_f1_fold_max", "aeb F1 fold max"),
    ("aeb_whole_f1", "aeb F1 (whole md)"),
    ("body_paragraph_precision", "body para P"),
    ("body_paragraph_recall", "body para R"),
    ("leaks", "leaks"),
    ("meta_title", "title"),
    ("meta_authors", "authors"),
    ("meta_date", "date"),
    ("meta_url", "url"),
    ("meta_title_gold", "title (gold refs)"),
    ("meta_authors_gold", "authors (gold refs)"),
    ("meta_date_gold", "date (gold refs)"),
    ("seconds", "seconds"),
]


def _doc_row(r: dict) -> dict:
    s = r["scores"]
    row = {
        "text sim": s.get("text_similarity"),
        "para F1": s["paragraph"]["f1"] if "paragraph" in s else None,
        "order": s.get("reading_order"),
        "head F1": s["heading"]["f1"] if "heading" in s and s["heading"]["n_ref"] else None,
        "link F1": s["link"]["f1"] if "link" in s and s["link"]["n_ref"] else None,
        "aeb P": s["aeb"]["precision"] if "aeb" in s else None,
        "aeb R": s["aeb"]["recall"] if "aeb" in s else None,
        "aeb F1": s["aeb"]["f1"] if "aeb" in s else None,
        "body para R": s["body_paragraph"]["recall"] if "body_paragraph" in s else None,
        "leaks": len(s["leaks"]) if "leaks" in s else None,
    }
    for k, v in s.get("metadata", {}).items():
        row[k] = "yes" if v else "no"
    row["seconds"] = r["seconds"]
    return row


def primary_score(rec: dict) -> float | None:
    """The one number that says how a document did: aeb F1 on aeb-dev, else paragraph F1."""
    s = rec.get("scores", {})
    if "aeb" in s:
        return s["aeb"]["f1"]
    if "paragraph" in s:
        return s["paragraph"]["f1"]
    return None


def compare(results: dict, baseline: dict, threshold: float = 0.02) -> dict:
    """Differences to an earlier ``--json`` file: per corpus, ``delta`` of every aggregate
    figure, and the documents whose primary score (aeb F1, else paragraph F1) moved by more
    than ``threshold`` (``worse``, ``better``: ``(id, before, after)``)."""
    out: dict = {}
    for name, res in results["corpora"].items():
        old = baseline.get("corpora", {}).get(name)
        if not old:
            continue
        agg, old_agg = res["aggregate"], old.get("aggregate", {})
        delta = {
            k: v - old_agg[k]
            for k, v in agg.items()
            if isinstance(v, int | float) and isinstance(old_agg.get(k), int | float)
        }
        before = {r["id"]: primary_score(r) for r in old.get("documents", [])}
        worse, better = [], []
        for r in res["documents"]:
            a, b = before.get(r["id"]), primary_score(r)
            if a is None or b is None:
                continue
            if b < a - threshold:
                worse.append((r["id"], a, b))
            elif b > a + threshold:
                better.append((r["id"], a, b))
        worse.sort(key=lambda x: x[2] - x[1])
        better.sort(key=lambda x: x[1] - x[2])
        out[name] = {"delta": delta, "worse": worse, "better": better}
    return out


def print_report(results: dict, verbose: bool, diff: dict | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a pipe or a log file: do not squeeze tables into 80 columns
        console = Console(width=180)
    for name, res in results["corpora"].items():
        recs = res["documents"]
        label = f"{name} ({results['tool']})" + (" — silver reference" if res["silver"] else "")
        if verbose and recs:
            rows = [_doc_row(r) for r in recs]
            cols = [c for c in rows[0] if any(row.get(c) is not None for row in rows)]
            for row in rows[1:]:
                cols += [c for c in row if c not in cols and row.get(c) is not None]
            t = Table(title=f"{label}: documents")
            t.add_column("id", overflow="ellipsis", no_wrap=True, max_width=30)
            for c in cols:
                t.add_column(c, justify="right")
            for r, row in zip(recs, rows, strict=True):
                ident = r["id"] if r["ok"] else f"[red]{r['id']} (failed)[/red]"
                t.add_row(ident, *(_f(row.get(c)) for c in cols))
            console.print(t)
    names = [n for n, r in results["corpora"].items() if r["documents"]]
    if names:
        t = Table(title=f"reflow eval ({results['tool']}): aggregate")
        t.add_column("metric")
        for n in names:
            silver = " (silver)" if results["corpora"][n]["silver"] else ""
            t.add_column(n + silver, justify="right")
        for key, head in _AGG_COLUMNS:
            vals = [results["corpora"][n]["aggregate"].get(key) for n in names]
            if any(v is not None for v in vals):
                cells = []
                for n, v in zip(names, vals, strict=True):
                    d = (diff or {}).get(n, {}).get("delta", {}).get(key)
                    cell = _f(v)
                    if d is not None and key != "seconds" and abs(d) >= 0.0005:
                        color = "green" if d > 0 else "red"
                        if key in ("failed", "leaks"):
                            color = "red" if d > 0 else "green"
                        cell += (
                            f" [{color}]({d:+.3f})[/{color}]"
                            if isinstance(v, float)
                            else (f" [{color}]({d:+d})[/{color}]")
                        )
                    cells.append(cell)
                t.add_row(head, *cells)
        console.print(t)
    for name, d in (diff or {}).items():
        for label, rows, color in (("worse", d["worse"], "red"), ("better", d["better"], "green")):
            for ident, a, b in rows:
                console.print(
                    f"  [{color}]{label}[/{color}] {name} {ident[:24]}: {a:.3f} -> {b:.3f}",
                    highlight=False,
                )
    for name in names:
        for r in results["corpora"][name]["documents"]:
            if not r["ok"]:
                console.print(
                    f"  [red]failed[/red] {name} {r['id']}: {r['error']}", highlight=False
                )


def print_explain(results: dict, width: int = 160) -> None:
    def short(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    for name, res in results["corpora"].items():
        for r in res["documents"]:
            ex = r.get("explain")
            if not ex:
                continue
            state = "" if r["ok"] else f"  (failed: {r['error']})"
            print(f"== {name} {r['id']}{state}")
            for key, label in (
                ("missed", "- missed"),
                ("extra", "+ extra"),
                ("headings_missed", "- heading"),
                ("links_missed", "- link"),
                ("leaks", "! leak"),
            ):
                for text in ex.get(key, []):
                    print(f"  {label}: {short(text)}")


def git_rev() -> str | None:
    """The repository's short commit, for the figures' provenance."""
    try:
        res = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo_root(),
            capture_output=True,
            text=True,
            timeout=10,
        )
        return res.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def docs_section(results: dict, name: str) -> str:
    res = results["corpora"][name]
    agg = res["aggregate"]
    cols = [(k, h) for k, h in _AGG_COLUMNS if agg.get(k) is not None and k != "seconds"]
    ref = "silver (Docling's output)" if res["silver"] else "gold"
    if name == "web":
        ref = (
            "silver bodies (trafilatura on the page's HTML), metadata gold where the collection "
            'has it (the "gold refs" columns), folds by site'
        )
    lines = [
        f"### {name} — {results['tool']}",
        "",
        f"{agg['documents']} document{'s' if agg['documents'] != 1 else ''}, reference {ref}; "
        f"run {results['date']}"
        + (f" at commit {results['commit']}" if results.get("commit") else "")
        + f", {agg['seconds']:.1f} s of conversion.",
        "",
        "| " + " | ".join(h for _, h in cols) + " |",
        "|" + "|".join("---:" for _ in cols) + "|",
        "| " + " | ".join(_f(agg.get(k)) for k, _ in cols) + " |",
    ]
    failed = [r for r in res["documents"] if not r["ok"]]
    if failed:
        lines += [
            "",
            "Failed: " + ", ".join(f"`{r['id'][:16]}` ({r['error'][:80]})" for r in failed),
        ]
    return "\n".join(lines)


_DOCS_HEAD = """# Evaluation figures

Written by `reflow eval --write-docs` (one section per corpus and tool, replaced on each run).
What each figure means and where each reference comes from: `corpora/README.md`.
"""


_SECTION_RE = re.compile(r"<!-- eval (\S+?):(\S+) -->\n.*?\n<!-- /eval \1:\2 -->\n?", re.S)


def write_docs(results: dict, path: Path) -> None:
    """Replace this run's sections of ``path`` (one per corpus and tool), keep the others and
    any hand-written text before them; sections are ordered by corpus, then reflow first."""
    text = path.read_text(encoding="utf-8") if path.exists() else _DOCS_HEAD
    sections = {(m.group(1), m.group(2)): m.group(0).rstrip() for m in _SECTION_RE.finditer(text)}
    head = _SECTION_RE.sub("", text).rstrip()
    for name in results["corpora"]:
        tag = f"{name}:{results['tool']}"
        body = docs_section(results, name)
        sections[(name, results["tool"])] = f"<!-- eval {tag} -->\n{body}\n<!-- /eval {tag} -->"

    def order(key: tuple[str, str]):
        corpus, tool = key
        rank = CORPORA.index(corpus) if corpus in CORPORA else len(CORPORA)
        return (rank, corpus, tool != "reflow", tool)

    parts = [head] + [sections[k] for k in sorted(sections, key=order)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(parts).rstrip() + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def run(
    corpora: list[str],
    tool: str = "reflow",
    outputs: str | None = None,
    limit: int | None = None,
    jobs: int = 1,
    timeout: float | None = 120.0,
    progress=None,
    ids: list[str] | None = None,
    explain: bool = False,
) -> dict:
    """Evaluate; returns ``{"tool", "date", "commit", "corpora": {name: {"aggregate",
    "documents", "failures", "silver"}}}``."""
    items: list[Item] = []
    for name in corpora:
        chosen = (it for it in iter_corpus(name) if not ids or any(x in it.doc_id for x in ids))
        for n, it in enumerate(chosen):
            if limit is not None and n >= limit:
                break
            items.append(it)
    tasks = [(i, it, tool, outputs, timeout, explain) for i, it in enumerate(items)]
    recs: list[dict] = []
    if jobs > 1 and len(tasks) > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ctx.Pool(min(jobs, len(tasks)), maxtasksperchild=25) as pool:
            for rec in pool.imap_unordered(evaluate_item, tasks):
                recs.append(rec)
                if progress:
                    progress(rec, len(recs), len(tasks))
    else:
        for t in tasks:
            rec = evaluate_item(t)
            recs.append(rec)
            if progress:
                progress(rec, len(recs), len(tasks))
    recs.sort(key=lambda r: r["index"])
    label = f"outputs:{outputs}" if outputs else tool
    results: dict = {
        "tool": label,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),  # noqa: UP017
        "commit": git_rev(),
        "corpora": {},
    }
    by_item = {it.doc_id: it for it in items}
    for name in corpora:
        mine = [r for r in recs if r["corpus"] == name]
        silver = any(by_item[r["id"]].reference.silver for r in mine)
        results["corpora"][name] = {
            "silver": silver,
            "references": {r["id"]: by_item[r["id"]].reference.notes for r in mine},
            "aggregate": aggregate(mine),
            "failures": [{"id": r["id"], "error": r["error"]} for r in mine if not r["ok"]],
            "documents": mine,
        }
    return results


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reflow eval", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--corpus",
        choices=(*CORPORA, "producers", "all"),
        default=None,
        action="append",
        help="corpus to score (repeatable; default all: every one but scanned and scanned-fresh, "
        "which OCR reads; "
        "producers: the producer suite's three)",
    )
    p.add_argument("--json", metavar="OUT.json", help="write every score to this JSON file")
    p.add_argument("--limit", type=int, default=None, help="at most N documents per corpus")
    p.add_argument("-j", "--jobs", type=int, default=1, help="parallel workers (processes)")
    p.add_argument("-v", "--verbose", action="store_true", help="a table per document")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--tool", choices=TOOLS, default="reflow", help="what produces the outputs (default reflow)"
    )
    g.add_argument(
        "--outputs",
        metavar="DIR",
        help="score precomputed outputs: DIR/<corpus>/<id>.md|txt or DIR/<id>.md|txt",
    )
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per document (120)")
    p.add_argument(
        "--id",
        action="append",
        metavar="TEXT",
        help="only documents whose id contains TEXT (repeatable)",
    )
    p.add_argument(
        "--baseline",
        metavar="OLD.json",
        help="show the change from an earlier --json run, and the documents that got worse",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="list each document's missed and extra blocks, missed headings and links, leaks",
    )
    p.add_argument(
        "--write-docs",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="update the figures in docs/eval.md (or PATH)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    chosen = args.corpus or ["all"]
    corpora: list[str] = []
    for c in chosen:
        names = {"all": ALL_CORPORA, "producers": PRODUCER_CORPORA}.get(c, (c,))
        for name in names:
            if name not in corpora:
                corpora.append(name)
    if args.outputs and not Path(args.outputs).is_dir():
        print(f"reflow eval: error: {args.outputs}: not a directory", file=sys.stderr)
        return 2
    if not args.outputs and args.tool == "pdftotext":
        import shutil

        if not shutil.which("pdftotext"):
            print("reflow eval: error: pdftotext is not on PATH (poppler-utils)", file=sys.stderr)
            return 2
    if args.limit is not None and args.limit < 1:
        print("reflow eval: error: --limit must be at least 1", file=sys.stderr)
        return 2

    tty = sys.stderr.isatty()

    def progress(rec, done, total):
        if args.verbose:
            state = "ok" if rec["ok"] else f"FAILED ({rec['error']})"
            print(
                f"[{done}/{total}] {rec['corpus']} {rec['id']} {state} {rec['seconds']:.2f}s",
                file=sys.stderr,
            )
        elif tty:
            end = "\n" if done == total else ""
            print(f"\rreflow eval: {done}/{total} documents", end=end, file=sys.stderr, flush=True)

    results = run(
        corpora,
        tool=args.tool,
        outputs=args.outputs,
        limit=args.limit,
        jobs=max(1, args.jobs or 1),
        timeout=args.timeout if args.timeout and args.timeout > 0 else None,
        progress=progress,
        ids=args.id,
        explain=args.explain,
    )
    empty = [n for n, r in results["corpora"].items() if not r["documents"]]
    for n in empty:
        if args.id:
            why = f"none whose id contains {' or '.join(map(repr, args.id))}"
        else:
            why = f"no documents found in {corpus_location(n)}"
        print(f"reflow eval: corpus {n}: {why}", file=sys.stderr)
    if args.explain:
        print_explain(results)
    diff = None
    if args.baseline:
        try:
            diff = compare(results, json.loads(Path(args.baseline).read_text(encoding="utf-8")))
        except (OSError, ValueError) as e:
            print(f"reflow eval: warning: baseline {args.baseline}: {e}", file=sys.stderr)
        else:
            results["baseline"] = {"path": args.baseline, "diff": diff}
    print_report(results, args.verbose, diff)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )
    if args.write_docs is not None:
        nonempty = dict(results)
        nonempty["corpora"] = {n: r for n, r in results["corpora"].items() if r["documents"]}
        target = Path(args.write_docs) if args.write_docs else repo_root() / "docs" / "eval.md"
        write_docs(nonempty, target)
    return 0 if len(empty) < len(corpora) else 1


__all__ = ["main", "run", "score", "aggregate", "evaluate_item"]
