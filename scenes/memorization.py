"""Segment 15, memorization: the same network on the same images, once with shuffled labels.

Both curves are real runs of the same configuration: ``main`` learns the true labels,
``random_labels`` learns labels shuffled across the training split. The plots put their
training cost and training accuracy, measured on the whole training split at every snapshot,
on the same axes. The narration's figures are the runs' real end values.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Group,
    Line,
    ShowPassingFlash,
    UpdateFromAlphaFunc,
    VGroup,
)

from nn.traces import load_digits, load_run
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.plots import GrowingCurve, plot_axes
from scenes.toolkit.style import (
    ACCENT,
    EDGE_BUFF,
    HIGHLIGHT,
    MUTED,
    NUMBER_SIZE,
    TEXT,
    caption,
    label,
    number_text,
)

__all__ = [
    "FALLEN",
    "NEAR_CHANCE",
    "PAPERS",
    "RUN_COLOURS",
    "RUN_WORDS",
    "SHOWN_DIGITS",
    "STALLED",
    "Memorization",
    "carries_over",
    "curves_narration",
    "learned_faster",
]

RUN_COLOURS = {"main": ACCENT, "random_labels": HIGHLIGHT}
RUN_WORDS = {"main": "true labels", "random_labels": "shuffled labels"}
SHOWN_DIGITS = 6
PAPERS = (
    'Zhang et al. 2017, "Understanding deep learning requires rethinking generalization"',
    'Arpit et al. 2017, "A closer look at memorization in deep networks"',
)

FALLEN = 0.5
"""A cost that ends below this share of its value after the first pass has fallen."""
STALLED = 0.9
"""A cost that ends above this share of its value after the first pass has stalled."""
NEAR_CHANCE = 0.05
"""Accuracy within this of chance has learned nothing that carries over."""


def curves_narration(
    true_cost: np.ndarray, true_accuracy: np.ndarray, shuffled_cost: np.ndarray, first: int
) -> str:
    """What the two runs' training curves do from snapshot ``first`` (one pass in) to the end."""
    fell = true_cost[-1] < FALLEN * true_cost[first]
    climbed = true_accuracy[-1] > true_accuracy[first]
    if fell and climbed:
        true = "With true labels, the cost falls and the accuracy climbs."
    else:
        true = "With true labels, the curves barely move."
    if shuffled_cost[-1] > STALLED * shuffled_cost[first]:
        shuffled = "With shuffled labels, the cost stalls."
    else:
        shuffled = "With shuffled labels, the cost falls too, but more slowly."
    return f"{true} {shuffled}"


def carries_over(test_accuracy: float, chance: float) -> str:
    """Whether what the shuffled run learned helps on new digits, as its real accuracy says."""
    if test_accuracy < chance + NEAR_CHANCE:
        return "nothing it learned carries over."
    return "a little of what it learned carries over."


def learned_faster(true_accuracy: np.ndarray, shuffled_accuracy: np.ndarray, first: int) -> str:
    """Whether the true labels are learned faster: ahead at every snapshot from one pass in."""
    if np.all(true_accuracy[first:] > shuffled_accuracy[first:]):
        return "Structured data is learned faster, and our small network shows it too."
    return "Structured data is learned faster, though our small network does not show it here."


class Memorization(NarratedScene):
    """Shuffled labels against true labels: two real cost curves on the same axes."""

    segment = "memorization"

    def construct(self) -> None:
        """Shuffle the labels, train both ways, compare, cite."""
        self.runs = {name: load_run(name) for name in RUN_COLOURS}
        main = self.runs["main"]
        self.first_pass = int(
            np.searchsorted(main["snapshot_step"], main.total_steps / main.epochs)
        )
        self.show_shuffled_labels()
        self.draw_empty_plots()
        self.train_both()
        self.compare_the_ends()
        self.cite_the_papers()

    def show_shuffled_labels(self) -> None:
        """A few training digits with their true label and the label the second run learns."""
        digits = load_digits()
        shuffled = self.runs["random_labels"]
        learned = shuffled["train_labels"].tolist()
        label_of_row = dict(zip(shuffled["train_index"].tolist(), learned, strict=True))
        columns = Group()
        self.shown_labels: list[tuple[int, int, int]] = []
        shown = slice(0, SHOWN_DIGITS)
        pictures, rows, labels = (
            digits[f"train_{part}"][shown] for part in ("images", "rows", "labels")
        )
        for image, row, true in zip(pictures, rows, labels, strict=True):
            fake = label_of_row[int(row)]
            self.shown_labels.append((int(row), int(true), fake))
            column = Group(
                DigitImage(image, height=1.3),
                number_text(str(true), color=RUN_COLOURS["main"]),
                number_text(str(fake), color=RUN_COLOURS["random_labels"]),
            )
            columns.add(column.arrange(DOWN, buff=0.25))
        columns.arrange(RIGHT, buff=0.4)
        keys = VGroup()
        for row, name in ((1, "main"), (2, "random_labels")):
            key = caption(RUN_WORDS[name], color=RUN_COLOURS[name])
            keys.add(key.next_to(columns, LEFT, buff=0.5).match_y(columns[0][row]))
        Group(columns, keys).move_to(0.2 * UP)
        images, true_labels, fake_labels = (
            Group(*(column[part] for column in columns)) for part in range(3)
        )
        with self.beat(
            "shuffle",
            "Take the same network and the same training images, but shuffle the labels: "
            "each image gets another image's label.",
        ) as beat:  # the shuffled labels arrive as the voice says what they are
            self.play(FadeIn(images), run_time=1.5)
            self.play(FadeIn(true_labels), FadeIn(keys[0]), run_time=1.5)
            self.wait_for_phrase(beat, -1)
            self.play(FadeIn(fake_labels), FadeIn(keys[1]), run_time=beat.remaining(leave=0.5))
        self.say(
            "memorize",
            "There is nothing left to learn, only to memorize.",
            Circumscribe(Group(fake_labels, keys[1]), color=HIGHLIGHT),
            leave=0.3,
        )
        self.pause(1.5, "the viewer compares each digit's true and shuffled label")
        self.play(FadeOut(columns), FadeOut(keys))

    def draw_empty_plots(self) -> None:
        """Training cost and training accuracy against the step, one pair of axes each."""
        main = self.runs["main"]
        self.steps = main["snapshot_step"]
        self.total = int(self.steps[-1])
        top = float(np.ceil(max(run["train_cost"].max() for run in self.runs.values())))
        ticks = (0, self.total, self.total // 4)
        self.cost_axes = plot_axes(ticks, (0, top, 1), 5.0, 2.9)
        self.accuracy_axes = plot_axes(ticks, (0, 100, 25), 5.0, 2.9)
        plots = VGroup(self.cost_axes, self.accuracy_axes).arrange(RIGHT, buff=1.4)
        plots.to_edge(UP, buff=0.9)
        titles = VGroup()
        for axes, title in zip(plots, ("training cost", "training accuracy, %"), strict=True):
            titles.add(self.place_label(label(title, color=TEXT), axes, UP, buff=0.2))
            titles.add(self.place_label(label("step"), axes, DOWN, buff=0.15))
        legend = VGroup()
        for name, colour in RUN_COLOURS.items():
            line = Line(0.3 * LEFT, 0.3 * RIGHT, color=colour, stroke_width=5)
            legend.add(VGroup(line, label(RUN_WORDS[name], color=colour)).arrange(RIGHT, buff=0.2))
        legend.arrange(RIGHT, buff=0.8).next_to(plots, DOWN, buff=0.6)
        self.counter = StepCounter(font_size=NUMBER_SIZE).next_to(legend, RIGHT, buff=0.9)
        self.anchor(self.counter.number, name="step counter", edge=LEFT)
        passes = f"{main.epochs} passes through {main.data.n_train:,} digits"
        self.say(
            "same-steps",
            f"Both runs take the same {main.total_steps:,} steps: {passes}.",
            Create(self.cost_axes),
            Create(self.accuracy_axes),
            FadeIn(titles),
            FadeIn(legend),
            FadeIn(self.counter),
        )
        self.legend = legend

    def train_both(self) -> None:
        """Both runs' real curves grow together as the step counter runs."""
        curves = VGroup()
        for name, run in self.runs.items():
            plotted = (
                (self.cost_axes, run["train_cost"]),
                (self.accuracy_axes, 100 * run["train_accuracy"]),
            )
            for axes, values in plotted:
                colour = RUN_COLOURS[name]
                curves.add(GrowingCurve(axes, self.steps, values, colour, stroke_width=4))
        self.add(curves)

        def grow(_: Group, alpha: float) -> None:
            step = alpha * self.total
            for curve in curves:
                curve.show_until(step)
            self.counter.set_step(round(step))

        main, shuffled = self.runs["main"], self.runs["random_labels"]
        # The run lasts as long as the words; everything the updater changes is animated, so
        # that every frame redraws it.
        self.say(
            "curves",
            curves_narration(
                main["train_cost"], main["train_accuracy"], shuffled["train_cost"], self.first_pass
            ),
            UpdateFromAlphaFunc(Group(curves, self.counter), grow),
            leave=0.3,
        )
        self.curves = curves

    def compare_the_ends(self) -> None:
        """The real end values of both runs, and the shuffled run on new digits."""
        finals = {name: run.final for name, run in self.runs.items()}
        true, fake = finals["main"], finals["random_labels"]
        chance = 1 / self.runs["main"].layer_sizes[-1]
        lines = VGroup()
        for name, final in finals.items():
            right = f"{final.train_accuracy:.1%} of the training digits right"
            line = f"{RUN_WORDS[name]}: {right}, cost {final.train_cost:.3f}"
            lines.add(caption(line, color=RUN_COLOURS[name]))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        lines.next_to(self.legend, DOWN, buff=0.25).set_x(0)
        with self.beat(
            "ends",
            f"After the same steps, the true labels are {true.train_accuracy:.1%} learned; "
            f"the shuffled ones {fake.train_accuracy:.1%}, against {chance:.0%} by chance.",
        ) as beat:  # each run's line arrives as the voice names it, then the chance line
            self.play(FadeIn(lines[0]), run_time=beat.until_phrase(1))
            self.play(FadeIn(lines[1]), run_time=1.5)
            self.play(Create(self.chance_line(chance)), run_time=beat.remaining(leave=0.5))
        new_digits = caption(
            f"shuffled labels on new digits: {fake.test_accuracy:.1%} right, chance {chance:.0%}",
            color=RUN_COLOURS["random_labels"],
        )
        new_digits.next_to(lines, DOWN, buff=0.15).align_to(lines, LEFT)
        self.say(
            "new-digits",
            f"On new digits, the shuffled network scores {fake.test_accuracy:.1%}: "
            + carries_over(fake.test_accuracy, chance),
            FadeIn(new_digits),
        )

    def chance_line(self, chance: float) -> VGroup:
        """A dashed line on the accuracy plot at the accuracy of guessing, labelled."""
        axes = self.accuracy_axes
        start, end = axes.c2p(0, 100 * chance), axes.c2p(self.total, 100 * chance)
        line = DashedLine(start, end, color=MUTED, stroke_width=2)
        # beside the axis, like a tick's number: the shuffled run's curve runs along the line
        name = self.place_label(label("chance"), line, LEFT, buff=0.1)
        return VGroup(line, name)

    def cite_the_papers(self) -> None:
        """Each paper appears as the voice names it; then the true-label curves light up."""
        papers = VGroup(*(label(paper) for paper in PAPERS)).arrange(DOWN, buff=0.12)
        papers.to_edge(DOWN, buff=EDGE_BUFF)
        self.say(
            "zhang",
            "Zhang and colleagues found that, given time, "
            "big networks can memorize even random labels completely.",
            FadeIn(papers[0]),
        )
        self.say(
            "arpit",
            "Arpit and colleagues found that networks learn the real patterns first, "
            "and the noise later.",
            FadeIn(papers[1]),
        )
        true_curves = self.curves[:2]  # the main run's cost and accuracy
        self.say(
            "structured",
            learned_faster(
                self.runs["main"]["train_accuracy"],
                self.runs["random_labels"]["train_accuracy"],
                self.first_pass,
            ),
            *(
                ShowPassingFlash(curve.copy().set_stroke(TEXT, width=7), time_width=0.4)
                for curve in true_curves
            ),
            leave=0.3,
        )
        self.pause(2.5, "the viewer thinks over learning against memorizing")
        self.play(FadeOut(Group(*self.mobjects)))
