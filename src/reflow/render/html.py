"""One standalone HTML5 page: the article in semantic elements (``article``, ``header``, ``h1``-
``h6``, ``p``, ``ul``/``ol``, ``blockquote``, ``figure``-less captions, ``aside`` for callouts,
``table``, ``pre``), its links, and a small style that reads well on screen and prints cleanly."""

from __future__ import annotations

import re
from html import escape

from reflow.model import HEADER_TYPES, Block, Document

STYLE = """
:root { color-scheme: light; }
body { font: 1.05rem/1.55 Georgia, "DejaVu Serif", "Liberation Serif", serif; color: #1a1a1a;
  max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0; }
header p { margin: 0.3em 0; }
.dek { font-size: 1.2rem; color: #333; }
.byline, .date, time { color: #555; font-size: 0.95rem; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #bbb; color: #333; }
.caption, .disclaimer, .footnote { font-size: 0.9rem; color: #555; }
aside { margin: 1em 0; padding: 0.6em 0.9em; background: #f4f4f4; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.95rem; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.9rem; }
a { color: #0645ad; }
footer { margin-top: 2.5em; border-top: 1px solid #ccc; font-size: 0.9rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  a { color: inherit; }
  aside, pre { background: none; border: 1px solid #ccc; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  blockquote, table, aside, pre { break-inside: avoid; }
}
""".strip()


def inline_html(block: Block, text: str | None = None) -> str:
    """The block's text, escaped, with its links as ``<a href>``."""
    text = block.text if text is None else text
    links = sorted(block.links, key=lambda lk: lk.start) if text is block.text else []
    out, pos = [], 0
    for link in links:
        if link.start < pos or link.end > len(text) or link.start >= link.end:
            continue
        out.append(escape(text[pos : link.start]))
        href = escape(link.url, quote=True)
        out.append(f'<a href="{href}">{escape(text[link.start : link.end])}</a>')
        pos = link.end
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n", "<br>\n")


def _table(block: Block) -> str:
    rows = block.rows or [[block.text]]
    head, body = rows[0], rows[1:]
    cells = "".join(f"<th>{escape(c)}</th>" for c in head)
    parts = [f"<table>\n<thead><tr>{cells}</tr></thead>"]
    if body:
        parts.append("<tbody>")
        for r in body:
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>")
        parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def render_block(block: Block) -> str:
    t = block.type
    body = inline_html(block)
    if t == "title":
        return f"<h1>{body}</h1>"
    if t == "heading":
        n = min(6, max(2, block.level or 2))
        return f"<h{n}>{body}</h{n}>"
    if t == "dek":
        return f'<p class="dek">{body}</p>'
    if t == "byline":
        return f'<p class="byline">{body}</p>'
    if t == "date":
        return f'<p class="date">{body}</p>'
    if t == "quote":
        return f"<blockquote><p>{body}</p></blockquote>"
    if t == "figure":
        img = ""
        if block.image:
            src, alt = escape(block.image, quote=True), escape(block.text, quote=True)
            img = f'<img src="{src}" alt="{alt}">'
        else:
            img = "<!-- figure -->"
        cap = f"<figcaption>{body}</figcaption>" if block.text else ""
        return f"<figure>{img}{cap}</figure>"
    if t == "caption":
        return f'<p class="caption"><small>{body}</small></p>'
    if t == "disclaimer":
        return f'<p class="disclaimer"><small>{body}</small></p>'
    if t == "footnote":
        return f'<p class="footnote"><small>{body}</small></p>'
    if t == "furniture":  # kept in place (--keep-furniture, --all): a running header, a page number
        return f'<p class="furniture {escape(block.label, quote=True)}">{body}</p>'
    if t == "callout":
        if block.label and block.text.startswith(block.label):
            rest = inline_html(block)[len(escape(block.label)) :]
            return f"<aside><p><strong>{escape(block.label)}</strong>{rest}</p></aside>"
        return f"<aside><p>{body}</p></aside>"
    if t == "code":
        return f"<pre><code>{escape(block.text)}</code></pre>"
    if t == "table":
        return _table(block)
    return f"<p>{body}</p>"


def _list(items: list[Block]) -> str:
    """A run of list items as nested ``ul``/``ol`` by their level."""
    out: list[str] = []
    stack: list[str] = []  # open list tags
    for b in items:
        depth = max(1, b.level or 1)
        tag = "ol" if b.ordered else "ul"
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth and stack[-1] != tag:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth:
            out.append("</li>")
        while len(stack) < depth:
            start = ""
            num = re.match(r"\d+", b.marker or "")
            if tag == "ol" and num and num.group(0) != "1":
                start = f' start="{int(num.group(0))}"'
            out.append(f"<{tag}{start}>")
            stack.append(tag)
        out.append(f"<li>{inline_html(b)}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "\n".join(out)


def _head(doc: Document) -> str:
    m = doc.metadata
    title = m.title or (doc.blocks[0].text[:120] if doc.blocks else "") or (m.source or "reflow")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(m.language or "en", quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<meta name="generator" content="reflow">',
    ]
    for a in m.authors:
        parts.append(f'<meta name="author" content="{escape(a, quote=True)}">')
    if m.date:
        parts.append(f'<meta name="dcterms.date" content="{escape(m.date, quote=True)}">')
    if m.url:
        parts.append(f'<link rel="canonical" href="{escape(m.url, quote=True)}">')
    parts += [f"<style>\n{STYLE}\n</style>", "</head>", "<body>", "<article>"]
    return "\n".join(parts) + "\n"


def html_chunks(doc: Document):
    """The page piece by piece (joined: ``render_html``)."""
    yield _head(doc)
    blocks = doc.blocks
    i = 0
    # the title block (title, dek, byline, date at the top) in <header>
    header: list[str] = []
    while i < len(blocks) and blocks[i].type in HEADER_TYPES:
        b = blocks[i]
        if b.type == "date" and doc.metadata.date:
            header.append(
                f'<p class="date"><time datetime="{escape(doc.metadata.date, quote=True)}">'
                f"{inline_html(b)}</time></p>"
            )
        else:
            header.append(render_block(b))
        i += 1
    if header:
        yield "<header>\n" + "\n".join(header) + "\n</header>\n"
    while i < len(blocks):
        b = blocks[i]
        if b.type == "list_item":
            j = i
            while j < len(blocks) and blocks[j].type == "list_item":
                j += 1
            yield _list(blocks[i:j]) + "\n"
            i = j
            continue
        if b.text or b.rows:
            yield render_block(b) + "\n"
        i += 1
    yield "</article>\n"
    if doc.urls:
        items = "\n".join(
            f'<li><a href="{escape(u, quote=True)}">{escape(u)}</a></li>' for u in doc.urls
        )
        yield (
            "<footer>\n<p>Links found in the document but not attached to text:</p>\n"
            f"<ul>\n{items}\n</ul>\n</footer>\n"
        )
    yield "</body>\n</html>\n"


def render_html(doc: Document) -> str:
    return "".join(html_chunks(doc))
