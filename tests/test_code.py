"""Code blocks (``layout/code.py``, ``structure/heal.py``): lines set in a monospaced font kept
whole as one fenced block, with their line breaks and indentation, without a listing's line
numbers; prose, also in fonts whose lines happen to be alike, is never code."""

from pathlib import Path

import reflow
from reflow.layout.blocks import build_blocks
from reflow.layout.code import monospace_fonts
from reflow.model import Document, Line, Page, Span
from reflow.settings import BlockSettings

ROOT = Path(__file__).resolve().parent.parent
PRODUCERS = ROOT / "corpora" / "producers"

PROSE = [
    "The committee met on Tuesday to review the plan for the new bridge over the",
    "river, and after a long debate it agreed that work should start soon after",
    "engineers survey the site in the spring and report back to the whole panel",
    "before the summer recess, when the council is expected to vote on it.",
]
CODE = [
    "def weighted_mean(values, weights):",
    "    total = sum(weights)",
    "    if total == 0:",
    '        raise ValueError("weights sum to zero")',
    "    return sum(v * w for v, w in zip(values, weights)) / total",
]
ADV = 6.0  # a monospaced font's advance at 10 pt


def _mono(text: str, top: float, x0: float = 50.0, number: str | None = None) -> Line:
    """A code line: its indentation is white space before it, as a page shows it."""
    body = text.lstrip()
    x = x0 + ADV * (len(text) - len(body))
    box = (x, top, x + ADV * len(body), top + 10)
    if number is None:
        return Line(body, 1, bbox=box, size=10.0, font="Mono10")
    spans = [
        Span(number, 5.0, font="Serif5", bbox=(x0 - 14, top + 2, x0 - 11, top + 7)),
        Span(body, 10.0, font="Mono10", bbox=box),
    ]
    return Line(f"{number} {body}", 1, bbox=(x0 - 14, top, box[2], top + 10), spans=spans)


def _prose(text: str, top: float, x1: float = 530.0) -> Line:
    return Line(text, 1, bbox=(50.0, top, x1, top + 10), size=10.0, font="Serif10")


def _doc(lines: list[Line]) -> Document:
    doc = Document(source="t", kind="pdf")
    page = Page(1, 600, 800)
    page.lines = lines
    doc.pages = [page]
    return doc


def _page(code: list[Line]) -> list[Line]:
    before = [_prose(t, 100 + 12 * i) for i, t in enumerate(PROSE)]
    after = [_prose(t, 300 + 12 * i) for i, t in enumerate(PROSE)]
    return before + code + after


def test_monospace_font_is_told_by_equal_advances_not_by_its_name():
    lines = _page([_mono(t, 170 + 12 * i) for i, t in enumerate(CODE)])
    # justified prose in a proportional font: every line as wide, a different number of letters
    lines += [_prose(t, 500 + 12 * i, 400) for i, t in enumerate(PROSE)]
    lines += [Line(t, 1, bbox=(50, 600 + 12 * i, 420, 610 + 12 * i), size=9.0, font="Quote9")
              for i, t in enumerate(PROSE[:3])]  # fmt: skip
    mono = monospace_fonts(_doc(lines), BlockSettings())
    assert mono == {"Mono10"}


def test_monospace_font_the_body_font_is_never_code():
    # a page set wholly in a monospaced font: its text is the body, not code
    lines = [_mono(t, 100 + 12 * i) for i, t in enumerate(PROSE + CODE)]
    assert monospace_fonts(_doc(lines), BlockSettings()) == frozenset()


def test_code_run_is_one_block_with_its_line_breaks_and_code_indent():
    doc = build_blocks(_doc(_page([_mono(t, 170 + 12 * i) for i, t in enumerate(CODE)])))
    kinds = [b.type for b in doc.blocks]
    assert kinds == ["paragraph", "code", "paragraph"]
    assert doc.blocks[1].text == "\n".join(CODE)


def test_code_indent_a_wide_gap_is_a_blank_line():
    tops = [170, 182, 206, 218, 230]  # one empty line between the 2nd and 3rd
    doc = build_blocks(_doc(_page([_mono(t, y) for t, y in zip(CODE, tops, strict=True)])))
    code = next(b for b in doc.blocks if b.type == "code")
    assert code.text.split("\n") == CODE[:2] + [""] + CODE[2:]


def test_code_line_numbers_of_a_listing_are_dropped():
    code = [_mono(t, 170 + 12 * i, 70, str(i + 1)) for i, t in enumerate(CODE)]
    doc = build_blocks(_doc(_page(code)))
    (block,) = [b for b in doc.blocks if b.type == "code"]
    assert block.text == "\n".join(CODE)
    # numbers that skip one: the listing numbered an empty line
    code = [
        _mono(t, 170 + 12 * i, 70, str(n))
        for i, (t, n) in enumerate(zip(CODE, [1, 2, 4, 5, 6], strict=True))
    ]
    (block,) = [b for b in build_blocks(_doc(_page(code))).blocks if b.type == "code"]
    assert block.text.split("\n") == CODE[:2] + [""] + CODE[2:]


def test_code_line_numbers_that_do_not_count_up_are_kept():
    code = [
        _mono(t, 170 + 12 * i, 70, n) for i, (t, n) in enumerate(zip(CODE, "31415", strict=True))
    ]
    (block,) = [b for b in build_blocks(_doc(_page(code))).blocks if b.type == "code"]
    assert block.text.split("\n")[0] == "3 " + CODE[0]


def test_code_run_a_short_monospaced_word_alone_is_not_code():
    doc = build_blocks(_doc(_page([_mono("make", 170)])))
    assert all(b.type != "code" for b in doc.blocks)


def _fences(md: str) -> list[str]:
    out, cur = [], None
    for line in md.split("\n"):
        if line.startswith("```"):
            if cur is None:
                cur = []
            else:
                out.append("\n".join(cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


def _expected_code(name: str) -> list[str]:
    return _fences((PRODUCERS / f"{name}.expected.md").read_text(encoding="utf-8"))


def test_code_line_numbers_and_indent_of_pdftex_listings():
    # a numbered listing (numbers in a small roman font, apart from the code) and an indented one
    for name in (
        "pdftex-onecol/paper-01-cm-indent-plain",
        "pdftex-twocol/paper-11-palatino-twocolumn-gutter10pt-pageof",
        "pdftex-twocol/paper-02-cm-twocolumn-gutter24pt-runningtitle",
    ):
        md = reflow.convert(str(PRODUCERS / f"{name}.pdf")).markdown
        assert _fences(md) == _expected_code(name), name


def test_code_across_break_is_one_block():
    # a LibreOffice listing that the page break cut after its fourth line
    name = "libreoffice/paper-13-docx-default-default"
    doc = reflow.convert(str(PRODUCERS / f"{name}.pdf"))
    (code,) = [b for b in doc.blocks if b.type == "code"]
    assert code.pages == [2, 3]
    want = [ln for ln in _expected_code(name)[0].split("\n") if ln]
    assert code.text.split("\n") == want  # the empty line at the page break is not printed
