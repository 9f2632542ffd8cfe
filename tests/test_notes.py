"""Review notes pinned to beats: placed at their beat's current time, orphaned when it is gone."""

from __future__ import annotations

import json

import pytest
from conftest import lengthened

from nn.errors import UserError
from pipeline.notes import add_note, notes_report, open_notes, read_notes


def _index() -> dict:
    """Two segments of two beats each, as the joiner writes them (times in video seconds)."""
    segments, offset = [], 0.0
    for name in ("first", "second"):
        beats = [{"id": f"{name}/a", "start": offset, "end": offset + 4.0,
                  "site": f"scenes/{name}.py:10", "text": "A."},
                 {"id": f"{name}/b", "start": offset + 4.0, "end": offset + 10.0,
                  "site": f"scenes/{name}.py:20", "text": "B."}]  # fmt: skip
        plays = [{"start": b["start"], "end": b["end"], "animations": ["FadeIn"],
                  "site": b["site"].replace("0", "1"), "beat": b["id"], "kind": "play",
                  "subcaption": None} for b in beats]  # fmt: skip
        segments.append({"name": name, "scene": name.title(), "file": f"scenes/{name}.py",
                         "offset": offset, "duration": 10.0, "plays": plays,
                         "beats": beats})  # fmt: skip
        offset += 10.0
    return {"version": 4, "quality": "tiny", "video": "gradient-descent.mp4",
            "duration": offset, "segments": segments}  # fmt: skip


@pytest.fixture
def video(tmp_path, monkeypatch):
    """A video's index at the tiny quality, and an empty review folder."""
    renders = tmp_path / "renders"
    (renders / "tiny").mkdir(parents=True)
    monkeypatch.setenv("GD_RENDERS_DIR", str(renders))
    monkeypatch.setenv("GD_REVIEW_NOTES", str(tmp_path / "review"))
    from pipeline.quality import quality

    q = quality("t")

    def write(index: dict) -> None:
        (q.directory / "gradient-descent.index.json").write_text(json.dumps(index))

    write(_index())
    return q, write


def test_a_note_from_the_terminal_is_pinned_to_the_beat_on_screen(video, tmp_path):
    q, _ = video
    placed = add_note(q, "0:15", "the arrow lacks its label")
    assert (placed.note.beat, placed.note.segment, placed.time) == ("second/b", "second", 15.0)
    assert placed.site == "scenes/second.py:20"  # the beat's words
    assert placed.note.site == "scenes/second.py:21"  # the animation on screen then
    add_note(q, "3", "too fast")
    saved = json.loads((tmp_path / "review" / "notes.json").read_text())
    assert [n["text"] for n in saved["notes"]] == ["the arrow lacks its label", "too fast"]
    assert notes_report(q)[-1] == "notes: 2 open (0 orphaned)"


def test_a_note_follows_its_beat_when_an_earlier_beat_is_lengthened(video):
    q, write = video
    add_note(q, "0:15", "the arrow lacks its label")  # 1 s into second/b
    write(lengthened(_index(), "first/a", 2.5))
    (placed,) = open_notes(q)
    assert placed.time == pytest.approx(17.5)
    assert placed.time == pytest.approx(1.0 + next(
        b["start"] for s in lengthened(_index(), "first/a", 2.5)["segments"] for b in s["beats"]
        if b["id"] == "second/b"))  # fmt: skip
    assert not placed.orphaned


def test_a_note_whose_beat_is_gone_is_orphaned_at_its_last_known_place(video):
    q, write = video
    add_note(q, "0:06", "wrong colour")
    index = _index()
    index["segments"][0]["beats"] = index["segments"][0]["beats"][:1]  # first/b is gone
    write(index)
    (placed,) = open_notes(q)
    assert placed.orphaned and placed.time == 6.0 and placed.site == "scenes/first.py:21"
    assert "ORPHANED: beat first/b is gone (last at 0:06.0)" in str(placed)


def test_a_resolved_note_is_not_listed_and_a_bad_file_is_named(video, tmp_path):
    q, _ = video
    add_note(q, "0:06", "wrong colour")
    path = tmp_path / "review" / "notes.json"
    saved = json.loads(path.read_text())
    saved["notes"][0]["status"] = "resolved"
    path.write_text(json.dumps(saved))
    assert open_notes(q) == []
    (tmp_path / "review" / "broken.json").write_text("{not json")
    with pytest.raises(UserError, match=r"broken\.json is not a notes file"):
        read_notes(tmp_path / "review")
    (tmp_path / "review" / "broken.json").write_text('{"notes": [{"id": "x", "status": "open"}]}')
    with pytest.raises(UserError, match="lacks text, time"):
        read_notes(tmp_path / "review")
    with pytest.raises(UserError, match="a note needs words"):
        add_note(q, "0:06", "  ")
