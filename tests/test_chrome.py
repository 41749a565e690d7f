"""Site chrome (``structure/chrome.py``): the words a web page prints around its article, and
the fast forms of its long patterns, held to the patterns as written."""

from pathlib import Path

import pytest

from reflow.model import Block
from reflow.settings import ArticleSettings
from reflow.structure.body import count_words
from reflow.structure.chrome import boilerplate_rule


def _kind(text: str) -> str | None:
    return boilerplate_rule(Block("paragraph", text), count_words(text), ArticleSettings())


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Share this article", "phrase"),
        ("Sign up for our newsletter", "phrase"),
        ("© 2020 Example Media", "phrase"),
        (
            "We use cookies to improve your experience. By clicking Accept you consent. " * 3,
            "cookie",
        ),
        ("ADVERTISE M ENT", "chrome-word"),
        ("Shares", "chrome-word"),
        ("11/22/26, 5:24 PM Ferry strike ends - Harbor Post", "print-leftover"),
        ("Protesters have worn masks (Image: GETTY)", "photo-credit"),
        ("Image 3 of 23", "photo-credit"),
        ("https://site.example/img/harbor.jpg The harbour at night", "picture"),
        ("Comments", "weak"),
        ("Related", "weak"),
    ],
)
def test_boilerplate_phrase_names_the_kind_of_site_chrome(text, kind):
    assert _kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "Facebook's new privacy rules for advertisers",
        "The company declined to comment on the report, which was published on Monday.",
        "Netflix raised its subscription price by a dollar in the United States.",
        "Google will phase out third-party cookies in Chrome, a change privacy advocates welcomed.",
        "Millions rushed to sign up for the service on its first day, the company said on Monday "
        "in a statement to its investors and to the press.",
    ],
)
def test_boilerplate_phrase_not_for_sentences_that_use_the_words(text):
    assert _kind(text) is None


def test_boilerplate_patterns_match_as_written():
    """The long boilerplate alternations are tried only where a word (or "©") starts, for speed;
    they must find exactly what the patterns as written find, e.g. not "share" in "_share"."""
    from reflow.structure import chrome as article

    texts = [
        "Share this article",
        "_share this",
        "x©2020 Example",
        "© 2020 Example Media. All rights reserved.",
        "5 min read",
        "a 10-minute read; 3 min. read",
        "We use cookies to improve your experience",
        "Sign up for our newsletter",
        "Подписаться — поделиться",
        "Read more: related stories on Facebook, Twitter",
        "TAGS: politics",
        "privacy_policy and terms of use",
    ]
    # and every short paragraph of the aeb-dev reference bodies, where the corpus is at hand
    gt = Path(__file__).parent.parent.parent / "shared/corpora/aeb-dev/ground-truth.json"
    if gt.exists():
        import json

        bodies = json.loads(gt.read_text(encoding="utf-8"))
        texts += [p for v in bodies.values() for p in (v.get("articleBody") or "").split("\n\n")][
            :4000
        ]
    assert set(article.AS_WRITTEN) == {
        "BOILERPLATE",
        "TOPIC_BOILERPLATE",
        "WEAK_BOILERPLATE",
        "COOKIE_NOTICE",
    }
    for name, written in article.AS_WRITTEN.items():
        fast = getattr(article, name)
        assert fast.pattern != written.pattern
        for t in texts:
            assert [m.span() for m in fast.finditer(t)] == [m.span() for m in written.finditer(t)]
    # a photo credit always holds one of the substrings tested before the search
    credits = [
        "Protesters have worn masks (Image: GETTY)",
        "Photo: Damian Dovarganes, AP",
        "Foto von Max Muster",
        "A crowd in Kyiv / AFP via Getty",
        "IMG_2041.JPEG",
        "https://site.example/wp-content/uploads/2019/a.png",
        "[caption id=1]",
        "Slide 3 of 12",
        "Picture courtesy of the museum",
    ]
    for t in credits + texts:
        low = t.lower()
        if article._PHOTO_LC.search(low):
            assert any(k in low for k in article.PHOTO_TRIGGERS), t
    assert all(article.photo_credit(t.lower()) for t in credits)
    # the lower-cased copies that _is_boilerplate runs find the same on lower-cased text
    for fast, written in [
        (article._BOILER_LC, article.BOILERPLATE),
        (article._WEAK_LC, article.WEAK_BOILERPLATE),
        (article._TOPIC_LC, article.TOPIC_BOILERPLATE),
        (article._COOKIE_LC, article.COOKIE_NOTICE),
    ]:
        for t in texts:
            low = t.lower()
            assert [m.span() for m in fast.finditer(low)] == [
                m.span() for m in written.finditer(low)
            ]
