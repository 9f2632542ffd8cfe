"""The narration engine: spoken forms, phrases and cues, the voice and its cache, takes, sound."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
import srt

from scenes.toolkit.phrasing import (
    MAX_LINE,
    MIN_CUE,
    PhrasingError,
    cues_for,
    phrases,
    sentences,
    wrap_cue,
)
from scenes.toolkit.spoken import Lexicon, LexiconError, say_numbers
from scenes.toolkit.voice import SILENT_RATE, Narrator, VoiceError, voice_name
from tests.fixtures import write_manifest

FIXTURE = "tests/fixtures/narrated.py"


def line_of(marker: str) -> int:
    lines = Path(FIXTURE).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.endswith(f"# {marker}"))


def write_sine(path: Path, seconds: float, rate: int = 44100) -> None:
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.3 * 32767 * np.sin(2 * np.pi * 220 * t)).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


@pytest.fixture
def narration_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "narration"
    folder.mkdir()
    (folder / "lexicon.toml").write_text(
        '[words]\n"MNIST" = "em-nist"\n[symbols]\n"%" = " percent"\n'
    )
    return folder


# Spoken forms -------------------------------------------------------------------------------


def test_numbers_are_said_in_words():
    assert say_numbers("In all, 13,002 weights.") == "In all, thirteen thousand and two weights."
    assert say_numbers("rate 3.0") == "rate three point zero"
    assert "seven hundred and eighty-four, sixteen, sixteen, ten" in say_numbers(
        "a 784-16-16-10 net"
    )
    assert say_numbers("Li 2018") == "Li twenty eighteen"
    assert say_numbers("91.9 right") == "ninety-one point nine right"


def test_the_lexicon_changes_the_spoken_form_only_of_whole_words(narration_dir):
    lexicon = Lexicon.load(narration_dir / "lexicon.toml")
    assert lexicon.spoken("MNIST digits, 91.9%") == "em-nist digits, ninety-one point nine percent"
    assert lexicon.spoken("MNISTs") == "MNISTs"  # not a whole-word match


def test_uncovered_words_name_what_the_voice_may_say_wrong(narration_dir):
    lexicon = Lexicon.load(narration_dir / "lexicon.toml")
    found = dict(lexicon.uncovered("MNIST and SVD of 13,002 digits: \N{MINUS SIGN}\N{NABLA}C"))
    assert "MNIST" not in found  # the lexicon covers it
    assert found["SVD"] == "letters"
    assert found["digits"] == "word"
    assert found["\N{NABLA}"] == "symbol" and found["\N{MINUS SIGN}"] == "symbol"
    assert "13" not in found


def test_a_broken_lexicon_names_the_file(tmp_path):
    bad = tmp_path / "lexicon.toml"
    bad.write_text("[words\n")
    with pytest.raises(LexiconError, match=r"lexicon\.toml"):
        Lexicon.load(bad)


# Phrases and cues ---------------------------------------------------------------------------


def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = "Li et al. 2018 found it. Christopher J. C. Burges helped! Next?"
    assert sentences(text) == [
        "Li et al. 2018 found it.",
        "Christopher J. C. Burges helped!",
        "Next?",
    ]


def test_long_sentences_become_clauses_that_fit_a_cue():
    text = (
        "The negative gradient of the cost is another column of 13,002 numbers: how to nudge "
        "each one so that the cost falls fastest, and by how much, for every single weight."
    )
    found = phrases(text)
    assert len(found) >= 2 and " ".join(found) == text
    for phrase in found:
        lines = wrap_cue(phrase).split("\n")
        assert len(lines) <= 2 and all(len(line) <= MAX_LINE for line in lines)
    with pytest.raises(PhrasingError):
        phrases("x" * 50)


def test_cues_start_with_their_phrases_and_stay_at_least_a_second():
    cues = cues_for(["Recap.", "Gradient descent, and a long tail of words after it."],
                    [(0.0, 0.5), (0.7, 3.4)])  # fmt: skip
    assert len(cues) == 1 and cues[0].text.startswith("Recap. Gradient")  # too short alone
    cues = cues_for(["One sentence here.", "Two."], [(0.0, 1.6), (2.0, 2.3)])
    assert [c.start for c in cues] == [0.0, 2.0]
    assert cues[0].end == 2.0 and cues[1].end - cues[1].start >= MIN_CUE


# The voice ----------------------------------------------------------------------------------


def test_an_unknown_voice_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setenv("GD_VOICE", "robot")
    with pytest.raises(VoiceError, match="VOICE=piper or VOICE=none"):
        voice_name()


def test_no_voice_times_beats_from_the_text(narration_dir, tmp_path):
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=tmp_path / "cache")
    audio = narrator.narrate("seg", "one", "The MNIST digits.")
    assert audio.source == "none"
    assert audio.voice_duration == pytest.approx(len("The MNIST digits.") / SILENT_RATE, abs=1e-3)
    assert narrator.synthesised == 0


@pytest.mark.slow  # synthesises speech
def test_piper_is_deterministic_cached_and_speaks_the_lexicon(narration_dir, tmp_path):
    cache = tmp_path / "cache"
    first = Narrator(voice="piper", narration_dir=narration_dir, cache=cache)
    audio = first.narrate("seg", "one", "The MNIST digits. In all, 13,002 weights.")
    assert first.synthesised == 2 and first.reused == 0
    assert audio.source == "synthesised" and audio.voice_duration > 1
    assert [p["spoken"] for p in audio.phrases] == [
        "The em-nist digits.", "In all, thirteen thousand and two weights."]  # fmt: skip
    assert "MNIST" in audio.cues[0].text and "13,002" in audio.cues[-1].text  # shown as written
    samples = audio.path.read_bytes()

    again = Narrator(voice="piper", narration_dir=narration_dir, cache=cache)
    repeat = again.narrate("seg", "one", "The MNIST digits. In all, 13,002 weights.")
    assert again.synthesised == 0 and again.reused == 2  # a second build synthesises nothing
    assert repeat.path.read_bytes() == samples

    (narration_dir / "lexicon.toml").write_text('[words]\n"MNIST" = "M N I S T"\n')
    spelled = Narrator(voice="piper", narration_dir=narration_dir, cache=cache)
    changed = spelled.narrate("seg", "one", "The MNIST digits. In all, 13,002 weights.")
    assert spelled.synthesised == 1  # only the phrase whose spoken form changed
    assert changed.phrases[0]["spoken"] == "The M N I S T digits."
    assert [c.text for c in changed.cues] == [c.text for c in audio.cues]  # subtitles unchanged


def test_a_recorded_take_replaces_the_voice_and_sets_the_timing(narration_dir, tmp_path):
    write_sine(narration_dir / "seg" / "one.wav", 2.5)
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=tmp_path / "cache")
    audio = narrator.narrate("seg", "one", "First sentence here. And a second one.")
    assert audio.source == "recorded"
    assert audio.voice_duration == pytest.approx(2.5, abs=1e-3)
    assert audio.phrases[-1]["end"] == pytest.approx(2.5, abs=1e-3)
    assert narration_dir / "seg" / "one.wav" in narrator.inputs
    other = narrator.narrate("seg", "two", "No take for this one.")
    assert other.source == "none"


def test_two_takes_for_one_beat_are_refused(narration_dir, tmp_path):
    write_sine(narration_dir / "seg" / "one.wav", 1)
    (narration_dir / "seg" / "one.flac").write_bytes(b"")
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=tmp_path / "cache")
    with pytest.raises(VoiceError, match="keep one"):
        narrator.narrate("seg", "one", "Words.")


def test_an_unreadable_take_is_refused_with_the_fix(narration_dir, tmp_path):
    (narration_dir / "seg").mkdir()
    (narration_dir / "seg" / "one.wav").write_bytes(b"not audio")
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=tmp_path / "cache")
    with pytest.raises(VoiceError, match="save it as WAV or FLAC"):
        narrator.narrate("seg", "one", "Words.")
    assert not list((tmp_path / "cache" / "takes").glob("*.wav"))


# Narrated scenes through the pipeline -------------------------------------------------------


@pytest.fixture(scope="module")
def narrated_video(tmp_path_factory) -> dict:
    """The fixture scenes rendered at tiny quality with the real voice, a take, and joined."""
    root = tmp_path_factory.mktemp("narrated")
    segments = {"narrated": "NarratedPlanted", "outrun": "OutrunsItsVoice", "paced": "PacePlanted"}
    manifest = write_manifest(root / "manifest.toml", FIXTURE, segments)
    narration = root / "narration"
    narration.mkdir()
    (narration / "lexicon.toml").write_text(Path("assets/narration/lexicon.toml").read_text())
    write_sine(narration / "narrated" / "taken.wav", 2.0)
    write_sine(narration / "paced" / "rushed.wav", 2.0)  # two sentences in two seconds
    env = {**os.environ, "GD_MANIFEST": str(manifest), "GD_RENDERS_DIR": str(root / "renders"),
           "GD_VOICE_CACHE": str(root / "voice"), "GD_NARRATION_DIR": str(narration),
           "GD_VOICE": "piper"}  # fmt: skip
    build = [sys.executable, "-m", "pipeline"]

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*build, *args, "--quality", "t"], env={**env, **extra},
                              capture_output=True, text=True)  # fmt: skip

    tiny = root / "renders" / "tiny"
    for name in segments:
        assert run("render", name).returncode == 0
    first_voice = json.loads((tiny / "segments" / "narrated.timeline.json").read_text())["voice"]
    assert run("join").returncode == 0
    review, script = run("review"), run("script")
    index = json.loads((tiny / "gradient-descent.index.json").read_text())
    again = root / "again"
    assert run("render", "narrated", GD_RENDERS_DIR=str(again)).returncode == 0
    second_voice = json.loads((again / "tiny" / "segments" / "narrated.timeline.json")
                              .read_text())["voice"]  # fmt: skip
    silent = root / "silent"
    assert run("render", "narrated", GD_RENDERS_DIR=str(silent), GD_VOICE="none").returncode == 0
    return {
        "dir": tiny, "index": index, "review": review, "script": script,
        "first_voice": first_voice, "second_voice": second_voice,
        "silent": json.loads((silent / "tiny" / "segments" / "narrated.timeline.json").read_text()),
    }  # fmt: skip


def beats_of(index: dict) -> dict[str, dict]:
    return {beat["id"]: beat for segment in index["segments"] for beat in segment["beats"]}


def test_a_beat_lasts_at_least_its_voice(narrated_video):
    frame = 1 / 5
    for segment in narrated_video["index"]["segments"]:
        beats = segment["beats"]
        for beat, following in zip(beats, [*beats[1:], None], strict=True):
            assert beat["end"] >= beat["voice_end"] - 1e-6, beat["id"]
            assert (
                beat["end"] - beat["voice_end"] < frame + 1e-6
                or beat["animations_end"] > (beat["voice_end"])
                or beat["cues"][-1]["end"] > beat["voice_end"] - beat["start"]
            )
            if following:
                assert following["start"] >= beat["voice_end"] - 1e-6
    outrun = beats_of(narrated_video["index"])["outrun/short"]
    assert outrun["animations_end"] - outrun["start"] == pytest.approx(3, abs=1e-6)
    assert outrun["voice_end"] < outrun["end"]  # the animation outran the voice; recorded


def test_a_picture_can_wait_for_the_phrase_that_names_it(narrated_video):
    segment = narrated_video["index"]["segments"][0]
    first = beats_of(narrated_video["index"])["narrated/first"]
    (named,) = [p for p in segment["plays"] if p["site"] == f"{FIXTURE}:{line_of('SECOND_PHRASE')}"]
    said = first["start"] + first["phrases"][1]["start"]
    assert said - 1e-6 <= named["start"] <= said + 1 / 5  # the first frame after the words start


def test_the_joined_video_has_its_voice_in_sync(narrated_video):
    from pipeline.soundtrack import (
        SAMPLE_RATE,
        TARGET_LUFS,
        TARGET_TRUE_PEAK,
        decode,
        loudness,
        stream_durations,
    )

    video = narrated_video["dir"] / "gradient-descent.mp4"
    durations = stream_durations(video)
    assert abs(durations["audio"] - durations["video"]) <= 1 / 5
    level = loudness(video)
    assert abs(level["integrated"] - TARGET_LUFS) <= 1
    assert level["true_peak"] <= TARGET_TRUE_PEAK + 0.5  # room for the AAC encoder's overshoot
    samples = decode(video)

    def rms(start: float, end: float) -> float:
        part = samples[round(start * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
        return float(np.sqrt(np.mean(part.astype(np.float64) ** 2)))

    beats = beats_of(narrated_video["index"])
    first, taken = beats["narrated/first"], beats["narrated/taken"]
    pause = narrated_video["index"]["segments"][0]["pauses"][0]
    assert rms(first["start"], first["voice_end"]) > 0.02  # the voice is where its beat is
    assert rms(taken["start"] + 0.2, taken["voice_end"] - 0.2) > 0.02
    assert rms(pause["start"] + 0.05, pause["end"] - 0.05) < 1e-3  # and silence in the pause


def test_a_recorded_take_sets_its_beats_timing(narrated_video):
    taken = beats_of(narrated_video["index"])["narrated/taken"]
    assert taken["source"] == "recorded"
    assert taken["voice_end"] - taken["start"] == pytest.approx(2.0, abs=1e-3)
    assert taken["end"] - taken["start"] >= 2.0 - 1e-6
    dependencies = (narrated_video["dir"] / "segments" / "narrated.d").read_text()
    assert "taken.wav" in dependencies and "lexicon.toml" in dependencies


def test_a_second_build_synthesises_nothing(narrated_video):
    assert narrated_video["first_voice"]["synthesised"] > 0
    assert narrated_video["second_voice"]["synthesised"] == 0
    assert narrated_video["second_voice"]["reused"] == narrated_video["first_voice"]["synthesised"]


def test_subtitles_show_the_words_the_voice_says_the_spoken_form(narrated_video):
    cues = list(srt.parse((narrated_video["dir"] / "gradient-descent.srt").read_text()))
    text = " ".join(c.content.replace("\n", " ") for c in cues)
    assert "The MNIST digits." in text and "13,002" in text
    beats = beats_of(narrated_video["index"])
    assert "em-nist" in beats["narrated/first"]["spoken"]
    assert "thirteen thousand and two" in beats["narrated/last"]["spoken"]
    for cue in cues:
        assert (cue.end - cue.start).total_seconds() >= 1 - 1e-6
        assert all(len(line) <= MAX_LINE for line in cue.content.split("\n"))
    vtt = (narrated_video["dir"] / "gradient-descent.vtt").read_text()
    assert vtt.startswith("WEBVTT") and "The MNIST digits." in vtt


def test_pauses_are_declared_with_their_reasons(narrated_video):
    pauses = narrated_video["index"]["segments"][0]["pauses"]
    assert [(p["kind"], p["reason"]) for p in pauses] == [
        ("pause", "the viewer looks"), ("silence", "a square appears without words")]  # fmt: skip
    assert pauses[0]["site"] == f"{FIXTURE}:{line_of('PAUSE')}"


def test_the_review_lists_words_the_voice_may_say_wrong(narrated_video):
    lines = narrated_video["review"].stdout.splitlines()
    found = [line for line in lines if "pronunciation" in line]
    assert len(found) == 1, found
    assert "'Zorblax'" in found[0] and f"{FIXTURE}:{line_of('FIRST_BEAT')}" in found[0]
    assert "lexicon.toml" in found[0]


def pace_lines(review: subprocess.CompletedProcess, check: str) -> list[str]:
    """The review's findings of one pace check."""
    return [line for line in review.stdout.splitlines() if f"  {check}: " in line]


def test_the_review_hears_a_planted_fast_cue(narrated_video):
    (fast,) = pace_lines(narrated_video["review"], "fast cue")
    assert f"{FIXTURE}:{line_of('RUSHED')}" in fast and "This take says far too much" in fast


def test_the_review_hears_an_unexplained_silence(narrated_video):
    (silence,) = pace_lines(narrated_video["review"], "silence")
    assert f"{FIXTURE}:{line_of('UNEXPLAINED')}" in silence


def test_the_review_sees_a_picture_that_stops_before_its_voice(narrated_video):
    (still,) = pace_lines(narrated_video["review"], "still picture")
    assert f"{FIXTURE}:{line_of('STILL')}" in still and "paced/still" in still


def test_the_review_sees_an_animation_that_outruns_its_voice(narrated_video):
    (outrun,) = pace_lines(narrated_video["review"], "outruns voice")
    assert "outrun/short" in outrun


def test_the_well_paced_scene_has_no_pace_finding(narrated_video):
    checks = ("fast cue", "long cue", "brief cue", "silence", "still picture", "outruns voice")
    findings = [line for check in checks for line in pace_lines(narrated_video["review"], check)]
    assert len(findings) == 4, findings  # the four planted ones above
    lines = Path(FIXTURE).read_text().splitlines()
    first, after = (next(n for n, text in enumerate(lines, 1) if text.startswith(f"class {name}"))
                    for name in ("NarratedPlanted", "OutrunsItsVoice"))  # fmt: skip
    well_paced = {f"{FIXTURE}:{n} " for n in range(first, after)}
    assert not [line for line in findings if any(site in line for site in well_paced)]


def test_the_script_lists_every_beat_with_its_source(narrated_video):
    path = Path(narrated_video["script"].stdout.strip())
    script = path.read_text()
    assert "### narrated/taken" in script and "recorded" in script
    assert "### narrated/first" in script and "synthesised" in script
    assert "assets/narration/narrated/first.wav" in script
    assert script.index("narrated/first") < script.index("narrated/taken") < script.index("outrun")


def test_no_voice_builds_timed_from_the_text(narrated_video):
    beats = {b["id"]: b for b in narrated_video["silent"]["beats"]}
    assert beats["narrated/first"]["source"] == "none"
    assert beats["narrated/taken"]["source"] == "recorded"  # a take still wins
    last = beats["narrated/last"]
    words = "In all, 13,002 weights and biases."
    assert last["voice_end"] - last["start"] == pytest.approx(len(words) / SILENT_RATE, abs=0.01)
    assert math.isclose(narrated_video["silent"]["voice"]["synthesised"], 0)


@pytest.mark.slow  # synthesises speech
def test_two_builds_sharing_the_voice_cache_both_succeed(narration_dir, tmp_path):
    cache = tmp_path / "cache"
    speak = (
        "import sys; from pathlib import Path; from scenes.toolkit.voice import Narrator; "
        "n = Narrator(voice='piper', narration_dir=Path(sys.argv[1]), cache=Path(sys.argv[2])); "
        "print(n.narrate('seg', 'one', 'Two builds say this at once. Then this.').path)"
    )
    command = [sys.executable, "-c", speak, str(narration_dir), str(cache)]
    builds = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    paths = [build.communicate()[0].strip() for build in builds]
    assert [build.returncode for build in builds] == [0, 0]
    assert paths[0] == paths[1]
    with wave.open(paths[0], "rb") as audio:
        assert audio.getnframes() > audio.getframerate()  # a whole file, over a second long
    assert not list(cache.rglob("*.part"))


def test_a_phrase_that_a_beat_does_not_have_is_refused_with_its_count():
    from types import SimpleNamespace

    from scenes.toolkit.narration import Beat, NarrationError

    audio = SimpleNamespace(phrases=[{"start": 0.0}, {"start": 1.25}])
    beat = Beat("seg/two", 3.0, audio, start=10.0, clock=lambda: 10.5)
    assert beat.phrase_start(-1) == beat.phrase_start(1) == 1.25
    assert beat.until_phrase(1) == pytest.approx(0.75)
    with pytest.raises(NarrationError, match="beat seg/two has 2 phrase"):
        beat.phrase_start(2)


def test_a_nearly_silent_soundtrack_is_not_raised_to_the_target(tmp_path):
    """ebur128 reports anything quieter than its floor as -70 LUFS: such a track is silence and
    gets no gain (a gain computed from the floor would raise its hiss by some 200 dB)."""
    import subprocess

    from pipeline.soundtrack import SILENCE, Placement, add_soundtrack, loudness, stream_durations

    picture, hiss, target = tmp_path / "picture.mp4", tmp_path / "hiss.wav", tmp_path / "out.mp4"
    black = "color=c=black:s=64x36:d=2:r=5"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", black, "-c:v", "libx264",
                    "-pix_fmt", "yuv420p", str(picture)], check=True)  # fmt: skip
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1",
                    "-af", "volume=-85dB", "-c:a", "pcm_f32le", str(hiss)], check=True)  # fmt: skip
    add_soundtrack(picture, [Placement(hiss, 0.5)], target)
    assert loudness(target)["integrated"] <= SILENCE
    durations = stream_durations(target)
    assert abs(durations["audio"] - durations["video"]) < 0.05
