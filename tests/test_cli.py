"""The `reflow convert` command on single files."""

import json
import re
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "article.pdf"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "reflow", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def test_markdown_json_text_and_body_of_the_sample(tmp_path):
    md = run("convert", str(SAMPLE))
    assert md.returncode == 0 and md.stdout.startswith("# Putin Doesn't Want")
    data = json.loads(run("convert", str(SAMPLE), "--to", "json").stdout)
    assert data["metadata"]["title"].startswith("Putin Doesn't Want")
    assert {"type", "text", "page", "bbox"} <= set(data["blocks"][0])
    assert any(r["reason"] == "print-footer" for r in data["removed"])
    body = run("convert", str(SAMPLE), "--to", "body").stdout
    assert "Putin Doesn't Want" not in body.splitlines()[0]
    assert body.startswith("Alexander Lukashenko and Vladimir Putin")
    out = tmp_path / "a.md"
    fm = run("convert", str(SAMPLE), "-o", str(out), "--front-matter")
    assert fm.returncode == 0 and fm.stdout == ""
    assert out.read_text().startswith('---\ntitle: "Putin')


def test_stdin_text_is_converted():
    res = run("convert", "-", stdin="A line that wraps\nhere and ends.\n\nSecond paragraph.\n")
    assert res.stdout == "A line that wraps here and ends.\n\nSecond paragraph.\n"


def test_errors_are_one_line_naming_the_file_with_distinct_codes_and_no_output(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("<html>not a pdf</html>")
    out = tmp_path / "out.md"
    res = run("convert", str(fake), "-o", str(out))
    assert res.returncode == 3
    assert res.stderr.strip().count("\n") == 0 and str(fake) in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()
    missing = run("convert", str(tmp_path / "nope.pdf"))
    assert missing.returncode != 0 and "nope.pdf" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert run("convert", str(empty)).returncode == 6


def test_written_outputs_are_the_documents_outputs(tmp_path):
    # The CLI writes every format piece by piece; the result must be exactly what the
    # document's own renderers give.
    import reflow

    out = tmp_path / "a.md"
    assert run("convert", str(SAMPLE), "-o", str(out), "--front-matter").returncode == 0
    assert out.read_text(encoding="utf-8") == reflow.convert(SAMPLE, front_matter=True).markdown
    doc = reflow.convert(SAMPLE)
    assert run("convert", str(SAMPLE)).stdout == doc.markdown
    js = tmp_path / "a.json"
    assert run("convert", str(SAMPLE), "-o", str(js)).returncode == 0
    assert js.read_text(encoding="utf-8") == doc.to_json() + "\n"
    assert run("convert", str(SAMPLE), "--to", "txt").stdout == doc.text
    assert run("convert", str(SAMPLE), "--to", "body").stdout == doc.body_text


def _copy_of_the_package(tmp_path: Path) -> Path:
    """The product alone, as a wheel installs it: src/reflow without the benchmarks/ beside it."""
    import shutil

    src = Path(__file__).resolve().parent.parent / "src" / "reflow"
    shutil.copytree(
        src, tmp_path / "site" / "lib" / "reflow", ignore=shutil.ignore_patterns("*.so")
    )
    return tmp_path / "site" / "lib"


def _run_copy(lib: Path, *args, env=None):
    import os

    env = {k: v for k, v in (env or os.environ).items() if k not in ("PYTHONPATH",)}
    env["PYTHONPATH"] = str(lib)
    return subprocess.run(
        [sys.executable, "-m", "reflow", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=lib,
    )


def test_eval_and_bench_without_the_harness_say_where_they_looked(tmp_path):
    import os

    lib = _copy_of_the_package(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "REFLOW_BENCHMARKS"}
    for command in ("eval", "bench"):
        res = _run_copy(lib, command, "--corpus", "seed", env=env)
        assert res.returncode == 2, res.stderr
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in res.stderr
        assert f"`reflow {command}` needs the evaluation harness" in lines[0]
        assert str(tmp_path / "site" / "benchmarks") in lines[0]


def test_eval_finds_the_harness_named_by_reflow_benchmarks(tmp_path):
    import os

    lib = _copy_of_the_package(tmp_path)
    bench = Path(__file__).resolve().parent.parent / "benchmarks"
    res = _run_copy(lib, "eval", "--help", env=dict(os.environ, REFLOW_BENCHMARKS=str(bench)))
    assert res.returncode == 0, res.stderr
    assert "--corpus" in res.stdout


MIXED = Path(__file__).resolve().parent / "fixtures" / "pdf" / "mixed.pdf"  # warns


def test_version():
    import reflow

    res = run("--version")
    assert res.returncode == 0 and res.stdout.startswith(f"reflow {reflow.__version__} (")


def test_output_directory_for_one_file_and_both_formats(tmp_path):
    import reflow

    doc = reflow.convert(SAMPLE)
    res = run("convert", str(SAMPLE), "-o", f"{tmp_path / 'new'}/")  # DIR/: made, stem kept
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "new" / "article.md").read_text(encoding="utf-8") == doc.markdown
    existing = tmp_path / "existing"
    existing.mkdir()
    assert run("convert", str(SAMPLE), "-o", str(existing), "--to", "both").returncode == 0
    assert sorted(p.name for p in existing.iterdir()) == ["article.json", "article.md"]
    assert (existing / "article.json").read_text(encoding="utf-8") == doc.to_json() + "\n"
    assert run("convert", str(SAMPLE), "-o", str(tmp_path / "x.md"), "--to", "both").returncode == 0
    assert (tmp_path / "x.md").is_file() and (tmp_path / "x.json").is_file()
    assert run("convert", str(SAMPLE), "-o", str(tmp_path / "p.html")).returncode == 0
    assert (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    both = run("convert", str(SAMPLE), "--to", "both")  # two files cannot go to stdout
    assert both.returncode == 2 and both.stderr.count("\n") == 1 and "-o" in both.stderr


def test_usage_errors_and_internal_errors_have_their_own_codes(tmp_path, monkeypatch, capsys):
    from reflow import cli
    from reflow.errors import EXIT_INTERNAL, EXIT_USAGE

    assert EXIT_USAGE == 2 and EXIT_INTERNAL == 70
    bad = run("convert", str(SAMPLE), "--pages", "3-1")
    assert bad.returncode == EXIT_USAGE and "not a page range" in bad.stderr
    assert run("convert", str(SAMPLE), "--to", "pdf").returncode == EXIT_USAGE
    src = tmp_path / "a.txt"
    src.write_text("Some text.\n")
    same = run("convert", str(src), "-o", str(src))
    assert same.returncode == EXIT_USAGE and "overwrite the input" in same.stderr

    def broken(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr("reflow.convert", broken)
    assert cli.main(["convert", str(src)]) == EXIT_INTERNAL
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error (RuntimeError: a bug)" in err[0]


def test_a_closed_pipe_ends_quietly(tmp_path):
    long = "A paragraph that goes on and on.\n\n" * 100_000  # several MB of output
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflow", "convert", "-", "--to", "txt"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdin.write(long.encode())
    proc.stdin.close()
    assert proc.stdout.read(100)  # `| head -c 100`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert err == ""


def test_quiet_and_verbose(tmp_path):
    loud = run("convert", str(MIXED), "-o", str(tmp_path / "a.md"))
    assert loud.returncode == 0 and "reflow: warning:" in loud.stderr
    quiet = run("convert", str(MIXED), "-o", str(tmp_path / "b.md"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""
    verbose = run("convert", str(SAMPLE), "-o", str(tmp_path / "c.md"), "-v")
    assert verbose.returncode == 0
    assert re.search(
        r"article\.pdf: 5 pages, \d+ blocks, \d+ removed, [\d.]+ s -> ", verbose.stderr
    )


def test_pages_reads_only_the_pages_asked_for(monkeypatch):
    import reflow
    from reflow.readers import pdf as reader

    read = []
    real = reader._read_page

    def spy(lib, samp, doc_h, pi, *a, **k):
        read.append(pi + 1)
        return real(lib, samp, doc_h, pi, *a, **k)

    monkeypatch.setattr(reader, "_read_page", spy)
    doc = reflow.convert(SAMPLE, pages="2,4-")
    assert read == [2, 4, 5]
    assert [p.number for p in doc.pages] == [2, 4, 5]
    assert {b.page for b in doc.blocks} <= {2, 4, 5}
    data = json.loads(run("convert", str(SAMPLE), "--pages", "1", "--to", "json").stdout)
    assert [p["number"] for p in data["pages"]] == [1]
    assert data["blocks"][0]["type"] == "title"
    none = run("convert", str(SAMPLE), "--pages", "9")
    assert none.returncode == 6 and "no page 9 (the PDF has 5 pages)" in none.stderr
    text = reflow.convert_text("One.\n\fTwo.\n\fThree.\n", pages=[2, 3])
    assert [b.text for b in text.blocks] == ["Two.", "Three."]


def test_a_low_memory_limit_ends_with_one_error_line(tmp_path):
    """Under `ulimit -v`, PDFium can abort when an allocation fails: the command still ends with
    the one error line (exit 8), never a bare SIGABRT. The limit is swept over the range where
    the conversion starts to fit, so the failing path is met whatever this machine needs."""
    import resource

    out = tmp_path / "out.md"
    outcomes = []
    for mib in range(20, 161, 4):

        def cap(mib=mib):
            resource.setrlimit(resource.RLIMIT_AS, (mib << 20, mib << 20))

        res = subprocess.run(
            [sys.executable, "-m", "reflow", "convert", str(SAMPLE), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=cap,
        )
        if res.returncode == 0 and out.exists():
            outcomes.append("ok")
            break
        lines = res.stderr.strip().splitlines()
        assert res.returncode > 0, f"{mib} MiB: killed by signal {-res.returncode}"
        if lines and "Error" in res.stderr and "reflow:" not in lines[0]:
            continue  # the interpreter itself could not start: not reflow's to report
        assert len(lines) == 1 and lines[0].startswith("reflow: error: "), (mib, res.stderr)
        assert res.returncode == 8, (mib, lines)
        assert not out.exists()
        outcomes.append("memory")
    assert outcomes[-1] == "ok" and "memory" in outcomes
