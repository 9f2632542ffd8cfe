"""Weights as pictures in the video's diverging palette: one neuron's 28x28, or all of them."""

from __future__ import annotations

import numpy as np
from manim import Group, SurroundingRectangle

from scenes.toolkit.digit_image import pixel_image
from scenes.toolkit.style import MUTED, signed_rgb

__all__ = ["ParameterGrid", "WeightHeatmap"]


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

    def show_weights(self, weights: np.ndarray) -> None:
        """Redraw the picture for other weights of the same neuron, at the same colour scale."""
        self.weights = np.asarray(weights, dtype=np.float64).reshape(28, 28)
        self.rgb = signed_rgb(self.weights, self.scale)
        self.image.pixel_array[:, :, :3] = self.rgb


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
