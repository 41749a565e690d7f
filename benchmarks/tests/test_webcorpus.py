"""The web-print corpus builder's own code: the reader dump gives back what the PDF gives,
its format knows every reader-level field of the model, URLs are written as Chromium sends
them, folds are stable, postlight's expected values are read right."""

import importlib.util
import json
from pathlib import Path

import pytest

import reflow

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "benchmarks" / "webcorpus"


def _load(name: str):
    # by path, under a name of its own: other benchmarks have a build.py too
    spec = importlib.util.spec_from_file_location(f"webcorpus_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = _load("build")
dump = _load("dump")
sources = _load("sources")

PDFS = [
    ROOT / "examples" / "article.pdf",  # a Chromium print with header/footer, links, tags
    ROOT / "tests" / "fixtures" / "pdf" / "mixed.pdf",
    ROOT / "tests" / "fixtures" / "pdf" / "rtl.pdf",
    next(iter(sorted((ROOT / "corpora" / "layout").glob("*3col*.pdf"))), None),
]


@pytest.mark.parametrize("pdf", [p for p in PDFS if p is not None], ids=lambda p: p.name)
def test_dump_gives_the_markdown_the_pdf_gives(pdf, tmp_path):
    out = tmp_path / "d.jsonl.gz"
    n, size = dump.write_dump([("x", pdf)], out)
    assert n == 1 and size > 0
    (rec,) = list(dump.iter_dump(out))
    via_dump = dump.convert_record(rec, str(pdf))
    direct = reflow.convert(pdf)
    assert via_dump.markdown == direct.markdown
    assert via_dump.metadata.to_dict() == direct.metadata.to_dict()
    assert [r.text for r in via_dump.removed] == [r.text for r in direct.removed]


def test_dump_record_is_plain_json_and_rounded():
    rec = dump.read_pdf_record(ROOT / "examples" / "article.pdf", "a")
    text = json.dumps(rec)
    assert json.loads(text) == rec
    boxes = [ln[1] for p in rec["pages"] for ln in p[6] if ln[1]]
    assert boxes and all(round(v, 1) == v for b in boxes for v in b)
    assert any(len(ln) > 7 and ln[7] for p in rec["pages"] for ln in p[6]), "links kept"


def test_dump_format_knows_every_reader_field():
    # a new field on Line/Span/Tag/Page/LinkAnnot would be dropped by the dump: extend it
    assert dump.model_fields() == dump.KNOWN_FIELDS


def test_dump_loader_refuses_another_version():
    with pytest.raises(ValueError):
        dump.load_document({"v": 99, "id": "x"})


def test_ascii_url_is_what_chromium_sends():
    u = build.ascii_url("https://www.bücher.de/straße/ä?q=ü b#frag")
    assert u == "https://www.xn--bcher-kva.de/stra%C3%9Fe/%C3%A4?q=%C3%BC%20b"
    assert build.ascii_url("http://Example.org") == "http://example.org/"


def test_folds_are_stable_and_cover_all_five():
    sites = [f"site{i}.example" for i in range(200)]
    folds = [build.fold_of(s) for s in sites]
    assert folds == [build.fold_of(s) for s in sites]
    assert set(folds) == set(range(5))


def test_postlight_js_literals():
    assert sources._js_value("'a\\'b' + `c`") == "a'bc"
    assert sources._js_value("'Nathan\\xa0Tempey'") == "Nathan\xa0Tempey"
    assert sources._js_value("null") is None


def test_collection_authors_split_into_names():
    assert sources._authors("JOSH HASKELL, DAVID CAPLAN and PATRICK REEVELL") == [
        "JOSH HASKELL",
        "DAVID CAPLAN",
        "PATRICK REEVELL",
    ]
    assert sources._authors("https://getnews.jp/author/neol") == []


def test_decode_html_follows_the_declared_charset():
    page = '<html><head><meta charset="windows-1252"></head><body>caf\xe9</body></html>'
    assert "café" in build.decode_html(page.encode("cp1252"))
    assert "café" in build.decode_html("<p>café</p>".encode())
