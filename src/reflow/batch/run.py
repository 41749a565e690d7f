"""The batch itself: plan, skip what is done, run the pool, write each result to its sinks,
report failures, summarise."""

from __future__ import annotations

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
    options_key,
    outputs_fresh,
    plan_outputs,
    remove_stale_temps,
    render_options,
)
from reflow.batch.pool import DEFAULT_RECYCLE, Pool, default_jobs
from reflow.batch.progress import Progress
from reflow.batch.sinks import JsonlSink, ParquetSink, Report, record_line, write_atomic
from reflow.errors import EXIT_USAGE

DEFAULT_REPORT = "reflow-report.jsonl"
STATE = ".reflow-state.jsonl"  # in OUTDIR: which documents are done, from which input and options


@dataclass
class BatchStats:
    total: int = 0
    skipped: int = 0
    converted: int = 0
    failed: int = 0
    empty: int = 0  # converted, but nothing left (counted in converted too)
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
    render: dict | None = None,
    convert_fn: Callable | None = None,
    stream=None,
    verbose: bool = False,
    images: bool = False,
) -> BatchStats:
    """Convert many documents; see the module docstring. Raises UsageError before any work."""
    stream = stream or sys.stderr
    if outdir is None and jsonl is None and parquet is None:
        raise UsageError("a batch needs -o OUTDIR (or --jsonl / --parquet)")
    out = Path(outdir) if outdir is not None else None
    formats = ["md", "json"] if to == "both" else [to or "md"]
    opts = options or {}
    key = options_key(
        {**opts, "images": True} if images else opts, render if "chunks" in formats else None
    )
    sink_paths = [Path(p).resolve() for p in (jsonl, parquet) if p is not None]
    found = collect_inputs(inputs, exclude=out)
    found = [(s, r) for s, r in found if s.resolve() not in sink_paths]
    if not found:
        raise UsageError("no .pdf or .txt inputs found in " + " ".join(inputs))
    tasks = plan_outputs(found, out, formats if out is not None else [])

    sinks: list[JsonlSink] = []
    if parquet is not None:
        sinks.append(ParquetSink(Path(parquet), force, key))
    if jsonl is not None:
        sinks.append(JsonlSink(Path(jsonl), force, key))
    # Output files: a lean state log beside them says which input and options each came from.
    state = JsonlSink(out / STATE, force, key) if out is not None else None

    if report is None:
        base = out if out is not None else Path(jsonl or parquet).parent
        report = base / DEFAULT_REPORT
    report = Path(report)

    remove_stale_temps(tasks)
    done_sets = [s.open(tasks) for s in (*sinks, *([state] if state else []))]
    todo: list[Task] = []
    for t in tasks:
        if not force and (out is None or outputs_fresh(t)) and all(t.key in d for d in done_sets):
            continue
        todo.append(t)
    skipped = {t.key for t in tasks} - {t.key for t in todo}
    stats = BatchStats(total=len(tasks), skipped=len(tasks) - len(todo), report=report)
    if stats.skipped and progress:
        print(
            f"reflow: {stats.skipped} of {len(tasks)} documents already converted "
            f"(skipped; --force redoes them)",
            file=stream,
            flush=True,
        )

    rep = Report(report)
    rep.open(skipped)
    by_index = {t.index: t for t in todo}
    prog = Progress(len(todo), progress, stream)
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
        seconds = res.get("seconds") or 0.0
        if res.get("ok"):
            empty = bool(res.get("empty"))
            if want_record:
                line = record_line(
                    t.key,
                    t.mtime_ns,
                    metadata=res.get("metadata"),
                    markdown=res.get("markdown"),
                    json_text=res.get("json_text"),
                    pages=pages,
                    seconds=seconds,
                    options=key,
                    empty=empty,
                )
            stats.converted += 1
            stats.pages += pages
            if empty:
                stats.empty += 1
                rep.add(t.key, "empty-result", res.get("message") or t.key)
            else:
                rep.done(t.key)
            if state is not None:
                state.append(record_line(t.key, t.mtime_ns, options=key, empty=empty, lean=True))
            if verbose:
                note = " (empty)" if empty else ""
                print(f"reflow: {t.key}: {pages} pages, {seconds:.2f} s{note}", file=stream)
        else:
            kind, msg = res.get("kind") or "error", res.get("message") or t.key
            rep.add(t.key, kind, msg)
            stats.failed += 1
            stats.kinds[kind] = stats.kinds.get(kind, 0) + 1
            if want_record:
                line = record_line(
                    t.key, t.mtime_ns, kind=kind, error=msg, seconds=seconds, options=key
                )
            if verbose:
                print(f"reflow: error: {msg}", file=stream)
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
            "render": render or {},
            # --images: the figures' PNG files beside the document's outputs
            "images": str(next(iter(t.outputs.values())).parent) if images and t.outputs else None,
        }
        for t in todo
    ]
    try:
        if payload:
            pool.run(payload, on_result)
    finally:
        prog.close()
        rep.close()
        for s in (*sinks, *([state] if state else [])):
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
    if stats.empty:
        parts[0] += f" ({stats.empty} empty)"
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
    if stats.failed or stats.empty:
        what = (
            "failures and empty results"
            if stats.failed and stats.empty
            else ("failures" if stats.failed else "empty results")
        )
        s += f"; {what} listed in {stats.report}"
    return s


def run_batch_cli(args) -> int:
    """`reflow convert` with several inputs, a directory, a glob or a sink, on this machine."""
    if args.inputs == ["-"] or "-" in args.inputs:
        print("reflow: error: '-' (stdin) cannot be part of a batch", file=sys.stderr)
        return EXIT_USAGE
    quiet = getattr(args, "quiet", False)
    if getattr(args, "images", None):
        print(
            "reflow: error: in batch mode the images go beside each output: give --images "
            "without a folder",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        stats = run_batch(
            args.inputs,
            outdir=args.output,
            to=args.to or "md",
            jsonl=args.jsonl,
            parquet=args.parquet,
            report=args.report,
            jobs=args.jobs,
            timeout=args.timeout,
            max_memory_mb=args.max_memory,
            recycle=getattr(args, "recycle", None) or DEFAULT_RECYCLE,
            force=args.force,
            progress=not args.no_progress and not quiet,
            options=convert_options(args),
            render=render_options(args),
            verbose=getattr(args, "verbose", False),
            images=getattr(args, "images", None) is not None,
        )
    except UsageError as e:
        print(f"reflow: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    if not quiet or stats.failed:
        print(summary(stats), file=sys.stderr, flush=True)
    return 1 if stats.failed else 0
