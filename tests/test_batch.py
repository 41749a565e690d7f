"""Batch mode: parallel conversion, isolation of bad documents, progress, resume after a kill."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reflow
from reflow import batch
from reflow.batch import UsageError, pool, progress, run_batch
from reflow.cli import main

ROOT = Path(__file__).resolve().parent.parent


def faulty_convert(src, **kw):
    """Stands in for reflow.convert in the workers: misbehaves on documents named for it."""
    name = os.path.basename(str(src))
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hang"):  # a hang in Python code: the in-worker deadline ends it
        time.sleep(600)
    if name.startswith("stuck"):  # a hang the alarm cannot reach (as in native code): killed
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    if name.startswith("hog"):
        hog = bytearray(1024 * 1024 * 1024)  # well over the 300 MiB limit
        hog[0] = 1
    if name.startswith("pid"):
        doc = reflow.convert(src, **kw)
        doc.metadata.title = str(os.getpid())
        return doc
    return reflow.convert(src, **kw)


def _write_docs(root: Path, names: list[str]) -> list[Path]:
    paths = []
    for i, name in enumerate(names):
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(
            f"Document {name}\n\nThe first paragraph of document number {i} says something.\n\n"
            f"A second paragraph, {i * 7} words later, closes it.\n",
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_directory_outputs_mirror_the_tree_in_both_formats(tmp_path):
    src = tmp_path / "in"
    docs = _write_docs(src, ["a.txt", "b.txt", "deep/er/c.txt", "deep/d.TXT", "skip.md"])
    out = tmp_path / "out"
    rc = main(["convert", str(src), "-o", str(out), "--to", "both", "-j", "2", "--no-progress"])
    assert rc == 0
    for doc in docs[:4]:
        rel = doc.relative_to(src).with_suffix("")
        md = out / rel.parent / (rel.name + ".md")
        js = out / rel.parent / (rel.name + ".json")
        assert md.read_text(encoding="utf-8") == reflow.convert(doc).markdown
        assert json.loads(js.read_text(encoding="utf-8"))["blocks"]
    assert sorted(p.name for p in out.rglob("*.md")) == ["a.md", "b.md", "c.md", "d.md"]


def test_glob_and_explicit_files_and_name_clash(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, ["x/one.txt", "x/two.txt", "same.txt"])
    (src / "same.pdf").write_bytes((src / "same.txt").read_bytes())  # not a PDF: fails
    out = tmp_path / "out"
    stats = run_batch(
        [str(src / "x" / "*.txt"), str(src / "same.txt"), str(src / "same.pdf")],
        outdir=out,
        progress=False,
        jobs=1,
    )
    assert (out / "one.md").exists() and (out / "two.md").exists() and (out / "same.md").exists()
    assert stats.converted == 3 and stats.failed == 1
    report = _jsonl(out / "reflow-report.jsonl")
    assert [(r["path"], r["kind"]) for r in report] == [(str(src / "same.pdf"), "not-pdf")]
    assert "same.pdf" in report[0]["message"]


def test_bad_documents_fail_alone_with_their_kind_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "KILL_GRACE", 0.5)
    src = tmp_path / "in"
    names = ["ok1.txt", "ok2.txt", "crash.txt", "hang.txt", "stuck.txt", "hog.txt", "ok3.txt"]
    _write_docs(src, names)
    (src / "empty.txt").write_text("")
    out = tmp_path / "out"
    t0 = time.monotonic()
    stats = run_batch(
        [str(src)],
        outdir=out,
        jobs=2,
        timeout=3,
        max_memory_mb=300,
        progress=False,
        convert_fn=faulty_convert,
    )
    assert time.monotonic() - t0 < 30  # the hang was killed, not waited for
    kinds = {Path(r["path"]).name: r["kind"] for r in _jsonl(out / "reflow-report.jsonl")}
    assert kinds == {
        "crash.txt": "crash",
        "hang.txt": "timeout",
        "stuck.txt": "timeout",
        "hog.txt": "memory",
        "empty.txt": "empty",
    }
    assert sorted(p.name for p in out.glob("*.md")) == ["ok1.md", "ok2.md", "ok3.md"]
    assert stats.converted == 3 and stats.failed == 5
    assert "timeout 2" in batch.summary(stats) and "crash 1" in batch.summary(stats)


def test_cli_exit_code_and_summary_name_failures(tmp_path, capsys):
    src = tmp_path / "in"
    _write_docs(src, ["good.txt"])
    (src / "bad.pdf").write_text("plain text wearing a .pdf name")
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "converted 1" in err and "failed 1 (not-pdf 1)" in err
    assert str(out / "reflow-report.jsonl") in err
    (src / "bad.pdf").unlink()  # the user removes the bad file; the good one is not redone
    assert main(["convert", str(src), "-o", str(out), "--no-progress"]) == 0
    assert "skipped 1" in capsys.readouterr().err
    assert _jsonl(out / "reflow-report.jsonl") == []


def test_rerun_skips_fresh_outputs_and_redoes_changed_inputs(tmp_path):
    src = tmp_path / "in"
    docs = _write_docs(src, [f"d{i}.txt" for i in range(5)])
    out = tmp_path / "out"
    first = run_batch([str(src)], outdir=out, progress=False, jobs=2)
    assert first.converted == 5
    again = run_batch([str(src)], outdir=out, progress=False, jobs=2)
    assert (again.converted, again.skipped) == (0, 5)
    time.sleep(0.01)
    docs[2].write_text("Changed.\n\nNew text for this one.\n", encoding="utf-8")
    (out / "d4.md").unlink()
    third = run_batch([str(src)], outdir=out, progress=False, jobs=2)
    assert (third.converted, third.skipped) == (2, 3)
    assert "New text for this one." in (out / "d2.md").read_text()
    forced = run_batch([str(src)], outdir=out, progress=False, jobs=2, force=True)
    assert (forced.converted, forced.skipped) == (5, 0)


def test_output_directory_inside_input_is_not_taken_as_input(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, ["a.txt", "b.txt"])
    out = src / "converted"
    run_batch([str(src)], outdir=out, to="txt", progress=False, jobs=1)
    again = run_batch([str(src)], outdir=out, to="txt", progress=False, jobs=1)
    assert again.total == 2 and again.skipped == 2


def test_output_that_would_overwrite_its_input_is_refused(tmp_path):
    src = tmp_path / "in"
    (a,) = _write_docs(src, ["a.txt"])
    before = a.read_text()
    assert main(["convert", str(a), str(a), "-o", str(src), "--to", "txt", "--no-progress"]) == 2
    assert a.read_text() == before
    with pytest.raises(UsageError):
        run_batch([str(tmp_path / "missing")], outdir=tmp_path / "o", progress=False)
    with pytest.raises(UsageError, match="no .pdf or .txt"):
        run_batch([str(tmp_path / "nothing-*.txt")], outdir=tmp_path / "o", progress=False)


def test_workers_are_recycled(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, [f"pid{i}.txt" for i in range(6)])
    jl = tmp_path / "out.jsonl"
    stats = run_batch(
        [str(src)], jsonl=jl, jobs=1, recycle=2, progress=False, convert_fn=faulty_convert
    )
    pids = {r["metadata"]["title"] for r in _jsonl(jl)}
    assert stats.converted == 6 and len(pids) == 3


def test_jsonl_records_and_resume_drops_failed_and_torn_records(tmp_path):
    src = tmp_path / "in"
    docs = _write_docs(src, [f"d{i}.txt" for i in range(4)])
    (src / "e.txt").write_text("")
    jl = tmp_path / "docs.jsonl"
    stats = run_batch([str(src)], jsonl=jl, progress=False, jobs=2)
    recs = {Path(r["path"]).name: r for r in _jsonl(jl)}
    assert set(recs) == {"d0.txt", "d1.txt", "d2.txt", "d3.txt", "e.txt"}
    assert recs["e.txt"]["error_kind"] == "empty" and recs["e.txt"]["markdown"] is None
    assert recs["d1.txt"]["markdown"] == reflow.convert(docs[1]).markdown
    assert (
        recs["d1.txt"]["json"]["blocks"] == json.loads(reflow.convert(docs[1]).to_json())["blocks"]
    )
    assert stats.report == tmp_path / "reflow-report.jsonl"
    # A killed writer leaves half a record at the end; the empty input gets content.
    with open(jl, "a", encoding="utf-8") as f:
        f.write('{"path": "' + str(docs[0]) + '", "markdo')
    (src / "e.txt").write_text("Now it has text.\n")
    again = run_batch([str(src)], jsonl=jl, progress=False, jobs=2)
    assert again.converted == 1 and again.skipped == 4
    recs = _jsonl(jl)
    assert sorted(Path(r["path"]).name for r in recs) == [
        "d0.txt",
        "d1.txt",
        "d2.txt",
        "d3.txt",
        "e.txt",
    ]
    assert all(r["error"] is None for r in recs)


def test_parquet_sink_rows_once_per_document_across_runs(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in"
    _write_docs(src, ["a.txt", "b.txt"])
    target = tmp_path / "docs.parquet"
    run_batch([str(src)], parquet=target, progress=False, jobs=2)
    _write_docs(src, ["c.txt"])
    stats = run_batch([str(src)], parquet=target, progress=False, jobs=2)
    assert stats.converted == 1 and stats.skipped == 2
    table = pq.read_table(target)
    rows = table.to_pylist()
    assert sorted(Path(r["path"]).name for r in rows) == ["a.txt", "b.txt", "c.txt"]
    a = next(r for r in rows if r["path"].endswith("a.txt"))
    assert a["markdown"] == reflow.convert(src / "a.txt").markdown
    assert json.loads(a["json"])["blocks"] and json.loads(a["metadata"])["pages"] == 1
    assert not list(tmp_path.glob(".docs.parquet*"))  # staging removed


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    src = tmp_path / "in"
    _write_docs(src, ["a.txt"])
    rc = main(["convert", str(src), "--parquet", str(tmp_path / "x.parquet"), "--no-progress"])
    assert rc == 2
    assert "pip install pyarrow" in capsys.readouterr().err


def test_plain_progress_lines_when_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_PROGRESS_EVERY", 0.0)
    src = tmp_path / "in"
    _write_docs(src, [f"d{i}.txt" for i in range(4)])
    (src / "zz.txt").write_text("")
    err = io.StringIO()
    run_batch([str(src)], outdir=tmp_path / "out", jobs=1, stream=err)
    lines = [ln for ln in err.getvalue().splitlines() if "docs/s" in ln]
    assert lines and all("pages/s" in ln and "failed" in ln for ln in lines)
    assert "\x1b[" not in err.getvalue()  # no terminal escapes into a log file


def test_kill_9_mid_run_then_resume_converts_each_document_exactly_once(tmp_path):
    src = tmp_path / "in"
    names = [f"sub{i % 3}/doc{i:02d}.txt" for i in range(30)]
    _write_docs(src, names)
    out = tmp_path / "out"
    jl = tmp_path / "all.jsonl"
    pq_target = tmp_path / "all.parquet"
    have_pyarrow = importlib.util.find_spec("pyarrow") is not None
    cmd = [sys.executable, "-m", "reflow", "convert", str(src), "-o", str(out), "--to", "both"]
    cmd += ["--jsonl", str(jl), "-j", "2", "--no-progress"]
    if have_pyarrow:
        cmd += ["--parquet", str(pq_target)]
    env = dict(os.environ, REFLOW_TEST_DELAY="0.15")
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            done = len(list(out.rglob("*.json"))) if out.exists() else 0
            if done >= 8:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    partial = len(jl.read_text().splitlines())
    assert 0 < partial < 30

    cmd2 = [c for c in cmd]
    rerun = subprocess.run(cmd2, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "skipped" in rerun.stderr

    recs = _jsonl(jl)
    paths = [r["path"] for r in recs]
    assert len(paths) == len(set(paths)) == 30
    assert all(r["error"] is None and r["markdown"] for r in recs)
    for name in names:
        stem = (out / name).with_suffix("")
        assert stem.with_suffix(".md").exists() and stem.with_suffix(".json").exists()
        json.loads(stem.with_suffix(".json").read_text())  # whole, parseable
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or ".parts" in p.name]
    assert leftovers == []
    if have_pyarrow:
        import pyarrow.parquet as pq

        rows = pq.read_table(pq_target, columns=["path"]).column("path").to_pylist()
        assert sorted(rows) == sorted(paths)


def test_pdfs_in_a_batch_give_what_a_single_conversion_gives(shared, tmp_path):
    pdfs = sorted((shared / "corpora" / "aeb-dev" / "pdf").glob("*.pdf"))[:2]
    if len(pdfs) < 2:
        pytest.skip("aeb-dev PDFs absent")
    out = tmp_path / "out"
    stats = run_batch([str(p) for p in pdfs], outdir=out, jobs=2, progress=False)
    failures = {r["path"]: r["kind"] for r in _jsonl(out / "reflow-report.jsonl")}
    for p in pdfs:
        try:
            expected = reflow.convert(p).markdown
        except reflow.ReflowError as e:  # the engine's verdict must be the batch's verdict
            assert failures[str(p)] == e.kind
            continue
        assert (out / p.with_suffix(".md").name).read_text(encoding="utf-8") == expected
    assert stats.converted + stats.failed == 2


def test_an_output_that_cannot_be_written_fails_that_document_only(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, ["a.txt", "sub/b.txt"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").write_text("a file where the output folder should be")
    stats = run_batch([str(src)], outdir=out, progress=False, jobs=1)
    assert (out / "a.md").exists() and stats.converted == 1
    (rec,) = _jsonl(out / "reflow-report.jsonl")
    assert rec["kind"] == "write" and rec["path"].endswith("b.txt")


def blank_convert(src, **kw):
    """Stands in for reflow.convert: documents named blank* come out with nothing left."""
    doc = reflow.convert(src, **kw)
    if os.path.basename(str(src)).startswith("blank"):
        doc.blocks = []
        doc.warnings.append("nothing left after removing page furniture")
    return doc


def test_a_changed_option_redoes_what_an_unchanged_one_skips(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, ["a.txt", "b.txt"])
    out = tmp_path / "out"
    first = run_batch([str(src)], outdir=out, progress=False, jobs=1)
    assert first.converted == 2
    assert run_batch([str(src)], outdir=out, progress=False, jobs=1).skipped == 2
    fm = run_batch([str(src)], outdir=out, progress=False, jobs=1, options={"front_matter": True})
    assert (fm.converted, fm.skipped) == (2, 0)  # new options: redone, not kept as they were
    assert (out / "a.md").read_text(encoding="utf-8").startswith("---\n")
    again = run_batch(
        [str(src)], outdir=out, progress=False, jobs=1, options={"front_matter": True}
    )
    assert again.skipped == 2
    # the same through the command line, for --all and the JSONL sink
    cmd = ["convert", str(src), "--jsonl", str(tmp_path / "r.jsonl"), "--no-progress"]
    assert main(cmd) == 0
    assert main([*cmd, "--all"]) == 0
    recs = _jsonl(tmp_path / "r.jsonl")
    assert len(recs) == 2 and len({r["options"] for r in recs}) == 1
    assert main([*cmd, "--all"]) == 0 and len(_jsonl(tmp_path / "r.jsonl")) == 2


def test_empty_results_are_counted_and_reported(tmp_path, capsys):
    src = tmp_path / "in"
    _write_docs(src, ["a.txt", "blank.txt"])
    out = tmp_path / "out"
    stats = run_batch(
        [str(src)],
        outdir=out,
        progress=False,
        jobs=1,
        convert_fn=blank_convert,
        jsonl=tmp_path / "r.jsonl",
    )
    assert (stats.converted, stats.empty, stats.failed) == (2, 1, 0)
    line = batch.summary(stats)
    assert "converted 2 (1 empty)" in line and "empty results listed in" in line
    report = _jsonl(out / "reflow-report.jsonl")
    assert [(Path(r["path"]).name, r["kind"]) for r in report] == [("blank.txt", "empty-result")]
    assert "nothing left after removing page furniture" in report[0]["message"]
    assert {Path(r["path"]).name: r["empty"] for r in _jsonl(tmp_path / "r.jsonl")} == {
        "a.txt": False,
        "blank.txt": True,
    }


def test_the_report_survives_a_killed_rerun(tmp_path):
    src = tmp_path / "in"
    _write_docs(src, [f"doc{i:02d}.txt" for i in range(12)])
    (src / "zz-bad.pdf").write_text("not a pdf at all")
    out = tmp_path / "out"
    report = out / "reflow-report.jsonl"
    cmd = [sys.executable, "-m", "reflow", "convert", str(src), "-o", str(out), "-j", "1"]
    first = subprocess.run([*cmd, "--no-progress"], capture_output=True, text=True, timeout=120)
    assert first.returncode == 1
    assert [Path(r["path"]).name for r in _jsonl(report)] == ["zz-bad.pdf"]
    # a re-run with other options redoes everything; kill it halfway
    proc = subprocess.Popen(
        [*cmd, "--no-progress", "--all"],
        env=dict(os.environ, REFLOW_TEST_DELAY="0.2"),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.5)
        assert proc.poll() is None, "the re-run finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "zz-bad.pdf" in {Path(r["path"]).name for r in _jsonl(report)}
    done = subprocess.run([*cmd, "--no-progress", "--all"], capture_output=True, timeout=120)
    assert done.returncode == 1
    assert [Path(r["path"]).name for r in _jsonl(report)] == ["zz-bad.pdf"]


def test_parquet_has_typed_metadata_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in"
    src.mkdir()
    (src / "article.pdf").write_bytes((ROOT / "examples" / "article.pdf").read_bytes())
    (src / "bad.pdf").write_text("no pdf")
    target = tmp_path / "x.parquet"
    run_batch([str(src)], parquet=target, progress=False, jobs=1)
    table = pq.read_table(target)
    schema = table.schema
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("pages").type == pa.int64()
    assert schema.field("web_print").type == pa.bool_()
    for name in ("title", "date", "url", "error_kind", "markdown", "json"):
        assert schema.field(name).type == pa.string()
    rows = {Path(r["path"]).name: r for r in table.to_pylist()}
    doc = reflow.convert(src / "article.pdf")
    good = rows["article.pdf"]
    assert good["title"] == doc.metadata.title and good["authors"] == doc.metadata.authors
    assert (good["date"], good["url"], good["pages"]) == (doc.metadata.date, doc.metadata.url, 5)
    assert rows["bad.pdf"]["error_kind"] == "not-pdf" and rows["bad.pdf"]["authors"] == []
