"""Scenes paced by their narration: beats, declared pauses, and the voice in the soundtrack.

A :class:`NarratedScene` is written as beats, manim-voiceover's way::

    with self.beat("plan", "Here is the plan of this chapter.") as beat:
        self.play(FadeIn(plan), run_time=beat.duration)

or, when the animations play over all of its words, ``self.say("plan", words, FadeIn(plan))``.
A render by the video build sets ``GD_SOUNDTRACK=build``: the build mixes the voice from the
timeline, so Manim's own movie is left without sound.

A beat lasts as long as its voice (or its recorded take): the animations inside run within it
and the scene waits for the voice to finish before the next beat. Its subtitles are cued phrase
by phrase from the voice's own timing. A silence is declared with its reason, never left as an
unexplained wait: :meth:`NarratedScene.pause` holds the picture, :meth:`NarratedScene.silence`
lets animations play without words. Everything is recorded on the scene's timeline.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from manim import Animation, Mobject, UpdateFromAlphaFunc, config, linear, smooth
from manim_voiceover import VoiceoverScene
from manim_voiceover.services.base import SpeechService

from nn.errors import UserError
from scenes.toolkit.claims import Words, words_of_beat
from scenes.toolkit.manim_internals import played_to_the_end
from scenes.toolkit.play_log import call_site, repo_path
from scenes.toolkit.timeline import TimelineScene
from scenes.toolkit.voice import BeatAudio, Narrator

__all__ = [
    "Beat",
    "BeatRecord",
    "BeatVoice",
    "NarratedScene",
    "NarrationError",
    "PauseRecord",
]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class NarrationError(UserError, ValueError):
    """A beat or pause written in a way the narration cannot use."""


class BeatVoice(SpeechService):
    """manim-voiceover's speech service for beats: the :class:`Narrator` makes the audio.

    manim-voiceover keeps a ``cache.json`` of what it played; it goes to a folder of this
    render's own, so renders that share the voice cache never write one file together.
    """

    def __init__(self, narrator: Narrator) -> None:
        self._bookkeeping = tempfile.TemporaryDirectory(prefix="voiceover-")
        super().__init__(cache_dir=self._bookkeeping.name)
        self.narrator = narrator
        self.last: BeatAudio | None = None

    def generate_from_text(
        self, text: str, cache_dir: str | None = None, path: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The beat's audio file for manim-voiceover (``beat=(segment, slug)`` names it)."""
        segment, slug = kwargs["beat"]
        self.last = self.narrator.narrate(segment, slug, text)
        return {
            "input_text": text,
            "input_data": {"input_text": text, "service": f"narrator-{self.narrator.voice}"},
            "original_audio": str(self.last.path),  # absolute: the shared cache, or a take
        }


@dataclass
class Beat:
    """A beat as the scene code sees it: its id, how long its voice lasts, what is left of it."""

    id: str
    duration: float
    audio: BeatAudio = field(repr=False)
    start: float = 0.0
    clock: Callable[[], float] = field(default=lambda: 0.0, repr=False)

    def phrase_start(self, number: int) -> float:
        """Seconds from the beat's start to phrase ``number`` (0 the first, -1 the last)."""
        phrases = self.audio.phrases
        if not -len(phrases) <= number < len(phrases):
            raise NarrationError(
                f"beat {self.id} has {len(phrases)} phrase(s): use 0 to {len(phrases) - 1}, or -1"
            )
        return float(phrases[number]["start"])

    def until_phrase(self, number: int) -> float:
        """A run time from now to where phrase ``number`` is spoken (at least one frame)."""
        return max(self.start + self.phrase_start(number) - self.clock(), 1 / config.frame_rate)

    def remaining(self, leave: float = 0.0) -> float:
        """Seconds of the beat still to come, less ``leave``: a run time that ends with it.

        Never less than one frame, so that it is always a run time Manim can play.
        """
        return max(self.start + self.duration - self.clock() - leave, 1 / config.frame_rate)


@dataclass
class BeatRecord:
    """One beat on the timeline: words, voice, where its audio lies, and its subtitle cues."""

    id: str
    site: str
    text: str
    spoken: str
    source: str
    audio: str
    start: float
    voice_end: float
    animations_end: float
    end: float
    phrases: list[dict[str, Any]]
    cues: list[dict[str, Any]]
    unspoken: list[tuple[str, str]]
    """What the voice may say wrong: words outside the lexicon, for the review's dictionaries."""
    fact: dict[str, str] | None = None
    """For words that state a fact about the data: the check that built them and its evidence."""


@dataclass
class PauseRecord:
    """A declared silence: its reason and times."""

    reason: str
    site: str
    start: float
    end: float
    kind: str


class NarratedScene(TimelineScene, VoiceoverScene):
    """A scene written as beats of narration; the voice sets its clock.

    Subclasses set :attr:`segment` to their name in ``scenes/manifest.toml``: recorded takes
    of their beats live in ``assets/narration/<segment>/``.
    """

    segment: ClassVar[str] = ""

    split_before: ClassVar[tuple[str, ...]] = ()
    """Beats (by slug) at whose start a render may be cut into chunks rendered apart and joined.

    Only where the frames stay the same (``tests/test_farm.py`` renders segments whole and cut
    and compares every frame): plays before a chunk are stepped as if drawn
    (:func:`~scenes.toolkit.manim_internals.step_plays_before_range`), but a beat whose picture
    depends on something else than the scene's state and clock must not start a chunk.
    """

    def setup(self) -> None:
        """Start the timeline and the voice."""
        super().setup()
        if not self.segment:
            raise NarrationError(f"{type(self).__name__} must set `segment` (its manifest name)")
        self.narrator = Narrator()
        self.set_speech_service(BeatVoice(self.narrator), create_subcaption=False)
        self.beats: list[BeatRecord] = []
        self.pauses: list[PauseRecord] = []
        self.split_points: list[dict[str, Any]] = []

    @contextmanager
    def beat(self, slug: str, words: Words) -> Iterator[Beat]:
        """Narrate ``words`` while the animations of the ``with`` block play.

        ``words`` declare what they are: a plain ``str`` states no fact about the data; a
        :class:`~scenes.toolkit.claims.Fact`, built by a function that checks the trace, does.

        ``slug`` is the beat's stable name within the segment (lower case, hyphens): its id is
        ``<segment>/<slug>``, and ``assets/narration/<segment>/<slug>.wav`` replaces its voice.
        """
        if not _SLUG.match(slug):
            raise NarrationError(f"beat name {slug!r}: use lower-case words joined by hyphens")
        beat_id = f"{self.segment}/{slug}"
        if any(b.id == beat_id for b in self.beats):
            raise NarrationError(f"two beats are called {beat_id!r}; names must be unique")
        text, fact = words_of_beat(words)
        site = call_site(self._scene_file)
        start = float(self.time)
        if slug in self.split_before:
            self.split_points.append({"beat": beat_id, "play": len(self.timeline)})
        self.current_beat = beat_id
        service = self.speech_service
        service.last = None
        with self.voiceover(text=text, beat=(self.segment, slug)):
            audio = service.last
            if audio is None:
                raise NarrationError(f"beat {beat_id}: the voice produced no audio")
            self._add_cues(audio)
            yield Beat(beat_id, audio.length, audio, start, lambda: float(self.time))
            animations_end = float(self.time)
        self._wait_until(start + audio.length)
        self.current_beat = None
        self.beats.append(BeatRecord(
            beat_id, site, " ".join(text.split()), " ".join(p["spoken"] for p in audio.phrases),
            audio.source, repo_path(audio.path), start,
            start + audio.voice_duration, animations_end, float(self.time),
            audio.phrases, [asdict(c) for c in audio.cues], self.narrator.lexicon.uncovered(text),
            fact,
        ))  # fmt: skip

    def add_sound(self, sound_file: str, time_offset: float = 0, gain: float | None = None,
                  **kwargs: Any) -> None:  # fmt: skip
        """Mix a beat's audio into Manim's movie, for a plain ``manim`` render.

        The video build mixes and normalises the voice itself from the timeline's beats and
        sets ``GD_SOUNDTRACK=build``: Manim's movie then needs no sound of its own.
        """
        if os.environ.get("GD_SOUNDTRACK") != "build":
            super().add_sound(sound_file, time_offset, gain, **kwargs)

    def _wait_until(self, time: float) -> None:
        """Wait to the first frame at or after ``time``, so the next beat never cuts the voice.

        Manim rounds a still wait down to whole frames; this wait renders its frames instead,
        which Manim rounds up.
        """
        frames = math.ceil((time - float(self.time)) * config.frame_rate - 1e-6)
        if frames > 0:
            self.wait((frames - 0.5 if frames > 1 else 1) / config.frame_rate, frozen_frame=False)

    def say(self, slug: str, text: Words, *animations: Animation, leave: float = 0.5) -> None:
        """Narrate ``text`` as beat ``slug`` while ``animations`` play over its words.

        The commonest beat: the animations end ``leave`` seconds before the voice does.
        """
        with self.beat(slug, text) as beat:
            self.play(*animations, run_time=beat.remaining(leave=leave))

    def say_then_continue(
        self, slug: str, text: Words, reason: str, moving: Mobject,
        advance: Callable[[Mobject, float], None], seconds: float,
    ) -> None:  # fmt: skip
        """One eased animation of ``seconds``, begun under beat ``slug``'s words.

        What the words do not cover plays on as a silence declared with ``reason``.
        ``advance(moving, progress)`` draws it at eased progress from 0 to 1; the two parts
        join without a jolt, as if played in one go.
        """

        def part(begin: float, end: float) -> UpdateFromAlphaFunc:
            def draw(mobject: Mobject, alpha: float) -> None:
                advance(mobject, smooth((begin + alpha * (end - begin)) / seconds))

            return UpdateFromAlphaFunc(moving, draw, rate_func=linear)

        with self.beat(slug, text) as beat:
            said = min(beat.remaining(leave=0.3), seconds)
            self.play(part(0, said), run_time=said)
        if said < seconds:
            with self.silence(reason):
                self.play(part(said, seconds), run_time=seconds - said)

    def wait_for_phrase(self, beat: Beat, number: int) -> None:
        """Hold the picture until the voice of ``beat`` reaches phrase ``number`` (-1: the last).

        For a picture that should appear as its words are said; an animation follows it. The
        next frame is the first at or after the phrase's start, never one before it.
        """
        self._wait_until(beat.start + beat.phrase_start(number))

    def _add_cues(self, audio: BeatAudio) -> None:
        for cue in audio.cues:
            self.add_subcaption(cue.text, duration=cue.end - cue.start, offset=cue.start)

    def pause(self, seconds: float, reason: str) -> None:
        """Hold the picture without words for ``seconds``, for ``reason`` (the viewer looks)."""
        if not reason.strip():
            raise NarrationError("a pause needs its reason")
        start, site = float(self.time), call_site(self._scene_file)
        self.wait(seconds)
        self.pauses.append(PauseRecord(reason, site, start, float(self.time), "pause"))

    def pause_to_read(self, reason: str, at_least: float = 0.0) -> None:
        """Hold the picture, for ``reason``, until every new text has had its time to read.

        That is its characters / 15 + 1 s, still (:mod:`~scenes.toolkit.read_time`), and at
        least ``at_least`` seconds.
        """
        seconds = self._whole_frames(max(self.read_time_check.still_needed(float(self.time)),
                                         at_least))  # fmt: skip
        if seconds > 0:
            self.pause(seconds, reason)

    def hold_to_read(self) -> None:
        """Within a beat, hold the picture until every new text has had its time to read."""
        seconds = self._whole_frames(self.read_time_check.still_needed(float(self.time)))
        if seconds > 0:
            self.wait(seconds)

    @staticmethod
    def _whole_frames(seconds: float) -> float:
        """A still wait that lasts at least ``seconds``.

        Manim rounds a still wait down to whole frames, so it asks for half a frame more.
        """
        frames = math.ceil(seconds * config.frame_rate - 1e-6)
        return (frames + 0.5) / config.frame_rate if frames > 0 else 0.0

    @contextmanager
    def silence(self, reason: str) -> Iterator[None]:
        """Let the animations of the ``with`` block play without words, for ``reason``."""
        if not reason.strip():
            raise NarrationError("a silence needs its reason")
        start, site = float(self.time), call_site(self._scene_file)
        yield
        self.pauses.append(PauseRecord(reason, site, start, float(self.time), "silence"))

    def tear_down(self) -> None:
        """Refuse split points that name no beat of a scene played to its end; then as before."""
        met = {point["beat"].rsplit("/", 1)[1] for point in self.split_points}
        unknown = sorted(set(self.split_before) - met)
        if unknown and played_to_the_end(self):
            raise NarrationError(f"{type(self).__name__}.split_before names no beat called "
                                 f"{', '.join(unknown)}; use the slugs of its beats")  # fmt: skip
        super().tear_down()

    def timeline_data(self) -> dict[str, Any]:
        """The timeline, with the beats, the declared pauses and the voice's bookkeeping."""
        data = super().timeline_data()
        data["beats"] = [asdict(b) for b in self.beats]
        data["pauses"] = [asdict(p) for p in self.pauses]
        data["split_points"] = self.split_points
        data["voice"] = {
            "name": self.narrator.voice,
            "synthesised": self.narrator.synthesised,
            "reused": self.narrator.reused,
        }
        data["inputs"] = sorted(repo_path(p) for p in self.narrator.inputs if p.exists())
        return data
