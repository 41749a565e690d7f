"""benchmarks/realworld: the corpus builder and the runner's classification and word accounting."""

from __future__ import annotations

import collections
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RW = HERE.parent / "realworld"


def _load(name: str):
    sys.path.insert(0, str(RW))
    try:
        spec = importlib.util.spec_from_file_location(f"rw_{name}", RW / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(RW))


build = _load("build")
run = _load("run")


def test_manifest_records_every_file_with_its_source():
    recs = build.read_manifest()
    assert len(recs) >= 2000
    assert len({r["sha256"] for r in recs}) == len(recs)
    for r in recs[:50]:
        assert set(r) >= {"repo", "commit", "path", "sha256", "size", "license"}
        assert len(r["commit"]) == 40 and r["path"].lower().endswith(".pdf")
    repos = {r["repo"].lower() for r in recs}
    assert not repos & set(build.FORBIDDEN)


def test_build_copies_pdf_blobs_from_a_snapshot_and_skips_lfs_pointers(tmp_path):
    repo = tmp_path / "mirrors" / "someone+pdfs"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.pdf").write_bytes(b"%PDF-1.4 one")
    (repo / "sub").mkdir()
    (repo / "sub" / "B.PDF").write_bytes(b"%PDF-1.4 two")
    (repo / "copy.pdf").write_bytes(b"%PDF-1.4 one")
    (repo / "big.pdf").write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\n")
    (repo / "notes.txt").write_text("not a pdf")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    old = build.SOURCES
    build.SOURCES = [("someone/pdfs", "MIT")]
    try:
        recs = build.build(tmp_path / "mirrors", tmp_path / "cache")
    finally:
        build.SOURCES = old
    assert sorted(r["path"] for r in recs) == ["a.pdf", "sub/B.PDF"]
    a = next(r for r in recs if r["path"] == "a.pdf")
    assert a["also"] == ["someone/pdfs:copy.pdf"] and a["license"] == "MIT"
    assert build.file_path(a["sha256"], tmp_path / "cache").read_bytes() == b"%PDF-1.4 one"


def test_words_split_scripts_without_spaces_per_character():
    assert run.words("Ｆｕｌｌ ﬁnd 東京 don't") == ["full", "find", "東", "京", "don", "t"]


def test_kept_counts_a_word_broken_at_a_line_end_joined_or_split():
    tokens = run.layer_tokens("An inter\ufffenational mea\u00ad\r\nsure of once-\r\nagain")
    assert tokens[1] == ("inter", "national")
    joined = collections.Counter(run.words("An international measure of onceagain"))
    assert run.kept_fraction(tokens, joined) == (8, 8)
    split = collections.Counter(run.words("An inter national mea sure of once again"))
    assert run.kept_fraction(tokens, split) == (8, 8)
    lost = collections.Counter(run.words("An of"))
    assert run.kept_fraction(tokens, lost) == (8, 2)
    # read back from the JSON cache, the pairs are lists
    assert run.kept_fraction(json.loads(json.dumps(tokens)), joined) == (8, 8)


@pytest.mark.parametrize(
    "row, missed",
    [
        ({"class": "crash"}, ["crash"]),
        ({"class": "ok", "layer_words": 500, "kept": 0.5}, ["lost-words-silent"]),
        (
            {"class": "ok", "layer_words": 500, "kept": 0.5, "warning_texts": ["words missing"]},
            ["lost-words-warned"],
        ),
        ({"class": "ok", "layer_words": 150, "kept": 0.5}, []),  # under 200 words
        (
            {"class": "empty", "pdftotext_words": 40, "pdftotext_garbage": 0.0},
            ["other-reader-text"],
        ),
        (
            {"class": "no-text", "pdftotext_words": 40, "pdftotext_garbage": 0.9},
            ["other-reader-garbage"],
        ),
        ({"class": "empty", "pdftotext_words": 3}, []),
    ],
)
def test_verdicts(row, missed):
    assert run.verdicts(row) == missed


def test_runner_classifies_a_conversion(tmp_path):
    """One file through the real command: converted, its words accounted."""
    sys.path.insert(0, str(HERE.parent.parent / "tests" / "hostile"))
    try:
        import make_corpus
    finally:
        sys.path.pop(0)
    f = tmp_path / "good.pdf"
    f.write_bytes(make_corpus.good_pdf(2))
    args = type("A", (), {})()
    args.reflow, args.flag, args.timeout, args.max_memory, args.keep = (
        [sys.executable, "-m", "reflow"],
        [],
        60.0,
        2048,
        None,
    )
    r = run.convert(f, tmp_path, args)
    assert r["class"] == "ok" and r["exit"] == 0 and r["out_words"] > 40
