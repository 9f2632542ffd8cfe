"""The "Guess" marker: a box around the guessed output, an arrow and the word, anchored.

The marker's horizontal position is fixed once it is built; moving to another guess only
changes its height. Scenes anchor it (``scene.anchor(marker, name="Guess", edge=LEFT,
axes="x")``) so that ``make review`` proves it never wiggles sideways, the draft's 2:10 note.
"""

from __future__ import annotations

from manim import LEFT, RIGHT, Animation, Arrow, Mobject, Rectangle, Text, VGroup

from scenes.toolkit.style import FONT, HIGHLIGHT

__all__ = ["GuessMarker"]


class GuessMarker(VGroup):
    """A box around one row of the output column, an arrow pointing at it, and "Guess".

    Parameters
    ----------
    row
        The output neuron and its digit label, as built: the box is sized to it.
    """

    def __init__(self, row: Mobject, font_size: float = 28) -> None:
        self.box = Rectangle(width=row.width + 0.25, height=row.height + 0.15,
                             color=HIGHLIGHT, stroke_width=3).move_to(row)  # fmt: skip
        self.word = Text("Guess", font=FONT, font_size=font_size, color=HIGHLIGHT)
        self.word.next_to(self.box, RIGHT, buff=1.1)
        self.arrow = Arrow(
            self.word.get_left(),
            self.box.get_right(),
            buff=0.12,
            color=HIGHLIGHT,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.35,
        )
        super().__init__(self.box, self.arrow, self.word)

    def pointing_at(self, x: float) -> GuessMarker:
        """The marker without its box, its arrow ending where the box would end at ``x``.

        For a guess read from a column of numbers beside the row rather than from the row.
        """
        self.shift((x - self.box.get_right()[0]) * RIGHT)
        self.remove(self.box)
        return self

    def move_to_row(self, row: Mobject) -> Animation:
        """Slide up or down to ``row``; the horizontal position never changes."""
        return self.animate.set_y(row.get_y())

    def left_x(self) -> float:
        """The marker's left edge, which must never move."""
        return float(self.get_critical_point(LEFT)[0])
