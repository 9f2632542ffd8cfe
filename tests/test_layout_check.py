"""The layout check: planted faults are each reported with their lines; a clean scene is quiet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    BackgroundRectangle,
    Circle,
    FadeIn,
    Line,
    NumberLine,
    Square,
    VGroup,
    tempconfig,
)

from pipeline.review import MAX_LAYOUT_EXCEPTIONS, TOO_SHORT, layout_findings
from scenes.toolkit.layout_check import cap_height, stroke_samples
from scenes.toolkit.plots import plot_axes
from scenes.toolkit.style import caption, label
from scenes.toolkit.timeline import TimelineScene

HERE = "tests/test_layout_check.py"
TINY = {"dry_run": True, "pixel_width": 64, "pixel_height": 36, "frame_rate": 5}


def marked_lines() -> dict[str, int]:
    """Line numbers of this file's lines that end in ``# MARK``, by mark."""
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    return {
        text.rsplit("# ", 1)[1]: n
        for n, text in enumerate(lines, 1)
        if "# " in text and text.rsplit("# ", 1)[1].isupper()
    }


def built(scene_class: type[TimelineScene]) -> TimelineScene:
    """``scene_class`` played through without drawing."""
    with tempconfig(TINY):
        scene = scene_class()
        scene.render()
    return scene


def placement_faults(scene: TimelineScene) -> list:
    """The scene's layout findings but the time to read: these scenes are short on purpose
    (tests/test_read_time.py tests that check)."""
    return [f for f in scene.layout_check.found if f.kind != TOO_SHORT]


def by_kind(scene: TimelineScene) -> dict[str, list]:
    """The scene's placement faults, by kind."""
    found: dict[str, list] = {}
    for finding in placement_faults(scene):
        found.setdefault(finding.kind, []).append(finding)
    return found


class PlantedFaults(TimelineScene):
    """One of each fault, each shown by its own play."""

    def construct(self) -> None:
        first = label("first words").shift(2 * UP)  # FIRST
        second = label("second words").move_to(first).shift(0.1 * RIGHT + 0.05 * UP)  # SECOND
        self.play(FadeIn(first), FadeIn(second))  # OVERLAP
        self.clear()
        tiny = label("tiny words").scale(0.35)  # TINY
        self.play(FadeIn(tiny))  # SMALL
        self.clear()
        edge = caption("at the edge").to_edge(LEFT, buff=0.1)  # EDGE
        self.play(FadeIn(edge))  # EDGE_PLAY
        self.clear()
        crossed = caption("crossed out")  # CROSSED
        self.play(FadeIn(crossed), FadeIn(Line(2 * LEFT, 2 * RIGHT)))  # CROSSING
        self.clear()
        square = Square(side_length=1).shift(3 * LEFT)
        name = self.place_label(label("a square"), square)  # LINKED
        self.play(FadeIn(square), FadeIn(name))
        self.play(name.animate.shift(3 * RIGHT))  # MOVED_AWAY
        self.clear()
        neuron = Circle(radius=0.1).shift(2 * LEFT)
        row = caption("0.25").move_to(neuron).shift(2 * RIGHT + 0.2 * DOWN)  # not level
        self.link_label(row, neuron, level=True)  # LEVEL
        self.play(FadeIn(neuron), FadeIn(row))  # ROW


def test_each_planted_fault_is_reported_once_with_the_play_and_the_lines_that_made_it():
    lines = marked_lines()
    found = by_kind(built(PlantedFaults))
    assert sorted(found) == ["at the edge", "far from its target", "overlap", "too small"]
    words, crossing = sorted(found["overlap"], key=lambda f: f.index)
    assert words.what == "'first words' and 'second words'"
    assert words.site == f"{HERE}:{lines['OVERLAP']}"
    assert words.made_at == [f"{HERE}:{lines['FIRST']}", f"{HERE}:{lines['SECOND']}"]
    assert crossing.what == "'crossed out' and a Line"
    assert crossing.site == f"{HERE}:{lines['CROSSING']}"
    assert crossing.made_at == [f"{HERE}:{lines['CROSSED']}"]
    (small,) = found["too small"]
    assert (small.what, small.site) == ("'tiny words'", f"{HERE}:{lines['SMALL']}")
    assert small.made_at == [f"{HERE}:{lines['TINY']}"]
    (edge,) = found["at the edge"]
    assert (edge.what, edge.site) == ("'at the edge'", f"{HERE}:{lines['EDGE_PLAY']}")
    assert edge.made_at == [f"{HERE}:{lines['EDGE']}"]
    away, low = found["far from its target"]
    assert (away.what, away.site) == ("'a square'", f"{HERE}:{lines['MOVED_AWAY']}")
    assert f"{HERE}:{lines['LINKED']}" in away.detail  # where the label was linked
    assert (low.what, low.site) == ("'0.25'", f"{HERE}:{lines['ROW']}")
    assert low.detail.startswith("0.20 units below") and f"{HERE}:{lines['LEVEL']}" in low.detail


class CleanLayout(TimelineScene):
    """Near misses of every fault: nothing to report."""

    def construct(self) -> None:
        axes = plot_axes((0, 10, 2), (0, 4, 1), 6, 3).shift(0.5 * DOWN)  # ticks and numbers
        title = self.place_label(label("cost, by step"), axes, UP)
        lines = VGroup(caption("one line"), caption("and the next")).arrange(DOWN, buff=0.05)
        lines.to_corner(UP + LEFT, buff=0.5)  # just inside the title-safe margin
        panel_words = caption("on a panel").to_corner(DOWN + RIGHT, buff=0.6)
        panel = BackgroundRectangle(panel_words, fill_opacity=1, buff=0.05)
        behind = Line(panel_words.get_left() + LEFT, panel_words.get_right() + RIGHT)
        far = Square(side_length=0.5).to_corner(DOWN + LEFT, buff=0.6)
        named = label("named from afar").next_to(far, RIGHT, buff=2.5)
        pointer = Arrow(named.get_left() + 0.03 * RIGHT, far.get_right(), buff=0)  # from its "n"
        ruler = NumberLine([0, 4, 1], length=3, include_numbers=True, line_to_number_buff=0)
        ruler.to_corner(UP + RIGHT, buff=0.8)  # its numbers touch their own ticks
        self.link_label(named, far, pointer)
        self.play(FadeIn(axes), FadeIn(title), FadeIn(lines))
        self.play(FadeIn(behind), FadeIn(panel), FadeIn(panel_words))
        self.play(FadeIn(far), FadeIn(named), FadeIn(pointer), FadeIn(ruler))
        self.wait(0.4)


def test_a_clean_layout_reports_nothing():
    assert placement_faults(built(CleanLayout)) == []


class AllowedOverlap(TimelineScene):
    def construct(self) -> None:
        first = label("on purpose")
        second = label("over it").move_to(first)
        self.allow("overlap", second, "the second replaces the first as it fades in")  # ALLOW
        self.play(FadeIn(first), FadeIn(second))


def test_an_allowed_fault_is_not_reported_and_is_listed_with_its_reason():
    scene = built(AllowedOverlap)
    assert placement_faults(scene) == []
    (allowed,) = scene.timeline_data()["layout_exceptions"]
    assert allowed == {
        "kind": "overlap",
        "what": "over it",
        "reason": "the second replaces the first as it fades in",
        "site": f"{HERE}:{marked_lines()['ALLOW']}",
    }


@pytest.mark.parametrize(("kind", "reason"), [("overlaps", "why"), ("overlap", " ")])
def test_an_exception_needs_a_known_kind_and_a_reason(kind, reason):
    with tempconfig(TINY):
        scene = TimelineScene()
        scene.setup()
        with pytest.raises(ValueError, match=r"kind must be one of|needs its reason"):
            scene.allow(kind, label("x"), reason)


def test_a_long_play_is_looked_at_inside_not_only_at_its_end():
    class Passing(TimelineScene):
        def construct(self) -> None:
            words = caption("standing still")
            bar = Line(UP, DOWN).shift(4 * LEFT)
            self.add(words, bar)
            self.play(bar.animate.shift(8 * RIGHT), run_time=4)  # passes through the words

    with tempconfig({**TINY, "dry_run": False, "write_to_movie": False, "disable_caching": True}):
        scene = Passing()
        scene.render()
    (crossing,) = placement_faults(scene)
    assert crossing.kind == "overlap"
    assert 0 < crossing.time < 4


def test_the_tex_and_number_cap_heights_are_what_manim_draws():
    from manim import DecimalNumber, MathTex

    from scenes.toolkit.layout_check import NUMBER_CAP_HEIGHT, TEX_CAP_HEIGHT

    assert MathTex("H", font_size=100).height / 100 == pytest.approx(TEX_CAP_HEIGHT, rel=0.01)
    zero = DecimalNumber(0, num_decimal_places=0, font_size=100)
    assert zero.height / 100 == pytest.approx(NUMBER_CAP_HEIGHT, rel=0.01)
    assert cap_height(DecimalNumber(7.5, font_size=40)) == pytest.approx(40 * NUMBER_CAP_HEIGHT)


def test_cap_height_follows_the_font_size_and_any_scaling():
    text = label("Hx")
    assert cap_height(text) == pytest.approx(text[0].height, rel=0.02)  # the H's own height
    assert cap_height(text.scale(0.5)) == pytest.approx(text[0].height, rel=0.02)


def test_stroke_samples_run_along_the_curve_at_most_the_spacing_apart():
    line = Line(LEFT, RIGHT)
    samples = stroke_samples(line.points, spacing=0.01)
    assert samples[0] == pytest.approx([-1, 0]) and samples[-1] == pytest.approx([1, 0])
    assert np.diff(samples[:, 0]).max() <= 0.01 + 1e-9


def index_with(layout: list[dict], exceptions: int) -> dict:
    allowed = {"kind": "overlap", "what": "x", "reason": "why", "site": "scenes/a.py:3"}
    return {"segments": [{"name": "a", "layout": layout,
                          "layout_exceptions": [allowed] * exceptions}]}  # fmt: skip


def test_the_review_lists_layout_findings_and_refuses_too_many_exceptions():
    fault = {
        "kind": "too small",
        "what": "'tiny'",
        "detail": "capitals 5.0 px tall",
        "index": 2,
        "time": 12.5,
        "site": "scenes/a.py:9",
        "made_at": ["scenes/a.py:7"],
    }
    (finding,) = layout_findings(index_with([fault], MAX_LAYOUT_EXCEPTIONS))
    assert (finding.time, finding.site, finding.check) == (
        12.5,
        "scenes/a.py:9",
        "layout: too small",
    )
    assert "made at scenes/a.py:7" in finding.message
    assert layout_findings(index_with([], MAX_LAYOUT_EXCEPTIONS)) == []
    (too_many,) = layout_findings(index_with([], MAX_LAYOUT_EXCEPTIONS + 1))
    assert too_many.check == "layout: exceptions"


def test_letter_runs_join_the_letters_of_a_line_and_keep_lines_apart():
    from scenes.toolkit.layout_check import letter_runs

    words = caption("two words\nand more")
    runs = letter_runs(np.array([[*m.get_corner(DOWN + LEFT)[:2], *m.get_corner(UP + RIGHT)[:2]]
                                 for m in words.submobjects if m.has_points()]))  # fmt: skip
    assert len(runs) == 2  # one run a line: spaces are narrower than a run's gaps
    assert runs[0][1] > runs[1][3]  # the first line above the second
    assert runs[0][2] - runs[0][0] == pytest.approx(words[:8].width, abs=0.02)
