"""The whole-video build: render, join, index, subtitles, where, storyboard, review."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import srt

from pipeline.where import WhereError, format_time, locate, parse_time
from scenes.toolkit.phrasing import READING_RATE
from tests.fixtures import write_manifest

PLANTED = "tests/fixtures/planted.py"


def line_of(marker: str) -> int:
    """The line of the fixture scene file that ends in the comment ``# <marker>``."""
    lines = Path(PLANTED).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.endswith(f"# {marker}"))


SLOGAN, FIRST_WAIT, ANCHOR = line_of("SLOGAN"), line_of("FIRST_WAIT"), line_of("ANCHOR")
COUNT, STEADY_COUNT, LAST_WAIT = line_of("COUNT"), line_of("STEADY"), line_of("LAST_WAIT")


@pytest.fixture(scope="module")
def built_video(tmp_path_factory) -> dict:
    """Two test segments rendered at tiny quality and joined, as `make video` does."""
    root = tmp_path_factory.mktemp("video")
    segments = {"planted": "PlantedErrors", "steady": "SteadyCount"}
    manifest = write_manifest(root / "manifest.toml", PLANTED, segments)
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(root)}
    build = [sys.executable, "-m", "pipeline"]
    for name in ("planted", "steady"):
        subprocess.run([*build, "render", name, "--quality", "t"], env=env, check=True)
    subprocess.run([*build, "join", "--quality", "t"], env=env, check=True)
    review = subprocess.run([*build, "review", "--quality", "t"], env=env, capture_output=True,
                            text=True)  # fmt: skip
    where = subprocess.run([*build, "where", "--quality", "t", "0:05.2"], env=env,
                           capture_output=True, text=True)  # fmt: skip
    outside = subprocess.run([*build, "where", "--quality", "t", "9:00"], env=env,
                             capture_output=True, text=True)  # fmt: skip
    subprocess.run([*build, "storyboard", "--quality", "t"], env=env, check=True)
    import json

    tiny = root / "tiny"
    return {
        "dir": tiny,
        "index": json.loads((tiny / "gradient-descent.index.json").read_text()),
        "review": review,
        "where": where,
        "outside": outside,
    }


def probe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True).stdout  # fmt: skip
    return float(out)


def test_segment_durations_add_up_to_the_joined_video(built_video):
    tiny = built_video["dir"]
    parts = [probe_duration(tiny / "segments" / f"{n}.mp4") for n in ("planted", "steady")]
    assert parts[0] == pytest.approx(4.5, abs=0.21) and parts[1] == pytest.approx(2, abs=0.21)
    assert probe_duration(tiny / "gradient-descent.mp4") == pytest.approx(sum(parts), abs=0.1)
    assert built_video["index"]["duration"] == pytest.approx(sum(parts), abs=1e-6)


def test_index_maps_times_to_the_right_animation(built_video):
    index = built_video["index"]
    expectations = {
        0.5: ("planted", 0, "FadeIn", SLOGAN),  # two FadeIns: the slogan, the wide text
        2.0: ("planted", 1, "Wait", FIRST_WAIT),
        3.9: ("planted", 2, "animate", COUNT),
        4.8: ("steady", 0, "animate", STEADY_COUNT),
        6.2: ("steady", 1, "Wait", LAST_WAIT),
    }
    for seconds, (segment, number, animation, line) in expectations.items():
        moment = locate(index, seconds)
        assert moment.segment["name"] == segment, seconds
        assert moment.segment["plays"].index(moment.play) == number, seconds
        assert moment.play["animations"][0] == animation
        assert moment.play["site"] == f"{PLANTED}:{line}"
    with pytest.raises(WhereError, match="outside the video"):
        locate(index, index["duration"] + 1)


def test_where_command_names_the_line_to_edit(built_video):
    out = built_video["where"].stdout
    assert "segment 'steady'" in out and f"edit: {PLANTED}:{STEADY_COUNT}" in out
    assert "subcaption: Counting up." in out
    assert built_video["outside"].returncode != 0
    assert "outside the video" in built_video["outside"].stderr


def test_subtitles_are_shifted_by_each_segments_offset(built_video):
    cues = list(srt.parse((built_video["dir"] / "gradient-descent.srt").read_text()))
    assert [c.content for c in cues] == [
        "But we can do better!",
        "This output is crappy.",
        "Counting up.",
    ]
    assert [c.index for c in cues] == [1, 2, 3]
    offset = built_video["index"]["segments"][1]["offset"]
    assert cues[0].start.total_seconds() == pytest.approx(0)
    assert cues[1].start.total_seconds() == pytest.approx(3.0, abs=1e-6)
    assert cues[2].start.total_seconds() == pytest.approx(offset, abs=1e-6)


FINDING = re.compile(
    r"^\s*(?P<time>\S+)  (?P<file>\S+):(?P<line>\d+)  (?P<check>[^:]+): (?P<message>.*)$"
)
"""A finding as the review prints it: time, the file:line to edit, the check, what is wrong."""


def test_review_catches_the_planted_errors(built_video):
    result = built_video["review"]
    assert result.returncode == 1
    findings = [m for m in map(FINDING.match, result.stdout.splitlines()) if m]
    planted = {("spelling", SLOGAN), ("off screen", SLOGAN), ("fast cue", SLOGAN),
               ("silence", FIRST_WAIT), ("anchor", ANCHOR), ("classroom", COUNT)}  # fmt: skip
    assert STEADY_COUNT not in {int(f["line"]) for f in findings}  # the steady segment has none
    assert sorted((f["check"], int(f["line"])) for f in findings) == sorted(planted)
    assert f"review: {len(findings)} finding(s)" in result.stdout
    found = {f["check"]: f for f in findings}
    assert found["spelling"]["message"].startswith("'midset' ")  # not 'Growth', not 'correct'
    assert found["spelling"]["time"] == format_time(0)  # the slogan shows from the start
    assert found["classroom"]["message"].startswith("'crappy' ")
    assert found["anchor"]["message"].startswith("'counter' ")  # not the steady counter
    assert found["off screen"]["message"].startswith("Text 'Too wide to fit'")  # not the slogan
    [rushed] = [c for c in srt.parse((built_video["dir"] / "gradient-descent.srt").read_text())
                if (c.end - c.start).total_seconds() * READING_RATE < len(c.content)]  # fmt: skip
    speed = len(rushed.content) / (rushed.end - rushed.start).total_seconds()
    assert found["fast cue"]["message"].startswith(f"{speed:.1f} characters per second")


def test_storyboard_is_a_picture_with_a_row_per_segment(built_video):
    from PIL import Image

    with Image.open(built_video["dir"] / "gradient-descent.storyboard.png") as sheet:
        assert sheet.width > 1000 and sheet.height > 2 * 100


def test_times_parse_in_every_form():
    assert parse_time("508") == 508
    assert parse_time("8:28") == 508
    assert parse_time("8:28.5") == 508.5
    assert parse_time("1:00:01") == 3601
    for bad in ("8:75", "abc", "-3", ""):
        with pytest.raises(WhereError):
            parse_time(bad)
    assert format_time(508.5) == "8:28.5"


def test_a_failed_render_publishes_nothing(tmp_path):
    manifest = write_manifest(tmp_path / "manifest.toml", PLANTED, {"broken": "BrokenHalfway"})
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "render", "broken", "--quality", "t"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    segments = tmp_path / "tiny" / "segments"
    assert not segments.exists() or not any(segments.iterdir())
