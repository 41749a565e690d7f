"""Dates (``structure/dates.py``): the ways sites write a publication date, and PDF dates."""

import pytest

from reflow.structure.dates import is_date_line, parse_date, parse_pdf_date


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


def test_a_date_line_is_a_date_and_nothing_else():
    assert is_date_line("Published: Aug. 16, 2020 at 10:12 am EST")
    assert is_date_line("2020-08-16")
    assert not is_date_line("On Aug. 16, 2020 the council met to vote on the bridge.")
