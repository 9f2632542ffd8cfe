"""Eigendigits: classify a digit by the nearest class subspace of the training images' SVD.

For each digit class ``c``, the training images of ``c`` as the columns of a 784 x n matrix
give ``A_c = U S V^T``. The first ``k`` columns of ``U`` ("singular images") span a subspace
that holds what images of ``c`` have in common. A digit ``x`` goes to the class whose subspace
it is nearest: the smallest residual ``||x - U_k U_k^T x||``. No mean is subtracted, so the
first singular image is close to the class's average image.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import svd
from threadpoolctl import threadpool_limits

from nn.trace_kinds import as_stored

__all__ = [
    "RANKS",
    "class_bases",
    "eigendigit_arrays",
    "projection",
    "subspace_residuals",
]

RANKS = (1, 2, 5, 10, 20)
"""Subspace sizes ``k`` whose test accuracy the trace records; the largest is the basis kept."""


def class_bases(
    inputs: np.ndarray, labels: np.ndarray, n_classes: int = 10, *, basis_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """The first ``basis_size`` singular images and singular values of each class.

    Parameters
    ----------
    inputs
        Training inputs ``[n, 784]`` with intensities in [0, 1].
    labels
        The digit of each input.

    Returns
    -------
    bases, singular_values
        ``[n_classes, basis_size, 784]`` orthonormal rows, each signed so that its pixels sum
        to a positive number, and ``[n_classes, basis_size]``.

    """
    bases = np.empty((n_classes, basis_size, inputs.shape[1]))
    values = np.empty((n_classes, basis_size))
    for digit in range(n_classes):
        columns = inputs[labels == digit].T
        if columns.shape[1] < basis_size:
            raise ValueError(f"class {digit} has {columns.shape[1]} images, fewer than "
                             f"{basis_size} singular images")  # fmt: skip
        with threadpool_limits(limits=1, user_api="blas"):  # the same bits on any core count
            u, s, _ = svd(columns, full_matrices=False)
        u = u[:, :basis_size].T
        bases[digit] = u * np.where(u.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
        values[digit] = s[:basis_size]
    return bases, values


def projection(basis: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """``U U^T x`` of every input ``[n, 784]``: its nearest point in the span of the rows ``U``."""
    return (inputs @ basis.T) @ basis


def subspace_residuals(bases: np.ndarray, inputs: np.ndarray, rank: int) -> np.ndarray:
    """``||x - U_k U_k^T x||`` of every input ``[n, 784]`` for every class: ``[n, n_classes]``."""
    residuals = np.empty((inputs.shape[0], bases.shape[0]))
    for digit, basis in enumerate(bases[:, :rank]):
        residuals[:, digit] = np.linalg.norm(inputs - projection(basis, inputs), axis=1)
    return residuals


def eigendigit_arrays(
    train_inputs: np.ndarray,
    train_labels: np.ndarray,
    test_inputs: np.ndarray,
    test_labels: np.ndarray,
    ranks: tuple[int, ...] = RANKS,
) -> dict[str, np.ndarray]:
    """The eigendigits trace: bases, singular values, and the test residuals and accuracy per rank.

    The residuals and accuracies are computed from the bases exactly as stored (float32), so
    they can be recomputed from the trace alone.
    """
    bases, values = class_bases(train_inputs, train_labels, basis_size=max(ranks))
    stored = as_stored(bases)
    residuals = np.stack([subspace_residuals(stored, test_inputs, rank) for rank in ranks])
    accuracy = np.mean(np.argmin(residuals, axis=2) == test_labels[None, :], axis=1)
    return {
        "basis": stored.astype(np.float32),
        "singular_value": values.astype(np.float32),
        "rank": np.array(ranks, dtype=np.int32),
        "test_residual": residuals.astype(np.float32),
        "test_accuracy": accuracy.astype(np.float32),
    }
