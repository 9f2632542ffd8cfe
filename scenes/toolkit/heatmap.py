"""Weights as pictures in the video's diverging palette: one neuron's 28x28, or all of them."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, Group, SurroundingRectangle, VGroup

from scenes.toolkit.counters import SteadyNumber
from scenes.toolkit.digit_image import pixel_image
from scenes.toolkit.style import CAPTION_SIZE, MUTED, TEXT, label, signed_rgb

__all__ = ["ColourScale", "ParameterGrid", "WeightHeatmap"]


class WeightHeatmap(Group):
    """784 weights as a 28x28 picture: positive and negative in the two sign colours.

    Parameters
    ----------
    weights
        The 784 weights of one first-layer neuron (a row of ``W1``).
    scale
        The magnitude drawn at full colour; default: the largest magnitude in ``weights``.
    height
        Height of the picture in scene units.
    """

    def __init__(
        self, weights: np.ndarray, scale: float | None = None, height: float = 1.5
    ) -> None:
        weights = np.asarray(weights, dtype=np.float64)
        if weights.size != 784:
            raise ValueError(f"a heatmap shows 784 weights, got {weights.size}")
        self.weights = weights.reshape(28, 28)
        self.scale = float(scale if scale is not None else np.abs(weights).max())
        self.rgb = signed_rgb(self.weights, self.scale)
        self.image = pixel_image(self.rgb, height)
        frame = SurroundingRectangle(self.image, buff=0, color=MUTED, stroke_width=1)
        super().__init__(self.image, frame)

    def show_weights(self, weights: np.ndarray, scale: float | None = None) -> None:
        """Redraw the picture for other weights of the same neuron (at another colour scale)."""
        self.weights = np.asarray(weights, dtype=np.float64).reshape(28, 28)
        self.scale = self.scale if scale is None else float(scale)
        self.rgb = signed_rgb(self.weights, self.scale)
        self.image.pixel_array[:, :, :3] = self.rgb


class ColourScale(Group):
    """The key to a heatmap's colours: a bar from ``-scale`` through 0 to ``+scale``, numbered.

    The numbers at its ends keep their inner edges and baseline as the scale changes
    (:meth:`show_scale`), so a key that follows a changing scale does not jitter.
    """

    def __init__(self, scale: float, width: float = 2.6, height: float = 0.22) -> None:
        strip = signed_rgb(np.linspace(-1.0, 1.0, 129)[None, :], 1.0)
        self.bar = pixel_image(strip, height).stretch_to_fit_width(width)
        frame = SurroundingRectangle(self.bar, buff=0, color=MUTED, stroke_width=1)
        self.low, self.high = (
            SteadyNumber(sign * scale, num_decimal_places=2, font_size=CAPTION_SIZE, color=TEXT,
                         include_sign=sign > 0, edge_to_fix=edge)
            for sign, edge in ((-1, RIGHT), (1, LEFT))
        )  # fmt: skip
        self.low.next_to(self.bar, LEFT, buff=0.15)
        self.high.next_to(self.bar, RIGHT, buff=0.15)
        self.zero = label("0").next_to(self.bar, DOWN, buff=0.08)
        super().__init__(self.bar, frame, VGroup(self.low, self.high, self.zero))

    def show_scale(self, scale: float) -> None:
        """Number the ends ``-scale`` and ``+scale``."""
        self.low.set_value(-scale)
        self.high.set_value(scale)


class ParameterGrid(Group):
    """Every weight and bias of a network, one cell each, in rows, coloured by sign only.

    Cells run in the order of ``Parameters.flatten`` (first layer's weights first), ``columns``
    to a row; the cells after the last value are left dark. Sign only, so that weights and
    biases of very different sizes read alike: the caption says so.

    Parameters
    ----------
    values
        All weights and biases as one vector.
    columns
        Cells per row.
    width
        Width of the picture in scene units.
    """

    def __init__(self, values: np.ndarray, columns: int, width: float) -> None:
        values = np.asarray(values, dtype=np.float64).ravel()
        rows = -(-values.size // columns)
        cells = np.zeros(rows * columns)
        cells[: values.size] = np.sign(values)
        self.values = values
        rgb = signed_rgb(cells.reshape(rows, columns), 1.0)
        self.image = pixel_image(rgb, width * rows / columns)
        frame = SurroundingRectangle(self.image, buff=0, color=MUTED, stroke_width=1)
        super().__init__(self.image, frame)
