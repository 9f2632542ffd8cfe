"""The eigendigits classifier: its bases are each class's SVD, and its accuracy is recomputable."""

from __future__ import annotations

import numpy as np
import pytest

from nn.eigendigits import class_bases, subspace_residuals
from nn.traces import load_digits, load_eigendigits


def test_bases_are_orthonormal_and_span_the_classes_leading_directions():
    rng = np.random.default_rng(3)
    # Class 0 lives near the plane of the first two axes, class 1 near the last two.
    inputs = np.zeros((60, 6))
    inputs[:30, :2] = rng.normal(size=(30, 2))
    inputs[30:, 4:] = rng.normal(size=(30, 2))
    inputs += 1e-3 * rng.normal(size=inputs.shape)
    labels = np.repeat([0, 1], 30)
    bases, values = class_bases(inputs, labels, n_classes=2, basis_size=2)
    for basis in bases:
        np.testing.assert_allclose(basis @ basis.T, np.eye(2), atol=1e-12)
    assert np.abs(bases[0][:, 2:]).max() < 1e-2 and np.abs(bases[1][:, :4]).max() < 1e-2
    assert np.all(np.diff(values, axis=1) <= 0)  # singular values come largest first
    assert np.all(bases.sum(axis=2) > 0)  # signs fixed: each image sums to a positive number


def test_residual_is_the_distance_to_the_subspace():
    basis = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]])
    x = np.array([[3.0, 4.0, 12.0]])
    np.testing.assert_allclose(subspace_residuals(basis, x, rank=2), [[12.0, 3.0]])
    np.testing.assert_allclose(subspace_residuals(basis, x, rank=1), [[np.sqrt(160.0), 5.0]])


def test_a_class_with_too_few_images_is_refused():
    with pytest.raises(ValueError, match="class 1 has 1 images"):
        class_bases(np.ones((3, 4)), np.array([0, 0, 1]), n_classes=2, basis_size=2)


def test_trace_bases_are_the_svd_of_each_classs_training_images(built_traces, dataset):
    eigen = load_eigendigits(built_traces.directory)
    train = dataset.train_index
    for digit in (0, 7):
        columns = dataset.inputs(train[dataset.labels[train] == digit]).T
        u, s, _ = np.linalg.svd(columns, full_matrices=False)
        k = eigen["basis"].shape[1]
        np.testing.assert_allclose(eigen["singular_value"][digit], s[:k], rtol=1e-4)
        # The leading singular images match up to sign (the trace fixes the sign).
        for i in range(3):
            overlap = abs(float(eigen["basis"][digit, i] @ u[:, i]))
            assert overlap == pytest.approx(1.0, abs=1e-4)


def test_trace_accuracy_is_recomputable_from_the_trace_alone(built_traces):
    eigen = load_eigendigits(built_traces.directory)
    digits = load_digits(built_traces.directory)
    x = digits["test_images"].reshape(len(digits["test_labels"]), -1) / 255.0
    basis = eigen["basis"].astype(np.float64)
    for i, rank in enumerate(eigen["rank"]):
        residuals = subspace_residuals(basis, x, int(rank))
        np.testing.assert_allclose(eigen["test_residual"][i], residuals, rtol=1e-5)
        accuracy = np.mean(np.argmin(residuals, axis=1) == digits["test_labels"])
        assert float(eigen["test_accuracy"][i]) == pytest.approx(accuracy, abs=1e-6)
    assert np.all(np.diff(eigen["test_accuracy"]) > 0)  # more singular images, fewer mistakes
    assert eigen["test_accuracy"][0] > 0.5  # far above chance (10%) with one image per digit
