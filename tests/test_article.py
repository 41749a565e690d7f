"""Article mode: web pages printed to PDF give back the article, not the site around it.

Each fixture under ``fixtures/article/`` is a tiny HTML page printed by headless Chromium (see
``make.sh``) that imitates one kind of site block. The HTML marks what the article is
(``data-body``) and what the site put around it (``data-chrome``); the tests read those marks, so
the expectations come from the page, not from reflow's output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import reflow
from reflow.model import Block, ConvertOptions, Document, InlineLink, Line, Span
from reflow.structure.article import max_window, select_article

FIX = Path(__file__).parent / "fixtures" / "article"
KINDS = ["nav", "share", "cookie", "newsletter", "related", "comments", "footer", "multipage"]


def _norm(text: str) -> str:
    text = re.sub(r"</?(?:p|li|ul|ol|div|nav|h\d|tr|td|th|table|blockquote|br)\b[^>]*>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def marked(name: str, mark: str) -> list[str]:
    """Texts of the elements the fixture's HTML marks with ``data-body`` or ``data-chrome``;
    a marked list gives one text per item."""
    src = (FIX / f"{name}.html").read_text(encoding="utf-8")
    out = []
    # scan every opening tag carrying the mark, then take its element's inner text
    for m in re.finditer(r"<(\w+)\b[^>]*\b" + mark + r"\b[^>]*>", src):
        tag = m.group(1)
        depth, i = 1, m.end()
        opener = re.compile(rf"<{tag}\b[^>]*>|</{tag}>")
        while depth:
            n = opener.search(src, i)
            depth += -1 if n.group(0).startswith("</") else 1
            i = n.end()
        inner = src[m.end() : n.start()]
        items = re.findall(r"<li\b[^>]*>(.*?)</li>", inner, re.S) if tag in ("ul", "ol") else []
        rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", inner, re.S) if tag == "table" else []
        for piece in items or rows or [inner]:
            if rows:
                for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", piece, re.S):
                    out.append(_norm(cell))
            else:
                t = _norm(piece)
                if t:
                    out.append(t)
    return out


def _text(doc: Document) -> str:
    return _norm(" ".join(b.text for b in doc.blocks))


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: reflow.convert(FIX / f"{name}.pdf") for name in [*KINDS, "longform"]}


@pytest.mark.parametrize("name", KINDS)
def test_every_paragraph_of_the_article_is_kept(docs, name):
    text = _text(docs[name])
    body = marked(name, "data-body")
    assert len(body) >= 4
    for para in body:
        assert para in text, para[:60]


@pytest.mark.parametrize("name", KINDS)
def test_site_blocks_are_dropped_and_reported(docs, name):
    doc = docs[name]
    text = _text(doc)
    removed = _norm(" ".join(r.text for r in doc.removed if r.reason in ("boilerplate", "header")))
    chrome = marked(name, "data-chrome")
    assert chrome
    for piece in chrome:
        assert piece not in text, piece[:60]
        # nothing is lost: what was dropped is in doc.removed, word for word
        assert all(w in removed for w in piece.split()[:6]), piece[:60]


def test_article_opens_with_title_byline_date(docs):
    for name in KINDS:
        types = [b.type for b in docs[name].blocks[:3]]
        assert types[0] == "title", name
        assert "date" in types or "byline" in types, name


def test_long_list_table_and_block_quote_are_kept_whole(docs):
    doc = docs["longform"]
    text = _text(doc)
    body = marked("longform", "data-body")
    assert len(body) >= 12 + 6 * 3  # twelve list items, a six-row table
    for piece in body:
        assert piece in text, piece[:60]
    items = [b for b in doc.blocks if b.type == "list_item"]
    assert len(items) >= 11
    quote = next(p for p in body if p.startswith("We expect the first months"))
    assert quote in text
    assert "Home News Guides" not in text


def test_all_keeps_everything():
    doc = reflow.convert(FIX / "comments.pdf", article=False)
    text = _text(doc)
    for piece in marked("comments", "data-chrome"):
        assert piece in text, piece[:60]
    assert not [r for r in doc.removed if r.reason == "boilerplate"]


def test_plain_text_seed_loses_no_paragraph(shared):
    src = shared / "seeds" / "article.pdf.txt"
    auto = reflow.convert(src)
    everything = reflow.convert(src, article=False)
    forced = reflow.convert(src, article=True)
    want = [b.text for b in everything.blocks]
    assert [b.text for b in auto.blocks] == want  # not a web print: article mode stays off
    got = {b.text for b in forced.blocks}
    assert all(t in got for t in want)  # forced on, it still keeps every paragraph


def test_seed_print_keeps_every_paragraph_and_callout():
    fix = Path(__file__).parent / "fixtures" / "seed"
    doc = reflow.convert(fix / "seed.pdf")
    everything = reflow.convert(fix / "seed.pdf", article=False)
    kept = {b.text for b in doc.blocks}
    for b in everything.blocks:
        if b.type in (
            "paragraph",
            "callout",
            "quote",
            "list_item",
            "dek",
            "title",
            "disclaimer",
            "caption",
        ):
            assert b.text in kept, b.text[:60]


def _block(
    text: str, size: float = 10.0, x0: float = 50.0, x1: float = 500.0, top: float = 100.0, **kw
) -> Block:
    line = Line(
        text=text,
        page=kw.pop("page", 1),
        size=size,
        spans=[Span(text=text, size=size, font="Serif")],
    )
    return Block(
        type=kw.pop("type", "paragraph"),
        text=text,
        page=line.page,
        size=size,
        bbox=(x0, top, x1, top + 20.0),
        lines=[line],
        **kw,
    )


SENT = (
    "The committee met on Tuesday to review the plan and agreed after a long debate that the "
    "work should start in the spring, once the weather allows the crews to reach the site."
)


def test_mode_off_and_forced():
    def make() -> Document:
        d = Document(source="x.pdf")
        d.blocks = [_block("Home News Sport Culture", type="paragraph")] + [
            _block(f"({i}) {SENT}") for i in range(4)
        ]
        d.blocks[0].links = [InlineLink(0, 23, "http://x/")]
        return d

    d = make()
    select_article(d)  # not a web print, not forced: untouched
    assert len(d.blocks) == 5
    d = make()
    d.options = ConvertOptions(article=True)
    select_article(d)
    assert len(d.blocks) == 4 and d.removed[0].text == "Home News Sport Culture"


def test_subheading_naming_a_social_network_is_article():
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    doc.blocks = [_block(f"({i}) {SENT}") for i in range(3)]
    doc.blocks.insert(2, _block("Facebook's new privacy rules for advertisers"))
    doc.blocks.append(_block("Facebook Twitter Email"))
    select_article(doc)
    texts = [b.text for b in doc.blocks]
    assert "Facebook's new privacy rules for advertisers" in texts
    assert "Facebook Twitter Email" not in texts


def test_browser_print_without_header_and_footer_still_gets_article_mode():
    doc = reflow.convert(FIX / "noheader.pdf")
    assert not doc.metadata.web_print  # no print header or footer to see
    text = _text(doc)
    for para in marked("noheader", "data-body"):
        assert para in text, para[:60]
    for piece in marked("noheader", "data-chrome"):
        assert piece not in text, piece[:60]
    assert doc.metadata.title == "Ferry strike ends after two days"


def test_body_sentences_about_cookies_or_comments_are_article():
    about = [
        "Google will phase out third-party cookies in Chrome, a change privacy advocates welcomed.",
        "The company declined to comment on the report, which was published on Monday.",
        "Netflix raised its subscription price by a dollar in the United States.",
        "The letter was delivered to the embassy on Monday morning.",
        "Millions rushed to sign up for the service on its first day.",
        "The band sued the label over copyright in 2018.",
    ]
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    doc.blocks = [_block(f"({i}) {SENT}") for i in range(3)]
    doc.blocks[1:1] = [_block(t) for t in about]
    doc.blocks.append(
        _block("We use cookies to improve your experience. By clicking Accept you consent.")
    )
    select_article(doc)
    texts = [b.text for b in doc.blocks]
    assert all(t in texts for t in about)
    assert not any(t.startswith("We use cookies") for t in texts)


def _web(blocks: list[Block]) -> Document:
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    doc.blocks = blocks
    return doc


def test_end_marker_related_box_inside_the_article_is_dropped_but_the_article_goes_on():
    body = [_block(f"({i}) {SENT}") for i in range(8)]
    box = [_block("Related"), _block("Council approves new cycling lanes")]
    box[1].links = [InlineLink(0, len(box[1].text), "http://x/a")]
    doc = _web(body[:3] + box + body[3:])
    select_article(doc)
    texts = [b.text for b in doc.blocks]
    assert all(b.text in texts for b in body)
    assert "Related" not in texts and "Council approves new cycling lanes" not in texts


def test_section_heading_of_site_words_is_article_when_running_text_follows():
    body = [_block(f"({i}) {SENT}") for i in range(8)]
    head = _block("Fine print")
    head.type = "heading"
    site = _block("Print")  # a print button: no running text follows it
    site.type = "heading"
    related = _block("Related")
    related.type = "heading"
    link = _block("Council approves new cycling lanes")
    link.links = [InlineLink(0, len(link.text), "http://x/a")]
    doc = _web(body[:3] + [head] + body[3:5] + [site, related, link] + body[5:])
    select_article(doc)
    texts = [b.text for b in doc.blocks]
    assert all(b.text in texts for b in body)
    assert "Fine print" in texts
    assert "Print" not in texts and "Related" not in texts


def test_site_labels_are_dropped_also_letter_spaced_but_sentences_with_the_words_stay():
    body = [_block(f"({i}) {SENT}") for i in range(8)]
    labels = ["ADVERTISE M ENT", "Advert", "SHARES", "More:", "Sharing is caring!"]
    labels += ["These are external links and will open in a new window", "Breaking News Emails"]
    about = [
        "Shares of the company rose 3 percent on Monday after the report.",
        "More than 200 people attended the hearing on Tuesday evening.",
        "The advertisement ran in four newspapers before the vote.",
    ]
    doc = _web(
        body[:3]
        + [_block(t) for t in labels[:4]]
        + body[3:5]
        + [_block(t) for t in about]
        + body[5:6]
        + [_block(t) for t in labels[4:]]
        + body[6:]
    )
    select_article(doc)
    texts = [b.text for b in doc.blocks]
    assert all(b.text in texts for b in body) and all(t in texts for t in about)
    assert not any(t in texts for t in labels)


def test_end_marker_comments_end_the_article():
    body = [_block(f"({i}) {SENT}") for i in range(5)]
    comments = [_block("12 Comments")] + [_block(f"Reader {i} wrote: {SENT}") for i in range(6)]
    doc = _web(body + comments)
    select_article(doc)
    assert [b.text for b in doc.blocks] == [b.text for b in body]


def test_author_bio_closing_note_ends_the_article():
    body = [_block(f"({i}) {SENT}") for i in range(5)]
    bio = _block(
        "Meg James is a corporate media reporter for the Example Times, covering the business "
        "of television and film."
    )
    doc = _web(body + [bio])
    select_article(doc)
    assert bio.text not in [b.text for b in doc.blocks]


def test_extracted_text_of_a_web_print_gets_the_article_without_the_menus():
    """Plain text a tool extracted from a browser print: no fonts, no positions, the site's
    menus one short line each with no blank line between. Article mode still finds the body."""
    body = [
        f"Paragraph {i} of the story runs on for a while, as running text does, with a full stop "
        f"at its end and enough words to wrap over a second line of the extracted text here."
        for i in range(6)
    ]
    wrapped = []
    for p in body:
        cut = p.index(" with a full")
        wrapped += [p[:cut], p[cut + 1 :], ""]
    menu = ["Home", "World", "Politics", "Business", "Subscribe", "Sign In", "Newsletters"]
    footer = ["About Us", "Contact", "Privacy Policy", "Terms of Use", "Cookie Settings"]
    lines = (
        ["11/22/26, 5:24 PM Ferry strike ends after two days - Harbor Post", ""]
        + menu
        + ["Ferry strike ends after two days", ""]
        + wrapped
        + footer
        + ["https://harborpost.example/news/ferry-strike-ends 1/1"]
    )
    doc = reflow.convert_text("\n".join(lines) + "\n", name="print.txt")
    texts = [b.text for b in doc.blocks]
    assert all(p in texts for p in body)
    assert not any(m in t for t in texts for m in ("Politics", "Newsletters", "Cookie Settings"))
    assert doc.metadata.title == "Ferry strike ends after two days"


def _texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks]


def _body(n: int, per_page: int = 5) -> list[Block]:
    return [
        _block(f"({i}) {SENT}", page=1 + i // per_page, top=100.0 + 100 * (i % per_page))
        for i in range(n)
    ]


def test_repeated_short_block_at_the_same_place_on_two_pages_is_dropped():
    body = _body(10)
    bar = [_block("Tonight at the Harbor Hall", page=p, top=20.0) for p in (1, 2)]
    doc = _web(body[:2] + [bar[0]] + body[2:6] + [bar[1]] + body[6:])
    select_article(doc)
    assert _texts(doc) == [b.text for b in body]
    # a short line the article repeats, at other places, stays
    tip = [
        _block("Eat every 2-3 hours", page=1, top=150.0),
        _block("Eat every 2-3 hours", page=2, top=350.0),
    ]
    doc = _web(body[:2] + [tip[0]] + body[2:6] + [tip[1]] + body[6:])
    select_article(doc)
    assert _texts(doc).count("Eat every 2-3 hours") == 2


def test_dense_region_is_the_run_with_the_most_body_text():
    assert max_window([-3.0, -2.0, 10.0, 5.0, -1.0, 8.0, -20.0, 4.0]) == (2, 5)
    assert max_window([-1.0, -5.0]) == (0, 0)  # nothing positive: the least bad block
    body = _body(6)
    nav = [_block(t) for t in ("Home", "World", "Sport")]
    for b in nav:
        b.links = [InlineLink(0, len(b.text), "http://x/")]
    foot = [_block("About us"), _block("Contact the newsroom")]
    doc = _web(nav + body + foot)
    select_article(doc)
    assert _texts(doc) == [b.text for b in body]
    assert [r.text for r in doc.removed] == [
        "Home",
        "World",
        "Sport",
        "About us",
        "Contact the newsroom",
    ]


def test_title_anchor_the_article_starts_at_the_block_matching_the_page_title():
    title = "Ferry strike ends after two days"
    body = _body(6)
    blocks = [_block("Harbor Post", size=16.0), _block("Home News Sport"), _block(title, size=24.0)]
    blocks += (
        [_block("Share")] + body[:3] + [_block(title, size=24.0)] + body[3:]
    )  # a card repeats it
    doc = _web(blocks)
    doc.info["Title"] = f"{title} - Harbor Post"
    select_article(doc)
    assert doc.blocks[0].text == title and doc.blocks[0].type == "title"
    assert doc.facts.title == title and doc.facts.title_index == 0
    assert {"Harbor Post", "Home News Sport"} <= {r.text for r in doc.removed}


def test_title_anchor_without_a_page_title_is_the_largest_heading_above_the_body():
    head = _block("A quiet revolution in the harbour", size=24.0)
    doc = _web([_block("Home News Sport"), head, _block("Share")] + _body(6))
    select_article(doc)
    assert doc.blocks[0].text == head.text and doc.blocks[0].type == "title"
    assert doc.facts.title == head.text


@pytest.mark.xfail(
    strict=True,
    reason="title-anchor looks for a heading up to 3 blocks into the body without stopping at "
    "running text there, so a subheading just after the first paragraphs becomes the title "
    "and those paragraphs are dropped (reported, not fixed)",
)
def test_title_anchor_a_subheading_after_the_first_paragraphs_does_not_cut_them():
    body = _body(8)
    doc = _web(body[:2] + [_block("What comes next for the harbour", size=16.0)] + body[2:])
    select_article(doc)
    assert all(b.text in _texts(doc) for b in body)


def test_continuation_an_all_link_line_going_on_an_open_sentence_is_article():
    body = _body(6)
    tail = _block("nearly five years ago.")
    tail.links = [InlineLink(0, len(tail.text), "http://x/a")]
    opened = _block(
        "(x) The plan was first put to the council, and the mayor said so at the time, some"
    )
    doc = _web(body[:3] + [opened, tail] + body[3:])
    select_article(doc)
    assert tail.text in _texts(doc)
    # after a sentence that ended, an all-link line is a link list
    closed = _block("(x) The plan was first put to the council, and the mayor said so at the time.")
    doc = _web(body[:3] + [closed, tail] + body[3:])
    select_article(doc)
    assert tail.text not in _texts(doc)


def test_near_duplicate_the_shorter_copy_goes_within_a_few_blocks_only():
    body = _body(10)
    pull = _block(
        "the work should start in the spring, once the weather allows the crews to reach the site"
    )
    doc = _web(body[:2] + [pull] + body[2:])
    select_article(doc)
    assert _texts(doc) == [b.text for b in body]  # the pull quote repeats a paragraph
    caption = _block("Protesters gather outside the city hall on Tuesday evening in the rain")
    doc = _web(body[:2] + [caption] + body[2:9] + [caption] + body[9:])
    select_article(doc)
    assert _texts(doc).count(caption.text) == 2  # far apart: two pictures, two captions


def test_embed_signature_of_a_quoted_post_is_article_however_many_links():
    body = _body(6)
    sig = _block("— Rep. Ilhan Omar (@IlhanMN) November 19, 2019")
    sig.links = [InlineLink(0, len(sig.text), "https://twitter.example/IlhanMN/status/1")]
    doc = _web(body[:3] + [sig] + body[3:])
    select_article(doc)
    assert sig.text in _texts(doc)
    other = _block("— Rep. Ilhan Omar on Twitter, November 19, 2019")
    other.links = list(sig.links)
    doc = _web(body[:3] + [other] + body[3:])
    select_article(doc)
    assert other.text not in _texts(doc)  # no handle: a line of links like any other


def test_author_bio_not_when_the_article_has_only_begun():
    bio = _block(
        "Meg James is a corporate media reporter for the Example Times, covering the business "
        "of television and film."
    )
    doc = _web([bio] + _body(5))
    select_article(doc)
    assert bio.text in _texts(doc)
