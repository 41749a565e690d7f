"""Markdown (CommonMark + GFM tables) from the block list."""

from __future__ import annotations

import re

from reflow.model import Block, Document

# Characters that would start Markdown syntax at the beginning of a paragraph.
_LEADING = re.compile(r"^(#{1,6}\s|[-+*]\s|>|\d{1,9}[.)]\s|={3,}|-{3,}|```)")


_SPECIAL = re.compile(r"([*`\[\]<])")
_LONE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")


def escape_inline(text: str) -> str:
    """Escape what CommonMark would read as emphasis, links or HTML inside running text."""
    text = text.replace("\\", "\\\\")
    text = _SPECIAL.sub(r"\\\1", text)
    # An underscore inside a word (QIBM_DB_ZDA) is never emphasis in CommonMark.
    if "_" in text:
        text = _LONE_UNDERSCORE.sub(r"\\_", text)
    return text


def _escape_block_start(text: str) -> str:
    if _LEADING.match(text):
        m = re.match(r"^(\d{1,9})([.)])", text)
        if m:
            return m.group(1) + "\\" + text[len(m.group(1)) :]
        return "\\" + text
    return text


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inline(block: Block) -> str:
    """Block text with its inline links, escaped."""
    text = block.text
    if not block.links:
        return escape_inline(text)
    out, pos = [], 0
    for link in sorted(block.links, key=lambda lk: lk.start):
        if link.start < pos or link.end > len(text) or link.start >= link.end:
            continue
        out.append(escape_inline(text[pos : link.start]))
        anchor = escape_inline(text[link.start : link.end])
        out.append(f"[{anchor}]({_url(link.url)})")
        pos = link.end
    out.append(escape_inline(text[pos:]))
    return "".join(out)


def _emph(text: str, mark: str) -> str:
    # Keep whitespace outside the markers, or CommonMark will not see them as emphasis.
    stripped = text.strip()
    if not stripped:
        return text
    return f"{mark}{stripped}{mark}"


def _table(block: Block) -> str:
    rows = block.rows or [[block.text]]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]

    def cell(c: str) -> str:
        return escape_inline(c).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |"]
    lines.append("|" + "|".join(["---"] * width) + "|")
    for r in rows[1:]:
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(lines)


def render_block(block: Block) -> str:
    t = block.type
    body = inline(block)
    if t == "title":
        return "# " + body
    if t == "heading":
        return "#" * min(6, max(2, block.level or 2)) + " " + body
    if t == "dek":
        return _emph(body, "**")
    if t in ("disclaimer", "caption"):
        return _emph(body, "*")
    if t == "callout":
        if block.label and block.text.startswith(block.label):
            rest = inline(block)[len(escape_inline(block.label)) :]
            return f"**{escape_inline(block.label)}**{rest}"
        return body
    if t == "list_item":
        indent = "   " * max(0, block.level - 1) if block.level > 1 else ""
        if block.ordered:
            num = re.match(r"\d+", block.marker or "")
            return f"{indent}{num.group(0) if num else '1'}. {body}"
        return f"{indent}- {body}"
    if t == "quote":
        return "\n".join("> " + ln for ln in body.split("\n"))
    if t == "code":
        return "```\n" + block.text + "\n```"
    if t == "table":
        return _table(block)
    if t == "footnote":
        return _escape_block_start(body)
    return _escape_block_start(body)


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
