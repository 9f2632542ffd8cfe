"""Render-speed benchmarks (``make bench``): wall time per second of video, side by side.

Builds the whole draft in a copy of the working tree three times: cold (empty voice cache),
warm (every phrase cached, every segment rendered again), and after one beat's words are
edited (make renders that segment alone and synthesises only the changed phrase).

The 3-D cost surface's profile and its render speed before and after it was made fast are in
:mod:`pipeline.surface_bench`.

Renders the title segment twice with an empty voice cache: cold (every phrase synthesised)
and warm (every phrase reused). The difference is the synthesis; the voice's seconds over it
is the synthesis speed in times real time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.manifest import REPO_ROOT, find_segment
from pipeline.quality import quality
from pipeline.soundtrack import video_duration

__all__ = [
    "EDIT",
    "EDITED_SEGMENT",
    "VOICED_SEGMENT",
    "copy_of_repository",
    "edited_first_beat",
    "run_draft_benchmark",
    "run_voice_benchmark",
    "time_make_video",
    "time_synthesis",
    "time_voiced_render",
]

VOICED_SEGMENT = "title"


def time_voiced_render(renders: Path, voice_cache: Path) -> tuple[float, dict]:
    """Wall seconds of one draft render of the title segment, and its timeline."""
    env = {**os.environ, "GD_RENDERS_DIR": str(renders), "GD_VOICE_CACHE": str(voice_cache),
           "GD_VOICE": "piper"}  # fmt: skip
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "render", VOICED_SEGMENT,
                    "--quality", "l"], env=env, check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - began
    timeline = renders / quality("l").folder / "segments" / f"{VOICED_SEGMENT}.timeline.json"
    return wall, json.loads(timeline.read_text(encoding="utf-8"))


def run_voice_benchmark() -> None:
    """Print the synthesis speed: a cold and a warm render of the title, side by side."""
    find_segment(VOICED_SEGMENT)
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "voice"
        cold, timeline = time_voiced_render(Path(scratch) / "cold", cache)
        warm, again = time_voiced_render(Path(scratch) / "warm", cache)
    voiced = sum(b["voice_end"] - b["start"] for b in timeline["beats"])
    print(f"{VOICED_SEGMENT} at draft quality, {voiced:.1f} s of voice in "
          f"{timeline['duration']:.1f} s of video:")  # fmt: skip
    print(f"  cold voice cache  {cold:6.1f} s  ({timeline['voice']['synthesised']} phrases "
          "synthesised)")  # fmt: skip
    print(f"  warm voice cache  {warm:6.1f} s  ({again['voice']['synthesised']} synthesised, "
          f"{again['voice']['reused']} reused)")  # fmt: skip
    print(f"  cold minus warm   {cold - warm:6.1f} s  (synthesis and loading the voice model)")
    load, wall, seconds = time_synthesis([b["text"] for b in timeline["beats"]])
    print(
        f"  synthesis alone: {seconds:.1f} s of voice in {wall:.1f} s, "
        f"{seconds / wall:.1f} times real time (after {load:.1f} s loading the voice model)"
    )


def time_synthesis(texts: list[str]) -> tuple[float, float, float]:
    """Seconds to load the voice, seconds to synthesise ``texts`` cold, seconds of voice made."""
    from scenes.toolkit.voice import Narrator

    with tempfile.TemporaryDirectory() as scratch:
        narrator = Narrator(voice="piper", cache=Path(scratch))
        began = time.perf_counter()
        narrator.narrate("bench", "warm-up", "Ready.")
        load = time.perf_counter() - began
        began = time.perf_counter()
        made = [narrator.narrate("bench", f"beat-{n}", text) for n, text in enumerate(texts)]
        wall = time.perf_counter() - began
    return load, wall, sum(audio.voice_duration for audio in made)


EDITED_SEGMENT = "recap"
EDIT = "Remember: "
_FIRST_BEAT_WORDS = re.compile(r'(self\.(?:beat|say)\(\s*"[a-z0-9-]+",\s*f?")')


def copy_of_repository(
    target: Path, traces: Path | None = REPO_ROOT / "renders" / "traces"
) -> Path:
    """A copy of the working tree at ``target``, with a copy of ``traces``, sharing the ``.venv``.

    Times of files are kept, so make sees the ``.venv`` as up to date. Commands run in the copy
    need ``PYTHONPATH`` set to it, so that the shared ``.venv`` imports the copy.
    """
    listing = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"]
    files = subprocess.run(listing, cwd=REPO_ROOT, check=True, capture_output=True,
                           text=True).stdout.split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if traces is not None:
        shutil.copytree(traces, target / "renders" / "traces")
    (target / ".venv").symlink_to(REPO_ROOT / ".venv")
    return target


def time_make_video(repo: Path, voice_cache: Path, *settings: str) -> float:
    """Wall seconds of ``make video`` (draft quality, the piper voice) in ``repo``.

    ``settings`` are make's own (``RENDER=dask``).
    """
    recipe = json.loads((repo / "renders" / "traces" / "recipe.json").read_text(encoding="utf-8"))
    # MNIST names the traces' own data set, so that make does not train again; PYTHONPATH lets
    # the copy's shared .venv import the copy.
    env = {**os.environ, "GD_VOICE_CACHE": str(voice_cache), "QUALITY": "l", "VOICE": "piper",
           "MNIST": recipe["recipe"]["data"], "PYTHONPATH": str(repo)}  # fmt: skip
    env.pop("GD_RENDERS_DIR", None)
    began = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", "video", *settings], cwd=repo, env=env,
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"make video failed in {repo}:\n{result.stderr[-2000:]}")
    return time.perf_counter() - began


def edited_first_beat(scene_file: Path) -> str:
    """The text of ``scene_file`` with :data:`EDIT` put before the words of its first beat."""
    text = scene_file.read_text(encoding="utf-8")
    match = _FIRST_BEAT_WORDS.search(text)
    if match is None:
        raise ValueError(f"{scene_file} has no beat (self.beat or self.say) to edit")
    return text[: match.end()] + EDIT + text[match.end() :]


def run_draft_benchmark() -> None:
    """Print cold, warm and one-beat-edit build times of the whole draft against its duration."""
    segment = find_segment(EDITED_SEGMENT)
    with tempfile.TemporaryDirectory() as scratch:
        repo = copy_of_repository(Path(scratch) / "repo")
        edited = edited_first_beat(repo / segment.file)  # fails before any build if it cannot
        cache = Path(scratch) / "voice"
        drafts = repo / "renders" / quality("l").folder
        cold = time_make_video(repo, cache)
        duration = video_duration(drafts / "gradient-descent.mp4")
        shutil.rmtree(drafts)
        warm = time_make_video(repo, cache)
        videos = {p.name: p.stat().st_mtime_ns for p in (drafts / "segments").glob("*.mp4")}
        (repo / segment.file).write_text(edited, encoding="utf-8")
        after_edit = time_make_video(repo, cache)
        rerendered = sorted(p.name for p in (drafts / "segments").glob("*.mp4")
                            if p.stat().st_mtime_ns != videos.get(p.name))  # fmt: skip
        timeline = json.loads((drafts / "segments" / f"{segment.name}.timeline.json").read_text())
    print(f"whole draft (480p15, piper voice), {duration:.1f} s of video, {os.cpu_count()} cores:")
    print(f"  cold (empty voice cache)  {cold:7.1f} s  {cold / duration:5.2f} s per video second")
    print(f"  warm (voice cached)       {warm:7.1f} s  {warm / duration:5.2f} s per video second")
    print(f"  one beat edited           {after_edit:7.1f} s  to an updated joined video: "
          f"re-rendered {', '.join(rerendered)}; {timeline['voice']['synthesised']} phrase(s) "
          f"synthesised, {timeline['voice']['reused']} reused")  # fmt: skip
