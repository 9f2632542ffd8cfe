"""The scene toolkit's pieces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import ManimColor, Text, VGroup

from nn.network import forward
from scenes.toolkit.charts import BarRow, BarRows
from scenes.toolkit.decimal_column import DecimalColumn, shown_indices
from scenes.toolkit.digit_image import DigitImage
from scenes.toolkit.function_map import FunctionMap
from scenes.toolkit.guess import GuessMarker
from scenes.toolkit.heatmap import WeightHeatmap
from scenes.toolkit.landscape_surface import height_rgb
from scenes.toolkit.network_diagram import NetworkDiagram, activations_for
from scenes.toolkit.plots import GrowingCurve, XCursor, plot_axes
from scenes.toolkit.style import BACKGROUND, NEGATIVE, POSITIVE, TEXT, sign_color, signed_rgb


def test_shown_indices_elide_the_middle():
    assert shown_indices(13002, 3) == ([0, 1, 2, 12999, 13000, 13001], True)
    assert shown_indices(7, 3) == (list(range(7)), False)


def test_decimal_column_shows_first_dots_last_coloured_by_sign():
    values = np.array([0.5, -1.25, 2.0, *np.zeros(100), -3.5, 4.0])
    column = DecimalColumn(values, edge_count=2, decimals=2)
    assert column.dots is not None
    np.testing.assert_array_equal(column.shown_values(), [0.5, -1.25, -3.5, 4.0])
    assert [n.get_value() for n in column.numbers] == [0.5, -1.25, -3.5, 4.0]
    assert column.numbers[1].get_color() == ManimColor(NEGATIVE)
    assert column.numbers[0].get_color() == ManimColor(POSITIVE)
    # the dots sit between the top and the bottom entries
    assert column.numbers[1].get_y() > column.dots.get_y() > column.numbers[2].get_y()


def test_zero_has_no_sign_colour():
    assert sign_color(0.0) == ManimColor(TEXT)
    assert sign_color(1e-12) == ManimColor(POSITIVE)
    assert sign_color(-1e-12) == ManimColor(NEGATIVE)
    column = DecimalColumn(np.array([0.0, 1.0]), edge_count=1, decimals=2)
    assert column.numbers[0].get_color() == ManimColor(TEXT)  # y's zeros, a blank pixel's 0


def test_decimal_column_keeps_decimal_points_aligned_when_values_change():
    column = DecimalColumn(np.array([0.5, -12.25, 3.0]), decimals=2)
    rights = [n.get_right()[0] for n in column.numbers]
    assert max(rights) - min(rights) < 1e-6
    for number, value in zip(column.numbers, [-100.75, 0.5, 7.0], strict=True):
        number.set_value(value)
    after = [n.get_right()[0] for n in column.numbers]
    np.testing.assert_allclose(after, rights, atol=1e-6)


def test_digit_image_is_crisp_and_checked():
    pixels = np.zeros((28, 28), np.uint8)
    pixels[10:18, 13:15] = 255
    digit = DigitImage(pixels, height=2.0)
    assert digit.image.height == pytest.approx(2.0)
    assert digit.image.resampling_algorithm == 0  # nearest neighbour: no blur when scaled up
    assert digit.image.pixel_array.shape == (28, 28, 4)
    with pytest.raises(ValueError, match="28 x 28"):
        DigitImage(np.zeros((8, 8), np.uint8))


def test_heatmap_colours_weights_by_sign_and_size():
    weights = np.zeros(784)
    weights[0], weights[1] = 2.0, -1.0
    heat = WeightHeatmap(weights)
    np.testing.assert_array_equal(heat.rgb[0, 0], signed_rgb(np.array(2.0), 2.0))
    np.testing.assert_allclose(heat.rgb[0, 0] / 255, ManimColor(POSITIVE).to_rgb(), atol=0.01)
    half_red = heat.rgb[0, 1] / 255
    assert half_red[0] > half_red[2]  # red over blue
    # half the largest magnitude: halfway between the background and full red
    background = np.array(ManimColor(BACKGROUND).to_rgb())
    expected = background + 0.5 * (np.array(ManimColor(NEGATIVE).to_rgb()) - background)
    np.testing.assert_allclose(half_red, expected, atol=0.01)
    np.testing.assert_allclose(heat.rgb[5, 5] / 255, background, atol=0.01)


def test_network_diagram_draws_real_weights_and_activations(traces_env):
    from nn.traces import load_digits, load_run

    run = load_run("main")
    params = run.parameters(-1)
    diagram = NetworkDiagram().show_weights(params)
    assert [len(c) for c in diagram.neurons] == [8, 16, 16, 10]
    assert diagram.rows[0] == [0, 1, 2, 3, 780, 781, 782, 783]
    assert [len(e) for e in diagram.edges] == [8 * 16, 16 * 16, 16 * 10]
    w = params.weights[1][5, 9]
    edge = diagram.edge(1, 5, 9)
    assert edge.get_stroke_color() == sign_color(w)
    strongest = np.unravel_index(np.abs(params.weights[2]).argmax(), params.weights[2].shape)
    assert diagram.edge(2, *strongest).get_stroke_width() == pytest.approx(3.0)

    pixels = load_digits()["test_images"][0]
    activations = activations_for(params, pixels)
    expected = forward(params, pixels.reshape(1, -1) / 255.0)
    for mine, theirs in zip(activations, expected, strict=True):
        np.testing.assert_allclose(mine, theirs[0])
    lit = diagram.light_layer(3, activations[3])  # the output layer's step of forward_pass
    assert lit.animations[7].target_mobject.get_fill_opacity() == pytest.approx(activations[3][7])


def test_guess_marker_moves_only_vertically():
    rows = VGroup(*(Text(str(d)).move_to([2.0, 1.0 - 0.5 * d, 0]) for d in range(3)))
    marker = GuessMarker(rows[0])
    x = marker.left_x()
    for row in rows:
        marker.set_y(row.get_y())
        assert marker.left_x() == pytest.approx(x)
        assert marker.box.get_y() == pytest.approx(row.get_y())


@pytest.mark.parametrize("before, after", [(999, 1000), (0, 12000), (-5, 5)])
def test_steady_number_keeps_its_baseline_and_fixed_edge(before, after):
    from manim import LEFT, DecimalNumber

    from scenes.toolkit.counters import SteadyNumber, reading_point

    steady = SteadyNumber(before, num_decimal_places=0, group_with_commas=True, edge_to_fix=LEFT)
    baseline, left = steady.baseline(), steady.get_left()[0]
    steady.set_value(after)
    assert steady.baseline() == pytest.approx(baseline, abs=1e-9)
    assert steady.get_left()[0] == pytest.approx(left, abs=1e-9)
    np.testing.assert_allclose(reading_point(steady, LEFT), [left, baseline, 0], atol=1e-9)
    if (before, after) == (999, 1000):
        # Manim's own number moves its digits when the comma appears: what this class fixes.
        plain = DecimalNumber(before, num_decimal_places=0, group_with_commas=True)
        bottom = plain[0].get_bottom()[1]
        plain.set_value(after)
        assert abs(plain[0].get_bottom()[1] - bottom) > 0.01


def test_step_counter_sits_on_the_labels_baseline():
    from scenes.toolkit.counters import StepCounter

    counter = StepCounter()
    baseline = counter.label[0].get_bottom()[1]
    for step in (0, 999, 1000, 12000):
        counter.set_step(step)
        assert counter.number.baseline() == pytest.approx(baseline, abs=1e-9)
        assert counter.number.get_value() == step


@pytest.mark.parametrize("steady, jumps", [(False, True), (True, False)])
def test_an_anchor_on_a_number_sees_its_digits_jump_when_a_comma_appears(steady, jumps):
    from manim import LEFT, DecimalNumber, UpdateFromAlphaFunc, tempconfig

    from scenes.toolkit.counters import SteadyNumber
    from scenes.toolkit.timeline import TimelineScene

    kind = SteadyNumber if steady else DecimalNumber

    class CountPastAThousand(TimelineScene):
        def construct(self) -> None:
            number = kind(990, num_decimal_places=0, group_with_commas=True, edge_to_fix=LEFT)
            self.anchor(number, name="count", edge=LEFT)
            self.add(number)
            self.play(UpdateFromAlphaFunc(number, lambda n, a: n.set_value(990 + round(20 * a))))

    with tempconfig({"dry_run": True, "quality": "low_quality"}):
        scene = CountPastAThousand()
        scene.render()
    (anchor,) = scene.anchors
    assert anchor.samples > 2
    assert (anchor.max_drift > 1e-2) is jumps


def test_the_timeline_records_every_number_shown_by_value_and_each_new_value():
    from manim import (
        LEFT,
        FadeIn,
        Integer,
        Text,
        UpdateFromAlphaFunc,
        VGroup,
        linear,
        tempconfig,
    )

    from scenes.toolkit.counters import StepCounter
    from scenes.toolkit.decimal_column import DecimalColumn
    from scenes.toolkit.timeline import TimelineScene

    class Numbers(TimelineScene):
        def construct(self) -> None:
            self.counter = StepCounter().to_edge(LEFT)
            self.column = DecimalColumn(np.array([0.5, -1.25, 2.0]), decimals=2)
            self.wait(0.4)
            self.play(FadeIn(self.counter), FadeIn(Text("13,002 weights")), run_time=0.4)  # SHOW
            self.play(UpdateFromAlphaFunc(self.counter, lambda c, a: c.set_step(round(1500 * a))),
                      rate_func=linear, run_time=1)  # fmt: skip
            self.add(self.column, VGroup(Integer(7)))  # shown from the next play on
            self.wait(0.2)  # COLUMN

    with tempconfig({"dry_run": True, "pixel_width": 64, "pixel_height": 36, "frame_rate": 5}):
        scene = Numbers()
        scene.render()
    lines = {marker: n for n, text in enumerate(Path(__file__).read_text().splitlines(), 1)
             for marker in ("SHOW", "COLUMN") if text.endswith(f"# {marker}")}  # fmt: skip
    counter, *column, seven = scene.shown_numbers
    assert (counter.kind, counter.value, counter.text) == ("SteadyNumber", 0, "0")
    assert counter.time == 0.4  # when the play that showed it began
    assert counter.site == f"tests/test_toolkit.py:{lines['SHOW']}"  # the play that showed it
    changes = [(c.time, c.value, c.text) for c in counter.changes]
    # read at every frame of the count (5 a second), and once more as it ends
    assert changes == [(pytest.approx(0.8 + t), round(1500 * t), f"{round(1500 * t):,}")
                       for t in (0.2, 0.4, 0.6, 0.8, 1.0)]  # fmt: skip
    assert [(n.kind, n.value, n.text) for n in column] == [
        ("DecimalNumber", 0.5, "0.50"), ("DecimalNumber", -1.25, "-1.25"),
        ("DecimalNumber", 2.0, "2.00")]  # fmt: skip
    assert (seven.kind, seven.value, seven.text) == ("Integer", 7, "7")
    assert {n.site for n in [*column, seven]} == {f"tests/test_toolkit.py:{lines['COLUMN']}"}
    assert all(n.time == pytest.approx(1.8) and not n.changes for n in [*column, seven])
    # the digits are not text; a number written in a Text is
    assert sorted(t.text for t in scene.shown_texts) == ["13,002 weights", "step"]
    data = scene.timeline_data()
    assert data["numbers"][0]["changes"][-1] == {"time": pytest.approx(1.8), "value": 1500,
                                                 "text": "1,500"}  # fmt: skip


def test_a_heatmap_shows_new_weights_as_a_new_heatmap_of_them_would():
    rng = np.random.default_rng(3)
    first, later = rng.standard_normal(784), rng.standard_normal(784)
    heat = WeightHeatmap(first, scale=2.0)
    heat.show_weights(later)
    fresh = WeightHeatmap(later, scale=2.0)
    np.testing.assert_array_equal(heat.image.pixel_array, fresh.image.pixel_array)
    assert not np.array_equal(
        heat.image.pixel_array, WeightHeatmap(first, scale=2.0).image.pixel_array
    )


def test_a_guess_marker_pointing_at_a_column_has_no_box_and_its_arrow_ends_there():
    row = Text("7")
    marker = GuessMarker(row)
    box_right = marker.box.get_right()[0]
    tip_gap = marker.arrow.get_left()[0] - box_right
    marker.pointing_at(box_right + 1.5)
    assert marker.box not in marker.submobjects
    assert marker.arrow.get_left()[0] == pytest.approx(box_right + 1.5 + tip_gap)
    assert marker.get_y() == pytest.approx(row.get_y(), abs=0.2)


def test_a_growing_curve_draws_the_points_up_to_x_and_never_fewer_than_two():
    axes = plot_axes((0, 10, 5), (0, 1, 0.5), 5, 2)
    xs, ys = np.arange(1, 11), np.linspace(0, 1, 10)
    curve = GrowingCurve(axes, xs, ys, "#ffffff")
    assert curve.get_anchors()[-1] == pytest.approx(axes.c2p(2, ys[1]))
    curve.show_until(6.5)
    anchors = curve.get_anchors()
    assert anchors[0] == pytest.approx(axes.c2p(1, 0))
    assert anchors[-1] == pytest.approx(axes.c2p(6, ys[5]))
    assert len(curve.get_start_anchors()) == 5  # six points, five pieces
    curve.show_until(100)
    assert curve.get_anchors()[-1] == pytest.approx(axes.c2p(10, 1))


def test_an_x_cursor_spans_its_axes_at_the_x_it_is_moved_to():
    axes = plot_axes((0, 100, 25), (0, 4, 1), 6, 2.5)
    cursor = XCursor(axes, "#ffffff").at(40)
    assert cursor.get_start() == pytest.approx(axes.c2p(40, 0))
    assert cursor.get_end() == pytest.approx(axes.c2p(40, 4))


def test_bar_rows_share_one_scale_and_the_mark_meets_the_bar_of_its_value():
    rows = [BarRow("short", 0.25, "#ffffff"), BarRow("a much longer name", 0.9, "#ff0000")]
    chart = BarRows(rows, length=4.0).to_corner(np.array([-1, -1, 0]))
    lefts = {round(bar.get_left()[0], 6) for bar in chart.bars}
    assert len(lefts) == 1
    assert [bar.width for bar in chart.bars] == pytest.approx([1.0, 3.6])
    assert [track.width for track in chart.tracks] == pytest.approx([4.0, 4.0])
    assert [value.text for value in chart.values] == ["25.0%", "90.0%"]
    for name, bar in zip(chart.names, chart.bars, strict=True):
        assert name.get_right()[0] < bar.get_left()[0]
        assert name.get_y() == pytest.approx(bar.get_y())
    assert chart.mark(0.9, "#ff0000").get_x() == pytest.approx(chart.bars[1].get_right()[0])
    assert chart.row(1).get_y() == pytest.approx(chart.bars[1].get_y(), abs=0.05)


def test_a_function_map_puts_each_sample_at_the_centre_of_its_cell_in_its_height_colour():
    xs, ys = np.linspace(-2.0, 6.0, 5), np.linspace(-1.0, 1.0, 3)
    values = np.arange(15, dtype=float).reshape(3, 5) / 5
    cost_map = FunctionMap(xs, ys, values, width=5.0, height=3.0, steps=(2, 1),
                           names=("a", "b"), scale=("cost", 3.0, 1.0))  # fmt: skip
    picture = cost_map.picture
    cell = np.array([picture.width / 5, picture.height / 3])
    corner = picture.get_corner(np.array([-1, -1, 0]))
    for i, j in [(0, 0), (4, 2), (2, 1)]:
        centre = corner[:2] + (np.array([i, j]) + 0.5) * cell
        assert cost_map.point(xs[i], ys[j])[:2] == pytest.approx(centre)
    np.testing.assert_array_equal(picture.pixel_array[::-1, :, :3], height_rgb(values, 3.0))
    assert cost_map.direction(1, 0) == pytest.approx([1, 0, 0])
    unit_x, unit_y = cell[0] / 2, cell[1] / 1  # scene units per input unit
    expected = np.array([unit_x, -unit_y, 0]) / np.hypot(unit_x, unit_y)
    assert cost_map.direction(1, -1) == pytest.approx(expected)
    ticks = [float(n.get_value()) for n in cost_map.colour_scale.ticks.numbers]
    assert ticks == [0.0, 1.0, 2.0, 3.0]
