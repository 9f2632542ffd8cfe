"""The cost around the trained network, on the plane of its training trajectory.

Following Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets": the snapshot
parameters minus the final parameters form a matrix whose first two principal components span
a plane through the trained network. The average training cost is evaluated on a grid over
that plane, and each snapshot is projected onto it; the grid reaches the same distance past the
path in both directions, so the plane can be drawn with equal units. A short gradient descent
on the plane itself (the exact gradient, projected onto the plane) shows the discrete steps the
rule takes. A 1-D slice runs along the straight line
from the initial to the trained parameters (as in Goodfellow et al. 2015). The simplest slice
of all moves one knob: the bias of one output neuron, every other parameter fixed where
training left it; two real descents roll down it, one with steps that shrink near the bottom,
one with a step size too large, whose first step overshoots the bottom.

Everything is computed from the ``main`` trace's stored parameters, so anyone holding the
trace and the data can recompute it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from nn.network import Parameters, cost, cost_and_gradient, tensor_names, unflatten
from nn.parameter_address import ParameterAddress
from nn.slices import descend, descent_starts, slice_profile, stable_rate
from nn.trace_kinds import as_stored

__all__ = [
    "DESCENT_STEPS",
    "GRID_SIZE",
    "KNOB_NEURON",
    "KNOB_RANGE",
    "KNOB_START",
    "KNOB_STEPS",
    "LINE_POINTS",
    "LINE_RANGE",
    "MARGIN",
    "OVERSHOOT_FACTOR",
    "PAIR_RANGE",
    "PLANE_RATES",
    "PLANE_START",
    "PLANE_STEPS",
    "Landscape",
    "compute_landscape",
    "grid_axis",
    "knob_slice",
    "plane_costs",
    "plane_descent",
    "principal_plane",
    "snapshot_vectors",
]

GRID_SIZE = 61
MARGIN = 0.45
"""How far the grid reaches past the path on every side, in multiples of the path's larger span:
far enough to show the walls of the valley the path ends in."""
LINE_POINTS = 201
LINE_RANGE = (-0.25, 1.5)
PAIR_RANGE = (-0.3, 1.3)
DESCENT_STEPS = 30
KNOB_NEURON = 6
"""The knob of the simplest slice: the bias of this output neuron (of the digit 6)."""
KNOB_RANGE = 8.0
"""How far the knob's bias moves either side of its trained value."""
KNOB_START = 6.0
"""Where both descents on the knob start: this far above the trained value."""
KNOB_STEPS = 12
OVERSHOOT_FACTOR = 8.0
"""The overshooting descent's step size, in multiples of the one whose steps shrink."""
PLANE_START = (0.5, 0.2)
"""Where the descent on the plane starts, as fractions of the grid's span in each direction:
on the valley's far wall, away from the training path."""
PLANE_RATES = (600.0, 400.0, 300.0, 200.0, 150.0, 100.0, 70.0, 50.0)
"""Step sizes tried for the descent on the plane, largest first: the first whose every step
goes downhill is kept (with the default recipe, 600: a first step of about a tenth of the grid)."""
PLANE_STEPS = 6


@dataclass
class Landscape:
    """The arrays of ``landscape.npz`` and a few facts for its metadata."""

    arrays: dict[str, np.ndarray]
    facts: dict[str, object]


def snapshot_vectors(run: dict[str, np.ndarray], n_layers: int) -> np.ndarray:
    """All snapshots' parameters as rows ``[S, P]`` (float64), in the order of ``flatten``."""
    names = tensor_names(n_layers)
    n_snapshots = run["snapshot_step"].shape[0]
    return np.concatenate(
        [run[name].reshape(n_snapshots, -1).astype(np.float64) for name in names], axis=1
    )


def principal_plane(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First two principal directions of the rows of ``offsets`` and their explained variance ratio.

    Signs are fixed so that the first row (the initialisation) has positive coordinates. The SVD
    runs on one BLAS thread: with more, its last bits depend on the machine's core count.
    """
    centred = offsets - offsets.mean(axis=0)
    with threadpool_limits(limits=1, user_api="blas"):
        _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    directions = vt[:2].copy()
    for i in range(2):
        if offsets[0] @ directions[i] < 0:
            directions[i] *= -1
    variance = singular**2
    return directions, variance[:2] / variance.sum()


def grid_axis(values: np.ndarray, n: int, margin: float) -> np.ndarray:
    """``n`` evenly spaced values covering ``values`` and ``margin`` more on either side."""
    return np.linspace(float(values.min()) - margin, float(values.max()) + margin, n)


def plane_costs(
    final: Parameters,
    directions: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    x: np.ndarray,
    targets: np.ndarray,
    *,
    progress: bool = False,
) -> np.ndarray:
    """Average cost at ``final + a d1 + b d2``: a row per ``b`` in ``beta``, a column per ``a``.

    The first layer's pre-activations are linear in (a, b), so ``x @ W1.T`` is computed three
    times in all instead of once per grid point; the small later layers are evaluated for a
    whole row of the grid at once.
    """
    sizes = final.layer_sizes
    d1, d2 = (unflatten(d, sizes) for d in directions)
    w1 = [final.weights[0], d1.weights[0], d2.weights[0]]
    b1 = [final.biases[0], d1.biases[0], d2.biases[0]]
    z_base, z_d1, z_d2 = (x @ w.T + b for w, b in zip(w1, b1, strict=True))
    surface = np.empty((beta.size, alpha.size))
    a_col = alpha[:, None, None]
    for row, b in enumerate(
        tqdm(beta, disable=None if progress else True, leave=False, desc="cost surface")
    ):
        activation = expit(z_base + b * z_d2 + a_col * z_d1)  # [n_alpha, N, n1]
        for layer in range(1, len(final.weights)):
            w = final.weights[layer] + a_col * d1.weights[layer] + b * d2.weights[layer]
            bias = final.biases[layer] + alpha[:, None] * d1.biases[layer] + b * d2.biases[layer]
            activation = expit(activation @ np.swapaxes(w, 1, 2) + bias[:, None, :])
        surface[row] = np.mean(np.sum((activation - targets) ** 2, axis=2), axis=1)
    return surface


def plane_descent(
    final_vector: np.ndarray,
    directions: np.ndarray,
    start: np.ndarray,
    rate: float,
    steps: int,
    layer_sizes: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
) -> dict[str, np.ndarray]:
    """Gradient descent on the plane from ``start``: each point, its cost and its gradient.

    The gradient on the plane is the exact gradient dotted with each (unit, orthogonal)
    direction; each step moves ``rate`` times it downhill. Float32 arrays
    ``plane_descent_point [steps + 1, 2]``, ``plane_descent_cost`` and
    ``plane_descent_gradient [steps + 1, 2]``.
    """
    points, costs, gradients = [np.asarray(start, dtype=np.float64)], [], []
    for step in range(steps + 1):
        a, b = points[-1]
        theta = final_vector + a * directions[0] + b * directions[1]
        value, grad = cost_and_gradient(unflatten(theta, layer_sizes), x, y)
        costs.append(value)
        gradients.append(directions @ grad.flatten())
        if step < steps:
            points.append(points[-1] - rate * gradients[-1])
    arrays = {
        "plane_descent_point": np.array(points),
        "plane_descent_cost": np.array(costs),
        "plane_descent_gradient": np.array(gradients),
    }
    return {k: v.astype(np.float32) for k, v in arrays.items()}


def knob_slice(
    final_vector: np.ndarray,
    layer_sizes: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
    points: int,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The cost as one output bias moves, all else trained, and two real descents along it.

    ``t`` is the bias's offset from its trained value. The first descent's step size keeps it
    from overshooting (:func:`~nn.slices.stable_rate`); the second's is
    :data:`OVERSHOOT_FACTOR` times larger.
    """
    knob = ParameterAddress.bias(len(layer_sizes) - 1, KNOB_NEURON, layer_sizes)
    direction = np.zeros_like(final_vector)
    direction[knob.flat_index] = 1.0
    along = final_vector + direction
    knob_t = np.linspace(-KNOB_RANGE, KNOB_RANGE, points)
    knob_cost, knob_slope = slice_profile(final_vector, along, knob_t, layer_sizes, x, y)
    rate = stable_rate(as_stored(knob_t), as_stored(knob_slope))  # recomputable from the trace
    runs = [descend(final_vector, along, KNOB_START, r, KNOB_STEPS, layer_sizes, x, y)
            for r in (rate, OVERSHOOT_FACTOR * rate)]  # fmt: skip
    arrays = {
        "knob_t": knob_t,
        "knob_cost": knob_cost,
        "knob_slope": knob_slope,
        "knob_descent_t": runs[0][0],
        "knob_descent_cost": runs[0][1],
        "knob_overshoot_t": runs[1][0],
        "knob_overshoot_cost": runs[1][1],
    }
    facts = {
        "knob": knob.label,
        "knob_value": float(final_vector[knob.flat_index]),
        "knob_rate": rate,
        "overshoot_rate": OVERSHOOT_FACTOR * rate,
        "knob_steps": KNOB_STEPS,
    }
    return {k: v.astype(np.float32) for k, v in arrays.items()}, facts


def compute_landscape(
    run: dict[str, np.ndarray],
    layer_sizes: Sequence[int],
    x_train: np.ndarray,
    y_train: np.ndarray,
    partner: np.ndarray,
    *,
    grid_size: int = GRID_SIZE,
    line_points: int = LINE_POINTS,
    progress: bool = False,
) -> Landscape:
    """The cost surface, projected path and 1-D slices around a run's final parameters.

    ``partner`` holds the final parameters of a second network trained from another random
    start; the slice from the run's network to it has a minimum at each end.
    """
    n_layers = len(layer_sizes) - 1
    thetas = snapshot_vectors(run, n_layers)
    final_vector = thetas[-1]
    final = unflatten(final_vector, layer_sizes)
    offsets = thetas - final_vector
    directions, explained = principal_plane(offsets)
    path = offsets @ directions.T
    margin = MARGIN * float(np.ptp(path, axis=0).max())
    alpha = grid_axis(path[:, 0], grid_size, margin)
    beta = grid_axis(path[:, 1], grid_size, margin)
    surface = plane_costs(final, directions, alpha, beta, x_train, y_train, progress=progress)
    path_cost = np.array([cost(unflatten(t, layer_sizes), x_train, y_train) for t in thetas])

    line_t = np.linspace(*LINE_RANGE, line_points)
    line_cost, line_slope = slice_profile(thetas[0], final_vector, line_t, layer_sizes,
                                          x_train, y_train)  # fmt: skip
    partner = as_stored(partner)
    pair_t = np.linspace(*PAIR_RANGE, line_points)
    pair_cost, pair_slope = slice_profile(final_vector, partner, pair_t, layer_sizes,
                                          x_train, y_train)  # fmt: skip
    rate = stable_rate(as_stored(pair_t), as_stored(pair_slope))  # recomputable from the trace
    starts = descent_starts(pair_t, pair_cost)
    descents = [descend(final_vector, partner, float(t0), rate, DESCENT_STEPS, layer_sizes,
                        x_train, y_train) for t0 in starts]  # fmt: skip

    start = [axis[0] + f * (axis[-1] - axis[0]) for axis, f in zip((alpha, beta), PLANE_START,
                                                                    strict=True)]  # fmt: skip
    for plane_rate in PLANE_RATES:
        plane_arrays = plane_descent(final_vector, directions, np.array(start), plane_rate,
                                     PLANE_STEPS, layer_sizes, x_train, y_train)  # fmt: skip
        if np.all(np.diff(plane_arrays["plane_descent_cost"]) < 0):
            break
    knob_arrays, knob_facts = knob_slice(final_vector, layer_sizes, x_train, y_train,
                                         line_points)  # fmt: skip

    arrays = {
        **knob_arrays,
        **plane_arrays,
        "alpha": alpha.astype(np.float32),
        "beta": beta.astype(np.float32),
        "surface_cost": surface.astype(np.float32),
        "path": path.astype(np.float32),
        "path_cost": path_cost.astype(np.float32),
        "path_step": run["snapshot_step"].astype(np.int32),
        "explained_variance": explained.astype(np.float32),
        "directions": directions.astype(np.float32),
        "line_t": line_t.astype(np.float32),
        "line_cost": line_cost.astype(np.float32),
        "line_slope": line_slope.astype(np.float32),
        "partner": partner.astype(np.float32),
        "pair_t": pair_t.astype(np.float32),
        "pair_cost": pair_cost.astype(np.float32),
        "pair_slope": pair_slope.astype(np.float32),
        "descent_start": starts.astype(np.float32),
        "descent_t": np.stack([d[0] for d in descents]).astype(np.float32),
        "descent_cost": np.stack([d[1] for d in descents]).astype(np.float32),
    }
    facts = {
        "plane": "first two principal components of (snapshot - final) parameters, centred",
        "origin": "final parameters of the main run",
        "line": "theta(t) = theta_0 + t * (theta_final - theta_0): t=0 initialisation, t=1 trained",
        "line_slope": "dC/dt along the line, from the exact gradient",
        "pair": "theta(t) = theta_main + t * (theta_partner - theta_main): two trained networks",
        "descent": "t <- t - descent_rate * dC/dt on the pair slice, exact slope at every step",
        "descent_rate": rate,
        "descent_steps": DESCENT_STEPS,
        "n_descents": int(starts.size),
        "grid_size": [int(beta.size), int(alpha.size)],
        "plane_descent": "p <- p - plane_rate * (dC/da, dC/db), the exact gradient on the plane",
        "plane_rate": plane_rate,
        "plane_steps": PLANE_STEPS,
        "minimum_surface_cost": float(as_stored(surface.min())),
        "knob_slice": "theta(t) = theta_final + t * e, e the unit vector of the knob's bias",
        **knob_facts,
    }
    return Landscape(arrays, facts)
