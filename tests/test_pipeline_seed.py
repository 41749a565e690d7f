"""The seed contract: the extracted text of the Moscow Times article becomes article.expected.md,
block for block; the URLs that cannot be attached are listed after the article."""

import re

import reflow


def _article_part(md: str) -> str:
    return md.split("\n---\n")[0].strip()


def _blocks(md: str) -> list[str]:
    return [b.strip() for b in md.strip().split("\n\n") if b.strip()]


def test_seed_text_gives_expected_markdown_block_for_block(shared):
    doc = reflow.convert(shared / "seeds" / "article.pdf.txt")
    expected = (shared / "seeds" / "article.expected.md").read_text(encoding="utf-8")
    assert _blocks(_article_part(doc.markdown)) == _blocks(expected)


def test_seed_unattached_urls_are_listed_once_and_none_lost(shared):
    src = (shared / "seeds" / "article.pdf.txt").read_text(encoding="utf-8")
    doc = reflow.convert(shared / "seeds" / "article.pdf.txt")
    all_urls = set(re.findall(r"https?://\S+", src))
    inline = {lk.url for b in doc.blocks for lk in b.links}
    assert inline | set(doc.urls) == all_urls
    assert len(doc.urls) == len(set(doc.urls))
    trailer = doc.markdown.split("\n---\n", 1)[1]
    for url in doc.urls:
        assert trailer.count(url) == 1


def test_seed_url_dump_is_reported_as_removed(shared):
    doc = reflow.convert(shared / "seeds" / "article.pdf.txt")
    dumped = [r for r in doc.removed if r.reason == "url-dump"]
    assert len(dumped) == 14
    assert all(r.text.startswith("http") for r in dumped)


def test_seed_json_has_blocks_with_types_and_pages(shared):
    import json

    doc = reflow.convert(shared / "seeds" / "article.pdf.txt")
    data = json.loads(doc.to_json())
    types = [b["type"] for b in data["blocks"]]
    assert types[0] == "dek"
    assert types.count("callout") == 3
    assert types[-1] == "disclaimer"
    # The sentence cut by the page break is one block spanning both pages.
    joined = [b for b in data["blocks"] if "A short statement of solidarity" in b["text"]]
    assert len(joined) == 1 and joined[0]["pages"] == [1, 2]


def test_pdfium_text_of_the_seed_print_loses_its_print_furniture_and_keeps_the_article():
    """PDFium's plain text of a Chromium print has the print header and footer at the end of
    every page's text (Chromium draws them last) and no form feeds."""
    from pathlib import Path

    import pypdfium2 as pdfium

    from reflow_eval.metrics import text_similarity

    fix = Path(__file__).parent / "fixtures" / "seed"
    pdf = pdfium.PdfDocument(fix / "seed.pdf")
    text = "\n".join(p.get_textpage().get_text_range() for p in pdf).replace("\r\n", "\n")
    doc = reflow.convert_text(text)
    md = doc.markdown
    assert "127.0.0.1" not in _article_part(md) and "7:31 PM" not in md
    assert len(doc.pages) == len(pdf)
    assert doc.metadata.url and doc.metadata.url.endswith("-a71166")
    assert doc.blocks[0].type == "title" and doc.blocks[1].type == "dek"
    expected = (fix / "seed.expected.md").read_text(encoding="utf-8")
    assert text_similarity(expected, md) >= 0.99
