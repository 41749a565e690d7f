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
from reflow.structure.article import select_article

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


def _block(text: str, size: float = 10.0, x0: float = 50.0, x1: float = 500.0, **kw) -> Block:
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
        bbox=(x0, 100.0, x1, 120.0),
        lines=[line],
        **kw,
    )


SENT = (
    "The committee met on Tuesday to review the plan and agreed after a long debate that the "
    "work should start in the spring, once the weather allows the crews to reach the site."
)


def test_sidebar_beside_the_body_column_is_dropped():
    doc = Document(source="x.pdf")
    doc.metadata.web_print = True
    for i in range(6):
        doc.blocks.append(_block(f"({i}) {SENT}"))
        doc.blocks.append(_block("Five places to swim outdoors this summer", x0=520, x1=590))
    select_article(doc)
    assert all(b.bbox[0] < 510 for b in doc.blocks)
    assert sum(r.reason == "boilerplate" for r in doc.removed) == 6


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


def test_related_box_inside_the_article_is_dropped_but_the_article_goes_on():
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


def test_comments_end_the_article():
    body = [_block(f"({i}) {SENT}") for i in range(5)]
    comments = [_block("12 Comments")] + [_block(f"Reader {i} wrote: {SENT}") for i in range(6)]
    doc = _web(body + comments)
    select_article(doc)
    assert [b.text for b in doc.blocks] == [b.text for b in body]


def test_closing_author_note_ends_the_article():
    body = [_block(f"({i}) {SENT}") for i in range(5)]
    bio = _block(
        "Meg James is a corporate media reporter for the Example Times, covering the business "
        "of television and film."
    )
    doc = _web(body + [bio])
    select_article(doc)
    assert bio.text not in [b.text for b in doc.blocks]


def test_article_mode_keeps_headings_and_captions_in_every_column_of_a_multi_column_print():
    """Web prints in two or three columns: the other columns' headings, captions and closing
    notes are the article's, not a sidebar."""
    import re
    from pathlib import Path

    import reflow

    suite = Path(__file__).resolve().parent.parent / "corpora" / "layout"
    for name in ("analysis-3col-letter-sans", "digest-3col-a4-serif-running"):
        expected = (suite / f"{name}.expected.md").read_text(encoding="utf-8")
        doc = reflow.convert(suite / f"{name}.pdf", article=True)
        headings = {b.text for b in doc.blocks if b.type in ("heading", "title")}
        for h in re.findall(r"^#+ (.+)$", expected, flags=re.M):
            assert re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", h) in headings, (name, h)
        assert not [r for r in doc.removed if r.reason == "boilerplate" and len(r.text) > 200]


def test_boilerplate_patterns_match_as_written():
    """The long boilerplate alternations are tried only where a word (or "©") starts, for speed;
    they must find exactly what the patterns as written find, e.g. not "share" in "_share"."""
    from reflow.structure import chrome as article

    texts = [
        "Share this article",
        "_share this",
        "x©2020 Example",
        "© 2020 Example Media. All rights reserved.",
        "5 min read",
        "a 10-minute read; 3 min. read",
        "We use cookies to improve your experience",
        "Sign up for our newsletter",
        "Подписаться — поделиться",
        "Read more: related stories on Facebook, Twitter",
        "TAGS: politics",
        "privacy_policy and terms of use",
    ]
    # and every short paragraph of the aeb-dev reference bodies, where the corpus is at hand
    gt = Path(__file__).parent.parent.parent / "shared/corpora/aeb-dev/ground-truth.json"
    if gt.exists():
        import json

        bodies = json.loads(gt.read_text(encoding="utf-8"))
        texts += [p for v in bodies.values() for p in (v.get("articleBody") or "").split("\n\n")][
            :4000
        ]
    assert set(article.AS_WRITTEN) == {
        "BOILERPLATE",
        "TOPIC_BOILERPLATE",
        "WEAK_BOILERPLATE",
        "COOKIE_NOTICE",
    }
    for name, written in article.AS_WRITTEN.items():
        fast = getattr(article, name)
        assert fast.pattern != written.pattern
        for t in texts:
            assert [m.span() for m in fast.finditer(t)] == [m.span() for m in written.finditer(t)]
    # a photo credit always holds one of the substrings tested before the search
    credits = [
        "Protesters have worn masks (Image: GETTY)",
        "Photo: Damian Dovarganes, AP",
        "Foto von Max Muster",
        "A crowd in Kyiv / AFP via Getty",
        "IMG_2041.JPEG",
        "https://site.example/wp-content/uploads/2019/a.png",
        "[caption id=1]",
        "Slide 3 of 12",
        "Picture courtesy of the museum",
    ]
    for t in credits + texts:
        low = t.lower()
        if article._PHOTO_LC.search(low):
            assert any(k in low for k in article.PHOTO_TRIGGERS), t
    assert all(article.photo_credit(t.lower()) for t in credits)
    # the lower-cased copies that _is_boilerplate runs find the same on lower-cased text
    for fast, written in [
        (article._BOILER_LC, article.BOILERPLATE),
        (article._WEAK_LC, article.WEAK_BOILERPLATE),
        (article._TOPIC_LC, article.TOPIC_BOILERPLATE),
        (article._COOKIE_LC, article.COOKIE_NOTICE),
    ]:
        for t in texts:
            low = t.lower()
            assert [m.span() for m in fast.finditer(low)] == [
                m.span() for m in written.finditer(low)
            ]


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
