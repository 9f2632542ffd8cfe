"""Narration cut into phrases the voice says one at a time, and subtitle cues timed by them.

A beat's words are cut into sentences, and a sentence too long for one cue into clauses (at
commas, colons, semicolons and dashes), so that every phrase fits a cue of at most
:data:`MAX_LINES` lines of :data:`MAX_LINE` characters. Each phrase is synthesised on its own,
so a cue's start and end are where its phrase's audio starts and ends: the voice times the
subtitles, not a share of the beat's characters.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from nn.errors import UserError

__all__ = [
    "MAX_LINE",
    "MAX_LINES",
    "MIN_CUE",
    "READING_RATE",
    "Cue",
    "PhrasingError",
    "cues_for",
    "fits_a_cue",
    "phrases",
    "sentences",
    "wrap_cue",
]

MAX_LINE = 42
"""Characters on one subtitle line."""
MAX_LINES = 2
"""Lines of one subtitle cue."""
MIN_CUE = 1.0
"""Seconds a cue stays on screen at least."""
READING_RATE = 17.0
"""Characters per second a viewer reads comfortably: a cue stays at least this long."""

_ABBREVIATION = re.compile(r"(?:\b(?:al|e\.g|i\.e|vs|etc|Dr|Mr|Ms|Prof)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:\u2014])\s+")


class PhrasingError(UserError, ValueError):
    """Narration that cannot be cut into readable cues."""


def sentences(text: str) -> list[str]:
    """The sentences of ``text``; abbreviations and initials ("et al.", "J. C.") end none."""
    text = " ".join(text.split())
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        found.append(text[start : match.start()])
        start = match.end()
    found.append(text[start:])
    return [s for s in found if s]


def fits_a_cue(text: str) -> bool:
    """Whether ``text`` wraps into at most :data:`MAX_LINES` lines of :data:`MAX_LINE`."""
    lines = textwrap.wrap(text, MAX_LINE, break_long_words=False)
    return len(lines) <= MAX_LINES and all(len(line) <= MAX_LINE for line in lines)


def _split_words(text: str) -> list[str]:
    """``text`` cut between words into pieces that each fit a cue, as even as possible."""
    words = text.split()
    for count in range(2, len(words) + 1):
        size = -(-len(words) // count)
        pieces = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
        if all(fits_a_cue(p) for p in pieces):
            return pieces
    raise PhrasingError(f"a word longer than {MAX_LINE} characters in {text!r}")


def phrases(text: str) -> list[str]:
    """The phrases of a beat's words, in order: whole sentences, or clauses of a long one."""
    found: list[str] = []
    for sentence in sentences(text):
        if fits_a_cue(sentence):
            found.append(sentence)
            continue
        current = ""
        for clause in _CLAUSE_END.split(sentence):
            joined = f"{current} {clause}".strip()
            if fits_a_cue(joined):
                current = joined
                continue
            if current:
                found.append(current)
            if fits_a_cue(clause):
                current = clause
            else:
                *pieces, current = _split_words(clause)
                found.extend(pieces)
        found.append(current)
    return found


def wrap_cue(text: str) -> str:
    """A cue's text on at most two lines, the lines as even as the words allow."""
    if len(text) <= MAX_LINE:
        return text
    for width in range(-(-len(text) // 2), MAX_LINE + 1):
        lines = textwrap.wrap(text, width, break_long_words=False)
        if len(lines) <= MAX_LINES and all(len(line) <= MAX_LINE for line in lines):
            return "\n".join(lines)
    raise PhrasingError(f"{text!r} does not fit {MAX_LINES} lines of {MAX_LINE} characters")


@dataclass(frozen=True)
class Cue:
    """One subtitle: its text (wrapped) and its times in seconds from the beat's start."""

    start: float
    end: float
    text: str


def cues_for(phrase_texts: Sequence[str], spans: Sequence[tuple[float, float]]) -> list[Cue]:
    """Subtitle cues for phrases spoken at ``spans`` (start, end) within a beat.

    A cue starts when its phrase starts and stays until the next one starts. A phrase that
    would be on screen for less than :data:`MIN_CUE` shares its cue with the next phrase when
    both fit one cue. The last cue stays at least :data:`MIN_CUE` and long enough to be read at
    :data:`READING_RATE`, so a beat can outlast its voice by a little.
    """
    if len(phrase_texts) != len(spans):
        raise ValueError(f"{len(phrase_texts)} phrases but {len(spans)} spans")
    merged: list[tuple[str, float, float]] = []
    for text, (start, end) in zip(phrase_texts, spans, strict=True):
        if merged:
            last_text, last_start, _ = merged[-1]
            joined = f"{last_text} {text}"
            if start - last_start < MIN_CUE and fits_a_cue(joined):
                merged[-1] = (joined, last_start, end)
                continue
        merged.append((text, start, end))
    cues = []
    for n, (text, start, end) in enumerate(merged):
        if n + 1 < len(merged):
            end = merged[n + 1][1]
        else:
            end = max(end, start + MIN_CUE, start + len(text) / READING_RATE)
        cues.append(Cue(start, end, wrap_cue(text)))
    return cues
