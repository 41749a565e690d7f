"""The structure tree read once per document (native/pdfobjs.c, readers/tagged.open_doc_tree).

What a user sees: the same tags (paragraphs, headings, list items, cells) as PDFium's page trees
give, on good files and on hostile ones (cycles, huge arrays, deep nesting, objects not where
the cross-reference table says), where the reader leaves the page to PDFium and never hangs.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from reflow.native.docobjs import open_doc_objects
from reflow.readers import tagged
from reflow.readers.pdf import pdfium, read_pdf, sampler

ROOT = Path(__file__).resolve().parent.parent


def _native():
    try:
        s = sampler(True)
    except Exception:
        return None
    return s if s.name == "native" else None


NATIVE = _native()
pytestmark = pytest.mark.skipif(NATIVE is None, reason="no C compiler")


def tags(data: bytes, monkeypatch, doc_tree: bool) -> list:
    monkeypatch.setenv("REFLOW_DOC_TREE", "1" if doc_tree else "0")
    doc = read_pdf(data, "t.pdf")
    return [(p.number, ln.text, ln.tag) for p in doc.pages for ln in p.lines]


def read_by_doc_tree(data: bytes) -> int:
    """How many pages the document reader reads itself (not left to PDFium)."""
    lib = pdfium()
    doc = lib.FPDF_LoadMemDocument64(data, len(data), None)
    n = lib.FPDF_GetPageCount(doc)
    lib.FPDF_CloseDocument(doc)
    tree = open_doc_objects(NATIVE, data, n)
    if tree is None:
        return 0
    try:
        got = [tree.tags(i, 20000, 64, tagged.Ids()) for i in range(n)]
    finally:
        tree.close()
    return sum(g is not None for g in got)


def pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF of ``objects`` (number -> body) with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def tagged_pdf(**over: bytes) -> bytes:
    """A tagged page: a heading and two paragraphs, as a browser's print tags them. ``over``
    replaces objects by name (o6 for object 6)."""
    content = (
        b"/H1 <</MCID 0>> BDC BT /F1 18 Tf 40 740 Td (Council meets on flooding) Tj ET EMC\n"
        b"/P <</MCID 1>> BDC BT /F1 11 Tf 40 700 Td (Residents asked for an embankment.) Tj ET"
        b" EMC\n/P <</MCID 2>> BDC BT /F1 11 Tf 40 680 Td (The mayor promised an answer.) Tj ET"
        b" EMC\n"
    )
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources"
        b" << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
        b" /StructParents 0 >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        5: b"<< /Type /StructTreeRoot /K [6 0 R] /ParentTree 7 0 R >>",
        6: b"<< /Type /StructElem /S /Document /P 5 0 R /K [8 0 R 9 0 R 10 0 R] >>",
        7: b"<< /Nums [0 [8 0 R 9 0 R 10 0 R]] >>",
        8: b"<< /Type /StructElem /S /H1 /P 6 0 R /Pg 3 0 R /K 0 >>",
        9: b"<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K [1] >>",
        10: b"<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K << /Type /MCR /MCID 2 >> >>",
    }
    for k, v in over.items():
        objs[int(k[1:])] = v
    return pdf(objs)


def test_a_clean_tagged_page_is_read_by_the_document_reader_with_pdfiums_tags(monkeypatch):
    data = tagged_pdf()
    assert read_by_doc_tree(data) == 1
    got = tags(data, monkeypatch, True)
    assert got == tags(data, monkeypatch, False)
    assert [t.role for _, _, t in got] == ["h1", "p", "p"]


def test_role_maps_with_escaped_names_read_as_pdfium_reads_them(monkeypatch):
    data = tagged_pdf(
        o5=b"<< /Type /StructTreeRoot /K [6 0 R] /ParentTree 7 0 R"
        b" /RoleMap << /Text#20body /P /Title#20one /H1 >> >>",
        o8=b"<< /Type /StructElem /S /Title#20one /P 6 0 R /K 0 >>",
        o9=b"<< /Type /StructElem /S /Text#20body /P 6 0 R /K [1] >>",
    )
    assert read_by_doc_tree(data) == 1
    got = tags(data, monkeypatch, True)
    assert got == tags(data, monkeypatch, False)
    assert [t.role for _, _, t in got] == ["h1", "p", "p"]


HOSTILE = {
    "parent cycle": {"o6": b"<< /Type /StructElem /S /Document /P 8 0 R /K [8 0 R 9 0 R] >>"},
    "own parent": {"o8": b"<< /Type /StructElem /S /H1 /P 8 0 R /K 0 >>"},
    "missing parent": {"o9": b"<< /Type /StructElem /S /P /P 99 0 R /K [1] >>"},
    "real mcid": {"o9": b"<< /Type /StructElem /S /P /P 6 0 R /K [1.5] >>"},
    "kids not an array": {"o6": b"<< /Type /StructElem /S /Document /P 5 0 R /K 8 0 R >>"},
    "direct parent": {"o9": b"<< /Type /StructElem /S /P /P << /S /Div >> /K [1] >>"},
    "stream element": {"o9": b"<< /Type /StructElem /S /P /Length 0 >>\nstream\n\nendstream"},
    "unterminated string": {"o9": b"<< /Type /StructElem /S /P /Alt (never closed /K [1] >>"},
}


def test_a_huge_kids_array_is_walked_within_its_budget(monkeypatch):
    # 150,000 slots naming one paragraph again and again: PDFium's page tree is past the slot
    # limit (the page read by layout); the document reader walks it within MAX_ELEMENTS
    dup = b" 9 0 R" * 150_000
    data = tagged_pdf(
        o6=b"<< /Type /StructElem /S /Document /P 5 0 R /K [8 0 R 9 0 R 10 0 R%s] >>" % dup
    )
    t0 = time.process_time()
    got = tags(data, monkeypatch, True)
    assert time.process_time() - t0 < 10
    assert [t.role for _, _, t in got] == ["h1", "p", "p"]
    assert [t for _, _, t in tags(data, monkeypatch, False)] == [None, None, None]


def deep_chain(n: int) -> bytes:
    """A paragraph nested ``n`` Div elements deep (PDFium stops after 32)."""
    objs = {}
    first = 20
    for i in range(n):
        parent = b"6 0 R" if i == 0 else b"%d 0 R" % (first + i - 1)
        kid = b"%d 0 R" % (first + i + 1) if i < n - 1 else b"9 0 R"
        objs[f"o{first + i}"] = b"<< /Type /StructElem /S /Div /P %s /K [%s] >>" % (parent, kid)
    objs["o6"] = b"<< /Type /StructElem /S /Document /P 5 0 R /K [8 0 R %d 0 R 10 0 R] >>" % first
    objs["o9"] = b"<< /Type /StructElem /S /P /P %d 0 R /K [1] >>" % (first + n - 1)
    return tagged_pdf(**objs)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_trees_give_pdfiums_tags_without_hanging(case, monkeypatch):
    data = tagged_pdf(**HOSTILE[case])
    t0 = time.process_time()
    got = tags(data, monkeypatch, True)
    assert time.process_time() - t0 < 10
    assert got == tags(data, monkeypatch, False)


def test_a_number_tree_cycle_reads_the_page_untagged_instead_of_crashing(monkeypatch):
    # PDFium's own page tree recurses through /ParentTree /Kids without a limit (a stack
    # overflow on this file); the document reader finds no entry and the page reads by layout
    data = tagged_pdf(o7=b"<< /Kids [7 0 R 7 0 R] >>")
    got = tags(data, monkeypatch, True)
    assert [text for _, text, _ in got] == [
        "Council meets on flooding",
        "Residents asked for an embankment.",
        "The mayor promised an answer.",
    ]
    assert all(t is None for _, _, t in got)


@pytest.mark.parametrize("depth", [30, 40])
def test_deep_nesting_stops_where_pdfium_stops(depth, monkeypatch):
    data = deep_chain(depth)
    got = tags(data, monkeypatch, True)
    assert got == tags(data, monkeypatch, False)
    # the paragraph under 40 Divs is too deep for PDFium's page tree: untagged, as before
    assert any(t is None for _, _, t in got) == (depth > 31)


def test_an_object_not_at_its_offset_leaves_the_file_to_pdfium(monkeypatch):
    data = tagged_pdf()
    # shift object 8's xref entry: PDFium repairs the table, the document reader gives up
    i = data.index(b"xref")
    table = data[i:]
    m = re.search(rb"(\d{10}) 00000 n \n", table.split(b"\n", 9)[-1])
    assert m is not None
    bad = data[:i] + table.replace(m.group(1), b"%010d" % (int(m.group(1)) + 3), 1)
    assert read_by_doc_tree(bad) == 0
    assert tags(bad, monkeypatch, True) == tags(bad, monkeypatch, False)


def test_mutated_prints_give_pdfiums_tags_on_every_page_the_reader_reads(monkeypatch):
    """A small seeded fuzz (benchmarks/fuzz_doc_tree.py runs thousands, under sanitizers):
    digits of references changed, bytes dropped or added where the tree is written."""
    seeds = [p.read_bytes() for p in sorted((ROOT / "tests/fixtures/article").glob("*.pdf"))[:3]]
    spots = re.compile(rb"/(K|P|S|ParentTree|Nums|StructParents)\b")
    rng = random.Random(16)
    read = 0
    for _ in range(24):
        b = bytearray(rng.choice(seeds))
        at = rng.choice([m.end() for m in spots.finditer(b)]) + rng.randrange(8)
        if rng.random() < 0.7 and chr(b[at]).isdigit():
            b[at] = ord(rng.choice("0123456789"))
        else:
            del b[at]
        data = bytes(b)
        try:
            want = tags(data, monkeypatch, False)
        except Exception as e:  # a mutant PDFium cannot read at all: the same either way
            with pytest.raises(type(e)):
                tags(data, monkeypatch, True)
            continue
        assert tags(data, monkeypatch, True) == want
        read += read_by_doc_tree(data) > 0
    assert read > 0  # the reader read some mutants itself rather than leaving all to PDFium


def linked_pdf(annots: list[bytes], extra: dict[int, bytes] | None = None) -> bytes:
    """An untagged page of three lines under link (and other) annotations ``annots``."""
    content = (
        b"BT /F1 12 Tf 40 740 Td (Read the council minutes online.) Tj ET\n"
        b"BT /F1 12 Tf 40 720 Td (The engineers report is on the town site.) Tj ET\n"
        b"BT /F1 12 Tf 40 700 Td (Questions go to the mayor's office.) Tj ET\n"
    )
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    }
    refs = []
    for i, body in enumerate(annots):
        objs[10 + i] = body
        refs.append(b"%d 0 R" % (10 + i))
    objs[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources"
        b" << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
        b" /Annots [" + b" ".join(refs) + b"] >>"
    )
    objs.update(extra or {})
    return pdf(objs)


def link(rect: bytes, uri: bytes, more: bytes = b"") -> bytes:
    return b"<< /Type /Annot /Subtype /Link /Rect [%s] /A << /S /URI /URI %s >> %s >>" % (
        rect,
        uri,
        more,
    )


def page_links(data: bytes, monkeypatch, doc_tree: bool) -> list:
    monkeypatch.setenv("REFLOW_DOC_TREE", "1" if doc_tree else "0")
    doc = read_pdf(data, "l.pdf")
    p = doc.pages[0]
    return [(a.url, a.rects) for a in p.links] + [(ln.text, ln.links, ln.origin) for ln in p.lines]


def links_read_by_doc_objects(data: bytes) -> bool:
    tree = open_doc_objects(NATIVE, data, 1)
    try:
        return tree is not None and tree.links(0, 1, 0.0, 792.0) is not None
    finally:
        if tree is not None:
            tree.close()


def test_links_read_from_the_document_are_pdfiums_to_the_last_bit(monkeypatch):
    # coordinates as browsers write them (shortest float32 decimals, up to 9 digits), quads,
    # escaped and hex URIs, an internal link (skipped), an action with its optional /Type
    rng = random.Random(7)

    def num(lo: float, hi: float) -> bytes:
        return repr(float.fromhex(rng.uniform(lo, hi).hex()))[: rng.randrange(5, 12)].encode()

    annots = []
    for i in range(60):
        y = 690 + 20 * (i % 3)
        rect = b"%s %s %s %s" % (num(30, 60), num(y - 2, y), num(300, 400), num(y + 12, y + 14))
        annots.append(link(rect, b"(https://town.example/minutes/%d?a=1&b=\\(x\\)\\101)" % i))
    annots.append(link(b"40 738 200 752.5", b"<68747470733A2F2F746F776E2E6578616D706C652F6>"))
    annots.append(
        link(
            b"40 718 100 732",
            b"(https://town.example/report)",
            b"/QuadPoints [40.25 732.125 99.5 732.125 40.25 718.0625 99.5 718.0625]",
        )
    )
    annots.append(b"<< /Type /Annot /Subtype /Link /Rect [40 698 90 712] /Dest [3 0 R /Fit] >>")
    annots.append(
        b"<< /Type /Annot /Subtype /Link /Rect [100 698 190 712] /A << /Type /Action /S /URI"
        b" /URI (mailto:mayor@town.example) >> >>"
    )
    data = linked_pdf(annots)
    assert links_read_by_doc_objects(data)
    got = page_links(data, monkeypatch, True)
    assert got == page_links(data, monkeypatch, False)
    assert any(isinstance(x[1], list) and x[1] for x in got)  # lines carry their links


@pytest.mark.parametrize(
    "annot",
    [
        b"<< /Subtype (Link) /Rect [40 738 200 752] /A << /S /URI /URI (https://a.example) >> >>",
        link(b"40 738 200 752.123456789012", b"(https://b.example)"),
        link(b"40 738 200 0.0000000001", b"(https://c.example)"),
        link(b"40 738 200 752", b"/NameNotString"),
        link(b"40 738 200 752", b"12"),
        link(b"40 738 /x 752", b"(https://d.example)"),
    ],
)
def test_links_outside_the_readers_subset_are_pdfiums(annot, monkeypatch):
    data = linked_pdf([annot])
    assert page_links(data, monkeypatch, True) == page_links(data, monkeypatch, False)


def test_a_freetext_annotation_among_links_is_still_read(monkeypatch):
    note = (
        b"<< /Type /Annot /Subtype /FreeText /Rect [300 600 500 640] /Contents (Meeting moved"
        b" to Thursday) /DA (/Helv 10 Tf 0 g) >>"
    )
    data = linked_pdf([link(b"40 738 200 752", b"(https://a.example)"), note])
    got = page_links(data, monkeypatch, True)
    assert got == page_links(data, monkeypatch, False)
    assert ("Meeting moved to Thursday", (), "annotation") in got


def test_a_tree_too_big_for_pdfiums_page_trees_keeps_its_tags(monkeypatch):
    # PDFium loads every child slot of the page's ancestors for each page: past 10,000 the
    # reader used to give up the tree (a warning, the rest by layout); read once, it is cheap
    big = b" 99" * 12_000
    data = tagged_pdf(
        o6=b"<< /Type /StructElem /S /Document /P 5 0 R /K [8 0 R 9 0 R 10 0 R%s] >>" % big
    )
    monkeypatch.setenv("REFLOW_DOC_TREE", "0")
    old = read_pdf(data, "big.pdf")
    assert [ln.tag for ln in old.pages[0].lines] == [None, None, None]
    assert any("structure tree not used" in w for w in old.warnings)
    monkeypatch.setenv("REFLOW_DOC_TREE", "1")
    new = read_pdf(data, "big.pdf")
    assert [ln.tag.role for ln in new.pages[0].lines] == ["h1", "p", "p"]
    assert not any("structure tree" in w for w in new.warnings)


def three_linked_pages() -> bytes:
    """Three tagged pages, each with a paragraph holding a link (its annotation and /Link
    element), and one paragraph element running over all three pages."""
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 13 0 R 23 0 R] /Count 3 >>",
        5: b"<< /Type /StructTreeRoot /K [6 0 R] /ParentTree 7 0 R >>",
        6: b"<< /Type /StructElem /S /Document /P 5 0 R /K [8 0 R 40 0 R 50 0 R 41 0 R 42 0 R] >>",
        7: b"<< /Nums [0 70 0 R 1 71 0 R 2 72 0 R 100 60 0 R 101 61 0 R 102 62 0 R] >>",
        8: b"<< /Type /StructElem /S /H1 /P 6 0 R /Pg 3 0 R /K 0 >>",
        50: b"<< /Type /StructElem /S /P /P 6 0 R /K [<< /Type /MCR /Pg 3 0 R /MCID 2 >>"
        b" << /Type /MCR /Pg 13 0 R /MCID 2 >> << /Type /MCR /Pg 23 0 R /MCID 2 >>] >>",
    }
    for k in range(3):
        page, annot = 3 + 10 * k, 11 + 10 * k
        head = b"/H1 <</MCID 0>> BDC BT /F1 18 Tf 40 740 Td (Council meets) Tj ET EMC\n"
        content = (head if k == 0 else b"") + (
            b"/P <</MCID 1>> BDC BT /F1 11 Tf 40 700 Td (Residents asked, page %d.) Tj ET EMC\n"
            b"/P <</MCID 2>> BDC BT /F1 11 Tf 40 680 Td (The report runs on.) Tj ET EMC\n"
            b"/Link <</MCID 3>> BDC BT /F1 11 Tf 40 660 Td (Read the minutes) Tj ET EMC\n" % k
        )
        objs[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources"
            b" << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
            b" /StructParents %d /Annots [%d 0 R] >>" % (page + 1, k, annot)
        )
        objs[page + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream"
        objs[annot] = link(
            b"40 658 140 672",
            b"(https://town.example/minutes/%d)" % k,
            b"/StructParent %d" % (100 + k),
        )
        objs[40 + k] = b"<< /Type /StructElem /S /P /P 6 0 R /Pg %d 0 R /K [1 %d 0 R] >>" % (
            page,
            60 + k,
        )
        objs[60 + k] = (
            b"<< /Type /StructElem /S /Link /P %d 0 R /Pg %d 0 R /K [3 << /Type /OBJR /Obj %d 0 R"
            b" >>] >>" % (40 + k, page, annot)
        )
        first = b"8 0 R" if k == 0 else b"null"
        objs[70 + k] = b"[%s %d 0 R 50 0 R %d 0 R]" % (first, 40 + k, 60 + k)
    return pdf(objs)


def test_pages_read_in_any_order_give_pdfiums_tags_and_links(monkeypatch):
    # the document reader releases what a page parsed once the page is read, and keeps what
    # several pages share (the paragraph over three pages, the document element): any page,
    # read again after others, gives what it gave the first time and what PDFium gives
    data = three_linked_pages()
    assert read_by_doc_tree(data) == 3
    got = tags(data, monkeypatch, True)
    assert got == tags(data, monkeypatch, False)
    assert {t.role for _, _, t in got if t is not None} >= {"h1", "p"}
    for doc_tree in (True, False):
        monkeypatch.setenv("REFLOW_DOC_TREE", "1" if doc_tree else "0")
        doc = read_pdf(data, "l.pdf")
        urls = [[a.url for a in p.links] for p in doc.pages]
        assert urls == [[f"https://town.example/minutes/{k}"] for k in range(3)]
    monkeypatch.setenv("REFLOW_DOC_TREE", "1")
    tree = open_doc_objects(NATIVE, data, 3)
    try:
        order = [0, 1, 2, 0, 2, 1, 1]
        recs = [tree.tags(i, 20000, 64, tagged.Ids()) for i in order]
        links = [tree.links(i, i + 1, 0.0, 792.0) for i in order]
    finally:
        tree.close()
    assert all(r is not None for r in recs) and all(x is not None for x in links)
    for j, i in enumerate(order):
        assert recs[j] == recs[order.index(i)] and links[j] == links[order.index(i)]
    assert [len(x) for x in links[:3]] == [1, 1, 1]
