"""Build the real-world corpus: every PDF in the test suites of public PDF libraries.

    python benchmarks/realworld/build.py [--mirrors DIR] [--cache DIR] [--check]

Each source is a public GitHub repository (``SOURCES``). Its snapshot is a bare git directory,
brought onto the machine by the development environment's ``fetch`` tool (``fetch
github:OWNER/NAME`` puts it at ``/work/.mirror/OWNER+NAME/repo``) or by ``git clone --bare``
into ``DIR/OWNER+NAME/repo``; a source without a snapshot is listed and skipped. From the
snapshot's newest commit every ``*.pdf`` blob is copied into the cache folder
(``$REFLOW_CACHE/realworld/files/``, default ``~/.cache/reflow/realworld/files/``) under its
SHA-256, never into git. Git LFS pointers, blobs missing from the snapshot (snapshots lack files
of 4 MiB and more) and byte-identical duplicates are skipped.

The committed manifest (``manifest.jsonl`` beside this script) has one line per distinct file:
``repo, commit, path, sha256, size, license`` (the license of the repository; ``also``: other
places the same bytes sit). ``--check`` rebuilds nothing: it verifies that the cache holds every
file of the manifest with its hash (``--restore`` copies missing ones from the snapshots named in
the manifest, at the manifest's commits).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"

# (repository, SPDX license of the repository as its LICENSE file states it)
SOURCES: list[tuple[str, str]] = [
    ("mozilla/pdf.js", "Apache-2.0"),
    ("qpdf/qpdf", "Apache-2.0"),
    ("chromium/pdfium", "BSD-3-Clause"),
    ("py-pdf/pypdf", "BSD-3-Clause"),
    ("py-pdf/sample-files", "CC-BY-SA-4.0"),
    ("pdfminer/pdfminer.six", "MIT"),
    ("jsvine/pdfplumber", "MIT"),
    ("camelot-dev/camelot", "MIT"),
    ("tabulapdf/tabula-java", "MIT"),
    ("pikepdf/pikepdf", "MPL-2.0"),
    ("docling-project/docling", "MIT"),
    ("pypdfium2-team/pypdfium2", "Apache-2.0 OR BSD-3-Clause"),
    ("Hopding/pdf-lib", "MIT"),
    ("pdfcpu/pdfcpu", "Apache-2.0"),
    ("apache/pdfbox", "Apache-2.0"),
]
# Never sources: the hidden checks of the project (COORDINATION.md).
FORBIDDEN = (
    "scrapinghub/article-extraction-benchmark",
    "mozilla/readability",
    "flairnlp/fundus",
    "icip-cas/readoc",
)
MAX_BYTES = 4 << 20  # snapshots hold no file of 4 MiB or more
LFS_MAGIC = b"version https://git-lfs"


def cache_root() -> Path:
    base = os.environ.get("REFLOW_CACHE")
    return (Path(base) if base else Path.home() / ".cache" / "reflow") / "realworld"


def files_dir(cache: Path | None = None) -> Path:
    return (cache or cache_root()) / "files"


def file_path(sha256: str, cache: Path | None = None) -> Path:
    return files_dir(cache) / f"{sha256[:16]}.pdf"


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The bare git directory of ``repo``'s snapshot under ``mirrors``, or None."""
    base = mirrors / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def _git(gd: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={gd}", *args], check=True, capture_output=True, timeout=600
    ).stdout


def pdf_blobs(gd: Path, commit: str) -> list[tuple[str, str, int]]:
    """(path, blob id, size) of every ``*.pdf`` in ``commit``, in path order."""
    out = []
    for rec in _git(gd, "ls-tree", "-r", "-l", "-z", commit).split(b"\0"):
        if not rec:
            continue
        meta, _, path = rec.partition(b"\t")
        parts = meta.split()
        if len(parts) < 4 or parts[1] != b"blob":
            continue
        name = path.decode("utf-8", "surrogateescape")
        if not name.lower().endswith(".pdf"):
            continue
        size = int(parts[3]) if parts[3].isdigit() else -1
        out.append((name, parts[2].decode(), size))
    return sorted(out)


class BlobReader:
    """``git cat-file --batch``: blob contents by id; None for a blob the snapshot lacks."""

    def __init__(self, gd: Path) -> None:
        self.p = subprocess.Popen(
            ["git", f"--git-dir={gd}", "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def read(self, oid: str) -> bytes | None:
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(oid.encode() + b"\n")
        self.p.stdin.flush()
        header = self.p.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        size = int(header[2])
        data = self.p.stdout.read(size)
        self.p.stdout.read(1)  # the newline after the contents
        return data

    def close(self) -> None:
        if self.p.stdin:
            self.p.stdin.close()
        self.p.wait(timeout=60)


def _store(data: bytes, cache: Path) -> str:
    sha = hashlib.sha256(data).hexdigest()
    dest = file_path(sha, cache)
    if not dest.exists() or dest.stat().st_size != len(data):
        tmp = dest.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    return sha


def build(mirrors: Path, cache: Path, only: list[str] | None = None) -> list[dict]:
    files_dir(cache).mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}
    for repo, license_ in SOURCES:
        if repo.lower() in FORBIDDEN:
            raise SystemExit(f"{repo} is one of the project's hidden checks: never a source")
        if only and repo not in only:
            continue
        gd = git_dir(mirrors, repo)
        if gd is None:
            print(f"{repo}: no snapshot under {mirrors} (fetch github:{repo}); skipped")
            continue
        commit = _git(gd, "rev-parse", "HEAD").decode().strip()
        blobs = pdf_blobs(gd, commit)
        reader = BlobReader(gd)
        kept = lfs = missing = big = dup = 0
        try:
            for path, oid, size in blobs:
                if size >= MAX_BYTES:
                    big += 1
                    continue
                data = reader.read(oid)
                if data is None:
                    missing += 1
                    continue
                if data.startswith(LFS_MAGIC):
                    lfs += 1
                    continue
                sha = _store(data, cache)
                if sha in records:
                    records[sha].setdefault("also", []).append(f"{repo}:{path}")
                    dup += 1
                    continue
                records[sha] = {
                    "repo": repo,
                    "commit": commit,
                    "path": path,
                    "sha256": sha,
                    "size": len(data),
                    "license": license_,
                }
                kept += 1
        finally:
            reader.close()
        print(
            f"{repo}@{commit[:10]}: {len(blobs)} *.pdf, {kept} new, {dup} duplicates, "
            f"{lfs} LFS pointers, {missing} missing, {big} >= 4 MiB"
        )
    return list(records.values())


def read_manifest(path: Path = MANIFEST) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_manifest(records: list[dict], path: Path = MANIFEST) -> None:
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    os.replace(tmp, path)


def check(cache: Path, mirrors: Path | None) -> int:
    """Is every file of the manifest in the cache, with its hash? Restores from the snapshots
    (at the manifest's commit) when ``mirrors`` is given."""
    bad = 0
    readers: dict[str, BlobReader | None] = {}
    files_dir(cache).mkdir(parents=True, exist_ok=True)
    for r in read_manifest():
        dest = file_path(r["sha256"], cache)
        if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == r["sha256"]:
            continue
        data = None
        if mirrors is not None:
            if r["repo"] not in readers:
                gd = git_dir(mirrors, r["repo"])
                readers[r["repo"]] = BlobReader(gd) if gd else None
            rd = readers[r["repo"]]
            if rd is not None:
                data = rd.read(f"{r['commit']}:{r['path']}")
        if data is not None and hashlib.sha256(data).hexdigest() == r["sha256"]:
            _store(data, cache)
            continue
        bad += 1
        print(f"missing: {r['repo']}:{r['path']} ({r['sha256'][:16]})")
    for rd in readers.values():
        if rd is not None:
            rd.close()
    print(f"{bad} of the manifest's files missing from {files_dir(cache)}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mirrors", default=os.environ.get("REFLOW_MIRRORS", "/work/.mirror"))
    ap.add_argument("--cache", default=None, help="default: $REFLOW_CACHE/realworld")
    ap.add_argument("--only", nargs="*", help="only these repositories (manifest not rewritten)")
    ap.add_argument("--check", action="store_true", help="verify the cache against the manifest")
    ap.add_argument("--restore", action="store_true", help="with --check: copy missing files in")
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else cache_root()
    mirrors = Path(args.mirrors)
    if args.check:
        return check(cache, mirrors if args.restore else None)
    records = build(mirrors, cache, args.only)
    if not args.only:
        write_manifest(records)
        print(f"{len(records)} distinct PDFs -> {files_dir(cache)}; manifest {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
