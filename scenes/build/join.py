"""Join the rendered segments, in manifest order, into one video, one subtitle file and an index.

The video is concatenated without re-encoding (ffmpeg's concat demuxer). Each segment's
subtitles are shifted by the segment's offset into ``gradient-descent.srt``. The index
``gradient-descent.index.json`` lists every segment's offset and duration and every animation's
start and end in video time with the ``file:line`` that played it; ``make where`` and
``make review`` read it.
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

VIDEO_NAME = "gradient-descent"
INDEX_VERSION = 1


def joined_video(q: Quality) -> Path:
    """The whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.mp4"


def index_path(q: Quality) -> Path:
    """The index of the whole video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.index.json"


def media_duration(path: Path) -> float:
    """Duration of a video file in seconds, as ffprobe reads its container."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(out.strip())


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
        })  # fmt: skip
        offset += duration
    return {"version": INDEX_VERSION, "quality": q.folder, "video": f"{VIDEO_NAME}.mp4",
            "duration": offset, "segments": entries}  # fmt: skip


def join_segments(q: Quality, segments: list[Segment] | None = None) -> Path:
    """Concatenate every segment's video, subtitles and timeline; return the video's path."""
    segments = segments or read_manifest()
    videos = [segment_video(segment, q) for segment in segments]
    missing = [str(v) for v in videos if not v.exists()]
    if missing:
        raise FileNotFoundError(
            f"segments not rendered yet: {', '.join(missing)}; run `make video QUALITY={q.key}`"
        )
    durations = [media_duration(v) for v in videos]
    target = joined_video(q)
    part = target.with_name(f".{target.name}.part")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        for video in videos:
            listing.write(f"file '{video.resolve()}'\n")
    try:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listing.name,
             "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(part)],
            check=True,
        )  # fmt: skip
        offsets = [sum(durations[:i]) for i in range(len(durations))]
        pieces = [
            (v.with_suffix(".srt").read_text(encoding="utf-8"), o)
            for v, o in zip(videos, offsets, strict=True)
        ]
        write_text_atomically(target.with_suffix(".srt"), shift_subtitles(pieces))
        index = build_index(segments, q, durations)
        write_text_atomically(index_path(q), json.dumps(index, indent=1) + "\n")
        os.replace(part, target)
    finally:
        Path(listing.name).unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return target
