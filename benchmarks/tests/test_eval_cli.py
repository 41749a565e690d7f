"""`reflow eval` end to end: it runs, scores what it can, lists what failed, writes JSON."""

import json

from reflow.cli import main as reflow_main
from reflow_eval.cli import main as eval_main
from reflow_eval.cli import run, write_docs


def test_eval_seed_runs_end_to_end_and_writes_json(shared, tmp_path, capsys):
    out = tmp_path / "seed.json"
    # Through the top-level command, as a user types it.
    assert reflow_main(["eval", "--corpus", "seed", "--json", str(out), "-v"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    seed = data["corpora"]["seed"]
    ids = [d["id"] for d in seed["documents"]]
    assert "article" in ids
    agg = seed["aggregate"]
    assert agg["documents"] == len(ids)
    for key in ("text_similarity", "paragraph_f1", "reading_order"):
        assert 0.0 <= agg[key] <= 1.0
    printed = capsys.readouterr().out
    assert "seed" in printed and "text sim" in printed


def test_a_document_without_output_scores_zero_and_is_listed(shared, tmp_path):
    empty = tmp_path / "outputs"
    empty.mkdir()
    out = tmp_path / "r.json"
    assert eval_main(["--corpus", "seed", "--outputs", str(empty), "--json", str(out)]) == 0
    seed = json.loads(out.read_text(encoding="utf-8"))["corpora"]["seed"]
    assert "article" in [f["id"] for f in seed["failures"]]
    assert seed["aggregate"]["failed"] == len(seed["documents"])
    assert seed["aggregate"]["text_similarity"] == 0.0
    assert seed["aggregate"]["paragraph_f1"] == 0.0


def test_precomputed_outputs_are_scored_by_the_same_code(shared, tmp_path):
    outputs = tmp_path / "outputs" / "seed"
    outputs.mkdir(parents=True)
    ref = (shared / "seeds" / "article.expected.md").read_text(encoding="utf-8")
    (outputs / "article.md").write_text(ref, encoding="utf-8")
    res = run(["seed"], outputs=str(tmp_path / "outputs"))
    doc = next(d for d in res["corpora"]["seed"]["documents"] if d["id"] == "article")
    assert doc["ok"]
    assert doc["scores"]["text_similarity"] == 1.0
    assert doc["scores"]["paragraph"]["f1"] == 1.0
    assert doc["scores"]["link"]["f1"] == 1.0


def test_parallel_jobs_give_the_same_scores_as_one_process(shared, tmp_path):
    outputs = tmp_path / "outputs"
    (outputs / "docling").mkdir(parents=True)
    (outputs / "docling" / "multi_page.md").write_text(
        (shared / "corpora" / "docling-pdf" / "groundtruth" / "multi_page.md").read_text(), "utf-8"
    )
    one = run(["docling"], outputs=str(outputs), limit=4, jobs=1)
    two = run(["docling"], outputs=str(outputs), limit=4, jobs=2)
    docs1, docs2 = one["corpora"]["docling"]["documents"], two["corpora"]["docling"]["documents"]
    assert [d["id"] for d in docs1] == [d["id"] for d in docs2]
    assert [d["scores"] for d in docs1] == [d["scores"] for d in docs2]
    assert one["corpora"]["docling"]["silver"] is True
    by_id = {d["id"]: d for d in docs1}
    assert by_id["multi_page"]["ok"] and by_id["multi_page"]["scores"]["text_similarity"] == 1.0
    assert sum(not d["ok"] for d in docs1) == 3  # no output for the other three


def test_write_docs_replaces_its_own_section(shared, tmp_path):
    doc = tmp_path / "eval.md"
    doc.write_text("# Evaluation figures\n\nHand-written intro stays.\n", encoding="utf-8")
    res = run(["seed"], outputs=str(tmp_path))  # no outputs: one failure
    write_docs(res, doc)
    write_docs(res, doc)
    text = doc.read_text(encoding="utf-8")
    assert "Hand-written intro stays." in text
    assert text.count("<!-- eval seed:outputs:") == 1
    assert "Failed: `article`" in text


def test_aeb_output_equal_to_the_reference_body_scores_one(shared, tmp_path):
    import json as _json

    root = shared / "corpora" / "aeb-dev"
    key = (root / "valid-keys.txt").read_text().split()[0]
    body = _json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))[key]["articleBody"]
    (tmp_path / "aeb-dev").mkdir()
    (tmp_path / "aeb-dev" / f"{key}.txt").write_text(body, encoding="utf-8")
    res = run(["aeb-dev"], outputs=str(tmp_path), limit=1)
    agg = res["corpora"]["aeb-dev"]["aggregate"]
    assert (agg["aeb_precision"], agg["aeb_recall"], agg["aeb_f1"]) == (1.0, 1.0, 1.0)
    assert agg["body_paragraph_recall"] == 1.0
    assert agg["meta_url"] == 0.0  # a bare text output carries no URL


def test_a_hung_conversion_is_cut_by_the_time_limit(shared, monkeypatch):
    import time

    import reflow_eval.cli as ev

    def hang(item, tool, outputs):
        time.sleep(30)

    monkeypatch.setattr(ev, "produce", hang)
    t0 = time.perf_counter()
    res = run(["seed"], limit=1, timeout=0.3)
    assert time.perf_counter() - t0 < 5
    (doc,) = res["corpora"]["seed"]["documents"]
    assert not doc["ok"] and "timeout" in doc["error"]
    assert doc["scores"]["text_similarity"] == 0.0


def test_reflow_json_beside_a_stored_output_gives_its_metadata(shared, tmp_path):
    import json as _json

    root = shared / "corpora" / "aeb-dev"
    key = (root / "valid-keys.txt").read_text().split()[0]
    url = _json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))[key]["url"]
    (tmp_path / f"{key}.md").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / f"{key}.json").write_text(_json.dumps({"metadata": {"url": url + "?utm_source=x"}}))
    res = run(["aeb-dev"], outputs=str(tmp_path), limit=1)
    assert res["corpora"]["aeb-dev"]["aggregate"]["meta_url"] == 1.0


def test_explain_lists_the_paragraph_an_output_lost(shared, tmp_path):
    ref = (shared / "seeds" / "article.expected.md").read_text(encoding="utf-8")
    paras = ref.split("\n\n")
    lost = paras[3]
    (tmp_path / "article.md").write_text("\n\n".join(paras[:3] + paras[4:]), encoding="utf-8")
    res = run(["seed"], outputs=str(tmp_path), ids=["article"], explain=True)
    (doc,) = res["corpora"]["seed"]["documents"]  # --id keeps only the matching document
    assert doc["explain"]["missed"] == [lost.strip()]
    assert doc["explain"]["extra"] == []


def test_html_title_prefers_the_visible_headline_agreeing_with_og_title():
    from reflow_eval.corpora import html_title

    page = (
        '<meta property="og:title" content="Opinion | Republicans Are Following Trump">'
        '<h1 class="logo">Site</h1><h1><span>Republicans Are Following Trump</span></h1>'
    )
    assert html_title(page) == (["Republicans Are Following Trump"], "h1")
    social = (
        '<meta content="Jam Recipe | The Cleaver" property="og:title">'
        '<meta property="og:site_name" content="The Cleaver"><h1>Homemade Jam for the Holidays</h1>'
    )
    assert html_title(social) == (
        ["Jam Recipe", "Homemade Jam for the Holidays"],
        "og:title or the only h1",
    )
    assert html_title("<h1>Only a heading, no og:title</h1>") == ([], "none")


def test_baseline_comparison_names_the_documents_that_got_worse(shared, tmp_path):
    from reflow_eval.cli import compare

    ref = (shared / "seeds" / "article.expected.md").read_text(encoding="utf-8")
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "article.md").write_text(ref, encoding="utf-8")
    (bad / "article.md").write_text(ref.replace("\n\n", "\n", 5), encoding="utf-8")  # merged
    before = run(["seed"], outputs=str(good), ids=["article"])
    after = run(["seed"], outputs=str(bad), ids=["article"])
    diff = compare(after, before)["seed"]
    assert [w[0] for w in diff["worse"]] == ["article"] and diff["better"] == []
    assert diff["delta"]["paragraph_f1"] < 0
    assert compare(before, before)["seed"]["worse"] == []


def test_an_empty_corpus_names_where_it_was_looked_for(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REFLOW_SHARED", str(tmp_path / "nowhere"))
    eval_main(["--corpus", "aeb-dev", "--corpus", "docling"])
    err = capsys.readouterr().err
    assert (
        f"corpus aeb-dev: no documents found in {tmp_path / 'nowhere' / 'corpora' / 'aeb-dev'}"
        in err
    )
    assert str(tmp_path / "nowhere" / "corpora" / "docling-pdf") in err
    assert "REFLOW_SHARED" in err
    from reflow_eval.bench import main as bench_main

    monkeypatch.setenv("REFLOW_LAYOUT_SUITE", str(tmp_path / "no-suite"))
    out = tmp_path / "b"
    bench_main(
        [
            "--quick",
            "--corpora",
            "layout",
            "--tools",
            "pypdfium2",
            "--no-batch",
            "--out",
            str(out / "b.md"),
            "--json",
            str(out / "b.json"),
        ]
    )
    assert f"layout: no documents found in {tmp_path / 'no-suite'}" in capsys.readouterr().err


def test_web_corpus_is_scored_from_its_reader_dump_with_folds_and_gold_metadata():
    from reflow_eval.cli import run

    res = run(["web"], limit=6)["corpora"]["web"]
    agg = res["aggregate"]
    assert agg["documents"] == 6 and agg["failed"] == 0
    assert 0.5 < agg["aeb_f1"] <= 1.0
    assert agg["aeb_f1_fold_min"] <= agg["aeb_f1"] <= agg["aeb_f1_fold_max"]
    assert "meta_title" in agg and "meta_date" in agg and "meta_url_gold" in agg
