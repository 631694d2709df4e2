"""Organisational units and their hierarchy.

A :class:`Unit` is a party organisation at some :class:`Level` (province,
district, bloc, grassroots organisation, cell) with an optional parent.  A
:class:`Hierarchy` indexes a set of units once, rejects duplicate ids, unknown
parents and cycles, and then answers children, ancestors, descendants and
depth in time proportional to the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from itertools import groupby, repeat
from operator import attrgetter, itemgetter
from types import MappingProxyType

import attrs

from ..errors import CycleError, DuplicateError, UnknownReferenceError, ValidationError
from ..labels import label
from ..numbers import check_locale, nfc

__all__ = ["BUILTIN_LEVELS", "DeclaredLevel", "Hierarchy", "Level", "Unit"]


class Level(StrEnum):
    """The level of a unit; :attr:`tier` orders levels from the top (0) down.

    A city (*thành phố thuộc tỉnh*) and a bloc (*đảng bộ khối*) sit at the same
    tier as a district: directly under the province.
    """

    NATION = "nation"
    PROVINCE = "province"
    DISTRICT = "district"
    CITY = "city"
    BLOC = "bloc"
    GRASSROOTS = "grassroots"
    CELL = "cell"

    @property
    def tier(self) -> int:
        """0 for the nation, 1 for provinces, 2 for districts/cities/blocs, 3, 4 below."""
        return _TIERS[self]

    def label(self, locale: str = "vi") -> str:
        """The level's built-in name in *locale* (``"Đảng bộ khối"``, ``"Bloc"``)."""
        return label(self.value, locale)


_TIERS: dict[Level, int] = {
    Level.NATION: 0,
    Level.PROVINCE: 1,
    Level.DISTRICT: 2,
    Level.CITY: 2,
    Level.BLOC: 2,
    Level.GRASSROOTS: 3,
    Level.CELL: 4,
}
_BUILTIN_BY_ID: dict[str, Level] = {level.value: level for level in Level}


BUILTIN_LEVELS: tuple[Level, ...] = tuple(Level)
"""The levels every ledger knows, from the top down; a ledger may declare more."""


def _to_level(value: Level | DeclaredLevel | str) -> Level | DeclaredLevel:
    if type(value) is str and value in _BUILTIN_BY_ID:  # the common case, without Enum's call
        return _BUILTIN_BY_ID[value]
    if isinstance(value, Level | DeclaredLevel):
        return value
    try:
        return Level(value)
    except ValueError:
        choices = ", ".join(level.value for level in Level)
        raise ValidationError(
            f"unknown level; use one of {choices}, or declare it in the ledger's levels",
            field="level",
            value=value,
        ) from None


def _check_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("an id must be non-empty text", field=attribute.name, value=value)


def _check_name(instance: Unit, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValidationError("a unit needs a name", unit=instance.id, field="name", value=value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("must be text", value=value)
    return nfc(value)


def _optional_id(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("an id must be text", field="parent", value=value)
    return value


def _check_tier(instance: DeclaredLevel, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("a tier is a whole number, 0 at the top", field="tier", value=value)
    builtin = _BUILTIN_BY_ID.get(instance.id)
    if builtin is not None and value != builtin.tier:
        raise ValidationError(
            f"the built-in level {instance.id!r} keeps its tier {builtin.tier};"
            " a ledger may only rename it",
            field="tier",
            value=value,
        )


def _check_label(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValidationError("a level needs a name", field=attribute.name, value=value)


@attrs.frozen
class DeclaredLevel:
    """A level a ledger declares: its own id, names and tier.

    The built-in :class:`Level` list is the default; a ledger may add levels
    (a province's police and military party committees, *Đảng bộ Công an
    tỉnh*, *Đảng bộ Quân sự tỉnh*, directly under the province at tier 2) or
    rename a built-in one (keeping its tier).  Like a :class:`Level`, a
    declared level has a :attr:`value` (its id), a :attr:`tier` and a
    :meth:`label`.

    Args:
        id: The code units and reports use (``"cong-an-tinh"``).
        label_vi: The Vietnamese name.
        label_en: The English name.
        tier: 0 at the top; a unit's tier orders it for ``level=`` selections.
            A renamed built-in level keeps its tier, which is the default.
    """

    id: str = attrs.field(validator=_check_id)
    label_vi: str = attrs.field(converter=_text, validator=_check_label)
    label_en: str = attrs.field(converter=_text, validator=_check_label)
    tier: int = attrs.field(validator=_check_tier)

    @tier.default
    def _builtin_tier(self) -> int:
        builtin = _BUILTIN_BY_ID.get(self.id)
        if builtin is None:
            raise ValidationError("a new level needs a tier", field="tier", value=self.id)
        return builtin.tier

    @property
    def value(self) -> str:
        """The id, as :attr:`Level.value` is a built-in level's id."""
        return self.id

    def label(self, locale: str = "vi") -> str:
        """The name in *locale*."""
        return self.label_vi if check_locale(locale) == "vi" else self.label_en


@attrs.frozen
class Unit:
    """A party organisation.

    Args:
        id: A stable identifier, unique in the ledger (``"quang-nam"``).
        name: The name as written, NFC-normalised (``"Đảng bộ tỉnh Quảng Nam"``).
        level: A :class:`Level` or its value (``"province"``), or a
            :class:`DeclaredLevel` (the ledger's loader passes the declared
            level for its id).
        parent: The id of the unit directly above, or ``None`` for a top unit.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_name)
    level: Level | DeclaredLevel = attrs.field(converter=_to_level)
    parent: str | None = attrs.field(default=None, converter=_optional_id)

    def __attrs_post_init__(self) -> None:
        if self.parent == self.id:
            raise CycleError("a unit cannot be its own parent", unit=self.id, field="parent")


def _unit_tuple(units: Iterable[Unit]) -> tuple[Unit, ...]:
    return tuple(units)


@attrs.frozen(eq=False)
class Hierarchy:
    """An indexed, validated tree (or forest) of units.

    Construction is O(n); :meth:`order` (parents before children, siblings
    in the order given) is computed once and reused by reports.

    Raises:
        DuplicateError: two units share an id.
        UnknownReferenceError: a parent id is not among the units.
        CycleError: following parents leads back to a unit; the message lists the cycle.
    """

    units: tuple[Unit, ...] = attrs.field(converter=_unit_tuple)
    _by_id: Mapping[str, Unit] = attrs.field(init=False, repr=False)
    _children: Mapping[str | None, tuple[str, ...]] = attrs.field(init=False, repr=False)
    _order: tuple[str, ...] = attrs.field(init=False, repr=False)
    _depth: Mapping[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        units = self.units
        ids = list(map(_id_of, units))
        by_id = dict(zip(ids, units, strict=True))
        if len(by_id) != len(units):
            raise _duplicate_error(ids)
        parents = list(map(_parent_of, units))
        if not by_id.keys() >= set(parents) - {None}:
            raise _unknown_parent_error(units, by_id)
        children: dict[str | None, list[str]] = {}
        pairs = zip(parents, ids, strict=True)
        for parent, run in groupby(pairs, itemgetter(0)):  # a step per run of siblings
            children.setdefault(parent, []).extend(map(itemgetter(1), run))
        order: list[str] = []
        depth: dict[str, int] = dict.fromkeys(children.get(None, []), 0)
        stack = list(reversed(children.get(None, [])))
        while stack:
            unit_id = stack.pop()
            order.append(unit_id)
            below = children.get(unit_id)
            if below:  # most units (cells) have none
                depth.update(zip(below, repeat(depth[unit_id] + 1)))
                if children.keys().isdisjoint(below):
                    order.extend(below)  # leaves only: they follow in the order given
                else:
                    stack.extend(reversed(below))
        if len(order) != len(by_id):
            raise _cycle_error(by_id, set(depth))
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        frozen = {key: tuple(value) for key, value in children.items()}
        object.__setattr__(self, "_children", MappingProxyType(frozen))
        object.__setattr__(self, "_order", tuple(order))
        object.__setattr__(self, "_depth", MappingProxyType(depth))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        return self.units == other.units

    def __hash__(self) -> int:
        return hash(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[str]:
        """Every unit id, parents before children (as :meth:`order`)."""
        return iter(self._order)

    def __getitem__(self, unit_id: str) -> Unit:
        return self.get(unit_id)

    def get(self, unit_id: str) -> Unit:
        """The unit *unit_id*; :class:`UnknownReferenceError` if there is none."""
        try:
            return self._by_id[unit_id]
        except KeyError:
            raise UnknownReferenceError("no such unit", unit=unit_id) from None

    @property
    def roots(self) -> tuple[str, ...]:
        """Ids of the units without a parent."""
        return self._children.get(None, ())

    def children(self, unit_id: str) -> tuple[str, ...]:
        """Ids of the units directly under *unit_id*."""
        self.get(unit_id)
        return self._children.get(unit_id, ())

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """Ids from the parent of *unit_id* up to its root."""
        chain: list[str] = []
        parent = self.get(unit_id).parent
        while parent is not None:
            chain.append(parent)
            parent = self._by_id[parent].parent
        return tuple(chain)

    def descendants(self, unit_id: str) -> Iterator[str]:
        """Ids of every unit below *unit_id*, parents before children."""
        stack = list(reversed(self.children(unit_id)))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self._children.get(current, ())))

    def depth(self, unit_id: str) -> int:
        """0 for a root, 1 for its children, and so on."""
        self.get(unit_id)
        return self._depth[unit_id]

    def order(self) -> tuple[str, ...]:
        """Every id, parents before children, siblings in the order given (pre-order)."""
        return self._order


_id_of = attrgetter("id")
_parent_of = attrgetter("parent")


def _duplicate_error(ids: list[str]) -> DuplicateError:
    """The error naming the first id given a second time."""
    seen: set[str] = set()
    for unit_id in ids:
        if unit_id in seen:
            break
        seen.add(unit_id)
    return DuplicateError("two units share one id", unit=unit_id, field="id")


def _unknown_parent_error(
    units: tuple[Unit, ...], by_id: Mapping[str, Unit]
) -> UnknownReferenceError:
    """The error naming the first unit whose parent is not among the units."""
    unit = next(u for u in units if u.parent is not None and u.parent not in by_id)
    return UnknownReferenceError(
        "the parent is not a known unit", unit=unit.id, field="parent", value=unit.parent
    )


def _cycle_error(by_id: Mapping[str, Unit], reached: set[str]) -> CycleError:
    start = next(unit_id for unit_id in by_id if unit_id not in reached)
    seen: list[str] = []
    current: str | None = start
    while current is not None and current not in seen:
        seen.append(current)
        current = by_id[current].parent
    cycle = seen[seen.index(current) :] if current is not None else seen
    path = " → ".join([*cycle, cycle[0]])
    return CycleError(f"the hierarchy has a cycle: {path}", unit=cycle[0], field="parent")


def build_hierarchy(units: Iterable[Unit]) -> Hierarchy:
    """Build and validate a :class:`Hierarchy` from units in any order."""
    return Hierarchy(tuple(units))
