"""Section numbers: what a heading's printed number tells about it.

Papers number their sections "2", "2.1", "2.1.3", or in Roman numerals with lettered
subsections ("II. RELATED WORK", "A. Datasets", IEEE's style). The number says a block is a
heading where its type does not (an italic "A. Datasets" at the body's size), and it says the
heading's level where the type sizes do not (every level set in the same bold body-size type).
The stage ``number_headings`` runs after the roles (``heading``, ``numbered-heading``,
``heading-levels``: structure/roles.py, subheads.py), on PDFs.

- ``lettered-heading``: a short block in italic, bold or small caps, "A. Datasets", whose letter
  continues the lettering under the current numbered section (A first, then B, ...).
- ``numbering-levels``: numbered headings take their level from their number's depth ("2" a
  section, "2.1" one below it, "2.1.3" two below; a lettered heading one below its section),
  counted from the level the shallowest numbered headings have.
"""

from __future__ import annotations

from reflow.lexicon import Lazy, ends_sentence, heading_like
from reflow.model import Block, BlockType, Document
from reflow.rules import rule
from reflow.settings import RoleSettings
from reflow.structure.roles import block_tag
from reflow.structure.subheads import SECTION_NUMBER, small_caps

# "IV. Results", "IV Results" is not read (a Roman numeral alone is a word too: "I think")
ROMAN_NUMBER = Lazy(r"^([IVXL]{1,7})\.\s+(?=\S)")
# "A. Datasets", "B) Training"
LETTER_NUMBER = Lazy(r"^([A-Z])[.)]\s+(?=\S)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(s: str) -> int | None:
    """The value of a Roman numeral in its canonical form (``IV`` 4, ``XII`` 12), else None."""
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total if 0 < total < 90 and _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = []
    for v, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def section_number(text: str) -> tuple[str, tuple[int, ...], str] | None:
    """(kind, parts, rest) of a heading's printed number: ``("decimal", (2, 1), "Sources")``
    for "2.1 Sources", ``("roman", (2,), "Related Work")`` for "II. Related Work",
    ``("letter", (1,), "Datasets")`` for "A. Datasets"; None without one."""
    t = text.strip()
    m = SECTION_NUMBER.match(t)
    if m:
        return "decimal", tuple(int(p) for p in m.group(1).split(".")), t[m.end() :]
    m = ROMAN_NUMBER.match(t)
    if m:
        v = roman_value(m.group(1))
        if v is not None:
            return "roman", (v,), t[m.end() :]
    m = LETTER_NUMBER.match(t)
    if m:
        return "letter", (ord(m.group(1)) - ord("A") + 1,), t[m.end() :]
    return None


def _styled(b: Block) -> bool:
    return bool(b.italic or b.bold or small_caps(b))


@rule("lettered-heading", stage="roles")
def lettered_heading(blocks: list[Block], s: RoleSettings) -> int:
    """A short block of at most ``numbered_heading_max_lines`` lines set in italic, bold or
    small caps, "A. Datasets", is a heading when its letter continues the lettering under the
    current numbered section: "A" after a section heading numbered "II." or "2", then "B", "C"
    in turn (IEEE's subsections, in italic at the body's size). A list's "A." item, a
    reference's "A. Higgins" or a letter out of turn is not one. Returns how many it made."""
    made = 0
    section: Block | None = None  # the numbered section heading this block is under
    last = 0  # the last letter under it (A = 1)
    for b in blocks:
        num = section_number(b.text)
        if b.type == BlockType.HEADING:
            if num and num[0] != "letter" and len(num[1]) == 1:
                section, last = b, 0
            elif num and num[0] == "letter":
                last = num[1][0]
            continue
        if section is None or num is None or num[0] != "letter" or num[1][0] != last + 1:
            continue
        if b.type != BlockType.PARAGRAPH or len(b.lines) > s.numbered_heading_max_lines:
            continue
        rest = num[2]
        if not heading_like(rest) or ends_sentence(rest):
            continue
        if len(rest.split()) > s.bold_heading_max_words or not _styled(b):
            continue
        b.type = BlockType.HEADING
        b.level = min(6, max(2, section.level + 1))
        last = num[1][0]
        made += 1
    return made


@rule("numbering-levels", stage="roles")
def numbering_levels(heads: list[Block], s: RoleSettings, keep=()) -> int:
    """Numbered headings take their level from their number: depth 1 ("2", "II.") a section,
    each further part ("2.1", "2.1.3") a level below, a lettered heading ("A.") one below the
    section it follows. The levels count from the one the shallowest numbered headings got
    from their type size (``heading-levels``), so a document whose sizes already agree is left
    as it is, and one whose three levels share one bold body-size type gets them back. Read
    when at least ``numbering_min_headings`` headings are numbered, in two depths or more.
    Those in ``keep`` (tagged headings) keep their level. Returns how many levels it changed."""
    found: list[tuple[Block, int]] = []
    parent = 0
    for b in heads:
        num = section_number(b.text)
        if num is None:
            continue
        kind, parts, _ = num
        if kind == "letter":
            if not parent:
                continue
            depth = parent + 1
        else:
            depth = len(parts)
            parent = depth
        found.append((b, depth))
    depths = {d for _, d in found}
    if len(found) < s.numbering_min_headings or len(depths) < 2:
        return 0
    top = min(depths)
    base = min(b.level for b, d in found if d == top) - top
    changed = 0
    for b, d in found:
        if any(b is k for k in keep):
            continue
        level = max(2, min(6, base + d))
        if b.level != level:
            b.level = level
            changed += 1
    return changed


def number_headings(doc: Document) -> Document:
    """The stage: lettered headings found, then every numbered heading's level from its number."""
    if doc.kind != "pdf":
        return doc
    s = doc.settings.roles
    lettered_heading(doc.blocks, s)
    heads = [b for b in doc.blocks if b.type == BlockType.HEADING]
    tagged = [b for b in heads if (t := block_tag(b)) is not None and t.role[0] == "h"]
    numbering_levels(heads, s, tagged)
    return doc
