"""The pace checks of the review, on small hand-made timelines: each finding and its absence."""

from __future__ import annotations

import copy
import re
import statistics
from datetime import timedelta

import pytest
import srt

from pipeline.pace import MAX_SILENCE, OUTRUN_LIMIT, STILL_LIMIT, pace_findings, pace_summary
from pipeline.where import format_time
from scenes.toolkit.phrasing import READING_RATE

SITE = "scenes/example.py:10"


def beat(slug: str, start: float, voice: float, moves: tuple[float, float] | None = None,
         phrases: list[tuple[float, float]] | None = None) -> tuple[dict, list[dict]]:  # fmt: skip
    """A beat of ``voice`` seconds at ``start``, and its animation ``moves`` (video times)."""
    spans = phrases or [(0.0, voice)]
    record = {
        "id": f"example/{slug}", "site": f"scenes/example.py:{20 + len(slug)}",
        "start": start, "voice_end": start + voice, "end": start + voice,
        "animations_end": max(start + voice, moves[1] if moves else start),
        "phrases": [{"start": a, "end": b} for a, b in spans],
    }  # fmt: skip
    plays = [{"kind": "play", "start": moves[0], "end": moves[1], "beat": record["id"],
              "site": SITE}] if moves else []  # fmt: skip
    return record, plays


def index_of(duration: float, *beats: tuple[dict, list[dict]], pauses=()) -> dict:
    """A one-segment index lasting ``duration`` with ``beats`` and declared ``pauses``."""
    plays = [p for _, ps in beats for p in ps] or [
        {"kind": "wait", "start": 0.0, "end": duration, "beat": None, "site": SITE}]  # fmt: skip
    segment = {
        "name": "example", "offset": 0.0, "duration": duration, "plays": plays,
        "beats": [b for b, _ in beats],
        "pauses": [{"start": a, "end": b, "reason": "the viewer looks", "site": SITE}
                   for a, b in pauses],
    }  # fmt: skip
    return {"duration": duration, "segments": [segment]}


def cue(start: float, end: float, text: str) -> srt.Subtitle:
    """A subtitle cue."""
    return srt.Subtitle(0, timedelta(seconds=start), timedelta(seconds=end), text)


def checks(findings) -> list[str]:
    return [f.check for f in findings]


def test_a_well_paced_beat_has_no_finding():
    index = index_of(4.0, beat("fine", 0.0, 4.0, moves=(0.0, 3.5)))
    assert pace_findings(index, [cue(0.0, 4.0, "Forty characters read in four seconds.")]) == []


@pytest.mark.parametrize(("seconds", "fast"), [(34 / (READING_RATE + 2), True),
                                               (34 / READING_RATE, False)],
                         ids=["above-the-rate", "at-the-rate"])  # fmt: skip
def test_a_cue_faster_than_the_reading_rate_is_reported(seconds, fast):
    index = index_of(4.0, beat("rushed", 0.0, 4.0, moves=(0.0, 3.5)))
    text = "Thirty-four characters, read fast."  # 34 characters
    findings = pace_findings(index, [cue(1.0, 1.0 + seconds, text)])
    assert ("fast cue" in checks(findings)) is fast
    if fast:
        assert findings[0].site == index["segments"][0]["beats"][0]["site"]
        assert f"{len(text) / seconds:.1f} characters per second" in findings[0].message


def test_a_cue_of_three_lines_or_a_line_too_long_is_reported():
    index = index_of(9.0, beat("long", 0.0, 9.0, moves=(0.0, 8.5)))
    three = cue(0.0, 4.0, "one line\ntwo lines\nthree lines")
    wide = cue(4.0, 9.0, "a single line of words that runs on past forty-two")
    assert checks(pace_findings(index, [three, wide])) == ["long cue", "long cue"]
    assert checks(pace_findings(index, [cue(0.0, 4.0, "one line\ntwo lines")])) == []


def test_a_cue_shorter_than_a_second_is_reported():
    index = index_of(4.0, beat("brief", 0.0, 4.0, moves=(0.0, 3.5)))
    assert checks(pace_findings(index, [cue(0.0, 0.8, "Yes.")])) == ["brief cue"]


def test_an_unexplained_silence_is_reported_with_the_line_on_screen():
    gap = MAX_SILENCE + 1
    index = index_of(4 + gap + 2, beat("before", 0.0, 4.0, moves=(0.0, 3.5)),
                     beat("after", 4 + gap, 2.0, moves=(4 + gap, 5.5 + gap)))  # fmt: skip
    index["segments"][0]["plays"].append(
        {"kind": "wait", "start": 4.0, "end": 4 + gap, "beat": None, "site": "scenes/example.py:99"}
    )
    findings = pace_findings(index, [])
    assert checks(findings) == ["silence"]
    assert findings[0].time == pytest.approx(4.0)
    assert findings[0].site == "scenes/example.py:99"


def test_a_declared_pause_explains_a_silence_but_only_for_its_own_length():
    gap = MAX_SILENCE + 2
    beats = (beat("before", 0.0, 4.0, moves=(0.0, 3.5)),
             beat("after", 4 + gap, 2.0, moves=(4 + gap, 5.5 + gap)))  # fmt: skip
    explained = index_of(6 + gap, *beats, pauses=[(4.0, 4 + gap)])
    assert pace_findings(explained, []) == []
    too_short = index_of(6 + gap, *beats, pauses=[(4.0, 5.0)])  # 1 s declared, 5 s not
    assert checks(pace_findings(too_short, [])) == ["silence"]


def test_pauses_between_the_phrases_of_a_beat_count_as_silence():
    phrases = [(0.0, 1.0), (1.0 + MAX_SILENCE + 0.5, 7.0)]
    index = index_of(7.0, beat("gappy", 0.0, 7.0, moves=(0.0, 6.5), phrases=phrases))
    assert checks(pace_findings(index, [])) == ["silence"]


def test_a_picture_that_sits_still_while_the_voice_goes_on_is_reported():
    voice = 6.0
    still = index_of(voice, beat("still", 0.0, voice, moves=(0.0, voice - STILL_LIMIT - 0.5)))
    findings = pace_findings(still, [])
    assert checks(findings) == ["still picture"]
    assert findings[0].site == still["segments"][0]["beats"][0]["site"]
    moving = index_of(voice, beat("moving", 0.0, voice, moves=(0.0, voice - STILL_LIMIT + 0.5)))
    assert pace_findings(moving, []) == []


def test_a_beat_without_any_animation_is_a_still_picture():
    assert checks(pace_findings(index_of(3.0, beat("nothing", 0.0, 3.0)), [])) == [
        "still picture"]  # fmt: skip


def test_animations_that_outrun_the_voice_are_reported():
    voice = 2.0
    outrun = index_of(5.0, beat("outrun", 0.0, voice, moves=(0.0, voice + OUTRUN_LIMIT + 0.5)))
    assert checks(pace_findings(outrun, [])) == ["outruns voice"]
    settles = index_of(5.0, beat("settles", 0.0, voice, moves=(0.0, voice + OUTRUN_LIMIT - 0.5)))
    assert pace_findings(settles, []) == []


def test_the_summary_gives_subtitle_speeds_and_each_long_silence_with_its_reasons():
    gap = MAX_SILENCE + 2
    index = index_of(6 + gap, beat("before", 0.0, 4.0, moves=(0.0, 3.5)),
                     beat("after", 4 + gap, 2.0, moves=(4 + gap, 5.5 + gap)),
                     pauses=[(4.0, 4 + gap)])  # fmt: skip
    cues = [cue(0.0, 4.0, "x" * 40), cue(4 + gap, 6 + gap, "y" * 20), cue(9.0, 10.0, "z" * 20)]
    speeds = [40 / 4, 20 / 2, 20 / 1]  # characters per second; only the last above the rate
    assert [s > READING_RATE for s in speeds] == [False, False, True]
    subtitles, silence = pace_summary(index, cues)
    assert re.search(rf"\b{len(cues)} cues", subtitles)
    assert re.search(rf"median\D*{statistics.median(speeds):.1f}", subtitles)
    assert re.search(rf"maximum\D*{max(speeds):.1f}", subtitles)
    assert f"{1 / len(cues):.1%} above {READING_RATE:g}" in subtitles
    assert f"{format_time(4.0)}-{format_time(4 + gap)}" in silence  # when
    assert f"({gap:.1f} s)" in silence and silence.endswith("the viewer looks")  # how long, why


def test_declared_pauses_subtract_from_a_silence_but_what_is_left_adds_up():
    gap = MAX_SILENCE + 3  # 7 s: a 2 s pause in its middle leaves 2.5 s either side, 5 s in all
    beats = (beat("before", 0.0, 4.0, moves=(0.0, 3.5)),
             beat("after", 4 + gap, 2.0, moves=(4 + gap, 5.5 + gap)))  # fmt: skip
    middle = 4 + gap / 2
    split = index_of(6 + gap, *beats, pauses=[(middle - 1, middle + 1)])
    assert checks(pace_findings(split, [])) == ["silence"]
    mostly = index_of(6 + gap, *beats, pauses=[(4.5, 4 + gap - 0.5)])  # 1 s left in all
    assert pace_findings(mostly, []) == []


def test_a_cue_cut_to_the_millisecond_before_its_beat_is_blamed_on_its_own_beat():
    first = beat("first", 0.0, 3.0, moves=(0.0, 2.5))
    second = beat("second", 3.0, 3.0, moves=(3.0, 5.5))
    index = index_of(6.0, first, second)
    rushed = cue(2.9995, 4.0, "Forty characters said in just one second")  # SRT cuts times down
    (finding,) = pace_findings(index, [rushed])
    assert finding.check == "fast cue" and finding.site == second[0]["site"]


def test_a_cue_of_no_length_is_reported_not_a_crash():
    index = index_of(4.0, beat("instant", 0.0, 4.0, moves=(0.0, 3.5)))
    assert sorted(checks(pace_findings(index, [cue(1.0, 1.0, "Gone.")]))) == [
        "brief cue", "fast cue"]  # fmt: skip


def test_silences_across_segments_are_heard_in_the_joined_video():
    first = index_of(5.0, beat("end", 0.0, 2.0, moves=(0.0, 1.5)))
    second = index_of(5.0, beat("start", 3.0, 2.0, moves=(3.0, 4.5)))
    segment = {**copy.deepcopy(second["segments"][0]), "name": "second", "offset": 5.0}
    for entry in (*segment["beats"], *segment["plays"]):  # into video times, as the join does
        for key in ("start", "end", "voice_end", "animations_end"):
            if key in entry:
                entry[key] += 5.0
    joined = {"duration": 10.0, "segments": [first["segments"][0], segment]}
    (silence,) = pace_findings(joined, [])  # 2 s at the end of one, 3 s at the start of the next
    assert silence.check == "silence" and silence.time == pytest.approx(2.0)
    assert "6.0 s without voice" in silence.message
    assert pace_findings(first, []) == [] and pace_findings(second, []) == []


def test_the_pace_of_a_segment_not_yet_rendered_names_the_make_command(tmp_path, monkeypatch):
    from pipeline import review
    from pipeline.manifest import find_segment
    from pipeline.quality import quality

    monkeypatch.setattr(review, "segment_timeline", lambda segment, q: tmp_path / "none.json")
    with pytest.raises(review.ReviewError, match="make scene S=recap"):
        review.review_pace(find_segment("recap"), quality("l"))
