"""Worker processes: each converts one document at a time under a memory limit
(``RLIMIT_AS``) and an in-process deadline, and returns only the rendered strings; the parent
kills a worker stuck past ``--timeout``, replaces one that died (the document fails with kind
``timeout`` / ``crash`` / ``memory``) and recycles workers after ``--recycle`` documents."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any

DEFAULT_RECYCLE = 100
KILL_GRACE = 3.0  # seconds past --timeout before the parent kills a stuck worker


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


def _render(doc, fmt: str, options: dict | None = None) -> str:
    from reflow.render import render

    return render(doc, fmt, **(options or {}))


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
    if task.get("options"):  # per-task options (the server's requests) over the worker's
        opts = {**opts, **task["options"]}
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
            if task.get("images") and not isinstance(src, bytes | bytearray):
                from reflow.readers.images import save_images

                save_images(doc, src, task["images"], Path(src).stem, task["images"])
        rendering = task.get("render") or {}
        files = {fmt: _render(doc, fmt, rendering) for fmt in task.get("formats", ())}
        meta = doc.metadata.to_dict()
        pages = int(meta.get("pages") or len(getattr(doc, "pages", ()) or ()))
        empty = not any(b.text.strip() or b.rows for b in getattr(doc, "blocks", ()))
        res.update(ok=True, files=files, metadata=meta, pages=pages, empty=empty)
        if empty:
            why = "; ".join(getattr(doc, "warnings", ()) or ()) or "no text left"
            res["message"] = f"{name}: converted, but the result is empty ({why})"
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
        ctx.set_forkserver_preload(["reflow", "reflow.batch.pool", "reflow.readers.pdf"])
        return ctx
    return multiprocessing.get_context("spawn")


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name  # SIGABRT, not its alias SIGIOT
    except ValueError:
        return f"signal {sig}"


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
            sig = _signame(-code)
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


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
