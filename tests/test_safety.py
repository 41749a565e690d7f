"""safety.py: the garbage-text detector, the text-layer stage, limits and the per-document deadline."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from reflow import convert_text
from reflow.errors import EmptyDocumentError, LimitExceededError, NoTextLayerError
from reflow.model import Document, Line, Page
from reflow.safety import (
    GARBAGE_LINE,
    Limits,
    assess_text,
    check_deadline,
    check_output,
    check_size,
    check_text_layer,
    count_unmapped,
    garbage_score,
    time_limit,
)

# Real text in many scripts and shapes: none of it is garbage.
CLEAN = [
    "The river council met on Tuesday to discuss the flooding of the lower town.",
    "Σύμφωνα με την ανακοίνωση, η συνεδρίαση θα γίνει την Τρίτη.",
    "Совет города собрался во вторник, чтобы обсудить наводнение.",
    "قال المجلس إن الاجتماع سيعقد يوم الثلاثاء المقبل في المدينة.",
    "המועצה התכנסה ביום שלישי כדי לדון בהצפה של העיר התחתית.",
    "TV일반 기사입력 :[ 2018-08-25 15:24 ] 저작권자 ⓒ 엔터미디어(www.entermedia.co.kr)",
    "東京都は火曜日に会議を開き、洪水対策について話し合った。",
    "東京タワーへ行くならJR線が便利です",  # kanji, katakana, hiragana and Latin in one run
    "Consiliul s-a întrunit marți pentru a discuta inundațiile din oraș.",
    "Hội đồng thành phố đã họp vào thứ Ba để thảo luận về lũ lụt.",
    "3.6GHz/8GB/1TB/555X $1,349.00* $50",
    "https://www.cbsnews.com/news/michael-webb-fort-worth-dramatic-video-shows-rescue",
    "The area is A = 2πr² and the ratio α/β ≈ 0.5 (see Eq. 3).",
    "Pokój, żółw, Dvořák, Øresund, São Paulo, İstanbul, naïve café.",
    "Hоme page",  # one Cyrillic 'о' among Latin letters: a homoglyph, not a broken font
]

# What fonts without a Unicode map give.
GARBAGE = [
    "\x01\x04\x05\x06\x07\x05\x04\x08\t\n\x0b\x08\x06\x0c\x04\r\x0e",  # subset codes 1, 2, 3...
    "Ŏ\x9dƗ ʝ4M͋ȧ cŹɗ>ȊÞ) [ƿƯ Jù _ȷƵ?͑Ɇ\x81 çʈ ʅɗBɑɚƙ5 å2Ƚ",  # glyph ids read as code points
    "\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd",
    "\U000f0001\U000f0002\U000f0003 \U000f0004\U000f0005",  # private use
    "ΔλЖξБ ЩψΩДж",  # Greek and Cyrillic letters jumbled in each word
    "T打ᠣ䂿簀 ҀԐՠрӰрհӀ࡙蘍g Ʉ@ɼÕǿʻȣƸ̞",  # CJK, Mongolian, Cyrillic, Armenian in one word
]


@pytest.mark.parametrize("text", CLEAN)
def test_real_text_in_any_script_is_not_garbage(text):
    assert garbage_score(text) < GARBAGE_LINE


@pytest.mark.parametrize("text", GARBAGE)
def test_unmapped_glyphs_are_garbage(text):
    assert garbage_score(text) >= GARBAGE_LINE


def test_score_is_a_share():
    assert garbage_score("") == 0.0
    half = garbage_score("words here \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd")
    assert 0.3 < half < 0.7


def test_count_unmapped_skips_line_ends_and_merged_hyphens():
    assert count_unmapped("plain text\r\n with a merged hyphen\x02 and a tab\t") == 0
    assert count_unmapped("\x01\x03\x1f\x85\ufffd") == 5


def test_assess_names_the_garbled_pages_only():
    lines = [(1, CLEAN[0]), (1, CLEAN[1]), (2, GARBAGE[1]), (2, GARBAGE[2]), (3, CLEAN[2])]
    q = assess_text(lines)
    assert q.pages == [2]
    assert 0.2 < q.share < 0.8
    # Characters the reader dropped because they had no Unicode count too.
    assert assess_text([(1, CLEAN[0])], unmapped={1: 500}).share > 0.8
    assert assess_text([], unmapped={4: 10}).pages == [4]


def _pdf(*pages: Page) -> Document:
    return Document(source="in.pdf", kind="pdf", pages=list(pages))


def _page(number: int, *texts: str, images: int = 0, unmapped: int = 0) -> Page:
    lines = [Line(text=t, page=number, index=i) for i, t in enumerate(texts)]
    return Page(number=number, lines=lines, images=images, unmapped=unmapped)


def test_scan_is_refused_with_its_page_count():
    with pytest.raises(NoTextLayerError) as e:
        check_text_layer(_pdf(_page(1, images=1), _page(2, images=2), _page(3)))
    assert str(e.value) == "in.pdf: no text layer (2 pages with images; a scan? run OCR first)"


def test_blank_pages_are_an_empty_document():
    with pytest.raises(EmptyDocumentError, match="in.pdf: no text on any of its 4 pages"):
        check_text_layer(_pdf(*(_page(i) for i in range(1, 5))))


def test_a_pdf_that_is_all_garbage_is_refused():
    with pytest.raises(NoTextLayerError, match="Unicode map"):
        check_text_layer(_pdf(_page(1, *GARBAGE[1:3]), _page(2, GARBAGE[4])))
    with pytest.raises(NoTextLayerError, match="Unicode map"):
        check_text_layer(_pdf(_page(1, unmapped=300), _page(2, unmapped=120)))


def test_some_garbled_pages_give_a_warning_naming_them():
    doc = _pdf(
        _page(1, *CLEAN[:4]), _page(2, GARBAGE[1]), _page(3, *CLEAN[4:8]), _page(4, *CLEAN[8:])
    )
    doc = check_text_layer(doc)
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("page 2: text looks garbled")
    assert [ln.text for ln in doc.lines()][1:5] == CLEAN[1:4] + [GARBAGE[1]]  # nothing dropped


def test_clean_document_gets_no_warning():
    doc = check_text_layer(_pdf(_page(1, *CLEAN), _page(2, images=1), _page(3, CLEAN[0])))
    assert doc.warnings == []


def test_extracted_text_only_ever_gets_a_warning():
    doc = convert_text("\n".join(GARBAGE[1:] * 3))
    assert any("garbled" in w for w in doc.warnings)
    assert convert_text("\n\n".join(CLEAN)).warnings == []


def test_limits_read_the_environment(monkeypatch):
    monkeypatch.setenv("REFLOW_MAX_PAGES", "10")
    monkeypatch.setenv("REFLOW_TIMEOUT", "2.5")
    monkeypatch.setenv("REFLOW_MAX_BYTES", "not a number")
    lim = Limits.from_env()
    assert (lim.max_pages, lim.timeout, lim.max_bytes) == (10, 2.5, Limits().max_bytes)
    with pytest.raises(LimitExceededError, match="file too large"):
        check_size(lim.max_bytes + 1, "x.pdf", lim)


def test_oversized_input_is_refused_before_reading(monkeypatch, tmp_path):
    import reflow.pipeline

    monkeypatch.setattr(
        reflow.pipeline, "check_size", lambda n, label: check_size(n, label, Limits(max_bytes=1000))
    )
    with pytest.raises(
        LimitExceededError, match=r"big.txt: file too large \(1.5 KiB; limit 1000 bytes\)"
    ):
        convert_text("word " * 300, name="big.txt")


def _spin(seconds: float) -> None:
    """Busy Python code that a working time limit interrupts (bounded, should it not)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(1000))


def test_time_limit_stops_a_python_loop():
    t0 = time.monotonic()
    with pytest.raises(LimitExceededError, match="slow.pdf: timed out after 0.2 s"):
        with time_limit(0.2, "slow.pdf"):
            _spin(10)
    assert time.monotonic() - t0 < 2


def test_time_limit_leaves_no_alarm_behind():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(0.5, "fast.pdf"):
        pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.6)  # the alarm would have fired here


def test_nested_limits_keep_the_outer_one():
    with pytest.raises(LimitExceededError, match="outer.pdf"):
        with time_limit(0.4, "outer.pdf"):
            with time_limit(5, "inner.pdf"):
                pass
            _spin(10)


def test_check_deadline_is_cooperative():
    with time_limit(0.05, "loop.pdf"):
        check_deadline()
        # Without the alarm (say, in a worker thread) the loop must stop itself.
        signal.setitimer(signal.ITIMER_REAL, 0)
        time.sleep(0.1)
        with pytest.raises(LimitExceededError, match="loop.pdf"):
            check_deadline()
    check_deadline()  # no limit outside the block


def test_stuck_native_code_is_ended_by_the_watchdog():
    """With SIGALRM unable to interrupt (blocked, as in native code), the hard watchdog ends the
    process with one error line and exit code 8."""
    code = textwrap.dedent(
        """
        import signal, time
        from reflow.safety import time_limit
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        with time_limit(0.3, "stuck.pdf", hard_exit=True, grace=0.3):
            time.sleep(30)
        print("not reached")
        """
    )
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - t0 < 20
    assert p.returncode == LimitExceededError.exit_code
    assert (
        p.stderr.strip() == "reflow: error: stuck.pdf: timed out after 0.3 s (per-document limit)"
    )
    assert p.stdout == ""


def test_empty_result_from_a_document_with_text_is_explained():
    from reflow.model import Block, Removed

    doc = _pdf(_page(1))
    doc.removed = [Removed("The River Gazette", "header", 1), Removed("1", "page-number", 1)]
    assert check_output(doc).warnings == [
        "no text left: all 2 lines taken out as page furniture or boilerplate "
        "(listed under 'removed' in --to json)"
    ]
    doc = _pdf(_page(1))
    doc.removed = [Removed("1", "page-number", 1)]
    doc.blocks = [Block("paragraph", "Kept.")]
    assert check_output(doc).warnings == []
