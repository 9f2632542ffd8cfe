"""Command line of the video build: ``python -m pipeline <command>`` (``--help`` lists them)."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

from nn.atomic_files import write_text_atomically
from nn.errors import UserError, run_for_user
from pipeline import makefile
from pipeline.chunks import CHUNKINGS
from pipeline.join import join_segments
from pipeline.manifest import find_segment, read_manifest
from pipeline.notes import add_note, notes_report, open_notes
from pipeline.quality import QUALITIES, Quality, quality
from pipeline.release import make_release
from pipeline.render import render_segment
from pipeline.review import declared_exceptions, review, review_pace, video_pace
from pipeline.review_page import write_review_page
from pipeline.script import write_script
from pipeline.where import where

__all__ = ["BENCHMARKS", "main"]

BENCHMARKS = {
    "voice": ("pipeline.bench", "run_voice_benchmark"),
    "surface": ("pipeline.surface_bench", "run_surface_benchmark"),
    "draft": ("pipeline.bench", "run_draft_benchmark"),
    "farm": ("pipeline.farm_bench", "run_farm_benchmark"),
}
"""``make bench``'s parts, in the order they run: module and function of each."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render one segment and publish it")
    render.add_argument("segment", help="segment name from scenes/manifest.toml")
    join = commands.add_parser("join", help="join all rendered segments into the video")
    release = commands.add_parser(
        "release", help="the final video with subtitles, chapters and description, checked"
    )
    locate = commands.add_parser("where", help="what is on screen at a time of the video")
    locate.add_argument("time", help="508, 8:28 or 8:28.5")
    board = commands.add_parser("storyboard", help="contact sheet PNG of the whole video")
    check = commands.add_parser(
        "review", help="draft checks: spelling, anchors, layout, classroom words, pace"
    )
    pace = commands.add_parser("pace", help="pace checks of rendered segments (make scene first)")
    pace.add_argument("segments", nargs="+", help="segment names from scenes/manifest.toml")
    script = commands.add_parser("script", help="the narration script for a recording session")
    page = commands.add_parser("review-page", help="the review page beside the video")
    notes = commands.add_parser("notes", help="open review notes at their beats' current times")
    note = commands.add_parser("note", help="add a review note pinned to the beat at a time")
    note.add_argument("time", help="508, 8:28 or 8:28.5")
    note.add_argument("text", help="what to fix")
    for sub in (render, join, release, locate, board, check, pace, script, page, notes, note):
        sub.add_argument("--quality", default="l", choices=sorted(QUALITIES))
    rules = commands.add_parser("makefile", help="the make rules of the segments")
    rules.add_argument("--out", type=Path, help="write them whole to this file (default: print)")
    bench = commands.add_parser(
        "bench", help="voice synthesis speed; 3-D render speed; cold, warm and edited draft builds"
    )
    bench.add_argument("parts", nargs="*", metavar="part",
                       help=f"only these ({', '.join(BENCHMARKS)}); all by default")  # fmt: skip
    farm = commands.add_parser(
        "farm", help="render segments on a Dask cluster ($DASK_SCHEDULER, or this machine's cores)"
    )
    farm.add_argument("segments", nargs="*", help="segment names from scenes/manifest.toml")
    farm.add_argument(
        "--stale-from-make", action="store_true",
        help="also the segments that the `make --dry-run` output on stdin would render",
    )  # fmt: skip
    farm.add_argument(
        "--chunks", default="auto", choices=CHUNKINGS,
        help="cut long segments (auto), at every split point (all), or never",
    )  # fmt: skip
    farm.add_argument("--workers", type=int, help="a local cluster's processes (default: cores)")
    farm.add_argument("--quality", default="l", choices=sorted(QUALITIES))
    commands.add_parser("list", help="list the segments in video order")
    args = parser.parse_args(argv)
    return run_for_user(lambda: _run(args))


def _open_notes(q: Quality) -> str:
    """How many review notes are open (``make notes`` lists them)."""
    placed = open_notes(q)
    return f"{len(placed)} open review note(s)" + (" (make notes lists them)" if placed else "")


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "render":
            print(render_segment(find_segment(args.segment), quality(args.quality)))
        elif args.command == "join":
            print(join_segments(quality(args.quality)))
        elif args.command == "release":
            print(make_release(quality(args.quality)))
        elif args.command == "where":
            print(where(quality(args.quality), args.time))
        elif args.command == "storyboard":
            from pipeline.storyboard import make_storyboard  # Manim's colours: slow to import

            print(make_storyboard(quality(args.quality)))
        elif args.command == "review":
            q = quality(args.quality)
            findings = review(q)
            for line in [*map(str, findings), *video_pace(q), *declared_exceptions(q)]:
                print(line)
            print(f"review: {len(findings)} finding(s); {_open_notes(q)}")
            return 1 if findings else 0
        elif args.command == "review-page":
            print(write_review_page(quality(args.quality), review(quality(args.quality))))
        elif args.command == "notes":
            for line in notes_report(quality(args.quality)):
                print(line)
        elif args.command == "note":
            print(add_note(quality(args.quality), args.time, args.text))
        elif args.command == "pace":
            findings = []
            for name in args.segments:
                found, summary = review_pace(find_segment(name), quality(args.quality))
                for line in [*map(str, found), *(f"{name} {line}" for line in summary)]:
                    print(line)
                findings += found
            print(f"pace: {len(findings)} finding(s)")
            return 1 if findings else 0
        elif args.command == "script":
            print(write_script(quality(args.quality)))
        elif args.command == "bench":
            unknown = sorted(set(args.parts) - set(BENCHMARKS))
            if unknown:
                raise UserError(f"no benchmark called {', '.join(unknown)}; "
                                f"use {', '.join(BENCHMARKS)} or none for all")  # fmt: skip
            for part in args.parts or BENCHMARKS:
                module, function = BENCHMARKS[part]
                getattr(importlib.import_module(module), function)()
        elif args.command == "makefile":
            if args.out:
                write_text_atomically(args.out, makefile.main() + "\n")
            else:
                print(makefile.main())
        elif args.command == "farm":
            from pipeline.farm import farm, segments_in_dry_run  # Dask: slow to import

            names = [*args.segments, *(segments_in_dry_run(sys.stdin.read())
                                       if args.stale_from_make else [])]  # fmt: skip
            for video in farm(quality(args.quality), names, os.environ.get("DASK_SCHEDULER"),
                              args.chunks, args.workers):  # fmt: skip
                print(video)
        elif args.command == "list":
            for segment in read_manifest():
                print(f"{segment.name}\t{segment.file}\t{segment.scene}")
    except subprocess.CalledProcessError as error:
        tool = Path(str(error.cmd[2] if error.cmd[:2] == [sys.executable, "-m"] else error.cmd[0]))
        said = [line for line in str(error.stderr or "").splitlines() if line.strip()]
        reason = f": {said[-1].strip()}" if said else "; its message is above"
        raise UserError(f"{tool.name} stopped with status {error.returncode}{reason}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
