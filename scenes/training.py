"""Segment 11, training: the real run's cost falling, its test accuracy rising, its weights moving.

Every curve is the ``main`` trace: the cost of each SGD mini-batch (faint) and its moving
average over ``WINDOW`` steps (bold), the test accuracy at each snapshot, and the network's
edges drawn from each snapshot's weights as the step counter runs.
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
    Mobject,
    VGroup,
)
from scipy.ndimage import uniform_filter1d

from nn.traces import load_run
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram
from scenes.toolkit.plots import GrowingCurve, XCursor, plot_axes
from scenes.toolkit.style import ACCENT, GOOD, HIGHLIGHT, TEXT, caption, label

__all__ = [
    "TRAINING_SECONDS",
    "VERDICT_INSET",
    "WINDOW",
    "Training",
    "moving_average",
    "step_axes",
]

WINDOW = 200
"""Steps in the moving average of the mini-batch cost."""
VERDICT_INSET = 0.3
"""How far the accuracy verdict ends inside the plot's right end, in scene units."""
TRAINING_SECONDS = 10.0
"""How long the run plays; past the words about the cost, it goes on without words."""


def moving_average(values: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Centred moving average over ``window`` steps (the ends use the nearest values)."""
    return uniform_filter1d(values.astype(np.float64), size=window, mode="nearest")


def step_axes(y_max: float, y_step: float, total_steps: int) -> Axes:
    """Axes with the training steps across."""
    return plot_axes((0, total_steps, total_steps // 4), (0, y_max, y_step), 6.6, 2.3)


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
        self.smooth = moving_average(self.raw)
        top = float(np.ceil(self.raw.max()))
        self.cost_axes = step_axes(top, top / 4, self.total).to_corner(UP + LEFT, buff=0.6)
        self.cost_axes.shift(0.3 * DOWN)
        self.accuracy_axes = step_axes(100, 25, self.total)
        self.accuracy_axes.next_to(self.cost_axes, DOWN, buff=0.9)
        titles = VGroup(
            label(f"cost: each mini-batch (faint), average over {WINDOW} steps", color=TEXT),
            label("test accuracy, %", color=TEXT),
        )
        for title, axes in zip(titles, (self.cost_axes, self.accuracy_axes), strict=True):
            self.place_label(title, axes, UP, buff=0.15)
        titles.add(self.place_label(label("step"), self.accuracy_axes.x_axis, RIGHT, buff=0.25))
        epochs, batch, digits = self.run.epochs, self.run.batch_size, self.run.data.n_train
        with self.beat(
            "real-run",
            "Here is the real training run: "
            f"{epochs} passes through {digits:,} digits, {batch} at a time: {self.total:,} steps.",
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

    def below_the_plateau(self, text: Mobject) -> float:
        """Where ``text`` centres just under the accuracy curve, over the steps it spans."""
        first = self.accuracy_axes.p2c(text.get_left())[0]
        snapshots = self.run["snapshot_step"]
        spanned = 100 * self.run["test_accuracy"][snapshots >= first].astype(float)
        top = self.accuracy_axes.c2p(0, float(spanned.min()))[1] - 0.25
        return top - text.height / 2

    def run_training(self) -> None:
        """Run the counter through the steps; curves grow, edges follow the snapshots."""
        steps, snapshots = self.run["step"], self.run["snapshot_step"]
        faint = {"stroke_width": 1, "stroke_opacity": 0.3}
        raw = GrowingCurve(self.cost_axes, steps, self.raw, ACCENT, **faint)
        smooth = GrowingCurve(self.cost_axes, steps, self.smooth, ACCENT, stroke_width=4)
        accuracy = 100 * self.run["test_accuracy"].astype(float)
        accuracy_curve = GrowingCurve(self.accuracy_axes, snapshots, accuracy, GOOD, stroke_width=4)
        curves = VGroup(raw, smooth, accuracy_curve)
        plots = (self.cost_axes, self.accuracy_axes)
        cursors = VGroup(*(XCursor(axes, HIGHLIGHT, stroke_width=1.5) for axes in plots))
        self.add(curves, cursors)
        shown = {"snapshot": 0}
        # Everything the updater changes is animated, so that every frame redraws it.
        moving = Group(cursors, curves, self.counter, self.network)

        def advance(_: Group, alpha: float) -> None:
            step = round(alpha * self.total)
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
            f"The cost falls: faint, each mini-batch; bold, its average over {WINDOW} steps. "
            "The edges follow the real weights.",
            "the viewer watches the run finish: the curves and the edges",
            moving,
            advance,
            TRAINING_SECONDS,
        )
        verdict = caption(f"{final:.1%} of the test digits right", color=GOOD)
        end = self.accuracy_axes.c2p(self.total, 0) + VERDICT_INSET * LEFT  # clear of the cursor
        verdict.move_to(end, RIGHT)
        verdict.set_y(self.below_the_plateau(verdict))
        self.say(
            "accuracy-climbs",
            f"And the test accuracy climbs to {final:.1%}.",
            FadeIn(verdict, shift=0.2 * UP),
        )
        self.pause(2, "the viewer looks at the finished curves and the trained network")
        self.play(FadeOut(Group(*self.mobjects)))
