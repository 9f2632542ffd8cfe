"""Errors a user can cause and fix, and the one line a command gives for them.

A :class:`UserError`'s message says what went wrong and what fixes it. The command lines print
it as one line (``DEBUG=1`` shows the traceback instead); so are the operating system's errors a
user can cause, such as a read-only ``renders/`` folder. A bug keeps its traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "INTERRUPTED_STATUS",
    "SettingError",
    "UserError",
    "debugging",
    "describe_os_error",
    "one_line",
    "run_for_user",
    "terminations_as_exit",
]

INTERRUPTED_STATUS = 130


class UserError(Exception):
    """An error the user can fix; its message names the fix."""


class SettingError(UserError, ValueError):
    """A setting (a command-line argument, a make variable) that cannot be used."""


def debugging() -> bool:
    """True when ``DEBUG`` is set to anything but empty or 0: show tracebacks."""
    return os.environ.get("DEBUG", "") not in ("", "0")


def describe_os_error(error: OSError) -> str:
    """One line on an operating-system error and what fixes it."""
    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    folder = Path(error.filename).parent if error.filename else Path("renders")
    if isinstance(error, PermissionError):
        return f"{where}{reason}; make {folder} writable (chmod -R u+w {folder})"
    if error.errno == errno.EROFS:
        return (
            f"{where}{reason}; write elsewhere (GD_RENDERS_DIR, GD_TRACES_DIR) or mount {folder} "
            "writable"
        )
    if error.errno == errno.ENOSPC:
        return f"{where}{reason}; free some disk space and run the command again"
    return f"{where}{reason}"


def one_line(error: BaseException) -> str:
    """The message of ``error`` on one line."""
    text = describe_os_error(error) if isinstance(error, OSError) else str(error)
    return " ".join(text.split())


def run_for_user(command: Callable[[], int], *, interrupted: str = "interrupted") -> int:
    """Run ``command`` and turn the errors a user can cause into one line on stderr.

    An interrupt prints ``interrupted`` and returns 130. Under ``DEBUG=1`` errors propagate;
    any other error is a bug and keeps its traceback.
    """
    try:
        return command()
    except (UserError, OSError) as error:
        if debugging():
            raise
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if debugging():
            raise
        print(interrupted, file=sys.stderr)
        return INTERRUPTED_STATUS


@contextmanager
def terminations_as_exit() -> Iterator[None]:
    """Let SIGTERM and SIGHUP end the process through ``SystemExit``, so clean-up code runs.

    Python's default for them ends the process at once, which would leave scratch folders and
    temporary files behind. Signals can only be caught in the main thread: elsewhere this
    does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    caught = (signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, stop) for number in caught}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
