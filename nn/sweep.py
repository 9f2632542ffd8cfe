"""Why activations must be smooth: the cost of one example as a single weight moves.

For one training digit and the trained ``main`` network, one weight of the hidden or output
layers is swept around its value. The cost ``sum_j (a_j - y_j)^2`` is computed twice along
the sweep: with the network's sigmoid, and with a step function (1 if the weighted sum is
positive, else 0) in its place. The first changes smoothly; the second is flat with jumps, so
small nudges tell gradient descent nothing. The example is the sampled training digit the
trained network finds hardest (largest cost); the swept weight is the one of the later layers
whose smooth cost is steepest at its trained value, among those whose step cost jumps.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import expit

from nn.network import Parameters, example_costs, forward, network_input, one_hot

__all__ = [
    "SWEEP_HALF_WIDTH",
    "SWEEP_POINTS",
    "choose_weight",
    "costs_along_sweep",
    "hardest_example",
    "heaviside",
    "sweep_values",
    "weight_sweep",
]

SWEEP_POINTS = 401
SWEEP_HALF_WIDTH = 6.0


def heaviside(z: np.ndarray) -> np.ndarray:
    """The step activation: 1 where the weighted sum is positive, else 0."""
    return (z > 0).astype(np.float64)


def costs_along_sweep(
    params: Parameters,
    x: np.ndarray,
    target: np.ndarray,
    layer: int,
    row: int,
    column: int,
    values: np.ndarray,
    activation: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Cost of one example for each value of weight ``W[layer][row, column]``.

    ``layer`` counts from 0 (``W1``). The layers before ``layer`` do not depend on the weight
    and run once; the rest run for all values at once, as a batch.
    """
    before = Parameters(params.weights[:layer], params.biases[:layer])
    a = forward(before, x[None, :], activation)[-1][0]
    z = np.tile(params.weights[layer] @ a + params.biases[layer], (values.size, 1))
    z[:, row] += (values - params.weights[layer][row, column]) * a[column]
    after = Parameters(params.weights[layer + 1 :], params.biases[layer + 1 :])
    return example_costs(forward(after, activation(z), activation)[-1], target[None, :])


def sweep_values(w0: float) -> np.ndarray:
    """The values a weight is swept through, centred on its trained value ``w0``."""
    return np.linspace(w0 - SWEEP_HALF_WIDTH, w0 + SWEEP_HALF_WIDTH, SWEEP_POINTS)


def choose_weight(params: Parameters, x: np.ndarray, target: np.ndarray) -> tuple[int, int, int]:
    """``(layer, row, column)`` of the later-layer weight the smooth cost is steepest in."""
    best, best_slope = (1, 0, 0), -1.0
    middle = SWEEP_POINTS // 2
    for layer in range(1, len(params.weights)):
        rows, columns = params.weights[layer].shape
        for row in range(rows):
            for column in range(columns):
                values = sweep_values(params.weights[layer][row, column])
                step = costs_along_sweep(params, x, target, layer, row, column, values, heaviside)
                if not np.any(np.diff(step)):
                    continue
                smooth = costs_along_sweep(params, x, target, layer, row, column, values, expit)
                slope = abs(smooth[middle + 1] - smooth[middle - 1])
                if slope > best_slope:
                    best, best_slope = (layer, row, column), slope
    return best


def hardest_example(params: Parameters, images: np.ndarray, labels: np.ndarray) -> int:
    """Index of the example with the largest cost under ``params``."""
    costs = example_costs(
        forward(params, network_input(images))[-1], one_hot(labels, params.layer_sizes[-1])
    )
    return int(np.argmax(costs))


def weight_sweep(params: Parameters, x: np.ndarray, target: np.ndarray) -> dict[str, np.ndarray]:
    """The chosen weight, its sweep, and the example's cost along it with both activations."""
    layer, row, column = choose_weight(params, x, target)
    w0 = params.weights[layer][row, column]
    values = sweep_values(w0)
    return {
        "sweep_weight": np.array([layer, row, column], dtype=np.int32),
        "sweep_value": values.astype(np.float32),
        "sweep_start": np.array([w0], dtype=np.float32),
        "sweep_sigmoid_cost": costs_along_sweep(
            params, x, target, layer, row, column, values, expit).astype(np.float32),
        "sweep_step_cost": costs_along_sweep(
            params, x, target, layer, row, column, values, heaviside).astype(np.float32),
    }  # fmt: skip
