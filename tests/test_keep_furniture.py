"""What ``--all`` and ``--keep-furniture`` keep: page furniture back in place as ``furniture``
blocks (running headers, footers, page numbers), nothing of the text in ``removed``; the rest of
the output as without them. PDFs are generated here (tests/hostile/make_corpus.py's writer)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from jsonschemas import check_document

import reflow
from reflow.cli import main
from reflow.layout.kept import furniture_place

HERE = Path(__file__).resolve().parent
SEED = HERE / "fixtures" / "seed" / "seed.pdf"
_spec = importlib.util.spec_from_file_location(
    "kept_make_corpus", HERE / "hostile" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)
sys.modules["kept_make_corpus"] = mc
_spec.loader.exec_module(mc)

BODY = [
    "The river council met on Tuesday to discuss the flooding of the lower town and the",
    "embankment that the engineers have asked for since the storms of the last autumn.",
    "",
    "Residents asked for a decision before the winter, when the water rises again and the",
    "roads to the market are closed for weeks at a time by the mud and the fallen trees.",
]


def _page(header: str | None, lines: list[str], number: str | None) -> bytes:
    ops = b""
    if header:
        ops += mc.text_ops([header], size=9, y=760) + b"\n"
    ops += mc.text_ops(lines, size=11, y=700)
    if number:
        ops += b"\n" + mc.text_ops([number], size=9, x=300, y=40)
    return ops


def report_pdf(tmp_path: Path, pages: int = 3) -> Path:
    """A report: a running header and a page number on every page, two paragraphs each."""
    path = tmp_path / "report.pdf"
    content = [
        _page("Annual report of the river council", BODY, f"Page {n}") for n in range(1, pages + 1)
    ]
    path.write_bytes(mc.make_pdf(content))
    return path


def repeated_line_pdf(tmp_path: Path) -> Path:
    """Three pages that each hold one and the same sentence near the top: it repeats like a
    running header, and it is all the text there is."""
    path = tmp_path / "repeated.pdf"
    line = ["The minutes of the meeting were approved without changes."]
    path.write_bytes(mc.make_pdf([mc.text_ops(line, y=750) for _ in range(3)]))
    return path


def _texts(doc, furniture: bool) -> list[str]:
    return [b.text for b in doc.blocks if (b.type == "furniture") == furniture]


def test_all_keeps_a_sentence_that_repeats_on_every_page(tmp_path, capsys):
    src = repeated_line_pdf(tmp_path)
    default = reflow.convert(src)
    assert not default.blocks and "no text left" in " ".join(default.warnings)
    out = tmp_path / "all.json"
    assert main(["convert", str(src), "--all", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    check_document(data)
    texts = [b["text"] for b in data["blocks"]]
    assert texts == ["The minutes of the meeting were approved without changes."] * 3
    assert data["removed"] == [] and data["warnings"] == []
    assert "warning" not in capsys.readouterr().err
    md = tmp_path / "all.md"
    assert main(["convert", str(src), "--all", "-o", str(md)]) == 0
    assert md.read_text(encoding="utf-8").count("approved without changes") == 3


def test_keep_furniture_puts_headers_and_page_numbers_in_place(tmp_path):
    src = report_pdf(tmp_path)
    default = reflow.convert(src)
    kept = reflow.convert(src, keep_furniture=True)
    assert {r.reason for r in default.removed} == {"header", "page-number"}
    assert kept.removed == []
    # the body is what it is without the option; the furniture is added around it
    assert _texts(kept, furniture=False) == [b.text for b in default.blocks]
    order = [(b.page, b.label or b.type) for b in kept.blocks]
    for n in (1, 2, 3):
        on_page = [what for p, what in order if p == n]
        assert on_page[0] == "header" and on_page[-1] == "page-number"
        assert "paragraph" in on_page
    md = kept.markdown
    assert md.index("Page 1") < md.index("Annual report", md.index("Page 1")) < md.index("Page 2")
    assert "Annual report of the river council" not in default.markdown


def test_keep_furniture_leaves_article_selection_as_it_is():
    """On a web print the article is chosen as by default; the print header and footer come
    back around it, the site's chrome stays out."""
    default = reflow.convert(SEED)
    kept = reflow.convert(SEED, keep_furniture=True)
    assert _texts(kept, furniture=False) == [b.text for b in default.blocks]
    assert {r.reason for r in kept.removed} <= {"boilerplate", "stray-link", "decoration"}
    labels = {b.label for b in kept.blocks if b.type == "furniture"}
    assert {"print-header", "print-footer"} <= labels
    everything = reflow.convert(SEED, article=False, keep_furniture=True)
    assert not [r for r in everything.removed if r.reason not in ("stray-link", "decoration")]


def test_furniture_place_keeps_a_paragraph_cut_by_a_page_break_whole():
    # blocks: (first page, top): a paragraph on page 1, one running from 1 onto 2, one on 2
    starts = [(1, 100.0), (1, 600.0), (2, 120.0)]
    assert furniture_place(starts, 1, 40.0, upper=True) == 0  # page 1's header: first
    assert furniture_place(starts, 1, 760.0, upper=False) == 2  # its footer: after the cut one
    assert furniture_place(starts, 2, 40.0, upper=True) == 2  # page 2's header: after it too
    assert furniture_place(starts, 2, 760.0, upper=False) == 3
    assert furniture_place([], 1, 40.0, upper=True) == 0


def test_keep_furniture_on_extracted_text_keeps_running_lines_in_place():
    pages = [
        "Council minutes\n\n" + f"Item {n}: the embankment was discussed at length today.\n\n{n}"
        for n in range(1, 4)
    ]
    text = "\f".join(pages) + "\n"
    default = reflow.convert_text(text, article=False)
    kept = reflow.convert_text(text, article=False, keep_furniture=True)
    assert default.removed and not kept.removed
    assert _texts(kept, furniture=False) == [b.text for b in default.blocks]
    seq = [b.text for b in kept.blocks]
    for n in (1, 2, 3):
        i = seq.index(f"Item {n}: the embankment was discussed at length today.")
        assert seq[i - 1] == "Council minutes" and seq[i + 1] == str(n)


def test_keep_furniture_on_the_command_line_and_in_html(tmp_path):
    src = report_pdf(tmp_path, pages=2)
    out = tmp_path / "r.html"
    assert main(["convert", str(src), "--keep-furniture", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<p class="furniture header">Annual report of the river council</p>' in html
    assert '<p class="furniture page-number">Page 2</p>' in html


def test_a_batch_redoes_documents_when_keep_furniture_changes(tmp_path):
    from reflow.batch import run_batch

    src = tmp_path / "in"
    src.mkdir()
    report_pdf(src)
    out = tmp_path / "out"
    assert run_batch([str(src)], outdir=out, progress=False, jobs=1).converted == 1
    assert "Annual report" not in (out / "report.md").read_text(encoding="utf-8")
    opts = {"keep_furniture": True}
    again = run_batch([str(src)], outdir=out, progress=False, jobs=1, options=opts)
    assert (again.converted, again.skipped) == (1, 0)
    assert "Annual report" in (out / "report.md").read_text(encoding="utf-8")
    cmd = ["convert", str(src), "-o", str(out), "--no-progress", "-q"]
    assert main([*cmd, "--keep-furniture"]) == 0  # the same options: skipped, still kept
    assert "Annual report" in (out / "report.md").read_text(encoding="utf-8")
    assert main(cmd) == 0  # without it: redone, the header out again
    assert "Annual report" not in (out / "report.md").read_text(encoding="utf-8")


def test_the_server_passes_keep_furniture_through():
    from reflow.server import request_task

    task, fmt = request_task({"keep_furniture": "true", "to": "json"}, b"%PDF-", "a.pdf")
    assert task["options"]["keep_furniture"] is True and fmt == "json"
    task, _ = request_task({}, b"%PDF-", "a.pdf")
    assert "keep_furniture" not in task["options"]
