"""The environment fingerprint: equal on one machine, and every difference named."""

from pipeline.fingerprint import (
    VOICE_CACHE,
    differences,
    environment_fingerprint,
    folder_digests,
)


def _fingerprint(monkeypatch, traces, voice):
    monkeypatch.setenv("GD_TRACES_DIR", str(traces))
    monkeypatch.setenv("GD_VOICE_CACHE", str(voice))
    return environment_fingerprint()


def test_one_machine_has_no_differences_and_a_changed_trace_is_named(tmp_path, monkeypatch):
    traces, voice = tmp_path / "traces", tmp_path / "voice"
    traces.mkdir()
    (voice / "phrases").mkdir(parents=True)
    (traces / "cost.npz").write_bytes(b"one")
    here = _fingerprint(monkeypatch, traces, voice)
    assert differences(here, _fingerprint(monkeypatch, traces, voice)) == []
    (traces / "cost.npz").write_bytes(b"two")
    found = differences(here, _fingerprint(monkeypatch, traces, voice))
    assert len(found) == 1 and found[0].startswith("traces: ")


def test_voice_files_held_on_both_machines_must_agree_but_missing_ones_are_made_again(
    tmp_path, monkeypatch
):
    traces, voice = tmp_path / "traces", tmp_path / "voice"
    traces.mkdir()
    (voice / "phrases").mkdir(parents=True)
    (voice / "phrases" / "a.wav").write_bytes(b"a")
    (voice / "phrases" / "b.wav").write_bytes(b"b")
    here = _fingerprint(monkeypatch, traces, voice)
    (voice / "phrases" / "b.wav").unlink()
    assert differences(here, _fingerprint(monkeypatch, traces, voice)) == []
    (voice / "phrases" / "a.wav").write_bytes(b"said otherwise")
    found = differences(here, _fingerprint(monkeypatch, traces, voice))
    assert found == [f"{VOICE_CACHE}: 1 file(s) differ, e.g. phrases/a.wav"]


def test_a_different_version_or_a_missing_part_is_named_with_both_values():
    here = {"manim": "0.22.0", "tex": "pdfTeX 3.14", VOICE_CACHE: {}}
    there = {"manim": "0.21.0", VOICE_CACHE: {}}
    assert differences(here, there) == [
        "manim: 0.22.0 here, 0.21.0 there",
        "tex: pdfTeX 3.14 here, None there",
    ]


def test_a_file_gone_between_listing_and_reading_is_left_out(tmp_path):
    (tmp_path / "kept.wav").write_bytes(b"k")
    assert list(folder_digests(tmp_path, ["kept.wav", "renamed.part"])) == ["kept.wav"]
