"""The `reflow convert` command on single files."""

import json
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
