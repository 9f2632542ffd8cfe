"""Benchmarks of the numeric core (``make bench``); figures are printed, never asserted.

Training throughput of the vectorised mini-batch SGD is measured beside a textbook
per-example reference loop in the same run, alternating the two, so that the ratio survives
a noisy shared machine. Then the whole trace build is timed.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.special import expit

from nn.compute_traces import build_traces
from nn.data import load_embedded
from nn.network import Parameters, cost_and_gradient, init_parameters, one_hot
from nn.training import TrainingConfig

__all__ = ["run_benchmarks", "sgd_epoch_per_example", "sgd_epoch_vectorised"]


def sgd_epoch_vectorised(
    params: Parameters, x: np.ndarray, y: np.ndarray, lr: float, batch_size: int
) -> None:
    """One pass of mini-batch SGD with the core's vectorised backpropagation."""
    for start in range(0, x.shape[0], batch_size):
        _, grad = cost_and_gradient(
            params, x[start : start + batch_size], y[start : start + batch_size]
        )
        for tensor, g in zip(params.tensors(), grad.tensors(), strict=True):
            tensor -= lr * g


def sgd_epoch_per_example(
    params: Parameters, x: np.ndarray, y: np.ndarray, lr: float, batch_size: int
) -> None:
    """The same pass with a textbook loop: backpropagate one example at a time, then average."""
    for start in range(0, x.shape[0], batch_size):
        xs, ys = x[start : start + batch_size], y[start : start + batch_size]
        grad_w = [np.zeros_like(w) for w in params.weights]
        grad_b = [np.zeros_like(b) for b in params.biases]
        for example, target in zip(xs, ys, strict=True):
            activations = [example]
            for w, b in zip(params.weights, params.biases, strict=True):
                activations.append(expit(w @ activations[-1] + b))
            out = activations[-1]
            delta = 2.0 * (out - target) * out * (1.0 - out)
            for layer in range(len(params.weights) - 1, -1, -1):
                a_prev = activations[layer]
                grad_w[layer] += np.outer(delta, a_prev)
                grad_b[layer] += delta
                if layer:
                    delta = (params.weights[layer].T @ delta) * a_prev * (1.0 - a_prev)
        for w, b, gw, gb in zip(params.weights, params.biases, grad_w, grad_b, strict=True):
            w -= lr * gw / len(xs)
            b -= lr * gb / len(xs)


def run_benchmarks(examples: int = 4000, repeats: int = 3) -> None:
    """Print training throughput of both implementations, their ratio, and the trace build time."""
    config = TrainingConfig()
    data = load_embedded()
    rows = data.train_index[:examples]
    x, y = data.inputs(rows), one_hot(data.labels[rows], 10)
    start = init_parameters(config.layer_sizes, np.random.default_rng(0))

    check_a, check_b = start.copy(), start.copy()
    sgd_epoch_vectorised(check_a, x[:200], y[:200], config.learning_rate, config.batch_size)
    sgd_epoch_per_example(check_b, x[:200], y[:200], config.learning_rate, config.batch_size)
    gap = float(np.max(np.abs(check_a.flatten() - check_b.flatten())))

    timings: dict[str, list[float]] = {"vectorised": [], "per-example": []}
    epochs = {"vectorised": sgd_epoch_vectorised, "per-example": sgd_epoch_per_example}
    for _ in range(repeats):
        for name, epoch in epochs.items():
            params = start.copy()
            began = time.perf_counter()
            epoch(params, x, y, config.learning_rate, config.batch_size)
            timings[name].append(time.perf_counter() - began)

    print(
        f"training throughput, {x.shape[0]:,} examples, batch {config.batch_size}, "
        f"median of {repeats} alternating runs:"
    )
    rates = {name: x.shape[0] / statistics.median(t) for name, t in timings.items()}
    for name, rate in rates.items():
        print(f"  {name:<12} {rate:>10,.0f} examples/s")
    print(
        f"  ratio        {rates['vectorised'] / rates['per-example']:>10.1f}x "
        f"(parameters agree to {gap:.1e} after 20 steps)"
    )

    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        summary = build_traces(Path(scratch), config, source="embedded", progress=False)
        elapsed = time.perf_counter() - began
    print(f"make traces (embedded data, both runs + landscape): {elapsed:.1f} s")
    print(f"  {summary}")
