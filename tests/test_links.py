"""Links: slug matching for extracted text; no URL lost for PDFs."""

from reflow.model import Block, Document, InlineLink, Line, LinkAnnot, Page, Removed
from reflow.structure.links import attach_links, slug_words


def test_slug_words_drop_ids_and_extensions():
    assert slug_words("https://x.com/2020/08/16/russian-media-responds-a71166") == [
        "russian",
        "media",
        "responds",
    ]
    assert slug_words("https://x.com/news/belarus-protest-crackdown-11560504604.html") == [
        "belarus",
        "protest",
        "crackdown",
    ]
    assert slug_words("https://www.ft.com/content/10afafcd-0e0c-40e3-a13a-e5a09aa1928d") == []


def test_text_url_attached_only_where_its_slug_spells_the_anchor():
    doc = Document(source="t", kind="text")
    doc.blocks = [
        Block("callout", "Related article: Russian Media Responds to Protest Crackdown"),
        Block("paragraph", "Russia responded to the protests."),
    ]
    doc.urls = [
        "https://news.example/2020/08/16/russian-media-responds-to-protest-crackdown",
        "https://other.example/content/10afafcd-0e0c-40e3",
    ]
    attach_links(doc)
    (link,) = doc.blocks[0].links
    assert doc.blocks[0].text[link.start : link.end] == (
        "Russian Media Responds to Protest Crackdown"
    )
    assert doc.urls == ["https://other.example/content/10afafcd-0e0c-40e3"]
    assert doc.blocks[1].links == []


def test_pdf_links_on_removed_text_travel_with_it_and_unanchored_ones_are_listed():
    doc = Document(source="t", kind="pdf")
    page = Page(number=1)
    nav = Line("Home World Sports", 1, links=[InlineLink(6, 11, "https://site/world")])
    body = Line("Read the report now.", 1, links=[InlineLink(9, 15, "https://site/report")])
    page.lines = [nav, body]
    page.links = [
        LinkAnnot("https://site/world", 1),
        LinkAnnot("https://site/report", 1),
        LinkAnnot("https://elsewhere/ghost", 1),  # covers no text (a Chromium bug)
    ]
    doc.pages = [page]
    doc.blocks = [
        Block("paragraph", body.text, 1, links=[InlineLink(9, 15, "https://site/report")])
    ]
    doc.removed = [Removed(nav.text, "boilerplate", 1)]
    attach_links(doc)
    assert doc.removed[0].urls == ["https://site/world"]
    assert doc.urls == ["https://elsewhere/ghost"]
