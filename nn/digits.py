"""The digits the video shows: every test digit and a seeded sample of training digits.

Scenes read images only from traces, so ``make traces`` writes them to ``digits.npz`` beside
the runs, with the dataset rows they come from.
"""

from __future__ import annotations

import numpy as np

from nn.data import Dataset

__all__ = ["NOISE_SEED", "TRAIN_SAMPLE", "digit_arrays"]

TRAIN_SAMPLE = 240
NOISE_SEED = 2017
"""Seed of the random-noise image the video feeds to the trained network."""


def digit_arrays(dataset: Dataset, sample: int = TRAIN_SAMPLE, seed: int = 0) -> dict:
    """All test digits, ``sample`` seeded training digits (with labels and rows), a noise image."""
    rng = np.random.default_rng(seed)
    train_rows = np.sort(rng.choice(dataset.train_index, size=sample, replace=False))
    train_rows = rng.permutation(train_rows).astype(np.int32)
    test_rows = dataset.test_index.astype(np.int32)
    return {
        "train_rows": train_rows,
        "train_images": dataset.images[train_rows],
        "train_labels": dataset.labels[train_rows],
        "test_rows": test_rows,
        "test_images": dataset.images[test_rows],
        "test_labels": dataset.labels[test_rows],
        "noise_image": np.random.default_rng(NOISE_SEED)
        .integers(0, 256, size=(28, 28))
        .astype(np.uint8),
    }
