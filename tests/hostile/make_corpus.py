"""Build the hostile-PDF corpus into a directory, at test time (nothing big is committed).

Every case is a file plus what reflow may answer for it: a set of allowed outcomes ("ok" or an
error kind from ``reflow.errors``) and, for "ok", words the output must contain. The PDFs are
written by the tiny PDF writer below (standard 14 fonts, no font files), so the corpus needs
neither Chromium nor network; qpdf makes the encrypted cases when it is installed, otherwise the
committed fixtures in ``tests/fixtures/hostile/`` are used.

    python tests/hostile/make_corpus.py OUTDIR        # writes OUTDIR/*.pdf and OUTDIR/cases.json
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
SHARED = ROOT.parent / "shared"

# A text written into the good fixtures; a correct conversion keeps all of its words.
PARAGRAPHS = [
    "The river council met on Tuesday to discuss the flooding of the lower town.",
    "Residents asked for a new embankment before the autumn storms arrive again.",
    "The mayor promised an answer within three weeks, after the engineers report.",
]
WORDS = sorted({w.strip(".,").lower() for p in PARAGRAPHS for w in p.split()})
USER_PASSWORD = "opensesame"
OWNER_PASSWORD = "ownerkey"


@dataclass
class Case:
    name: str  # file name inside the corpus directory
    allowed: list[str]  # "ok" and/or error kinds ("broken", "encrypted", ...)
    words: list[str] = field(default_factory=list)  # words an "ok" output must contain
    password: str | None = None
    note: str = ""
    warns: list[str] = field(default_factory=list)  # substrings a warning must contain (if ok)
    reason: str = ""  # substring the error reason must contain (if an error)


# --------------------------------------------------------------------------------------------
# A tiny PDF writer


class PDFWriter:
    """Objects in, a PDF with a correct xref table out. ``obj(body)`` returns the object number."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, num: int, body: bytes | str) -> int:
        self.objects[num - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return num

    def obj(self, body: bytes | str) -> int:
        return self.set(self.reserve(), body)

    def stream(self, data: bytes, extra: str = "", compress: bool = False) -> int:
        if compress:
            data = zlib.compress(data, 6)
            extra += " /Filter /FlateDecode"
        head = f"<< /Length {len(data)}{extra} >>\nstream\n".encode("latin-1")
        return self.obj(head + data + b"\nendstream")

    def build(self, root: int, info: int | None = None, trailer_extra: str = "") -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + (body or b"null") + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode()
        trailer = f"/Size {len(self.objects) + 1} /Root {root} 0 R"
        if info:
            trailer += f" /Info {info} 0 R"
        out += f"trailer\n<< {trailer}{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_ops(
    lines: list[str],
    font: str = "F1",
    size: float = 11,
    x: float = 72,
    y: float = 720,
    leading: float = 15,
) -> bytes:
    ops = [f"BT /{font} {size:g} Tf {leading:g} TL {x:g} {y:g} Td"]
    for ln in lines:
        ops.append(f"({_esc(ln)}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def wrap(text: str, width: int = 70) -> list[str]:
    out, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        out.append(cur)
    return out


def article_lines() -> list[str]:
    lines: list[str] = []
    for p in PARAGRAPHS:
        lines += wrap(p) + [""]
    return lines


HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def make_pdf(
    pages: list[bytes | None],
    *,
    fonts: dict[str, str] | None = None,
    xobjects: dict[str, int] | None = None,
    w: PDFWriter | None = None,
    media: str = "0 0 612 792",
    title: str = "Hostile test",
) -> bytes:
    """Pages of content streams (None: an empty page) with shared resources."""
    w = w or PDFWriter()
    catalog, pages_id = w.reserve(), w.reserve()
    font_ids = {name: w.obj(body) for name, body in (fonts or {"F1": HELVETICA}).items()}
    res = "<< /Font << " + " ".join(f"/{n} {i} 0 R" for n, i in font_ids.items()) + " >>"
    if xobjects:
        res += " /XObject << " + " ".join(f"/{n} {i} 0 R" for n, i in xobjects.items()) + " >>"
    res += " >>"
    res_id = w.obj(res)
    kids = []
    for content in pages:
        page = f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [{media}] /Resources {res_id} 0 R"
        if content is not None:
            page += f" /Contents {w.stream(content, compress=len(content) > 4096)} 0 R"
        kids.append(w.obj(page + " >>"))
    w.set(
        pages_id,
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>",
    )
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    info = w.obj(f"<< /Title ({_esc(title)}) /Producer (reflow hostile corpus) >>")
    return w.build(catalog, info)


def good_pdf(n_pages: int = 2) -> bytes:
    """A small, well-formed text PDF: the article on page 1, a closing line on later pages."""
    pages = [text_ops(article_lines())]
    for i in range(2, n_pages + 1):
        pages.append(text_ops([f"Page {i} carries a short closing note about the council."]))
    return make_pdf(pages)


# --------------------------------------------------------------------------------------------
# Hostile constructions


def image_xobject(w: PDFWriter, size: int = 64) -> int:
    """A grey DeviceGray image, like a scanned page (deterministic pixels)."""
    rnd = random.Random(size)
    pixels = bytes(rnd.randrange(180, 256) for _ in range(size * size))
    return w.stream(
        pixels,
        f" /Type /XObject /Subtype /Image /Width {size} /Height {size}"
        " /ColorSpace /DeviceGray /BitsPerComponent 8",
        compress=True,
    )


def image_only_pdf(n_pages: int = 3) -> bytes:
    w = PDFWriter()
    img = image_xobject(w)
    draw = b"q 540 0 0 720 36 36 cm /Im1 Do Q"
    return make_pdf([draw] * n_pages, xobjects={"Im1": img}, w=w)


def mixed_image_pdf() -> bytes:
    """Page 1 text, page 2 only a scanned image, page 3 text."""
    w = PDFWriter()
    img = image_xobject(w)
    return make_pdf(
        [
            text_ops(article_lines()),
            b"q 540 0 0 720 36 36 cm /Im1 Do Q",
            text_ops(["The council will meet again next month."]),
        ],
        xobjects={"Im1": img},
        w=w,
    )


def many_objects_pdf(n: int = 100_000) -> bytes:
    """One page with ``n`` tiny text objects (one glyph each, as Skia writes, but far more)."""
    rnd = random.Random(n)
    parts = [b"BT /F1 11 Tf 72 740 Td (Many objects follow.) Tj ET"]
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(n):
        x, y = rnd.uniform(36, 570), rnd.uniform(36, 700)
        parts.append(f"BT /F1 2 Tf {x:.1f} {y:.1f} Td ({rnd.choice(letters)}) Tj ET".encode())
    return make_pdf([b"\n".join(parts)])


# A Type3 font as a subsetter writes it: codes given in order of first use from 1, glyph names
# made up, no ToUnicode. Text extractors see only the codes: control characters, not text.
def type3_font(w: PDFWriter, n: int) -> str:
    names = " ".join(f"/g{i}" for i in range(1, n + 1))
    procs = {}
    for i in range(1, n + 1):
        procs[f"g{i}"] = w.stream(
            f"{500 + i} 0 0 0 {400 + i} 600 d1 0 0 {400 + i} 600 re f".encode()
        )
    charprocs = " ".join(f"/{k} {v} 0 R" for k, v in procs.items())
    return (
        f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] "
        f"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << {charprocs} >> "
        f"/Encoding << /Type /Encoding /Differences [1 {names}] >> "
        f"/FirstChar 1 /LastChar {n} /Widths [{' '.join(['600'] * n)}] >>"
    )


def type3_garbage_pdf() -> bytes:
    w = PDFWriter()
    codes: dict[str, int] = {}
    ops = ["BT /T3 11 Tf 15 TL 72 720 Td"]
    for ln in article_lines():
        hexs = "".join(f"{codes.setdefault(c, len(codes) + 1):02x}" for c in ln)
        ops.append(f"<{hexs}> Tj T*")
    ops.append("ET")
    font = type3_font(w, len(codes))
    return make_pdf(["\n".join(ops).encode()], fonts={"T3": font}, w=w)


def cid_no_tounicode_pdf() -> bytes:
    """A Type0/Identity-H font without ToUnicode (and no embedded font): codes are glyph ids,
    so the 'text' is whatever the glyph ids happen to mean as code points."""
    w = PDFWriter()
    desc = w.obj(
        "<< /Type /FontDescriptor /FontName /ABCDEF+Secret /Flags 4 "
        "/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 "
        "/CapHeight 700 /StemV 80 >>"
    )
    cid = w.obj(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Secret "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {desc} 0 R /DW 600 /CIDToGIDMap /Identity >>"
    )
    font = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Secret /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] >>"
    )
    rnd = random.Random(7)
    ops = ["BT /C1 11 Tf 15 TL 72 720 Td"]
    for ln in article_lines():
        # glyph ids of a subset font: small numbers unrelated to the characters
        gids = "".join(f"{rnd.randrange(3, 900):04x}" if c != " " else "0003" for c in ln)
        ops.append(f"<{gids}> Tj T*")
    ops.append("ET")
    return make_pdf(["\n".join(ops).encode()], fonts={"C1": font}, w=w)


def nested_pdf(depth: int = 50_000) -> bytes:
    """Deeply nested arrays and dictionaries in a page, plus a self-referencing object."""
    w = PDFWriter()
    deep_arr = w.obj("[" * depth + "]" * depth)
    deep_dict = w.obj("<< /A " * depth + ">>" * depth)
    loop = w.reserve()
    w.set(loop, f"<< /Self {loop} 0 R /Next {loop} 0 R /Kids [{loop} 0 R] >>")
    catalog, pages_id = w.reserve(), w.reserve()
    font = w.obj(HELVETICA)
    content = w.stream(text_ops(article_lines()))
    page = w.obj(
        f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R "
        f"/Deep {deep_arr} 0 R /Deeper {deep_dict} 0 R /Loop {loop} 0 R >>"
    )
    w.set(pages_id, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R /Loop {loop} 0 R >>")
    return w.build(catalog)


def cyclic_pages_pdf() -> bytes:
    """A page tree whose Pages node lists itself among its kids, and claims a huge /Count."""
    w = PDFWriter()
    catalog, pages_id = w.reserve(), w.reserve()
    font = w.obj(HELVETICA)
    content = w.stream(text_ops(article_lines()))
    page = w.obj(
        f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
    )
    w.set(pages_id, f"<< /Type /Pages /Kids [{page} 0 R {pages_id} 0 R] /Count 2147483647 >>")
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return w.build(catalog)


def recursive_form_pdf() -> bytes:
    """A form XObject that draws itself, and content with 20,000 nested q (save) operators."""
    w = PDFWriter()
    form = w.reserve()
    body = b"q 0.9 0 0 0.9 5 5 cm /Fm1 Do Q BT /F1 9 Tf 10 10 Td (inside) Tj ET"
    w.set(
        form,
        f"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Length {len(body)} "
        f"/Resources << /XObject << /Fm1 {form} 0 R >> >> >>\nstream\n".encode()
        + body
        + b"\nendstream",
    )
    content = b"q " * 20_000 + b"/Fm1 Do " + b"Q " * 20_000 + b"\n" + text_ops(article_lines())
    return make_pdf([content], xobjects={"Fm1": form}, w=w)


def lying_count_pdf() -> bytes:
    """A one-page document whose page tree claims two billion pages."""
    data = good_pdf(1)
    return data.replace(b"/Count 1 >>", b"/Count 2000000000 >>", 1)


def flate_bomb_pdf(megabytes: int = 200) -> bytes:
    """A content stream that inflates from ~200 KB to ``megabytes`` MB of spaces, then text."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(megabytes))
    data += comp.compress(text_ops(article_lines())) + comp.flush()
    w = PDFWriter()
    catalog, pages_id = w.reserve(), w.reserve()
    font = w.obj(HELVETICA)
    content = w.obj(
        f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    )
    page = w.obj(
        f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
    )
    w.set(pages_id, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return w.build(catalog)


def extreme_numbers_pdf() -> bytes:
    """Text at absurd sizes and places: font size 0, negative, 1e30; coordinates far off the page;
    a singular text matrix; a rotated, zero-sized and a huge page; text exactly overprinted."""
    good = text_ops(article_lines())
    odd = b"\n".join(
        [
            b"BT /F1 0 Tf 72 700 Td (zero size text) Tj ET",
            b"BT /F1 -11 Tf 72 680 Td (negative size text) Tj ET",
            b"BT /F1 1e30 Tf 72 660 Td (enormous) Tj ET",
            b"BT /F1 11 Tf 1e30 -1e30 Td (far away) Tj ET",
            b"BT /F1 11 Tf 0 0 0 0 72 640 Tm (singular matrix) Tj ET",
            b"BT /F1 11 Tf 1 0 0 1 72 620 Tm (overprint) Tj 1 0 0 1 72 620 Tm (overprint) Tj ET",
            b"BT /F1 11 Tf 72 600 Td 1e20 Tc (spaced out) Tj ET",
            b"BT /F1 11 Tf 72 580 Td 5000 Tz (stretched) Tj ET",
        ]
    )
    w = PDFWriter()
    catalog, pages_id = w.reserve(), w.reserve()
    font = w.obj(HELVETICA)
    kids = []
    for media, rotate, content in (
        ("0 0 612 792", 0, good),
        ("0 0 612 792", 270, odd),
        ("0 0 0 0", 0, text_ops(["A page with no size at all still holds this sentence."])),
        ("0 0 1e9 1e9", 90, text_ops(["A page a billion points wide, turned a quarter."])),
        ("612 792 0 0", 0, odd),
    ):
        c = w.stream(content)
        kids.append(
            w.obj(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [{media}] /Rotate {rotate} "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {c} 0 R >>"
            )
        )
    w.set(pages_id, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count 5 >>")
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return w.build(catalog)


def long_word_link_pdf(n: int = 150_000) -> bytes:
    """One word of ``n`` letters with a link annotation over a stretch of it, a few thin link
    rectangles criss-crossing it, and the article: link anchoring must stay linear in the word
    (a mutated Chromium print once took 14 s here: offsets recomputed per character)."""
    w = PDFWriter()
    catalog, pages_id = w.reserve(), w.reserve()
    font = w.obj(HELVETICA)
    # Soft hyphens inside the word (WinAnsi 0xAD) make the reader normalise it, the slow path.
    word = "".join("abcdefgh\xc2\xad"[i % 10] for i in range(n))
    tiny = f"\nBT /F1 0.05 Tf 20 300 Td ({word}) Tj ET"
    content = text_ops(article_lines()) + tiny.encode("latin-1")
    c = w.stream(content, compress=True)
    annots = []
    for x0, x1 in ((60, 400), (100, 101), (150, 150.5), (200, 220), (20, 600)):
        uri = f"https://example.org/{x0}"
        annots.append(
            w.obj(
                f"<< /Type /Annot /Subtype /Link /Rect [{x0} 295 {x1} 310] /Border [0 0 0] "
                f"/A << /S /URI /URI ({uri}) >> >>"
            )
        )
    refs = " ".join(f"{a} 0 R" for a in annots)
    page = w.obj(
        f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] /Annots [{refs}] "
        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {c} 0 R >>"
    )
    w.set(pages_id, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    return w.build(catalog)


def garble_xref(data: bytes) -> bytes:
    """Every xref offset replaced by a wrong one."""
    start = data.rindex(b"\nxref\n") + 1
    end = data.index(b"trailer", start)
    rnd = random.Random(3)
    table = data[start:end].split(b"\n")
    out = []
    for row in table:
        if row.endswith(b" n ") and len(row) == 19:
            row = f"{rnd.randrange(0, len(data)):010d}".encode() + row[10:]
        out.append(row)
    return data[:start] + b"\n".join(out) + data[end:]


def delete_xref(data: bytes) -> bytes:
    """No xref table, no trailer, no startxref: only the objects."""
    return data[: data.rindex(b"\nxref\n") + 1]


def wrong_startxref(data: bytes) -> bytes:
    i = data.rindex(b"startxref\n") + len(b"startxref\n")
    j = data.index(b"\n", i)
    return data[:i] + b"99999999" + data[j:]


def mutate(data: bytes, rnd: random.Random, n: int | None = None) -> bytes:
    """Random byte mutations: overwrite, insert, delete, duplicate a slice, flip digits."""
    buf = bytearray(data)
    for _ in range(n or rnd.randint(1, 12)):
        if not buf:
            break
        op = rnd.randrange(6)
        i = rnd.randrange(len(buf))
        if op == 0:
            buf[i] = rnd.randrange(256)
        elif op == 1:
            buf[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 2:
            del buf[i : i + rnd.randint(1, 64)]
        elif op == 3:
            j = rnd.randrange(len(buf))
            buf[i:i] = buf[j : j + rnd.randint(1, 256)]
        elif op == 4 and chr(buf[i]).isdigit():
            buf[i] = ord(rnd.choice("0123456789"))
        else:
            tokens = [
                b"obj",
                b"endobj",
                b"stream",
                b"endstream",
                b"<<",
                b">>",
                b"[",
                b"]",
                b"R",
                b"/Length 0",
                b"/Count -1",
                b"/Kids [",
                b"9999999999",
                b"(",
                b")",
            ]
            buf[i:i] = rnd.choice(tokens)
    return bytes(buf)


def qpdf_encrypt(src: Path, dst: Path, user: str, owner: str) -> bool:
    if not shutil.which("qpdf"):
        return False
    r = subprocess.run(
        ["qpdf", "--encrypt", user, owner, "256", "--", str(src), str(dst)],
        capture_output=True,
        timeout=60,
    )
    return r.returncode in (0, 3) and dst.exists()


def real_fixtures(limit: int = 2) -> list[Path]:
    """Small real prints to mutate, when ../shared is beside the repository."""
    d = SHARED / "corpora" / "aeb-dev" / "pdf"
    if not d.is_dir():
        return []
    return sorted(d.glob("*.pdf"), key=lambda p: p.stat().st_size)[:limit]


# --------------------------------------------------------------------------------------------


ERRORS_READ = ["broken", "empty", "no-text"]  # what a damaged file may fairly be reported as


def build(out: Path, *, mutants: int = 24, seed: int = 1, big: bool = True) -> list[Case]:
    """Write the corpus into ``out``; returns the cases (also written to ``out/cases.json``)."""
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes, allowed: list[str], **kw) -> None:
        (out / name).write_bytes(data)
        cases.append(Case(name, allowed, **kw))

    good = good_pdf(2)
    put("good.pdf", good, ["ok"], words=WORDS, note="control: a well-formed PDF")
    put("zero-bytes.pdf", b"", ["empty"], reason="empty")
    put("whitespace.pdf", b" \n\t\r\n" * 10, ["empty"], reason="empty")
    put(
        "html-renamed.pdf",
        b"<!DOCTYPE html>\n<html><head><title>News</title></head><body>"
        b"<p>The river council met on Tuesday.</p></body></html>\n",
        ["not-pdf"],
        reason="PDF",
    )
    put("text-renamed.pdf", ("\n\n".join(PARAGRAPHS) + "\n").encode(), ["not-pdf"], reason="PDF")
    put(
        "binary-renamed.pdf",
        bytes(random.Random(5).randrange(256) for _ in range(4096)),
        ["not-pdf"],
        reason="PDF",
    )
    put("header-only.pdf", b"%PDF-1.7\n", ["broken", "empty"])
    put(
        "header-then-html.pdf",
        b"%PDF-1.4\n<html><body>not really</body></html>\n",
        ["broken", "empty"],
    )
    for pct in (10, 50, 90):
        put(
            f"truncated-{pct}.pdf",
            good[: len(good) * pct // 100],
            ["ok", *ERRORS_READ],
            note=f"a good PDF cut at {pct}%",
        )
    put(
        "xref-garbled.pdf",
        garble_xref(good),
        ["ok", "broken"],
        words=WORDS,
        note="PDFium rebuilds a broken xref from the objects",
    )
    put("xref-deleted.pdf", delete_xref(good), ["ok", "broken"], words=WORDS)
    put("startxref-wrong.pdf", wrong_startxref(good), ["ok", "broken"], words=WORDS)
    put("no-pages.pdf", make_pdf([]), ["empty", "broken"])
    put(
        "empty-pages-5000.pdf",
        make_pdf([None] * 5000),
        ["empty", "limit"],
        note="5,000 pages and not one character",
    )
    put(
        "empty-pages-3000-one-text.pdf",
        make_pdf([text_ops(article_lines())] + [None] * 2999),
        ["ok", "limit"],
        words=WORDS,
    )
    put(
        "image-only.pdf",
        image_only_pdf(3),
        ["no-text"],
        reason="no text layer (3 pages with images; a scan? ",
    )
    put("image-page-2.pdf", mixed_image_pdf(), ["ok"], words=WORDS, warns=["2"])
    put(
        "text-objects-100000.pdf",
        many_objects_pdf(100_000),
        ["ok", "limit"],
        words=["many", "objects", "follow"],
    )
    put(
        "type3-no-unicode.pdf",
        type3_garbage_pdf(),
        ["ok", "no-text"],
        warns=["unicode"],
        reason="unicode",
        note="a subset Type3 font numbering its glyphs 1, 2, 3..., no ToUnicode",
    )
    put(
        "cid-no-tounicode.pdf",
        cid_no_tounicode_pdf(),
        ["ok", "no-text"],
        warns=["unicode"],
        reason="unicode",
        note="Identity-H glyph ids read as code points",
    )
    put("nested-deep.pdf", nested_pdf(), ["ok", "broken"], words=WORDS)
    put("pages-cycle.pdf", cyclic_pages_pdf(), ["ok", "broken", "limit"])
    put("form-recursive.pdf", recursive_form_pdf(), ["ok", "broken"], words=WORDS)
    put("count-lying.pdf", lying_count_pdf(), ["ok", "broken", "limit"])
    put("extreme-numbers.pdf", extreme_numbers_pdf(), ["ok", "broken"], words=WORDS)
    put("long-word-link.pdf", long_word_link_pdf(), ["ok"], words=WORDS)
    put(
        "pages-25000.pdf",
        make_pdf([None] * 25_000),
        ["limit"],
        reason="pages",
        note="more pages than any article: refused before reading them",
    )
    if big:
        put("flate-bomb.pdf", flate_bomb_pdf(), ["ok", "broken", "limit"])

    # Encrypted files: made by qpdf now, or the committed fixtures.
    src = out / "good.pdf"
    user, owner = out / "encrypted-user.pdf", out / "encrypted-owner.pdf"
    made = qpdf_encrypt(src, user, USER_PASSWORD, OWNER_PASSWORD) and qpdf_encrypt(
        src, owner, "", OWNER_PASSWORD
    )
    if not made:
        for p in (user, owner):
            fx = FIXTURES / p.name
            if fx.exists():
                shutil.copyfile(fx, p)
    if user.exists():
        cases.append(Case(user.name, ["encrypted"], reason="password", note="no password"))
        (out / "encrypted-user-wrongpw.pdf").write_bytes(user.read_bytes())
        cases.append(
            Case("encrypted-user-wrongpw.pdf", ["encrypted"], password="not-it", reason="password")
        )
        (out / "encrypted-user-rightpw.pdf").write_bytes(user.read_bytes())
        cases.append(
            Case("encrypted-user-rightpw.pdf", ["ok"], words=WORDS, password=USER_PASSWORD)
        )
    if owner.exists():
        cases.append(Case(owner.name, ["ok"], words=WORDS, note="owner password only: opens"))

    # Random mutations of good files.
    rnd = random.Random(seed)
    sources = [("gen", good), ("gen3", good_pdf(3))]
    sources += [(p.stem[:8], p.read_bytes()) for p in real_fixtures()]
    for i in range(mutants):
        tag, data = sources[i % len(sources)]
        put(
            f"mutant-{tag}-{i:03d}.pdf",
            mutate(data, rnd),
            ["ok", *ERRORS_READ, "encrypted", "limit", "not-pdf"],
        )
    (out / "cases.json").write_text(json.dumps([asdict(c) for c in cases], indent=1))
    return cases


def load(out: Path) -> list[Case]:
    return [Case(**c) for c in json.loads((out / "cases.json").read_text())]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for c in build(target):
        print(f"{c.name:40s} {'|'.join(c.allowed)}")
