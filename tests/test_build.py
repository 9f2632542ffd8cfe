"""The whole-video build: render, join, index, subtitles, where, storyboard, review."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import srt

from pipeline.where import WhereError, format_time, locate, parse_time
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


def test_review_catches_the_planted_errors(built_video):
    result = built_video["review"]
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    spelling = [line for line in lines if "spelling: 'midset'" in line]
    assert spelling and f"{PLANTED}:{SLOGAN}" in spelling[0] and "0:00.0" in spelling[0]
    classroom = [line for line in lines if "classroom: 'crappy'" in line]
    assert classroom and f"{PLANTED}:{COUNT}" in classroom[0]
    anchor = [line for line in lines if "anchor: 'counter'" in line]
    assert anchor and f"{PLANTED}:{ANCHOR}" in anchor[0]
    assert not any("steady counter" in line for line in lines)
    assert not any("'Growth'" in line or "'correct'" in line for line in lines)
    off_screen = [line for line in lines if "off screen: Text 'Too wide to fit'" in line]
    assert off_screen and f"{PLANTED}:{SLOGAN}" in off_screen[0]
    assert not any("off screen" in line and "midset" in line for line in lines)
    fast = [line for line in lines if "fast cue:" in line]  # 21 characters in 1 s
    assert len(fast) == 1 and f"{PLANTED}:{SLOGAN}" in fast[0] and "21.0 characters" in fast[0]
    silence = [line for line in lines if "  silence:" in line]  # no voice at all, nothing declared
    assert len(silence) == 1 and f"{PLANTED}:{FIRST_WAIT}" in silence[0]
    assert "review: 6 finding(s)" in result.stdout


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
