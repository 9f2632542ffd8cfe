"""Time to read: a text that changes before its characters / 15 + 1 s is reported; one held long
enough, or only moved, is not; ``pause_to_read`` holds exactly long enough; the review holds
taught segments to it and lists the others' as to come."""

from __future__ import annotations

import pytest
from manim import RIGHT, FadeIn, FadeOut, tempconfig

from pipeline.review import TOO_SHORT, layout_findings, read_time_to_come
from scenes.toolkit.read_time import time_to_read
from scenes.toolkit.style import caption
from scenes.toolkit.timeline import TimelineScene

TINY = {"dry_run": True, "pixel_width": 64, "pixel_height": 36, "frame_rate": 10}
WORDS = "fifteen letters"  # 15 characters: 2 s to read


def built(scene_class: type[TimelineScene]) -> TimelineScene:
    with tempconfig(TINY):
        scene = scene_class()
        scene.render()
    return scene


def too_short(scene: TimelineScene) -> list:
    return [f for f in scene.layout_check.found if f.kind == TOO_SHORT]


def shown_for(hold: float, change: str = "fade") -> type[TimelineScene]:
    class Shown(TimelineScene):
        def construct(self) -> None:
            words = caption(WORDS)
            self.play(FadeIn(words), run_time=0.5)
            self.wait(hold)
            if change == "fade":
                self.play(FadeOut(words))
            elif change == "move":
                self.play(words.animate.shift(RIGHT))
                self.play(FadeOut(words))
            elif change == "recolour":
                self.play(words.animate.set_color("#ff0000"))
                self.wait(3)

    return Shown


def test_the_time_to_read_is_characters_over_15_plus_1_second():
    assert time_to_read(WORDS) == pytest.approx(2.0)
    assert time_to_read("  ") == pytest.approx(1.0)


@pytest.mark.parametrize("change", ["fade", "recolour"])
def test_a_text_changed_too_soon_is_reported_with_how_long_it_stood(change):
    (finding,) = too_short(built(shown_for(1.5, change)))
    assert finding.what == WORDS
    assert finding.time == pytest.approx(0.5)
    assert finding.detail.startswith("still for 1.5 s, needs 2.0 s")
    assert "tests/test_read_time.py" in finding.site


@pytest.mark.parametrize("change", ["fade", "move"])
def test_a_text_held_long_enough_or_only_moved_is_not_reported(change):
    assert too_short(built(shown_for(2.0, change))) == []


def test_a_text_on_screen_at_the_end_is_judged_by_the_end():
    class EndsSoon(TimelineScene):
        def construct(self) -> None:
            self.play(FadeIn(caption(WORDS)), run_time=0.5)
            self.wait(0.5)

    (finding,) = too_short(built(EndsSoon))
    assert "the end of the scene" in finding.detail


def test_pause_to_read_holds_until_every_new_text_can_be_read():
    from scenes.toolkit.narration import NarratedScene

    class Paused(NarratedScene):
        segment = "title"

        def construct(self) -> None:
            self.play(FadeIn(caption(WORDS)), run_time=0.5)
            self.wait(0.5)
            self.pause_to_read("the viewer reads", at_least=0.2)
            self.play(FadeOut(*self.mobjects))

    scene = built(Paused)
    assert too_short(scene) == []
    (pause,) = scene.pauses
    assert pause.end - pause.start == pytest.approx(1.5, abs=1e-6)  # whole frames, none short


def test_the_review_holds_taught_segments_to_the_time_to_read_and_lists_the_others():
    entry = {"kind": TOO_SHORT, "what": WORDS, "detail": "still for 1.0 s, needs 2.0 s",
             "index": 0, "time": 3.0, "site": "scenes/x.py:1", "made_at": []}  # fmt: skip
    index = {"segments": [
        {"name": "taught_one", "taught": True, "layout": [entry], "layout_exceptions": []},
        {"name": "draft_one", "taught": False, "layout": [entry], "layout_exceptions": []},
    ]}  # fmt: skip
    (finding,) = layout_findings(index)
    assert finding.check == f"layout: {TOO_SHORT}" and WORDS in finding.message
    (line,) = read_time_to_come(index)
    assert line.startswith("read time to come in draft_one (not taught yet): 1 text(s)")
