"""Text the PDF reader used to lose on real-world files (issue 13), each on a small PDF the test
writes itself (tests/hostile/make_corpus.py's writer, or qpdf): characters above U+FFFF, text in
annotations and form fields, glyphs PDFium leaves out of its text page, running out of memory
while writing, a file whose owner password is empty.

Reader behaviours are checked with both samplers (native C and pure Python) where they differ.
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


# ---------------------------------------------------------------------------------------------
# Text in annotations and form fields


def form_pdf(
    *,
    content: bytes = b"",
    fields: list[str] = (),
    freetext: str | None = None,
    extra_annots: list[str] = (),
) -> bytes:
    """One page: ``content`` (a content stream in /F1 Helvetica), filled text fields (each a
    string of dictionary entries: /T, /V, /Rect ...; a field with /Kids is a parent whose kid
    widget is made with the field's /Rect), a FreeText annotation, and more annotations."""
    w = make_corpus.PDFWriter()
    catalog, pages_id, page_id = w.reserve(), w.reserve(), w.reserve()
    font = w.obj(make_corpus.HELVETICA)
    annots, roots = [], []
    for entries in fields:
        if "/Kids" in entries:  # a field whose widget is its kid: the value is inherited
            parent = w.reserve()
            rect = entries.split("/Rect", 1)[1].split("]", 1)[0] + "]"
            kid = w.obj(f"<< /Type /Annot /Subtype /Widget /Parent {parent} 0 R /Rect{rect} >>")
            w.set(parent, "<< /FT /Tx " + entries.replace("/Kids", f"/Kids [{kid} 0 R]") + " >>")
            annots.append(kid)
            roots.append(parent)
        else:
            f = w.obj(f"<< /Type /Annot /Subtype /Widget /FT /Tx /P {page_id} 0 R {entries} >>")
            annots.append(f)
            roots.append(f)
    if freetext is not None:
        annots.append(
            w.obj(
                f"<< /Type /Annot /Subtype /FreeText /Contents ({freetext}) "
                "/DA (/Helv 12 Tf 0 g) /Rect [300 740 560 760] >>"
            )
        )
    annots += [w.obj(a) for a in extra_annots]
    stream = w.stream(content or b"% nothing")
    w.set(
        page_id,
        f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] /Resources << /Font "
        f"<< /F1 {font} 0 R >> >> /Contents {stream} 0 R "
        f"/Annots [{' '.join(f'{a} 0 R' for a in annots)}] >>",
    )
    w.set(pages_id, f"<< /Type /Pages /Kids [{page_id} 0 R] /Count 1 >>")
    form = ""
    if roots:
        form = (
            f" /AcroForm << /Fields [{' '.join(f'{r} 0 R' for r in roots)}] "
            f"/DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv {font} 0 R >> >> >>"
        )
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R{form} >>")
    return w.build(catalog, w.obj("<< /Title (Form) >>"))


LABELS = (
    b"BT /F1 11 Tf 72 720 Td (Application to the river council) Tj ET\n"
    b"BT /F1 11 Tf 72 690 Td (Name:) Tj ET\nBT /F1 11 Tf 72 660 Td (Town:) Tj ET"
)
NAME = "/T (name) /V (Ada Lovelace) /DA (/Helv 10 Tf 0 g) /Rect [120 685 320 703]"
TOWN = "/T (town) /V (Lower Town) /DA (/Helv 10 Tf 0 g) /Rect [120 655 320 673] /Kids"


@pytest.mark.parametrize("native", SAMPLERS)
def test_annotation_text_reads_freetext_and_filled_fields_where_they_sit(native):
    data = form_pdf(content=LABELS, fields=[NAME, TOWN], freetext="Received by the clerk")
    doc = read_pdf(data, "form.pdf", native=native)
    lines = doc.pages[0].lines
    got = {ln.text: ln for ln in lines}
    assert got["Ada Lovelace"].origin == "form-field"
    assert got["Lower Town"].origin == "form-field"  # the value of the kid's parent field
    assert got["Received by the clerk"].origin == "annotation"
    assert got["Name:"].origin == "" and got["Town:"].origin == ""
    # in reading position: each value after its label, before the next row
    order = [ln.text for ln in lines]
    assert order.index("Name:") < order.index("Ada Lovelace") < order.index("Town:")
    assert order.index("Town:") < order.index("Lower Town")
    assert order[0] == "Received by the clerk"  # at the top of the page
    a = got["Ada Lovelace"].bbox  # the field's rectangle, top-left origin
    assert a[0] == pytest.approx(120) and a[2] == pytest.approx(320)
    assert 792 - 703 <= a[1] < a[3] <= 792 - 685
    assert [ln.index for ln in lines] == list(range(len(lines)))


def test_annotation_text_skips_hidden_annotations_check_boxes_and_notes():
    hidden = "/T (h) /V (Secret value) /F 2 /Rect [120 600 320 618]"
    box = "<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /V /Yes /Rect [72 620 84 632] >>"
    note = "<< /Type /Annot /Subtype /Text /Contents (a sticky note) /Rect [10 10 30 30] >>"
    data = form_pdf(content=LABELS, fields=[NAME, hidden], extra_annots=[box, note])
    texts = [ln.text for ln in read_pdf(data, "form.pdf").lines()]
    assert "Ada Lovelace" in texts
    assert not {"Secret value", "Yes", "a sticky note"} & set(texts)


def test_annotation_text_is_not_read_twice_from_a_flattened_form():
    # the value is drawn in the page itself, its widget kept (a flattened or printed form)
    drawn = LABELS + b"\nBT /F1 10 Tf 122 689 Td (Ada Lovelace) Tj ET"
    texts = [ln.text for ln in read_pdf(form_pdf(content=drawn, fields=[NAME]), "f.pdf").lines()]
    assert texts.count("Ada Lovelace") == 1


def test_a_page_of_only_annotations_converts_with_their_origin_in_the_json():
    data = form_pdf(freetext="The council approved the embankment plan on Tuesday.")
    doc = reflow.convert(data, name="comments.pdf", article=False)  # was "no text on any page"
    blocks = doc.to_dict()["blocks"]
    assert [b["text"] for b in blocks] == ["The council approved the embankment plan on Tuesday."]
    assert blocks[0]["origin"] == "annotation"
    from jsonschemas import check_document  # tests/jsonschemas.py

    check_document(doc.to_dict())


def test_origin_change_keeps_a_field_value_out_of_the_paragraph_above():
    content = (
        b"BT /F1 11 Tf 14 TL 72 720 Td (Describe the damage to your property in the box) Tj T*"
        b" (below, with the date it happened.) Tj ET"
    )
    # the field right under the paragraph's last line, as close as its lines are to each other
    field = "/T (damage) /V (water in the cellar since March.) /DA (/Helv 11 Tf 0 g) "
    field += "/Rect [72 689 400 702]"
    doc = reflow.convert(form_pdf(content=content, fields=[field]), name="f.pdf", article=False)
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["water in the cellar since March."].origin == "form-field"
    assert all(b.origin == "" for t, b in by_text.items() if "Describe" in t)


# ---------------------------------------------------------------------------------------------
# Glyphs PDFium leaves out of its text page


def vertical_cjk_pdf(rows: int = 20, latin: bool = True) -> bytes:
    """Japanese in a non-embedded CID font written vertically (Identity-V, Adobe-Japan1, no
    ToUnicode): PDFium draws it and leaves every glyph out of its text page; poppler reads it."""
    w = make_corpus.PDFWriter()
    desc = w.obj(
        "<< /Type /FontDescriptor /FontName /Ryumin-Light /Flags 6 /FontBBox [0 -200 1000 900] "
        "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    cid = w.obj(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light /CIDSystemInfo << "
        f"/Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor {desc} 0 R "
        "/DW 1000 >>"
    )
    font = (
        "<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light-Identity-V /Encoding "
        f"/Identity-V /DescendantFonts [{cid} 0 R] >>"
    )
    ops = ["BT /F1 11 Tf 72 740 Td (Notice in Japanese:) Tj ET"] if latin else []
    for k in range(rows):
        cids = "".join(f"{1200 + (k * 37 + i) % 2000:04x}" for i in range(30))
        ops.append(f"BT /C1 11 Tf {540 - 14 * k} 700 Td <{cids}> Tj ET")
    fonts = {"C1": font, "F1": make_corpus.HELVETICA}
    return make_corpus.make_pdf(["\n".join(ops).encode()], fonts=fonts, w=w)


@pytest.mark.parametrize("native", SAMPLERS)
def test_dropped_glyphs_are_named_in_a_warning(native):
    doc = read_pdf(vertical_cjk_pdf(), "notice.pdf", native=native)
    assert [ln.text for ln in doc.lines()] == ["Notice in Japanese:"]
    warned = [w for w in doc.warnings if "text missing" in w]
    assert warned and "page(s) 1" in warned[0] and "20 text objects" in warned[0]


def test_dropped_glyphs_no_warning_on_pages_whose_text_is_all_there():
    doc = read_pdf(unicode_font_pdf(ASTRAL * 10), "fine.pdf")
    assert not any("text missing" in w for w in doc.warnings)
    latin = make_corpus.good_pdf(2)  # one text object per line
    assert not any("text missing" in w for w in read_pdf(latin, "good.pdf").warnings)


def test_dropped_glyphs_alone_are_refused_as_unreadable_not_blank():
    with pytest.raises(reflow.NoTextLayerError, match="Unicode map"):
        reflow.convert(vertical_cjk_pdf(latin=False), name="notice.pdf", ocr="off")


# ---------------------------------------------------------------------------------------------
# Memory


def test_running_out_of_memory_while_writing_is_one_out_of_memory_line(
    tmp_path, monkeypatch, capsys
):
    """A large result rendered under a low ``ulimit -v`` (tests/test_cli.py sweeps the limits
    for the reading) was reported as an internal error (exit 70) with an empty reason."""
    from reflow import cli

    src = tmp_path / "in.pdf"
    src.write_bytes(make_corpus.good_pdf(1))

    def no_memory(*a, **k):
        raise MemoryError

    monkeypatch.setattr(cli, "output_chunks", no_memory)
    out = tmp_path / "out.md"
    code = cli.main(["convert", str(src), "-o", str(out)])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == reflow.LimitExceededError.exit_code == 8
    assert lines == [f"reflow: error: {src}: out of memory writing the output"]
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# An empty owner password


def _qpdf_encrypt(tmp_path, user: str, owner: str, *extra: str) -> bytes:
    import shutil
    import subprocess

    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    src, dst = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    src.write_bytes(make_corpus.good_pdf(1))
    cmd = ["qpdf", "--encrypt", user, owner, "256", *extra, "--", str(src), str(dst)]
    subprocess.run(cmd, check=True, capture_output=True)
    return dst.read_bytes()


@pytest.mark.parametrize("revision", [[], ["--force-R5"]], ids=["R6", "R5"])
def test_a_file_whose_owner_password_is_empty_opens_without_a_password(tmp_path, revision):
    # qpdf: "insecure as it can be opened without a password"; poppler and pdf.js open it
    data = _qpdf_encrypt(tmp_path, "secret", "", "--allow-insecure", *revision)
    for password in (None, "secret"):
        doc = read_pdf(data, "locked.pdf", password=password)
        words = set(" ".join(ln.text for ln in doc.lines()).lower().split())
        assert {w.strip(".,") for w in words} >= set(make_corpus.WORDS)


def test_a_file_with_a_user_password_stays_locked_without_it(tmp_path):
    data = _qpdf_encrypt(tmp_path, "secret", "master")
    with pytest.raises(reflow.EncryptedPDFError, match="pass --password"):
        read_pdf(data, "locked.pdf")


def test_encryption_strings_are_rewritten_in_their_own_bytes():
    from reflow.readers import crypt

    data = b"<< /U (a\\(b\\)\\\\c\\r\\101) /UE <0102 03> >>"
    u = crypt._entry(data, 0, len(data), b"U")
    ue = crypt._entry(data, 0, len(data), b"UE")
    assert u[0] == b"a(b)\\c\rA" and ue[0] == b"\x01\x02\x03"
    out = crypt._replace(data, [(u, b"x)y"), (ue, b"\xff")])
    assert len(out) == len(data)
    assert crypt._entry(out, 0, len(out), b"U")[0] == b"x)y"
    assert crypt._entry(out, 0, len(out), b"UE")[0] == b"\xff"
    assert crypt._replace(data, [(ue, b"too long for it")]) is None
