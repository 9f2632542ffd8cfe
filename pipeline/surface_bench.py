"""The 3-D cost surface's render speed (``make bench``): where its time goes, and before and after.

Two measurements, one run:

- **A profile** of the surface segment at 1080p60 (its first :data:`PROFILED_PLAYS` animations:
  the axes, the surface rising and the camera turning to the valley), split into where the
  time goes: Cairo filling and stroking shapes, building their outlines (projecting points),
  their colours and 3-D shading, sorting them by depth, Manim's per-frame mobject work
  (animations and updaters), handing frames to the encoder, and the rest. With it, the shapes
  drawn per frame and how many of them are 3-D shapes (the surface's faces, the ball's, the
  axes and their pieces), which the camera shades and sorts by depth.
- **Wall time per second of video** of the whole segment at 480p15 and 1080p60, for the commit
  before the surface was made fast (:data:`BEFORE`, checked out in a git worktree) and for this
  tree, each render beside the other in one run, so that the ratio holds on a busy machine.
  Both use the same traces and one voice cache, filled before any render is timed.
- **The same picture**: the two 1080p60 videos compared at :data:`COMPARED_AT` of their length,
  the share of pixels within 8/255 in every channel (:mod:`pipeline.frame_match`).
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nn.errors import terminations_as_exit
from pipeline.frame_match import MATCHING_SHARE, TOLERANCE, frame_at, share_within
from pipeline.manifest import REPO_ROOT, find_segment
from pipeline.quality import quality
from pipeline.soundtrack import video_duration

__all__ = [
    "BEFORE",
    "BUDGETS",
    "COMPARED_AT",
    "PROFILED_PLAYS",
    "SEGMENT",
    "profile_shares",
    "run_surface_benchmark",
    "time_render",
    "worktree_at",
]

SEGMENT = "cost_surface"
BEFORE = "66ade56"
"""The last commit before the surface was made fast: the baseline of the side-by-side times."""
BUDGETS = {"l": 1.0, "h": 4.0}
"""Most wall seconds per second of video, on 2 cores, at 480p15 and at 1080p60."""
COMPARED_AT = (0.1, 0.3, 0.5, 0.7, 0.9)
"""Where, as shares of the segment's length, the before and after frames are compared."""
PROFILED_PLAYS = 12
"""The profile covers Manim's first animations of the segment, the most 3-D of it."""

_SHARES = (  # (what the viewer of the profile reads, functions whose time it is, own or whole)
    ("Cairo filling and stroking shapes", ("fill_preserve", "stroke_preserve"), "own"),
    ("outlines: projecting points to the screen", ("set_cairo_context_path",), "whole"),
    ("colours, gradients and 3-D shading", ("set_cairo_context_color",), "whole"),
    ("sorting shapes by depth", ("get_mobjects_to_display",), "whole"),
    ("animations and updaters (Manim's mobject work)", ("update_to_time",), "whole"),
    ("handing frames to the encoder", ("write_frame", "close_partial_movie_stream"), "whole"),
)


def worktree_at(commit: str, target: Path) -> Path:
    """A git worktree of ``commit`` at ``target`` (run it with ``PYTHONPATH`` set to it)."""
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(target), commit],
                   cwd=REPO_ROOT, check=True, capture_output=True)  # fmt: skip
    return target


@contextmanager
def _before_and_after() -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """The baseline worktree, a scratch folder and the environment both renders share.

    The worktree is removed at the end, interrupted or not (a stale one is pruned first).
    """
    subprocess.run(["git", "worktree", "prune"], cwd=REPO_ROOT, check=True)
    with terminations_as_exit(), tempfile.TemporaryDirectory(prefix="surface-bench.") as scratch:
        root = Path(scratch)
        before = worktree_at(BEFORE, root / "before")
        env = {**os.environ, "GD_VOICE_CACHE": str(root / "voice"), "GD_SOUNDTRACK": "build",
               "GD_TRACES_DIR": str(REPO_ROOT / "renders" / "traces")}  # fmt: skip
        try:
            yield before, root, env
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=REPO_ROOT,
                           capture_output=True)  # fmt: skip


def time_render(tree: Path, key: str, renders: Path, env: dict[str, str]) -> tuple[float, Path]:
    """Wall seconds of one render of the segment at quality ``key`` in ``tree``, and its video.

    The render is the pipeline's own (``python -m pipeline render``), sound and files included.
    """
    env = {**env, "GD_RENDERS_DIR": str(renders), "PYTHONPATH": str(tree)}
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "render", SEGMENT, "--quality", key],
                   cwd=tree, env=env, check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - began
    return wall, renders / quality(key).folder / "segments" / f"{SEGMENT}.mp4"


def _fill_the_voice_cache(env: dict[str, str]) -> None:
    """Synthesise the segment's narration once, so that no timed render waits for the voice."""
    segment = find_segment(SEGMENT)
    with tempfile.TemporaryDirectory() as media:  # -s: each play jumps to its end, no frames
        subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-s", "--dry_run",
                        "--media_dir", media, "-v", "WARNING", segment.file, segment.scene],
                       cwd=REPO_ROOT, env=env, check=True, capture_output=True)  # fmt: skip


def profile_shares(
    stats: pstats.Stats,
) -> tuple[list[tuple[str, float]], float, float, float, int]:
    """Seconds per share, the total, shapes and 3-D faces drawn per frame, and frames drawn.

    A share is the time of its functions (their own time for Cairo's calls, their whole time
    otherwise); "the rest" is what no share holds (building the scene, the voice, the files).
    """
    by_name: dict[str, list[tuple[int, float, float]]] = {}
    for (_, _, name), (_, calls, own, whole, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_name.setdefault(name, []).append((calls, own, whole))
    total = max(whole for entries in by_name.values() for _, _, whole in entries)

    def seconds(names: tuple[str, ...], which: str) -> float:
        if which == "own":  # Cairo's own calls: "<method 'fill_preserve' of 'cairo.Context'...>"
            return sum(own for name, entries in by_name.items() for _, own, _ in entries
                       if any(f"'{wanted}'" in name for wanted in names))  # fmt: skip
        # a wrapper of the same name (the timeline's update_to_time) holds the one it wraps
        return sum(max((whole for _, _, whole in by_name.get(name, [])), default=0.0)
                   for name in names)  # fmt: skip

    shares = [(label, seconds(names, which)) for label, names, which in _SHARES]
    rest = total - sum(share for _, share in shares)
    shares.append(("the rest: building the scene, the voice, files", rest))
    frames = max((calls for calls, _, _ in by_name.get("capture_mobjects", [])), default=0)
    shapes = sum(calls for calls, _, _ in by_name.get("display_vectorized", []))
    faces = sum(calls for calls, _, _ in by_name.get("_depth_point", []))  # QuickThreeDCamera's
    return shares, total, shapes / max(frames, 1), faces / max(frames, 1), frames


def _profile(env: dict[str, str], scratch: Path) -> None:
    """Print the profile of the segment's first animations at 1080p60 in this tree."""
    segment = find_segment(SEGMENT)
    out = scratch / "surface.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "manim", "render",
                    "-qh", "-n", f"0,{PROFILED_PLAYS}", "--media_dir", str(scratch / "media"),
                    "--disable_caching", "--progress_bar", "none", "-v", "WARNING",
                    segment.file, segment.scene], cwd=REPO_ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    video = next((scratch / "media" / "videos").glob(f"*/*/{segment.scene}.mp4"))
    shares, total, shapes, faces, frames = profile_shares(pstats.Stats(str(out)))
    print(f"{SEGMENT} at 1080p60, profile of its first {PROFILED_PLAYS} animations "
          f"({video_duration(video):.1f} s of video, {frames} frames drawn, "
          f"{total:.1f} s under the profiler):")  # fmt: skip
    for label, seconds in shares:
        print(f"  {label:<48} {seconds:6.1f} s  {seconds / total:4.0%}")
    print(
        f"  shapes drawn per frame: {shapes:.0f} on average, {faces:.0f} of them 3-D shapes "
        "shaded and sorted by depth (faces of the surface and the ball, pieces of the axes)"
    )


def run_surface_benchmark() -> None:
    """Print the profile, then the before-and-after render speeds side by side."""
    find_segment(SEGMENT)  # fails early with the manifest's list if the segment is gone
    with _before_and_after() as (before, scratch, env):
        _fill_the_voice_cache(env)
        _profile(env, scratch)
        print(f"{SEGMENT}, whole segment, wall seconds per second of video on "
              f"{os.cpu_count()} cores (before: {BEFORE}, after: this tree):")  # fmt: skip
        for key, budget in BUDGETS.items():
            times = {}
            for name, tree in (("before", before), ("after", REPO_ROOT)):
                times[name] = time_render(tree, key, scratch / f"{name}-{key}", env)
            (wall_0, old), (wall_1, new) = times["before"], times["after"]
            video = video_duration(new)
            verdict = "within" if wall_1 / video <= budget else "over"
            print(f"  {quality(key).folder:<8} {video:6.1f} s of video   before {wall_0:6.1f} s "
                  f"({wall_0 / video:4.2f} s/s)   after {wall_1:6.1f} s ({wall_1 / video:4.2f} "
                  f"s/s)   {wall_0 / wall_1:3.1f} times faster; {verdict} the {budget:g} s/s "
                  "budget")  # fmt: skip
        _compare(old, new)


def _compare(before: Path, after: Path) -> None:
    """Print the share of the same pixels in the before and after frames at five times."""
    length = min(video_duration(before), video_duration(after))
    folder = after.parent.parent.name
    print(f"  the same picture at {folder}? pixels within {TOLERANCE}/255, before and after:")
    for share in COMPARED_AT:
        at = share * length
        same = share_within(frame_at(before, at), frame_at(after, at))
        verdict = "match" if same >= MATCHING_SHARE else "DIFFER"
        print(f"    at {at:6.1f} s  {same:8.4%}  {verdict}")
