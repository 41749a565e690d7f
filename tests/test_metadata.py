"""Metadata recovery: title, authors, publication date, source URL."""

from __future__ import annotations

from pathlib import Path

import pytest

import reflow
from reflow.model import Block, Document
from reflow.structure.dates import parse_date, parse_pdf_date
from reflow.structure.header import find_header
from reflow.structure.metadata import extract_metadata as _extract
from reflow.structure.names import byline_authors
from reflow.structure.titles import strip_site


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


@pytest.mark.parametrize(
    "text,iso",
    [
        ("Aug. 16, 2020", "2020-08-16"),
        ("August 16, 2020", "2020-08-16"),
        ("16 August 2020 10:12", "2020-08-16"),
        ("2020-08-16", "2020-08-16"),
        ("2020-08-16T10:12:00Z", "2020-08-16"),
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("Updated 1:39 am EST, Wednesday, November 20, 2019", "2019-11-20"),
        ("16.08.2020", "2020-08-16"),
        ("08/16/2020", "2020-08-16"),
        ("16 de agosto de 2020", "2020-08-16"),
        ("Published 16 août 2020", "2020-08-16"),
        ("19. November 2019, 14:02 Uhr", "2019-11-19"),
    ],
)
def test_dates_written_the_ways_sites_write_them(text, iso):
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["Feb. 30, 2020", "13/13/2020", "Chapter 12, page 2020", ""])
def test_not_a_date(text):
    assert parse_date(text) is None


def test_pdf_creation_date():
    assert parse_pdf_date("D:20200816101200+02'00'").isoformat() == "2020-08-16"
    assert parse_pdf_date("garbage") is None


@pytest.mark.parametrize(
    "text,names",
    [
        ("By Sarah E. Needleman", ["Sarah E. Needleman"]),
        ("By Jonas Weber and Lena Fischer", ["Jonas Weber", "Lena Fischer"]),
        ("By Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("By Erik Holm, Staff Writer", ["Erik Holm"]),
        ("Posted on August 16, 2020 by Maria Costa", ["Maria Costa"]),
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"]),
        ("By Tom Smith | Reuters", ["Tom Smith"]),
        ("By AMANDA SEITZ, Associated Press", ["Amanda Seitz"]),
        ("By Alex Gangitano - 11/19/19 12:53 PM EST", ["Alex Gangitano"]),
        (
            "By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019",
            ["Mike Wuerthele", "Malcolm Owen"],
        ),
        ("By Laura Mowat PUBLISHED: 10:48, Tue, Nov 19, 2019", ["Laura Mowat"]),
        ("By Troy L. Smith, cleveland.com", ["Troy L. Smith"]),
        ("By Admin", []),
        ("by clicking Accept all you consent to cookies", []),
        ("By the Associated Press", []),
        (BODY, []),
    ],
)
def test_bylines(text, names):
    assert byline_authors(text) == names


def test_strip_site_keeps_the_headline():
    assert strip_site("Night trains return to the northern line | Example Daily") == (
        "Night trains return to the northern line"
    )
    assert strip_site(
        "Opinion | Republicans Are Following Trump to Nowhere - The New York Times"
    ) == ("Republicans Are Following Trump to Nowhere")


def test_web_print_title_is_the_heading_matching_the_page_title_not_the_site_name():
    doc = _doc(
        [
            ("Example Daily", 28.0),  # the masthead: bigger, but not the article's title
            ("Night trains return to the northern line", 24.0),
            "By Karl Nilsson",
            "Aug. 16, 2020",
            BODY,
        ],
        Title="Night trains return to the northern line | Example Daily",
        print_date="11/25/26, 7:30 PM",
        print_url="http://news.example.org/2020/08/16/related.html",
    )
    extract_metadata(doc)
    m = doc.metadata
    assert m.title == "Night trains return to the northern line"
    assert m.authors == ["Karl Nilsson"]
    assert m.date == "2020-08-16"
    assert m.url == "http://news.example.org/2020/08/16/related.html"
    assert [b.type for b in doc.blocks[:4]] == ["paragraph", "title", "byline", "date"]


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


def test_labelled_source_url_in_text():
    doc = _doc([BODY, "Source: https://example.org/news/2020/story.html"], web=False)
    extract_metadata(doc)
    assert doc.metadata.url == "https://example.org/news/2020/story.html"


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
            [],
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
