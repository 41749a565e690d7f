"""Structure-tree hints for tagged PDFs.

Chromium's Print to PDF writes a tagged PDF: every paragraph, heading, list item, table cell and
block quote of the page is a structure element whose marked-content ids point at the page's text
objects. reflow reads it as a hint: lines get a ``Tag`` (role and element id) that the layout and
role stages prefer over geometry where present. Most PDFs in the wild carry no tree; then every
line keeps ``tag=None`` and geometry decides alone.

Cost: PDFium builds each page's tree from the document's (it visits every child of the page's
ancestors: ~0.3 ms a page on a news print, ~24 ms on a 1,000-page print whose document element
has 27,600 children, hence ``MAX_TREE_SLOTS``); the native sampler walks it in one C call
(pc_tags), the fallback in Python, with two PDFium calls per line. Where the document's tree is
read once (native/docobjs.py) a page's tree costs its walk alone, and no page is cut.
"""

from __future__ import annotations

import ctypes
from ctypes import c_int, c_ulong, c_void_p
from functools import cache

from reflow.model import Tag
from reflow.native import TAG_ROLES
from reflow.readers.prototypes import Api

_PROTOS = {
    "FPDF_StructTree_GetForPage": (c_void_p, [c_void_p]),
    "FPDF_StructTree_Close": (None, [c_void_p]),
    "FPDF_StructTree_CountChildren": (c_int, [c_void_p]),
    "FPDF_StructTree_GetChildAtIndex": (c_void_p, [c_void_p, c_int]),
    "FPDF_StructElement_GetType": (c_ulong, [c_void_p, c_void_p, c_ulong]),
    "FPDF_StructElement_CountChildren": (c_int, [c_void_p]),
    "FPDF_StructElement_GetChildAtIndex": (c_void_p, [c_void_p, c_int]),
    "FPDF_StructElement_GetMarkedContentIdCount": (c_int, [c_void_p]),
    "FPDF_StructElement_GetMarkedContentIdAtIndex": (c_int, [c_void_p, c_int]),
    "FPDFPageObj_GetMarkedContentID": (c_int, [c_void_p]),
    "FPDFText_GetTextObject": (c_void_p, [c_void_p, c_int]),
    "FPDFCatalog_IsTagged": (c_int, [c_void_p]),
}

HEADINGS = {"H1": "h1", "H2": "h2", "H3": "h3", "H4": "h4", "H5": "h5", "H6": "h6", "Title": "h1"}
# Elements that make one block of text. LI wins over the P inside it, so an item is one block.
BLOCKS = {"P", "H", "LI", "TD", "TH", "Caption", "Code", "Note", "Lbl"} | set(HEADINGS)
MAX_ELEMENTS = 20000  # per page: a hostile tree cannot make the walk unbounded
MAX_DEPTH = 64
# PDFium builds each page's tree by loading every child slot of the page's ancestors: under one
# element with 27,000 children (a 1,000-page print), ~24 ms a page, more than the page itself
# and growing with the document. Past this many slots on a page, the rest is read by geometry.
MAX_TREE_SLOTS = 10_000


@cache
def api(dll) -> Api:
    return Api(dll, _PROTOS)


def is_tagged(dll, doc_h) -> bool:
    try:
        return bool(api(dll).FPDFCatalog_IsTagged(doc_h))
    except AttributeError:  # an older libpdfium without the structure-tree API
        return False


_TYPES: dict[bytes, str] = {}  # UTF-16 type name -> str (a few dozen names in all)


def _type(a: Api, el, buf) -> str:
    n = a.FPDF_StructElement_GetType(el, buf, len(buf))
    if n <= 2:
        return ""
    raw = buf[: n - 2]
    return _TYPES.get(raw) or _decode(raw)


def _decode(raw: bytes) -> str:
    t = raw.decode("utf-16-le", "replace")
    if len(_TYPES) < 4096:
        _TYPES[raw] = t
    return t


# Element types that add to the context their children inherit (see walk()).
_CTX_TYPES = frozenset({"L", "Table", "TR", "BlockQuote", "Figure", "Art", "Aside"})


def element_key(path: int, i: int) -> int:
    """The key of child ``i`` of the element keyed ``path`` (0: the tree's root): the path of
    child indices from the root, hashed as pdfchars.c's t_key does. PDFium builds one tree per
    page but keeps every child slot (empty where a child has nothing on the page), so an element
    has the same key on every page its content is on."""
    return (path * 1000003 + i + 1) & 0xFFFFFFFFFFFFFFFF


def _enter(t: str, ctx: dict, ids: Ids, path: int = 0) -> dict:
    """The context an element of type ``t`` gives its children (and its own marked content)."""
    if t in _CTX_TYPES or t in BLOCKS:  # the others share their parent's (unchanged) ctx
        ctx = dict(ctx)
    if t == "L":
        ctx["list"] = next(ids)
        ctx["depth"] = ctx.get("depth", 0) + 1
    elif t == "Table":
        ctx["table"] = next(ids)
    elif t == "TR":
        ctx["row"] = next(ids)
    elif t == "BlockQuote":
        ctx["quote"] = next(ids)
    elif t == "Figure":
        ctx["figure"] = next(ids)
    elif t == "Art":
        ctx["art"] = True
    elif t == "Aside":
        ctx["aside"] = True
    # The innermost block element wins (a P inside a layout table's cell is a paragraph),
    # except inside a list item, which stays one block.
    if t in BLOCKS and not (t in ("Lbl", "P") and "li" in ctx):
        block = next(ids)
        ctx["block"] = block
        ctx["key"] = path
        if t == "LI":
            ctx["li"] = block
        ctx["kind"] = t
    return ctx


class Ids:
    """The document's counter of element ids (shared by the Python walk and pc_tags), and
    what the last page's walk saw: ``slots``, the child slots of its elements."""

    __slots__ = ("n", "slots", "doc_tree", "from_doc")

    def __init__(self, start: int = 1) -> None:
        self.n = start
        self.slots = 0
        self.doc_tree = None  # the document's objects read once (native/docobjs.py), if read
        self.from_doc = False  # the last page's tree was the document reader's (no slot limit)

    def __iter__(self):
        return self

    def __next__(self) -> int:
        self.n += 1
        return self.n - 1


def _from_records(recs: list[tuple], out: dict[int, Tag]) -> None:
    """Tags from pc_tags records; one Tag object per distinct tag on the page."""
    made: dict[tuple, Tag] = {}
    for rec in recs:
        mc = rec[0]
        if mc in out:
            continue
        key = rec[1:]
        tag = made.get(key)
        if tag is None:
            role, block, group, row, depth, art, aside, element = key
            tag = made[key] = Tag(
                TAG_ROLES[role], block, group, row, depth, bool(art), bool(aside), element
            )
        out[mc] = tag


def mcid_tags(dll, page_h, ids: Ids, native=None, page_index=None) -> dict[int, Tag]:
    """Marked-content id -> Tag for one page (empty if the page has no tree). ``native``: the
    native sampler, whose ``struct_tags`` gives the same in one C call (instead of ~5 PDFium
    calls and a dict per element), and ``doc_tags`` the same from the document's tree read
    once (page ``page_index``), where that reader reads the page as PDFium would."""
    ids.from_doc = False
    if native is not None and ids.doc_tree is not None and page_index is not None:
        recs = ids.doc_tree.tags(page_index, MAX_ELEMENTS, MAX_DEPTH, ids)
        if recs is not None:
            ids.from_doc = True
            out: dict[int, Tag] = {}
            _from_records(recs, out)
            return out
    a = api(dll)
    tree = a.FPDF_StructTree_GetForPage(page_h)
    if not tree:
        return {}
    out: dict[int, Tag] = {}
    if native is not None:
        try:
            recs = native.struct_tags(tree, MAX_ELEMENTS, MAX_DEPTH, ids)
        except BaseException:
            a.FPDF_StructTree_Close(tree)
            raise
        if recs is not None:
            a.FPDF_StructTree_Close(tree)
            _from_records(recs, out)
            return out
    buf = (ctypes.c_char * 64)()
    budget = [MAX_ELEMENTS]
    slots = [0]
    count_children = a.FPDF_StructElement_CountChildren
    child_at = a.FPDF_StructElement_GetChildAtIndex
    count_ids = a.FPDF_StructElement_GetMarkedContentIdCount
    id_at = a.FPDF_StructElement_GetMarkedContentIdAtIndex

    def walk(el, ctx: dict, depth: int, path: int) -> None:
        if budget[0] <= 0 or depth > MAX_DEPTH:
            return
        budget[0] -= 1
        ctx = _enter(_type(a, el, buf), ctx, ids, path)
        n = count_children(el)
        slots[0] += max(n, 0)
        for i in range(n):
            child = child_at(el, i)
            if child:
                walk(child, ctx, depth + 1, element_key(path, i))
        # After the children: the innermost element that claims a marked-content id wins.
        n = count_ids(el)
        if n > 0:
            tag = _tag(ctx)
            for i in range(min(n, 10000)):
                mc = id_at(el, i)
                if mc >= 0:
                    out.setdefault(mc, tag)

    try:
        n = a.FPDF_StructTree_CountChildren(tree)
        slots[0] = max(n, 0)
        for i in range(n):
            el = a.FPDF_StructTree_GetChildAtIndex(tree, i)
            if el:
                walk(el, {}, 0, element_key(0, i))
    finally:
        a.FPDF_StructTree_Close(tree)
        ids.slots = slots[0]
    return out


def _tag(ctx: dict) -> Tag:
    tag = _role_tag(ctx)
    tag.article = "art" in ctx
    tag.aside = "aside" in ctx
    tag.element = ctx.get("key", 0)
    return tag


def _role_tag(ctx: dict) -> Tag:
    if "block" not in ctx:  # text outside any paragraph-like element (site chrome, often)
        return Tag("other", 0)
    kind = ctx["kind"]
    if kind in ("TD", "TH"):
        return Tag("cell", ctx["block"], ctx.get("table", 0), ctx.get("row", 0))
    if kind == "LI":
        return Tag("li", ctx["block"], ctx.get("list", 0), depth=ctx.get("depth", 1))
    if kind in HEADINGS:
        role = HEADINGS[kind]
    elif kind == "Caption" or ("figure" in ctx and kind == "P"):
        role = "caption"
    elif "quote" in ctx:
        return Tag("quote", ctx["block"], ctx["quote"])
    elif kind == "Code":
        role = "code"
    elif kind in ("P", "Note", "H", "Lbl"):
        role = "p"
    else:
        role = "other"
    return Tag(role, ctx["block"])


def line_tag(dll, tp, char_index: int, tags: dict[int, Tag], mcids=None) -> Tag | None:
    """The tag of the text object of character ``char_index``; ``mcids``: first character
    index -> marked-content id of the page's words (the native sampler's), when known."""
    if mcids is not None:
        mc = mcids.get(char_index, -1)
        return tags.get(mc) if mc >= 0 else None
    a = api(dll)
    obj = a.FPDFText_GetTextObject(tp, char_index)
    if not obj:
        return None
    mc = a.FPDFPageObj_GetMarkedContentID(obj)
    return tags.get(mc) if mc >= 0 else None


def tag_page_lines(
    dll,
    page_h,
    tp,
    ids: Ids,
    lines: list,
    firsts: list,
    line_words,
    make_line,
    native=None,
    page_index=None,
) -> list:
    """Tag each line from the marked content of its first character (``firsts[i]``: line i's
    first character index, None for a line without words). ``line_words(i)`` gives line i's
    words (tuples starting with their first character index), made only for a table cell's
    line; ``make_line(words)`` builds a Line. Cells set close together read as one line: such
    a line is split where the tree says the next cell begins (when it carries no links)."""
    tags = mcid_tags(dll, page_h, ids, native, page_index)
    if not tags or (ids.slots > MAX_TREE_SLOTS and not ids.from_doc):  # the caller stops then
        return lines
    mcids = native.word_mcids() if native is not None else None
    out = []
    for i, line in enumerate(lines):
        if firsts[i] is None:
            out.append(line)
            continue
        line.tag = line_tag(dll, tp, firsts[i], tags, mcids)
        ws = line_words(i) if line.tag is not None and line.tag.role == "cell" else ()
        if len(ws) > 1 and not line.links:
            parts: list[list] = []
            last = None
            for w in ws:
                t = line_tag(dll, tp, w[0], tags, mcids)
                key = t.block if t is not None else last
                if parts and key == last:
                    parts[-1].append(w)
                else:
                    parts.append([w])
                last = key
            if len(parts) > 1:
                for part in parts:
                    piece = make_line(part)
                    piece.index = line.index
                    piece.tag = line_tag(dll, tp, part[0][0], tags, mcids)
                    out.append(piece)
                continue
        out.append(line)
    return out
