"""Quality metrics: pure functions on strings and lists (pure Python + rapidfuzz).

Every function takes the reference first and the output second. Markdown inputs are reduced to
words or blocks by :func:`strip_markdown` / :func:`md_blocks`, so an output is not rewarded or
punished for its Markdown syntax, only for its text, its blocks, its links and its headings.

Scores in ``[0, 1]``; precision/recall/F1 results are dicts with the counts they came from
(``tp``, ``n_ref``, ``n_out``) so a corpus can sum them (micro average) with :func:`prf`.

``aeb_*`` reproduce the article-body metric of the ScrapingHub article-extraction benchmark
(``evaluate.py`` of github.com/scrapinghub/article-extraction-benchmark, MIT): tokens are ``\\w+``
runs, word 4-shingles are counted per document, TP/FP/FN are normalised to sum 1 per document,
and the corpus precision and recall are the means over documents (precision over documents with
TP+FP > 0, recall over documents with TP+FN > 0), F1 the harmonic mean of the two means.
"""

from __future__ import annotations

import html
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "strip_markdown",
    "strip_trailer",
    "split_front_matter",
    "md_words",
    "md_blocks",
    "prf",
    "text_similarity",
    "match_blocks",
    "paragraph_f1",
    "reading_order",
    "order_from_matches",
    "md_links",
    "link_f1",
    "md_headings",
    "heading_f1",
    "normalize_url",
    "metadata_accuracy",
    "furniture_leaks",
    "aeb_tokenize",
    "aeb_tp_fp_fn",
    "aeb_scores",
    "aeb_corpus",
    "aeb_bootstrap",
]

# ---------------------------------------------------------------------------------------------
# Markdown -> text

# Backslash escapes are swapped for private-use characters while syntax is stripped, so an
# escaped "\*" survives as a literal "*" and is never mistaken for emphasis.
_ESCAPABLE = "\\`*_{}[]()#+-.!|<>~\"'$&:;=?@^"
_PROTECT = {c: chr(0xF0000 + i) for i, c in enumerate(_ESCAPABLE)}
_UNPROTECT = str.maketrans({v: k for k, v in _PROTECT.items()})
_ESCAPE_RE = re.compile(r"\\([" + re.escape(_ESCAPABLE) + r"])")

_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE_RE = re.compile(r"^ {0,3}>[ \t]?")
_LIST_RE = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_TABLE_SEP_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK_RE = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[^()\s<>]|\([^()]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_REFLINK_RE = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\[[^\]]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+)>", re.I)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG_RE = re.compile(r"\*\*|__|~~")
_EM_RE = re.compile(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])")
_CODE_RE = re.compile(r"`+")
_WS_RE = re.compile(r"\s+")


def split_front_matter(md: str) -> tuple[dict, str]:
    """``(fields, body)`` of a Markdown text with YAML front matter (a small subset of YAML:
    ``key: value``, quoted strings, and ``key:`` followed by ``  - item`` lists)."""
    m = _FRONT_MATTER_RE.match(md)
    if not m:
        return {}, md
    fields: dict = {}
    key = None
    for raw in m.group(1).splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s*(.*)$", raw)
        if item and key is not None:
            if not isinstance(fields.get(key), list):
                fields[key] = []
            fields[key].append(_yaml_scalar(item.group(1)))
            continue
        kv = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", raw)
        if kv:
            key = kv.group(1)
            value = kv.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                inner = value[1:-1].strip()
                fields[key] = [_yaml_scalar(v) for v in inner.split(",")] if inner else []
            else:
                fields[key] = _yaml_scalar(value) if value else None
    return fields, md[m.end() :]


def _yaml_scalar(s: str):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return re.sub(r"\\(.)", r"\1", s[1:-1])
    if len(s) >= 2 and s[0] == s[-1] == "'":
        return s[1:-1].replace("''", "'")
    return s


def strip_trailer(md: str) -> str:
    """Drop reflow's appendix of unattached URLs: a last ``---`` rule followed by at most one
    label line and a list of links only. Anything else after the rule is kept."""
    lines = md.rstrip().split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() != "---":
            continue
        rest = [ln.strip() for ln in lines[i + 1 :] if ln.strip()]
        items = [ln for ln in rest if re.match(r"^[-*+]\s+(<[^>]+>|\[[^\]]*\]\([^)]*\))\s*$", ln)]
        others = [ln for ln in rest if ln not in items]
        if items and len(others) <= 1 and (not others or rest[0] == others[0]):
            return "\n".join(lines[:i]).rstrip() + "\n"
        break
    return md


def _strip_inline(s: str) -> str:
    s = _IMAGE_RE.sub(r"\1", s)
    # Links: keep the anchor (repeat for anchors that themselves contain brackets).
    for _ in range(3):
        new = _LINK_RE.sub(r"\1", s)
        if new == s:
            break
        s = new
    s = _REFLINK_RE.sub(r"\1", s)
    s = _AUTOLINK_RE.sub(r"\1", s)
    s = _TAG_RE.sub(" ", s)
    s = _STRONG_RE.sub("", s)
    s = _EM_RE.sub("", s)
    s = _CODE_RE.sub("", s)
    return s


def _strip_lines(md: str) -> list[str]:
    """Markdown lines with block syntax removed; "" marks a block boundary."""
    _, md = split_front_matter(md)
    md = _COMMENT_RE.sub("", md.replace("\r\n", "\n").replace("\r", "\n"))
    md = _ESCAPE_RE.sub(lambda m: _PROTECT[m.group(1)], md)
    out: list[str] = []
    in_code = False
    for line in md.split("\n"):
        if _FENCE_RE.match(line):
            in_code = not in_code
            out.append("")
            continue
        if in_code:
            out.append(line)
            continue
        if not line.strip():
            out.append("")
            continue
        if _TABLE_SEP_RE.match(line) and "|" in line:
            continue  # the rule under a table's header row: the table stays one block
        if _HR_RE.match(line):
            out.append("")
            continue
        if _SETEXT_RE.match(line) and out and out[-1]:
            out.append("")  # underline of a setext heading
            continue
        while _QUOTE_RE.match(line):
            line = _QUOTE_RE.sub("", line, count=1)
        h = _HEADING_RE.match(line)
        if h:
            out.append("")  # a heading is its own block
            out.append(_strip_inline(h.group(2) or ""))
            out.append("")
            continue
        if _LIST_RE.match(line):
            out.append("")  # each list item is its own block
            line = _LIST_RE.sub("", line, count=1)
        if line.lstrip().startswith("|") or line.count("|") >= 2:
            line = line.replace("|", " ")
        out.append(_strip_inline(line))
    return out


def _finish(s: str) -> str:
    s = s.translate(_UNPROTECT)
    s = html.unescape(s)
    return unicodedata.normalize("NFKC", s)


def strip_markdown(md: str) -> str:
    """Plain text of a Markdown document: blocks separated by blank lines, each block on one
    line, whitespace collapsed; link targets dropped (anchor text kept), emphasis, heading,
    quote and list markers, table pipes, HTML comments and tags removed, escapes undone."""
    return "\n\n".join(md_blocks(md)) + "\n" if md.strip() else ""


def md_blocks(md: str) -> list[str]:
    """Blocks of a Markdown text: split on blank lines (each heading and each list item is a
    block of its own), syntax stripped, whitespace normalised; empty blocks dropped."""
    blocks: list[str] = []
    cur: list[str] = []
    for line in _strip_lines(md) + [""]:
        if line.strip():
            cur.append(line)
        elif cur:
            text = _WS_RE.sub(" ", _finish(" ".join(cur))).strip()
            if text:
                blocks.append(text)
            cur = []
    return blocks


def md_words(md: str) -> list[str]:
    """Words of a Markdown text (syntax stripped, split on whitespace)."""
    return " ".join(md_blocks(md)).split()


def _norm_text(s: str) -> str:
    return _WS_RE.sub(" ", unicodedata.normalize("NFKC", s)).strip()


def _as_blocks(x: str | Sequence[str]) -> list[str]:
    """A Markdown string is split into blocks; a list is taken as blocks (syntax stripped)."""
    if isinstance(x, str):
        return md_blocks(x)
    out = []
    for b in x:
        nb = md_blocks(b)
        text = " ".join(nb) if nb else ""
        if text:
            out.append(text)
    return out


# ---------------------------------------------------------------------------------------------
# Scores


def prf(tp: float, n_ref: float, n_out: float) -> dict:
    """Precision, recall and F1 from counts. Nothing expected and nothing found is perfect;
    something found when nothing was expected has precision 0."""
    precision = tp / n_out if n_out else (1.0 if not n_ref else 0.0)
    recall = tp / n_ref if n_ref else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "n_ref": n_ref,
        "n_out": n_out,
    }


def text_similarity(ref_md: str, out_md: str) -> float:
    """1 - normalised Levenshtein distance between the two word streams (edits counted in
    words; normalised by the longer stream). Two empty texts are identical (1.0)."""
    ref, out = md_words(ref_md), md_words(out_md)
    if not ref and not out:
        return 1.0
    ids: dict[str, int] = {}
    a = [ids.setdefault(w, len(ids)) for w in ref]
    b = [ids.setdefault(w, len(ids)) for w in out]
    return 1.0 - Levenshtein.normalized_distance(a, b)


def match_blocks(
    ref_blocks: str | Sequence[str], out_blocks: str | Sequence[str], threshold: float = 95.0
) -> list[tuple[int, int, float]]:
    """One-to-one matching of reference to output blocks at ``fuzz.ratio >= threshold``,
    greedy on best scores (identical blocks first). Returns ``(ref_index, out_index, score)``
    sorted by reference index."""
    ref, out = _as_blocks(ref_blocks), _as_blocks(out_blocks)
    pairs: list[tuple[float, int, int]] = []
    exact: dict[str, list[int]] = {}
    for j, b in enumerate(out):
        exact.setdefault(b, []).append(j)
    used_r: set[int] = set()
    used_o: set[int] = set()
    matches: list[tuple[int, int, float]] = []
    for i, a in enumerate(ref):  # identical blocks, in order
        js = exact.get(a)
        if js:
            j = js.pop(0)
            used_r.add(i)
            used_o.add(j)
            matches.append((i, j, 100.0))
    rest_out = [j for j in range(len(out)) if j not in used_o]
    choices = {j: out[j] for j in rest_out}
    for i, a in enumerate(ref):
        if i in used_r or not choices:
            continue
        # Blocks whose length differs too much cannot reach the threshold: skip them cheaply.
        for _, score, j in process.extract(
            a, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):
            pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    for score, i, j in pairs:
        if i in used_r or j in used_o:
            continue
        used_r.add(i)
        used_o.add(j)
        matches.append((i, j, score))
    matches.sort()
    return matches


def paragraph_f1(
    ref_blocks: str | Sequence[str], out_blocks: str | Sequence[str], threshold: float = 95.0
) -> dict:
    """Block precision/recall/F1: a block counts when it is matched one-to-one with
    ``fuzz.ratio >= threshold`` (so a paragraph split in two, or two merged, is a miss)."""
    ref, out = _as_blocks(ref_blocks), _as_blocks(out_blocks)
    return prf(len(match_blocks(ref, out, threshold)), len(ref), len(out))


def _lis_length(seq: Sequence[int]) -> int:
    import bisect

    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def reading_order(
    ref_blocks: str | Sequence[str], out_blocks: str | Sequence[str], threshold: float = 95.0
) -> float:
    """Share of matched blocks that the output has in the reference's order: the longest
    increasing subsequence of output positions over the matched pairs (in reference order)
    divided by the number of matched pairs. 0.0 when nothing matched."""
    return order_from_matches(match_blocks(ref_blocks, out_blocks, threshold))


def order_from_matches(matches: Sequence[tuple[int, int, float]]) -> float:
    """:func:`reading_order` from the pairs :func:`match_blocks` returned (reuse one matching)."""
    if not matches:
        return 0.0
    ordered = sorted(matches)
    return _lis_length([j for _, j, _ in ordered]) / len(ordered)


def md_links(md: str) -> list[tuple[str, str]]:
    """``(anchor, url)`` of the inline links ``[anchor](url)`` and autolinks ``<url>`` (whose
    anchor is the URL), anchors normalised (syntax stripped, whitespace collapsed, casefolded)."""
    _, md = split_front_matter(md)
    md = _COMMENT_RE.sub("", md)
    md = _ESCAPE_RE.sub(lambda m: _PROTECT[m.group(1)], md)
    md = _IMAGE_RE.sub(r"\1", md)
    found: list[tuple[int, str, str]] = []
    for m in _LINK_RE.finditer(md):
        anchor = _WS_RE.sub(" ", _finish(_strip_inline(m.group(1)))).strip().casefold()
        found.append((m.start(), anchor, _finish(m.group(2)).strip()))
    for m in _AUTOLINK_RE.finditer(md):
        url = _finish(m.group(1)).strip()
        found.append((m.start(), url.casefold(), url))
    found.sort()
    return [(a, u) for _, a, u in found]


def _counter_prf(ref: Iterable, out: Iterable) -> dict:
    r, o = Counter(ref), Counter(out)
    tp = sum((r & o).values())
    return prf(tp, sum(r.values()), sum(o.values()))


def link_f1(ref_md: str, out_md: str) -> dict:
    """Precision/recall/F1 on ``(anchor text, URL)`` pairs (multisets): a link counts only when
    both its anchor and its target are right."""
    return _counter_prf(md_links(ref_md), md_links(out_md))


def md_headings(md: str) -> list[tuple[int, str]]:
    """``(level, text)`` of the ATX headings (text stripped of syntax, casefolded)."""
    _, md = split_front_matter(md)
    md = _ESCAPE_RE.sub(lambda m: _PROTECT[m.group(1)], md)
    out = []
    in_code = False
    for line in md.split("\n"):
        if _FENCE_RE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        while _QUOTE_RE.match(line):
            line = _QUOTE_RE.sub("", line, count=1)
        h = _HEADING_RE.match(line)
        if h:
            text = _WS_RE.sub(" ", _finish(_strip_inline(h.group(2) or ""))).strip().casefold()
            if text:
                out.append((len(h.group(1)), text))
    return out


def heading_f1(ref_md: str, out_md: str, levels: bool = True) -> dict:
    """Precision/recall/F1 on the ATX headings: on ``(level, text)``, or on the text alone
    with ``levels=False``."""
    ref, out = md_headings(ref_md), md_headings(out_md)
    if not levels:
        return _counter_prf([t for _, t in ref], [t for _, t in out])
    return _counter_prf(ref, out)


# ---------------------------------------------------------------------------------------------
# Metadata

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref|ref_src|"
    r"cmpid|icid|ncid|mbid|ocid|smid|sr_share|share|s_cid|cid|__twitter_impression|"
    r"partner|rss|src|via)$",
    re.I,
)


def normalize_url(url: str) -> str:
    """A URL compared modulo scheme, letter case of the host, a trailing slash, the fragment
    and tracking parameters of the query (``utm_*``, ``fbclid``, ...)."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url.lstrip("/")
    parts = urlsplit(url)
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
    )
    path = parts.path.rstrip("/")
    return urlunsplit(("", parts.netloc.lower(), path, query, "")).lstrip("/")


def _norm_title(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").casefold()
    s = re.sub(r"[\u2018\u2019\u201c\u201d\"'`]", "", s)
    return _WS_RE.sub(" ", s).strip()


def _parse_day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    if not s:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    s2 = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s).replace(",", " ")
    s2 = _WS_RE.sub(" ", s2).strip()
    for fmt in ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(s2, fmt).date()
        except ValueError:
            continue
    return None


def _authors(value) -> set[str]:
    if not value:
        return set()
    if isinstance(value, str):
        value = [value]
    return {
        _WS_RE.sub(" ", unicodedata.normalize("NFKC", a)).strip().casefold() for a in value if a
    }


def metadata_accuracy(ref: dict, out: dict) -> dict[str, bool]:
    """Which metadata fields the output got right, scored only where the reference has one:
    ``title`` (fuzz.ratio >= 90 after normalising case, quotes and whitespace; a list of titles
    means any of them is right), ``authors``
    (set equality, case-insensitive), ``date`` (same day), ``url`` (:func:`normalize_url`)."""
    out = out or {}
    result: dict[str, bool] = {}
    if ref.get("title"):
        got = _norm_title(out.get("title") or "")
        wants = [ref["title"]] if isinstance(ref["title"], str) else list(ref["title"])
        result["title"] = bool(got) and any(fuzz.ratio(_norm_title(w), got) >= 90 for w in wants)
    if ref.get("authors"):
        result["authors"] = _authors(ref["authors"]) == _authors(out.get("authors"))
    if ref.get("date"):
        want = _parse_day(ref["date"])
        result["date"] = want is not None and want == _parse_day(out.get("date"))
    if ref.get("url"):
        got = normalize_url(out.get("url") or "")
        result["url"] = bool(got) and normalize_url(ref["url"]) == got
    return result


def furniture_leaks(out_md: str, forbidden: Iterable[str]) -> list[str]:
    """The forbidden strings (running headers, page numbers, print furniture...) that appear in
    the output, looked for in the raw Markdown and in its stripped text, whitespace collapsed,
    as whole tokens (no letter or digit glued to either end)."""
    raw = _norm_text(out_md)
    plain = _norm_text(" ".join(md_blocks(out_md)))
    found = []
    for f in forbidden:
        needle = _norm_text(f or "")
        if not needle:
            continue
        # Whole tokens only: "1/2" (a page counter) is not a leak inside "11/25/26".
        pat = re.escape(needle)
        if re.match(r"\w", needle):
            pat = r"(?<!\w)" + pat
        if re.search(r"\w$", needle):
            pat += r"(?!\w)"
        if re.search(pat, raw) or re.search(pat, plain):
            found.append(f)
    return found


# ---------------------------------------------------------------------------------------------
# ScrapingHub article-extraction benchmark (article body)

_AEB_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def aeb_tokenize(text: str) -> list[str]:
    """``\\w+`` runs, as the benchmark tokenises (case kept)."""
    return _AEB_TOKEN_RE.findall(text or "")


def _aeb_shingles(text: str, n: int) -> Counter:
    tokens = aeb_tokenize(text)
    grams = []
    for i in range(0, max(1, len(tokens) - n + 1)):
        g = tuple(tokens[i : i + n])
        if g:
            grams.append(g)
    return Counter(grams)


def aeb_tp_fp_fn(ref_body: str, out_text: str, n: int = 4) -> tuple[float, float, float]:
    """TP/FP/FN over word n-shingle multisets, normalised so that they sum to 1 (a text shorter
    than n words is one shorter shingle; two empty texts give (0, 0, 0))."""
    true, pred = _aeb_shingles(ref_body, n), _aeb_shingles(out_text, n)
    tp = fp = fn = 0.0
    for key in set(true) | set(pred):
        t, p = true.get(key, 0), pred.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    if s > 0:
        return (tp / s, fp / s, fn / s)
    return (tp, fp, fn)


def _aeb_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _aeb_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def aeb_scores(ref_body: str, out_text: str, n: int = 4) -> dict:
    """One document's benchmark scores: ``tp``, ``fp``, ``fn`` (normalised), ``precision``,
    ``recall``, ``f1`` and ``accuracy`` (token streams identical). Pass a list of these, or of
    ``(tp, fp, fn)``, to :func:`aeb_corpus` for the published corpus figures."""
    tp, fp, fn = aeb_tp_fp_fn(ref_body, out_text, n)
    p, r = _aeb_precision(tp, fp, fn), _aeb_recall(tp, fp, fn)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "accuracy": float(aeb_tokenize(ref_body) == aeb_tokenize(out_text)),
    }


def aeb_corpus(docs: Iterable[dict | Sequence[float]]) -> dict:
    """Corpus figures as the benchmark publishes them: mean precision over documents with
    TP+FP > 0, mean recall over documents with TP+FN > 0, F1 of the two means."""
    triples = []
    accuracies = []
    for d in docs:
        if isinstance(d, dict):
            triples.append((d["tp"], d["fp"], d["fn"]))
            if "accuracy" in d:
                accuracies.append(d["accuracy"])
        else:
            triples.append(tuple(d))
    ps = [_aeb_precision(*t) for t in triples if t[0] + t[1] > 0]
    rs = [_aeb_recall(*t) for t in triples if t[0] + t[2] > 0]
    precision = statistics.mean(ps) if ps else 0.0
    recall = statistics.mean(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"precision": precision, "recall": recall, "f1": f1, "documents": len(triples)}
    if accuracies:
        out["accuracy"] = statistics.mean(accuracies)
    return out


def aeb_bootstrap(docs: Sequence[dict | Sequence[float]], n: int = 1000, seed: int = 0) -> dict:
    """Standard deviations of the corpus precision, recall and F1 over ``n`` bootstrap resamples
    of the documents, as the benchmark reports them (``± std``); seeded, so reproducible."""
    import random

    rng = random.Random(seed)
    docs = list(docs)
    if len(docs) < 2:
        return {"precision_std": 0.0, "recall_std": 0.0, "f1_std": 0.0}
    values: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    for _ in range(n):
        sample = [docs[rng.randrange(len(docs))] for _ in docs]
        c = aeb_corpus(sample)
        for k in values:
            values[k].append(c[k])
    return {f"{k}_std": statistics.stdev(v) for k, v in values.items()}
