"""Regression tests for the reviewer notes on the draft: each stays fixed."""

from __future__ import annotations

import pytest

from pipeline.review import CLASSROOM_WORDS


def test_2_10_guess_does_not_move_sideways_while_the_guess_changes(tiny_video, built_scene):
    recap = next(s for s in tiny_video.index["segments"] if s["name"] == "recap")
    guess = [a for a in recap["anchors"] if a["name"] == "Guess"]
    assert len(guess) == 1 and guess[0]["axes"] == "x"
    assert guess[0]["samples"] > 20  # measured at every frame of the tiny render
    assert guess[0]["max_drift"] < 1e-3
    # ... and the guess really changes, so the marker really moves (up and down).
    scene = built_scene("recap")
    assert len(set(scene.guesses.values())) == len(scene.guesses) >= 2


def narration(scene) -> list[str]:
    """What a scene's beats show in the subtitles and what the voice says, beat by beat."""
    return [text for b in scene.beats for text in (b.text, b.spoken)]


def test_5_00_no_crappy_in_the_narration(tiny_video):
    for segment in tiny_video.index["segments"]:
        said = [text for b in segment["beats"] for text in (b["text"], b["spoken"])]
        for line in said:
            words = line.lower().replace("!", " ").replace(".", " ").split()
            assert not CLASSROOM_WORDS.intersection(words), (segment["name"], line)
    assert "crappy" in CLASSROOM_WORDS  # and the review would catch it again


def test_5_03_growth_mindset_is_spelled_right(built_scene):
    scene = built_scene("cost_of_one_example")
    shown = [t.text for t in scene.shown_texts]
    assert any("Growth mindset" in text for text in shown)
    assert not any("midset" in text for text in shown)
    said = narration(scene)
    assert sum("Growth mindset" in line for line in said) == 2  # subtitle and voice
    assert sum("utter trash" in line for line in said) == 2


@pytest.mark.parametrize("word", ["Awful!"])
def test_5_00_the_reaction_uses_a_classroom_word(built_scene, word):
    scene = built_scene("cost_of_one_example")
    assert word in [t.text for t in scene.shown_texts]


def test_8_28_the_negative_gradient_vector_has_its_dots(built_scene):
    scene = built_scene("gradient_vector")
    for column in (scene.w_column, scene.g_column, scene.new_column):
        assert column.dots is not None and column.dots in column.submobjects
        top, bottom = column.numbers[2].get_y(), column.numbers[3].get_y()
        assert top > column.dots.get_y() > bottom  # between the first and the last entries
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
