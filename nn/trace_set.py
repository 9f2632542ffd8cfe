"""The trace set as one transaction: built whole beside the traces folder, then swapped in.

Every trace of a build is written into a staging folder next to the traces folder, read back
and checked, and only then swapped in by two renames that an interrupt cannot cut apart. A
failed, refused or interrupted build leaves the previous set byte for byte. A file whose bytes
did not change keeps its old timestamp, so renders that read it are not redone.

``recipe.json`` records what the set was asked for (training settings, data, the digest of the
code in ``nn/``), so that :func:`set_problems` can tell a stale set from a good one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nn.atomic_files import give_ordinary_mode, interrupts_held, write_text_atomically
from nn.errors import UserError
from nn.npz_io import sha256_file, write_npz
from nn.traces import (
    TRACE_NAMES,
    TraceError,
    load_trace,
    trace_entry,
    trace_metadata,
    trace_set_id,
)

__all__ = [
    "NN_CODE",
    "NOT_NUMERIC",
    "RECIPE_FILE",
    "PendingTrace",
    "check_writable",
    "clear_leftovers",
    "code_digest",
    "set_problems",
    "trace_lock",
    "write_trace_set",
]

RECIPE_FILE = "recipe.json"
NN_CODE = Path(__file__).resolve().parent
NOT_NUMERIC = {"__init__.py", "__main__.py", "atomic_files.py", "bench.py", "cli.py", "errors.py",
               "parameter_address.py"}  # fmt: skip
"""Modules of ``nn/`` that cannot change a trace's bytes: editing them keeps the set fresh."""


@dataclass(frozen=True)
class PendingTrace:
    """A computed trace waiting to be written with its set."""

    name: str
    """Its name in the catalog (:data:`nn.traces.TRACES`), which gives its kind and sources."""
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def code_digest() -> str:
    """Digest of the code that computes and writes traces: a change makes the set stale."""
    digest = hashlib.sha256()
    for path in sorted(p for p in NN_CODE.glob("*.py") if p.name not in NOT_NUMERIC):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_HELD: set[Path] = set()


@contextmanager
def trace_lock(directory: Path) -> Iterator[None]:
    """Hold the traces folder's lock: one build or repair at a time; others wait their turn."""
    lock = directory.resolve().with_name(f".{directory.name}.lock")
    if lock in _HELD:  # this process holds it already
        yield
        return
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = lock.open("a")
    except OSError:  # a read-only folder: nobody can write a set there, so none to wait for
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.add(lock)
        try:
            yield
        finally:
            _HELD.discard(lock)
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_trace_set(directory: Path, traces: list[PendingTrace], recipe: dict) -> list[Path]:
    """Write ``traces`` as one set replacing whatever ``directory`` held; return the files.

    Raises
    ------
    UserError
        If ``directory`` holds files that are not traces (nothing is replaced then).

    """
    directory = directory.resolve()  # a link to the folder stays a link; its target is replaced
    with trace_lock(directory):
        _refuse_foreign_files(directory)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".part",
                                        dir=directory.resolve().parent))  # fmt: skip
        give_ordinary_mode(staging)  # a folder like any other, not mkdtemp's private one
        try:
            _write_staged(staging, traces, recipe)
            problems = set_problems(staging, recipe)
            if problems:
                raise TraceError(staging, f"the new set does not read back: {problems[0]}")
            _keep_unchanged_timestamps(staging, directory)
            _swap_in(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return sorted(path for path in directory.iterdir() if not path.name.startswith("."))


def _write_staged(staging: Path, traces: list[PendingTrace], recipe: dict) -> None:
    """Every trace's arrays, then every trace's metadata naming the whole set, then the recipe."""
    metas, digests = {}, {}
    for trace in traces:
        metas[trace.name] = trace_metadata(trace.name, trace.arrays, trace.meta)
        write_npz(staging / f"{trace.name}.npz", trace.arrays)
        digests[trace.name] = sha256_file(staging / f"{trace.name}.npz")
    identity = trace_set_id(digests)
    for trace in traces:
        meta = {
            **metas[trace.name],
            "npz_sha256": digests[trace.name],
            "trace_set": {"id": identity, "members": digests},
            "made_from": {source: digests[source] for source in trace_entry(trace.name).made_from},
        }
        write_text_atomically(staging / f"{trace.name}.json", _json(meta))
    write_text_atomically(staging / RECIPE_FILE, _json({"recipe": recipe, "trace_set": identity}))


def _json(value: dict) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def set_problems(directory: Path, recipe: dict | None = None) -> list[str]:
    """Why the set in ``directory`` cannot be used as is (empty when it can).

    Every trace is loaded and checked (missing, corrupt, stale, mixed); with ``recipe``, the
    set must also have been built from it.
    """
    problems = []
    for name in TRACE_NAMES:
        try:
            load_trace(name, directory)
        except TraceError as error:
            problems.append(f"{error.path}: {error.problem}")
    if recipe is not None and not problems:
        problems += _recipe_problems(directory, recipe)
    return problems


def _recipe_problems(directory: Path, wanted: dict) -> list[str]:
    path = directory / RECIPE_FILE
    try:
        built = json.loads(path.read_text(encoding="utf-8"))["recipe"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{path}: the set's recipe is missing or unreadable"]
    if built.get("nn_code") != wanted["nn_code"]:
        return [f"{path}: the code in nn/ changed since the traces were built"]
    flat_built, flat_wanted = _flat(built), _flat(wanted)
    return [
        f"{path}: {key} is {flat_built.get(key)!r}, asked for {value!r}"
        for key, value in flat_wanted.items()
        if flat_built.get(key) != value
    ]


def _flat(recipe: dict) -> dict[str, Any]:
    """``{"training": {"epochs": 30}}`` as ``{"epochs": 30}``: settings as a user names them."""
    flat: dict[str, Any] = {}
    for key, value in recipe.items():
        flat.update(value if isinstance(value, dict) else {key: value})
    return flat


def check_writable(directory: Path) -> None:
    """Fail now, with the operating system's one-line reason, if a set cannot be written here."""
    _refuse_foreign_files(directory.resolve())
    parent = directory.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{directory.name}.", suffix=".probe", dir=parent):
        pass


def _refuse_foreign_files(directory: Path) -> None:
    """Refuse to replace a mount point, or a folder that holds anything but a trace set."""
    if not directory.exists():
        return
    if directory.is_mount():
        raise UserError(
            f"{directory} is a mount point, which cannot be swapped; mount its parent instead "
            "or point GD_TRACES_DIR at a folder inside it"
        )
    allowed = {f"{name}{suffix}" for name in TRACE_NAMES for suffix in (".npz", ".json")}
    foreign = sorted(
        p.name
        for p in directory.iterdir()
        if p.name not in allowed | {RECIPE_FILE} and not p.name.startswith(".")
    )
    if foreign:
        raise UserError(
            f"{directory} holds {', '.join(foreign[:3])}, which are not traces; "
            "give an empty folder or a traces folder (--out, GD_TRACES_DIR)"
        )


def _keep_unchanged_timestamps(staging: Path, directory: Path) -> None:
    """Give each new file whose bytes equal the old one's the old timestamps."""
    for new in staging.iterdir():
        old = directory / new.name
        same_size = old.is_file() and old.stat().st_size == new.stat().st_size
        if same_size and sha256_file(old) == sha256_file(new):
            stat = old.stat()
            os.utime(new, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _swap_in(staging: Path, directory: Path) -> None:
    """Replace ``directory`` by ``staging`` with two renames no interrupt can come between."""
    retired = staging.with_suffix(".old")
    with interrupts_held():
        if directory.exists():
            os.rename(directory, retired)
        try:
            os.rename(staging, directory)
        except BaseException:
            if retired.exists():
                os.rename(retired, directory)
            raise
    shutil.rmtree(retired, ignore_errors=True)


def clear_leftovers(directory: Path) -> None:
    """Remove what a killed build left beside ``directory``; restore a set a kill left aside.

    Call it holding :func:`trace_lock`: every staging folder seen then belongs to a dead build.
    """
    parent = directory.resolve().parent
    retired = sorted(parent.glob(f".{directory.name}.*.old"), key=lambda p: p.stat().st_mtime)
    if not directory.exists() and retired:
        os.rename(retired.pop(), directory)
    for leftover in [*retired, *parent.glob(f".{directory.name}.*.part")]:
        shutil.rmtree(leftover, ignore_errors=True)
