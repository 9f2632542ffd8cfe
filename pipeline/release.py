"""The release (``make release``): the final video as a viewer gets it, checked before it is out.

From the joined video of a quality (``make release``: 1080p60; ``QUALITY=k``: 4K), in
``renders/release/<quality>/``: ``gradient-descent.mp4`` with the voice, a soft English
subtitle track from the same cues, a chapter per segment, the title and credits in its metadata
and its index at the front (``faststart``); beside it the subtitles as SRT and WebVTT, a
description as a video page shows it (the chapters' timestamps, the credits as the outro shows
them) and a poster frame.

Nothing is published unless every check passes (:func:`release_problems`): ``make review`` is
clean; the audio and video streams last the same within one frame; the loudness is -16 LUFS
within 1 LU with true peaks at most -1 dBTP; no segment that has words is silent; the picture has
the quality's size and frame rate; each chapter starts where its segment starts; the subtitle
track holds every cue of every beat. The files are published together
(:func:`nn.atomic_files.publish_together`): a refused or interrupted release leaves the previous
one byte for byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from pathlib import Path

import srt

from nn.atomic_files import publish_together
from nn.errors import UserError
from pipeline.join import VIDEO_NAME, joined_video, write_webvtt
from pipeline.quality import Quality, renders_dir
from pipeline.review import review
from pipeline.soundtrack import SILENCE, TARGET_LUFS, loudness, stream_durations
from pipeline.where import load_index

__all__ = [
    "LOUDNESS_TOLERANCE",
    "TITLE",
    "TRUE_PEAK_LIMIT",
    "Chapter",
    "ReleaseRefusedError",
    "chapters",
    "credits_text",
    "description",
    "ffmetadata",
    "make_release",
    "poster_time",
    "probe",
    "release_dir",
    "release_problems",
]

TITLE = "Gradient descent, how neural networks learn"
LOUDNESS_TOLERANCE = 1.0
"""How far, in LU, the release's integrated loudness may be from the target."""
TRUE_PEAK_LIMIT = -1.0
"""The highest true peak a release may have, in dBTP (the mix aims lower)."""


class ReleaseRefusedError(UserError):
    """A check of the release failed: nothing is published."""


@dataclass(frozen=True)
class Chapter:
    """A chapter of the video: a segment's title and where it lies, in seconds."""

    title: str
    start: float
    end: float


def release_dir(q: Quality) -> Path:
    """Where the release at quality ``q`` is published."""
    return renders_dir() / "release" / q.folder


def chapters(index: dict) -> list[Chapter]:
    """One chapter per segment of the index, titled as the manifest names it."""
    return [Chapter(s["chapter"], s["offset"], s["offset"] + s["duration"])
            for s in index["segments"]]  # fmt: skip


def make_release(q: Quality) -> Path:
    """Build the release at quality ``q`` from its joined video, check it, publish it."""
    video = joined_video(q)
    if not video.exists():
        raise UserError(f"no video at {video} yet: run `make video QUALITY={q.key}` first")
    index = load_index(q)
    subtitles = video.with_suffix(".srt").read_text(encoding="utf-8")
    findings = review(q)
    target = release_dir(q)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target, prefix=".release-") as scratch:
        built = Path(scratch) / f"{VIDEO_NAME}.mp4"
        _mux(video, subtitles, index, built)
        problems = release_problems(q, built, index, findings)
        if problems:
            raise ReleaseRefusedError("the release is refused, nothing published:\n  "
                                      + "\n  ".join(problems))  # fmt: skip
        poster = Path(scratch) / f"{VIDEO_NAME}.poster.png"
        _poster(built, poster_time(index), poster)
        text = description(index)
        publish_together([
            (target / f"{VIDEO_NAME}.srt",
             lambda part: part.write_text(subtitles, encoding="utf-8")),
            (target / f"{VIDEO_NAME}.vtt", partial(write_webvtt, subtitles)),
            (target / f"{VIDEO_NAME}.description.txt",
             lambda part: part.write_text(text, encoding="utf-8")),
            (target / f"{VIDEO_NAME}.poster.png", partial(shutil.copyfile, poster)),
            (target / f"{VIDEO_NAME}.mp4", partial(shutil.copyfile, built)),
        ])  # fmt: skip
    return target / f"{VIDEO_NAME}.mp4"


def _mux(video: Path, subtitles: str, index: dict, target: Path) -> None:
    """Write ``target``: ``video``'s streams, a subtitle track, chapters and metadata, faststart."""
    folder = target.parent
    (folder / "cues.srt").write_text(subtitles, encoding="utf-8")
    (folder / "metadata.txt").write_text(ffmetadata(index), encoding="utf-8")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(video), "-i", str(folder / "cues.srt"),
         "-i", str(folder / "metadata.txt"), "-map", "0:v:0", "-map", "0:a:0", "-map", "1:s:0",
         "-map_metadata", "2", "-map_chapters", "2", "-c:v", "copy", "-c:a", "copy",
         "-c:s", "mov_text", "-metadata:s:s:0", "language=eng", "-metadata:s:s:0",
         "handler_name=English", "-metadata:s:a:0", "language=eng", "-movflags", "+faststart",
         "-f", "mp4", str(target)],
        check=True,
    )  # fmt: skip


def ffmetadata(index: dict) -> str:
    """Ffmpeg's metadata file of the release: title, credits and one chapter per segment."""
    lines = [";FFMETADATA1", f"title={_escaped(TITLE)}",
             f"comment={_escaped(credits_text(index))}"]  # fmt: skip
    for chapter in chapters(index):
        start, end = round(chapter.start * 1000), round(chapter.end * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}",
                  f"title={_escaped(chapter.title)}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def _escaped(value: str) -> str:
    """``value`` with the characters ffmetadata reserves escaped by a backslash."""
    for reserved in ("\\", "=", ";", "#", "\n"):
        value = value.replace(reserved, "\\" + reserved)
    return value


def credits_text(index: dict) -> str:
    """The credits the video shows, one block per title, as plain text."""
    blocks = [credit for segment in index["segments"] for credit in segment.get("credits", [])]
    return "\n\n".join(f"{b['title']}:\n" + "\n".join(b["lines"]) for b in blocks)


def description(index: dict) -> str:
    """The text beside the video on its page: title, chapters with their times, credits."""
    chapter_lines = [f"{_timestamp(c.start)} {c.title}" for c in chapters(index)]
    return "\n".join([TITLE, "", "Chapters:", *chapter_lines, "", credits_text(index), ""])


def _timestamp(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) as video pages write chapter times; the second rounded down."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def poster_time(index: dict) -> float:
    """When the poster frame is taken: the title card, once its first beat's animations end."""
    first = index["segments"][0]
    beats = first.get("beats", [])
    return beats[0]["animations_end"] if beats else first["offset"] + first["duration"] / 2


def _poster(video: Path, seconds: float, target: Path) -> None:
    """Write ``target``: the frame of ``video`` at ``seconds``, full size, as PNG."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{seconds:.3f}", "-i", str(video),
                    "-frames:v", "1", str(target)], check=True)  # fmt: skip


def release_problems(q: Quality, video: Path, index: dict, findings: list) -> list[str]:
    """Every reason the release in ``video`` must not be published; none when it may."""
    problems = [f"make review has {len(findings)} finding(s): run `make review "
                f"QUALITY={q.key}` and fix them"] if findings else []  # fmt: skip
    probed = probe(video)
    frame = 1 / q.fps
    picture = next(s for s in probed["streams"] if s["codec_type"] == "video")
    size, rate = (picture["width"], picture["height"]), Fraction(picture["r_frame_rate"])
    if size != (q.width, q.height) or rate != q.fps:
        problems.append(f"the picture is {size[0]}x{size[1]} at {float(rate):g} fps, not "
                        f"{q.width}x{q.height} at {q.fps} fps")  # fmt: skip
    durations = stream_durations(video)
    if "audio" not in durations:
        problems.append("the release has no sound")
    elif abs(durations["audio"] - durations["video"]) > frame:
        problems.append(f"sound {durations['audio']:.3f} s and picture {durations['video']:.3f} s "
                        f"differ by more than a frame ({frame:.3f} s)")  # fmt: skip
    if "audio" in durations:
        problems += _loudness_problems(video, index)
    problems += _chapter_problems(probed, index, frame)
    problems += _cue_problems(video, index)
    return problems


def probe(video: Path) -> dict:
    """Ffprobe's streams, chapters and format of ``video``."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_chapters",
                          "-show_format", "-of", "json", str(video)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return json.loads(out)


def _loudness_problems(video: Path, index: dict) -> list[str]:
    """The whole track off its loudness target, and segments with words that are silent."""
    measured = loudness(video)
    problems = []
    if abs(measured["integrated"] - TARGET_LUFS) > LOUDNESS_TOLERANCE:
        problems.append(f"integrated loudness {measured['integrated']:.1f} LUFS, not "
                        f"{TARGET_LUFS:g} within {LOUDNESS_TOLERANCE:g} LU")  # fmt: skip
    if measured["true_peak"] > TRUE_PEAK_LIMIT:
        problems.append(f"true peak {measured['true_peak']:.1f} dBTP, above "
                        f"{TRUE_PEAK_LIMIT:g} dBTP")  # fmt: skip
    for segment in index["segments"]:
        if not segment.get("beats"):
            continue
        heard = loudness(video, start=segment["offset"], duration=segment["duration"])
        if heard["integrated"] <= SILENCE:
            problems.append(f"segment {segment['name']} is silent, but has "
                            f"{len(segment['beats'])} beat(s) of words")  # fmt: skip
    return problems


def _chapter_problems(probe: dict, index: dict, frame: float) -> list[str]:
    """Chapters missing, or starting elsewhere than their segments."""
    found = probe.get("chapters", [])
    expected = chapters(index)
    if len(found) != len(expected):
        return [f"the release has {len(found)} chapter(s), the video {len(expected)} segments"]
    return [f"chapter {chapter.title!r} starts at {float(mark['start_time']):.3f} s, its "
            f"segment at {chapter.start:.3f} s"
            for chapter, mark in zip(expected, found, strict=True)
            if abs(float(mark["start_time"]) - chapter.start) > frame]  # fmt: skip


def _cue_problems(video: Path, index: dict) -> list[str]:
    """Cues of the beats that the release's subtitle track lacks, in order."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-map", "0:s:0", "-f", "srt",
                          "-"], capture_output=True, text=True)  # fmt: skip
    if out.returncode:
        return ["the release has no subtitle track"]
    track = [" ".join(cue.content.split()) for cue in srt.parse(out.stdout)]
    problems, at = [], 0
    for segment in index["segments"]:
        for beat in segment.get("beats", []):
            for cue in beat["cues"]:
                words = " ".join(cue["text"].split())
                if words in track[at:]:
                    at = track.index(words, at) + 1
                else:
                    when = _timestamp(beat["start"] + cue["start"])
                    problems.append(f"the subtitle track lacks the cue at {when}: {words!r}")
    return problems
