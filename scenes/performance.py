"""Segment 12, test performance: real test digits one by one, the count, the real mistakes.

The count ends at the real accuracy on the test digits (the digits kept out of training).
Guesses are the trained network's (the ``main`` run's final parameters) on the digits trace's
test images; a cross shows the digit it really is. The count is anchored: its slash and its
numbers' inner edges never move. The mistakes are shown with the place the right digit had
among the network's outputs, and the sentence about close calls is checked against them.
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
    Indicate,
    LaggedStart,
    UpdateFromAlphaFunc,
    VGroup,
)

from nn.network import forward, network_input
from nn.traces import load_digits, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.counters import SteadyNumber
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.narration import Beat, NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.read_time import time_to_read
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
    "CLOSE_CALLS",
    "CROSS_SHOWN",
    "MIN_MOVING",
    "MISTAKES_SHOWN",
    "ORDER_SEED",
    "SHOWN_ONE_BY_ONE",
    "PerformanceOnTestDigits",
    "RunningCount",
    "close_calls_sentence",
    "ordinal",
    "shown_order",
    "true_digit_place",
]

SHOWN_ONE_BY_ONE = 4
CROSS_SHOWN = (1, 2)
"""The places, among those shown one by one, shown while the voice explains the cross."""
MISTAKES_SHOWN = 8
ORDER_SEED = 0
"""Seed of the order the test digits are shown in (the count covers all of them)."""
MIN_MOVING = 1.5
"""Seconds at least that a digit shown one by one takes to come in, pass, be guessed, checked."""
CLOSE_CALLS = 1 / 3
"""Mistakes are "often close calls" when at least this share had the right digit second."""


def true_digit_place(outputs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Where each true digit ranks among its outputs: 1 for the brightest, 2 for the next."""
    true_output = outputs[np.arange(len(labels)), labels]
    return 1 + np.sum(outputs > true_output[:, None], axis=1)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... (up to 10: an output's place)."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n, "th")
    return f"{n}{suffix}"


def shown_order(guesses: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The seeded order the test digits are shown in, with a mistake second or third.

    Those two are shown while the voice explains the cross: if neither is a mistake, the first
    mistake elsewhere moves to third, so that a cross is seen as it is explained.
    """
    order = np.random.default_rng(ORDER_SEED).permutation(len(labels))
    wrong = np.flatnonzero(guesses[order] != labels[order])
    if wrong.size and not np.isin(wrong, CROSS_SHOWN).any():
        order[[CROSS_SHOWN[-1], wrong[0]]] = order[[wrong[0], CROSS_SHOWN[-1]]]
    return order


@checks_the_data
def close_calls_sentence(places: np.ndarray) -> tuple[str, str]:
    """How close the mistakes came: how many had the right digit as the second choice."""
    second, total = int(np.sum(places == 2)), len(places)
    sentence = (
        f"Many are close calls: in {second} of its {total} mistakes, "
        "the right digit was its second choice."
    )
    evidence = f"{second} of {total} mistakes had the true digit second"
    if total == 0 or second < CLOSE_CALLS * total:
        raise refuse(
            sentence, evidence, "Say what the mistakes show instead, in scenes/performance.py."
        )
    return sentence, evidence


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
        self.outputs = forward(self.params, network_input(self.images))[-1]
        self.guesses = np.argmax(self.outputs, axis=1)
        self.places = true_digit_place(self.outputs, self.labels)
        self.order = shown_order(self.guesses, self.labels)
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
            f"Now the real test: {len(self.images):,} digits kept aside, "
            "which the network never saw in training.",
            LaggedStart(
                FadeIn(self.network), FadeIn(self.output_labels), FadeIn(self.count), lag_ratio=0.4
            ),
        )
        self.marker = None
        self.digit = None

    def test_one_by_one(self) -> None:
        """A few digits, each with its forward pass, the guess and a check or a cross."""
        shown = list(enumerate(self.order[:SHOWN_ONE_BY_ONE]))
        self.read_digit(shown[0][1])
        with self.beat("guess-and-check", "Its guess, and whether it is right.") as beat:
            self.show_guess(shown[0][1], run_time=0.45 * beat.duration)
            self.check_guess(0, run_time=beat.remaining(leave=0.5))
            self.hold_to_read()
        with self.beat(
            "check-or-cross",
            "A check when the guess is the digit that was written. "
            "A cross when it is not, and beside it, the digit it really is.",
        ) as beat:
            self.test_digits(beat, shown[CROSS_SHOWN[0] : CROSS_SHOWN[-1] + 1])  # one is a mistake
        with self.beat(
            "the-score", "The count keeps the score: right answers, over digits seen."
        ) as beat:
            self.test_digits(beat, shown[CROSS_SHOWN[-1] + 1 :])
        self.play(FadeOut(self.digit), FadeOut(self.marker), self.network.darken(), run_time=0.5)

    def test_digits(self, beat: Beat, shown: list[tuple[int, int]]) -> None:
        """Each of ``shown`` (its place in the order, its index) read, guessed and checked.

        The digits share ``beat``'s time: each gets an equal part, of which its result keeps
        its time to read and the rest moves. The last result's time to read ends the beat.
        """
        for k, (n, index) in enumerate(shown):
            share = beat.remaining(leave=0.1) / (len(shown) - k)
            mark = time_to_read("x" if self.correct[n] else f"x it is a {self.labels[index]}")
            moving = max(share - mark, MIN_MOVING)
            self.read_digit(index, run_time=0.6 * moving)
            self.show_guess(index, run_time=0.2 * moving)
            self.check_guess(n, run_time=0.2 * moving)
            self.hold_to_read()

    def read_digit(self, index: int, run_time: float = 1.2) -> None:
        """Test digit ``index`` comes in (the last one leaves) and goes through the network."""
        new = DigitImage(self.images[index], height=2.0).to_edge(LEFT, buff=0.5)
        leaving = [FadeOut(self.digit)] if self.digit is not None else []
        if self.marker is not None:  # the last guess leaves with its digit
            leaving.append(FadeOut(self.marker))
        self.play(FadeIn(new), *leaving, self.network.darken(), run_time=run_time / 3)
        self.digit = Group(new)
        activations = activations_for(self.params, self.images[index])
        self.play(self.network.forward_pass(activations), run_time=2 * run_time / 3)

    def show_guess(self, index: int, run_time: float) -> None:
        """The "Guess" marker appears at the brightest output neuron."""
        guess = int(self.guesses[index])
        row = VGroup(self.network.neurons[-1][guess], self.output_labels[guess])
        if self.marker is None:
            self.marker = GuessMarker(row, font_size=CAPTION_SIZE)
            self.anchor(self.marker, name="Guess", edge=LEFT, axes="x")
        self.marker.set_y(row.get_y())  # it left with the last digit; it keeps its x
        self.play(FadeIn(self.marker), run_time=run_time)

    def check_guess(self, n: int, run_time: float) -> None:
        """A check or a cross under the digit (the ``n``-th shown), and the count goes up.

        A cross comes with the digit it really is.
        """
        index = int(self.order[n])
        if self.correct[n]:
            mark = body("\N{CHECK MARK}", color=GOOD)
        else:
            mark = VGroup(body("\N{BALLOT X}", color=BAD), label(f"it is a {self.labels[index]}"))
            mark.arrange(RIGHT, buff=0.2)
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
        verdict = body(f"{accuracy:.1%} of the test digits", color=GOOD)
        verdict.to_corner(DOWN + RIGHT, buff=0.6)
        self.say(
            "accuracy",
            f"{accuracy:.1%} right, on digits it had never seen.",
            FadeIn(verdict, shift=0.2 * UP),
        )
        self.pause_to_read("the viewer reads the final count", 1.5)
        self.final = (int(running[-1]), total)
        self.play(FadeOut(Group(self.network, self.output_labels, self.count, verdict)))

    def show_mistakes(self) -> None:
        """Some of the real mistakes: the digit it is, the guess, and where the right one came."""
        wrong = [int(i) for i, ok in zip(self.order, self.correct, strict=True) if not ok]
        cells = []
        for index in wrong[:MISTAKES_SHOWN]:
            image = DigitImage(self.images[index], height=1.5)
            truth, place = self.labels[index], int(self.places[index])
            note = VGroup(
                label(f"a {truth}, guessed {self.guesses[index]}", color=TEXT),
                label(f"{truth} came {ordinal(place)}"),
            ).arrange(DOWN, buff=0.08)
            self.place_label(note, image, DOWN, buff=0.12)
            cells.append(Group(image, note))
        grid = Group(*cells).arrange_in_grid(rows=2, buff=(0.45, 0.35)).shift(0.35 * DOWN)
        title = body(f"Some of its {len(wrong)} mistakes").to_edge(UP, buff=EDGE_BUFF)
        with self.beat(
            "mistakes",
            "And here are some of its real mistakes, each with the digit it really is.",
        ) as beat:
            self.play(FadeIn(title), run_time=min(1, beat.phrase_start(0) + 1))
            cells_in = LaggedStart(*(FadeIn(cell) for cell in grid), lag_ratio=0.3)
            self.play(cells_in, run_time=beat.remaining(leave=0.5))
        seconds = [cell[1][1] for cell, i in zip(cells, wrong, strict=False) if self.places[i] == 2]
        pulses = [Indicate(note, color=TEXT) for note in seconds] or [Indicate(title, color=TEXT)]
        self.say(
            "close-calls",
            close_calls_sentence(self.places[wrong]),
            LaggedStart(*pulses, lag_ratio=0.3),
        )
        self.pause_to_read("the viewer looks at each mistake and where the right digit came", 2)
        self.play(FadeOut(Group(title, grid)))
        self.mistakes = wrong[:MISTAKES_SHOWN]
