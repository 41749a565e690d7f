"""Title blocks of typeset documents (structure/titleblock.py, the title rules of roles.py):
authors, affiliations and dates under a LaTeX or LibreOffice title are bylines and dates, not
headings, quotes or part of the first paragraph; "Abstract" is a section; "Chapter 2" and its
name are one heading. Checked against the producer suite's references (corpora/producers/)."""

from __future__ import annotations

from pathlib import Path

import pytest

import reflow
from reflow.model import BlockType

SUITE = Path(__file__).resolve().parent.parent / "corpora" / "producers"


def _ref_blocks(doc_id: str) -> list[str]:
    md = (SUITE / f"{doc_id}.expected.md").read_text(encoding="utf-8")
    return [b.strip() for b in md.split("\n\n") if b.strip()]


def _front(doc_id: str) -> list[str]:
    """The reference's blocks between the title and the first heading or running text (the
    title block)."""
    out = []
    for b in _ref_blocks(doc_id)[1:]:
        if b.startswith("#") or any(len(ln.split()) > 12 for ln in b.split("\n")):
            break
        if b.startswith("**"):  # a subtitle: the dek
            continue
        out.append(b)
    return out


def _after_title(doc) -> list:
    ti = next(i for i, b in enumerate(doc.blocks) if b.type == BlockType.TITLE)
    return [b for b in doc.blocks[ti + 1 :] if b.type != BlockType.DEK]


@pytest.mark.parametrize(
    "doc_id",
    [
        "pdftex-onecol/paper-01-cm-indent-plain",  # one author box, \large
        "pdftex-onecol/paper-27-times-indent-section",  # two boxes side by side, then a date
        "pdftex-twocol/paper-11-palatino-twocolumn-gutter10pt-pageof",  # three boxes in a row
        "pdftex-onecol/report-16-helvet-indent-dash-report",  # a title page
        "libreoffice/paper-06-odt-default-default",  # date right under the author's lines
        "libreoffice/report-01-docx-default-default",  # two author paragraphs, spaced
    ],
)
def test_title_block_authors_and_date_as_in_the_reference(doc_id):
    doc = reflow.convert(SUITE / f"{doc_id}.pdf")
    front = _front(doc_id)
    got = _after_title(doc)[: len(front)]
    assert [b.text for b in got] == front
    for b, ref in zip(got, front, strict=True):
        assert b.type in (BlockType.BYLINE, BlockType.DATE), (b.type, b.text)
        assert "\n".join(b.text.split("\n")) in doc.markdown  # lines kept as soft breaks
        assert ("#" + " " + ref.split("\n")[0]) not in doc.markdown


def test_title_block_gives_the_authors_names():
    doc = reflow.convert(SUITE / "pdftex-twocol/paper-11-palatino-twocolumn-gutter10pt-pageof.pdf")
    assert doc.metadata.authors == ["Sofia Lindqvist", "Elena Duarte", "Aiko Tanaka"]


def test_title_block_leaves_a_subtitle_a_dek():
    doc = reflow.convert(SUITE / "pdftex-onecol/article-04-palatino-indent-plain.pdf")
    types = [b.type for b in doc.blocks[:5]]
    assert types == [BlockType.TITLE, BlockType.DEK, BlockType.BYLINE, BlockType.DATE,
                     BlockType.PARAGRAPH]  # fmt: skip
    assert doc.metadata.authors == ["Elena Duarte", "Kwame Mensah"]


def test_title_block_stops_at_running_text_in_two_columns():
    # two columns' lines side by side are centred too: they are body text, not boxes
    doc = reflow.convert(SUITE / "pdftex-twocol/essay-07-lmodern-twocolumn-gutter10pt-journal.pdf")
    bylines = [b for b in doc.blocks if b.type == BlockType.BYLINE]
    assert all(len(b.text.split()) <= 12 for b in bylines)


def test_abstract_label_is_a_section_and_the_abstract_no_quote():
    doc = reflow.convert(SUITE / "pdftex-onecol/paper-07-tgpagella-indent-twoside.pdf")
    md = doc.markdown
    assert "\n## Abstract\n" in md
    i = next(i for i, b in enumerate(doc.blocks) if b.text == "Abstract")
    assert doc.blocks[i + 1].type == BlockType.PARAGRAPH
    assert not any(b.type == BlockType.QUOTE for b in doc.blocks[: i + 2])


def test_title_over_h1_word_processor_title_over_its_sections():
    # LibreOffice tags sections H1 and its title a paragraph set larger
    doc = reflow.convert(SUITE / "libreoffice/paper-13-docx-default-default.pdf")
    assert doc.markdown.startswith("# Delhi India Air Pollution Quality Cause\n\nAiko Tanaka\n")
    assert "## 1 Introduction" in doc.markdown


def test_chapter_heading_is_one_heading_with_its_name():
    doc_id = "pdftex-onecol/report-02-lmodern-parskip-runningtitle-report"
    doc = reflow.convert(SUITE / f"{doc_id}.pdf")
    ref = [b for b in _ref_blocks(doc_id) if b.startswith("## Chapter")]
    assert len(ref) >= 2
    for h in ref:
        assert f"\n{h}\n" in doc.markdown
