"""Where one weight or bias lives, and the ways the video names it.

A parameter has four names here: its index in :meth:`nn.network.Parameters.flatten` (``W1, b1,
W2, b2, ...``, each ``W`` row by row), its layer and place (``W`` is ``[n_out, n_in]``: the row
is the receiving neuron, the column the sending one), its short label ``"W2[3, 11]"`` or
``"b3[7]"``, and words: those shown on screen and those the narrator says.
:class:`ParameterAddress` converts between them for a network of given layer sizes.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nn.network import parameter_count

__all__ = ["IMAGE_WIDTH", "ParameterAddress"]

IMAGE_WIDTH = 28
"""Pixels in one row of a digit image: input neuron ``i`` is the pixel ``divmod(i, 28)``."""

_PLACE = r"0|[1-9]\d*"
_LABEL = re.compile(
    rf"W(?P<weight_layer>{_PLACE})\[(?P<row>{_PLACE}), (?P<column>{_PLACE})\]"
    rf"|b(?P<bias_layer>{_PLACE})\[(?P<entry>{_PLACE})\]"
)


def _network_name(layer_sizes: Sequence[int]) -> str:
    """``"784-16-16-10"``: a network's layer sizes as one short word for messages."""
    return "-".join(str(size) for size in layer_sizes)


@dataclass(frozen=True)
class ParameterAddress:
    """One weight ``W{layer}[row, column]`` or bias ``b{layer}[row]`` of a network.

    ``layer`` counts from 1, as in ``W1``. ``row`` is the receiving neuron in that layer and
    ``column`` the sending neuron in the layer before it (``None`` for a bias); both count
    from 0. Building an address outside the network raises ``ValueError``.
    """

    layer_sizes: tuple[int, ...]
    layer: int
    row: int
    column: int | None = None

    def __post_init__(self) -> None:
        """Hold plain ints and refuse a place the network does not have."""
        sizes = tuple(operator.index(size) for size in self.layer_sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"a network needs at least two layers of positive size, got {sizes}")
        object.__setattr__(self, "layer_sizes", sizes)
        for name in ("layer", "row", "column"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, operator.index(value))
        layers = len(sizes) - 1
        if not 1 <= self.layer <= layers:
            raise ValueError(
                f"layer {self.layer} is not in a {_network_name(sizes)} network, "
                f"whose layers are 1 to {layers}"
            )
        n_in, n_out = sizes[self.layer - 1], sizes[self.layer]
        tensor = f"{'b' if self.is_bias else 'W'}{self.layer}"
        if not 0 <= self.row < n_out:
            raise ValueError(f"{tensor} has rows 0 to {n_out - 1}, not row {self.row}")
        if self.column is not None and not 0 <= self.column < n_in:
            raise ValueError(f"{tensor} has columns 0 to {n_in - 1}, not column {self.column}")

    @classmethod
    def weight(
        cls, layer: int, row: int, column: int, layer_sizes: Sequence[int]
    ) -> ParameterAddress:
        """The weight ``W{layer}[row, column]``: from neuron ``column`` to neuron ``row``."""
        return cls(tuple(layer_sizes), layer, row, column)

    @classmethod
    def bias(cls, layer: int, row: int, layer_sizes: Sequence[int]) -> ParameterAddress:
        """The bias ``b{layer}[row]`` of neuron ``row`` in ``layer``."""
        return cls(tuple(layer_sizes), layer, row)

    @classmethod
    def from_sweep_weight(
        cls, sweep_weight: Iterable[int], layer_sizes: Sequence[int]
    ) -> ParameterAddress:
        """The weight the sweep trace stores as ``(layer counted from 0, row, column)``."""
        place = tuple(sweep_weight)
        if len(place) != 3:
            raise ValueError(f"a sweep weight is (layer from 0, row, column), got {place}")
        layer_from_0, row, column = place
        return cls.weight(operator.index(layer_from_0) + 1, row, column, layer_sizes)

    @classmethod
    def from_flat_index(cls, index: int, layer_sizes: Sequence[int]) -> ParameterAddress:
        """The parameter at ``index`` of the flattened parameters; ``IndexError`` past the end."""
        index = operator.index(index)
        sizes = tuple(layer_sizes)
        if index < 0:
            raise IndexError(f"flat index {index} is negative: flat indices count from 0")
        offset = 0
        for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
            if index < offset + n_in * n_out:
                row, column = divmod(index - offset, n_in)
                return cls.weight(layer, row, column, sizes)
            offset += n_in * n_out
            if index < offset + n_out:
                return cls.bias(layer, index - offset, sizes)
            offset += n_out
        raise IndexError(
            f"flat index {index} is past the {offset:,} parameters "
            f"of a {_network_name(sizes)} network"
        )

    @classmethod
    def parse(cls, label: str, layer_sizes: Sequence[int]) -> ParameterAddress:
        """The parameter a label such as ``"W2[3, 11]"`` or ``"b3[7]"`` names.

        Raises ``ValueError`` for text of another shape or a place the network does not have.
        """
        match = _LABEL.fullmatch(label)
        if match is None:
            raise ValueError(f"{label!r} is not a parameter label such as 'W2[3, 11]' or 'b3[7]'")
        try:
            if match["weight_layer"] is None:
                return cls.bias(int(match["bias_layer"]), int(match["entry"]), layer_sizes)
            layer, row, column = (int(match[part]) for part in ("weight_layer", "row", "column"))
            return cls.weight(layer, row, column, layer_sizes)
        except ValueError as error:
            raise ValueError(f"{label!r}: {error}") from None

    @property
    def is_bias(self) -> bool:
        """Whether this is a bias (else a weight)."""
        return self.column is None

    @property
    def is_output(self) -> bool:
        """Whether the receiving neuron is an output neuron (the last layer)."""
        return self.layer == len(self.layer_sizes) - 1

    @property
    def flat_index(self) -> int:
        """Position in :meth:`nn.network.Parameters.flatten`."""
        offset = parameter_count(self.layer_sizes[: self.layer])
        n_in, n_out = self.layer_sizes[self.layer - 1], self.layer_sizes[self.layer]
        if self.column is None:
            return offset + n_in * n_out + self.row
        return offset + self.row * n_in + self.column

    @property
    def label(self) -> str:
        """The short label: ``"W2[3, 11]"`` or ``"b3[7]"``."""
        if self.column is None:
            return f"b{self.layer}[{self.row}]"
        return f"W{self.layer}[{self.row}, {self.column}]"

    @property
    def screen_words(self) -> str:
        """What it connects, as shown on screen: ``"weight from layer-1 neuron 5 to ..."``."""
        receiving = (
            f"the output for {self.row}"
            if self.is_output
            else f"layer-{self.layer} neuron {self.row}"
        )
        if self.column is None:
            return f"bias of {receiving}"
        sending = (
            f"pixel {divmod(self.column, IMAGE_WIDTH)}"
            if self.layer == 1
            else f"layer-{self.layer - 1} neuron {self.column}"
        )
        return f"weight from {sending} to {receiving}"

    @property
    def spoken_words(self) -> str:
        """What it connects, for the narrator: ``"the bias of output neuron 8"``."""
        receiving = (
            f"output neuron {self.row}"
            if self.is_output
            else f"neuron {self.row} of layer {self.layer}"
        )
        if self.column is None:
            return f"the bias of {receiving}"
        if self.layer == 1:
            pixel_row, pixel_column = divmod(self.column, IMAGE_WIDTH)
            sending = f"the pixel in row {pixel_row}, column {pixel_column}"
        else:
            sending = f"neuron {self.column} of layer {self.layer - 1}"
        return f"the weight from {sending} to {receiving}"
