"""Sentences that state a fact about the data, each built by a function that checks the trace.

Every beat declares what its words are. Plain ``str`` words state no fact about the data: what
they say holds whatever the traces hold (the numbers in them are read from the traces, not
judged). A :class:`Fact` states one: a checking function, decorated with
:func:`checks_the_data`, looks at the trace and returns the sentence the data supports with the
figures it measured, or refuses the build with :class:`ClaimError`, one line that names the
sentence and what the data says instead. The timeline records each beat's check and evidence;
``make script`` prints them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec

from nn.errors import UserError

__all__ = ["ClaimError", "Fact", "Words", "checks_the_data", "refuse", "words_of_beat"]

P = ParamSpec("P")


@dataclass(frozen=True)
class Fact:
    """A sentence about the data, the name of the check that built it, and what it measured."""

    text: str
    check: str
    evidence: str

    def __str__(self) -> str:
        return self.text


Words = str | Fact
"""A beat's words: a plain sentence, or a :class:`Fact` about the data."""


class ClaimError(UserError, ValueError):
    """The data does not back a sentence the scene would say."""


def refuse(sentence: str, evidence: str, fix: str) -> ClaimError:
    """The error for ``sentence`` when the data says ``evidence``; raise it."""
    return ClaimError(f'the data does not back "{sentence}": {evidence}. {fix}')


def checks_the_data(check: Callable[P, tuple[str, str]]) -> Callable[P, Fact]:
    """Make ``check``, which returns ``(sentence, evidence)`` or raises, a builder of Facts."""

    @functools.wraps(check)
    def build(*args: P.args, **kwargs: P.kwargs) -> Fact:
        text, evidence = check(*args, **kwargs)
        return Fact(text, check.__name__, evidence)

    return build


def words_of_beat(words: Words) -> tuple[str, dict[str, str] | None]:
    """The text to speak and, for a Fact, its check and evidence as the timeline records them."""
    if isinstance(words, Fact):
        return words.text, {"check": words.check, "evidence": words.evidence}
    return words, None
