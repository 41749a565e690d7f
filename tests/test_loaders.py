"""The LangChain and LlamaIndex loaders: one framework document per chunk, with the document's
metadata and the chunk's heading path and pages. Each test runs where its package installs
(`[langchain]`, `[llamaindex]`) and is skipped otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

import reflow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "article.pdf"
BASIC = ROOT / "tests" / "fixtures" / "pdf" / "basic.pdf"


def _same_text(texts: list[str], doc) -> None:
    assert " ".join(" ".join(texts).split()) == " ".join(
        " ".join(c.text for c in doc.chunks(size=900)).split()
    )


def test_langchain_loader():
    pytest.importorskip("langchain_core", reason="langchain-core not installed")
    from langchain_core.documents import Document

    from reflow.integrations.langchain import ReflowLoader

    loader = ReflowLoader([SAMPLE, BASIC], chunk_size=900)
    docs = list(loader.lazy_load())
    assert all(isinstance(d, Document) for d in docs)
    sample = [d for d in docs if d.metadata["source"].endswith("article.pdf")]
    doc = reflow.convert(SAMPLE)
    _same_text([d.page_content for d in sample], doc)
    first = sample[0].metadata
    assert first["title"] == doc.metadata.title and first["authors"] == doc.metadata.authors
    assert first["heading_path"].startswith(doc.metadata.title)
    assert first["page"] == 1 and first["pages"][0] == 1 and first["chunk"] == 0
    assert {p for d in sample for p in d.metadata["pages"]} == set(range(1, 6))
    assert any(d.metadata["source"].endswith("basic.pdf") for d in docs)
    assert len(ReflowLoader(SAMPLE, chunk_size=900, pages="1").load()) < len(sample)


def test_llamaindex_reader():
    pytest.importorskip("llama_index.core", reason="llama-index-core not installed")
    from llama_index.core.schema import Document

    from reflow.integrations.llamaindex import ReflowReader

    docs = ReflowReader(chunk_size=900).load_data(SAMPLE, extra_info={"collection": "news"})
    assert docs and all(isinstance(d, Document) for d in docs)
    doc = reflow.convert(SAMPLE)
    _same_text([d.text for d in docs], doc)
    meta = docs[-1].metadata
    assert meta["collection"] == "news" and meta["title"] == doc.metadata.title
    assert meta["url"] == doc.metadata.url and meta["pages"]
    # the boxes reach the store but not the embedding model's text
    assert "bboxes" in meta and "bboxes" not in docs[0].get_content(metadata_mode="embed")
    assert doc.metadata.title in docs[0].get_content(metadata_mode="embed")


def test_a_missing_framework_is_a_clear_import_error(monkeypatch):
    import sys

    for mod in ("langchain_core", "langchain_core.documents", "langchain_core.document_loaders"):
        monkeypatch.setitem(sys.modules, mod, None)
    monkeypatch.delitem(sys.modules, "reflow.integrations.langchain", raising=False)
    with pytest.raises(
        ImportError, match=r"pip install langchain-core \(reflow's \[langchain\] extra\)"
    ):
        import reflow.integrations.langchain  # noqa: F401
