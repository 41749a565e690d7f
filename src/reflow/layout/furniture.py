"""Page furniture: what the page carries that the article does not.

Reads the pages' lines; removes furniture lines from them into ``doc.removed`` (with their
``Reason``, so a wrong guess can be seen); writes what the print header and footer said into
``doc.facts`` (``print_date``, ``print_title``, ``print_url``) for the metadata stage, and the
link targets of URL dumps into ``doc.urls`` for the links stage. Rules, in order:

- ``print-header-footer`` / ``print-header-footer-text``: a browser's Print to PDF adds the date
  and the page title at the top of every page, the URL and "n/m" at the bottom ("8/16/20, 10:12
  AM  Belarus ...", "https://www.themoscowtimes.com/...  1/4").
- ``running-header`` / ``running-header-text``: lines near the top or bottom edge whose text
  (digits ignored) repeats on many pages ("IBM Redbooks  |  Chapter 2").
- ``page-number`` / ``page-number-text``: a lone number, "Page 3", "3 of 12", "- 3 -" at an edge.
- ``url-dump``: a run of lines that are bare URLs (an extractor's dump of a page's link targets).
- ``margin-stamp``: vertical text in a side margin (arXiv's identifier stamp), first.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from reflow.lexicon import FOOTER_URL, PAGE_COUNTER, PRINT_DATE, Lazy, ends_sentence, is_url_line
from reflow.model import Document, Line, Page, Producer, Reason, Removed
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
    doc.removed.append(Removed(text=line.text, reason=reason, page=page.number, bbox=line.bbox))


def _need(pages: int, share: float, least: int) -> int:
    """How many pages a repeated line must be on: ``share`` of them, at least ``least``."""
    return max(least, math.ceil(pages * share))


# --------------------------------------------------------------------------------------------
# Print header and footer


def _same_row(a: Line, b: Line) -> bool:
    ca, cb = (a.bbox[1] + a.bbox[3]) / 2, (b.bbox[1] + b.bbox[3]) / 2
    return abs(ca - cb) <= 0.5 * max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1], 4.0)


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
                if all(ln is not x for x in dates) and any(_same_row(ln, d) for d in dates):
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
        for i in head[:2] + foot:
            if m := PRINT_DATE.match(page.lines[i].text):
                drop[i] = Reason.PRINT_HEADER
                facts.print_date = facts.print_date or m.group("date")
                if m.group("title") and facts.print_title is None:
                    facts.print_title = m.group("title").strip()
        for i in foot:
            t = page.lines[i].text
            if (m := FOOTER_URL.match(t)) and m.group("n"):
                drop[i] = Reason.PRINT_FOOTER
                facts.print_url = facts.print_url or m.group("url")
            elif PAGE_COUNTER.match(t) and i in (content[0], content[-1]):
                drop[i] = Reason.PRINT_FOOTER
        if Reason.PRINT_HEADER in drop.values():
            for i in head:
                t = page.lines[i].text
                if i not in drop and edge_counts[t] >= need and not FOOTER_URL.match(t):
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
# Margin stamps


def _vertical(ln: Line, s: FurnitureSettings) -> bool:
    x0, y0, x1, y1 = ln.bbox
    h, w = y1 - y0, x1 - x0
    return h > s.stamp_vertical_ratio * max(w, 0.1) and h >= s.stamp_min_height_em * (
        ln.size or 1.0
    )


@rule("margin-stamp", stage="furniture")
def margin_stamp(doc: Document, s: FurnitureSettings) -> None:
    """Vertical text in a side margin, beside no line of the page's text: arXiv stamps its
    identifier, subject and date up the left margin of a preprint's first page
    ("arXiv:2405.15086v2 [econ.GN] 10 May 2024"), which the reader gives as one tall, narrow
    line per word; read as text it became a run of one-word headings. The strip's lines (the
    short words of the stamp too) are removed as one margin stamp, in the stream's order."""
    for page in doc.pages:
        if not page.width or not page.lines:
            continue
        geo = [ln for ln in page.lines if ln.bbox]
        seeds = [ln for ln in geo if _vertical(ln, s)]
        if not seeds:
            continue
        left, right = page.width * s.stamp_margin_share, page.width * (1 - s.stamp_margin_share)
        taken: set[int] = set()
        for seed in seeds:
            x0, _, x1, _ = seed.bbox
            if id(seed) in taken or not (x1 <= left or x0 >= right):
                continue
            strip = [
                ln
                for ln in geo
                if min(ln.bbox[2], x1) - max(ln.bbox[0], x0)
                >= 0.5 * min(ln.bbox[2] - ln.bbox[0], x1 - x0)
            ]
            # beside no horizontal line of text (a margin, not a rotated label in the page)
            if any(
                not _vertical(ln, s) and ln.bbox[2] - ln.bbox[0] > 2 * (x1 - x0) for ln in strip
            ):
                continue
            ids = {id(ln) for ln in strip}
            taken |= ids
            boxes = [ln.bbox for ln in strip]
            doc.removed.append(
                Removed(
                    text=" ".join(ln.text.strip() for ln in strip),
                    reason=Reason.MARGIN_STAMP,
                    page=page.number,
                    bbox=(
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    ),
                )
            )
        if taken:
            page.lines = [ln for ln in page.lines if id(ln) not in taken]


# --------------------------------------------------------------------------------------------
# URL dumps


@rule("url-dump", stage="furniture")
def url_dumps(doc: Document, s: FurnitureSettings) -> None:
    """Two or more consecutive bare-URL lines, or one bare URL line standing alone between
    blank lines in extracted text, are link targets an extractor dumped, not prose (the seed's
    page 1 ends in six of them). Their URLs are kept in ``doc.urls``."""
    for page in doc.pages:
        lines = page.lines
        keep: list[Line] = []
        i = 0
        while i < len(lines):
            if is_url_line(lines[i].text):
                j = i
                while j < len(lines) and is_url_line(lines[j].text):
                    j += 1
                run = lines[i:j]
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
                keep.extend(run)
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
    (header/footer) of each such normalised text; only texts of a few words count."""
    n = len([p for p in doc.pages if p.lines])
    if n < s.anywhere_min_pages:
        return {}
    return {
        key[1]: key[0]
        for key, c in counts.items()
        if c >= need and len(key[1].split()) >= s.anywhere_min_words
    }


@rule("page-number", stage="furniture")
def page_number(ln: Line, page: Page, s: FurnitureSettings) -> bool:
    """A lone page number in the page's top or bottom band: "12", "Page 3", "3 of 12", "- 3 -",
    "xii", "Seite 4". Not a number in a row of more than a few pieces: a table's row that a
    page break left at the page's edge ("18  Jimmie Johnson  835  0  1  3  12")."""
    t = ln.text.strip()
    band = page.height * s.page_number_band_share
    return (
        len(t) <= s.page_number_max_chars
        and bool(PAGE_NUMBER.match(t))
        and (ln.bbox[3] <= band or ln.bbox[1] >= page.height - band)
        and _row_pieces(page, ln) <= s.edge_row_max_pieces
    )


def _row_pieces(page: Page, ln: Line) -> int:
    return sum(1 for x in page.lines if x.bbox and _same_row(x, ln))


def _text_size(doc: Document) -> float:
    """The type size that carries most characters (the body text's), 10 pt without sizes."""
    weight: dict[float, int] = {}
    for ln in doc.lines():
        if ln.size:
            k = round(ln.size * 2) / 2
            weight[k] = weight.get(k, 0) + len(ln.text)
    return max(weight, key=weight.get) if weight else 10.0


_ET_AL = Lazy(r"\bet al\.$")


def _small_piece(ln: Line, body: float, s: FurnitureSettings) -> bool:
    """Short, not larger than the text, not a sentence: what a header or footer prints
    ("Brennan et al." is a name, not a sentence)."""
    t = ln.text.strip()
    return (
        bool(t)
        and ln.size <= body * (1 + s.edge_size_share)
        and len(t.split()) <= s.edge_max_words
        and not ends_sentence(_ET_AL.sub("", t))
    )


@rule("page-number-row", stage="furniture")
def page_number_row(page: Page, number: Line, body: float, s: FurnitureSettings) -> list[Line]:
    """The other pieces on a page number's row at the page's edge are the running header or
    footer it belongs to ("4 RESULTS" left of "1", "2" left of "Brennan et al.", "Preprint
    submitted to ..." beside "1"), printed once or with a text that changes from page to page
    (twoside: section names on odd pages, authors on even ones): short, not larger than the
    text, not a sentence."""
    row = [ln for ln in page.lines if ln is not number and ln.bbox and _same_row(ln, number)]
    if not row or len(row) >= s.edge_row_max_pieces:
        return []
    # the outermost row of the page (a table's last row is not a footer)
    top = number.bbox[3] <= page.height / 2
    ids = {id(ln) for ln in row}
    for ln in page.lines:
        if id(ln) in ids or ln is number or not ln.bbox:
            continue
        if (ln.bbox[3] <= number.bbox[1]) if top else (ln.bbox[1] >= number.bbox[3]):
            return []
    return [ln for ln in row if _small_piece(ln, body, s)]


@rule("header-position", stage="furniture")
def header_position(
    page: Page, body: float, s: FurnitureSettings, taken: dict | None = None
) -> list[Line]:
    """The page's topmost row, in the top band and set apart from the text below it by more
    than a paragraph's spacing, whose pieces are short, no larger than the text and not
    sentences, is a running header even when it is printed once: a one-page letter's "Harbor
    City Council", a two-page report's "New York Man Pleads Guilty  Westbrook Energy
    Cooperative" on its second page only (the first page plain), a journal line "Review of
    Applied Media Research, Vol. 17, No. 1 (2023)". A heading is larger or close to its text; a
    paragraph's last line ends a sentence; a line the structure tree tags is content. Not on
    a browser's print (``print-header-footer`` found its header and footer): there the top band
    is the browser's, and the page's own first row below it (a site's logo, a search box, a
    link above a picture) is content, which article mode judges. ``taken``: ids of lines
    already found to be furniture."""
    geo = [ln for ln in page.lines if ln.bbox and id(ln) not in (taken or ())]
    if len(geo) < 2 or not page.height:
        return []
    first = min(geo, key=lambda ln: ln.bbox[1])
    row = [ln for ln in geo if _same_row(ln, first)]
    bottom = max(ln.bbox[3] for ln in row)
    if bottom > page.height * s.header_band_share:
        return []
    rest = [ln.bbox[1] for ln in geo if all(ln is not r for r in row)]
    if not rest or min(rest) - bottom < s.header_gap_em * body:
        return []
    return row if all(ln.tag is None and _small_piece(ln, body, s) for ln in row) else []


def _running_furniture_pdf(doc: Document, s: FurnitureSettings) -> None:
    pages = [p for p in doc.pages if p.lines]
    n = len(pages)
    body = _text_size(doc)
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
            if where:
                drop[id(ln)] = Reason(where)
        for ln, where in per_page[page.number]:
            t = ln.text.strip()
            if id(ln) in drop:
                continue
            if running_header(t, counts[(where, _norm(t))], need, s):
                drop[id(ln)] = Reason.PAGE_NUMBER if PAGE_NUMBER.match(t) else Reason(where)
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
