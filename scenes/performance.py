"""Segment 12, test performance: real test digits one by one, the count, the real mistakes.

The count ends at the real accuracy on the test split. Guesses are the trained network's
(the ``main`` run's final parameters) on the digits trace's test images. The count is
anchored: its slash and its numbers' inner edges never move.
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
    UpdateFromAlphaFunc,
    VGroup,
)

from nn.network import network_input, predict
from nn.traces import load_digits, load_run
from scenes.toolkit.counters import SteadyNumber
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.style import (
    BAD,
    CAPTION_SIZE,
    EDGE_BUFF,
    GOOD,
    HEADING_SIZE,
    LABEL_SIZE,
    TEXT,
    body,
    caption,
    heading,
    label,
)

__all__ = [
    "MISTAKES_SHOWN",
    "ORDER_SEED",
    "SHOWN_ONE_BY_ONE",
    "PerformanceOnTestDigits",
    "RunningCount",
]

SHOWN_ONE_BY_ONE = 8
MISTAKES_SHOWN = 8
ORDER_SEED = 0
"""Seed of the order the test digits are shown in (the count covers all of them)."""


class RunningCount(VGroup):
    """``correct / total``: the slash stays put, each number grows away from it."""

    def __init__(self) -> None:
        self.correct = self.count(GOOD, edge=RIGHT)
        self.slash = heading("/")
        self.total = self.count(TEXT, edge=LEFT)
        self.correct.next_to(self.slash, LEFT, buff=0.2)
        self.total.next_to(self.slash, RIGHT, buff=0.2)
        self.caption = caption("correct")
        self.caption.next_to(VGroup(self.correct, self.slash, self.total), DOWN, buff=0.15)
        super().__init__(self.correct, self.slash, self.total, self.caption)

    @staticmethod
    def count(color: str, edge: np.ndarray) -> SteadyNumber:
        """A whole number at heading size that grows from ``edge`` without shifting."""
        return SteadyNumber(
            0,
            num_decimal_places=0,
            group_with_commas=True,
            font_size=HEADING_SIZE,
            color=color,
            edge_to_fix=edge,
        )

    def show(self, correct: int, total: int) -> None:
        """Set both numbers."""
        self.correct.set_value(correct)
        self.total.set_value(total)


class PerformanceOnTestDigits(NarratedScene):
    """The trained network on its test split, digit by digit, then its mistakes."""

    segment = "test_performance"

    def construct(self) -> None:
        """Digits one by one, the rest at speed, then real mistakes."""
        self.load_guesses()
        self.set_the_stage()
        self.test_one_by_one()
        self.count_the_rest()
        self.show_mistakes()

    def load_guesses(self) -> None:
        """The trained network's guess for every test digit, and the order they are shown in."""
        self.run = load_run("main")
        digits = load_digits()
        self.params = self.run.parameters(-1)
        self.images, self.labels = digits["test_images"], digits["test_labels"].astype(int)
        self.guesses = predict(self.params, network_input(self.images))
        self.order = np.random.default_rng(ORDER_SEED).permutation(len(self.images))
        self.correct = self.guesses[self.order] == self.labels[self.order]

    def set_the_stage(self) -> None:
        """The trained network, its output labels, the count."""
        self.network = NetworkDiagram(
            self.run.layer_sizes, layer_spacing=1.6, neuron_spacing=0.33, radius=0.11
        )
        self.network.show_weights(self.params).shift(0.4 * LEFT + 0.2 * DOWN)
        self.output_labels = self.network.output_labels(font_size=LABEL_SIZE)
        self.count = RunningCount().to_corner(UP + RIGHT, buff=0.6).shift(0.7 * LEFT)
        self.anchor(self.count.slash, name="count slash")
        self.anchor(self.count.correct, name="correct count", edge=RIGHT)
        self.anchor(self.count.total, name="total count", edge=LEFT)
        self.say(
            "real-test",
            "Now the real test: digits the network never saw in training.",
            LaggedStart(
                FadeIn(self.network), FadeIn(self.output_labels), FadeIn(self.count), lag_ratio=0.4
            ),
        )
        self.marker = None
        self.digit = None

    def test_one_by_one(self) -> None:
        """A few digits, each with its forward pass, the guess and a check or a cross."""
        first, *others = enumerate(self.order[:SHOWN_ONE_BY_ONE])
        self.read_digit(first[1])
        with self.beat("guess-and-check", "Its guess, and whether it is right.") as beat:
            self.show_guess(first[1], run_time=0.45 * beat.duration)
            self.check_guess(first[0], run_time=beat.remaining(leave=0.5))
        watching = "the viewer watches each guess, its check or cross, and the count"
        with self.silence(f"{len(others)} more test digits go through; {watching}"):
            for n, index in others:
                self.read_digit(index)
                self.show_guess(index, run_time=0.4)
                self.check_guess(n, run_time=0.4)
        self.play(FadeOut(self.digit), FadeOut(self.marker), self.network.darken(), run_time=0.5)

    def read_digit(self, index: int) -> None:
        """Test digit ``index`` comes in (the last one leaves) and goes through the network."""
        new = DigitImage(self.images[index], height=2.0).to_edge(LEFT, buff=0.5)
        leaving = [FadeOut(self.digit)] if self.digit is not None else []
        self.play(FadeIn(new), *leaving, self.network.darken(), run_time=0.4)
        self.digit = Group(new)
        activations = activations_for(self.params, self.images[index])
        self.play(self.network.forward_pass(activations), run_time=0.8)

    def show_guess(self, index: int, run_time: float) -> None:
        """The "Guess" marker comes to the brightest output neuron."""
        guess = int(self.guesses[index])
        row = VGroup(self.network.neurons[-1][guess], self.output_labels[guess])
        if self.marker is None:
            self.marker = GuessMarker(row, font_size=CAPTION_SIZE)
            self.anchor(self.marker, name="Guess", edge=LEFT, axes="x")
            self.play(FadeIn(self.marker), run_time=run_time)
        else:
            self.play(self.marker.move_to_row(row), run_time=run_time)

    def check_guess(self, n: int, run_time: float) -> None:
        """A check or a cross under the digit (the ``n``-th shown), and the count goes up."""
        right = bool(self.correct[n])
        mark = body("\N{CHECK MARK}", color=GOOD) if right else body("\N{BALLOT X}", color=BAD)
        self.place_label(mark, self.digit[0], DOWN, buff=0.25)
        self.digit.add(mark)
        self.count.show(int(self.correct[: n + 1].sum()), n + 1)
        self.play(FadeIn(mark), self.count.animate.set_opacity(1), run_time=run_time)

    def count_the_rest(self) -> None:
        """All the other test digits at speed; the count ends at the real accuracy."""
        total = len(self.order)
        start = SHOWN_ONE_BY_ONE
        running = np.cumsum(self.correct)

        def advance(count: RunningCount, alpha: float) -> None:
            seen = start + round(alpha * (total - start))
            count.show(int(running[seen - 1]), seen)

        self.say(
            "all-digits",
            f"Then all {total:,} test digits.",
            UpdateFromAlphaFunc(self.count, advance),
            leave=0.3,
        )
        accuracy = running[-1] / total
        verdict = body(f"{accuracy:.1%} of the test split", color=GOOD)
        verdict.to_corner(DOWN + RIGHT, buff=0.6)
        self.say(
            "accuracy",
            f"{accuracy:.1%} right, on digits it had never seen.",
            FadeIn(verdict, shift=0.2 * UP),
        )
        self.pause(1.5, "the viewer reads the final count")
        self.final = (int(running[-1]), total)
        self.play(FadeOut(Group(self.network, self.output_labels, self.count, verdict)))

    def show_mistakes(self) -> None:
        """Some of the real mistakes, with what the network guessed."""
        wrong = [int(i) for i, ok in zip(self.order, self.correct, strict=True) if not ok]
        cells = []
        for index in wrong[:MISTAKES_SHOWN]:
            image = DigitImage(self.images[index], height=1.6)
            note = label(f"labelled {self.labels[index]}, guessed {self.guesses[index]}")
            self.place_label(note, image, DOWN, buff=0.15)
            cells.append(Group(image, note))
        grid = Group(*cells).arrange_in_grid(rows=2, buff=(0.45, 0.5)).shift(0.3 * DOWN)
        title = body(f"Some of its {len(wrong)} mistakes").to_edge(UP, buff=EDGE_BUFF)
        with self.beat(
            "mistakes",
            "And some of its real mistakes. A few are hard even for us; others are plainly wrong.",
        ) as beat:
            self.play(FadeIn(title), run_time=min(1, beat.phrase_start(1)))
            cells_in = LaggedStart(*(FadeIn(cell) for cell in grid), lag_ratio=0.3)
            self.play(cells_in, run_time=beat.remaining(leave=0.5))
        self.pause(3, "the viewer looks at each mistake and the label under it")
        self.play(FadeOut(Group(title, grid)))
        self.mistakes = wrong[:MISTAKES_SHOWN]
