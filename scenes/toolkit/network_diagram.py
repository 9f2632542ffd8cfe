"""The 784-16-16-10 network as columns of neurons joined by edges, drawn from real traces.

The input column shows its first and last few neurons with vertical dots between them, or the
pixels that carry ink in the digits shown (:func:`inked_pixels`). Edges
take their colour from the sign of the real weight and their width and opacity from its size;
neurons are filled by their real activation. :meth:`NetworkDiagram.forward_pass` lights the
layers one after another.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    Animation,
    AnimationGroup,
    Circle,
    Line,
    MathTex,
    Succession,
    Text,
    VGroup,
)

from nn.errors import UserError
from nn.network import Parameters, forward, network_input
from scenes.toolkit.decimal_column import shown_indices
from scenes.toolkit.style import FONT, MUTED, NEURON_FILL, NEURON_STROKE, TEXT, sign_color

__all__ = ["INKED", "NetworkDiagram", "activations_for", "inked_pixels"]

INKED = 0.5
"""Least intensity (0 to 1) of a drawn input pixel in each digit shown: it lights up for each."""


def inked_pixels(images: np.ndarray, count: int, fix: str) -> list[int]:
    """The ``count`` pixels with the most ink in every one of ``images``, in reading order.

    The input neurons to draw, so that the input layer lights up for each digit shown.
    Refused, with ``fix``, when fewer than ``count`` pixels carry ink (over :data:`INKED`) in
    all of them.
    """
    least = (np.stack([image.reshape(-1) for image in images]) / 255).min(axis=0)
    best = np.argsort(-least, kind="stable")[:count]
    if least[best].min() <= INKED:
        raise UserError(
            f"the digits shown share {int((least > INKED).sum())} inked pixels, fewer than the "
            f"{count} input neurons drawn: {fix}"
        )
    return sorted(int(i) for i in best)


def activations_for(params: Parameters, pixels: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations for one 28x28 digit, input (intensities in [0, 1]) first."""
    return [a[0] for a in forward(params, network_input(pixels))]


class NetworkDiagram(VGroup):
    """Columns of neurons and the edges between them.

    Parameters
    ----------
    layer_sizes
        Sizes of all layers, input first.
    input_edge
        How many input neurons to draw at the top and at the bottom of the input column.
    inputs
        Which input neurons (pixels) to draw, in order, instead of the first and last
        ``input_edge``: half above the dots, half below.
    neuron_spacing
        Vertical distance between neighbouring neurons.
    layer_spacing
        Horizontal distance between columns.
    radius
        Radius of a neuron.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int] = (784, 16, 16, 10),
        *,
        input_edge: int = 4,
        inputs: Sequence[int] | None = None,
        neuron_spacing: float = 0.38,
        layer_spacing: float = 2.2,
        radius: float = 0.13,
    ) -> None:
        super().__init__()
        self.layer_sizes = tuple(layer_sizes)
        self.rows: list[list[int]] = []
        self.neurons: list[VGroup] = []
        self.input_dots = None
        for layer, size in enumerate(self.layer_sizes):
            rows, dotted = (
                shown_indices(size, input_edge) if layer == 0 else (list(range(size)), False)
            )
            if layer == 0 and inputs is not None:
                rows, dotted, input_edge = [int(i) for i in inputs], True, len(inputs) // 2
            slots = len(rows) + (1 if dotted else 0)
            column = VGroup()
            slot = 0
            for position, _ in enumerate(rows):
                if dotted and position == input_edge:
                    self.input_dots = MathTex(r"\vdots", color=MUTED, font_size=40).move_to(
                        [layer * layer_spacing, (slots / 2 - slot - 0.5) * neuron_spacing, 0]
                    )
                    slot += 1
                y = (slots / 2 - slot - 0.5) * neuron_spacing
                neuron = Circle(radius, stroke_color=NEURON_STROKE, stroke_width=1.5)
                neuron.set_fill(NEURON_FILL, opacity=0.0)
                column.add(neuron.move_to([layer * layer_spacing, y, 0]))
                slot += 1
            self.rows.append(rows)
            self.neurons.append(column)
        self.edges: list[VGroup] = []
        for layer in range(len(self.layer_sizes) - 1):
            edges = VGroup()
            for right in self.neurons[layer + 1]:
                for left in self.neurons[layer]:
                    edges.add(
                        Line(
                            left.get_right(),
                            right.get_left(),
                            stroke_width=1,
                            stroke_color=MUTED,
                            stroke_opacity=0.35,
                        )
                    )
            self.edges.append(edges)
        self.add(*self.edges, *self.neurons)
        if self.input_dots is not None:
            self.add(self.input_dots)
        self.center()

    def edge(self, layer: int, to_row: int, from_row: int) -> Line:
        """The edge from drawn neuron ``from_row`` of ``layer`` to ``to_row`` of the next layer."""
        return self.edges[layer][to_row * len(self.rows[layer]) + from_row]

    def show_weights(self, params: Parameters) -> NetworkDiagram:
        """Colour every edge by its weight's sign; width and opacity by its size (per layer)."""
        for layer, weights in enumerate(params.weights):
            scale = float(np.abs(weights).max()) or 1.0
            for j, to_index in enumerate(self.rows[layer + 1]):
                for i, from_index in enumerate(self.rows[layer]):
                    w = float(weights[to_index, from_index])
                    strength = abs(w) / scale
                    self.edge(layer, j, i).set_stroke(
                        color=sign_color(w), width=0.3 + 2.7 * strength,
                        opacity=0.15 + 0.85 * strength,
                    )  # fmt: skip
        return self

    def light_layer(self, layer: int, values: np.ndarray) -> AnimationGroup:
        """Animate the neurons of ``layer`` to the brightness of ``values``."""
        return AnimationGroup(*(
            neuron.animate.set_fill(NEURON_FILL, opacity=float(values[index]))
            for neuron, index in zip(self.neurons[layer], self.rows[layer], strict=True)
        ))  # fmt: skip

    def forward_pass(self, activations: Sequence[np.ndarray]) -> Succession:
        """Light the layers one after another with a real forward pass's activations."""
        return Succession(*(
            self.light_layer(layer, values) for layer, values in enumerate(activations)
        ))  # fmt: skip

    def darken(self) -> Animation:
        """Animate every neuron back to dark."""
        return AnimationGroup(*(
            neuron.animate.set_fill(NEURON_FILL, opacity=0.0)
            for column in self.neurons for neuron in column
        ))  # fmt: skip

    def all_but_layer(self, layer: int = -1) -> VGroup:
        """Everything drawn except the neurons of ``layer``: to fade the rest and keep those."""
        kept = self.neurons[layer]
        return VGroup(*(part for part in self.submobjects if part is not kept))

    def neuron_gap(self, layer: int = -1) -> float:
        """Distance between the centres of neighbouring neurons of ``layer``, as drawn now."""
        column = self.neurons[layer]
        return float(abs(column[0].get_y() - column[1].get_y()))

    def output_labels(self, font_size: float = 24) -> VGroup:
        """The digits 0 to 9 to the right of the output neurons."""
        return VGroup(*(
            Text(str(digit), font=FONT, font_size=font_size, color=TEXT).next_to(
                neuron, RIGHT, buff=0.2)
            for digit, neuron in enumerate(self.neurons[-1])
        ))  # fmt: skip

    def layer_caption(self, layer: int, text: str, font_size: float = 20) -> Text:
        """A small caption under column ``layer``."""
        caption = Text(text, font=FONT, font_size=font_size, color=MUTED)
        return caption.next_to(self.neurons[layer], DOWN, buff=0.3)
