"""Property-based fuzzing (hypothesis), bounded.

- Extracted text: ``reflow.convert_text(text)`` never raises and loses no words: every word of the
  input is in the output, in what reflow removed (with its reason) or in the URLs and metadata
  it lifted out.
- Mutated PDFs through the whole pipeline: ``reflow.convert(bytes)`` gives a Document or raises a
  ``ReflowError``; nothing else, no crash, no hang. Conversions run in a worker process
  (tests/hostile/fuzz_worker.py) so a PDFium segfault is reported, not fatal.

Budget: ``REFLOW_FUZZ_EXAMPLES`` examples per test (default 150; CI=true: 300, derandomized, so
the file stays well under 3 minutes on 2 cores). A long local run:
``REFLOW_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
CI = bool(os.environ.get("CI"))
EXAMPLES = int(os.environ.get("REFLOW_FUZZ_EXAMPLES", "300" if CI else "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None if CI else settings.default.database,
)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / "hostile" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


make_corpus = _load("make_corpus")
fuzz_worker = _load("fuzz_worker")


@pytest.fixture(scope="module")
def worker():
    with fuzz_worker.Worker() as w:
        yield w


# ------------------------------------------------------------------------------------------
# Extracted text

WORDS = (
    "the council met on Tuesday to discuss flooding lower town residents asked for new "
    "embankment before autumn storms mayor promised answer within three weeks engineers report "
    "international anti Russian once in a generation well known"
).split()
FRAGMENTS = [
    "",
    "",
    "\f",
    "   ",
    "Related article:",
    "By Anna Smith",
    "August 16, 2020",
    "Page 3 of 9",
    "3",
    "- ",
    "• ",
    "1. ",
    "a) ",
    "> ",
    "# ",
    "**",
    "https://www.example.com/2020/08/16/the-council-met-a71166",
    "www.example.org/flood",
    "inter-",
    "anti-",
    "once-in-a-",
    "meas\u00adure",
    "\u00ad",
    "\u2010",
    "\u2014",
    "\t",
    "  ",
    "|",
    "THE COUNCIL",
    "Advertisement",
    "Subscribe to our newsletter",
    "8/16/20, 10:15 AM",
    "\r\n",
    "\ufeff",
    "\x00",
]
_word = st.sampled_from(WORDS)
_fragment = st.sampled_from(FRAGMENTS)
_unicode = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_line = st.lists(st.one_of(_word, _word, _word, _fragment, _unicode), max_size=16).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts)
)
texts = st.lists(_line, max_size=40).map("\n".join)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\ufffe]")
_TOKEN = re.compile(r"\w+")


def _norm(text: str) -> str:
    """As the text reader sees it: NFC, control characters gone, soft hyphens not text."""
    text = _CONTROL.sub("", text.replace("\u00ad", ""))
    return unicodedata.normalize("NFC", text)


def lost_words(source: str, res: dict) -> list[str]:
    """Words of ``source`` found nowhere in what reflow gave back."""
    kept = "\n".join([res["text"], *res["removed"], *res["urls"], *res["meta"]])
    hay = _norm(kept)
    squashed = re.sub(r"\W+", "", hay)  # a word healed across a line break ("inter" "national")
    return [w for w in _TOKEN.findall(_norm(source)) if w not in hay and w not in squashed]


@FUZZ
@given(texts)
def test_text_never_raises_and_keeps_every_word(worker, text):
    res = worker.convert_text(text)
    if not _norm(text).strip():
        # Nothing but whitespace: the one error text input may give.
        assert res["status"] == "ok" or res.get("kind") == "empty", res
        return
    assert res["status"] == "ok", res
    lost = lost_words(text, res)
    assert not lost, (lost, res["text"][:500])


def test_lost_words_sees_a_dropped_word():
    """The oracle above must be able to fail."""
    res = {"text": "The council met.", "removed": ["Page 3"], "urls": [], "meta": []}
    assert lost_words("The council met.\nPage 3\nflooding", res) == ["flooding"]
    assert lost_words("inter-\nnational", {**res, "text": "international"}) == []


# ------------------------------------------------------------------------------------------
# Mutated PDFs


def _seeds() -> list[bytes]:
    seeds = [make_corpus.good_pdf(2), make_corpus.good_pdf(3), make_corpus.mixed_image_pdf()]
    for rel in ("fixtures/pdf/basic.pdf", "fixtures/article/related.pdf"):
        p = HERE / rel
        if p.exists() and p.stat().st_size < 200_000:
            seeds.append(p.read_bytes())
    return seeds


SEEDS = _seeds()
TOKENS = [
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b" 0 R",
    b"/Length 0",
    b"/Length 99999999",
    b"/Count -1",
    b"/Count 2147483647",
    b"/Kids [1 0 R]",
    b"/Type /Pages",
    b"/Filter /FlateDecode",
    b"/Encrypt 1 0 R",
    b"%%EOF",
    b"xref",
    b"trailer",
    b"9999999999",
    b"-1",
    b"(",
    b")",
    b"\x00",
]


@st.composite
def mutated_pdfs(draw) -> bytes:
    buf = bytearray(draw(st.sampled_from(SEEDS)))
    ops = st.tuples(
        st.sampled_from("oidct"),
        st.floats(0, 1, allow_nan=False),
        st.binary(min_size=1, max_size=12),
        st.integers(1, 512),
        st.sampled_from(TOKENS),
    )
    for op, where, junk, length, token in draw(st.lists(ops, min_size=1, max_size=8)):
        i = min(int(where * len(buf)), max(len(buf) - 1, 0))
        if op == "o":  # overwrite
            buf[i : i + len(junk)] = junk
        elif op == "i":  # insert
            buf[i:i] = junk
        elif op == "d":  # delete
            del buf[i : i + length]
        elif op == "c":  # cut the tail (truncation)
            del buf[max(i, 16) :]
        else:  # a PDF token where it does not belong
            buf[i:i] = token
    return bytes(buf)


def _assert_clean(res: dict, data: bytes, tmp_dir: Path) -> None:
    if res["status"] in ("ok", "error"):
        return
    keep = tmp_dir / f"fuzz-{res['status']}-{abs(hash(data)):x}.pdf"
    keep.write_bytes(data)
    pytest.fail(f"{res['status']} on a mutated PDF (saved as {keep}): {res}")


@FUZZ
@given(mutated_pdfs())
def test_mutated_pdf_gives_a_document_or_a_reflow_error(worker, tmp_path_factory, data):
    res = worker.convert(data)
    _assert_clean(res, data, tmp_path_factory.getbasetemp())


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(st.binary(max_size=2048), st.booleans())
def test_random_bytes_give_a_document_or_a_reflow_error(worker, tmp_path_factory, junk, header):
    data = (b"%PDF-1.7\n" if header else b"") + junk
    res = worker.convert(data)
    _assert_clean(res, data, tmp_path_factory.getbasetemp())
    if res["status"] == "error" and b"%PDF-" not in data[:1024]:
        assert res["kind"] in ("not-pdf", "empty"), res


def test_worker_reports_a_crash_and_recovers(tmp_path):
    """The harness must see a segfault (here: a forced one) and keep going."""
    with fuzz_worker.Worker() as w:
        w.convert(b"", "t")  # start the worker
        assert w.proc is not None
        w.proc.send_signal(11)
        assert w.convert(make_corpus.good_pdf(1))["status"] == "crash"
        assert w.convert(make_corpus.good_pdf(1))["status"] == "ok"
        assert w.restarts == 1
