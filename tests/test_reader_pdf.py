"""The PDF reader on small Chromium prints (tests/fixtures/pdf/*.html -> make.sh -> *.pdf).

Every behaviour is checked with both samplers (native C and pure Python), and the two must give
the same lines.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reflow import errors
from reflow.readers import pdf as reader
from reflow.readers.pdf import read_pdf

FIX = Path(__file__).parent / "fixtures" / "pdf"


def _native_ok() -> bool:
    try:
        return reader.sampler(True).name == "native"
    except Exception:
        return False


NATIVE = _native_ok()
SAMPLERS = [
    pytest.param(True, id="native", marks=pytest.mark.skipif(not NATIVE, reason="no C compiler")),
    pytest.param(False, id="fallback"),
]


def read(name: str, native: bool, **kw):
    return read_pdf((FIX / name).read_bytes(), name, native=native, **kw)


@pytest.fixture(scope="module", params=SAMPLERS)
def basic(request):
    return read("basic.pdf", request.param)


def line(doc, starts: str):
    found = [ln for ln in doc.lines() if ln.text.startswith(starts)]
    assert found, f"no line starts with {starts!r}: {[ln.text for ln in doc.lines()]}"
    return found[0]


def test_pages_info_and_geometry(basic):
    assert basic.kind == "pdf"
    assert basic.metadata.pages == len(basic.pages) == 1
    page = basic.pages[0]
    assert (page.width, page.height) == (612.0, 792.0)  # US Letter in points
    assert basic.info["Title"] == "Reader fixture"
    assert "Skia" in basic.info["Producer"]
    heading = line(basic, "Reader Fixture Heading")
    body = line(basic, "Plain words")
    x0, top, x1, bottom = heading.bbox
    assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
    assert heading.bbox[3] <= body.bbox[1]  # y grows downwards: the heading is above
    assert [ln.index for ln in page.lines] == list(range(len(page.lines)))


def test_visible_font_size_and_weight(basic):
    heading = line(basic, "Reader Fixture Heading")
    body = line(basic, "Plain words")
    # 24pt and 12pt in CSS; the Tf operand alone would be 32 and 16 (Chromium's 0.75 matrix).
    assert heading.size == pytest.approx(24, abs=0.1)
    assert body.size == pytest.approx(12, abs=0.1)
    assert heading.bold and not heading.italic
    assert not body.bold and not body.italic


def test_spans_follow_bold_and_italic(basic):
    body = line(basic, "Plain words")
    styled = [(s.text, s.bold, s.italic) for s in body.runs()]
    assert ("strong words", True, False) in styled
    assert ("slanted words", False, True) in styled
    assert " ".join(s.text for s in body.runs()) == body.text
    assert all(s.font and "+" not in s.font for s in body.runs())  # subset prefix stripped


def test_wrapped_link_anchors_every_line(basic):
    url = "https://example.org/wrapped-link"
    parts = [ln.text[lk.start : lk.end] for ln in basic.lines() for lk in ln.links if lk.url == url]
    assert parts == ["link whose anchor", "text wraps over two", "lines"]
    assert sum(1 for a in basic.pages[0].links if a.url == url) >= 1


def test_internal_links_skipped_and_textless_link_kept_unattached(basic):
    urls = [a.url for a in basic.pages[0].links]
    assert not any(u.startswith("#") or "jump" in u for u in urls)
    assert "https://example.net/no-text" in urls  # the URL is not lost...
    attached = {lk.url for ln in basic.lines() for lk in ln.links}
    assert "https://example.net/no-text" not in attached  # ...but not stuck on unrelated text
    final = line(basic, "Internal jump")
    assert [final.text[lk.start : lk.end] for lk in final.links] == ["final link"]


def test_hard_hyphen_at_line_end(basic):
    first = line(basic, "once-in-a-")
    assert first.text == "once-in-a-" and first.hyphen_end
    nxt = basic.pages[0].lines[first.index + 1]
    assert nxt.text.startswith("generation") and not nxt.hyphen_end
    assert not any(re.search("[\x02\ufffe\ufeff]", ln.text) for ln in basic.lines())


def test_soft_hyphen_break_is_one_invisible_mark(basic):
    broken = line(basic, "Extraordinary mea")
    assert broken.text == "Extraordinary mea\u00ad" and not broken.hyphen_end
    assert basic.pages[0].lines[broken.index + 1].text.startswith("surements")
    for ln in basic.lines():
        assert "\u00ad" not in ln.text[:-1]  # soft hyphens inside a line are dropped
        assert "\u2010" not in ln.text


def test_same_baseline_cells_are_two_lines(basic):
    left = line(basic, "Left cell words")
    right = line(basic, "Right cell words")
    assert left.text == "Left cell words" and right.text == "Right cell words"
    assert left.bbox[1] == pytest.approx(right.bbox[1], abs=0.5)
    # CSS columns: each column's lines stay separate and in content-stream order.
    assert line(basic, "Left column text").bbox[0] < line(basic, "Right column text").bbox[0]


def _dump(doc):
    return [
        (
            ln.page,
            ln.index,
            ln.text,
            ln.bbox,
            ln.size,
            ln.bold,
            ln.italic,
            ln.hyphen_end,
            [(k.start, k.end, k.url) for k in ln.links],
            [(s.text, s.size, s.bold, s.italic, s.font, s.bbox) for s in ln.runs()],
            ln.tag,
        )
        for ln in doc.lines()
    ] + [(p.number, p.images, [(a.url, a.rects) for a in p.links]) for p in doc.pages]


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
@pytest.mark.parametrize("name", ["basic.pdf", "mixed.pdf", "rtl.pdf"])
def test_native_and_fallback_agree(name):
    assert _dump(read(name, True)) == _dump(read(name, False))


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
def test_a_page_with_more_links_than_the_c_buffers_hold_reads_them_all(monkeypatch):
    """The C helper says when its link buffers are too small; the reader then takes the Python
    path for that page's links, with the same result."""
    from reflow import native

    init = native.NativeSampler.__init__

    def small(self, *a, **kw):
        init(self, *a, **kw)
        self.maxr = 1  # room for one link rectangle only

    expected = _dump(read("basic.pdf", False))
    assert sum(len(p.links) for p in read("basic.pdf", False).pages) > 1
    monkeypatch.setattr(native.NativeSampler, "__init__", small)
    assert _dump(read("basic.pdf", True)) == expected


def test_no_native_env_forces_fallback(monkeypatch):
    monkeypatch.setenv("REFLOW_NO_NATIVE", "1")
    assert reader.sampler().name == "fallback"


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
def test_native_build_command(tmp_path):
    env = dict(os.environ, REFLOW_CACHE=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "reflow.native", "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    built = Path(out.stdout.strip())
    assert built.exists() and built.parent == tmp_path


# ---------------------------------------------------------------------------------------------
# Bad input: one clear error naming the file


@pytest.mark.parametrize("native", SAMPLERS)
def test_not_a_pdf(native):
    with pytest.raises(errors.NotAPDFError, match=r"^notes\.txt: "):
        read_pdf(b"just some words\n", "notes.txt", native=native)


@pytest.mark.parametrize("native", SAMPLERS)
def test_encrypted_needs_password(native):
    with pytest.raises(errors.EncryptedPDFError, match="encrypted; pass --password"):
        read("encrypted.pdf", native)
    with pytest.raises(errors.EncryptedPDFError, match="wrong password"):
        read("encrypted.pdf", native, password="nope")
    doc = read("encrypted.pdf", native, password="user-pw")
    assert doc.pages[0].lines[0].text == "Secret words behind a password."


@pytest.mark.parametrize("native", SAMPLERS)
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_file_is_broken(native, keep):
    data = (FIX / "basic.pdf").read_bytes()
    with pytest.raises(errors.BrokenPDFError, match=r"^cut\.pdf: "):
        read_pdf(data[: int(len(data) * keep)], "cut.pdf", native=native)


@pytest.mark.parametrize("native", SAMPLERS)
def test_garbage_after_header_is_broken(native):
    with pytest.raises(errors.BrokenPDFError):
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 8, "junk.pdf", native=native)


@pytest.mark.parametrize("native", SAMPLERS)
def test_scan_without_text_layer(native):
    with pytest.raises(errors.NoTextLayerError) as e:
        read("scan.pdf", native)
    assert "scan" in str(e.value) and str(e.value).startswith("scan.pdf: ")


@pytest.mark.parametrize("native", SAMPLERS)
def test_image_only_page_is_a_warning(native):
    doc = read("mixed.pdf", native)
    assert [p.images > 0 for p in doc.pages] == [False, True]
    assert doc.pages[0].lines[0].text == "Only this page has words."
    assert any("2" in w and "image" in w for w in doc.warnings)


@pytest.mark.parametrize("native", SAMPLERS)
def test_character_cap(native, monkeypatch):
    monkeypatch.setattr(reader, "MAX_PAGE_CHARS", 50)
    with pytest.raises(errors.LimitExceededError, match="limit 50"):
        read("basic.pdf", native)


def test_font_style_from_name_and_flags():
    assert reader.font_style("ABCDEF+Arial-BoldItalicMT") == (True, True)
    assert reader.font_style("Inter-SemiBold") == (True, False)
    assert reader.font_style("NotoSerif-Oblique") == (False, True)
    assert reader.font_style("Georgia", flags=64) == (False, True)  # descriptor Italic bit
    assert reader.font_style("TimesNewRomanPSMT") == (False, False)


def test_font_style_of_tex_and_abbreviated_font_names():
    # arXiv papers: Computer Modern and CM-Super name their weight and shape in a code
    styles = {
        "ABCDEF+SFBX1000": (True, False),
        "CMBX12": (True, False),
        "CMBXTI10": (True, True),
        "SFTI1000": (False, True),
        "CMSL10": (False, True),
        "SFRM1000": (False, False),
        "CMR10": (False, False),
        "CMMI10": (False, False),  # math italic: formulas, not emphasis
        "CMTT9": (False, False),
        # Adobe and URW abbreviations
        "HelveticaNeueLTPro-Bd": (True, False),
        "AdobeCorpID-MyriadBdIt": (True, True),
        "AdobeCorpID-MyriadRgIt": (False, True),
        "NimbusRomNo9L-Medi": (True, False),
        "NimbusRomNo9L-ReguItal": (False, True),
        "HelveticaNeueLTPro-Md": (False, False),
        # names that only look like it
        "Orbit": (False, False),
        "Cobalt": (False, False),
        "KoPubDotumMedium": (False, False),
    }
    assert {n: reader.font_style(n) for n in styles} == styles


def test_ligatures_soft_hyphens_and_merged_hyphen_normalised():
    # Words as a sampler gives them: (start, end, x0, top, x1, bottom, baseline, size, font).
    text = "o\ufb03ce\u00adwork in\x02 \ufb01t"
    ws = [
        (0, 9, 10.0, 10.0, 60.0, 22.0, 20.0, 12.0, 0),
        (10, 13, 65.0, 10.0, 80.0, 22.0, 20.0, 12.0, 0),
        (14, 16, 85.0, 10.0, 95.0, 22.0, 20.0, 12.0, 0),
    ]
    ctx = reader._PageCtx(text, False, {}, None, {})
    ln = reader._make_line(ctx, ws, 1, 0)
    assert ln.text == "officework in-fit"
    assert ln.bbox == (10.0, 10.0, 95.0, 22.0) and ln.size == 12.0
    ends_soft = reader._make_line(ctx, ws[:1], 1, 0)
    assert ends_soft.text == "officework"


def test_no_ligature_code_points_leak(basic):
    lig = line(basic, "Ligature code points")
    assert lig.text == "Ligature code points: final office."


@pytest.mark.parametrize("native", SAMPLERS)
def test_right_to_left_words_stay_on_their_line(native):
    doc = read("rtl.pdf", native)
    texts = [ln.text for ln in doc.lines()]
    assert texts == ["שלום עולם וזה משפט בעברית", "שורה שנייה עם מילים נוספות"]
    for ln in doc.lines():
        x0, _, x1, _ = ln.bbox
        assert x0 < x1 and x1 <= doc.pages[0].width


@pytest.mark.parametrize("native", SAMPLERS)
@pytest.mark.parametrize("name", ["../seed/seed.pdf", "../article/multipage.pdf", "mixed.pdf"])
def test_reopening_the_document_changes_nothing(native, name, monkeypatch):
    """Huge files: the reader reopens the PDFium document every REOPEN_PAGES pages to free
    PDFium's caches; lines, spans, links and structure-tree tags must not change."""
    import reflow

    data = (FIX / name).read_bytes()
    whole = read_pdf(data, name, native=native)
    tags = [ln.tag for ln in whole.lines()]
    md = reflow.convert(data, name=name).to_json()
    monkeypatch.setattr(reader, "REOPEN_PAGES", 1)
    again = read_pdf(data, name, native=native)
    assert len(again.pages) > 1
    assert _dump(again) == _dump(whole)
    assert [ln.tag for ln in again.lines()] == tags
    assert reflow.convert(data, name=name).to_json() == md


@pytest.mark.parametrize("native", SAMPLERS)
def test_reopening_an_encrypted_document_keeps_the_password(native, monkeypatch):
    data = (FIX.parent / "hostile" / "encrypted-user.pdf").read_bytes()  # 2 pages
    whole = read_pdf(data, "e.pdf", password="opensesame", native=native)
    monkeypatch.setattr(reader, "REOPEN_PAGES", 1)
    again = read_pdf(data, "e.pdf", password="opensesame", native=native)
    assert len(again.pages) == 2 and all(p.lines for p in again.pages)
    assert _dump(again) == _dump(whole)


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
@pytest.mark.parametrize("limits", [None, (40, 64), (20000, 3)])
@pytest.mark.parametrize(
    "name", ["../article/multipage.pdf", "../article/related.pdf", "mixed.pdf"]
)
def test_structure_tree_walk_native_and_python_agree(name, limits, monkeypatch):
    """The native sampler walks the structure tree in C (tagged.py replays its events); the
    tags must be those of the Python walk, also where the element budget or depth cuts it."""
    from reflow.readers import tagged

    if limits:
        monkeypatch.setattr(tagged, "MAX_ELEMENTS", limits[0])
        monkeypatch.setattr(tagged, "MAX_DEPTH", limits[1])
    native = read(name, True)
    python = read(name, False)
    tags = [ln.tag for ln in native.lines()]
    assert any(t is not None for t in tags)
    assert tags == [ln.tag for ln in python.lines()]
    assert _dump(native) == _dump(python)


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
def test_structure_tree_events_outgrow_the_buffer(monkeypatch):
    samp = reader.sampler(True)
    before = [ln.tag for ln in read("../article/multipage.pdf", False).lines()]
    monkeypatch.setattr(samp, "scap", 8)
    monkeypatch.setattr(samp, "sout", (reader.ctypes.c_int32 * 8)())
    monkeypatch.setattr(reader, "sampler", lambda native=None: samp)
    assert [ln.tag for ln in read("../article/multipage.pdf", True).lines()] == before
    assert samp.scap > 8


@pytest.mark.skipif(not NATIVE, reason="no C compiler")
def test_native_and_fallback_read_the_structure_tree_alike():
    # A Chromium print (tagged): lists, a table, quotes, captions and headings; the C reading
    # of the tree (pc_tags) must give each line the tag the Python walk gives it.
    data = (
        Path(__file__).parent.parent / "corpora/layout/analysis-3col-letter-sans.pdf"
    ).read_bytes()
    native, fallback = (read_pdf(data, "a.pdf", native=n) for n in (True, False))
    assert _dump(native) == _dump(fallback)
    roles = {ln.tag.role for ln in native.lines() if ln.tag}
    assert {"li", "cell", "quote", "caption", "h2"} <= roles
    cells = [ln.tag for ln in native.lines() if ln.tag and ln.tag.role == "cell"]
    assert len({t.row for t in cells}) > 1 and all(t.group for t in cells)


@pytest.mark.parametrize("native", SAMPLERS)
def test_a_structure_tree_too_wide_to_load_per_page_is_left_for_layout(native, monkeypatch):
    """PDFium loads every child slot of a page's ancestors to build its tree (a 1,000-page
    print: 27,000 under one element, ~24 ms a page): past a limit, the pages are read by
    geometry alone, with every word still there, and the document says so. (PDFium's page
    trees only: a tree read once per document is not cut, tests/test_doc_tree.py.)"""
    from reflow.readers import tagged

    monkeypatch.setenv("REFLOW_DOC_TREE", "0")
    data = (Path(__file__).parent.parent / "corpora/layout/essay-1col-a4-justify.pdf").read_bytes()
    full = read_pdf(data, "e.pdf", native=native)
    assert any(ln.tag for ln in full.lines()) and not full.warnings
    monkeypatch.setattr(tagged, "MAX_TREE_SLOTS", 20)
    cut = read_pdf(data, "e.pdf", native=native)
    assert not any(ln.tag for ln in cut.lines())
    assert any("structure tree not used from page 1" in w for w in cut.warnings)
    words = lambda d: sorted(w for ln in d.lines() for w in ln.text.split())  # noqa: E731
    assert words(cut) == words(full)


@pytest.mark.parametrize("native", SAMPLERS)
def test_spacing_accent_composed_with_the_letter_under_it(native):
    # pdfTeX with Computer Modern in OT1 draws each accent as a glyph of its own ("caf´e");
    # over a capital PDFium moves it to its line's end ("at the Ecole ... ´")
    doc = read("accents.pdf", native)
    text = " ".join(ln.text for p in doc.pages for ln in p.lines)
    for word in ("Résumé", "café", "Zürich", "crème", "brûlée", "naïve", "François", "École"):
        assert word in text
    for word in ("Curaçao", "déjà", "élégant", "Ångström", "Čapek", "Erdős"):
        assert word in text
    assert "´e" not in text and "\ufffc" not in text
    # an accent with no letter under it stays what it is
    assert "A lone ´ accent" in text


def test_spacing_accent_needs_a_letter_under_it():
    from reflow.readers.accents import ACCENT_GONE, compose_accents

    # "caf´e": the acute over the e; "don´t": an acute typed as an apostrophe, beside its letters
    boxes = {0: (0, 0, 5, 10), 1: (5, 0, 10, 10), 2: (10, 0, 14, 10), 3: (14.3, 0, 19, 10)}
    boxes[4] = (14.5, 0, 19.2, 10)
    assert compose_accents("caf´e", boxes.get) == "caf" + ACCENT_GONE + "é"
    apart = {0: (0, 0, 5, 10), 1: (5, 0, 10, 10), 2: (10, 0, 15, 10), 3: (15, 0, 18, 10)}
    apart[4] = (18, 0, 21, 10)
    assert compose_accents("don´t", apart.get) == "don´t"


@pytest.mark.parametrize("pypdfium2_first", [False, True])
def test_reflow_and_pypdfium2_share_one_library_in_either_order(pypdfium2_first):
    """reflow loads and initialises PDFium itself unless pypdfium2 is imported (its import costs
    more than reading a one-page PDF); a program using both, in either order, reads alike."""
    pdf = str(Path(__file__).parent.parent / "corpora/layout/brief-2col-short-plain.pdf")
    code = (
        "import sys\n"
        f"pdf = {pdf!r}\n"
        "def plain():\n"
        "    import pypdfium2\n"
        "    d = pypdfium2.PdfDocument(pdf)\n"
        "    return d[0].get_textpage().get_text_range()\n"
        f"first = plain() if {pypdfium2_first} else None\n"
        "import reflow\n"
        "a = reflow.convert(pdf).markdown\n"
        f"print(('pypdfium2' in sys.modules) == {pypdfium2_first})\n"
        "text = plain()\n"
        "print(bool(text) and (first is None or first == text))\n"
        "print(reflow.convert(pdf).markdown == a and len(a) > 100)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True", "True"], out.stdout
