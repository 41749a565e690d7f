"""Titles (``structure/titles.py``): the article's headline, matched against the page title a
browser printed, with the site's name cut off."""

from reflow.model import Block, Document
from reflow.structure.titles import find_title_block, strip_site, title_candidates

BODY = (
    "The council approved the plan on Thursday after a long debate about its cost and its timing."
)
PAGE_TITLE = "Night trains return to the northern line | Example Daily"


def _doc(texts: list[str | tuple[str, float]], **info: str) -> Document:
    doc = Document(source="t.pdf", kind="pdf")
    for t in texts:
        text, size = (t, 12.0) if isinstance(t, str) else t
        doc.blocks.append(Block(type="paragraph", text=text, page=1, size=size))
    doc.metadata.web_print = True
    doc.info.update(info)
    return doc


def test_strip_site_keeps_the_headline():
    assert strip_site("Night trains return to the northern line | Example Daily") == (
        "Night trains return to the northern line"
    )
    assert strip_site(
        "Opinion | Republicans Are Following Trump to Nowhere - The New York Times"
    ) == ("Republicans Are Following Trump to Nowhere")


def test_page_title_match_finds_the_headline_not_the_masthead_nor_a_print_stamp():
    doc = _doc(
        [
            ("Example Daily", 28.0),  # the site's name matches a piece of the page title
            ("Night trains return to the northern line", 24.0),
            "11/25/26, 7:30 PM Night trains return to the northern line",  # the print header
            BODY,
        ],
        Title=PAGE_TITLE,
    )
    assert [i for i, _ in title_candidates(doc)] == [1]
    doc.blocks[1].type = "caption"  # a caption is not a title, however well it matches
    assert title_candidates(doc) == []


def test_page_title_match_ties_go_to_the_larger_type():
    doc = _doc(
        [
            ("Night trains return to the northern line", 12.0),
            ("Night trains return to the northern line", 24.0),
        ],
        Title=PAGE_TITLE,
    )
    assert [i for i, _ in title_candidates(doc)] == [1, 0]


def test_page_title_match_needs_a_page_title_that_is_not_junk():
    doc = _doc([("Night trains return to the northern line", 24.0), BODY])
    assert title_candidates(doc) == []
    doc = _doc([("Draft three of the report", 24.0), BODY], Title="Microsoft Word - draft3.docx")
    assert title_candidates(doc) == []


def test_title_score_takes_the_headline_set_large_not_the_dek_the_page_title_matches():
    # sites write <title> for search engines: here it is the dek's wording, not the headline's
    dek = "Dylann Roof convicted of the Charleston church massacre on all counts"
    doc = _doc(
        [
            ("Example Daily", 12.0),
            ("Jury finds Dylann Roof guilty in church shooting", 24.0),
            dek,
            "By Jane Roe",
            "December 15, 2016",
            BODY,
            BODY,
        ],
        Title=dek + " | Example Daily",
    )
    doc.blocks[1].type = "heading"
    assert title_candidates(doc)[0][0] == 1
    assert find_title_block(doc) == 1
