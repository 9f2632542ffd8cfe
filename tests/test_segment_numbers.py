"""The numbers the opening segments show equal the numbers recomputed from the traces."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from nn.data import REPO_ROOT
from nn.network import cost, forward, one_hot, parameter_count
from nn.traces import load_digits, load_landscape, load_run

pytestmark = pytest.mark.usefixtures("traces_env")

CITATION = re.compile(r"\b[A-Z][a-z]+ et al\. \d{4}")
"""A paper as the scenes cite it: "Li et al. 2018"."""


def shown(scene) -> list[str]:
    return [t.text for t in scene.shown_texts]


def recorded(scene, number):
    """What the scene's timeline recorded of the number mobject ``number``: shown, by value."""
    [entry] = [entry for entry in scene.shown_numbers if entry.mobject is number]
    return entry


def drawn(text: str) -> float:
    """The value a number's drawn text reads as."""
    return float(text.replace(",", ""))


def test_cost_of_one_example_is_the_sum_of_squares_from_snapshot_0(built_scene):
    from scenes.cost_of_one_example import EXAMPLE

    scene = built_scene("cost_of_one_example")
    run, digits = load_run("main"), load_digits()
    x = digits["train_images"][EXAMPLE].reshape(1, -1) / 255.0
    a = forward(run.parameters(0), x)[-1][0]
    y = np.zeros(a.size)
    y[digits["train_labels"][EXAMPLE]] = 1
    assert scene.terms["cost"] == pytest.approx(float(np.sum((a - y) ** 2)), rel=1e-12)
    np.testing.assert_allclose(scene.outputs.values, a)
    np.testing.assert_array_equal(scene.desired.values, y)
    assert f"{np.sum((a - y) ** 2):.3f}" in shown(scene)
    assert [f"{v:.2f}" for v in a] == [f"{n.get_value():.2f}" for n in scene.outputs.numbers]
    for column, values in ((scene.outputs, a), (scene.desired, y), (scene.squares, (a - y) ** 2)):
        entries = [recorded(scene, number) for number in column.numbers]
        np.testing.assert_allclose([e.value for e in entries], values[column.shown])


def test_average_cost_is_the_training_split_cost_at_initialisation(built_scene, dataset):

    scene = built_scene("cost_of_one_example")
    run = load_run("main")
    x = dataset.inputs(run["train_index"])
    recomputed = cost(run.parameters(0), x, one_hot(run["train_labels"], run.layer_sizes[-1]))
    assert f"{recomputed:.3f}" in shown(scene)
    assert f"Average cost over all {len(run['train_index']):,} training examples" in shown(scene)


def test_recap_counts_parameters_from_the_layer_sizes(built_scene):
    scene = built_scene("recap")
    run = load_run("main")
    total = run.parameters(0).flatten().size  # every weight and bias the network has
    [count] = [text for text in shown(scene) if text.endswith(f"= {total:,}")]
    weights, biases = count.removesuffix(f" = {total:,}").split(" weights + ")
    products = re.findall(r"(\d+)\N{MULTIPLICATION SIGN}(\d+)", weights)
    assert [(int(a), int(b)) for a, b in products] == list(itertools.pairwise(run.layer_sizes))
    assert [int(n) for n in re.findall(r"\d+", biases)] == list(run.layer_sizes[1:])
    assert sum(int(a) * int(b) for a, b in products) + sum(run.layer_sizes[1:]) == total


def test_recap_guesses_are_the_trained_networks(built_scene):

    scene = built_scene("recap")
    run, digits = load_run("main"), load_digits()
    for position, guess in scene.guesses.items():
        x = digits["test_images"][position].reshape(1, -1) / 255.0
        assert guess == int(np.argmax(forward(run.parameters(-1), x)[-1]))


def test_training_data_shows_the_real_split_sizes(built_scene):

    scene = built_scene("training_data")
    run = load_run("main")
    assert f"{len(run['train_index']):,} labelled digits" in shown(scene)
    assert f"{len(run['test_index']):,} unseen digits" in shown(scene)


def test_cost_as_function_shows_real_values(built_scene):

    scene = built_scene("cost_as_function")
    run = load_run("main")
    assert f"{float(run['train_cost'][0]):.3f}" in shown(scene)
    count = run.parameters(0).flatten().size
    assert f"parameters: {count:,} weights and biases" in shown(scene)
    assert f"parameters: {len(run['train_index']):,} training examples" in shown(scene)


def test_gradient_vector_shows_the_traces_gradient_and_update(built_scene):
    scene = built_scene("gradient_vector")
    run = load_run("main")
    weights = run.parameters(0).flatten()
    gradient = run.gradient(0).flatten()
    shown = scene.g_column.shown
    np.testing.assert_allclose(scene.g_column.shown_values(), -gradient[shown])
    np.testing.assert_allclose(scene.w_column.shown_values(), weights[shown])
    np.testing.assert_allclose(
        scene.new_column.shown_values(),
        weights[shown] - run.meta["learning_rate"] * gradient[shown],
    )
    assert shown[-1] == parameter_count(run.meta["layer_sizes"]) - 1


def test_gradient_vector_records_every_entry_it_shows_by_value(built_scene):
    from scenes.gradient_vector import DECIMALS

    scene = built_scene("gradient_vector")
    run = load_run("main")
    weights, gradient = run.parameters(0).flatten(), run.gradient(0).flatten()
    columns = {scene.w_column: weights, scene.g_column: -gradient,
               scene.new_column: weights - run.learning_rate * gradient}  # fmt: skip
    for column, values in columns.items():
        entries = [recorded(scene, number) for number in column.numbers]
        np.testing.assert_allclose([e.value for e in entries], values[column.shown])
        for entry in entries:
            assert abs(drawn(entry.text) - entry.value) <= 0.5 * 10**-DECIMALS + 1e-12
            assert entry.site.startswith("scenes/gradient_vector.py:") and not entry.changes
    shown = [*columns, scene.arrow_column]  # and the surface's arrow, two numbers
    assert len(scene.shown_numbers) == sum(len(c.numbers) for c in shown)


def test_gradient_vector_ties_the_column_to_the_surfaces_arrow(built_scene):

    from scenes.toolkit.style import TEXT

    scene = built_scene("gradient_vector")
    run = load_run("main")
    plane = load_landscape()["plane_descent_gradient"][0].astype(float)
    np.testing.assert_allclose(scene.arrow_column.shown_values(), -plane)  # the map's first arrow
    gradient = run.gradient(0).flatten()
    for index, number in zip(scene.g_column.shown, scene.g_column.numbers, strict=True):
        if gradient[index] == 0:  # a blank pixel's weight: no sign, the neutral colour
            assert number.get_color().to_hex().lower() == TEXT.lower()
    words = {b.id.split("/")[1]: b.text for b in scene.beats}
    assert f"{run.parameter_count:,}" in words["surface-arrow"]
    assert f"learning rate, {run.learning_rate:g}," in words["one-step"]


def test_gradient_meaning_ratio_is_the_traces(built_scene):
    from scenes.gradient_meaning import strongest_and_typical

    scene = built_scene("gradient_meaning")
    g = load_run("main").gradient(0).flatten()
    strongest, typical = strongest_and_typical(-g)
    assert abs(g[strongest]) == np.abs(g).max()
    assert scene.ratio == pytest.approx(abs(g[strongest]) / abs(g[typical]))
    assert any(f"{scene.ratio:,.0f} times more sensitive" in t for t in shown(scene))
    magnitude = np.abs(g)
    assert (
        (magnitude < magnitude[typical]).sum()
        <= g.size // 2
        <= (magnitude <= magnitude[typical]).sum()
    )


def test_gradient_meaning_names_each_component_as_the_kind_it_is(built_scene):
    from nn.parameter_address import ParameterAddress
    from scenes.gradient_meaning import strongest_and_typical

    scene = built_scene("gradient_meaning")
    run = load_run("main")
    strongest, typical = strongest_and_typical(-run.gradient(0).flatten())
    words = {b.id.split("/")[1]: b for b in scene.beats}
    ratio = words["ratio"].text
    for index in (strongest, typical):
        parameter = ParameterAddress.from_flat_index(index, run.layer_sizes)
        kind = "the bias of" if parameter.is_bias else "the weight from"
        assert parameter.spoken_words.startswith(kind) and parameter.spoken_words in ratio
        assert parameter.screen_words in shown(scene)  # named in words on screen too
        assert parameter.label not in shown(scene)  # no code name the viewer was never taught
    assert words["ratio"].fact and words["components"].fact


def test_gradient_meaning_2d_example_slopes_differ_by_the_stated_factor(built_scene):
    import re as regex

    from scenes.gradient_meaning import UNEQUAL, example_point
    from scenes.toolkit.landscape_surface import point_along, surface_function

    scene = built_scene("gradient_meaning")
    land = load_landscape()
    f, path = surface_function(land), land["path"].astype(float)

    def slopes(a: float, b: float) -> tuple[float, float]:
        return float(f(a, b, dx=1)[0, 0]), float(f(a, b, dy=1)[0, 0])

    da, db = (abs(v) for v in slopes(*point_along(path, example_point(path, slopes))))
    factor = max(da, db) / min(da, db)
    assert factor >= UNEQUAL
    text = {b.id.split("/")[1]: b.text for b in scene.beats}["components"]
    stated = float(regex.search(r"is ([0-9.]+) times more sensitive", text).group(1))
    assert stated == pytest.approx(factor, abs=0.05)


def test_gradient_meaning_sentences_refuse_what_the_data_does_not_show():
    from nn.parameter_address import ParameterAddress
    from scenes.gradient_meaning import ratio_sentence, sensitivity_sentence
    from scenes.toolkit.claims import ClaimError

    sizes = (784, 16, 16, 10)
    bias, weight = ParameterAddress.bias(3, 8, sizes), ParameterAddress.from_flat_index(0, sizes)
    assert (
        "10 times more about the bias of output neuron 8"
        in ratio_sentence(bias, weight, 0.5, 0.05).text
    )
    with pytest.raises(ClaimError, match="times more about"):
        ratio_sentence(bias, weight, 0.5, 0.4)  # not clearly different
    with pytest.raises(ClaimError, match="times more about"):
        ratio_sentence(bias, weight, 0.5, 0.0)  # a zero is not a typical size
    assert "3.0 times more sensitive to b than to a" in sensitivity_sentence(0.01, -0.03).text
    with pytest.raises(ClaimError, match="sensitive"):
        sensitivity_sentence(0.0242, -0.0187)  # about equal: the draft's opposite lesson


def test_training_curves_are_the_traces(built_scene):
    from scenes.training import TRAILING, trailing_average

    scene = built_scene("training")
    run = load_run("main")
    raw = run["step_cost"].astype(float)
    np.testing.assert_array_equal(scene.raw, raw)
    np.testing.assert_allclose(scene.smooth, trailing_average(raw))
    for k in (1, 9, 10, 11, 999, raw.size):  # the mean of the latest tenth, step k included
        window = max(1, int(np.ceil(TRAILING * k)))
        assert scene.smooth[k - 1] == pytest.approx(raw[k - window : k].mean(), rel=1e-12)
    assert f"ends at {run['test_accuracy'][-1]:.1%}" in shown(scene)
    assert scene.counter.get_value() == run["step"][-1]
    axes = scene.cost_axes  # steps on a log scale: each tenfold the same width
    widths = [axes.c2p(10.0**p, 0)[0] - axes.c2p(10.0 ** (p - 1), 0)[0] for p in (1, 2, 3, 4)]
    np.testing.assert_allclose(widths, widths[0])
    assert any("log scale" in text for text in shown(scene))


def test_the_training_average_uses_no_later_step():
    from scenes.training import trailing_average

    values = np.random.default_rng(0).random(500)
    later_changed = values.copy()
    later_changed[300:] += 100.0
    np.testing.assert_array_equal(trailing_average(values)[:300],
                                  trailing_average(later_changed)[:300])  # fmt: skip
    assert trailing_average(later_changed)[300] != trailing_average(values)[300]


def test_the_final_count_is_the_recomputed_test_accuracy(built_scene, dataset):
    scene = built_scene("test_performance")
    run = load_run("main")
    x = dataset.inputs(run["test_index"])
    guesses = np.argmax(forward(run.parameters(-1), x)[-1], axis=1)
    correct = int(np.sum(guesses == dataset.labels[run["test_index"]]))
    assert scene.final == (correct, len(run["test_index"]))
    assert correct / len(run["test_index"]) == pytest.approx(run["test_accuracy"][-1], abs=1e-6)
    assert (scene.count.correct.get_value(), scene.count.total.get_value()) == scene.final
    counts = [recorded(scene, number) for number in (scene.count.correct, scene.count.total)]
    assert [count.values()[0] for count in counts] == [0, 0]
    assert [count.changes[-1].text for count in counts] == [f"{correct:,}", f"{len(x):,}"]
    assert all(count.values() == sorted(count.values()) for count in counts)
    assert f"{correct / len(run['test_index']):.1%} of the test digits" in shown(scene)


def test_the_mistakes_shown_are_real_mistakes_with_the_right_digits_place(built_scene):
    from scenes.performance import ordinal

    scene = built_scene("test_performance")
    run, digits = load_run("main"), load_digits()
    outputs = forward(run.parameters(-1), digits["test_images"].reshape(-1, 784) / 255.0)[-1]
    assert scene.mistakes
    for index in scene.mistakes:
        truth, guess = int(digits["test_labels"][index]), int(np.argmax(outputs[index]))
        assert guess != truth and scene.guesses[index] == guess
        place = 1 + int(np.sum(outputs[index] > outputs[index, truth]))
        assert f"a {truth}, guessed {guess}" in shown(scene)
        assert f"{truth} came {ordinal(place)}" in shown(scene)


def test_every_cross_shows_the_digit_it_really_is(built_scene):
    from scenes.performance import SHOWN_ONE_BY_ONE

    scene = built_scene("test_performance")
    shown_first = scene.order[:SHOWN_ONE_BY_ONE]
    wrong = [i for i in shown_first if scene.guesses[i] != scene.labels[i]]
    assert wrong  # one mistake at least is shown one by one, so the cross is seen
    for index in wrong:
        assert f"it is a {scene.labels[index]}" in shown(scene)


def test_the_digits_shown_one_by_one_hold_a_mistake_whatever_the_seeded_order():
    from scenes.performance import CROSS_SHOWN, shown_order

    labels = np.arange(100) % 10
    for wrong_at in range(100):
        guesses = labels.copy()
        guesses[wrong_at] = (labels[wrong_at] + 1) % 10
        order = shown_order(guesses, labels)
        assert sorted(order) == list(range(100))  # every digit, once
        assert wrong_at in order[list(CROSS_SHOWN)]  # shown as the voice explains the cross
    assert sorted(shown_order(labels, labels)) == list(range(100))  # no mistake at all


def test_the_close_calls_sentence_follows_the_mistakes_both_ways():
    from scenes.performance import close_calls_sentence, ordinal
    from scenes.toolkit.claims import ClaimError

    many = close_calls_sentence(np.array([2, 2, 3, 2, 5, 2]))
    assert "4 of its 6 mistakes" in many.text and many.check == "close_calls_sentence"
    with pytest.raises(ClaimError, match="close calls"):
        close_calls_sentence(np.array([3, 4, 2, 5, 6, 7]))
    assert [ordinal(n) for n in (1, 2, 3, 4, 10)] == ["1st", "2nd", "3rd", "4th", "10th"]


def test_heatmaps_end_at_the_trained_first_layer_on_each_steps_scale(built_scene):
    from scenes.toolkit.style import signed_rgb

    scene = built_scene("weight_heatmaps")
    run = load_run("main")
    w1 = run["W1"][-1]
    largest = float(np.abs(w1).max())
    for heat, row in zip(scene.maps, w1, strict=True):
        expected = signed_rgb(row.reshape(28, 28), largest)
        np.testing.assert_array_equal(heat.image.pixel_array[:, :, :3], expected)
    np.testing.assert_allclose(scene.scales, np.abs(run["W1"]).max(axis=(1, 2)), rtol=1e-6)
    assert scene.scales[0] < 0.1 * scene.scales[-1]  # one scale for all would hide the start
    key = [recorded(scene, number).values() for number in (scene.key.low, scene.key.high)]
    assert key[1][0] == pytest.approx(scene.scales[0])
    assert key[1][-1] == pytest.approx(scene.scales[-1])
    assert key[0][-1] == pytest.approx(-scene.scales[-1])
    assert scene.step.get_value() == run["snapshot_step"][-1]
    step = recorded(scene, scene.step)
    assert set(step.values()) <= set(run["snapshot_step"].tolist())
    assert step.values()[-1] == run["snapshot_step"][-1]


def test_the_heatmap_finding_is_measured_on_the_weights(built_scene):
    from scenes.weight_heatmaps import (
        best_patch_share,
        neighbour_correlation,
        shape_sentence,
        smooth_sentence,
    )

    scene = built_scene("weight_heatmaps")
    w1 = load_run("main")["W1"]
    said = {b.id: b for b in scene.beats}
    start, end = neighbour_correlation(w1[0]), neighbour_correlation(w1[-1])
    assert said["weight_heatmaps/smooth"].text == smooth_sentence(start, end).text
    assert said["weight_heatmaps/smooth"].fact["check"] == "smooth_sentence"
    assert said["weight_heatmaps/broad"].text == shape_sentence(best_patch_share(w1[-1])).text
    assert "mostly noise" not in " ".join(shown(scene))


def test_the_heatmap_measures_tell_noise_smoothness_and_strokes_apart():
    from scenes.weight_heatmaps import (
        best_patch_share,
        neighbour_correlation,
        shape_sentence,
        smooth_sentence,
    )

    rng = np.random.default_rng(0)
    noise = rng.normal(size=(4, 784))
    yy, xx = np.mgrid[0:28, 0:28]
    blobs = np.stack([np.sin(xx / 5 + k) * np.cos(yy / 6) for k in range(4)]).reshape(4, 784)
    strokes = np.zeros((4, 28, 28))
    strokes[:, 10:15, 12] = 1.0  # a short vertical edge
    assert abs(neighbour_correlation(noise)) < 0.1 < 0.9 < neighbour_correlation(blobs)
    assert best_patch_share(blobs) < 0.5 < best_patch_share(strokes.reshape(4, 784))
    assert "not noise" in smooth_sentence(0.0, 0.7).text
    assert "as they were from the start" in smooth_sentence(0.6, 0.7).text
    assert (
        "noise" in smooth_sentence(0.0, 0.1).text
        and "not noise" not in smooth_sentence(0.0, 0.1).text
    )
    assert "nothing like the clean edges" in shape_sentence(0.3).text
    assert "like the edges and loops we hoped for" in shape_sentence(0.8).text
    assert "nothing like" not in shape_sentence(0.8).text


def test_random_input_answers_with_the_real_outputs(built_scene):
    from scenes.random_input import answer_sentence

    scene = built_scene("random_input")
    run, digits = load_run("main"), load_digits()
    outputs = forward(run.parameters(-1), digits["noise_image"].reshape(1, -1) / 255.0)[-1][0]
    np.testing.assert_allclose(scene.outputs, outputs)
    assert scene.answer == int(np.argmax(outputs))
    tests = forward(run.parameters(-1), digits["test_images"].reshape(-1, 784) / 255.0)[-1]
    typical = float(np.median(tests.max(axis=1)))
    sentence = answer_sentence(scene.answer, float(outputs.max()), typical)
    assert sentence.text in [b.text for b in scene.beats]
    for digit, value in enumerate(outputs):
        assert f"{value:.2f}" in shown(scene), digit


def test_the_answer_to_noise_is_as_sure_as_its_output_both_ways():
    from scenes.random_input import answer_sentence
    from scenes.toolkit.claims import ClaimError

    sure, shrug = answer_sentence(8, 0.93, 0.99).text, answer_sentence(8, 0.20, 0.99).text
    assert "with confidence" in sure and "only" not in sure
    assert "only 0.20" in shrug and "0.99" in shrug and "confidence" not in shrug
    with pytest.raises(ClaimError, match=r"typically gets 0\.10"):
        answer_sentence(8, 0.20, 0.10)  # "only" against a lower typical output would mislead


def test_memorization_plots_both_real_runs_on_the_same_axes(built_scene):
    from scenes.memorization import PAPERS

    scene = built_scene("memorization")
    runs = {name: load_run(name) for name in ("main", "random_labels")}
    curves = iter(scene.curves)
    for run in runs.values():
        for axes, values in ((scene.cost_axes, run["train_cost"]),
                             (scene.accuracy_axes, 100 * run["train_accuracy"])):  # fmt: skip
            curve = next(curves)
            assert len(curve.get_anchors()) >= len(values)  # every snapshot is drawn
            steps = run["snapshot_step"].astype(float)
            np.testing.assert_allclose(curve.get_end(), axes.c2p(steps[-1], float(values[-1])))
            np.testing.assert_allclose(curve.get_start(), axes.c2p(steps[0], float(values[0])))
    assert scene.cost_axes.y_range[1] >= max(float(r["train_cost"].max()) for r in runs.values())
    for run, words in ((runs["main"], "true labels"), (runs["random_labels"], "shuffled labels")):
        final = run.meta["final"]
        assert (f"{words}: {final['train_accuracy']:.1%} of the training digits right, "
                f"cost {final['train_cost']:.3f}") in shown(scene)  # fmt: skip
    assert set(PAPERS) <= set(shown(scene))
    assert scene.counter.number.get_value() == runs["main"]["snapshot_step"][-1]
    assert recorded(scene, scene.counter.number).values()[-1] == runs["main"]["snapshot_step"][-1]


def test_memorization_shows_the_labels_the_shuffled_run_learned(built_scene, dataset):
    scene = built_scene("memorization")
    shuffled = load_run("random_labels")
    position = {int(row): i for i, row in enumerate(shuffled["train_index"])}
    assert scene.shown_labels
    for row, true, fake in scene.shown_labels:
        assert true == dataset.labels[row]
        assert fake == shuffled["train_labels"][position[row]]
    assert np.mean(shuffled["train_labels"] == dataset.labels[shuffled["train_index"]]) < 0.2


def test_eigendigits_shows_the_traces_residuals_and_accuracies(built_scene):
    from nn.eigendigits import subspace_residuals
    from nn.traces import load_eigendigits
    from scenes.eigendigits import EXAMPLE, trend_narration

    scene = built_scene("eigendigits")
    eigen, digits, main = load_eigendigits(), load_digits(), load_run("main")
    x = digits["test_images"][EXAMPLE].reshape(1, -1) / 255.0
    rank = int(eigen["rank"][-1])
    residuals = subspace_residuals(eigen["basis"].astype(np.float64), x, rank)[0]
    np.testing.assert_allclose(scene.residuals, residuals, rtol=1e-5)
    assert scene.guess == int(np.argmin(residuals))
    for value in residuals:
        assert f"{value:.2f}" in shown(scene)
    for accuracy in [*eigen["test_accuracy"], main["test_accuracy"][-1]]:
        assert f"{accuracy:.1%}" in shown(scene)
    best, network = float(eigen["test_accuracy"][-1]), float(main["test_accuracy"][-1])
    side = "above" if best > network else "below"
    assert f"{best:.1%}, {side} the network's {network:.1%}," in " ".join(scene.finding)
    assert f"keeping {eigen['basis'].size:,} numbers" in scene.finding[1]
    narration = [b.text for b in scene.beats]
    trend = trend_narration([float(a) for a in eigen["test_accuracy"]])
    assert trend.text in narration
    assert next(b.fact for b in scene.beats if b.text == trend.text)["check"] == "trend_narration"


def test_eigendigits_comparison_follows_the_accuracies_both_ways(built_scene):
    from nn.traces import load_eigendigits
    from scenes.eigendigits import comparison_sentence

    above, below = (
        comparison_sentence(20, 0.96, 0.92).text,
        comparison_sentence(20, 0.88, 0.92).text,
    )
    assert "96.0%, above our network's 92.0%" in above and "strong baseline" in above
    assert "88.0%, below our network's 92.0%" in below and "strong" not in below
    scene = built_scene("eigendigits")
    eigen, main = load_eigendigits(), load_run("main")
    expected = comparison_sentence(int(eigen["rank"][-1]), float(eigen["test_accuracy"][-1]),
                                   float(main["test_accuracy"][-1]))  # fmt: skip
    said = {b.id: b for b in scene.beats}["eigendigits/finding"]
    assert said.text == expected.text and said.fact["check"] == "comparison_sentence"


def test_eigendigits_trend_follows_the_accuracies():
    from scenes.eigendigits import trend_narration

    rising = trend_narration([0.8, 0.85, 0.9]).text
    mixed = trend_narration([0.8, 0.9, 0.88]).text
    falling = trend_narration([0.9, 0.85, 0.8]).text
    assert rising != mixed
    assert "fewer mistakes" in rising and "not always" not in rising
    assert "not always" in mixed and "not always" in falling


def test_outro_credits_the_data_and_every_paper_the_video_cites(built_scene):
    from scenes.memorization import PAPERS
    from scenes.outro import DATA_CREDIT, REFERENCES

    scene = built_scene("outro")
    texts = shown(scene)
    assert set(DATA_CREDIT) | set(REFERENCES) <= set(texts)  # the credits are shown
    asset = " ".join((REPO_ROOT / "assets" / "README.md").read_text(encoding="utf-8").split())
    authors = re.search(r"MNIST is by (.+?) \(", asset).group(1)
    licence = re.search(r"\((CC [^)]+)\)", asset).group(1)
    credit = " ".join(DATA_CREDIT)  # the data's authors and licence, as its documentation has them
    assert all(name in credit for name in re.split(r", | and ", authors)) and licence in credit
    credited = {reference.split(",")[0] for reference in REFERENCES}
    assert {paper.split(",")[0] for paper in PAPERS} <= credited  # the papers shown on screen
    for path in sorted(
        (REPO_ROOT / "scenes").rglob("*.py")
    ):  # and those any scene says it builds on
        assert set(CITATION.findall(path.read_text(encoding="utf-8"))) <= credited, path
    steps = load_run("main").meta["total_steps"]
    assert any(text.startswith(f"{steps:,} steps") for text in texts)


def test_memorization_says_what_the_real_curves_do(built_scene):
    from scenes.memorization import (
        CLIMBED,
        carries_over,
        curves_sentence,
        learned_faster,
        valleys_sentence,
    )

    scene = built_scene("memorization")
    main, shuffled = load_run("main"), load_run("random_labels")
    first = scene.first_pass
    assert main["snapshot_step"][first] >= main.meta["total_steps"] / main.meta["epochs"]
    said = {b.id: b.text for b in scene.beats}
    curves = curves_sentence(main["train_cost"], main["train_accuracy"], shuffled["train_cost"],
                             shuffled["train_accuracy"], first)  # fmt: skip
    assert said["memorization/curves"] == curves.text
    gained = shuffled["train_accuracy"][-1] - shuffled["train_accuracy"][first]
    assert ("memorizing" in curves.text) == (gained > CLIMBED)  # issue 20: it was said to stall
    assert ("stalls" in curves.text) <= (gained <= CLIMBED)
    chance = 1 / main.meta["layer_sizes"][-1]
    test_accuracy = shuffled.meta["final"]["test_accuracy"]
    assert said["memorization/new-digits"].endswith(carries_over(test_accuracy, chance))
    assert said["memorization/structured"] == learned_faster(
        main["train_accuracy"], shuffled["train_accuracy"], first).text  # fmt: skip
    facts = {b.id: b.fact for b in scene.beats if b.fact}
    assert {"memorization/curves", "memorization/new-digits", "memorization/structured",
            "memorization/valleys"} <= set(facts)  # fmt: skip
    land = load_landscape()
    valleys = valleys_sentence(main.final, land.partner_final, land["pair_cost"]).text
    assert said["memorization/valleys"] == valleys
    assert {"another random start", f"{land.partner_final.test_accuracy:.1%} on test"} <= set(
        shown(scene)
    )


def test_memorization_sentences_follow_the_data_both_ways():
    from nn.traces import RunSummary
    from scenes.memorization import (
        carries_over,
        curves_sentence,
        learned_faster,
        research_sentence,
        valleys_sentence,
    )
    from scenes.toolkit.claims import ClaimError

    falling, flat = np.array([3.0, 1.0, 0.1]), np.array([3.0, 1.0, 0.995])
    slow = np.array([3.0, 1.0, 0.9])
    climbing, chance = np.array([0.1, 0.5, 0.9]), np.array([0.1, 0.1, 0.1])
    creeping = np.array([0.1, 0.1, 0.24])
    memorizes = curves_sentence(falling, climbing, slow, creeping, 1).text
    stalls = curves_sentence(falling, climbing, flat, chance, 1).text
    little = curves_sentence(falling, climbing, slow, chance, 1).text
    neither = curves_sentence(flat, climbing, flat, chance, 1).text
    assert len({memorizes, stalls, little, neither}) == 4
    assert "the cost falls fast." in memorizes
    assert (
        "from 10% to 24.0%" in memorizes and "memorizing" in memorizes and "stalls" not in memorizes
    )
    assert "shuffled labels, the cost stalls" in stalls and "memorizing" not in stalls
    assert "does not move" in little
    assert "barely move" in neither and "climbs" not in neither
    near, above = carries_over(0.086, 0.1), carries_over(0.3, 0.1)
    assert "no better than chance" in near and "nothing" in near
    assert "a little" in above and "nothing" not in above
    assert "shows it too" in learned_faster(climbing, np.array([0.1, 0.2, 0.3]), 1).text
    assert "does not show it" in learned_faster(climbing, np.array([0.1, 0.6, 0.3]), 1).text
    ours, close, far = (RunSummary(0.97, 0.04, a, 0.14) for a in (0.919, 0.903, 0.70))
    two = np.array([0.2, 0.04, 0.9, 0.04, 0.2])
    assert "both about as good" in valleys_sentence(ours, close, two).text
    assert "clearly better" in valleys_sentence(ours, far, two).text
    assert "as good" not in valleys_sentence(ours, far, two).text
    with pytest.raises(ClaimError, match="two different valleys"):
        valleys_sentence(ours, close, np.array([0.2, 0.1, 0.04, 0.1, 0.2]))
    assert "show the same" in research_sentence(ours, close).text
    assert "exception" in research_sentence(ours, far).text
    assert "show the same" not in research_sentence(ours, far).text
    slowly = curves_sentence(falling, climbing, slow, creeping, 1).text
    barely = curves_sentence(falling, climbing, np.array([3.0, 1.0, 1.0]), creeping, 1).text
    assert "it falls slowly" in slowly and "barely moves" in barely and "slowly" not in barely


def test_cost_surface_readout_records_the_real_paths_snapshots(built_scene):

    scene = built_scene("cost_surface")
    land = load_landscape()
    step, true_cost, _ = (recorded(scene, value) for value in scene.readout.values)
    assert set(step.values()) <= set(land["path_step"].tolist())
    assert [step.values()[0], step.values()[-1]] == land["path_step"][[0, -1]].tolist()
    np.testing.assert_allclose([true_cost.values()[0], true_cost.values()[-1]],
                               land["path_cost"][[0, -1]])  # fmt: skip
    assert true_cost.changes[-1].text == f"{land['path_cost'][-1]:.3f}"


def test_recap_draws_input_pixels_that_light_up_for_every_digit_shown(built_scene):
    from scenes.recap import DRAWN_INPUTS
    from scenes.toolkit.network_diagram import INKED

    scene = built_scene("recap")
    assert len(scene.inputs) == DRAWN_INPUTS == len(scene.network.rows[0])
    assert scene.network.rows[0] == scene.inputs
    for position in scene.examples:
        assert (scene.activations(position)[0][scene.inputs] > INKED).all()


def test_inked_pixels_picks_the_ink_every_digit_shares_or_refuses():
    from nn.errors import UserError
    from scenes.toolkit.network_diagram import inked_pixels

    digits = np.zeros((2, 28, 28), np.uint8)
    digits[:, 10, 3:9] = 255  # a stroke both digits share
    digits[0, 20, 20] = 255  # ink in one digit only
    assert inked_pixels(digits, 6, "show other digits") == [10 * 28 + c for c in range(3, 9)]
    with pytest.raises(UserError, match=r"share 6 inked pixels, fewer than the 8 .*other digits"):
        inked_pixels(digits, 8, "show other digits")


def test_smooth_activations_marks_a_point_where_the_real_cost_slopes(built_scene):
    from nn.traces import load_sweep
    from scenes.smooth_activations import TANGENT

    scene = built_scene("smooth_activations")
    sweep = load_sweep()
    nudges = sweep["sweep_value"].astype(float) - float(sweep["sweep_start"][0])
    smooth, stepped = sweep["sweep_sigmoid_cost"].astype(float), sweep["sweep_step_cost"]
    at, slope = scene.marked
    slopes = np.gradient(smooth, nudges)
    assert slope == pytest.approx(float(np.interp(at, nudges, slopes)))
    assert abs(slope) == pytest.approx(np.abs(slopes).max())  # the steepest: visibly not 0
    assert np.ptp(stepped[np.abs(nudges - at) <= TANGENT]) == 0  # the step cost: flat there
    facts = {b.id.split("/")[1]: b.fact for b in scene.beats if b.fact}
    assert set(facts) == {"hardest", "smooth-cost", "step-cost"}
    assert facts["hardest"]["evidence"].startswith(f"cost {np.interp(0, nudges, smooth):.3f}")


def test_smooth_activations_sentences_follow_the_sweep_or_refuse():
    from scenes.smooth_activations import flat_sentence, hardest_sentence, slope_sentence
    from scenes.toolkit.claims import ClaimError

    assert "downhill is to the left" in slope_sentence(0.29).text
    assert "downhill is to the right" in slope_sentence(-0.29).text
    with pytest.raises(ClaimError, match="the slope says which way"):
        slope_sentence(0.001)  # where the draft marked it: flat
    assert "no slope to follow" in flat_sentence(np.array([2.0, 2.0, 2.0])).text
    with pytest.raises(ClaimError, match="no slope to follow"):
        flat_sentence(np.array([2.0, 1.0]))
    fact = hardest_sentence(1.96, 0.038, 240, 4000)
    assert "Of a sample of 240 training digits" in fact.text and "its cost is 1.96" in fact.text
    with pytest.raises(ClaimError, match="finds hardest"):
        hardest_sentence(0.05, 0.038, 240, 4000)


def test_a_sweep_without_a_slope_refuses_the_smooth_cost_sentence(built_traces, build_altered):
    import dataclasses

    from nn.traces import load_sweep

    sweep = load_sweep(built_traces.directory)
    level = np.full_like(sweep["sweep_sigmoid_cost"], sweep["sweep_sigmoid_cost"].max())
    flat = dataclasses.replace(sweep, arrays={**sweep.arrays, "sweep_sigmoid_cost": level})
    error = build_altered("smooth_activations", load_sweep=lambda: flat)
    assert error.count("\n") == 0
    assert error.startswith('error: the data does not back "With sigmoid neurons the cost changes')


def test_equal_slopes_refuse_the_2d_examples_sentence(built_traces, build_altered):
    import dataclasses

    land = load_landscape(built_traces.directory)
    a, b = np.meshgrid(land["alpha"].astype(float), land["beta"].astype(float))
    even = (1.0 + 0.01 * (a + b)).astype(np.float32)  # the same slope along a and b everywhere
    altered = dataclasses.replace(land, arrays={**land.arrays, "surface_cost": even})
    error = build_altered("gradient_meaning", load_landscape=lambda: altered)
    assert error.count("\n") == 0
    assert error.startswith('error: the data does not back "Its two components say how much')
