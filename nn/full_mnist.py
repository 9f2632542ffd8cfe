"""The full MNIST data set (60,000 + 10,000): download from a mirror, verify, cache, parse.

The mirror is configurable (``MNIST_MIRROR``, default below), files are checked against their
published SHA-256 sums before they are used, and verified files are cached
(``MNIST_CACHE``, default ``~/.cache/gradient-descent-video/mnist``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.request
from functools import partial
from pathlib import Path

import numpy as np

from nn.atomic_files import write_atomically
from nn.errors import UserError
from nn.idx import read_images_and_labels
from nn.npz_io import sha256_file

__all__ = [
    "DEFAULT_MIRROR",
    "FILES",
    "DownloadError",
    "default_cache_dir",
    "default_mirror",
    "download_verified",
    "fetch",
    "load_full_mnist",
]

DEFAULT_MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/"

#: The four standard files and their published SHA-256 sums.
FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",  # noqa: E501
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",  # noqa: E501
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


class DownloadError(UserError, RuntimeError):
    """A file that could not be fetched, or that did not match its checksum."""


def default_cache_dir() -> Path:
    """Where verified MNIST files are kept between runs."""
    if "MNIST_CACHE" in os.environ:
        return Path(os.environ["MNIST_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "gradient-descent-video" / "mnist"


def default_mirror() -> str:
    """The mirror to download from: ``MNIST_MIRROR`` or :data:`DEFAULT_MIRROR`."""
    return os.environ.get("MNIST_MIRROR", DEFAULT_MIRROR)


def fetch(
    name: str,
    *,
    mirror: str | None = None,
    cache_dir: Path | None = None,
    checksums: dict[str, str] = FILES,
) -> Path:
    """Return the path of a verified copy of ``name``, downloading it if it is not cached.

    The download is staged beside the cached copy and renamed onto it only once verified
    (:func:`nn.atomic_files.write_atomically`): a failed or refused one leaves nothing behind.
    """
    expected = checksums[name]
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / name
    if target.exists() and sha256_file(target) == expected:
        return target
    url = (mirror or default_mirror()).rstrip("/") + "/" + name
    write_atomically(target, partial(download_verified, url, expected))
    return target


def download_verified(url: str, expected: str, part: Path) -> None:
    """Fill ``part`` with the file at ``url``; refuse it unless its SHA-256 is ``expected``."""
    try:
        with part.open("wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            shutil.copyfileobj(response, out)
        actual = sha256_file(part)
    except OSError as error:
        raise DownloadError(
            f"could not download {url} ({error}); set MNIST_MIRROR to a reachable mirror "
            "or use the embedded subset (MNIST=embedded)"
        ) from error
    if actual != expected:
        raise DownloadError(
            f"{url}: sha256 {actual} does not match the published {expected}; "
            "the mirror serves a different file (set MNIST_MIRROR to another mirror)"
        )


def load_full_mnist(
    *, mirror: str | None = None, cache_dir: Path | None = None, checksums: dict[str, str] = FILES
) -> tuple[np.ndarray, np.ndarray, int, str]:
    """All 70,000 digits (training rows first), their labels, the training count, a digest.

    The digest is the SHA-256 of the four files' published sums, in name order.
    """
    paths = {
        name: fetch(name, mirror=mirror, cache_dir=cache_dir, checksums=checksums)
        for name in checksums
    }
    train_x, train_y = read_images_and_labels(
        paths["train-images-idx3-ubyte.gz"], paths["train-labels-idx1-ubyte.gz"]
    )
    test_x, test_y = read_images_and_labels(
        paths["t10k-images-idx3-ubyte.gz"], paths["t10k-labels-idx1-ubyte.gz"]
    )
    digest = hashlib.sha256("".join(checksums[n] for n in sorted(checksums)).encode()).hexdigest()
    images = np.concatenate([train_x, test_x])
    labels = np.concatenate([train_y, test_y])
    return images, labels, train_x.shape[0], digest
