"""Section numbers (``structure/numbering.py``): lettered subsections found as headings, and
heading levels from the numbering's depth."""

from test_roles import SENT, _block, _pdf

from reflow.structure.numbering import number_headings, roman_value, section_number


def _numbered(blocks):
    return number_headings(_pdf(blocks))


def _got(doc):
    return {b.text: (str(b.type), b.level) for b in doc.blocks}


def test_section_number_reads_decimal_roman_and_lettered_numbers():
    assert section_number("2.1 Sources") == ("decimal", (2, 1), "Sources")
    assert section_number("IV. RESULTS") == ("roman", (4,), "RESULTS")
    assert section_number("A. Datasets") == ("letter", (1,), "Datasets")
    assert section_number("IIII. Not a numeral") is None  # not canonical
    assert section_number("I think so") is None
    assert [roman_value(r) for r in ("I", "IV", "IX", "XIV", "VX")] == [1, 4, 9, 14, None]


def test_lettered_heading_continues_the_lettering_under_a_numbered_section():
    """IEEE's subsections, "A. Trips" in italic at the body's size under "III. Data", are
    headings one level below the section, in turn (A, B); a letter out of turn, a lettered
    sentence, or a lettered block in roman type stays a paragraph."""
    doc = _numbered(
        [
            _block("The Title of It", size=20),
            _block(SENT),
            _block("III. Data", size=12, bold=True),
            _block("A. Trips", italic=True),
            _block(SENT),
            _block("C. Out of turn", italic=True),
            _block(SENT),
            _block("B. Weather", italic=True),
            _block(SENT),
            _block("C. Roman type here"),
            _block(SENT),
            _block("C. The weather was taken from the airport.", italic=True),
            _block(SENT),
        ]
    )
    got = _got(doc)
    assert got["III. Data"] == ("heading", 2)
    assert got["A. Trips"] == ("heading", 3)
    assert got["B. Weather"] == ("heading", 3)
    for t in ("C. Out of turn", "C. Roman type here", "C. The weather was taken from the airport."):
        assert got[t][0] == "paragraph", t


def test_lettered_heading_needs_a_numbered_section_before_it():
    doc = _numbered(
        [_block("The Title of It", size=20), _block(SENT), _block("A. Alone", italic=True)]
    )
    assert _got(doc)["A. Alone"][0] == "paragraph"


def test_numbering_levels_from_the_depth_when_every_level_shares_one_type():
    """Sections, subsections and subsubsections all in bold body-size type ("2 Problem", "2.1
    Jobs", "2.1.1 Crews") get levels 2, 3 and 4 from their numbers; an unnumbered heading
    keeps its level."""
    doc = _numbered(
        [
            _block("The Title of It", size=20),
            _block(SENT),
            _block("1 Introduction", bold=True),
            _block(SENT),
            _block("2 Problem", bold=True),
            _block("2.1 Jobs and Windows", bold=True),
            _block(SENT),
            _block("2.1.1 Crews", bold=True),
            _block(SENT),
            _block("References", bold=True),
            _block(SENT),
        ]
    )
    got = _got(doc)
    assert [got[t] for t in ("1 Introduction", "2 Problem", "2.1 Jobs and Windows")] == [
        ("heading", 2),
        ("heading", 2),
        ("heading", 3),
    ]
    assert got["2.1.1 Crews"] == ("heading", 4)
    assert got["References"] == ("heading", 2)


def test_numbering_levels_leave_levels_the_sizes_already_give():
    """A report whose chapters are unnumbered ("Chapter 2 Findings" at level 2) and whose
    sections "2.1" already sit at level 3 keeps them there: levels count from the shallowest
    numbered headings' own level."""
    doc = _numbered(
        [
            _block("The Title of It", size=24),
            _block(SENT),
            _block("Chapter 2 Findings", size=18, bold=True),
            _block("2.1 Sources", size=14, bold=True),
            _block(SENT),
            _block("2.1.1 Surveys", size=12, bold=True),
            _block(SENT),
            _block("2.2 Methods", size=14, bold=True),
            _block(SENT),
            _block("Chapter 3 Outlook", size=18, bold=True),
            _block("3.1 Next Steps", size=14, bold=True),
            _block(SENT),
        ]
    )
    got = _got(doc)
    assert got["2.1 Sources"] == ("heading", 3) and got["2.2 Methods"] == ("heading", 3)
    assert got["2.1.1 Surveys"] == ("heading", 4)
