"""Segment 5, the cost as a function: from 784 pixels to 10 outputs, from 13,002 numbers to one.

The network's real outputs for a real digit, its real initial parameters and the real average
cost come from the traces; the counts come from the layer sizes and the split.
"""

from __future__ import annotations

from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    MathTex,
    RoundedRectangle,
    Text,
    VGroup,
)

from nn.network import parameter_count
from nn.traces import load_digits, load_run
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import activations_for
from scenes.toolkit.style import ACCENT, FONT, HIGHLIGHT, MUTED, TEXT

__all__ = [
    "EXAMPLE",
    "CostAsFunction",
    "caption",
    "function_box",
]

EXAMPLE = 0
"""The same training digit as in the cost of one example."""


def function_box(title: str, detail: str, width: float = 3.4) -> VGroup:
    """A rounded box naming a function, with a line on its parameters beneath the name."""
    name = Text(title, font=FONT, font_size=30, color=TEXT)
    note = Text(detail, font=FONT, font_size=20, color=MUTED)
    text = VGroup(name, note).arrange(DOWN, buff=0.15)
    box = RoundedRectangle(corner_radius=0.2, width=max(width, text.width + 0.5),
                           height=text.height + 0.6, color=ACCENT)  # fmt: skip
    return VGroup(box, text.move_to(box))


def caption(text: str) -> Text:
    """A small caption under an input or output."""
    return Text(text, font=FONT, font_size=20, color=MUTED)


class CostAsFunction(NarratedScene):
    """Two functions side by side: the network, and its cost."""

    segment = "cost_as_function"

    def construct(self) -> None:
        """The network as a function, then the cost as a function of its parameters."""
        self.run = load_run("main")
        digits = load_digits()
        self.pixels = digits["train_images"][EXAMPLE]
        self.params = self.run.parameters(0)
        self.show_network_function()
        self.show_cost_function()

    def show_network_function(self) -> None:
        """784 numbers in, 10 numbers out, 13,002 parameters."""
        sizes = self.run.layer_sizes
        count = parameter_count(sizes)
        digit = DigitImage(self.pixels, height=1.3)
        box = function_box("Neural network", f"parameters: {count:,} weights and biases")
        outputs = DecimalColumn(activations_for(self.params, self.pixels)[-1], edge_count=2,
                                decimals=2, font_size=26, row_height=0.38)  # fmt: skip
        Group(digit, box, outputs).arrange(RIGHT, buff=1.2).to_edge(UP, buff=0.7)
        arrows = VGroup(Arrow(digit.get_right(), box.get_left(), color=TEXT),
                        Arrow(box.get_right(), outputs.get_left(), color=TEXT))  # fmt: skip
        captions = VGroup(
            caption(f"input: {sizes[0]} numbers").next_to(digit, DOWN, buff=0.2),
            caption(f"output: {sizes[-1]} numbers").next_to(outputs, DOWN, buff=0.2),
        )
        frame, (name, note) = box
        with self.beat(
            "network-function",
            f"The network is a function: {sizes[0]} numbers in, {sizes[-1]} numbers out, "
            f"and {count:,} weights and biases as its parameters.",
        ) as beat:  # the box, its input and its output, then its parameters as they are named
            self.play(LaggedStart(
                FadeIn(VGroup(frame, name)),
                FadeIn(Group(digit, arrows[0], captions[0])),
                FadeIn(Group(arrows[1], outputs, captions[1])),
                lag_ratio=1,
            ), run_time=beat.phrase_start(1))  # fmt: skip
            self.play(FadeIn(note), run_time=beat.remaining(leave=0.5))
        self.pause(1.5, "the viewer reads the network as a function")
        self.network_row = Group(digit, box, outputs, arrows, captions)

    def show_cost_function(self) -> None:
        """13,002 numbers in, one number out, the training examples as its parameters."""
        count = self.run.parameter_count
        n_train = self.run.data.n_train
        weights = DecimalColumn(self.params.flatten(), edge_count=2, decimals=2, font_size=26,
                                row_height=0.38)  # fmt: skip
        box = function_box("Cost function", f"parameters: {n_train:,} training examples")
        cost = Text(f"{float(self.run['train_cost'][0]):.3f}", font=FONT, font_size=40,
                    color=HIGHLIGHT)  # fmt: skip
        VGroup(weights, box, cost).arrange(RIGHT, buff=1.2).to_edge(DOWN, buff=1.0)
        arrows = VGroup(Arrow(weights.get_right(), box.get_left(), color=TEXT),
                        Arrow(box.get_right(), cost.get_left(), color=TEXT))  # fmt: skip
        captions = VGroup(
            caption(f"input: {count:,} numbers").next_to(weights, DOWN, buff=0.2),
            caption("output: 1 number").next_to(cost, DOWN, buff=0.45),
        )
        name = MathTex(r"C(w_1, \ldots, w_{" + str(count) + "})", color=TEXT, font_size=34)
        name.next_to(box, UP, buff=0.2)
        frame, (title, note) = box
        with self.beat(
            "cost-input",
            f"The cost is a function too. Its input: those {count:,} weights and biases.",
        ) as beat:
            self.play(FadeIn(frame), FadeIn(title), run_time=beat.phrase_start(1))
            self.play(FadeIn(Group(weights, arrows[0], captions[0], name)),
                      run_time=beat.remaining(leave=0.5))  # fmt: skip
        with self.beat(
            "cost-output",
            "Its output: one number, how bad they are. "
            f"Its parameters: the {n_train:,} training examples.",
        ) as beat:
            self.play(FadeIn(Group(arrows[1], cost, captions[1])),
                      run_time=beat.phrase_start(1))  # fmt: skip
            self.play(FadeIn(note), run_time=beat.remaining(leave=0.5))
        self.pause(3, f"the viewer lets a function of {count:,} inputs sink in")
        self.play(FadeOut(Group(self.network_row, weights, box, cost, arrows, captions, name)))
