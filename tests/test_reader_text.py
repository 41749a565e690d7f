"""Extracted text (``readers/text.py``): cleaning, and where its pages end."""

import reflow
from reflow.readers.text import read_text


def test_soft_hyphen_text_vanishes_inside_words_and_joins_at_line_ends():
    doc = reflow.convert_text("The com\u00adplain\u00ading ar\u00ad\u2010\nranged keys.\n")
    assert doc.blocks[0].text == "The complaining arranged keys."


def test_soft_hyphen_text_cleaning_drops_control_characters_and_keeps_plain_hyphens():
    doc = read_text("\ufeffA well-\nknown\x00 fact.\n", "x.txt")
    assert [ln.text for ln in doc.pages[0].lines if ln.text] == ["A well-", "known fact."]


def test_url_dump_page_end_two_url_lines_end_the_page_and_the_sentence_goes_on():
    """The seed's extractor dumped page 1's link targets mid-sentence: the URLs end the page,
    go to the list of links, and the sentence is whole again."""
    text = "Body line one ends with\nhttps://a.example/x\nhttps://b.example/y\nthe rest of it.\n"
    doc = reflow.convert_text(text)
    assert len(doc.pages) == 2
    assert [b.text for b in doc.blocks] == ["Body line one ends with the rest of it."]
    assert doc.urls == ["https://a.example/x", "https://b.example/y"]


def test_url_dump_page_end_not_for_one_url_line():
    doc = reflow.convert_text("Read the notes at\nhttps://a.example/x\nbefore the vote.\n")
    assert len(doc.pages) == 1
    assert [b.text for b in doc.blocks] == [
        "Read the notes at https://a.example/x before the vote."
    ]


def test_print_footer_page_end_a_footer_line_closes_its_page():
    text = (
        "Page one text.\nhttps://site.example/a 1/2\nPage two text.\nhttps://site.example/a 2/2\n"
    )
    doc = reflow.convert_text(text, article=False)
    assert [(r.page, r.text) for r in doc.removed] == [
        (1, "https://site.example/a 1/2"),
        (2, "https://site.example/a 2/2"),
    ]
    assert [b.text for b in doc.blocks] == ["Page one text.", "Page two text."]
    # a URL without the page counter is no footer: one page
    assert len(read_text("Page one text.\nhttps://site.example/a\nMore text.\n", "x").pages) == 1


def test_url_dump_page_end_blank_separated_urls_go_to_the_links_as_well():
    """The reader ends the page at URL lines with blank lines between them; the furniture
    stage takes the same lines as a dump, so no URL is left in the text."""
    text = "Body line one ends with\nhttps://a.example/x\n\nhttps://b.example/y\nthe rest of it.\n"
    doc = reflow.convert_text(text)
    assert len(doc.pages) == 2
    assert [b.text for b in doc.blocks] == ["Body line one ends with the rest of it."]
    assert doc.urls == ["https://a.example/x", "https://b.example/y"]


def test_print_footer_page_end_blank_lines_after_the_last_footer_are_no_page():
    text = "Page one text.\nhttps://site.example/a 1/2\nPage two text.\nhttps://site.example/a 2/2\n\n\n"
    assert len(read_text(text, "x").pages) == 2
