"""Table and code-block metrics on tiny inputs whose right answer is derived by hand."""

from reflow_eval.grid_metrics import code_scores, md_code, md_tables, table_scores

REF = """*Table 1: Budget*

| Year | Budget | Link |
| --- | --- | --- |
| 2019 | 383.8 | [site](https://a.example) |
| 2020 | 392.7 \\| est. | x |

```
$ make
  indented
```
"""


def test_tables_are_read_as_grids_of_plain_cells():
    # links keep their anchor, escapes undone, the separator row dropped
    assert md_tables(REF) == [
        [["Year", "Budget", "Link"], ["2019", "383.8", "site"], ["2020", "392.7 | est.", "x"]]
    ]


def test_code_keeps_lines_and_indentation():
    assert md_code(REF) == [["$ make", "  indented"]]


def test_a_table_reproduced_cell_for_cell_is_exact():
    s = table_scores(REF, REF)
    assert (s["exact"], s["n_ref"], s["n_out"], s["false"]) == (1, 1, 1, 0)
    assert s["rows"]["f1"] == 1.0


def test_a_table_with_the_header_lost_is_not_exact_but_keeps_its_rows():
    out = "| 2019 | 383.8 | site |\n|---|---|---|\n| 2020 | 392.7 \\| est. | x |\n"
    s = table_scores(REF, out)
    assert s["exact"] == 0 and s["false"] == 0
    # 2 of 3 reference rows found, both output rows right: F1 = 2*2/(3+2)
    assert abs(s["rows"]["f1"] - 0.8) < 1e-9


def test_a_table_made_of_prose_is_false():
    out = "| It was | a dark night |\n|---|---|\n| and | stormy |\n"
    assert table_scores(REF, out)["false"] == 1


def test_code_flattened_or_wrong_is_not_exact():
    assert code_scores(REF, "```\n$ make indented\n```\n")["exact"] == 0
    assert code_scores(REF, REF)["exact"] == 1
    assert code_scores(REF, "```\nprint(1)\n```\n")["false"] == 1
