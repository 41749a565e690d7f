"""What kind of program made the document, as far as the file itself shows.

Writes ``Facts.producer``. The furniture stage adds what the pages show (a browser's print
header and footer make a document a web print whatever its info dictionary says).
"""

from __future__ import annotations

from reflow.lexicon import Lazy
from reflow.model import Document, Producer
from reflow.rules import rule

BROWSER = Lazy(r"\bMozilla/\d|HeadlessChrome|\bChrom(?:e/\d|ium\b)|\bFirefox/\d|\bSafari/\d")


@rule("browser-creator", stage="reader")
def browser_creator(doc: Document) -> bool:
    """A web browser's Print to PDF writes its user agent as the PDF's Creator ("Mozilla/5.0
    ... HeadlessChrome/156 ..."): the document is a web page, even with the print header and
    footer turned off."""
    return doc.kind == "pdf" and bool(BROWSER.search(doc.info.get("Creator", "") or ""))


def identify_producer(doc: Document) -> Document:
    if browser_creator(doc):
        doc.facts.producer = Producer.BROWSER
    return doc
