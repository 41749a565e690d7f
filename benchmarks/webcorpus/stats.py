"""The committed files of the corpus, from the builder's cache: ``corpora/web/manifest.jsonl``
(one line per page), ``corpora/web/references.jsonl.gz`` (body, title, authors, date, each
with its provenance) and the counts section of ``corpora/web/README.md``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from build import fold_of, read_jsonl, write_jsonl

FIELDS = ("title", "authors", "date")
START, END = "<!-- stats: written by build.py stats -->", "<!-- /stats -->"


def _last(rows: list[dict], key) -> dict:
    out = {}
    for r in rows:  # later rows (re-runs) win
        out[key(r)] = r
    return out


def build_rows(cache: Path) -> tuple[list[dict], list[dict]]:
    pages = read_jsonl(cache / "collected.jsonl")
    labels = _last(read_jsonl(cache / "labels.jsonl"), lambda r: r["id"])
    checks = _last(read_jsonl(cache / "validate.jsonl"), lambda r: (r["id"], r["clean"]))
    manifest, refs = [], []
    for p in pages:
        lab = labels.get(p["id"])
        if lab is None:
            continue
        m = {
            "id": p["id"],
            "url": p["url"],
            "url_from": p["url_from"],
            "site": p["site"],
            "host": p["host"],
            "fold": fold_of(p["site"]),
            "language": lab.get("language"),
            "lang_prob": lab.get("lang_prob"),
            "html_lang": p.get("html_lang"),
            "source": p["sources"][0]["source"],
            "sources": p["sources"],
        }
        v = checks.get((p["id"], False))
        if v is None:
            m.update(printed=False, valid=False, why="not printed yet")
        else:
            m.update(printed=v["printed"], valid=v["valid"])
            for k in ("why", "shingles", "pages", "pdf_words"):
                if k in v:
                    m[k] = v[k]
        c = checks.get((p["id"], True))
        if c is not None:
            m["clean"] = {k: c[k] for k in ("printed", "valid", "shingles", "why") if k in c}
        ref = {
            "id": p["id"],
            "body": {"text": lab.get("body") or "", "prov": "silver", "by": lab["by"]},
        }
        prov = {"body": "silver"}
        for f in FIELDS:
            silver = lab.get(f) if f != "authors" else (lab.get("authors") or [])
            g = p["gold"].get(f)
            if g is not None:
                ref[f] = {"value": g["value"], "prov": "gold", "by": g["from"], "silver": silver}
                if f == "date" and "date_utc" in p["gold"]:
                    ref[f]["utc"] = p["gold"]["date_utc"]["value"]
            else:
                ref[f] = {"value": silver, "prov": "silver", "by": lab["by"]}
            prov[f] = ref[f]["prov"] if ref[f]["value"] else "none"
        if p.get("snippets"):
            ref["snippets"] = p["snippets"]
            prov["snippets"] = "gold"
        if lab.get("clean_text") and c is not None:
            ref["clean_text"] = lab["clean_text"]
        m["refs"] = prov
        manifest.append(m)
        refs.append(ref)
    return manifest, refs


def _table(counter: Counter, head: str, limit: int | None = None) -> str:
    rows = counter.most_common(limit)
    out = [f"| {head} | pages |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(out)


def summary(manifest: list[dict]) -> str:
    valid = [m for m in manifest if m["valid"]]
    printed = [m for m in manifest if m["printed"]]
    sites = {m["site"] for m in manifest}
    vsites = {m["site"] for m in valid}
    langs = Counter(m["language"] for m in valid)
    lines = [
        f"- pages collected (after de-duplication): **{len(manifest)}** from {len(sites)} sites",
        f"- printed: {len(printed)}; **valid** (the print holds >= 90% of the reference body's "
        f"shingles): **{len(valid)}** from **{len(vsites)}** sites in {len(langs)} languages",
        f"- clean-article prints: {sum(1 for m in manifest if m.get('clean', {}).get('printed'))}, "
        f"valid {sum(1 for m in manifest if m.get('clean', {}).get('valid'))}",
        "",
        "Why pages are not valid:",
        "",
        _table(
            Counter((m.get("why") or "").split(" (")[0] for m in manifest if not m["valid"]),
            "reason",
        ),
        "",
        "Valid pages by primary source (a page found in several collections counts once, in "
        "the first of trafilatura, postlight, goose3, htmldate, newspaper4k):",
        "",
        _table(Counter(m["source"] for m in valid), "source"),
        "",
        "Provenance of the references, valid pages (gold: the collection's own curated value; "
        "silver: trafilatura on the page's HTML; none: neither has a value):",
        "",
        "| field | gold | silver | none |",
        "|---|---:|---:|---:|",
    ]
    for f in ("body", "title", "authors", "date", "snippets"):
        c = Counter(m["refs"].get(f, "none") for m in valid)
        lines.append(f"| {f} | {c['gold']} | {c['silver']} | {c['none']} |")
    lines += [
        "",
        "Valid pages by language (py3langid on the reference body; the page's lang attribute "
        "when the body is short):",
        "",
        _table(langs, "language"),
        "",
        "Valid pages and sites per leave-site-out fold (fold = sha1(site) mod 5):",
        "",
        "| fold | pages | sites |",
        "|---:|---:|---:|",
    ]
    for k in range(5):
        ps = [m for m in valid if m["fold"] == k]
        lines.append(f"| {k} | {len(ps)} | {len({m['site'] for m in ps})} |")
    lines += [
        "",
        "Sites with the most valid pages:",
        "",
        _table(Counter(m["site"] for m in valid), "site", 15),
    ]
    return "\n".join(lines)


def write(cache: Path, out: Path) -> None:
    manifest, refs = build_rows(cache)
    write_jsonl(out / "manifest.jsonl", manifest)
    write_jsonl(out / "references.jsonl.gz", refs, gz=True)
    readme = out / "README.md"
    text = readme.read_text() if readme.exists() else f"# corpora/web\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = f"{head}{START}\n{summary(manifest)}\n{END}{tail}"
    readme.write_text(text)
    print(summary(manifest).split("\n\n")[0])
    print(json.dumps({"manifest": len(manifest)}))
