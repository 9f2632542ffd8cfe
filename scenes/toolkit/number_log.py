"""The number log: every number a scene draws as digits, by value, and each value it takes.

A number mobject (Manim's :class:`~manim.DecimalNumber` and :class:`~manim.Integer`, the
toolkit's :class:`~scenes.toolkit.counters.SteadyNumber` and step counter, the entries of a
:class:`~scenes.toolkit.decimal_column.DecimalColumn`) is recorded the first time it is on
screen: its value, the text it draws, the time, and the ``file:line`` of the play that showed it.
While it is on screen it is read at every frame; each new value is recorded with its time.
Numbers written inside a ``Text`` are text, and the text harvest records them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from manim import DecimalNumber, Mobject

from scenes.toolkit.manim_internals import number_text

__all__ = ["NumberChange", "NumberLog", "ShownNumber", "numbers_in"]


@dataclass
class NumberChange:
    """A new value of a number on screen, from ``time`` on."""

    time: float
    value: float
    text: str


@dataclass
class ShownNumber:
    """A number mobject, first on screen during play ``index``, and the values it took after."""

    kind: str
    value: float
    text: str
    index: int
    time: float
    site: str
    changes: list[NumberChange] = field(default_factory=list)
    mobject: DecimalNumber | None = field(default=None, repr=False)

    @property
    def current(self) -> float:
        """The value last recorded."""
        return self.changes[-1].value if self.changes else self.value

    def values(self) -> list[float]:
        """Every value it showed, in order: the first, then each change."""
        return [self.value, *(change.value for change in self.changes)]

    def as_json(self) -> dict[str, Any]:
        """The number as the timeline records it (without its mobject)."""
        return {
            "kind": self.kind, "value": self.value, "text": self.text, "index": self.index,
            "time": self.time, "site": self.site, "changes": [asdict(c) for c in self.changes],
        }  # fmt: skip


def numbers_in(mobjects: list[Mobject]) -> list[DecimalNumber]:
    """The number mobjects among ``mobjects`` and their parts, each once, outermost first."""
    found: dict[int, DecimalNumber] = {}

    def visit(member: Mobject) -> None:
        if isinstance(member, DecimalNumber):
            found.setdefault(id(member), member)
        else:
            for sub in member.submobjects:
                visit(sub)

    for mobject in mobjects:
        visit(mobject)
    return list(found.values())


def _value(number: DecimalNumber) -> float:
    value = number.get_value()
    return int(value) if isinstance(value, int) else float(value)


class NumberLog:
    """Every number shown so far, in the order they first appeared."""

    def __init__(self) -> None:
        self.shown: list[ShownNumber] = []
        self._by_id: dict[int, ShownNumber] = {}

    def note(self, numbers: list[DecimalNumber], index: int, time: float, site: str) -> None:
        """Read ``numbers``, on screen at ``time`` during play ``index`` called at ``site``.

        A number seen for the first time is recorded with its value; for the others, see
        :meth:`read`.
        """
        for number in numbers:
            if id(number) not in self._by_id:
                entry = ShownNumber(type(number).__name__, _value(number), number_text(number),
                                    index, time, site, mobject=number)  # fmt: skip
                self._by_id[id(number)] = entry
                self.shown.append(entry)
        self.read(numbers, time)

    def read(self, numbers: list[DecimalNumber], time: float) -> None:
        """Record the new value of each of ``numbers`` already seen whose value changed."""
        for number in numbers:
            known = self._by_id.get(id(number))
            if known is not None and _value(number) != known.current:
                known.changes.append(NumberChange(time, _value(number), number_text(number)))
