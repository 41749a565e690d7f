"""Silver labels for one saved page, from trafilatura run on the page's own HTML, and the
page's clean-article version. Runs in the builder's venv only (trafilatura, py3langid):
trafilatura is a labelling tool of the corpus, never a reflow dependency.
"""

from __future__ import annotations

import html as htmllib
import re

import trafilatura
from lxml import html as lxml_html
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

_IDENT = None

TRAFILATURA = f"trafilatura {trafilatura.__version__}"
OPTS = {"include_comments": False, "include_tables": True, "deduplicate": False}
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dt", "dd")


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def body_text(text: str | None, title: str | None) -> str:
    """trafilatura's text (one block a line) as paragraphs separated by blank lines, without
    a first line that only repeats the headline (the benchmark's article body has none)."""
    lines = [" ".join(ln.split()) for ln in (text or "").splitlines()]
    lines = [ln for ln in lines if ln]
    if lines and title and _norm(lines[0]) == _norm(title):
        lines = lines[1:]
    return "\n\n".join(lines)


def language(text: str, html_lang: str | None) -> tuple[str | None, float]:
    """The body's language by py3langid (normalised probability); the page's own lang
    attribute when the body is too short to tell."""
    sample = text[:6000]
    if len(sample) < 200:
        return (html_lang, 0.0)
    global _IDENT
    if _IDENT is None:
        _IDENT = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    lang, prob = _IDENT.classify(sample)
    return lang, round(float(prob), 3)


def clean_page(
    fragment: str, title: str | None, authors: list[str], date: str | None, lang: str | None
):
    """A page that is only the article: the headline, byline and date, then the main content
    as trafilatura's HTML output gives it (headings, paragraphs, lists, quotes, tables, links),
    with no site around it. Returns (html, its body text: blocks separated by blank lines)."""
    tree = lxml_html.fromstring(fragment)
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        return None, ""
    first = next(iter(body), None)
    if (
        first is not None
        and first.tag == "h1"
        and title
        and _norm(first.text_content()) == _norm(title)
    ):
        body.remove(first)
    blocks = []
    for el in body.iter(*BLOCKS):
        if any(a.tag in BLOCKS for a in el.iterancestors()):
            continue  # a paragraph inside a list item or a quote is counted with it
        t = " ".join(el.text_content().split())
        if t:
            blocks.append(t)
    inner = "".join(lxml_html.tostring(ch, encoding="unicode") for ch in body)
    esc = htmllib.escape
    head = f"<h1>{esc(title)}</h1>\n" if title else ""
    if authors:
        head += f'<p class="byline">By {esc(", ".join(authors))}</p>\n'
    if date:
        head += f'<p class="date"><time datetime="{esc(date)}">{esc(date)}</time></p>\n'
    page = (
        f'<!DOCTYPE html>\n<html lang="{esc(lang or "")}"><head><meta charset="utf-8">'
        f"<title>{esc(title or '')}</title></head>\n<body><article>\n{head}{inner}\n"
        "</article></body></html>\n"
    )
    return page, "\n\n".join(blocks)


def label(html: str, url: str, want_clean: bool, html_lang: str | None = None):
    """(silver labels, clean-article HTML or None) for one page."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **OPTS)
    row = {"by": TRAFILATURA}
    if doc is None:
        row.update(body="", title=None, authors=[], date=None, language=html_lang, lang_prob=0.0)
        return row, None
    title = " ".join(doc.title.split()) if doc.title else None
    authors = [a.strip() for a in re.split(r";", doc.author or "") if a.strip()]
    body = body_text(doc.text, title)
    lang, prob = language(body, html_lang)
    row.update(
        body=body,
        title=title,
        authors=authors,
        date=doc.date,
        sitename=doc.sitename,
        language=lang,
        lang_prob=prob,
    )
    clean = None
    if want_clean and len(body) > 500:
        frag = trafilatura.extract(
            html, url=url, output_format="html", include_links=True, with_metadata=False, **OPTS
        )
        if frag:
            clean, clean_text = clean_page(frag, title, authors, doc.date, lang)
            row["clean_text"] = clean_text
    return row, clean
