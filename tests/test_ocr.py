"""OCR (readers/ocr.py, readers/tesseract.py): scanned pages read into the same lines a text layer
gives. The scans are made here from born-digital fixtures (rendered by PDFium, turned a little,
blurred, noised, stored as JPEG in an image-only PDF: reflow_eval/scans.py) and read by the real
engine; CI installs it (.ci/run), elsewhere these tests skip without it."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest
from jsonschemas import check_document
from rapidfuzz.distance import Levenshtein

import reflow
from reflow.model import Line, Page, Picture
from reflow.readers import ocr
from reflow.readers.tesseract import RawLine, Unavailable, engine
from reflow.settings import OcrSettings

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "corpora" / "layout"
ONE_COL = LAYOUT / "brief-1col-short.pdf"  # two pages, one column
TWO_COL = LAYOUT / "brief-2col-short-plain.pdf"  # one page, two columns
S = OcrSettings()


def _need_engine():
    try:
        import PIL  # noqa: F401  (the scans are made with Pillow)

        return engine()
    except (Unavailable, ImportError) as e:
        if os.environ.get("CI"):
            pytest.fail(f"CI installs the OCR extra and Tesseract (.ci/run): {e}")
        pytest.skip(f"no OCR engine here: {e}")


@cache
def _scan(path: Path, **style) -> bytes:
    from reflow_eval.scans import ScanStyle, make_scan

    return make_scan(path, style=ScanStyle(**style), seed=7)


def _words(md: str) -> list[str]:
    from reflow_eval.metrics import md_words

    return md_words(md)


def _similarity(a: str, b: str) -> float:
    ids: dict[str, int] = {}
    x = [ids.setdefault(w, len(ids)) for w in _words(a)]
    y = [ids.setdefault(w, len(ids)) for w in _words(b)]
    return 1.0 - Levenshtein.normalized_distance(x, y)


@cache
def _convert_scan(path: Path, **style):
    return reflow.convert(_scan(path, **style), name=f"scan-{path.name}", keep_lines=True)


# ---------------------------------------------------------------------------------------------
# The whole journey, on real scans


def test_ocr_auto_reads_a_two_column_scan_like_the_born_digital_pdf():
    _need_engine()
    digital = reflow.convert(TWO_COL)
    doc = _convert_scan(TWO_COL)
    assert all(p.ocr for p in doc.pages)
    assert _similarity(digital.markdown, doc.markdown) >= 0.95
    assert doc.metadata.title == digital.metadata.title
    # columns in order: the born-digital paragraphs' openings come in the same order
    body = " ".join(_words(doc.markdown))
    starts = [
        " ".join(_words(b.text)[:6])
        for b in digital.blocks
        if b.type == "paragraph" and len(b.text) > 80
    ]
    found = [body.find(s) for s in starts]
    assert sum(f >= 0 for f in found) >= 0.8 * len(starts)
    seen = [f for f in found if f >= 0]
    assert seen == sorted(seen)
    assert any("read by OCR" in w for w in doc.warnings)
    assert doc.metadata.language == "en"


def test_ocr_json_marks_pages_and_is_valid():
    _need_engine()
    doc = _convert_scan(TWO_COL)
    data = json.loads(doc.to_json())
    check_document(data)
    assert [p["ocr"] for p in data["pages"]] == [True]
    assert all(b["image"] is None for b in data["blocks"])  # the scan itself is no figure
    for b in data["blocks"]:
        for u in b["uncertain"]:
            assert 0 <= u["start"] < u["end"] <= len(b["text"])


def test_ocr_deskew_turns_word_positions_back():
    _need_engine()
    doc = _convert_scan(ONE_COL, min_skew=1.0, max_skew=1.2)
    lines = [ln for ln in doc.pages[0].lines if len(ln.text) > 60]
    assert len(lines) > 10
    # body lines start at one margin and are one line tall, as on the straight page
    lefts = sorted(ln.bbox[0] for ln in lines)
    margin = lefts[len(lefts) // 2]
    assert sum(abs(x - margin) < 1.5 for x in lefts) >= 0.7 * len(lefts)  # a quote, the footer
    assert all(ln.bbox[3] - ln.bbox[1] < 1.6 * ln.size for ln in lines)
    digital = reflow.convert(ONE_COL)
    assert _similarity(digital.markdown, doc.markdown) >= 0.95


def test_ocr_deskew_renders_a_crooked_page_turned_back():
    _need_engine()
    digital = reflow.convert(TWO_COL)
    doc = _convert_scan(TWO_COL, min_skew=3.0, max_skew=3.5)
    assert _similarity(digital.markdown, doc.markdown) >= 0.93


def test_ocr_deskew_plan_by_angle():
    assert ocr.deskew_plan(0.05, S) == "none"
    assert ocr.deskew_plan(-0.8, S) == "positions"
    assert ocr.deskew_plan(3.0, S) == "render"


def test_a_document_with_one_scanned_page_reads_as_one_article():
    _need_engine()
    from reflow_eval.scans import make_mixed

    digital = reflow.convert(ONE_COL)
    doc = reflow.convert(make_mixed(ONE_COL, scanned={2}, seed=3), name="mixed.pdf")
    assert [p.ocr for p in doc.pages] == [False, True]
    assert _similarity(digital.markdown, doc.markdown) >= 0.95
    assert doc.metadata.title == digital.metadata.title
    kinds = [b.type for b in doc.blocks]
    assert kinds.count("title") == 1
    assert abs(len(doc.blocks) - len(digital.blocks)) <= 2


def test_ocr_off_keeps_the_no_text_error_and_says_how():
    _need_engine()
    with pytest.raises(reflow.NoTextLayerError, match=r"--ocr auto"):
        reflow.convert(_scan(TWO_COL), name="scan.pdf", ocr="off")


def test_without_the_engine_a_scan_names_the_extra(monkeypatch):
    def missing():
        raise Unavailable("tesserocr is not installed")

    monkeypatch.setattr(ocr, "engine", missing)
    scan = ROOT / "tests" / "fixtures" / "pdf" / "scan.pdf"
    with pytest.raises(reflow.NoTextLayerError, match=r"reflow-pdf\[ocr\]"):
        reflow.convert(scan)


def test_a_language_that_is_not_installed_is_one_error_line():
    _need_engine()
    with pytest.raises(reflow.NoTextLayerError, match="no Tesseract language data for xyz"):
        reflow.convert(_scan(TWO_COL), name="scan.pdf", lang="xyz")


def test_ocr_force_reads_a_born_digital_page_too():
    _need_engine()
    doc = reflow.convert(TWO_COL, ocr="force")
    assert all(p.ocr for p in doc.pages)
    assert _similarity(reflow.convert(TWO_COL).markdown, doc.markdown) >= 0.95


def test_ocr_mode_is_checked():
    with pytest.raises(ValueError):
        reflow.convert(TWO_COL, ocr="sometimes")


def test_cli_ocr_off_exits_7_with_one_line(tmp_path):
    _need_engine()
    from reflow.cli import main

    src = tmp_path / "scan.pdf"
    src.write_bytes(_scan(TWO_COL))
    assert main(["convert", str(src), "--ocr", "off", "-o", str(tmp_path / "x.md")]) == 7
    assert not (tmp_path / "x.md").exists()
    assert main(["convert", str(src), "-o", str(tmp_path / "y.md"), "-q"]) == 0
    assert "Prince Andrew" in (tmp_path / "y.md").read_text()


# ---------------------------------------------------------------------------------------------
# The rules, one by one


def _page(lines=(), pictures=(), images=0, unmapped=0, w=612.0, h=792.0) -> Page:
    p = Page(1, w, h, lines=list(lines), images=images, unmapped=unmapped)
    p.pictures = list(pictures)
    return p


def test_ocr_auto_picks_scans_garbage_and_stamped_scans():
    full = Picture(0, (0.0, 0.0, 612.0, 792.0), 1700, 2200)
    assert ocr.ocr_reason(_page(images=1, pictures=[full]), S) == "no text layer"
    assert ocr.ocr_reason(_page(), S) is None  # a blank page
    garbled = [Line("\x01\x04\x05\x06\x07\x05\x04\x08 \x03\x04\x05\x06", 1, (0, 0, 100, 10))]
    assert ocr.ocr_reason(_page(garbled, unmapped=12), S) == "garbled text layer"
    stamp = [Line("Page 3", 1, (500, 760, 540, 770))]
    assert ocr.ocr_reason(_page(stamp), S) is None  # a page number alone is no scan
    assert ocr.ocr_reason(_page(stamp, [full]), S) == "a scan with a few characters of text"
    body = [Line("A real page of text. " * 5, 1, (50, 50, 560, 60))]
    assert ocr.ocr_reason(_page(body, [full]), S) is None  # text over a background image


def test_ocr_resolution_follows_the_scan():
    def dpi(px):
        return ocr.ocr_dpi(_page(pictures=[Picture(0, (0, 0, 612, 792), px, px)]), S)

    assert dpi(1700) == 200  # 200 dpi: read as scanned
    assert dpi(5100) == 300  # 600 dpi: no more than 300
    assert dpi(850) == 200  # a 100 dpi fax: at least 200
    assert ocr.ocr_dpi(_page(), S) == S.default_dpi


def _raw(words, baseline=((0, 100), (1000, 100)), row=30.0) -> RawLine:
    return RawLine([(*w, None) if len(w) == 6 else w for w in words], baseline, row)


def test_ocr_noise_drops_specks_and_noise_lines_keeps_low_confidence_words():
    line = _raw(
        [("~", 3.0, 0, 80, 5, 90), ("They'll", 0.0, 10, 75, 60, 100), ("go", 95.0, 70, 80, 90, 100)]
    )
    assert [w[0] for w in ocr.keep_words(line, S)] == ["They'll", "go"]
    specks = _raw([("il", 20.0, 0, 80, 5, 100), (".:", 15.0, 10, 80, 15, 100)])
    assert ocr.keep_words(specks, S) == []


def test_ocr_noise_keeps_a_line_of_real_words_read_unsure():
    # a body line of a scanned column read at 2 to 91 (average 44: under the line minimum)
    text = "MEB platform isn’t expected until next year, but the au-".split()
    confs = [91.0, 83.0, 83.0, 17.0, 17.0, 2.0, 2.0, 49.0, 39.0, 39.0]
    line = _raw(
        [
            (w, c, 10 * i, 80, 10 * i + 8, 100)
            for i, (w, c) in enumerate(zip(text, confs, strict=True))
        ]
    )
    assert [w[0] for w in ocr.keep_words(line, S)] == text
    # ... in the page's language: German words in a German page
    de = _raw([("Der", 30.0, 0, 80, 5, 100), ("Bericht", 30.0, 10, 80, 15, 100)])
    assert ocr.keep_words(de, S, "de") and not ocr.keep_words(de, S, "en")
    # specks and garbage stay out: no word, or one short common one
    for junk in (["Aq", "pauuEDS", "8240"], ["il", ".:", "~"], ["the", "ZT-£0-7Z0Z", "iii"]):
        raw = _raw([(w, 20.0, 10 * i, 80, 10 * i + 8, 100) for i, w in enumerate(junk)])
        assert ocr.keep_words(raw, S) == [], junk


def test_ocr_line_geometry_in_points_and_split_at_wide_gaps():
    # 200 dpi: 200/72 pixels a point; a 30-pixel row is 10.8 pt at 1.0 (1.05: 11.34)
    scale = 200 / 72
    words = [("Left", 96.0, 100, 75, 180, 100), ("part", 96.0, 195, 75, 260, 100)]
    words += [("Right", 96.0, 900, 75, 990, 100)]
    lines = ocr.make_lines([_raw(words)], scale, 0.0, (1700, 2200), 3, S)
    assert [ln.text for ln in lines] == ["Left part", "Right"]
    ln = lines[0]
    assert ln.page == 3 and ln.font == ocr.FONT
    assert ln.size == pytest.approx(30 * S.size_per_row_height / scale, abs=0.01)
    base = 100 / scale
    assert ln.bbox[0] == pytest.approx(100 / scale, abs=0.01)
    assert ln.bbox[1] == pytest.approx(base - S.ascent_em * ln.size, abs=0.02)
    assert ln.bbox[3] == pytest.approx(base + S.descent_em * ln.size, abs=0.02)


def test_ocr_line_geometry_turns_a_skewed_line_level():
    # a line falling 35 px over 2000 px (1 degree) is level once turned back
    import math

    angle = math.degrees(math.atan2(35, 2000))
    words = [("one", 96.0, 100, 80, 160, 100), ("two", 96.0, 2040, 115, 2100, 135)]
    raw = _raw(words, baseline=((100, 100), (2100, 135)))
    # split_em large: one line, whatever the gap
    (ln,) = ocr.make_lines([raw], 1.0, angle, (2200, 2200), 1, S, split_em=1000)
    assert ln.bbox[3] - ln.bbox[1] < 2 * ln.size


def test_ocr_bullet_is_read_back_as_a_bullet():
    # a small round mark floating above the baseline (y=100) before the words
    raw = _raw([("¢", 50.0, 100, 84, 111, 95), ("The", 96.0, 130, 75, 180, 100)])
    assert ocr.bullet(raw, raw.words[0], 30.0, S)
    (ln,) = ocr.make_lines([raw], 1.0, 0.0, (1000, 1000), 1, S)
    assert ln.text.startswith("\u2022 The")
    letter = _raw([("a", 95.0, 100, 88, 112, 100), ("word", 96.0, 130, 75, 180, 100)])
    assert not ocr.bullet(letter, letter.words[0], 30.0, S)  # a letter sits on the baseline
    # a Computer Modern or sans bullet read as "e" floats only 2 px over the baseline at 200 dpi
    # (a row of 26 px); the list then comes out as items, not one paragraph
    cm = _raw([("e", 92.0, 266, 87, 277, 98), ("Authorities", 97.0, 293, 79, 427, 100)], row=26.0)
    assert ocr.bullet(cm, cm.words[0], 26.0, S)


def test_ocr_underline_gap_is_a_space_between_words():
    assert ocr.underline_gap("by_new") == "by new"
    assert ocr.underline_gap("QIBM_DB_ZDA") == "QIBM_DB_ZDA"
    assert ocr.underline_gap("_") == "_"


def test_ocr_uncertain_words_are_marked_by_offsets():
    words = [("Sure", 95.0, 0, 0, 1, 1, None), ("maybe", 30.0, 0, 0, 1, 1, None)]
    assert ocr.uncertain_words(words, S) == [(5, 10, 30.0)]
    (ln,) = ocr.make_lines([_raw([w[:6] for w in words])], 1.0, 0.0, (100, 100), 1, S)
    assert ln.text[5:10] == "maybe" and ln.uncertain == [(5, 10, 30.0)]


def test_ocr_language_from_common_words():
    de = ["Der Rat der Stadt hat am Dienstag über die Pegel des Flusses und die Deiche beraten,"]
    de += ["die seit dem Anfang des Monats am nördlichen Ufer gemessen werden. Es ist noch nicht"]
    de += ["klar, ob die neuen Sperren halten werden, sagte der Sprecher der Stadt."]
    assert ocr.guess_language(de, "eng", ["deu", "eng", "fra"], S) == "deu"
    en = ["The river council met on Tuesday to discuss the water levels that have been rising"]
    en += ["along the northern banks since the start of the month, and what to do about them."]
    assert ocr.guess_language(en, "eng", ["deu", "eng", "fra"], S) == "eng"
    assert ocr.guess_language(["Too few words"], "eng", ["deu", "eng"], S) == "eng"


def test_ocr_bold_lines_and_a_bold_label():
    lines = [Line(f"plain line {i} of body text", 1, (0, i, 1, i + 1), size=10.0) for i in range(6)]
    head = Line("A Bold Heading", 1, (0, 10, 1, 11), size=10.0)
    label = Line("Related article: the next story on the river", 1, (0, 12, 1, 13), size=10.0)
    weights = [(ln, [(0, len(ln.text), 0.10)]) for ln in lines]
    weights.append((head, [(0, len(head.text), 0.14)]))
    weights.append((label, [(0, 7, 0.15), (8, 16, 0.15), (17, 44, 0.10)]))
    ocr.mark_bold(weights, S)
    assert head.bold and not any(ln.bold for ln in lines)
    assert not label.bold
    assert [(sp.text, sp.bold) for sp in label.spans] == [
        ("Related article: ", True),
        ("the next story on the river", False),
    ]


def test_ocr_size_classes_snap_pixel_noise_to_one_size():
    lines = [Line("x" * 60, 1, size=10.8), Line("y" * 40, 1, size=10.44)]
    lines += [Line("z" * 30, 1, size=11.16), Line("Heading", 1, size=12.6)]
    ocr.size_classes(lines, S)
    assert [ln.size for ln in lines] == [10.8, 10.8, 10.8, 12.6]
    # two headings of one level whose row heights read 8% apart are one size (one level)
    heads = [Line("x" * 300, 1, size=10.0), Line("What comes next", 1, size=14.4)]
    heads += [Line("In brief", 1, size=13.3), Line("Our verdict", 1, size=14.4)]
    ocr.size_classes(heads, S)
    assert [ln.size for ln in heads] == [10.0, 14.4, 14.4, 14.4]


def _ocr_line(text: str, base: float, size: float, x0: float = 50.0, x1: float = 300.0) -> Line:
    """An OCR line as readers/ocr.py makes it: its box from its baseline and size."""
    box = (x0, base - S.ascent_em * size, x1, base + S.descent_em * size)
    return Line(text, 1, box, size=size, font=ocr.FONT)


def test_ocr_size_runs_give_a_paragraph_one_size_and_keep_a_heading_apart():
    from reflow.readers.ocrlines import size_runs

    # a 9 pt column at a 12.5 pt pitch whose row heights read 7.9 to 9.8 pt (a short last line
    # further off), a 12 pt heading over it set apart by white space
    head = _ocr_line("The other side", 80.0, 12.2)
    sizes = [9.07, 7.94, 9.07, 9.83, 9.07, 6.5]
    body = [
        _ocr_line(f"line {i} of the paragraph", 100.0 + 12.5 * i, z) for i, z in enumerate(sizes)
    ]
    body[-1].bbox = (50.0, body[-1].bbox[1], 120.0, body[-1].bbox[3])  # the short last line
    (run,) = size_runs([head, *body], S)
    assert run == body
    assert {ln.size for ln in body} == {9.07} and head.size == 12.2
    # the boxes are remade from the baseline: the gaps between the lines are now all alike
    gaps = {round(b.bbox[1] - a.bbox[3], 2) for a, b in zip(body, body[1:], strict=False)}
    assert len(gaps) == 1
    # a column beside it is a run of its own
    other = [_ocr_line("beside", 100.0 + 12.5 * i, 9.0, 320.0, 560.0) for i in range(2)]
    assert len(size_runs([*body, *other], S)) == 2


def test_ocr_size_runs_keep_a_full_line_of_small_letters_to_its_own_size():
    from reflow.readers.ocrlines import size_runs

    # a scanned 18 pt title of two lines, then a 13 pt dek at the title's own pitch (22 pt): the
    # dek's full lines of small letters read their size exactly, they are no part of the title
    title = [_ocr_line("Emirates Inks Order for 30 Boeing Jets Talks", 150.0, 18.1, 130, 463)]
    title.append(_ocr_line("Expansion Plans", 172.0, 17.6, 234, 359))
    dek = [_ocr_line("The 777 program has faced delays due to engine", 193.5, 12.85, 131, 461)]
    dek.append(_ocr_line("problems and other technical issues in testing.", 207.0, 12.85, 132, 460))
    runs = size_runs([*title, *dek], S)
    assert title in runs and dek in runs
    assert {ln.size for ln in title} == {18.1} and {ln.size for ln in dek} == {12.85}
    # a full line of underlined link words reads larger (the underline adds to its row):
    # it stays in its paragraph
    para = [
        _ocr_line(f"the {i}th line of a paragraph set in nine", 300.0 + 12 * i, 9.1)
        for i in range(3)
    ]
    para.insert(2, _ocr_line("with the group winners advancing to the knockout", 324.0, 11.4))
    para[3].bbox = (50.0, 336.0 - S.ascent_em * 9.1, 300.0, 336.0 + S.descent_em * 9.1)
    (run,) = size_runs(para, S)
    assert len(run) == 4 and {ln.size for ln in para} == {9.1}
    # a short line, or one of capitals, at the pitch still joins: its row height is unsure
    caps = _ocr_line("SPECIAL REPORT ON THE BOEING AND AIRBUS ORDERS", 194.0, 13.0, 130, 463)
    (run,) = size_runs([*title, caps], S)
    assert run == [*title, caps] and caps.size == 18.1


def test_ocr_bold_runs_decide_a_doubtful_line_by_its_run():
    from reflow.readers.ocrlines import bold_runs

    title = [_ocr_line("A title set bold over", 60.0, 22.0), _ocr_line("two lines", 86.0, 22.0)]
    byline = [_ocr_line("By Oliver Stanton", 120.0, 9.5), _ocr_line("December 5, 2024", 131.0, 9.5)]
    title[1].bold = True  # read 0.96 and 1.00 of the limit: the first plain, the second bold
    byline[0].bold = True  # read 1.21 and 0.86: clearly bold, clearly plain
    measured = {id(title[0]): 0.96, id(title[1]): 1.003, id(byline[0]): 1.21, id(byline[1]): 0.86}
    bold_runs([title, byline], 1.0, measured, S)
    assert [ln.bold for ln in title] == [False, False]
    assert [ln.bold for ln in byline] == [True, False]


def test_ocr_cell_borders_are_dropped_and_the_cells_keep_their_gaps():
    # a ruled table's row read as "North | 39% 29%": the border's "|" is taller than the row
    words = [("North", 95.0, 269, 804, 346, 828), ("|", 72.0, 370, 800, 388, 841)]
    words += [("39%", 72.0, 397, 805, 457, 830), ("29%", 97.0, 543, 807, 603, 831)]
    raw = _raw(words, baseline=((269, 828), (603, 831)))
    raw.row_height = 32.5
    (ln,) = ocr.make_lines([raw], 200 / 72, 0.0, (1700, 2200), 1, S, split_em=1000)
    assert ln.text == "North 39% 29%"
    # the gaps between the cells, as the PDF reader records them on a table page (cell-gaps)
    assert [ln.text[g[0] :] for g in ln.gaps] == ["39% 29%", "29%"]
    # a bar as tall as the letters is text: a title's separator
    title = [("Mayer", 97.0, 947, 48, 1014, 69), ("|", 97.0, 1023, 48, 1026, 71)]
    title += [("The", 97.0, 1035, 49, 1075, 67)]
    from reflow.readers.ocrlines import cell_borders

    assert [w[0] for w in cell_borders(title, 22.0, S)] == ["Mayer", "|", "The"]


def _stamped_scan(path: Path, text: str, angle: int) -> bytes:
    """Page 1 of ``path`` scanned at 200 dpi with ``text`` stamped up (angle 90) or down (270)
    its left margin, as a scanner's or a registry's stamp is."""
    import io
    import random

    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFont

    from reflow_eval.scans import ScanStyle, scan_page_image

    src = pdfium.PdfDocument(str(path))
    page = src[0]
    w, h = page.get_size()
    img = scan_page_image(page, ScanStyle(), random.Random(5))
    if text:
        font = ImageFont.load_default(size=26)
        label = Image.new("L", (int(font.getlength(text)) + 12, 40), 255)
        ImageDraw.Draw(label).text((4, 4), text, font=font, fill=30)
        label = label.rotate(angle, expand=True)
        img.paste(label, (int(0.03 * img.width), int(0.3 * img.height)))
    out = io.BytesIO()
    img.save(out, "PDF", resolution=img.width / (w / 72))
    src.close()
    return out.getvalue()


def test_ocr_sideways_stamp_up_or_down_the_margin_is_removed_and_reported():
    _need_engine()
    digital = reflow.convert(ONE_COL)
    plain = reflow.convert(_stamped_scan(ONE_COL, "", 0), name="plain.pdf")
    assert not [r for r in plain.removed if r.reason == "sideways"]
    for text, angle in (("RECEIVED 12 MAR 2024 REF 2024/0815", 90), ("Scanned by Office 4", 270)):
        doc = reflow.convert(_stamped_scan(ONE_COL, text, angle), name="stamped.pdf")
        (stamp,) = [r for r in doc.removed if r.reason == "sideways"]
        assert stamp.page == 1 and stamp.bbox[0] < 0.1 * doc.pages[0].width
        assert stamp.bbox[3] - stamp.bbox[1] > 3 * (stamp.bbox[2] - stamp.bbox[0])  # tall
        if angle == 90:  # read upwards, Tesseract reads it well: the report says what it was
            assert "RECEIVED" in stamp.text and "2024/0815" in stamp.text
        # read downwards it is garbage; either way none of it is in the text
        own = [w for w in stamp.text.split() if len(w) > 3 and w not in digital.markdown]
        assert own and not any(w in doc.markdown for w in own)
        assert _similarity(plain.markdown, doc.markdown) >= 0.98  # the rest as without it
    check_document(json.loads(doc.to_json()))


def test_ocr_sideways_by_the_baseline_or_by_tall_words():
    from reflow.readers.ocrlines import sideways

    # up the margin: the baseline climbs 580 px over 6 across; the words are tall and narrow
    up = [("RECEIVED", 97.0, 58, 1577, 78, 1708), ("MAR", 96.0, 58, 1470, 77, 1525)]
    raw = _raw(up, baseline=((74, 1707), (68, 1130)), row=26.0)
    assert sideways(raw, raw.words, S)
    lines = ocr.make_lines(
        [raw, _raw([("across", 96.0, 200, 75, 300, 100)])], 1, 0, (2e3, 2e3), 1, S
    )
    assert [ln.text for ln in lines] == ["across"]
    turned: list = []
    ocr.make_lines([raw], 200 / 72, 0.0, (1700, 2200), 1, S, turned=turned)
    assert [t for t, _ in turned] == ["RECEIVED MAR"]
    # no baseline: by the words' shapes (a single letter says nothing either way)
    assert sideways(_raw(up, baseline=None), up, S)
    flat = [("Total", 96.0, 100, 80, 160, 100), ("I", 90.0, 170, 60, 175, 100)]
    assert not sideways(_raw(flat, baseline=None), flat, S)
    # a line across a page skewed by a degree or two is no sideways line
    assert not sideways(_raw(flat, baseline=((100, 100), (1500, 140))), flat, S)
