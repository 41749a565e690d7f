"""Markdown (CommonMark + GFM tables) from the block list."""

from __future__ import annotations

import re

from reflow.model import Block, Document, InlineLink
from reflow.render.escape import (
    escape_heading_end,
    escape_line_starts,
    escape_text,
    inline_markdown,
    link_url,
    note_label,
)


def escape_inline(text: str) -> str:
    """Escape what CommonMark would read as emphasis, links, code or HTML inside running text
    (``render/escape.py``: only where it would)."""
    return escape_text(text)


def inline(block: Block, emphasized: bool = False) -> str:
    """Block text with its inline links and footnote references, escaped."""
    return inline_markdown(block.text, block.links, emphasized, block.notes)


def _emph(text: str, mark: str) -> str:
    # Keep whitespace outside the markers, or CommonMark will not see them as emphasis.
    stripped = text.strip()
    if not stripped:
        return text
    return f"{mark}{stripped}{mark}"


def _cell(text: str, links: list | None = None) -> str:
    # A pipe ends a cell even inside code or a link; a cell is one line.
    if links:
        return inline_markdown(text, links).replace("\n", " ").replace("|", "\\|")
    return escape_text(" ".join(text.split())).replace("|", "\\|")


def _cell_links(block: Block, rows: list[list[str]]) -> list[list[list]]:
    """Each cell's links, from the block's links (offsets into its text, the cells joined by
    " | " and the rows by new lines, as ``layout/tables.table_text`` writes it)."""
    out: list[list[list]] = []
    pos = 0
    for r, row in enumerate(rows):
        cells = []
        for k, text in enumerate(row):
            pos += 1 if r and not k else 3 if k else 0
            cells.append(
                [
                    InlineLink(lk.start - pos, lk.end - pos, lk.url)
                    for lk in block.links
                    if lk.start >= pos and lk.end <= pos + len(text)
                ]
            )
            pos += len(text)
        out.append(cells)
    return out


def _table(block: Block) -> str:
    rows = block.rows or [[block.text]]
    links = _cell_links(block, rows) if block.links and block.rows else None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]

    def line(i: int) -> str:
        cells = [_cell(c, links[i][k] if links and k < len(links[i]) else None)
                 for k, c in enumerate(rows[i])]  # fmt: skip
        return "| " + " | ".join(cells) + " |"

    lines = [line(0), "|" + "|".join(["---"] * width) + "|"]
    lines += [line(i) for i in range(1, len(rows))]
    return "\n".join(lines)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run at a line start inside the code."""
    runs = [len(m.group()) for m in re.finditer(r"(?m)^[ \t]*(`{3,})", text)]
    return "`" * max([3, *(r + 1 for r in runs)])


def _figure(block: Block) -> str:
    """``![caption](path)`` when the image was written out (``--images``), else a placeholder
    comment; the caption follows in italics, as a caption block does."""
    if block.image:
        alt = escape_text(block.text).replace("\n", " ").replace("]", "\\]")
        head = f"![{alt}]({link_url(block.image)})"
    else:
        head = "<!-- figure -->"
    if block.text:
        return head + "\n\n" + _emph(inline(block, emphasized=True), "*")
    return head


def _after_mark(block: Block) -> str:
    """A footnote's text after its printed mark (``marker``), escaped, with its links."""
    text = block.text.lstrip()
    if not text.startswith(block.marker):
        return inline(block)
    cut = len(block.text) - len(text) + len(block.marker)
    while cut < len(block.text) and block.text[cut].isspace():
        cut += 1
    links = [
        InlineLink(lk.start - cut, lk.end - cut, lk.url) for lk in block.links if lk.start >= cut
    ]
    return inline_markdown(block.text[cut:], links)


def render_block(block: Block) -> str:
    t = block.type
    if t == "code":
        fence = _fence(block.text)
        return f"{fence}\n{block.text}\n{fence}"
    if t == "table":
        return _table(block)
    if t == "figure":
        return _figure(block)
    if t in ("dek", "disclaimer", "caption"):
        return _emph(inline(block, emphasized=True), "**" if t == "dek" else "*")
    body = inline(block)
    if t == "title":
        return "# " + escape_heading_end(body.replace("\n", " "))
    if t == "heading":
        level = min(6, max(2, block.level or 2))
        return "#" * level + " " + escape_heading_end(body.replace("\n", " "))
    if t == "callout":
        if block.label and block.text.startswith(block.label):
            rest = body[len(escape_text(block.label)) :]
            return f"**{escape_text(block.label, emphasized=True)}**{rest}"
        return escape_line_starts(body)
    if t == "list_item":
        indent = "   " * max(0, block.level - 1) if block.level > 1 else ""
        if block.ordered:
            num = re.match(r"\d+", block.marker or "")
            head = f"{indent}{num.group(0) if num else '1'}. "
        else:
            head = f"{indent}- "
        pad = "\n" + " " * len(head)
        return head + escape_line_starts(body).replace("\n", pad)
    if t == "quote":
        return "\n".join("> " + ln for ln in escape_line_starts(body).split("\n"))
    if t == "footnote" and block.marker:
        return f"[^{note_label(block.marker)}]: " + _after_mark(block).replace("\n", " ")
    return escape_line_starts(body)


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(doc: Document) -> str:
    m = doc.metadata
    lines = ["---"]
    if m.title:
        lines.append(f"title: {_yaml_str(m.title)}")
    if m.authors:
        lines.append("authors:")
        lines += [f"  - {_yaml_str(a)}" for a in m.authors]
    if m.date:
        lines.append(f"date: {_yaml_str(m.date)}")
    if m.url:
        lines.append(f"url: {_yaml_str(m.url)}")
    if m.source:
        lines.append(f"source: {_yaml_str(m.source)}")
    lines.append("---")
    return "\n".join(lines)


def render_markdown(doc: Document, front_matter: bool = False) -> str:
    return "".join(markdown_chunks(doc, front_matter))


def markdown_chunks(doc: Document, front_matter: bool = False):
    """The Markdown of ``doc`` piece by piece (joined, they are ``render_markdown``), so a long
    document can be written out without a second copy of its text in memory."""
    first = True
    for unit in _units(doc, front_matter):
        if not first:
            yield "\n\n"
        yield unit
        first = False
    yield "\n"


def _units(doc: Document, front_matter: bool):
    """Front matter, blocks (a run of list items is one tight list) and the unattached URLs."""
    if front_matter:
        yield globals()["front_matter"](doc)
    prev: Block | None = None
    pending: str | None = None
    for b in doc.blocks:
        s = render_block(b)
        if not s.strip():
            continue
        if pending is not None and prev is not None and prev.type == b.type == "list_item":
            pending += "\n" + s
        else:
            if pending is not None:
                yield pending
            pending = s
        prev = b
    if pending is not None:
        yield pending
    if doc.urls:
        yield "---"
        yield "Links found in the document but not attached to text:"
        yield "\n".join(f"- <{u}>" for u in doc.urls)
