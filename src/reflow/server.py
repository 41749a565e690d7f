"""``reflow serve``: an HTTP API on Starlette and uvicorn (the ``[serve]`` extra).

    POST /convert?to=md|json|txt|body|html|chunks&pages=1,3-5&article=auto|true|false
                 &keep_furniture=true|false
         body: the file itself (any content type), or multipart/form-data with a ``file`` part
    GET  /health

Each request is converted in a worker process, as in a batch: under a memory limit
(``--max-memory``), killed at ``--timeout``, replaced when it dies, recycled after a number of
documents; a document that crashes PDFium costs only its own request. Uploads over
``--max-upload`` MiB are refused (413) before they are read whole. Errors are JSON:
``{"error": {"kind": "not-pdf", "message": "upload.pdf: not a PDF (no %PDF- header)"}}`` with a
status per kind (400 a bad parameter, 413 too large, 415 not a PDF, 422 a document that cannot
be converted, 500 a crash or a bug, 503 no worker free in time, 504 timed out).
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from typing import Any

from reflow.batch.pool import DEFAULT_RECYCLE, KILL_GRACE, _mp_context, _Worker
from reflow.errors import EXIT_USAGE

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "body": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "chunks": "application/x-ndjson",
}
STATUS = {
    "usage": 400,
    "too-large": 413,
    "not-pdf": 415,
    "encrypted": 422,
    "broken": 422,
    "empty": 422,
    "no-text": 422,
    "limit": 422,
    "memory": 500,
    "crash": 500,
    "internal": 500,
    "busy": 503,
    "timeout": 504,
}


class BadRequest(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class Workers:
    """Worker processes shared by the request threads: one document at a time each."""

    def __init__(
        self,
        jobs: int,
        *,
        timeout: float | None,
        max_memory_mb: int | None,
        recycle: int = DEFAULT_RECYCLE,
    ):
        self.jobs = max(1, jobs)
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_memory_mb = max_memory_mb
        self.recycle = recycle
        self.ctx = _mp_context()
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.started = 0
        for _ in range(self.jobs):
            self.idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        self.started += 1
        w = _Worker(self.ctx, self.max_memory_mb, {}, None)
        w.done = 0
        return w

    def convert(self, task: dict) -> dict:
        """Run one task in a free worker; a result dict as ``batch.pool.convert_task`` gives,
        or one with kind ``timeout`` / ``crash`` / ``busy``."""
        name = task.get("name") or "upload"
        wait = self.timeout or 120.0
        try:
            w = self.idle.get(timeout=wait)
        except queue.Empty:
            return {"ok": False, "kind": "busy", "message": "all workers busy; try again"}
        keep = True
        try:
            if not w.proc.is_alive():
                w.kill()
                w = self._spawn()
            if self.timeout:
                task = dict(task, timeout=self.timeout)
            w.conn.send(task)
            limit = self.timeout + KILL_GRACE if self.timeout else None
            if not w.conn.poll(limit):
                keep = False
                return {
                    "ok": False,
                    "kind": "timeout",
                    "message": f"{name}: timed out after {self.timeout:g} s (worker killed)",
                }
            try:
                res = w.conn.recv()
            except (EOFError, OSError):
                keep = False
                w.proc.join(5)
                code = w.proc.exitcode
                from reflow.batch.pool import _signame

                why = f"died with {_signame(-code)}" if code and code < 0 else f"exited ({code})"
                return {"ok": False, "kind": "crash", "message": f"{name}: worker {why}"}
            w.done += 1
            if res.get("kind") == "memory" or w.done >= self.recycle:
                keep = False
            return res
        except (OSError, ValueError) as e:
            keep = False
            return {"ok": False, "kind": "crash", "message": f"{name}: worker lost ({e})"}
        finally:
            if keep:
                self.idle.put(w)
            else:
                w.kill()
                self.idle.put(self._spawn())

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return


def _default_name(content_type: str) -> str:
    """An upload without a file name is named for its content type: a PDF must then be one (a
    text named .pdf is refused as not a PDF), text is read as extracted text."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/pdf":
        return "upload.pdf"
    if ctype.startswith("text/"):
        return "upload.txt"
    return "upload"


def _bool(value: str | None, name: str) -> bool | None:
    if value is None or value.lower() in ("", "auto"):
        return None
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise BadRequest("usage", f"{name}: expected true, false or auto, not {value!r}")


def request_task(params, data: bytes, filename: str) -> tuple[dict, str]:
    """The worker task for one request and the output format, from the query parameters."""
    from reflow.pagespec import parse_pages
    from reflow.render import FORMATS

    fmt = (params.get("to") or "md").lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise BadRequest("usage", f"to: one of {', '.join(FORMATS)}, not {fmt!r}")
    options: dict[str, Any] = {}
    article = _bool(params.get("article"), "article")
    if article is not None:
        options["article"] = article
    if params.get("pages"):
        try:
            options["pages"] = parse_pages(params["pages"])
        except ValueError as e:
            raise BadRequest("usage", f"pages: {e}") from None
    if _bool(params.get("front_matter"), "front_matter"):
        options["front_matter"] = True
    if _bool(params.get("keep_furniture"), "keep_furniture"):
        options["keep_furniture"] = True
    render: dict[str, Any] = {}
    if params.get("chunk_size"):
        from reflow.render.chunks import parse_size

        try:
            parse_size(params["chunk_size"])
        except ValueError as e:
            raise BadRequest("usage", f"chunk_size: {e}") from None
        render["chunk_size"] = params["chunk_size"]
    task = {
        "i": 0,
        "data": data,
        "name": filename,
        "key": filename,
        "formats": [fmt],
        "record": False,
        "options": options,
        "render": render,
    }
    return task, fmt


def create_app(
    *,
    jobs: int = 2,
    timeout: float | None = 120.0,
    max_memory_mb: int | None = 2048,
    max_upload_mb: float = 100,
):
    """The ASGI application (Starlette). Its worker processes start with the application and
    stop with it."""
    try:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse, Response
        from starlette.routing import Route
    except ImportError:
        raise ImportError(
            "reflow serve needs Starlette and uvicorn: pip install starlette uvicorn "
            "python-multipart (reflow's [serve] extra)"
        ) from None
    from contextlib import asynccontextmanager

    import anyio

    import reflow

    limit = int(max_upload_mb * 1024 * 1024)
    state: dict[str, Workers] = {}

    def error(kind: str, message: str) -> JSONResponse:
        body = {"error": {"kind": kind, "message": message}}
        return JSONResponse(body, status_code=STATUS.get(kind, 422))

    async def read_upload(request: Request) -> tuple[bytes, str]:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise BadRequest("too-large", f"upload of {int(length):,} bytes; limit {limit:,}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BadRequest("too-large", f"upload over {limit:,} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):

            async def receive():
                return {"type": "http.request", "body": body, "more_body": False}

            form = await Request(request.scope, receive).form(max_files=1, max_fields=20)
            upload = form.get("file")
            if upload is None or not hasattr(upload, "read"):
                files = [v for _, v in form.multi_items() if hasattr(v, "read")]
                if not files:
                    raise BadRequest("usage", "multipart upload without a file part")
                upload = files[0]
            data = await upload.read()
            part_type = getattr(upload, "content_type", "") or ""
            return data, upload.filename or _default_name(part_type)
        name = request.query_params.get("filename") or _default_name(ctype)
        return body, name

    async def convert(request: Request) -> Response:
        t0 = time.perf_counter()
        try:
            data, filename = await read_upload(request)
            task, fmt = request_task(request.query_params, data, filename)
        except BadRequest as e:
            return error(e.kind, str(e))
        res = await anyio.to_thread.run_sync(state["workers"].convert, task)
        if not res.get("ok"):
            return error(res.get("kind") or "internal", res.get("message") or filename)
        headers = {
            "X-Reflow-Pages": str(res.get("pages") or 0),
            "X-Reflow-Seconds": f"{time.perf_counter() - t0:.3f}",
        }
        if res.get("empty"):
            headers["X-Reflow-Empty"] = "1"
        return Response(res["files"][fmt], media_type=MEDIA[fmt], headers=headers)

    async def health(request: Request) -> Response:
        w = state.get("workers")
        return JSONResponse(
            {"status": "ok", "version": reflow.__version__, "workers": w.jobs if w else 0}
        )

    @asynccontextmanager
    async def lifespan(app):
        state["workers"] = Workers(jobs, timeout=timeout, max_memory_mb=max_memory_mb)
        try:
            yield
        finally:
            state.pop("workers").close()

    routes = [
        Route("/convert", convert, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serve_cli(args) -> int:
    try:
        import uvicorn
    except ImportError:
        uvicorn = None
    try:
        if uvicorn is None:
            raise ImportError(
                "reflow serve needs uvicorn: pip install uvicorn (reflow's [serve] extra)"
            )
        from reflow.batch.pool import default_jobs

        app = create_app(
            jobs=args.jobs or default_jobs(),
            timeout=args.timeout,
            max_memory_mb=args.max_memory,
            max_upload_mb=args.max_upload,
        )
    except ImportError as e:
        print(f"reflow: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    level = "warning" if args.quiet else ("info" if args.verbose else "warning")
    if not args.quiet:
        print(
            f"reflow: serving on http://{args.host}:{args.port} (POST /convert, GET /health)",
            file=sys.stderr,
            flush=True,
        )
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level=level, access_log=args.verbose)
    except OSError as e:  # the port is taken
        print(f"reflow: error: {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0
