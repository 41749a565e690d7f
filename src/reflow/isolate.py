"""One conversion in a child process, watched by its parent: whatever happens in the child (an
abort in PDFium when memory runs out under ``ulimit -v``, a crash, a hang in native code), the
parent prints the one error line and exits with its code.

The child is a plain ``fork()`` of the command (nothing to import again, a few milliseconds); it
converts and writes the outputs itself, so nothing large crosses between the two. Platforms
without ``fork`` run the work in-process, as before.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time
from collections.abc import Callable

from reflow.errors import EXIT_INTERNAL, LimitExceededError

GRACE = 5.0  # seconds past the timeout before the parent kills a child stuck in native code


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name  # SIGABRT, not its alias SIGIOT
    except ValueError:
        return f"signal {sig}"


def supervise(work: Callable[[], int], label: str, timeout: float | None) -> int:
    """Run ``work()`` (returns an exit code) in a child process; return its exit code, or print
    the error line for a child that died or hung and return that kind's code."""
    if not hasattr(os, "fork"):
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:  # no memory or process slot for a child: convert here, as without fork
        return work()
    if pid == 0:  # the child
        code = EXIT_INTERNAL
        try:
            code = work()
        except KeyboardInterrupt:
            print("reflow: interrupted", file=sys.stderr)
            code = 130
        except MemoryError:
            print(f"reflow: error: {label}: out of memory", file=sys.stderr)
            code = LimitExceededError.exit_code
        except BaseException as e:  # noqa: BLE001 - never a traceback
            print(
                f"reflow: error: {label}: internal error ({type(e).__name__}: {e}); "
                "please report it with the file",
                file=sys.stderr,
            )
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(code)
    return _watch(pid, label, timeout)


def _watch(pid: int, label: str, timeout: float | None) -> int:
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the child reports it

    def on_term(signum, frame):
        _kill(pid)
        sys.exit(128 + signum)

    old_term = signal.signal(signal.SIGTERM, on_term)
    try:
        limit = timeout + GRACE if timeout and timeout > 0 else None
        status = _wait(pid, limit)
        if status is None:
            _kill(pid)
            err = LimitExceededError(label, f"timed out after {timeout:g} s (per-document limit)")
            print(f"reflow: error: {err}", file=sys.stderr, flush=True)
            return err.exit_code
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    sig = os.WTERMSIG(status)
    name = _signame(sig)
    if sig in (signal.SIGABRT, signal.SIGKILL) and _memory_capped():
        err = LimitExceededError(label, f"out of memory (the conversion was ended by {name})")
        print(f"reflow: error: {err}", file=sys.stderr, flush=True)
        return err.exit_code
    print(
        f"reflow: error: {label}: internal error (the conversion crashed with {name}); "
        "please report it with the file",
        file=sys.stderr,
        flush=True,
    )
    return EXIT_INTERNAL


def _memory_capped() -> bool:
    """A memory limit is set on this process (``ulimit -v``, a container's RLIMIT_AS)."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        return soft != resource.RLIM_INFINITY
    except (ImportError, OSError, ValueError):
        return False


def _wait(pid: int, limit: float | None):
    """The child's wait status, or None when ``limit`` seconds pass first."""
    deadline = None if limit is None else time.monotonic() + limit
    fd = None
    if hasattr(os, "pidfd_open"):
        try:
            fd = os.pidfd_open(pid)
        except OSError:
            fd = None
    try:
        delay = 0.001
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return 0
            if done:
                return status
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            if fd is not None:
                try:
                    select.select([fd], [], [], left)
                except InterruptedError:
                    pass
            else:
                time.sleep(delay if left is None else min(delay, left))
                delay = min(delay * 2, 0.05)
    finally:
        if fd is not None:
            os.close(fd)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass
