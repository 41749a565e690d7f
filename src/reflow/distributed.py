"""The Ray engine: the same conversion as a Ray Data pipeline, on one machine or a cluster.

    reflow convert docs/ --engine ray -o out.parquet            # a Parquet dataset (directory)
    reflow convert docs/ --engine ray --jsonl out.jsonl         # a JSONL dataset (directory)
    RAY_ADDRESS=ray://head:10001 reflow convert s3://bucket/pdfs/ --engine ray --parquet s3://bucket/out/

``ray.data.read_binary_files(paths, include_paths=True)`` reads the documents (local files,
directories, globs expanded here; URIs such as ``s3://`` or ``gs://`` are handed to Ray as they
are), ``map_batches`` converts them and ``write_parquet`` / ``write_json`` writes one row per
document: ``path, error_kind, error, pages, seconds, title, metadata, markdown, json`` (the
metadata and the document JSON as JSON text, as in the local Parquet sink).

Inside each Ray task the documents of a batch are converted by the local batch pool of one worker
process (``reflow.batch.Pool``): a document that crashes PDFium, runs out of memory or hangs is a
failed row (``crash`` / ``memory`` / ``timeout``), not a failed Ray task that would stop the job.

``ray.init()`` joins the cluster named by ``RAY_ADDRESS`` when it is set, otherwise starts a local
Ray with ``-j`` CPUs. On a cluster, local paths must be readable by every node (shared storage);
prefer object-storage URIs. There is no resume: a destination that exists is refused unless
``--force``, which replaces it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from reflow.batch import (
    PARQUET_FIELDS,
    Pool,
    UsageError,
    collect_inputs,
    convert_options,
    write_atomic,
)
from reflow.batch.plan import render_options
from reflow.batch.sinks import typed_columns
from reflow.errors import EXIT_USAGE

# The columns every row has (the typed metadata of the local Parquet sink); then one column per
# output format asked for with --to (default: markdown and json).
BASE_FIELDS = tuple(
    n for n, _ in PARQUET_FIELDS if n not in ("source_mtime_ns", "options", "markdown", "json")
)
FORMAT_COLUMNS = {
    "md": "markdown",
    "json": "json",
    "txt": "text",
    "body": "body",
    "html": "html",
    "chunks": "chunks",
}
DEFAULT_FORMATS = ("md", "json")
ROW_FIELDS = (*BASE_FIELDS, "markdown", "json")  # the default row
DEFAULT_BATCH_SIZE = 8


def _is_uri(s: str) -> bool:
    return "://" in s


def resolve_sources(inputs: list[str]) -> list[str]:
    """Local files, directories and globs -> absolute file paths (.pdf/.txt); URIs as they are."""
    uris = [s for s in inputs if _is_uri(s)]
    local = [s for s in inputs if not _is_uri(s)]
    files = [str(p.resolve()) for p, _rel in collect_inputs(local)] if local else []
    if not files and not uris:
        raise UsageError("no .pdf or .txt inputs found in " + " ".join(inputs))
    return files + uris


def _shown_path(path: str, relative_to: str | None) -> str:
    """The path as the row shows it: relative to the directory the command ran in when the
    user named the inputs by relative paths (Ray itself is handed absolute ones)."""
    if relative_to and not _is_uri(path):
        try:
            rel = os.path.relpath(path, relative_to)
        except ValueError:
            return path
        if not rel.startswith(".."):
            return rel
    return path


def _row(path: str, res: dict, formats=DEFAULT_FORMATS) -> dict[str, Any]:
    meta = res.get("metadata")
    ok = bool(res.get("ok"))
    row = {
        "path": path,
        "error_kind": None if ok else (res.get("kind") or "error"),
        "error": None if ok else (res.get("message") or path),
        "empty": bool(res.get("empty")) if ok else False,
        "pages": int(res.get("pages") or 0),
        "seconds": float(res.get("seconds") or 0.0),
        **typed_columns(meta),
        "metadata": json.dumps(meta, ensure_ascii=False) if meta is not None else None,
    }
    files = res.get("files") or {}
    for fmt in formats:
        if fmt == "json":
            row["json"] = res.get("json_text") if ok else None
        else:
            row[FORMAT_COLUMNS[fmt]] = files.get(fmt) if ok else None
    return row


_POOLS: dict[str, Pool] = {}


def _pool(options: dict, timeout: float | None, max_memory_mb: int | None) -> Pool:
    """One child worker per Ray worker process, kept between batches (spawning one per batch
    doubled the run time on a loaded machine)."""
    key = json.dumps([options, timeout, max_memory_mb], sort_keys=True, default=str)
    if key not in _POOLS:
        _POOLS[key] = Pool(
            1, timeout=timeout, max_memory_mb=max_memory_mb, opts=options, persistent=True
        )
    return _POOLS[key]


def convert_batch(
    batch: dict,
    *,
    options: dict | None = None,
    timeout: float | None = 120.0,
    max_memory_mb: int | None = 2048,
    isolate: bool = True,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    render: dict | None = None,
    relative_to: str | None = None,
):
    """``map_batches`` function: {"bytes": [...], "path": [...]} -> one output row per document
    (a pyarrow Table with the columns typed as in the local Parquet sink).

    ``isolate``: convert in a child process (crash / memory / timeout isolation); False converts
    in the Ray worker itself (faster for trusted input, but a PDFium crash kills the Ray task).
    """
    from reflow.batch import convert_task

    paths = [str(p) for p in batch["path"]]
    tasks = [
        {
            "i": i,
            "data": bytes(data),
            "name": paths[i],
            "key": paths[i],
            "formats": tuple(f for f in formats if f != "json"),
            "record": "json" in formats,
            "render": render or {},
            "timeout": timeout,
        }
        for i, data in enumerate(batch["bytes"])
    ]
    results: dict[int, dict] = {}
    if isolate:
        _pool(options or {}, timeout, max_memory_mb).run(
            tasks, lambda r: results.__setitem__(r["i"], r)
        )
    else:
        for t in tasks:
            results[t["i"]] = convert_task(t, options or {})
    rows = [
        _row(
            _shown_path(paths[i], relative_to),
            results.get(i, {"ok": False, "kind": "crash"}),
            formats,
        )
        for i in range(len(tasks))
    ]
    names = (*BASE_FIELDS, *(FORMAT_COLUMNS[f] for f in formats))
    data = {name: [r[name] for r in rows] for name in names}
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - Ray Data needs pyarrow
        return data
    # Typed columns even where a batch has only nulls (every document failed, no language).
    return pa.Table.from_pydict(data, schema=_schema(names))


def _schema(names):
    import pyarrow as pa

    from reflow.batch.sinks import parquet_schema

    known = {f.name: f.type for f in parquet_schema()}
    return pa.schema([(n, known.get(n, pa.string())) for n in names])


def _init_ray(jobs: int | None, progress: bool, verbose: bool = False):
    """Ray, started (or joined, with RAY_ADDRESS) quietly: its own log lines only with
    ``verbose``, its progress bars only with ``progress`` on a terminal."""
    if not verbose:
        # Set before Ray is imported: its import-time and worker loggers read these.
        os.environ.setdefault("RAY_DEDUP_LOGS", "1")
        os.environ.setdefault("RAY_LOG_TO_STDERR", "0")
        os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "0" if progress else "1")
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(
            "--engine ray needs Ray, which is not installed: pip install 'ray[data]' (reflow's [ray] extra)"
        ) from None
    level = logging.INFO if verbose else logging.ERROR
    for name in ("ray", "ray.data", "ray._private", "ray.data._internal"):
        logging.getLogger(name).setLevel(level)
    if not ray.is_initialized():
        kw: dict[str, Any] = {
            "ignore_reinit_error": True,
            "log_to_driver": verbose,
            "logging_level": level,
        }
        if not os.environ.get("RAY_ADDRESS"):
            kw["include_dashboard"] = False
            if jobs:
                kw["num_cpus"] = jobs
        ray.init(**kw)  # RAY_ADDRESS, when set, names the cluster to join
    ctx = ray.data.DataContext.get_current()
    show_bars = bool(progress) and (verbose or sys.stderr.isatty())
    if hasattr(ctx, "enable_progress_bars"):
        ctx.enable_progress_bars = show_bars
    if hasattr(ctx, "print_on_execution_start"):
        ctx.print_on_execution_start = verbose
    if hasattr(ctx, "enable_operator_progress_bars"):
        ctx.enable_operator_progress_bars = show_bars
    return ray


def _prepare_dest(dest: str, force: bool) -> None:
    if _is_uri(dest):
        return
    p = Path(dest)
    if p.exists() and (p.is_file() or any(p.iterdir())):
        if not force:
            raise UsageError(f"{dest} exists (Ray writes a dataset directory); --force replaces it")
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()


def run_ray(
    inputs: list[str],
    dest: str,
    *,
    fmt: str = "parquet",
    jobs: int | None = None,
    timeout: float | None = 120.0,
    max_memory_mb: int | None = 2048,
    options: dict | None = None,
    force: bool = False,
    progress: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    isolate: bool = True,
    to: str | None = None,
    render: dict | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Convert ``inputs`` with Ray Data and write a Parquet or JSONL dataset to ``dest``.

    ``to``: the output format(s) as columns (``md`` -> markdown, ``json``, ``txt`` -> text,
    ``html``, ``chunks``, ``body``; ``both`` or None: markdown and json). Paths in the rows are
    relative to the current directory when the inputs were named by relative paths. Ray's own
    log lines show only with ``verbose``.
    Returns {"documents", "failed", "pages", "seconds", "failures": [(path, kind, message)]};
    failures are read back from ``dest`` when it is local (empty list otherwise).
    """
    formats = DEFAULT_FORMATS if to in (None, "both") else (to,)
    local = [s for s in inputs if not _is_uri(s)]
    relative_to = os.getcwd() if local and not any(os.path.isabs(s) for s in local) else None
    sources = resolve_sources(inputs)
    if not _is_uri(dest):  # Ray's workers run in a directory of their own
        dest = str(Path(dest).resolve())
    _prepare_dest(dest, force)
    ray = _init_ray(jobs, progress, verbose)
    t0 = time.monotonic()
    read_kw: dict[str, Any] = {"include_paths": True}
    if any(_is_uri(s) for s in sources):
        read_kw["file_extensions"] = ["pdf", "txt", "PDF", "TXT"]
    ds = ray.data.read_binary_files(sources, **read_kw)
    ds = ds.map_batches(
        convert_batch,
        batch_size=batch_size,
        batch_format="numpy",
        fn_kwargs={
            "options": options or {},
            "timeout": timeout,
            "max_memory_mb": max_memory_mb,
            "isolate": isolate,
            "formats": formats,
            "render": render or {},
            "relative_to": relative_to,
        },
    )
    if fmt == "jsonl":
        ds.write_json(dest)
    else:
        ds.write_parquet(dest)
    seconds = time.monotonic() - t0
    out = {"documents": 0, "failed": 0, "pages": 0, "seconds": seconds, "failures": []}
    if not _is_uri(dest):
        for row in _read_back(dest, fmt):
            out["documents"] += 1
            out["pages"] += int(row.get("pages") or 0)
            if row.get("error_kind"):
                out["failed"] += 1
                out["failures"].append((row["path"], row["error_kind"], row.get("error")))
    return out


def _read_back(dest: str, fmt: str):
    """The small columns of the written dataset (to count documents and list failures)."""
    cols = ["path", "error_kind", "error", "pages"]
    if fmt == "jsonl":
        for f in sorted(Path(dest).rglob("*.json*")):
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        yield {c: rec.get(c) for c in cols}
        return
    import pyarrow.dataset as pads

    table = pads.dataset(dest, format="parquet").to_table(columns=cols)
    yield from table.to_pylist()


def run_ray_cli(args) -> int:
    if args.parquet and args.jsonl:
        print(
            "reflow: error: --engine ray writes one dataset: --parquet or --jsonl", file=sys.stderr
        )
        return EXIT_USAGE
    dest = args.parquet or args.jsonl or args.output
    if not dest:
        print("reflow: error: --engine ray needs -o, --parquet or --jsonl", file=sys.stderr)
        return EXIT_USAGE
    as_jsonl = args.jsonl or (
        not args.parquet and Path(dest.rstrip("/")).suffix.lower() in (".jsonl", ".json")
    )
    fmt = "jsonl" if as_jsonl else "parquet"
    quiet = getattr(args, "quiet", False)
    try:
        out = run_ray(
            args.inputs,
            dest,
            fmt=fmt,
            jobs=args.jobs,
            timeout=args.timeout,
            max_memory_mb=args.max_memory,
            options=convert_options(args),
            force=args.force,
            progress=not args.no_progress and not quiet,
            to=args.to,
            render=render_options(args),
            verbose=getattr(args, "verbose", False),
        )
    except UsageError as e:
        print(f"reflow: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    secs = out["seconds"] or 1e-9
    report = args.report
    if report is None and not _is_uri(dest):
        report = str(Path(dest).with_name(Path(dest).name.rstrip("/") + ".report.jsonl"))
    if report:
        lines = [
            json.dumps({"path": p, "kind": k, "message": m}, ensure_ascii=False) + "\n"
            for p, k, m in out["failures"]
        ]
        write_atomic(Path(report), "".join(lines))
    msg = (
        f"reflow: ray: wrote {out['documents']} documents to {dest} ({fmt}), failed "
        f"{out['failed']}, in {secs:.1f} s ({out['documents'] / secs:.1f} docs/s, "
        f"{out['pages'] / secs:.1f} pages/s)"
    )
    if out["failed"] and report:
        msg += f"; failures listed in {report}"
    if not quiet or out["failed"]:
        print(msg, file=sys.stderr, flush=True)
    return 1 if out["failed"] else 0
