"""The Ray engine against a local Ray instance (skipped when Ray is not installed)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import reflow
from reflow.batch import UsageError
from reflow.cli import main

ray = pytest.importorskip("ray", reason="Ray is not installed (the [ray] extra)")
pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'ray[data]')")
pq = pytest.importorskip("pyarrow.parquet")

from reflow.distributed import run_ray  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def _docs(root: Path) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(5):
        p = root / ("sub" if i % 2 else ".") / f"doc{i}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"Document {i}\n\nIts first paragraph, number {i}.\n\nAnd a second one.\n")
        paths.append(p.resolve())
    (root / "empty.txt").write_text("")
    (root / "fake.pdf").write_text("text wearing a .pdf name")
    return paths


def test_ray_parquet_rows_match_single_conversions_and_failures_are_rows(
    local_ray, tmp_path, capsys
):
    docs = _docs(tmp_path / "in")
    dest = tmp_path / "out.parquet"
    t0 = time.monotonic()
    rc = main(
        ["convert", str(tmp_path / "in"), "--engine", "ray", "-o", str(dest), "--no-progress"]
    )
    took = time.monotonic() - t0
    assert rc == 1  # two inputs fail
    rows = {Path(r["path"]).name: r for r in pq.read_table(dest).to_pylist()}
    assert set(rows) == {f"doc{i}.txt" for i in range(5)} | {"empty.txt", "fake.pdf"}
    for p in docs:
        row = rows[p.name]
        doc = reflow.convert(p)
        assert row["error"] is None and row["markdown"] == doc.markdown
        assert json.loads(row["json"])["blocks"] == json.loads(doc.to_json())["blocks"]
        assert json.loads(row["metadata"])["pages"] == 1
    assert rows["empty.txt"]["error_kind"] == "empty"
    assert rows["fake.pdf"]["error_kind"] == "not-pdf" and "fake.pdf" in rows["fake.pdf"]["error"]
    report = [json.loads(x) for x in Path(str(dest) + ".report.jsonl").read_text().splitlines()]
    assert sorted(r["kind"] for r in report) == ["empty", "not-pdf"]
    err = capsys.readouterr().err
    assert "wrote 7 documents" in err and "failed 2" in err
    print(f"ray parquet run: {took:.1f} s")


def test_ray_jsonl_and_existing_destination_needs_force(local_ray, tmp_path):
    docs = _docs(tmp_path / "in")
    dest = tmp_path / "out-jsonl"
    out = run_ray([str(p) for p in docs[:2]], str(dest), fmt="jsonl", progress=False)
    assert (out["documents"], out["failed"]) == (2, 0)
    recs = [json.loads(line) for f in dest.glob("*.json*") for line in f.read_text().splitlines()]
    assert sorted(Path(r["path"]).name for r in recs) == ["doc0.txt", "doc1.txt"]
    assert all(r["markdown"] for r in recs)
    with pytest.raises(UsageError, match="--force"):
        run_ray([str(docs[0])], str(dest), fmt="jsonl", progress=False)
    out = run_ray([str(docs[0])], str(dest), fmt="jsonl", progress=False, force=True)
    recs = [json.loads(line) for f in dest.glob("*.json*") for line in f.read_text().splitlines()]
    assert out["documents"] == 1 and len(recs) == 1


def test_ray_honours_to_keeps_relative_paths_and_is_quiet(local_ray, tmp_path, monkeypatch):
    _docs(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    rc = main(["convert", "in", "--engine", "ray", "-o", "html.parquet", "--to", "html", "-q"])
    assert rc == 1  # the two bad inputs
    table = pq.read_table(tmp_path / "html.parquet")
    assert "html" in table.schema.names and "markdown" not in table.schema.names
    rows = {r["path"]: r for r in table.to_pylist()}
    assert "in/doc0.txt" in rows and "in/sub/doc1.txt" in rows  # as the user named them
    assert rows["in/doc0.txt"]["html"].startswith("<!DOCTYPE html>")
    assert rows["in/doc0.txt"]["title"] and rows["in/fake.pdf"]["html"] is None
    assert (
        main(["convert", "in", "--engine", "ray", "--jsonl", "t.jsonl", "--to", "txt", "-q"]) == 1
    )
    recs = [json.loads(x) for f in (tmp_path / "t.jsonl").glob("*.json*") for x in f.open()]
    assert {"text", "path", "title"} <= set(recs[0]) and "markdown" not in recs[0]


def test_a_ray_run_prints_only_its_summary(tmp_path):
    """A fresh local Ray, as a user starts it: no Ray log lines, only reflow's own line."""
    import subprocess
    import sys

    _docs(tmp_path / "in")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "reflow",
            "convert",
            "in",
            "--engine",
            "ray",
            "-o",
            "o.parquet",
            "-j",
            "2",
            "--no-progress",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 1, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("reflow: ray: wrote 7 documents"), lines
