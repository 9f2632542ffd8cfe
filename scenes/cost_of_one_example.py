"""Segment 4, the cost of one example: the random network's junk, the desired output, the cost.

Everything is read or recomputed from the traces: the initial (snapshot 0) weights, a real
training digit, its ten outputs, the squared differences and their sum, and the average cost
over the whole training split.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    MathTex,
    VGroup,
    Write,
)

from nn.network import one_hot
from nn.traces import load_digits, load_run
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.style import (
    BAD,
    CAPTION_SIZE,
    HIGHLIGHT,
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
    "CostOfOneExample",
    "example_cost_terms",
    "place_beside",
]

EXAMPLE = 0
"""Which digit of the digits trace's training sample is the example."""


class CostOfOneExample(NarratedScene):
    """The untrained network's output for one digit, and how bad it is, as one number."""

    segment = "cost_of_one_example"

    def construct(self) -> None:
        """Feed a digit to the random network, compare with the desired output, add it up."""
        self.load_example()
        self.show_random_network()
        self.show_outputs()
        self.show_desired_output()
        self.add_up_the_cost()
        self.average_over_the_training_split()
        self.react()

    def load_example(self) -> None:
        """The initial parameters, one training digit and its cost terms."""
        self.run = load_run("main")
        digits = load_digits()
        self.pixels = digits["train_images"][EXAMPLE]
        self.label = int(digits["train_labels"][EXAMPLE])
        self.terms = example_cost_terms(self.run.parameters(0), self.pixels, self.label)

    def show_random_network(self) -> None:
        """The network with its random initial weights, and the digit going in."""
        self.network = NetworkDiagram(
            self.run.layer_sizes, layer_spacing=1.5, neuron_spacing=0.3, radius=0.1
        )
        self.network.show_weights(self.run.parameters(0)).to_edge(LEFT, buff=2.0)
        self.network.shift(0.2 * DOWN)
        self.digit = DigitImage(self.pixels, height=1.4).to_edge(LEFT, buff=0.3)
        self.digit.match_y(self.network)
        self.say(
            "random-start",
            "At the start, every weight and bias is random.",
            FadeIn(self.network),
            FadeIn(self.digit),
        )
        self.say(
            "feed-digit",
            f"Feed it a training image of a {self.label}...",
            self.network.forward_pass(self.terms["activations"]),
            leave=0.3,
        )

    def output_column(self, values: np.ndarray, decimals: int, name: str) -> DecimalColumn:
        """A column of ten values, one per output neuron, its rows as far apart as the neurons."""
        return DecimalColumn(
            values,
            edge_count=5,
            decimals=decimals,
            label=MathTex(name, color=TEXT),
            font_size=CAPTION_SIZE,
            row_height=self.network.neuron_gap(),
        )

    def show_outputs(self) -> None:
        """The ten real outputs, and what they are worth."""
        self.outputs = self.output_column(self.terms["output"], 2, "a")
        neurons = self.network.neurons[-1]
        self.outputs.set_x(0.9).shift((neurons[0].get_y() - self.outputs.numbers[0].get_y()) * UP)
        digits = VGroup()
        for digit, (number, neuron) in enumerate(zip(self.outputs.numbers, neurons, strict=True)):
            digits.add(label(str(digit)).next_to(number, LEFT, buff=0.5).match_y(number))
            self.link_label(VGroup(digits[-1], number), neuron, level=True)
        self.row_digits = digits
        trash = caption("utter trash", color=BAD)
        trash.next_to(self.outputs, DOWN, buff=0.3)
        self.trash = trash
        with self.beat("utter-trash", "...and what comes out is utter trash.") as beat:
            self.play(FadeIn(self.outputs), FadeIn(digits), run_time=beat.duration / 2)
            self.play(Write(trash), run_time=beat.remaining(leave=0.3))

    def show_desired_output(self) -> None:
        """What we want: 1 for the label's neuron, 0 for all others."""
        self.desired = self.output_column(self.terms["desired"], 2, "y")
        place_beside(self.desired, self.outputs)
        self.say(
            "desired",
            f"What we want: 1 for the {self.label}, 0 for every other digit.",
            FadeIn(self.desired),
            FadeOut(self.trash),
        )

    def add_up_the_cost(self) -> None:
        """The squared differences, written out with the real numbers, and their sum."""
        self.squares = self.output_column(self.terms["squares"], 3, "(a-y)^2")
        place_beside(self.squares, self.desired)
        self.say(
            "square",
            "Square the difference of each pair...",
            FadeIn(self.squares),
        )
        brace = Brace(self.squares, DOWN, color=MUTED, buff=0.1)
        total = VGroup(
            caption("cost of this one example:"),
            number_text(f"{self.terms['cost']:.3f}", color=HIGHLIGHT),
        )
        total.arrange(RIGHT, buff=0.2).next_to(brace, DOWN, buff=0.15)
        total.align_to(self.squares, RIGHT)
        self.total = VGroup(brace, total)
        self.say(
            "add-up",
            "...and add them up: that is the cost of this one example.",
            LaggedStart(FadeIn(brace), FadeIn(total), lag_ratio=0.6),
        )
        self.pause(1.5, "the viewer reads the squares and their sum")

    def average_over_the_training_split(self) -> None:
        """The average cost over every training example, from the trace."""
        n_train = self.run.data.n_train
        average = VGroup(
            body(f"Average cost over all {n_train:,} training examples"),
            heading(f"{float(self.run['train_cost'][0]):.3f}", color=HIGHLIGHT),
        ).arrange(DOWN, buff=0.35)
        title, value = average
        columns = (self.outputs, self.row_digits, self.desired, self.squares, self.total)
        example = Group(self.network, self.digit, *columns)
        with self.beat(
            "average",
            f"Do this for all {n_train:,} training examples and take the average: "
            "that is the cost of the network.",
        ) as beat:
            self.play(FadeOut(example), run_time=1)
            self.play(FadeIn(title), run_time=max(beat.phrase_start(1) - 1, 0.5))
            self.play(FadeIn(value, scale=1.2), run_time=beat.remaining(leave=0.5))
        self.pause(1.5, "the viewer takes in how large the average cost is")
        self.average = average

    def react(self) -> None:
        """A small reaction to how bad that is."""
        awful = heading("Awful!", color=BAD)
        awful.next_to(self.average, DOWN, buff=0.6)
        self.say(
            "awful",
            "Awful!",
            FadeIn(awful, scale=1.3),
            leave=0.3,
        )
        better = body("But we can do better! Growth mindset!").next_to(awful, DOWN, buff=0.4)
        self.say(
            "growth-mindset",
            "But we can do better! Growth mindset!",
            FadeIn(better),
        )
        self.pause(1.5, "the viewer reads the slogan")
        self.play(FadeOut(VGroup(self.average, awful, better)))


def place_beside(column: DecimalColumn, left: DecimalColumn, buff: float = 0.6) -> None:
    """Put ``column`` right of ``left`` with their rows of numbers on the same lines."""
    column.next_to(left, RIGHT, buff=buff)
    column.shift((left.numbers[0].get_y() - column.numbers[0].get_y()) * UP)


def example_cost_terms(params, pixels: np.ndarray, label: int) -> dict:
    """Activations, outputs ``a``, desired ``y``, squares ``(a - y)^2`` and their sum."""
    activations = activations_for(params, pixels)
    output = activations[-1]
    desired = one_hot(np.array([label]), output.size)[0]
    squares = (output - desired) ** 2
    return {
        "activations": activations,
        "output": output,
        "desired": desired,
        "squares": squares,
        "cost": float(squares.sum()),
    }
