"""Page furniture (``layout/furniture.py``): print header and footer, running headers, page
numbers, on PDFs (geometry) and on extracted text (line positions only).

Furniture found by position alone (printed once, margin stamps) is ``test_furniture_position.py``.
"""

import reflow
from reflow.layout.furniture import complete_url, remove_furniture
from reflow.model import Document, Line, LinkAnnot, Page, Producer

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango"
).split()


def _line(text, page, x0, top, x1, size=10.0):
    return Line(text=text, page=page, bbox=(x0, top, x1, top + size * 1.2), size=size)


def _body_line(page: int, i: int) -> str:
    # every line its own words (digits are folded when lines are compared)
    return f"The {WORDS[(page + i) % 20]} {WORDS[(2 * page + i) % 20]} line of the page runs on."


def test_running_header_and_page_number_are_removed_and_reported():
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


def test_print_url_ellipsis_is_completed_only_from_the_pages_own_links():
    cut = "https://news.example.com/2019/11/19/a-very-long-story-slug-that-chromium-cu…"
    full = "https://news.example.com/2019/11/19/a-very-long-story-slug-that-chromium-cuts/123/"
    doc = Document(source="t", kind="pdf")
    doc.pages.append(Page(number=1))
    assert complete_url(cut, doc) is None  # nothing to go on: nothing is guessed
    share = "https://www.facebook.com/sharer.php?u=" + full.replace(":", "%3A").replace("/", "%2F")
    doc.pages[0].links = [LinkAnnot(url=share, page=1), LinkAnnot(url="https://x.org/", page=1)]
    assert complete_url(cut, doc) == full


def test_print_header_footer_takes_its_own_row_only_not_content_printed_just_below():
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
    assert doc.metadata.web_print and doc.facts.producer is Producer.BROWSER


def test_print_header_footer_on_one_page_of_four_is_not_a_print():
    """A date and a title in the top margin of one page out of four is the document's own text
    (a letter's date line), not a browser's header."""
    doc = Document(source="t", kind="pdf")
    for n in range(1, 5):
        page = Page(number=n, width=612, height=792)
        page.lines = [_line(_body_line(n, i), n, 72, 100 + 14 * i, 540) for i in range(20)]
        doc.pages.append(page)
    doc.pages[0].lines.insert(0, _line("3/14/24, 9:00 AM Minutes of the board", 1, 24, 15, 300, 8))
    remove_furniture(doc)
    assert not [r for r in doc.removed if r.reason in ("print-header", "print-footer")]
    assert not doc.metadata.web_print and doc.facts.print_title is None
    assert doc.facts.producer is not Producer.BROWSER


def _printed_text(pages: int, header: bool = True) -> str:
    out = []
    for n in range(1, pages + 1):
        head = "11/22/26, 5:24 PM Ferry strike ends - Harbor Post\n" if header else ""
        body = (
            f"The {WORDS[n]} paragraph of the story goes on for a while, with a full stop.\n"
            f"The {WORDS[n + 8]} paragraph of the story goes on for a while, with a full stop."
        )
        out.append(f"{head}{body}\nhttps://harbor.example/news/ferry {n}/{pages}")
    return "\n".join(out) + "\n"


def test_print_header_footer_text_is_removed_from_extracted_text_and_read():
    doc = reflow.convert_text(_printed_text(4), article=False)
    text = " ".join(b.text for b in doc.blocks)
    assert "Harbor Post" not in text and "harbor.example" not in text
    assert text.count("paragraph of the story") == 8  # every paragraph kept
    assert doc.facts.print_title == "Ferry strike ends - Harbor Post"
    assert doc.facts.print_url == "https://harbor.example/news/ferry"
    assert doc.metadata.web_print and doc.facts.producer is Producer.BROWSER
    assert sorted({r.reason for r in doc.removed}) == ["print-footer", "print-header"]
    assert len(doc.removed) == 8


def test_print_header_footer_text_leaves_a_stamp_inside_the_page_alone():
    stamp = "11/22/26, 5:24 PM the doors of the hall opened and the meeting began at last"
    lines = [
        f"The {w} paragraph of the story goes on for a while, with a full stop." for w in WORDS
    ]
    lines.insert(8, stamp)
    doc = reflow.convert_text("\n".join(lines) + "\n", article=False)
    assert stamp in " ".join(b.text for b in doc.blocks)
    assert not doc.removed and not doc.metadata.web_print


def _floating_footer_doc(pages: int, footer: str) -> Document:
    """Pages of text with a footer at the bottom edge; the last page is short, and its footer
    floats up under its last line."""
    doc = Document(source="t", kind="pdf")
    for n in range(1, pages + 1):
        page = Page(number=n, width=600, height=800)
        k = 3 if n == pages else 20
        page.lines = [_line(_body_line(n, i), n, 50, 100 + i * 14, 550) for i in range(k)]
        top = 100 + k * 14 + 20 if n == pages else 770
        page.lines.append(_line(footer, n, 50, top, 300, 8))
        doc.pages.append(page)
    return remove_furniture(doc)


def test_running_text_anywhere_takes_a_footer_that_floats_up_a_short_last_page():
    doc = _floating_footer_doc(4, "harbor.example · Subscribe to the Harbor Post")
    assert [r.page for r in doc.removed] == [1, 2, 3, 4]
    assert all(r.reason == "footer" for r in doc.removed)
    assert len(doc.pages[3].lines) == 3


def test_running_text_anywhere_needs_a_few_words_and_a_few_pages():
    # two words may be the article's own ("Harbor Post"), up the page
    doc = _floating_footer_doc(4, "Harbor Post")
    assert [r.page for r in doc.removed] == [1, 2, 3]
    assert doc.pages[3].lines[-1].text == "Harbor Post"
    # two pages: not enough to tell
    doc = _floating_footer_doc(2, "harbor.example · Subscribe to the Harbor Post")
    assert doc.pages[1].lines[-1].text == "harbor.example · Subscribe to the Harbor Post"


def _report(pages: int, header: str | None = "ACME Annual Report 2024", numbers=True) -> str:
    out = []
    for n in range(1, pages + 1):
        body = (
            f"The {WORDS[n]} section of the report goes on for a while, with a full stop.\n"
            f"The {WORDS[n + 5]} section of the report goes on for a while, with a full stop."
        )
        out.append((f"{header}\n" if header else "") + body + (f"\n{n}" if numbers else ""))
    return "\f".join(out) + "\n"


def test_running_header_text_repeating_on_the_pages_of_extracted_text_is_removed():
    doc = reflow.convert_text(_report(3), article=False)
    assert [(r.page, r.reason) for r in doc.removed if r.reason == "header"] == [
        (1, "header"),
        (2, "header"),
        (3, "header"),
    ]
    assert not any("ACME" in b.text for b in doc.blocks)
    assert sum("section of the report" in b.text for b in doc.blocks) == 3  # body kept


def test_running_header_text_needs_three_pages():
    doc = reflow.convert_text(_report(2), article=False)
    assert not [r for r in doc.removed if r.reason == "header"]
    assert sum(b.text.startswith("ACME Annual Report") for b in doc.blocks) == 2


def test_page_number_text_a_lone_number_closing_a_page_is_removed():
    doc = reflow.convert_text(_report(2, header=None), article=False)
    assert [(r.page, r.text) for r in doc.removed] == [(1, "1"), (2, "2")]
    assert not any(b.text.strip().isdigit() for b in doc.blocks)


def test_page_number_text_not_on_a_single_page_nor_a_line_with_words():
    doc = reflow.convert_text(_report(1, header=None), article=False)
    assert not doc.removed
    text = _report(2, header=None).replace("\n1\f", "\n12 members voted for it.\f")
    doc = reflow.convert_text(text, article=False)
    assert [r.text for r in doc.removed] == ["2"]
    assert any("12 members voted for it." in b.text for b in doc.blocks)


def test_print_header_footer_text_on_one_page_keeps_the_line_after_a_titled_date():
    # The header's date carries the title on its own line: the next line is the article's.
    text = (
        "11/22/26, 5:24 PM Ferry strike ends - Harbor Post\n"
        "Ferry workers return to the harbour after three weeks.\n"
        "The first paragraph of the story goes on for a while, with a full stop.\n"
        "https://harbor.example/news/ferry 1/1\n"
    )
    doc = reflow.convert_text(text, article=False)
    kept = " ".join(b.text for b in doc.blocks)
    assert "Ferry workers return to the harbour" in kept
    assert doc.facts.print_title == "Ferry strike ends - Harbor Post"
    assert sorted(r.reason for r in doc.removed) == ["print-footer", "print-header"]


def test_print_header_footer_text_takes_the_title_line_beside_an_untitled_date():
    text = (
        "11/22/26, 5:24 PM\n"
        "Ferry strike ends - Harbor Post\n"
        "The first paragraph of the story goes on for a while, with a full stop.\n"
        "https://harbor.example/news/ferry 1/1\n"
    )
    doc = reflow.convert_text(text, article=False)
    assert doc.facts.print_title == "Ferry strike ends - Harbor Post"
    assert "Harbor Post" not in " ".join(b.text for b in doc.blocks)


def test_running_text_anywhere_leaves_the_section_heading_the_header_repeats():
    # LaTeX's \markright: "What comes next" heads pages 2-4 and is the section's heading on
    # page 2, set larger than the text
    doc = Document(source="t", kind="pdf")
    for n in range(1, 5):
        page = Page(number=n, width=600, height=800)
        page.lines = [_line(_body_line(n, i), n, 50, 100 + i * 14, 550) for i in range(20)]
        page.lines.insert(0, _line("What comes next", n, 50, 30, 200, 8))
        if n == 2:
            page.lines.insert(5, _line("What comes next", n, 50, 160, 200, 14.3))
        doc.pages.append(page)
    remove_furniture(doc)
    assert [r.page for r in doc.removed] == [1, 2, 3, 4]
    assert any(ln.text == "What comes next" for ln in doc.pages[1].lines)
