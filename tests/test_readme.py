"""Every command and Python block of the README's Use section runs as written, in a folder with
files of the names it uses (the sample print as article.pdf, and so on)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"


def use_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Use\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", use_section(), flags=re.S)


def commands() -> list[str]:
    out = []
    for block in blocks("sh"):
        for line in block.splitlines():
            line = re.split(r"\s{2,}#", line)[0].strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workdir(tmp_path):
    shutil.copy(ROOT / "examples" / "article.pdf", tmp_path / "article.pdf")
    shutil.copy(ROOT / "examples" / "article.pdf", tmp_path / "page.pdf")
    shutil.copy(FIX / "pdf" / "basic.pdf", tmp_path / "report.pdf")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FIX / "seed" / "seed.pdf"))
    text = "\f".join(p.get_textpage().get_text_range() for p in pdf)
    (tmp_path / "extracted.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pdfs").mkdir()
    shutil.copy(FIX / "pdf" / "basic.pdf", tmp_path / "pdfs" / "basic.pdf")
    shutil.copy(FIX / "pdf" / "mixed.pdf", tmp_path / "pdfs" / "mixed.pdf")
    if importlib.util.find_spec("PIL"):  # the [ocr] extra: a scanned copy of the sample
        from reflow_eval.scans import make_scan

        make_scan(FIX / "pdf" / "basic.pdf", tmp_path / "scan.pdf")
    if shutil.which("qpdf"):
        subprocess.run(
            [
                "qpdf",
                "--encrypt",
                "hunter2",
                "owner-pw",
                "256",
                "--",
                str(tmp_path / "article.pdf"),
                str(tmp_path / "secret.pdf"),
            ],
            check=True,
        )
    return tmp_path


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def test_the_use_section_is_what_this_test_runs():
    cmds = commands()
    assert any(c.startswith("reflow serve") for c in cmds)
    assert sum(c.startswith("reflow convert") for c in cmds) >= 15
    assert len(blocks("python")) >= 2


def test_every_command_of_the_use_section_runs(workdir):
    env = _env()
    port = _free_port()
    server = None
    skipped = []
    try:
        for cmd in commands():
            needs = {
                "--engine ray": "ray",
                "--parquet": "pyarrow",
                "reflow serve": "uvicorn",
                "scan.pdf": "tesserocr",
            }
            missing = [m for k, m in needs.items() if k in cmd and not importlib.util.find_spec(m)]
            if "secret.pdf" in cmd and not (workdir / "secret.pdf").exists():
                missing.append("qpdf")
            if cmd.startswith("curl") and (server is None or not shutil.which("curl")):
                missing.append("curl or the server")
            if missing:
                skipped.append((cmd, missing))
                continue
            cmd = cmd.replace(":8000", f":{port}").replace("--port 8000", f"--port {port}")
            if cmd.startswith("reflow serve"):
                server = subprocess.Popen(
                    cmd,
                    shell=True,
                    cwd=workdir,
                    env=env,
                    start_new_session=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                deadline = time.monotonic() + 60
                while subprocess.run(
                    ["curl", "-sf", f"http://127.0.0.1:{port}/health"], capture_output=True
                ).returncode:
                    assert server.poll() is None and time.monotonic() < deadline, "no server"
                    time.sleep(0.2)
                continue
            res = subprocess.run(
                cmd,
                shell=True,
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert res.returncode == 0, f"{cmd}: exit {res.returncode}\n{res.stderr[-2000:]}"
            assert "Traceback" not in res.stderr, cmd
            if cmd.startswith("curl"):
                assert res.stdout and '"error"' not in res.stdout[:200], (cmd, res.stdout[:300])
                if "to=json" in cmd:
                    from jsonschemas import check_document

                    check_document(json.loads(res.stdout))
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(15)
    assert (workdir / "out" / "article.md").is_file() and (
        workdir / "out" / "article.json"
    ).is_file()
    assert (workdir / "article.html").read_text().startswith("<!DOCTYPE html>")
    assert (workdir / "out" / "basic.md").is_file()  # the folder's outputs beside them
    if os.environ.get("CI"):
        assert not skipped, f"CI installs what every command needs: {skipped}"


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_every_python_block_of_the_use_section_runs(workdir, index):
    code = blocks("python")[index]
    for module in re.findall(r"from reflow\.integrations\.(\w+) import", code):
        dep = {"langchain": "langchain_core", "llamaindex": "llama_index"}[module]
        if importlib.util.find_spec(dep) is None:
            if os.environ.get("CI"):
                raise AssertionError(f"CI installs the [{module}] extra")
            pytest.skip(f"{dep} not installed")
    script = workdir / "block.py"
    script.write_text(code, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, str(script)],
        cwd=workdir,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-3000:]


def test_ci_runs_the_readmes_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(
        r"Run the tests \(this is the command CI runs\):\n\n```sh\n(.*)\n```", readme
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert command and ci[-1] == command.group(1)
    extras = re.search(r"\.\[([\w,]+)\]", command.group(1)).group(1).split(",")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for extra in extras:  # every extra the tests can use is installed by the test command
        assert re.search(rf"^{extra} = \[", pyproject, flags=re.M), extra
    declared = re.findall(
        r"^(\w+) = \[",
        pyproject.split("[project.optional-dependencies]")[1].split("\n[")[0],
        flags=re.M,
    )
    assert set(declared) - {"parquet"} <= set(extras)  # pyarrow comes with dev and ray
