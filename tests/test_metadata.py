"""Metadata (``structure/metadata.py``): title, authors, publication date and source URL, from
the header, the print furniture and the info dictionary. The header itself is
``test_header.py``; dates, names and titles have their own files."""

from __future__ import annotations

from pathlib import Path

import pytest

import reflow
from reflow.model import Block, Document
from reflow.structure.header import find_header
from reflow.structure.metadata import extract_metadata as _extract


def extract_metadata(doc: Document) -> Document:
    """The header stage, then the metadata stage (what the pipeline runs without article
    mode between them)."""
    return _extract(find_header(doc))


FIX = Path(__file__).parent / "fixtures" / "article"


def _doc(texts: list[str | tuple[str, float]], *, web: bool = True, **info: str) -> Document:
    doc = Document(source="t.pdf", kind="pdf")
    for t in texts:
        text, size = (t, 12.0) if isinstance(t, str) else t
        doc.blocks.append(Block(type="paragraph", text=text, page=1, size=size))
    doc.metadata.web_print = web
    for key in ("print_date", "print_title", "print_url"):  # what the furniture stage read
        setattr(doc.facts, key, info.pop(key, None))
    doc.info.update(info)
    return doc


BODY = (
    "The council approved the plan on Thursday after a long debate about its cost and its timing."
)


def test_print_date_is_never_the_publication_date():
    doc = _doc(
        [("A headline about bridges", 24.0), BODY],
        Title="A headline about bridges - Site",
        print_date="11/25/26, 7:30 PM",
        CreationDate="D:20261125193000Z",
    )
    extract_metadata(doc)
    assert doc.metadata.date is None
    assert doc.metadata.title == "A headline about bridges"


def test_url_date_when_the_page_writes_none():
    doc = _doc(
        [("A headline about bridges", 24.0), BODY],
        Title="A headline about bridges - Site",
        print_url="https://news.example.org/2020/03/23/a-headline-about-bridges",
    )
    assert extract_metadata(doc).metadata.date == "2020-03-23"
    doc.metadata.date, doc.facts.date = None, None
    doc.facts.print_url = "https://news.example.org/2020/03/a-headline-about-bridges"
    assert extract_metadata(doc).metadata.date is None  # a month is not a day
    doc.facts.print_url = "https://web.archive.org/web/20160401095740/http://example.org/x"
    assert extract_metadata(doc).metadata.date is None  # the archive's own stamp


def test_non_web_pdf_falls_back_on_the_info_dictionary():
    doc = _doc(
        [("Annual report", 20.0), BODY],
        web=False,
        Title="Annual Report 2019",
        Author="Jane Doe; John Roe",
        CreationDate="D:20200301120000Z",
    )
    extract_metadata(doc)
    m = doc.metadata
    assert m.title == "Annual Report 2019"
    assert m.authors == ["Jane Doe", "John Roe"]
    assert m.date == "2020-03-01"


def test_junk_info_title_is_ignored():
    doc = _doc([BODY], web=False, Title="Microsoft Word - draft3.docx")
    extract_metadata(doc)
    assert doc.metadata.title is None


def test_labelled_url_source_in_text():
    doc = _doc([BODY, "Source: https://example.org/news/2020/story.html"], web=False)
    extract_metadata(doc)
    assert doc.metadata.url == "https://example.org/news/2020/story.html"


def test_labelled_url_only_where_the_text_labels_it():
    doc = _doc([BODY, "Originally published at https://example.org/a/story.html."], web=False)
    assert extract_metadata(doc).metadata.url == "https://example.org/a/story.html"
    doc = _doc([BODY, "The report is at https://example.org/report.pdf for all."], web=False)
    assert extract_metadata(doc).metadata.url is None


def test_info_author_not_for_a_programs_user_nor_a_web_print():
    doc = _doc([("Annual report", 20.0), BODY], web=False, Author="admin")
    assert extract_metadata(doc).metadata.authors == []
    doc = _doc([("Annual report", 20.0), BODY], web=False, Author="Jane Doe & John Roe")
    assert extract_metadata(doc).metadata.authors == ["Jane Doe", "John Roe"]
    # a browser's print: the Author field is not the article's (the byline is)
    doc = _doc([("Annual report", 20.0), BODY], web=True, Author="Jane Doe")
    assert extract_metadata(doc).metadata.authors == []


def test_plain_text_gets_no_invented_metadata(shared):
    doc = reflow.convert(shared / "seeds" / "article.pdf.txt")
    m = doc.metadata
    assert m.title is None and m.authors == [] and m.date is None and m.url is None


@pytest.mark.parametrize(
    "name,title,authors,day",
    [
        ("related", "Night trains return to the northern line", ["Karl Nilsson"], "2020-08-16"),
        (
            "share",
            "City library extends opening hours into the night",
            ["Jonas Weber", "Lena Fischer"],
            "2020-08-16",
        ),
        ("comments", "How to keep basil alive on a windowsill", ["Maria Costa"], "2020-08-16"),
        ("footer", "Wind farm plan divides island residents", ["Erik Holm"], "2020-08-16"),
        (
            "cookie",
            "Orchards turn to late-blooming apples as springs grow warmer",
            ["Peter Hansen"],  # the name under the headline, without "By"
            "2020-08-16",
        ),
    ],
)
def test_metadata_of_printed_pages(name, title, authors, day):
    doc = reflow.convert(FIX / f"{name}.pdf")
    m = doc.metadata
    assert m.web_print
    assert m.title == title
    assert m.authors == authors
    assert m.date == day
    assert m.url == f"http://news.example.org/2020/08/16/{name}.html"
