"""The farm's work on a Dask worker: check the worker, render one job, send back bytes and text.

A job's results name files by where they lie on the worker. The paths that differ between
machines are sent in a portable form: a trace as ``traces:<name>`` (under the traces folder), a
beat's voice as ``voice:<name>`` (under the voice cache), each made a path of the client's own
folders when it publishes (:func:`from_portable`).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CalledProcessError

from nn.errors import UserError
from nn.traces import traces_dir
from pipeline.chunks import ChunkMismatchError, RenderJob
from pipeline.fingerprint import differences, environment_fingerprint
from pipeline.manifest import REPO_ROOT, find_segment
from pipeline.quality import quality
from pipeline.render import TEX_FOLDER, run_manim, save_tex, scratch_media, seed_tex, tex_cache
from scenes.toolkit.play_log import repo_path
from scenes.toolkit.voice import default_voice_cache

__all__ = [
    "FingerprintMismatchError",
    "RenderedJob",
    "from_portable",
    "render_on_worker",
    "to_portable",
]

_PRCTL = ctypes.CDLL(None, use_errno=True).prctl
"""Linux's prctl, looked up before any fork: Manim's process only calls it."""
_PR_SET_PDEATHSIG = 1


class FingerprintMismatchError(UserError):
    """A worker's environment differs from the client's."""


@dataclass(frozen=True)
class RenderedJob:
    """What a worker sends back: a job's movie, portable timeline, subtitles and voice files."""

    job: RenderJob
    movie: bytes
    timeline: str
    subtitles: str
    seconds: float
    worker: str
    voices: dict[str, bytes] = field(default_factory=dict)


def render_on_worker(
    job: RenderJob, quality_key: str, settings: dict[str, str | None], expected: dict[str, object]
) -> RenderedJob:
    """On a worker: check its fingerprint, render ``job`` in a scratch folder, send it back."""
    mismatch = differences(expected, _fingerprint_for(expected))
    if mismatch:
        raise FingerprintMismatchError(f"worker {socket.gethostname()} differs from the client: "
                                       + "; ".join(mismatch))  # fmt: skip
    segment, q = find_segment(job.segment), quality(quality_key)
    started = time.monotonic()
    with scratch_media(segment, q) as media, open(media.parent / f"{media.name}.log", "w+b") as log:
        seed_tex(tex_cache(segment), media / TEX_FOLDER)
        try:
            movie = run_manim(segment, q, media, job.manim_flags, settings,
                              preexec_fn=_die_with_parent, log=log)  # fmt: skip
        except CalledProcessError as error:
            raise UserError(f"{job.key} on {socket.gethostname()}: manim stopped with status "
                            f"{error.returncode}: {_last_line(log)}") from None  # fmt: skip
        except RuntimeError as error:  # Manim left no movie: the range holds no play now
            if job.whole:
                raise
            raise ChunkMismatchError(job.segment, f"{job.key}: {error}") from None
        finally:
            Path(log.name).unlink(missing_ok=True)
        save_tex(media / TEX_FOLDER, tex_cache(segment))
        timeline = json.loads(movie.with_suffix(".timeline.json").read_text(encoding="utf-8"))
        subtitles = movie.with_suffix(".srt")
        voices = {} if job.last is not None else _voice_files(timeline)
        return RenderedJob(
            job, movie.read_bytes(), json.dumps(to_portable(timeline)),
            subtitles.read_text(encoding="utf-8") if subtitles.exists() else "",
            time.monotonic() - started, socket.gethostname(), voices,
        )  # fmt: skip


def _last_line(log) -> str:
    """The last line Manim wrote to ``log``."""
    log.seek(0)
    said = [line.strip() for line in log.read().decode(errors="replace").splitlines()]
    return next((line for line in reversed(said) if line), "no message")


def _voice_files(timeline: dict) -> dict[str, bytes]:
    """The bytes of each beat's voice file, by the portable name of its path."""
    portable = to_portable(timeline)
    return {sent["audio"]: (REPO_ROOT / beat["audio"]).read_bytes()
            for beat, sent in zip(timeline.get("beats", []), portable.get("beats", []),
                                  strict=True)}  # fmt: skip


def to_portable(timeline: dict) -> dict:
    """``timeline`` with its traces and voice files named within their folders, not by path."""
    traces = [_portable(path, traces_dir(), "traces") for path in timeline.get("traces", [])]
    beats = [{**beat, "audio": _portable(REPO_ROOT / beat["audio"], default_voice_cache(),
                                         "voice")}
             for beat in timeline.get("beats", [])]  # fmt: skip
    return {**timeline, "traces": traces, "beats": beats}


def from_portable(timeline: dict) -> dict:
    """``timeline`` sent by :func:`to_portable`, its files named as paths of this machine."""
    folders = {"traces": traces_dir(), "voice": default_voice_cache()}

    def here(name: str) -> Path:
        kind, _, inside = name.partition(":")
        return folders[kind] / inside if kind in folders and inside else REPO_ROOT / name

    traces = [str(here(name)) for name in timeline.get("traces", [])]
    beats = [
        {**beat, "audio": repo_path(here(beat["audio"]))} for beat in timeline.get("beats", [])
    ]
    return {**timeline, "traces": traces, "beats": beats}


def _portable(path: str | Path, folder: Path, kind: str) -> str:
    """``kind:<name within folder>`` for a file in ``folder``; otherwise its path in the repo."""
    resolved = Path(path).resolve()
    try:
        return f"{kind}:{resolved.relative_to(folder.resolve())}"
    except ValueError:
        return repo_path(resolved)


_FINGERPRINTS: dict[str, dict[str, object]] = {}


def _fingerprint_for(expected: dict[str, object]) -> dict[str, object]:
    """The fingerprint of the worker running this, taken once per build (known by its client's)."""
    build = hashlib.sha256(json.dumps(expected, sort_keys=True, default=str).encode()).hexdigest()
    if build not in _FINGERPRINTS:
        _FINGERPRINTS.clear()
        _FINGERPRINTS[build] = environment_fingerprint()
    return _FINGERPRINTS[build]


def _die_with_parent() -> None:
    """In Manim's process: be killed when the worker that started it dies."""
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
