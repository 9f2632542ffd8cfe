"""Builds side by side: two renders of one segment at once, and a segment published whole.

The fast tests run the build with a stand-in for Manim (a short Python script that writes what
Manim would); the tests marked ``render`` run real renders in subprocesses.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import decoded_md5s, without_voice_counts

from nn import atomic_files
from pipeline import render
from pipeline.job_times import recorded_job_times
from pipeline.manifest import Segment
from pipeline.quality import quality, renders_dir
from tests.fixtures import write_manifest

BUILD = [sys.executable, "-m", "pipeline"]
TITLE = Segment("title", "scenes/title.py", "TitleAndPlan")
TINY = quality("t")
SUFFIXES = (".mp4", ".srt", ".timeline.json", ".d")

FAKE_MANIM = """
import json, shutil, sys
from pathlib import Path

media, picture, status = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
movie = media / "videos" / "title" / "108p5" / "TitleAndPlan.mp4"
movie.parent.mkdir(parents=True)
shutil.copyfile(picture, movie)
movie.with_suffix(".srt").write_text("1\\n00:00:00,000 --> 00:00:01,000\\nnew\\n")
timeline = {"sources": ["scenes/title.py"], "traces": [], "beats": [], "new": True}
movie.with_suffix(".timeline.json").write_text(json.dumps(timeline))
(media / "Tex").mkdir(exist_ok=True)
(media / "Tex" / "0123456789abcdef.svg").write_text("<svg/>")
sys.exit(status)
"""
"""Stands in for Manim: a one-second movie with its subtitles, timeline and one TeX SVG."""


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name: bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def part_files(folder: Path) -> list[Path]:
    """Temporary files of a publish left under ``folder``."""
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def scratch_folders(renders: Path) -> list[Path]:
    """Media folders of renders left under ``renders`` (the TeX cache is meant to stay)."""
    media = renders / "media"
    return [p for p in media.glob("*/*") if p.parent.name != "tex"] if media.exists() else []


@pytest.fixture
def fake_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], Path]:
    """Point the build at ``tmp_path/renders``, Manim at :data:`FAKE_MANIM`; return a renderer.

    The renderer renders ``title`` at the tiny quality with the stand-in exiting ``status``,
    over a published segment whose four files hold ``old ...``; it returns the renders folder.
    """
    renders = tmp_path / "renders"
    monkeypatch.setenv("GD_RENDERS_DIR", str(renders))
    picture = tmp_path / "picture.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=32x32:r=5:d=1",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", str(picture)],
                   check=True)  # fmt: skip
    segments = TINY.directory / "segments"
    segments.mkdir(parents=True)
    for suffix in SUFFIXES:
        (segments / f"title{suffix}").write_bytes(f"old {suffix}\n".encode())

    def build(status: int = 0) -> Path:
        def fake_manim(
            _segment: Segment, _q: object, media: Path, _plays: object = ()
        ) -> list[str]:
            return [sys.executable, "-c", FAKE_MANIM, str(media), str(picture), str(status)]

        monkeypatch.setattr(render, "manim_command", fake_manim)
        render.render_segment(TITLE, TINY)
        return renders

    return build


def test_a_failed_write_leaves_every_file_of_the_group_as_it_was(tmp_path: Path) -> None:
    targets = [tmp_path / f"segment{suffix}" for suffix in SUFFIXES]
    for target in targets:
        target.write_text(f"old {target.name}")
    before = files_in(tmp_path)

    def fail(part: Path) -> None:
        part.write_text("half")
        raise OSError("no space left on device")

    writers = [lambda part: part.write_text("new"), lambda part: part.write_text("new"), fail,
               lambda part: part.write_text("new")]  # fmt: skip
    with pytest.raises(OSError, match="no space"):
        atomic_files.publish_together(list(zip(targets, writers, strict=True)))
    assert files_in(tmp_path) == before  # byte for byte, and no temporary file beside them


def test_an_interrupt_during_the_renames_waits_for_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [tmp_path / f"segment{suffix}" for suffix in SUFFIXES]
    for target in targets:
        target.write_text("old")
    real_replace = os.replace
    renamed: list[str] = []

    def replace_then_interrupt(source: Path, target: Path) -> None:
        if not renamed:
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C would, between two renames
        real_replace(source, target)
        renamed.append(Path(target).name)

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_files.publish_together([(t, lambda part: part.write_text("new")) for t in targets])
    assert renamed == [t.name for t in targets]  # in order, the video last
    assert all(t.read_text() == "new" for t in targets)
    assert not part_files(tmp_path)


def test_a_mix_that_fails_leaves_the_previous_segment_whole(
    fake_build: Callable[[int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_mix(*_args: object) -> None:
        raise RuntimeError("the mix failed")

    monkeypatch.setattr(render, "add_soundtrack", broken_mix)
    segments = TINY.directory / "segments"
    before = files_in(segments)
    with pytest.raises(RuntimeError, match="the mix failed"):
        fake_build(0)
    assert files_in(segments) == before  # the old four files, byte for byte, and no part file
    assert not scratch_folders(renders_dir())


def test_a_render_publishes_its_four_files_and_removes_its_scratch_folder(
    fake_build: Callable[[int], Path],
) -> None:
    renders = fake_build(0)
    segments = TINY.directory / "segments"
    assert sorted(files_in(segments)) == sorted(f"title{suffix}" for suffix in SUFFIXES)
    assert json.loads((segments / "title.timeline.json").read_text())["new"]
    assert (segments / "title.srt").read_text().endswith("new\n")
    assert (segments / "title.d").read_text().startswith(f"{segments / 'title.mp4'}: scenes/")
    assert subprocess.run(["ffprobe", "-v", "error", str(segments / "title.mp4")]).returncode == 0
    assert not scratch_folders(renders)
    assert (renders / "media" / "tex" / "title" / "0123456789abcdef.svg").read_text() == "<svg/>"
    assert recorded_job_times(TINY)["title"] > 0  # the scheduler's measure for the next build


def test_a_failed_render_removes_its_scratch_folder_and_publishes_nothing(
    fake_build: Callable[[int], Path],
) -> None:
    segments = TINY.directory / "segments"
    before = files_in(segments)
    with pytest.raises(subprocess.CalledProcessError):
        fake_build(1)
    assert files_in(segments) == before
    assert not scratch_folders(renders_dir())
    assert not (renders_dir() / "media" / "tex" / "title").exists()  # no SVG of a failed render
    assert "title" not in recorded_job_times(TINY)  # a failed render is no measure


def test_debug_keeps_the_scratch_folder_and_says_where(
    fake_build: Callable[[int], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DEBUG", "1")
    renders = fake_build(0)
    [kept] = scratch_folders(renders)
    assert kept.name.startswith("title.") and (kept / "videos").is_dir()
    assert str(kept) in capsys.readouterr().err


def test_the_tex_cache_takes_whole_tex_svgs_only(tmp_path: Path) -> None:
    made, cache, seeded = tmp_path / "made", tmp_path / "cache", tmp_path / "seeded"
    made.mkdir()
    (made / "0123456789abcdef.svg").write_text("<svg>formula</svg>")
    (made / "0123456789abcdef_.svg").write_text("<svg>Manim's copy being parsed</svg>")
    (made / "0123456789abcdef.tex").write_text("formula")
    render.save_tex(made, cache)
    render.seed_tex(cache, seeded)
    assert files_in(cache) == files_in(seeded) == {"0123456789abcdef.svg": b"<svg>formula</svg>"}


# Real renders, in subprocesses.


def start_render(name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``python -m pipeline render <name> --quality t``."""
    return subprocess.Popen([*BUILD, "render", name, "--quality", "t"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def finish(process: subprocess.Popen[str]) -> None:
    """Wait for ``process``; fail the test with its output unless it succeeded."""
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, f"render failed ({process.returncode}):\n{out}\n{err}"


@pytest.mark.render
def test_two_renders_of_a_segment_at_once_both_succeed_and_match_a_solo_one(
    built_traces, tmp_path: Path
) -> None:
    voice = tmp_path / "voice"  # empty: both renders synthesise the same phrases at once
    env = {**os.environ, "GD_TRACES_DIR": str(built_traces.directory),
           "GD_VOICE_CACHE": str(voice)}  # fmt: skip
    env.pop("DEBUG", None)
    both, solo = tmp_path / "both", tmp_path / "solo"
    renders = [start_render("title", {**env, "GD_RENDERS_DIR": str(both)}) for _ in range(2)]
    for process in renders:
        finish(process)
    finish(start_render("title", {**env, "GD_RENDERS_DIR": str(solo)}))

    shared, alone = (folder / "tiny" / "segments" for folder in (both, solo))
    assert decoded_md5s(shared / "title.mp4") == decoded_md5s(alone / "title.mp4")
    # Manim and the mix are deterministic: the whole file is the same, container and all.
    assert (shared / "title.mp4").read_bytes() == (alone / "title.mp4").read_bytes()
    assert (shared / "title.srt").read_bytes() == (alone / "title.srt").read_bytes()
    timelines = [json.loads((s / "title.timeline.json").read_text()) for s in (shared, alone)]
    assert without_voice_counts(timelines[0]) == without_voice_counts(timelines[1])
    rules = [(s / "title.d").read_text().replace(str(s), "SEGMENTS") for s in (shared, alone)]
    assert rules[0] == rules[1]
    assert not part_files(both) and not scratch_folders(both)


TEX_SCENE = """
from manim import DOWN, FadeIn, MathTex, VGroup

from scenes.toolkit.timeline import TimelineScene


class Formulas(TimelineScene):
    def construct(self):
        formulas = VGroup(MathTex(r"C(w) = \\frac{1}{n} \\sum_i (y_i - a_i)^2"),
                          MathTex(r"w \\leftarrow w - \\eta \\nabla C")).arrange(DOWN)
        self.play(FadeIn(formulas), run_time=1)
"""


@pytest.mark.render
def test_two_renders_at_once_fill_one_tex_cache_that_later_renders_use(tmp_path: Path) -> None:
    scene = tmp_path / "formulas.py"
    scene.write_text(TEX_SCENE)
    manifest = write_manifest(tmp_path / "manifest.toml", str(scene), {"formulas": "Formulas"})
    renders = tmp_path / "renders"
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(renders),
           "GD_VOICE_CACHE": str(tmp_path / "voice")}  # fmt: skip
    env.pop("DEBUG", None)
    processes = [start_render("formulas", env) for _ in range(2)]
    for process in processes:
        finish(process)
    cache = renders / "media" / "tex" / "formulas"
    svgs = sorted(cache.iterdir())
    assert len(svgs) == 2 and all(ET.parse(svg).getroot().tag.endswith("svg") for svg in svgs)
    assert not part_files(renders) and not scratch_folders(renders)

    # A third render with LaTeX broken still succeeds: it takes its formulas from the cache.
    video = renders / "tiny" / "segments" / "formulas.mp4"
    published = video.read_bytes()
    broken = tmp_path / "bin"
    broken.mkdir()
    for tool in ("latex", "dvisvgm"):
        (broken / tool).write_text("#!/bin/sh\nexit 1\n")
        (broken / tool).chmod(0o755)
    finish(start_render("formulas", {**env, "PATH": f"{broken}:{env['PATH']}"}))
    assert video.read_bytes() == published
