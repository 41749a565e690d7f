"""Prints that are only the article: the development pages' own article, cut out of their
HTML and printed alone, the way a reader-mode page or a clean article looks when printed.

    python benchmarks/article_model/clean_prints.py     # ~/.cache/reflow/clean-prints/

For each aeb-dev page: the smallest element of its HTML that holds nearly all of the reference
body (with its figures, captions, tables, lists and whatever boxes the site put inside it),
without scripts, styles, forms, buttons, navigation and asides, under an ``<h1>`` of the page's
title, unstyled, printed by headless Chromium with its default header and footer
(``../shared/tools/print_pdf.sh``). Article mode must keep such a print whole: ``build.py``
labels every block of it as the article.
"""

from __future__ import annotations

import gzip
import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reflow.native import cache_dir  # noqa: E402
from reflow_eval.corpora import html_title, iter_corpus, shared_dir  # noqa: E402

VOID = set("area base br col embed hr img input link meta param source track wbr".split())
DROP = set(
    "script style noscript iframe svg form button nav aside input select textarea "
    "template object canvas video audio head header footer".split()
)
KEEP_ATTRS = {"href", "colspan", "rowspan"}
TOKEN = re.compile(r"\w+")


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def text_of(node, out=None) -> list[str]:
    out = [] if out is None else out
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif c.tag not in DROP:
            text_of(c, out)
    return out


def best_element(root: Node, body: str) -> Node | None:
    """The deepest element holding at least 90% of the reference's words."""
    want = TOKEN.findall(body.lower())
    need = set(want)
    if not need:
        return None
    best = None
    stack = [root]
    while stack:
        n = stack.pop()
        toks = set(TOKEN.findall(" ".join(text_of(n)).lower()))
        if len(need & toks) >= 0.9 * len(need):
            best = n  # deeper ones come later: keep the last that holds it
            stack.extend(c for c in n.children if isinstance(c, Node) and c.tag not in DROP)
    return best


def serialise(node: Node, out: list[str]) -> None:
    for c in node.children:
        if isinstance(c, str):
            out.append(html.escape(c, quote=False))
        elif c.tag in DROP or c.tag == "img":
            continue
        else:
            attrs = "".join(f' {k}="{html.escape(v or "")}"' for k, v in c.attrs if k in KEEP_ATTRS)
            out.append(f"<{c.tag}{attrs}>")
            if c.tag not in VOID:
                serialise(c, out)
                out.append(f"</{c.tag}>")


def clean_page(page: str, body: str) -> str | None:
    tree = Tree()
    try:
        tree.feed(page)
    except Exception:
        return None
    el = best_element(tree.root, body)
    if el is None or el is tree.root:
        return None
    titles, _ = html_title(page)
    title = titles[0] if titles else ""
    parts: list[str] = []
    serialise(el, parts)
    head = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><article>{head}{''.join(parts)}</article></body></html>"
    )


def folder() -> Path:
    return cache_dir() / "clean-prints"


def main() -> int:
    out = folder()
    out.mkdir(parents=True, exist_ok=True)
    tool = shared_dir() / "tools" / "print_pdf.sh"
    made = 0
    for item in iter_corpus("aeb-dev"):
        pdf = out / f"{item.doc_id}.pdf"
        if pdf.exists():
            made += 1
            continue
        src = shared_dir() / "corpora" / "aeb-dev" / "html" / f"{item.doc_id}.html.gz"
        with gzip.open(src, "rt", encoding="utf-8", errors="replace") as f:
            page = clean_page(f.read(), item.reference.body or "")
        if page is None:
            continue
        h = out / f"{item.doc_id}.html"
        h.write_text(page, encoding="utf-8")
        if subprocess.run(["bash", str(tool), str(h), str(pdf)]).returncode == 0:
            made += 1
    print(f"{out}: {made} clean prints")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
