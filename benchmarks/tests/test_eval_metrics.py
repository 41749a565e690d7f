"""Metric unit tests on tiny inputs whose right answer is derived by hand in each comment."""

import pytest

from reflow_eval.metrics import (
    aeb_bootstrap,
    aeb_corpus,
    aeb_scores,
    aeb_tp_fp_fn,
    furniture_leaks,
    heading_f1,
    link_f1,
    md_blocks,
    md_links,
    md_words,
    metadata_accuracy,
    normalize_url,
    paragraph_f1,
    reading_order,
    split_front_matter,
    strip_markdown,
    strip_trailer,
    text_similarity,
)

TEN = "one two three four five six seven eight nine ten"


# --- Markdown reduction -------------------------------------------------------------------


def test_words_ignore_markdown_syntax_but_keep_anchor_text():
    md = "# Title\n\n> **Bold** and *em* [anchor text](https://x.org/a) <https://y.org>\n\n- item\n\n| cell | x |"
    assert md_words(md) == [
        "Title", "Bold", "and", "em", "anchor", "text", "https://y.org", "item", "cell", "x",
    ]  # fmt: skip


def test_escaped_markdown_characters_stay_literal():
    assert strip_markdown("2\\*3 is \\[six\\] and 2020\\. was\n") == "2*3 is [six] and 2020. was\n"


def test_blocks_split_on_blank_lines_and_list_items_and_headings():
    md = "## Head\nPara one\nwrapped.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |"
    assert md_blocks(md) == ["Head", "Para one wrapped.", "a", "b", "x y 1 2"]


def test_front_matter_is_parsed_and_not_counted_as_text():
    md = '---\ntitle: "A \\"quoted\\" title"\nauthors:\n  - Ann Lee\n  - Bo Wu\ndate: 2020-08-16\n---\n\nBody.'
    fields, body = split_front_matter(md)
    assert fields == {
        "title": 'A "quoted" title',
        "authors": ["Ann Lee", "Bo Wu"],
        "date": "2020-08-16",
    }
    assert md_words(md) == ["Body."]


def test_trailer_of_unattached_links_is_stripped_but_a_real_last_section_is_kept():
    art = "Para one.\n\nPara two.\n"
    trailer = "\n---\n\nLinks found in the document but not attached to text:\n\n- <https://a.org>\n- <https://b.org>\n"
    assert strip_trailer(art + trailer) == art
    real = art + "\n---\n\nA closing paragraph after a rule.\n"
    assert strip_trailer(real) == real


# --- text similarity --------------------------------------------------------------------


def test_identical_text_scores_one_and_markup_does_not_matter():
    assert text_similarity(TEN, TEN) == 1.0
    assert text_similarity("**Hello** [world](https://w.org)", "Hello world") == 1.0


def test_one_word_changed_in_ten_costs_a_tenth():
    assert text_similarity(TEN, TEN.replace("five", "FIVE")) == pytest.approx(0.9)


def test_missing_half_and_disjoint_texts():
    # 5 deletions over max(10, 5) words.
    assert text_similarity(TEN, "one two three four five") == pytest.approx(0.5)
    assert text_similarity("a b c", "x y z") == 0.0
    assert text_similarity("", "") == 1.0
    assert text_similarity("a b", "") == 0.0


def test_text_similarity_is_fast_on_long_documents():
    import time

    words = [f"w{i % 997}" for i in range(10000)]
    ref = " ".join(words)
    out = " ".join(words[:5000] + ["x"] + words[5000:])
    t0 = time.perf_counter()
    score = text_similarity(ref, out)
    assert score == pytest.approx(1 - 1 / 10001)
    assert time.perf_counter() - t0 < 2.0


# --- paragraphs and order ---------------------------------------------------------------

P1 = "The first paragraph is long enough to be a real paragraph of an article about things."
P2 = "A second paragraph follows it, also with enough words to be taken seriously here."
P3 = "The third and last paragraph closes the piece with a short final thought or two."


def test_identical_blocks_are_all_matched():
    r = paragraph_f1([P1, P2, P3], [P1, P2, P3])
    assert (r["precision"], r["recall"], r["f1"]) == (1.0, 1.0, 1.0)


def test_a_split_paragraph_is_a_miss():
    half = len(P1) // 2
    out = [P1[:half], P1[half:], P2, P3]
    r = paragraph_f1([P1, P2, P3], out)
    # P2 and P3 match; neither half of P1 reaches ratio 95.
    assert r["tp"] == 2
    assert r["precision"] == pytest.approx(2 / 4)
    assert r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_small_differences_still_match_but_matching_is_one_to_one():
    typo = P1.replace("things", "thing")  # ratio ~99
    r = paragraph_f1([P1], [typo, P1])
    assert r["tp"] == 1 and r["n_out"] == 2  # the exact copy wins; the typo is left over


def test_markdown_string_is_split_into_blocks():
    r = paragraph_f1(f"{P1}\n\n{P2}", f"**{P1}**\n\n{P2}\n\n{P3}")
    assert (r["tp"], r["n_ref"], r["n_out"]) == (2, 2, 3)


def test_reading_order_same_reversed_and_one_swap():
    ref = [P1, P2, P3, "Fourth block, distinct from all the others in its wording."]
    assert reading_order(ref, ref) == 1.0
    assert reading_order(ref, ref[::-1]) == pytest.approx(1 / 4)  # LIS of 4,3,2,1 is 1
    assert reading_order(ref, [ref[1], ref[0], ref[2], ref[3]]) == pytest.approx(3 / 4)
    assert reading_order(ref, ["nothing alike"]) == 0.0


# --- links and headings -----------------------------------------------------------------


def test_links_need_both_anchor_and_target():
    ref = "Read [the report](https://a.org/r) and [more](https://b.org)."
    assert link_f1(ref, ref)["f1"] == 1.0
    # Right target, anchor too long: a miss on both sides.
    r = link_f1(ref, "Read [the report and](https://a.org/r) and [more](https://b.org).")
    assert (r["tp"], r["precision"], r["recall"]) == (1, 0.5, 0.5)
    # Anchor emphasis and case do not matter.
    assert (
        link_f1(ref, "Read [**The Report**](https://a.org/r) and [more](https://b.org).")["f1"]
        == 1.0
    )


def test_autolinks_count_with_the_url_as_anchor():
    assert md_links("see <https://x.org/p>") == [("https://x.org/p", "https://x.org/p")]
    assert link_f1("", "")["f1"] == 1.0
    assert link_f1("", "[a](https://x)")["precision"] == 0.0


def test_heading_levels_and_level_agnostic_variant():
    ref = "# Title\n\n## Part one\n\nText.\n\n## Part two"
    out = "# Title\n\n### Part one\n\nText.\n\nPart two"
    lv = heading_f1(ref, out)
    assert (lv["tp"], lv["n_ref"], lv["n_out"]) == (1, 3, 2)
    any_level = heading_f1(ref, out, levels=False)
    assert (any_level["tp"], any_level["precision"], any_level["recall"]) == (
        2,
        1.0,
        pytest.approx(2 / 3),
    )


def test_headings_inside_code_fences_do_not_count():
    assert heading_f1("## Real", "```\n## Fake\n```\n\n## Real")["f1"] == 1.0


# --- metadata and furniture -------------------------------------------------------------


def test_metadata_scored_only_where_the_reference_has_it():
    ref = {
        "title": "Too Soon for a ‘Blue’ Revolution",
        "authors": ["Ann Lee", "Bo Wu"],
        "date": "2020-08-16",
        "url": "https://www.example.com/2020/08/16/article/",
    }
    out = {
        "title": "too soon for a 'blue' revolution",
        "authors": ["bo wu", "ANN LEE"],
        "date": "2020-08-16T09:30:00+03:00",
        "url": "http://www.example.com/2020/08/16/article?utm_source=x&fbclid=y",
    }
    assert metadata_accuracy(ref, out) == {
        "title": True,
        "authors": True,
        "date": True,
        "url": True,
    }
    assert metadata_accuracy({"url": ref["url"]}, out) == {"url": True}
    bad = {
        "title": "Another story",
        "authors": ["Ann Lee"],
        "date": "August 17, 2020",
        "url": "https://www.example.com/2020/08/16/other",
    }
    assert metadata_accuracy(ref, bad) == {
        "title": False,
        "authors": False,
        "date": False,
        "url": False,
    }
    assert metadata_accuracy(ref, {}) == {
        "title": False,
        "authors": False,
        "date": False,
        "url": False,
    }


def test_dates_in_words_are_the_same_day():
    for written in ("Aug 16th, 2020", "16 August 2020", "August 16, 2020"):
        assert metadata_accuracy({"date": "2020-08-16"}, {"date": written})["date"], written


def test_url_normalisation_keeps_real_query_parameters():
    assert normalize_url("https://a.org/x?id=3&utm_medium=e") == normalize_url(
        "http://A.org/x/?id=3"
    )
    assert normalize_url("https://a.org/x?id=3") != normalize_url("https://a.org/x?id=4")


def test_furniture_leaks_whole_tokens_only():
    forbidden = ["1/2", "11/25/26, 7:32 PM", "| Metro Tribune", "Page 7"]
    out = "Printed 11/25/26, 7:32 PM\n\nText | Metro Tribune\n\nOn page 17 of 20."
    assert furniture_leaks(out, forbidden) == ["11/25/26, 7:32 PM", "| Metro Tribune"]
    assert furniture_leaks("clean text", forbidden) == []


# --- ScrapingHub article-extraction benchmark ---------------------------------------------


@pytest.mark.parametrize(
    ("true", "pred", "expected"),
    [
        ("a b c", "a b c", (1, 0, 0)),
        # true {abc, bcd}, pred {abc}: tp 1, fn 1 -> normalised to sum 1
        ("a b c d", "a b c", (0.5, 0, 0.5)),
        ("a b c", "a b c d", (0.5, 0.5, 0)),
        ("", "", (0, 0, 0)),
        ("a", "", (0, 0, 1)),  # a text shorter than n is one short shingle
        # true {abc:2, bca, cab}, pred {abc:1}: tp 1, fn 3
        ("a b c a b c", "a b c", (0.25, 0, 0.75)),
        ("a,b;c", "a b c", (1, 0, 0)),  # tokens are \w+ runs: punctuation is ignored
    ],
)
def test_aeb_shingle_counts(true, pred, expected):
    assert aeb_tp_fp_fn(true, pred, n=3) == pytest.approx(expected)


def test_aeb_four_shingles_by_default_and_case_matters():
    # 5 tokens -> 2 four-shingles each; the last shingle differs ("E" vs "e").
    s = aeb_scores("a b c d E", "a b c d e")
    assert (s["tp"], s["fp"], s["fn"]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.5)
    assert s["accuracy"] == 0.0


def test_aeb_corpus_is_f1_of_mean_precision_and_mean_recall():
    docs = [
        aeb_scores("a b c d e", "a b c d e"),  # P 1, R 1
        aeb_scores(
            "a b c d e f", "a b c d x y z"
        ),  # true {abcd,bcde,cdef} pred {abcd,bcdx,cdxy,dxyz}: P 1/4, R 1/3
        aeb_scores("a b c d", ""),  # empty output: only in the recall mean (R 0)
    ]
    c = aeb_corpus(docs)
    p = (1 + 1 / 4) / 2
    r = (1 + 1 / 3 + 0) / 3
    assert c["precision"] == pytest.approx(p)
    assert c["recall"] == pytest.approx(r)
    assert c["f1"] == pytest.approx(2 * p * r / (p + r))
    assert c["documents"] == 3


def test_aeb_bootstrap_spread_is_zero_for_identical_documents_and_positive_otherwise():
    same = [aeb_scores("a b c d e", "a b c d e")] * 10
    assert aeb_bootstrap(same, n=50)["f1_std"] == 0.0
    mixed = same[:5] + [aeb_scores("a b c d e", "v w x y z")] * 5
    spread = aeb_bootstrap(mixed, n=200)
    assert 0.0 < spread["recall_std"] < 0.5
    assert aeb_bootstrap(mixed, n=200) == spread  # seeded: the same figures every run


def test_a_list_of_reference_titles_accepts_any_of_them():
    ref = {"title": ["Taylor Swift's AMA row seems to be over", "Taylor Swift is allowed to play"]}
    assert metadata_accuracy(ref, {"title": "Taylor Swift is allowed to play"})["title"]
    assert not metadata_accuracy(ref, {"title": "Taylor Swift"})["title"]
