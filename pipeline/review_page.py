"""``make review-page``: the draft with its code beside it, in one page that works from disk.

Writes ``renders/<quality>/gradient-descent.review.html`` beside the video. The page plays the
video with its subtitles (on by default) and a chapter per segment, and follows playback with
the segment, the beat's words, the animation on screen and its ``file:line``, and the numbers
the segment has shown so far, all from the video's index. The findings of ``make review`` are
links to their times. A reviewer pauses, writes a note, and it is pinned to the time and to the
beat on screen (its stable id); notes are kept in the browser and exported as one JSON file,
which ``make notes`` reads (:mod:`pipeline.notes`).

Everything the page needs but the video is inside it (the subtitles and chapters too: a page
opened from ``file://`` may not load other files as tracks), so it works opened from disk and
from any static server that supports byte ranges (video seeking needs them).
"""

from __future__ import annotations

import json
from pathlib import Path

from nn.atomic_files import write_text_atomically
from nn.errors import UserError
from pipeline.findings import Finding
from pipeline.join import VIDEO_NAME, joined_video
from pipeline.quality import Quality
from pipeline.where import load_index

__all__ = [
    "NOTES_FILE",
    "TEMPLATE",
    "chapters_vtt",
    "page_data",
    "review_page_path",
    "write_review_page",
]

TEMPLATE = Path(__file__).with_name("review_page.html")
"""The page, with ``__DATA__``, ``__VIDEO__`` and ``__NOTES_FILE__`` to fill in."""
NOTES_FILE = "review-notes.json"
"""The name the page gives its exported notes."""


def review_page_path(q: Quality) -> Path:
    """The review page of the video at quality ``q``."""
    return q.directory / f"{VIDEO_NAME}.review.html"


def _vtt_time(seconds: float) -> str:
    minutes, rest = divmod(max(seconds, 0.0), 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:06.3f}"


def chapters_vtt(index: dict) -> str:
    """A WebVTT chapters track: one cue per segment, titled by its chapter."""
    cues = ["WEBVTT", ""]
    for segment in index["segments"]:
        start, end = segment["offset"], segment["offset"] + segment["duration"]
        cues += [f"{_vtt_time(start)} --> {_vtt_time(end)}", segment["chapter"], ""]
    return "\n".join(cues)


def page_data(index: dict, subtitles: str, findings: list[Finding], q: Quality) -> dict:
    """What the page shows, from the index, the WebVTT subtitles and the review's findings."""
    segments = []
    for segment in index["segments"]:
        end = segment["offset"] + segment["duration"]
        segments.append({
            "name": segment["name"],
            "title": segment["chapter"],
            "start": segment["offset"],
            "end": end,
            "beats": [{"id": b["id"], "start": b["start"], "end": b["end"], "text": b["text"],
                       "site": b["site"]} for b in segment.get("beats", [])],
            "plays": [{"start": p["start"], "end": p["end"], "animations": p["animations"],
                       "site": p["site"]} for p in segment["plays"]],
            "numbers": [{"time": n["time"], "text": n["text"],
                         "changes": [{"time": c["time"], "text": c["text"]}
                                     for c in n.get("changes", [])]}
                        for n in segment.get("numbers", [])],
        })  # fmt: skip
    return {
        "video": index["video"],
        "quality": index["quality"],
        "duration": index["duration"],
        "fps": q.fps,
        "segments": segments,
        "chapters": [
            {"name": s["name"], "title": s["title"], "start": s["start"]} for s in segments
        ],
        "chapters_vtt": chapters_vtt(index),
        "subtitles": subtitles,
        "findings": [
            {"time": f.time, "site": f.site, "check": f.check, "message": f.message}
            for f in findings
        ],
    }


def _embedded(data: dict) -> str:
    """``data`` as JSON that cannot end the ``<script>`` element holding it."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_review_page(q: Quality, findings: list[Finding]) -> Path:
    """Write the review page of the video at quality ``q``; return its path."""
    index = load_index(q)
    video = joined_video(q)
    subtitles_file = video.with_suffix(".vtt")
    if not subtitles_file.exists():
        raise UserError(f"{subtitles_file} is missing; build the video with `make video`")
    data = page_data(index, subtitles_file.read_text(encoding="utf-8"), findings, q)
    page = TEMPLATE.read_text(encoding="utf-8").replace("__VIDEO__", video.name)
    page = page.replace("__NOTES_FILE__", NOTES_FILE).replace("__DATA__", _embedded(data))
    target = review_page_path(q)
    write_text_atomically(target, page)
    return target
