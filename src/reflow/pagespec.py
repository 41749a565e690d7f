"""Page ranges as people write them: ``1,3-5``, ``7-`` (to the end), ``-3`` (the first three)."""

from __future__ import annotations

from reflow.lexicon import Lazy

_PART = Lazy(r"^\s*(\d*)\s*(-?)\s*(\d*)\s*$")

# A page range: (first, last), 1-based and inclusive; last 0 means "to the end".
Ranges = tuple[tuple[int, int], ...]


def parse_pages(spec: str | int | list | tuple) -> Ranges:
    """``"1,3-5,9-"`` -> ((1, 1), (3, 5), (9, 0)); a list of numbers is taken as those pages.
    Raises ValueError with a message fit for a user."""
    if isinstance(spec, int):
        spec = [spec]
    if isinstance(spec, list | tuple):
        if spec and all(isinstance(r, tuple) and len(r) == 2 for r in spec):
            return tuple((int(a), int(b)) for a, b in spec)
        try:
            nums = sorted({int(p) for p in spec})
        except (TypeError, ValueError):
            raise ValueError(f"pages must be numbers from 1: {spec!r}") from None
        if not nums or nums[0] < 1:
            raise ValueError(f"pages must be numbers from 1: {spec!r}")
        return tuple((p, p) for p in nums)
    out: list[tuple[int, int]] = []
    for part in str(spec).split(","):
        m = _PART.match(part)
        if not m or not (m.group(1) or m.group(3)) or (not m.group(2) and m.group(3)):
            raise ValueError(f"not a page range: {part.strip()!r} (e.g. 1,3-5 or 7-)")
        a = int(m.group(1)) if m.group(1) else 1
        b = (int(m.group(3)) if m.group(3) else 0) if m.group(2) else a
        if a < 1 or (b and b < a):
            raise ValueError(f"not a page range: {part.strip()!r} (pages count from 1)")
        out.append((a, b))
    return tuple(out)


def page_numbers(ranges: Ranges | None, count: int) -> list[int]:
    """The 1-based pages of a ``count``-page document the ranges ask for, in order, each once
    (pages past the end are left out)."""
    if not ranges:
        return list(range(1, count + 1))
    pages: set[int] = set()
    for a, b in ranges:
        pages.update(range(a, min(b or count, count) + 1))
    return sorted(pages)


def format_pages(ranges: Ranges | None) -> str:
    """The canonical spelling of ranges ("1,3-5,9-"): the same ranges give the same string."""
    if not ranges:
        return ""
    return ",".join(f"{a}" if a == b else f"{a}-{b or ''}" for a, b in ranges)
