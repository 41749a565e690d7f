"""The native sampler: ``pdfchars.c`` built on first use with the system C compiler.

The shared library is cached in ``$REFLOW_CACHE`` (default ``~/.cache/reflow``) under a name keyed
by the source hash and the platform, so a changed source or another machine builds afresh.
``python -m reflow.native build`` builds it explicitly (CI does). Without a compiler the reader
uses its pure-Python sampler with the same output; ``REFLOW_NO_NATIVE=1`` forces that.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_int32, c_uint32, c_uint64, c_void_p
from pathlib import Path

UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
SOURCE = Path(__file__).with_name("pdfchars.c")
# The structure tree read once per document (pd_open, pd_tags), built into the same library.
SOURCES = (SOURCE, Path(__file__).with_name("pdfobjs.c"))

# Structure-tree functions handed to pc_tags (its S_* enum); optional in older PDFium builds.
STRUCT_FUNCTIONS = (
    "FPDF_StructElement_GetType",
    "FPDF_StructElement_CountChildren",
    "FPDF_StructElement_GetChildAtIndex",
    "FPDF_StructElement_GetMarkedContentIdCount",
    "FPDF_StructElement_GetMarkedContentIdAtIndex",
    "FPDF_StructTree_CountChildren",
    "FPDF_StructTree_GetChildAtIndex",
)

# Order of PDFium functions handed to pdfchars.c (its F_* enum).
FUNCTIONS = (
    "FPDFText_GetUnicode",
    "FPDFText_GetLooseCharBox",
    "FPDFText_GetCharOrigin",
    "FPDFText_GetFontSize",
    "FPDFText_GetMatrix",
    "FPDFText_GetTextObject",
    "FPDFTextObj_GetFont",
    "FPDFPage_CountObjects",
    "FPDFPage_GetObject",
    "FPDFPageObj_GetType",
    "FPDFLink_Enumerate",
    "FPDFLink_GetAction",
    "FPDFAction_GetType",
    "FPDFAction_GetURIPath",
    "FPDFLink_GetAnnotRect",
    "FPDFLink_CountQuadPoints",
    "FPDFLink_GetQuadPoints",
    "FPDFPageObj_GetMarkedContentID",
)
ABI_VERSION = 15
# Tag roles in the order of pc_tags' R_* enum (pdfchars.c).
TAG_ROLES = (
    "other",
    "p",
    "li",
    "cell",
    "caption",
    "quote",
    "code",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
)


class NativeUnavailable(RuntimeError):
    pass


def cache_dir() -> Path:
    d = os.environ.get("REFLOW_CACHE")
    return Path(d) if d else Path.home() / ".cache" / "reflow"


def _suffix() -> str:
    return ".dll" if sys.platform == "win32" else ".so"


def _machine() -> str:
    """platform.machine(), without importing platform on POSIX (uname's machine is what it
    gives there): a one-page conversion loads this module."""
    if hasattr(os, "uname"):
        return os.uname().machine
    import platform

    return platform.machine()


def _sha256(data: bytes):
    """hashlib.sha256 without importing hashlib (which loads OpenSSL: ~5 ms of a one-page
    conversion's start-up); the same digest."""
    try:
        from _sha256 import sha256  # CPython's own, built in
    except ImportError:
        from hashlib import sha256
    return sha256(data)


def library_path() -> Path:
    src = b"".join(p.read_bytes() for p in SOURCES)
    machine = _machine()
    key = _sha256(src + machine.encode() + sys.platform.encode()).hexdigest()[:16]
    return cache_dir() / f"pdfchars-{sys.platform}-{machine}-{key}{_suffix()}"


def compiler() -> str | None:
    cc = os.environ.get("CC")
    if cc:
        return cc
    import shutil

    for name in ("cc", "gcc", "clang"):
        p = shutil.which(name)
        if p:
            return p
    return None


def build(force: bool = False) -> Path:
    """Compile pdfchars.c into the cache (atomically: parallel workers may race)."""
    out = library_path()
    if out.exists() and not force:
        return out
    import subprocess  # only to build: a conversion that finds the library loads neither
    import tempfile

    cc = compiler()
    if cc is None:
        raise NativeUnavailable("no C compiler (set CC, or install cc/gcc/clang)")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pdfchars-", suffix=_suffix(), dir=out.parent)
    os.close(fd)
    cmd = [
        *cc.split(),
        "-O2",
        "-ffp-contract=off",
        "-shared",
        "-fPIC",
        "-o",
        tmp,
        *(str(p) for p in SOURCES),
        "-lm",
    ]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise NativeUnavailable(f"{' '.join(cmd)} failed: {res.stderr.strip()[:500]}")
        os.replace(tmp, out)
    except (OSError, subprocess.SubprocessError) as e:
        raise NativeUnavailable(f"cannot build {SOURCE.name}: {e}") from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


_LIB: ctypes.CDLL | None = None


def load() -> ctypes.CDLL:
    global _LIB
    if _LIB is None:
        path = build()
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            path = build(force=True)
            lib = ctypes.CDLL(str(path))
        if lib.pc_abi_version() != ABI_VERSION:
            raise NativeUnavailable(f"{path}: unexpected ABI version")
        lib.pc_sample.restype = c_int
        lib.pc_sample.argtypes = [
            c_void_p,
            c_void_p,
            c_int,
            c_double,
            c_double,
            POINTER(c_uint32),
            POINTER(c_int32),
            POINTER(c_int32),
            POINTER(c_int32),
            POINTER(c_double),
            POINTER(c_uint64),
        ]
        lib.pc_links.restype = c_int
        lib.pc_links.argtypes = [
            c_void_p,
            c_void_p,
            c_void_p,
            c_double,
            c_double,
            POINTER(c_double),
            POINTER(c_int32),
            c_int,
            c_char_p,
            c_int,
            POINTER(c_int32),
            c_int,
            POINTER(c_int),
        ]
        lib.pc_lines.restype = c_int
        lib.pc_lines.argtypes = (
            [c_int, c_int]
            + [c_void_p] * 6
            + [
                POINTER(c_int32),
                POINTER(c_int32),
                POINTER(c_double),
                POINTER(c_int32),
                POINTER(c_int32),
                POINTER(c_uint64),
                POINTER(c_double),
            ]
        )
        lib.pc_anchor.restype = c_int
        lib.pc_anchor.argtypes = [
            c_void_p,  # fn
            c_void_p,  # text page
            c_double,  # left
            c_double,  # ptop
            c_int,  # n
            c_int,  # k
            c_void_p,  # geom
            c_void_p,  # starts
            c_void_p,  # ends
            c_void_p,  # breaks
            c_int,  # nr
            POINTER(c_double),  # rects
            POINTER(c_int32),  # out
            c_int,  # maxm
        ]
        lib.pc_count_images.restype = c_int
        lib.pc_count_images.argtypes = [c_void_p, c_void_p]
        lib.pc_image_objects.restype = c_int
        lib.pc_image_objects.argtypes = [c_void_p, c_void_p, POINTER(c_int32), c_int]
        lib.pc_tags.restype = c_int
        lib.pc_tags.argtypes = [
            c_void_p,
            c_void_p,
            c_int,
            c_int,
            POINTER(c_int32),
            POINTER(c_int32),
            c_int,
            POINTER(ctypes.c_int64),
        ]
        lib.pc_dropped.restype = c_int
        lib.pc_dropped.argtypes = [c_void_p, c_void_p, c_void_p, c_int, c_int, POINTER(c_int32)]
        lib.pd_open.restype = c_void_p
        lib.pd_open.argtypes = [c_char_p, ctypes.c_int64, c_int]
        lib.pd_close.restype = None
        lib.pd_close.argtypes = [c_void_p]
        lib.pd_links_page.restype = c_int
        lib.pd_links_page.argtypes = [c_void_p, c_int]
        lib.pd_links_ok.restype = c_int
        lib.pd_links_done.restype = None
        lib.pd_links_done.argtypes = [c_void_p]
        lib.pd_links_ok.argtypes = [c_void_p]
        lib.pd_text_annots.restype = c_int
        lib.pd_text_annots.argtypes = [c_void_p, c_int]
        lib.pd_link_fns.restype = None
        lib.pd_link_fns.argtypes = [c_void_p]
        lib.pd_tags.restype = c_int
        lib.pd_tags.argtypes = [
            c_void_p,
            c_int,
            c_int,
            c_int,
            POINTER(c_int32),
            POINTER(c_int32),
            c_int,
            POINTER(ctypes.c_int64),
        ]
        lib.pc_word_mcids.restype = None
        lib.pc_word_mcids.argtypes = [c_void_p, c_void_p, c_int, POINTER(c_int32), POINTER(c_int32)]
        _LIB = lib
    return _LIB


class WordView:
    """The words of a native ``sample`` as the fallback sampler's tuples (readers.pdf.WordT),
    made only when asked for: a page has about ten times more words than lines, and most lines
    (one style, single spaces) are built from their line record alone. Valid until the
    sampler's next ``sample`` (the buffers are reused)."""

    __slots__ = ("s", "n", "k")

    def __init__(self, sampler: NativeSampler, n: int, k: int) -> None:
        self.s, self.n, self.k = sampler, n, k

    def __len__(self) -> int:
        return self.k

    def __iter__(self):
        return iter(self[0 : self.k])

    def __getitem__(self, i):
        if not isinstance(i, slice):
            j = i + self.k if i < 0 else i
            if not 0 <= j < self.k:
                raise IndexError(i)
            return self[j : j + 1][0]
        a, b, step = i.indices(self.k)
        if step != 1:
            return list(self)[i]
        s, n = self.s, self.n
        g = s.geom
        return list(
            zip(
                s.starts[a:b],
                s.ends[a:b],
                g[a:b],
                g[n + a : n + b],
                g[2 * n + a : 2 * n + b],
                g[3 * n + a : 3 * n + b],
                g[4 * n + a : 4 * n + b],
                g[5 * n + a : 5 * n + b],
                s.fonts[a:b],
                strict=True,
            )
        )


class NativeSampler:
    """Same interface and output as readers.pdf._FallbackSampler, one C call per page."""

    name = "native"

    def __init__(self, pdfium) -> None:
        self.lib = load()
        self.pdfium = pdfium
        ptrs = [ctypes.cast(getattr(pdfium.dll, f), c_void_p).value for f in FUNCTIONS]
        self.fn = (c_void_p * len(ptrs))(*ptrs)
        self._images = (c_int32 * 64)()
        self.cap = 0
        self._grow(4096)
        self.maxr = 4096
        self.rects = (c_double * (4 * self.maxr))()
        self.rect_link = (c_int32 * self.maxr)()
        self.urlcap = 1 << 20
        self.urls = ctypes.create_string_buffer(self.urlcap)
        self.url_off = (c_int32 * (self.maxr + 1))()
        self.nrects = c_int()
        try:
            sp = [ctypes.cast(getattr(pdfium.dll, f), c_void_p).value for f in STRUCT_FUNCTIONS]
            self.sfn = (c_void_p * len(sp))(*sp)
        except AttributeError:  # no structure-tree API: readers/tagged.py walks in Python
            self.sfn = None
        self.scap = 1 << 16
        self.sout = (c_int32 * self.scap)()
        self.mc_cap = 0
        self.mcids = None

    def struct_tags(self, tree, budget: int, max_depth: int, ids) -> list[tuple] | None:
        """The page structure tree read in C (pc_tags in pdfchars.c): (mcid, role, block,
        group, row, depth, article, aside, element key) per claimed marked-content id, in the
        order the Python walk of readers/tagged.py claims them; ``ids`` (a tagged.Ids)
        advances as that walk's would. None: walk it in Python (no API, or more than 2M
        records)."""
        if self.sfn is None:
            return None
        return self._tags(
            lambda nxt, slots: self.lib.pc_tags(
                self.sfn, tree, budget, max_depth, nxt, self.sout, self.scap, slots
            ),
            ids,
        )

    def _tags(self, call, ids) -> list[tuple] | None:
        nxt = c_int32(ids.n)
        slots = ctypes.c_int64(0)
        while True:
            m = call(byref(nxt), byref(slots))
            if m == -2:  # pd_tags: the page is outside its reader's subset
                return None
            ids.slots = slots.value
            if m >= 0:
                ids.n = nxt.value
                o = self.sout[: 10 * m]
                lo, hi = o[8::10], o[9::10]
                keys = [
                    (a & 0xFFFFFFFF) | ((b & 0xFFFFFFFF) << 32) for a, b in zip(lo, hi, strict=True)
                ]
                return list(zip(*(o[i::10] for i in range(8)), keys, strict=True))
            if self.scap >= 1 << 24:
                return None
            self.scap *= 4
            self.sout = (c_int32 * self.scap)()

    def word_mcids(self) -> dict[int, int]:
        """First character index -> marked-content id, for the words of the last ``sample``."""
        k = self.k
        if self.mc_cap < k:
            self.mc_cap = max(k, 2 * self.mc_cap)
            self.mcids = (c_int32 * self.mc_cap)()
        self.lib.pc_word_mcids(self.fn, self.tp, k, self.starts, self.mcids)
        return dict(zip(self.starts[:k], self.mcids[:k], strict=True))

    def _grow(self, n: int) -> None:
        if n <= self.cap:
            return
        cap = max(n, self.cap * 2)
        self.codes = (c_uint32 * cap)()
        self.starts = (c_int32 * cap)()
        self.ends = (c_int32 * cap)()
        self.breaks = (c_int32 * cap)()
        self.geom = (c_double * (6 * cap))()
        self.fonts = (c_uint64 * cap)()
        self.lfirst = (c_int32 * cap)()
        self.lcount = (c_int32 * cap)()
        self.lbox = (c_double * (4 * cap))()
        self.lflags = (c_int32 * cap)()
        self.lspan = (c_int32 * (2 * cap))()
        self.lfont = (c_uint64 * cap)()
        self.lsize = (c_double * cap)()
        self.cap = cap

    def sample(self, tp, n: int, left: float, ptop: float):
        self._grow(n)
        # geom is column-major with columns n apart (x0, top, x1, bottom, baseline, size).
        k = self.lib.pc_sample(
            self.fn,
            tp,
            n,
            left,
            ptop,
            self.codes,
            self.starts,
            self.ends,
            self.breaks,
            self.geom,
            self.fonts,
        )
        self.tp, self.n, self.k, self.left, self.ptop = tp, n, k, left, ptop
        text = ctypes.string_at(self.codes, 4 * n).decode(UTF32, "replace")
        nl = self.lib.pc_lines(
            n,
            k,
            self.codes,
            self.starts,
            self.ends,
            self.breaks,
            self.geom,
            self.fonts,
            self.lfirst,
            self.lcount,
            self.lbox,
            self.lflags,
            self.lspan,
            self.lfont,
            self.lsize,
        )
        b = self.lbox[: 4 * nl]
        sp = self.lspan[: 2 * nl]
        lines = list(
            zip(
                self.lfirst[:nl],
                self.lcount[:nl],
                zip(b[0::4], b[1::4], b[2::4], b[3::4], strict=True),
                self.lflags[:nl],
                sp[0::2],
                sp[1::2],
                self.lfont[:nl],
                self.lsize[:nl],
                strict=True,
            )
        )
        return text, WordView(self, n, k), lines

    def marks(self, words, rects) -> list[tuple[int, int, int, int]]:
        """Link marks over the words of the last ``sample``, its text page still open."""
        nr = len(rects)
        flat = (c_double * (4 * nr))(*[v for r, _ in rects for v in r])
        cap = 4 * len(words) + 64
        while True:
            out = (c_int32 * (4 * cap))()
            m = self.lib.pc_anchor(
                self.fn,
                self.tp,
                self.left,
                self.ptop,
                self.n,
                self.k,
                self.geom,
                self.starts,
                self.ends,
                self.breaks,
                nr,
                flat,
                out,
                cap,
            )
            if m >= 0:
                o = out[: 4 * m]
                return list(zip(o[0::4], o[1::4], o[2::4], o[3::4], strict=True))
            cap *= 4

    def links(self, doc, page, page_no: int, left: float, ptop: float, fn=None):
        """URI links of the page as [(LinkAnnot, rects)], or None when the page has more than
        the buffers hold (the reader then takes its Python path, which gives the same).
        ``fn``: another table of functions (native/docobjs.py: the document's own objects)."""
        nl = self.lib.pc_links(
            self.fn if fn is None else fn,
            doc,
            page,
            left,
            ptop,
            self.rects,
            self.rect_link,
            self.maxr,
            self.urls,
            self.urlcap,
            self.url_off,
            self.maxr,
            byref(self.nrects),
        )
        if nl < 0:  # more links than the buffers hold
            return None
        if nl == 0:
            return []
        nr = self.nrects.value
        raw = ctypes.string_at(self.urls, self.url_off[nl])  # not .raw: a 1 MiB copy a page
        off = self.url_off[: nl + 1]
        urls = [raw[off[j] : off[j + 1]] for j in range(nl)]
        r = self.rects[: 4 * nr]
        rects = [[] for _ in range(nl)]
        for i, j in enumerate(self.rect_link[:nr]):
            rects[j].append((r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]))
        return link_entries(urls, rects, page_no)

    def dropped(self, page, tp, n_objects: int, n_chars: int) -> tuple[int, int] | None:
        """(text objects, text objects owning no character whose font owns none either) among
        the first ``n_objects`` objects of ``page`` (readers/dropped.py, in one C call); None
        when the helper runs out of memory."""
        out = (c_int32 * 2)()
        if self.lib.pc_dropped(self.fn, page, tp or None, n_objects, n_chars, out) < 0:
            return None
        return out[0], out[1]

    def count_images(self, page) -> int:
        return self.lib.pc_count_images(self.fn, page)

    def image_objects(self, page) -> list[int]:
        """The page-object indices of the images directly on ``page``."""
        buf = self._images
        n = self.lib.pc_image_objects(self.fn, page, buf, len(buf))
        if n > len(buf):
            self._images = buf = (c_int32 * n)()
            n = self.lib.pc_image_objects(self.fn, page, buf, n)
        return buf[:n]


def link_entries(urls: list[bytes], rect_lists: list[list], page_no: int):
    """[(LinkAnnot, rects)] from the URL bytes and rectangles of a page's links, as both the
    C helper and the reader's Python path read them (empty URLs dropped)."""
    from reflow.model import LinkAnnot

    out = []
    for raw, rects in zip(urls, rect_lists, strict=True):
        url = raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
        if url:
            out.append((LinkAnnot(url=url, page=page_no, rects=rects), rects))
    return out
