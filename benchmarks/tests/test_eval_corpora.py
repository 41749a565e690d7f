"""The corpora `reflow eval` scores: the right documents, each with the right kind of reference."""

import json

from reflow_eval.corpora import iter_corpus, iter_layout


def test_aeb_dev_is_exactly_the_valid_keys_with_body_and_url(shared):
    keys = (shared / "corpora" / "aeb-dev" / "valid-keys.txt").read_text().split()
    items = list(iter_corpus("aeb-dev"))
    assert [it.doc_id for it in items] == keys
    assert all(it.reference.body and it.reference.metadata.get("url") for it in items)
    assert all(it.source.suffix == ".pdf" and it.source.exists() for it in items)


def test_docling_references_are_marked_silver(shared):
    items = list(iter_corpus("docling"))
    assert len(items) == 11
    assert all(it.reference.silver and it.reference.markdown for it in items)


def test_limit_and_unpacking(shared):
    ((doc_id, source, ref),) = list(iter_corpus("seed", limit=1))
    assert doc_id == "article" and source.name == "article.pdf.txt" and ref.markdown


def test_layout_reads_whatever_is_there(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "a.expected.md").write_text("# T\n\nText.\n", encoding="utf-8")
    meta = {"metadata": {"title": "T", "site": "S"}, "forbidden": ["1/2", "Site | S"]}
    (tmp_path / "a.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n")  # no expected Markdown: not scored
    (item,) = list(iter_layout(tmp_path))
    assert item.doc_id == "a"
    assert item.reference.forbidden == ["1/2", "Site | S"]
    assert item.reference.metadata["title"] == "T"
    assert list(iter_layout(tmp_path / "missing")) == []


def test_web_corpus_items_carry_their_fold_provenance_and_dump_record():
    from itertools import islice

    from reflow_eval.corpora import ALL_CORPORA

    items = list(islice(iter_corpus("web"), 5))
    assert len(items) == 5 and "web" in ALL_CORPORA
    for it in items:
        assert it.reference.body and it.reference.silver and it.payload
        assert it.reference.notes["fold"] in range(5)
        assert set(it.reference.notes["prov"]) == set(it.reference.metadata)


def test_scanned_fresh_holds_out_every_document_the_scanned_corpus_has(shared):
    from reflow_eval.corpora import ALL_CORPORA, fresh_sources, fresh_style, scanned_sources

    fresh = list(fresh_sources())
    used = {item.source for _, item, _ in scanned_sources()}
    assert len(fresh) >= 15
    assert not used & {item.source for _, item, _ in fresh}  # none developed on
    assert {d.split("/")[0] for d, _, _ in fresh} == {"producers", "docling"}
    assert all(it.reference.markdown for _, it, _ in fresh)
    # each scan in a style of its own, drawn from its id (the same every run)
    styles = {fresh_style(d) for d, _, _ in fresh}
    assert len(styles) == len(fresh) and fresh_style(fresh[0][0]) == fresh_style(fresh[0][0])
    assert {s.dpi for s in styles} == {200, 240, 300}
    assert "scanned-fresh" not in ALL_CORPORA and "scanned" not in ALL_CORPORA
