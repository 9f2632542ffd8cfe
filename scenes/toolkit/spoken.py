"""How the voice says a sentence: the pronunciation lexicon and numbers in words.

The subtitles show the narration as written; the voice is given its *spoken form*, made here
from the repository's lexicon (``assets/narration/lexicon.toml``) and a reading of numbers
(``13,002`` -> "thirteen thousand and two", with num2words).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from num2words import num2words

from nn.data import REPO_ROOT
from nn.errors import UserError

__all__ = [
    "LEXICON",
    "Lexicon",
    "LexiconError",
    "say_number",
    "say_numbers",
]

LEXICON = REPO_ROOT / "assets" / "narration" / "lexicon.toml"

_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_DECIMAL = rf"(?:{_NUMBER})(?:\.\d+)?"
_NUMBER_CHAIN = re.compile(rf"(?<![\w.]){_DECIMAL}(?:-{_DECIMAL})+(?![\w])")
_YEAR = re.compile(r"(?<![\w.,])(19\d\d|20\d\d)(?![\w,]|\.\d)")
_ANY_NUMBER = re.compile(rf"(?<![\w]){_DECIMAL}")
_ALL_CAPS = re.compile(r"^[A-Z]{2,}s?$")
_SPEAKABLE = re.compile(r"[A-Za-z0-9\s.,;:!?'\"()\-]")


class LexiconError(UserError, ValueError):
    """A lexicon file that cannot be read."""


def say_number(text: str) -> str:
    """A number as written (``13,002``, ``0.038``, ``3.0``) in words.

    Decimals are read digit by digit after "point", as people read figures aloud.
    """
    whole, _, fraction = text.replace(",", "").partition(".")
    words = num2words(int(whole))
    if fraction:
        words += " point " + " ".join(_DIGIT_WORDS[int(d)] for d in fraction)
    return words


def say_numbers(text: str) -> str:
    """Every number of ``text`` in words: chains like ``784-16-16-10``, years, the rest."""
    text = _NUMBER_CHAIN.sub(lambda m: ", ".join(say_number(n) for n in m.group().split("-")), text)
    text = _YEAR.sub(lambda m: num2words(int(m.group()), to="year"), text)
    return _ANY_NUMBER.sub(lambda m: say_number(m.group()), text)


@dataclass(frozen=True)
class Lexicon:
    """Spoken forms of words and symbols that the voice would otherwise get wrong."""

    words: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def load(cls, path: Path = LEXICON) -> Lexicon:
        """Read the lexicon at ``path``; an absent file is an empty lexicon."""
        if not path.exists():
            return cls(path=path)
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            words = {str(k): str(v) for k, v in table.get("words", {}).items()}
            symbols = {str(k): str(v) for k, v in table.get("symbols", {}).items()}
        except (tomllib.TOMLDecodeError, AttributeError) as error:
            raise LexiconError(f"{path}: {error}; fix the file (see its header)") from error
        if long := [s for s in symbols if len(s) != 1]:
            raise LexiconError(f"{path}: [symbols] keys must be one character, not {long}")
        return cls(words, symbols, path)

    def _word_pattern(self) -> re.Pattern[str] | None:
        if not self.words:
            return None
        keys = sorted(self.words, key=len, reverse=True)
        return re.compile("|".join(rf"(?<!\w){re.escape(k)}(?!\w)" for k in keys))

    def spoken(self, text: str) -> str:
        """The spoken form of ``text``: lexicon words, then numbers, then symbols."""
        pattern = self._word_pattern()
        if pattern:
            text = pattern.sub(lambda m: self.words[m.group()], text)
        text = say_numbers(text)
        text = "".join(self.symbols.get(c, c) for c in text)
        return " ".join(text.split())

    def uncovered(self, text: str) -> list[tuple[str, str]]:
        """``(word, why)`` for what the voice may say wrong: the review's candidates.

        Words the lexicon covers and numbers are left out. What remains is every word (for the
        caller's dictionary check, why ``"word"``), every all-capitals word (why
        ``"letters"``: the voice would spell it out) and every character the voice has no
        spoken form for (why ``"symbol"``).
        """
        pattern = self._word_pattern()
        if pattern:
            text = pattern.sub(" ", text)
        text = _ANY_NUMBER.sub(" ", text)
        found: list[tuple[str, str]] = []
        for char in dict.fromkeys(text):
            if not _SPEAKABLE.match(char) and char not in self.symbols:
                found.append((char, "symbol"))
        for word in dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z']*", text.replace("\u2019", "'"))):
            word = word.strip("'")
            found.append((word, "letters" if _ALL_CAPS.match(word) else "word"))
        return found
