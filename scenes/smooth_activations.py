"""Segment 10, smooth activations: why a neuron's activation ranges continuously.

Left, the sigmoid and the step function. Right, the real cost of one training example as one
weight of the trained network moves (the sweep trace): smooth with sigmoid neurons, flat with
a sudden jump with step neurons, where small nudges tell gradient descent nothing.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Group,
    Text,
    VGroup,
)
from scipy.special import expit

from nn.network import parameter_count, parameter_name
from nn.traces import load_run, load_sweep
from scenes.toolkit.plots import plot_axes
from scenes.toolkit.style import ACCENT, FONT, HIGHLIGHT, TEXT
from scenes.toolkit.timeline import TimelineScene

STEP_COLOUR = "#ff9e64"
NARRATION = "By the way, this is why artificial neurons have continuously ranging activations."


class SmoothActivations(TimelineScene):
    """Sigmoid against step, and what each does to the real cost of one example."""

    def construct(self) -> None:
        """The two activations, then the cost of one example as one weight moves."""
        self.sweep = load_sweep()
        self.sizes = load_run("main").meta["layer_sizes"]
        self.show_activations()
        self.show_cost_along_one_weight()

    def show_activations(self) -> None:
        """The sigmoid and the step function, one above the other."""
        z, unit = (-6.0, 6.0, 3.0), (0, 1.0, 0.5)
        self.sigmoid_axes = plot_axes(z, unit, 4.2, 2.0).to_corner(UP + LEFT, buff=0.7)
        self.step_axes = plot_axes(z, unit, 4.2, 2.0)
        self.step_axes.next_to(self.sigmoid_axes, DOWN, buff=1.0)
        sigmoid = self.sigmoid_axes.plot(expit, color=ACCENT, stroke_width=4)
        step = VGroup(
            self.step_axes.plot(lambda _: 0.0, x_range=[-6, 0], color=STEP_COLOUR,
                                stroke_width=4),
            self.step_axes.plot(lambda _: 1.0, x_range=[0, 6], color=STEP_COLOUR,
                                stroke_width=4),
        )  # fmt: skip
        labels = VGroup(
            Text("sigmoid", font=FONT, font_size=22, color=ACCENT).next_to(
                self.sigmoid_axes, UP, buff=0.1),
            Text("step: on or off", font=FONT, font_size=22, color=STEP_COLOUR).next_to(
                self.step_axes, UP, buff=0.1),
        )  # fmt: skip
        self.play(Create(self.sigmoid_axes), Create(sigmoid), FadeIn(labels[0]),
                  subcaption=NARRATION)  # fmt: skip
        self.play(
            Create(self.step_axes),
            Create(step),
            FadeIn(labels[1]),
            subcaption="A step function would make every neuron either on or off.",
        )
        self.left = VGroup(self.sigmoid_axes, sigmoid, self.step_axes, step, labels)

    def show_cost_along_one_weight(self) -> None:
        """The real cost of one example as one weight moves, with each activation."""
        start = float(self.sweep["sweep_start"][0])
        nudges = self.sweep["sweep_value"].astype(float) - start  # 0 is the trained value
        smooth = self.sweep["sweep_sigmoid_cost"].astype(float)
        stepped = self.sweep["sweep_step_cost"].astype(float)
        top = float(np.ceil(max(smooth.max(), stepped.max(), 1.0)))
        axes = plot_axes((nudges[0], nudges[-1], 2.0), (0, top, top / 4), 6.4, 4.3)
        axes.to_edge(RIGHT, buff=0.5).shift(0.1 * UP)
        layer, row, column = (int(v) for v in self.sweep["sweep_weight"])
        flat = parameter_count(self.sizes)
        name = parameter_name(self._flat_index(layer, row, column), self.sizes)
        title = Text(f"cost of one training digit as weight {name} moves", font=FONT,
                     font_size=20, color=TEXT).next_to(axes, UP, buff=0.25)  # fmt: skip
        smooth_line = axes.plot_line_graph(nudges, smooth, add_vertex_dots=False,
                                           line_color=ACCENT, stroke_width=4)  # fmt: skip
        step_line = axes.plot_line_graph(nudges, stepped, add_vertex_dots=False,
                                         line_color=STEP_COLOUR, stroke_width=4)  # fmt: skip
        marker = DashedLine(axes.c2p(0, 0), axes.c2p(0, top), color=HIGHLIGHT)
        marker_label = Text(
            f"nudge to {name}: 0 is its trained value {start:.2f}",
            font=FONT,
            font_size=16,
            color=HIGHLIGHT,
        ).next_to(axes, DOWN, buff=0.15)
        self.play(Create(axes), FadeIn(title), FadeIn(marker), FadeIn(marker_label),
                  subcaption="Take one training example and one weight of the trained "
                  "network, and move that weight.")  # fmt: skip
        self.play(Create(smooth_line), run_time=2,
                  subcaption="With sigmoid neurons the cost changes smoothly: every small "
                  "nudge shows up, and the slope says which way to go.")  # fmt: skip
        self.play(Create(step_line), run_time=2,
                  subcaption="With step neurons the cost is flat, then jumps: small nudges "
                  "change nothing, so there is no slope to follow.")  # fmt: skip
        key = (
            VGroup(
                Text("with sigmoid neurons", font=FONT, font_size=20, color=ACCENT),
                Text("with step neurons", font=FONT, font_size=20, color=STEP_COLOUR),
            )
            .arrange(RIGHT, buff=0.6)
            .next_to(axes, DOWN, buff=0.35)
        )
        self.play(FadeIn(key), subcaption=f"The cost of all {flat:,} parameters is just as "
                  "smooth, and that is what gradient descent needs.")  # fmt: skip
        self.wait(2)
        self.play(FadeOut(Group(self.left, axes, title, smooth_line, step_line, marker,
                                marker_label, key)))  # fmt: skip

    def _flat_index(self, layer: int, row: int, column: int) -> int:
        """Position of ``W[layer][row, column]`` in the flattened parameters."""
        offset = parameter_count(self.sizes[: layer + 1]) if layer else 0
        return offset + row * self.sizes[layer] + column
