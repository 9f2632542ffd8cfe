"""Files written whole: a failed writer leaves the old bytes, and no temporary file anywhere."""

from __future__ import annotations

import os
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from nn.atomic_files import stage, write_atomically, write_bytes_atomically, write_text_atomically
from scenes.toolkit.voice import Narrator, VoiceError, wav_duration


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name: bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def ordinary_mode() -> int:
    """The permission bits a newly created file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_a_failed_writer_leaves_the_old_bytes_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "index.json"
    target.write_text("old")

    def half_then_fail(part: Path) -> None:
        part.write_text("half of the new")
        raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError, match="the writer failed"):
        write_atomically(target, half_then_fail)
    assert files_in(tmp_path) == {"index.json": b"old"}


def test_a_whole_write_replaces_the_file_with_an_ordinary_mode(tmp_path: Path) -> None:
    target = tmp_path / "made" / "here" / "script.md"  # the folders are made as well
    write_text_atomically(target, "first")
    write_bytes_atomically(target, b"second")
    assert files_in(tmp_path) == {"made/here/script.md": b"second"}
    assert target.stat().st_mode & 0o777 == ordinary_mode()


def test_a_staged_file_is_named_beside_its_target_and_ends_in_part(tmp_path: Path) -> None:
    target = tmp_path / "video.mp4"
    part = stage(target, lambda p: p.write_bytes(b"picture"))
    assert part.parent == tmp_path and part.name.startswith(".video.mp4.")
    assert part.name.endswith(".part") and part.read_bytes() == b"picture"
    assert not target.exists()


def write_sine_flac(path: Path, seconds: float) -> None:
    """A recorded take as FLAC: a quiet sine of ``seconds``."""
    rate = 44100
    samples = 3000 * np.sin(2 * np.pi * 220 * np.arange(round(seconds * rate)) / rate)
    raw = path.with_suffix(".raw")
    raw.write_bytes(samples.astype("<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1",
                    "-i", str(raw), str(path)], check=True)  # fmt: skip
    raw.unlink()


@pytest.fixture
def narration_dir(tmp_path: Path) -> Path:
    """An empty narration folder (no lexicon, default voice settings)."""
    folder = tmp_path / "narration"
    (folder / "seg").mkdir(parents=True)
    return folder


def test_a_bad_take_leaves_nothing_in_the_cache(narration_dir: Path, tmp_path: Path) -> None:
    (narration_dir / "seg" / "one.wav").write_bytes(b"RIFF, but not audio")
    cache = tmp_path / "cache"
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=cache)
    with pytest.raises(VoiceError, match=r"cannot read the take .*save it as WAV or FLAC"):
        narrator.narrate("seg", "one", "Words.")
    assert not list((cache / "takes").iterdir())  # no take, and no part file beside it


def test_a_flac_take_is_published_as_a_whole_wav(narration_dir: Path, tmp_path: Path) -> None:
    write_sine_flac(narration_dir / "seg" / "one.flac", 1.5)
    cache = tmp_path / "cache"
    narrator = Narrator(voice="none", narration_dir=narration_dir, cache=cache)
    audio = narrator.narrate("seg", "one", "Words.")
    (published,) = (cache / "takes").iterdir()
    assert audio.path == published and published.suffix == ".wav"
    with wave.open(str(published), "rb") as take:
        assert (take.getnchannels(), take.getsampwidth()) == (1, 2)
    assert wav_duration(published) == pytest.approx(1.5, abs=1e-2)
    assert published.stat().st_mode & 0o777 == ordinary_mode()
