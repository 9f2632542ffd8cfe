"""Regression tests for the reviewer notes on the draft: each stays fixed."""

from __future__ import annotations

import pytest

from pipeline.manifest import read_manifest
from pipeline.review import CLASSROOM_WORDS, words_in


def test_2_10_guess_does_not_move_sideways_while_the_guess_changes(tiny_video, built_scene):
    recap = next(s for s in tiny_video.index["segments"] if s["name"] == "recap")
    guess = [a for a in recap["anchors"] if a["name"] == "Guess"]
    assert len(guess) == 1 and guess[0]["axes"] == "x"
    assert guess[0]["samples"] > 20  # measured at every frame of the tiny render
    assert guess[0]["max_drift"] < 1e-3
    # ... and the guess really changes, so the marker really moves (up and down).
    scene = built_scene("recap")
    assert len(set(scene.guesses.values())) == len(scene.guesses) >= 2


def texts_of(scene) -> list[tuple[str, str, str]]:
    """Every text of a built scene: where it is (on screen, subtitle, voice), its kind, itself."""
    texts = [(f"on screen ({t.kind})", t.kind, t.text) for t in scene.shown_texts]
    for b in scene.beats:
        texts += [(f"subtitle of {b.id}", "Text", b.text), (f"voice of {b.id}", "Text", b.spoken)]
        texts += [(f"cue of {b.id}", "Text", cue["text"]) for cue in b.cues]
    return texts


def test_5_00_no_crappy_in_the_narration(tiny_video):
    for segment in tiny_video.index["segments"]:
        said = [text for b in segment["beats"] for text in (b["text"], b["spoken"])]
        for line in said:
            words = {word.lower() for word in words_in("Text", line)}
            assert not CLASSROOM_WORDS.intersection(words), (segment["name"], line)
    assert "crappy" in CLASSROOM_WORDS  # and the review would catch it again


@pytest.mark.parametrize("segment", read_manifest(), ids=lambda s: s.name)
def test_5_00_no_word_unfit_for_a_classroom_on_screen_or_in_the_narration(segment, built_scene):
    for where, kind, text in texts_of(built_scene(segment.name)):
        unfit = CLASSROOM_WORDS.intersection(word.lower() for word in words_in(kind, text))
        assert not unfit, (segment.name, where, text)


def test_5_03_growth_mindset_is_spelled_right(built_scene):
    scene = built_scene("cost_of_one_example")
    assert any("Growth mindset" in t.text for t in scene.shown_texts)
    # one beat shows it in the subtitles and says it
    assert any("Growth mindset" in b.text and "Growth mindset" in b.spoken for b in scene.beats)
    misspelt = [(where, text) for where, _, text in texts_of(scene) if "midset" in text.lower()]
    assert not misspelt


def test_8_28_the_negative_gradient_vector_has_its_dots(built_scene):
    scene = built_scene("gradient_vector")
    for column in (scene.w_column, scene.g_column, scene.new_column):
        shown = list(column.shown)
        jumps = [i for i in range(len(shown) - 1) if shown[i + 1] != shown[i] + 1]
        assert jumps and len(shown) < column.values.size  # the column leaves entries out
        assert column.dots is not None and column.dots in column.submobjects
        for i in jumps:  # the dots stand where the shown entries jump
            top, bottom = column.numbers[i].get_y(), column.numbers[i + 1].get_y()
            assert top > column.dots.get_y() > bottom, (i, shown[i], shown[i + 1])
    assert any(t.kind == "MathTex" and t.text == r"\vdots" for t in scene.shown_texts)


def test_8_33_insanely_high_dimensional_not_insanely_huge(built_scene):
    scene = built_scene("gradient_vector")
    shown = " ".join(b.text for b in scene.beats)
    spoken = " ".join(b.spoken for b in scene.beats)
    for said in (shown, spoken):  # the subtitles and what the voice says
        assert "insanely high-dimensional" in said
        assert "insanely huge" not in said
    assert any("insanely high-dimensional" in t.text for t in scene.shown_texts)


def test_12_31_continuously_ranging_activations_wording(built_scene):
    scene = built_scene("smooth_activations")
    wording = "By the way, this is why artificial neurons have continuously ranging activations."
    shown = " ".join(b.text for b in scene.beats)
    spoken = " ".join(b.spoken for b in scene.beats)
    for said in (shown, spoken):  # the subtitles and what the voice says
        assert wording in said
        assert "This is why, by the way" not in said


def test_no_scene_types_in_a_count_the_traces_supply():
    import re
    from pathlib import Path

    typed = re.compile(r"\b(13,002|13002|4,000|1,000|91\.9)\b")
    for path in sorted(Path("scenes").glob("*.py")):
        code = "\n".join(line for line in path.read_text().splitlines()
                         if not line.lstrip().startswith(("#", '"""')))  # fmt: skip
        assert not typed.search(code.split('"""', 2)[-1]), path


def linked(scene, words: str):
    """The scene's linked labels whose text holds ``words``."""
    from scenes.toolkit.layout_check import words_of

    return [link for link in scene.layout_check.labels if words in words_of(link.label)]


def test_layout_1_38_each_minimum_is_named_with_a_pointer_and_the_y_axis_is_not_under_it(
    built_scene,
):
    from scenes.toolkit.layout_check import POINTER_REACH, box_of, point_gap

    scene = built_scene("descent_1d")
    tags = linked(scene, "cost 0.")
    assert len(tags) == 2  # the two valleys
    for tag in tags:
        assert tag.pointer is not None
        assert point_gap(tag.pointer.get_end()[:2], box_of(tag.target)) <= POINTER_REACH
    y_axis = scene.axes.y_axis.n2p(0)[0]
    assert y_axis == pytest.approx(scene.axes.c2p(scene.axes.x_range[0], 0)[0])  # at the left
    assert all(box_of(tag.label)[0] > y_axis for tag in tags)


@pytest.mark.parametrize("segment", ["random_input", "cost_of_one_example"])
def test_layout_3_46_output_values_stay_level_with_their_neurons(segment, built_scene):
    from scenes.toolkit.layout_check import LEVEL_TOLERANCE

    scene = built_scene(segment)
    rows = [link for link in scene.layout_check.labels if link.level]
    columns = [scene.network.neurons[-1]]
    if segment == "cost_of_one_example":  # and the trained network's answer beside it
        columns.append(scene.trained_card[2][0])
    assert len(rows) == 10 * len(columns)
    neurons = [neuron for column in columns for neuron in column]
    for row, neuron in zip(rows, neurons, strict=True):
        assert row.target is neuron
        assert abs(row.label.get_y() - neuron.get_y()) <= LEVEL_TOLERANCE


def test_layout_2_20_the_note_on_the_zeros_points_at_them(built_scene):
    (note,) = linked(built_scene("gradient_vector"), "corner pixels")
    assert note.pointer is not None
