#!/usr/bin/env python3
"""Generate reflow's layout suite: article PDFs with the exact Markdown an ideal converter gives.

Each document starts as ONE source structure (a list of blocks built from real prose), which is
rendered two ways: (a) HTML with a chosen layout, printed to PDF by headless Chromium, and (b) the
reference Markdown. Nothing is edited by hand: run this script again to rebuild the suite.

    python benchmarks/layout_suite/generate.py            # all documents -> corpora/layout/
    python benchmarks/layout_suite/generate.py --markdown-only   # references from the committed
                                                                 # PDFs and meta.json, no Chromium

The prose comes from the reference article bodies of ../shared/corpora/aeb-dev (MIT). The layout
parameters are in ``SPECS`` below; the choice of source documents is seeded, so the structure and
the Markdown are the same on every run. The PDFs differ only where Chromium prints today's date.

After a first print, one paragraph that a page break cuts gets a link on the words around the break
(found from the PDF's text layer); the PDF is then printed again. A link changes no line metrics, so
the second print has the same layout; the link is kept only if the PDF has its annotations on both
pages. Links that Chromium printed without any annotation become plain text in the reference. Both
facts are recorded in the ``.meta.json`` (``page_break_link``, ``unlinked``) so the structure ->
Markdown step can be replayed without Chromium (see ``build_document``).

Hyphenation: this Chromium has no hyphenation dictionaries, so layouts with ``hyphens`` also get soft
hyphens from the Plain TeX patterns that groff ships (see ``soft_hyphenate``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import html
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared"
GROUND_TRUTH = SHARED / "corpora" / "aeb-dev" / "ground-truth.json"
OUT = REPO / "corpora" / "layout"
SEED = 20240514
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# ---------------------------------------------------------------------------------------------
# The documents: one line of layout parameters each.
#   cols: CSS columns of the body; size: page size; margin: CSS @page margin; font: serif|sans;
#   pt: body font size; hf: Chromium's own print header/footer (date+title, URL+n/m);
#   running: repeated header/footer elements (table thead/tfoot repeat on every printed page);
#   hyphens: CSS hyphens:auto (lang=en); length: short|medium|long; align: left|justify
# ---------------------------------------------------------------------------------------------
SPECS: list[dict] = [
    dict(
        name="news-1col-letter-serif",
        site="northfield-herald",
        cols=1,
        size="Letter",
        margin="0.6in 0.75in",
        font="serif",
        pt=11.5,
        hf=True,
        running=False,
        hyphens=False,
        length="medium",
        align="left",
        section="news",
    ),
    dict(
        name="opinion-1col-a4-sans-running",
        site="the-civic-ledger",
        cols=1,
        size="A4",
        margin="24mm 20mm",
        font="sans",
        pt=10.5,
        hf=False,
        running=True,
        hyphens=True,
        length="medium",
        align="justify",
        section="opinion",
    ),
    dict(
        name="feature-2col-a4-serif-long",
        site="harbor-post",
        cols=2,
        size="A4",
        margin="18mm 16mm",
        font="serif",
        pt=10,
        hf=True,
        running=False,
        hyphens=True,
        length="long",
        align="justify",
        section="features",
    ),
    dict(
        name="analysis-3col-letter-sans",
        site="metro-tribune",
        cols=3,
        size="Letter",
        margin="0.5in 0.5in",
        font="sans",
        pt=9,
        hf=True,
        running=False,
        hyphens=True,
        length="medium",
        align="justify",
        section="analysis",
    ),
    dict(
        name="brief-1col-short",
        site="valley-courier",
        cols=1,
        size="Letter",
        margin="0.75in 1in",
        font="serif",
        pt=12,
        hf=True,
        running=False,
        hyphens=False,
        length="short",
        align="left",
        section="news",
    ),
    dict(
        name="brief-2col-short-plain",
        site="lakeside-gazette",
        cols=2,
        size="A4",
        margin="20mm 18mm",
        font="sans",
        pt=10,
        hf=False,
        running=False,
        hyphens=False,
        length="short",
        align="left",
        section="business",
    ),
    dict(
        name="longread-1col-sans-running-hf",
        site="the-civic-ledger",
        cols=1,
        size="A4",
        margin="26mm 22mm",
        font="sans",
        pt=10.5,
        hf=True,
        running=True,
        hyphens=False,
        length="long",
        align="left",
        section="longreads",
    ),
    dict(
        name="report-1col-a5-serif",
        site="riverbend-review",
        cols=1,
        size="A5",
        margin="14mm 12mm",
        font="serif",
        pt=9.5,
        hf=False,
        running=True,
        hyphens=True,
        length="medium",
        align="justify",
        section="reports",
    ),
    dict(
        name="magazine-2col-legal-sans",
        site="summit-weekly",
        cols=2,
        size="Legal",
        margin="0.7in 0.7in",
        font="sans",
        pt=10,
        hf=True,
        running=False,
        hyphens=False,
        length="medium",
        align="left",
        section="culture",
    ),
    dict(
        name="column-1col-large-type",
        site="northfield-herald",
        cols=1,
        size="Letter",
        margin="1in 1.25in",
        font="serif",
        pt=13.5,
        hf=True,
        running=False,
        hyphens=False,
        length="medium",
        align="left",
        section="opinion",
    ),
    dict(
        name="digest-3col-a4-serif-running",
        site="harbor-post",
        cols=3,
        size="A4",
        margin="16mm 14mm",
        font="serif",
        pt=9,
        hf=False,
        running=True,
        hyphens=True,
        length="long",
        align="justify",
        section="world",
    ),
    dict(
        name="explainer-2col-letter-hyphen",
        site="metro-tribune",
        cols=2,
        size="Letter",
        margin="0.6in 0.6in",
        font="serif",
        pt=10.5,
        hf=True,
        running=False,
        hyphens=True,
        length="medium",
        align="justify",
        section="explainers",
    ),
    dict(
        name="essay-1col-a4-justify",
        site="riverbend-review",
        cols=1,
        size="A4",
        margin="22mm 24mm",
        font="serif",
        pt=11,
        hf=False,
        running=False,
        hyphens=True,
        length="medium",
        align="justify",
        section="ideas",
    ),
    dict(
        name="special-2col-a4-running-hf-long",
        site="summit-weekly",
        cols=2,
        size="A4",
        margin="22mm 16mm",
        font="sans",
        pt=9.5,
        hf=True,
        running=True,
        hyphens=True,
        length="long",
        align="left",
        section="special-reports",
    ),
]

SITE_NAMES = {
    "northfield-herald": "The Northfield Herald",
    "the-civic-ledger": "The Civic Ledger",
    "harbor-post": "Harbor Post",
    "metro-tribune": "Metro Tribune",
    "valley-courier": "Valley Courier",
    "lakeside-gazette": "Lakeside Gazette",
    "riverbend-review": "Riverbend Review",
    "summit-weekly": "Summit Weekly",
}
AUTHORS = [
    "Maria Kovalenko",
    "James O'Neill",
    "Priya Raman",
    "Tomasz Nowak",
    "Elena Duarte",
    "Samuel Whitaker",
    "Aiko Tanaka",
    "Daniel Brennan",
    "Fatima Haddad",
    "Lucas Moreau",
    "Grace Achterberg",
    "Oliver Stanton",
]
HEADINGS = [
    "What happened",
    "The background",
    "Why it matters",
    "What comes next",
    "The numbers",
    "A closer look",
    "The other side",
    "How we got here",
    "Reaction",
    "The bigger picture",
    "Questions that remain",
    "Looking ahead",
    "The view from the ground",
    "Costs and benefits",
]
SUBHEADINGS = ["In brief", "By the numbers", "Key dates", "One more thing", "Fine print"]
DISCLAIMERS = [
    "The views expressed in opinion pieces do not necessarily reflect the position of this "
    "publication.",
    "This article has been updated to correct an error in an earlier version.",
    "Reporting was contributed by staff in several bureaus; figures were checked at the time of "
    "publication.",
]
CAPTION_PREFIX = ["Photo:", "Illustration:", "Archive image:", "File photo:"]
LINK_HOSTS = [
    "https://www.reuters.com/world/{slug}-2024-05-13/",
    "https://apnews.com/article/{slug}",
    "https://en.wikipedia.org/wiki/{Wiki}",
    "https://www.theguardian.com/world/2024/may/12/{slug}",
    "https://www.bbc.com/news/{slug}",
    "https://www.nature.com/articles/{slug}",
    "https://www.ft.com/content/{slug}",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PAGE_SIZES = {"A4": "A4", "Letter": "letter", "Legal": "legal", "A5": "A5"}
LENGTHS = {"short": 5, "medium": 14, "long": 60}  # body paragraphs (lists etc. come on top)

MD_SPECIAL = re.compile(r"[*_\[\]#|<>\\`~]|https?://")


# ---------------------------------------------------------------------------------------------
# Prose
# ---------------------------------------------------------------------------------------------
STOPWORDS = {"the", "and", "of", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with"}


def is_english(body: str) -> bool:
    words = re.findall(r"\w+", body.lower())
    if not words or sum(c.isascii() for c in body) < 0.97 * len(body):
        return False
    return sum(w in STOPWORDS for w in words) >= 0.12 * len(words)


@functools.cache
def clean_paragraphs(body: str) -> tuple[str, ...]:
    """Paragraphs fit to reuse: English prose sentences, no Markdown-active characters."""
    if not is_english(body):
        return []
    out = []
    for p in body.split("\n\n"):
        p = " ".join(p.split())
        if not 150 <= len(p) <= 900 or MD_SPECIAL.search(p):
            continue
        if re.match(r"^(\d+[.)]|[-+>]) ", p) or p[-1] not in '.!?"”’)':
            continue
        out.append(p)
    return tuple(out)


def sentences(p: str) -> list[str]:
    return [s for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z“\"])", p) if s]


def slug_words(url: str) -> list[str]:
    path = url.split("?")[0].rstrip("/").split("/")
    best: list[str] = []
    for part in path[3:]:
        part = re.sub(r"\.(html?|php|aspx?)$", "", part)
        words = [w for w in re.split(r"[-_]+", part) if w and not re.search(r"\d{3,}", w)]
        words = [w for w in words if w.isalpha() or re.fullmatch(r"\d{1,2}", w)]
        if len(words) > len(best):
            best = words
    return best[:11]


def title_from(url: str, body_paras: list[str]) -> str:
    words = slug_words(url)
    if len(words) >= 4:
        small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with"}
        t = [
            w if (i and w.lower() in small) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        ]
        return " ".join(t)
    first = sentences(body_paras[0])[0].rstrip(".!?")
    return " ".join(first.split()[:10])


def slugify(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def url_for(anchor: str, rng: random.Random) -> str:
    tpl = rng.choice(LINK_HOSTS)
    words = re.findall(r"[A-Za-z0-9]+", anchor)[:8]
    wiki = "_".join(w[:1].upper() + w[1:] if i == 0 else w for i, w in enumerate(words[:4]))
    return tpl.format(slug=slugify(" ".join(words)), Wiki=wiki)


# Inline text is a list of segments [text, href-or-None].
def link_phrase(p: str, rng: random.Random, long: bool) -> list[list]:
    """Put one link on a phrase of 2-4 words (or 7-12 words, likely to wrap) of a paragraph."""
    words = list(re.finditer(r"\S+", p))
    n = rng.randint(7, 12) if long else rng.randint(2, 4)
    if len(words) < n + 4:
        return [[p, None]]
    start = rng.randint(1, len(words) - n - 1)
    a, b = words[start].start(), words[start + n - 1].end()
    # trim punctuation so the anchor is a clean phrase
    while b > a and not p[b - 1].isalnum():
        b -= 1
    while a < b and not p[a].isalnum():
        a += 1
    anchor = p[a:b]
    return [[p[:a], None], [anchor, url_for(anchor, rng)], [p[b:], None]]


def plain(segs: list[list]) -> str:
    return "".join(s[0] for s in segs)


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------
def load_ground_truth() -> dict:
    return json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))


def build_structure(spec: dict, gt: dict, index: int) -> dict:
    """The one source of a document: metadata and a list of blocks. Deterministic."""
    rng = random.Random(f"{SEED}:{spec['name']}")
    keys = sorted(k for k, v in gt.items() if len(clean_paragraphs(v["articleBody"])) >= 4)
    random.Random(SEED).shuffle(keys)
    keys = keys[index * 4 :] + keys[: index * 4]  # a different lead article for every document
    need = LENGTHS[spec["length"]] + 6
    paras: list[str] = []
    used: list[str] = []
    for k in keys:
        cps = clean_paragraphs(gt[k]["articleBody"])
        used.append(k)
        paras.extend(cps)
        if len(paras) >= need:
            break
    main_key = used[0]
    title = title_from(gt[main_key]["url"], paras)
    others = [k for k in keys if k not in used]
    related_title = title_from(gt[others[0]]["url"], clean_paragraphs(gt[others[0]]["articleBody"]))

    month = (index % 12) + 1
    day = 3 + (index * 7) % 25
    host = f"www.{spec['site']}.com"
    slug = slugify(title)[:70].strip("-")
    path = f"/2024/{month:02d}/{day:02d}/{slug}.html"
    site = SITE_NAMES[spec["site"]]
    authors = [AUTHORS[index % len(AUTHORS)]]
    if index % 4 == 1:
        authors.append(AUTHORS[(index + 5) % len(AUTHORS)])
    date_text = f"{MONTHS[month - 1]} {day}, 2024"

    pool = list(paras)
    # dek: a short opening sentence, taken out of the body
    dek = sentences(pool.pop(0))[0]
    blocks: list[dict] = [
        {"type": "title", "text": title},
        {"type": "dek", "text": dek},
        {"type": "byline", "text": "By " + " and ".join(authors)},
        {"type": "date", "text": date_text},
    ]
    n_body = LENGTHS[spec["length"]]
    body = pool[:n_body]
    extra = pool[n_body:]
    short = spec["length"] == "short"

    # which optional blocks go where (positions in the paragraph sequence)
    features = (
        ["quote", "figure", "related"]
        if short
        else ["h2", "ul", "quote", "figure", "h2", "table", "related", "ol", "h3", "h2"]
    )
    if spec["length"] == "long":
        features += ["h2", "figure", "related", "ul", "h2"]
    slots = sorted(rng.sample(range(2, len(body)), min(len(features), len(body) - 2)))
    at = dict(zip(slots, features, strict=False))
    headings = rng.sample(HEADINGS, len(HEADINGS))
    link_every = 2 if short else 3
    n_links = 0
    for i, p in enumerate(body):
        kind = at.get(i)
        if kind == "h2":
            blocks.append({"type": "h2", "text": headings.pop()})
        elif kind == "h3":
            blocks.append({"type": "h3", "text": rng.choice(SUBHEADINGS)})
        elif kind in ("ul", "ol") and extra:
            src = extra.pop(0)
            items = [s for s in sentences(src) if len(s) > 20][:5]
            if len(items) >= 2:
                segs = [[[s, None]] for s in items]
                j = rng.randrange(len(segs))
                segs[j] = link_phrase(items[j], rng, long=False)
                blocks.append({"type": kind, "items": segs})
        elif kind == "quote" and extra:
            q = sentences(extra.pop(0))
            blocks.append({"type": "quote", "text": " ".join(q[:2])})
        elif kind == "figure" and extra:
            cap = min(sentences(extra.pop(0)), key=len)
            blocks.append(
                {
                    "type": "figure",
                    "caption": f"{rng.choice(CAPTION_PREFIX)} {cap}",
                    "color": rng.choice(["#7a8fa6", "#a67a7a", "#8fa67a", "#a69a7a"]),
                }
            )
        elif kind == "table":
            blocks.append(make_table(rng))
        elif kind == "related":
            rt = related_title
            rurl = f"https://{host}/2024/{month:02d}/{max(1, day - 2):02d}/{slugify(rt)[:70]}"
            blocks.append({"type": "related", "title": rt, "url": rurl.strip("-")})
            related_title = title_from(gt[others[1]]["url"], paras)
        if i % link_every == 1:
            n_links += 1
            segs = link_phrase(p, rng, long=(n_links % 2 == 0))
        else:
            segs = [[p, None]]
        blocks.append({"type": "p", "segments": segs})
    blocks.append({"type": "disclaimer", "text": DISCLAIMERS[index % len(DISCLAIMERS)]})
    return {
        "name": spec["name"],
        "layout": spec,
        "sources": used,
        "metadata": {
            "title": title,
            "authors": authors,
            "date": f"2024-{month:02d}-{day:02d}",
            "site": site,
            "page_url": f"http://{host}{path}",
        },
        "host": host,
        "path": path,
        "blocks": blocks,
    }


def make_table(rng: random.Random) -> dict:
    kind = rng.choice(["budget", "poll", "results"])
    if kind == "budget":
        header = ["Year", "Budget (million)", "Change"]
        rows, v = [], rng.randint(80, 400)
        for y in range(2020, 2024):
            d = rng.randint(-12, 18)
            v = max(10, v + d)
            rows.append([str(y), f"{v}.{rng.randint(0, 9)}", f"{d:+d}%"])
    elif kind == "poll":
        header = ["Region", "Support", "Oppose", "Undecided"]
        rows = []
        for r in ["North", "South", "East", "West"]:
            s, o = rng.randint(30, 55), rng.randint(20, 45)
            rows.append([r, f"{s}%", f"{o}%", f"{100 - s - o}%"])
    else:
        header = ["Team", "Played", "Won", "Points"]
        rows = []
        for t in ["Rovers", "United", "Athletic", "City"]:
            pl = 12
            w = rng.randint(2, 10)
            rows.append([t, str(pl), str(w), str(w * 3 + rng.randint(0, pl - w))])
    return {"type": "table", "header": header, "rows": rows}


def apply_break_link(doc: dict, link: dict | None) -> dict:
    """Put the recorded page-break link on its paragraph: words [start, end) of the plain segment
    ``segment`` of block ``block``."""
    if not link:
        return doc
    b = doc["blocks"][link["block"]]
    si = link.get("segment", 0)
    p, href = b["segments"][si]
    assert b["type"] == "p" and href is None, "page-break link goes on plain text"
    words = list(re.finditer(r"\S+", p))
    a, e = words[link["start"]].start(), words[link["end"] - 1].end()
    while e > a and not p[e - 1].isalnum():
        e -= 1
    while a < e and not p[a].isalnum():
        a += 1
    new = [[p[:a], None], [p[a:e], link["href"]], [p[e:], None]]
    b["segments"] = [s for s in b["segments"][:si] + new + b["segments"][si + 1 :] if s[0]]
    return doc


def unlink(doc: dict, hrefs: list[str] | None) -> dict:
    """Turn links back into plain text: those Chromium printed without a link annotation (it
    drops one now and then), which no converter can know of."""
    if not hrefs:
        return doc
    gone = set(hrefs)
    for b in doc["blocks"]:
        for segs in [b["segments"]] if b["type"] == "p" else b.get("items", []):
            for seg in segs:
                if seg[1] in gone:
                    seg[1] = None
        if b["type"] == "related" and b["url"] in gone:
            raise ValueError(f"related-article link without annotation: {b['url']}")
    return doc


def build_document(
    spec: dict, gt: dict, index: int, break_link: dict | None, unlinked: list[str] | None = None
) -> dict:
    """The structure as printed: the page-break link added, links the PDF lacks removed."""
    return unlink(apply_break_link(build_structure(spec, gt, index), break_link), unlinked)


def missing_links(doc: dict, pdf: Path) -> list[str]:
    annots = pdf_links(pdf)
    return [
        h
        for b in doc["blocks"]
        for segs in ([b["segments"]] if b["type"] == "p" else b.get("items", []))
        for _, h in segs
        if h and h not in annots
    ]


# ---------------------------------------------------------------------------------------------
# Markdown (the reference)
# ---------------------------------------------------------------------------------------------
def md_inline(segs: list[list]) -> str:
    return "".join(f"[{t}]({h})" if h else t for t, h in segs)


def to_markdown(doc: dict) -> str:
    out: list[str] = []
    for b in doc["blocks"]:
        t = b["type"]
        if t == "title":
            out.append(f"# {b['text']}")
        elif t == "dek":
            out.append(f"**{b['text']}**")
        elif t in ("byline", "date"):
            out.append(b["text"])
        elif t == "h2":
            out.append(f"## {b['text']}")
        elif t == "h3":
            out.append(f"### {b['text']}")
        elif t == "p":
            out.append(md_inline(b["segments"]))
        elif t == "ul":
            out.append("\n".join(f"- {md_inline(s)}" for s in b["items"]))
        elif t == "ol":
            out.append("\n".join(f"{i}. {md_inline(s)}" for i, s in enumerate(b["items"], 1)))
        elif t == "quote":
            out.append(f"> {b['text']}")
        elif t == "figure":
            out.append(f"*{b['caption']}*")
        elif t == "table":
            rows = [b["header"], ["---"] * len(b["header"]), *b["rows"]]
            out.append("\n".join("| " + " | ".join(r) + " |" for r in rows))
        elif t == "related":
            out.append(f"**Related article:** [{b['title']}]({b['url']})")
        elif t == "disclaimer":
            out.append(f"*{b['text']}*")
        else:
            raise ValueError(f"unknown block type {t}")
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Hyphenation. This Chromium has no hyphenation dictionaries, so `hyphens: auto` alone breaks no
# word. Layouts with hyphens=True also get soft hyphens (U+00AD) at the points Knuth-Liang finds
# with the Plain TeX patterns (shipped by groff), as sites that hyphenate server-side do.
# ---------------------------------------------------------------------------------------------
TEX_PATTERNS = Path("/usr/share/groff/1.22.4/tmac/hyphen.us")
_PATTERNS: dict[str, list[int]] | None = None


def _patterns() -> dict[str, list[int]]:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = {}
        src = next(iter(sorted(TEX_PATTERNS.parent.parent.glob("*/tmac/hyphen.us"))), TEX_PATTERNS)
        if not src.exists():
            print(f"warning: {TEX_PATTERNS} missing: no soft hyphens", file=sys.stderr)
            return _PATTERNS
        text = src.read_text(encoding="latin-1")
        body = text[text.index("\\patterns{") + 10 :]
        body = body[: body.index("}")]
        for line in body.splitlines():
            for pat in line.split("%")[0].split():
                letters = re.sub(r"\d", "", pat)
                nums = [0] * (len(letters) + 1)
                j = 0
                for ch in pat:
                    if ch.isdigit():
                        nums[j] = int(ch)
                    else:
                        j += 1
                _PATTERNS[letters] = nums
    return _PATTERNS


def hyphenate_word(word: str) -> str:
    """Insert soft hyphens into one alphabetic word of 7+ letters (2 letters kept each side)."""
    if len(word) < 7 or not word.isalpha() or not word.isascii():
        return word
    pats = _patterns()
    w = f".{word.lower()}."
    points = [0] * (len(w) + 1)
    for i in range(len(w)):
        for j in range(i + 1, len(w) + 1):
            nums = pats.get(w[i:j])
            if nums:
                for k, n in enumerate(nums):
                    points[i + k] = max(points[i + k], n)
    out = []
    for i, ch in enumerate(word):
        if 2 <= i <= len(word) - 3 and points[i + 1] % 2:
            out.append("\u00ad")
        out.append(ch)
    return "".join(out)


def soft_hyphenate(text: str) -> str:
    return re.sub(r"[A-Za-z]{7,}", lambda m: hyphenate_word(m.group()), text)


# ---------------------------------------------------------------------------------------------
# HTML (what Chromium prints)
# ---------------------------------------------------------------------------------------------
def h_inline(segs: list[list], hy: bool = False) -> str:
    def esc(t: str) -> str:
        return html.escape(soft_hyphenate(t) if hy else t)

    return "".join(f'<a href="{html.escape(h)}">{esc(t)}</a>' if h else esc(t) for t, h in segs)


def running_texts(doc: dict) -> tuple[str, str]:
    lay, md = doc["layout"], doc["metadata"]
    head = f"{md['site'].upper()} · {lay['section'].replace('-', ' ').title()}"
    foot = f"{doc['host'].removeprefix('www.')} · Subscribe for full access"
    return head, foot


def to_html(doc: dict) -> str:
    lay = doc["layout"]
    fam = (
        '"Liberation Serif", "Times New Roman", serif'
        if lay["font"] == "serif"
        else '"Liberation Sans", Arial, sans-serif'
    )
    head_blocks, body_blocks = [], []
    hy = bool(lay["hyphens"])
    for b in doc["blocks"]:
        t = b["type"]
        if t == "title":
            head_blocks.append(f"<h1>{html.escape(b['text'])}</h1>")
        elif t == "dek":
            head_blocks.append(f'<p class="dek">{html.escape(b["text"])}</p>')
        elif t == "byline":
            head_blocks.append(f'<p class="byline">{html.escape(b["text"])}</p>')
        elif t == "date":
            head_blocks.append(f'<p class="date"><time>{html.escape(b["text"])}</time></p>')
        elif t in ("h2", "h3"):
            body_blocks.append(f"<{t}>{html.escape(b['text'])}</{t}>")
        elif t == "p":
            body_blocks.append(f"<p>{h_inline(b['segments'], hy)}</p>")
        elif t in ("ul", "ol"):
            items = "".join(f"<li>{h_inline(s, hy)}</li>" for s in b["items"])
            body_blocks.append(f"<{t}>{items}</{t}>")
        elif t == "quote":
            body_blocks.append(
                f"<blockquote><p>{h_inline([[b['text'], None]], hy)}</p></blockquote>"
            )
        elif t == "figure":
            body_blocks.append(
                f'<figure><div class="img" style="background:{b["color"]}"></div>'
                f"<figcaption>{html.escape(b['caption'])}</figcaption></figure>"
            )
        elif t == "table":
            th = "".join(f"<th>{html.escape(c)}</th>" for c in b["header"])
            trs = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                for r in b["rows"]
            )
            body_blocks.append(
                f'<table class="data"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'
            )
        elif t == "related":
            body_blocks.append(
                f'<aside class="related"><strong>Related article:</strong> '
                f'<a href="{html.escape(b["url"])}">{html.escape(b["title"])}</a></aside>'
            )
        elif t == "disclaimer":
            body_blocks.append(f'<p class="disclaimer"><em>{html.escape(b["text"])}</em></p>')
    pt = lay["pt"]
    css = f"""
@page {{ size: {PAGE_SIZES[lay["size"]]}; margin: {lay["margin"]}; }}
html {{ -webkit-print-color-adjust: exact; }}
body {{ font-family: {fam}; font-size: {pt}pt; line-height: {lay.get("line_height", 1.38)}; color: #111; margin: 0;
  {"hyphens: auto; -webkit-hyphens: auto;" if lay["hyphens"] else ""} }}
h1 {{ font-size: {pt * 2.1:.1f}pt; line-height: 1.15; margin: 0 0 0.35em; }}
.dek {{ font-size: {pt * 1.25:.1f}pt; font-weight: bold; margin: 0 0 0.6em; color: #333; }}
.byline {{ font-size: {pt * 0.9:.1f}pt; margin: 0; font-weight: bold; }}
.date {{ font-size: {pt * 0.9:.1f}pt; margin: 0 0 1.2em; color: #555; }}
main {{ {f"column-count: {lay['cols']}; column-gap: 8mm;" if lay["cols"] > 1 else ""} text-align: {lay["align"]}; }}
main p {{ margin: 0 0 0.75em; orphans: 2; widows: 2; }}
h2 {{ font-size: {pt * 1.35:.1f}pt; margin: 0.9em 0 0.4em; break-after: avoid; }}
h3 {{ font-size: {pt * 1.12:.1f}pt; margin: 0.8em 0 0.3em; break-after: avoid; }}
blockquote {{ margin: 0.8em 1.2em; padding-left: 0.8em; border-left: 3px solid #999;
  font-style: italic; font-size: {pt * 1.08:.1f}pt; }}
figure {{ margin: 0.8em 0; break-inside: avoid; }}
figure .img {{ height: {34 if lay["cols"] > 1 else 55}mm; width: 100%; border-radius: 2px; }}
figcaption {{ font-size: {pt * 0.85:.1f}pt; font-style: italic; color: #444; margin-top: 0.3em;
  text-align: left; }}
table.data {{ border-collapse: collapse; margin: 0.8em 0; font-size: {pt * 0.9:.1f}pt; break-inside: avoid; }}
table.data th, table.data td {{ border: 1px solid #999; padding: 2px 6px; text-align: left; }}
aside.related {{ margin: 0.8em 0; padding: 0.4em 0.6em; background: #eef2f6; break-inside: avoid;
  text-align: left; }}
.disclaimer {{ font-size: {pt * 0.9:.1f}pt; color: #444; }}
a {{ color: #0b4f8a; }}
ul, ol {{ margin: 0.4em 0 0.8em; padding-left: 1.5em; }}
li {{ margin-bottom: 0.25em; }}
table.frame {{ border-collapse: collapse; width: 100%; }}
table.frame > thead td, table.frame > tfoot td {{ font-size: 8pt; color: #555; }}
.rh {{ border-bottom: 1px solid #aaa; padding-bottom: 1mm; margin-bottom: 4mm; letter-spacing: 0.05em; }}
.rf {{ border-top: 1px solid #aaa; padding-top: 1mm; margin-top: 4mm; }}
"""
    article = (
        "<article><header>"
        + "\n".join(head_blocks)
        + "</header>\n<main>\n"
        + "\n".join(body_blocks)
        + "\n</main></article>"
    )
    if lay["running"]:
        rh, rf = running_texts(doc)
        article = (
            f'<table class="frame"><thead><tr><td><div class="rh">{html.escape(rh)}</div></td></tr>'
            f'</thead><tfoot><tr><td><div class="rf">{html.escape(rf)}</div></td></tr></tfoot>'
            f"<tbody><tr><td>{article}</td></tr></tbody></table>"
        )
    title = f"{doc['metadata']['title']} | {doc['metadata']['site']}"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style></head>\n<body>\n"
        f"{article}\n</body></html>\n"
    )


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(root: Path):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def print_pdf(url: str, host: str, port: int, out: Path, header_footer: bool) -> None:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--host-resolver-rules=MAP {host} 127.0.0.1:{port}",
            f"--print-to-pdf={out}",
            "--virtual-time-budget=2000",
        ]
        if not header_footer:
            cmd.append("--no-pdf-header-footer")
        subprocess.run([*cmd, url], check=True, capture_output=True, timeout=120)
    if not out.exists() or out.stat().st_size < 500:
        raise RuntimeError(f"chromium printed nothing for {url}")


def norm_tokens(text: str) -> list[str]:
    text = text.replace("\u00ad", "").replace("\ufffe", "").replace("\x02", "")
    text = re.sub(r"[-\u2010]\s*\r?\n", "", text)
    return [t for t in (re.sub(r"\W+", "", w).lower() for w in text.split()) if t]


def page_texts(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(str(pdf))
    try:
        return [d[i].get_textpage().get_text_range() for i in range(len(d))]
    finally:
        d.close()


def find_break_links(doc: dict, pages: list[str]) -> list[dict]:
    """Plain paragraphs that a page break cuts: a link on 3 words before and 3 after the break."""
    toks = [norm_tokens(t) for t in pages]
    found: list[dict] = []

    def occurs(seq: list[str], hay: list[str]) -> bool:
        n = len(seq)
        return any(hay[i : i + n] == seq for i in range(len(hay) - n + 1))

    for k in range(len(toks) - 1):
        for bi, b in enumerate(doc["blocks"]):
            if b["type"] != "p":
                continue
            for si, (p, href) in enumerate(b["segments"]):
                if href:
                    continue
                words = [m.group() for m in re.finditer(r"\S+", p)]
                nw = [re.sub(r"\W+", "", w).lower() for w in words]
                for i in range(4, len(words) - 4):
                    if "" in nw[i - 4 : i + 4]:
                        continue
                    if (
                        occurs(nw[i - 4 : i], toks[k])
                        and occurs(nw[i : i + 4], toks[k + 1][:120])
                        and not occurs(nw[i - 1 : i + 1], toks[k])
                        and not occurs(nw[i - 1 : i + 1], toks[k + 1])
                    ):
                        found.append(
                            {
                                "block": bi,
                                "segment": si,
                                "start": i - 3,
                                "end": i + 3,
                                "page_break_after": k + 1,
                                "href": url_for(" ".join(words[i - 3 : i + 3]), random.Random(bi)),
                            }
                        )
                        break
    return found


def pdf_links(pdf: Path) -> dict[str, list[int]]:
    """URI -> the page of each link annotation (Chromium writes one per line of an anchor)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found: dict[str, list[int]] = {}
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            page = doc[i]
            pos, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
            while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
                action = pdfium_c.FPDFLink_GetAction(link)
                if not action:
                    continue
                n = pdfium_c.FPDFAction_GetURIPath(doc.raw, action, None, 0)
                buf = ctypes.create_string_buffer(n)
                pdfium_c.FPDFAction_GetURIPath(doc.raw, action, buf, n)
                found.setdefault(buf.value.decode("utf-8", "replace"), []).append(i + 1)
            page.close()
    finally:
        doc.close()
    return found


DATE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}, \d{1,2}:\d{2}\s?[AP]M")


def forbidden_strings(doc: dict, pages: list[str]) -> list[str]:
    lay = doc["layout"]
    out: list[str] = []
    if lay["hf"]:
        m = DATE_RE.search(pages[0])
        if m:
            out.append(m.group())
        out.append(doc["metadata"]["page_url"])
        n = len(pages)
        out += [f"{i}/{n}" for i in range(1, n + 1)]
        out.append(f"| {doc['metadata']['site']}")
    if lay["running"]:
        out += list(running_texts(doc))
    return out


def render_one(doc: dict, tmp: Path, port: int, pdf: Path) -> list[str]:
    page = tmp / doc["path"].lstrip("/")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(to_html(doc), encoding="utf-8")
    url = f"http://{doc['host']}{doc['path']}"
    print_pdf(url, doc["host"], port, pdf, doc["layout"]["hf"])
    return page_texts(pdf)


def write_outputs(
    doc: dict,
    break_link: dict | None,
    pages: list[str] | None,
    out: Path,
    unlinked: list[str] | None = None,
) -> None:
    name = doc["name"]
    (out / f"{name}.expected.md").write_text(to_markdown(doc), encoding="utf-8")
    meta_path = out / f"{name}.meta.json"
    old = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    md = dict(doc["metadata"])
    lay = doc["layout"]
    meta = {
        "name": name,
        "layout": {k: v for k, v in lay.items() if k not in ("name",)},
        "metadata": {
            "title": md["title"],
            "authors": md["authors"],
            "date": md["date"],
            # the URL a reader of the PDF can know: Chromium prints it in the footer
            "url": md["page_url"] if lay["hf"] else None,
            "site": md["site"],
        },
        "page_url": md["page_url"],
        "pages": len(pages) if pages is not None else old.get("pages"),
        "forbidden": forbidden_strings(doc, pages) if pages is not None else old.get("forbidden"),
        "page_break_link": break_link,
        # links of the source that Chromium printed without an annotation: plain text here
        "unlinked": unlinked or [],
        # annotation_pages: the page of each of the link's annotations in the PDF (one per
        # printed line: 2+ = the anchor wraps; two pages = it crosses a page break)
        "links": [
            {"anchor": t, "href": h}
            for b in doc["blocks"]
            for segs in ([b["segments"]] if b["type"] == "p" else b.get("items", []))
            for t, h in segs
            if h
        ]
        + [
            {"anchor": b["title"], "href": b["url"]}
            for b in doc["blocks"]
            if b["type"] == "related"
        ],
        "sources": {"corpus": "aeb-dev", "keys": doc["sources"]},
    }
    pdf = out / f"{name}.pdf"
    if pdf.exists():
        annots = pdf_links(pdf)
        for link in meta["links"]:
            link["annotation_pages"] = annots.get(link["href"], [])
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--only", help="comma-separated document names")
    ap.add_argument(
        "--markdown-only",
        action="store_true",
        help="rebuild the .expected.md from the structure (no Chromium)",
    )
    args = ap.parse_args(argv)
    gt = load_ground_truth()
    args.out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    if args.markdown_only:
        for i, spec in enumerate(SPECS):
            if only and spec["name"] not in only:
                continue
            meta = json.loads((args.out / f"{spec['name']}.meta.json").read_text())
            spec = {**spec, "line_height": meta["layout"].get("line_height", 1.38)}
            doc = build_document(spec, gt, i, meta.get("page_break_link"))
            gone = missing_links(doc, args.out / f"{spec['name']}.pdf")
            write_outputs(unlink(doc, gone), meta.get("page_break_link"), None, args.out, gone)
        return 0
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM} (set CHROMIUM=...)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        with serve(tmp) as port:
            for i, spec in enumerate(SPECS):
                if only and spec["name"] not in only:
                    continue
                pdf = args.out / f"{spec['name']}.pdf"
                # A page break that cuts a paragraph is needed for the page-break link; when
                # every break falls between blocks, open the lines a little and print again.
                # Chromium sometimes drops the annotation of a link's part on the next page (or
                # puts it on the wrong page): such a candidate is not kept.
                link = None
                for lh in (1.38, 1.42, 1.46, 1.5, 1.34, 1.3):
                    spec = {**SPECS[i], "line_height": lh}
                    base = build_structure(spec, gt, i)
                    pages = render_one(base, tmp, port, pdf)
                    if len(pages) == 1:
                        break
                    for cand in find_break_links(base, pages)[:4]:
                        doc = apply_break_link(copy.deepcopy(base), cand)
                        pages2 = render_one(doc, tmp, port, pdf)
                        on = pdf_links(pdf).get(cand["href"], [])
                        if len(pages2) == len(pages) and len(set(on)) == 2:
                            link, pages = cand, pages2
                            break
                    if link:
                        break
                if not link:
                    spec = {**SPECS[i], "line_height": 1.38}
                    doc = build_structure(spec, gt, i)
                    pages = render_one(doc, tmp, port, pdf)
                gone = missing_links(doc, pdf)
                write_outputs(unlink(doc, gone), link, pages, args.out, gone)
                print(
                    f"{spec['name']:40s} {len(pages)} pages  break-link: {'yes' if link else 'no'}",
                    flush=True,
                )
    for leftover in args.out.glob("*.html"):
        leftover.unlink()
    shutil.rmtree(args.out / "__pycache__", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
