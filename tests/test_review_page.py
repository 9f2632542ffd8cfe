"""The review page in a real browser: Debian's Chromium, driven by Playwright, from ``file://``.

The page of the tiny test video loads from disk, plays and seeks, and its panel follows the
beats; a note written in the page is exported, read back by ``make notes`` pinned to its beat,
and after an earlier beat is lengthened it is listed at that beat's new time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import lengthened

from pipeline.notes import beat_at, open_notes
from pipeline.quality import quality

pytestmark = pytest.mark.render

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium (``make setup`` installs it); Playwright downloads no browser here."""
INDEX = "gradient-descent.index.json"


@pytest.fixture(scope="module")
def review_page(tiny_video, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the tiny video's folder with its review page: the renders folder, the page."""
    renders = tmp_path_factory.mktemp("review-renders")
    shutil.copytree(tiny_video.directory, renders / "tiny")
    env = {**os.environ, "GD_RENDERS_DIR": str(renders)}
    subprocess.run([sys.executable, "-m", "pipeline", "review-page", "--quality", "t"], env=env,
                   check=True, capture_output=True, text=True)  # fmt: skip
    return renders, renders / "tiny" / "gradient-descent.review.html"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, launched by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        yield chromium
        chromium.close()


def _open(browser, page_file: Path, width: int = 1280, height: int = 720):
    """The page in a new tab of ``width`` by ``height``, its video ready to play."""
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_function("document.getElementById('video').readyState >= 2", timeout=30_000)
    return page


def _seek(page, seconds: float) -> None:
    """Seek the video to ``seconds`` and wait until it has (the panel follows on ``seeked``)."""
    page.evaluate("""t => new Promise(done => {
        const video = document.getElementById('video');
        video.addEventListener('seeked', () => done(), {once: true});
        video.currentTime = t;
    })""", seconds)  # fmt: skip


def _inside(beat: dict, share: float = 0.5) -> float:
    return beat["start"] + share * (beat["end"] - beat["start"])


def _some_beats(index: dict) -> list[dict]:
    """A beat from the first, the middle and the last segment that have beats."""
    voiced = [s for s in index["segments"] if s.get("beats")]
    return [voiced[0]["beats"][0], voiced[len(voiced) // 2]["beats"][1], voiced[-1]["beats"][-1]]


def test_the_page_from_disk_plays_seeks_and_shows_each_beat_with_its_code(review_page, browser):
    renders, page_file = review_page
    index = json.loads((renders / "tiny" / INDEX).read_text())
    page = _open(browser, page_file)
    video = "document.getElementById('video')"
    page.wait_for_function(f"{video}.textTracks[0].cues && {video}.textTracks[0].cues.length > 0")
    assert page.evaluate(f"{video}.textTracks[0].mode") == "showing"  # subtitles on by default
    cues = (renders / "tiny" / "gradient-descent.vtt").read_text().count(" --> ")
    assert page.evaluate(f"{video}.textTracks[0].cues.length") == cues
    assert page.locator("#chapters li").count() == len(index["segments"])

    page.click("#play")  # it plays: the clock moves
    page.wait_for_function(f"{video}.currentTime > 0.5", timeout=15_000)
    page.click("#play")
    assert page.evaluate(f"{video}.paused")

    for beat in _some_beats(index):
        seconds = _inside(beat)
        _seek(page, seconds)
        _, expected, play = beat_at(index, seconds)
        assert expected["id"] == beat["id"]
        assert page.text_content("#now-beat") == beat["id"]
        assert page.text_content("#now-words") == beat["text"]
        assert page.text_content("#now-site") == play["site"]
        segment = play["beat"].split("/")[0]
        assert page.text_content("#now-segment").endswith(f"({segment})")
        assert page.get_attribute("#chapters li.current", "data-name") == segment

    segment = next(s for s in index["segments"] if s.get("numbers"))
    number = min(segment["numbers"], key=lambda n: n["time"])
    _seek(page, number["time"] + 0.05)  # the first number the video shows is listed
    shown = number["changes"][0]["text"] if number["changes"] and \
        number["changes"][0]["time"] <= number["time"] + 0.05 else number["text"]  # fmt: skip
    assert shown in page.locator("#now-numbers li").all_text_contents()

    before = page.evaluate(f"{video}.currentTime")
    page.click("#forward")  # one frame at 5 frames a second
    assert page.evaluate(f"{video}.currentTime") == pytest.approx(before + 0.2)
    assert page.errors == []


def test_the_page_fits_a_phone_and_labels_every_control(review_page, browser):
    _, page_file = review_page
    for width, height in [(1280, 720), (390, 844)]:
        page = _open(browser, page_file, width, height)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.is_visible("#note-here") and page.is_visible("#play")
        unnamed = page.evaluate("""[...document.querySelectorAll('button, textarea, video')]
            .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim()
                           || (e.id && document.querySelector(`label[for=${e.id}]`))))
            .map(e => e.outerHTML)""")  # fmt: skip
        assert unnamed == []
        page.keyboard.press("Tab")  # the keyboard reaches the controls
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") in {"VIDEO", "BUTTON"}


def test_a_note_written_in_the_page_follows_its_beat_through_a_retiming(
    review_page, browser, tmp_path, monkeypatch
):
    renders, page_file = review_page
    index = json.loads((renders / "tiny" / INDEX).read_text())
    beat = _some_beats(index)[1]
    seconds = _inside(beat, 0.3)
    page = _open(browser, page_file)
    _seek(page, seconds)
    page.click("#note-here")
    page.fill("#note-text", "the arrow needs its label")
    page.click("#note-save")
    assert page.text_content("#notes-count") == "1"
    folder = tmp_path / "review"
    folder.mkdir()
    with page.expect_download() as download:
        page.click("#export")
    download.value.save_as(folder / "review-notes.json")

    monkeypatch.setenv("GD_RENDERS_DIR", str(renders))
    (placed,) = open_notes(quality("t"), folder)
    assert (placed.note.beat, placed.site) == (beat["id"], beat["site"])
    assert placed.time == pytest.approx(seconds, abs=1e-3)
    review = subprocess.run([sys.executable, "-m", "pipeline", "review", "--quality", "t"],
                            env={**os.environ, "GD_RENDERS_DIR": str(renders),
                                 "GD_REVIEW_NOTES": str(folder)},
                            capture_output=True, text=True)  # fmt: skip
    assert "1 open review note(s)" in review.stdout

    earlier = index["segments"][0]["beats"][0]  # the first beat now takes 2.5 s longer to say
    retimed = tmp_path / "retimed"
    (retimed / "tiny").mkdir(parents=True)
    (retimed / "tiny" / INDEX).write_text(json.dumps(lengthened(index, earlier["id"], 2.5)))
    monkeypatch.setenv("GD_RENDERS_DIR", str(retimed))
    (placed,) = open_notes(quality("t"), folder)
    moved = next(b for s in json.loads((retimed / "tiny" / INDEX).read_text())["segments"]
                 for b in s["beats"] if b["id"] == beat["id"])  # fmt: skip
    assert moved["start"] == pytest.approx(beat["start"] + 2.5)
    assert placed.time == pytest.approx(moved["start"] + (seconds - beat["start"]), abs=1e-3)
    listing = subprocess.run([sys.executable, "-m", "pipeline", "notes", "--quality", "t"],
                             env={**os.environ, "GD_RENDERS_DIR": str(retimed),
                                  "GD_REVIEW_NOTES": str(folder)},
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"{beat['id']}: the arrow needs its label" in listing
    assert beat["site"] in listing
    assert page.errors == []
