"""Shared vocabulary (``lexicon.py``): lazy patterns, sentence ends, list markers, the browser's
print stamp."""

import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflow import lexicon
from reflow.lexicon import (
    LIST_MARKER,
    LIST_MARKER_PARTS,
    PRINT_DATE,
    PRINT_LEFTOVER,
    PRINTED_AT,
    Lazy,
    ends_sentence,
    maybe_marker,
)


def test_lazy_compiles_on_first_use_and_then_is_the_compiled_patterns_methods():
    p = Lazy(r"b+", re.IGNORECASE)
    assert "_compiled" not in vars(p)  # nothing compiled yet
    assert p.search("aBBc").group(0) == "BB"
    compiled = vars(p)["_compiled"]
    assert isinstance(compiled, re.Pattern) and compiled.flags & re.IGNORECASE
    # from now on the methods are the compiled pattern's own, looked up on the instance
    assert p.match.__self__ is compiled and p.sub.__self__ is compiled
    assert p.pattern == "b+" and p.compile() is compiled
    # a pattern built by a function is built once, on first use
    calls = []
    q = Lazy(lambda: calls.append(1) or re.compile("x"))
    assert not calls
    assert q.findall("xax") == ["x", "x"] and q.findall("x") == ["x"]
    assert calls == [1]


def test_a_pattern_built_from_another_compiles_only_itself():
    """structure/chrome.py builds its fast forms from the patterns as written: using the fast
    form compiles it alone (each long alternation compiled costs ms on a one-page conversion)."""
    base = Lazy(r"\bcookies?\b|\bnewsletter\b", re.IGNORECASE)
    derived = Lazy(lambda: (base.source()[0].replace(r"\b", ""), base.source()[1]))
    assert derived.findall("Our Newsletter and cookies") == ["Newsletter", "cookies"]
    assert "_compiled" not in vars(base)
    assert derived.source() == (derived.pattern, derived.flags)
    assert base.search("a cookie").group() == "cookie" and "_compiled" in vars(base)


def test_importing_reflow_compiles_no_lazy_pattern():
    code = (
        "import sys, reflow, reflow.pipeline\n"
        "from reflow.lexicon import Lazy\n"
        "n = [0, 0]\n"
        "for name, mod in list(sys.modules.items()):\n"
        "    if name.startswith('reflow'):\n"
        "        for v in vars(mod).values():\n"
        "            if isinstance(v, Lazy):\n"
        "                n[0] += 1\n"
        "                n[1] += '_compiled' in vars(v)\n"
        "print(*n)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lazy, compiled = map(int, out.stdout.split())
    assert lazy > 20 and compiled == 0


@pytest.mark.parametrize(
    "text",
    [
        "It ended.",
        "Did it?",
        "Yes!",
        "as follows:",
        "he said.”",
        "(so it was.)",
        "Wait…",
        "我们举行了新闻发布会。",
        "本当ですか？",
        "すごい！",
        "他说：“好。”",
    ],
)
def test_ends_sentence_latin_and_cjk_full_stops(text):
    assert ends_sentence(text) and ends_sentence(text + "  ")


@pytest.mark.parametrize(
    "text", ["the end of", "a heading", "我们举行了新闻发布会", "", "  ", "3.5"]
)
def test_ends_sentence_not_mid_sentence(text):
    assert not ends_sentence(text)


@pytest.mark.parametrize(
    "text,marker",
    [
        ("- item", "-"),
        ("• item", "•"),
        ("1. item", "1."),
        ("12) item", "12)"),
        ("(a) item", "a)"),
        ("iv. item", "iv."),
        ("B. item", "B."),
    ],
)
def test_list_markers(text, marker):
    assert LIST_MARKER.match(text) and maybe_marker(text)
    m = LIST_MARKER_PARTS.match(text)
    assert (m.group("bullet") or m.group("num") + m.group("close")) == marker
    assert text[m.end() :] == "item"


@pytest.mark.parametrize(
    "text", ["1990 was the year", "-5 degrees", "e.g. this", "•bullet", "1.5 m", "item"]
)
def test_list_markers_not_in_running_text(text):
    assert not LIST_MARKER.match(text)


@given(st.text(alphabet="-•*(). 1234567890abcivxlBIV\u00a0\t", max_size=8))
def test_maybe_marker_never_refuses_a_list_marker(text):
    # the cheap pre-test runs first: it may say yes to more, never no to a marker
    if LIST_MARKER.match(text):
        assert maybe_marker(text)


@pytest.mark.parametrize(
    "line,date,title",
    [
        (
            "8/16/20, 10:12 AM Belarus protests grow - The Moscow Times",
            "8/16/20",
            "Belarus protests grow - The Moscow Times",
        ),
        ("11/22/26, 5:24 p.m. Ferry strike ends", "11/22/26", "Ferry strike ends"),
        ("16/08/2020, 22:12 Belarus protests grow", "16/08/2020", "Belarus protests grow"),
        ("16/8/2020 22:12:05 Night trains", "16/8/2020", "Night trains"),
        ("8/16/20, 10:12 AM", "8/16/20", None),
    ],
)
def test_print_stamp_in_12_and_24_hour_form(line, date, title):
    m = PRINT_DATE.match(line)
    assert m and m.group("date") == date and m.group("title") == title
    if title:
        assert PRINT_LEFTOVER.match(line)
        assert PRINTED_AT.search(f"Printed copy: {line}")


@pytest.mark.parametrize(
    "text", ["Chapter 8/16 of the report", "On 8/16/20 the council met", "10:12 AM"]
)
def test_print_stamp_not_a_date_in_the_text(text):
    assert not PRINT_DATE.match(text) and not PRINTED_AT.search(text)


def test_scripts():
    assert lexicon.is_rtl("שלום עולם") and not lexicon.is_rtl("shalom שלום world")
    assert lexicon.is_cjk("中") and lexicon.is_cjk("。") and not lexicon.is_cjk("한")
