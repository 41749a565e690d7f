"""Dates written in a document: recognising them and reading them as calendar days.

``parse_date`` reads the first date written in a text ("Aug. 16, 2020", "16 August 2020",
"2020-08-16", "16.08.2020", "08/16/2020"); ``is_date_line`` tells a block that is only a date
line ("Published: Monday, Nov. 18, 2019 at 7:45 am"); ``parse_pdf_date`` reads an info
dictionary's "D:20200816101200+02'00'".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from reflow.lexicon import Lazy

MONTH_NAMES: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "january jan janvier janv januar jänner enero ene janeiro jan gennaio genn januari",
        "february feb febr février fév févr februar febrero feb fevereiro fev febbraio febbr februari",
        "march mar mars märz mär marzo mar março marco mar maart maret",
        "april apr avril avr abril abr aprile apr",
        "may mai mayo maio maggio mag mei",
        "june jun juin juni junio jun junho giugno giu",
        "july jul juillet juil juli julio jul julho luglio lug",
        "august aug août aout agosto ago augustus agustus agt",
        "september sep sept septembre septiembre setiembre set setembro settembre sett",
        "october oct octobre okt oktober octubre out outubro ottobre ott",
        "november nov novembre noviembre novembro nopember",
        "december dec décembre déc dezember dez diciembre dic dezembro dicembre desember des",
    ),
    start=1,
):
    for _w in _names.split():
        MONTH_NAMES.setdefault(_w, _n)

_MONTH = r"(?P<{g}>[^\W\d_]{{3,10}})\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"

# "Aug. 16, 2020", "August 16 2020", "Wednesday, November 20, 2019"
DATE_MDY = Lazy(
    r"\b" + _MONTH.format(g="m1") + r"\s+" + _DAY.format(g="d1") + r",?\s+" + _YEAR.format(g="y1"),
)
# "16 August 2020", "16. August 2020", "16 de agosto de 2020", "16 août 2020"
DATE_DMY = Lazy(
    r"\b"
    + _DAY.format(g="d2")
    + r"\s+(?:de\s+)?"
    + _MONTH.format(g="m2")
    + r",?\s+(?:de\s+)?"
    + _YEAR.format(g="y2"),
)
# "2020-08-16", "2020/08/16", "2020-08-16T10:12:00Z"
DATE_ISO = Lazy(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)")
# "16.08.2020" (day first), "08/16/2020" or "11/19/19" (month first unless the day says otherwise)
DATE_NUM = Lazy(
    r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.])"
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_number(word: str) -> int | None:
    w = unicodedata.normalize("NFC", word.lower().rstrip("."))
    return MONTH_NAMES.get(w)


def parse_date(text: str) -> date | None:
    """The first calendar date written in ``text``, or None.

    >>> parse_date("Nov. 19, 2019 8:03 am ET")
    datetime.date(2019, 11, 19)
    >>> parse_date("16 August 2020 10:12")
    datetime.date(2020, 8, 16)
    """
    found: list[tuple[int, date]] = []
    for m in DATE_MDY.finditer(text):
        mo = month_number(m.group("m1"))
        if mo:
            d = _valid(int(m.group("y1")), mo, int(m.group("d1")))
            if d:
                found.append((m.start(), d))
                break
    for m in DATE_DMY.finditer(text):
        mo = month_number(m.group("m2"))
        if mo:
            d = _valid(int(m.group("y2")), mo, int(m.group("d2")))
            if d:
                found.append((m.start(), d))
                break
    m = DATE_ISO.search(text)
    if m:
        d = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            found.append((m.start(), d))
    m = DATE_NUM.search(text)
    if m:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if y < 100:
            y += 2000
        if m.group("sep") == ".":
            d = _valid(y, b, a)  # 16.08.2020: day first
        else:
            d = _valid(y, a, b) or _valid(y, b, a)  # 08/16/2020, else 16/08/2020
        if d:
            found.append((m.start(), d))
    if not found:
        return None
    return min(found, key=lambda t: t[0])[1]


def parse_pdf_date(value: str) -> date | None:
    """A PDF date string ("D:20200816101200+02'00'") -> date."""
    m = re.match(r"^\s*(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?", value or "")
    if not m:
        return None
    return _valid(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


# A block that is only a date line: "Published: Monday, Nov. 18, 2019 at 7:45 am PST".
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_ONLY = Lazy(
    r"^(?:(?:published|updated|posted|last updated|date)\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:"
    + MONTHS
    + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+"
    + MONTHS
    + r",?\s+\d{4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*\.?$",
    re.IGNORECASE,
)


def is_date_line(text: str) -> bool:
    """The text is a date line and nothing else (a label and a time of day allowed)."""
    return bool(DATE_ONLY.match(text))
