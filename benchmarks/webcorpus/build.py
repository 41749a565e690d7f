#!/usr/bin/env python3
"""Build the web-print development corpus (issue 17). Stages, each re-runnable and resumable:

    collect   read the five collections' mirrors, decode, de-duplicate, give each page an id,
              its site and URL; saved pages go to the cache as UTF-8 .html.gz
    label     silver references from trafilatura on each page's own HTML (body, title,
              authors, date), the language, and the clean-article HTML of a subset
    print     print every page (and every clean-article page) to PDF under its real URL with
              ../shared/tools/serve_print.py, in batches of ~50 jobs (needs root)
    validate  does the print hold the article? (the reference body's word 4-shingles found in
              the PDF's text layer, as aeb-dev's valid-keys.txt: >= 90%)
    dump      reflow's reader output of every valid print, compact (benchmarks/webcorpus/dump.py)
    stats     write corpora/web/: manifest.jsonl, references.jsonl.gz, the counts in README.md

    python benchmarks/webcorpus/build.py all            # everything, in order
    python benchmarks/webcorpus/build.py print --limit 100

Run it with the repository's Python (reflow importable). ``collect`` and ``label`` run in the
builder's own venv (trafilatura, py3langid, tldextract; made on first use in the cache folder),
never a reflow dependency. Bulky data lives in ``$REFLOW_CACHE/webcorpus`` (default
``~/.cache/reflow/webcorpus``); only compact derived data is committed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "corpora" / "web"
CACHE = Path(os.environ.get("REFLOW_CACHE") or Path.home() / ".cache" / "reflow") / "webcorpus"
VENV = CACHE / "venv"
SHARED = Path(os.environ.get("REFLOW_SHARED") or REPO.parent / "shared")
SERVE_PRINT = SHARED / "tools" / "serve_print.py"
BUILDER_PACKAGES = [
    "trafilatura==2.3.1",
    "lxml_html_clean",
    "py3langid==0.4.0",
    "tldextract==5.4.0",
    "charset_normalizer",
]
# source priority: the first collection a page is found in is its primary source
PRIORITY = ["trafilatura", "postlight", "goose3", "htmldate", "newspaper4k"]
FOLDS = 5
MIN_HTML = 5000  # bytes: smaller files are synthetic test pages, not saved web pages
FAKE_HOSTS = ("example.com", "exemple.com", "foo.bar", "go.com")
BATCH = 50
CLEAN_SHARE = 4  # every 4th labelled page (by id hash) also gets a clean-article print


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, rows, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if gz:
        # mtime=0: the same rows give the same bytes (no churn in git)
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            for r in rows:
                f.write((json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n").encode())
    else:
        with open(tmp, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def append_jsonl(path: Path, row: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def fold_of(site: str) -> int:
    """Leave-site-out fold of a site: a stable hash of its registered domain, mod 5."""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % FOLDS


# --- the builder venv (trafilatura & co., never a reflow dependency) ----------------------


def builder_python() -> str:
    py = VENV / "bin" / "python"
    if not py.exists():
        log(f"making the builder venv {VENV} ({', '.join(BUILDER_PACKAGES)})")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *BUILDER_PACKAGES], check=True)
    return str(py)


def in_builder_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def run_in_builder_venv(argv: list[str]) -> int:
    return subprocess.run([builder_python(), str(Path(__file__).resolve()), *argv]).returncode


# --- URLs ----------------------------------------------------------------------------------


def ascii_url(url: str) -> str:
    """The URL as Chromium sends and shows it: IDN host in punycode, the path and query
    percent-encoded (UTF-8), no fragment."""
    u = urlsplit(url.strip())
    host = u.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = host + (f":{u.port}" if u.port else "")
    path = quote(u.path or "/", safe="/%:@!$&'()*+,;=~-._")
    query = quote(u.query, safe="=&%/:?@!$()*+,;~-._")
    return urlunsplit((u.scheme.lower(), netloc, path, query, ""))


def url_key(url: str) -> str:
    """What two copies of one page share: host without www., path without trailing slash."""
    u = urlsplit(url)
    host = (u.hostname or "").removeprefix("www.")
    return f"{host}{u.path.rstrip('/')}?{u.query}"


# --- collect -------------------------------------------------------------------------------


def decode_html(raw: bytes) -> str:
    """The page's text as a browser would decode it (BOM, then the declared charset, then
    UTF-8, then a guess). It is re-encoded as UTF-8, which serve_print declares."""
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, "replace")
    head = raw[:4096].decode("ascii", "replace")
    m = re.search(r"""<meta[^>]+charset=["']?\s*([A-Za-z0-9_.:-]+)""", head, re.I)
    declared = m.group(1).lower() if m else None
    if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        declared = "cp1252"  # as browsers do (WHATWG encoding standard)
    if declared:
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is not None:
            return str(best)
    except ImportError:
        pass
    return raw.decode("cp1252", "replace")


def stage_collect(args) -> None:
    import tldextract

    sys.path.insert(0, str(HERE))
    import sources

    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    html_dir = CACHE / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    pages: list[dict] = []
    by_url: dict[str, dict] = {}
    by_hash: dict[str, dict] = {}
    dropped: list[dict] = []
    names = args.sources.split(",") if args.sources else PRIORITY
    for name in PRIORITY:
        if name not in names:
            continue
        n = 0
        for rec in sources.READERS[name]():
            n += 1
            origin = {k: rec[k] for k in ("source", "repo", "commit", "path", "license")}
            raw = rec.pop("html")
            url = ascii_url(rec["url"])
            host = urlsplit(url).hostname or ""
            if len(raw) < MIN_HTML or any(host == h or host.endswith("." + h) for h in FAKE_HOSTS):
                dropped.append({**origin, "url": url, "why": "synthetic test page"})
                continue
            if urlsplit(url).scheme not in ("http", "https") or not host:
                dropped.append({**origin, "url": url, "why": "no usable URL"})
                continue
            text = decode_html(raw)
            digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()
            key = url_key(url)
            prev = by_url.get(key) or by_hash.get(digest)
            gold = {k: {"value": v, "from": name} for k, v in rec["gold"].items()}
            if prev is not None:  # the same page in another collection: merge what it knows
                prev["sources"].append(origin)
                for k, v in gold.items():
                    prev["gold"].setdefault(k, v)
                if rec["snippets"] and not prev.get("snippets"):
                    prev["snippets"] = {**rec["snippets"], "from": name}
                by_url.setdefault(key, prev)
                by_hash.setdefault(digest, prev)
                continue
            ext = extract(url)
            site = ext.top_domain_under_public_suffix or host
            pid = f"{site}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
            lang = re.search(r"""<html[^>]*\slang=["']?([A-Za-z]{2,3})""", text[:20000], re.I)
            page = {
                "id": pid,
                "url": url,
                "url_from": rec["url_from"],
                "site": site,
                "host": host,
                "html_lang": lang.group(1).lower() if lang else None,
                "sources": [origin],
                "gold": gold,
                "snippets": {**rec["snippets"], "from": name} if rec["snippets"] else None,
                "html_sha1": digest,
            }
            path = html_dir / f"{pid}.html.gz"
            if not path.exists():
                with (
                    open(path, "wb") as raw_f,
                    gzip.GzipFile(fileobj=raw_f, mode="wb", mtime=0) as f,
                ):
                    f.write(text.encode("utf-8"))
            pages.append(page)
            by_url[key] = page
            by_hash[digest] = page
        log(f"collect: {name}: {n} records")
    ids = [p["id"] for p in pages]
    assert len(ids) == len(set(ids)), "page ids collide"
    write_jsonl(CACHE / "collected.jsonl", pages)
    write_jsonl(CACHE / "dropped.jsonl", dropped)
    sites = {p["site"] for p in pages}
    log(f"collect: {len(pages)} pages from {len(sites)} sites; {len(dropped)} dropped")


# --- label (silver references, language, clean-article HTML) -------------------------------


def stage_label(args) -> None:
    sys.path.insert(0, str(HERE))
    import labeller

    pages = read_jsonl(CACHE / "collected.jsonl")
    out = CACHE / "labels.jsonl"
    done = {r["id"] for r in read_jsonl(out)} if not args.force else set()
    if args.force and out.exists():
        out.unlink()
    todo = [p for p in pages if p["id"] not in done]
    if args.limit:
        todo = todo[: args.limit]
    (CACHE / "clean").mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    for i, p in enumerate(todo):
        html = gzip.decompress((CACHE / "html" / f"{p['id']}.html.gz").read_bytes()).decode()
        want_clean = int(hashlib.sha1(p["id"].encode()).hexdigest(), 16) % CLEAN_SHARE == 0
        row, clean_html = labeller.label(html, p["url"], want_clean, p["html_lang"])
        row["id"] = p["id"]
        if clean_html:
            path = CACHE / "clean" / f"{p['id']}.html.gz"
            with open(path, "wb") as raw_f, gzip.GzipFile(fileobj=raw_f, mode="wb", mtime=0) as f:
                f.write(clean_html.encode("utf-8"))
        append_jsonl(out, row)
        if (i + 1) % 50 == 0:
            log(f"label: {i + 1}/{len(todo)} ({time.time() - t0:.0f} s)")
    log(f"label: {len(todo)} labelled in {time.time() - t0:.0f} s")


# --- print ---------------------------------------------------------------------------------


def print_jobs(clean: bool) -> list[dict]:
    pages = read_jsonl(CACHE / "collected.jsonl")
    if clean:
        folder, pdfs = CACHE / "clean", CACHE / "pdf-clean"
    else:
        folder, pdfs = CACHE / "html", CACHE / "pdf"
    pdfs.mkdir(parents=True, exist_ok=True)
    jobs = []
    for p in pages:
        html = folder / f"{p['id']}.html.gz"
        if html.exists():
            jobs.append(
                {
                    "id": p["id"],
                    "url": p["url"],
                    "html": str(html),
                    "pdf": str(pdfs / f"{p['id']}.pdf"),
                }
            )
    return jobs


def stage_print(args) -> None:
    if os.geteuid() != 0:
        sys.exit("print: serve_print.py needs root (ports 80 and 443)")
    logf = CACHE / "print-log.jsonl"
    tried = {(r["id"], r.get("clean", False)) for r in read_jsonl(logf) if r["rc"] != 0}
    for clean in [False, True] if args.clean == "both" else [args.clean == "only"]:
        jobs = [
            j
            for j in print_jobs(clean)
            if not (os.path.exists(j["pdf"]) and os.path.getsize(j["pdf"]))
        ]
        if not args.retry:
            jobs = [j for j in jobs if (j["id"], clean) not in tried]
        if args.limit:
            jobs = jobs[: args.limit]
        log(f"print: {len(jobs)} {'clean-article ' if clean else ''}pages to print")
        while jobs:
            batch, rest, keys = [], [], set()
            for j in jobs:  # serve_print serves one page per (host, path): no two in a batch
                u = urlsplit(j["url"])
                k = (u.hostname, u.path, u.query)
                if len(batch) < BATCH and k not in keys:
                    batch.append(j)
                    keys.add(k)
                else:
                    rest.append(j)
            jobs = rest
            jf = CACHE / "print-batch.json"
            jf.write_text(json.dumps([{k: j[k] for k in ("url", "html", "pdf")} for j in batch]))
            t0 = time.time()
            r = subprocess.run(
                ["python3", str(SERVE_PRINT), str(jf)], capture_output=True, text=True
            )
            dt = time.time() - t0
            rcs = {}
            for line in r.stdout.splitlines():
                rc, _, pdf = line.partition(" ")
                rcs[pdf] = int(rc) if rc.lstrip("-").isdigit() else -1
            for j in batch:
                ok = os.path.exists(j["pdf"]) and os.path.getsize(j["pdf"]) > 0
                rc = rcs.get(j["pdf"], -1)
                append_jsonl(
                    logf,
                    {
                        "id": j["id"],
                        "clean": clean,
                        "rc": rc if ok or rc else 1,
                        "s": round(dt / len(batch), 1),
                    },
                )
            log(
                f"print: batch of {len(batch)} in {dt:.0f} s; {len(jobs)} left"
                + (f"; serve_print: {r.stderr.strip()[-200:]}" if r.returncode else "")
            )


# --- validate ------------------------------------------------------------------------------

SHINGLE_RULE = 0.90


def shingles(text: str, n: int = 4) -> set:
    """Word 4-shingles (``\\w+`` tokens) without one- and two-digit numbers: the browser prints
    an ordered list's numbers ("1.", "2.") that an HTML extractor's text does not have, and the
    same article text would otherwise fail the rule (numbers are dropped on both sides)."""
    toks = [t for t in re.findall(r"\w+", text) if not (t.isdigit() and len(t) <= 2)]
    chars = "".join(toks)
    if chars and len(_CJK.findall(chars)) > 0.3 * len(chars):
        # Chinese or Japanese: a "word" is a whole clause, and the print's line wraps cut it
        # where the HTML does not, so compare runs of 8 characters instead
        return {chars[i : i + 8] for i in range(max(0, len(chars) - 7))}
    return {tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1))}


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def pdf_text(pdf: Path) -> str:
    """pdftotext's text of a print, kept beside it (``<pdf>.txt.gz``) for re-validation."""
    cached = pdf.with_name(pdf.name + ".txt.gz")
    if cached.exists() and cached.stat().st_mtime >= pdf.stat().st_mtime:
        return gzip.decompress(cached.read_bytes()).decode("utf-8")
    r = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=120
    )
    text = r.stdout.decode("utf-8", "replace")
    cached.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return text


def stage_validate(args) -> None:
    labels = {r["id"]: r for r in read_jsonl(CACHE / "labels.jsonl")}
    failed = {
        (r["id"], r["clean"]): r["rc"] for r in read_jsonl(CACHE / "print-log.jsonl") if r["rc"]
    }
    out = CACHE / "validate.jsonl"
    done = {(r["id"], r["clean"]) for r in read_jsonl(out)} if not args.force else set()
    if args.force and out.exists():
        out.unlink()
    n = 0
    for clean in (False, True):
        for j in print_jobs(clean):
            if (j["id"], clean) in done or j["id"] not in labels:
                continue
            pdf = Path(j["pdf"])
            row = {"id": j["id"], "clean": clean}
            if not pdf.exists() or not pdf.stat().st_size:
                rc = failed.get((j["id"], clean))
                if rc is None:
                    continue  # not printed yet
                row.update(printed=False, valid=False, why=f"no print (Chromium exit {rc})")
            else:
                text = pdf_text(pdf)
                ref = labels[j["id"]]["clean_text" if clean else "body"] or ""
                want = shingles(ref)
                have = shingles(text)
                share = len(want & have) / len(want) if want else 0.0
                row.update(printed=True, shingles=round(share, 4), pdf_words=len(text.split()))
                import pypdfium2 as pdfium

                row["pages"] = len(pdfium.PdfDocument(str(pdf)))
                if not want:
                    row.update(valid=False, why="no reference body")
                elif "HTTP ERROR 404" in text[:2000] or "This page isn" in text[:2000]:
                    row.update(valid=False, why="print of an error page (URL not served)")
                elif share < SHINGLE_RULE:
                    row.update(
                        valid=False, why=f"print lost the body ({share:.0%} of its shingles)"
                    )
                else:
                    row.update(valid=True)
            append_jsonl(out, row)
            n += 1
    rows = read_jsonl(out)
    log(f"validate: {n} checked; {sum(r['valid'] for r in rows)} of {len(rows)} valid")


# --- dump ----------------------------------------------------------------------------------


def stage_dump(args) -> None:
    sys.path.insert(0, str(HERE))
    import dump

    valid = {(r["id"], r["clean"]) for r in read_jsonl(CACHE / "validate.jsonl") if r["valid"]}
    for clean, name in ((False, "reader-dump.jsonl.gz"), (True, "reader-dump-clean.jsonl.gz")):
        jobs = [j for j in print_jobs(clean) if (j["id"], clean) in valid]
        t0 = time.time()
        n, size = dump.write_dump(((j["id"], Path(j["pdf"])) for j in jobs), OUT / name)
        log(f"dump: {n} documents, {size / 1e6:.1f} MB -> {OUT / name} ({time.time() - t0:.0f} s)")


# --- stats / the committed files -------------------------------------------------------------


def stage_stats(args) -> None:
    sys.path.insert(0, str(HERE))
    import stats

    stats.write(CACHE, OUT)


STAGES = {
    "collect": (stage_collect, True),
    "label": (stage_label, True),
    "print": (stage_print, False),
    "validate": (stage_validate, False),
    "dump": (stage_dump, False),
    "stats": (stage_stats, False),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stage", choices=[*STAGES, "all"])
    ap.add_argument("--limit", type=int, default=0, help="at most N pages (a smoke run)")
    ap.add_argument("--force", action="store_true", help="redo the stage from scratch")
    ap.add_argument("--retry", action="store_true", help="print: retry pages that failed before")
    ap.add_argument(
        "--clean",
        choices=["no", "only", "both"],
        default="both",
        help="print: the pages, the clean-article pages, or both (default)",
    )
    ap.add_argument(
        "--sources", default="", help="collect: a comma-separated subset of " + ",".join(PRIORITY)
    )
    args = ap.parse_args(argv)
    order = list(STAGES) if args.stage == "all" else [args.stage]
    for name in order:
        fn, venv = STAGES[name]
        if venv and not in_builder_venv():
            argv2 = [name] + [
                a
                for a in (argv if argv is not None else sys.argv[1:])
                if a not in ("all", args.stage)
            ]
            if run_in_builder_venv(argv2):
                return 1
            continue
        fn(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
