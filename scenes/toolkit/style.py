"""The video's look in one place: fonts, text sizes and colours, and how values become colours.

One colour means positive and one means negative everywhere: edges of the network, entries of
vectors, weight heatmaps.
"""

from __future__ import annotations

import numpy as np
from manim import ManimColor

__all__ = [
    "ACCENT",
    "BACKGROUND",
    "BAD",
    "BODY_SIZE",
    "CAPTION_SIZE",
    "FONT",
    "GOOD",
    "HEADING_SIZE",
    "HEIGHT_COLOURS",
    "HIGHLIGHT",
    "MUTED",
    "NEGATIVE",
    "NEURON_FILL",
    "NEURON_STROKE",
    "NUMBER_SIZE",
    "POSITIVE",
    "TEXT",
    "TITLE_SIZE",
    "sign_color",
    "signed_rgb",
]

FONT = "DejaVu Sans"
"""Every on-screen text uses this font (Debian package ``fonts-dejavu-core``)."""

BACKGROUND = "#0e1116"
TEXT = "#e6edf3"
MUTED = "#8b949e"
ACCENT = "#58a6ff"
HIGHLIGHT = "#f2cc60"
GOOD = "#56d364"
BAD = "#f85149"

POSITIVE = "#58c4dd"
"""Positive weights, gradient components and values."""
NEGATIVE = "#fc6255"
"""Negative weights, gradient components and values."""

NEURON_STROKE = "#c9d1d9"
NEURON_FILL = "#ffffff"

HEIGHT_COLOURS = ("#3b2a6b", "#2a788e", "#22a884", "#7ad151", "#fde725")
"""Low to high, for heights (costs) drawn as colour: never the sign colours."""

TITLE_SIZE = 72
HEADING_SIZE = 44
BODY_SIZE = 34
CAPTION_SIZE = 26
NUMBER_SIZE = 32


def sign_color(value: float) -> ManimColor:
    """The colour of a value's sign: :data:`POSITIVE` for zero and above, else :data:`NEGATIVE`."""
    return ManimColor(POSITIVE if value >= 0 else NEGATIVE)


def signed_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Colours that fade from the background (0) to the sign's colour (``|value| >= scale``).

    One uint8 RGB triple per value: ``[..., 3]``.
    """
    background = np.array(ManimColor(BACKGROUND).to_rgb())
    positive = np.array(ManimColor(POSITIVE).to_rgb())
    negative = np.array(ManimColor(NEGATIVE).to_rgb())
    strength = np.clip(np.abs(values) / scale, 0.0, 1.0)[..., None] if scale > 0 else 0.0
    target = np.where((values >= 0)[..., None], positive, negative)
    rgb = background + (target - background) * strength
    return np.round(rgb * 255).astype(np.uint8)
