"""`reflow serve` over real HTTP on loopback: conversions in every format, uploads as the body or
as multipart, concurrent requests, hostile uploads answered with a JSON error, and the server
still healthy after them. Skipped when Starlette or uvicorn is not installed (`[serve]`)."""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from jsonschemas import check_chunk, check_document

import reflow

pytest.importorskip("starlette", reason="Starlette not installed (the [serve] extra)")
pytest.importorskip("uvicorn", reason="uvicorn not installed (the [serve] extra)")
if (
    importlib.util.find_spec("multipart") is None
    and importlib.util.find_spec("python_multipart") is None
):
    pytest.skip("python-multipart not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
BASIC = ROOT / "tests" / "fixtures" / "pdf" / "basic.pdf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(log: Path, *args, env=None):
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflow", "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    args = ["-j", "2", "--timeout", "30", "--max-upload", "2", "--max-memory", "1024"]
    proc, base = _start(log, *args)
    try:
        yield base
    finally:
        _stop(proc)


def post(base: str, query: str = "", data=b"", *, multipart: str | None = None):
    """(status, content type, body bytes) of POST /convert. ``data`` may be an iterator of
    bytes (sent chunked, with no length). A server that answers before the upload is all sent
    (413) is read all the same."""
    headers = {"Content-Type": "application/pdf"}
    if multipart is not None:
        boundary = uuid.uuid4().hex
        data = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{multipart}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        try:
            chunked = not isinstance(data, bytes)
            conn.request(
                "POST", "/convert" + query, body=data, headers=headers, encode_chunked=chunked
            )
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the upload ended: the answer is still there
        r = conn.getresponse()
        return r.status, r.headers.get("Content-Type"), r.read()
    finally:
        conn.close()


def test_health(server):
    with urllib.request.urlopen(server + "/health", timeout=10) as r:
        assert json.loads(r.read()) == {"status": "ok", "version": reflow.__version__, "workers": 2}


def test_every_format_as_a_body_or_a_multipart_upload(server):
    doc = reflow.convert(SAMPLE)
    data = SAMPLE.read_bytes()
    status, ctype, body = post(server, "", data)
    assert (status, ctype) == (200, "text/markdown; charset=utf-8")
    assert body.decode() == doc.markdown
    status, ctype, body = post(server, "?to=json", data, multipart="article.pdf")
    assert (status, ctype) == (200, "application/json")
    got = json.loads(body)
    check_document(got)
    assert got["blocks"] == json.loads(doc.to_json())["blocks"]
    assert got["source"] == "article.pdf"
    status, ctype, body = post(server, "?to=html", data)
    assert status == 200 and body.startswith(b"<!DOCTYPE html>") and ctype.startswith("text/html")
    status, ctype, body = post(server, "?to=chunks&chunk_size=700", data)
    lines = [json.loads(x) for x in body.decode().splitlines()]
    assert status == 200 and ctype == "application/x-ndjson" and len(lines) > 3
    for rec in lines:
        check_chunk(rec)
    status, _, body = post(server, "?to=txt&pages=2-3&article=false", data)
    assert (
        status == 200 and body.decode() == reflow.convert(SAMPLE, pages="2-3", article=False).text
    )


def test_concurrent_requests_each_get_their_own_answer(server):
    jobs = [(SAMPLE, "?to=txt"), (BASIC, "?to=txt"), (SAMPLE, "?to=md"), (BASIC, "?to=md")] * 3
    expected = {
        (p, q): (reflow.convert(p).text if q == "?to=txt" else reflow.convert(p).markdown)
        for p, q in set(jobs)
    }
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda j: post(server, j[1], j[0].read_bytes()), jobs))
    for job, (status, _, body) in zip(jobs, results, strict=True):
        assert status == 200 and body.decode() == expected[job]


def test_hostile_uploads_get_a_json_error_and_the_server_stays_up(server):
    pdf = SAMPLE.read_bytes()
    cases = [
        (b"<html>not a pdf</html>", "", 415, "not-pdf"),
        (pdf[: len(pdf) // 3], "", 422, None),  # truncated: broken, or what PDFium recovers
        (b"", "", 422, "empty"),
        (os.urandom(3 * 1024 * 1024), "", 413, "too-large"),  # over --max-upload 2
        ((os.urandom(64 * 1024) for _ in range(64)), "", 413, "too-large"),  # no length given
        (pdf, "?to=docx", 400, "usage"),
        (pdf, "?pages=5-2", 400, "usage"),
        (pdf, "?article=maybe", 400, "usage"),
        (b"%PDF-1.7\n" + os.urandom(200_000), "", 422, "broken"),
    ]
    for data, query, status, kind in cases:
        got, ctype, body = post(server, query, data)
        if kind is None and got == 200:
            continue  # PDFium recovered the first pages
        assert (got, ctype) == (status, "application/json"), body[:200]
        err = json.loads(body)["error"]
        assert kind is None or err["kind"] == kind
        assert err["message"] and "Traceback" not in err["message"]
    encrypted = (ROOT / "tests" / "fixtures" / "hostile" / "encrypted-user.pdf").read_bytes()
    status, _, body = post(server, "", encrypted, multipart="secret.pdf")
    assert status == 422 and json.loads(body)["error"]["kind"] == "encrypted"
    assert "secret.pdf" in json.loads(body)["error"]["message"]
    with urllib.request.urlopen(server + "/health", timeout=10) as r:
        assert r.status == 200
    assert post(server, "?to=txt", BASIC.read_bytes())[0] == 200


def test_a_stuck_worker_is_killed_at_the_timeout_and_replaced(tmp_path):
    """Each request runs in a worker process: one that does not finish in time is killed (504,
    kind timeout) and a fresh one takes its place while the server keeps answering."""
    env = dict(os.environ, REFLOW_TEST_DELAY="60")  # every conversion stalls outside Python's reach
    proc, base = _start(tmp_path / "serve.log", "-j", "1", "--timeout", "1", env=env)
    try:
        t0 = time.monotonic()
        status, ctype, body = post(base, "?to=txt", BASIC.read_bytes())
        assert (status, ctype) == (504, "application/json")
        assert json.loads(body)["error"]["kind"] == "timeout"
        assert time.monotonic() - t0 < 30
        with urllib.request.urlopen(base + "/health", timeout=10) as r:
            assert r.status == 200
        assert post(base, "?to=txt", BASIC.read_bytes())[0] == 504  # a new worker, same fate
    finally:
        _stop(proc)
