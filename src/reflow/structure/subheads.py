"""Headings set in body-size type that only their style and their number tell apart: LaTeX's
``\\subsection`` in italic ("3.1 Measures" under "3 Method"), a section title in small caps at
the body's size. ``heading`` (structure/roles.py) finds headings set larger or in bold; these
rules run after it, on what it left as paragraphs.

- ``numbered-heading``: a short block in italic, bold or small caps whose number continues the
  document's numbered headings (its parent's number is an earlier heading's).
- ``small-caps-heading``: a one-line block set wholly in a small-caps font, short and not a
  sentence.
"""

from __future__ import annotations

import re

from reflow.lexicon import Lazy, ends_sentence, heading_like
from reflow.model import Block, BlockType
from reflow.rules import rule
from reflow.settings import RoleSettings

# "3", "3.1", "3.1.2" and what follows ("3.1 Measures"); "3." too
SECTION_NUMBER = Lazy(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
# small-caps fonts by name: Computer Modern's CMCSC10, Latin Modern's LMRomanCaps10, and
# "SmallCaps" faces ("SC" alone is not read: Noto Sans SC is Simplified Chinese)
SMALL_CAPS_FONT = Lazy(r"cmcsc\d|caps\d|small-?caps", re.IGNORECASE)


def _runs(b: Block) -> list:
    return [sp for ln in b.lines for sp in ln.runs() if sp.text.strip()]


def small_caps(b: Block) -> bool:
    """All of the block's text is set in a font whose name says small caps."""
    runs = _runs(b)
    return bool(runs) and all(sp.font and SMALL_CAPS_FONT.search(sp.font) for sp in runs)


def _number(b: Block) -> tuple[str, str] | None:
    m = SECTION_NUMBER.match(b.text.strip())
    return (m.group(1), b.text.strip()[m.end() :]) if m else None


@rule("numbered-heading", stage="roles")
def numbered_heading(blocks: list[Block], s: RoleSettings) -> int:
    """A short block of body-size type set in italic, bold or small caps whose section number
    continues the document's numbered headings ("3.1 Measures" in italic, after the heading
    "3 Method": LaTeX's \\subsection under \\itshape) is a heading. The parent number must be
    an earlier heading's, so "2.5 million people" or a list's "1." is not one. Returns how
    many it made."""
    seen: set[str] = set()
    made = 0
    for b in blocks:
        num = _number(b)
        if b.type == BlockType.HEADING:
            if num:
                seen.add(num[0])
            continue
        if num is None or b.type != BlockType.PARAGRAPH or "." not in num[0]:
            continue
        if num[0].rsplit(".", 1)[0] not in seen or len(b.lines) > s.numbered_heading_max_lines:
            continue
        rest = num[1]
        if not heading_like(rest) or len(rest.split()) > s.bold_heading_max_words:
            continue
        if b.italic or b.bold or small_caps(b):
            b.type = BlockType.HEADING
            seen.add(num[0])
            made += 1
    return made


@rule("small-caps-heading", stage="roles")
def small_caps_heading(b: Block, s: RoleSettings) -> bool:
    """A one-line block set wholly in a small-caps font (Computer Modern's CMCSC10, Latin
    Modern's LMRomanCaps), short, capitalised and not a sentence, is a heading: a section
    title in \\scshape at the body's size, which neither size nor weight tells."""
    if b.type != BlockType.PARAGRAPH or len(b.lines) != 1:
        return False
    t = b.text.strip()
    if not heading_like(t) or ends_sentence(t) or len(t.split()) > s.bold_heading_max_words:
        return False
    if not small_caps(b):
        return False
    b.type = BlockType.HEADING
    return True
