#!/usr/bin/env python3
"""Generate reflow's producer suite: documents typeset by pdfTeX and LibreOffice Writer, each with
the exact Markdown an ideal converter gives.

Each document starts as ONE source structure (title block, blocks of real prose, lists, quotes,
tables, footnotes, ...) built deterministically from a seed. The structure is rendered two ways:
(a) a pandoc document (JSON AST) that pandoc turns into LaTeX (for pdflatex, one or two columns)
or into .docx/.odt (printed to PDF by headless LibreOffice), and (b) the reference Markdown.
Nothing is read back from the PDF to make the reference; what only typesetting can tell (the
page count, the page labels and running-header marks TeX shipped out, where a spanning float
landed) comes from TeX's own log and aux files, or from LibreOffice's page count, and is recorded
in the ``.meta.json`` so the structure -> Markdown step replays without TeX (``--markdown-only``).

    python benchmarks/producer_suite/generate.py                    # everything -> corpora/producers/
    python benchmarks/producer_suite/generate.py --producer libreoffice --only memo-03
    python benchmarks/producer_suite/generate.py --markdown-only    # references only, no TeX/LO
    python benchmarks/producer_suite/generate.py --list             # the plan, nothing built

Needs pandoc, pdflatex (texlive-latex-recommended, -latex-extra, -fonts-recommended), soffice
(libreoffice-writer-nogui) and pypdfium2 (for the sanity check only). See README.md beside this file.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = Path(os.environ.get("REFLOW_SHARED", REPO.parent / "shared"))
GROUND_TRUTH = SHARED / "corpora" / "aeb-dev" / "ground-truth.json"
OUT = REPO / "corpora" / "producers"
SEED = 20240612
PRODUCERS = ("pdftex-onecol", "pdftex-twocol", "libreoffice")

# ---------------------------------------------------------------------------------------------
# Prose: paragraphs of the aeb-dev reference bodies that every producer typesets as written
# ---------------------------------------------------------------------------------------------
STOPWORDS = {"the", "and", "of", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with"}
# Characters every font of the suite has and every producer prints as themselves (no Markdown,
# LaTeX or pandoc syntax: no * _ [ ] # | < > \ ` ~ ^ { } $ @ + =).
SAFE = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-/%&’‘“”–—"
    "éèêëáàâäíîïóôöúûüçñÉÈÁÓÚÇ"
)


def is_english(body: str) -> bool:
    words = re.findall(r"\w+", body.lower())
    if not words or sum(c.isascii() for c in body) < 0.97 * len(body):
        return False
    return sum(w in STOPWORDS for w in words) >= 0.12 * len(words)


def typographic(p: str) -> str:
    """Straight quotes as the curly ones TeX would print anyway (TeX sets ' as ’), so that the
    source, every producer's page and the reference hold the same characters."""
    p = p.replace("…", "...")
    p = re.sub(r'(^|[\s(—–/-])"', r"\1“", p).replace('"', "”")
    p = re.sub(r"(^|[\s(—–/-])'(?=\w)", r"\1‘", p).replace("'", "’")
    return p


@functools.cache
def clean_paragraphs(body: str) -> tuple[str, ...]:
    """Paragraphs fit to reuse: English prose sentences of safe characters."""
    if not is_english(body):
        return ()
    out = []
    for p in body.split("\n\n"):
        p = " ".join(p.split())
        if not 160 <= len(p) <= 800 or "http" in p or "www." in p:
            continue
        if re.match(r"^(\d+[.)]|[-+>:]|[A-Z][.)]) ", p) or p[-1] not in '.!?"”’)':
            continue
        p = typographic(p)
        if not set(p) <= SAFE or "--" in p or "..." in p:
            continue
        out.append(p)
    return tuple(out)


def sentences(p: str) -> list[str]:
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][”’]))\s+(?=[A-Z“‘])", p)
    return [s for s in parts if s]


def slug_words(url: str) -> list[str]:
    path = url.split("?")[0].rstrip("/").split("/")
    best: list[str] = []
    for part in path[3:]:
        part = re.sub(r"\.(html?|php|aspx?)$", "", part)
        words = [w for w in re.split(r"[-_]+", part) if w and not re.search(r"\d{3,}", w)]
        words = [w for w in words if w.isalpha() or re.fullmatch(r"\d{1,2}", w)]
        if len(words) > len(best):
            best = words
    return best[:10]


SMALL = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with", "by"}


def title_from(url: str, paras: list[str]) -> str:
    words = slug_words(url)
    if len(words) >= 4:
        return " ".join(
            w if (i and w.lower() in SMALL) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    first = sentences(paras[0])[0].rstrip(".!?”’")
    return " ".join(first.split()[:9]).rstrip(",;:")


def load_ground_truth() -> dict:
    return json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))


@functools.cache
def prose_keys() -> tuple[str, ...]:
    gt = load_ground_truth()
    keys = sorted(k for k, v in gt.items() if len(clean_paragraphs(v["articleBody"])) >= 3)
    random.Random(SEED).shuffle(keys)
    return tuple(keys)


class Prose:
    """Paragraphs for one document: source articles in a seeded order, used up one by one."""

    def __init__(self, rng: random.Random, offset: int):
        self.gt = load_ground_truth()
        keys = list(prose_keys())
        self.keys = keys[offset % len(keys) :] + keys[: offset % len(keys)]
        self.rng = rng
        self.used: list[str] = []
        self.buf: list[str] = []

    def _fill(self) -> None:
        while not self.buf:
            k = self.keys[len(self.used) % len(self.keys)]
            self.used.append(k)
            self.buf = list(clean_paragraphs(self.gt[k]["articleBody"]))

    def para(self, max_len: int = 800) -> str:
        for _ in range(200):
            self._fill()
            p = self.buf.pop(0)
            if len(p) <= max_len:
                return p
        raise RuntimeError("no paragraph short enough")

    def title(self) -> str:
        """A title from the slug of a source article's URL (one of the next with 4+ words)."""
        for j in range(len(self.keys)):
            k = self.keys[(len(self.used) + j) % len(self.keys)]
            if len(slug_words(self.gt[k]["url"])) >= 4:
                return title_from(self.gt[k]["url"], [])
        raise RuntimeError("no title")

    def sentence(self, lo: int = 30, hi: int = 220) -> str:
        for _ in range(200):
            cands = [s for s in sentences(self.para()) if lo <= len(s) <= hi]
            if cands:
                return self.rng.choice(cands)
        raise RuntimeError("no sentence")

    def items(self, n: int, hi: int = 200) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            out += [s for s in sentences(self.para()) if 25 <= len(s) <= hi]
        return out[:n]


# ---------------------------------------------------------------------------------------------
# Invented names, places and furniture (the prose is real, these are not)
# ---------------------------------------------------------------------------------------------
AUTHORS = [
    "Maria Kovalenko", "James O’Neill", "Priya Raman", "Tomasz Nowak", "Elena Duarte",
    "Samuel Whitaker", "Aiko Tanaka", "Daniel Brennan", "Fatima Haddad", "Lucas Moreau",
    "Grace Achterberg", "Oliver Stanton", "Ingrid Solberg", "Kwame Mensah", "Sofia Lindqvist",
    "Rafael Ortega", "Hannah Whitfield", "Mei Lin Chen", "Arjun Mehta", "Claire Dubois",
    "Niamh Gallagher", "Pieter de Vries", "Amara Okafor", "Jonas Keller",
]  # fmt: skip
AFFILIATIONS = [
    ["Department of Civic Studies", "Northfield University"],
    ["Institute for Applied Policy", "Harbor City"],
    ["School of Media and Communication", "University of Lakeside"],
    ["Centre for Transport Research", "Riverbend Polytechnic"],
    ["Faculty of Economics", "Summit College"],
    ["Data Science Group", "Valley Institute of Technology"],
    ["Department of History", "Eastmoor University"],
    ["Laboratory for Energy Systems", "Westbrook University"],
]
ORGS = [
    "Northfield Transit Authority", "Harbor City Council", "Lakeside Water Board",
    "Riverbend Housing Trust", "Summit Regional Library", "Valley Health Partnership",
    "Eastmoor Arts Foundation", "Westbrook Energy Cooperative",
]  # fmt: skip
JOURNALS = [
    "Journal of Civic Data Studies", "Review of Applied Media Research",
    "Transactions on Regional Planning", "Quarterly Notes in Policy Analysis",
    "Proceedings of the Workshop on Public Information",
]  # fmt: skip
STREETS = ["14 Elm Row", "221 Harbour Street", "7 Mill Lane", "58 Station Road", "3 Quay Side"]
TOWNS = ["Northfield NF2 4QP", "Harbor City HC1 9AA", "Lakeside LK7 2DE", "Riverbend RB3 8XT"]
ROLES = ["Director of Operations", "Head of Research", "Programme Manager", "Chief Executive"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip

HEADINGS = {
    "essay": ["The question", "An old argument", "What changed", "The other view", "Coda",
              "Counting the cost", "A different reading", "What remains"],
    "article": ["What happened", "The background", "Why it matters", "What comes next",
                "The numbers", "A closer look", "Reaction", "Looking ahead"],
    "report": ["Executive summary", "Background", "Scope of the review", "Method", "Findings",
               "Costs and funding", "Risks", "Recommendations", "Next steps"],
    "paper": ["Introduction", "Related work", "Data", "Method", "Results", "Discussion",
              "Limitations", "Conclusion"],
    "guide": ["Before you start", "Step by step", "Common problems", "Tips", "Further help"],
    "memo": ["Purpose", "Current situation", "Proposal", "Timeline", "Action required"],
}  # fmt: skip
SUBHEADINGS = [
    "Sources", "Sampling", "Measures", "Main effects", "Robustness", "Regional differences",
    "Staffing", "Equipment", "Training", "Survey design", "Coding", "Caveats",
]  # fmt: skip
REF_TITLES = [
    "Measuring public trust in local institutions", "A survey of regional transport use",
    "Reading habits and the printed page", "Open data portals in practice",
    "The economics of community broadband", "Newsroom practices after the digital shift",
    "Small grants and civic participation", "Flood risk and municipal planning",
    "Energy cooperatives in rural districts", "Archives, memory and the local press",
]  # fmt: skip
VENUES = [
    "Journal of Civic Data Studies", "Urban Affairs Review", "Media and Society",
    "Proceedings of the Annual Conference on Public Information", "Energy Policy Letters",
]  # fmt: skip

CODE_SNIPPETS = [
    "def weighted_mean(values, weights):\n    total = sum(weights)\n"
    '    if total == 0:\n        raise ValueError("weights sum to zero")\n'
    "    return sum(v * w for v, w in zip(values, weights)) / total",
    "for region in regions:\n    rows = load(region, year=2023)\n"
    "    clean = [r for r in rows if r.valid]\n    save(region, summarise(clean))",
    "$ git clone https://example.org/survey-tools.git\n$ cd survey-tools\n"
    "$ python -m venv .venv && .venv/bin/pip install -e .\n$ survey-tools check data/2023.csv",
    "SELECT district, COUNT(*) AS visits\nFROM library_visits\nWHERE year = 2023\n"
    "GROUP BY district\nORDER BY visits DESC;",
    '[survey]\nname = "household-2023"\nwaves = 3\nweights = "post-stratified"\n\n'
    '[output]\nformat = "csv"\ndirectory = "results/"',
]


def date_parts(rng: random.Random) -> tuple[int, int, int]:
    return 2023 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28)


def date_text(y: int, m: int, d: int, style: str) -> str:
    if style == "us":
        return f"{MONTHS[m - 1]} {d}, {y}"
    if style == "uk":
        return f"{d} {MONTHS[m - 1]} {y}"
    return f"{y}-{m:02d}-{d:02d}"


# ---------------------------------------------------------------------------------------------
# The plan: ~28 documents per producer, parameters drawn from cycles (so every value occurs) and
# from a seeded generator. A document is dev or test by a seeded shuffle within each
# (producer, kind), so both halves hold every kind.
# ---------------------------------------------------------------------------------------------
LATEX_FONTS = {
    # key: (preamble, small caps keep lower case in the text layer)
    # no font package: Computer Modern in OT1, LaTeX's default (accents are composed); the
    # bullet as older LaTeX set it (\textbullet comes from TS1, a bitmap font here)
    "cm": (r"\renewcommand{\labelitemi}{$\bullet$}", True),
    "lmodern": (r"\usepackage{lmodern}", True),
    # (a typewriter and a sans face are set too: without them LaTeX falls back to bitmap EC fonts)
    "times": (r"\usepackage{mathptmx}\usepackage{courier}\renewcommand{\sfdefault}{phv}", False),
    "palatino": (
        r"\usepackage{mathpazo}\renewcommand{\ttdefault}{lmtt}\renewcommand{\sfdefault}{phv}",
        False,
    ),
    "tgtermes": (
        r"\usepackage{tgtermes}\renewcommand{\ttdefault}{lmtt}\renewcommand{\sfdefault}{qhv}",
        True,
    ),
    "charter": (
        r"\usepackage{charter}\renewcommand{\ttdefault}{lmtt}\renewcommand{\sfdefault}{phv}",
        False,
    ),
    "tgpagella": (
        r"\usepackage{tgpagella}\renewcommand{\ttdefault}{lmtt}\renewcommand{\sfdefault}{qhv}",
        True,
    ),
    "helvet": (
        r"\usepackage[scaled=0.92]{helvet}\renewcommand{\familydefault}{\sfdefault}"
        r"\usepackage{courier}",
        False,
    ),
}
LO_FONTS = ["Liberation Serif", "Liberation Sans", "DejaVu Serif", "Lato", "P052", "DejaVu Sans",
            "TeX Gyre Termes", "C059"]  # fmt: skip

ONECOL_KINDS = ["paper", "report", "essay", "article", "memo", "report", "paper", "guide",
                "essay", "letter", "article", "report", "paper", "essay"]  # fmt: skip
TWOCOL_KINDS = ["paper", "paper", "article", "paper", "report", "paper", "essay"]
LO_KINDS = ["report", "memo", "essay", "article", "letter", "paper", "guide"]
PER_PRODUCER = 28


def plan() -> list[dict]:
    specs: list[dict] = []
    for producer in PRODUCERS:
        rng = random.Random(f"{SEED}:plan:{producer}")
        kinds = {"pdftex-onecol": ONECOL_KINDS, "pdftex-twocol": TWOCOL_KINDS}.get(
            producer, LO_KINDS
        )
        for i in range(PER_PRODUCER):
            kind = kinds[i % len(kinds)]
            if producer == "pdftex-onecol":
                p = onecol_params(i, kind, rng)
            elif producer == "pdftex-twocol":
                p = twocol_params(i, kind, rng)
            else:
                p = lo_params(i, kind, rng)
            tags = [kind, f"{i + 1:02d}"] + p.pop("tags")
            specs.append({"name": "-".join(tags), "producer": producer, "kind": kind, **p})
    assign_splits(specs)
    return specs


def assign_splits(specs: list[dict]) -> None:
    groups: dict[tuple, list[dict]] = {}
    for s in specs:
        groups.setdefault((s["producer"], s["kind"]), []).append(s)
    for (producer, kind), group in sorted(groups.items()):
        order = sorted(group, key=lambda s: s["name"])
        random.Random(f"{SEED}:split:{producer}:{kind}").shuffle(order)
        start = random.Random(f"{SEED}:split-start:{producer}:{kind}").randrange(2)
        for j, s in enumerate(order):
            s["split"] = ("dev", "test")[(j + start) % 2]


ONE_PAGE_STYLES = ["pageof", "runningtitle", "draft", "plain", "dash", "journal"]


def onecol_params(i: int, kind: str, rng: random.Random) -> dict:
    one_page = kind in ("memo", "letter") or i % 7 == 3
    pages = 1 if one_page else rng.choice([2, 2, 3, 3, 4, 5, 6])
    if kind == "letter":
        pages = 1 if i % 2 else 2
    fonts = list(LATEX_FONTS)
    font = fonts[i % len(fonts)]
    if kind == "report" and i % 2 == 1:
        pages = max(pages, 4)
    cls = "report" if kind == "report" and i % 2 == 1 else "article"
    parstyle = "parskip" if i % 3 == 1 or kind in ("memo", "letter") and i % 2 else "indent"
    styles = ["plain", "runningtitle", "section", "pageof", "draft", "journal", "twoside", "dash"]
    style = ONE_PAGE_STYLES[i % len(ONE_PAGE_STYLES)] if one_page else styles[i % len(styles)]
    if style == "section" and kind in ("letter", "memo"):
        style = "pageof"
    first = "same" if one_page else ["plain", "same", "empty", "plain", "same"][i % 5]
    if cls == "report":
        first = "empty"  # report's title page
    numbered = kind in ("paper", "report") or (kind == "guide" and i % 2 == 0)
    smallcaps_ok = LATEX_FONTS[font][1]
    heads = "default"
    if kind == "paper" and smallcaps_ok:
        heads = "smallcaps"
    elif i % 5 == 2:
        heads = "sans"
    p = {
        "pages": pages,
        "cls": cls,
        "size": [10, 11, 12][i % 3],
        "paper": "a4paper" if i % 2 else "letterpaper",
        "font": font,
        "parstyle": parstyle,
        "pagestyle": style,
        "first": first,
        "numbered": numbered,
        "heads": heads,
        "columns": 1,
        "geometry": rng.choice([None, "margin=1in", "margin=2.5cm", "hmargin=1.1in,vmargin=1in"]),
        "microtype": rng.random() < 0.5,
        "links": rng.choice(["hidelinks", "colorlinks"]),
        "pdfinfo": rng.random() < 0.6,
        "arxiv": kind == "paper" and i % 2 == 0,
        "code_numbers": kind == "paper" and i % 3 == 0,
        "raggedright": kind == "essay" and i % 4 == 2,
        "long_table": kind == "report" and pages >= 3,
        "date_style": ["us", "uk", "iso", "us"][i % 4],
    }
    p["tags"] = [font, parstyle, style] + ([cls] if cls == "report" else [])
    return p


def twocol_params(i: int, kind: str, rng: random.Random) -> dict:
    mode = "multicol" if i % 3 == 2 else "twocolumn"
    pages = 1 if i % 9 == 4 else rng.choice([2, 2, 3, 3, 4, 5])
    fonts = ["times", "cm", "palatino", "tgtermes", "charter", "tgpagella", "lmodern", "cm"]
    font = fonts[i % len(fonts)]
    styles = ["journal", "runningtitle", "plain", "twoside", "pageof", "section"]
    style = styles[i % len(styles)]
    p = {
        "pages": pages,
        "cls": "article",
        "size": 10 if i % 4 else 11,
        "paper": "letterpaper" if i % 2 else "a4paper",
        "font": font,
        "parstyle": "parskip" if i % 5 == 3 else "indent",
        "pagestyle": style,
        "first": ["plain", "firstfoot", "empty", "same"][i % 4],
        "numbered": kind in ("paper", "report"),
        "heads": "smallcaps" if (kind == "paper" and LATEX_FONTS[font][1] and i % 2) else "default",
        "columns": mode,
        "columnsep": None if i % 4 != 1 else rng.choice(["18pt", "0.25in", "24pt"]),
        "columnseprule": mode == "multicol" and i % 2 == 0,
        "abstract": "span" if mode == "multicol" or i % 2 == 0 else "column",
        "span_float": kind in ("paper", "report") and pages >= 2,
        "geometry": rng.choice(["margin=0.75in", "margin=18mm", "hmargin=0.7in,vmargin=0.9in"]),
        "microtype": rng.random() < 0.5,
        "links": rng.choice(["hidelinks", "colorlinks"]),
        "pdfinfo": rng.random() < 0.6,
        "arxiv": kind == "paper" and i % 2 == 1,
        "code_numbers": kind == "paper" and i % 3 == 1,
        "raggedright": False,
        "long_table": False,
        "date_style": ["us", "uk", "iso"][i % 3],
    }
    sep = "gutter" + (p["columnsep"] or "10pt").replace(".", "")
    p["tags"] = [font, mode, sep, style]
    return p


def lo_params(i: int, kind: str, rng: random.Random) -> dict:
    fmt = "docx" if i % 2 == 0 else "odt"
    one_page = kind in ("memo", "letter") or i % 6 == 2
    pages = 1 if one_page else rng.choice([2, 2, 3, 3, 4, 5])
    custom = i % 4 not in (0, 1) or one_page
    head = ["title", "org-date", "none", "title"][i % 4] if custom else None
    foot = ["pageof", "page", "dash", "pageof", "org-page"][i % 5] if custom else None
    if one_page and custom:
        foot = "pageof" if i % 3 else "page"  # "Page 1 of 1" leaks today (issue 12)
    p = {
        "pages": pages,
        "fmt": fmt,
        "refdoc": "custom" if custom else "default",
        "font": LO_FONTS[i % len(LO_FONTS)] if custom else None,
        "size": [11, 10, 12][i % 3] if custom else None,
        "parstyle": ("indent" if (i // 2) % 2 else "spaced") if custom else "default",
        "head": head,
        "foot": foot,
        "first_page_plain": fmt == "docx" and custom and i % 3 == 0 and not one_page,
        "tagged": i % 3 != 1,
        "paper": "letter" if i % 3 else "a4",
        "numbered": fmt == "docx" and kind in ("paper", "report"),
        "long_table": kind == "report" and pages >= 3,
        "date_style": ["us", "uk", "iso"][i % 3],
    }
    p["tags"] = [fmt, p["parstyle"], (foot or "nofoot") if custom else "default"]
    return p


# ---------------------------------------------------------------------------------------------
# Structure: the one source of a document
#   doc = {title, subtitle, authors: [{name, affil: [lines]}], author_layout: boxes|line|none,
#          byline (the author line as printed, layout "line"), date, date_iso, abstract: [paras],
#          blocks: [...], notes: [footnote texts], refs: [bibliography entries]}
#   blocks: {t: h, level, text} | {t: p, parts: [str | int (footnote number)]}
#           {t: ul|ol, items: [{text, sub: [str]}]} | {t: quote, paras} | {t: code, text}
#           {t: table, caption, header, rows, span, long} | {t: figure, caption, span}
#           {t: lines, lines: [str], align: left|right}  (addresses, memo fields, signatures)
# ---------------------------------------------------------------------------------------------
def paras_per_page(spec: dict) -> float:
    if spec["producer"] == "pdftex-twocol":
        if spec["pages"] == 1:  # the title block and abstract take half the page
            return 5.0
        return 11.0 if spec["size"] == 10 else 9.0
    if spec["producer"] == "pdftex-onecol":
        return {10: 6.5, 11: 5.5, 12: 4.5}[spec["size"]]
    return {10: 6.5, 11: 5.5, 12: 4.8, None: 4.8}[spec["size"]]


class Builder:
    def __init__(self, spec: dict, index: int):
        self.spec = spec
        self.rng = random.Random(f"{SEED}:doc:{spec['producer']}:{spec['name']}")
        self.prose = Prose(self.rng, offset=index * 5 + PRODUCERS.index(spec["producer"]) * 29)
        self.blocks: list[dict] = []
        self.notes: list[str] = []
        self.refs: list[str] = []
        pages = spec["pages"] - (1.5 if spec.get("cls") == "report" else 0)  # title page, chapters
        self.budget = max(2.0, pages * paras_per_page(spec))
        self.two = spec["producer"] == "pdftex-twocol"

    # --- pieces -----------------------------------------------------------------------------
    def p(self, note: bool = False, max_len: int = 800) -> None:
        text = self.prose.para(max_len)
        parts: list = [text]
        if note:
            sents = sentences(text)
            k = self.rng.randrange(len(sents))
            head = " ".join(sents[: k + 1])
            tail = text[len(head) :]
            self.notes.append(self.prose.sentence(40, 200))
            parts = [head, len(self.notes), tail] if tail else [head, len(self.notes)]
        self.blocks.append({"t": "p", "parts": parts})
        self.budget -= max(0.4, len(text) / 450)

    def h(self, level: int, text: str) -> None:
        self.blocks.append({"t": "h", "level": level, "text": text})
        self.budget -= 0.25

    def lst(self, kind: str, n: int, nested: bool = False) -> None:
        items = [{"text": t, "sub": []} for t in self.prose.items(n, 160 if self.two else 200)]
        if nested and kind == "ul":
            j = self.rng.randrange(len(items))
            items[j]["sub"] = self.prose.items(2, 120)
        self.blocks.append({"t": kind, "items": items})
        self.budget -= 0.3 * n

    def quote(self) -> None:
        sents = sentences(self.prose.para())
        self.blocks.append({"t": "quote", "paras": [" ".join(sents[:2])]})
        self.budget -= 0.6

    def code(self) -> None:
        snippets = CODE_SNIPPETS
        if self.two:
            snippets = [c for c in snippets if max(map(len, c.split("\n"))) <= 44]
        text = self.rng.choice(snippets)
        self.blocks.append({"t": "code", "text": text})
        self.budget -= 0.25 * (text.count("\n") + 2)

    def figure(self, span: bool = False) -> None:
        cap = self.prose.sentence(30, 140)
        self.blocks.append({"t": "figure", "caption": cap, "span": span})
        self.budget -= 1.2 if not self.two else 0.8

    def table(self, kind: str | None = None, span: bool = False, long: bool = False) -> None:
        t = make_table(self.rng, "long" if long else (kind or self.rng.choice(SMALL_TABLES)))
        t["span"] = span
        self.blocks.append(t)
        self.budget -= 0.25 * (len(t["rows"]) + 2) * (0.5 if self.two else 1)

    def lines(self, lines: list[str], align: str = "left") -> None:
        self.blocks.append({"t": "lines", "lines": lines, "align": align})
        self.budget -= 0.2 * len(lines)

    def bib(self, n: int) -> None:
        for _ in range(n):
            names = self.rng.sample(AUTHORS, self.rng.randint(1, 3))
            initials = [f"{a.split()[0][0]}. {a.split()[-1]}" for a in names]
            who = (
                initials[0]
                if len(initials) == 1
                else ", ".join(initials[:-1]) + " and " + initials[-1]
            )
            title = self.rng.choice(REF_TITLES)
            venue = self.rng.choice(VENUES)
            year = self.rng.randint(2008, 2023)
            self.refs.append(f"{who}. {title}. {venue}, {year}.")
        self.budget -= 0.3 * n

    def fill(self, reserve: float = 0.0, notes: int = 0, cap: int = 99) -> None:
        """Body paragraphs until the page budget (less ``reserve``) is spent; ``notes`` of them
        carry a footnote."""
        k = 0
        while self.budget - reserve > 0.3 and k < cap:
            self.p(note=notes > 0)
            notes -= 1
            k += 1

    # --- title blocks -----------------------------------------------------------------------
    def people(self, n: int, affil: bool) -> list[dict]:
        names = self.rng.sample(AUTHORS, n)
        affs = self.rng.sample(AFFILIATIONS, n)
        return [
            {"name": a, "affil": list(f) if affil else []} for a, f in zip(names, affs, strict=True)
        ]

    def dated(self, style: str | None = None) -> tuple[str, str]:
        y, m, d = date_parts(self.rng)
        return date_text(y, m, d, style or self.spec["date_style"]), f"{y}-{m:02d}-{d:02d}"


SMALL_TABLES = ["budget", "poll", "results", "staff"]


def make_table(rng: random.Random, kind: str) -> dict:
    if kind == "budget":
        header, rows, v = ["Year", "Budget (million)", "Change"], [], rng.randint(80, 400)
        for y in range(2019, 2024):
            d = rng.randint(-12, 18)
            v = max(10, v + d)
            rows.append([str(y), f"{v}.{rng.randint(0, 9)}", f"{d:+d}%".replace("+-", "-")])
        cap = "Annual budget and change on the previous year"
    elif kind == "poll":
        header, rows = ["Region", "Support", "Oppose", "Undecided"], []
        for r in ["North", "South", "East", "West"]:
            s, o = rng.randint(30, 55), rng.randint(20, 40)
            rows.append([r, f"{s}%", f"{o}%", f"{100 - s - o}%"])
        cap = "Survey responses by region"
    elif kind == "results":
        header, rows = ["Team", "Played", "Won", "Points"], []
        for t in ["Rovers", "United", "Athletic", "City", "Wanderers"]:
            w = rng.randint(2, 10)
            rows.append([t, "12", str(w), str(w * 3 + rng.randint(0, 12 - w))])
        cap = "League standings after twelve rounds"
    elif kind == "staff":
        header, rows = ["Team", "Staff", "Vacancies"], []
        for t in ["Operations", "Research", "Finance", "Outreach"]:
            rows.append([t, str(rng.randint(4, 40)), str(rng.randint(0, 6))])
        cap = "Staff and open positions by team"
    elif kind == "wide":
        years = list(range(2018, 2024))
        # short labels: eight columns of a Word table are narrow, and a word too long for its
        # cell is broken without a hyphen ("Indicat|or"), which no reference can spell
        header = ["Item"] + [str(y) for y in years] + ["Change"]
        rows = []
        for ind in ["Visits", "Loans", "Members", "Events", "Staff"]:
            vals = [rng.randint(120, 990) for _ in years]
            ch = round(100 * (vals[-1] - vals[0]) / vals[0])
            rows.append([ind] + [str(v) for v in vals] + [f"{ch:+d}%".replace("+-", "-")])
        cap = "Service indicators by year"
    elif kind == "long":
        header = ["District", "Population", "Sites", "Visits", "Per head"]
        rows = []
        names = ["Abbey", "Beacon", "Castle", "Dockside", "Elmfield", "Fairview", "Glen", "Heath",
                 "Ironbridge", "Juniper", "Kings", "Larch", "Meadow", "Northgate", "Oakley",
                 "Priory", "Quarry", "Riverside", "Southbank", "Tannery", "Upton", "Vale",
                 "Westfield", "Yarrow", "Ashby", "Brookside", "Canal", "Dene", "Eastgate",
                 "Ferry", "Granary", "Hillcrest", "Inglewood", "Jubilee"]  # fmt: skip
        for name in names[: rng.randint(28, 34)]:
            pop = rng.randint(4000, 60000)
            visits = rng.randint(2000, 90000)
            rows.append(
                [name, f"{pop:,}", str(rng.randint(1, 6)), f"{visits:,}", f"{visits / pop:.2f}"]
            )
        cap = "Library sites and visits by district"
    else:
        raise ValueError(kind)
    return {"t": "table", "caption": cap, "header": header, "rows": rows, "span": False,
            "long": kind == "long"}  # fmt: skip


def build_doc(spec: dict, index: int) -> dict:
    b = Builder(spec, index)
    kind, rng = spec["kind"], b.rng
    doc: dict = {"title": None, "subtitle": None, "authors": [], "author_layout": "none",
                 "byline": None, "date": None, "date_iso": None, "abstract": []}  # fmt: skip
    heads = list(HEADINGS.get(kind, HEADINGS["essay"]))
    lo = spec["producer"] == "libreoffice"
    if kind == "paper":
        doc["title"] = b.prose.title()
        doc["authors"] = b.people(rng.randint(1, 3), affil=True)
        doc["author_layout"] = "boxes"
        if rng.random() < 0.75:
            doc["date"], doc["date_iso"] = b.dated()
        abstract = " ".join(sentences(b.prose.para())[:4])
        doc["abstract"] = [abstract]
        b.budget -= 1.5
        small = b.budget < 4
        b.h(1, "Introduction")
        b.p(note=True)
        b.fill(reserve=b.budget * 0.8, cap=2)
        if not small:
            b.h(1, "Related work")
            b.fill(reserve=b.budget * 0.8, cap=2)
            b.lst("ul", 3)
        b.h(1, "Data" if rng.random() < 0.5 else "Method")
        b.p()
        b.table(span=spec.get("span_float", False) and not small and rng.random() < 0.6)
        if b.two and spec.get("span_float") and not any(x.get("span") for x in b.blocks):
            b.p()
            b.table("wide", span=True)
        b.p()
        if not small:
            b.h(2, rng.choice(SUBHEADINGS))
            b.p(note=rng.random() < 0.5)
            b.code()
        b.h(1, "Results")
        b.p()
        b.figure(span=b.two and spec.get("span_float", False) and rng.random() < 0.3)
        b.fill(reserve=2.0, cap=3)
        b.h(1, "Conclusion")
        b.p()
        b.bib(rng.randint(3, 6))
    elif kind == "report":
        doc["title"] = b.prose.title()
        doc["authors"] = b.people(rng.randint(1, 2), affil=False)
        org = rng.choice(ORGS)
        if rng.random() < 0.5 or spec.get("cls") == "report":
            doc["authors"] = [{"name": a["name"], "affil": [org]} for a in doc["authors"]]
            doc["author_layout"] = "boxes"
        else:
            doc["author_layout"] = "line"
            names = [a["name"] for a in doc["authors"]]
            doc["byline"] = " and ".join(names)
        doc["date"], doc["date_iso"] = b.dated()
        b.h(1, "Executive summary")
        b.p()
        b.lst("ul", 3)
        sec = 2 if spec.get("cls") == "report" else 1  # three chapters, not five
        b.h(sec, "Background")
        b.p(note=True)
        b.fill(reserve=b.budget * 0.75, cap=2)
        b.h(1, "Findings")
        b.p()
        if spec.get("long_table"):
            b.table(long=True)
        else:
            b.table("wide" if not b.two else rng.choice(SMALL_TABLES), span=False)
        b.h(2, rng.choice(SUBHEADINGS))
        b.p(note=rng.random() < 0.5)
        b.fill(reserve=b.budget * 0.5, cap=3)
        if b.two and spec.get("span_float"):
            b.table("wide", span=True)
            b.p()
        b.h(1, "Recommendations")
        b.lst("ol", rng.randint(3, 5))
        b.h(sec, "Next steps")
        b.fill(reserve=0, cap=4)
    elif kind in ("essay", "article"):
        doc["title"] = b.prose.title()
        n = 1 if kind == "essay" or rng.random() < 0.5 else 2
        people = b.people(n, affil=False)
        doc["authors"] = people
        doc["author_layout"] = "line"
        names = " and ".join(a["name"] for a in people)
        doc["byline"] = ("By " + names) if kind == "article" else names
        doc["date"], doc["date_iso"] = b.dated()
        if kind == "article":
            doc["subtitle"] = b.prose.sentence(50, 160)
        rng.shuffle(heads)
        nh = 0 if b.budget < 6 else rng.randint(1, 3)
        feats = (
            ["quote"]
            + (["ul", "table"] if kind == "article" else [])
            + (["figure"] if kind == "article" and not lo else [])
        )
        total = int(b.budget / 0.9)
        slots = sorted(rng.sample(range(1, max(2, total)), min(len(feats) + nh, max(1, total - 1))))
        plan_at = dict(zip(slots, (["h"] * nh + feats)[: len(slots)], strict=False))
        notes = 1 if kind == "essay" and rng.random() < 0.6 else 0
        k = 0
        while b.budget > 0.3:
            what = plan_at.get(k)
            if what == "h":
                b.h(1, heads.pop())
            elif what == "quote":
                b.quote()
            elif what == "ul":
                b.lst("ul", rng.randint(3, 4), nested=rng.random() < 0.4)
            elif what == "table":
                b.table()
            elif what == "figure":
                b.figure()
            b.p(note=notes > 0 and k >= 1)
            if k >= 1:
                notes -= 1
            k += 1
    elif kind == "memo":
        doc["title"] = b.prose.title()
        author = rng.choice(AUTHORS)
        doc["authors"] = [{"name": author, "affil": []}]
        doc["date"], doc["date_iso"] = b.dated()
        org = rng.choice(ORGS)
        fields = [f"To: All staff, {org}", f"From: {author}, {rng.choice(ROLES)}",
                  f"Date: {doc['date']}"]  # fmt: skip
        if rng.random() < 0.5:
            fields.append(f"Cc: {rng.choice(AUTHORS)}")
        b.lines(fields)
        b.h(1, "Purpose")
        b.p(max_len=500)
        b.h(1, "Proposal")
        b.fill(reserve=b.budget * 0.5, cap=2)
        b.lst("ul", 3)
        b.h(1, "Action required")
        b.lst("ol", rng.randint(2, 3))
        b.fill(reserve=0, cap=1)
    elif kind == "letter":
        sender = rng.choice(AUTHORS)
        recip = rng.choice([a for a in AUTHORS if a != sender])
        org = rng.choice(ORGS)
        doc["authors"] = [{"name": sender, "affil": []}]
        doc["date"], doc["date_iso"] = b.dated()
        b.lines([org, rng.choice(STREETS), rng.choice(TOWNS)], align="right")
        b.lines([doc["date"]], align="right")
        b.lines([recip, rng.choice(ROLES), rng.choice(ORGS), rng.choice(STREETS)])
        title = rng.choice(["Dr.", "Ms.", "Mr."])
        b.lines([f"Dear {title} {recip.split()[-1]},"])
        b.fill(reserve=1.0, cap=4 if spec["pages"] > 1 else 2)
        b.lines([rng.choice(["Yours sincerely,", "With best regards,", "Sincerely,"])])
        b.lines([sender, rng.choice(ROLES)])
    elif kind == "guide":
        doc["title"] = b.prose.title()
        doc["authors"] = [{"name": rng.choice(ORGS), "affil": []}]
        doc["author_layout"] = "line"
        doc["byline"] = doc["authors"][0]["name"]
        doc["date"], doc["date_iso"] = b.dated()
        b.p()
        b.h(1, "Before you start")
        b.lst("ul", 3, nested=True)
        b.h(1, "Step by step")
        b.lst("ol", rng.randint(4, 6))
        b.h(1, "Common problems")
        b.p()
        b.quote()
        b.fill(reserve=1.0, cap=4)
        b.h(1, "Tips")
        b.lst("ul", 3)
        b.fill(reserve=0, cap=2)
    else:
        raise ValueError(kind)
    if doc["author_layout"] == "none" and kind == "memo":
        doc["author_layout"] = "none"
    doc["blocks"], doc["notes"], doc["refs"] = b.blocks, b.notes, b.refs
    doc["sources"] = list(dict.fromkeys(b.prose.used))
    return doc


# ---------------------------------------------------------------------------------------------
# Numbering as each producer prints it: section numbers, "Table 1:"/"Figure 1:" captions
# ---------------------------------------------------------------------------------------------
def is_latex(spec: dict) -> bool:
    return spec["producer"].startswith("pdftex")


def numbering(spec: dict, doc: dict) -> dict:
    """Heading labels and caption prefixes per block index, as the page shows them."""
    latex = is_latex(spec)
    chapters = latex and spec.get("cls") == "report"
    numbered = spec.get("numbered", False)
    counters = [0, 0, 0]
    tab = fig = 0
    heads: dict[int, str] = {}
    caps: dict[int, str] = {}
    for i, b in enumerate(doc["blocks"]):
        if b["t"] == "h":
            lv = b["level"]
            counters[lv - 1] += 1
            for j in range(lv, 3):
                counters[j] = 0
            if lv == 1 and chapters:
                tab = fig = 0
            num = ".".join(str(c) for c in counters[:lv])
            if not numbered:
                heads[i] = b["text"]
            elif chapters and lv == 1:
                heads[i] = f"Chapter {counters[0]} {b['text']}"
            else:
                heads[i] = f"{num} {b['text']}"
        elif b["t"] in ("table", "figure"):
            if not latex:
                caps[i] = b["caption"]
                continue
            if b["t"] == "table":
                tab += 1
                n = f"{counters[0]}.{tab}" if chapters else str(tab)
                caps[i] = f"Table {n}: {b['caption']}"
            else:
                fig += 1
                n = f"{counters[0]}.{fig}" if chapters else str(fig)
                caps[i] = f"Figure {n}: {b['caption']}"
    return {"heads": heads, "caps": caps}


# ---------------------------------------------------------------------------------------------
# The reference Markdown
# ---------------------------------------------------------------------------------------------
def md_parts(parts: list) -> str:
    return "".join(f"[^{x}]" if isinstance(x, int) else x for x in parts)


def md_table(b: dict) -> str:
    rows = [b["header"], ["---"] * len(b["header"]), *b["rows"]]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def md_block(b: dict, i: int, num: dict) -> str:
    t = b["t"]
    if t == "h":
        return "#" * (b["level"] + 1) + " " + num["heads"][i]
    if t == "p":
        return md_parts(b["parts"])
    if t in ("ul", "ol"):
        out = []
        for k, it in enumerate(b["items"], 1):
            out.append(("- " if t == "ul" else f"{k}. ") + it["text"])
            out += [f"   - {s}" for s in it["sub"]]
        return "\n".join(out)
    if t == "quote":
        return "\n>\n".join(f"> {p}" for p in b["paras"])
    if t == "code":
        return "```\n" + b["text"] + "\n```"
    if t == "table":
        return f"*{num['caps'][i]}*\n\n{md_table(b)}"
    if t == "figure":
        return f"*{num['caps'][i]}*"
    if t == "lines":
        return "\n".join(b["lines"])
    raise ValueError(t)


def title_block_md(spec: dict, doc: dict) -> list[str]:
    out = []
    if doc["title"]:
        out.append(f"# {doc['title']}")
    if doc["subtitle"]:
        out.append(f"**{doc['subtitle']}**")
    if doc["author_layout"] == "boxes":
        out += ["\n".join([a["name"], *a["affil"]]) for a in doc["authors"]]
    elif doc["author_layout"] == "line":
        out.append(doc["byline"])
    if doc["date"] and spec["kind"] not in ("memo", "letter"):
        out.append(doc["date"])
    if doc["abstract"]:
        if is_latex(spec):
            out.append("## Abstract")
        out += doc["abstract"]
    return out


def to_markdown(spec: dict, doc: dict, facts: dict) -> str:
    """The reference. A spanning float that TeX moved to the top of a later page comes before
    the first block that starts on that page (after the paragraph the page break cut, which
    stays whole): ``facts['float_before']`` maps its block index to that block's index
    (``len(blocks)``: before the bibliography; more: after it)."""
    num = numbering(spec, doc)
    out = title_block_md(spec, doc)
    blocks = doc["blocks"]
    n = len(blocks)
    moved = {int(k): min(v, n + 1) for k, v in (facts.get("float_before") or {}).items()}

    def emit_moved(pos: int) -> None:
        out.extend(md_block(blocks[k], k, num) for k in sorted(moved) if moved[k] == pos)

    for i in range(n):
        emit_moved(i)
        if i not in moved:
            out.append(md_block(blocks[i], i, num))
    emit_moved(n)
    if doc["refs"]:
        out.append("## References")
        out += [f"[{k}] {r}" for k, r in enumerate(doc["refs"], 1)]
    emit_moved(n + 1)
    out += [f"[^{k}]: {t}" for k, t in enumerate(doc["notes"], 1)]
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# pandoc AST (JSON, pandoc-types 1.22: pandoc 2.17 as in Debian 12)
# ---------------------------------------------------------------------------------------------
NOATTR = ["", [], []]


def inl(text: str) -> list:
    out: list = []
    for k, w in enumerate(text.split(" ")):
        if k:
            out.append({"t": "Space"})
        if w:
            out.append({"t": "Str", "c": w})
    return out


def inl_lines(lines: list[str]) -> list:
    out: list = []
    for k, ln in enumerate(lines):
        if k:
            out.append({"t": "LineBreak"})
        out += inl(ln)
    return out


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}


def raw(tex: str) -> dict:
    return {"t": "RawBlock", "c": ["latex", tex]}


def ast_parts(parts: list, notes: list[str]) -> list:
    out: list = []
    for x in parts:
        if isinstance(x, int):
            out.append({"t": "Note", "c": [para(inl(notes[x - 1]))]})
        else:
            out += inl(x)
    return out


def ast_table(b: dict, caption: str | None, widths: bool = False) -> dict:
    """A pandoc table; ``widths``: relative column widths from the longest cell of each column
    (Word tables otherwise get columns too narrow for a word, broken without a hyphen)."""

    def cell(text: str) -> list:
        return [NOATTR, {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": inl(text)}]]

    def numeric(j: int) -> bool:
        return all(re.fullmatch(r"[-+]?[\d,.]+%?", r[j]) for r in b["rows"])

    aligns = [{"t": "AlignRight" if numeric(j) else "AlignLeft"} for j in range(len(b["header"]))]
    if widths:
        longest = [
            max(len(r[j]) for r in [b["header"], *b["rows"]]) + 2 for j in range(len(aligns))
        ]
        colspecs = [
            [a, {"t": "ColWidth", "c": n / sum(longest)}]
            for a, n in zip(aligns, longest, strict=True)
        ]
    else:
        colspecs = [[a, {"t": "ColWidthDefault"}] for a in aligns]
    head = [NOATTR, [[NOATTR, [cell(c) for c in b["header"]]]]]
    body = [[NOATTR, 0, [], [[NOATTR, [cell(c) for c in r]] for r in b["rows"]]]]
    cap = [None, [{"t": "Plain", "c": inl(caption)}] if caption else []]
    return {"t": "Table", "c": [NOATTR, cap, colspecs, head, body, [NOATTR, []]]}


def ast_list(b: dict) -> dict:
    items = []
    for it in b["items"]:
        blocks = [{"t": "Plain", "c": inl(it["text"])}]
        if it["sub"]:
            blocks.append(
                {"t": "BulletList", "c": [[{"t": "Plain", "c": inl(s)}] for s in it["sub"]]}
            )
        items.append(blocks)
    if b["t"] == "ul":
        return {"t": "BulletList", "c": items}
    return {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}


def meta_inlines(x: list) -> dict:
    return {"t": "MetaInlines", "c": x}


# ---------------------------------------------------------------------------------------------
# LaTeX pieces written directly (title block, floats, two-column tables, letters)
# ---------------------------------------------------------------------------------------------
TEX_ESC = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
           "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip


def tex(s: str) -> str:
    return "".join(TEX_ESC.get(c, c) for c in s)


def tex_tabular(b: dict, size: str = "") -> str:
    def numeric(j: int) -> bool:
        return all(re.fullmatch(r"[-+]?[\d,.]+%?", r[j]) for r in b["rows"])

    cols = "".join("r" if numeric(j) else "l" for j in range(len(b["header"])))
    rows = [" & ".join(tex(c) for c in b["header"]) + r" \\ \midrule"]
    rows += [" & ".join(tex(c) for c in r) + r" \\" for r in b["rows"]]
    return (
        f"{size}\\begin{{tabular}}{{@{{}}{cols}@{{}}}}\\toprule\n"
        + "\n".join(rows)
        + "\n\\bottomrule\\end{tabular}"
    )


def tex_box(span: bool) -> str:
    w = r"0.8\textwidth" if span else r"0.85\linewidth"
    return rf"{{\color{{black!20}}\rule{{{w}}}{{{'2.2cm' if span else '2.6cm'}}}}}"


def latex_float(b: dict, i: int, spec: dict, mode: str) -> str:
    """A table or figure. ``mode``: 'here' (float [H] in the running column or page), 'span'
    (table*/figure* at the top of a later page, twocolumn), 'inline' (no float: multicol)."""
    kind = "table" if b["t"] == "table" else "figure"
    cap = tex(b["caption"])
    content = tex_tabular(b, r"\small" if spec["producer"] == "pdftex-twocol" else "") if (
        kind == "table") else tex_box(mode == "span")  # fmt: skip
    label = rf"\zlabel{{float{i}}}"
    if mode == "inline":
        if kind == "table":
            return (
                f"\\begin{{center}}\\captionof{{table}}{{{cap}}}{label}\n{content}\n\\end{{center}}"
            )
        return f"\\begin{{center}}{content}\n\\captionof{{figure}}{{{cap}}}{label}\\end{{center}}"
    env = kind + ("*" if mode == "span" else "")
    place = "[t]" if mode == "span" else "[H]"
    if kind == "table":
        return f"\\begin{{{env}}}{place}\\centering\\caption{{{cap}}}{label}\n{content}\n\\end{{{env}}}"
    return f"\\begin{{{env}}}{place}\\centering{content}\n\\caption{{{cap}}}{label}\\end{{{env}}}"


def latex_lines(b: dict, label: str = "") -> str:
    body = "\\\\\n".join(tex(x) for x in b["lines"])
    if b["align"] == "right":
        return f"\\begin{{flushright}}\n{label}{body}\n\\end{{flushright}}"
    return f"{{\\noindent{label}%\n{body}\\par}}\\medskip"


def latex_code(b: dict, spec: dict) -> str:
    size = r"\footnotesize" if spec["producer"] == "pdftex-twocol" else r"\small"
    if spec.get("code_numbers"):
        return (
            f"\\begin{{lstlisting}}[numbers=left,numberstyle=\\tiny,basicstyle=\\ttfamily{size},"
            "columns=fullflexible,keepspaces=true,xleftmargin=2em"
            # in OT1 listings takes * and $ from TS1, which Computer Modern has only as bitmaps
            + (r",literate={*}{{\char42}}1 {\$}{{\char36}}1" if spec["font"] == "cm" else "")
            + "]\n"
            + b["text"]
            + "\n\\end{lstlisting}"
        )
    return f"{{{size}\n\\begin{{verbatim}}\n{b['text']}\n\\end{{verbatim}}\n}}"


def latex_ast(spec: dict, doc: dict) -> dict:
    """The body as a pandoc document for the LaTeX writer. Every block carries a zref label at
    its first line (``\\leavevmode`` so that it sits in the paragraph, not before it), so the
    page a spanning float landed on can be put in the reading order afterwards."""
    two = spec["producer"] == "pdftex-twocol"
    multicol = spec.get("columns") == "multicol"
    blocks: list = []

    def lab(i: int) -> dict:
        return {"t": "RawInline", "c": ["latex", rf"\leavevmode\zlabel{{blk{i}}}"]}

    for i, b in enumerate(doc["blocks"]):
        t = b["t"]
        if t == "p":
            blocks.append(para([lab(i)] + ast_parts(b["parts"], doc["notes"])))
        elif t in ("table", "figure"):
            if b.get("span") and multicol:
                blocks.append(raw("\\end{multicols}\n" + latex_float(b, i, spec, "here")
                                  + "\n\\begin{multicols}{2}"))  # fmt: skip
            elif b.get("span"):
                blocks.append(raw(latex_float(b, i, spec, "span")))
            elif t == "table" and not two:
                tb = ast_table(b, b["caption"])
                blocks.append(tb)
                blocks.append(raw(rf"\zlabel{{float{i}}}"))
            else:
                blocks.append(raw(latex_float(b, i, spec, "inline" if multicol else "here")))
        elif t == "h":
            # a heading is kept with the block after it: its page is that block's page
            blocks.append({"t": "Header", "c": [b["level"], [f"s{i}", [], []], inl(b["text"])]})
        elif t in ("ul", "ol"):
            lst = ast_list(b)
            items = lst["c"] if t == "ul" else lst["c"][1]
            items[0][0]["c"].insert(0, lab(i))
            blocks.append(lst)
        elif t == "quote":
            paras = [para(inl(p)) for p in b["paras"]]
            paras[0]["c"].insert(0, lab(i))
            blocks.append({"t": "BlockQuote", "c": paras})
        elif t == "code":
            blocks.append(raw(rf"\zlabel{{blk{i}}}" + latex_code(b, spec)))
        elif t == "lines":
            blocks.append(raw(latex_lines(b, rf"\zlabel{{blk{i}}}")))
        else:
            raise ValueError(t)
    n = len(doc["blocks"])
    if doc["refs"]:
        items = "\n".join(f"\\bibitem{{r{k}}} {tex(r)}" for k, r in enumerate(doc["refs"], 1))
        blocks.append(raw(f"\\begin{{thebibliography}}{{9}}\n\\zlabel{{blk{n}}}{items}\n"
                          "\\end{thebibliography}"))  # fmt: skip
    return {"pandoc-api-version": [1, 22, 2, 1], "meta": {}, "blocks": blocks}


# ---------------------------------------------------------------------------------------------
# LaTeX page styles: fields hL hC hR fL fC fR (and e* for even pages of two-sided documents)
# with {page} (the page label), {last} (the last page's label), {mark} / {MARK} (the current
# section as the header shows it, as is / upper case). The same spec writes the fancyhdr code
# and, with the pages TeX logged, the furniture strings of meta.json.
# ---------------------------------------------------------------------------------------------
def short_title(title: str | None) -> str:
    words = (title or "").split()
    return " ".join(words if len(words) <= 6 else words[:5])


def authors_short(doc: dict) -> str:
    names = [a["name"] for a in doc["authors"]]
    if not names:
        return ""
    last = [n.split()[-1] for n in names]
    if len(names) >= 3:
        return f"{last[0]} et al."
    if len(names) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{names[0].split()[0][0]}. {last[0]}" if len(names[0].split()) > 1 else names[0]


def furniture_context(spec: dict, doc: dict) -> dict:
    rng = random.Random(f"{SEED}:furniture:{spec['name']}")
    journal = rng.choice(JOURNALS)
    year = (doc["date_iso"] or "2024")[:4]
    return {
        "short": short_title(doc["title"]) or rng.choice(ORGS),
        "who": authors_short(doc) or rng.choice(ORGS),
        "journal": f"{journal}, Vol. {rng.randint(3, 40)}, No. {rng.randint(1, 4)} ({year})",
        "preprint": f"Preprint submitted to {journal}",
        "draft": rng.choice(
            [
                "Working paper — please do not cite",
                "Draft for consultation",
                "Internal report — not for circulation",
            ]
        ),  # fmt: skip
        "org": rng.choice(ORGS),
        "upper": rng.random() < 0.5,
    }


def latex_styles(spec: dict, ctx: dict) -> dict[str, dict]:
    mark = "{MARK}" if ctx["upper"] else "{mark}"
    styles = {
        "plain": {"fC": "{page}"},
        "empty": {},
        "runningtitle": {"hL": ctx["short"], "hR": ctx["who"], "fC": "{page}", "rule": True},
        "section": {"hL": mark, "hR": "{page}", "rule": True},
        "pageof": {"hL": ctx["short"], "hR": ctx["org"], "fC": "Page {page} of {last}"},
        "draft": {"hC": ctx["draft"], "fR": "{page}"},
        "journal": {"hL": ctx["journal"], "hR": "{page}", "rule": True},
        "twoside": {"hL": mark, "hR": "{page}", "ehL": "{page}", "ehR": ctx["who"], "rule": True},
        "dash": {"fC": "– {page} –"},
        "firstfoot": {"fL": ctx["preprint"], "fR": "{page}"},
    }
    return styles


def tex_field(text: str) -> str:
    out = tex(text)
    return (out.replace(r"\{page\}", r"\thepage{}").replace(r"\{last\}", r"\pageref*{LastPage}")
            .replace(r"\{mark\}", r"\leftmark{}").replace(r"\{MARK\}", r"\MakeUppercase{\leftmark}"))  # fmt: skip


def fancy_style(name: str, fields: dict, twoside: bool) -> str:
    out = [rf"\fancypagestyle{{{name}}}{{\fancyhf{{}}"]
    for key, cmd in (("h", r"\fancyhead"), ("f", r"\fancyfoot")):
        for pos in "LCR":
            odd, even = fields.get(key + pos), fields.get("e" + key + pos, fields.get(key + pos))
            if twoside and ("e" + key + pos in fields or odd != even):
                if odd:
                    out.append(rf"{cmd}[{pos}O]{{{tex_field(odd)}}}")
                if even:
                    out.append(rf"{cmd}[{pos}E]{{{tex_field(even)}}}")
            elif odd:
                out.append(rf"{cmd}[{pos}]{{{tex_field(odd)}}}")
    out.append(rf"\renewcommand{{\headrulewidth}}{{{'0.4pt' if fields.get('rule') else '0pt'}}}")
    # \ps@<style> of a \thispagestyle page runs inside the page box: only a global
    # definition reaches the shipout hook, which then restores the main style's name
    out.append(rf"\gdef\prstyle{{{name}}}}}")
    return "".join(out)


def page_furniture(fields: dict, even: bool, page: str, last: str, mark: str) -> list[dict]:
    out = []
    for key in ("hL", "hC", "hR", "fL", "fC", "fR"):
        tpl = fields.get(("e" + key) if even and ("e" + key) in fields else key)
        if not tpl:
            continue
        text = tpl.replace("{page}", page).replace("{last}", last)
        text = text.replace("{mark}", mark).replace("{MARK}", mark.upper())
        text = " ".join(text.split())
        if text:
            where = ("header" if key[0] == "h" else "footer") + "-" + {"L": "left", "C": "center",
                                                                       "R": "right"}[key[1]]  # fmt: skip
            out.append({"where": where, "text": text})
    return out


def latex_title(spec: dict, doc: dict) -> str:
    if spec["kind"] == "letter":
        return ""
    if spec["kind"] == "memo":
        return rf"{{\noindent\LARGE\bfseries {tex(doc['title'])}\par}}\bigskip" + "\n"
    title = tex(doc["title"])
    if doc["subtitle"]:
        title += rf"\\[0.4em]\large {tex(doc['subtitle'])}"
    if doc["author_layout"] == "boxes":
        author = r" \and ".join(
            r"\\ ".join([tex(a["name"])] + [tex(x) for x in a["affil"]]) for a in doc["authors"]
        )
    elif doc["author_layout"] == "line":
        author = tex(doc["byline"])
    else:
        author = ""
    date = tex(doc["date"] or "")
    return rf"\title{{{title}}}\author{{{author}}}\date{{{date}}}" + "\n"


def latex_abstract(doc: dict) -> str:
    if not doc["abstract"]:
        return ""
    body = "\n\n".join(tex(p) for p in doc["abstract"])
    return f"\\begin{{abstract}}\n{body}\n\\end{{abstract}}\n"


ARXIV_CATS = ["cs.CL", "cs.IR", "cs.DL", "econ.GN", "physics.soc-ph", "stat.AP"]


def arxiv_stamp(spec: dict, doc: dict) -> str:
    rng = random.Random(f"{SEED}:arxiv:{spec['name']}")
    y = int((doc["date_iso"] or "2024")[:4])
    m = rng.randint(1, 12)
    ident = f"arXiv:{y % 100:02d}{m:02d}.{rng.randint(1000, 19999):05d}v{rng.randint(1, 3)}"
    cat = rng.choice(ARXIV_CATS)
    day = f"{rng.randint(1, 28)} {MONTHS[m - 1][:3]} {y}"
    return f"{ident}  [{cat}]  {day}"


def latex_document(spec: dict, doc: dict, body: str, ctx: dict) -> str:
    two = spec["columns"] == "twocolumn"
    multicol = spec["columns"] == "multicol"
    twoside = spec["pagestyle"] == "twoside"
    opts = [f"{spec['size']}pt", spec["paper"]] + (["twocolumn"] if two else []) + (
        ["twoside"] if twoside else [])  # fmt: skip
    cls = spec["cls"]
    pre = [rf"\documentclass[{','.join(opts)}]{{{cls}}}",
           r"\usepackage[T1]{fontenc}" if spec["font"] != "cm" else "",
           r"\usepackage[utf8]{inputenc}", LATEX_FONTS[spec["font"]][0],
           # upquote needs TS1 typewriter fonts, which Computer Modern has only as bitmaps here
           r"\usepackage{upquote}" if spec["font"] != "cm" else ""]  # fmt: skip
    if spec.get("geometry"):
        pre.append(rf"\usepackage[{spec['geometry']}]{{geometry}}")
    if spec.get("microtype"):
        pre.append(r"\usepackage{microtype}")
    pre += [r"\usepackage{longtable,booktabs,array,calc}", r"\usepackage{xcolor}",
            r"\usepackage{float}", r"\usepackage{caption}", r"\usepackage{fancyhdr}",
            r"\usepackage{lastpage}", r"\usepackage{zref-user,zref-abspage}",
            r"\setlength{\headheight}{15pt}"]  # fmt: skip
    if multicol:
        pre.append(r"\usepackage{multicol}")
        if spec.get("columnseprule"):
            pre.append(r"\setlength{\columnseprule}{0.4pt}")
    if spec.get("columnsep"):
        pre.append(rf"\setlength{{\columnsep}}{{{spec['columnsep']}}}")
    if spec["parstyle"] == "parskip":
        pre.append(r"\usepackage{parskip}")
    if spec["heads"] == "smallcaps":
        pre.append(r"\usepackage{titlesec}")
        pre.append(r"\titleformat{\section}{\normalfont\large\scshape}{\thesection}{1em}{}")
        pre.append(r"\titleformat{\subsection}{\normalfont\itshape}{\thesubsection}{1em}{}")
    elif spec["heads"] == "sans":
        pre.append(r"\usepackage{sectsty}\allsectionsfont{\sffamily}")
    if spec.get("code_numbers"):
        pre.append(r"\usepackage{listings}")
    if spec.get("arxiv"):
        pre.append(r"\usepackage{eso-pic}\usepackage{graphicx}")
    hy = (
        "unicode,hidelinks"
        if spec["links"] == "hidelinks"
        else "unicode,colorlinks,allcolors=blue!40!black"
    )
    pre.append(rf"\usepackage[{hy}]{{hyperref}}")
    if spec.get("pdfinfo") and doc["title"]:
        who = "; ".join(a["name"] for a in doc["authors"])
        pre.append(rf"\hypersetup{{pdftitle={{{tex(doc['title'])}}},pdfauthor={{{tex(who)}}}}}")
    pre += [r"\providecommand{\tightlist}{\setlength{\itemsep}{0pt}\setlength{\parskip}{0pt}}",
            r"\setlength{\emergencystretch}{3em}"]  # fmt: skip
    if not spec["numbered"]:
        pre.append(r"\setcounter{secnumdepth}{-2}")
    if cls == "report":
        pre.append(r"\counterwithout{footnote}{chapter}")
    # page styles and the page log: each shipped page's number, label, style and mark
    styles = latex_styles(spec, ctx)
    pre.append(r"\makeatletter")
    for name in sorted(styles):
        pre.append(fancy_style(name, styles[name], twoside))
    pre.append(r"\newwrite\pr@log\immediate\openout\pr@log=\jobname.plog\newcount\pr@abs")
    pre.append(
        r"\AddToHook{shipout/before}{\global\advance\pr@abs\@ne\begingroup\let\protect\noexpand"
        r"\let\MakeUppercase\relax\immediate\write\pr@log{PRPAGE|\the\pr@abs|\the\c@page|"
        r"\thepage|\prstyle|\leftmark|}\endgroup\global\let\prstyle\prmain}"
    )
    pre.append(r"\makeatother")
    if spec.get("arxiv"):
        stamp = tex(ctx["arxiv"]).replace("  ", r"\hspace{1.2em}")
        pre.append(
            r"\AddToShipoutPictureBG*{\AtPageLowerLeft{\put(\LenToUnit{0.45in},"
            r"\LenToUnit{0.3\paperheight}){\rotatebox{90}{\fontsize{20}{22}\selectfont"
            rf"\textcolor{{black!45}}{{{stamp}}}}}}}}}}}"
        )
    secnum = r"\thesection\space " if spec["numbered"] else ""
    marks = (
        r"\renewcommand{\chaptermark}[1]{\markboth{#1}{}}\renewcommand{\sectionmark}[1]{}"
        if cls == "report"
        else rf"\renewcommand{{\sectionmark}}[1]{{\markboth{{{secnum}#1}}{{}}}}"
    )
    doc_start = [r"\begin{document}", rf"\pagestyle{{{spec['pagestyle']}}}",
                 rf"\def\prmain{{{spec['pagestyle']}}}",
                 r"\renewcommand{\subsectionmark}[1]{}", marks]  # fmt: skip
    if spec.get("raggedright"):
        doc_start.append(r"\raggedright")
    first = {"same": spec["pagestyle"]}.get(spec["first"], spec["first"])
    title = latex_title(spec, doc)
    front: list[str] = []
    if spec["kind"] in ("memo", "letter"):
        front.append(title + rf"\thispagestyle{{{first}}}")
    elif two and spec.get("abstract") == "span":
        front.append(title)
        front.append(r"\makeatletter\twocolumn[\begin{@twocolumnfalse}\maketitle" + "\n"
                     + latex_abstract(doc) + r"\vspace{1.5em}\end{@twocolumnfalse}]\makeatother")  # fmt: skip
        front.append(rf"\thispagestyle{{{first}}}")
    else:
        front.append(title + r"\maketitle")
        if cls != "report":
            front.append(rf"\thispagestyle{{{first}}}")
        front.append(latex_abstract(doc))
    if multicol:
        front.append(r"\begin{multicols}{2}")
    end = [r"\end{multicols}"] if multicol else []
    end.append(r"\end{document}")
    return "\n".join(pre + doc_start + front + [body] + end) + "\n"


# ---------------------------------------------------------------------------------------------
# Building with pdflatex
# ---------------------------------------------------------------------------------------------
def run(cmd: list[str], cwd: Path, timeout: int = 300, env: dict | None = None) -> str:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, **(env or {})}, errors="replace")  # fmt: skip
    if r.returncode != 0:
        tail = (r.stdout + r.stderr)[-3000:]
        raise RuntimeError(f"{cmd[0]} failed ({r.returncode}):\n{tail}")
    return r.stdout


def pandoc_json(ast: dict, args: list[str], cwd: Path) -> str:
    src = cwd / "doc.json"
    src.write_text(json.dumps(ast), encoding="utf-8")
    return run(["pandoc", "-f", "json", *args, str(src)], cwd)


def epoch(doc: dict) -> str:
    from datetime import datetime, timezone

    y, m, d = map(int, (doc["date_iso"] or "2024-01-15").split("-"))
    return str(int(datetime(y, m, d, 12, tzinfo=timezone.utc).timestamp()))


def parse_zref(aux: str) -> dict[str, int]:
    out = {}
    for m in re.finditer(r"\\zref@newlabel\{([^}]*)\}\{(.*)\}\s*$", aux, re.M):
        a = re.search(r"\\abspage\{(\d+)\}", m.group(2))
        if a:
            out[m.group(1)] = int(a.group(1))
    return out


def clean_mark(s: str) -> str:
    # \MakeUppercase was \relax in the log: "\MakeUppercase []{References}" prints REFERENCES
    s = re.sub(r"\\MakeUppercase\s*(?:\[\])?\s*\{(.*)\}", lambda m: m.group(1).upper(), s)
    s = s.replace("{}", "").replace("\\ ", " ").replace("~", " ")
    return " ".join(s.split())


def build_latex(spec: dict, doc: dict, pdf: Path, work: Path) -> dict:
    """Typeset; return the facts TeX knows: pages shipped (number, label, style, mark) and
    where each spanning float landed."""
    ctx = furniture_context(spec, doc)
    if spec.get("arxiv"):
        ctx["arxiv"] = arxiv_stamp(spec, doc)
    args = [
        "-t",
        "latex",
        "--top-level-division=" + ("chapter" if spec["cls"] == "report" else "section"),
    ]
    body = pandoc_json(latex_ast(spec, doc), args, work)
    src = work / "doc.tex"
    src.write_text(latex_document(spec, doc, body, ctx), encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": epoch(doc), "FORCE_SOURCE_DATE": "1"}
    prev = None
    for _ in range(5):
        run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], work, env=env)
        log = (work / "doc.log").read_text(encoding="latin-1")
        aux = (work / "doc.aux").read_text(encoding="latin-1")
        if prev == aux and not re.search(r"Rerun to get|may have changed\. Rerun|Rerun LaTeX", log):
            break
        prev = aux
    else:
        raise RuntimeError(f"{spec['name']}: labels did not settle")
    if "mktexpk" in log or ".600pk" in log or re.search(r"Font .* not loadable", log):
        raise RuntimeError(f"{spec['name']}: a bitmap or missing font")
    pages = []
    for line in (work / "doc.plog").read_text(encoding="latin-1").splitlines():
        if line.startswith("PRPAGE|"):
            _, ab, value, label, style, mark, _ = line.split("|", 6)
            pages.append({"abs": int(ab), "value": int(value), "label": label, "style": style,
                          "mark": clean_mark(mark)})  # fmt: skip
    zref = parse_zref(aux)
    facts = {"pages": pages, "float_before": float_positions(doc, zref), "ctx": ctx}
    shutil.copyfile(work / "doc.pdf", pdf)
    return facts


def float_positions(doc: dict, zref: dict[str, int]) -> dict[str, int]:
    blocks = doc["blocks"]
    n = len(blocks)

    def start_page(j: int) -> int | None:
        while j < n and blocks[j]["t"] == "h":  # a heading stays with what follows it
            j += 1
        if j < n and blocks[j]["t"] in ("table", "figure") and not blocks[j].get("span"):
            return zref.get(f"float{j}")
        return zref.get(f"blk{j}")

    out = {}
    for i, b in enumerate(blocks):
        if b["t"] not in ("table", "figure") or not b.get("span"):
            continue
        page = zref.get(f"float{i}")
        if page is None:
            continue  # a multicol break: in place
        dest = n + 1
        for j in range(i + 1, n + 1):
            if j < n and blocks[j].get("span"):
                continue
            sp = start_page(j) if j < n else zref.get(f"blk{n}")
            if sp is not None and sp >= page:
                dest = j
                break
        out[str(i)] = dest  # recorded even when in place: the replay needs no TeX
    return out


# ---------------------------------------------------------------------------------------------
# LibreOffice Writer: pandoc -> .docx / .odt (pandoc's reference document, or one made here
# with fonts, paragraph style, header and footer), then soffice --convert-to pdf
# ---------------------------------------------------------------------------------------------
def lo_ast(spec: dict, doc: dict, png: str) -> dict:
    meta: dict = {}
    if doc["title"]:
        meta["title"] = meta_inlines(inl(doc["title"]))
    if doc["subtitle"]:
        meta["subtitle"] = meta_inlines(inl(doc["subtitle"]))
    if doc["author_layout"] == "boxes":
        meta["author"] = {"t": "MetaList", "c": [
            meta_inlines(inl_lines([a["name"], *a["affil"]])) for a in doc["authors"]]}  # fmt: skip
    elif doc["author_layout"] == "line":
        meta["author"] = {"t": "MetaList", "c": [meta_inlines(inl(doc["byline"]))]}
    if doc["date"] and spec["kind"] not in ("memo", "letter"):
        meta["date"] = meta_inlines(inl(doc["date"]))
    if doc["abstract"]:
        meta["abstract"] = {"t": "MetaBlocks", "c": [para(inl(p)) for p in doc["abstract"]]}
    blocks: list = []
    for b in doc["blocks"]:
        t = b["t"]
        if t == "p":
            blocks.append(para(ast_parts(b["parts"], doc["notes"])))
        elif t == "h":
            blocks.append({"t": "Header", "c": [b["level"], NOATTR, inl(b["text"])]})
        elif t in ("ul", "ol"):
            blocks.append(ast_list(b))
        elif t == "quote":
            blocks.append({"t": "BlockQuote", "c": [para(inl(p)) for p in b["paras"]]})
        elif t == "code":
            blocks.append({"t": "CodeBlock", "c": [NOATTR, b["text"]]})
        elif t == "table":
            blocks.append(ast_table(b, b["caption"], widths=True))
        elif t == "figure":
            img = {
                "t": "Image",
                "c": [["", [], [["width", "45%"]]], inl(b["caption"]), [png, "fig:"]],
            }
            blocks.append(para([img]))
        elif t == "lines":
            blocks.append({"t": "LineBlock", "c": [inl(x) for x in b["lines"]]})
    if doc["refs"]:
        blocks.append({"t": "Header", "c": [1, ["refs", ["unnumbered"], []], inl("References")]})
        blocks += [para(inl(f"[{k}] {r}")) for k, r in enumerate(doc["refs"], 1)]
    return {"pandoc-api-version": [1, 22, 2, 1], "meta": meta, "blocks": blocks}


def tiny_png() -> bytes:
    import struct
    import zlib

    w, h = 8, 4
    raw_rows = b"".join(b"\x00" + bytes((170, 178, 190)) * w for _ in range(h))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw_rows, 9)) + chunk(b"IEND", b""))  # fmt: skip


def lo_furniture_spec(spec: dict, ctx: dict) -> dict:
    """Header and footer fields of a LibreOffice document ({page}, {pages} are fields)."""
    if spec["refdoc"] == "default":
        return {"fC": "{page}"} if spec["fmt"] == "odt" else {}
    f: dict = {}
    if spec["head"] == "title":
        f["hR"] = ctx["short"]
    elif spec["head"] == "org-date":
        f["hL"], f["hR"] = ctx["org"], ctx["date"]
    foot = spec["foot"]
    if foot == "pageof":
        f["fC"] = "Page {page} of {pages}"
    elif foot == "page":
        f["fC"] = "{page}"
    elif foot == "dash":
        f["fC"] = "- {page} -"
    elif foot == "org-page":
        f["fL"], f["fR"] = ctx["org"], "{page}"
    return f


PAPER = {"letter": (12240, 15840), "a4": (11906, 16838)}  # twips
W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')  # fmt: skip


def xml_esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_runs(tpl: str) -> str:
    out = []
    for piece in re.split(r"(\{page\}|\{pages\})", tpl):
        if piece == "{page}":
            out.append('<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        elif piece == "{pages}":
            out.append('<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        elif piece:
            out.append(f'<w:r><w:t xml:space="preserve">{xml_esc(piece)}</w:t></w:r>')
    return "".join(out)


def docx_hf(kind: str, f: dict, width: int, font: str | None) -> str:
    """A header or footer part: left, centre and right fields on one line with tab stops."""
    k = kind[0]
    parts = [f.get(k + "L"), f.get(k + "C"), f.get(k + "R")]
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/><w:sz w:val="18"/></w:rPr>'
        if font
        else ""
    )
    tabs = (f'<w:tabs><w:tab w:val="center" w:pos="{width // 2}"/>'
            f'<w:tab w:val="right" w:pos="{width}"/></w:tabs>')  # fmt: skip
    runs = []
    for j, p in enumerate(parts):
        if j:
            runs.append("<w:r><w:tab/></w:r>")
        if p:
            runs.append(docx_runs(p))
    body = "".join(runs).replace("<w:r>", f"<w:r>{rpr}") if rpr else "".join(runs)
    tag = "hdr" if kind == "header" else "ftr"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag} {W_NS}><w:p><w:pPr>'
            f'{tabs}</w:pPr>{body}</w:p></w:{tag}>')  # fmt: skip


def make_docx_reference(spec: dict, f: dict, base: Path, out: Path) -> None:
    width_page, height = PAPER[spec["paper"]]
    margin = 1440 if spec["paper"] == "letter" else 1418
    width = width_page - 2 * margin
    font, size = spec["font"], spec["size"]
    indent = spec["parstyle"] == "indent"
    zin = zipfile.ZipFile(base)
    zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    parts = {}
    if any(k.startswith("h") for k in f):
        parts["header1.xml"] = docx_hf("header", f, width, font)
    if any(k.startswith("f") for k in f):
        parts["footer1.xml"] = docx_hf("footer", f, width, font)
    first = spec.get("first_page_plain")
    if first:
        parts["footer2.xml"] = docx_hf("footer", {"fC": "{page}"}, width, font)
        parts["header2.xml"] = docx_hf("header", {}, width, font)
    rels = "".join(
        f'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'{"header" if n.startswith("header") else "footer"}" Id="rId{n[:-4]}" Target="{n}"/>'
        for n in parts
    )
    types = "".join(
        f'<Override PartName="/word/{n}" ContentType="application/vnd.openxmlformats-'
        f'officedocument.wordprocessingml.{"header" if n.startswith("header") else "footer"}+xml"/>'
        for n in parts
    )
    refs = ""
    if "header1.xml" in parts:
        refs += '<w:headerReference w:type="default" r:id="rIdheader1"/>'
    if "footer1.xml" in parts:
        refs += '<w:footerReference w:type="default" r:id="rIdfooter1"/>'
    if first:
        refs += ('<w:headerReference w:type="first" r:id="rIdheader2"/>'
                 '<w:footerReference w:type="first" r:id="rIdfooter2"/>')  # fmt: skip
    sect = (f"<w:sectPr>{refs}<w:pgSz w:w=\"{width_page}\" w:h=\"{height}\"/><w:pgMar w:top=\"{margin}\" "
            f"w:right=\"{margin}\" w:bottom=\"{margin}\" w:left=\"{margin}\" w:header=\"708\" "
            f"w:footer=\"708\" w:gutter=\"0\"/>{'<w:titlePg/>' if first else ''}</w:sectPr>")  # fmt: skip
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/_rels/document.xml.rels":
            data = data.decode().replace("</Relationships>", rels + "</Relationships>").encode()
        elif item.filename == "[Content_Types].xml":
            data = data.decode().replace("</Types>", types + "</Types>").encode()
        elif item.filename == "word/document.xml":
            data = data.decode().replace("<w:sectPr />", sect).encode()
        elif item.filename == "word/styles.xml":
            s = data.decode()
            s = re.sub(r'<w:rFonts w:asciiTheme="minorHAnsi"[^>]*/>',
                       f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>', s)  # fmt: skip
            s = s.replace('<w:sz w:val="24" />\n        <w:szCs w:val="24" />',
                          f'<w:sz w:val="{size * 2}" />\n        <w:szCs w:val="{size * 2}" />', 1)  # fmt: skip
            body_ppr = ('<w:pPr><w:spacing w:before="0" w:after="0" w:line="264" w:lineRule="auto"/>'
                        '<w:ind w:firstLine="360"/><w:jc w:val="both"/></w:pPr>') if indent else (
                        '<w:pPr><w:spacing w:before="0" w:after="180" w:line="259" w:lineRule="auto"/>'
                        '</w:pPr>')  # fmt: skip
            s = re.sub(r'(<w:style w:type="paragraph" w:styleId="BodyText">.*?)<w:pPr>.*?</w:pPr>',
                       lambda m, p=body_ppr: m.group(1) + p, s, count=1, flags=re.S)  # fmt: skip
            # table cells and tight lists (style Compact, based on Body Text) take no indent
            s = re.sub(r'(<w:style [^>]*w:styleId="Compact">.*?<w:pPr>)',
                       r'\1<w:ind w:firstLine="0"/><w:jc w:val="left"/>', s, count=1, flags=re.S)  # fmt: skip
            if indent:
                s = s.replace('<w:name w:val="First Paragraph" />',
                              '<w:name w:val="First Paragraph" /><w:pPr><w:spacing w:before="120" '
                              'w:after="0"/><w:ind w:firstLine="0"/></w:pPr>')  # fmt: skip
            # headings in the body font, not the theme's
            s = s.replace('w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" '
                          'w:hAnsiTheme="majorHAnsi" w:cstheme="majorBidi"',
                          f'w:ascii="{font}" w:hAnsi="{font}"')  # fmt: skip
            data = s.encode()
        zout.writestr(item, data)
    for n, x in parts.items():
        zout.writestr(f"word/{n}", x)
    zout.close()


def odt_hf(kind: str, f: dict) -> str:
    k = kind[0]
    parts = [f.get(k + "L"), f.get(k + "C"), f.get(k + "R")]
    if not any(parts):
        return ""
    pieces = []
    for j, p in enumerate(parts):
        if j:
            pieces.append("<text:tab/>")
        for piece in re.split(r"(\{page\}|\{pages\})", p or ""):
            if piece == "{page}":
                pieces.append('<text:page-number text:select-page="current">1</text:page-number>')
            elif piece == "{pages}":
                pieces.append("<text:page-count>1</text:page-count>")
            elif piece:
                pieces.append(xml_esc(piece))
    tag = "style:header" if kind == "header" else "style:footer"
    return f'<{tag}><text:p text:style-name="PRHeadFoot">{"".join(pieces)}</text:p></{tag}>'


def make_odt_reference(spec: dict, f: dict, base: Path, out: Path) -> None:
    w_in, h_in = (8.5, 11.0) if spec["paper"] == "letter" else (8.2681, 11.6929)
    margin = 1.0 if spec["paper"] == "letter" else 0.9843
    text_w = w_in - 2 * margin
    font, size = spec["font"], spec["size"]
    indent = spec["parstyle"] == "indent"
    zin = zipfile.ZipFile(base)
    zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "styles.xml":
            s = data.decode()
            s = s.replace("<office:font-face-decls>",
                          f'<office:font-face-decls><style:font-face style:name="{font}" '
                          f"svg:font-family=\"'{font}'\"/>", 1)  # fmt: skip
            s = s.replace('style:font-name="Times New Roman" fo:font-size="12pt"',
                          f'style:font-name="{font}" fo:font-size="{size}pt"', 1)  # fmt: skip
            s = s.replace('style:font-name="Arial"', f'style:font-name="{font}"')
            body = ('<style:paragraph-properties fo:margin-top="0in" fo:margin-bottom="0in" '
                    'fo:text-indent="0.3in" fo:text-align="justify" fo:line-height="115%" '
                    'style:contextual-spacing="false" />') if indent else (
                   '<style:paragraph-properties fo:margin-top="0in" fo:margin-bottom="0.1in" '
                   'fo:line-height="115%" style:contextual-spacing="false" />')  # fmt: skip
            s = re.sub(r'(<style:style style:name="Text_20_body".*?>)\s*<style:paragraph-properties[^>]*/>',
                       lambda m, p=body: m.group(1) + p, s, count=1, flags=re.S)  # fmt: skip
            if indent:
                s = re.sub(r'<style:style style:name="First_20_paragraph"[^>]*/>',
                           '<style:style style:name="First_20_paragraph" style:display-name="First '
                           'paragraph" style:family="paragraph" style:parent-style-name="Text_20_body" '
                           'style:next-style-name="Text_20_body" style:class="text">'
                           '<style:paragraph-properties fo:margin-top="0.08in" fo:text-indent="0in"/>'
                           "</style:style>", s, count=1)  # fmt: skip
            hf_style = (
                '<style:style style:name="PRHeadFoot" style:family="paragraph" '
                'style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties>'
                f'<style:tab-stops><style:tab-stop style:position="{text_w / 2:.4f}in" style:type="center"/>'
                f'<style:tab-stop style:position="{text_w:.4f}in" style:type="right"/></style:tab-stops>'
                '</style:paragraph-properties><style:text-properties fo:font-size="9pt"/></style:style>'
            )
            s = s.replace("</office:styles>", hf_style + "</office:styles>", 1)
            master = re.search(
                r"<style:master-page style:name=\"Standard\".*?</style:master-page>", s, re.S
            )
            new_master = ('<style:master-page style:name="Standard" style:page-layout-name="Mpm1">'
                          + odt_hf("header", f) + odt_hf("footer", f) + "</style:master-page>")  # fmt: skip
            s = s[: master.start()] + new_master + s[master.end() :]
            m = re.search(r'<style:page-layout style:name="Mpm1">.*?</style:page-layout>', s, re.S)
            pl = m.group(0)
            for attr, val in (("fo:page-width", f"{w_in}in"), ("fo:page-height", f"{h_in}in"),
                              ("fo:margin-left", f"{margin}in"), ("fo:margin-right", f"{margin}in"),
                              ("fo:margin-top", "0.7in"), ("fo:margin-bottom", "0.7in")):  # fmt: skip
                pl = re.sub(attr + r'="[^"]*"', f'{attr}="{val}"', pl, count=1)
            pl = pl.replace(
                "<style:header-style />",
                "<style:header-style><style:header-footer-"
                'properties fo:min-height="0in" fo:margin-bottom="0.2in"/></style:header-style>',
            )
            s = s[: m.start()] + pl + s[m.end() :]
            data = s.encode()
        zout.writestr(item, data)
    zout.close()


def soffice_pdf(src: Path, outdir: Path, tagged: bool, profile: Path) -> Path:
    opts = '{"UseTaggedPDF":{"type":"boolean","value":"%s"}}' % ("true" if tagged else "false")
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", f"pdf:writer_pdf_Export:{opts}", "--outdir", str(outdir), str(src)],
        outdir, timeout=240)  # fmt: skip
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.exists() or pdf.stat().st_size < 800:
        raise RuntimeError(f"soffice printed nothing for {src}")
    return pdf


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(str(pdf))
    try:
        return len(d)
    finally:
        d.close()


def build_lo(spec: dict, doc: dict, pdf: Path, work: Path) -> dict:
    ctx = furniture_context(spec, doc)
    ctx["date"] = doc["date"] or ""
    fields = lo_furniture_spec(spec, ctx)
    fmt = spec["fmt"]
    (work / "fig.png").write_bytes(tiny_png())
    base = work / f"pandoc-reference.{fmt}"
    run(["pandoc", "-o", str(base), "--print-default-data-file", f"reference.{fmt}"], work)
    ref = base
    if spec["refdoc"] == "custom":
        ref = work / f"reference.{fmt}"
        (make_docx_reference if fmt == "docx" else make_odt_reference)(spec, fields, base, ref)
    args = ["-o", str(work / f"doc.{fmt}"), "--reference-doc", str(ref)]
    if spec.get("numbered"):
        args.append("--number-sections")
    pandoc_json(lo_ast(spec, doc, "fig.png"), args, work)
    profile = work / "lo-profile"
    out = soffice_pdf(work / f"doc.{fmt}", work, spec["tagged"], profile)
    shutil.copyfile(out, pdf)
    return {"pages_total": page_count(pdf), "fields": fields, "ctx": ctx}


# ---------------------------------------------------------------------------------------------
# Furniture: what each page prints outside the article
# ---------------------------------------------------------------------------------------------
def furniture(spec: dict, doc: dict, facts: dict) -> list[dict]:
    out: list[dict] = []
    if is_latex(spec):
        styles = latex_styles(spec, facts["ctx"])
        pages = facts["pages"]
        last = pages[-1]["label"] if pages else ""
        twoside = spec["pagestyle"] == "twoside"
        for pg in pages:
            fields = styles.get(pg["style"], {})
            even = twoside and pg["value"] % 2 == 0
            for f in page_furniture(fields, even, pg["label"], last, pg["mark"]):
                out.append({"page": pg["abs"], **f})
        if spec.get("arxiv"):
            out.append({"page": 1, "where": "margin-left", "text": facts["ctx"]["arxiv"]})
    else:
        n = facts["pages_total"]
        for p in range(1, n + 1):
            fields = facts["fields"]
            if p == 1 and spec.get("first_page_plain"):
                fields = {"fC": "{page}"}
            for key in ("hL", "hC", "hR", "fL", "fC", "fR"):
                tpl = fields.get(key)
                if tpl:
                    text = tpl.replace("{pages}", str(n)).replace("{page}", str(p))
                    where = ("header" if key[0] == "h" else "footer") + "-" + {
                        "L": "left", "C": "center", "R": "right"}[key[1]]  # fmt: skip
                    out.append({"page": p, "where": where, "text": text})
    return out


def whole_token_count(needle: str, hay: str) -> int:
    pat = re.escape(" ".join(needle.split()))
    if re.match(r"\w", needle):
        pat = r"(?<!\w)" + pat
    if re.search(r"\w$", needle):
        pat += r"(?!\w)"
    return len(re.findall(pat, " ".join(hay.split())))


def forbidden_strings(items: list[dict], reference_md: str) -> list[str]:
    """Furniture texts that never occur in the reference (any occurrence in an output is a
    leak); the others (bare page numbers, a header that repeats the title or a section
    heading) are scored by count in score.py."""
    out = []
    for text in dict.fromkeys(it["text"] for it in items):
        if whole_token_count(text, reference_md) == 0 and not re.fullmatch(r"\d{1,3}", text):
            out.append(text)
        # the arXiv stamp's identifier alone, too
    for it in items:
        if it["where"] == "margin-left":
            out.append(it["text"].split()[0])
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Sanity check (never used to make the reference): the PDF's text layer holds the reference's
# words, and no font is a bitmap
# ---------------------------------------------------------------------------------------------
def norm_words(text: str) -> list[str]:
    text = re.sub(r"(\w)[-\u2010\u00ad\ufffe\x02]\s*\r?\n\s*(\w)", r"\1\2", text)
    text = unicodedata.normalize("NFKC", text)
    words = [re.sub(r"\W+", "", w) for w in text.split()]  # case kept: small caps must not shout
    return [w for w in words if w]


def reference_words(md: str) -> list[str]:
    md = re.sub(r"\[\^\d+\]:?", " ", md)
    md = re.sub(r"^(#+|>|-|\d+\.)\s", " ", md, flags=re.M)
    md = md.replace("```", " ").replace("|", " ").replace("**", " ").replace("*", " ")
    return norm_words(md)


def check_pdf(pdf: Path, md: str, furniture_texts: list[str] = (), repeats: list[str] = ()) -> dict:
    """``coverage``: share of the reference's words the PDF's text layer holds; ``extra``: words
    the PDF prints that are neither in the reference nor in its furniture (a label a producer
    adds on its own, such as a caption prefix), numbers aside (footnote marks, code line numbers)."""
    from collections import Counter

    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(d[i].get_textpage().get_text_range() for i in range(len(d)))
    finally:
        d.close()
    words = norm_words(text)
    # a footnote marker glued to a word ("said.1", "2Despite") is the word, for this check
    glued = [w for w in words if re.search(r"[A-Za-z]\d|\d[A-Za-z]", w)]
    unglued = [re.sub(r"^\d+(?=[A-Za-z])|(?<=[A-Za-z])\d+$", "", w) for w in glued]
    have = Counter(words + unglued)
    want = Counter(reference_words(md))
    missing = want - have
    coverage = 1 - sum(missing.values()) / max(1, sum(want.values()))
    furn = Counter(w for t in furniture_texts for w in norm_words(t))
    for t in repeats:  # a long table's header row, repeated on every page it reaches
        for w in norm_words(t):
            furn[w] += 8
    extra = Counter(words) - want - furn - Counter(glued)
    extra = Counter({w: n for w, n in extra.items() if not w.isdigit()})
    fonts = ""
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    return {
        "coverage": round(coverage, 4),
        "missing": [w for w, _ in missing.most_common(12)],
        "extra": [w for w, _ in extra.most_common(12)],
        "type3": "Type 3" in fonts,
    }


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
CONVENTIONS = {
    "footnotes": "marker [^n] after the text it follows; definitions '[^n]: text' at the end",
    "title_block": "# title; **subtitle**; one paragraph per author (name and affiliation lines);"
    " the author line as printed; the date; '## Abstract' where the page prints the word",
    "floats": "at their place in the text; a spanning float TeX moved to a later page comes"
    " before the first block that starts on that page",
    "code": "fenced, without the line numbers a listing prints",
}


def metadata_of(spec: dict, doc: dict) -> dict:
    return {
        "title": doc["title"],
        "authors": [a["name"] for a in doc["authors"]],
        "date": doc["date_iso"],
    }


def tool_versions() -> dict:
    def first_line(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
            return out.strip().splitlines()[0] if out.strip() else ""
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "pandoc": first_line(["pandoc", "--version"]),
        "pdftex": first_line(["pdflatex", "--version"]),
        "libreoffice": first_line(["soffice", "--version"]),
    }


def write_outputs(
    spec: dict, doc: dict, facts: dict, out: Path, versions: dict, check: dict | None
) -> dict:
    folder = out / spec["producer"]
    folder.mkdir(parents=True, exist_ok=True)
    md = to_markdown(spec, doc, facts)
    (folder / f"{spec['name']}.expected.md").write_text(md, encoding="utf-8")
    items = furniture(spec, doc, facts)
    pages = len(facts["pages"]) if is_latex(spec) else facts["pages_total"]
    params = {k: v for k, v in spec.items() if k not in ("name", "producer", "kind", "split")}
    params["target_pages"] = params.pop("pages")
    typeset = {"float_before": facts.get("float_before") or {}}
    if is_latex(spec):
        typeset["pages"] = facts["pages"]
        typeset["ctx"] = facts["ctx"]
    else:
        typeset.update(pages_total=facts["pages_total"], fields=facts["fields"], ctx=facts["ctx"])
    tools = {"pandoc": versions.get("pandoc")}
    tools["typesetter"] = versions.get("pdftex") if is_latex(spec) else versions.get("libreoffice")
    meta = {
        "name": spec["name"],
        "producer": spec["producer"],
        "kind": spec["kind"],
        "split": spec["split"],
        "pages": pages,
        "metadata": metadata_of(spec, doc),
        "forbidden": forbidden_strings(items, md),
        "furniture": items,
        "footnotes": len(doc["notes"]),
        "params": params,
        "typeset": typeset,
        "conventions": CONVENTIONS,
        "tools": tools,
        "check": check,
        "sources": {"corpus": "aeb-dev", "keys": doc["sources"]},
    }
    (folder / f"{spec['name']}.meta.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return meta


def write_index(out: Path, planned: set) -> None:
    rows = []
    for meta_path in sorted(out.glob("*/*.meta.json")):
        m = json.loads(meta_path.read_text(encoding="utf-8"))
        if (m["producer"], m["name"]) not in planned:
            continue
        rows.append({"id": f"{m['producer']}/{m['name']}", "producer": m["producer"],
                     "kind": m["kind"], "split": m["split"], "pages": m["pages"],
                     "bytes": (meta_path.parent / f"{m['name']}.pdf").stat().st_size})  # fmt: skip
    (out / "index.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def source_of(producer: str, name: str) -> tuple[dict, dict]:
    """The spec and the structure of one planned document (deterministic, no TeX needed)."""
    for i, s in enumerate(plan()):
        if s["producer"] == producer and s["name"] == name:
            return s, build_doc(s, i)
    raise KeyError(f"{producer}/{name} is not in the plan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--producer", action="append", choices=PRODUCERS)
    ap.add_argument("--only", help="comma-separated document names (or name prefixes)")
    ap.add_argument("--markdown-only", action="store_true",
                    help="rebuild the references from the structure and meta.json (no TeX/LO)")  # fmt: skip
    ap.add_argument("--list", action="store_true", help="print the plan and stop")
    ap.add_argument("--keep", type=Path, help="keep each document's working folder here")
    args = ap.parse_args(argv)
    specs = plan()
    index = {id(s): i for i, s in enumerate(specs)}
    sel = [s for s in specs if not args.producer or s["producer"] in args.producer]
    if args.only:
        names = args.only.split(",")
        sel = [s for s in sel if any(s["name"] == n or s["name"].startswith(n) for n in names)]
    if args.list:
        for s in sel:
            print(f"{s['producer']:14s} {s['split']:4s} {s['name']}")
        return 0
    versions = {} if args.markdown_only else tool_versions()
    failures = 0
    for s in sel:
        doc = build_doc(s, index[id(s)])
        folder = args.out / s["producer"]
        if args.markdown_only:
            meta = json.loads((folder / f"{s['name']}.meta.json").read_text(encoding="utf-8"))
            md = to_markdown(s, doc, meta["typeset"])
            (folder / f"{s['name']}.expected.md").write_text(md, encoding="utf-8")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        pdf = folder / f"{s['name']}.pdf"
        with tempfile.TemporaryDirectory(prefix="producer-suite-") as tmp:
            work = Path(tmp)
            try:
                facts = (build_latex if is_latex(s) else build_lo)(s, doc, pdf, work)
            except (RuntimeError, subprocess.SubprocessError) as e:
                print(f"FAILED {s['producer']}/{s['name']}: {e}", file=sys.stderr)
                failures += 1
                continue
            finally:
                if args.keep:
                    dest = args.keep / s["producer"] / s["name"]
                    shutil.rmtree(dest, ignore_errors=True)
                    shutil.copytree(work, dest, ignore=shutil.ignore_patterns("lo-profile"))
        md = to_markdown(s, doc, facts)
        heads = [" ".join(b["header"]) for b in doc["blocks"] if b["t"] == "table"]
        check = check_pdf(pdf, md, [f["text"] for f in furniture(s, doc, facts)], heads)
        meta = write_outputs(s, doc, facts, args.out, versions, check)
        ok = check["coverage"] >= 0.985 and not check["type3"] and len(check["extra"]) <= 2
        flag = "" if ok else "  <-- CHECK"
        print(f"{s['producer']:14s} {s['name']:50s} {meta['pages']}p {pdf.stat().st_size // 1024:4d}KB "
              f"cover {check['coverage']:.3f} {' '.join(check['missing'][:6])}"
            + (f" extra: {' '.join(check['extra'][:6])}" if check["extra"] else "")
            + flag, flush=True)  # fmt: skip
    if not args.markdown_only and not args.only and args.out.exists():
        # a full run of a producer: files of documents no longer in the plan go
        planned = {(s["producer"], s["name"]) for s in specs}
        for s_producer in {s["producer"] for s in sel}:
            for f in (args.out / s_producer).glob("*"):
                stem = f.name.split(".")[0]
                if (s_producer, stem) not in planned:
                    f.unlink()
    if not args.markdown_only and args.out.exists():
        write_index(args.out, {(s["producer"], s["name"]) for s in specs})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
