"""Segment 13, weight heatmaps: the 784 input weights of each first-layer neuron as a picture.

The 16 rows of ``W1`` morph from the random start to the trained weights through the ``main``
run's real snapshots. The colours are scaled at each step to that step's largest weight, so
the small random start is as visible as the large trained weights; the key on screen shows the
scale as it changes. The finding is measured on the weights, not typed in:

- **smooth or noise**: how much neighbouring weights agree (the correlation of each weight with
  its right and lower neighbours, the median over the 16 pictures);
- **broad or local**: the share of a picture's weight (squared) that its best 7 by 7 patch
  holds; a crisp edge or loop detector would hold most of its weight in one small patch.
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
from scipy.signal import convolve2d

from nn.traces import load_run
from scenes.toolkit.claims import checks_the_data
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.heatmap import ColourScale, WeightHeatmap
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import NEGATIVE, NUMBER_SIZE, POSITIVE, TEXT, body, label

__all__ = [
    "BROAD",
    "MORPH_SECONDS",
    "PATCH",
    "SMOOTH",
    "WeightHeatmaps",
    "best_patch_share",
    "neighbour_correlation",
    "shape_sentence",
    "smooth_sentence",
]

MORPH_SECONDS = 8.0
"""How long the heatmaps take from the random start to the trained weights, at one pace."""
SMOOTH = 0.3
"""A median neighbour correlation above this is a smooth pattern; below, noise."""
PATCH = 7
"""The side of the patch, in pixels, that a local stroke (an edge, a loop) would fit in."""
BROAD = 0.5
"""A picture whose best patch holds less than this share of its weight is broad, not local."""


def neighbour_correlation(rows: np.ndarray) -> float:
    """Median over pictures of each weight's correlation with its right and lower neighbours.

    About 0 for noise, near 1 for smooth patterns.
    """
    pictures = np.asarray(rows, dtype=np.float64).reshape(len(rows), 28, 28)
    values = []
    for p in pictures:
        here = np.concatenate([p[:, :-1].ravel(), p[:-1, :].ravel()])
        there = np.concatenate([p[:, 1:].ravel(), p[1:, :].ravel()])
        values.append(np.corrcoef(here, there)[0, 1])
    return float(np.median(values))


def best_patch_share(rows: np.ndarray, patch: int = PATCH) -> float:
    """Median over pictures of the largest share of squared weight inside one patch."""
    pictures = np.asarray(rows, dtype=np.float64).reshape(len(rows), 28, 28) ** 2
    window = np.ones((patch, patch))
    shares = [convolve2d(p, window, mode="valid").max() / p.sum() for p in pictures]
    return float(np.median(shares))


@checks_the_data
def smooth_sentence(start: float, end: float) -> tuple[str, str]:
    """Whether the trained pictures are smooth patterns or noise, from neighbour correlations."""
    evidence = f"neighbour correlation {start:.2f} at the start, {end:.2f} trained"
    if end > SMOOTH and start <= SMOOTH:
        sentence = (
            "They are not noise: neighbouring weights now move together, "
            f"with a correlation of {end:.2f}, where the random start had {start:.2f}."
        )
    elif end > SMOOTH:
        sentence = f"They are smooth, as they were from the start: neighbours agree at {end:.2f}."
    else:
        sentence = f"They still look like noise: neighbouring weights barely agree, at {end:.2f}."
    return sentence, evidence


@checks_the_data
def shape_sentence(share: float) -> tuple[str, str]:
    """Whether the trained pictures are broad blobs or small local strokes like edges."""
    evidence = f"the best {PATCH} by {PATCH} patch holds {share:.0%} of a picture's weight"
    if share < BROAD:
        sentence = (
            "But they are broad blobs, spread over the picture: nothing like the clean edges "
            "and loops we hoped for. The network found its own way to sort digits."
        )
    else:
        sentence = (
            "And most of each picture's weight sits in one small patch, "
            "like the edges and loops we hoped for."
        )
    return sentence, evidence


class WeightHeatmaps(NarratedScene):
    """Sixteen heatmaps of first-layer weights, from random to trained, and what they show."""

    segment = "weight_heatmaps"

    def construct(self) -> None:
        """Show the heatmaps at the start, morph them through training, state the finding."""
        self.run = load_run("main")
        self.w1 = self.run["W1"]
        self.scales = np.abs(self.w1).max(axis=(1, 2)).astype(np.float64)
        self.show_random_start()
        self.explain_the_colours()
        self.train_them()
        self.state_the_finding()

    def show_random_start(self) -> None:
        """The heatmaps at snapshot 0, with the step counter and what each square is."""
        inputs = self.w1.shape[2]
        side = round(inputs**0.5)
        self.maps = Group(
            *(WeightHeatmap(row, scale=self.scales[0], height=1.45) for row in self.w1[0])
        ).arrange_in_grid(rows=4, buff=0.18)
        self.maps.to_edge(LEFT, buff=0.8)
        counter = StepCounter(font_size=NUMBER_SIZE)
        counter.next_to(self.maps, RIGHT, buff=0.8).align_to(self.maps, UP)
        self.step = counter.number
        self.anchor(self.step, name="step counter", edge=LEFT)
        what = VGroup(
            label(f"each square: the {inputs} weights"), label("into one first-layer neuron")
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        what.next_to(counter, DOWN, buff=0.45).align_to(counter, LEFT)
        neurons = len(self.w1[0])
        with self.beat(
            "first-layer",
            "Remember the hope: that the first layer picks up pieces of digits, "
            f"like edges and loops. Here are the weights into each of its {neurons} neurons, "
            f"drawn as {side} by {side} pictures, at the random start.",
        ) as beat:  # the hope first, then the pictures it is about
            self.wait_for_phrase(beat, 1)
            # each in a Group of its own: a WeightHeatmap's `scale` is its colour scale
            maps_in = LaggedStart(*(FadeIn(Group(heat)) for heat in self.maps), lag_ratio=0.1)
            self.play(maps_in, run_time=beat.until_phrase(2))
            self.play(FadeIn(counter), FadeIn(what), run_time=beat.remaining(leave=0.5))
        self.counter = Group(counter, what)

    def explain_the_colours(self) -> None:
        """The colour key: the sign colours, and a scale that follows the largest weight."""
        self.key = ColourScale(self.scales[0])
        signs = VGroup(label("negative", color=NEGATIVE), label("positive", color=POSITIVE))
        signs.arrange(RIGHT, buff=1.0)
        title = label("colour: each step's largest weight", color=TEXT)
        key = Group(title, self.key, signs).arrange(DOWN, buff=0.15)
        key.next_to(self.counter, DOWN, buff=0.6).align_to(self.counter, LEFT)
        self.anchor(self.key.low, name="key's low end", edge=RIGHT)
        self.anchor(self.key.high, name="key's high end", edge=LEFT)
        self.say(
            "colour-key",
            "Blue is positive, red negative, scaled to each step's largest weight: "
            f"at the start, only {self.scales[0]:.2f}.",
            FadeIn(key, lag_ratio=0.2),
        )
        self.pause_to_read("the viewer reads the colour key against the sixteen squares", 1.5)
        self.counter.add(key)

    def train_them(self) -> None:
        """Morph every heatmap through the real snapshots; the step and the scale follow."""
        steps = self.run["snapshot_step"]
        first, last = self.scales[0], self.scales[-1]

        def advance(_: Group, alpha: float) -> None:
            k = min(int(alpha * (len(steps) - 1)), len(steps) - 1)
            for heat, row in zip(self.maps, self.w1[k], strict=True):
                heat.show_weights(row, scale=self.scales[k])
            self.key.show_scale(float(self.scales[k]))
            self.step.set_value(int(steps[k]))

        self.say_then_continue(
            "watch",
            "Now watch them change, as the network trains. "
            f"Meanwhile the largest weight grows from {first:.2f} to {last:.2f}.",
            "the viewer watches the pictures change as the steps run",
            Group(self.maps, self.step, self.key),
            advance,
            MORPH_SECONDS,
        )
        self.pause(1, "the viewer looks at the trained pictures")

    def state_the_finding(self) -> None:
        """Smooth, not noise; broad, not edges and loops: both measured on the weights."""
        start, end = neighbour_correlation(self.w1[0]), neighbour_correlation(self.w1[-1])
        share = best_patch_share(self.w1[-1])
        smooth, shape = smooth_sentence(start, end), shape_sentence(share)
        lines = VGroup(
            body("smooth, not noise" if end > SMOOTH else "still noise"),
            label(f"neighbours correlate {end:.2f} (start {start:.2f})"),
            body("broad blobs, not strokes" if share < BROAD else "small local strokes"),
            label(f"best {PATCH}\N{MULTIPLICATION SIGN}{PATCH} patch: {share:.0%} of the weight"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        lines[2].shift(0.15 * DOWN)
        lines[3].shift(0.15 * DOWN)
        lines.next_to(self.maps, RIGHT, buff=0.8).align_to(self.maps, DOWN)
        self.play(FadeOut(self.counter[1:]), run_time=0.5)
        self.say("smooth", smooth, FadeIn(lines[:2], lag_ratio=0.3))
        self.say("broad", shape, FadeIn(lines[2:], lag_ratio=0.3), FadeOut(self.counter[0]))
        self.pause_to_read("the viewer compares the finding with the trained pictures", 2)
        self.play(FadeOut(Group(self.maps, lines)))
        self.finding = (smooth, shape)
