"""Segment 8, the negative gradient vector: every weight and bias in one column, and its nudges.

``W`` is the real initial network (snapshot 0) flattened; ``-grad C(W)`` is the real gradient
of the average cost over the training split at that snapshot, from the trace; the update uses
the run's real learning rate. Both columns show their first and last entries with vertical
dots between them (the draft's 8:28 note). Between them, the arrow of the cost surface comes back
as the column of its two numbers (the landscape trace's gradient on the plane), so that the long
column reads as the same thing with one number per weight and bias.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    MathTex,
    VGroup,
    Write,
)

from nn.traces import load_landscape, load_run
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import EDGE_BUFF, MUTED, TEXT, body, label

__all__ = [
    "DECIMALS",
    "EDGE",
    "SNAPSHOT",
    "NegativeGradientVector",
    "first_row_gap",
    "index_labels",
]

SNAPSHOT = 0
"""The random start: the first step of gradient descent."""
EDGE = 3
DECIMALS = 3


def index_labels(column: DecimalColumn) -> VGroup:
    """1-based positions of the shown entries, in small type left of the column."""
    right = column.left_bracket.get_left()[0] - 0.2
    labels = VGroup()
    for number, index in zip(column.numbers, column.shown, strict=True):
        position = label(f"{index + 1:,}").match_y(number)
        labels.add(position.shift((right - position.get_right()[0]) * RIGHT))
    return labels


def first_row_gap(left: DecimalColumn, column: DecimalColumn) -> float:
    """How far ``column`` must move up for its first row of numbers to line up with ``left``'s."""
    return left.numbers[0].get_y() - column.numbers[0].get_y()


class NegativeGradientVector(NarratedScene):
    """W, the negative gradient beside it, and one step of gradient descent."""

    segment = "gradient_vector"

    def construct(self) -> None:
        """Show W, then -grad C(W), then W - eta grad C(W)."""
        self.run = load_run("main")
        self.weights = self.run.parameters(SNAPSHOT).flatten()
        self.gradient = self.run.gradient(SNAPSHOT).flatten()
        self.rate = self.run.learning_rate
        self.count = self.run.parameter_count
        self.show_weights()
        self.show_negative_gradient()
        self.recall_the_arrow_on_the_surface()
        self.take_a_step()

    def show_weights(self) -> None:
        """Every weight and bias of the network as one column."""
        self.w_column = DecimalColumn(
            self.weights, edge_count=EDGE, decimals=DECIMALS, label=MathTex(r"\vec{W}", color=TEXT)
        )
        self.w_column.move_to(4.2 * LEFT + 0.1 * UP)
        index = index_labels(self.w_column)
        note = label(f"all {self.count:,} weights and biases")
        self.place_label(note, self.w_column, DOWN, buff=0.3)
        self.say(
            "one-column",
            f"Put all {self.count:,} weights and biases of the network in one column.",
            LaggedStart(FadeIn(self.w_column), FadeIn(index), FadeIn(note), lag_ratio=0.5),
        )

    def show_negative_gradient(self) -> None:
        """The real negative gradient beside it, coloured by sign, with its vertical dots."""
        self.g_column = DecimalColumn(
            -self.gradient,
            edge_count=EDGE,
            decimals=DECIMALS,
            label=MathTex(r"-\nabla C(\vec{W})", color=TEXT),
        )
        self.g_column.next_to(self.w_column, RIGHT, buff=1.6)
        self.g_column.shift(first_row_gap(self.w_column, self.g_column) * UP)
        with self.beat(
            "negative-gradient",
            f"The negative gradient of the cost is another column of {self.count:,} numbers: "
            "how to nudge each one so that the cost falls fastest.",
        ) as beat:
            self.play(FadeIn(self.g_column), run_time=beat.phrase_start(-1) or 1)
            self.explain_zeros(run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads why the first components are 0")

    def explain_zeros(self, run_time: float) -> None:
        """Why the first components are exactly 0, when they are: blank corner pixels."""
        shown = self.gradient[self.g_column.shown]
        self.why = VGroup()
        if np.all(shown[:EDGE] == 0):
            zeros = VGroup(*(self.g_column.entry(i) for i in range(EDGE)))
            why = label(
                "first weights: from corner pixels,\nalways blank, so their\ngradient is exactly 0",
                line_spacing=0.8,
            )
            why.next_to(self.g_column.right_bracket, RIGHT, buff=0.7).match_y(zeros)
            tip = zeros.get_right() + 0.15 * RIGHT  # across the bracket, to the zeros
            pointer = Arrow(why.get_left(), tip, buff=0.1, color=MUTED, stroke_width=3)
            self.link_label(why, zeros, pointer)
            self.why = VGroup(why, pointer)
            self.play(FadeIn(self.why), run_time=run_time)

    def recall_the_arrow_on_the_surface(self) -> None:
        """The surface's downhill arrow as a column of its two numbers: the same, much shorter."""
        plane = -load_landscape()["plane_descent_gradient"][0].astype(float)
        arrow_column = DecimalColumn(
            plane, edge_count=EDGE, decimals=DECIMALS, label=MathTex(r"-\nabla C", color=TEXT)
        )
        arrow_column.next_to(self.g_column, RIGHT, buff=1.4)
        arrow_column.shift(first_row_gap(self.w_column, arrow_column) * UP)
        names = VGroup(label("direction 1"), label("direction 2"))
        for name, number in zip(names, arrow_column.numbers, strict=True):
            name.next_to(arrow_column.right_bracket, RIGHT, buff=0.2).match_y(number)
        where = label("the arrow on the cost surface")
        self.place_label(where, arrow_column, DOWN, buff=0.3)
        if self.why:  # the note on the zeros leaves before the arrow's column takes its place
            self.play(FadeOut(self.why), run_time=0.5)
        self.say(
            "surface-arrow",
            "On the cost surface, the downhill arrow was a column of two numbers, "
            f"one for each direction. Here the column has {self.count:,}: "
            "one for each weight and bias.",
            LaggedStart(FadeIn(arrow_column), FadeIn(names), FadeIn(where), lag_ratio=0.5),
        )
        self.pause_to_read("the viewer compares the two columns")
        self.play(FadeOut(VGroup(arrow_column, names, where)))
        self.arrow_column = arrow_column

    def take_a_step(self) -> None:
        """W minus the learning rate times the gradient: the real new values."""
        new = self.weights - self.rate * self.gradient
        self.new_column = DecimalColumn(
            new,
            edge_count=EDGE,
            decimals=DECIMALS,
            label=MathTex(r"\vec{W} - " + f"{self.rate:g}" + r"\,\nabla C(\vec{W})", color=TEXT),
        )
        self.new_column.next_to(self.g_column, RIGHT, buff=1.2)
        self.new_column.shift(first_row_gap(self.w_column, self.new_column) * UP)
        rate = label(f"learning rate {self.rate:g}, as in training")
        self.place_label(rate, self.new_column, DOWN, buff=0.3)
        self.say(
            "one-step",
            f"Scale it by the learning rate, {self.rate:g}, and add it to the weights: "
            "that is one step of gradient descent.",
            LaggedStart(FadeIn(self.new_column), FadeIn(rate), lag_ratio=0.6),
        )
        nudge = body("a nudge in an insanely high-dimensional space").to_edge(DOWN, buff=EDGE_BUFF)
        self.say(
            "nudge",
            f"It is a nudge in an insanely high-dimensional space: {self.count:,} dimensions.",
            Write(nudge),
        )
        self.pause_to_read("the viewer compares the three columns", at_least=2)
        self.play(FadeOut(Group(*self.mobjects)))
