"""Segment 3, training data: real labelled MNIST digits, the training and test splits, the source.

The split sizes and the data set's size come from the traces' metadata.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Group, LaggedStart, VGroup

from nn.traces import load_digits, load_run
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.style import body, caption

__all__ = [
    "ASIDE",
    "CELL",
    "GRID_COLUMNS",
    "GRID_ROWS",
    "TrainingData",
    "digit_grid",
    "labelled_digit",
    "split_caption",
]

GRID_ROWS, GRID_COLUMNS = 5, 12
CELL = 0.8
"""Height of a digit in the grids, as first shown."""
ASIDE = 0.62
"""How much the grids shrink to stand side by side, the training split and the test split."""


def labelled_digit(pixels, digit: int, height: float) -> Group:
    """A digit with its label beneath it."""
    image = DigitImage(pixels, height=height, framed=False)
    return Group(image, caption(str(digit)).next_to(image, DOWN, buff=0.06))


def digit_grid(images, labels, rows: int, columns: int, height: float) -> Group:
    """A grid of labelled digits, row by row."""
    cells = [labelled_digit(images[i], int(labels[i]), height) for i in range(rows * columns)]
    return Group(*cells).arrange_in_grid(rows=rows, cols=columns, buff=(0.15, 0.12))


def split_caption(title: str, detail: str) -> VGroup:
    """A heading over one split: what to do with it, and how many digits it holds."""
    return VGroup(body(title), caption(detail)).arrange(DOWN, buff=0.15)


class TrainingData(NarratedScene):
    """Labelled training digits, the two splits, and where the digits come from."""

    segment = "training_data"

    def construct(self) -> None:
        """Show a grid of training digits, the two splits, then the data's source."""
        self.run = load_run("main")
        self.digits = load_digits()
        self.show_training_grid()
        self.show_splits()
        self.credit_source()

    def show_training_grid(self) -> None:
        """A grid of real training digits; their labels appear as the voice names them."""
        images, labels = self.digits["train_images"], self.digits["train_labels"]
        self.grid = digit_grid(images, labels, GRID_ROWS, GRID_COLUMNS, height=CELL)
        self.grid.move_to(0.2 * DOWN)
        with self.beat(
            "examples",
            "To learn, the network needs examples: images of handwritten digits, "
            "each labelled with the digit it shows.",
        ) as beat:
            images = LaggedStart(*(FadeIn(image) for image, _ in self.grid), lag_ratio=0.02)
            self.play(images, run_time=beat.phrase_start(1))
            labels = LaggedStart(*(FadeIn(text) for _, text in self.grid), lag_ratio=0.02)
            self.play(labels, run_time=beat.remaining(leave=0.5))
        self.pause(1, "the viewer looks over the labelled digits")

    def show_splits(self) -> None:
        """Train on these; test on these, never seen in training."""
        data = self.run.data
        train = split_caption("Train on these", f"{data.n_train:,} labelled digits")
        with self.beat("train", f"We train it on {data.n_train:,} of them.") as beat:
            aside = self.grid.animate.scale(ASIDE).to_edge(LEFT, buff=0.4).shift(0.4 * DOWN)
            self.play(aside, run_time=beat.duration / 2)
            self.place_label(train, self.grid, UP, buff=0.4)
            self.play(FadeIn(train), run_time=beat.remaining(leave=0.3))
        test_images = self.digits["test_images"]
        spread = [len(test_images) * k // 24 for k in range(24)]
        test_labels = self.digits["test_labels"][spread]
        test_grid = digit_grid(test_images[spread], test_labels, 4, 6, height=CELL)
        test_grid.scale(ASIDE)  # the same size as the training grid beside it
        test_grid.to_edge(RIGHT, buff=0.5).align_to(self.grid, UP)
        test = split_caption("Test on these", f"{data.n_test:,} unseen digits")
        self.place_label(test, test_grid, UP, buff=0.4)  # level with the training split's
        self.say(
            "test",
            f"Then we test it on {data.n_test:,} digits it has never seen.",
            LaggedStart(FadeIn(test_grid), FadeIn(test), lag_ratio=0.4),
        )
        self.pause(2, "the viewer compares the two splits")
        self.splits = Group(self.grid, train, test_grid, test)

    def credit_source(self) -> None:
        """The MNIST database and its authors, then how many of its digits are used here."""
        data = self.run.data
        total = data.n_train + data.n_test
        subset = " (an embedded subset)" if data.source == "embedded" else ""
        name, authors, used = VGroup(
            body("MNIST database of handwritten digits"),
            caption("Yann LeCun, Corinna Cortes and Christopher J. C. Burges"),
            caption(f"{total:,} of its digits are used here{subset}"),
        ).arrange(DOWN, buff=0.3)
        with self.beat(
            "source",
            "The digits come from the MNIST database, "
            "put together by Yann LeCun, Corinna Cortes and Christopher Burges.",
        ) as beat:
            self.play(FadeOut(self.splits), run_time=1)
            self.play(FadeIn(name), run_time=0.8)
            self.play(FadeIn(authors), run_time=0.8)
            self.play(FadeIn(used), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the source and how many digits are used", at_least=1)
        self.play(FadeOut(VGroup(name, authors, used)))
