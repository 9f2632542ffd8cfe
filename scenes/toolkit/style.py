"""The video's look in one place: fonts, text sizes and colours, and how values become colours.

One colour means positive and one means negative everywhere: edges of the network, entries of
vectors, weight heatmaps.

Scenes write text through the text styles, named by the role the words play on screen, never
with a size of their own::

    title(...)        TITLE_SIZE     the chapter's title
    heading(...)      HEADING_SIZE   a segment's heading, a headline figure, a short verdict
    body(...)         BODY_SIZE      a sentence or a name the viewer reads on its own
    number_text(...)  NUMBER_SIZE    a number read on its own, a label of one character
    caption(...)      CAPTION_SIZE   a caption under a picture, a row's name, a short note
    label(...)        LABEL_SIZE     a small annotation: on a chart, an arrow or a cell, a key

Each takes the text, a colour (the palette's, keeping its meaning) and :class:`manim.Text`'s
other keyword arguments. Mobjects that take a ``font_size`` (numbers, formulas, toolkit pieces)
get one of the sizes above.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import ManimColor, ParsableManimColor, Text

from scenes.toolkit.manim_internals import UnwrappedText
from scenes.toolkit.play_log import stamp_made_at

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
    "LABEL_SIZE",
    "MUTED",
    "NEGATIVE",
    "NEURON_FILL",
    "NEURON_STROKE",
    "NUMBER_SIZE",
    "OTHER_RUN",
    "POSITIVE",
    "TEXT",
    "TITLE_SIZE",
    "body",
    "caption",
    "heading",
    "label",
    "number_text",
    "sign_color",
    "signed_rgb",
    "title",
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

OTHER_RUN = "#d2a8ff"
"""A model other than the main network, compared with it (the network trained on shuffled
labels or from another random start, the eigendigit classifier): never the guess."""

POSITIVE = "#58c4dd"
"""Positive weights, gradient components and values."""
NEGATIVE = "#fc6255"
"""Negative weights, gradient components and values."""

NEURON_STROKE = "#c9d1d9"
NEURON_FILL = "#ffffff"

HEIGHT_COLOURS = ("#3b2a6b", "#2a788e", "#22a884", "#7ad151", "#fde725")
"""Low to high, for heights (costs) drawn as colour: never the sign colours."""

TITLE_SIZE = 72
"""The chapter's title."""
HEADING_SIZE = 44
"""A segment's heading, a headline figure, a short verdict."""
BODY_SIZE = 34
"""A sentence or a name the viewer reads on its own."""
CAPTION_SIZE = 26
"""Captions under pictures, names of rows, short notes."""
NUMBER_SIZE = 32
"""Numbers read on their own: columns of values, counters."""
LABEL_SIZE = 20
"""Small annotations: names of axes, ticks, indices, keys to colours, notes on arrows and cells."""

EDGE_BUFF = 0.5
"""Room a text keeps from the frame's edge, in scene units: more than the title-safe 3 % of the
frame's width that the layout check holds it to."""


def _styled(text: str, size: float, color: ParsableManimColor, kwargs: dict[str, Any]) -> Text:
    return stamp_made_at(UnwrappedText(text, font=FONT, font_size=size, color=color, **kwargs))


def title(text: str, color: ParsableManimColor = TEXT, **kwargs: Any) -> Text:
    """The chapter's title: bold, at :data:`TITLE_SIZE`.

    Other keyword arguments (``weight``, ``line_spacing``...) go to :class:`manim.Text`.
    """
    return _styled(text, TITLE_SIZE, color, {"weight": "BOLD", **kwargs})


def heading(text: str, color: ParsableManimColor = TEXT, **kwargs: Any) -> Text:
    """A segment's heading, a headline figure or a short verdict, at :data:`HEADING_SIZE`.

    Other keyword arguments go to :class:`manim.Text`.
    """
    return _styled(text, HEADING_SIZE, color, kwargs)


def body(text: str, color: ParsableManimColor = TEXT, **kwargs: Any) -> Text:
    """A sentence or a name the viewer reads on its own, at :data:`BODY_SIZE`.

    Other keyword arguments go to :class:`manim.Text`.
    """
    return _styled(text, BODY_SIZE, color, kwargs)


def number_text(text: str, color: ParsableManimColor = TEXT, **kwargs: Any) -> Text:
    """A number, or a one-character label, read on its own, at :data:`NUMBER_SIZE`.

    For a number that changes while it is on screen, use a :class:`manim.DecimalNumber` at
    :data:`NUMBER_SIZE` instead. Other keyword arguments go to :class:`manim.Text`.
    """
    return _styled(text, NUMBER_SIZE, color, kwargs)


def caption(text: str, color: ParsableManimColor = MUTED, **kwargs: Any) -> Text:
    """A caption under a picture, the name of a row or a short note, at :data:`CAPTION_SIZE`.

    Muted unless ``color`` says otherwise. Other keyword arguments go to :class:`manim.Text`.
    """
    return _styled(text, CAPTION_SIZE, color, kwargs)


def label(text: str, color: ParsableManimColor = MUTED, **kwargs: Any) -> Text:
    """A small annotation at :data:`LABEL_SIZE`: on a chart, an arrow or a cell, or a key.

    Muted unless ``color`` says otherwise (a key's line takes the colour it explains). Other
    keyword arguments go to :class:`manim.Text`.
    """
    return _styled(text, LABEL_SIZE, color, kwargs)


def sign_color(value: float) -> ManimColor:
    """The colour of a value's sign: :data:`POSITIVE` above zero, :data:`NEGATIVE` below.

    Exactly zero has no sign: it takes the neutral :data:`TEXT`.
    """
    if value == 0:
        return ManimColor(TEXT)
    return ManimColor(POSITIVE if value > 0 else NEGATIVE)


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
