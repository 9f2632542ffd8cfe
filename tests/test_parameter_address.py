"""A parameter's address: flat index, layer and place, label, and the words for it."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from nn.network import Parameters, parameter_count, unflatten
from nn.parameter_address import ParameterAddress

VIDEO = (784, 16, 16, 10)
NETWORKS = [VIDEO, (5, 3, 2)]


def every_place(sizes: tuple[int, ...]) -> list[ParameterAddress]:
    """Every weight and bias, built from its layer and place (not from a flat index)."""
    places = []
    for layer in range(1, len(sizes)):
        n_in, n_out = sizes[layer - 1], sizes[layer]
        places += [
            ParameterAddress.weight(layer, r, c, sizes) for r in range(n_out) for c in range(n_in)
        ]
        places += [ParameterAddress.bias(layer, r, sizes) for r in range(n_out)]
    return places


@pytest.mark.parametrize("sizes", NETWORKS)
def test_every_flat_index_round_trips_through_its_address_and_label(sizes):
    count = parameter_count(sizes)
    addresses = [ParameterAddress.from_flat_index(i, sizes) for i in range(count)]
    assert [a.flat_index for a in addresses] == list(range(count))
    assert [ParameterAddress.parse(a.label, sizes) for a in addresses] == addresses
    assert len({a.label for a in addresses}) == count
    assert set(addresses) == set(every_place(sizes))


@pytest.mark.parametrize("sizes", NETWORKS)
def test_flat_index_is_where_flatten_puts_each_weight_and_bias(sizes):
    def code(layer: int, row: int, column: int) -> float:
        """A value unique to one place: a bias is column -1."""
        return layer * 1e6 + row * 1e3 + column

    weights = [
        np.array([[code(layer, r, c) for c in range(n_in)] for r in range(n_out)])
        for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1)
    ]
    biases = [
        np.array([code(layer, r, -1) for r in range(n_out)])
        for layer, n_out in enumerate(sizes[1:], start=1)
    ]
    flat = Parameters(weights, biases).flatten()
    for place in every_place(sizes):
        column = -1 if place.column is None else place.column
        assert flat[place.flat_index] == code(place.layer, place.row, column), place.label


@pytest.mark.parametrize("sizes", NETWORKS)
def test_unflatten_reads_each_flat_index_back_at_its_place(sizes):
    params = unflatten(np.arange(parameter_count(sizes), dtype=np.float64), sizes)
    for place in every_place(sizes):
        tensor = params.biases if place.is_bias else params.weights
        where = (place.row,) if place.is_bias else (place.row, place.column)
        assert tensor[place.layer - 1][where] == place.flat_index, place.label


def test_the_sweep_traces_weight_counts_its_layer_from_0():
    sizes = (5, 3, 2)
    params = unflatten(np.arange(parameter_count(sizes), dtype=np.float64), sizes)
    for layer_from_0, weight in enumerate(params.weights):
        for (row, column), value in np.ndenumerate(weight):
            place = ParameterAddress.from_sweep_weight(np.array([layer_from_0, row, column]), sizes)
            assert place == ParameterAddress.weight(layer_from_0 + 1, row, column, sizes)
            assert place.flat_index == value


@pytest.mark.parametrize(
    ("address", "flat_index", "label", "on_screen", "spoken"),
    [
        (ParameterAddress.weight(1, 3, 12 * 28 + 14, VIDEO), 3 * 784 + 350, "W1[3, 350]",
         "weight from pixel (12, 14) to layer-1 neuron 3",
         "the weight from the pixel in row 12, column 14 to neuron 3 of layer 1"),
        (ParameterAddress.bias(1, 4, VIDEO), 784 * 16 + 4, "b1[4]",
         "bias of layer-1 neuron 4", "the bias of neuron 4 of layer 1"),
        (ParameterAddress.weight(2, 10, 5, VIDEO), 784 * 16 + 16 + 10 * 16 + 5, "W2[10, 5]",
         "weight from layer-1 neuron 5 to layer-2 neuron 10",
         "the weight from neuron 5 of layer 1 to neuron 10 of layer 2"),
        (ParameterAddress.weight(3, 7, 15, VIDEO), 13002 - 10 - 160 + 7 * 16 + 15, "W3[7, 15]",
         "weight from layer-2 neuron 15 to the output for 7",
         "the weight from neuron 15 of layer 2 to output neuron 7"),
        (ParameterAddress.bias(3, 8, VIDEO), 13000, "b3[8]",
         "bias of the output for 8", "the bias of output neuron 8"),
        (ParameterAddress.weight(1, 1, 4, (5, 3, 2)), 9, "W1[1, 4]",
         "weight from pixel (0, 4) to layer-1 neuron 1",
         "the weight from the pixel in row 0, column 4 to neuron 1 of layer 1"),
        (ParameterAddress.weight(1, 9, 783, (784, 10)), 9 * 784 + 783, "W1[9, 783]",
         "weight from pixel (27, 27) to the output for 9",
         "the weight from the pixel in row 27, column 27 to output neuron 9"),
    ],
)  # fmt: skip
def test_pinned_labels_and_words(address, flat_index, label, on_screen, spoken):
    assert address.flat_index == flat_index
    assert address.label == label
    assert address.screen_words == on_screen
    assert address.spoken_words == spoken
    assert ParameterAddress.from_flat_index(flat_index, address.layer_sizes) == address


def test_numpy_integers_give_the_same_words_as_python_ones():
    from_trace = ParameterAddress.from_sweep_weight(np.array([0, 3, 350], dtype=np.int32), VIDEO)
    from_argmax = ParameterAddress.from_flat_index(np.int64(3 * 784 + 350), VIDEO)
    for place in (from_trace, from_argmax):
        assert place.screen_words == "weight from pixel (12, 14) to layer-1 neuron 3"
        assert place.label == "W1[3, 350]"
        assert type(place.row) is int and type(place.column) is int


def test_an_address_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ParameterAddress.bias(1, 0, VIDEO).row = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "label",
    ["", "W2", "w2[3, 11]", "W2[3]", "b3[7, 1]", "W2[3,11]", "W2[3, 11] ", " b3[7]", "W2[-1, 3]",
     "W2[03, 11]", "B3[7]", "W2[3, 11", "W2(3, 11)", "W2[3, 1.5]", "b3[7]b3[7]"],
)  # fmt: skip
def test_malformed_labels_are_refused_in_one_line(label):
    with pytest.raises(ValueError, match="is not a parameter label") as refused:
        ParameterAddress.parse(label, VIDEO)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("W4[0, 0]", "layer 4 is not in a 784-16-16-10 network, whose layers are 1 to 3"),
        ("b0[0]", "layer 0 is not in"),
        ("W2[16, 0]", "W2 has rows 0 to 15, not row 16"),
        ("W2[0, 16]", "W2 has columns 0 to 15, not column 16"),
        ("W1[0, 784]", "W1 has columns 0 to 783, not column 784"),
        ("b3[10]", "b3 has rows 0 to 9, not row 10"),
    ],
)
def test_labels_outside_the_network_say_what_is_wrong(label, why):
    with pytest.raises(ValueError, match=rf"^'{label}': ".replace("[", r"\[") + why) as refused:
        ParameterAddress.parse(label, VIDEO)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("index", [-1, 13002, 10**9])
def test_flat_indices_outside_the_parameters_are_refused(index):
    with pytest.raises(IndexError, match=f"flat index {index} is"):
        ParameterAddress.from_flat_index(index, VIDEO)


def test_the_message_past_the_end_names_the_network():
    with pytest.raises(IndexError, match="past the 13,002 parameters of a 784-16-16-10 network"):
        ParameterAddress.from_flat_index(13002, VIDEO)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ParameterAddress.weight(1, 16, 0, VIDEO),
        lambda: ParameterAddress.weight(3, 0, 16, VIDEO),
        lambda: ParameterAddress.bias(2, -1, VIDEO),
        lambda: ParameterAddress.bias(1, 0, (784,)),
        lambda: ParameterAddress.bias(1, 0, (784, 0)),
        lambda: ParameterAddress.from_sweep_weight((3, 0, 0), VIDEO),
        lambda: ParameterAddress.from_sweep_weight((1, 0), VIDEO),
    ],
)
def test_places_outside_the_network_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_a_flat_index_must_be_an_integer():
    with pytest.raises(TypeError):
        ParameterAddress.from_flat_index(1.0, VIDEO)  # type: ignore[arg-type]
