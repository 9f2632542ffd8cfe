"""Files written whole: under a unique temporary name beside the target, then renamed onto it.

Every file is written in full under a unique temporary name in its target's folder (so that the
rename stays on one file system) and renamed onto the target, so readers and concurrent writers
only ever see a whole file: the previous one or the new one, never half of either. Files that
belong together (a segment's video, subtitles and timeline) are all written first, then renamed
together, one after another with SIGINT, SIGTERM and SIGHUP held back, so that an interrupt
cannot leave some new beside others old. A write that fails leaves no temporary file behind.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "HELD_SIGNALS",
    "Writer",
    "give_ordinary_mode",
    "interrupts_held",
    "publish_together",
    "stage",
    "write_atomically",
    "write_bytes_atomically",
    "write_text_atomically",
]

Writer = Callable[[Path], object]
"""Fills the file at the path it is given (a temporary file beside the target)."""

HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that :func:`publish_together` holds back while it renames."""


def write_atomically(target: Path, write: Writer) -> None:
    """Write one file whole: ``write(part)`` fills a temporary file, then it replaces ``target``.

    If ``write`` raises, the exception propagates, the temporary file is removed and ``target``
    keeps its previous bytes.
    """
    publish_together([(target, write)])


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole, through a temporary file and a rename."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, through a temporary file and a rename.

    Writers that race on one path (two builds sharing a cache) each rename a whole file.
    """
    write_atomically(path, lambda part: part.write_bytes(data))


def stage(target: Path, write: Writer) -> Path:
    """A finished temporary file beside ``target``, under a unique name, filled by ``write``.

    The folder of ``target`` is made if it is missing. The file's name starts with a dot and
    ends in ``.part`` (a tool that picks a format by the name must be told it); it has the
    permissions of a newly created file, and nothing is left behind if ``write`` fails.
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
