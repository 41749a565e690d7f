"""The five public collections of saved web pages the corpus is made from, read from their
mirrors (bare git repositories; ``fetch github:owner/name`` brings them under /work/.mirror/).

Each reader yields one record per saved page: where it came from (repository, commit, path,
license), its URL and how that URL is known, the raw HTML bytes, and whatever reference the
collection itself holds (``gold``: fields a person wrote or checked; ``snippets``: trafilatura's
"with"/"without" segments). Standard library only: the builder runs this under any Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

MIRRORS = Path(os.environ.get("REFLOW_MIRRORS", "/work/.mirror"))

# name -> (owner/name on GitHub, license of the collection)
REPOS = {
    "trafilatura": ("adbar/trafilatura", "Apache-2.0"),
    "htmldate": ("adbar/htmldate", "Apache-2.0"),
    "postlight": ("postlight/parser", "MIT OR Apache-2.0"),
    "goose3": ("goose3/goose3", "Apache-2.0"),
    "newspaper4k": ("AndyTheFactory/newspaper4k", "MIT"),
}


class Mirror:
    """A bare git mirror, read at one commit."""

    def __init__(self, repo: str, commit: str | None = None) -> None:
        self.repo = repo
        self.git_dir = MIRRORS / repo.replace("/", "+") / "repo"
        if not self.git_dir.exists():
            raise FileNotFoundError(f"no mirror of {repo} at {self.git_dir} (fetch github:{repo})")
        self.commit = commit or self._git("rev-parse", "HEAD").decode().strip()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True
        ).stdout

    def ls(self, folder: str) -> list[str]:
        out = self._git("ls-tree", "-r", "-z", "--name-only", self.commit, folder)
        return [p for p in out.decode("utf-8").split("\0") if p]

    def show(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def exists(self, path: str) -> bool:
        r = subprocess.run(
            ["git", f"--git-dir={self.git_dir}", "cat-file", "-e", f"{self.commit}:{path}"],
            capture_output=True,
        )
        return r.returncode == 0


def _record(src: str, m: Mirror, path: str, url: str, url_from: str, html: bytes, **kw) -> dict:
    repo, lic = REPOS[src]
    rec = {
        "source": src,
        "repo": repo,
        "commit": m.commit,
        "path": path,
        "license": lic,
        "url": url.strip(),
        "url_from": url_from,
        "html": html,
        "gold": {},
        "snippets": None,
    }
    rec.update(kw)
    return rec


def _iso_day(value) -> str | None:
    """The day of an ISO-ish date string (YYYY-MM-DD), or None."""
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    return "-".join(m.groups()) if m else None


def _authors(value) -> list[str] | None:
    """A list of names from a collection's author field (a string may hold several)."""
    if value is None:
        return None
    if isinstance(value, list):
        names = [str(v).strip() for v in value]
    else:
        names = [p.strip() for p in re.split(r";|,| and | & | und | et | y ", str(value))]
    names = [n for n in names if n and "http" not in n and "@" not in n]
    return names


# --- adbar/trafilatura: tests/evaldata.json over tests/cache and tests/eval -----------------


def trafilatura(m: Mirror | None = None) -> Iterator[dict]:
    """990 annotated pages. Gold: the URL (the annotation's key), the "with"/"without"
    segments, and the curated title, author and date where the annotators gave them (an
    empty author means "none given", not "no author", so it is not used)."""
    m = m or Mirror(REPOS["trafilatura"][0])
    data = json.loads(m.show("tests/evaldata.json"))
    for url, item in data.items():
        path = None
        for sub in ("cache", "eval"):
            p = f"tests/{sub}/{item['file']}"
            if m.exists(p):
                path = p
                break
        if path is None:
            continue
        gold = {}
        if item.get("title"):
            gold["title"] = item["title"].strip()
        names = _authors(item.get("author")) if item.get("author") else None
        if names:
            gold["authors"] = names
        if _iso_day(item.get("date")):
            gold["date"] = _iso_day(item["date"])
        html = m.show(path)
        url_from = "collection"
        if not url.startswith("http"):  # keys like "hard::file.html": no URL in the annotation
            url, url_from = canonical_url(html), "canonical"
            if not url:
                continue
        yield _record(
            "trafilatura",
            m,
            path,
            url,
            url_from,
            html,
            gold=gold,
            snippets={"with": item.get("with") or [], "without": item.get("without") or []},
        )


# --- adbar/htmldate: gold publication dates -----------------------------------------------


def htmldate(m: Mirror | None = None) -> Iterator[dict]:
    """Pages with a hand-checked publication date (day), from eval_default.json (BBAW
    collection, mostly German) and eval_mediacloud_2020.json (news worldwide)."""
    m = m or Mirror(REPOS["htmldate"][0])
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        data = json.loads(m.show(f"tests/{name}"))
        for url, item in data.items():
            path = None
            for sub in ("test_set", "cache", "eval"):
                p = f"tests/{sub}/{item['file']}"
                if m.exists(p):
                    path = p
                    break
            if path is None or not _iso_day(item.get("date")):
                continue
            yield _record(
                "htmldate",
                m,
                path,
                url,
                "collection",
                m.show(path),
                gold={"date": _iso_day(item["date"])},
            )


# --- postlight/parser: fixtures + the expected fields in each custom extractor's test ------

_JS_STR = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)"""
_JS_EXPR = rf"(?:{_JS_STR}(?:\s*\+\s*{_JS_STR})*|null)"


def _js_value(expr: str) -> str | None:
    expr = expr.strip()
    if expr == "null":
        return None
    out = []
    for lit in re.findall(_JS_STR, expr, flags=re.S):
        body = lit[1:-1]
        body = re.sub(
            r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)",
            lambda mm: (
                chr(int(mm.group(1)[1:], 16))
                if mm.group(1)[0] in "xu" and len(mm.group(1)) > 1
                else {"n": "\n", "t": "\t"}.get(mm.group(1), mm.group(1))
            ),
            body,
            flags=re.S,
        )
        out.append(body)
    return "".join(out)


def postlight(m: Mirror | None = None) -> Iterator[dict]:
    """Fixtures of postlight's custom extractors. Gold: the URL the test parses the fixture
    as, and the title, author and date_published its test expects (written by the
    extractor's author from the article). Only each test file's first case is used."""
    m = m or Mirror(REPOS["postlight"][0])
    seen = set()
    for test in m.ls("src/extractors/custom"):
        if not test.endswith(".test.js"):
            continue
        js = m.show(test).decode("utf-8")
        first = js.split("describe(", 2)
        case = first[2] if len(first) > 2 else js
        case = re.split(r"\n  describe\(", case)[0]
        um = re.search(rf"url\s*=\s*({_JS_EXPR})", case)
        fm = re.search(r"readFileSync\(\s*'\./(fixtures/[^']+)'", case)
        if not um or not fm:
            continue
        path = fm.group(1)
        if path in seen or not m.exists(path):
            continue
        seen.add(path)
        gold = {}
        for field in ("title", "author", "date_published"):
            am = re.search(rf"assert\.equal\(\s*{field}\s*,\s*({_JS_EXPR})\s*\)", case, flags=re.S)
            if not am:
                continue
            v = _js_value(am.group(1))
            if field == "title" and v:
                gold["title"] = " ".join(v.split())
            elif field == "author" and v:
                names = _authors(v)
                if names:
                    gold["authors"] = names
            elif field == "date_published" and _iso_day(v):
                # postlight gives UTC instants; the day is the UTC day (may differ from the
                # page's local day near midnight)
                gold["date"] = _iso_day(v)
                gold["date_utc"] = v
        yield _record(
            "postlight", m, path, _js_value(um.group(1)), "collection", m.show(path), gold=gold
        )


# --- goose3/goose3: tests/data/*/*.html + *.json ("expected") ------------------------------


def goose3(m: Mirror | None = None) -> Iterator[dict]:
    """goose3's test pages. Gold: the URL, the title, authors and publish date the tests
    expect, and the start of the cleaned text (kept as a "with" segment)."""
    m = m or Mirror(REPOS["goose3"][0])
    for path in m.ls("tests/data"):
        if not path.endswith(".html"):
            continue
        jpath = path[:-5] + ".json"
        if not m.exists(jpath):
            continue
        try:
            meta = json.loads(m.show(jpath))
        except ValueError:
            continue
        url = meta.get("url")
        if not url:
            continue
        exp = meta.get("expected") or {}
        gold = {}
        if isinstance(exp.get("title"), str) and exp["title"].strip():
            gold["title"] = exp["title"].strip()
        if exp.get("authors"):
            names = _authors(exp["authors"])
            if names:
                gold["authors"] = names
        if _iso_day(exp.get("publish_date")):
            gold["date"] = _iso_day(exp["publish_date"])
        text = exp.get("cleaned_text")
        snippets = (
            {"with": [text.strip()], "without": []}
            if isinstance(text, str) and text.strip()
            else None
        )
        yield _record(
            "goose3", m, path, url, "collection", m.show(path), gold=gold, snippets=snippets
        )


# --- AndyTheFactory/newspaper4k: tests/data/html + metadata --------------------------------

_SKIP_NEWSPAPER = ("meta_refresh", "sample_rss", "main_site")


def newspaper4k(m: Mirror | None = None) -> Iterator[dict]:
    """newspaper4k's test pages. Their metadata and text files are that extractor's own
    expected output (authors like "www.facebook.com" show it), so they are no gold: only the
    URL is taken from them (or from the page's canonical/og:url link when the metadata has
    none; ``url_from`` says which)."""
    m = m or Mirror(REPOS["newspaper4k"][0])
    for path in m.ls("tests/data/html"):
        name = Path(path).stem
        if any(s in name for s in _SKIP_NEWSPAPER):
            continue
        html = m.show(path)
        url, url_from = None, None
        jpath = f"tests/data/metadata/{name}.json"
        if m.exists(jpath):
            meta = json.loads(m.show(jpath))
            if isinstance(meta.get("url"), str) and meta["url"].startswith("http"):
                url, url_from = meta["url"], "collection"
        if url is None:
            url = canonical_url(html)
            url_from = "canonical"
        if not url:
            continue
        yield _record("newspaper4k", m, path, url, url_from, html)


_LINK_RE = [
    re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)["']""", re.I),
    re.compile(rb"""<link[^>]+href=["']([^"']+)["'][^>]*rel=["']?canonical""", re.I),
    re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']""", re.I),
    re.compile(rb"""<meta[^>]+content=["']([^"']+)["'][^>]*property=["']og:url""", re.I),
]


def canonical_url(html: bytes) -> str | None:
    for rx in _LINK_RE:
        mm = rx.search(html)
        if mm:
            u = mm.group(1).decode("utf-8", "replace").strip()
            if u.startswith("http"):
                return u
    return None


READERS = {
    "trafilatura": trafilatura,
    "postlight": postlight,
    "goose3": goose3,
    "htmldate": htmldate,
    "newspaper4k": newspaper4k,
}
