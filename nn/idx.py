"""Parser for the IDX format of the original MNIST files, with checks of magic number and sizes."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

__all__ = [
    "IdxFormatError",
    "parse_idx",
    "read_idx_gz",
    "read_images_and_labels",
]

_UNSIGNED_BYTE = 0x08


class IdxFormatError(ValueError):
    """An IDX file whose header or length is not what was expected."""


def parse_idx(raw: bytes, *, ndim: int, name: str = "IDX data") -> np.ndarray:
    """Parse uncompressed IDX bytes holding unsigned bytes in ``ndim`` dimensions.

    Parameters
    ----------
    raw
        The file's bytes: two zero bytes, a type byte, a dimension count, one big-endian
        uint32 size per dimension, then the data.
    ndim
        The number of dimensions the caller expects (3 for images, 1 for labels).
    name
        How error messages refer to the data.

    Returns
    -------
    numpy.ndarray
        A uint8 array of the shape in the header.

    """
    if len(raw) < 4:
        raise IdxFormatError(f"{name}: {len(raw)} bytes is too short for an IDX header")
    if raw[0] != 0 or raw[1] != 0:
        raise IdxFormatError(f"{name}: bad magic number {raw[:4].hex()} (must start with 0000)")
    if raw[2] != _UNSIGNED_BYTE:
        raise IdxFormatError(f"{name}: data type 0x{raw[2]:02x} is not unsigned byte (0x08)")
    if raw[3] != ndim:
        raise IdxFormatError(f"{name}: {raw[3]} dimensions, expected {ndim}")
    header_length = 4 + 4 * ndim
    if len(raw) < header_length:
        raise IdxFormatError(f"{name}: truncated header")
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = header_length + int(np.prod(shape))
    if len(raw) != expected:
        raise IdxFormatError(
            f"{name}: header promises shape {shape} ({expected} bytes) but the file has {len(raw)}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_length).reshape(shape).copy()


def read_idx_gz(path: Path, *, ndim: int) -> np.ndarray:
    """Read a gzip-compressed IDX file (see :func:`parse_idx`)."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:
        raise IdxFormatError(f"{path}: not a readable gzip file ({error})") from error
    return parse_idx(raw, ndim=ndim, name=str(path))


def read_images_and_labels(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read one MNIST split: images ``[N, 28, 28]`` and labels ``[N]``, both uint8, checked."""
    images = read_idx_gz(images_path, ndim=3)
    labels = read_idx_gz(labels_path, ndim=1)
    if images.shape[1:] != (28, 28):
        raise IdxFormatError(f"{images_path}: images are {images.shape[1:]}, expected (28, 28)")
    if labels.shape[0] != images.shape[0]:
        raise IdxFormatError(
            f"{labels_path}: {labels.shape[0]} labels for {images.shape[0]} images"
        )
    if labels.size and labels.max() > 9:
        raise IdxFormatError(f"{labels_path}: label {labels.max()} is not a digit")
    return images, labels
