"""Segment 2, recap: the trained 784-16-16-10 network reads real test digits.

Edges show the trained weights, with a key to their colours; every weight and bias is one of
the knobs. The input neurons drawn are pixels that carry ink in every digit shown, so the input
layer lights up too. A test digit goes in, each layer lights up with its real activations, and
the brightest output neuron is the guess, marked by the anchored "Guess". The segment ends on the
hope that the hidden layers pick up pieces of digits, which the weight heatmaps answer.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    VGroup,
    Write,
)

from nn.network import network_input, parameter_count, predict
from nn.traces import load_digits, load_run
from scenes.toolkit.claims import checks_the_data, refuse
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.narration import NarratedScene
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for, inked_pixels
from scenes.toolkit.style import (
    EDGE_BUFF,
    NEGATIVE,
    POSITIVE,
    TEXT,
    caption,
    label,
)

__all__ = ["DIGITS_SHOWN", "DRAWN_INPUTS", "Recap", "question_sentence", "spread_positions"]

DIGITS_SHOWN = 3
DRAWN_INPUTS = 8
"""Input neurons drawn: the pixels with the most ink in every digit shown."""


def spread_positions(size: int, count: int) -> list[int]:
    """``count`` positions evenly spread over a split of ``size`` digits, ends excluded.

    The test split is ordered by dataset row, so spread positions show different digits.
    """
    return [int(p) for p in np.linspace(0, size - 1, count + 2)[1:-1]]


@checks_the_data
def question_sentence(test_accuracy: float) -> tuple[str, str]:
    """The chapter's question, which takes for granted that the trained weights work."""
    sentence = "How did it find weights that work? That is this chapter."
    evidence = f"{test_accuracy:.1%} of the test digits right"
    if test_accuracy <= 0.5:
        raise refuse(sentence, evidence, "Train until most test digits are right (make traces).")
    return sentence, evidence


class Recap(NarratedScene):
    """The network of chapter 1, trained, reading real test digits."""

    segment = "recap"

    def construct(self) -> None:
        """Draw the network, count its parameters, then run real digits through it."""
        self.load_data()
        self.show_network()
        self.count_parameters()
        self.read_digits()
        self.hope_for_the_hidden_layers()
        self.ask_how_it_learned()

    def load_data(self) -> None:
        """The trained parameters and the test digits with the network's real guesses."""
        self.run = load_run("main")
        self.params = self.run.parameters(-1)
        digits = load_digits()
        self.test_images = digits["test_images"]
        self.test_labels = digits["test_labels"]
        self.examples = spread_positions(len(self.test_images), DIGITS_SHOWN)
        self.guesses = {
            p: int(predict(self.params, network_input(self.test_images[p]))[0])
            for p in self.examples
        }
        self.digit: Group | None = None

    def show_network(self) -> None:
        """Columns of neurons, then the edges coloured by the trained weights."""
        self.inputs = inked_pixels(
            self.test_images[self.examples], DRAWN_INPUTS, "show other digits (DIGITS_SHOWN)"
        )
        self.network = NetworkDiagram(self.run.layer_sizes, inputs=self.inputs)
        self.network.show_weights(self.params)
        self.network.shift(0.6 * LEFT)
        self.labels = self.network.output_labels()
        self.say(
            "network",
            "Last chapter: a network that reads handwritten digits.",
            LaggedStart(*(FadeIn(c) for c in self.network.neurons), lag_ratio=0.3),
            FadeIn(self.network.input_dots),
            FadeIn(self.labels),
        )
        sizes = self.run.layer_sizes
        drawn = f"{sizes[0]} inputs\n{len(self.inputs)} drawn:\ninked pixels"
        names = [drawn, *(f"{n} neurons" for n in sizes[1:-1])]
        names.append(f"{sizes[-1]} outputs")
        self.captions = VGroup(
            *(self.network.layer_caption(layer, name) for layer, name in enumerate(names))
        )
        with self.beat(
            "layers",
            f"{sizes[0]} inputs, one per pixel, two hidden layers of {sizes[1]}, "
            f"and {sizes[-1]} outputs, one per digit.",
        ) as beat:  # each layer's caption appears as the voice reaches it
            captions = LaggedStart(*(FadeIn(c) for c in self.captions), lag_ratio=0.7)
            self.play(captions, run_time=0.8 * beat.duration)
        with self.beat(
            "edges", "Every edge is a weight: blue for positive, red for negative."
        ) as beat:
            edges = LaggedStart(*(Create(e) for e in self.network.edges), lag_ratio=0.4)
            self.key = self.edge_key()
            self.play(FadeIn(self.key), run_time=0.6)
            self.play(edges, run_time=max(2, beat.remaining(leave=0.5)))
        self.bring_to_front(*self.network.neurons)

    def count_parameters(self) -> None:
        """How many weights and biases, computed from the layer sizes."""
        sizes = self.run.layer_sizes
        weights = " + ".join(f"{a}\N{MULTIPLICATION SIGN}{b}" for a, b in pairwise(sizes))
        biases = " + ".join(str(n) for n in sizes[1:])
        total = parameter_count(sizes)
        count = caption(f"{weights} weights + {biases} biases = {total:,}", color=TEXT)
        count.to_edge(DOWN, buff=EDGE_BUFF)
        self.pause_to_read("the viewer reads the key to the edges' colours")
        self.play(FadeOut(self.captions), FadeOut(self.key), run_time=0.5)
        self.say(
            "count",
            f"In all, {total:,} weights and biases: the knobs that learning turns.",
            Write(count),
            leave=1.9,  # the count stands still for the last words: reading time
        )
        self.pause_to_read("the viewer reads how the count is made up", at_least=1.5)
        self.play(FadeOut(count))

    def read_digits(self) -> None:
        """Real test digits go in; the layers light up; the guess is marked."""
        first, *others = self.examples
        with self.beat("test-digit", "A test digit the network never trained on."):
            self.play(*self.show_digit(first))
        with self.beat("forward-pass", "Each layer lights up with its real activations."):
            self.play(self.network.forward_pass(self.activations(first)), run_time=2.5)
        self.marker = GuessMarker(self.guess_row(first))
        self.anchor(self.marker, name="Guess", edge=LEFT, axes="x")
        with self.beat("guess", "The brightest output neuron is the network's guess."):
            self.play(FadeIn(self.marker))
        with self.silence("two more test digits go through; the guess follows each"):
            for position in others:
                self.wait(1)
                self.play(*self.show_digit(position), self.network.darken())
                self.play(self.network.forward_pass(self.activations(position)), run_time=2.5)
                self.play(self.marker.move_to_row(self.guess_row(position)))

    def edge_key(self) -> VGroup:
        """What the edges' colours mean, beside the network."""
        key = VGroup(
            label("blue edge: positive weight", color=POSITIVE),
            label("red edge: negative weight", color=NEGATIVE),
            label("brighter: larger"),
        )
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return key.to_corner(UP + RIGHT, buff=EDGE_BUFF)

    def hope_for_the_hidden_layers(self) -> None:
        """The hope of chapter 1: hidden neurons that pick up edges, loops, pieces of digits."""
        hidden = VGroup(*self.network.neurons[1:-1])
        hope = label("edges? loops? pieces of digits?", color=TEXT)  # the guess's colour is taken
        self.link_label(hope.next_to(hidden, UP, buff=0.15), hidden)
        with self.beat(
            "hope",
            "We hoped the hidden layers would pick up edges, loops and other pieces of digits. "
            "Later, we look at what they really learned.",
        ) as beat:
            self.play(FadeIn(hope), run_time=1)
            self.play(Circumscribe(hidden, color=TEXT), run_time=beat.remaining(leave=0.5))
        self.hope = hope

    def ask_how_it_learned(self) -> None:
        """The question this chapter answers."""
        self.say(
            "question",
            question_sentence(self.run.final.test_accuracy),
            FadeOut(self.digit),
            FadeOut(self.marker),
            FadeOut(self.hope),
            self.network.darken(),
        )

    def activations(self, position: int) -> list[np.ndarray]:
        """The real activations of every layer for test digit ``position``."""
        return activations_for(self.params, self.test_images[position])

    def guess_row(self, position: int) -> VGroup:
        """The guessed output neuron of test digit ``position`` with its digit label."""
        guess = self.guesses[position]
        return VGroup(self.network.neurons[-1][guess], self.labels[guess])

    def show_digit(self, position: int) -> list:
        """Animations that bring in test digit ``position`` with its label (and drop the last)."""
        image = DigitImage(self.test_images[position], height=2.2).to_edge(LEFT, buff=0.5)
        label = self.place_label(
            caption(f"labelled {self.test_labels[position]}"), image, DOWN, buff=0.25
        )
        entering = [FadeIn(image), FadeIn(label)]
        if self.digit is not None:
            entering.append(FadeOut(self.digit))
        self.digit = Group(image, label)
        return entering
