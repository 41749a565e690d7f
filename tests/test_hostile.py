"""Hostile and broken PDFs through the `reflow convert` command, each in its own process.

The corpus is generated at test time (tests/hostile/make_corpus.py): empty and renamed files,
truncations, broken xref tables, encryption, 5,000 empty pages, scans, 100,000 text objects, fonts
without a Unicode map, deep and cyclic objects, a decompression bomb, random mutations. Every file
must give either a correct conversion or ONE error line naming the file and the reason, with the
exit code of its kind: never a traceback, a crash, a hang or a partial output file.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from reflow import errors
from reflow.errors import EXIT_INTERNAL, EXIT_USAGE

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "hostile" / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = make_corpus
_spec.loader.exec_module(make_corpus)

KIND_BY_CODE = {
    cls.exit_code: cls.kind
    for cls in (
        errors.NotAPDFError,
        errors.BrokenPDFError,
        errors.EncryptedPDFError,
        errors.EmptyDocumentError,
        errors.NoTextLayerError,
        errors.LimitExceededError,
    )
}
CLI_TIMEOUT = 60  # reflow's own per-document limit in these runs
HANG = 100  # seconds after which the test calls it a hang and kills the process


@dataclass
class Run:
    case: object
    rc: int | None  # None: killed as a hang
    stderr: str
    out: Path
    out_exists: bool
    leftovers: list[str]
    seconds: float


def run_cli(path: Path, out: Path, *extra: str, timeout: float = HANG) -> tuple[int | None, str]:
    cmd = [sys.executable, "-m", "reflow", "convert", str(path), "-o", str(out), *extra]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else e.stderr
        return None, err or ""
    return p.returncode, p.stderr


def _run_case(corpus: Path, outdir: Path, case) -> Run:
    out_dir = outdir / case.name
    out_dir.mkdir()
    out = out_dir / (case.name + ".md")
    extra = ["--timeout", str(CLI_TIMEOUT)]
    if case.password:
        extra += ["--password", case.password]
    t0 = time.monotonic()
    rc, err = run_cli(corpus / case.name, out, *extra)
    seconds = time.monotonic() - t0
    leftovers = sorted(p.name for p in out_dir.iterdir() if p != out)
    return Run(case, rc, err, out, out.exists(), leftovers, seconds)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> dict[str, Run]:
    """Build the corpus and convert every file once, two at a time."""
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    outdir = tmp_path_factory.mktemp("hostile-out")
    cases = make_corpus.build(corpus)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda c: _run_case(corpus, outdir, c), cases))
    return {r.case.name: r for r in runs}


def problems(run: Run) -> list[str]:
    """Everything wrong with one run (empty: the file was handled as promised)."""
    c = run.case
    out: list[str] = []
    stderr_lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    warnings = [ln for ln in stderr_lines if ln.startswith("reflow: warning: ")]
    others = [ln for ln in stderr_lines if not ln.startswith("reflow: warning: ")]
    if "Traceback" in run.stderr:
        out.append("traceback on stderr")
    if run.rc is None:
        return out + [f"hang: killed after {HANG} s"]
    if run.rc < 0:
        return out + [f"crash: killed by signal {-run.rc}"]
    if run.rc == 0:
        if "ok" not in c.allowed:
            out.append(f"converted, expected one of {c.allowed}")
        if not run.out_exists:
            out.append("exit 0 but no output file")
        else:
            text = run.out.read_text(encoding="utf-8").lower()
            missing = [w for w in c.words if w not in text]
            if missing:
                out.append(f"output lacks words {missing[:8]}")
        for w in c.warns:
            if not any(w.lower() in ln.lower() for ln in warnings):
                out.append(f"no warning mentioning {w!r} on stderr ({warnings})")
        if others:
            out.append(f"unexpected stderr {others[:3]}")
    else:
        kind = KIND_BY_CODE.get(run.rc, f"exit {run.rc}")
        if kind not in c.allowed:
            out.append(f"{kind} (exit {run.rc}), expected one of {c.allowed}: {others[:2]}")
        if len(others) != 1:
            out.append(f"expected one error line, got {others}")
        elif not others[0].startswith("reflow: error: ") or c.name not in others[0]:
            out.append(f"error line does not name the file: {others[0]!r}")
        elif c.reason and c.reason.lower() not in others[0].lower():
            out.append(f"reason lacks {c.reason!r}: {others[0]!r}")
        if run.out_exists:
            out.append("partial output file left after a failure")
    if run.leftovers:
        out.append(f"stray files beside the output: {run.leftovers}")
    return out


def test_every_file_converts_or_fails_with_one_clear_line(hostile):
    bad = {name: p for name, run in hostile.items() if (p := problems(run))}
    crashes = sum(
        1 for r in hostile.values() if r.rc is not None and (r.rc < 0 or r.rc == EXIT_INTERNAL)
    )
    hangs = sum(1 for r in hostile.values() if r.rc is None)
    partial = sum(1 for r in hostile.values() if r.rc and r.out_exists)
    slowest = max(hostile.values(), key=lambda r: r.seconds)
    tally = collections.Counter(
        "ok" if r.rc == 0 else KIND_BY_CODE.get(r.rc, str(r.rc)) for r in hostile.values()
    )
    print(
        f"\nhostile corpus: {len(hostile)} files, {crashes} crashes, {hangs} hangs, "
        f"{partial} partial outputs, {len(bad)} with problems; slowest {slowest.case.name} "
        f"{slowest.seconds:.1f} s; outcomes {dict(tally.most_common())}"
    )
    assert not bad, json.dumps(bad, indent=1)


def test_corpus_covers_every_error_kind(hostile):
    """The corpus exercises each kind of failure a user can meet, not only lucky successes."""
    seen = {KIND_BY_CODE.get(r.rc) for r in hostile.values() if r.rc}
    assert {"not-pdf", "broken", "empty", "no-text", "limit"} <= seen
    assert any(r.rc == 0 for r in hostile.values())


def test_exit_codes_are_distinct_per_kind():
    codes = [cls.exit_code for cls in errors.ReflowError.__subclasses__()]
    assert len(codes) == len(set(codes)) and 0 not in codes
    assert not {EXIT_USAGE, EXIT_INTERNAL, 1} & set(codes) and EXIT_USAGE != EXIT_INTERNAL


def _need(hostile, name: str) -> Run:
    if name not in hostile:
        pytest.skip(f"{name} not in the corpus (no qpdf and no committed fixture)")
    return hostile[name]


def test_encrypted_needs_the_right_password(hostile):
    none = _need(hostile, "encrypted-user.pdf")
    wrong = _need(hostile, "encrypted-user-wrongpw.pdf")
    right = _need(hostile, "encrypted-user-rightpw.pdf")
    assert none.rc == wrong.rc == errors.EncryptedPDFError.exit_code
    assert "password" in none.stderr and "password" in wrong.stderr
    assert none.stderr != wrong.stderr  # "pass --password" vs "wrong password"
    assert right.rc == 0 and not problems(right)
    owner = _need(hostile, "encrypted-owner.pdf")
    assert owner.rc == 0 and not problems(owner)  # an owner password alone does not lock reading


def test_scanned_pages_are_named(hostile):
    scan = hostile["image-only.pdf"]
    assert scan.rc == errors.NoTextLayerError.exit_code
    # the hint says what to do: install the OCR extra, turn it on, or that OCR read nothing
    assert "no text layer (3 pages with images; a scan? " in scan.stderr
    mixed = hostile["image-page-2.pdf"]
    assert mixed.rc == 0
    warnings = [ln for ln in mixed.stderr.splitlines() if ln.startswith("reflow: warning:")]
    assert any("2" in ln.split("image-page-2.pdf:", 1)[1] for ln in warnings), warnings


def test_fonts_without_unicode_are_not_passed_off_as_text(hostile):
    for name in ("type3-no-unicode.pdf", "cid-no-tounicode.pdf"):
        run = hostile[name]
        assert "unicode" in run.stderr.lower(), (name, run.stderr)
        assert not problems(run), problems(run)


def test_json_warnings_name_image_only_pages(tmp_path):
    import reflow

    path = tmp_path / "mixed.pdf"
    path.write_bytes(make_corpus.mixed_image_pdf())
    doc = reflow.convert(path)
    data = json.loads(doc.to_json())
    assert any("2" in w for w in data["warnings"]), data["warnings"]
    assert all(w not in doc.markdown for w in data["warnings"])
    words = set(doc.text.lower().replace(".", " ").replace(",", " ").split())
    assert set(make_corpus.WORDS) <= words


def test_timeout_gives_one_line_exit_8_and_no_output(tmp_path):
    src = tmp_path / "good.pdf"
    src.write_bytes(make_corpus.good_pdf(2))
    out = tmp_path / "good.md"
    rc, err = run_cli(src, out, "--timeout", "0.0001")
    assert rc == errors.LimitExceededError.exit_code, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines == [f"reflow: error: {src}: timed out after 0.0001 s (per-document limit)"]
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_failure_keeps_an_existing_output_untouched(tmp_path):
    """A failed run neither truncates nor replaces a previous good output."""
    out = tmp_path / "article.md"
    out.write_text("previous good conversion\n")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(make_corpus.good_pdf(1)[:100])
    rc, err = run_cli(bad, out)
    assert rc == errors.BrokenPDFError.exit_code, err
    assert out.read_text() == "previous good conversion\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md", "broken.pdf"]


def test_unwritable_output_is_one_error_line(tmp_path):
    src = tmp_path / "good.pdf"
    src.write_bytes(make_corpus.good_pdf(1))
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    rc, err = run_cli(src, blocker / "out.md")
    assert rc == 1 and "Traceback" not in err
    assert err.strip().splitlines() == [
        f"reflow: error: {blocker / 'out.md'}: cannot write (File exists)"
    ]


@pytest.mark.parametrize("native", [False, None])
def test_a_huge_word_under_links_reads_in_linear_time(native):
    """Link offsets inside a 32,767-letter word were recomputed per character (a minute per
    page); both samplers must read it in about a second."""
    from reflow.readers.pdf import read_pdf

    data = make_corpus.long_word_link_pdf()
    t0 = time.monotonic()
    doc = read_pdf(data, "long-word-link.pdf", native=native)
    assert time.monotonic() - t0 < 15
    linked = [lk for ln in doc.lines() for lk in ln.links]
    assert len(linked) >= 2 and all(lk.end > lk.start for lk in linked)
