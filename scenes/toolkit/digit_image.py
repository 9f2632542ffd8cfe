"""A 28x28 digit as a crisp picture: each pixel stays a sharp square at every render quality."""

from __future__ import annotations

import numpy as np
from manim import RESAMPLING_ALGORITHMS, Group, ImageMobject, SurroundingRectangle

from scenes.toolkit.style import MUTED

__all__ = ["DigitImage", "pixel_image"]


def pixel_image(rgb_or_gray: np.ndarray, height: float) -> ImageMobject:
    """An image mobject of a small array, drawn with nearest-neighbour sampling (no blur)."""
    pixels = np.asarray(rgb_or_gray, dtype=np.uint8)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    image = ImageMobject(np.ascontiguousarray(pixels))
    image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
    image.height = height
    return image


class DigitImage(Group):
    """A handwritten digit (uint8 ``[28, 28]``, 0 = background, 255 = ink) in a thin frame.

    Parameters
    ----------
    pixels
        The digit's 28x28 intensities, as stored in the traces.
    height
        Height of the picture in scene units.
    framed
        Whether to draw a thin frame around it.
    """

    def __init__(self, pixels: np.ndarray, height: float = 2.0, *, framed: bool = True) -> None:
        if pixels.shape != (28, 28):
            raise ValueError(f"a digit is 28 x 28 pixels, got {pixels.shape}")
        self.pixels = np.asarray(pixels, dtype=np.uint8)
        self.image = pixel_image(self.pixels, height)
        parts = [self.image]
        if framed:
            parts.append(SurroundingRectangle(self.image, buff=0, color=MUTED, stroke_width=1))
        super().__init__(*parts)
