"""The batch itself: plan, skip what is done, run the pool, write each result to its sinks,
report failures, summarise."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reflow.batch.plan import (
    Task,
    UsageError,
    collect_inputs,
    convert_options,
    outputs_fresh,
    plan_outputs,
    remove_stale_temps,
)
from reflow.batch.pool import DEFAULT_RECYCLE, Pool, default_jobs
from reflow.batch.progress import Progress
from reflow.batch.sinks import JsonlSink, ParquetSink, record_line, write_atomic

DEFAULT_REPORT = "reflow-report.jsonl"


@dataclass
class BatchStats:
    total: int = 0
    skipped: int = 0
    converted: int = 0
    failed: int = 0
    pages: int = 0
    seconds: float = 0.0
    peak_rss_kb: int = 0
    cpu_seconds: float = 0.0  # CPU time the workers spent converting
    workers_started: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    report: Path | None = None

    @property
    def docs_per_s(self) -> float:
        return self.converted / self.seconds if self.seconds else 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def run_batch(
    inputs: list[str],
    *,
    outdir: str | Path | None = None,
    to: str | None = "md",
    jsonl: str | Path | None = None,
    parquet: str | Path | None = None,
    report: str | Path | None = None,
    jobs: int | None = None,
    timeout: float | None = 120.0,
    max_memory_mb: int | None = 2048,
    recycle: int = DEFAULT_RECYCLE,
    force: bool = False,
    progress: bool = True,
    options: dict | None = None,
    convert_fn: Callable | None = None,
    stream=None,
) -> BatchStats:
    """Convert many documents; see the module docstring. Raises UsageError before any work."""
    stream = stream or sys.stderr
    if outdir is None and jsonl is None and parquet is None:
        raise UsageError("a batch needs -o OUTDIR (or --jsonl / --parquet)")
    out = Path(outdir) if outdir is not None else None
    formats = ["md", "json"] if to == "both" else [to or "md"]
    sink_paths = [Path(p).resolve() for p in (jsonl, parquet) if p is not None]
    found = collect_inputs(inputs, exclude=out)
    found = [(s, r) for s, r in found if s.resolve() not in sink_paths]
    if not found:
        raise UsageError("no .pdf or .txt inputs found in " + " ".join(inputs))
    tasks = plan_outputs(found, out, formats if out is not None else [])

    sinks: list[JsonlSink] = []
    if parquet is not None:
        sinks.append(ParquetSink(Path(parquet), force))
    if jsonl is not None:
        sinks.append(JsonlSink(Path(jsonl), force))

    if report is None:
        base = out if out is not None else Path(jsonl or parquet).parent
        report = base / DEFAULT_REPORT
    report = Path(report)

    remove_stale_temps(tasks)
    done_sets = [s.open(tasks) for s in sinks]
    todo: list[Task] = []
    for t in tasks:
        if not force and (out is None or outputs_fresh(t)) and all(t.key in d for d in done_sets):
            continue
        todo.append(t)
    stats = BatchStats(total=len(tasks), skipped=len(tasks) - len(todo), report=report)
    if stats.skipped and progress:
        print(
            f"reflow: {stats.skipped} of {len(tasks)} documents already converted "
            f"(skipped; --force redoes them)",
            file=stream,
            flush=True,
        )

    report.parent.mkdir(parents=True, exist_ok=True)
    rep = open(report, "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    by_index = {t.index: t for t in todo}
    prog = Progress(len(todo), progress, stream)
    opts = options or {}
    want_record = bool(sinks)

    def on_result(res: dict) -> None:
        t = by_index.pop(res["i"])
        pages = int(res.get("pages") or 0)
        stats.peak_rss_kb = max(stats.peak_rss_kb, int(res.get("rss_kb") or 0))
        stats.cpu_seconds += float(res.get("cpu") or 0.0)
        if res.get("ok"):
            try:
                for fmt, path in t.outputs.items():
                    write_atomic(path, res["files"][fmt])
            except OSError as e:  # disk full, permissions: this document fails, the batch goes on
                res = {"ok": False, "kind": "write", "message": f"{t.key}: cannot write ({e})"}
        if res.get("ok"):
            if want_record:
                line = record_line(
                    t.key,
                    t.mtime_ns,
                    metadata=res.get("metadata"),
                    markdown=res.get("markdown"),
                    json_text=res.get("json_text"),
                    pages=pages,
                    seconds=res.get("seconds") or 0.0,
                )
            stats.converted += 1
            stats.pages += pages
        else:
            kind, msg = res.get("kind") or "error", res.get("message") or t.key
            rep.write(json.dumps({"path": t.key, "kind": kind, "message": msg}, ensure_ascii=False))
            rep.write("\n")
            rep.flush()
            stats.failed += 1
            stats.kinds[kind] = stats.kinds.get(kind, 0) + 1
            if want_record:
                line = record_line(
                    t.key, t.mtime_ns, kind=kind, error=msg, seconds=res.get("seconds") or 0.0
                )
        for s in sinks:
            s.append(line)
        failed_now = not res.get("ok")
        res.clear()  # the parent forgets the strings as soon as they are written
        prog.advance(pages, failed_now)

    t0 = time.monotonic()
    pool = Pool(
        jobs or default_jobs(),
        timeout=timeout,
        max_memory_mb=max_memory_mb,
        recycle=recycle,
        opts=opts,
        convert_fn=convert_fn,
    )
    payload = [
        {
            "i": t.index,
            "src": str(t.src),
            "key": t.key,
            "formats": list(t.outputs),
            "record": want_record,
        }
        for t in todo
    ]
    try:
        if payload:
            pool.run(payload, on_result)
    finally:
        prog.close()
        rep.close()
        for s in sinks:
            s.close()
    stats.seconds = time.monotonic() - t0
    stats.workers_started = pool.started
    for s in sinks:
        if isinstance(s, ParquetSink) and (payload or not s.target.exists()):
            s.finish()
        elif isinstance(s, ParquetSink):
            s.path.unlink(missing_ok=True)
    return stats


def summary(stats: BatchStats) -> str:
    parts = [f"reflow: converted {stats.converted}"]
    if stats.failed:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(stats.kinds.items()))
        parts.append(f"failed {stats.failed} ({kinds})")
    else:
        parts.append("failed 0")
    parts.append(f"skipped {stats.skipped}")
    s = ", ".join(parts)
    s += (
        f" in {stats.seconds:.1f} s ({stats.docs_per_s:.1f} docs/s, {stats.pages_per_s:.1f} pages/s"
    )
    if stats.peak_rss_kb:
        s += f", peak worker RSS {stats.peak_rss_kb / 1024:.0f} MiB"
    s += ")"
    if stats.failed:
        s += f"; failures listed in {stats.report}"
    return s


def run_batch_cli(args) -> int:
    """`reflow convert` with several inputs, a directory, a glob or a sink, on this machine."""
    if args.inputs == ["-"] or "-" in args.inputs:
        print("reflow: error: '-' (stdin) cannot be part of a batch", file=sys.stderr)
        return 2
    to = args.to or "md"
    progress = not args.no_progress
    options = convert_options(args)
    try:
        stats = run_batch(
            args.inputs,
            outdir=args.output,
            to=to,
            jsonl=args.jsonl,
            parquet=args.parquet,
            report=args.report,
            jobs=args.jobs,
            timeout=args.timeout,
            max_memory_mb=args.max_memory,
            recycle=getattr(args, "recycle", None) or DEFAULT_RECYCLE,
            force=args.force,
            progress=progress,
            options=options,
        )
    except UsageError as e:
        print(f"reflow: error: {e}", file=sys.stderr)
        return 2
    print(summary(stats), file=sys.stderr, flush=True)
    return 1 if stats.failed else 0
