"""Segment 4, the cost of one example: the random network's junk beside a trained network's answer.

Everything is read or recomputed from the traces: the initial (snapshot 0) and final weights, a
real training digit and a real test digit, their outputs ``a``, the desired outputs ``y``, the
squared differences and their sums, and the average cost over the whole training split. The
sentences that judge the data ("utter trash", "confident and right", "worse than answering 0")
are built by the checks below, and the build refuses when the data disagrees.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    MathTex,
    MoveToTarget,
    ReplacementTransform,
    SurroundingRectangle,
    VGroup,
    Write,
    config,
)

from nn.network import one_hot
from nn.traces import load_digits, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.decimal_column import DecimalColumn
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for, inked_pixels
from scenes.toolkit.style import (
    BAD,
    CAPTION_SIZE,
    EDGE_BUFF,
    GOOD,
    MUTED,
    TEXT,
    body,
    caption,
    heading,
    label,
    number_text,
)

__all__ = [
    "CONFIDENT",
    "EXAMPLE",
    "CostOfOneExample",
    "answering_zero",
    "confident_sentence",
    "contrast_sentence",
    "cost_text",
    "example_cost_terms",
    "first_confident_example",
    "junk_sentence",
    "place_beside",
    "sure_of",
    "worse_than_zero_sentence",
]

EXAMPLE = 0
"""Which digit of the digits trace's training sample the random network reads."""
DRAWN_INPUTS = 8
"""Input neurons drawn: pixels with ink in the example, so that the input layer lights up."""
CARD_DIGIT = 1.2
"""Height (and width) of the digit on each card."""
CARD_GAP = 0.4
"""Room between a card's digit and its output neurons."""
CARD_MARGIN = 0.2
"""Extra room between a card and the frame's left or right edge, besides the title-safe margin."""
CONFIDENT = 0.9
"""A confident answer: at least this for the right digit, at most 1 less this for any other."""


@checks_the_data
def junk_sentence(output: np.ndarray, label: int) -> tuple[str, str]:
    """Utter trash: the guess is wrong and the answer is worse than answering 0 everywhere."""
    sentence = "...and what comes out is utter trash."
    desired = one_hot(np.array([label]), output.size)[0]
    cost, guess = float(((output - desired) ** 2).sum()), int(np.argmax(output))
    evidence = f"it guesses {guess} ({output[guess]:.2f}) for a {label}; cost {cost:.3f}"
    if guess == label or cost <= float((desired**2).sum()):
        raise refuse(sentence, evidence, "Pick an EXAMPLE the random network gets badly wrong.")
    return sentence, evidence


def sure_of(output: np.ndarray, digit: int) -> bool:
    """Whether ``output`` is a confident answer of ``digit``: high for it, low for every other."""
    return bool(output[digit] >= CONFIDENT and np.delete(output, digit).max() <= 1 - CONFIDENT)


@checks_the_data
def confident_sentence(output: np.ndarray, label: int) -> tuple[str, str]:
    """A confident right answer: the right digit's output high, every other output low."""
    sentence = f"Its answer is confident and right: near 1 for the {label}, near 0 for the rest."
    others = np.delete(output, label)
    evidence = f"output {output[label]:.3f} for the {label}, at most {others.max():.3f} elsewhere"
    if not sure_of(output, label):
        raise refuse(sentence, evidence, "Pick a test digit the trained network is sure of.")
    return sentence, evidence


@checks_the_data
def contrast_sentence(right_cost: float, junk_cost: float, zero_cost: float) -> tuple[str, str]:
    """The right answer's cost is tiny (under a tenth of answering 0), the junk's large (over)."""
    sentence = "So its cost is tiny, and the junk's is large: the cost says how bad an answer is."
    evidence = (
        f"right answer {right_cost:.5f}, junk {junk_cost:.3f}; answering 0 costs {zero_cost:g}"
    )
    if not right_cost < zero_cost / 10 < zero_cost < junk_cost:
        raise refuse(sentence, evidence, "Show a right answer far below answering 0, junk above.")
    return sentence, evidence


@checks_the_data
def worse_than_zero_sentence(average: float, zero_cost: float) -> tuple[str, str]:
    """The random network's average cost against a network that answers 0 for every digit."""
    sentence = "Worse than a network that answers 0 for every digit: that one costs exactly 1."
    evidence = f"average cost {average:.3f} at the start; answering 0 costs {zero_cost:g}"
    if average <= zero_cost:
        raise refuse(sentence, evidence, "The random start does better than answering 0.")
    return sentence, evidence


def first_confident_example(params, images: np.ndarray, labels: np.ndarray, digit: int) -> int:
    """The first of ``images`` showing ``digit`` that the network ``params`` is sure of."""
    for index in np.flatnonzero(labels == digit):
        if sure_of(activations_for(params, images[index])[-1], digit):
            return int(index)
    raise refuse(
        f"a confident right answer for a {digit}",
        f"the network is sure of none of the {int((labels == digit).sum())} test digits {digit}",
        "Train the network longer (make traces).",
    )


def answering_zero(desired: np.ndarray) -> float:
    """The cost of an output of all zeros against ``desired``: 1 for a one-hot ``y``."""
    return float((desired**2).sum())


def cost_text(value: float) -> str:
    """A cost as written on screen: three decimals, or two significant digits when smaller."""
    if value >= 0.001:
        return f"{value:.3f}"
    return np.format_float_positional(value, precision=2, fractional=False)


class CostOfOneExample(NarratedScene):
    """The untrained network's output for one digit, how bad it is, and a good answer beside it."""

    segment = "cost_of_one_example"

    def construct(self) -> None:
        """Feed a digit to the random network, add up its cost, set a trained answer beside it."""
        self.load_examples()
        self.show_random_network()
        self.name_the_output()
        self.show_desired_output()
        self.add_up_the_cost()
        self.set_a_trained_network_beside_it()
        self.compare_the_costs()
        self.average_over_the_training_split()
        self.react()
        self.say_what_the_cost_does_not_tell()

    def load_examples(self) -> None:
        """The random network's training digit, the trained network's test digit, their costs."""
        self.run = load_run("main")
        digits = load_digits()
        self.pixels = digits["train_images"][EXAMPLE]
        self.label = int(digits["train_labels"][EXAMPLE])
        self.terms = example_cost_terms(self.run.parameters(0), self.pixels, self.label)
        trained = self.run.parameters(-1)
        images, labels = digits["test_images"], digits["test_labels"]
        self.test_example = first_confident_example(trained, images, labels, self.label)
        self.test_pixels = images[self.test_example]
        self.trained_terms = example_cost_terms(trained, self.test_pixels, self.label)

    def show_random_network(self) -> None:
        """The network with its random initial weights, and the digit going in."""
        inputs = inked_pixels(self.pixels[None], DRAWN_INPUTS, "pick another EXAMPLE")
        self.network = NetworkDiagram(
            self.run.layer_sizes, inputs=inputs, layer_spacing=1.5, neuron_spacing=0.3, radius=0.1
        )
        self.network.show_weights(self.run.parameters(0)).to_edge(LEFT, buff=2.0)
        self.network.shift(0.2 * DOWN)
        self.digit = DigitImage(self.pixels, height=1.4).to_edge(LEFT, buff=0.3)
        self.digit.match_y(self.network)
        self.say(
            "random-start",
            "At the start, every weight and bias is random.",
            FadeIn(self.network),
            FadeIn(self.digit),
        )
        self.say(
            "feed-digit",
            f"Feed it a training image of a {self.label}...",
            self.network.forward_pass(self.terms["activations"]),
            leave=0.3,
        )

    def output_column(self, values: np.ndarray, decimals: int, name: str) -> DecimalColumn:
        """A column of ten values, one per output neuron, its rows as far apart as the neurons."""
        return DecimalColumn(
            values,
            edge_count=5,
            decimals=decimals,
            label=MathTex(name, color=TEXT),
            font_size=CAPTION_SIZE,
            row_height=self.network.neuron_gap(),
        )

    def name_the_output(self) -> None:
        """The ten real outputs, named ``a``, each beside its output neuron and its digit."""
        self.outputs = self.output_column(self.terms["output"], 2, "a")
        neurons = self.network.neurons[-1]
        self.outputs.set_x(0.9).shift((neurons[0].get_y() - self.outputs.numbers[0].get_y()) * UP)
        self.row_digits = VGroup()
        for digit, (number, neuron) in enumerate(zip(self.outputs.numbers, neurons, strict=True)):
            self.row_digits.add(label(str(digit)).next_to(number, LEFT, buff=0.5).match_y(number))
            self.link_label(VGroup(self.row_digits[-1], number), neuron, level=True)
        trash = caption("utter trash", color=BAD)
        trash.next_to(self.outputs, DOWN, buff=0.3)
        with self.beat("utter-trash", junk_sentence(self.terms["output"], self.label)) as beat:
            self.play(FadeIn(self.row_digits), FadeIn(self.outputs), run_time=1.2)
            self.play(Write(trash), run_time=beat.remaining(leave=0.3))
        with self.beat("name-a", "Call these ten outputs a: one for each digit, 0 to 9.") as beat:
            self.play(Indicate(self.outputs.label, color=TEXT), run_time=1.5)
            each_digit = LaggedStart(*(Indicate(d, color=TEXT) for d in self.row_digits))
            self.play(each_digit, run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the verdict on the random network's answer")
        self.trash = trash

    def show_desired_output(self) -> None:
        """What we want, named ``y``: 1 for the label's neuron, 0 for all others."""
        self.desired = self.output_column(self.terms["desired"], 2, "y")
        place_beside(self.desired, self.outputs)
        self.say(
            "desired",
            f"What we want, call it y: 1 for the {self.label}, 0 for every other digit.",
            FadeOut(self.trash),
            FadeIn(self.desired),
        )

    def add_up_the_cost(self) -> None:
        """The squared differences, written out with the real numbers, and their sum."""
        self.squares = self.output_column(self.terms["squares"], 3, "(a-y)^2")
        place_beside(self.squares, self.desired)
        self.say("square", "Square the difference of each pair...", FadeIn(self.squares))
        self.brace = Brace(self.squares, DOWN, color=MUTED, buff=0.1)
        self.sum_name = caption("cost of this one example:")
        self.cost_value = number_text(cost_text(self.terms["cost"]), color=BAD)
        total = VGroup(self.sum_name, self.cost_value).arrange(RIGHT, buff=0.2)
        total.next_to(self.brace, DOWN, buff=0.15).align_to(self.squares, RIGHT)
        with self.beat(
            "add-up", "...and add them up: that is the cost of this one example."
        ) as beat:
            self.play(FadeIn(self.brace), run_time=0.6)
            self.play(FadeIn(total), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer reads the squares and their sum", at_least=1.5)

    def set_a_trained_network_beside_it(self) -> None:
        """The random network's answer shrinks to a card; a trained network's answer joins it."""
        neurons = self.network.neurons[-1]
        kept = Group(neurons, self.row_digits, self.outputs, self.desired)
        kept.generate_target()
        left_edge = -config.frame_width / 2 + EDGE_BUFF + CARD_MARGIN
        digit_room = CARD_DIGIT + CARD_GAP  # the digit and its gap, left of the neurons
        kept.target.shift((left_edge + digit_room - neurons.get_left()[0]) * RIGHT)
        self.digit.generate_target()
        self.digit.target.scale_to_fit_height(CARD_DIGIT)
        self.digit.target.next_to(kept.target, LEFT, buff=CARD_GAP)
        self.random_cost = self.cost_line(self.terms["cost"], BAD, kept.target)
        self.random_title = caption("random network", color=MUTED)
        self.random_title.next_to(kept.target, UP, buff=0.3).align_to(self.digit.target, LEFT)
        self.play(
            FadeOut(Group(self.network.all_but_layer(-1), self.squares, self.brace, self.sum_name)),
            run_time=0.8,
        )
        self.play(
            MoveToTarget(kept),
            MoveToTarget(self.digit),
            ReplacementTransform(self.cost_value, self.random_cost[1]),
            FadeIn(self.random_cost[0]),
            FadeIn(self.random_title),
            run_time=1.2,
        )
        self.random_card = Group(kept, self.digit, self.random_cost, self.random_title)
        self.trained_card = self.trained_answer(kept)
        right_digit, right_title, right_rows, _ = self.trained_card
        self.say(
            "trained-network",
            f"Now the same network after training, on a test digit it never saw: another "
            f"{self.label}.",
            LaggedStart(FadeIn(right_title), FadeIn(right_digit), lag_ratio=0.5),
        )
        with self.beat(
            "confident", confident_sentence(self.trained_terms["output"], self.label)
        ) as beat:
            self.play(FadeIn(right_rows), run_time=beat.remaining(leave=0.5))

    def trained_answer(self, random_rows: Group) -> Group:
        """The trained network's card: its digit, title, lit output neurons with ``a`` and ``y``.

        Built from the random network's rows moved to the right half, with the trained outputs.
        """
        neurons, digits, outputs, desired = random_rows
        right_edge = config.frame_width / 2 - EDGE_BUFF - CARD_MARGIN
        shift = (right_edge - desired.get_right()[0]) * RIGHT
        lit = neurons.copy().shift(shift)
        for neuron, value in zip(lit, self.trained_terms["output"], strict=True):
            neuron.set_fill(opacity=float(value))
        answers = self.output_column(self.trained_terms["output"], 2, "a")
        answers.align_to(outputs, LEFT).shift(shift)
        answers.shift((lit[0].get_y() - answers.numbers[0].get_y()) * UP)
        row_digits = digits.copy().shift(shift)
        for digit, number, neuron in zip(row_digits, answers.numbers, lit, strict=True):
            self.link_label(VGroup(digit, number), neuron, level=True)
        rows = Group(lit, row_digits, answers, desired.copy().shift(shift))
        digit = DigitImage(self.test_pixels, height=self.digit.height)
        digit.move_to(self.digit).shift(shift)
        title = caption("trained network", color=MUTED)
        title.move_to(self.random_title).shift(shift).align_to(digit, LEFT)
        cost = self.cost_line(self.trained_terms["cost"], GOOD, rows)
        self.trained_outputs = answers
        card = Group(digit, title, rows, cost)
        return card.shift(min(right_edge - card.get_right()[0], 0) * RIGHT)

    def cost_line(self, value: float, colour: str, rows: Group) -> VGroup:
        """The word cost and its value, under the ``a`` and ``y`` columns of ``rows``."""
        line = VGroup(caption("cost"), number_text(cost_text(value), color=colour))
        line.arrange(RIGHT, buff=0.2).next_to(rows, DOWN, buff=0.35)
        return line.set_x(Group(rows[2], rows[3]).get_x())

    def compare_the_costs(self) -> None:
        """Each card's cost, the right answer's tiny, the junk's large."""
        right_cost = self.trained_card[3]
        zero_cost = answering_zero(self.terms["desired"])
        sentence = contrast_sentence(self.trained_terms["cost"], self.terms["cost"], zero_cost)
        with self.beat("small-and-large", sentence) as beat:
            self.play(FadeIn(right_cost), run_time=1)
            self.wait_for_phrase(beat, -1)
            frames = VGroup(*(self.frame_around(line) for line in (self.random_cost, right_cost)))
            self.play(FadeIn(frames), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer compares the two answers and their costs", at_least=1.5)
        self.play(FadeOut(Group(self.random_card, self.trained_card, frames)), run_time=0.8)

    @staticmethod
    def frame_around(line: VGroup) -> SurroundingRectangle:
        """A frame around a cost line, in its number's colour."""
        return SurroundingRectangle(line, color=line[1].get_color(), buff=0.15)

    def average_over_the_training_split(self) -> None:
        """The average cost over every training example, from the trace."""
        n_train = self.run.data.n_train
        average = VGroup(
            body(f"Average cost over all {n_train:,} training examples"),
            heading(cost_text(float(self.run["train_cost"][0])), color=BAD),
        ).arrange(DOWN, buff=0.35)
        title, value = average
        with self.beat(
            "average",
            f"Do this for all {n_train:,} training examples and take the average: "
            "that is the cost of the network.",
        ) as beat:
            self.play(FadeIn(title), run_time=max(beat.phrase_start(1), 0.5))
            self.play(FadeIn(value, scale=1.2), run_time=beat.remaining(leave=0.5))
        self.pause_to_read("the viewer takes in how large the average cost is", at_least=1.5)
        self.average = average

    def react(self) -> None:
        """A small reaction to how bad that is, measured against answering 0 for every digit."""
        awful = heading("Awful!", color=BAD).next_to(self.average, DOWN, buff=0.6)
        self.say("awful", "Awful!", FadeIn(awful, scale=1.3), leave=0.3)
        zero_cost = answering_zero(self.terms["desired"])
        sentence = worse_than_zero_sentence(float(self.run["train_cost"][0]), zero_cost)
        zero = caption(f"answering 0 for every digit: cost {zero_cost:g}")
        zero.next_to(awful, DOWN, buff=0.4)
        self.say("worse-than-zero", sentence, FadeIn(zero))
        self.pause_to_read("the viewer compares the average with answering 0")
        better = body("But we can do better! Growth mindset!").next_to(zero, DOWN, buff=0.5)
        self.say("growth-mindset", "But we can do better! Growth mindset!", FadeIn(better))
        self.pause_to_read("the viewer reads the slogan", at_least=1.5)
        self.play(FadeOut(VGroup(self.average, awful, zero, better)))

    def say_what_the_cost_does_not_tell(self) -> None:
        """The cost says how bad; learning needs to know how to change."""
        how_bad = body("The cost says how bad.")
        how_to_change = body("Learning needs to know how to change.")
        lines = VGroup(how_bad, how_to_change).arrange(DOWN, buff=0.5)
        self.say(
            "how-bad",
            "The cost tells the network how bad it is. It does not yet say what to change.",
            FadeIn(how_bad),
        )
        self.say(
            "how-to-change",
            "To learn, the network needs to know how to change its weights and biases.",
            FadeIn(how_to_change),
        )
        self.pause_to_read("the viewer takes in what learning needs", at_least=1.5)
        self.play(FadeOut(lines))


def place_beside(column: DecimalColumn, left: DecimalColumn, buff: float = 0.6) -> None:
    """Put ``column`` right of ``left`` with their rows of numbers on the same lines."""
    column.next_to(left, RIGHT, buff=buff)
    column.shift((left.numbers[0].get_y() - column.numbers[0].get_y()) * UP)


def example_cost_terms(params, pixels: np.ndarray, label: int) -> dict:
    """Activations, outputs ``a``, desired ``y``, squares ``(a - y)^2`` and their sum."""
    activations = activations_for(params, pixels)
    output = activations[-1]
    desired = one_hot(np.array([label]), output.size)[0]
    squares = (output - desired) ** 2
    return {
        "activations": activations,
        "output": output,
        "desired": desired,
        "squares": squares,
        "cost": float(squares.sum()),
    }
