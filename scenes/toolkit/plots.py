"""Axes for the video's 2-D plots, in one style: muted axes, numbered ticks, no arrow tips."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Axes

from scenes.toolkit.style import MUTED

__all__ = ["TICK_FONT_SIZE", "curve_points", "plot_axes"]

TICK_FONT_SIZE = 18


def plot_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    x_length: float,
    y_length: float,
    *,
    font_size: float = TICK_FONT_SIZE,
) -> Axes:
    """Axes over ``x_range`` and ``y_range`` (``[min, max, tick step]``) of the given size."""
    return Axes(
        x_range=list(x_range), y_range=list(y_range), x_length=x_length, y_length=y_length,
        tips=False, axis_config={"color": MUTED, "include_numbers": True, "font_size": font_size},
    )  # fmt: skip


def curve_points(axes: Axes, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Scene points of the curve through ``(xs, ys)`` on ``axes``."""
    return np.array([axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
