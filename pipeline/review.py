"""``make review``: draft checks that catch what reviewers catch, before anyone watches.

Over every segment of the last built video it checks
- the spelling of every on-screen string (Text, MarkupText, the words of Tex outside math)
  and of every subtitle, against English dictionaries (hunspell, en_US and en_GB) plus the
  project's word list ``scenes/words.txt``;
- anchored mobjects (labels, counters, tags) that move while they should stay put, as
  measured at every frame of the render;
- text that reaches past the edge of the frame;
- the layout, as measured while each scene rendered (:mod:`scenes.toolkit.layout_check`):
  overlapping text, text too small or too near the edge, labels away from what they name, and,
  in segments the manifest marks ``taught``, text that changes before its time to read (the
  others' are listed as to come); and the declared exceptions, each with its reason, at most
  :data:`MAX_LAYOUT_EXCEPTIONS`;
- words that do not belong in a classroom video;
- words of the narration that the voice may say wrong: all-capital words it would spell out
  letter by letter, words the dictionaries lack, and symbols, unless the pronunciation lexicon
  ``assets/narration/lexicon.toml`` covers them (the render lists them per beat);
- the pace (:mod:`pipeline.pace`): subtitle cues a viewer can read, no silence over 4 s
  without a declared reason, and beats whose animations last as long as their voice.
Each finding is printed with its timecode and the ``file:line`` to edit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import srt

from nn.errors import UserError
from pipeline.findings import Finding
from pipeline.join import build_index, joined_video
from pipeline.manifest import REPO_ROOT, Segment
from pipeline.pace import pace_findings, pace_summary
from pipeline.quality import Quality
from pipeline.render import segment_timeline, segment_video
from pipeline.where import format_time, load_index, locate

__all__ = [
    "ANCHOR_TOLERANCE",
    "CLASSROOM_WORDS",
    "DICTIONARIES",
    "LEXICON_FILE",
    "MAX_LAYOUT_EXCEPTIONS",
    "TOO_SHORT",
    "WORD_LIST",
    "ReviewError",
    "declared_exceptions",
    "layout_exceptions",
    "layout_findings",
    "misspelled",
    "project_words",
    "pronunciation_findings",
    "read_subtitles",
    "read_time_to_come",
    "review",
    "review_index",
    "review_pace",
    "video_pace",
    "words_in",
]

WORD_LIST = REPO_ROOT / "scenes" / "words.txt"
LEXICON_FILE = "assets/narration/lexicon.toml"
_UNSPOKEN = {
    "letters": "the voice would spell it out letter by letter",
    "word": "the dictionaries lack it and the lexicon does not cover it",
    "symbol": "the voice has no word for it",
}
DICTIONARIES = "en_US,en_GB"
MAX_LAYOUT_EXCEPTIONS = 5
"""Declared layout exceptions the whole video may hold."""
TOO_SHORT = "too short to read"
"""The timeline's kind of layout finding for a text that changes before its time to read."""
ANCHOR_TOLERANCE = 1e-3
CLASSROOM_WORDS = frozenset(
    {"crap", "crappy", "damn", "damned", "sucks", "stupid", "idiot", "idiotic", "dumb",
     "shit", "shitty", "hell", "wtf", "pissed", "freaking", "bloody"}
)  # fmt: skip


class ReviewError(UserError, RuntimeError):
    """The review cannot run (no spell checker, no video)."""


def words_in(kind: str, text: str) -> list[str]:
    """The words of an on-screen string, without TeX math, commands or markup."""
    if kind in ("MathTex", "SingleStringMathTex"):
        return []
    if kind == "Tex":
        text = re.sub(r"\$\$.*?\$\$|\$.*?\$|\\\[.*?\\\]|\\\(.*?\\\)", " ", text, flags=re.S)
        text = re.sub(r"\\[A-Za-z]+\*?", " ", text).replace("{", " ").replace("}", " ")
    if kind == "MarkupText":
        text = re.sub(r"<[^>]*>", " ", text)
    text = text.replace("\u2019", "'")
    return [w.strip("'") for w in re.findall(r"\b[A-Za-z][A-Za-z']*", text) if w.strip("'")]


def project_words(path: Path = WORD_LIST) -> set[str]:
    """The project's own accepted words, lower-cased."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {w.strip().lower() for w in lines if w.strip() and not w.startswith("#")}


def misspelled(words: set[str], extra: set[str]) -> set[str]:
    """The words of ``words`` that neither the dictionaries nor ``extra`` know."""
    if not shutil.which("hunspell"):
        raise ReviewError("hunspell is not installed; run `make system`")
    unknown = subprocess.run(
        ["hunspell", "-d", DICTIONARIES, "-l"],
        input="\n".join(sorted(words)), capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return {w for w in unknown if w.lower() not in extra}


def review_index(index: dict, subtitles: list[srt.Subtitle], extra: set[str]) -> list[Finding]:
    """Every finding of the three checks over an index and the video's subtitles."""
    shown: list[tuple[float, str, str, str]] = []  # time, site, what, text
    for segment in index["segments"]:
        for entry in segment["texts"]:
            shown.append((entry["time"], entry["site"], entry["kind"], entry["text"]))
    for cue in subtitles:
        start = cue.start.total_seconds()
        site = locate(index, min(start, index["duration"])).play["site"]
        shown.append((start, site, "subtitle", cue.content))

    words_by_entry = [(entry, words_in(entry[2], entry[3])) for entry in shown]
    unknown = misspelled({w for _, ws in words_by_entry for w in ws}, extra)
    findings = []
    for (time, site, what, text), words in words_by_entry:
        for word in dict.fromkeys(words):
            if word in unknown:
                findings.append(Finding(time, site, "spelling", f"{word!r} in {what} {text!r}"))
            if word.lower() in CLASSROOM_WORDS:
                findings.append(Finding(time, site, "classroom", f"{word!r} in {what} {text!r}"))
    for segment in index["segments"]:
        plays = segment["plays"]
        for anchor in segment["anchors"]:
            if anchor["max_drift"] > ANCHOR_TOLERANCE:
                during = plays[min(anchor["first_drift_index"], len(plays) - 1)]["site"]
                findings.append(Finding(
                    anchor["first_drift_time"], anchor["site"], "anchor",
                    f"{anchor['name']!r} moves by up to {anchor['max_drift']:.3f} units "
                    f"along {anchor['axes']}, first during {during} (anchored, must stay put)",
                ))  # fmt: skip
        findings += pronunciation_findings(segment.get("beats", []))
        for entry in segment["off_screen"]:
            findings.append(Finding(
                entry["time"], entry["site"], "off screen",
                f"{entry['kind']} {entry['text']!r} reaches {entry['overflow']:.2f} units past "
                "the edge of the frame",
            ))  # fmt: skip
    findings += layout_findings(index)
    findings += pace_findings(index, subtitles)
    return sorted(set(findings))


def layout_findings(index: dict) -> list[Finding]:
    """The layout faults measured while the segments rendered, and too many exceptions."""
    findings = []
    for segment in index["segments"]:
        for entry in segment["layout"]:
            if entry["kind"] == TOO_SHORT and not segment.get("taught", False):
                continue  # listed by read_time_to_come
            made = f" (made at {', '.join(entry['made_at'])})" if entry["made_at"] else ""
            findings.append(Finding(entry["time"], entry["site"], f"layout: {entry['kind']}",
                                    f"{entry['what']}: {entry['detail']}{made}"))  # fmt: skip
    exceptions = layout_exceptions(index)
    if len(exceptions) > MAX_LAYOUT_EXCEPTIONS:
        sites = ", ".join(e["site"] for e in exceptions)
        findings.append(Finding(0.0, exceptions[0]["site"], "layout: exceptions",
                                f"{len(exceptions)} declared layout exceptions, at most "
                                f"{MAX_LAYOUT_EXCEPTIONS} allowed: {sites}"))  # fmt: skip
    return findings


def read_time_to_come(index: dict) -> list[str]:
    """One line per segment not yet written to the teaching rules, with its too-short texts.

    The rule that a new text stays still for its time to read holds for segments marked
    ``taught`` in the manifest; the others are listed here until they are rewritten.
    """
    lines = []
    for segment in index["segments"]:
        short = [e for e in segment["layout"] if e["kind"] == TOO_SHORT]
        if short and not segment.get("taught", False):
            lines.append(f"read time to come in {segment['name']} (not taught yet): "
                         f"{len(short)} text(s) shown too briefly, first {short[0]['what']!r} "
                         f"at {format_time(short[0]['time'])}")  # fmt: skip
    return lines


def layout_exceptions(index: dict) -> list[dict]:
    """Every declared layout exception of the video, with its segment, kind and reason."""
    return [{**e, "segment": s["name"]} for s in index["segments"] for e in s["layout_exceptions"]]


def pronunciation_findings(beats: list[dict]) -> list[Finding]:
    """Narration words of ``beats`` that the voice may say wrong, with the fix."""
    candidates = {w for beat in beats for w, why in beat.get("unspoken", []) if why == "word"}
    unknown = misspelled(candidates, set()) if candidates else set()
    findings = []
    for beat in beats:
        for word, why in beat.get("unspoken", []):
            if why == "word" and word not in unknown:
                continue
            section = "[symbols]" if why == "symbol" else "[words]"
            findings.append(Finding(
                beat["start"], beat["site"], "pronunciation",
                f"{word!r} in beat {beat['id']}: {_UNSPOKEN[why]}; give its spoken form in "
                f"{section} of {LEXICON_FILE}",
            ))  # fmt: skip
    return findings


def review(q: Quality) -> list[Finding]:
    """Review the last built video at quality ``q``."""
    return review_index(load_index(q), read_subtitles(joined_video(q)), project_words())


def declared_exceptions(q: Quality) -> list[str]:
    """The declared layout exceptions of the last built video at quality ``q``, one a line.

    Then one line per segment whose time to read is still to come.
    """
    index = load_index(q)
    return [
        *(f"layout exception {e['segment']} {e['site']}: {e['kind']} of {e['what']!r}: "
          f"{e['reason']}" for e in layout_exceptions(index)),
        *read_time_to_come(index),
    ]  # fmt: skip


def video_pace(q: Quality) -> list[str]:
    """The pace of the last built video at quality ``q``: subtitle speeds and long silences."""
    return pace_summary(load_index(q), read_subtitles(joined_video(q)))


def review_pace(segment: Segment, q: Quality) -> tuple[list[Finding], list[str]]:
    """The pace findings and summary of one rendered segment at quality ``q`` (its own times)."""
    timeline = segment_timeline(segment, q)
    if not timeline.exists():
        raise ReviewError(
            f"{segment.name} is not rendered at {q.folder}: make scene S={segment.name}"
        )
    duration = json.loads(timeline.read_text(encoding="utf-8"))["duration"]
    index = build_index([segment], q, [duration])
    subtitles = read_subtitles(segment_video(segment, q))
    return pace_findings(index, subtitles), pace_summary(index, subtitles)


def read_subtitles(video: Path) -> list[srt.Subtitle]:
    """The subtitles beside ``video`` (none when it has no ``.srt``)."""
    path = video.with_suffix(".srt")
    return list(srt.parse(path.read_text(encoding="utf-8"))) if path.exists() else []
