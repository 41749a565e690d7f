"""Convert inputs in a separate, long-lived process, so a crash in PDFium (a segfault, an abort)
or a hang kills only the worker: the caller sees it, saves the input, and starts a new worker.

Worker side (``python fuzz_worker.py``): reads frames from stdin (4-byte little-endian length,
1 byte kind "p" for bytes through ``reflow.convert`` or "t" for text through
``reflow.convert_text``, payload) and writes one JSON line per frame:
``{"status": "ok" | "error" | "exception", ...}``.

Caller side: ``Worker().convert(data)`` returns that dict, or ``{"status": "crash", "rc": ...}``
when the worker died, or ``{"status": "hang"}`` when it did not answer in time (it is killed).
"""

from __future__ import annotations

import json
import os
import selectors
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKER_TIMEOUT = 30.0  # reflow's own deadline inside the worker
HANG_AFTER = 90.0  # the caller's patience


def _serve() -> None:  # pragma: no cover - runs in the worker process
    import traceback

    import reflow
    from reflow.errors import ReflowError
    from reflow.safety import time_limit

    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the library prints goes to stderr, not into the answers
    inp = sys.stdin.buffer
    while True:
        head = inp.read(5)
        if len(head) < 5:
            return
        (n,) = struct.unpack("<I", head[:4])
        kind = head[4:5]
        data = inp.read(n)
        t0 = time.monotonic()
        try:
            with time_limit(WORKER_TIMEOUT, "fuzz"):
                if kind == b"t":
                    doc = reflow.convert_text(data.decode("utf-8"))
                else:
                    doc = reflow.convert(data, name="fuzz.pdf")
                md, js, tx = doc.markdown, doc.to_json(), doc.text
            res = {
                "status": "ok",
                "text": tx,
                "removed": [r.text for r in doc.removed],
                "urls": doc.urls,
                "meta": [doc.metadata.title or "", doc.metadata.date or "", doc.metadata.url or ""]
                + list(doc.metadata.authors),
                "warnings": doc.warnings,
                "sizes": [len(md), len(js)],
            }
        except ReflowError as e:
            res = {"status": "error", "kind": e.kind, "message": str(e)}
        except BaseException as e:  # noqa: BLE001 - report everything else as a finding
            res = {
                "status": "exception",
                "type": type(e).__name__,
                "message": str(e)[:500],
                "traceback": traceback.format_exc()[-3000:],
            }
        res["seconds"] = round(time.monotonic() - t0, 3)
        out.write(json.dumps(res) + "\n")
        out.flush()


class Worker:
    """The caller's handle on one worker process (restarted after a crash or a hang)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()
        self.restarts = 0

    def _start(self) -> None:
        env = dict(os.environ, **(self.env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        self._buf = b""

    def _stop(self) -> int | None:
        p, self.proc = self.proc, None
        if p is None:
            return None
        if p.poll() is None:
            p.kill()
        rc = p.wait()
        for f in (p.stdin, p.stdout):
            try:
                f.close()
            except OSError:
                pass
        return rc

    def close(self) -> None:
        self._stop()
        self.log.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _readline(self, timeout: float) -> bytes | None:
        """A line from the worker; b"" when it died; None when it took too long."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buf:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return b""
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line

    def convert(self, data: bytes, kind: str = "p", timeout: float = HANG_AFTER) -> dict:
        if self.proc is None:
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(struct.pack("<I", len(data)) + kind.encode()[:1] + data)
            self.proc.stdin.flush()
            line = self._readline(timeout)
        except (BrokenPipeError, OSError):
            line = b""
        if line is None:
            self._stop()
            self.restarts += 1
            return {"status": "hang"}
        if not line:
            rc = self._stop()
            self.restarts += 1
            return {"status": "crash", "rc": rc}
        return json.loads(line)

    def convert_text(self, text: str, timeout: float = HANG_AFTER) -> dict:
        return self.convert(text.encode("utf-8", "surrogatepass"), "t", timeout)


if __name__ == "__main__":  # pragma: no cover
    _serve()
