"""A function of two inputs seen from above: its values as colours on labelled axes, with a scale.

The map draws one cell per sample, centred on the sample's inputs, in the video's height colours
(low cost dark, high cost bright); a colour scale beside it reads a colour back as a value. Its
:meth:`FunctionMap.point` and :meth:`FunctionMap.direction` place things on it by the function's
own inputs, so a scene never converts coordinates itself.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, PI, RIGHT, UP, Group, NumberLine, SurroundingRectangle, VGroup

from scenes.toolkit.digit_image import pixel_image
from scenes.toolkit.landscape_surface import height_rgb
from scenes.toolkit.manim_internals import CornerAxes
from scenes.toolkit.plots import TICK_FONT_SIZE
from scenes.toolkit.style import MUTED, label

__all__ = ["SCALE_STEPS", "ColourScale", "FunctionMap", "decimal_places"]

SCALE_STEPS = 256
"""Rows of colour in a colour scale: more than a viewer can tell apart."""


def decimal_places(step: float) -> int:
    """Decimals that write every multiple of ``step`` exactly: 1 -> 0, 0.5 -> 1, 0.25 -> 2."""
    return next(places for places in range(6) if round(step, places) == step)


class ColourScale(Group):
    """A vertical bar of the height colours from 0 (bottom) to ``top``, with numbered ticks."""

    def __init__(self, top: float, step: float, height: float, name: str) -> None:
        values = np.linspace(top, 0.0, SCALE_STEPS)[:, None]
        self.bar = pixel_image(height_rgb(values, top), height).stretch_to_fit_width(0.22)
        self.frame = SurroundingRectangle(self.bar, buff=0, color=MUTED, stroke_width=1)
        self.ticks = NumberLine(
            x_range=[0, top, step], length=height, rotation=PI / 2, label_direction=RIGHT,
            include_numbers=True, font_size=TICK_FONT_SIZE, color=MUTED, tick_size=0.05,
            decimal_number_config={"num_decimal_places": decimal_places(step)},
        )  # fmt: skip
        self.ticks.move_to(self.bar.get_right(), aligned_edge=LEFT).shift(0.02 * RIGHT)
        self.title = label(name).next_to(self.frame, UP, buff=0.15)
        super().__init__(self.bar, self.frame, self.ticks, self.title)


class FunctionMap(Group):
    """``values[j, i]`` = f(``xs[i]``, ``ys[j]``) drawn from above on axes with named inputs.

    Parameters
    ----------
    xs, ys
        The evenly spaced inputs the values were sampled at.
    values
        The samples, one row per ``y``.
    width, height
        Size of the map in scene units.
    steps
        Tick spacing along x and along y, in the inputs' units.
    names
        Names of the two inputs, written at the ends of their axes.
    scale
        The colour scale's name, top value and tick spacing.
    """

    def __init__(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        values: np.ndarray,
        *,
        width: float,
        height: float,
        steps: tuple[float, float],
        names: tuple[str, str],
        scale: tuple[str, float, float],
    ) -> None:
        half_x, half_y = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2  # cells centred on samples
        self.axes = CornerAxes(
            x_range=[float(xs[0] - half_x), float(xs[-1] + half_x), steps[0]],
            y_range=[float(ys[0] - half_y), float(ys[-1] + half_y), steps[1]],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": MUTED, "include_numbers": True, "font_size": TICK_FONT_SIZE},
        )  # fmt: skip
        scale_name, top, scale_step = scale
        self.picture = pixel_image(height_rgb(values[::-1], top), height)
        self.picture.stretch_to_fit_width(width)
        self.picture.move_to(self.axes.c2p(self.axes.x_range[0], self.axes.y_range[0]), DOWN + LEFT)
        self.frame = SurroundingRectangle(self.picture, buff=0, color=MUTED, stroke_width=1)
        x_name, y_name = names
        self.names = VGroup(
            label(x_name).next_to(self.axes.x_axis, RIGHT, buff=0.2),
            label(y_name).next_to(self.axes.y_axis, UP, buff=0.15),
        )
        self.colour_scale = ColourScale(top, scale_step, height, scale_name)
        self.colour_scale.next_to(self.frame, RIGHT, buff=0.9).align_to(self.frame, DOWN)
        super().__init__(self.picture, self.frame, self.axes, self.names, self.colour_scale)

    def point(self, x: float, y: float) -> np.ndarray:
        """The scene point of the inputs ``(x, y)``."""
        return self.axes.c2p(x, y)

    def direction(self, dx: float, dy: float) -> np.ndarray:
        """The scene direction (unit length) of a step ``(dx, dy)`` in the inputs."""
        along = self.point(dx, dy) - self.point(0.0, 0.0)
        return along / np.linalg.norm(along)
