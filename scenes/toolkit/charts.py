"""Horizontal bar rows: a name, a bar on a track of the full length, and the value, per row.

Manim's :class:`~manim.BarChart` stands its bars up on axes and writes each name under its bar;
names of several words ("10 singular images per digit") need rows, read left to right, with the
value at the end of each bar. The rows share one scale: a track of the full length shows 100 %.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from manim import DOWN, LEFT, RIGHT, DashedLine, GrowFromEdge, ParsableManimColor, Rectangle, VGroup

from scenes.toolkit.style import MUTED, caption

__all__ = ["BAR_HEIGHT", "BarRow", "BarRows", "percent"]

BAR_HEIGHT = 0.32
"""Thickness of a bar, in scene units."""


@dataclass(frozen=True)
class BarRow:
    """One row: its name, its value (0 to 1 of the full track) and its colour."""

    name: str
    value: float
    colour: ParsableManimColor


def percent(value: float) -> str:
    """A fraction as a percentage with one decimal: ``0.919`` -> ``"91.9%"``."""
    return f"{value:.1%}"


class BarRows(VGroup):
    """Rows of named bars on one scale, names right-aligned before the bars.

    ``names``, ``tracks``, ``bars`` and ``values`` are groups with one member per row, in the
    order given, to bring in and point at separately.
    """

    def __init__(
        self,
        rows: Sequence[BarRow],
        *,
        length: float,
        row_gap: float = 0.32,
        value_text: Callable[[float], str] = percent,
    ) -> None:
        self.length = length
        self.names = VGroup(*(caption(row.name, color=row.colour) for row in rows))
        self.names.arrange(DOWN, aligned_edge=RIGHT, buff=row_gap)
        start = self.names.get_right()[0] + 0.3
        self.tracks, self.bars, self.values = VGroup(), VGroup(), VGroup()
        for name, row in zip(self.names, rows, strict=True):
            left = [start, name.get_y(), 0]
            track = Rectangle(width=length, height=BAR_HEIGHT, stroke_width=1, stroke_color=MUTED)
            self.tracks.add(track.move_to(left, LEFT))
            bar = Rectangle(width=length * row.value, height=BAR_HEIGHT, stroke_width=0,
                            fill_color=row.colour, fill_opacity=0.85)  # fmt: skip
            self.bars.add(bar.move_to(left, LEFT))
            value = caption(value_text(row.value), color=row.colour)
            self.values.add(value.move_to([start + length + 0.2, name.get_y(), 0], LEFT))
        super().__init__(self.names, self.tracks, self.bars, self.values)

    def row(self, index: int) -> VGroup:
        """Everything of one row: name, track, bar and value."""
        return VGroup(self.names[index], self.tracks[index], self.bars[index], self.values[index])

    def grow(self) -> list[GrowFromEdge]:
        """The bars growing from their left ends, one animation per row."""
        return [GrowFromEdge(bar, LEFT) for bar in self.bars]

    def mark(self, value: float, colour: ParsableManimColor) -> DashedLine:
        """A dashed line across every row at ``value`` of the track."""
        x = self.tracks[0].get_left()[0] + self.length * value
        top, bottom = self.names.get_top()[1] + 0.2, self.names.get_bottom()[1] - 0.2
        return DashedLine([x, top, 0], [x, bottom, 0], color=colour, stroke_width=2)
