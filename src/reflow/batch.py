"""Batch conversion: many documents in parallel, with progress, resume and a failure report.

    reflow convert DIR|GLOB|FILE... -o OUTDIR [--to md|json|txt|both] [--jsonl F] [--parquet F]

The parent process finds the inputs, decides what is already done, hands documents to a pool of
worker processes and writes what comes back. Each worker converts one document at a time under a
memory limit (``RLIMIT_AS``) and returns only the rendered strings; the parent writes them
atomically and forgets them, so memory stays flat however many documents there are.

Isolation: a worker that hangs is killed at ``--timeout``; a worker that dies (a crash in PDFium,
an out-of-memory kill, a signal) costs only its document, recorded with kind ``timeout`` /
``crash`` / ``memory``; a fresh worker takes its place. Workers are recycled after ``--recycle``
documents.

Resume: outputs are written to a temporary file beside the target, fsynced and renamed, so a
killed batch leaves whole files or none. A re-run skips documents whose outputs all exist and are
not older than the input (``--force`` redoes them). The JSONL sink is read back on a re-run: the
records of documents converted from an unchanged input are kept, failed, stale, duplicate and
torn (half-written) records are dropped, and new records are appended. The Parquet sink collects
records in a hidden staging JSONL beside it (``.NAME.parts.jsonl``, resumed the same way) and
writes the Parquet file from it at the end, atomically; a re-run over a complete Parquet file
reads its rows back first.
"""

from __future__ import annotations

import contextlib
import glob
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any

SUFFIXES = (".pdf", ".txt")
EXT = {"md": ".md", "json": ".json", "txt": ".txt"}
DEFAULT_RECYCLE = 100
DEFAULT_REPORT = "reflow-report.jsonl"
PLAIN_PROGRESS_EVERY = 5.0  # seconds between plain progress lines (stderr not a TTY)
KILL_GRACE = 3.0  # seconds past --timeout before the parent kills a stuck worker
PARQUET_CHUNK = 256  # records per Parquet row group written from the staging file


class UsageError(Exception):
    """A batch that cannot start (no inputs, an output that would overwrite an input, ...)."""


# --------------------------------------------------------------------------------------------
# Inputs and outputs


@dataclass
class Task:
    """One document to convert and where its outputs go."""

    index: int
    src: Path
    key: str  # the path as recorded in reports and sinks
    rel: Path  # path relative to its input root: mirrored under OUTDIR
    mtime_ns: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)  # format -> output file


def _is_glob(s: str) -> bool:
    return any(c in s for c in "*?[")


def _glob_base(pattern: str) -> Path:
    """The directory part of a glob before its first wildcard ("docs/2020/*/a*.pdf" -> docs/2020)."""
    parts = Path(pattern).parts
    base: list[str] = []
    for p in parts[:-1]:
        if _is_glob(p):
            break
        base.append(p)
    return Path(*base) if base else Path(".")


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def _inside(path: Path, root: Path | None) -> bool:
    if root is None:
        return False
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def collect_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[tuple[Path, Path]]:
    """Expand files, directories and globs into (file, path relative to its root), sorted.

    Explicit files are taken as given; directories (recursively) and globs yield ``*.pdf`` and
    ``*.txt`` (any case). Files under ``exclude`` (the output directory) are left out, so a re-run
    does not take its own outputs as inputs. A missing file raises UsageError.
    """
    excl = exclude.resolve() if exclude is not None else None
    found: list[tuple[Path, Path]] = []
    seen: set[str] = set()

    def add(path: Path, rel: Path) -> None:
        real = os.path.realpath(path)
        if real in seen or _inside(path, excl):
            return
        seen.add(real)
        found.append((path, rel))

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    f = Path(dirpath) / name
                    if _wanted(f):
                        add(f, f.relative_to(p))
        elif p.is_file():
            add(p, Path(p.name))
        elif _is_glob(item):
            base = _glob_base(item)
            for m in sorted(glob.glob(item, recursive=True)):
                mp = Path(m)
                if mp.is_dir():
                    for f in sorted(mp.rglob("*")):
                        if f.is_file() and _wanted(f):
                            add(f, f.relative_to(base))
                elif mp.is_file() and _wanted(mp):
                    try:
                        rel = mp.relative_to(base)
                    except ValueError:
                        rel = Path(mp.name)
                    add(mp, rel)
        else:
            raise UsageError(f"{item}: no such file or directory")
    return found


def plan_outputs(
    found: list[tuple[Path, Path]], outdir: Path | None, formats: list[str]
) -> list[Task]:
    """Name each document's outputs: the input tree mirrored under OUTDIR, suffix replaced.

    Two inputs that would give the same output ("a.pdf" and "a.txt" -> "a.md") keep their full
    name for the later one ("a.txt.md"), so no output is silently overwritten.
    """
    tasks: list[Task] = []
    taken: set[str] = set()
    for i, (src, rel) in enumerate(found):
        stem = rel.with_suffix("")
        if str(stem).lower() in taken:
            stem = rel
            n = 2
            while str(stem).lower() in taken:
                stem = rel.with_name(f"{rel.name}~{n}")
                n += 1
        taken.add(str(stem).lower())
        try:
            mtime = src.stat().st_mtime_ns
        except OSError:
            mtime = 0
        t = Task(index=i, src=src, key=str(src), rel=rel, mtime_ns=mtime)
        if outdir is not None:
            for fmt in formats:
                out = outdir / stem.parent / (stem.name + EXT[fmt])
                if os.path.realpath(out) == os.path.realpath(src):
                    raise UsageError(f"{src}: output {out} would overwrite the input")
                t.outputs[fmt] = out
        tasks.append(t)
    return tasks


def outputs_fresh(task: Task) -> bool:
    """All outputs exist and none is older than the input."""
    if not task.outputs:
        return True
    for out in task.outputs.values():
        try:
            if out.stat().st_mtime_ns < task.mtime_ns:
                return False
        except OSError:
            return False
    return True


def remove_stale_temps(tasks: list[Task]) -> int:
    """Delete temporary files a killed run left beside the outputs (".NAME.PID.tmp")."""
    by_dir: dict[Path, set[str]] = {}
    for t in tasks:
        for out in t.outputs.values():
            by_dir.setdefault(out.parent, set()).add(out.name)
    removed = 0
    for d, names in by_dir.items():
        try:
            entries = os.listdir(d)
        except OSError:
            continue
        for e in entries:
            if e.startswith(".") and e.endswith(".tmp"):
                base = e[1:-4].rsplit(".", 1)[0]
                if base in names:
                    try:
                        os.unlink(d / e)
                        removed += 1
                    except OSError:
                        pass
    return removed


def convert_options(args) -> dict:
    """The keyword arguments of ``reflow.convert`` that the command line set."""
    options = {"password": args.password, "article": args.article}
    options = {k: v for k, v in options.items() if v is not None}
    if args.front_matter:
        options["front_matter"] = True
    return options


def write_atomic(path: Path, data: str) -> None:
    """Temp file in the same directory, fsync, rename: a reader sees the whole file or none."""
    from reflow.cli import write_atomic as _write

    _write(path, data)


# --------------------------------------------------------------------------------------------
# Records (JSONL / Parquet)


def record_line(
    key: str,
    mtime_ns: int,
    *,
    metadata: dict | None = None,
    markdown: str | None = None,
    json_text: str | None = None,
    kind: str | None = None,
    error: str | None = None,
    pages: int = 0,
    seconds: float = 0.0,
) -> str:
    """One JSONL record: path, error (kind + message), metadata, markdown and the document JSON.

    ``json_text`` is the document's compact JSON, spliced in as it is (no re-parse).
    """
    head = {
        "path": key,
        "source_mtime_ns": mtime_ns,
        "error_kind": kind,
        "error": error,
        "pages": pages,
        "seconds": round(seconds, 4),
        "metadata": metadata,
        "markdown": markdown,
    }
    s = json.dumps(head, ensure_ascii=False)
    return s[:-1] + ', "json": ' + (json_text or "null") + "}\n"


PARQUET_FIELDS = (
    ("path", "string"),
    ("error_kind", "string"),
    ("error", "string"),
    ("pages", "int64"),
    ("seconds", "float64"),
    ("title", "string"),
    ("metadata", "string"),  # JSON text
    ("markdown", "string"),
    ("json", "string"),  # the document's JSON text
    ("source_mtime_ns", "int64"),
)


def parquet_row(rec: dict) -> dict:
    """A JSONL record as a flat Parquet row: metadata and document JSON as JSON text."""
    meta = rec.get("metadata")
    doc = rec.get("json")
    return {
        "path": rec.get("path"),
        "error_kind": rec.get("error_kind"),
        "error": rec.get("error"),
        "pages": int(rec.get("pages") or 0),
        "seconds": float(rec.get("seconds") or 0.0),
        "title": (meta or {}).get("title"),
        "metadata": json.dumps(meta, ensure_ascii=False) if meta is not None else None,
        "markdown": rec.get("markdown"),
        "json": json.dumps(doc, ensure_ascii=False) if doc is not None else None,
        "source_mtime_ns": int(rec.get("source_mtime_ns") or 0),
    }


def _require_pyarrow(what: str):
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise UsageError(
            f"{what} needs pyarrow, which is not installed: pip install 'reflow[parquet]'"
        ) from None
    return pyarrow


class JsonlSink:
    """Append-only JSONL of one record per document, resumable.

    On open (unless ``force``) the file is read back: records of successful conversions whose
    input is unchanged are kept and their paths reported as done; failed, stale, duplicate and
    torn records are dropped (the file is rewritten atomically only if something was dropped).
    Records are appended with one ``write`` each on an O_APPEND descriptor.
    """

    def __init__(self, path: Path, force: bool = False):
        self.path = path
        self.force = force
        self.fd: int | None = None
        self.written = 0
        self.kept = 0

    def open(self, tasks: list[Task]) -> set[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done: set[str] = set()
        if self.force or not self.path.exists():
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        else:
            done = self._compact({t.key: t.mtime_ns for t in tasks})
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        self.fd = os.open(self.path, flags | os.O_APPEND, 0o644)
        return done

    def _compact(self, mtimes: dict[str, int]) -> set[str]:
        done: set[str] = set()
        dropped = 0
        keep_offsets: list[tuple[int, int]] = []
        with open(self.path, "rb") as f:
            pos = 0
            for raw in f:
                start, pos = pos, pos + len(raw)
                try:
                    if not raw.endswith(b"\n"):
                        raise ValueError("torn record")
                    rec = json.loads(raw)
                    key = rec["path"]
                except (ValueError, KeyError, TypeError):
                    dropped += 1
                    continue
                ok = rec.get("error") is None and rec.get("error_kind") is None
                fresh = key not in mtimes or rec.get("source_mtime_ns") == mtimes[key]
                if not ok or not fresh or key in done:
                    dropped += 1
                    continue
                done.add(key)
                keep_offsets.append((start, pos))
        self.kept = len(done)
        if dropped:
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            try:
                with open(self.path, "rb") as src, open(tmp, "wb") as dst:
                    for start, end in keep_offsets:
                        src.seek(start)
                        dst.write(src.read(end - start))
                    dst.flush()
                    os.fsync(dst.fileno())
                os.replace(tmp, self.path)
            finally:
                if tmp.exists():
                    tmp.unlink()
        return done

    def append(self, line: str) -> None:
        assert self.fd is not None
        data = line.encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        self.written += 1

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.fsync(self.fd)
            finally:
                os.close(self.fd)
                self.fd = None


class ParquetSink(JsonlSink):
    """Parquet file written at the end from a staging JSONL beside it (resumable the same way)."""

    def __init__(self, path: Path, force: bool = False):
        _require_pyarrow("--parquet")
        self.target = path
        super().__init__(path.with_name(f".{path.name}.parts.jsonl"), force)

    def open(self, tasks: list[Task]) -> set[str]:
        if not self.force and not self.path.exists() and self.target.exists():
            self._seed_from_parquet()
        return super().open(tasks)

    def _seed_from_parquet(self) -> None:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.target)
        except Exception:  # noqa: BLE001 - an unreadable old file is simply redone
            return
        tmp = self.path.with_name(self.path.name + ".seed.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for batch in pf.iter_batches(batch_size=PARQUET_CHUNK):
                for row in batch.to_pylist():
                    meta = json.loads(row["metadata"]) if row.get("metadata") else None
                    out.write(
                        record_line(
                            row["path"],
                            row.get("source_mtime_ns") or 0,
                            metadata=meta,
                            markdown=row.get("markdown"),
                            json_text=row.get("json"),
                            kind=row.get("error_kind"),
                            error=row.get("error"),
                            pages=row.get("pages") or 0,
                            seconds=row.get("seconds") or 0.0,
                        )
                    )
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def finish(self) -> None:
        """Write the Parquet file from the staging records, atomically, then drop the staging."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.close()
        schema = pa.schema([(n, getattr(pa, t)()) for n, t in PARQUET_FIELDS])
        self.target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.target.with_name(f".{self.target.name}.{os.getpid()}.tmp")
        try:
            with pq.ParquetWriter(tmp, schema) as writer, open(self.path, "rb") as f:
                rows: list[dict] = []
                for raw in f:
                    if not raw.endswith(b"\n"):
                        continue
                    rows.append(parquet_row(json.loads(raw)))
                    if len(rows) >= PARQUET_CHUNK:
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        rows = []
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, self.target)
        finally:
            if tmp.exists():
                tmp.unlink()
        self.path.unlink()


# --------------------------------------------------------------------------------------------
# Workers


def _limit_memory(max_memory_mb: int | None) -> None:
    if not max_memory_mb or max_memory_mb <= 0:
        return
    try:
        import resource

        limit = int(max_memory_mb) * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _peak_rss_kb() -> int:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except (ImportError, OSError):
        return 0


def _render(doc, fmt: str) -> str:
    from reflow.cli import render

    return render(doc, fmt)


def _time_limit(seconds: float | None, label: str):
    """The in-process deadline (SIGALRM) of reflow.safety: a timeout in Python code ends the
    document cleanly and keeps the worker; the parent's kill is the backstop for native hangs."""
    try:
        from reflow.safety import time_limit
    except ImportError:  # pragma: no cover - safety.py absent
        return contextlib.nullcontext()
    return time_limit(seconds, label)


def convert_task(task: dict, opts: dict, convert_fn: Callable | None = None) -> dict:
    """Convert one document in this process; return only strings and small facts."""
    from reflow.errors import ReflowError

    if convert_fn is None:
        from reflow.pipeline import convert as convert_fn
    t0, c0 = time.perf_counter(), time.process_time()
    src = task.get("data") if task.get("data") is not None else task["src"]
    name = task.get("name") or task.get("key") or str(task.get("src"))
    res: dict[str, Any] = {"i": task["i"], "ok": False, "kind": None, "message": None}
    try:
        delay = float(os.environ.get("REFLOW_TEST_DELAY") or 0)
        if delay > 0:  # test hook: make documents slow so a test can kill a batch mid-run
            time.sleep(delay)
        with _time_limit(task.get("timeout"), name):
            if isinstance(src, bytes | bytearray):
                doc = convert_fn(bytes(src), name=name, **opts)
            else:
                doc = convert_fn(src, **opts)
        files = {fmt: _render(doc, fmt) for fmt in task.get("formats", ())}
        meta = doc.metadata.to_dict()
        pages = int(meta.get("pages") or len(getattr(doc, "pages", ()) or ()))
        res.update(ok=True, files=files, metadata=meta, pages=pages)
        if task.get("record"):
            res["markdown"] = files.get("md") if "md" in files else doc.markdown
            res["json_text"] = doc.to_json(indent=None)
    except ReflowError as e:
        timed_out = e.kind == "limit" and "timed out" in getattr(e, "reason", "")
        res.update(kind="timeout" if timed_out else e.kind, message=str(e))
    except MemoryError:
        res.update(kind="memory", message=f"{name}: out of memory")
    except RecursionError:
        res.update(kind="internal", message=f"{name}: internal error (recursion too deep)")
    except Exception as e:  # noqa: BLE001 - one hostile document must not stop the batch
        res.update(kind="internal", message=f"{name}: internal error ({type(e).__name__}: {e})")
    res["seconds"] = time.perf_counter() - t0
    res["cpu"] = time.process_time() - c0
    res["rss_kb"] = _peak_rss_kb()
    return res


def _worker_main(conn, max_memory_mb: int | None, opts: dict, convert_fn) -> None:
    """Worker loop: receive a task, convert, send back the result; stop on None or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    _limit_memory(max_memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        res = convert_task(task, opts, convert_fn)
        try:
            conn.send(res)
        except (BrokenPipeError, EOFError, OSError):
            return
        except MemoryError:
            return
        if res.get("kind") == "memory":
            return  # a worker that ran out of memory is not trusted further


def _mp_context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # The fork server imports these once; every worker forks from it with them loaded.
        ctx.set_forkserver_preload(["reflow", "reflow.batch", "reflow.readers.pdf"])
        return ctx
    return multiprocessing.get_context("spawn")


_SIGNAMES = {getattr(signal, n): n for n in dir(signal) if n.startswith("SIG") and "_" not in n}


class _Worker:
    def __init__(self, ctx, max_memory_mb, opts, convert_fn):
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.proc = ctx.Process(
            target=_worker_main, args=(child, max_memory_mb, opts, convert_fn), daemon=True
        )
        self.proc.start()
        child.close()
        self.task: dict | None = None
        self.deadline = 0.0
        self.done = 0

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, ValueError):
            pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


class Pool:
    """Worker processes with a timeout watchdog, crash replacement and recycling.

    ``run(tasks, on_result)`` calls ``on_result(result)`` in the parent for every task, in
    completion order; a result is a dict with ``i``, ``ok``, ``kind``, ``message``, ``files``,
    ``metadata``, ``pages``, ``seconds``.
    """

    def __init__(
        self,
        jobs: int,
        *,
        timeout: float | None = 120.0,
        max_memory_mb: int | None = 2048,
        recycle: int = DEFAULT_RECYCLE,
        opts: dict | None = None,
        convert_fn: Callable | None = None,
        persistent: bool = False,
    ):
        self.jobs = max(1, jobs)
        self.persistent = persistent  # keep idle workers between run() calls
        self._kept: list[_Worker] = []
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_memory_mb = max_memory_mb
        self.recycle = max(1, recycle or DEFAULT_RECYCLE)
        self.opts = opts or {}
        self.convert_fn = convert_fn
        self.ctx = _mp_context()
        self.workers: list[_Worker] = []
        self.started = 0  # workers started (first ones + replacements)

    def _spawn(self) -> _Worker:
        self.started += 1
        return _Worker(self.ctx, self.max_memory_mb, self.opts, self.convert_fn)

    def _death(self, w: _Worker, killed_for_timeout: bool) -> dict:
        task = w.task or {}
        name = task.get("key") or task.get("name") or str(task.get("src"))
        if killed_for_timeout:
            return {
                "i": task.get("i"),
                "ok": False,
                "kind": "timeout",
                "message": f"{name}: timed out after {self.timeout:g} s (worker killed)",
            }
        w.proc.join(5)
        code = w.proc.exitcode
        if code is not None and code < 0:
            sig = _SIGNAMES.get(-code, f"signal {-code}")
            hint = " (out of memory?)" if -code in (signal.SIGKILL, signal.SIGABRT) else ""
            why = f"worker died with {sig}{hint}"
        else:
            why = f"worker exited with code {code}"
        return {"i": task.get("i"), "ok": False, "kind": "crash", "message": f"{name}: {why}"}

    def run(
        self,
        tasks: Iterable[dict],
        on_result: Callable[[dict], None],
        on_tick: Callable[[], None] | None = None,
        tick: float = 0.5,
    ) -> None:
        queue = deque(tasks)
        idle: list[_Worker] = [w for w in self._kept if w.proc.is_alive()]
        for w in self._kept:
            if w not in idle:
                w.kill()
        self._kept = []
        n = min(self.jobs, len(queue)) if queue else 0
        idle += [self._spawn() for _ in range(n - len(idle))]
        busy: list[_Worker] = []
        self.workers = idle + busy
        try:
            while queue or busy:
                while queue and idle:
                    w = idle.pop()
                    task = queue.popleft()
                    if self.timeout:
                        task = dict(task, timeout=self.timeout)
                    try:
                        if not w.proc.is_alive():
                            raise OSError("worker gone")
                        w.conn.send(task)
                    except (OSError, ValueError):  # died while idle: replace, retry the task
                        w.kill()
                        queue.appendleft(task)
                        idle.append(self._spawn())
                        continue
                    w.task = task
                    w.deadline = (
                        time.monotonic() + self.timeout + KILL_GRACE
                        if self.timeout
                        else float("inf")
                    )
                    busy.append(w)
                now = time.monotonic()
                wait_for = tick
                if busy and self.timeout:
                    wait_for = max(0.0, min(tick, min(w.deadline for w in busy) - now))
                ready = mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for)
                ready_set = set(ready)
                for w in list(busy):
                    if w.conn in ready_set or w.proc.sentinel in ready_set:
                        res = None
                        try:
                            if w.conn.poll():
                                res = w.conn.recv()
                        except (EOFError, OSError):
                            res = None
                        if res is None and w.proc.is_alive() and w.proc.sentinel not in ready_set:
                            continue  # spurious wake-up
                        busy.remove(w)
                        if res is not None:
                            w.done += 1
                            w.task = None
                            spent = w.done >= self.recycle or res.get("kind") == "memory"
                            on_result(res)
                            if spent:
                                w.stop()
                                if queue:
                                    idle.append(self._spawn())
                            else:
                                idle.append(w)
                        else:
                            w.proc.join(5)
                            task = w.task or {}
                            if w.proc.exitcode == 0 and not task.get("retried"):
                                # A clean exit is not the document's doing: try it once more.
                                queue.appendleft(dict(task, retried=True))
                            else:
                                on_result(self._death(w, False))
                            w.kill()
                            if queue:
                                idle.append(self._spawn())
                    elif w.deadline <= time.monotonic():
                        busy.remove(w)
                        w.kill()
                        on_result(self._death(w, True))
                        if queue:
                            idle.append(self._spawn())
                self.workers = idle + busy
                if on_tick is not None:
                    on_tick()
        finally:
            if self.persistent:
                self._kept = idle
            else:
                for w in idle:
                    w.stop()
            for w in busy:
                w.kill()
            self.workers = list(self._kept)

    def close(self) -> None:
        """Stop the workers a persistent pool keeps between runs."""
        for w in self._kept:
            w.stop()
        self._kept = []
        self.workers = []


# --------------------------------------------------------------------------------------------
# Progress


class Progress:
    """Documents/s, pages/s, ETA and failures so far on stderr: a rich bar on a terminal,
    plain periodic lines otherwise."""

    def __init__(self, total: int, enabled: bool, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.failed = 0
        self.pages = 0
        self.t0 = time.monotonic()
        self.last_line = self.t0
        self.rich = None
        self.plain = enabled and not (hasattr(self.stream, "isatty") and self.stream.isatty())
        if enabled and not self.plain and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self.rich = RichProgress(
                TextColumn("[bold]reflow"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[docs_s]:.1f} docs/s"),
                TextColumn("{task.fields[pages_s]:.1f} pages/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("[red]{task.fields[failed]} failed"),
                console=Console(file=self.stream),
                transient=False,
            )
            self.rich.start()
            self.task = self.rich.add_task(
                "convert", total=total, docs_s=0.0, pages_s=0.0, failed=0
            )

    def rates(self) -> tuple[float, float]:
        dt = max(1e-6, time.monotonic() - self.t0)
        return self.done / dt, self.pages / dt

    def eta(self) -> float | None:
        docs_s, _ = self.rates()
        if not self.done or docs_s <= 0:
            return None
        return (self.total - self.done) / docs_s

    def advance(self, pages: int, failed: bool) -> None:
        self.done += 1
        self.pages += pages
        self.failed += int(failed)
        self.update()

    def update(self) -> None:
        if self.rich is not None:
            docs_s, pages_s = self.rates()
            self.rich.update(
                self.task, completed=self.done, docs_s=docs_s, pages_s=pages_s, failed=self.failed
            )
        elif self.plain:
            now = time.monotonic()
            if now - self.last_line >= PLAIN_PROGRESS_EVERY and self.done < self.total:
                self.last_line = now
                self.line()

    def line(self) -> None:
        docs_s, pages_s = self.rates()
        eta = self.eta()
        eta_s = f", ETA {_fmt_secs(eta)}" if eta is not None else ""
        print(
            f"reflow: {self.done}/{self.total} documents, {docs_s:.1f} docs/s, "
            f"{pages_s:.1f} pages/s, {self.failed} failed{eta_s}",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.rich is not None:
            self.update()
            self.rich.stop()
            self.rich = None


def _fmt_secs(s: float) -> str:
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


# --------------------------------------------------------------------------------------------
# The batch


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


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


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
    """`reflow convert` with several inputs, a directory, a glob, a sink or another engine."""
    if getattr(args, "engine", "local") == "ray":
        from reflow.distributed import run_ray_cli

        return run_ray_cli(args)
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
