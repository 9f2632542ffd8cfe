"""Reproducible ``.npz`` files read without pickle, and the SHA-256 of a file.

Same arrays give the same bytes: member order and timestamps are fixed. Each ``.npz`` is
written whole (:mod:`nn.atomic_files`), so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from nn.atomic_files import write_atomically

__all__ = ["read_npz", "sha256_file", "write_npz"]

# A fixed timestamp for every member, so that the same arrays always give the same file.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_npz(path: Path, arrays: Mapping[str, np.ndarray], *, compress: bool = False) -> None:
    """Write ``arrays`` to ``path`` as an ``.npz`` readable with ``allow_pickle=False``.

    The file is written to a temporary name beside ``path`` and renamed into place, so a reader
    never sees half a file. Member order and timestamps are fixed: the bytes depend on the
    arrays alone.
    """
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED

    def write(part: Path) -> None:
        with part.open("wb") as raw, zipfile.ZipFile(raw, "w", compression=method) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
                info.compress_type = method
                info.external_attr = 0o644 << 16
                archive.writestr(info, buffer.getvalue())

    write_atomically(path, write)


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` file, loaded without pickle."""
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
