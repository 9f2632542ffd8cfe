"""Files written whole: reproducible ``.npz`` files read without pickle, atomic writes and renames.

Same arrays give the same bytes; every file is written under a unique temporary name beside its
target and renamed onto it, so readers and concurrent writers only ever see whole files.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

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

    publish_together([(path, write)])


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Writers that race on one path (two builds sharing a cache) each rename a whole file.
    """
    publish_together([(path, lambda part: part.write_bytes(data))])


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


Writer = Callable[[Path], object]
"""Fills the file at the path it is given (a temporary file beside the target)."""

HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that :func:`publish_together` holds back while it renames."""


def stage(target: Path, write: Writer) -> Path:
    """A finished temporary file beside ``target``, under a unique name, filled by ``write``.

    It has the permissions of a newly created file; nothing is left behind if ``write`` fails.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    part = Path(name)
    try:
        write(part)
        give_ordinary_mode(part)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return part


def give_ordinary_mode(path: Path) -> None:
    """Give a file or folder made under a private temporary name the mode a new one would have."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def publish_together(files: Sequence[tuple[Path, Writer]]) -> None:
    """Publish files that belong together, so that no reader finds some new and others old.

    Each ``(target, write)`` pair names a file and how to make it: ``write(part)`` fills a
    temporary file under a unique name beside ``target`` (:func:`stage`). Every step that can
    fail runs first: only when all the files are written are they renamed onto their targets,
    in the order given, with SIGINT, SIGTERM and SIGHUP held back until the last rename, so that
    an interrupt cannot fall between two renames. Put last the file that make takes as the sign
    of a finished build. If a write fails or the build is interrupted before the renames, the
    temporary files are removed and every target keeps its previous bytes.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, write in files:
            staged.append((stage(target, write), target))
        with interrupts_held():
            while staged:
                part, target = staged[0]
                os.replace(part, target)
                staged.pop(0)
    finally:
        for part, _ in staged:
            part.unlink(missing_ok=True)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends, then deliver them.

    Their Python handlers are swapped for one that notes them. Python runs signal handlers in
    the main thread whichever thread the system delivers a signal to, so this holds with other
    threads in the process (numpy's OpenBLAS starts some), where blocking the signals in this
    thread alone (``signal.pthread_sigmask``) lets another thread take them. Outside the main
    thread it does nothing: there, no signal raises an exception.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {number: signal.signal(number, lambda got, _frame: noted.append(got))
                for number in HELD_SIGNALS}  # fmt: skip
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(noted):
            signal.raise_signal(number)
