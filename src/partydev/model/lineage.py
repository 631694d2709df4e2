"""Dated changes to units: rename, move, merge, split, establish, dissolve.

Units change during a term: in 2025 provinces were merged, the district level
was abolished and communes re-created; grassroots organisations move between
parents.  The units of a ledger describe each unit as first known; the events
here say what changed and when (an event takes effect *on* its date).  A
:class:`Lineage` answers the hierarchy as of any date and which unit carries
the figures of a unit that no longer exists, so that a term's totals can be
computed across predecessor units.

>>> from datetime import date
>>> from partydev.model.units import Unit
>>> units = [Unit("a", "A", "grassroots"), Unit("b", "B", "grassroots")]
>>> lineage = Lineage(units, [Merge(date(2025, 7, 1), ("a",), "b")])
>>> lineage.carrier("a", date(2025, 12, 31)), lineage.carrier("a", date(2024, 1, 1))
('b', 'a')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TypeAlias

import attrs

from ..errors import InconsistentDataError, UnknownReferenceError, ValidationError
from ..numbers import nfc
from .units import Hierarchy, Unit, UnitTable

__all__ = [
    "Dissolve",
    "Establish",
    "Lineage",
    "Merge",
    "Move",
    "Rename",
    "Split",
    "UnitEvent",
]


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class Rename:
    """From *date* on, *unit* is called *name*."""

    date: date
    unit: str
    name: str = attrs.field(converter=nfc)
    kind = "rename"


@attrs.frozen
class Move:
    """From *date* on, *unit* sits under *parent* (``None``: it becomes a top unit)."""

    date: date
    unit: str
    parent: str | None
    kind = "move"


@attrs.frozen
class Merge:
    """On *date*, the *sources* cease and their figures pass to *into*.

    *into* may be one of the sources' peers that continues, or a unit
    established on that date.
    """

    date: date
    sources: tuple[str, ...] = attrs.field(converter=_ids)
    into: str

    kind = "merge"

    def __attrs_post_init__(self) -> None:
        if not self.sources:
            raise ValidationError("a merge needs at least one source", field="sources")
        if self.into in self.sources:
            raise ValidationError("a unit cannot merge into itself", unit=self.into, field="into")


@attrs.frozen
class Split:
    """On *date*, *source* ceases and the units *into* take over its work.

    Figures recorded before the split cannot be divided among the successors
    from the counts alone; they pass to *heir* when one is named, and are
    otherwise carried by no unit (a report lists them as unattributed).
    """

    date: date
    source: str
    into: tuple[str, ...] = attrs.field(converter=_ids)
    heir: str | None = None
    kind = "split"

    def __attrs_post_init__(self) -> None:
        if self.heir is not None and self.heir not in self.into:
            raise ValidationError(
                "the heir must be one of the successors", unit=self.source, field="heir"
            )


@attrs.frozen
class Establish:
    """*unit* exists from *date* on (before that it is not in the hierarchy)."""

    date: date
    unit: str
    kind = "establish"


@attrs.frozen
class Dissolve:
    """*unit* ceases on *date*; its figures stay its own and are carried by no one."""

    date: date
    unit: str
    kind = "dissolve"


UnitEvent: TypeAlias = Rename | Move | Merge | Split | Establish | Dissolve
"""Any dated change to a unit."""


def event_units(event: UnitEvent) -> tuple[str, ...]:
    """Every unit id an event refers to (for reference checks)."""
    if isinstance(event, Merge):
        return (*event.sources, event.into)
    if isinstance(event, Split):
        return (event.source, *event.into)
    if isinstance(event, Move) and event.parent is not None:
        return (event.unit, event.parent)
    return (event.unit,)


def _event_tuple(events: Iterable[UnitEvent]) -> tuple[UnitEvent, ...]:
    return tuple(events)


def _units(units: Iterable[Unit]) -> UnitTable:
    return UnitTable.from_records(units)


@attrs.frozen(eq=False)
class Lineage:
    """Units plus their dated events, answerable as of any date.

    Args:
        units: Every unit that ever existed, as first known.
        events: The dated events, in any order (applied in date order, then
            in the order given).

    Raises:
        UnknownReferenceError: an event names a unit that is not among *units*.
        InconsistentDataError: a unit ceases twice, or is established after it ceased.
    """

    units: UnitTable = attrs.field(converter=_units)
    events: tuple[UnitEvent, ...] = attrs.field(converter=_event_tuple, default=())
    _start: Mapping[str, date] = attrs.field(init=False, repr=False)
    _end: Mapping[str, date] = attrs.field(init=False, repr=False)
    _next: Mapping[str, str | None] = attrs.field(init=False, repr=False)
    _sorted: tuple[UnitEvent, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        known = set(self.units.ids)
        start: dict[str, date] = {}
        end: dict[str, date] = {}
        successor: dict[str, str | None] = {}

        def cease(unit_id: str, when: date, then: str | None, position: int) -> None:
            if unit_id in end:
                raise InconsistentDataError(
                    "a unit ceases twice",
                    unit=unit_id,
                    field="date",
                    value=when.isoformat(),
                    path=f"events[{position}]",
                )
            end[unit_id] = when
            successor[unit_id] = then

        numbered = sorted(enumerate(self.events), key=lambda item: item[1].date)
        ordered = tuple(event for _, event in numbered)
        for position, event in numbered:
            for unit_id in event_units(event):
                if unit_id not in known:
                    raise UnknownReferenceError(
                        f"a {event.kind} event on {event.date.isoformat()} names an unknown unit",
                        unit=unit_id,
                        field="unit",
                        value=unit_id,
                        path=f"events[{position}]",
                    )
            if isinstance(event, Establish):
                start[event.unit] = event.date
            elif isinstance(event, Merge):
                for source in event.sources:
                    cease(source, event.date, event.into, position)
            elif isinstance(event, Split):
                cease(event.source, event.date, event.heir, position)
            elif isinstance(event, Dissolve):
                cease(event.unit, event.date, None, position)
        for unit_id, began in start.items():
            if unit_id in end and end[unit_id] <= began:
                raise InconsistentDataError(
                    "a unit ceases before it is established",
                    unit=unit_id,
                    field="date",
                    value=end[unit_id].isoformat(),
                )
        # Plain dicts: private and never handed out (a mappingproxy cannot be pickled).
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_next", successor)
        object.__setattr__(self, "_sorted", ordered)

    def active(self, unit_id: str, on: date) -> bool:
        """Whether *unit_id* exists on the date *on*."""
        began = self._start.get(unit_id)
        ended = self._end.get(unit_id)
        return (began is None or began <= on) and (ended is None or on < ended)

    def carrier(self, unit_id: str, on: date) -> str | None:
        """The unit that carries *unit_id*'s figures on *on*: itself while it exists,
        then its merge target or split heir (followed further if that ceased too),
        or ``None`` when the figures pass to no one."""
        current: str | None = unit_id
        seen: set[str] = set()
        while current is not None:
            ended = self._end.get(current)
            if ended is None or on < ended:
                return current
            if current in seen:  # pragma: no cover - ceasing twice is rejected
                return None
            seen.add(current)
            current = self._next.get(current)
        return None

    def carriers(self, on: date) -> dict[str, str | None]:
        """:meth:`carrier` for every unit at once, in O(units)."""
        memo: dict[str, str | None] = {}

        def resolve(unit_id: str) -> str | None:
            path: list[str] = []
            current: str | None = unit_id
            result: str | None = None
            while current is not None:
                if current in memo:
                    result = memo[current]
                    break
                ended = self._end.get(current)
                if ended is None or on < ended:
                    result = current
                    break
                path.append(current)
                current = self._next.get(current)
            for item in path:
                memo[item] = result
            if current is not None and current not in memo:
                memo[current] = result
            return result

        return {unit_id: resolve(unit_id) for unit_id in self.units.ids}

    def predecessors(self, unit_id: str, on: date) -> tuple[str, ...]:
        """Units whose figures *unit_id* carries on *on* (excluding itself)."""
        carried = self.carriers(on)
        return tuple(other for other, carrier in carried.items() if carrier == unit_id != other)

    def hierarchy(self, on: date) -> Hierarchy:
        """The hierarchy of the units that exist on *on*, with names and parents as of then.

        Raises:
            InconsistentDataError: an existing unit's parent does not exist on that date.
        """
        table = self.units
        names = dict(zip(table.ids, table.names, strict=True))
        parents = dict(zip(table.ids, table.parents, strict=True))
        for event in self._sorted:
            if event.date > on:
                break
            if isinstance(event, Rename):
                names[event.unit] = event.name
            elif isinstance(event, Move):
                parents[event.unit] = event.parent
        alive = [i for i, unit_id in enumerate(table.ids) if self.active(unit_id, on)]
        for i in alive:
            unit_id = table.ids[i]
            parent = parents[unit_id]
            if parent is not None and not self.active(parent, on):
                raise InconsistentDataError(
                    f"on {on.isoformat()} the parent does not exist",
                    unit=unit_id,
                    field="parent",
                    value=parent,
                )
        ids = [table.ids[i] for i in alive]
        levels = table.levels
        # Checked by Unit's rules, as each renamed or moved unit must be.
        return Hierarchy(
            UnitTable.from_columns(
                ids=ids,
                names=[names[u] for u in ids],
                levels=[levels[i] for i in alive],
                parents=[parents[u] for u in ids],
            )
        )
