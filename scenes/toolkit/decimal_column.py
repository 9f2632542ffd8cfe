"""A column vector of real numbers: the first entries, vertical dots, the last entries.

Entries are coloured by sign, right-aligned so their decimal points line up, and keep that
alignment when their values change.
"""

from __future__ import annotations

import numpy as np
from manim import (
    RIGHT,
    UP,
    DecimalNumber,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.toolkit.style import NUMBER_SIZE, TEXT, sign_color

__all__ = ["DecimalColumn", "shown_indices", "square_bracket"]


def shown_indices(size: int, edge_count: int) -> tuple[list[int], bool]:
    """Which entries a column of ``size`` values shows, and whether dots stand between them."""
    if size <= 2 * edge_count + 1:
        return list(range(size)), False
    return [*range(edge_count), *range(size - edge_count, size)], True


def square_bracket(height: float, facing: np.ndarray, tick: float = 0.15) -> VMobject:
    """A square bracket ``height`` tall: ``[`` when ``facing`` is RIGHT, ``]`` when LEFT."""
    direction = 1.0 if facing[0] > 0 else -1.0
    top, bottom = np.array([0, height / 2, 0]), np.array([0, -height / 2, 0])
    right = np.array([direction * tick, 0, 0])
    bracket = VMobject(stroke_color=TEXT, stroke_width=2.5)
    bracket.set_points_as_corners([top + right, top, bottom, bottom + right])
    return bracket


class DecimalColumn(VGroup):
    """A bracketed column of numbers, elided in the middle when it is long.

    Parameters
    ----------
    values
        All entries of the vector; only the shown ones are drawn.
    edge_count
        How many entries to show at the top and at the bottom.
    decimals
        Decimal places of every entry.
    label
        A mobject placed above the column (such as the vector's name), or ``None``.
    font_size
        Size of the numbers.
    row_height
        Vertical distance between entries.
    """

    def __init__(
        self,
        values: np.ndarray,
        *,
        edge_count: int = 3,
        decimals: int = 2,
        label: Mobject | None = None,
        font_size: float = NUMBER_SIZE,
        row_height: float = 0.5,
    ) -> None:
        super().__init__()
        self.values = np.asarray(values, dtype=np.float64)
        self.shown, has_dots = shown_indices(self.values.size, edge_count)
        self.numbers = VGroup()
        self.dots: Mobject | None = None
        row = 0
        for position, index in enumerate(self.shown):
            if has_dots and position == edge_count:
                self.dots = MathTex(r"\vdots", font_size=font_size, color=TEXT)
                self.dots.move_to([-0.35, -row * row_height, 0])
                row += 1
            value = float(self.values[index])
            number = DecimalNumber(
                value, num_decimal_places=decimals, font_size=font_size, edge_to_fix=RIGHT,
                color=sign_color(value),
            )  # fmt: skip
            number.move_to([0, -row * row_height, 0], aligned_edge=RIGHT)
            self.numbers.add(number)
            row += 1
        entries = VGroup(self.numbers, *([self.dots] if self.dots else []))
        height = entries.height + 0.3
        self.left_bracket = square_bracket(height, RIGHT).next_to(
            entries, direction=-RIGHT, buff=0.15
        )
        self.right_bracket = square_bracket(height, -RIGHT).next_to(entries, RIGHT, buff=0.15)
        self.add(self.numbers, self.left_bracket, self.right_bracket)
        if self.dots:
            self.add(self.dots)
        self.label = label
        if label is not None:
            label.next_to(VGroup(self.left_bracket, self.right_bracket), UP, buff=0.25)
            self.add(label)

    def shown_values(self) -> np.ndarray:
        """The values of the drawn entries, top to bottom."""
        return self.values[self.shown]

    def entry(self, index: int) -> DecimalNumber:
        """The drawn number of entry ``index`` of the vector (it must be shown)."""
        return self.numbers[self.shown.index(index)]
