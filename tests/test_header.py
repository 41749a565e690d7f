"""The article's header (``structure/header.py``): the title block, and the byline and date
written near it."""

from reflow.model import Block, Document
from reflow.settings import DEFAULT
from reflow.structure.header import find_header
from reflow.structure.metadata import extract_metadata as _extract

BODY = (
    "The council approved the plan on Thursday after a long debate about its cost and its timing."
)
TITLE = "A headline about bridges"


def extract_metadata(doc: Document) -> Document:
    """The header stage, then the metadata stage (what the pipeline runs without article
    mode between them)."""
    return _extract(find_header(doc))


def _doc(texts: list[str | tuple[str, float]], *, web: bool = True, **info: str) -> Document:
    doc = Document(source="t.pdf", kind="pdf")
    for t in texts:
        text, size = (t, 12.0) if isinstance(t, str) else t
        doc.blocks.append(Block(type="paragraph", text=text, page=1, size=size))
    doc.metadata.web_print = web
    for key in ("print_date", "print_title", "print_url"):  # what the furniture stage read
        setattr(doc.facts, key, info.pop(key, None))
    doc.info.update(info)
    return doc


def test_web_print_title_is_the_heading_matching_the_page_title_not_the_site_name():
    doc = _doc(
        [
            ("Example Daily", 28.0),  # the masthead: bigger, but not the article's title
            ("Night trains return to the northern line", 24.0),
            "By Karl Nilsson",
            "Aug. 16, 2020",
            BODY,
        ],
        Title="Night trains return to the northern line | Example Daily",
        print_date="11/25/26, 7:30 PM",
        print_url="http://news.example.org/2020/08/16/related.html",
    )
    extract_metadata(doc)
    m = doc.metadata
    assert m.title == "Night trains return to the northern line"
    assert m.authors == ["Karl Nilsson"]
    assert m.date == "2020-08-16"
    assert m.url == "http://news.example.org/2020/08/16/related.html"
    assert [b.type for b in doc.blocks[:4]] == ["paragraph", "title", "byline", "date"]


def test_byline_near_title_after_it_or_just_before_it():
    doc = find_header(_doc([(TITLE, 24.0), BODY, "By Karl Nilsson", BODY], Title=TITLE + " - Site"))
    assert doc.facts.authors == ["Karl Nilsson"] and doc.blocks[2].type == "byline"
    doc = find_header(_doc(["By Karl Nilsson", (TITLE, 24.0), BODY], Title=TITLE + " - Site"))
    assert doc.facts.authors == ["Karl Nilsson"] and doc.blocks[0].type == "byline"


def test_byline_near_title_wins_over_one_far_down_the_page():
    # a "By" line far down the page is a candidate too (an author's line under the article),
    # but the byline under the title is the article's
    blocks = [(TITLE, 24.0), "By Anna Berg"] + [BODY] * 11 + ["By Karl Nilsson"]
    doc = find_header(_doc(blocks, Title=TITLE + " - Site"))
    assert doc.facts.authors == ["Anna Berg"] and doc.blocks[-1].type == "paragraph"
    # a bare name far down the page (no byline word) is no byline
    blocks = [(TITLE, 24.0)] + [BODY] * 11 + ["Karl Nilsson"]
    assert find_header(_doc(blocks, Title=TITLE + " - Site")).facts.authors == []


def test_date_near_title_is_read_as_iso_and_its_line_typed_date():
    doc = find_header(_doc([(TITLE, 24.0), "Aug. 16, 2020", BODY], Title=TITLE + " - Site"))
    assert doc.facts.date == "2020-08-16" and doc.blocks[1].type == "date"
    # a date opening a longer block counts, and the block keeps its type
    line = "Monday November 18, 2019 7:45 am PST by Joe Rossignol, with more words after it here"
    doc = find_header(_doc([(TITLE, 24.0), line, BODY], Title=TITLE + " - Site"))
    assert doc.facts.date == "2019-11-18" and doc.blocks[1].type == "paragraph"


def test_date_near_title_not_far_away_nor_an_old_year():
    blocks = [(TITLE, 24.0)] + [BODY] * DEFAULT.header.date_after + ["Aug. 16, 2020"]
    assert find_header(_doc(blocks, Title=TITLE + " - Site", web=False)).facts.date is None
    doc = find_header(_doc([(TITLE, 24.0), "Jan. 5, 1985", BODY], Title=TITLE + " - Site"))
    assert doc.facts.date is None  # before the web: a date the article mentions, not its own


def test_date_near_title_not_from_a_photo_caption_when_the_page_writes_its_own():
    doc = _doc([(TITLE, 24.0), "The bridge in 1998. Photo: 12 March 2019", "14 May 2020", BODY])
    doc.info["Title"] = TITLE + " - Site"
    doc.blocks[1].type = "caption"
    assert find_header(doc).facts.date == "2020-05-14"


def test_date_order_from_the_pages_language_and_its_own_dates():
    texto = "O conselho aprovou o plano na quinta-feira depois de um longo debate sobre o custo."
    doc = find_header(_doc([(TITLE, 24.0), "Por Ana Lima | 03/05/2022 20:36", texto], Title=TITLE))
    assert doc.facts.date == "2022-05-03"  # a Portuguese page: day first
    doc = find_header(_doc([(TITLE, 24.0), "03/05/2022 8:36 PM", BODY], Title=TITLE))
    assert doc.facts.date == "2022-03-05"  # an English page: month first
    # ... unless its URL is under the domain of a country writing English day first
    for url, iso in (
        ("https://www.example.co.uk/news/bridges", "2022-05-03"),
        ("https://example.ie/bridges", "2022-05-03"),
        ("https://example.com/bridges", "2022-03-05"),
    ):
        doc = _doc([(TITLE, 24.0), "03/05/2022 8:36 PM", BODY], Title=TITLE)
        doc.facts.print_url = url
        assert find_header(doc).facts.date == iso, url
    # the page's own dates tell: one with a day over 12 is day first, whatever the language
    doc = find_header(_doc([(TITLE, 24.0), "03/05/2022", BODY, "Updated 23/05/2022"], Title=TITLE))
    assert doc.facts.date == "2022-05-03"


def test_date_near_title_read_as_the_day_the_url_carries():
    doc = _doc([(TITLE, 24.0), "06/01/2026", BODY], Title=TITLE)
    doc.facts.print_url = "https://news.example.org/2026/01/06/bridges"
    assert find_header(doc).facts.date == "2026-01-06"


def test_date_score_takes_the_line_under_the_headline_not_the_related_articles_dates():
    related = ["16.10.2021 Another story of the site", "11.10.2021 And one more story"]
    doc = _doc(
        [*related, (TITLE, 24.0), "Veröffentlicht am 5. November 2023, 14:09", BODY, BODY],
        Title=TITLE + " - Site",
    )
    for b in doc.blocks[:2]:
        b.type = "list_item"
    assert find_header(doc).facts.date == "2023-11-05"
    # a date the text mentions further down is not the article's
    doc = _doc([(TITLE, 24.0), "20 February, 2024", BODY, "It opened on 3 May 2011. " + BODY])
    doc.info["Title"] = TITLE
    assert find_header(doc).facts.date == "2024-02-20"


def test_date_score_reads_a_numeric_date_in_the_pages_order():
    texto = "O conselho aprovou o plano na quinta-feira depois de um longo debate sobre o custo."
    doc = find_header(_doc([(TITLE, 24.0), "06/01/2026 20:36", texto, texto], Title=TITLE))
    assert doc.facts.date == "2026-01-06"  # a Portuguese page: 6 January, not 1 June
