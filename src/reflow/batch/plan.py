"""Batch planning: the inputs (files, directories, globs), where each document's outputs go,
and which documents a re-run can skip."""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reflow.render import EXT  # format -> output suffix

SUFFIXES = (".pdf", ".txt")


class UsageError(Exception):
    """A batch that cannot start (no inputs, an output that would overwrite an input, ...)."""


@dataclass
class Task:
    """One document to convert and where its outputs go."""

    index: int
    src: Path
    key: str  # the path as recorded in reports and sinks
    rel: Path  # path relative to its input root: mirrored under OUTDIR
    mtime_ns: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)  # format -> output file


def _is_glob(s: str) -> bool:
    return any(c in s for c in "*?[")


def _glob_base(pattern: str) -> Path:
    """The directory part of a glob before its first wildcard ("docs/2020/*/a*.pdf" -> docs/2020)."""
    parts = Path(pattern).parts
    base: list[str] = []
    for p in parts[:-1]:
        if _is_glob(p):
            break
        base.append(p)
    return Path(*base) if base else Path(".")


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def _inside(path: Path, root: Path | None) -> bool:
    if root is None:
        return False
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def collect_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[tuple[Path, Path]]:
    """Expand files, directories and globs into (file, path relative to its root), sorted.

    Explicit files are taken as given; directories (recursively) and globs yield ``*.pdf`` and
    ``*.txt`` (any case). Files under ``exclude`` (the output directory) are left out, so a re-run
    does not take its own outputs as inputs. A missing file raises UsageError.
    """
    excl = exclude.resolve() if exclude is not None else None
    found: list[tuple[Path, Path]] = []
    seen: set[str] = set()

    def add(path: Path, rel: Path) -> None:
        real = os.path.realpath(path)
        if real in seen or _inside(path, excl):
            return
        seen.add(real)
        found.append((path, rel))

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    f = Path(dirpath) / name
                    if _wanted(f):
                        add(f, f.relative_to(p))
        elif p.is_file():
            add(p, Path(p.name))
        elif _is_glob(item):
            base = _glob_base(item)
            for m in sorted(glob.glob(item, recursive=True)):
                mp = Path(m)
                if mp.is_dir():
                    for f in sorted(mp.rglob("*")):
                        if f.is_file() and _wanted(f):
                            add(f, f.relative_to(base))
                elif mp.is_file() and _wanted(mp):
                    try:
                        rel = mp.relative_to(base)
                    except ValueError:
                        rel = Path(mp.name)
                    add(mp, rel)
        else:
            raise UsageError(f"{item}: no such file or directory")
    return found


def plan_outputs(
    found: list[tuple[Path, Path]], outdir: Path | None, formats: list[str]
) -> list[Task]:
    """Name each document's outputs: the input tree mirrored under OUTDIR, suffix replaced.

    Two inputs that would give the same output ("a.pdf" and "a.txt" -> "a.md") keep their full
    name for the later one ("a.txt.md"), so no output is silently overwritten.
    """
    tasks: list[Task] = []
    taken: set[str] = set()
    for i, (src, rel) in enumerate(found):
        stem = rel.with_suffix("")
        if str(stem).lower() in taken:
            stem = rel
            n = 2
            while str(stem).lower() in taken:
                stem = rel.with_name(f"{rel.name}~{n}")
                n += 1
        taken.add(str(stem).lower())
        try:
            mtime = src.stat().st_mtime_ns
        except OSError:
            mtime = 0
        t = Task(index=i, src=src, key=str(src), rel=rel, mtime_ns=mtime)
        if outdir is not None:
            for fmt in formats:
                out = outdir / stem.parent / (stem.name + EXT[fmt])
                if os.path.realpath(out) == os.path.realpath(src):
                    raise UsageError(f"{src}: output {out} would overwrite the input")
                t.outputs[fmt] = out
        tasks.append(t)
    return tasks


def outputs_fresh(task: Task) -> bool:
    """All outputs exist and none is older than the input."""
    if not task.outputs:
        return True
    for out in task.outputs.values():
        try:
            if out.stat().st_mtime_ns < task.mtime_ns:
                return False
        except OSError:
            return False
    return True


def remove_stale_temps(tasks: list[Task]) -> int:
    """Delete temporary files a killed run left beside the outputs (".NAME.PID.tmp")."""
    by_dir: dict[Path, set[str]] = {}
    for t in tasks:
        for out in t.outputs.values():
            by_dir.setdefault(out.parent, set()).add(out.name)
    removed = 0
    for d, names in by_dir.items():
        try:
            entries = os.listdir(d)
        except OSError:
            continue
        for e in entries:
            if e.startswith(".") and e.endswith(".tmp"):
                base = e[1:-4].rsplit(".", 1)[0]
                if base in names:
                    try:
                        os.unlink(d / e)
                        removed += 1
                    except OSError:
                        pass
    return removed


def convert_options(args) -> dict:
    """The keyword arguments of ``reflow.convert`` that the command line set."""
    options = {
        "password": args.password,
        "article": args.article,
        "pages": getattr(args, "pages", None),
        "ocr": getattr(args, "ocr", None),
        "lang": getattr(args, "lang", None),
    }
    options = {k: v for k, v in options.items() if v is not None}
    if args.front_matter:
        options["front_matter"] = True
    # --all keeps everything: no main-content detection, and the page furniture in place
    if getattr(args, "keep_furniture", False) or args.article is False:
        options["keep_furniture"] = True
    return options


def render_options(args) -> dict:
    """The renderers' options the command line set (``chunk_size`` for ``--to chunks``)."""
    size = getattr(args, "chunk_size", None)
    return {"chunk_size": size} if size else {}


def options_key(options: dict, render: dict | None = None) -> str:
    """A short key of everything that shapes a document's outputs but its input: the conversion
    options (the password aside) and the renderers'. Stored beside each converted document, so a
    re-run with other options (``--all``, ``--front-matter``, ``--pages``) redoes it."""
    shown = {k: v for k, v in sorted(options.items()) if k != "password"}
    shown.update({f"render.{k}": v for k, v in sorted((render or {}).items())})
    text = json.dumps(shown, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
