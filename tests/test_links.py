"""Links (``structure/links.py``): slug matching for extracted text; for PDFs no URL lost, links
carried across page breaks, the site's links printed over the article reported."""

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


def test_slug_match_attaches_a_text_url_only_where_its_slug_spells_the_anchor():
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


def test_removed_links_travel_with_the_removed_text_and_unanchored_ones_are_listed():
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


def _split_link_doc(url: str, head_anchor: str, tail: str, on_next_page: bool = True):
    """A paragraph broken by a page break, its link anchored on page 1 only (Chromium put the
    page-2 piece of the annotation off the text)."""
    from reflow.structure.heal import heal

    head = f"The agency said the {head_anchor}"
    start = head.index(head_anchor)
    doc = Document(source="t", kind="pdf")
    doc.pages = [Page(number=1, links=[LinkAnnot(url, 1)]), Page(number=2)]
    if on_next_page:
        doc.pages[1].links = [LinkAnnot(url, 2)]
    doc.blocks = [
        Block("paragraph", head, 1, links=[InlineLink(start, len(head), url)], pages=[1]),
        Block("paragraph", tail, 2, pages=[2]),
    ]
    heal(doc)
    (b,) = doc.blocks
    return [b.text[lk.start : lk.end] for lk in b.links]


def test_cross_page_link_wrapped_onto_the_next_page_goes_on_where_its_slug_does():
    url = "https://news.example/world/probe-measured-a-big-increase-in-2024-05-13/"
    got = _split_link_doc(url, "probe measured a", "big increase in the density of plasma.")
    assert got == ["probe measured a big increase in"]


def test_cross_page_link_is_not_stretched_without_evidence():
    # the slug stops where the anchor does: nothing to carry on
    url = "https://en.example/wiki/Secular_by_regional"
    assert _split_link_doc(url, "secular by regional", "standards and has been.") == [
        "secular by regional"
    ]
    # no slug at all (an id), or no annotation on the next page: the anchor stays as read
    url = "https://news.example/content/10afafcd-0e0c-40e3-a13a-e5a09aa1928d"
    assert _split_link_doc(url, "probe measured a", "big increase in it.") == ["probe measured a"]
    url = "https://news.example/world/probe-measured-a-big-increase-in/"
    got = _split_link_doc(url, "probe measured a", "big increase in it.", on_next_page=False)
    assert got == ["probe measured a"]


def test_stray_link_and_sticky_link_printed_over_the_article_are_reported_not_attached():
    """A sticky bar's or banner's link annotations land on whatever text lies under them: an
    anchor that cuts a word, a privacy page behind words that do not name it, or a link at the
    same place on two pages goes to ``removed`` (reason "stray-link"), not into the text and
    not into the list of unattached links; real anchors stay."""
    text = "Why Delhi's air pollution gets so bad, as the report and our privacy policy say."
    real = InlineLink(text.index("the report"), text.index("the report") + 10, "https://x/rep")
    cut = InlineLink(text.index("i's air"), text.index("pollution") + 6, "https://x/home")
    policy = InlineLink(text.index("gets so bad"), text.index(", as"), "https://x/privacy")
    named = InlineLink(text.index("our privacy policy"), len(text) - 5, "https://x/privacy-p")
    doc = Document(source="t", kind="pdf")
    doc.pages = [Page(number=1), Page(number=2)]
    for p in doc.pages:
        p.links = [LinkAnnot("https://x/sticky", p.number, [(10.0, 10.0, 90.0, 20.0)])]
    doc.pages[0].links.append(LinkAnnot("https://x/rep", 1, [(10.0, 300.0, 90.0, 310.0)]))
    sticky = InlineLink(0, 3, "https://x/sticky")
    doc.blocks = [Block("paragraph", text, 1, links=[sticky, cut, policy, real, named])]
    attach_links(doc)
    kept = [(text[lk.start : lk.end], lk.url) for lk in doc.blocks[0].links]
    assert kept == [("the report", "https://x/rep"), ("our privacy policy", "https://x/privacy-p")]
    stray = {u for r in doc.removed if r.reason == "stray-link" for u in r.urls}
    assert stray == {"https://x/sticky", "https://x/home", "https://x/privacy"}
    assert doc.urls == []


def test_stray_link_a_lost_space_is_not_a_cut_word():
    text = "By Meg JamesStaff Writer"
    lk = InlineLink(3, 12, "https://x/people/meg-james")
    doc = Document(source="t", kind="pdf")
    doc.pages = [Page(number=1)]
    doc.blocks = [Block("paragraph", text, 1, links=[lk])]
    attach_links(doc)
    assert [(b.text[x.start : x.end]) for b in doc.blocks for x in b.links] == ["Meg James"]


def test_sticky_link_at_other_places_on_each_page_is_the_articles():
    """The same URL linked from two pages at different places is the article citing a source
    twice, not a bar the browser printed on every page."""
    doc = Document(source="t", kind="pdf")
    doc.pages = [Page(number=1), Page(number=2)]
    doc.pages[0].links = [LinkAnnot("https://x/report", 1, [(10.0, 300.0, 90.0, 310.0)])]
    doc.pages[1].links = [LinkAnnot("https://x/report", 2, [(10.0, 500.0, 90.0, 510.0)])]
    text = "As the report says, and as the report adds."
    at = [text.index("the report"), text.rindex("the report")]
    links = [InlineLink(i, i + 10, "https://x/report") for i in at]
    doc.blocks = [Block("paragraph", text, 1, links=links)]
    attach_links(doc)
    assert [text[lk.start : lk.end] for lk in doc.blocks[0].links] == ["the report"] * 2
    assert not doc.removed and doc.urls == []


def test_slug_match_not_for_a_slug_of_fewer_than_three_words():
    doc = Document(source="t", kind="text")
    doc.blocks = [Block("paragraph", "Climate change is here, the minister said.")]
    doc.urls = ["https://news.example/2020/climate-change"]
    attach_links(doc)
    assert doc.blocks[0].links == [] and doc.urls == ["https://news.example/2020/climate-change"]
