"""Segment 11, training: the real run's cost falling, its test accuracy rising, its weights moving.

Every curve is the ``main`` trace: the cost of each SGD mini-batch (faint) and its trailing
average over the latest tenth of the steps so far (bold; it uses no later step), the test
accuracy at each snapshot from step 1, and the network's edges drawn from each snapshot's
weights as the step counter runs. The steps run on a log scale, said on screen, so that the
fast early fall takes its share of the picture and of the time.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    VGroup,
)

from nn.traces import load_run
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram
from scenes.toolkit.plots import GrowingCurve, XCursor, plot_axes
from scenes.toolkit.style import ACCENT, GOOD, HIGHLIGHT, TEXT, caption, label

__all__ = [
    "TRAILING",
    "TRAINING_SECONDS",
    "Training",
    "step_at",
    "step_axes",
    "trailing_average",
]

TRAILING = 0.1
"""The bold cost at step k averages the latest ``TRAILING * k`` steps (at least one)."""
TRAINING_SECONDS = 10.0
"""How long the run plays; past the words about the cost, it goes on without words."""


def trailing_average(values: np.ndarray, fraction: float = TRAILING) -> np.ndarray:
    """At the k-th value (from 1), the mean of the latest ``ceil(fraction * k)`` values up to it.

    Only values already seen: a later value never changes an earlier average.
    """
    total = np.concatenate([[0.0], np.cumsum(values.astype(np.float64))])
    k = np.arange(1, values.size + 1)
    window = np.maximum(1, np.ceil(fraction * k).astype(int))
    return (total[k] - total[k - window]) / window


def step_at(alpha: float, total_steps: int) -> int:
    """The step shown ``alpha`` (0 to 1) of the way through the run, as the log axis runs."""
    return round(total_steps**alpha)


def step_axes(y_max: float, y_step: float, total_steps: int) -> Axes:
    """Axes with the training steps across, on a log scale from step 1."""
    return plot_axes((0, np.log10(total_steps), 1), (0, y_max, y_step), 6.6, 2.3, log_x=True)


class Training(NarratedScene):
    """The real training run, step by step."""

    segment = "training"

    def construct(self) -> None:
        """Draw the axes and the network, then run the counter through the real steps."""
        self.run = load_run("main")
        self.setup_plots()
        self.setup_network()
        self.run_training()

    def setup_plots(self) -> None:
        """Cost and test-accuracy axes, empty."""
        steps = self.run["step"]
        self.total = int(steps[-1])
        self.raw = self.run["step_cost"].astype(float)
        self.smooth = trailing_average(self.raw)
        top = float(np.ceil(self.raw.max()))
        self.cost_axes = step_axes(top, top / 4, self.total).to_corner(UP + LEFT, buff=0.6)
        self.cost_axes.shift(0.3 * DOWN)
        self.accuracy_axes = step_axes(100, 25, self.total)
        self.accuracy_axes.next_to(self.cost_axes, DOWN, buff=0.9)
        titles = VGroup(
            label(
                f"cost: each mini-batch (faint), average of the latest {TRAILING:.0%} of steps",
                color=TEXT,
            ),
            label("test accuracy, %", color=TEXT),
        )
        for title, axes in zip(titles, (self.cost_axes, self.accuracy_axes), strict=True):
            self.place_label(title, axes, UP, buff=0.15).align_to(axes, LEFT)
        steps_name = label("step,\nlog scale", line_spacing=0.8)
        titles.add(self.place_label(steps_name, self.accuracy_axes.x_axis, RIGHT, buff=0.25))
        epochs, batch, digits = self.run.epochs, self.run.batch_size, self.run.data.n_train
        with self.beat(
            "real-run",
            "Here is the real training run: "
            f"{epochs} passes through {digits:,} digits, {batch} at a time: {self.total:,} steps. "
            "The steps run on a log scale, so that the fast start shows.",
        ) as beat:  # the step axes are drawn as the steps are counted
            axes = (Create(self.cost_axes), Create(self.accuracy_axes))
            self.play(*axes, run_time=0.6 * beat.duration)
            names = LaggedStart(*(FadeIn(t) for t in titles), lag_ratio=0.4)
            self.play(names, run_time=beat.remaining(leave=0.5))

    def setup_network(self) -> None:
        """The network at its random start, and the anchored step counter."""
        self.network = NetworkDiagram(
            self.run.layer_sizes, layer_spacing=1.3, neuron_spacing=0.3, radius=0.09
        )
        self.network.show_weights(self.run.parameters(0)).to_edge(RIGHT, buff=0.5)
        self.network.shift(0.3 * DOWN)
        counter = StepCounter()
        counter.next_to(self.network, UP, buff=0.35).align_to(self.network, LEFT)
        self.counter = counter.number
        self.anchor(self.counter, name="step counter", edge=LEFT)
        count = self.run.parameter_count
        with self.beat(
            "every-step", f"Every step nudges all {count:,} weights and biases."
        ) as beat:
            self.play(FadeIn(counter), run_time=0.3 * beat.duration)
            self.play(FadeIn(self.network), run_time=beat.remaining(leave=0.5))

    def run_training(self) -> None:
        """Run the counter through the steps; curves grow, edges follow the snapshots."""
        steps, snapshots = self.run["step"], self.run["snapshot_step"]
        faint = {"stroke_width": 1, "stroke_opacity": 0.3}
        raw = GrowingCurve(self.cost_axes, steps, self.raw, ACCENT, **faint)
        smooth = GrowingCurve(self.cost_axes, steps, self.smooth, ACCENT, stroke_width=4)
        from_step_1 = snapshots >= 1  # a log axis has no step 0
        accuracy = 100 * self.run["test_accuracy"][from_step_1].astype(float)
        accuracy_curve = GrowingCurve(self.accuracy_axes, snapshots[from_step_1], accuracy, GOOD,
                                      stroke_width=4)  # fmt: skip
        curves = VGroup(raw, smooth, accuracy_curve)
        plots = (self.cost_axes, self.accuracy_axes)
        cursors = VGroup(*(XCursor(axes, HIGHLIGHT, stroke_width=1.5) for axes in plots))
        self.add(curves, cursors)
        shown = {"snapshot": 0}
        # Everything the updater changes is animated, so that every frame redraws it.
        moving = Group(cursors, curves, self.counter, self.network)

        def advance(_: Group, alpha: float) -> None:
            step = step_at(alpha, self.total)
            for curve in curves:
                curve.show_until(step)
            for cursor in cursors:
                cursor.at(step)
            self.counter.set_value(step)
            snapshot = int(np.searchsorted(snapshots, step, side="right")) - 1
            if snapshot != shown["snapshot"]:
                self.network.show_weights(self.run.parameters(snapshot))
                shown["snapshot"] = snapshot

        final = float(self.run["test_accuracy"][-1])
        self.say_then_continue(
            "cost-falls",
            "The cost falls: faint, each mini-batch; bold, the average of the latest tenth "
            "of the steps, so no later step is used. The edges follow the real weights.",
            "the viewer watches the run finish: the curves and the edges",
            moving,
            advance,
            TRAINING_SECONDS,
        )
        # on the title's line, at the plot's right end: above where the curve ends
        verdict = caption(f"ends at {final:.1%}", color=GOOD)
        verdict.next_to(self.accuracy_axes, UP, buff=0.15).align_to(self.accuracy_axes, RIGHT)
        self.say(
            "accuracy-climbs",
            f"And the test accuracy climbs to {final:.1%}.",
            FadeIn(verdict, shift=0.2 * UP),
        )
        self.pause_to_read("the viewer looks at the finished curves and the trained network", 2)
        self.play(FadeOut(Group(*self.mobjects)))
