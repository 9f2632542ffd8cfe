"""Segment 13, weight heatmaps: the 784 input weights of each first-layer neuron as a picture.

The 16 rows of ``W1`` morph from the random start to the trained weights through the ``main``
run's real snapshots, on one colour scale for all of them (the largest final magnitude), with
the step shown. The honest finding: they do not look like clean edges or loops.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    VGroup,
)

from nn.traces import load_run
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.heatmap import WeightHeatmap
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import NEGATIVE, NUMBER_SIZE, POSITIVE, body, label

__all__ = ["MORPH_SECONDS", "WeightHeatmaps"]

MORPH_SECONDS = 8.0
"""How long the heatmaps take from the random start to the trained weights, at one pace."""


class WeightHeatmaps(NarratedScene):
    """Sixteen heatmaps of first-layer weights, from random to trained."""

    segment = "weight_heatmaps"

    def construct(self) -> None:
        """Show the heatmaps at the start, morph them through training, state the finding."""
        self.run = load_run("main")
        self.w1 = self.run["W1"]
        self.scale = float(np.abs(self.w1[-1]).max())
        self.show_random_start()
        self.train_them()
        self.state_the_finding()

    def show_random_start(self) -> None:
        """The heatmaps at snapshot 0, with the step counter and the colour key."""
        inputs = self.w1.shape[2]
        side = round(inputs**0.5)
        self.maps = Group(
            *(WeightHeatmap(row, scale=self.scale, height=1.45) for row in self.w1[0])
        ).arrange_in_grid(rows=4, buff=0.18)
        self.maps.to_edge(LEFT, buff=0.8)
        counter = StepCounter(font_size=NUMBER_SIZE)
        counter.next_to(self.maps, RIGHT, buff=0.8).align_to(self.maps, UP)
        self.step = counter.number
        self.anchor(self.step, name="step counter", edge=LEFT)
        key = VGroup(
            label(f"each square: the {inputs} weights"),
            label("into one first-layer neuron"),
            label("positive", color=POSITIVE),
            label("negative", color=NEGATIVE),
        )
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(counter, DOWN, buff=0.6)
        key.align_to(counter, LEFT)
        neurons = len(self.w1[0])
        with self.beat(
            "first-layer",
            "What did the first layer learn? "
            f"Here are the weights into each of its {neurons} neurons, "
            f"drawn as {side} by {side} pictures, at the random start.",
        ) as beat:  # the question first, then the pictures it asks about
            self.wait_for_phrase(beat, 1)
            # each in a Group of its own: a WeightHeatmap's `scale` is its colour scale
            maps_in = LaggedStart(*(FadeIn(Group(heat)) for heat in self.maps), lag_ratio=0.1)
            self.play(maps_in, run_time=beat.until_phrase(2))
            self.play(FadeIn(counter), FadeIn(key), run_time=beat.remaining(leave=0.5))
        self.pause(2, "the viewer looks at the sixteen squares at the random start")
        self.counter = Group(counter, key)

    def train_them(self) -> None:
        """Morph every heatmap through the real snapshots while the step counter runs."""
        steps = self.run["snapshot_step"]

        def advance(_: Group, alpha: float) -> None:
            k = min(int(alpha * (len(steps) - 1)), len(steps) - 1)
            for heat, row in zip(self.maps, self.w1[k], strict=True):
                heat.show_weights(row)
            self.step.set_value(int(steps[k]))

        self.say_then_continue(
            "watch",
            "Now watch them change through the real training run.",
            "the viewer watches the pictures change as the steps run",
            Group(self.maps, self.step),
            advance,
            MORPH_SECONDS,
        )
        self.pause(1, "the viewer looks at the trained pictures")

    def state_the_finding(self) -> None:
        """They do not look like clean edges or loops."""
        finding = VGroup(
            body("No clean edges or loops:"),
            body("mostly noise,"),
            body("with a few blurry blobs"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        finding.next_to(self.maps, RIGHT, buff=0.8).align_to(self.maps, DOWN)
        self.say(
            "finding",
            "Honestly, they look nothing like the clean edges and loops we might have hoped for. "
            "The network found some other way to sort digits.",
            LaggedStart(*(FadeIn(line) for line in finding), lag_ratio=0.5),
        )
        self.pause(2.5, "the viewer compares the finding with the trained pictures")
        self.play(FadeOut(Group(self.maps, self.counter, finding)))
