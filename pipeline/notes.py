"""Review notes pinned to beats, so that they survive re-timing: ``make notes`` and ``make note``.

A note is pinned to a time of the video **and** to the beat on screen then (its stable id, such
as ``cost_surface/valley``). Notes are kept in JSON files under ``review/`` in the repository:
the review page exports them (``review-notes.json``), ``make note T=8:28 TEXT="..."`` adds one
to ``review/notes.json``. ``make notes`` lists every open note at its beat's **current** time
(the same distance into the beat as when it was written) with the ``file:line`` of the beat's
words; a note whose beat no longer exists is listed as orphaned, at its last known place. A note
is closed by setting its ``"status"`` to ``"resolved"`` in its file (or with the page's button).

A notes file::

    {"version": 1, "notes": [{"id": "...", "text": "the vector lacks its dots",
      "status": "open", "time": 508.0, "beat": "gradient_vector/column",
      "beat_start": 505.2, "segment": "gradient_vector", "site": "scenes/...py:120",
      "created": "2026-11-28T10:00:00Z"}]}
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from nn.atomic_files import write_text_atomically
from nn.errors import UserError
from pipeline.manifest import REPO_ROOT
from pipeline.quality import Quality
from pipeline.where import format_time, load_index, locate, parse_time

__all__ = [
    "TERMINAL_NOTES",
    "Note",
    "PlacedNote",
    "add_note",
    "beat_at",
    "notes_dir",
    "notes_report",
    "open_notes",
    "place",
    "read_notes",
]

TERMINAL_NOTES = "notes.json"
"""The file under ``review/`` that ``make note`` adds to."""


def notes_dir() -> Path:
    """Where note files are kept: ``$GD_REVIEW_NOTES`` or ``review/`` in the repository."""
    return Path(os.environ.get("GD_REVIEW_NOTES", REPO_ROOT / "review"))


@dataclass(frozen=True)
class Note:
    """One reviewer's note, pinned to a time and to the beat on screen then."""

    id: str
    text: str
    status: str
    time: float
    beat: str | None
    beat_start: float | None
    segment: str
    site: str
    created: str


@dataclass(frozen=True)
class PlacedNote:
    """A note at its place in the video as it is now."""

    note: Note
    source: Path
    time: float
    site: str
    orphaned: bool

    def __str__(self) -> str:
        where = f"{format_time(self.time):>8}  {self.site}"
        if self.orphaned:
            return (f"{where}  ORPHANED: beat {self.note.beat} is gone (last at "
                    f"{format_time(self.note.time)}): {self.note.text}")  # fmt: skip
        return f"{where}  {self.note.beat}: {self.note.text}"


def read_notes(folder: Path) -> list[tuple[Path, Note]]:
    """Every note in the ``*.json`` files of ``folder``, with the file it is in."""
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["notes"]
            notes = [_note(entry) for entry in entries]
        except (ValueError, KeyError, TypeError) as error:
            raise UserError(f"{path} is not a notes file ({error}); export it again from the "
                            "review page or mend its JSON") from None  # fmt: skip
        found += [(path, note) for note in notes]
    return found


_REQUIRED = ("id", "text", "status", "time")
"""What every note must have; the rest may be missing (a note pinned to no beat)."""


def _note(entry: dict) -> Note:
    """A note from its JSON; a missing required field is a ``KeyError`` naming it."""
    missing = [field for field in _REQUIRED if entry.get(field) is None]
    if missing:
        raise KeyError(f"a note lacks {', '.join(missing)}")
    return Note(**{field: entry.get(field) for field in Note.__dataclass_fields__})


def _beats(index: dict) -> dict[str, dict]:
    return {beat["id"]: beat for segment in index["segments"] for beat in segment.get("beats", [])}


def beat_at(index: dict, seconds: float) -> tuple[dict, dict | None, dict]:
    """The segment, the beat (the one under way, else the last begun) and the play at a time."""
    moment = locate(index, seconds)
    beats = moment.segment.get("beats", [])
    beat = next((b for b in beats if b["start"] <= seconds < b["end"]), None)
    if beat is None:
        begun = [b for b in beats if b["start"] <= seconds]
        beat = begun[-1] if begun else (beats[0] if beats else None)
    return moment.segment, beat, moment.play


def place(note: Note, source: Path, index: dict) -> PlacedNote:
    """``note`` at its beat's current place, or orphaned at its last known place."""
    beat = _beats(index).get(note.beat or "")
    if beat is None:
        return PlacedNote(note, source, note.time, note.site, orphaned=True)
    into = note.time - note.beat_start if note.beat_start is not None else 0.0
    into = min(max(into, 0.0), beat["end"] - beat["start"])
    return PlacedNote(note, source, beat["start"] + into, beat["site"], orphaned=False)


def open_notes(q: Quality, folder: Path | None = None) -> list[PlacedNote]:
    """The open notes of ``folder`` (by default ``review/``) placed in the video at ``q``."""
    index = load_index(q)
    placed = [place(note, source, index) for source, note in read_notes(folder or notes_dir())
              if note.status != "resolved"]  # fmt: skip
    return sorted(placed, key=lambda p: (p.orphaned, p.time))


def notes_report(q: Quality, folder: Path | None = None) -> list[str]:
    """The lines of ``make notes``: every open note, then how many."""
    placed = open_notes(q, folder)
    orphaned = sum(p.orphaned for p in placed)
    return [*map(str, placed), f"notes: {len(placed)} open ({orphaned} orphaned)"]


def add_note(q: Quality, time_text: str, text: str, folder: Path | None = None) -> PlacedNote:
    """Add a note at ``time_text`` to ``review/notes.json``, pinned to the beat on screen then."""
    if not text.strip():
        raise UserError('a note needs words: make note T=8:28 TEXT="what to fix"')
    seconds = parse_time(time_text)
    index = load_index(q)
    segment, beat, play = beat_at(index, seconds)
    note = Note(
        id=uuid.uuid4().hex[:12],
        text=text.strip(),
        status="open",
        time=seconds,
        beat=beat["id"] if beat else None,
        beat_start=beat["start"] if beat else None,
        segment=segment["name"],
        site=play["site"],
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
    target = (folder or notes_dir()) / TERMINAL_NOTES
    notes = [asdict(n) for source, n in read_notes(target.parent) if source == target]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, json.dumps({"version": 1, "notes": [*notes, asdict(note)]},
                                             indent=1) + "\n")  # fmt: skip
    return place(note, target, index)
