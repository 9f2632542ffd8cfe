"""Segment 16, eigendigits: a viewer's suggestion, classify digits by their SVD, and its real score.

Everything comes from the ``eigendigits`` trace (:mod:`nn.eigendigits`): each class's singular
images and singular values, and the nearest-subspace classifier's residuals and accuracy on
the test split, for a few subspace sizes ``k``. The network's accuracy beside it is the
``main`` run's. The narration says the guess, the trend and the comparison as the data has them.
"""

from __future__ import annotations

import itertools

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    MathTex,
    SurroundingRectangle,
    VGroup,
)

from nn.eigendigits import projection
from nn.network import network_input
from nn.traces import load_digits, load_eigendigits, load_run
from scenes.toolkit.charts import BarRow, BarRows
from scenes.toolkit.claims import checks_the_data
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.heatmap import WeightHeatmap
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import (
    ACCENT,
    CAPTION_SIZE,
    EDGE_BUFF,
    HIGHLIGHT,
    MUTED,
    OTHER_RUN,
    TEXT,
    body,
    caption,
    heading,
    label,
    number_text,
)

__all__ = [
    "BAR_LENGTH",
    "DIGIT",
    "EXAMPLE",
    "SHOWN_SINGULAR",
    "SHOWN_TRAINING",
    "Eigendigits",
    "as_pixels",
    "comparison_sentence",
    "trend_narration",
]

DIGIT = 3
"""The class whose singular images the segment opens with."""
SHOWN_TRAINING = 8
SHOWN_SINGULAR = 5
EXAMPLE = 0
"""The test digit (position in the digits trace) classified on screen."""
BAR_LENGTH = 5.8
"""Scene units of a bar at 100 % (each bar's thin track shows that length)."""


def as_pixels(image: np.ndarray) -> np.ndarray:
    """A 784-vector of intensities in [0, 1] as a 28x28 uint8 picture (values outside clipped)."""
    return np.round(255 * np.clip(image.reshape(28, 28), 0.0, 1.0)).astype(np.uint8)


@checks_the_data
def trend_narration(accuracy: list[float]) -> tuple[str, str]:
    """What more singular images per digit do to the real accuracy, in order of ``k``."""
    evidence = "accuracies " + ", ".join(f"{a:.3f}" for a in accuracy)
    if all(later > earlier for earlier, later in itertools.pairwise(accuracy)):
        return "More singular images, fewer mistakes.", evidence
    return "More singular images do not always mean fewer mistakes.", evidence


@checks_the_data
def comparison_sentence(rank: int, best: float, network: float) -> tuple[str, str]:
    """The largest subspace size's accuracy against the network's, and what it makes of it."""
    evidence = f"accuracy {best:.3f} with {rank} singular images, network {network:.3f}"
    if best > network:
        return (
            f"With {rank} singular images per digit, it scores {best:.1%}, above our "
            f"network's {network:.1%}. A simple method makes a strong baseline.",
            evidence,
        )
    return (
        f"With {rank} singular images per digit, it scores {best:.1%}, below our network's "
        f"{network:.1%}. Still, a simple method makes a useful baseline.",
        evidence,
    )


class Eigendigits(NarratedScene):
    """Singular images of the digits, and how well the nearest subspace classifies."""

    segment = "eigendigits"

    def construct(self) -> None:
        """Decompose one digit class, classify one test digit, compare the accuracies."""
        self.eigen = load_eigendigits()
        self.digits = load_digits()
        self.main = load_run("main")
        self.ranks = [int(k) for k in self.eigen["rank"]]
        self.show_singular_images()
        self.classify_one_digit()
        self.compare_accuracies()

    def show_singular_images(self) -> None:
        """Training images of one digit, then its first singular images and singular values."""
        title = heading("A viewer's suggestion: eigendigits").to_edge(UP, buff=0.5)
        images = self.digits["train_images"][self.digits["train_labels"] == DIGIT]
        examples = Group(*(DigitImage(image, height=0.95) for image in images[:SHOWN_TRAINING]))
        examples.arrange_in_grid(rows=2, buff=0.12).to_edge(LEFT, buff=0.6).shift(0.3 * DOWN)
        examples_caption = caption(f"training images of {DIGIT}")
        self.place_label(examples_caption, examples, DOWN, buff=0.25)
        with self.beat(
            "suggestion",
            "A viewer suggested another way to read digits: the singular value decomposition.",
        ) as beat:
            self.play(FadeIn(title), run_time=1)
            examples_in = (FadeIn(examples, lag_ratio=0.1), FadeIn(examples_caption))
            self.play(*examples_in, run_time=beat.remaining(leave=0.5))
        basis, values = self.eigen["basis"][DIGIT], self.eigen["singular_value"][DIGIT]
        singular = Group()
        for i in range(SHOWN_SINGULAR):
            sigma = rf"\sigma_{i + 1} = {values[i]:.0f}"
            value = MathTex(sigma, font_size=CAPTION_SIZE, color=TEXT)
            singular.add(Group(WeightHeatmap(basis[i], height=1.35), value).arrange(DOWN, buff=0.2))
        singular.arrange(RIGHT, buff=0.25)
        singular.next_to(examples, RIGHT, buff=1.3).align_to(examples, UP)
        arrow = Arrow(examples.get_right(), singular.get_left(), buff=0.15, color=MUTED)
        svd = self.place_label(label("SVD"), arrow, UP, buff=0.1)
        singular_caption = caption("singular images, most important first")
        self.place_label(singular_caption, singular, DOWN, buff=0.3)
        n_class = int(np.sum(self.main["train_labels"] == DIGIT))
        with self.beat(
            "decompose",
            f"Stack all {n_class:,} training images of {DIGIT} and decompose them: "
            "out come its singular images, the most important first. "
            "The number under each says how much of the images it carries.",
        ) as beat:  # the singular images come out as the voice names them
            self.play(FadeIn(arrow), FadeIn(svd), run_time=1.5)
            singular_in = (FadeIn(singular, lag_ratio=0.2), FadeIn(singular_caption))
            self.play(*singular_in, run_time=beat.until_phrase(-1))
            values = LaggedStart(*(Indicate(s[1], color=ACCENT) for s in singular), lag_ratio=0.3)
            self.play(values, run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer looks at the singular images and their values", 1.5)
        shown = Group(examples, examples_caption, arrow, svd, singular, singular_caption)
        self.play(FadeOut(shown))
        self.heading = title

    def classify_one_digit(self) -> None:
        """A test digit redrawn from each class's singular images; the closest class wins."""
        rank = self.ranks[-1]
        position = self.ranks.index(rank)
        x = network_input(self.digits["test_images"][EXAMPLE])[0]
        self.residuals = self.eigen["test_residual"][position, EXAMPLE].astype(np.float64)
        self.guess = int(np.argmin(self.residuals))
        truth = int(self.digits["test_labels"][EXAMPLE])
        bases = self.eigen["basis"][:, :rank].astype(np.float64)
        redrawn = [projection(basis, x[None, :])[0] for basis in bases]
        digit = DigitImage(self.digits["test_images"][EXAMPLE], height=1.6)
        digit.to_edge(LEFT, buff=0.9).shift(0.1 * UP)  # room for its wider caption
        question = body("How well can each digit's singular images redraw it?")
        question.next_to(self.heading, DOWN, buff=0.4)
        columns = Group()
        for d, (image, residual) in enumerate(zip(redrawn, self.residuals, strict=True)):
            picture = DigitImage(as_pixels(image), height=0.95)
            name, distance = number_text(str(d), color=MUTED), label(f"{residual:.2f}", color=TEXT)
            column = Group(name, picture, distance)
            columns.add(column.arrange(DOWN, buff=0.15))
        columns.arrange(RIGHT, buff=0.12)
        columns.next_to(digit, RIGHT, buff=0.7).match_y(digit)
        key = VGroup(
            label(f"the digit redrawn from each class's first {rank} singular images"),
            label("and its distance from the original"),
        )
        key.arrange(DOWN, buff=0.1).next_to(columns, DOWN, buff=0.35)
        digit_caption = self.place_label(caption("a test digit"), digit, DOWN, buff=0.2)
        digit = Group(digit, digit_caption)
        with self.beat(
            "redraw",
            "To read a new digit, ask: how well can each digit's singular images redraw it? "
            "The one that redraws it best is the guess.",
        ) as beat:  # the question on screen as the voice asks it
            self.play(FadeIn(digit), run_time=1)
            self.play(FadeIn(question), run_time=beat.remaining(leave=0.5))
        self.say(
            "distances",
            f"Here with {rank} singular images per class: the numbers are the distances.",
            FadeIn(columns, lag_ratio=0.1),
            FadeIn(key),
        )
        box = SurroundingRectangle(columns[self.guess], color=HIGHLIGHT, buff=0.08)
        verdict = "right" if self.guess == truth else f"wrong: it is a {truth}"
        self.say(
            "closest",
            f"The closest is {self.guess}, and that is the guess: {verdict}.",
            Create(box),
        )
        self.pause(1.5, "the viewer checks that the boxed distance is the smallest")
        self.play(FadeOut(Group(digit, question, columns, key, box)))

    def compare_accuracies(self) -> None:
        """Real test accuracy for each subspace size, beside the network's."""
        accuracy = [float(a) for a in self.eigen["test_accuracy"]]
        network = float(self.main["test_accuracy"][-1])
        count = self.main.parameter_count
        rows = [
            BarRow(f"{k} singular image{'s' if k > 1 else ''} per digit", a, OTHER_RUN)
            for k, a in zip(self.ranks, accuracy, strict=True)
        ]
        rows.append(BarRow(f"our network, {count:,} parameters", network, ACCENT))
        chart = BarRows(rows, length=BAR_LENGTH)
        chart.to_edge(LEFT, buff=EDGE_BUFF).shift(0.3 * DOWN)
        mark = chart.mark(network, ACCENT)
        title = body(f"test accuracy on the same {len(self.digits['test_labels']):,} digits")
        title.next_to(self.heading, DOWN, buff=0.45)
        self.say(
            "trend",
            trend_narration(accuracy),
            FadeIn(title),
            FadeIn(chart.names),
            FadeIn(chart.tracks),
            *chart.grow(),
            FadeIn(chart.values),
            FadeIn(mark),
        )
        self.finding = self.finding_text(accuracy[-1], network)
        finding = VGroup(*(caption(line, color=TEXT) for line in self.finding))
        finding.arrange(DOWN, buff=0.15)
        finding.to_edge(DOWN, buff=EDGE_BUFF)
        with self.beat(
            "finding", comparison_sentence(self.ranks[-1], accuracy[-1], network)
        ) as beat:  # the method's rows, then the network's, as the voice compares them
            ours = chart.row(len(rows) - 1)
            methods = VGroup(*(chart.row(i) for i in range(len(rows) - 1)))
            self.play(FadeIn(finding, lag_ratio=0.3), Circumscribe(methods, color=OTHER_RUN),
                      run_time=beat.until_phrase(-1))  # fmt: skip
            self.play(Circumscribe(ours, color=ACCENT), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer compares the bars", 1.5)
        self.play(FadeOut(Group(*self.mobjects)))

    def finding_text(self, best: float, network: float) -> tuple[str, str]:
        """What the comparison says, in words that follow the real numbers."""
        kept = int(np.prod(self.eigen["basis"].shape))
        count = self.main.parameter_count
        side = "above" if best > network else "below"
        return (
            f"With {self.ranks[-1]} singular images per digit: {best:.1%}, "
            f"{side} the network's {network:.1%},",
            f"keeping {kept:,} numbers against the network's {count:,}",
        )
