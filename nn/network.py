"""A fully connected sigmoid network with a vectorised forward and backward pass.

Activations follow ``a_l = sigmoid(W_l a_(l-1) + b_l)``. The cost of one example is
``sum_j (a_j - y_j)^2``, exactly as the video says it; the cost of the network is the
average of that over examples.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

__all__ = [
    "DEFAULT_LAYER_SIZES",
    "Parameters",
    "cost",
    "cost_and_gradient",
    "example_costs",
    "forward",
    "init_parameters",
    "network_input",
    "one_hot",
    "parameter_count",
    "predict",
    "tensor_names",
    "unflatten",
]

DEFAULT_LAYER_SIZES: tuple[int, ...] = (784, 16, 16, 10)


@dataclass
class Parameters:
    """Weights ``[n_out, n_in]`` and biases ``[n_out]`` of every layer."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Sizes of all layers, input first."""
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))

    def tensors(self) -> list[np.ndarray]:
        """The parameter tensors in the video's order: ``W1, b1, W2, b2, ...``."""
        out: list[np.ndarray] = []
        for w, b in zip(self.weights, self.biases, strict=True):
            out += [w, b]
        return out

    def flatten(self) -> np.ndarray:
        """All weights and biases as one vector, in the order of :meth:`tensors`."""
        return np.concatenate([t.ravel() for t in self.tensors()])

    def copy(self) -> Parameters:
        """A deep copy."""
        return Parameters([w.copy() for w in self.weights], [b.copy() for b in self.biases])

    def astype(self, dtype: np.dtype | type) -> Parameters:
        """A copy with every tensor cast to ``dtype``."""
        return Parameters(
            [w.astype(dtype) for w in self.weights], [b.astype(dtype) for b in self.biases]
        )

    def all_finite(self) -> bool:
        """Whether no weight or bias is NaN or infinite."""
        return all(np.isfinite(t).all() for t in self.tensors())


def tensor_names(n_layers: int) -> list[str]:
    """Names of the parameter tensors of ``n_layers`` layers: ``["W1", "b1", "W2", ...]``."""
    names: list[str] = []
    for layer in range(1, n_layers + 1):
        names += [f"W{layer}", f"b{layer}"]
    return names


def parameter_count(layer_sizes: Sequence[int]) -> int:
    """Number of weights and biases for these layer sizes (13,002 for 784-16-16-10)."""
    return sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(layer_sizes))


def unflatten(vector: np.ndarray, layer_sizes: Sequence[int]) -> Parameters:
    """Inverse of :meth:`Parameters.flatten` for a network with these layer sizes."""
    if vector.shape != (parameter_count(layer_sizes),):
        raise ValueError(
            f"vector of shape {vector.shape} does not hold the "
            f"{parameter_count(layer_sizes)} parameters of a {layer_sizes} network"
        )
    weights, biases, offset = [], [], 0
    for n_in, n_out in itertools.pairwise(layer_sizes):
        weights.append(vector[offset : offset + n_in * n_out].reshape(n_out, n_in))
        offset += n_in * n_out
        biases.append(vector[offset : offset + n_out])
        offset += n_out
    return Parameters(weights, biases)


def init_parameters(layer_sizes: Sequence[int], rng: np.random.Generator) -> Parameters:
    """Random initial parameters: weights ``N(0, 1/n_in)``, biases ``N(0, 1)``.

    Scaling the weights by ``1/sqrt(n_in)`` keeps the sigmoids of the first layer out of
    saturation, so that learning starts at once.
    """
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError(f"a network needs at least two layers of positive size, got {layer_sizes}")
    weights, biases = [], []
    for n_in, n_out in itertools.pairwise(layer_sizes):
        weights.append(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in))
        biases.append(rng.standard_normal(n_out))
    return Parameters(weights, biases)


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Desired outputs: ``[N, n_classes]`` with a 1 at each label and 0 elsewhere."""
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def forward(
    params: Parameters, x: np.ndarray, activation: Callable[[np.ndarray], np.ndarray] = expit
) -> list[np.ndarray]:
    """Activations of every layer for a batch ``x`` of shape ``[N, n_in]``, input included.

    The neurons are sigmoids, or ``activation`` in their place (the step function of the
    smoothness argument).
    """
    activations = [x]
    for w, b in zip(params.weights, params.biases, strict=True):
        activations.append(activation(activations[-1] @ w.T + b))
    return activations


def example_costs(outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Cost of each example, ``sum_j (a_j - y_j)^2``, shape ``[N]``."""
    return np.sum((outputs - targets) ** 2, axis=1)


def cost(params: Parameters, x: np.ndarray, targets: np.ndarray) -> float:
    """Average cost over the examples of a batch."""
    return float(np.mean(example_costs(forward(params, x)[-1], targets)))


def network_input(pixels: np.ndarray) -> np.ndarray:
    """The network's input for digit images: ``[n, 784]`` float64 intensities in [0, 1].

    ``pixels`` are 0-255 intensities: one 28x28 image, a batch of them, or rows of 784.
    """
    return np.asarray(pixels).reshape(-1, 784).astype(np.float64) / 255.0


def predict(params: Parameters, x: np.ndarray) -> np.ndarray:
    """The network's guess for each example: the index of its brightest output neuron."""
    return np.argmax(forward(params, x)[-1], axis=1)


def cost_and_gradient(
    params: Parameters, x: np.ndarray, targets: np.ndarray
) -> tuple[float, Parameters]:
    """Average cost over a batch and its gradient with respect to every weight and bias.

    Backpropagation, vectorised over the batch: no Python loop over examples.
    """
    activations = forward(params, x)
    output = activations[-1]
    n = x.shape[0]
    avg_cost = float(np.mean(example_costs(output, targets)))
    # dC/da for the average of sum_j (a_j - y_j)^2, then through the sigmoid: s' = s (1 - s).
    delta = (2.0 / n) * (output - targets) * output * (1.0 - output)
    grad_w: list[np.ndarray] = []
    grad_b: list[np.ndarray] = []
    for layer in range(len(params.weights) - 1, -1, -1):
        a_prev = activations[layer]
        grad_w.append(delta.T @ a_prev)
        grad_b.append(delta.sum(axis=0))
        if layer > 0:
            delta = (delta @ params.weights[layer]) * a_prev * (1.0 - a_prev)
    return avg_cost, Parameters(grad_w[::-1], grad_b[::-1])
