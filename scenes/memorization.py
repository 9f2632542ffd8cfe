"""Segment 15, memorization: the same network on the same images, once with shuffled labels.

Both curves are real runs of the same configuration: ``main`` learns the true labels,
``random_labels`` learns labels shuffled across the training split. The plots put their
training cost and training accuracy, measured on the whole training split at every snapshot,
on the same axes.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Line,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Wait,
)

from nn.traces import load_digits, load_run
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.plots import curve_points, plot_axes
from scenes.toolkit.style import ACCENT, CAPTION_SIZE, FONT, HIGHLIGHT, MUTED, TEXT
from scenes.toolkit.timeline import TimelineScene

RUN_COLOURS = {"main": ACCENT, "random_labels": HIGHLIGHT}
RUN_WORDS = {"main": "true labels", "random_labels": "shuffled labels"}
SHOWN_DIGITS = 6
PAPERS = (
    'Zhang et al. 2017, "Understanding deep learning requires rethinking generalization"',
    'Arpit et al. 2017, "A closer look at memorization in deep networks"',
)


class Memorization(TimelineScene):
    """Shuffled labels against true labels: two real cost curves on the same axes."""

    def construct(self) -> None:
        """Shuffle the labels, train both ways, compare, cite."""
        self.runs = {name: load_run(name) for name in RUN_COLOURS}
        self.show_shuffled_labels()
        self.draw_empty_plots()
        self.train_both()
        self.compare_the_ends()

    def show_shuffled_labels(self) -> None:
        """A few training digits with their true label and the label the second run learns."""
        digits = load_digits()
        shuffled = self.runs["random_labels"]
        label_of_row = dict(zip(shuffled["train_index"].tolist(),
                                shuffled["train_labels"].tolist(), strict=True))  # fmt: skip
        columns = Group()
        self.shown_labels: list[tuple[int, int, int]] = []
        shown = slice(0, SHOWN_DIGITS)
        for image, row, true in zip(digits["train_images"][shown], digits["train_rows"][shown],
                                    digits["train_labels"][shown], strict=True):  # fmt: skip
            fake = label_of_row[int(row)]
            self.shown_labels.append((int(row), int(true), fake))
            columns.add(Group(
                DigitImage(image, height=1.3),
                Text(str(true), font=FONT, font_size=30, color=RUN_COLOURS["main"]),
                Text(str(fake), font=FONT, font_size=30, color=RUN_COLOURS["random_labels"]),
            ).arrange(DOWN, buff=0.25))  # fmt: skip
        columns.arrange(RIGHT, buff=0.5)
        keys = VGroup(*(
            Text(RUN_WORDS[name], font=FONT, font_size=24, color=RUN_COLOURS[name])
            .next_to(columns, LEFT, buff=0.5).match_y(columns[0][row])
            for row, name in ((1, "main"), (2, "random_labels"))
        ))  # fmt: skip
        Group(columns, keys).move_to(0.2 * UP)
        self.play(FadeIn(Group(*(column[0] for column in columns))),
                  subcaption="Take the same network and the same training images, but shuffle "
                  "the labels: each image gets another image's label.")  # fmt: skip
        self.play(FadeIn(Group(*(column[1] for column in columns))), FadeIn(keys[0]))
        self.play(FadeIn(Group(*(column[2] for column in columns))), FadeIn(keys[1]),
                  subcaption="There is nothing left to learn, only to memorize.")  # fmt: skip
        self.wait(1)
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
        titles = VGroup(
            Text("training cost", font=FONT, font_size=22, color=TEXT)
            .next_to(self.cost_axes, UP, buff=0.2),
            Text("training accuracy, %", font=FONT, font_size=22, color=TEXT)
            .next_to(self.accuracy_axes, UP, buff=0.2),
            *(Text("step", font=FONT, font_size=16, color=MUTED)
              .next_to(axes, DOWN, buff=0.15)
              for axes in (self.cost_axes, self.accuracy_axes)),
        )  # fmt: skip
        legend = VGroup(*(
            VGroup(Line(0.3 * LEFT, 0.3 * RIGHT, color=RUN_COLOURS[name], stroke_width=5),
                   Text(RUN_WORDS[name], font=FONT, font_size=22, color=RUN_COLOURS[name]))
            .arrange(RIGHT, buff=0.2)
            for name in RUN_COLOURS
        )).arrange(RIGHT, buff=0.8).next_to(plots, DOWN, buff=0.75)  # fmt: skip
        self.counter = StepCounter(font_size=28).next_to(legend, RIGHT, buff=0.9)
        self.anchor(self.counter.number, name="step counter", edge=LEFT)
        meta = main.meta
        passes = f"{meta['epochs']} passes through {meta['data']['n_train']:,} digits"
        self.play(
            Create(self.cost_axes),
            Create(self.accuracy_axes),
            FadeIn(titles),
            FadeIn(legend),
            FadeIn(self.counter),
            subcaption=f"Both runs take the same {meta['total_steps']:,} steps: {passes}.",
        )
        self.legend = legend

    def train_both(self) -> None:
        """Both runs' real curves grow together as the step counter runs."""
        curves, targets = VGroup(), []
        for name, run in self.runs.items():
            for axes, values in ((self.cost_axes, run["train_cost"]),
                                 (self.accuracy_axes, 100 * run["train_accuracy"])):  # fmt: skip
                points = curve_points(axes, self.steps, values.astype(float))
                curve = VMobject(stroke_color=RUN_COLOURS[name], stroke_width=4)
                curve.set_points_as_corners(points[:2])
                curves.add(curve)
                targets.append(points)
        self.add(curves)

        def grow(_: Group, alpha: float) -> None:
            step = alpha * self.total
            shown = max(int(np.searchsorted(self.steps, step, side="right")), 2)
            for curve, points in zip(curves, targets, strict=True):
                curve.set_points_as_corners(points[:shown])
            self.counter.set_step(round(step))

        # Everything the updater changes is animated, so that every frame redraws it.
        self.play(UpdateFromAlphaFunc(Group(curves, self.counter), grow), run_time=9,
                  subcaption="With true labels, the cost falls and the accuracy climbs. With "
                  "shuffled labels, the cost stalls.")  # fmt: skip
        self.curves = curves

    def compare_the_ends(self) -> None:
        """The real end values of both runs, and the two papers."""
        finals = {name: run.meta["final"] for name, run in self.runs.items()}
        true, fake = finals["main"], finals["random_labels"]
        chance = 1 / self.runs["main"].meta["layer_sizes"][-1]
        lines = VGroup(*(
            Text(f"{RUN_WORDS[name]}: {final['train_accuracy']:.1%} of the training digits right,"
                 f" cost {final['train_cost']:.3f}", font=FONT, font_size=22,
                 color=RUN_COLOURS[name])
            for name, final in finals.items()
        )).arrange(DOWN, aligned_edge=LEFT, buff=0.2)  # fmt: skip
        lines.next_to(self.legend, DOWN, buff=0.4).set_x(0)
        self.play(FadeIn(lines), run_time=3, subcaption=f"After the same steps, the true labels "
                  f"are {true['train_accuracy']:.1%} learned; the shuffled ones "
                  f"{fake['train_accuracy']:.1%}, against {chance:.0%} by chance.")  # fmt: skip
        self.play(Wait(3), subcaption=f"On new digits, the shuffled network scores "
                  f"{fake['test_accuracy']:.1%}: nothing it learned carries over.")  # fmt: skip
        papers = VGroup(*(Text(paper, font=FONT, font_size=0.75 * CAPTION_SIZE, color=MUTED)
                          for paper in PAPERS)).arrange(DOWN, buff=0.12)  # fmt: skip
        papers.to_edge(DOWN, buff=0.25)
        self.play(FadeIn(papers), run_time=4, subcaption="Zhang and colleagues found that big "
                  "networks can memorize even random labels completely, given time.")  # fmt: skip
        self.play(Wait(4), subcaption="Arpit and colleagues found that networks learn the real "
                  "patterns first, and the noise later.")  # fmt: skip
        self.play(Wait(3), subcaption="Structured data is learned faster, and our small network "
                  "shows it too.")  # fmt: skip
        self.play(FadeOut(Group(*self.mobjects)))
