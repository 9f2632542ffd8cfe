"""The soundtrack: every beat's voice mixed once over a picture, loudness-normalised for the web.

A segment's video and the joined video get their sound the same way: each beat's audio (its
WAV in the voice cache, or its recorded take) is decoded at :data:`SAMPLE_RATE` and added at the
beat's start, into one track exactly as long as the picture (silence where nobody speaks).
The track is normalised to :data:`TARGET_LUFS` integrated with true peaks below
:data:`TARGET_TRUE_PEAK`: a synthesised voice peaks high for its loudness, so the track is first
raised by the measured shortfall and its peaks limited (``volume``, ``alimiter``), measured again,
and brought to the target by a last linear gain that keeps the true peak under its ceiling.
Every measurement is ffmpeg's ``ebur128`` filter (ITU-R BS.1770 loudness, true peaks): the same
measure as ``loudnorm``'s, about five times faster on a long track, since it needs no resampling
to 192 kHz. It is encoded
once to AAC and muxed beside the picture, which is copied as it is. Mixing over the joined picture,
rather than joining segments' AAC tracks, avoids the encoder's priming silence at every seam.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn.errors import UserError
from pipeline.manifest import REPO_ROOT

__all__ = [
    "LIMITER_ROUNDS",
    "LIMIT_DB",
    "SAMPLE_RATE",
    "SILENCE",
    "TARGET_LUFS",
    "TARGET_TRUE_PEAK",
    "Placement",
    "SoundtrackError",
    "add_soundtrack",
    "decode",
    "loudness",
    "mix",
    "placements",
    "stream_durations",
    "video_duration",
]

SAMPLE_RATE = 48_000
TARGET_LUFS = -16.0
"""Integrated loudness of the published tracks (LUFS), the usual target for web video."""
TARGET_TRUE_PEAK = -1.5
"""Ceiling of the true peak (dBTP): half a dB below the -1 dBTP limit, for the AAC encoder."""
LIMIT_DB = -3.0
"""Sample peak ceiling of the limiter that runs before the last gain (dBFS)."""
LIMITER_ROUNDS = 4
SILENCE = -70.0
"""At or below this integrated loudness (LUFS, ebur128's floor) a track is silence: no gain."""


class SoundtrackError(UserError, RuntimeError):
    """A beat's audio that cannot be found or read."""


@dataclass(frozen=True)
class Placement:
    """One beat's audio file and where it starts, in seconds of the picture."""

    path: Path
    start: float


def placements(beats: Iterable[dict]) -> list[Placement]:
    """Where each beat of a timeline (or an index segment) sounds."""
    return [Placement(REPO_ROOT / beat["audio"], beat["start"]) for beat in beats]


def decode(path: Path) -> np.ndarray:
    """Mono float samples of an audio file at :data:`SAMPLE_RATE`, decoded by ffmpeg."""
    if not path.exists():
        raise SoundtrackError(f"{path} is gone (the voice cache was cleared?); render again")
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1",
         "-ar", str(SAMPLE_RATE), "pipe:1"],
        capture_output=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SoundtrackError(f"cannot decode {path}: {result.stderr.decode()[-200:]}")
    return np.frombuffer(result.stdout, dtype="<f4")


def mix(sounds: Iterable[Placement], duration: float) -> np.ndarray:
    """One mono track of ``duration`` seconds with every sound added at its start."""
    track = np.zeros(round(duration * SAMPLE_RATE), dtype=np.float32)
    for sound in sounds:
        samples = decode(sound.path)
        start = round(sound.start * SAMPLE_RATE)
        end = min(len(track), start + len(samples))
        if end > start:
            track[start:end] += samples[: end - start]
    return track


def video_duration(path: Path) -> float:
    """Seconds of the video stream of ``path``."""
    return stream_durations(path)["video"]


def stream_durations(path: Path) -> dict[str, float]:
    """Seconds of the first video and audio streams of ``path``, by ffprobe."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "json",
         str(path)], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found: dict[str, float] = {}
    for stream in json.loads(out)["streams"]:
        found.setdefault(stream["codec_type"], float(stream.get("duration", "nan")))
    return found


def _raw_input(raw: Path) -> list[str]:
    return ["-f", "f32le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(raw)]


def _ebur128(inputs: list[str], chain: str = "", what: str = "the track") -> dict[str, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ffmpeg ``inputs``, by ``ebur128``.

    ``chain`` holds the filters applied first: empty, or ending in a comma.
    """
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", *inputs,
         "-af", f"{chain}ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = result.stderr[result.stderr.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if "Summary:" not in result.stderr or not integrated or not peak:
        raise SoundtrackError(f"ebur128 gave no summary for {what}")
    return {"integrated": float(integrated.group(1)), "true_peak": float(peak.group(1))}


def _normalisation(raw: Path) -> str | None:
    """The filters that bring the track in ``raw`` to the target, or None for silence."""
    measured = _ebur128(_raw_input(raw))
    if measured["integrated"] <= SILENCE:  # ebur128 reports silence as its floor, -70 LUFS
        return None
    limit = 10 ** (LIMIT_DB / 20)
    limiter = f"alimiter=limit={limit:.4f}:level=disabled:attack=5:release=50"
    gain = 0.0
    for _ in range(LIMITER_ROUNDS):  # the limiter takes some loudness away: raise, measure again
        gain += TARGET_LUFS - measured["integrated"]
        chain = f"volume={gain:.2f}dB,{limiter},"
        measured = _ebur128(_raw_input(raw), chain)
        if abs(measured["integrated"] - TARGET_LUFS) < 0.3:
            break
    last = min(TARGET_LUFS - measured["integrated"], TARGET_TRUE_PEAK - measured["true_peak"])
    return f"{chain}volume={last:.2f}dB"


def add_soundtrack(picture: Path, sounds: Iterable[Placement], target: Path) -> None:
    """Write ``target``: the video stream of ``picture`` with the mixed, normalised voice."""
    duration = video_duration(picture)
    track = mix(sounds, duration)
    with tempfile.TemporaryDirectory(prefix="soundtrack-") as folder:
        raw = Path(folder) / "mix.f32"
        raw.write_bytes(track.astype("<f4").tobytes())
        normalise = _normalisation(raw)
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(picture), *_raw_input(raw),
             "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
             *(["-af", normalise] if normalise else []),
             "-ar", str(SAMPLE_RATE), "-ac", "2", "-c:a", "aac", "-b:a", "160k",
             "-t", f"{duration:.6f}", "-movflags", "+faststart", "-f", "mp4", str(target)],
            check=True,
        )  # fmt: skip


def loudness(path: Path, start: float = 0.0, duration: float | None = None) -> dict[str, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of the audio of ``path`` (ebur128).

    ``start`` and ``duration`` (seconds) measure a part of it.
    """
    part = ["-ss", f"{start:.3f}", *(["-t", f"{duration:.3f}"] if duration is not None else [])]
    return _ebur128([*part, "-i", str(path), "-map", "0:a:0"], what=str(path))
