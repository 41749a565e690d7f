"""What made the document (``readers/producer.py``): a browser's print is told by its Creator."""

from pathlib import Path

import pytest

import reflow
from reflow.model import Document, Producer
from reflow.readers.producer import identify_producer
from reflow.structure.header import is_web_page

FIX = Path(__file__).parent / "fixtures" / "article"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/156.0.0.0 Safari/537.36"
)


def _doc(creator: str | None, kind: str = "pdf") -> Document:
    doc = Document(source="x", kind=kind)
    if creator is not None:
        doc.info["Creator"] = creator
    return identify_producer(doc)


@pytest.mark.parametrize(
    "creator", [CHROME, "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"]
)
def test_browser_creator_makes_the_document_a_web_page(creator):
    doc = _doc(creator)
    assert doc.facts.producer is Producer.BROWSER and is_web_page(doc)


@pytest.mark.parametrize(
    "creator",
    ["Microsoft® Word for Microsoft 365", "LaTeX with hyperref", "Chromebook manual", "", None],
)
def test_browser_creator_not_for_other_programs(creator):
    doc = _doc(creator)
    assert doc.facts.producer is Producer.UNKNOWN and not is_web_page(doc)


def test_browser_creator_not_for_extracted_text():
    assert _doc(CHROME, kind="text").facts.producer is not Producer.BROWSER


def test_browser_creator_a_print_without_header_and_footer_still_gets_article_mode():
    doc = reflow.convert(FIX / "noheader.pdf")
    assert doc.info.get("Creator", "").startswith("Mozilla/5.0")
    assert not doc.metadata.web_print  # no print header or footer to see
    assert doc.facts.producer is Producer.BROWSER
    assert any(r.reason == "boilerplate" for r in doc.removed)  # article mode ran
    assert not any(
        r.reason == "boilerplate"
        for r in reflow.convert(FIX / "noheader.pdf", article=False).removed
    )
