"""Run reflow over the real-world corpus, each file in its own process, and classify the results.

    python benchmarks/realworld/run.py [-j 2] [--timeout 60] [--max-memory 2048]
        [--limit N] [--repo OWNER/NAME] [--select CLASS,... --from-report R.json] [--sha PREFIX...]
        [--report OUT.json] [--keep DIR]

The corpus is ``build.py``'s (manifest.jsonl; the files in the cache folder). For every file:

1. *reference* (cached per file in ``<cache>/realworld/ref/``, it does not change with reflow):
   the words of PDFium's own text layer page by page (pypdfium2, ``get_text_range``), and the
   words ``pdftotext`` (poppler) gets, each in a child process under the same limits;
2. ``reflow convert FILE -o OUT.json --to json --all`` in a child process with ``--timeout``
   and an address-space cap of ``--max-memory`` MiB (``RLIMIT_AS``); the runner kills it 30 s
   after its own timeout (then it is a *hang*).

Classes (one per file, the first that applies): ``crash`` (killed by a signal), ``hang``,
``traceback`` (a Python traceback on stderr), ``unclean`` (a failure whose stderr is not exactly
one ``reflow: error:`` line, or exit 70, an internal error, or 2, a usage error), ``partial`` (a failure that left an
output file, or success without a readable output), the error kinds (``not-pdf``, ``broken``,
``encrypted``, ``empty``, ``no-text``, ``limit``), ``empty-output`` (exit 0, no words out) and
``ok``.

Word accounting, per file converted: the words of PDFium's text layer (NFKC, case-folded runs of
letters and digits; a word broken by a hyphen at a line end counts once if the output joined
it) found in the output's blocks plus its ``removed`` texts, as a multiset: *kept* = found /
text-layer words. The figure the issue sets: every file with >= 200 text-layer words keeps >= 95%
or warns. *Other reader*: pdftotext gets >= 20 words from a file reflow calls empty or
no-text (or converts to nothing).

The summary is printed and the whole report (per file: class, exit, error line, warnings,
words, kept, pdftotext words, seconds) written as JSON (default
``<cache>/realworld/report.json``).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402

EXIT_KINDS = {3: "not-pdf", 4: "broken", 5: "encrypted", 6: "empty", 7: "no-text", 8: "limit"}
MIN_WORDS = 200  # files with at least this many text-layer words are held to KEEP
KEEP = 0.95
REF_VERSION = 4  # of the cached references' tokenizer: a change recomputes them (4: U+2010 breaks)
OTHER_READER_WORDS = 20
GARBLED = 0.5  # share of pdftotext's text that is glyph soup: then it is no text either  # pdftotext words that make "another reader gets text"
# The word-accounting tokens are the product's own (reflow.accounting): NFKC, case-folded runs
# of letters and digits, a CJK, kana or Hangul character a word, a word broken at a line end
# counted joined or as its halves.
from reflow.accounting import kept_fraction, layer_tokens, words  # noqa: E402


def garbage_share(text: str) -> float:
    """Share of ``text``'s characters in lines that reflow's own garbage measure calls garbage
    (fonts without a Unicode map): another reader's "text" that is glyph soup is no text."""
    from reflow.safety import assess_text

    return assess_text((1, ln) for ln in text.splitlines()).share


# ---------------------------------------------------------------------------------------------
# Child processes


def _limits(mib: int):
    def apply() -> None:
        os.setsid()
        cap = mib << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_limited(cmd: list[str], timeout: float, mib: int, env=None) -> tuple[int | None, str, str]:
    """(return code or None on timeout, stdout, stderr) of ``cmd`` under the limits; the whole
    process group is killed at the timeout."""
    p = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limits(mib),
        env=env,
    )
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


PROBE = r"""
import json, sys
import pypdfium2 as pdfium
path = sys.argv[1]
try:
    pdf = pdfium.PdfDocument(path)
except Exception as e:
    print(json.dumps({"error": f"{type(e).__name__}: {e}"})); sys.exit(0)
pages = []
for i in range(len(pdf)):
    try:
        page = pdf[i]
        tp = page.get_textpage()
        pages.append(tp.get_text_range())
        tp.close(); page.close()
    except Exception:
        pages.append("")
print(json.dumps({"pages": pages}))
"""


def reference(path: Path, cache: Path, timeout: float, mib: int) -> dict:
    """The text-layer words of PDFium per page and pdftotext's word count (cached)."""
    sha = path.stem
    refdir = cache / "ref"
    f = refdir / f"{sha}.json"
    if f.exists():
        try:
            ref = json.loads(f.read_text())
            if ref.get("v") == REF_VERSION:
                return ref
        except ValueError:
            pass
    ref = {"v": REF_VERSION}
    rc, out, err = run_limited([sys.executable, "-c", PROBE, str(path)], timeout, mib)
    if rc == 0:
        try:
            got = json.loads(out)
        except ValueError:
            got = {"error": "probe output unreadable"}
        if "pages" in got:
            toks = [layer_tokens(t) for t in got["pages"]]
            ref["page_words"] = [sum(1 if isinstance(t, str) else 2 for t in p) for p in toks]
            ref["tokens"] = [t for p in toks for t in p]
        else:
            ref["error"] = got.get("error")
    else:
        ref["error"] = "probe timed out" if rc is None else f"probe exit {rc}"
    if shutil.which("pdftotext"):
        rc, out, _ = run_limited(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], timeout, mib)
        ref["pdftotext_words"] = len(words(out)) if rc == 0 else None
        if rc == 0:
            ref["pdftotext_tokens"] = layer_tokens(out)
            ref["pdftotext_garbage"] = round(garbage_share(out), 3)
    refdir.mkdir(parents=True, exist_ok=True)
    tmp = f.with_suffix(".part")
    tmp.write_text(json.dumps(ref))
    os.replace(tmp, f)
    return ref


def convert(path: Path, outdir: Path, args) -> dict:
    out = outdir / f"{path.stem}.json"
    cmd = [*args.reflow, "convert", str(path), "-o", str(out), "--to", "json", "--all"]
    cmd += [*args.flag, "--timeout", str(args.timeout)]
    t0 = time.monotonic()
    rc, _, err = run_limited(cmd, args.timeout + 30, args.max_memory)
    secs = time.monotonic() - t0
    lines = [ln for ln in err.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("reflow: error:")]
    warnings = [ln for ln in lines if ln.startswith("reflow: warning:")]
    r: dict = {"exit": rc, "seconds": round(secs, 2), "warnings": len(warnings)}
    if errors:
        r["error"] = errors[0].split(": ", 3)[-1][:300]
    doc = None
    if out.exists():
        try:
            doc = json.loads(out.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            doc = None
    if rc is None:
        r["class"] = "hang"
    elif rc < 0:
        r["class"] = "crash"
        r["signal"] = signal.Signals(-rc).name if -rc in signal.valid_signals() else str(-rc)
        r["stderr"] = err[-300:]
    elif "Traceback (most recent call last)" in err:
        r["class"] = "traceback"
        r["stderr"] = err[-600:]
    elif rc != 0 and (
        rc in (2, 70) or len(errors) != 1 or len(lines) != len(errors) + len(warnings)
    ):
        r["class"] = "unclean"
        r["stderr"] = err[-600:]
    elif rc != 0 and out.exists():
        r["class"] = "partial"
    elif rc == 0 and doc is None:
        r["class"] = "partial"
    elif rc != 0:
        r["class"] = EXIT_KINDS.get(rc, f"exit-{rc}")
    else:
        r["class"] = "ok"
    if doc is not None and rc == 0:
        got: list[str] = []
        for b in doc.get("blocks", []):
            text = b.get("text") or ""
            if not text and b.get("rows"):
                text = " ".join(c for row in b["rows"] for c in row)
            got += words(text)
            if b.get("marker"):
                got += words(b["marker"])
        for x in doc.get("removed", []):
            got += words(x.get("text") or "")
        r["out_words"] = len(got)
        r["warning_texts"] = [w[:200] for w in doc.get("warnings", [])]
        r["_out"] = got
        if not got:
            r["class"] = "empty-output"
    if not args.keep:
        out.unlink(missing_ok=True)
    return r


def process(rec: dict, args, cache: Path, outdir: Path) -> dict:
    path = build.file_path(rec["sha256"], cache)
    row = {"sha256": rec["sha256"], "repo": rec["repo"], "path": rec["path"], "size": rec["size"]}
    ref = reference(path, cache, args.timeout, args.max_memory)
    r = convert(path, outdir, args)
    got = r.pop("_out", None)
    row.update(r)
    row["layer_words"] = sum(ref.get("page_words", []))
    row["pdftotext_words"] = ref.get("pdftotext_words")
    if ref.get("error"):
        row["ref_error"] = ref["error"]
    row["pdftotext_garbage"] = ref.get("pdftotext_garbage")
    if got is not None and row["layer_words"]:
        total, found = kept_fraction(ref["tokens"], collections.Counter(got))
        row["kept"] = round(found / total, 4) if total else 1.0
    if got is not None and ref.get("pdftotext_tokens"):
        # how much of what poppler reads reflow has (form values, annotations: not in the layer)
        total, found = kept_fraction(ref["pdftotext_tokens"], collections.Counter(got))
        row["kept_pdftotext"] = round(found / total, 4) if total else 1.0
    return row


def cache_base(args) -> Path:
    return Path(args.cache) if args.cache else build.cache_root()


# ---------------------------------------------------------------------------------------------
# Summary


def verdicts(row: dict) -> list[str]:
    """The issue's targets this file misses."""
    out = []
    if row["class"] in ("crash", "hang", "traceback", "unclean", "partial"):
        out.append(row["class"])
    warned = bool(row.get("warning_texts"))
    if row["class"] == "ok" and row.get("layer_words", 0) >= MIN_WORDS:
        if row.get("kept", 1.0) < KEEP:
            out.append("lost-words-warned" if warned else "lost-words-silent")
    if row["class"] in ("empty", "no-text", "empty-output"):
        if (row.get("pdftotext_words") or 0) >= OTHER_READER_WORDS:
            garbled = (row.get("pdftotext_garbage") or 0) >= GARBLED
            out.append("other-reader-garbage" if garbled else "other-reader-text")
    return out


# Verdicts that miss issue 13's targets; the others are noted (a loss that warns, another reader
# whose "text" is glyph soup too).
MISSES = ("crash", "hang", "traceback", "unclean", "partial", "lost-words-silent")
MISSES += ("other-reader-text",)


def summarize(rows: list[dict]) -> dict:
    classes = collections.Counter(r["class"] for r in rows)
    misses = collections.Counter(v for r in rows for v in verdicts(r) if v in MISSES)
    noted = collections.Counter(v for r in rows for v in verdicts(r) if v not in MISSES)
    # Text outside the text layer (form values, annotations): what reflow has of pdftotext's
    # words where PDFium's text layer holds almost none.
    outside = [
        r
        for r in rows
        if r["class"] == "ok"
        and r.get("layer_words", 0) < OTHER_READER_WORDS <= (r.get("pdftotext_words") or 0)
        and "kept_pdftotext" in r
    ]
    held = [r for r in rows if r["class"] == "ok" and r.get("layer_words", 0) >= MIN_WORDS]
    kept_tot = sum(r.get("kept", 1.0) * r["layer_words"] for r in held)
    layer_tot = sum(r["layer_words"] for r in held)
    return {
        "files": len(rows),
        "classes": dict(classes.most_common()),
        "targets_missed": dict(misses.most_common()),
        "noted": dict(noted.most_common()),
        "files_text_outside_layer": len(outside),
        "pdftotext_words_kept_there": round(
            sum(r["kept_pdftotext"] * r["pdftotext_words"] for r in outside)
            / max(1, sum(r["pdftotext_words"] for r in outside)),
            4,
        )
        if outside
        else None,
        "files_with_200_words": len(held),
        "kept_below_95": sum(1 for r in held if r.get("kept", 1.0) < KEEP),
        "words_kept_overall": round(kept_tot / layer_tot, 4) if layer_tot else None,
        "warned_files": sum(1 for r in rows if r.get("warning_texts")),
    }


def print_summary(s: dict, rows: list[dict], top: int) -> None:
    print(f"\n{s['files']} files")
    for k, v in s["classes"].items():
        print(f"  {k:<14} {v}")
    print(
        f"files with >= {MIN_WORDS} text-layer words converted: {s['files_with_200_words']}; "
        f"below {KEEP:.0%} kept: {s['kept_below_95']}; words kept over them: "
        f"{s['words_kept_overall']}"
    )
    print("targets missed:", ", ".join(f"{k} {v}" for k, v in s["targets_missed"].items()) or "0")
    print("noted:", ", ".join(f"{k} {v}" for k, v in s["noted"].items()) or "0")
    print(
        f"files whose text is outside PDFium's text layer (< {OTHER_READER_WORDS} words there, "
        f"pdftotext more): {s['files_text_outside_layer']}, pdftotext's words reflow has: "
        f"{s['pdftotext_words_kept_there']}"
    )
    by = collections.defaultdict(list)
    for r in rows:
        for v in verdicts(r):
            by[v].append(r)
    for v, rs in by.items():
        print(f"\n{v} ({len(rs)}):")
        rs.sort(key=lambda r: r.get("kept", 0))
        for r in rs[:top]:
            extra = r.get("error") or "; ".join(r.get("warning_texts", []))[:100]
            print(
                f"  {r['sha256'][:16]} {r['repo']}:{r['path']}  exit={r['exit']} "
                f"words={r.get('layer_words')} kept={r.get('kept')} "
                f"pdftotext={r.get('pdftotext_words')}  {extra}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="reflow's --timeout, seconds")
    ap.add_argument("--max-memory", type=int, default=2048, help="MiB of address space")
    ap.add_argument("--cache", default=None, help="default: $REFLOW_CACHE/realworld")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (by hash)")
    ap.add_argument("--repo", action="append", help="only files of this repository")
    ap.add_argument("--sha", nargs="*", help="only files whose SHA-256 starts so")
    ap.add_argument("--from-report", help="a report whose files to take (with --select)")
    ap.add_argument("--select", default="", help="comma-separated classes or targets missed")
    ap.add_argument("--report", default=None, help="default: <cache>/report.json")
    ap.add_argument("--keep", default=None, help="keep the JSON outputs in this folder")
    ap.add_argument("--top", type=int, default=15, help="files listed per target missed")
    ap.add_argument("--flag", action="append", default=[], help="extra reflow convert flag")
    ap.add_argument(
        "--reflow",
        default=f"{sys.executable} -m reflow",
        help="the command to run (default: this Python's reflow)",
    )
    args = ap.parse_args(argv)
    args.reflow = args.reflow.split()
    cache = cache_base(args)
    recs = build.read_manifest()
    recs.sort(key=lambda r: r["sha256"])
    if args.repo:
        recs = [r for r in recs if r["repo"] in args.repo]
    if args.sha:
        recs = [r for r in recs if any(r["sha256"].startswith(p) for p in args.sha)]
    if args.from_report:
        want = set(filter(None, args.select.split(",")))
        prev = json.loads(Path(args.from_report).read_text())["files"]
        pick = {
            r["sha256"] for r in prev if not want or r["class"] in want or want & set(verdicts(r))
        }
        recs = [r for r in recs if r["sha256"] in pick]
    if args.limit:
        recs = recs[: args.limit]
    missing = [r for r in recs if not build.file_path(r["sha256"], cache).exists()]
    if missing:
        print(f"{len(missing)} files of the manifest are not in the cache: run build.py first")
        recs = [r for r in recs if r not in missing]
    outdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reflow-rw-"))
    outdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    lock = threading.Lock()
    t0 = time.monotonic()

    def one(rec):
        try:
            row = process(rec, args, cache, outdir)
        except Exception as e:  # noqa: BLE001 - one file's trouble must not stop the run
            row = {"sha256": rec["sha256"], "repo": rec["repo"], "path": rec["path"]}
            row.update({"class": "runner-error", "exit": None, "error": repr(e)[:300]})
        with lock:
            rows.append(row)
            n = len(rows)
            if n % 100 == 0 or n == len(recs):
                print(f"{n}/{len(recs)} files, {time.monotonic() - t0:.0f} s", flush=True)
        return row

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        list(ex.map(one, recs))
    if not args.keep:
        shutil.rmtree(outdir, ignore_errors=True)
    rows.sort(key=lambda r: r["sha256"])
    s = summarize(rows)
    s["seconds"] = round(time.monotonic() - t0, 1)
    s["jobs"] = args.jobs
    print_summary(s, rows, args.top)
    report = Path(args.report) if args.report else cache / "report.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"summary": s, "files": rows}, ensure_ascii=False, indent=1))
    print(f"\nreport: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
