"""Metadata: title, authors, publication date and source URL, once the blocks are final.

Reads the header the header and article stages found (``Facts.title``, ``authors``, ``date``),
the print header and footer (``Facts.print_*``) and the PDF's info dictionary; writes
``doc.metadata``. Where each field comes from, best source first:

- ``title``: the article's own heading (the block matching the printed page title, site name cut
  off). Without such a block, the page title without its site part. Other PDFs: a meaningful
  info ``Title`` (not "Microsoft Word - report.docx"), else the block typed ``title``. Plain
  text: only a block the roles stage typed ``title``; nothing is invented.
- ``authors``: the byline near the title, else the info ``Author`` of a PDF that is not a web
  print.
- ``date``: the first date written near the title, as ISO 8601. The browser's print header
  carries the date the page was *printed*: never the publication date. For PDFs that are not
  web prints the info ``CreationDate`` is the last resort; for web prints the day in the URL
  (``url-date``).
- ``url``: the print footer's URL, else a URL in the info dictionary, else a URL the text labels
  as the article's own ("Source: https://...", "Originally published at https://...").
"""

from __future__ import annotations

import re

from reflow.lexicon import Lazy
from reflow.model import Document
from reflow.rules import rule
from reflow.structure.dates import parse_pdf_date, url_date
from reflow.structure.header import is_web_page
from reflow.structure.titles import page_title, strip_site

URL_LABEL = Lazy(
    r"(?:^|\b)(?:source|url|permalink|canonical|originally published (?:at|on)|read (?:it )?online"
    r"(?: at)?|available (?:at|online at))\s*:?\s*<?(?P<url>https?://[^\s<>]+)",
    re.IGNORECASE,
)
_URL = Lazy(r"^https?://\S+$")
_NOBODY = Lazy(r"^(?:user|admin|owner|unknown|author)\b", re.IGNORECASE)
_AUTHOR_SEP = Lazy(r"\s*(?:;|,| and | & )\s*")


def _url_from_info(doc: Document) -> str | None:
    values = [doc.facts.print_url]
    values += [doc.info.get(k) for k in ("URL", "Url", "url", "Subject", "Keywords")]
    for v in values:
        v = (v or "").strip()
        if _URL.match(v):
            return v
    return None


@rule("labelled-url", stage="metadata")
def labelled_url(doc: Document) -> str | None:
    """A URL the text labels as the article's own ("Source: https://...", "Originally
    published at https://...", "Permalink: ...")."""
    for b in doc.blocks:
        m = URL_LABEL.search(b.text) if "://" in b.text else None  # the regex needs one
        if m:
            return m.group("url").rstrip(".,;)")
    return None


@rule("info-author", stage="metadata")
def info_authors(doc: Document) -> list[str]:
    """The info dictionary's ``Author`` of a PDF that is not a web print ("Jane Doe; John
    Roe"), unless it names a program's user ("user", "admin", "owner")."""
    author = (doc.info.get("Author") or "").strip()
    if not author or _NOBODY.match(author):
        return []
    return [a.strip() for a in _AUTHOR_SEP.split(author) if a.strip()]


def extract_metadata(doc: Document) -> Document:
    md, facts = doc.metadata, doc.facts
    md.pages = md.pages or len(doc.pages)
    if not md.producer:
        md.producer = (doc.info.get("Producer") or "").strip() or None
    web = is_web_page(doc)
    is_pdf = doc.kind == "pdf"

    md.title = facts.title
    pt = page_title(doc) if is_pdf else None
    if pt and not web:
        md.title = pt  # an author-set title outranks the look of page 1
    elif pt and facts.title is None:
        md.title = strip_site(pt)

    md.authors = list(facts.authors)
    if not md.authors and is_pdf and not web:
        md.authors = info_authors(doc)
    md.date = facts.date
    if not md.date and is_pdf and not web:
        d = parse_pdf_date(doc.info.get("CreationDate", ""))
        if d:
            md.date = d.isoformat()

    md.url = _url_from_info(doc) or labelled_url(doc)
    if not md.date and web:
        md.date = date_from_url(md.url)
    return doc


@rule("url-date", stage="metadata")
def date_from_url(url: str | None) -> str | None:
    """A web print with no date written near its title: the day its URL carries
    ("https://example.org/2020/03/23/fire-in-a-house" -> 2020-03-23), as sites file their
    articles by day."""
    d = url_date(url)
    return d.isoformat() if d else None
