"""Page furniture: what the page carries that the article does not.

Reads the pages' lines; removes furniture lines from them into ``doc.removed`` (with their
``Reason``, so a wrong guess can be seen), or, with ``keep_furniture``, into ``Facts.furniture``
to be put back in place as ``furniture`` blocks (``edges.set_aside``, ``layout/kept.py``); writes what the print header and footer said into
``doc.facts`` (``print_date``, ``print_title``, ``print_url``) for the metadata stage, and the
link targets of URL dumps into ``doc.urls`` for the links stage. Rules, in order:

- ``print-header-footer`` / ``print-header-footer-text``: a browser's Print to PDF adds the date
  and the page title at the top of every page, the URL and "n/m" at the bottom ("8/16/20, 10:12
  AM  Belarus ...", "https://www.themoscowtimes.com/...  1/4").
- ``running-header`` / ``running-header-text``: lines near the top or bottom edge whose text
  (digits ignored) repeats on many pages ("IBM Redbooks  |  Chapter 2").
- ``page-number`` / ``page-number-text``: a lone number, "Page 3", "3 of 12", "- 3 -" at an edge.
- ``url-dump``: a run of lines that are bare URLs (an extractor's dump of a page's link targets).
- ``margin-stamp``, ``page-number-row``, ``header-position`` (``layout/edges.py``): furniture by
  position, size and pattern where repetition cannot tell (printed once; a margin stamp).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from reflow.layout.edges import (
    apart,
    header_position,
    margin_stamp,
    page_number_row,
    row_pieces,
    same_row,
    set_aside,
    text_size,
)
from reflow.lexicon import (
    FOOTER_URL,
    PAGE_COUNTER,
    PRINT_DATE,
    Lazy,
    is_url_line,
)
from reflow.model import Document, Line, Page, Producer, Reason
from reflow.rules import rule
from reflow.settings import FurnitureSettings

PAGE_NUMBER = Lazy(
    r"^(?:[-–—|•]\s*)?(?:page\s+|p\.\s*|seite\s+|pag\.\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:/|of|von|de|\|)\s*\d{1,4})?(?:\s*[-–—|•])?$",
    re.IGNORECASE,
)
_SPACES = Lazy(r"\s+")
_DIGITS = Lazy(r"\d+")
_HAS_DIGIT = Lazy(r"\d")


def _norm(text: str) -> str:
    """Text with digits folded, so 'Page 3' and 'Page 4' compare equal."""
    return _DIGITS.sub("#", _SPACES.sub(" ", text.strip().lower()))


def _remove(doc: Document, page: Page, line: Line, reason: Reason) -> None:
    set_aside(doc, page.number, [line], reason)


def _need(pages: int, share: float, least: int) -> int:
    """How many pages a repeated line must be on: ``share`` of them, at least ``least``."""
    return max(least, math.ceil(pages * share))


# --------------------------------------------------------------------------------------------
# Print header and footer


@rule("print-header-footer", stage="furniture")
def print_header_footer(doc: Document, s: FurnitureSettings) -> None:
    """A browser's print header is small text in the top margin band with a date at the left
    and the page title beside it ("8/16/20, 10:12 AM  Belarus ... - The Moscow Times"); its
    footer is the URL at the left and "n/m" at the right. Removed where it is on at least half
    the pages; the document is then a web print."""
    facts = doc.facts
    hits = 0
    marks: dict[int, list[tuple[Line, Reason]]] = defaultdict(list)
    date = title = url = None
    for page in doc.pages:
        if not page.height:
            continue
        band = min(s.print_band_pt, page.height * s.print_band_share)
        top = [ln for ln in page.lines if ln.bbox and ln.bbox[3] <= band]
        bottom = [ln for ln in page.lines if ln.bbox and ln.bbox[1] >= page.height - band]
        page_hit = False
        for ln in top:
            m = PRINT_DATE.match(ln.text.strip())
            if m:
                marks[page.number].append((ln, Reason.PRINT_HEADER))
                date = date or m.group("date")
                if m.group("title") and title is None:
                    title = m.group("title").strip()
                page_hit = True
        if page_hit:
            # The title sits on the date's line; text just below it (page content printed
            # high on the page) is not part of the header.
            dates = [x for x, _ in marks[page.number]]
            for ln in top:
                if all(ln is not x for x in dates) and any(same_row(ln, d) for d in dates):
                    marks[page.number].append((ln, Reason.PRINT_HEADER))
                    if title is None:
                        title = ln.text.strip()
        foot_hit = False
        for ln in bottom:
            t = ln.text.strip()
            m = FOOTER_URL.match(t)
            if m:
                marks[page.number].append((ln, Reason.PRINT_FOOTER))
                url = url or m.group("url")
                foot_hit = True
            elif PAGE_COUNTER.match(t):
                marks[page.number].append((ln, Reason.PRINT_FOOTER))
                foot_hit = True
        hits += page_hit or foot_hit
    if not hits or hits < max(1, int(len(doc.pages) * s.print_pages_share)):
        return
    facts.producer = Producer.BROWSER
    facts.print_date, facts.print_title, facts.print_url = date, title, url
    if url and url.endswith(("…", "...")):
        facts.print_url = complete_url(url, doc) or url
    for page in doc.pages:
        drop = marks.get(page.number, [])
        if not drop:
            continue
        ids = {id(ln) for ln, _ in drop}
        for ln, reason in drop:
            _remove(doc, page, ln, reason)
        page.lines = [ln for ln in page.lines if id(ln) not in ids]
    doc.metadata.web_print = True


@rule("print-url-ellipsis", stage="furniture")
def complete_url(truncated: str, doc: Document) -> str | None:
    """Chromium cuts a long URL in its print footer ("https://site/long-slug-of-the-artic…").
    The page usually links to itself (canonical, share buttons that carry the URL in a query
    parameter): the shortest such URL that starts with the visible prefix completes it. Nothing
    is guessed when no link matches."""
    from urllib.parse import parse_qsl, urlsplit

    prefix = truncated.rstrip(".…")
    if len(prefix) < 20:
        return None
    found = set()
    for page in doc.pages:
        for lk in page.links:
            cands = [lk.url]
            try:
                cands += [v for _, v in parse_qsl(urlsplit(lk.url).query)]
            except ValueError:
                pass
            found.update(c for c in cands if c.startswith(prefix) and len(c) > len(prefix))
    if not found:
        return None
    return min(found, key=lambda u: (len(u.split("?")[0]), len(u)))


@rule("print-header-footer-text", stage="furniture")
def print_header_footer_text(doc: Document, s: FurnitureSettings) -> None:
    """The print header and footer in extracted text, at page edges. An extractor may put the
    header's date and title, or the footer's URL and "n/m", on one line or on lines of their
    own; a title or URL line counts only on a page whose date or counter was seen, and only
    when it repeats on most pages. PDFium's text of a Chromium print draws header and footer
    last, so the header's line may also sit just before the footer at a page's end."""
    facts = doc.facts
    pages = [p for p in doc.pages if any(ln.text for ln in p.lines)]
    edge_counts: Counter[str] = Counter()
    for page in pages:
        content = [ln.text for ln in page.lines if ln.text]
        edge_counts.update(set(content[:3] + content[-3:]))
    need = _need(len(pages), s.print_pages_share, 1)
    for page in doc.pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        head, foot = content[:3], content[-3:]
        drop: dict[int, Reason] = {}
        dated: list[int] = []  # the header's date lines that carry no title of their own
        for i in head[:2] + foot:
            if m := PRINT_DATE.match(page.lines[i].text):
                drop[i] = Reason.PRINT_HEADER
                facts.print_date = facts.print_date or m.group("date")
                if not m.group("title"):
                    dated.append(i)
                elif facts.print_title is None:
                    facts.print_title = m.group("title").strip()
        for i in foot:
            t = page.lines[i].text
            if (m := FOOTER_URL.match(t)) and m.group("n"):
                drop[i] = Reason.PRINT_FOOTER
                facts.print_url = facts.print_url or m.group("url")
            elif PAGE_COUNTER.match(t) and i in (content[0], content[-1]):
                drop[i] = Reason.PRINT_FOOTER
        # The title on a line of its own sits next to a date line that has none; where the
        # date line carries the title, the line after it is the page's own first line.
        if dated:
            at = {
                content[k + d]
                for k, i in enumerate(content)
                if i in dated
                for d in (-1, 1)
                if 0 <= k + d < len(content)
            }
            for i in head:
                t = page.lines[i].text
                if i not in drop and i in at and edge_counts[t] >= need and not FOOTER_URL.match(t):
                    drop[i] = Reason.PRINT_HEADER
                    if facts.print_title is None:
                        facts.print_title = t.strip()
                    break
        if Reason.PRINT_FOOTER in drop.values():
            for i in foot:
                t = page.lines[i].text
                m = FOOTER_URL.match(t)
                if i not in drop and m and edge_counts[t] >= need:
                    drop[i] = Reason.PRINT_FOOTER
                    facts.print_url = facts.print_url or m.group("url")
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], drop[i])
        if drop:
            doc.metadata.web_print = True
            facts.producer = Producer.BROWSER
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


# --------------------------------------------------------------------------------------------
# URL dumps


@rule("url-dump", stage="furniture")
def url_dumps(doc: Document, s: FurnitureSettings) -> None:
    """Two or more consecutive bare-URL lines, or one bare URL line standing alone between
    blank lines in extracted text, are link targets an extractor dumped, not prose (the seed's
    page 1 ends in six of them). In extracted text blank lines may separate them, as the
    reader's ``url-dump-page-end`` allows. Their URLs are kept in ``doc.urls``."""
    text = doc.kind == "text"
    for page in doc.pages:
        lines = page.lines
        keep: list[Line] = []
        i = 0
        while i < len(lines):
            if is_url_line(lines[i].text):
                j = end = i
                while j < len(lines) and (
                    is_url_line(lines[j].text) or (text and not lines[j].text.strip())
                ):
                    j += 1
                    if is_url_line(lines[j - 1].text):
                        end = j
                j = end  # blank lines after the last URL stay
                run = [ln for ln in lines[i:j] if ln.text.strip()]
                alone = (
                    doc.kind == "text"
                    and (i == 0 or not lines[i - 1].text)
                    and (j == len(lines) or not lines[j].text)
                )
                if len(run) >= 2 or alone:
                    for ln in run:
                        _remove(doc, page, ln, Reason.URL_DUMP)
                        url = ln.text.strip().strip("<>")
                        if url not in doc.urls:
                            doc.urls.append(url)
                    i = j
                    continue
                keep.extend(lines[i:j])
                i = j
                continue
            keep.append(lines[i])
            i += 1
        page.lines = keep


# --------------------------------------------------------------------------------------------
# Running headers/footers and page numbers (PDF: geometry)


def _edge_lines(page: Page, s: FurnitureSettings) -> list[tuple[Line, str]]:
    """Lines that may be running furniture: in the top or bottom band of the page, and among
    the few topmost or bottommost lines (a running header sits above everything else)."""
    if not page.height:
        return []
    geo = [ln for ln in page.lines if ln.bbox]
    if not geo:
        return []
    tops = sorted(geo, key=lambda ln: ln.bbox[1])
    first = {id(ln) for ln in tops[: s.edge_lines]}
    last = {id(ln) for ln in tops[-s.edge_lines :]}
    band = page.height * s.running_band_share
    out = []
    for ln in geo:
        if ln.bbox[3] <= band and id(ln) in first:
            out.append((ln, "header"))
        elif ln.bbox[1] >= page.height - band and id(ln) in last:
            out.append((ln, "footer"))
    return out


@rule("running-header", stage="furniture")
def running_header(text: str, count: int, need: int, s: FurnitureSettings) -> bool:
    """An edge line whose text (digits folded) is at the same edge on at least half the pages,
    and on two or more: a running header or footer ("IBM Redbooks | Chapter 2", "Page 3")."""
    return count >= need and len(text) < s.running_max_chars


@rule("running-text-anywhere", stage="furniture")
def running_text_anywhere(doc: Document, counts, need: int, s: FurnitureSettings) -> dict:
    """Furniture text that repeats at the page edges is furniture also where a short last page
    lets it float up ("site.com · Subscribe" under the last line of text). Returns the edge
    (header/footer) of each such normalised text; only texts of a few words count. A line of
    that text set larger than the body (``running_max_size_share``) is the section heading the
    running header repeats ("What comes next" under LaTeX's \\markright header), not furniture."""
    n = len([p for p in doc.pages if p.lines])
    if n < s.anywhere_min_pages:
        return {}
    return {
        key[1]: key[0]
        for key, c in counts.items()
        if c >= need and len(key[1].split()) >= s.anywhere_min_words
    }


def _outermost(page: Page, ln: Line, s: FurnitureSettings) -> bool:
    """``ln`` is in the wider band (``page_number_outer_share``), no line of the page is beyond
    it (above it at the top, below it at the foot), and a footer's distance parts it from the
    text (``apart``)."""
    wide = page.height * s.page_number_outer_share
    if ln.bbox[3] <= wide:
        beyond = any(x.bbox and x.bbox[3] <= ln.bbox[1] for x in page.lines)
    elif ln.bbox[1] >= page.height - wide:
        beyond = any(x.bbox and x.bbox[1] >= ln.bbox[3] for x in page.lines)
    else:
        return False
    return not beyond and apart(page, ln, s)


@rule("page-number", stage="furniture")
def page_number(ln: Line, page: Page, s: FurnitureSettings) -> bool:
    """A lone page number in the page's top or bottom band: "12", "Page 3", "3 of 12", "- 3 -",
    "xii", "Seite 4"; further in (``page_number_outer_share``) when it is the page's outermost
    line, set apart from the text (LaTeX's A4 page with a deep bottom margin: "Page 2 of 5"
    at 11% of the height above the foot, printed on two pages of six, the plain chapter pages
    numbered "1", "3", "5"). Not a number in a row of more than a few pieces, nor in a row of
    several set as close to the text as its lines are to each other: a table's row that a page
    break left at the page's edge ("18  Jimmie Johnson  835  0  1  3  12", "Wanderers  12  10
    32")."""
    t = ln.text.strip()
    if len(t) > s.page_number_max_chars or not PAGE_NUMBER.match(t):
        return False
    band = page.height * s.page_number_band_share
    if not (ln.bbox[3] <= band or ln.bbox[1] >= page.height - band):
        if not _outermost(page, ln, s):
            return False
    pieces = row_pieces(page, ln)
    return pieces == 1 or (pieces <= s.edge_row_max_pieces and apart(page, ln, s))


def _running_furniture_pdf(doc: Document, s: FurnitureSettings) -> None:
    pages = [p for p in doc.pages if p.lines]
    n = len(pages)
    body = text_size(doc)
    counts: Counter[tuple[str, str]] = Counter()
    per_page: dict[int, list[tuple[Line, str]]] = {}
    for page in pages:
        edge = _edge_lines(page, s)
        per_page[page.number] = edge
        seen = set()
        for ln, where in edge:
            key = (where, _norm(ln.text))
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    need = _need(n, s.running_pages_share, s.running_min_pages) if n >= 2 else 10**9
    running = running_text_anywhere(doc, counts, need, s)
    for page in pages:
        drop: dict[int, Reason] = {}
        for ln in page.lines if running else ():  # most documents have no such text
            where = running.get(_norm(ln.text))
            if where and not (ln.size and ln.size > body * (1 + s.running_max_size_share)):
                drop[id(ln)] = Reason(where)
        for ln, where in per_page[page.number]:
            t = ln.text.strip()
            if id(ln) in drop:
                continue
            if running_header(t, counts[(where, _norm(t))], need, s):
                if ln.size > body * (1 + s.running_max_size_share):
                    continue  # the title a running header repeats, on the first page
                if not PAGE_NUMBER.match(t):
                    drop[id(ln)] = Reason(where)
                elif (pieces := row_pieces(page, ln)) == 1 or (
                    pieces <= s.edge_row_max_pieces and apart(page, ln, s)
                ):
                    drop[id(ln)] = Reason.PAGE_NUMBER  # a number in a table's row is kept
            elif page_number(ln, page, s):
                drop[id(ln)] = Reason.PAGE_NUMBER
        numbers = [x for x in page.lines if drop.get(id(x)) == Reason.PAGE_NUMBER]
        for ln in numbers if not doc.metadata.web_print else ():
            where = Reason.HEADER if ln.bbox[3] <= page.height / 2 else Reason.FOOTER
            for other in page_number_row(page, ln, body, s):
                drop.setdefault(id(other), where)
        for ln in header_position(page, body, s, drop) if not doc.metadata.web_print else ():
            drop[id(ln)] = (
                Reason.PAGE_NUMBER if PAGE_NUMBER.match(ln.text.strip()) else Reason.HEADER
            )
        if drop:
            for ln in page.lines:
                if id(ln) in drop:
                    _remove(doc, page, ln, drop[id(ln)])
            page.lines = [ln for ln in page.lines if id(ln) not in drop]


# --------------------------------------------------------------------------------------------
# Running headers/footers and page numbers (extracted text: line positions only)


@rule("running-header-text", stage="furniture")
def running_header_text(doc: Document, s: FurnitureSettings) -> None:
    """With form-feed pages, a first or last line whose text (digits folded) repeats on at
    least half the pages is a running header or footer."""
    pages = [p for p in doc.pages if any(ln.text for ln in p.lines)]
    if len(pages) < s.text_running_min_pages:
        return
    k = s.text_edge_lines
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        content = [ln for ln in page.lines if ln.text]
        keys = {("header", _norm(ln.text)) for ln in content[:k]}
        keys |= {("footer", _norm(ln.text)) for ln in content[-k:]}
        counts.update(keys)
    need = _need(len(pages), s.running_pages_share, s.running_min_pages)
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        drop = {}
        for pos, where in ((content[:k], "header"), (content[-k:], "footer")):
            for i in pos:
                t = page.lines[i].text
                if running_header(t, counts[(where, _norm(t))], need, s):
                    drop[i] = Reason.PAGE_NUMBER if PAGE_NUMBER.match(t) else Reason(where)
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], drop[i])
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


@rule("page-number-text", stage="furniture")
def page_numbers_text(doc: Document, s: FurnitureSettings) -> None:
    """A lone number line as the first or last line of a page of extracted text ("12",
    "Page 3 of 9"), in a document of two pages or more."""
    if len(doc.pages) < 2:
        return
    for page in doc.pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        if not content:
            continue
        drop = set()
        for i in {content[0], content[-1]}:
            t = page.lines[i].text
            if (
                PAGE_NUMBER.match(t)
                and len(t) <= s.text_page_number_max_chars
                and _HAS_DIGIT.search(t)
            ):
                drop.add(i)
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], Reason.PAGE_NUMBER)
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


PDF_RULES = [margin_stamp, print_header_footer, _running_furniture_pdf, url_dumps]
TEXT_RULES = [print_header_footer_text, running_header_text, page_numbers_text, url_dumps]


def remove_furniture(doc: Document) -> Document:
    s = doc.settings.furniture
    for apply in PDF_RULES if doc.kind == "pdf" else TEXT_RULES:
        apply(doc, s)
    return doc
