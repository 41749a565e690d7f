"""Text the PDF reader used to lose on real-world files (issue 13), each on a small PDF the test
writes itself (tests/hostile/make_corpus.py's writer): characters above U+FFFF, ...

Every reader behaviour is checked with both samplers (native C and pure Python).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import reflow
from reflow.readers import pdf as reader
from reflow.readers.pdf import read_pdf

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "hostile" / "make_corpus.py")
make_corpus = sys.modules.get("make_corpus") or importlib.util.module_from_spec(_spec)
if "make_corpus" not in sys.modules:
    sys.modules["make_corpus"] = make_corpus
    _spec.loader.exec_module(make_corpus)


def _native_ok() -> bool:
    try:
        return reader.sampler(True).name == "native"
    except Exception:
        return False


SAMPLERS = [
    pytest.param(
        True, id="native", marks=pytest.mark.skipif(not _native_ok(), reason="no C compiler")
    ),
    pytest.param(False, id="fallback"),
]


def unicode_font_pdf(lines: list[str]) -> bytes:
    """One page of ``lines`` in a Type0/Identity-H font (no font program) whose ToUnicode CMap
    maps each code to its character: UTF-16, so a character above U+FFFF is a surrogate pair,
    as a subset font of math italic, emoji or rare CJK writes it."""
    w = make_corpus.PDFWriter()
    chars = sorted({c for ln in lines for c in ln})
    code = {c: i + 1 for i, c in enumerate(chars)}
    pairs = "\n".join(f"<{code[c]:04x}> <{c.encode('utf-16-be').hex()}>" for c in chars)
    cmap = w.stream(
        (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{len(chars)} beginbfchar\n{pairs}\nendbfchar endcmap "
            "CMapName currentdict /CMap defineresource pop end end"
        ).encode()
    )
    desc = w.obj(
        "<< /Type /FontDescriptor /FontName /Uni /Flags 4 /FontBBox [0 -200 1000 900] "
        "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    cid = w.obj(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Uni /CIDSystemInfo << /Registry "
        f"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {desc} 0 R /DW 600 "
        "/CIDToGIDMap /Identity >>"
    )
    font = (
        "<< /Type /Font /Subtype /Type0 /BaseFont /Uni /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] /ToUnicode {cmap} 0 R >>"
    )
    ops = ["BT /U1 11 Tf 15 TL 72 720 Td"]
    ops += ["<" + "".join(f"{code[c]:04x}" for c in ln) + "> Tj T*" for ln in lines]
    ops.append("ET")
    return make_corpus.make_pdf(["\n".join(ops).encode()], fonts={"U1": font}, w=w)


# ---------------------------------------------------------------------------------------------
# Characters above U+FFFF

ASTRAL = ["Let \U0001d44e and \U0001d44f be reals \U0001f600", "\U00020000\U00020001 rare CJK end"]


@pytest.mark.parametrize("native", SAMPLERS)
def test_characters_above_ffff_read_as_one_character_each(native):
    doc = read_pdf(unicode_font_pdf(ASTRAL), "astral.pdf", native=native)
    texts = [ln.text for ln in doc.lines()]
    assert texts == ASTRAL
    assert doc.pages[0].unmapped == 0  # nothing counted as a glyph without Unicode
    # boxes stay the characters' own: the line of the astral word is as wide as its twin
    a, b = doc.lines()
    assert a.bbox[2] > a.bbox[0] and b.bbox[2] > b.bbox[0]


def test_both_samplers_agree_on_characters_above_ffff():
    if not _native_ok():
        pytest.skip("no C compiler")
    data = unicode_font_pdf(ASTRAL + ["\U0001d400\U0001d401\U0001d402 x"])
    one = read_pdf(data, "a.pdf", native=True)
    two = read_pdf(data, "a.pdf", native=False)
    assert [(ln.text, ln.bbox) for ln in one.lines()] == [(ln.text, ln.bbox) for ln in two.lines()]


def test_a_lone_surrogate_is_still_an_unmapped_character():
    codes = reader.array("I", [0xD835, 0x41, 0xDC4E, 0xD835, 0xDC4E])
    reader.join_pairs(codes)
    assert list(codes) == [0xD835, 0x41, 0xDC4E, 0x1D44E, reader.PAIR_TAIL]


def test_a_file_of_characters_above_ffff_is_not_refused_as_without_text():
    # Mathematical alphanumerics (as a formula-heavy or "styled text" file sets them)
    bold = "".join(chr(0x1D400 + i) for i in range(26))
    lines = [f"{bold[i : i + 8]} {bold[i + 8 : i + 14]} {bold[:5]}" for i in range(0, 12, 2)]
    doc = reflow.convert(unicode_font_pdf(lines), name="styled.pdf", article=False)
    text = doc.markdown
    assert "\ufffd" not in text
    assert bold[:8] in text
