"""Right-to-left lines: the pieces a left-to-right reader cuts them into, joined again.

``rtl-line`` (``layout/blocks.py`` applies it to a page with right-to-left text).
"""

from __future__ import annotations

from reflow.lexicon import is_rtl
from reflow.model import InlineLink, Line
from reflow.rules import rule
from reflow.settings import BlockSettings


@rule("rtl-line", stage="blocks")
def merge_rtl_fragments(lines: list[Line], s: BlockSettings | None = None) -> list[Line]:
    """Right-to-left text runs leftwards, so a reader that starts a new line when x goes
    backwards cuts Arabic and Hebrew lines into words. Consecutive fragments on one baseline,
    each to the left of the previous and close to it, are one line (logical order is the stream
    order)."""
    s = s or BlockSettings()
    out: list[Line] = []
    for ln in lines:
        if ln.bbox and ln.bbox[0] > ln.bbox[2]:  # first glyph right of the last one
            ln.bbox = (ln.bbox[2], ln.bbox[1], ln.bbox[0], ln.bbox[3])
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.bbox
            and ln.bbox
            and prev.page == ln.page
            and (is_rtl(ln.text) or is_rtl(prev.text))
        ):
            size = max(prev.size, ln.size, 1.0)
            h = min(prev.bbox[3] - prev.bbox[1], ln.bbox[3] - ln.bbox[1])
            overlap = min(prev.bbox[3], ln.bbox[3]) - max(prev.bbox[1], ln.bbox[1])
            # Leftwards, or rightwards for a Latin word embedded in the line ("R و Python").
            gap = max(prev.bbox[0] - ln.bbox[2], ln.bbox[0] - prev.bbox[2])
            if (
                h > 0
                and overlap >= s.rtl_overlap_share * h
                and -s.rtl_max_overlap_em * size <= gap <= s.rtl_max_gap_em * size
            ):
                off = len(prev.text) + 1
                prev.links = [
                    *prev.links,
                    *(InlineLink(lk.start + off, lk.end + off, lk.url) for lk in ln.links),
                ]
                runs = [*prev.runs(), *ln.runs()]
                prev.text = prev.text + " " + ln.text
                prev.spans, prev.font = runs, None
                prev.bbox = (
                    min(prev.bbox[0], ln.bbox[0]),
                    min(prev.bbox[1], ln.bbox[1]),
                    max(prev.bbox[2], ln.bbox[2]),
                    max(prev.bbox[3], ln.bbox[3]),
                )
                prev.hyphen_end = ln.hyphen_end
                continue
        out.append(ln)
    return out
