"""Join the rendered segments, in manifest order, into one video, one subtitle file and an index.

The picture is concatenated without re-encoding (ffmpeg's concat demuxer); the sound is mixed
once over the joined picture from every beat's audio (see :mod:`scenes.build.soundtrack`), so
audio and video stay in sync. Each segment's subtitles are shifted by the segment's offset into
``gradient-descent.srt``, with a WebVTT copy ``gradient-descent.vtt`` beside it. The index
``gradient-descent.index.json`` lists every segment's offset and duration and every animation's
start and end in video time with the ``file:line`` that played it, every beat and declared
pause; ``make where``, ``make review`` and ``make script`` read it.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import tempfile
from pathlib import Path

import srt

from nn.npz_io import write_text_atomically
from scenes.build.manifest import Segment, read_manifest
from scenes.build.quality import Quality
from scenes.build.render import segment_timeline, segment_video
from scenes.build.soundtrack import add_soundtrack, placements, video_duration

VIDEO_NAME = "gradient-descent"
INDEX_VERSION = 2


def joined_video(q: Quality) -> Path:
    """The whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.mp4"


def index_path(q: Quality) -> Path:
    """The index of the whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.index.json"


def shift_subtitles(pieces: list[tuple[str, float]]) -> str:
    """One SRT document from ``(srt_text, offset_seconds)`` pieces, renumbered from 1."""
    subtitles = []
    for text, offset in pieces:
        shift = datetime.timedelta(seconds=offset)
        for subtitle in srt.parse(text):
            subtitle.start += shift
            subtitle.end += shift
            subtitles.append(subtitle)
    return srt.compose(subtitles, reindex=True, start_index=1)


def build_index(segments: list[Segment], q: Quality, durations: list[float]) -> dict:
    """The index of the joined video: segments with offsets, animations in video time."""
    entries, offset = [], 0.0
    for segment, duration in zip(segments, durations, strict=True):
        timeline = json.loads(segment_timeline(segment, q).read_text(encoding="utf-8"))
        entries.append({
            "name": segment.name,
            "scene": segment.scene,
            "file": segment.file,
            "offset": offset,
            "duration": duration,
            "plays": [
                {**play, "start": offset + play["start"], "end": offset + play["end"]}
                for play in timeline["plays"]
            ],
            "texts": [{**t, "time": offset + t["time"]} for t in timeline["texts"]],
            "off_screen": [{**o, "time": offset + o["time"]} for o in timeline["off_screen"]],
            "anchors": [
                {**a, "first_drift_time": None if a["first_drift_time"] is None
                 else offset + a["first_drift_time"]}
                for a in timeline["anchors"]
            ],
            "beats": [_shifted(b, offset, "start", "voice_end", "animations_end", "end")
                      for b in timeline.get("beats", [])],
            "pauses": [_shifted(p, offset, "start", "end") for p in timeline.get("pauses", [])],
            "voice": timeline.get("voice"),
        })  # fmt: skip
        offset += duration
    return {"version": INDEX_VERSION, "quality": q.folder, "video": f"{VIDEO_NAME}.mp4",
            "duration": offset, "segments": entries}  # fmt: skip


def _shifted(entry: dict, offset: float, *keys: str) -> dict:
    """``entry`` with the times under ``keys`` moved ``offset`` seconds later."""
    return {**entry, **{key: offset + entry[key] for key in keys}}


def write_webvtt(srt_path: Path) -> Path:
    """A WebVTT copy of the subtitles at ``srt_path`` (for browsers), converted by ffmpeg."""
    target = srt_path.with_suffix(".vtt")
    part = target.with_name(f".{target.name}.part")
    try:
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(srt_path), "-f", "webvtt",
                        str(part)], check=True)  # fmt: skip
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def join_segments(q: Quality, segments: list[Segment] | None = None) -> Path:
    """Concatenate every segment's video, subtitles and timeline; return the video's path."""
    segments = segments or read_manifest()
    videos = [segment_video(segment, q) for segment in segments]
    missing = [str(v) for v in videos if not v.exists()]
    if missing:
        raise FileNotFoundError(
            f"segments not rendered yet: {', '.join(missing)}; run `make video QUALITY={q.key}`"
        )
    durations = [video_duration(v) for v in videos]
    target = joined_video(q)
    part = target.with_name(f".{target.name}.part")
    picture = target.with_name(f".{target.stem}.picture.mp4")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        for video in videos:
            listing.write(f"file '{video.resolve()}'\n")
    try:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listing.name,
             "-map", "0:v:0", "-c", "copy", "-f", "mp4", str(picture)],
            check=True,
        )  # fmt: skip
        index = build_index(segments, q, durations)
        sounds = [p for s in index["segments"] for p in placements(s["beats"])]
        add_soundtrack(picture, sounds, part)
        offsets = [sum(durations[:i]) for i in range(len(durations))]
        pieces = [
            (v.with_suffix(".srt").read_text(encoding="utf-8"), o)
            for v, o in zip(videos, offsets, strict=True)
        ]
        write_text_atomically(target.with_suffix(".srt"), shift_subtitles(pieces))
        write_webvtt(target.with_suffix(".srt"))
        write_text_atomically(index_path(q), json.dumps(index, indent=1) + "\n")
        os.replace(part, target)
    finally:
        Path(listing.name).unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        picture.unlink(missing_ok=True)
    return target
