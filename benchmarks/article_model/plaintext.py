"""The plain text a PDF text extractor gives for a print, made from reflow's reader output (a
web corpus reader dump needs no PDF): PDFium's ``get_text_range`` page by page, pages joined
by form feeds, as ``reflow_eval.corpora.extracted_text`` writes aeb-dev's.

PDFium gives a page's characters in content order with a line break between text lines; the
reader's lines are in that order too, but it also cuts a line at a wide gap (a nav bar's
items, the print header's date and title), where PDFium writes a space. So consecutive lines
on one baseline, the second starting right of the first, are one line again; a hard hyphen at
a line end and the break are one character (U+FFFE) in PDFium's text, with no line break.
``benchmarks/article_model/check_plaintext.py``-style comparisons on aeb-dev: see README.
"""

from __future__ import annotations


def _same_row(a, b) -> bool:
    if not a.bbox or not b.bbox:
        return False
    size = max(a.size or 0.0, b.size or 0.0, 1.0)
    return abs(a.bbox[3] - b.bbox[3]) <= 0.25 * size and b.bbox[0] >= a.bbox[2] - 0.5


def page_text(lines) -> str:
    out: list[str] = []
    prev = None
    for ln in lines:
        text = ln.text
        if prev is not None and out:
            if prev.hyphen_end:
                out[-1] = out[-1].rstrip("-\u2010") + "\ufffe" + text
            elif _same_row(prev, ln):
                out[-1] += " " + text
            else:
                out.append(text)
        else:
            out.append(text)
        prev = ln
    return "\n".join(out)


def document_text(doc) -> str:
    """The whole document's plain text: pages joined by form feeds."""
    return "\f".join(page_text(p.lines) for p in doc.pages)
