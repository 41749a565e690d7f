"""Snapshot reflow's outputs on every document the repository can reach, and compare two snapshots.

A refactor that should change nothing is checked with this: every corpus PDF and text file (the
seed, the layout suite, the fixtures, and ``../shared``'s corpora when present) converted in the
default mode and with ``--all`` (the command's), Markdown and JSON kept per document.

    python benchmarks/snapshot.py write /tmp/before
    ... change the code ...
    python benchmarks/snapshot.py write /tmp/after
    python benchmarks/snapshot.py diff /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    import os

    return Path(os.environ.get("REFLOW_SHARED", ROOT.parent / "shared"))


def documents() -> list[Path]:
    docs: list[Path] = []
    for pattern in ("corpora/**/*.pdf", "tests/fixtures/**/*.pdf", "examples/*.pdf"):
        docs += sorted(ROOT.glob(pattern))
    shared = _shared()
    if shared.is_dir():
        docs += sorted(shared.glob("corpora/*/pdf/*.pdf"))
        docs += [shared / "seeds" / "article.pdf.txt"]
    return [d for d in docs if d.is_file()]


def _portable(text: str) -> str:
    """Paths as the checkout's and the shared folder's own, so that two checkouts (a worktree
    beside main) give comparable snapshots."""
    return text.replace(str(_shared()), "<shared>").replace(str(ROOT), "<repo>")


def _name(path: Path) -> str:
    rel = _portable(str(path))
    digest = hashlib.sha1(rel.encode()).hexdigest()[:8]
    return f"{path.stem[:40]}-{digest}"


def _one(args: tuple[str, str]) -> tuple[str, str]:
    path, out = args
    import reflow
    from reflow.cli import build_parser, convert_kwargs

    # "all" is what the command's --all asks of reflow.convert, in the checkout that runs
    everything = convert_kwargs(build_parser().parse_args(["convert", path, "--all"]))
    res = {}
    for mode, kw in (("default", {}), ("all", everything)):
        try:
            doc = reflow.convert(path, **kw)
            res[mode] = {"md": doc.markdown, "json": json.loads(doc.to_json())}
        except Exception as e:  # noqa: BLE001 - a snapshot records failures as outputs
            res[mode] = {"error": f"{type(e).__name__}: {e}"}
    if "/aeb-dev/" in path:  # the text path, on PDFium's plain text of a web print
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
        text = "\f".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        doc = reflow.convert_text(text, name=path + ".txt")
        res["text"] = {"md": doc.markdown, "json": json.loads(doc.to_json())}
    res["path"] = path
    (Path(out) / (_name(Path(path)) + ".json")).write_text(
        _portable(json.dumps(res, ensure_ascii=False, indent=1, sort_keys=True))
    )
    return path, "ok"


def write(out: Path, jobs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs = documents()
    with ProcessPoolExecutor(jobs) as ex:
        for _ in ex.map(_one, [(str(d), str(out)) for d in docs]):
            pass
    print(f"{len(docs)} documents -> {out}")


def diff(a: Path, b: Path, show: int) -> int:
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    changed = 0
    for name in names:
        pa, pb = a / name, b / name
        if not pa.exists() or not pb.exists():
            print(f"only in one snapshot: {name}")
            changed += 1
            continue
        ja, jb = json.loads(pa.read_text()), json.loads(pb.read_text())
        if ja == jb:
            continue
        changed += 1
        print(f"== {ja['path']}")
        if changed <= show:
            for mode in ("default", "all", "text"):
                if mode not in ja and mode not in jb:
                    continue
                sa = json.dumps(ja.get(mode), ensure_ascii=False, indent=1, sort_keys=True)
                sb = json.dumps(jb.get(mode), ensure_ascii=False, indent=1, sort_keys=True)
                lines = difflib.unified_diff(sa.splitlines(), sb.splitlines(), lineterm="", n=1)
                for i, ln in enumerate(lines):
                    if i > 60:
                        print("   ...")
                        break
                    print("   " + ln)
    print(f"{changed} of {len(names)} documents differ")
    return 1 if changed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("-j", "--jobs", type=int, default=2)
    d = sub.add_parser("diff")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    if args.cmd == "write":
        write(args.out, args.jobs)
        return 0
    return diff(args.a, args.b, args.show)


if __name__ == "__main__":
    sys.exit(main())
