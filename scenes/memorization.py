"""Segment 15, memorization: the same network on the same images, once with shuffled labels.

Both curves are real runs of the same configuration: ``main`` learns the true labels,
``random_labels`` learns labels shuffled across the training split. The plots put their
training cost and training accuracy, measured on the whole training split at every snapshot,
on the same axes; the shuffled run's accuracy on new digits stands beside chance. What the
curves do is said as the data shows it (:func:`curves_sentence`). The segment closes on the
landscape trace's pair slice: two networks from two random starts end in two valleys of
similar quality (:func:`valleys_sentence`), and a question for the viewer.
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
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Line,
    ShowPassingFlash,
    UpdateFromAlphaFunc,
    VGroup,
)

from nn.slices import local_minima
from nn.traces import RunSummary, load_digits, load_landscape, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.counters import StepCounter
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.plots import GrowingCurve, plot_axes
from scenes.toolkit.style import (
    ACCENT,
    EDGE_BUFF,
    LABEL_SIZE,
    MUTED,
    NUMBER_SIZE,
    OTHER_RUN,
    TEXT,
    body,
    caption,
    label,
    number_text,
)

__all__ = [
    "CLIMBED",
    "FALLEN",
    "NEAR_CHANCE",
    "PAPERS",
    "RUN_COLOURS",
    "RUN_WORDS",
    "SHOWN_DIGITS",
    "SIMILAR",
    "STALLED",
    "VALLEY_PAPER",
    "Memorization",
    "carries_over",
    "curves_sentence",
    "learned_faster",
    "new_digits_sentence",
    "research_sentence",
    "valleys_sentence",
]

RUN_COLOURS = {"main": ACCENT, "random_labels": OTHER_RUN}
RUN_WORDS = {"main": "true labels", "random_labels": "shuffled labels"}
SHOWN_DIGITS = 6
PAPERS = (
    'Zhang et al. 2017, "Understanding deep learning requires rethinking generalization"',
    'Arpit et al. 2017, "A closer look at memorization in deep networks"',
)
VALLEY_PAPER = 'Choromanska et al. 2015, "The loss surfaces of multilayer networks"'

FALLEN = 0.5
"""A cost that ends below this share of its value after the first pass has fallen."""
STALLED = 0.98
"""A cost that ends above this share of its value after the first pass has stalled."""
CLIMBED = 0.02
"""Training accuracy that gains more than this after the first pass is climbing."""
NEAR_CHANCE = 0.05
"""Accuracy within this of chance has learned nothing that carries over."""
SIMILAR = 0.03
"""Two networks whose test accuracies differ by less than this are of similar quality."""


@checks_the_data
def curves_sentence(
    true_cost: np.ndarray,
    true_accuracy: np.ndarray,
    shuffled_cost: np.ndarray,
    shuffled_accuracy: np.ndarray,
    first: int,
) -> tuple[str, str]:
    """What the two runs' training curves do from snapshot ``first`` (one pass in) to the end."""
    fell = true_cost[-1] < FALLEN * true_cost[first]
    climbed = true_accuracy[-1] > true_accuracy[first]
    if fell and climbed:
        true = "With true labels, the cost falls fast."
    else:
        true = "With true labels, the curves barely move."
    start, end = float(shuffled_accuracy[first]), float(shuffled_accuracy[-1])
    still = shuffled_accuracy[-1] > shuffled_accuracy[int(0.9 * (len(shuffled_accuracy) - 1))]
    shuffled_share = shuffled_cost[-1] / shuffled_cost[first]
    slowly = shuffled_share < 1 and shuffled_share > true_cost[-1] / true_cost[first]
    if end - start > CLIMBED:
        cost = "it falls slowly" if slowly else "its cost barely moves"
        shuffled = (
            f"With shuffled labels, {cost}, and the accuracy creeps up from "
            f"{start:.0%} to {end:.1%}{', still rising' if still else ''}: "
            "the network is memorizing."
        )
    elif shuffled_cost[-1] > STALLED * shuffled_cost[first]:
        shuffled = "With shuffled labels, the cost stalls."
    else:
        shuffled = "With shuffled labels, the cost falls a little, but the accuracy does not move."
    evidence = (
        f"shuffled cost {shuffled_cost[first]:.3f} -> {shuffled_cost[-1]:.3f}, "
        f"accuracy {start:.3f} -> {end:.3f}; true cost {true_cost[first]:.3f} -> "
        f"{true_cost[-1]:.3f}"
    )
    return f"{true} {shuffled}", evidence


def carries_over(test_accuracy: float, chance: float) -> str:
    """Whether what the shuffled run learned helps on new digits, as its real accuracy says."""
    if test_accuracy < chance + NEAR_CHANCE:
        return "no better than chance: nothing it memorized carries over."
    return "better than chance: a little of what it learned carries over."


@checks_the_data
def learned_faster(
    true_accuracy: np.ndarray, shuffled_accuracy: np.ndarray, first: int
) -> tuple[str, str]:
    """Whether the true labels are learned faster: ahead at every snapshot from one pass in."""
    ahead = int(np.sum(true_accuracy[first:] > shuffled_accuracy[first:]))
    evidence = f"true labels ahead at {ahead} of {len(true_accuracy) - first} snapshots"
    if ahead == len(true_accuracy) - first:
        return "Real patterns are learned faster, and our small network shows it too.", evidence
    sentence = "Real patterns are learned faster, though our small network does not show it here."
    return sentence, evidence


@checks_the_data
def new_digits_sentence(test_accuracy: float, chance: float) -> tuple[str, str]:
    """The shuffled run on new digits, and whether what it learned carries over."""
    sentence = (
        f"And on new digits, the shuffled network scores {test_accuracy:.1%}, "
        + carries_over(test_accuracy, chance)
    )
    return sentence, f"test accuracy {test_accuracy:.3f}, chance {chance:.3f}"


@checks_the_data
def valleys_sentence(
    main: RunSummary, partner: RunSummary, pair_cost: np.ndarray
) -> tuple[str, str]:
    """Whether the two valleys of the pair slice are of similar quality, from both networks."""
    gap = abs(main.test_accuracy - partner.test_accuracy)
    valleys = len(local_minima(pair_cost))
    evidence = (
        f"{valleys} valleys on the line; test accuracy {main.test_accuracy:.3f} and "
        f"{partner.test_accuracy:.3f}, training cost {main.train_cost:.4f} and "
        f"{partner.train_cost:.4f}"
    )
    if valleys < 2:
        raise refuse(
            "Two random starts, two different valleys",
            evidence,
            "Show a line with a valley at each end, or say what this one shows.",
        )
    if gap < SIMILAR:
        sentence = (
            "Two random starts, two different valleys, and both about as good: "
            f"{main.test_accuracy:.1%} and {partner.test_accuracy:.1%} on the test digits."
        )
    else:
        better = max(main.test_accuracy, partner.test_accuracy)
        worse = min(main.test_accuracy, partner.test_accuracy)
        sentence = (
            "Two random starts, two different valleys, and one is clearly better: "
            f"{better:.1%} against {worse:.1%} on the test digits."
        )
    return sentence, evidence


@checks_the_data
def research_sentence(main: RunSummary, partner: RunSummary) -> tuple[str, str]:
    """What research on bigger networks finds, said as agreeing with ours only when it does."""
    gap = abs(main.test_accuracy - partner.test_accuracy)
    evidence = f"test accuracies {gap:.3f} apart"
    if gap < SIMILAR:
        return "Bigger networks show the same: their many valleys tend to be about equally good.", (
            evidence
        )
    return (
        "In bigger networks, researchers find many valleys of about equal quality; "
        "our small one is an exception.",
        evidence,
    )


class Memorization(NarratedScene):
    """Shuffled labels against true labels on the same axes; then two valleys, and a question."""

    segment = "memorization"

    def construct(self) -> None:
        """Shuffle the labels, train both ways, compare, cite; two valleys; a question."""
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
        self.compare_two_valleys()
        self.ask_the_viewer()

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
            Circumscribe(Group(fake_labels, keys[1]), color=OTHER_RUN),
            leave=0.3,
        )
        self.pause_to_read("the viewer compares each digit's true and shuffled label", 1)
        self.play(FadeOut(columns), FadeOut(keys))

    def draw_empty_plots(self) -> None:
        """Training cost and training accuracy against the step, one pair of axes each."""
        main = self.runs["main"]
        self.steps = main["snapshot_step"]
        self.total = int(self.steps[-1])
        top = float(np.ceil(max(run["train_cost"].max() for run in self.runs.values())))
        ticks = (0, self.total, self.total // 4)
        self.cost_axes = plot_axes(ticks, (0, top, 1), 4.9, 3.4)
        self.accuracy_axes = plot_axes(ticks, (0, 100, 25), 4.9, 3.4)
        plots = VGroup(self.cost_axes, self.accuracy_axes).arrange(RIGHT, buff=1.4)
        plots.to_edge(UP, buff=1.0)
        titles = VGroup()
        for axes, title in zip(plots, ("training cost", "training accuracy, %"), strict=True):
            titles.add(self.place_label(label(title, color=TEXT), axes, UP, buff=0.2))
            titles.add(self.place_label(label("step"), axes, DOWN, buff=0.15))
        legend = VGroup()
        for name, colour in RUN_COLOURS.items():
            line = Line(0.3 * LEFT, 0.3 * RIGHT, color=colour, stroke_width=5)
            legend.add(VGroup(line, label(RUN_WORDS[name], color=colour)).arrange(RIGHT, buff=0.2))
        legend.arrange(RIGHT, buff=0.8).next_to(plots, DOWN, buff=0.55).set_x(-1.2)
        self.counter = StepCounter(font_size=NUMBER_SIZE).next_to(legend, RIGHT, buff=0.9)
        self.anchor(self.counter.number, name="step counter", edge=LEFT)
        with self.silence("the two plots appear; both runs take the same steps"):
            plots_in = (Create(self.cost_axes), Create(self.accuracy_axes), FadeIn(titles))
            self.play(*plots_in, FadeIn(legend), FadeIn(self.counter), run_time=1.5)
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
        self.curves_fact = curves_sentence(
            main["train_cost"],
            main["train_accuracy"],
            shuffled["train_cost"],
            shuffled["train_accuracy"],
            self.first_pass,
        )
        self.say(
            "curves",
            self.curves_fact,
            UpdateFromAlphaFunc(Group(curves, self.counter), grow),
            leave=0.3,
        )
        self.curves = curves

    def compare_the_ends(self) -> None:
        """The real end values of both runs, and the shuffled run on new digits."""
        finals = {name: run.final for name, run in self.runs.items()}
        fake = finals["random_labels"]
        chance = 1 / self.runs["main"].layer_sizes[-1]
        lines = VGroup()
        for name, final in finals.items():
            right = f"{final.train_accuracy:.1%} of the training digits right"
            line = f"{RUN_WORDS[name]}: {right}, cost {final.train_cost:.3f}"
            lines.add(caption(line, color=RUN_COLOURS[name]))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        lines.next_to(self.legend, DOWN, buff=0.25).set_x(0)
        new_digits = caption(
            f"shuffled labels on new digits: {fake.test_accuracy:.1%} right, chance {chance:.0%}",
            color=RUN_COLOURS["random_labels"],
        )
        new_digits.next_to(lines, DOWN, buff=0.15).align_to(lines, LEFT)
        with self.beat(
            "new-digits",
            new_digits_sentence(fake.test_accuracy, chance),
        ) as beat:  # both runs' ends, then the new digits' score beside chance
            self.play(FadeIn(lines, lag_ratio=0.5), run_time=1.5)
            self.play(Create(self.chance_line(chance)), FadeIn(new_digits),
                      run_time=beat.remaining(leave=0.5))  # fmt: skip
        self.pause_to_read("the viewer reads both runs' figures and the new digits' score")
        self.ends = Group(lines, new_digits)

    def chance_line(self, chance: float) -> VGroup:
        """A dashed line on the accuracy plot at the accuracy of guessing, labelled."""
        axes = self.accuracy_axes
        start, end = axes.c2p(0, 100 * chance), axes.c2p(self.total, 100 * chance)
        line = DashedLine(start, end, color=MUTED, stroke_width=2)
        # beside the axis, like a tick's number: the shuffled run's curve starts along the line
        name = self.place_label(label("chance"), line, LEFT, buff=0.1)
        return VGroup(line, name)

    def cite_the_papers(self) -> None:
        """Each paper appears as the voice names it; then the true-label curves light up."""
        papers = VGroup(*(label(paper) for paper in PAPERS)).arrange(DOWN, buff=0.12)
        papers.to_edge(DOWN, buff=EDGE_BUFF)
        with self.beat(
            "papers",
            "Bigger networks, given time, memorize even random labels completely. "
            "But they learn the real patterns first.",
        ) as beat:  # each paper as the voice says its finding
            self.play(FadeOut(self.ends), FadeIn(papers[0]), run_time=beat.until_phrase(1))
            self.play(FadeIn(papers[1]), run_time=beat.remaining(leave=0.5))
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
        self.pause_to_read("the viewer reads the papers' titles")
        self.play(FadeOut(Group(*self.mobjects)))

    def compare_two_valleys(self) -> None:
        """The pair slice: our network's valley and another start's, each with its test score."""
        land = load_landscape()
        t, cost = land["pair_t"].astype(float), land["pair_cost"].astype(float)
        top = float(np.ceil(cost.max() * 10) / 10)
        axes = plot_axes((float(t[0]), float(t[-1]), 0.5), (0, top, 0.1), 8.0, 3.6,
                         font_size=LABEL_SIZE, at_corner=True)  # fmt: skip
        axes.move_to(0.3 * UP)
        graph = axes.plot_line_graph(t, cost, add_vertex_dots=False, line_color=TEXT,
                                     stroke_width=4)  # fmt: skip
        y_name = self.place_label(label("training cost", color=TEXT), axes.y_axis, UP, buff=0.15)
        x_name = label("along the straight line from our network to another one")
        self.place_label(x_name, axes.x_axis, DOWN, buff=0.45)
        networks = {"main": self.runs["main"].final, "partner": land.partner_final}
        marks = VGroup()
        for name, near, colour in (("main", 0.0, ACCENT), ("partner", 1.0, OTHER_RUN)):
            bottom = int(np.argmin(np.where(np.abs(t - near) < 0.5, cost, np.inf)))
            dot = Dot(axes.c2p(t[bottom], cost[bottom]), radius=0.09, color=colour)
            whose = "our network" if name == "main" else "another random start"
            words = VGroup(
                label(whose, color=colour),
                label(f"{networks[name].test_accuracy:.1%} on test", color=colour),
            )
            words.arrange(DOWN, buff=0.08)  # fmt: skip
            words.move_to(axes.c2p(t[bottom], 0.85 * top)).align_to(axes, UP)
            pointer = Line(words.get_bottom() + 0.08 * DOWN, dot.get_top(), color=colour,
                           stroke_width=2)  # fmt: skip
            self.link_label(words, dot, pointer)
            marks.add(VGroup(dot, pointer, words))
        with self.beat(
            "two-valleys",
            "Does it matter which valley training ends in? Here is the cost on a line from "
            "our network to one trained from another random start.",
        ) as beat:
            self.play(Create(axes), FadeIn(y_name), run_time=1)
            self.play(Create(graph), FadeIn(x_name), run_time=beat.remaining(leave=0.5))
        self.valleys = valleys_sentence(networks["main"], networks["partner"], cost)
        self.say("valleys", self.valleys, FadeIn(marks, lag_ratio=0.4))
        paper = label(VALLEY_PAPER).to_edge(DOWN, buff=EDGE_BUFF)
        self.say(
            "research",
            research_sentence(networks["main"], networks["partner"]),
            FadeIn(paper),
        )
        self.pause_to_read("the viewer compares the two valleys and their scores", 1)
        self.play(FadeOut(Group(*self.mobjects)))

    def ask_the_viewer(self) -> None:
        """A question to think over, and a declared pause to think."""
        question = VGroup(
            body("What did the network learn from true labels"),
            body("that the shuffled one could only memorize?"),
        ).arrange(DOWN, buff=0.2)
        self.say(
            "question",
            "So here is something to think about: what did the network learn from the true "
            "labels, that the shuffled one could only memorize?",
            FadeIn(question, lag_ratio=0.3),
        )
        self.pause(4, "the viewer thinks over learning against memorizing")
        self.play(FadeOut(question))
