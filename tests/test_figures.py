"""Figures (structure/figures.py, readers/images.py): images become figure blocks with their
captions, icons and tracking pixels go to ``removed`` as decoration, and ``--images`` writes the
pictures out as PNG files the Markdown links to."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from jsonschemas import check_document

import reflow
from reflow.model import Block, BlockType, Page, Picture
from reflow.readers.images import png
from reflow.settings import FigureSettings
from reflow.structure import figures as F

ROOT = Path(__file__).resolve().parent.parent
FIGURE = ROOT / "tests" / "fixtures" / "pdf" / "figure.pdf"  # figure.html printed by Chromium
S = FigureSettings()


def test_an_image_with_its_caption_is_one_figure_block_in_reading_order():
    doc = reflow.convert(FIGURE)
    kinds = [b.type for b in doc.blocks]
    assert kinds == ["title", "paragraph", "figure", "paragraph", "paragraph"]
    fig = doc.blocks[2]
    assert fig.text.startswith("Figure 1: Weekly water levels")
    assert fig.picture is not None and (fig.picture.width, fig.picture.height) == (400, 200)
    x0, top, x1, bottom = fig.bbox
    assert round(x1 - x0) == 300 and round(bottom - top) == 150  # drawn at 300 x 150 pt
    assert "caption" not in kinds  # folded into the figure


def test_decoration_icons_and_tracking_pixels_are_removed_and_reported():
    doc = reflow.convert(FIGURE)
    deco = [r for r in doc.removed if r.reason == "decoration"]
    assert sorted(r.text for r in deco) == ["image 16x16 px", "image 1x1 px"]
    assert F.is_decoration(Picture(0, (0, 0, 10, 10), 16, 16), S)
    assert F.is_decoration(Picture(0, (0, 0, 500, 4), 500, 4), S)  # a rule drawn as an image
    assert F.is_decoration(Picture(0, (0, 0, 200, 100), 1, 1), S)  # a stretched pixel
    assert not F.is_decoration(Picture(0, (0, 0, 200, 100), 400, 200), S)


def test_figure_markdown_placeholder_and_caption_and_json():
    doc = reflow.convert(FIGURE)
    md = doc.markdown
    assert "<!-- figure -->\n\n*Figure 1: Weekly water levels" in md
    data = json.loads(doc.to_json())
    check_document(data)
    fig = next(b for b in data["blocks"] if b["type"] == "figure")
    assert fig["image"] == {"path": None, "width": 400, "height": 200}
    assert "Figure 1" in doc.text


def test_images_option_writes_pngs_and_links_them(tmp_path):
    from reflow.cli import main

    out = tmp_path / "out"
    assert main(["convert", str(FIGURE), "-o", f"{out}/", "--images", "-q"]) == 0
    md = (out / "figure.md").read_text()
    assert (
        "![Figure 1: Weekly water levels at the northern gauge, in centimetres.](figure-p1-1.png)"
        in md
    )
    data = (out / "figure-p1-1.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == 400 and int.from_bytes(data[20:24], "big") == 200
    # into another folder: the link is relative to the Markdown
    assert (
        main(
            [
                "convert",
                str(FIGURE),
                "-o",
                str(tmp_path / "a.md"),
                "--images",
                str(tmp_path / "img"),
                "-q",
            ]
        )
        == 0
    )
    assert "](img/figure-p1-1.png)" in (tmp_path / "a.md").read_text()


def test_images_in_batch_mode_go_beside_each_output(tmp_path):
    from reflow.cli import main

    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    (src / "fig.pdf").write_bytes(FIGURE.read_bytes())
    out = tmp_path / "out"
    assert (
        main(
            [
                "convert",
                str(tmp_path / "in"),
                "-o",
                str(out),
                "--images",
                "-j",
                "1",
                "-q",
                "--no-progress",
            ]
        )
        == 0
    )
    assert (out / "sub" / "fig-p1-1.png").exists()
    assert "](fig-p1-1.png)" in (out / "sub" / "fig.md").read_text()
    assert main(["convert", str(tmp_path / "in"), "-o", str(out), "--images", "x", "-q"]) == 2


def test_png_encoder_round_trips_grey_and_colour():
    grey = png(3, 2, 1, bytes([0, 128, 255, 1, 2, 3, 9, 9]), 4)  # rows padded to 4 bytes
    assert grey[12:16] == b"IHDR"
    idat = grey[grey.index(b"IDAT") + 4 :]
    raw = zlib.decompressobj().decompress(idat)
    assert raw == b"\0" + bytes([0, 128, 255]) + b"\0" + bytes([2, 3, 9])


def _doc_with(pages: list[Page], blocks: list[Block]):
    doc = reflow.model.Document(source="x", pages=pages, blocks=blocks)
    doc.facts.body_size = 10.0
    return doc


def _para(text: str, page: int, box, size: float = 10.0) -> Block:
    b = Block(BlockType.PARAGRAPH, text, page=page, bbox=box, size=size)
    b.pages = [page]
    return b


def test_figure_place_in_its_column():
    left = _para("left column text", 1, (50, 100, 290, 700))
    right_top = _para("right column top", 1, (320, 100, 560, 300))
    right_low = _para("right column below the figure", 1, (320, 520, 560, 700))
    nxt = _para("next page", 2, (50, 100, 560, 200))
    spans = [F._first_last(b) for b in (left, right_top, right_low, nxt)]
    assert F.place(spans, 1, (320, 320, 560, 500)) == 2  # between the right column's blocks
    assert F.place(spans, 1, (50, 720, 290, 780)) == 1  # ends the left column
    assert F.place(spans, 2, (50, 300, 560, 500)) == 4  # after the last block


def test_figure_caption_below_or_above_only_when_near_and_caption_like():
    fig = (100, 100, 400, 300)
    small = _para("Photo: the mill at dawn", 1, (100, 306, 380, 316), size=8.0)
    assert F.is_caption(fig, 1, small, True, 10.0, S)
    far = _para("Photo: the mill at dawn", 1, (100, 360, 380, 370), size=8.0)
    assert not F.is_caption(fig, 1, far, True, 10.0, S)
    body = _para("The council met on Tuesday and talked for hours.", 1, (100, 306, 560, 316))
    assert not F.is_caption(fig, 1, body, True, 10.0, S)  # body text, body size
    above = _para("Figure 2: levels", 1, (100, 80, 300, 92))
    assert F.is_caption(fig, 1, above, False, 10.0, S)


def test_repeated_image_on_every_page_is_furniture():
    logo = Picture(3, (40, 20, 140, 60), 300, 120)
    pages = [Page(n, 612, 792) for n in (1, 2, 3, 4)]
    for p in pages:
        p.pictures = [Picture(logo.index, logo.bbox, logo.width, logo.height)]
    pages[1].pictures.append(Picture(5, (100, 200, 500, 500), 800, 600))
    doc = _doc_with(pages, [_para("text", n, (50, 100, 560, 700)) for n in (1, 2, 3, 4)])
    assert len(F.repeated_images(doc)) == 1
    F.place_figures(doc)
    assert [b.type for b in doc.blocks].count("figure") == 1
    assert sum(r.reason == "decoration" for r in doc.removed) == 4


def test_scan_image_of_an_ocr_page_is_no_figure():
    page = Page(1, 612, 792)
    page.ocr = True
    page.pictures = [Picture(0, (0, 0, 612, 792), 1700, 2200)]
    assert F.is_scan(page, page.pictures[0], S)
    doc = _doc_with([page], [_para("read by OCR", 1, (50, 100, 560, 700))])
    F.place_figures(doc)
    assert [b.type for b in doc.blocks] == ["paragraph"] and not doc.removed
