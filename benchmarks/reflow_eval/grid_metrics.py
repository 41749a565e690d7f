"""Table and code-block metrics on Markdown: pure functions, reference first, output second.

A GFM table is read as its grid of cells (inline syntax stripped, whitespace collapsed, links
kept as their anchor text; a cell's link is scored by ``metrics.link_f1``); a fenced code block
as its lines (trailing whitespace dropped). Tables:

- ``exact``: reference tables an output table reproduces cell for cell (same rows, same columns;
  the header row once);
- ``rows``: F1 on the rows of all tables of a document as tuples of cells (multisets), so a
  table with one row wrong still scores most of its rows;
- ``false``: output tables none of whose cells is a reference table's cell (a table made of
  prose, the worst error).

Code: ``exact`` reference blocks an output block reproduces line for line (indentation kept),
``false`` output code blocks that share no line with a reference block.
"""

from __future__ import annotations

import re
from collections import Counter

from reflow_eval.metrics import _finish, _strip_inline, prf, split_front_matter

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_ESC = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'$&:;=?@^])")
_WS = re.compile(r"\s+")


def _split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if s[i] == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(s[i])
        i += 1
    cells.append("".join(cur))
    return [_cell(c) for c in cells]


def _cell(text: str) -> str:
    text = _strip_inline(text)
    text = _ESC.sub(r"\1", text)
    return _WS.sub(" ", _finish(text)).strip()


def _blocks(md: str):
    """(kind, lines) of the document's tables and code blocks, in order."""
    _, md = split_front_matter(md)
    lines = md.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            fence = m.group(1)
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence[:3]):
                j += 1
            yield "code", [ln.rstrip() for ln in lines[i + 1 : j]]
            i = j + 1
            continue
        if "|" in lines[i] and i + 1 < len(lines) and _SEP.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                j += 1
            yield "table", [lines[i]] + lines[i + 2 : j]
            i = j
            continue
        i += 1


def md_tables(md: str) -> list[list[list[str]]]:
    """The GFM tables of a Markdown text, each as rows of cell texts (the header row first)."""
    return [[_split_row(r) for r in rows] for kind, rows in _blocks(md) if kind == "table"]


def md_code(md: str) -> list[list[str]]:
    """The fenced code blocks of a Markdown text, each as its lines (trailing space dropped,
    blank lines at either end dropped)."""
    out = []
    for kind, lines in _blocks(md):
        if kind != "code":
            continue
        while lines and not lines[0].strip():
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        out.append(lines)
    return out


def _grid(t: list[list[str]]) -> tuple:
    width = max((len(r) for r in t), default=0)
    return tuple(tuple(r + [""] * (width - len(r))) for r in t)


def _shared(ref: list, out: list) -> int:
    """How many of ``ref`` the output reproduces, each output item matching one at most."""
    return sum((Counter(ref) & Counter(out)).values())


def table_scores(ref_md: str, out_md: str) -> dict:
    """``exact`` (tables reproduced), ``n_ref``, ``n_out``, ``false`` (output tables sharing no
    cell with any reference table) and ``rows`` (prf on rows as cell tuples)."""
    ref = [_grid(t) for t in md_tables(ref_md)]
    out = [_grid(t) for t in md_tables(out_md)]
    exact = _shared(ref, out)
    ref_rows = Counter(r for t in ref for r in t)
    out_rows = Counter(r for t in out for r in t)
    tp = sum((ref_rows & out_rows).values())
    ref_cells = {c for t in ref for r in t for c in r if c}
    false = sum(1 for t in out if not any(c in ref_cells for r in t for c in r if c))
    return {
        "exact": exact,
        "n_ref": len(ref),
        "n_out": len(out),
        "false": false,
        "rows": prf(tp, sum(ref_rows.values()), sum(out_rows.values())),
    }


def code_scores(ref_md: str, out_md: str) -> dict:
    """``exact`` (reference code blocks reproduced line for line), ``n_ref``, ``n_out``,
    ``false`` (output code blocks sharing no non-blank line with any reference block)."""
    ref = [tuple(c) for c in md_code(ref_md)]
    out = [tuple(c) for c in md_code(out_md)]
    exact = _shared(ref, out)
    ref_lines = {ln.strip() for c in ref for ln in c if ln.strip()}
    false = sum(1 for c in out if not any(ln.strip() in ref_lines for ln in c if ln.strip()))
    return {"exact": exact, "n_ref": len(ref), "n_out": len(out), "false": false}
