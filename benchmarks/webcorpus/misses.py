#!/usr/bin/env python3
"""Sample the header stage's misses on the web corpus, by field and by kind, to see which
classes are worth fixing (issue 17). Reads the prints up to the header stage (``fitting``'s
``--docs`` pickle), runs the header stage, and prints per field counts by kind and a sample of
misses of each kind:

- ``date``: right; no candidate is the reference's day (``unread``: the day is printed in some
  form the candidates miss, by its day and month numbers near each other; ``absent``: it is
  not); a candidate is right but another won (``ranking``); no answer (``abstained``).
- ``authors``: right; a candidate is the reference (``ranking``); the reference's names are
  printed but no candidate has them (``unread``); not printed (``absent``).
- ``title``: right; the reference is printed as a block (``wrong-block``); printed inside a
  block (``merged``: a kicker or a dek with it); not printed.

    python benchmarks/webcorpus/misses.py --docs /tmp/docs.pkl --field date --sample 20
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import fitting  # noqa: E402

from reflow_eval.metrics import _authors, _parse_day, metadata_accuracy  # noqa: E402


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", s).split()).casefold()


def _day_printed(doc, want) -> list[str]:
    """Snippets of blocks where the reference day's day and month numbers (or the year and
    the day) are written near each other: the day may be printed in a form not read."""
    out = []
    d, m, y = want.day, want.month, want.year
    pats = [
        rf"(?<!\d)0?{d}(?!\d).{{0,14}}(?<!\d)(?:0?{m}(?!\d)|{y})",
        rf"(?<!\d)0?{m}(?!\d).{{0,3}}(?<!\d)0?{d}(?!\d)",
        rf"[^\W\d_]{{3,}}\.?\s+0?{d}(?!\d)",
    ]
    for i, b in enumerate(doc.blocks[:600]):
        for p in pats[:2]:
            mm = re.search(p, b.text)
            if mm:
                lo = max(0, mm.start() - 40)
                out.append(f"[{i} {b.type}] …{b.text[lo : mm.end() + 40]}…")
                break
    return out


def date_kind(doc, ref) -> tuple[str, str]:
    from reflow.structure.dates import url_date
    from reflow.structure.header import date_order, page_url
    from reflow.structure.pubdates import candidates

    want = _parse_day(ref["date"]["value"])
    if want is None:
        return "unparsed", ""
    got = _parse_day(doc.facts.date) if doc.facts.date else None
    url_day = url_date(page_url(doc))
    if got is None and url_day is not None:
        got = url_day
    cands = candidates(doc, doc.facts.title_index, date_order(doc), url_day)
    info = (
        f"want {want} got {got} url {url_day} order {date_order(doc)} ti "
        f"{doc.facts.title_index}; cands " + ", ".join(f"{c.day}@{c.index}" for c in cands[:8])
    )
    if got == want:
        return "right", info
    if any(c.day == want for c in cands):
        return ("ranking" if got else "abstained"), info
    snips = _day_printed(doc, want)
    if snips:
        return "unread", info + "\n      " + "\n      ".join(snips[:4])
    return "absent", info


def author_kind(doc, ref) -> tuple[str, str]:
    from reflow.structure.bylines import candidates

    want = _authors(ref["authors"]["value"])
    got = _authors(doc.facts.authors)
    ti = doc.facts.title_index
    info = f"want {sorted(want)} got {sorted(got)}"
    if want == got:
        return "right", info
    s = doc.settings.header
    cands = candidates(doc, ti, s.byline_before, s.byline_after, s.byline_max_words, s.byline_far)
    names = [sorted(_authors(c.names)) for c in cands]
    info += "; cands " + ", ".join(str(n) for n in names[:8])
    if any(set(n) == want for n in names):
        return "ranking", info
    text = _fold(" ".join(b.text for b in doc.blocks))
    hits = []
    for i, b in enumerate(doc.blocks):
        fb = _fold(b.text)
        if any(_fold(w) in fb for w in want if w):
            hits.append(f"[{i} {b.type} ti={ti}] {b.text[:160]!r}")
    if all(_fold(w) in text for w in want):
        return "unread", info + "\n      " + "\n      ".join(hits[:3])
    if hits:
        return "partly", info + "\n      " + "\n      ".join(hits[:3])
    return "absent", info


def title_kind(doc, ref) -> tuple[str, str]:
    want = ref["title"]["value"]
    got = doc.facts.title or ""
    ok = metadata_accuracy({"title": want}, {"title": got}).get("title")
    info = f"want {want!r}\n      got  {got!r} ti {doc.facts.title_index}"
    if ok:
        return "right", info
    fw = _fold(want)
    for i, b in enumerate(doc.blocks[:400]):
        fb = _fold(b.text)
        if metadata_accuracy({"title": want}, {"title": b.text}).get("title"):
            return "wrong-block", info + f"\n      block {i} {b.type} size {b.size:.1f}"
        if fw and fw in fb and len(fb) < 3 * len(fw) + 40:
            return "merged", info + f"\n      block {i} {b.type}: {b.text[:200]!r}"
    return "absent", info


KINDS = {"date": date_kind, "authors": author_kind, "title": title_kind}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=Path, help="pickle of the Documents (re-used when present)")
    ap.add_argument("--field", choices=sorted(KINDS), action="append")
    ap.add_argument("--sample", type=int, default=15)
    ap.add_argument("--kind", action="append", help="only these kinds' samples")
    ap.add_argument("--prov", choices=["gold", "silver"])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    fields = args.field or sorted(KINDS)
    counts = {f: Counter() for f in fields}
    samples = {f: defaultdict(list) for f in fields}
    for e, ref, doc in fitting.header_documents(through_header=True, cache=args.docs):
        for f in fields:
            if not ref[f]["value"] or (args.prov and ref[f]["prov"] != args.prov):
                continue
            kind, info = KINDS[f](doc, ref)
            counts[f][kind, ref[f]["prov"]] += 1
            samples[f][kind].append(f"{e['id']} ({e['language']}, {ref[f]['prov']}) {info}")
    rnd = random.Random(args.seed)
    for f in fields:
        print(f"== {f}")
        for (k, p), n in sorted(counts[f].items(), key=lambda kv: -kv[1]):
            print(f"  {k:12} {p:6} {n}")
        for k, rows in samples[f].items():
            if k == "right" or (args.kind and k not in args.kind):
                continue
            print(f"-- {f} {k} ({len(rows)})")
            for r in rnd.sample(rows, min(args.sample, len(rows))):
                print("  " + r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
