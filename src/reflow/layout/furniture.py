"""Page furniture: what the page carries that the article does not.

Each rule records what it removes in ``doc.removed`` with its reason, so a wrong guess can be seen.
Rules, in order:

- ``print-header`` / ``print-footer``: a browser's Print to PDF adds the date and the page title at
  the top of every page, the URL and "n/m" at the bottom ("8/16/20, 10:12 AM  Belarus ...",
  "https://www.themoscowtimes.com/...  1/4"). Their values are kept in ``doc.info`` as
  ``print_date``, ``print_title``, ``print_url`` for the metadata stage.
- ``url-dump``: a run of lines that are bare URLs (an extractor's dump of a page's link targets).
  The URLs are kept in ``doc.urls`` for the links stage.
- ``header`` / ``footer``: lines near the top or bottom edge whose text (digits ignored) repeats on
  many pages ("IBM Redbooks  |  Chapter 2").
- ``page-number``: a lone number, "Page 3", "3 of 12", "- 3 -" near the top or bottom edge.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from reflow.model import Document, Line, Page, Removed
from reflow.readers.text import is_url_line

PRINT_DATE = re.compile(
    r"^(?P<date>\d{1,2}/\d{1,2}/\d{2,4}),?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:\s+(?P<title>.+))?$"
)
PAGE_COUNTER = re.compile(r"^(?P<n>\d{1,4})\s*/\s*(?P<m>\d{1,4})$")
FOOTER_URL = re.compile(
    r"^(?P<url>(?:https?|file)://\S+|about:blank)(?:\s+(?P<n>\d{1,4})\s*/\s*(?P<m>\d{1,4}))?$"
)
PAGE_NUMBER = re.compile(
    r"^(?:[-–—|•]\s*)?(?:page\s+|p\.\s*|seite\s+|pag\.\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:/|of|von|de|\|)\s*\d{1,4})?(?:\s*[-–—|•])?$",
    re.IGNORECASE,
)

EDGE = 0.09  # share of the page height counted as the top/bottom band (page numbers)
WIDE_EDGE = 0.16  # band for text that repeats on many pages at the same height


_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def _norm(text: str) -> str:
    """Text with digits folded, so 'Page 3' and 'Page 4' compare equal."""
    return _DIGITS.sub("#", _SPACES.sub(" ", text.strip().lower()))


def _remove(doc: Document, page: Page, line: Line, reason: str) -> None:
    doc.removed.append(Removed(text=line.text, reason=reason, page=page.number, bbox=line.bbox))


# --------------------------------------------------------------------------------------------
# Print header and footer (both kinds of source)


def _same_row(a: Line, b: Line) -> bool:
    ca, cb = (a.bbox[1] + a.bbox[3]) / 2, (b.bbox[1] + b.bbox[3]) / 2
    return abs(ca - cb) <= 0.5 * max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1], 4.0)


def _print_furniture_pdf(doc: Document) -> None:
    """rule print-header-footer (PDF): Chromium's header is small text in the top margin band with a
    date at the left, the title centered; its footer is the URL at the left and "n/m" at the right."""
    hits = 0
    marks: dict[int, list[tuple[Line, str]]] = defaultdict(list)
    for page in doc.pages:
        if not page.height:
            continue
        band = min(40.0, page.height * 0.06)
        top = [ln for ln in page.lines if ln.bbox and ln.bbox[3] <= band]
        bottom = [ln for ln in page.lines if ln.bbox and ln.bbox[1] >= page.height - band]
        page_hit = False
        for ln in top:
            m = PRINT_DATE.match(ln.text.strip())
            if m:
                marks[page.number].append((ln, "print-header"))
                doc.info.setdefault("print_date", m.group("date"))
                if m.group("title"):
                    doc.info.setdefault("print_title", m.group("title").strip())
                page_hit = True
        if page_hit:
            # The title sits on the date's line; text just below it (page content printed
            # high on the page) is not part of the header.
            dates = [x for x, _ in marks[page.number]]
            for ln in top:
                if all(ln is not x for x in dates) and any(_same_row(ln, d) for d in dates):
                    marks[page.number].append((ln, "print-header"))
                    doc.info.setdefault("print_title", ln.text.strip())
        foot_hit = False
        for ln in bottom:
            t = ln.text.strip()
            m = FOOTER_URL.match(t)
            if m:
                marks[page.number].append((ln, "print-footer"))
                doc.info.setdefault("print_url", m.group("url"))
                foot_hit = True
            elif PAGE_COUNTER.match(t):
                marks[page.number].append((ln, "print-footer"))
                foot_hit = True
        hits += page_hit or foot_hit
    if hits and hits >= max(1, len(doc.pages) // 2):
        doc.metadata.web_print = True
        if doc.info.get("print_url", "").endswith(("…", "...")):
            full = complete_url(doc.info["print_url"], doc)
            if full:
                doc.info["print_url"] = full
        for page in doc.pages:
            drop = marks.get(page.number, [])
            if not drop:
                continue
            ids = {id(ln) for ln, _ in drop}
            for ln, reason in drop:
                _remove(doc, page, ln, reason)
            page.lines = [ln for ln in page.lines if id(ln) not in ids]
    else:
        doc.info.pop("print_date", None)
        doc.info.pop("print_title", None)
        doc.info.pop("print_url", None)


def complete_url(truncated: str, doc: Document) -> str | None:
    """rule print-url-ellipsis: Chromium cuts a long URL in its print footer ("https://site/
    long-slug-of-the-artic…"). The page usually links to itself (canonical, share buttons that
    carry the URL in a query parameter): the shortest such URL that starts with the visible
    prefix completes it. Nothing is guessed when no link matches."""
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


def _print_furniture_text(doc: Document) -> None:
    """rule print-header-footer (text): the same lines as extracted text, at page edges. An
    extractor may put the header's date and title, or the footer's URL and "n/m", on one line
    or on lines of their own; a title or URL line counts only on a page whose date or counter
    was seen, and only when it repeats on most pages."""
    pages = [p for p in doc.pages if any(ln.text for ln in p.lines)]
    edge_counts: Counter[str] = Counter()
    for page in pages:
        content = [ln.text for ln in page.lines if ln.text]
        edge_counts.update(set(content[:3] + content[-3:]))
    need = max(1, (len(pages) + 1) // 2)
    for page in doc.pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        head, foot = content[:3], content[-3:]
        drop: dict[int, str] = {}
        # The header's line opens the page, or (PDFium text of a Chromium print, which draws
        # header and footer last) sits just before the footer at its end.
        for i in head[:2] + foot:
            if m := PRINT_DATE.match(page.lines[i].text):
                drop[i] = "print-header"
                doc.info.setdefault("print_date", m.group("date"))
                if m.group("title"):
                    doc.info.setdefault("print_title", m.group("title").strip())
        for i in foot:
            t = page.lines[i].text
            if (m := FOOTER_URL.match(t)) and m.group("n"):
                drop[i] = "print-footer"
                doc.info.setdefault("print_url", m.group("url"))
            elif PAGE_COUNTER.match(t) and i in (content[0], content[-1]):
                drop[i] = "print-footer"
        if any(r == "print-header" for r in drop.values()):
            for i in head:
                t = page.lines[i].text
                if i not in drop and edge_counts[t] >= need and not FOOTER_URL.match(t):
                    drop[i] = "print-header"
                    doc.info.setdefault("print_title", t.strip())
                    break
        if any(r == "print-footer" for r in drop.values()):
            for i in foot:
                t = page.lines[i].text
                m = FOOTER_URL.match(t)
                if i not in drop and m and edge_counts[t] >= need:
                    drop[i] = "print-footer"
                    doc.info.setdefault("print_url", m.group("url"))
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], drop[i])
        if drop:
            doc.metadata.web_print = True
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


# --------------------------------------------------------------------------------------------
# URL dumps


def _url_dumps(doc: Document) -> None:
    """rule url-dump: two or more consecutive bare-URL lines, or one bare URL line standing alone
    between blank lines in extracted text, are link targets an extractor dumped, not prose."""
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
                        _remove(doc, page, ln, "url-dump")
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


def _edge_lines(page: Page) -> list[tuple[Line, str]]:
    """Lines that may be running furniture: in the top or bottom band of the page, and among the
    three topmost or bottommost lines (a running header sits above everything else)."""
    if not page.height:
        return []
    geo = [ln for ln in page.lines if ln.bbox]
    if not geo:
        return []
    tops = sorted(geo, key=lambda ln: ln.bbox[1])
    first = {id(ln) for ln in tops[:3]}
    last = {id(ln) for ln in tops[-3:]}
    out = []
    for ln in geo:
        if ln.bbox[3] <= page.height * WIDE_EDGE and id(ln) in first:
            out.append((ln, "header"))
        elif ln.bbox[1] >= page.height * (1 - WIDE_EDGE) and id(ln) in last:
            out.append((ln, "footer"))
    return out


def _running_furniture_pdf(doc: Document) -> None:
    pages = [p for p in doc.pages if p.lines]
    n = len(pages)
    counts: Counter[tuple[str, str]] = Counter()
    per_page: dict[int, list[tuple[Line, str]]] = {}
    for page in pages:
        edge = _edge_lines(page)
        per_page[page.number] = edge
        seen = set()
        for ln, where in edge:
            key = (where, _norm(ln.text))
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    # rule running-header: the same edge text on at least half the pages (and at least 2).
    need = max(2, (n + 1) // 2) if n >= 2 else 10**9
    # rule running-text-anywhere: furniture text that repeats at the page edges is furniture
    # also where a short last page lets it float up ("site.com · Subscribe" under the last line).
    running = {
        key[1]: key[0]
        for key, c in counts.items()
        if c >= need and n >= 3 and len(key[1].split()) >= 3
    }
    for page in pages:
        drop: dict[int, str] = {}
        for ln in page.lines if running else ():  # most documents have no such text
            where = running.get(_norm(ln.text))
            if where:
                drop[id(ln)] = where
        for ln, where in per_page[page.number]:
            t = ln.text.strip()
            if id(ln) in drop:
                continue
            if counts[(where, _norm(t))] >= need and len(t) < 200:
                drop[id(ln)] = "page-number" if PAGE_NUMBER.match(t) else where
            elif (
                PAGE_NUMBER.match(t)
                and len(t) <= 20
                and (ln.bbox[3] <= page.height * EDGE or ln.bbox[1] >= page.height * (1 - EDGE))
            ):
                drop[id(ln)] = "page-number"
        if drop:
            for ln in page.lines:
                if id(ln) in drop:
                    _remove(doc, page, ln, drop[id(ln)])
            page.lines = [ln for ln in page.lines if id(ln) not in drop]


def _running_text(doc: Document) -> None:
    """rule running-header (text): with form-feed pages, a first or last line whose text
    (digits folded) repeats on at least half the pages is a running header or footer."""
    pages = [p for p in doc.pages if any(ln.text for ln in p.lines)]
    if len(pages) < 3:
        return
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        content = [ln for ln in page.lines if ln.text]
        keys = {("header", _norm(ln.text)) for ln in content[:2]}
        keys |= {("footer", _norm(ln.text)) for ln in content[-2:]}
        counts.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        drop = {}
        for pos, where in ((content[:2], "header"), (content[-2:], "footer")):
            for i in pos:
                t = page.lines[i].text
                if counts[(where, _norm(t))] >= need and len(t) < 200:
                    drop[i] = "page-number" if PAGE_NUMBER.match(t) else where
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], drop[i])
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


def _page_numbers_text(doc: Document) -> None:
    """rule page-number (text): a lone number line as the first or last line of a page."""
    if len(doc.pages) < 2:
        return
    for page in doc.pages:
        content = [i for i, ln in enumerate(page.lines) if ln.text]
        if not content:
            continue
        drop = set()
        for i in {content[0], content[-1]}:
            t = page.lines[i].text
            if PAGE_NUMBER.match(t) and len(t) <= 12 and re.search(r"\d", t):
                drop.add(i)
        for i in sorted(drop):
            _remove(doc, page, page.lines[i], "page-number")
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


def remove_furniture(doc: Document) -> Document:
    if doc.kind == "pdf":
        _print_furniture_pdf(doc)
        _running_furniture_pdf(doc)
    else:
        _print_furniture_text(doc)
        _running_text(doc)
        _page_numbers_text(doc)
    _url_dumps(doc)
    return doc
