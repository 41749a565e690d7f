"""Text drawn inside a figure (``structure/figtext.py``): a plot's labels and tick numbers are
removed and reported as ``figure-text``; the caption, the text around the figure and a page
without a figure keep theirs."""

from pathlib import Path

import reflow
from reflow.model import Block, BlockType, Document, Line, Page, Reason
from reflow.settings_graphics import GraphicsSettings
from reflow.structure.figtext import figure_text

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "corpora" / "papers"


def _b(text: str, box, kind=BlockType.PARAGRAPH) -> Block:
    ln = Line(text, 1, bbox=box, size=10.0)
    return Block(kind, text, 1, box, lines=[ln], size=10.0, pages=[1])


def _doc(graphics=True) -> Document:
    doc = Document(source="f.pdf", kind="pdf")
    page = Page(1, 600, 800)
    if graphics:  # the axes of a plot: x from 100 to 260 at y = 280, y from 200 to 280
        page.rulings = [(100.0, 280.0, 260.0)]
        page.graphics = [(99.8, 200.0, 100.2, 280.0), (150.0, 230.0, 154.0, 234.0)]
    doc.pages = [page]
    doc.blocks = [
        _b(
            "A paragraph above the figure that runs across the whole column of text.",
            (50, 150, 300, 172),
        ),
        _b("the bursts.", (50, 178, 100, 188)),  # its last line: one short line just above
        _b("Error", (60, 196, 85, 205)),  # the y axis's title, left of the axis
        _b("0 50 100", (95, 284, 262, 293)),  # the tick numbers under it
        _b("Index size", (150, 296, 200, 305)),
        _b("Figure 1: Error against index size", (80, 315, 280, 325), BlockType.CAPTION),
        _b(
            "Beside the figure, the other column goes on with its own long lines of text.",
            (320, 200, 560, 300),
        ),  # fmt: skip
        _b(
            "A paragraph under the caption, as long as the one above it and as plain.",
            (50, 340, 300, 362),
        ),
    ]
    return doc


def test_figure_text_the_labels_inside_a_drawn_figure_are_removed_and_reported():
    doc = _doc()
    assert figure_text(doc, GraphicsSettings()) == 3
    assert [r.text for r in doc.removed] == ["Error", "0 50 100", "Index size"]
    assert {r.reason for r in doc.removed} == {Reason.FIGURE_TEXT}
    kept = [b.text for b in doc.blocks]
    assert "the bursts." in kept and "Figure 1: Error against index size" in kept
    assert len(kept) == 5


def test_figure_text_needs_the_figures_paths():
    doc = _doc(graphics=False)
    assert figure_text(doc, GraphicsSettings()) == 0 and len(doc.blocks) == 8


def test_figure_text_in_a_paper_plot_drawn_with_the_picture_environment():
    """paper-02 (dev) draws a bar chart with \\framebox and \\put: its axis title, tick
    numbers and bar labels are reported as figure text, its caption and paragraphs stay."""
    doc = reflow.convert(str(PAPERS / "paper-02-onecol-numbered.pdf"))
    removed = {r.text for r in doc.removed if r.reason == Reason.FIGURE_TEXT}
    assert {"Error", "Sand", "Silt", "Clay"} <= removed
    md = doc.markdown
    assert "\n\nSand\n\n" not in md and "*Figure 1: Raw sensor error" in md
    assert "their data were removed." in md
