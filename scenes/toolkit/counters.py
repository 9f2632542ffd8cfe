"""Numbers that count on screen without jittering: a steady decimal and the training-step counter.

Manim's :class:`~manim.DecimalNumber` keeps the centre of its fixed edge when its value
changes; when a thousands comma (which hangs below the baseline) or a sign appears, its box
grows and the digits jump up or down by a few pixels. :class:`SteadyNumber` keeps the digits'
baseline instead; anchors on any number measure that baseline (:func:`reading_point`), so the
review catches a number that jumps.
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, UP, DecimalNumber, Text, VGroup

from scenes.toolkit.manim_internals import number_text
from scenes.toolkit.style import FONT, MUTED, TEXT

__all__ = [
    "SteadyNumber",
    "StepCounter",
    "digit_baseline",
    "reading_point",
]


def digit_baseline(number: DecimalNumber) -> float:
    """Height of a number's digits' common bottom (its comma and its sign are not digits)."""
    text = number_text(number)
    digits = [glyph for glyph, char in zip(number.submobjects, text, strict=False)
              if char.isdigit()]  # fmt: skip
    return float(digits[0].get_bottom()[1])


def reading_point(number: DecimalNumber, edge: np.ndarray) -> np.ndarray:
    """What a viewer sees stay put: ``edge``'s horizontal place, at the digits' baseline."""
    return np.array([number.get_critical_point(edge)[0], digit_baseline(number), 0.0])


class SteadyNumber(DecimalNumber):
    """A :class:`~manim.DecimalNumber` whose digits stay on one baseline as its value changes."""

    def baseline(self) -> float:
        """Height of the digits' common bottom."""
        return digit_baseline(self)

    def set_value(self, number: float) -> SteadyNumber:
        """Show ``number``; the fixed edge keeps its place, the digits keep their baseline."""
        before = self.baseline()
        super().set_value(number)
        self.shift((before - self.baseline()) * UP)
        return self


class StepCounter(VGroup):
    """A "step 1,234" counter whose number keeps its left edge and baseline as it grows.

    Parameters
    ----------
    font_size
        Size of the number; the label is drawn a little smaller.
    word
        The label before the number.
    """

    def __init__(self, font_size: float = 32, word: str = "step") -> None:
        self.label = Text(word, font=FONT, font_size=0.75 * font_size, color=MUTED)
        self.number = SteadyNumber(0, num_decimal_places=0, group_with_commas=True,
                                   font_size=font_size, color=TEXT, edge_to_fix=LEFT)  # fmt: skip
        super().__init__(self.label, self.number)
        self.arrange(RIGHT, buff=0.2)
        # Sit on one baseline: the bottom of the label's first letter (no descender), not of "p".
        self.number.shift((self.label[0].get_bottom()[1] - self.number.baseline()) * UP)

    def set_step(self, step: int) -> StepCounter:
        """Show ``step``."""
        self.number.set_value(step)
        return self
