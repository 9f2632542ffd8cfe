"""The landscape trace's cost surface as a smooth function, shared by the 2-D and 3-D scenes."""

from __future__ import annotations

import numpy as np
from manim import ManimColor
from scipy.interpolate import RectBivariateSpline

from nn.traces import Trace
from scenes.toolkit.style import HEIGHT_COLOURS

__all__ = [
    "height_levels",
    "height_rgb",
    "level_rgb",
    "point_along",
    "surface_function",
]


def surface_function(land: Trace) -> RectBivariateSpline:
    """A cubic spline through every value of ``surface_cost`` (call it as ``f(a, b)``)."""
    return RectBivariateSpline(
        land["alpha"].astype(float), land["beta"].astype(float),
        land["surface_cost"].T.astype(float),
    )  # fmt: skip


def point_along(path: np.ndarray, fraction: float) -> np.ndarray:
    """The path's point ``fraction`` of the way along its length (not its snapshots)."""
    lengths = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    target = fraction * lengths[-1]
    return np.array([np.interp(target, lengths, path[:, i]) for i in range(2)])


def height_levels(top: float) -> np.ndarray:
    """The costs at which the height colours sit: denser low down, where most of the surface is."""
    return top * np.linspace(0, 1, len(HEIGHT_COLOURS)) ** 2


def height_rgb(values: np.ndarray, top: float) -> np.ndarray:
    """Heights as uint8 RGB ``[..., 3]`` in the height colours."""
    return level_rgb(values, height_levels(top))


def level_rgb(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Values as uint8 RGB ``[..., 3]``: the height colours sit at ``levels``, blended between."""
    colours = np.array([ManimColor(c).to_rgb() for c in HEIGHT_COLOURS])
    rgb = np.stack([np.interp(values, levels, colours[:, i]) for i in range(3)], axis=-1)
    return np.round(rgb * 255).astype(np.uint8)
