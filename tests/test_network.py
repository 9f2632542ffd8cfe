"""The network's forward pass, cost and backpropagation."""

from __future__ import annotations

import numpy as np
import pytest

from nn.network import (
    Parameters,
    cost,
    cost_and_gradient,
    forward,
    init_parameters,
    one_hot,
    parameter_count,
    tensor_names,
    unflatten,
)


def finite_difference_gradient(params: Parameters, x, y, eps: float = 1e-4) -> np.ndarray:
    """Centred differences of the average cost for every weight and bias, flattened."""
    theta = params.flatten()
    sizes = params.layer_sizes
    grad = np.empty_like(theta)
    for i in range(theta.size):
        saved = theta[i]
        theta[i] = saved + eps
        up = cost(unflatten(theta, sizes), x, y)
        theta[i] = saved - eps
        down = cost(unflatten(theta, sizes), x, y)
        theta[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


def worst_relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-4) -> float:
    """Largest |a - n| / max(|a| + |n|, floor): relative, with a floor for tiny entries."""
    return float(
        np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor))
    )


@pytest.fixture(scope="module")
def gradient_case(dataset):
    params = init_parameters((784, 16, 16, 10), np.random.default_rng(3))
    rows = dataset.train_index[:6]
    x, y = dataset.inputs(rows), one_hot(dataset.labels[rows], 10)
    _, grad = cost_and_gradient(params, x, y)
    return grad, finite_difference_gradient(params, x, y)


def test_backprop_matches_finite_differences_on_every_tensor(gradient_case):
    grad, numeric = gradient_case
    offset = 0
    for name, tensor in zip(tensor_names(3), grad.tensors(), strict=True):
        part = numeric[offset : offset + tensor.size]
        offset += tensor.size
        assert np.abs(tensor).max() > 1e-6, f"{name} gradient is all zero: the check proves nothing"
        assert worst_relative_error(tensor.ravel(), part) <= 1e-6, name
    assert offset == 13002


def test_the_gradient_check_rejects_a_slightly_wrong_gradient(gradient_case):
    grad, numeric = gradient_case
    assert worst_relative_error(grad.flatten() * (1 + 1e-4), numeric) > 1e-6
    assert worst_relative_error(grad.flatten(), np.roll(numeric, 1)) > 1e-6


def test_cost_is_sum_of_squares_averaged_over_examples(small_network, dataset):
    rows = dataset.train_index[:3]
    x, y = dataset.inputs(rows), one_hot(dataset.labels[rows], 10)
    outputs = forward(small_network, x)[-1]
    by_hand = np.mean([sum((outputs[i, j] - y[i, j]) ** 2 for j in range(10)) for i in range(3)])
    assert cost(small_network, x, y) == pytest.approx(by_hand, rel=1e-12)


def test_forward_applies_sigmoid_of_weighted_sum(small_network, dataset):
    x = dataset.inputs(dataset.train_index[:1])
    a = x[0]
    for w, b in zip(small_network.weights, small_network.biases, strict=True):
        a = 1 / (1 + np.exp(-(w @ a + b)))
    np.testing.assert_allclose(forward(small_network, x)[-1][0], a, rtol=1e-12)


def test_parameter_count_and_flatten_round_trip(small_network):
    assert parameter_count((784, 16, 16, 10)) == 13002
    vector = small_network.flatten()
    assert vector.shape == (13002,)
    again = unflatten(vector, (784, 16, 16, 10))
    for a, b in zip(small_network.tensors(), again.tensors(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="13002"):
        unflatten(vector[:-1], (784, 16, 16, 10))


def test_initialisation_is_seeded():
    a = init_parameters((784, 16, 16, 10), np.random.default_rng(1)).flatten()
    b = init_parameters((784, 16, 16, 10), np.random.default_rng(1)).flatten()
    c = init_parameters((784, 16, 16, 10), np.random.default_rng(2)).flatten()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_any_layer_sizes_work(dataset):
    params = init_parameters((784, 5, 3, 7, 10), np.random.default_rng(0))
    x = dataset.inputs(dataset.train_index[:4])
    _, grad = cost_and_gradient(params, x, one_hot(dataset.labels[dataset.train_index[:4]], 10))
    assert [t.shape for t in grad.tensors()] == [t.shape for t in params.tensors()]
