"""Organisational units and their hierarchy.

A :class:`Unit` is a party organisation at some :class:`Level` (province,
district, bloc, grassroots organisation, cell) with an optional parent.  A
:class:`Hierarchy` indexes a set of units once, rejects duplicate ids, unknown
parents and cycles, and then answers children, ancestors, descendants and
depth in time proportional to the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from itertools import groupby, repeat
from operator import attrgetter, eq, itemgetter
from typing import Any

import attrs

from ..errors import CycleError, DuplicateError, UnknownReferenceError, ValidationError
from ..labels import label
from ..numbers import check_locale, nfc
from .columnar import RecordTable

__all__ = ["BUILTIN_LEVELS", "DeclaredLevel", "Hierarchy", "Level", "Unit", "UnitTable"]


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


# The rules of a unit's fields, each once and written for a column: Unit's validators
# and converters apply them to a column of one, UnitTable.from_columns to whole columns
# (a step in C per cell where the cells are plain str; levels and parents by distinct value).


def _all_text(values: Sequence[object]) -> bool:
    """Whether every value is text."""
    return all(map(isinstance, values, repeat(str)))


def _all_said(values: Sequence[str]) -> bool:
    """Whether every text says something besides spaces (an id, a name, a label)."""
    return all(map(str.strip, values))


def _are_ids(values: Sequence[object]) -> bool:
    """Whether every value may be an id: text with something besides spaces."""
    return _all_text(values) and _all_said(values)  # type: ignore[arg-type]


def _texts(values: Sequence[object]) -> list[str]:
    """*values* NFC-normalised; a :class:`ValidationError` names the first that is not text."""
    if not _all_text(values):
        bad = next(v for v in values if not isinstance(v, str))
        raise ValidationError("must be text", value=bad)
    return list(map(nfc, values))  # type: ignore[arg-type]


def _check_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not _are_ids((value,)):
        raise ValidationError("an id must be non-empty text", field=attribute.name, value=value)


def _check_name(instance: Unit, attribute: attrs.Attribute[str], value: str) -> None:
    if not _all_said((value,)):
        raise ValidationError("a unit needs a name", unit=instance.id, field="name", value=value)


def _text(value: object) -> str:
    return _texts((value,))[0]


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
    if not _all_said((value,)):
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


# The slots' own setters (Unit is a slotted class): four C calls make a unit from a
# table's cells, without the frozen class's __setattr__ or the validators.
_set_id, _set_name, _set_level, _set_parent = (
    vars(Unit)[field.name].__set__ for field in attrs.fields(Unit)
)


def _checked_unit(
    unit_id: str, name: str, level: Level | DeclaredLevel, parent: str | None
) -> Unit:
    """A :class:`Unit` of fields its constructor would accept unchanged (a table's
    cells), without running its converters and validators again."""
    unit: Unit = object.__new__(Unit)
    _set_id(unit, unit_id)
    _set_name(unit, name)
    _set_level(unit, level)
    _set_parent(unit, parent)
    return unit


def _distinct(values: Sequence[Any], convert: Any) -> list[Any]:
    """*values* each converted by *convert*, once per distinct value; the result
    shares one object per distinct value."""
    converted = {value: convert(value) for value in set(values)}
    return list(map(converted.__getitem__, values))


class UnitTable(RecordTable[Unit]):
    """Units as columns; a read-only sequence of :class:`Unit`.

    A national ledger has some 300,000 units.  As objects, each is built
    through its validators and, for as long as the ledger lives, walked by
    every full garbage collection; as columns (ids, names, levels, parents,
    held as tuples of text) they are neither, and a :class:`Unit` is made
    when asked for (indexing, iteration), without checking it again.

    Build one with :meth:`from_records` (any units) or :meth:`from_columns`
    (plain values, checked by the rules :class:`Unit` applies).  Rows keep
    the order they were given in, so ``table[i]`` is the ``units[i]`` errors
    name.  Two tables are equal when their units are; a table also equals
    any sequence of the same units.
    """

    __slots__ = ("_id", "_level", "_levels", "_name", "_parent")

    def __init__(
        self,
        ids: Iterable[str],
        names: Iterable[str],
        levels: Iterable[Level | DeclaredLevel],
        parents: Iterable[str | None],
    ) -> None:
        # Private: the cells are trusted (what Unit holds); levels are kept as a code
        # per row into the distinct levels, so that every column is a tuple of atoms.
        self._id: tuple[str, ...] = tuple(ids)
        self._name: tuple[str, ...] = tuple(names)
        self._parent: tuple[str | None, ...] = tuple(parents)
        level_list = list(levels)
        number = {level: k for k, level in enumerate(dict.fromkeys(level_list))}
        self._levels: tuple[Level | DeclaredLevel, ...] = tuple(number)
        self._level: tuple[int, ...] = tuple(map(number.__getitem__, level_list))
        n = len(self._id)
        if not len(self._name) == len(self._parent) == len(self._level) == n:
            raise ValueError("the columns of a unit table differ in length")

    @classmethod
    def from_columns(
        cls,
        *,
        ids: Sequence[object],
        names: Sequence[object],
        levels: Sequence[object],
        parents: Sequence[object],
    ) -> UnitTable:
        """A table from plain columns, one cell per unit, checked by :class:`Unit`'s rules.

        *levels* are :class:`Level` values or objects, or :class:`DeclaredLevel`
        objects; *parents* ids, ``None`` or ``""`` (no parent).  The cells are
        converted as :class:`Unit` converts them (names NFC-normalised) and
        checked on their distinct values where the rule allows (levels,
        parents); when a cell is refused, the units are built one by one and
        the first refused one raises what :class:`Unit` raises for it.
        """
        try:
            table = cls._checked(ids, names, levels, parents)
        except (ValidationError, TypeError):
            table = None
        if table is None:  # name the first unit at fault, as its constructor does
            units = list(map(Unit, ids, names, levels, parents))  # type: ignore[arg-type]
            table = cls.from_records(units)  # pragma: no cover - a refused cell raised
        return table

    @classmethod
    def _checked(
        cls,
        ids: Sequence[object],
        names: Sequence[object],
        levels: Sequence[object],
        parents: Sequence[object],
    ) -> UnitTable | None:
        """The table when every cell passes, else ``None`` (or the rule's error)."""
        if not len(ids) == len(names) == len(levels) == len(parents):
            raise ValueError("the columns of a unit table differ in length")
        if not _are_ids(ids):
            return None
        texts = _texts(names)
        parent_ids: list[str | None] = _distinct(parents, _optional_id)
        if not _all_said(texts) or any(map(eq, ids, parent_ids)):
            return None
        return cls(ids, texts, _distinct(levels, _to_level), parent_ids)  # type: ignore[arg-type]

    @classmethod
    def from_records(cls, units: Iterable[Unit]) -> UnitTable:
        """A table of *units* (a :class:`UnitTable` is returned as is)."""
        if isinstance(units, UnitTable):
            return units
        items = units if isinstance(units, list | tuple) else list(units)
        return cls(
            map(_id_of, items), map(_name_of, items), map(_level_of, items), map(_parent_of, items)
        )

    # -- the sequence ------------------------------------------------------------------

    noun = "unit"

    def __len__(self) -> int:
        return len(self._id)

    def _row(self, i: int) -> Unit:
        return _checked_unit(
            self._id[i], self._name[i], self._levels[self._level[i]], self._parent[i]
        )

    def __iter__(self) -> Iterator[Unit]:
        return map(_checked_unit, self._id, self._name, self.levels, self._parent)

    def _same(self, other: RecordTable[Unit]) -> bool:
        assert isinstance(other, UnitTable)
        return (
            self._id == other._id
            and self._name == other._name
            and self._parent == other._parent
            and self.levels == other.levels
        )

    def __hash__(self) -> int:
        return hash((self._id, self._name, self.levels, self._parent))

    # -- columns -------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The id of each unit."""
        return self._id

    @property
    def names(self) -> tuple[str, ...]:
        """The name of each unit."""
        return self._name

    @property
    def levels(self) -> tuple[Level | DeclaredLevel, ...]:
        """The level of each unit (made for the call from the distinct levels)."""
        return tuple(map(self._levels.__getitem__, self._level))

    @property
    def parents(self) -> tuple[str | None, ...]:
        """The parent id of each unit (``None`` for a top unit)."""
        return self._parent


def _unit_table(units: Iterable[Unit]) -> UnitTable:
    return UnitTable.from_records(units)


@attrs.frozen(eq=False)
class Hierarchy:
    """An indexed, validated tree (or forest) of units.

    Construction is O(n) and reads the units' columns (:class:`UnitTable`):
    no :class:`Unit` is kept per unit, :meth:`get` makes the one asked for.
    :meth:`order` (parents before children, siblings in the order given) is
    computed once and reused by reports.

    Raises:
        DuplicateError: two units share an id.
        UnknownReferenceError: a parent id is not among the units.
        CycleError: following parents leads back to a unit; the message lists the cycle.
    """

    units: UnitTable = attrs.field(converter=_unit_table)
    _row: dict[str, int] = attrs.field(init=False, repr=False)
    _children: Mapping[str | None, tuple[str, ...]] = attrs.field(init=False, repr=False)
    _order: tuple[str, ...] = attrs.field(init=False, repr=False)
    _depth: Mapping[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        ids, parents = self.units.ids, self.units.parents
        row = dict(zip(ids, range(len(ids)), strict=True))
        if len(row) != len(ids):
            raise _duplicate_error(ids)
        if not row.keys() >= set(parents) - {None}:
            raise _unknown_parent_error(ids, parents, row)
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
        if len(order) != len(row):
            raise _cycle_error(ids, parents, row, set(depth))
        # A plain dict of rows: private, and asked millions of times by a report.
        object.__setattr__(self, "_row", row)
        # Plain dicts, like the rows: private and never handed out, and a
        # mappingproxy would keep the hierarchy (and a ledger) from pickling or copying.
        frozen = {key: tuple(value) for key, value in children.items()}
        object.__setattr__(self, "_children", frozen)
        object.__setattr__(self, "_order", tuple(order))
        object.__setattr__(self, "_depth", depth)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        return self.units == other.units

    def __hash__(self) -> int:
        return hash(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._row

    def __len__(self) -> int:
        return len(self._row)

    def __iter__(self) -> Iterator[str]:
        """Every unit id, parents before children (as :meth:`order`)."""
        return iter(self._order)

    def __getitem__(self, unit_id: str) -> Unit:
        return self.get(unit_id)

    def get(self, unit_id: str) -> Unit:
        """The unit *unit_id* (made for the call); :class:`UnknownReferenceError` if
        there is none."""
        return self.units[self.position(unit_id)]

    def position(self, unit_id: str) -> int:
        """The row of *unit_id* in :attr:`units` (its columns' index);
        :class:`UnknownReferenceError` if there is none."""
        try:
            return self._row[unit_id]
        except KeyError:
            raise UnknownReferenceError("no such unit", unit=unit_id) from None

    def positions(self, unit_ids: Iterable[str]) -> list[int]:
        """The row in :attr:`units` of each of *unit_ids*, in order: read a column
        (``hierarchy.units.names``) at them instead of making a :class:`Unit` each."""
        try:
            return list(map(self._row.__getitem__, unit_ids))
        except KeyError as missing:
            raise UnknownReferenceError("no such unit", unit=missing.args[0]) from None

    def name(self, unit_id: str) -> str:
        """The name of *unit_id*."""
        return self.units.names[self.position(unit_id)]

    def parent(self, unit_id: str) -> str | None:
        """The parent id of *unit_id* (``None`` for a top unit)."""
        return self.units.parents[self.position(unit_id)]

    @property
    def roots(self) -> tuple[str, ...]:
        """Ids of the units without a parent."""
        return self._children.get(None, ())

    def children(self, unit_id: str) -> tuple[str, ...]:
        """Ids of the units directly under *unit_id*."""
        self.position(unit_id)
        return self._children.get(unit_id, ())

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """Ids from the parent of *unit_id* up to its root."""
        chain: list[str] = []
        parents, row = self.units.parents, self._row
        parent = parents[self.position(unit_id)]
        while parent is not None:
            chain.append(parent)
            parent = parents[row[parent]]
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
        (depth,) = self.depths((unit_id,))
        return depth

    def depths(self, unit_ids: Iterable[str]) -> list[int]:
        """The :meth:`depth` of each of *unit_ids*, in order (one look-up in C each)."""
        try:
            return list(map(self._depth.__getitem__, unit_ids))
        except KeyError as missing:
            raise UnknownReferenceError("no such unit", unit=missing.args[0]) from None

    def order(self) -> tuple[str, ...]:
        """Every id, parents before children, siblings in the order given (pre-order)."""
        return self._order


_id_of = attrgetter("id")
_name_of = attrgetter("name")
_level_of = attrgetter("level")
_parent_of = attrgetter("parent")


def _duplicate_error(ids: Sequence[str]) -> DuplicateError:
    """The error naming the first id given a second time."""
    seen: set[str] = set()
    for unit_id in ids:
        if unit_id in seen:
            break
        seen.add(unit_id)
    return DuplicateError("two units share one id", unit=unit_id, field="id")


def _unknown_parent_error(
    ids: Sequence[str], parents: Sequence[str | None], row: Mapping[str, int]
) -> UnknownReferenceError:
    """The error naming the first unit whose parent is not among the units."""
    unit_id, parent = next(
        (u, p) for u, p in zip(ids, parents, strict=True) if p is not None and p not in row
    )
    return UnknownReferenceError(
        "the parent is not a known unit", unit=unit_id, field="parent", value=parent
    )


def _cycle_error(
    ids: Sequence[str], parents: Sequence[str | None], row: Mapping[str, int], reached: set[str]
) -> CycleError:
    start = next(unit_id for unit_id in ids if unit_id not in reached)
    seen: list[str] = []
    current: str | None = start
    while current is not None and current not in seen:
        seen.append(current)
        current = parents[row[current]]
    cycle = seen[seen.index(current) :] if current is not None else seen
    path = " → ".join([*cycle, cycle[0]])
    return CycleError(f"the hierarchy has a cycle: {path}", unit=cycle[0], field="parent")


def build_hierarchy(units: Iterable[Unit]) -> Hierarchy:
    """Build and validate a :class:`Hierarchy` from units in any order."""
    return Hierarchy(tuple(units))
