"""Segment 5, the cost as a function: from 784 pixels to 10 outputs, from 13,002 numbers to one.

The network's real outputs for a real digit, its real initial parameters and the real average
cost come from the traces; the counts come from the layer sizes and the split.
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
    GrowArrow,
    Indicate,
    LaggedStart,
    MathTex,
    Mobject,
    RoundedRectangle,
    VGroup,
)

from nn.network import (
    Parameters,
    example_costs,
    forward,
    network_input,
    one_hot,
    parameter_count,
)
from nn.traces import load_digits, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.heatmap import ParameterGrid
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import activations_for
from scenes.toolkit.style import (
    ACCENT,
    BAD,
    BODY_SIZE,
    CAPTION_SIZE,
    MUTED,
    TEXT,
    body,
    caption,
    heading,
    label,
    number_text,
)

__all__ = [
    "EXAMPLE",
    "GRID_COLUMNS",
    "STRIP",
    "CostAsFunction",
    "costs_differ_sentence",
    "costs_of",
    "function_box",
    "short_column",
    "wired",
]

EXAMPLE = 0
"""The same training digit as in the cost of one example."""
STRIP = 6
"""Training digits shown with their own costs: the first of the digits trace's sample."""
GRID_COLUMNS = 197
"""Cells per row of the picture of every weight and bias (13,002 = 66 rows of 197)."""


def costs_of(params: Parameters, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The cost of each of ``images`` (with its ``labels``) for the network ``params``."""
    outputs = forward(params, network_input(images))[-1]
    return example_costs(outputs, one_hot(labels, outputs.shape[1]))


@checks_the_data
def costs_differ_sentence(costs: np.ndarray) -> tuple[str, str]:
    """Each digit has its own cost, and they differ, as written on screen (three decimals)."""
    sentence = "Why an average? Each training digit has a cost of its own, and they differ."
    shown = sorted({f"{c:.3f}" for c in costs})
    evidence = f"costs {', '.join(f'{c:.3f}' for c in costs)}"
    if len(shown) < 2:
        raise refuse(sentence, evidence, "Show digits whose costs differ (STRIP).")
    return sentence, evidence


def function_box(title: str, detail: str, width: float = 3.4) -> VGroup:
    """A rounded box naming a function, with a line on its parameters beneath the name."""
    text = VGroup(body(title), label(detail)).arrange(DOWN, buff=0.15)
    width = max(width, text.width + 0.5)
    box = RoundedRectangle(corner_radius=0.2, width=width, height=text.height + 0.6, color=ACCENT)
    return VGroup(box, text.move_to(box))


def short_column(values: np.ndarray) -> DecimalColumn:
    """A column of numbers small enough for a row of the picture: its first and last two."""
    return DecimalColumn(values, edge_count=2, decimals=2, font_size=CAPTION_SIZE, row_height=0.38)


def wired(
    source: Mobject,
    box: Mobject,
    result: Mobject,
    captions: tuple[str, str],
    result_gap: float = 0.2,
) -> tuple[VGroup, VGroup]:
    """Arrows into the function's ``box`` and out of it, and a caption under each end.

    The two captions stand on one line, under the lower of the two ends.
    """
    arrows = VGroup(
        Arrow(source.get_right(), box.get_left(), color=TEXT),
        Arrow(box.get_right(), result.get_left(), color=TEXT),
    )
    notes = VGroup(
        label(captions[0]).next_to(source, DOWN, buff=0.2),
        label(captions[1]).next_to(result, DOWN, buff=result_gap),
    )
    line = min(note.get_bottom()[1] for note in notes)
    for note in notes:
        note.shift((line - note.get_bottom()[1]) * UP)
    return arrows, notes


class CostAsFunction(NarratedScene):
    """Two functions side by side: the network, and its cost."""

    segment = "cost_as_function"

    def construct(self) -> None:
        """The network as a function, then the cost as a function of its parameters."""
        self.run = load_run("main")
        self.digits = load_digits()
        self.pixels = self.digits["train_images"][EXAMPLE]
        self.params = self.run.parameters(0)
        self.show_network_function()
        self.show_cost_function()
        self.show_why_the_average()
        self.let_it_sink_in()

    def show_network_function(self) -> None:
        """784 numbers in, 10 numbers out, 13,002 parameters."""
        sizes = self.run.layer_sizes
        count = parameter_count(sizes)
        digit = DigitImage(self.pixels, height=1.3)
        box = function_box("Neural network", f"parameters: {count:,} weights and biases")
        outputs = short_column(activations_for(self.params, self.pixels)[-1])
        Group(digit, box, outputs).arrange(RIGHT, buff=1.2).to_edge(UP, buff=0.7)
        arrows, captions = wired(
            digit, box, outputs, (f"input: {sizes[0]} numbers", f"output: {sizes[-1]} numbers")
        )
        frame, (name, note) = box
        with self.beat(
            "network-function",
            f"The network is a function: {sizes[0]} numbers in, {sizes[-1]} numbers out, "
            f"and {count:,} weights and biases as its parameters.",
        ) as beat:  # the box, its input and its output, then its parameters as they are named
            in_and_out = LaggedStart(
                FadeIn(VGroup(frame, name)),
                FadeIn(Group(digit, arrows[0], captions[0])),
                FadeIn(Group(arrows[1], outputs, captions[1])),
                lag_ratio=1,
            )
            self.play(in_and_out, run_time=beat.phrase_start(1))
            self.play(FadeIn(note), run_time=beat.remaining(leave=0.5))
        self.pause(1.5, "the viewer reads the network as a function")
        self.network_row = Group(digit, box, outputs, arrows, captions)

    def show_cost_function(self) -> None:
        """13,002 numbers in, one number out, the training examples as its parameters."""
        count = self.run.parameter_count
        n_train = self.run.data.n_train
        weights = short_column(self.params.flatten())
        box = function_box("Cost function", f"parameters: {n_train:,} training examples")
        cost = heading(f"{float(self.run['train_cost'][0]):.3f}", color=BAD)
        VGroup(weights, box, cost).arrange(RIGHT, buff=1.2).to_edge(DOWN, buff=1.0)
        arrows, captions = wired(
            weights, box, cost, (f"input: {count:,} numbers", "output: 1 number"), result_gap=0.45
        )
        name = MathTex(r"C(w_1, \ldots, w_{" + str(count) + "})", color=TEXT, font_size=BODY_SIZE)
        self.place_label(name, box, UP, buff=0.2)
        frame, (title, note) = box
        with self.beat(
            "cost-input",
            f"The cost is a function too. Its input: those {count:,} weights and biases.",
        ) as beat:
            self.play(FadeIn(frame), FadeIn(title), run_time=beat.phrase_start(1))
            cost_input = Group(weights, arrows[0], captions[0], name)
            self.play(FadeIn(cost_input), run_time=beat.remaining(leave=0.5))
        with self.beat(
            "cost-output",
            "Its output: one number, how bad they are. "
            f"Its parameters: the {n_train:,} training examples.",
        ) as beat:
            self.play(FadeIn(Group(arrows[1], cost, captions[1])), run_time=beat.phrase_start(1))
            self.play(FadeIn(note), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the cost as a function", at_least=1.5)
        self.cost_row = Group(weights, box, cost, arrows, captions, name)
        self.weights, self.cost_box, self.cost = weights, box, cost

    def show_why_the_average(self) -> None:
        """Training digits, each with its own cost; the network's cost is the average of all."""
        images = self.digits["train_images"][:STRIP]
        labels = self.digits["train_labels"][:STRIP]
        costs = costs_of(self.params, images, labels)
        strip = Group(*(
            Group(DigitImage(image, height=1.0), number_text(f"{c:.3f}", color=BAD))
            .arrange(DOWN, buff=0.2)
            for image, c in zip(images, costs, strict=True)
        )).arrange(RIGHT, buff=0.5)  # fmt: skip
        strip.to_edge(UP, buff=1.1)
        name = caption("each training digit: its own cost").next_to(strip, UP, buff=0.25)
        average = caption(f"average over all {self.run.data.n_train:,}")
        average.move_to((strip.get_corner(DOWN + RIGHT) + self.cost.get_top()) / 2)
        average.align_to(strip, RIGHT)
        to_cost = Arrow(average.get_right(), self.cost.get_top(), color=MUTED, buff=0.1)
        self.link_label(average, self.cost, to_cost)
        with self.beat("own-cost", costs_differ_sentence(costs)) as beat:
            self.play(FadeOut(self.network_row), run_time=0.8)
            self.play(
                LaggedStart(*(FadeIn(d) for d in strip), lag_ratio=0.3), FadeIn(name),
                run_time=beat.remaining(leave=0.5),
            )  # fmt: skip
        self.pause_to_read("the viewer compares the digits' costs")
        with self.beat(
            "average",
            "The network must read every digit, not one. So its cost is the average over all "
            "of them: one number for how it does on everything it learns from.",
        ) as beat:
            self.wait_for_phrase(beat, 1)
            self.play(GrowArrow(to_cost), FadeIn(average), run_time=1)
            self.play(Indicate(self.cost, color=BAD), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer connects the digits' costs with their average")
        self.play(FadeOut(Group(strip, name, average, to_cost)), run_time=0.8)

    def let_it_sink_in(self) -> None:
        """Thirteen thousand and two inputs, one output: the function learning will make small."""
        count = self.run.parameter_count
        grid = ParameterGrid(self.params.flatten(), GRID_COLUMNS, width=7.5)
        grid.to_edge(UP, buff=1.15)
        name = caption(f"the {count:,} inputs: every weight and bias, one cell each")
        name.next_to(grid, UP, buff=0.25)
        key = label("colour: sign only (blue positive, red negative)", color=MUTED)
        key.next_to(grid, DOWN, buff=0.2)
        start = grid.get_corner(DOWN + LEFT) + 0.3 * RIGHT
        pointer = Arrow(start, self.weights.get_top(), color=MUTED, buff=0.1)
        with self.beat(
            "sink-in",
            f"So the cost is a function of {count:,} inputs: every weight and bias of the network.",
        ) as beat:
            self.play(FadeIn(grid), FadeIn(name), run_time=1.5)
            self.play(GrowArrow(pointer), FadeIn(key), run_time=beat.remaining(leave=0.5))
        self.pause_to_read(f"the viewer lets a function of {count:,} inputs sink in", at_least=3)
        self.say(
            "make-it-small",
            "Turn them, and this one number goes up or down. Learning means finding the "
            "weights and biases that make it small.",
            Indicate(self.cost, color=BAD, scale_factor=1.3),
        )
        self.pause_to_read("the viewer holds the goal", at_least=1.5)
        self.play(FadeOut(Group(self.cost_row, grid, name, key, pointer)))
