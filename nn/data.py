"""The digits the network learns from: the embedded MNIST subset or the full set, and their split.

``MNIST=embedded`` (default) reads the 5,000-digit subset kept in ``assets/`` and splits it,
seeded and stratified, into 4,000 training and 1,000 test digits (400 and 100 per class).
``MNIST=full`` downloads the standard 60,000 / 10,000 set (see :mod:`nn.full_mnist`).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn.errors import UserError
from nn.network import network_input
from nn.npz_io import read_npz, sha256_file

__all__ = [
    "EMBEDDED_ASSET",
    "EMBEDDED_TEST_PER_CLASS",
    "REPO_ROOT",
    "SOURCES",
    "DataError",
    "Dataset",
    "load_dataset",
    "load_embedded",
    "load_full",
    "selected_source",
    "stratified_split",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
EMBEDDED_ASSET = REPO_ROOT / "assets" / "mnist_5k.npz"
SOURCES = ("embedded", "full")
EMBEDDED_TEST_PER_CLASS = 100


class DataError(UserError, RuntimeError):
    """Input data that is missing or not what it should be."""


@dataclass(frozen=True)
class Dataset:
    """Labelled 28x28 digits and the rows of each split."""

    images: np.ndarray
    """uint8 ``[N, 28, 28]``, 0 is background, 255 is full ink."""
    labels: np.ndarray
    """uint8 ``[N]``, the digit each image shows."""
    train_index: np.ndarray
    """int32, the rows of the training split."""
    test_index: np.ndarray
    """int32, the rows of the test split."""
    source: str
    """``"embedded"`` or ``"full"``."""
    sha256: str
    """Digest of the files the digits were read from."""

    def inputs(self, rows: np.ndarray) -> np.ndarray:
        """The network's input for these rows: ``[n, 784]`` float64 pixel intensities in [0, 1]."""
        return network_input(self.images[rows])


def selected_source() -> str:
    """The data source named by the ``MNIST`` environment variable (default ``embedded``)."""
    source = os.environ.get("MNIST", "embedded") or "embedded"
    if source not in SOURCES:
        raise DataError(f"MNIST={source!r} is not one of {', '.join(SOURCES)}")
    return source


def stratified_split(
    labels: np.ndarray, test_per_class: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Seeded split taking ``test_per_class`` test rows from each class; sorted row indices."""
    rng = np.random.default_rng(seed)
    test_rows = []
    for digit in np.unique(labels):
        rows = np.flatnonzero(labels == digit)
        if rows.size <= test_per_class:
            raise DataError(
                f"class {digit} has {rows.size} rows, too few for {test_per_class} test rows"
            )
        test_rows.append(rng.choice(rows, size=test_per_class, replace=False))
    test_index = np.sort(np.concatenate(test_rows))
    train_index = np.setdiff1d(np.arange(labels.size), test_index)
    return train_index.astype(np.int32), test_index.astype(np.int32)


def load_embedded(path: Path = EMBEDDED_ASSET, split_seed: int = 0) -> Dataset:
    """The embedded 5,000-digit subset, split 4,000 / 1,000."""
    if not path.exists():
        raise DataError(f"{path} is missing; rebuild it with `make asset`")
    try:
        arrays = read_npz(path)
        images, labels = arrays["images"], arrays["labels"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        raise DataError(
            f"{shown} is not a valid digit asset ({error}); restore it with "
            f"`git checkout -- {shown}` or rebuild it with `make asset`"
        ) from error
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(
            f"{path}: images must be uint8 [N, 28, 28], got {images.dtype} {images.shape}"
        )
    if labels.dtype != np.uint8 or labels.shape != images.shape[:1] or labels.max() > 9:
        raise DataError(f"{path}: labels must be uint8 digits, one per image")
    train_index, test_index = stratified_split(labels, EMBEDDED_TEST_PER_CLASS, split_seed)
    return Dataset(images, labels, train_index, test_index, "embedded", sha256_file(path))


def load_full() -> Dataset:
    """The full MNIST set, standard split: 60,000 training rows, then 10,000 test rows."""
    from nn.full_mnist import load_full_mnist

    images, labels, n_train, digest = load_full_mnist()
    rows = np.arange(labels.size, dtype=np.int32)
    return Dataset(images, labels, rows[:n_train], rows[n_train:], "full", digest)


def load_dataset(source: str | None = None, split_seed: int = 0) -> Dataset:
    """The data set named by ``source`` (default: the ``MNIST`` environment variable)."""
    source = source or selected_source()
    if source == "embedded":
        return load_embedded(split_seed=split_seed)
    if source == "full":
        return load_full()
    raise DataError(f"unknown data source {source!r}; use one of {', '.join(SOURCES)}")
