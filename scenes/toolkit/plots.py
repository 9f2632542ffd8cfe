"""The video's 2-D plots: axes in one style, curves that grow as a run plays, a cursor.

The axes are muted, with numbered ticks and no arrow tips; a growing curve is drawn up to the
step a run has reached, and a cursor marks that step across the axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Axes, Line, LogBase, ParsableManimColor, VMobject

from scenes.toolkit.manim_internals import CornerAxes
from scenes.toolkit.style import MUTED

__all__ = ["TICK_FONT_SIZE", "GrowingCurve", "XCursor", "curve_points", "plot_axes"]

TICK_FONT_SIZE = 18


def plot_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    x_length: float,
    y_length: float,
    *,
    font_size: float = TICK_FONT_SIZE,
    at_corner: bool = False,
    log_x: bool = False,
) -> Axes:
    """Axes over ``x_range`` and ``y_range`` (``[min, max, tick step]``) of the given size.

    Where a range holds zero inside, Manim draws the other axis through zero, in the middle of
    the plot, with its numbers where curves pass; ``at_corner`` puts both axes at the lower-left
    corner instead. With ``log_x`` the x axis is logarithmic (Manim's ``LogBase``): its range is
    in powers of ten, its ticks at 1, 10, 100, ..., and ``c2p`` takes the values themselves.
    """
    kind = CornerAxes if at_corner else Axes
    x_axis = {"scaling": LogBase(custom_labels=False)} if log_x else {}
    return kind(
        x_range=list(x_range), y_range=list(y_range), x_length=x_length, y_length=y_length,
        tips=False, axis_config={"color": MUTED, "include_numbers": True, "font_size": font_size},
        x_axis_config=x_axis,
    )  # fmt: skip


def curve_points(axes: Axes, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Scene points of the curve through ``(xs, ys)`` on ``axes``."""
    return np.array([axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])


class GrowingCurve(VMobject):
    """The curve through ``(xs, ys)`` on ``axes``, drawn up to an ``x`` that moves as a run plays.

    It starts with its first two points. ``xs`` must be increasing.
    """

    def __init__(
        self, axes: Axes, xs: np.ndarray, ys: np.ndarray, color: ParsableManimColor, **style: float
    ) -> None:
        super().__init__(stroke_color=color, **style)
        self.xs = np.asarray(xs, dtype=float)
        self.all_points = curve_points(axes, self.xs, np.asarray(ys, dtype=float))
        self.show_until(float(self.xs[0]))

    def show_until(self, x: float) -> GrowingCurve:
        """Draw the points whose ``x`` is at most ``x`` (never fewer than two)."""
        shown = max(int(np.searchsorted(self.xs, x, side="right")), 2)
        self.set_points_as_corners(self.all_points[:shown])
        return self


class XCursor(Line):
    """A vertical line across ``axes`` that marks one ``x`` (where a run is)."""

    def __init__(self, axes: Axes, color: ParsableManimColor, **style: float) -> None:
        self.axes = axes
        bottom, top = axes.y_range[0], axes.y_range[1]
        first = axes.x_axis.p2n(axes.x_axis.get_start())  # the axis's first value, on any scale
        super().__init__(axes.c2p(first, bottom), axes.c2p(first, top), color=color, **style)

    def at(self, x: float) -> XCursor:
        """Move to ``x``."""
        bottom, top = self.axes.y_range[0], self.axes.y_range[1]
        return self.move_to(self.axes.c2p(x, (bottom + top) / 2))
