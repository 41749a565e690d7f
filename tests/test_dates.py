"""Dates (``structure/dates.py``): the ways sites write a publication date, and PDF dates."""

from datetime import date

import pytest

from reflow.structure.dates import is_date_line, parse_date, parse_pdf_date, url_date


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
        ("20 February, 2024", "2024-02-20"),
        ("miércoles, 4 de mayo de 2022 00:00 hs", "2022-05-04"),
        ("18 февраля 2020, 14:30", "2020-02-18"),
        ("2 listopada 2023", "2023-11-02"),
        ("2020. június 4.", "2020-06-04"),
        ("2020年7月1日 10時00分", "2020-07-01"),
        ("2013년 10월 24일", "2013-10-24"),
        ("By Seth Fiegerman2014-01-26 21:32:46 UTC", "2014-01-26"),
        ("access_time2019/04/21 11:51", "2019-04-21"),
        ("19 helmikuuta 2019", "2019-02-19"),
        ("Von Deutscher Tennis Bund 4. 2. 2022.", "2022-02-04"),
        ("Bielersee-Winterhechte 26 | 01 | 2022 Schweiz", "2022-01-26"),
        ("von Jennifer Koutni Fashion 29 / Dezember / 2022", "2022-12-29"),
        ("6 DE MAYO DE 2022 05:30", "2022-05-06"),
        ("lexoni më shumë... 13 gusht 2020, 09:08", "2020-08-13"),
        ("3. siječnja 2020.", "2020-01-03"),
        ("5 Φεβρουαρίου 2021", "2021-02-05"),
    ],
)
def test_dates_written_the_ways_sites_write_them(text, iso):
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize(
    "text", ["Feb. 30, 2020", "13/13/2020", "Chapter 12, page 2020", "Teil 1. 2. Kapitel", ""]
)
def test_not_a_date(text):
    assert parse_date(text) is None


def test_pdf_creation_date():
    assert parse_pdf_date("D:20200816101200+02'00'").isoformat() == "2020-08-16"
    assert parse_pdf_date("garbage") is None


def test_a_date_line_is_a_date_and_nothing_else():
    assert is_date_line("Published: Aug. 16, 2020 at 10:12 am EST")
    assert is_date_line("2020-08-16")
    assert not is_date_line("On Aug. 16, 2020 the council met to vote on the bridge.")


def test_a_numeric_date_in_the_order_the_page_writes():
    assert parse_date("06/01/2026").isoformat() == "2026-06-01"  # no order known: month first
    assert parse_date("06/01/2026", order="dmy").isoformat() == "2026-01-06"
    assert parse_date("23/05/2022", order="mdy").isoformat() == "2022-05-23"  # only reading
    assert parse_date("06.01.2026", order="mdy").isoformat() == "2026-01-06"  # dots: day first


def test_the_day_a_url_carries():
    assert url_date("https://example.org/2020/03/23/fire").isoformat() == "2020-03-23"
    assert url_date("https://example.org/news/20190402-alert.html").isoformat() == "2019-04-02"
    assert url_date("https://example.org/2020/03/fire") is None
    assert url_date("https://example.org/story/10939686") is None


def test_a_day_glued_to_the_word_before_and_hungarian_spaced_dates():
    assert parse_date("Fagus-Werk Alfeld2. Oktober 2015 - 12:33") == date(2015, 10, 2)
    assert parse_date("Yahoo News Australia28 October 2020") == date(2020, 10, 28)
    assert parse_date("Olvasói szavazás 2020. 06. 04. 11:27") == date(2020, 6, 4)
    assert parse_date("Version 12.2020") is None
