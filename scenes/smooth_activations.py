"""Segment 10, smooth activations: why a neuron's activation ranges continuously.

Left, the sigmoid and the step function. Right, the real cost of one training example (the
digit the trained network finds hardest, shown) as one weight of the trained network moves (the
sweep trace): smooth with sigmoid neurons, flat with a sudden jump with step neurons. At the
point where the smooth cost is steepest, its slope is drawn and says which way is downhill;
the step cost there is flat, so small nudges tell gradient descent nothing.
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
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Line,
    VGroup,
)
from scipy.special import expit

from nn.network import parameter_count
from nn.parameter_address import ParameterAddress
from nn.traces import load_digits, load_run, load_sweep
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.plots import plot_axes
from scenes.toolkit.style import ACCENT, HIGHLIGHT, TEXT, label

__all__ = [
    "NARRATION",
    "STEP_COLOUR",
    "SmoothActivations",
    "flat_sentence",
    "hardest_sentence",
    "slope_sentence",
    "steepest_point",
]

STEP_COLOUR = "#ff9e64"
NARRATION = "By the way, this is why artificial neurons have continuously ranging activations."
"""The reviewer's wording (the draft's 12:31 note), said word for word."""


TANGENT = 1.2
"""Half the width, in weight units, of the slope drawn at the marked point."""


def steepest_point(nudges: np.ndarray, costs: np.ndarray) -> tuple[int, float]:
    """Index and slope of the sweep point where the smooth cost is steepest."""
    slopes = np.gradient(costs, nudges)
    index = int(np.argmax(np.abs(slopes)))
    return index, float(slopes[index])


@checks_the_data
def hardest_sentence(cost: float, average: float, sample: int, total: int) -> tuple[str, str]:
    """Why this example's cost is high: the hardest of a sample, far above the average cost."""
    sentence = (
        f"Of a sample of {sample:,} training digits, this is the one the trained network finds "
        f"hardest: its cost is {cost:.2f}, while the average over all {total:,} is {average:.3f}."
    )
    evidence = f"cost {cost:.3f}, average {average:.4f}"
    if cost < 10 * average:
        raise refuse(sentence, evidence, "Sweep the hardest digit again: make traces.")
    return sentence, evidence


@checks_the_data
def slope_sentence(slope: float) -> tuple[str, str]:
    """At the marked point the smooth cost visibly slopes; downhill is where it falls."""
    down = "left" if slope > 0 else "right"
    sentence = (
        "With sigmoid neurons the cost changes smoothly. "
        f"Here it slopes, and the slope says which way to go: downhill is to the {down}."
    )
    evidence = f"slope {slope:+.3f} per unit of the weight"
    if abs(slope) < 0.05:
        raise refuse(sentence, evidence, "Mark a point where the smooth cost slopes.")
    return sentence, evidence


@checks_the_data
def flat_sentence(step_costs: np.ndarray) -> tuple[str, str]:
    """Around the marked point the step neurons' cost does not change at all."""
    sentence = (
        "With step neurons the cost is flat there, then jumps: "
        "small nudges change nothing, so there is no slope to follow."
    )
    evidence = f"step cost from {step_costs.min():.3f} to {step_costs.max():.3f} around the point"
    if np.ptp(step_costs) > 0:
        raise refuse(sentence, evidence, "Mark a point where the step cost is flat.")
    return sentence, evidence


class SmoothActivations(NarratedScene):
    """Sigmoid against step, and what each does to the real cost of one example."""

    segment = "smooth_activations"

    def construct(self) -> None:
        """The two activations, then the cost of one example as one weight moves."""
        self.sweep = load_sweep()
        self.run = load_run("main")
        self.sizes = self.run.layer_sizes
        self.show_activations()
        self.show_cost_along_one_weight()

    def show_activations(self) -> None:
        """The sigmoid and the step function, one above the other."""
        z, unit = (-6.0, 6.0, 3.0), (0, 1.0, 0.5)
        self.sigmoid_axes = plot_axes(z, unit, 4.2, 2.0).to_corner(UP + LEFT, buff=0.9)
        self.step_axes = plot_axes(z, unit, 4.2, 2.0)
        self.step_axes.next_to(self.sigmoid_axes, DOWN, buff=1.0)
        sigmoid = self.sigmoid_axes.plot(expit, color=ACCENT, stroke_width=4)
        step = VGroup(
            self.step_axes.plot(lambda _: 0.0, x_range=[-6, 0], color=STEP_COLOUR, stroke_width=4),
            self.step_axes.plot(lambda _: 1.0, x_range=[0, 6], color=STEP_COLOUR, stroke_width=4),
        )
        labels = VGroup(
            self.place_label(label("sigmoid", color=ACCENT), self.sigmoid_axes, UP, buff=0.1),
            self.place_label(
                label("step: on or off", color=STEP_COLOUR), self.step_axes, UP, buff=0.1
            ),
        )
        self.say(
            "continuously-ranging",
            NARRATION,
            Create(self.sigmoid_axes),
            Create(sigmoid),
            FadeIn(labels[0]),
        )
        self.say(
            "on-or-off",
            "A step function would make every neuron either on or off.",
            Create(self.step_axes),
            Create(step),
            FadeIn(labels[1]),
        )
        self.left = VGroup(self.sigmoid_axes, sigmoid, self.step_axes, step, labels)

    def show_cost_along_one_weight(self) -> None:
        """The real cost of one example as one weight moves, with each activation."""
        start = float(self.sweep["sweep_start"][0])
        nudges = self.sweep["sweep_value"].astype(float) - start  # 0 is the trained value
        smooth = self.sweep["sweep_sigmoid_cost"].astype(float)
        stepped = self.sweep["sweep_step_cost"].astype(float)
        top = float(np.ceil(max(smooth.max(), stepped.max(), 1.0)))
        axes = plot_axes((nudges[0], nudges[-1], 2.0), (0, top, top / 4), 6.4, 4.3, at_corner=True)
        axes.to_edge(RIGHT, buff=0.5).shift(0.1 * UP)
        flat = parameter_count(self.sizes)
        name = ParameterAddress.from_sweep_weight(self.sweep["sweep_weight"], self.sizes).label
        title = label(f"cost of one training digit as weight {name} moves", color=TEXT)
        self.place_label(title, axes, UP, buff=0.25).align_to(axes, RIGHT)
        smooth_line = axes.plot_line_graph(
            nudges, smooth, add_vertex_dots=False, line_color=ACCENT, stroke_width=4
        )
        step_line = axes.plot_line_graph(
            nudges, stepped, add_vertex_dots=False, line_color=STEP_COLOUR, stroke_width=4
        )
        marker = DashedLine(axes.c2p(0, 0), axes.c2p(0, top), color=HIGHLIGHT)
        marker_label = label(
            f"nudge to {name}: 0 is its trained value {start:.2f}", color=HIGHLIGHT
        )
        self.place_label(marker_label, axes, DOWN, buff=0.15)
        example = int(self.sweep["sweep_example"][0])
        train_images = load_digits()["train_images"]
        digit = DigitImage(train_images[example], height=1.0)
        between = (self.sigmoid_axes.get_right()[0] + axes.get_left()[0]) / 2  # in the gap
        digit.move_to([between, 0, 0]).align_to(axes, UP)
        trained_cost = float(np.interp(0.0, nudges, smooth))
        average, total = self.run.final.train_cost, self.run.data.n_train
        sample = len(train_images)
        with self.beat(
            "one-weight",
            "Take one training example and one weight of the trained network, "
            "and move that weight.",
        ) as beat:  # the weight's marker appears as the voice says to move it
            self.play(Create(axes), FadeIn(title), FadeIn(digit), run_time=beat.phrase_start(1))
            self.play(FadeIn(marker), FadeIn(marker_label), run_time=beat.remaining(leave=0.5))
        key = VGroup(
            label("with sigmoid neurons", color=ACCENT),
            label("with step neurons", color=STEP_COLOUR),
        )
        key.arrange(RIGHT, buff=0.6).next_to(marker_label, DOWN, buff=0.2)
        self.say(
            "hardest",
            hardest_sentence(trained_cost, average, sample, total),
            Create(smooth_line),
            FadeIn(key[0]),
        )
        index, slope = steepest_point(nudges, smooth)
        at = float(nudges[index])
        point = Dot(axes.c2p(at, smooth[index]), color=ACCENT, radius=0.07)
        tangent = Line(axes.c2p(at - TANGENT, smooth[index] - slope * TANGENT),
                       axes.c2p(at + TANGENT, smooth[index] + slope * TANGENT),
                       color=TEXT, stroke_width=3)  # fmt: skip
        self.say("smooth-cost", slope_sentence(slope), FadeIn(point), Create(tangent))
        near = np.abs(nudges - at) <= TANGENT
        flat_point = Dot(axes.c2p(at, stepped[index]), color=STEP_COLOUR, radius=0.07)
        self.say(
            "step-cost",
            flat_sentence(stepped[near]),
            Create(step_line),
            FadeIn(key[1]),
            FadeIn(flat_point),
        )
        self.pause_to_read("the viewer sees the flat step cost and reads its key")
        # the smooth cost stands out; the step one steps back
        self.say(
            "what-descent-needs",
            f"The cost of all {flat:,} parameters is just as smooth, "
            "and that is what gradient descent needs.",
            smooth_line.animate.set_stroke(width=7),
            step_line.animate.set_stroke(opacity=0.35),
            key[1].animate.set_opacity(0.5),
        )
        self.marked = (at, slope)
        self.pause_to_read("the viewer compares the smooth cost with the flat one that jumps", 2)
        right = Group(axes, title, smooth_line, step_line, marker, marker_label, key, digit,
                      point, tangent, flat_point)  # fmt: skip
        self.play(FadeOut(Group(self.left, right)))
