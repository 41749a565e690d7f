"""Bylines of web prints (``structure/bylines.py``): names near the title with or without "By",
roles, outlets and handles cut off, scored by the fitted byline model."""

from reflow.model import Block, Document, InlineLink, Line
from reflow.structure.bylines import FEATURES, candidates, load
from reflow.structure.header import find_header

TITLE = "Night trains return to the northern line"
BODY = (
    "The council approved the plan on Thursday after a long debate about its cost and its "
    "timing, and the first trains will run in the spring."
)


def _doc(texts: list[str | tuple[str, float]]) -> Document:
    doc = Document(source="t.pdf", kind="pdf")
    for t in texts:
        text, size = (t, 12.0) if isinstance(t, str) else t
        doc.blocks.append(Block(type="paragraph", text=text, page=1, size=size))
    doc.metadata.web_print = True
    doc.info["Title"] = TITLE + " | Example Daily"
    return doc


def authors(lines: list[str]) -> list[str]:
    return find_header(_doc([(TITLE, 24.0), *lines, BODY, BODY])).facts.authors


def test_byline_score_finds_a_byline_without_by():
    assert authors(["Dan Jervis-Bardy"]) == ["Dan Jervis-Bardy"]
    # the outlet and the date cut off; the ranked model is the judge of putting it out on a page
    # this bare (one line under the title, no link, no "By"): its best candidate is the name
    doc = _doc([(TITLE, 24.0), "Yasmine Hassan · CBC News · Posted: Oct 14, 2022 9:27 AM ET", BODY])
    best = max(candidates(doc, 0, 3, 10, 30), key=load().proba)
    assert best.names == ["Yasmine Hassan"]
    assert authors(["Heiko Sauer Do 9 Apr 2020"]) == ["Heiko Sauer"]
    assert authors(["Sara Zinnecker Stand: 05. Februar 2020"]) == ["Sara Zinnecker"]


def test_byline_score_with_by_in_other_languages_and_several_authors():
    assert authors(["By Jessica Holly, Gail Levy, 7 News WSVN November 8, 2023"]) == [
        "Jessica Holly",
        "Gail Levy",
    ]
    assert authors(["von Sonia Mevißen | 01.01.23, 08:35"]) == ["Sonia Mevißen"]
    assert authors(["Wednesday January 18, 2017 10:44 am PST by Juli Clover"]) == ["Juli Clover"]


def test_byline_score_cuts_roles_outlets_and_handles():
    assert authors(["Dolores Chang For The Hill 11/03/23 10:00 AM ET"]) == ["Dolores Chang"]
    assert authors(["By Grant Brisbee@GrantBrisbee Dec 6, 2016, 4:08pm EST"]) == ["Grant Brisbee"]
    # a label after the name ends it; "von" inside a name is a particle, not "by"
    doc = _doc([(TITLE, 24.0), "Christoph von Eichhorn Aktualisiert: 11.04.2020, 10:27", BODY])
    assert [c.names for c in candidates(doc, 0, 3, 10, 30)][0] == ["Christoph von Eichhorn"]
    # a name glued to the link of a social site: "Sarah LazareTwitter"
    doc = _doc([(TITLE, 24.0), "Sarah LazareTwitter", BODY, BODY])
    line = Line("Sarah LazareTwitter", 1, links=[InlineLink(12, 19, "https://twitter.com/sl")])
    doc.blocks[1].lines = [line]
    assert find_header(doc).facts.authors == ["Sarah Lazare"]


def test_byline_score_not_a_sentence_nor_far_from_the_title():
    assert authors([BODY]) == []
    doc = find_header(_doc([(TITLE, 24.0)] + [BODY] * 20 + ["Karl Nilsson"]))
    assert doc.facts.authors == []


def test_byline_model_is_small_plain_data_over_the_features():
    model = load()
    assert model is not None and len(model.weights) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0
    doc = _doc([(TITLE, 24.0), "By Karl Nilsson", BODY])
    c, dropped = candidates(doc, 0, 3, 10, 30)
    assert c.names == ["Karl Nilsson"] and c.features["marker"] == 1.0
    assert dropped.names == ["Karl"] and model.proba(dropped) < model.threshold
    assert model.proba(c) >= model.threshold


def test_byline_score_keeps_capital_surnames_and_drops_a_trailing_particle():
    assert authors(["Par Chokri GHARBI Publié sur 18/02/2020 8 min lues"]) == ["Chokri GHARBI"]
    assert authors(["AVOCAT Par Matthieu Hy le 07 Mai 2020"]) == ["Matthieu Hy"]


def test_byline_score_reads_names_after_a_label_a_role_or_an_inner_byline_word():
    # the names after a byline word inside the piece, after a label word, before a role
    assert authors(["Gepostet von Katharina Volkwein | Wohnen"]) == ["Katharina Volkwein"]
    doc = _doc([(TITLE, 24.0), "Sam Stein Senior Politics Editor, The Huffington Post", BODY])
    assert max(candidates(doc, 0, 3, 10, 30), key=load().proba).names == ["Sam Stein"]
    names = [
        c.names
        for c in candidates(
            _doc([(TITLE, 24.0), "Avatar Frank Hahn am 18. September 2019"]), 0, 3, 10, 30
        )
    ]
    assert ["Frank Hahn"] in names


def test_byline_score_finds_a_labelled_byline_far_down_the_page():
    # "Text: ..." under the article, past the blocks around the title: a candidate (the best
    # of this page) among the page's first ``byline_far`` blocks, and only there
    far = [(TITLE, 24.0)] + [BODY] * 14 + ["Text: Kirsten Freund / handwerksblatt.de"]
    doc = _doc(far)
    best = max(candidates(doc, 0, 3, 10, 30, far=300), key=load().proba)
    assert best.names == ["Kirsten Freund"] and best.features["far"] == 1.0
    assert not [c for c in candidates(doc, 0, 3, 10, 30) if c.names == ["Kirsten Freund"]]
