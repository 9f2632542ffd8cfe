"""One-dimensional slices of the cost, and gradient descent along them.

A slice follows the straight line ``theta(t) = start + t * (end - start)`` through parameter
space. Its cost and its slope ``dC/dt`` (the exact gradient dotted with the direction) are
computed over the whole training split; descent on a slice takes real steps
``t <- t - rate * dC/dt``, evaluating the exact slope at every step.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from scipy.signal import argrelextrema

from nn.network import cost_and_gradient, unflatten

__all__ = [
    "descend",
    "descent_starts",
    "local_minima",
    "slice_cost_and_slope",
    "slice_profile",
    "stable_rate",
]


def slice_cost_and_slope(
    start: np.ndarray,
    end: np.ndarray,
    t: float,
    layer_sizes: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[float, float]:
    """Cost at ``theta(t)`` and its derivative with respect to ``t``."""
    direction = end - start
    value, grad = cost_and_gradient(unflatten(start + t * direction, layer_sizes), x, y)
    return value, float(grad.flatten() @ direction)


def slice_profile(
    start: np.ndarray,
    end: np.ndarray,
    ts: np.ndarray,
    layer_sizes: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Cost and slope at every ``t`` of ``ts``."""
    pairs = [slice_cost_and_slope(start, end, float(t), layer_sizes, x, y) for t in ts]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def stable_rate(ts: np.ndarray, slopes: np.ndarray, fraction: float = 1.0) -> float:
    """A step size for descent on the slice: ``fraction / max |d^2C/dt^2|``.

    Below ``2 / max curvature`` a descent step cannot overshoot a minimum of the slice, so
    the steps shrink as the ball nears the bottom instead of bouncing.
    """
    curvature = np.abs(np.gradient(slopes, ts)).max()
    return float(fraction / curvature)


def local_minima(values: np.ndarray) -> np.ndarray:
    """Indices of the strict interior local minima of a sampled curve."""
    return argrelextrema(values, np.less)[0]


def descent_starts(ts: np.ndarray, costs: np.ndarray, margin: float = 0.08) -> np.ndarray:
    """Starting points that show every basin of the slice.

    Near both ends, and on either side of each barrier (the highest point between two
    neighbouring local minima).
    """
    span = ts[-1] - ts[0]
    starts = [ts[0] + margin * span]
    minima = local_minima(costs)
    for left, right in pairwise(minima):
        top = left + int(np.argmax(costs[left : right + 1]))
        starts += [ts[top] - margin * span / 2, ts[top] + margin * span / 2]
    starts.append(ts[-1] - margin * span)
    return np.array(starts)


def descend(
    start: np.ndarray,
    end: np.ndarray,
    t0: float,
    rate: float,
    steps: int,
    layer_sizes: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on the slice from ``t0``: the ``steps + 1`` positions and their costs."""
    ts, costs = [t0], []
    for _ in range(steps):
        value, slope = slice_cost_and_slope(start, end, ts[-1], layer_sizes, x, y)
        costs.append(value)
        ts.append(ts[-1] - rate * slope)
    costs.append(slice_cost_and_slope(start, end, ts[-1], layer_sizes, x, y)[0])
    return np.array(ts), np.array(costs)
