"""Metadata: title, authors, publication date and source URL.

Where each field comes from, best source first:

- ``title``: the article's own heading: the block near the top that matches the page title a
  browser printed in its header (``doc.info["print_title"]``) or put in the info dictionary
  (``Title``), site name cut off ("Night trains return | Example Daily" -> the block "Night trains
  return"). Without such a match, the page title without its site part. Other PDFs: a meaningful
  info ``Title`` (not "Microsoft Word - report.docx"), else the block typed ``title``. Plain text: only
  a block the roles stage typed ``title``; nothing is invented.
- ``authors``: a byline near the title ("By Sarah E. Needleman", "By Jonas Weber and Lena Fischer",
  "Posted on August 16, 2020 by Maria Costa", "Tom Krisher, Ap Auto Writer"), else the info
  ``Author`` of a PDF that is not a web print.
- ``date``: the first date written near the title ("Aug. 16, 2020", "16 August 2020 10:12",
  "2020-08-16", "Updated 1:39 am EST, Wednesday, November 20, 2019") as ISO 8601 ``YYYY-MM-DD``.
  The browser's print header carries the date the page was *printed*: never the publication date.
  For PDFs that are not web prints the info ``CreationDate`` is the last resort.
- ``url``: the print footer's URL, else a URL in the info dictionary, else a URL the text labels as
  the article's own ("Source: https://...", "Originally published at https://...").

Blocks recognised as the title, byline or date are re-typed so the renderers show them as such;
``doc.options["title_index"]`` keeps the position of the title block for the article stage.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from reflow.model import Block, Document

# ---------------------------------------------------------------------------------------------
# dates

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
DATE_MDY = re.compile(
    r"\b" + _MONTH.format(g="m1") + r"\s+" + _DAY.format(g="d1") + r",?\s+" + _YEAR.format(g="y1"),
)
# "16 August 2020", "16. August 2020", "16 de agosto de 2020", "16 août 2020"
DATE_DMY = re.compile(
    r"\b"
    + _DAY.format(g="d2")
    + r"\s+(?:de\s+)?"
    + _MONTH.format(g="m2")
    + r",?\s+(?:de\s+)?"
    + _YEAR.format(g="y2"),
)
# "2020-08-16", "2020/08/16", "2020-08-16T10:12:00Z"
DATE_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)")
# "16.08.2020" (day first), "08/16/2020" or "11/19/19" (month first unless the day says otherwise)
DATE_NUM = re.compile(
    r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.])"
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(word: str) -> int | None:
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
        mo = _month(m.group("m1"))
        if mo:
            d = _valid(int(m.group("y1")), mo, int(m.group("d1")))
            if d:
                found.append((m.start(), d))
                break
    for m in DATE_DMY.finditer(text):
        mo = _month(m.group("m2"))
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


# ---------------------------------------------------------------------------------------------
# titles


_QUOTES = str.maketrans({c: "'" for c in "‘’`´"} | {c: '"' for c in "“”«»„"})
_NON_WORD = re.compile(r"[^\w']+")


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    """Lower case, quotes unified, runs of other non-word characters to one space. Cached: the
    title is matched against the same blocks by the metadata and the article stages."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    return _NON_WORD.sub(" ", text).strip()


# The separators sites put between a headline and their name in <title>.
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|:|·|•|»|/)\s+")
JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft (?:word|powerpoint|excel)\b|powerpoint presentation$|document\d*$|"
    r"slide \d+|title$|"
    r"[\w\-]+\.(?:docx?|pptx?|xlsx?|pdf|tex|dvi|indd|qxd|rtf|odt)$)|^\s*$",
    re.IGNORECASE,
)


def title_parts(title: str) -> list[str]:
    """The page title and its pieces without the site's name: "Opinion | X - The New York Times"
    -> ["Opinion | X - The New York Times", "Opinion | X", "X", ...], longest first."""
    title = title.strip().rstrip("…").strip()
    out = [title]
    pieces = TITLE_SEPARATORS.split(title)
    if len(pieces) > 1:
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces) + 1):
                part = " - ".join(pieces[i:j]).strip()
                if part and part not in out:
                    out.append(part)
    return sorted(out, key=len, reverse=True)


def strip_site(title: str) -> str:
    """The headline part of a page title: the longest piece between site separators."""
    pieces = [p.strip() for p in TITLE_SEPARATORS.split(title.strip()) if p.strip()]
    if len(pieces) <= 1:
        return title.strip()
    return max(pieces, key=len)


@lru_cache(maxsize=64)
def _title_forms(page_title: str) -> tuple[int, tuple[tuple[str, float], ...], str, int]:
    """The page title's normalised pieces with their cover of the headline, computed once."""
    headline = _norm(strip_site(page_title))
    head = len(headline) or 1
    parts = []
    for part in title_parts(page_title):
        np_ = _norm(part)
        if np_:
            parts.append((np_, min(1.0, len(np_) / head)))
    words = set(headline.split())
    return head, tuple(parts), " ".join(sorted(words)), len(words)


@lru_cache(maxsize=4096)
def _title_match(text: str, page_title: str) -> float:
    """How well a block's text matches the page title (0..1): the best ratio over the title's
    pieces, scaled down for pieces shorter than the headline (the site's name matches its own
    masthead perfectly but is not the title); a block that is a long prefix of an elided title
    counts too. Cached: the metadata and article stages score the same blocks."""
    from rapidfuzz import fuzz

    nt = _norm(text)
    if len(nt) < 4:
        return 0.0
    _head, parts, head_words, n_head = _title_forms(page_title)
    best = 0.0
    for np_, cover in parts:
        r = fuzz.ratio(nt, np_) / 100.0 * cover
        # the print header elides long titles: "Lawan moves motion for Senate’s adjournment ov…"
        if (
            len(np_) >= 25
            and (nt.startswith(np_) or np_.startswith(nt))
            and len(nt) >= 0.5 * len(np_)
        ):
            r = max(r, 0.9 * cover)
        best = max(best, r)
    # the same words in another order or with a word more ("Homemade Spiced Honey Pear Jam for the
    # Holidays" for the page title "Spiced Honey Pear Jam Recipe")
    tb = set(nt.split())
    if len(tb) >= 3 and n_head >= 3:
        r = fuzz.token_set_ratio(nt, head_words) / 100.0
        best = max(best, 0.9 * r * min(1.0, len(tb) / n_head))
    return best


def page_title(doc: Document) -> str | None:
    """The page's <title> as the browser printed it (info Title is whole; the header may elide)."""
    for key in ("Title", "title", "print_title"):
        v = (doc.info.get(key) or "").strip()
        if v and not JUNK_TITLE.search(v):
            return v
    return None


# a copy of the browser's print header left in the text: "11/22/26, 5:28 PM <page title>"
PRINTED_AT = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}\s*[AaPp][Mm]\b|://")


def title_candidates(doc: Document, max_blocks: int = 400, threshold: float = 0.72):
    """``[(index, score)]`` of the blocks that match the printed page title, best first (ties:
    larger type, earlier)."""
    # Extracted text of a web print still carries the print header's page title.
    pt = page_title(doc) if doc.kind == "pdf" or doc.metadata.web_print else None
    if not pt:
        return []
    # The metadata and article stages both ask, about the same blocks: answer once.
    blocks = doc.blocks[:max_blocks]
    key = (
        pt,
        threshold,
        tuple((id(b), b.type in _NOT_TITLES, b.text, b.size) for b in blocks),
    )
    cached = doc.options.get("_title_candidates")
    if cached is not None and cached[0] == key and cached[2] is doc.blocks:
        return list(cached[1])
    out = _title_candidates(doc, blocks, pt, threshold)
    doc.options["_title_candidates"] = (key, tuple(out), doc.blocks)
    return out


_NOT_TITLES = frozenset({"list_item", "caption", "footnote", "code", "table"})


def _title_candidates(doc: Document, blocks: list, pt: str, threshold: float):
    out = []
    for i, b in enumerate(blocks):
        if b.type in _NOT_TITLES:
            continue
        words = len(b.text.split())
        if words > 60 or words == 0 or PRINTED_AT.search(b.text):
            continue
        s = _title_match(b.text, pt)
        if s >= threshold:
            out.append((i, s))
    out.sort(key=lambda t: (round(t[1], 1), doc.blocks[t[0]].size, -t[0]), reverse=True)
    return out


def find_title_block(doc: Document, max_blocks: int = 400) -> int | None:
    """Index of the block that is the article's title, or None.

    Web prints: the block matching the page title best (ties: larger type, earlier). Others: the
    block the roles stage typed ``title``.
    """
    if not doc.blocks:
        return None
    cands = title_candidates(doc, max_blocks)
    if cands:
        return cands[0][0]
    for i, b in enumerate(doc.blocks):
        if b.type == "title":
            return i
    return None


def set_title(doc: Document, index: int) -> None:
    """Make ``doc.blocks[index]`` the one title block and the metadata title."""
    tb = doc.blocks[index]
    for b in doc.blocks:
        if b.type == "title" and b is not tb:
            b.type = "heading"
            b.level = b.level or 2
    tb.type = "title"
    tb.level = 1
    doc.metadata.title = _clean_title(tb.text)
    doc.options["title_index"] = index


# ---------------------------------------------------------------------------------------------
# bylines

BY = re.compile(
    r"^(?:(?:posted|published|written|reported|story|text|words|photos?)\s+)?"
    r"(?:by|von|par|por|di|door|oleh|от)\s*:?\s+(?P<names>.+)$",
    re.IGNORECASE,
)
BY_INNER = re.compile(r"\b(?:posted|published)\b.*?\bby\s+(?P<names>[^\d|•]+)$", re.IGNORECASE)
# words that make a byline piece a role or an outlet, not a person: ", Staff Writer", "Reuters"
ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|contributing|staff|press|"
    r"news|reuters|afp|bloomberg|times|post|journal|herald|daily|magazine|desk|associated|agency|"
    r"bureau|senior|chief|special|analyst|guest|author|photographer|team|media|online|digital)\b",
    re.IGNORECASE,
)
NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'’.\-]*|[A-Z]\.|(?:van|von|de|der|den|da|di|du|del|la|le|al|bin|"
    r"ibn|dos|das|y|e|ter)|[A-Z][a-z]*[A-Z][\w'’\-]*)$"
)


NOT_NAME = set(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "today yesterday updated published posted on at admin administrator editor staff team "
    "guest anonymous unknown".split()
)


def _clean_name(name: str) -> str | None:
    name = re.sub(r"\s+", " ", name).strip(" ,;:.|•-–—")
    name = re.sub(r"^(?:dr|mr|mrs|ms|prof)\.?\s+", "", name, flags=re.IGNORECASE)
    if not name or "@" in name or "http" in name.lower():
        return None
    words = name.split()
    # a date or a label glued to the name ends it: "Malcolm Owen Monday", "Laura Mowat PUBLISHED"
    mixed = not name.isupper()
    for k, w in enumerate(words):
        if (
            w.lower().rstrip(".,") in NOT_NAME
            or _month(w) is not None
            or (mixed and len(w) > 3 and w.isupper())
            or re.search(r"\.(?:com|org|net|co|de|fr|it|ru|uk)\b", w, re.IGNORECASE)
        ):
            words = words[:k]
            break
    name = " ".join(words)
    if not 1 <= len(words) <= 5 or (len(words) == 1 and len(name) < 4):
        return None
    if name.lower() in NOT_NAME:
        return None
    if not all(NAME_WORD.match(w) for w in words):
        return None
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return None
    if sum(w[0].isupper() for w in words) < min(2, len(words)) and len(words) > 1:
        return None
    if name.isupper() and len(name) > 3:  # "AMANDA SEITZ" -> "Amanda Seitz"
        name = " ".join(w.capitalize() if len(w) > 2 else w for w in words)
    return name


def split_names(names: str) -> list[str]:
    """ "Jonas Weber and Lena Fischer" -> ["Jonas Weber", "Lena Fischer"]; roles and outlets
    ("Erik Holm, Staff Writer", "Tom Smith | Reuters", "X for The Hill") cut off."""
    names = re.split(
        r"\s+(?:on|updated|published|posted|at|for|in|from|special to)\s+|\s*[|•/]\s*|\s{2,}",
        names,
        maxsplit=1,
    )[0]
    m = re.search(r"\d", names)  # a date glued to the byline ends it
    if m:
        names = names[: m.start()]
    parts = re.split(r"\s*[,;]\s*(?:and\s+|&\s*)?|\s+(?:and|und|et|y|e|&)\s+", names)
    out: list[str] = []
    for p in parts:
        if not p.strip():
            continue
        if ROLE_WORDS.search(p):
            break
        c = _clean_name(p)
        if c is None:
            break  # a piece that is not a name ends the list
        if c not in out:
            out.append(c)
    return out


def byline_authors(text: str) -> list[str]:
    """Names in a byline, or [] when the text is not one.

    >>> byline_authors("By Jonas Weber and Lena Fischer")
    ['Jonas Weber', 'Lena Fischer']
    """
    t = re.sub(r"\s+", " ", text).strip()
    if len(t.split()) > 25:
        return []
    m = BY.match(t) or BY_INNER.search(t)
    if m:
        return split_names(m.group("names"))
    # "Tom Krisher, Ap Auto Writer": a name followed by a newsroom role
    m = re.match(r"^(?P<name>[^,|]{3,40}?)\s*[,|]\s*(?P<role>[^,|]{2,40})$", t)
    if m and re.search(
        r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|staff)\b",
        m.group("role"),
        re.IGNORECASE,
    ):
        c = _clean_name(m.group("name"))
        return [c] if c else []
    return []


# ---------------------------------------------------------------------------------------------
# URLs

URL_LABEL = re.compile(
    r"(?:^|\b)(?:source|url|permalink|canonical|originally published (?:at|on)|read (?:it )?online"
    r"(?: at)?|available (?:at|online at))\s*:?\s*<?(?P<url>https?://[^\s<>]+)",
    re.IGNORECASE,
)


def _url_from_info(doc: Document) -> str | None:
    for key in ("print_url", "URL", "Url", "url", "Subject", "Keywords"):
        v = (doc.info.get(key) or "").strip()
        if re.match(r"^https?://\S+$", v):
            return v
    return None


# ---------------------------------------------------------------------------------------------
# the stage


def _near(blocks: list[Block], idx: int | None, before: int, after: int) -> list[int]:
    if idx is None:
        return list(range(min(len(blocks), after)))
    lo = max(0, idx - before)
    hi = min(len(blocks), idx + after + 1)
    order = list(range(idx + 1, hi)) + list(range(idx - 1, lo - 1, -1))
    return order


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _byline_near(doc: Document, ti: int | None) -> list[str]:
    """Authors from the first byline near the title (re-typed ``byline``)."""
    for i in _near(doc.blocks, ti, before=3, after=10):
        b = doc.blocks[i]
        if b.type in ("title", "list_item", "code", "table"):
            continue
        names = byline_authors(b.text)
        if names:
            if b.type in ("paragraph", "date", "dek"):
                b.type = "byline"
            return names
    return []


def _date_near(doc: Document, ti: int | None) -> str | None:
    """The first date written in a short block near the title (re-typed ``date`` when the
    block is only a date line)."""
    for i in _near(doc.blocks, ti, before=3, after=12):
        b = doc.blocks[i]
        if b.type in ("title", "code", "table"):
            continue
        # a short date line, or a date opening a longer block ("Monday November 18, 2019 7:45
        # am PST by Joe Rossignol Following the ...")
        d = parse_date(b.text if len(b.text.split()) <= 30 else b.text[:40])
        if d and 1990 <= d.year <= date.today().year + 1:
            if b.type == "paragraph" and len(b.text.split()) <= 12:
                b.type = "date"
            return d.isoformat()
    return None


def refresh_near_title(doc: Document, ti: int) -> None:
    """The article stage moved the title: read the byline and date again around it."""
    names = _byline_near(doc, ti)
    if names:
        doc.metadata.authors = names
    day = _date_near(doc, ti)
    if day:
        doc.metadata.date = day


BROWSER = re.compile(r"\bMozilla/\d|HeadlessChrome|\bChrome/\d|\bFirefox/\d|\bSafari/\d")


def is_web_page(doc: Document) -> bool:
    """A web page printed to PDF: the print header/footer was seen, or a browser made the PDF
    (Chromium writes its user agent as the Creator) even with the header and footer off."""
    return doc.metadata.web_print or (
        doc.kind == "pdf" and bool(BROWSER.search(doc.info.get("Creator", "") or ""))
    )


def extract_metadata(doc: Document) -> Document:
    md = doc.metadata
    blocks = doc.blocks
    md.pages = md.pages or len(doc.pages)
    if not md.producer:
        md.producer = (doc.info.get("Producer") or "").strip() or None
    web = is_web_page(doc)
    is_pdf = doc.kind == "pdf"

    # title
    ti = find_title_block(doc)
    if ti is not None:
        set_title(doc, ti)
    pt = page_title(doc) if is_pdf else None
    if pt and not web:
        md.title = pt  # an author-set title outranks the look of page 1
    elif pt and ti is None:
        md.title = strip_site(pt)

    # authors and date: a byline and a date near the title
    if not md.authors:
        md.authors = _byline_near(doc, ti)
    if not md.authors and is_pdf and not web:
        author = (doc.info.get("Author") or "").strip()
        if author and not re.match(r"^(?:user|admin|owner|unknown|author)\b", author, re.I):
            md.authors = [
                a.strip() for a in re.split(r"\s*(?:;|,| and | & )\s*", author) if a.strip()
            ]
    if not md.date:
        md.date = _date_near(doc, ti)
    if not md.date and is_pdf and not web:
        d = parse_pdf_date(doc.info.get("CreationDate", ""))
        if d:
            md.date = d.isoformat()

    # url
    if not md.url:
        md.url = _url_from_info(doc)
    if not md.url:
        for b in blocks:
            m = URL_LABEL.search(b.text) if "://" in b.text else None  # the regex needs one
            if m:
                md.url = m.group("url").rstrip(".,;)")
                break
    return doc
