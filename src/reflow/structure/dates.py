"""Dates written in a document: recognising them and reading them as calendar days.

``parse_date`` reads the first date written in a text ("Aug. 16, 2020", "16 August 2020",
"20 February, 2024", "2020-08-16", "16.08.2020", "08/16/2020", "2020年8月16日", "4 de mayo de
2022", "18 февраля 2020"); ``is_date_line`` tells a block that is only a date line ("Published:
Monday, Nov. 18, 2019 at 7:45 am"); ``url_date`` reads the day a URL carries
("/2020/03/23/"); ``parse_pdf_date`` reads an info dictionary's "D:20200816101200+02'00'".

A numeric date with the day and month both under 13 ("06/01/2026") is read in the ``order``
the caller knows from the page ("dmy" or "mdy"; ``header.date_order``); without one, month
first for slashes (US), day first for dots and dashes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from reflow.lexicon import Lazy

MONTH_NAMES: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "january jan janar janari siječnja siječanj januar januarja ιανουαρίου ιαν janvier janv januar jänner enero ene janeiro gennaio genn januari gener "
        "stycznia styczeń styczen января январь янв січня ledna leden január tammikuuta "
        "tammikuu ocak ianuarie januára sausio janvāris јануар януари",
        "february feb shkurt shkurtit veljače veljača februarja φεβρουαρίου φεβ febr février fév févr februar febrero fevereiro fev febbraio febbr "
        "februari febrer lutego luty февраля февраль фев лютого února únor február "
        "helmikuuta helmikuu şubat subat februarie februára vasario februāris фебруар "
        "февруари",
        "march mar mars marsit ožujka ožujak marec marca μαρτίου μαρ mars märz mär marzo março marco maart maret març marca marzec марта март "
        "березня března březen március maaliskuuta maaliskuu mart martie marca kovo marts "
        "марта",
        "april apr prill prillit travnja travanj aprila απριλίου απρ avril avr abril abr aprile kwietnia kwiecień kwiecien апреля апрель апр "
        "квітня dubna duben április huhtikuuta huhtikuu nisan aprilie apríla balandžio "
        "aprīlis",
        "may mai majit svibnja svibanj maja μαΐου μαΐ μαιου mayo maio maggio mag mei maig maja maj мая май травня května květen május "
        "toukokuuta toukokuu mayıs mayis mája gegužės maijs мај",
        "june jun qershor qershorit lipnja lipanj junij junija ιουνίου ιουν juin juni junio junho giugno giu juny czerwca czerwiec июня июнь июн "
        "червня června červen június kesäkuuta kesäkuu haziran iunie júna birželio jūnijs "
        "јун юни",
        "july jul korrik korrikut srpnja srpanj julij julija ιουλίου ιουλ juillet juil juli julio julho luglio lug juliol lipca lipiec июля июль июл "
        "липня července červenec július heinäkuuta heinäkuu temmuz iulie júla liepos "
        "jūlijs јул юли",
        "august aug gusht gushtit kolovoza kolovoz avgust avgusta αυγούστου αυγ août aout agosto augustus agustus agt agost sierpnia sierpień sierpien "
        "августа август авг серпня srpna srpen augusztus elokuuta elokuu ağustos agustos "
        "augusti augusta rugpjūčio augusts август",
        "september sep shtator shtatorit rujna rujan septembra σεπτεμβρίου σεπ sept septembre septiembre setiembre set setembro settembre sett setembre "
        "września wrzesień wrzesien сентября сентябрь сен вересня září szeptember syyskuuta "
        "syyskuu eylül eylul septembrie septembra rugsėjo septembris септембар септември",
        "october oct tetor tetorit oktobra οκτωβρίου οκτ octobre okt oktober octubre out outubro ottobre ott octubre "
        "października październik pazdziernik октября октябрь окт жовтня října říjen "
        "október lokakuuta lokakuu ekim octombrie októbra spalio oktobris октобар октомври",
        "november nov nëntor nëntorit studenoga studenog studeni novembra νοεμβρίου νοε novembre noviembre novembro nopember listopada listopad ноября ноябрь "
        "ноя листопада listopadu november marraskuuta marraskuu kasım kasim noiembrie "
        "novembra lapkričio novembris новембар ноември",
        "december dec dhjetor dhjetorit prosinca prosinac decembra δεκεμβρίου δεκ décembre déc dezember dez diciembre dic dezembro dicembre desember des "
        "desembre grudnia grudzień grudzien декабря декабрь дек грудня prosince prosinec "
        "joulukuuta joulukuu aralık aralik decembrie decembra gruodžio decembris децембар "
        "декември",
    ),
    start=1,
):
    for _w in _names.split():
        MONTH_NAMES.setdefault(_w, _n)

_MONTH = r"(?P<{g}>[^\W\d_]{{3,13}})\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"

# "Aug. 16, 2020", "August 16 2020", "Wednesday, November 20, 2019"
DATE_MDY = Lazy(
    r"\b" + _MONTH.format(g="m1") + r"\s+" + _DAY.format(g="d1") + r",?\s+" + _YEAR.format(g="y1"),
)
# "16 August 2020", "16. August 2020", "20 February, 2024", "16 de agosto de 2020", "6 DE MAYO DE
# 2022", "29 / Dezember / 2022", "18 февраля 2020 г.", a day glued to the word before it ("Alfeld2. Oktober 2015": a place, then the date)
DATE_DMY = Lazy(
    r"(?<![\d.])"
    + _DAY.format(g="d2")
    + r"\s*(?:[/|]\s*)?(?:[dD][eE]\s+|of\s+)?"
    + _MONTH.format(g="m2")
    + r"(?:,?\s+|\s*[/|]\s*)(?:[dD][eE]\s+|[dD][eE][lL]\s+)?"
    + _YEAR.format(g="y2"),
)
# "2020. június 4." (Hungarian), "2020 m. vasario 3 d." (Lithuanian)
DATE_YMD_WRITTEN = Lazy(
    r"(?<!\d)" + _YEAR.format(g="y3") + r"\.?\s+(?:m\.\s+)?" + _MONTH.format(g="m3") + r"\s+"
    r"(?P<d3>[0-3]?\d)(?!\d)"
)
# "2020年8月16日", "2020년 8월 16일", "2020 年 8 月 16 日"
DATE_CJK = Lazy(
    r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]?"
)
# "2020-08-16", "2020/08/16", "2020-08-16T10:12:00Z", "access_time2019/04/21", "2020. 08. 18."
# (Hungarian)
DATE_ISO = Lazy(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?:[-/]|\.\s?)(?P<m>[01]?\d)(?:[-/]|\.\s?)(?P<d>[0-3]?\d)(?!\d)"
)
# "16.08.2020" (day first), "08/16/2020" or "11/19/19", "06/01/2026" (by the page's order)
DATE_NUM = Lazy(
    r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)"
    r"(?![\d/])(?!\.\d)"
)
# "4. 2. 2022", "13. 1. 2020" (day first), "26 | 01 | 2022", "12 / 10 / 2020" (by the page's
# order): the parts spaced apart, the year in full
DATE_NUM_SPACED = Lazy(
    r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>\.\s|\s[/|]\s)(?P<b>[01]?\d)(?P=sep)"
    r"(?P<y>(?:19|20)\d\d)(?!\d)"
)
# The year each pattern above has (DATE_NUM's may be two digits)
_FULL_YEAR = Lazy(r"(?:19|20)\d\d")
# A day in a URL's path: "/2020/03/23/", "/2020-03-23-", "/20200323/"
URL_DATE = Lazy(
    r"/(?P<y>(?:19|20)\d\d)(?P<s>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=s)(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?=[/_.\-]|$)"
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_number(word: str) -> int | None:
    w = unicodedata.normalize("NFC", word.lower().rstrip("."))
    return MONTH_NAMES.get(w)


def numeric_readings(text: str) -> list[tuple[int, int]]:
    """(first, second) numbers of each slashed numeric date in ``text`` ("06/01/2026" ->
    (6, 1)): what tells a page's day/month order when one of them is over 12."""
    return [
        (int(m.group("a")), int(m.group("b")))
        for m in DATE_NUM.finditer(text)
        if m.group("sep") == "/"
    ]


@lru_cache(maxsize=64)
def _written_dates(text: str) -> tuple[tuple[int, date], ...]:
    """The dates of ``text`` that name their year in full (every pattern but DATE_NUM), as
    ``find_dates`` finds them: the same whatever the order, so a text read in both orders
    (pubdates) is scanned once."""
    found: list[tuple[int, date]] = []
    # A text without a four-digit year is not scanned by them (DATE_MDY tries each word of a
    # paragraph as a month name)
    if _FULL_YEAR.search(text):
        for pat, gy, gm, gd in (
            (DATE_MDY, "y1", "m1", "d1"),
            (DATE_DMY, "y2", "m2", "d2"),
            (DATE_YMD_WRITTEN, "y3", "m3", "d3"),
        ):
            for m in pat.finditer(text):
                mo = month_number(m.group(gm))
                if mo:
                    d = _valid(int(m.group(gy)), mo, int(m.group(gd)))
                    if d:
                        found.append((m.start(), d))
        for pat in (DATE_ISO, DATE_CJK):
            for m in pat.finditer(text):
                d = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                if d:
                    found.append((m.start(), d))
    return tuple(found)


def _numeric(text: str):
    yield from DATE_NUM.finditer(text)
    if ". " in text or " / " in text or " | " in text:
        yield from DATE_NUM_SPACED.finditer(text)


def find_dates(text: str, order: str | None = None) -> list[tuple[int, date]]:
    """Every calendar date written in ``text`` as (offset, date), in text order; ``order``
    ("dmy", "mdy") reads numeric dates whose day and month are both under 13."""
    found = list(_written_dates(text))
    for m in _numeric(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if y < 100:
            y += 2000
        if m.group("sep").strip() in ".-" or order == "dmy":
            d = _valid(y, b, a) or _valid(y, a, b)  # 16.08.2020: day first
        else:
            d = _valid(y, a, b) or _valid(y, b, a)  # 08/16/2020, else 16/08/2020
        if d:
            found.append((m.start(), d))
    found.sort(key=lambda t: t[0])
    return found


def parse_date(text: str, order: str | None = None) -> date | None:
    """The first calendar date written in ``text``, or None.

    >>> parse_date("Nov. 19, 2019 8:03 am ET")
    datetime.date(2019, 11, 19)
    >>> parse_date("16 August 2020 10:12")
    datetime.date(2020, 8, 16)
    >>> parse_date("06/01/2026", order="dmy")
    datetime.date(2026, 1, 6)
    """
    found = find_dates(text, order)
    return found[0][1] if found else None


def url_date(url: str | None) -> date | None:
    """The day a URL's path carries ("https://example.org/2020/03/23/slug" -> 2020-03-23)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    path = re.sub(r"^/web/\d{8,14}/[a-z]+://[^/]+", "", path)  # an archive's own stamp
    m = URL_DATE.search(path.split("?")[0])
    if not m:
        return None
    return _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))


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
