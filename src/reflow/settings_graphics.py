"""The settings of the rules that read what a page draws with paths (``reflow.settings``'s
``graphics`` group): the text inside a drawn figure, and tables framed by ruling lines."""

from __future__ import annotations

from dataclasses import dataclass

from reflow.settings_group import Group


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class GraphicsSettings(Group):
    """Drawn figures' and ruled tables'."""

    # figure-text: the paths of a figure start within this many ems (of its caption's type
    # size) of a "Figure N" caption, above or below it, and overlapping it across; paths
    # within this many ems of them join the figure, which is at least this many points on a
    # side. Blocks wholly inside it, widened by this many ems on the sides and above (its
    # axis labels and tick numbers stand outside the axes), of at most this many words a
    # line, are its text
    figure_caption_gap_em: float = 5.0
    figure_join_em: float = 1.5
    figure_min_side_pt: float = 36.0
    figure_side_em: float = 4.0
    figure_above_em: float = 1.5
    figure_max_words: int = 6
    # ruled-frame: horizontal rules that start and end within this many points of each other,
    # at most this far apart (two rules closer than the next are one, a double rule), make a
    # frame when there are this many; a vertical rule is at most this thick and this tall
    ruled_extent_pt: float = 3.0
    ruled_max_gap_pt: float = 300.0
    ruled_same_pt: float = 1.0
    ruled_min_rules: int = 3
    ruled_rule_max_pt: float = 2.5
    ruled_vertical_min_pt: float = 4.0
    # ruled-table: the median cell holds at most this many characters
    ruled_cell_max_chars: int = 40
