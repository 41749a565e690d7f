"""Reading order of a page's blocks: columns top to bottom, left to right.

``reading-order``: a recursive XY cut. Columns (groups of blocks separated by a vertical gutter)
are read left to right, each top to bottom; where no gutter crosses a region it is cut into
horizontal bands, and neighbouring bands that both have the same columns are read as one region,
so a chance alignment of paragraph gaps in two columns does not interleave them. Full-width
blocks (a title, a wide figure) stay where they sit.
"""

from __future__ import annotations

from collections.abc import Sequence

from reflow.layout.columns import Gutter
from reflow.model import Block
from reflow.rules import rule
from reflow.settings import BlockSettings


def _x_groups(
    blocks: list[Block], min_gap: float, gutters: Sequence[Gutter] = ()
) -> list[list[Block]]:
    """Blocks in groups side by side: apart by ``min_gap`` or by one of the page's gutters
    (``column-gutter``), which may be narrower."""
    items = sorted(blocks, key=lambda b: b.bbox[0])
    if gutters:
        top = min(b.bbox[1] for b in items)
        bottom = max(b.bbox[3] for b in items)
    groups: list[list[Block]] = []
    right = -1e9
    for b in items:
        x0 = b.bbox[0]
        if (
            groups
            and x0 < right + min_gap
            and not (
                gutters and x0 > right and any(g.between(right, x0, top, bottom) for g in gutters)
            )
        ):
            groups[-1].append(b)
            right = max(right, b.bbox[2])
        else:
            groups.append([b])
            right = b.bbox[2]
    return groups


def _y_bands(blocks: list[Block], tolerance: float) -> list[list[Block]]:
    items = sorted(blocks, key=lambda b: b.bbox[1])
    bands: list[list[Block]] = []
    bottom = -1e9
    for b in items:
        if bands and b.bbox[1] < bottom - tolerance:
            bands[-1].append(b)
            bottom = max(bottom, b.bbox[3])
        else:
            bands.append([b])
            bottom = b.bbox[3]
    return bands


@rule("grid-row", stage="blocks")
def grid_row_ends(
    group: list[Block], band: list[Block], columns: int, s: BlockSettings, gutters=()
) -> bool:
    """A row of one block per column, level at the top and at the bottom (the authors of a
    paper side by side, each with an affiliation), is a row of a grid: a single block under it
    (the date, centred) comes after the whole row, not inside the column it happens to fall
    in; so do the columns of a paper under it when a block of the row reaches into their
    gutter and none is as wide as a column (``grid_row_width_share`` of it): the author boxes
    are centred apart from the body's columns."""
    if len(group) != columns or not band:
        return False
    tops = [b.bbox[1] for b in group]
    bottoms = [b.bbox[3] for b in group]
    level = (
        max(tops) - min(tops) <= s.grid_level_pt and max(bottoms) - min(bottoms) <= s.grid_level_pt
    )
    if not level:
        return False
    if len(band) == 1:
        return True
    top, bottom = min(b.bbox[1] for b in band), max(b.bbox[3] for b in band)
    below = [g for g in gutters if g.y0 < bottom and g.y1 > top]
    if not below:
        return False
    x0 = min(b.bbox[0] for b in group + band)
    x1 = max(b.bbox[2] for b in group + band)
    column = (x1 - x0 - sum(g.x1 - g.x0 for g in below)) / columns
    if any(b.bbox[2] - b.bbox[0] > s.grid_row_width_share * column for b in group):
        return False  # paragraphs as wide as their columns: the columns' own first blocks
    return any(b.bbox[0] < g.x1 and b.bbox[2] > g.x0 for g in below for b in group)


def _spans(cols: list[list[Block]]) -> list[tuple[float, float]]:
    return [(min(b.bbox[0] for b in c), max(b.bbox[2] for b in c)) for c in cols]


def _column_of(spans: list[tuple[float, float]], b: Block, tol: float) -> int:
    for i, (a, z) in enumerate(spans):
        if b.bbox[0] >= a - tol and b.bbox[2] <= z + tol:
            return i
    centre = (b.bbox[0] + b.bbox[2]) / 2
    return min(range(len(spans)), key=lambda i: abs((spans[i][0] + spans[i][1]) / 2 - centre))


@rule("band-fits-columns", stage="blocks")
def band_fits_columns(
    spans: list[tuple[float, float]], band: list[Block], s: BlockSettings
) -> bool:
    """Every block of the band lies within one column of the region above (its x-extent,
    ``band_fit_pt`` of protrusion allowed) and within no other: the band goes on in those
    columns, though a line's closing quote reaching into the gutter leaves less than the
    gutter between it and the next column (a pdfTeX page whose right column ends early and
    whose left one has a figure beside it, so no gutter was found: the rest of the left column
    came after the right one). The region is then read column by column, each block in the
    column it fits."""
    tol = s.band_fit_pt
    for b in band:
        inside = [1 for a, z in spans if b.bbox[0] >= a - tol and b.bbox[2] <= z + tol]
        if len(inside) != 1:
            return False
    return True


@rule("reading-order", stage="blocks")
def reading_order(
    blocks: list[Block],
    s: BlockSettings | None = None,
    depth: int = 0,
    gutters: Sequence[Gutter] = (),
) -> list[Block]:
    """Recursive XY cut over a page's blocks. Columns (x groups apart by at least the gutter)
    are read left to right, each top to bottom; when no vertical gutter crosses the region, it
    is cut into horizontal bands, and neighbouring bands that both have columns are merged back
    so a chance alignment of paragraph gaps in two columns does not interleave them (a
    three-column digest whose paragraphs end level). ``gutters``: the page's column gutters
    (``column-gutter``), where a narrower gap between blocks also parts columns."""
    s = s or BlockSettings()
    gutter = s.column_gutter_pt
    geo = [b for b in blocks if b.bbox]
    if len(geo) <= 1 or depth > s.order_max_depth or len(geo) != len(blocks):
        return blocks
    cols = _x_groups(geo, gutter, gutters)
    if len(cols) > 1:
        out: list[Block] = []
        for col in cols:
            out.extend(reading_order(sorted(col, key=lambda b: b.bbox[1]), s, depth + 1, gutters))
        return out
    bands = _y_bands(geo, s.band_overlap_pt)
    if len(bands) == 1:
        return sorted(geo, key=lambda b: (b.bbox[1], b.bbox[0]))
    groups: list[list[Block]] = []
    spans: dict[int, list[tuple[float, float]]] = {}  # a group read by the columns it fits
    for band in bands:
        # A band that fits the columns of the group above continues it, even when it has one
        # block only (the other column has a picture there); a full-width band ends it.
        if groups:
            g = groups[-1]
            cols = spans.get(id(g))
            k = len(cols) if cols else len(_x_groups(g, gutter, gutters))
            if k > 1 and not grid_row_ends(g, band, k, s, gutters):
                if cols is None and len(_x_groups(g + band, gutter, gutters)) == k:
                    g.extend(band)
                    continue
                cols = cols or _spans(_x_groups(g, gutter, gutters))
                if band_fits_columns(cols, band, s):
                    spans[id(g)] = cols
                    g.extend(band)
                    continue
        groups.append(list(band))
    if len(groups) == 1:
        # Still one region: keep the stream order (no better evidence).
        return blocks
    out = []
    for g in groups:
        cols = spans.get(id(g))
        if cols is None:
            out.extend(reading_order(g, s, depth + 1, gutters))
            continue
        parts: list[list[Block]] = [[] for _ in cols]
        for b in g:
            parts[_column_of(cols, b, s.band_fit_pt)].append(b)
        for part in parts:
            out.extend(reading_order(sorted(part, key=lambda b: b.bbox[1]), s, depth + 1, gutters))
    return out
