"""Layout stages: furniture, blocks, reading order, tagged hints, right-to-left lines."""

from pathlib import Path

import reflow
from reflow.layout.blocks import merge_rtl_fragments, reading_order
from reflow.layout.furniture import remove_furniture
from reflow.model import Block, Document, Line, Page

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "corpora" / "layout"


def _line(text, page, x0, top, x1, size=10.0):
    return Line(text=text, page=page, bbox=(x0, top, x1, top + size * 1.2), size=size)


def test_running_header_footer_and_page_numbers_are_removed_and_reported():
    doc = Document(source="t", kind="pdf")
    for n in range(1, 5):
        page = Page(number=n, width=600, height=800)
        page.lines = [
            _line("ACME Quarterly Report · Spring 2024", n, 50, 20, 300, 8),
            _line(f"Body text of page {n} that is the article itself.", n, 50, 200, 550),
            _line(str(n), n, 295, 770, 305, 8),
        ]
        doc.pages.append(page)
    remove_furniture(doc)
    left = [ln.text for p in doc.pages for ln in p.lines]
    assert left == [f"Body text of page {n} that is the article itself." for n in range(1, 5)]
    assert {r.reason for r in doc.removed} == {"header", "page-number"}
    assert len(doc.removed) == 8


def _block(x0, top, x1, bottom, text):
    return Block(type="paragraph", text=text, page=1, bbox=(x0, top, x1, bottom))


def test_two_columns_are_read_column_by_column_under_a_full_width_title():
    title = _block(50, 40, 550, 80, "title")
    left = [_block(50, 100 + i * 60, 290, 150 + i * 60, f"L{i}") for i in range(4)]
    # The right column's paragraph gaps fall at other heights, and one band holds a picture.
    right = [_block(310, 130 + i * 70, 550, 190 + i * 70, f"R{i}") for i in range(3)]
    shuffled = [right[1], left[2], title, right[0], left[0], right[2], left[3], left[1]]
    order = [b.text for b in reading_order(shuffled)]
    assert order == ["title", "L0", "L1", "L2", "L3", "R0", "R1", "R2"]


def test_right_to_left_words_on_one_baseline_make_one_line():
    words = ["תחילה", "באה", "המילה"]  # logical order; x runs leftwards
    lines = [_line(w, 1, 500 - i * 40, 100, 530 - i * 40) for i, w in enumerate(words)]
    merged = merge_rtl_fragments(lines)
    assert len(merged) == 1 and merged[0].text == " ".join(words)


def test_tagged_print_gives_list_items_quote_and_table():
    doc = reflow.convert(SUITE / "longread-1col-sans-running-hf.pdf", article=False)
    types = [b.type for b in doc.blocks]
    assert types.count("list_item") >= 4
    assert "quote" in types
    table = next(b for b in doc.blocks if b.type == "table")
    assert table.rows[0] == ["Region", "Support", "Oppose", "Undecided"]
    assert all(len(r) == 4 for r in table.rows)


def test_untagged_path_keeps_every_word(monkeypatch):
    monkeypatch.setenv("REFLOW_NO_TAGS", "1")
    path = SUITE / "news-1col-letter-serif.pdf"
    plain = reflow.convert(path, article=False)
    assert all(ln.tag is None for p in plain.pages for ln in p.lines)
    monkeypatch.delenv("REFLOW_NO_TAGS")
    tagged = reflow.convert(path, article=False)
    # Bullets drawn as shapes are not text; the tagged path adds their "-" marker.
    words = lambda d: sorted(w for w in d.text.split() if w != "-")  # noqa: E731
    assert words(plain) == words(tagged)


def test_truncated_print_footer_url_is_completed_only_from_the_pages_own_links():
    from reflow.layout.furniture import complete_url
    from reflow.model import LinkAnnot

    cut = "https://news.example.com/2019/11/19/a-very-long-story-slug-that-chromium-cu…"
    full = "https://news.example.com/2019/11/19/a-very-long-story-slug-that-chromium-cuts/123/"
    doc = Document(source="t", kind="pdf")
    doc.pages.append(Page(number=1))
    assert complete_url(cut, doc) is None  # nothing to go on: nothing is guessed
    share = "https://www.facebook.com/sharer.php?u=" + full.replace(":", "%3A").replace("/", "%2F")
    doc.pages[0].links = [LinkAnnot(url=share, page=1), LinkAnnot(url="https://x.org/", page=1)]
    assert complete_url(cut, doc) == full


def test_print_header_takes_its_own_row_only_not_content_printed_just_below():
    doc = Document(source="t", kind="pdf")
    for n in (1, 2):
        page = Page(number=n, width=612, height=792)
        page.lines = [
            _line("11/22/26, 5:29 PM", n, 24, 15, 97, 8),
            _line("Some Article Title - Site", n, 180, 15, 535, 8),
            _line(f"“The show was really great,” visitor {'AB'[n - 1]} wrote.", n, 71, 28, 540, 11),
            _line("https://site.example/a/b", n, 24, 770, 200, 8),
            _line(f"{n}/2", n, 570, 770, 588, 8),
        ]
        doc.pages.append(page)
    remove_furniture(doc)
    assert [ln.text for p in doc.pages for ln in p.lines] == [
        "“The show was really great,” visitor A wrote.",
        "“The show was really great,” visitor B wrote.",
    ]
    assert doc.facts.print_title == "Some Article Title - Site"
    assert doc.facts.print_url == "https://site.example/a/b"


def test_headings_come_from_type_but_a_lone_number_is_none():
    """Bold or large short lines are headings; a page number or a list number set that way
    ("208", "1.") is not, whatever its type."""
    from reflow.structure.roles import assign_roles

    def block(text: str, size: float, bold: bool = False) -> Block:
        ln = Line(text, 1, bbox=(50.0, 100.0, 300.0, 112.0), size=size, bold=bold, font="F")
        return Block(
            "paragraph",
            text,
            1,
            (50.0, 100.0, 300.0, 112.0),
            lines=[ln],
            size=size,
            bold=bold,
            pages=[1],
        )

    body = "Running text of the report goes on here, sentence after sentence, as reports do."
    doc = Document(source="r.pdf", kind="pdf")
    doc.pages = [Page(1, 600.0, 800.0)]
    doc.facts.body_size = 10.0
    doc.blocks = [
        block("208", 10.0, bold=True),
        block("State funded legal aid", 10.0, bold=True),
        block(body, 10.0),
        block("1.", 16.0),
        block("Annex", 16.0),
        block(body, 10.0),
    ]
    assign_roles(doc)
    types = [b.type for b in doc.blocks]
    assert types[0] == types[3] == "paragraph"
    assert types[1] == "heading" and types[4] in ("heading", "title")
