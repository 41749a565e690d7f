#!/usr/bin/env python3
"""Typeset the papers suite: ``benchmarks/papers/<name>.tex`` -> ``corpora/papers/<name>.pdf``.

    python benchmarks/papers/generate.py              # every paper
    python benchmarks/papers/generate.py --only 03    # names containing "03"
    python benchmarks/papers/generate.py --check      # the committed PDFs match the sources' words

Each paper is a LaTeX file written by hand with its exact reference, ``<name>.expected.md``,
written by hand beside it (never read back from the PDF). Beside each PDF go a copy of that
reference and ``<name>.meta.json``: the split (even paper numbers dev, odd test: fit on dev,
report on test), the page count, and the furniture strings the ``% forbidden:`` line of the
source names (texts the page prints that the reference never holds, so any occurrence in an
output is a leak). ``index.json`` lists them. pdflatex runs twice (labels), with
``SOURCE_DATE_EPOCH`` fixed so the PDFs are the same on every run. Needs the Debian packages
``texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended``; nothing else here
(the tests, ``score.py``, ``reflow eval --corpus papers``) needs TeX. Those packages recommend
``fonts-droid-fallback``, a CJK font PDFium then finds for fonts a PDF does not embed, which
changes what the reader tests' CJK fixtures read: remove it (``apt-get remove
fonts-droid-fallback``) or install with ``--no-install-recommends``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "corpora" / "papers"
EPOCH = "1700000000"


def sources(only: str | None = None) -> list[Path]:
    return [p for p in sorted(HERE.glob("paper-*.tex")) if not only or only in p.stem]


def split_of(name: str) -> str:
    """Even paper numbers are dev, odd ones test."""
    return "dev" if int(re.match(r"paper-(\d+)", name).group(1)) % 2 == 0 else "test"


def forbidden(tex: str) -> list[str]:
    m = re.search(r"^% forbidden:(.*)$", tex, re.M)
    return [s.strip() for s in (m.group(1).split(";") if m else []) if s.strip()]


def reference_metadata(md: str) -> dict:
    """The title is the reference's ``# `` line."""
    m = re.search(r"^# (.+)$", md, re.M)
    return {"title": m.group(1).strip() if m else None}


def typeset(tex_path: Path, work: Path) -> Path:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, FORCE_SOURCE_DATE="1")
    shutil.copy(tex_path, work / tex_path.name)
    for _ in range(2):
        r = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex_path.name],
            cwd=work, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if r.returncode:
            tail = "\n".join(r.stdout.splitlines()[-25:])
            raise SystemExit(f"pdflatex failed on {tex_path.name}:\n{tail}")
    return work / (tex_path.stem + ".pdf")


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_words(pdf: Path) -> set[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    text = re.sub("[-\u00ad\ufffe\uffff\x02]\\s*", "", text)  # hyphenated line ends joined
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl").replace("\ufb00", "ff")
    return set(re.findall(r"\w+", text.lower()))


def check(pdf: Path, md: str) -> list[str]:
    """Reference words the PDF's text layer lacks (hyphenated line ends aside): a reference
    that does not say what the page prints."""
    words = pdf_words(pdf)
    joined = " ".join(words)
    plain = re.sub(r"\[\^\d+\]:?|[#*|`>-]", " ", md)
    return sorted(
        {w for w in re.findall(r"\w+", plain.lower()) if w not in words and w not in joined}
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only")
    ap.add_argument("--check", action="store_true", help="check the committed PDFs only")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    bad = 0
    for tex_path in sources(args.only):
        name = tex_path.stem
        ref = tex_path.with_suffix(".expected.md")
        md = ref.read_text(encoding="utf-8")
        pdf = OUT / f"{name}.pdf"
        if not args.check:
            with tempfile.TemporaryDirectory() as tmp:
                shutil.copy(typeset(tex_path, Path(tmp)), pdf)
            shutil.copy(ref, OUT / ref.name)
            tex = tex_path.read_text(encoding="utf-8")
            meta = {
                "name": name,
                "split": split_of(name),
                "pages": page_count(pdf),
                "metadata": reference_metadata(md),
                "forbidden": forbidden(tex),
                "source": f"benchmarks/papers/{tex_path.name}",
            }
            (OUT / f"{name}.meta.json").write_text(json.dumps(meta, indent=1) + "\n")
        missing = check(pdf, md)
        if missing:
            bad += 1
            print(f"{name}: reference words not in the PDF: {missing[:20]}", file=sys.stderr)
        print(f"{name}: {page_count(pdf)} pages, {pdf.stat().st_size // 1024} KiB")
    if not args.check and not args.only:
        index = [json.loads(p.read_text()) for p in sorted(OUT.glob("*.meta.json"))]
        index = [{k: m[k] for k in ("name", "split", "pages")} for m in index]
        (OUT / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
