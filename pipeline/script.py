"""``make script``: the narration script for a recording session, from the last built video.

Every beat in video order with its id, its timecode, whether its voice is synthesised or
recorded, where a take of it goes, its words as the subtitles show them, and, for words that
state a fact about the data, the check that built them and what it measured.
"""

from __future__ import annotations

from pathlib import Path

from nn.atomic_files import write_text_atomically
from pipeline.join import VIDEO_NAME
from pipeline.quality import Quality
from pipeline.where import format_time, load_index

__all__ = ["fact_lines", "script_text", "write_script"]


def script_text(index: dict) -> str:
    """The script as Markdown."""
    lines = [
        "# Narration script: Gradient descent, how neural networks learn",
        "",
        "A recording of a beat replaces its synthesised voice: save it as",
        "`assets/narration/<segment>/<beat>.wav` (or `.flac`) and run `make video` again; the",
        "beat then lasts as long as the recording. Timecodes are those of the last build.",
        "",
    ]
    for segment in index["segments"]:
        lines += [f"## {segment['name']} ({format_time(segment['offset'])})", ""]
        if not segment.get("beats"):
            lines += ["(not written as beats yet: no narration to record)", ""]
            continue
        for beat in segment["beats"]:
            slug = beat["id"].split("/", 1)[1]
            lines += [
                f"### {beat['id']}  [{format_time(beat['start'])}, {beat['source']}]",
                f"take: `assets/narration/{segment['name']}/{slug}.wav`",
                "",
                beat["text"],
                "",
                *fact_lines(beat.get("fact")),
            ]
    return "\n".join(lines)


def fact_lines(fact: dict | None) -> list[str]:
    """How the script says what a beat's words claim: the check that built them, its evidence."""
    if fact is None:
        return []
    return [f"> states a fact about the data, checked by `{fact['check']}`: {fact['evidence']}", ""]


def write_script(q: Quality) -> Path:
    """Write ``gradient-descent.script.md`` beside the video at quality ``q``."""
    target = q.directory / f"{VIDEO_NAME}.script.md"
    write_text_atomically(target, script_text(load_index(q)))
    return target
