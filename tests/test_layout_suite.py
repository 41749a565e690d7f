"""The committed layout suite (corpora/layout/) is whole and consistent.

The suite is made by benchmarks/layout_suite/generate.py; these tests need no Chromium.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from reflow_eval import metrics as M

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO / "corpora" / "layout"
GENERATOR = REPO / "benchmarks" / "layout_suite" / "generate.py"
SHARED = REPO.parent / "shared"

PDFS = sorted(SUITE.glob("*.pdf"))
NAMES = [p.stem for p in PDFS]


def _generator():
    spec = importlib.util.spec_from_file_location("layout_suite_generate", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _meta(name: str) -> dict:
    return json.loads((SUITE / f"{name}.meta.json").read_text(encoding="utf-8"))


def test_suite_is_complete():
    assert len(PDFS) >= 12
    for pdf in PDFS:
        assert pdf.with_name(pdf.stem + ".expected.md").is_file(), pdf.name
        assert pdf.with_name(pdf.stem + ".meta.json").is_file(), pdf.name
    # no reference without its PDF either
    for ref in SUITE.glob("*.expected.md"):
        assert ref.with_name(ref.name.replace(".expected.md", ".pdf")).is_file(), ref.name
    size = sum(p.stat().st_size for p in SUITE.iterdir())
    assert size < 8 * 1024 * 1024, "keep the committed suite small"


def test_suite_varies_the_layouts():
    lays = [_meta(n)["layout"] for n in NAMES]
    assert {la["cols"] for la in lays} >= {1, 2, 3}
    assert {la["font"] for la in lays} == {"serif", "sans"}
    assert len({la["size"] for la in lays}) >= 3
    assert any(la["hf"] for la in lays) and not all(la["hf"] for la in lays)
    assert any(la["running"] for la in lays)
    assert max(_meta(n)["pages"] for n in NAMES) >= 5
    assert min(_meta(n)["pages"] for n in NAMES) == 1
    assert sum(bool(_meta(n)["page_break_link"]) for n in NAMES) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_reference_parses(name):
    md = (SUITE / f"{name}.expected.md").read_text(encoding="utf-8")
    meta = _meta(name)
    assert md.startswith("# " + meta["metadata"]["title"] + "\n")
    assert meta["metadata"]["date"] and meta["metadata"]["authors"]
    blocks = M.md_blocks(md)
    assert len(blocks) >= 8
    # every link the generator placed is a parseable [anchor](url) of the reference
    links = Counter(M.md_links(md))
    want = Counter((" ".join(x["anchor"].split()).casefold(), x["href"]) for x in meta["links"])
    assert links == want
    assert all(u.startswith("https://") for _, u in links)
    # forbidden furniture never occurs in the reference itself
    assert M.furniture_leaks(md, meta["forbidden"]) == []
    if meta["layout"]["hf"]:
        assert meta["metadata"]["url"] in meta["forbidden"]
        assert f"1/{meta['pages']}" in meta["forbidden"]


def _pdf_tokens(pdf: Path) -> Counter:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        n = len(doc)
    finally:
        doc.close()
    text = text.replace("\u00ad", "").replace("\ufffe", "").replace("\x02", "")
    text = re.sub(r"[-\u2010]\s*\r?\n", "", text)
    return Counter(re.findall(r"\w+", text.casefold())), n


@pytest.mark.parametrize("name", NAMES)
def test_pdf_holds_the_reference_text(name):
    """A stale PDF (reference regenerated, PDF not) is caught: the PDF's words cover the
    reference's words, and the page count is the one recorded."""
    md = (SUITE / f"{name}.expected.md").read_text(encoding="utf-8")
    ref = Counter(re.findall(r"\w+", M.strip_markdown(md).casefold()))
    got, pages = _pdf_tokens(SUITE / f"{name}.pdf")
    missing = sum((ref - got).values())
    assert missing <= 0.01 * sum(ref.values()), f"{missing} reference words not in the PDF"
    assert pages == _meta(name)["pages"]


@pytest.mark.parametrize("name", NAMES)
def test_every_reference_link_is_a_link_in_the_pdf(name):
    """The reference has a link exactly where the PDF has a link annotation with that URL, and
    the page-break link really has annotations on two pages."""
    gen = _generator()
    annots = gen.pdf_links(SUITE / f"{name}.pdf")
    meta = _meta(name)
    md = (SUITE / f"{name}.expected.md").read_text(encoding="utf-8")
    ref_urls = {u for _, u in M.md_links(md)}
    assert ref_urls == set(annots), "reference links and PDF link annotations differ"
    for link in meta["links"]:
        assert sorted(annots[link["href"]]) == sorted(link["annotation_pages"])
    pb = meta["page_break_link"]
    if pb and pb["href"] not in meta["unlinked"]:
        assert len(set(annots[pb["href"]])) == 2


def test_suite_has_wrapped_and_page_crossing_links():
    wrapped = crossing = 0
    for name in NAMES:
        for link in _meta(name)["links"]:
            wrapped += len(link["annotation_pages"]) >= 2
            crossing += len(set(link["annotation_pages"])) >= 2
    assert wrapped >= 20 and crossing >= 5


def test_structure_to_markdown_is_deterministic():
    """The structure -> Markdown step, replayed without Chromium, gives the committed references."""
    if not (SHARED / "corpora" / "aeb-dev" / "ground-truth.json").exists():
        pytest.skip("../shared/corpora/aeb-dev not present")
    gen = _generator()
    gt = gen.load_ground_truth()
    by_name = {s["name"]: (i, s) for i, s in enumerate(gen.SPECS)}
    assert set(by_name) == set(NAMES)
    for name in NAMES:
        i, spec = by_name[name]
        meta = _meta(name)
        args = (spec, gt, i, meta["page_break_link"], meta["unlinked"])
        first = gen.to_markdown(gen.build_document(*args))
        again = gen.to_markdown(gen.build_document(*args))
        assert first == again
        assert first == (SUITE / f"{name}.expected.md").read_text(encoding="utf-8"), name


def test_markdown_renderer_covers_every_block():
    gen = _generator()
    doc = {
        "blocks": [
            {"type": "title", "text": "T"},
            {"type": "dek", "text": "D"},
            {"type": "byline", "text": "By A"},
            {"type": "date", "text": "May 1, 2024"},
            {"type": "h2", "text": "H"},
            {"type": "p", "segments": [["see ", None], ["this", "https://x.org/a"], [".", None]]},
            {"type": "ul", "items": [[["a", None]], [["b", None]]]},
            {"type": "ol", "items": [[["c", None]], [["d", None]]]},
            {"type": "quote", "text": "Q"},
            {"type": "figure", "caption": "C", "color": "#000"},
            {"type": "table", "header": ["x", "y"], "rows": [["1", "2"]]},
            {"type": "related", "title": "R", "url": "https://x.org/r"},
            {"type": "disclaimer", "text": "Z"},
        ]
    }
    md = gen.to_markdown(doc)
    assert md == (
        "# T\n\n**D**\n\nBy A\n\nMay 1, 2024\n\n## H\n\nsee [this](https://x.org/a).\n\n"
        "- a\n- b\n\n1. c\n2. d\n\n> Q\n\n*C*\n\n| x | y |\n| --- | --- |\n| 1 | 2 |\n\n"
        "**Related article:** [R](https://x.org/r)\n\n*Z*\n"
    )
    html = gen.to_html(
        {
            **doc,
            "layout": gen.SPECS[0],
            "metadata": {"title": "T", "site": "S"},
            "host": "www.s.com",
        }
    )
    assert '<a href="https://x.org/a">this</a>' in html and "<blockquote>" in html


def test_soft_hyphens_only_inside_long_words():
    gen = _generator()
    if not gen.TEX_PATTERNS.exists():
        pytest.skip("TeX hyphenation patterns (groff) not installed")
    out = gen.soft_hyphenate("The administration considered it.")
    assert out.replace("\u00ad", "") == "The administration considered it."
    assert "ad\u00admin" in out and "The " in out
