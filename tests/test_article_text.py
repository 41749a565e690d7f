"""Article mode on extracted text: the lines' cues the text model reads (``article_text``)."""

from __future__ import annotations

from reflow.model import Block, BlockType, Line
from reflow.structure.article_text import TEXT, prose_width, repeats, text_rows
from reflow.structure.body import BlockFeatures

WRAPPED = (
    "The council met on Tuesday to decide the future of the old bridge, which has",
    "stood over the river since the war and carries more traffic every year than",
    "its builders ever imagined; the vote was close, and the mayor said so.",
)


def _block(lines, kind=BlockType.PARAGRAPH) -> Block:
    b = Block(kind, " ".join(lines))
    b.lines = [Line(text=t, page=1, index=i) for i, t in enumerate(lines)]
    return b


def _feats(blocks):
    return [BlockFeatures(b) for b in blocks]


def test_text_width_is_the_width_the_paragraphs_are_wrapped_at():
    blocks = [_block(WRAPPED), _block(["Home", "News", "Sport"]), _block(WRAPPED)]
    width = prose_width(blocks, _feats(blocks))
    assert width == max(len(t) for t in WRAPPED)  # not the menu's short lines


def test_text_repeats_counts_a_comment_thread_s_reply_lines():
    blocks = [_block(WRAPPED), _block(["Reply"]), _block(["Great piece, thanks."])]
    blocks += [_block(["Reply"]), _block(["reply"]), _block(WRAPPED)]
    got = repeats(blocks, _feats(blocks))
    assert got[1] == got[3] == got[4] == 2  # "Reply" three times, any case
    assert got[0] == 0  # a long block is never counted, though the same text comes again
    assert got[2] == 0


def test_text_rows_tell_a_comment_thread_from_the_article():
    comment = [_block(["jsmith42"]), _block(["March 3, 2024 at 10:41 pm"]), _block(["Reply"])]
    blocks = [_block(WRAPPED), _block(WRAPPED), *comment, _block(["@maria_k 11:02"]), *comment]
    rows = text_rows(blocks, _feats(blocks), 0, 1)
    col = {n: i for i, n in enumerate(TEXT)}
    body, stamp, handle = rows[0], rows[3], rows[5]
    assert body[col["t_width_max"]] == 1.0 and stamp[col["t_width_max"]] < 0.5
    assert stamp[col["t_time"]] > 0 and stamp[col["t_date"]] > 0 and body[col["t_time"]] == 0
    assert handle[col["t_handle"]] > 0
    assert rows[4][col["t_dup"]] > 0 and body[col["t_dup"]] == 0  # "Reply" again and again
    assert body[col["t_window"]] == 1.0 and rows[-1][col["t_window"]] == 0.0
    assert rows[-1][col["t_window_dist"]] > rows[2][col["t_window_dist"]] > 0  # after the body
