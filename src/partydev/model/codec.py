"""The ledger as plain data: dicts and lists of text, numbers and dates, both ways.

TOML and JSON ledgers parse into the same plain structure (schema
``partydev-ledger/1``), and :func:`ledger_to_data` writes it back, so a
ledger exported to JSON and read again is equal to the original.  Errors name
the JSON path of the offending value (``targets[2].value``); file loaders add
the file name.  No file is opened here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, repeat
from operator import is_
from typing import Any, TypeGuard, cast

from ..errors import ParseError, PartydevError, ValidationError
from ..numbers import parse_count, parse_date
from .claims import Claim
from .coverage import Coverage
from .eligibility import Eligibility
from .ledger import Ledger
from .lifecycle import Movement, PipelineCount, ProbationTally, Recognition
from .lineage import Dissolve, Establish, Merge, Move, Rename, Split, UnitEvent
from .periods import Period, parse_period
from .records import Admission, Category, Membership, Tally
from .store import AdmissionTable
from .targets import Target, TargetTable
from .terms import Term
from .units import BUILTIN_LEVELS, DeclaredLevel, Unit, UnitTable
from .villages import VillageCount, VillageTarget

__all__ = [
    "SCHEMA",
    "count_from_data",
    "covers_from_data",
    "covers_to_data",
    "ledger_from_data",
    "ledger_to_data",
    "period_from_data",
    "period_to_data",
]

SCHEMA = "partydev-ledger/1"
"""The identifier of the plain-data ledger format written by this version."""

Data = dict[str, Any]

FIRST_YEAR, LAST_YEAR = 1800, 2999
"""The years a ledger's dates, periods and target years fall in.  Everything in
the domain does (the party was founded in 1930); the bound keeps date arithmetic
(the end of a period, the year before) far from the calendar's own ends."""

_LARGEST = 10**18
"""Whole numbers read from a ledger are below this: no count of people comes near."""


_NOT_A_COUNT = "expected a whole number (a count, thousands grouped by three: 1732 or '1.732')"


class _Reader:
    """Reads one record, naming the path of whatever is wrong."""

    def __init__(
        self, data: object, path: str, levels: Mapping[str, DeclaredLevel] | None = None
    ) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError("expected a table of fields", path=path)
        self.data = data
        self.path = path
        self.used: set[str] = set()
        self.levels: Mapping[str, DeclaredLevel] = levels or {}

    def fail(self, message: str, key: str, value: object) -> PartydevError:
        return ValidationError(message, field=key, value=value, path=f"{self.path}.{key}")

    def raw(self, key: str, default: object = ...) -> Any:
        self.used.add(key)
        if key in self.data:
            return self.data[key]
        if default is ...:
            raise ValidationError(
                "a required field is missing", field=key, path=f"{self.path}.{key}"
            )
        return default

    def text(self, key: str, default: object = ...) -> Any:
        value = self.raw(key, default)
        if value is default and default is not ...:
            return value
        if value is None and default is None:
            return None
        if not isinstance(value, str):
            raise self.fail("expected text", key, value)
        return value

    def integer(self, key: str, default: object = ...) -> Any:
        value = self.raw(key, default)
        if (value is None and default is None) or (value is default and default is not ...):
            return value  # absent, or null where null is allowed
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail("expected a whole number", key, value)
        if not -_LARGEST < value < _LARGEST:
            raise self.fail("a whole number has at most 18 digits", key, value)
        return value

    def year(self, key: str) -> int | None:
        value = self.integer(key, None)
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise self.fail(_YEARS, key, value)
        return value  # type: ignore[no-any-return]

    def count(self, key: str, default: object = ...) -> Any:
        """A count: a whole number, or text such as ``"1.732"`` (:func:`parse_count`)."""
        value = self.raw(key, default)
        if (value is None and default is None) or (value is default and default is not ...):
            return value  # absent, or null where null is allowed
        try:
            return count_from_data(value)
        except PartydevError as error:
            raise self.fail(error.message, key, value) from None

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.fail("expected true or false", key, value)
        return value

    def day(self, key: str, default: object = ...) -> Any:
        value = self.raw(key, default)
        if (value is None and default is None) or (value is default and default is not ...):
            return value  # absent, or null where null is allowed
        try:
            return _plain_date(value)
        except PartydevError as error:
            raise self.fail(error.message, key, value) from None

    def period(self, key: str, default: object = ...) -> Any:
        value = self.raw(key, default)
        if (value is None and default is None) or (value is default and default is not ...):
            return value  # absent, or null where null is allowed
        try:
            return period_from_data(value)
        except PartydevError as error:
            raise self.fail(error.message, key, value) from None

    def ids(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail("expected a list of ids", key, value)
        return tuple(value)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail("unknown field", unknown[0], self.data[unknown[0]])


_YEARS = f"a year from {FIRST_YEAR} to {LAST_YEAR}"


def in_calendar(day: date) -> bool:
    """Whether *day* falls in the years a ledger may speak of (``FIRST_YEAR``–``LAST_YEAR``)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _plain_date(value: object) -> date:
    """A date from a TOML date or text; a date with a time of day is refused."""
    if isinstance(value, datetime):
        raise ValidationError("expected a date without a time of day", value=value)
    if isinstance(value, str):
        value = parse_date(value)
    if not isinstance(value, date):
        raise ValidationError("expected a date", value=value)
    if not in_calendar(value):
        raise ValidationError(f"expected a date in {_YEARS}", value=value)
    return value


def count_from_data(value: str | int) -> int:
    """A count from its plain form: a whole number, or text such as ``"1.732"``
    (:func:`~partydev.numbers.parse_count`), of at most 18 digits.

    >>> count_from_data("1.732"), count_from_data(1732)
    (1732, 1732)
    """
    try:
        number = parse_count(value)
    except ParseError:
        raise ValidationError(_NOT_A_COUNT, value=value) from None
    if not -_LARGEST < number < _LARGEST:
        raise ValidationError("a whole number has at most 18 digits", value=value)
    return number


def period_from_data(value: object) -> Period:
    """A period from its plain form: a key (``"2023-H1"``), text, or ``{start, end}``."""
    if isinstance(value, str):
        try:
            period = parse_period(value)
        except (ValueError, OverflowError) as exc:  # a month past the calendar's end
            if isinstance(exc, PartydevError):
                raise
            raise ValidationError(f"not a period in {_YEARS}", value=value) from None
        if not (in_calendar(period.start) and in_calendar(period.end)):
            raise ValidationError(f"expected a period in {_YEARS}", value=value)
        return period
    if isinstance(value, int) and not isinstance(value, bool):
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValidationError(f"expected {_YEARS}", value=value)
        return Period.year(value)
    if isinstance(value, Mapping) and set(value) == {"start", "end"}:
        return Period.between(_plain_date(value["start"]), _plain_date(value["end"]))
    raise ValidationError(
        "expected a period such as '2023', '2023-H1' or {start, end}", value=value
    )


def covers_from_data(value: object, path: str = "covers") -> list[Coverage]:
    """Coverage from its plain form: a period (``"2021-01-01..2023-06-30"``,
    ``{start, end}``), a table ``{period, units, subunits}``, or a list of either.

    >>> [c.period.key for c in covers_from_data(["2021", {"period": "2022-H1"}])]
    ['2021', '2022-H1']
    """
    items = value if isinstance(value, list) else [value]
    out: list[Coverage] = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]" if isinstance(value, list) else path
        try:
            if isinstance(item, Mapping) and "period" in item:
                r = _Reader(item, where)
                units = r.raw("units", None)
                if units is not None:
                    units = r.ids("units")
                coverage = Coverage(r.period("period"), units, r.boolean("subunits", True))
                r.finish()
            else:
                coverage = Coverage(period_from_data(item))
        except PartydevError as error:
            raise error.located(path=error.path or where) from None
        out.append(coverage)
    return out


def covers_to_data(covers: Iterable[Coverage]) -> list[Data]:
    """The plain form of *covers*, as :func:`covers_from_data` reads it."""
    return [
        _drop_defaults(
            {
                "period": period_to_data(c.period),
                "units": None if c.units is None else list(c.units),
                "subunits": c.subunits,
            },
            {"units": None, "subunits": True},
        )
        for c in covers
    ]


def period_to_data(period: Period) -> str:
    """A period's plain form: its key (``"2023-Q2"``, ``"2021-01-01..2023-06-30"``)."""
    return period.key


def _level(r: _Reader) -> DeclaredLevel:
    extra: dict[str, Any] = {}
    tier = r.integer("tier", None)
    if tier is not None:
        extra["tier"] = tier
    return DeclaredLevel(r.text("id"), r.text("label_vi"), r.text("label_en"), **extra)


def _unit(r: _Reader) -> Unit:
    level = r.text("level")
    declared = r.levels.get(level)
    # A declared level that renames a built-in one keeps the built-in Level on units.
    chosen = declared if declared is not None and declared.id not in _BUILTIN_IDS else level
    return Unit(r.text("id"), r.text("name"), chosen, r.text("parent", None))


def _term(r: _Reader) -> Term:
    start, end = r.day("start"), r.day("end")
    extra: dict[str, Any] = {}
    first = r.year("first_target_year")
    last = r.year("last_target_year")
    if first is not None:
        extra["first_target_year"] = first
    if last is not None:
        extra["last_target_year"] = last
    return Term(
        r.text("id"),
        r.text("label"),
        start,
        end,
        congress=r.text("congress", None),
        count_from=r.text("count_from", "target_years"),
        **extra,
    )


def _decimal(r: _Reader, key: str) -> Decimal | None:
    value = r.raw(key, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise r.fail('expected an exact number (write it as text, e.g. "3.5")', key, value)
    try:
        return Decimal(value)
    except ArithmeticError:
        raise r.fail("not a number", key, value) from None


def _target(r: _Reader) -> Target:
    return Target(
        unit=r.text("unit"),
        term=r.text("term"),
        value=r.count("value", None),
        kind=r.text("kind", "exact"),
        high=r.count("high", None),
        percent=_decimal(r, "percent"),
        reference=r.text("reference", "start_of_year"),
        per_year=r.boolean("per_year", False),
        period=r.period("period", None),
        source=r.text("source", "resolution"),
        category=r.text("category", None),
        derived=r.boolean("derived", False),
        note=r.text("note", ""),
    )


def _attributes(r: _Reader) -> dict[str, str]:
    value = r.raw("attributes", {})
    if not isinstance(value, Mapping):
        raise r.fail("expected a table of attributes", "attributes", value)
    return dict(value)


def _admission(r: _Reader) -> Admission:
    return Admission(
        unit=r.text("unit"),
        date=r.day("date"),
        person=r.text("person", None),
        birth_date=r.day("birth_date", None),
        age=r.integer("age", None),
        attributes=_attributes(r),
    )


def _tally(r: _Reader) -> Tally:
    breakdown = r.raw("breakdown", {})
    if not isinstance(breakdown, Mapping):
        raise r.fail("expected a table of category counts", "breakdown", breakdown)
    counts = {}
    for key, value in breakdown.items():
        try:
            counts[key] = parse_count(value)
        except ParseError:
            raise r.fail(_NOT_A_COUNT, f"breakdown.{key}", value) from None
    return Tally(
        unit=r.text("unit"),
        period=r.period("period"),
        count=r.count("count"),
        breakdown=counts,
        inclusive=r.boolean("inclusive", False),
    )


def _membership(r: _Reader) -> Membership:
    return Membership(r.text("unit"), r.day("date"), r.count("members"))


def _category(r: _Reader) -> Category:
    values = r.raw("values", [])
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise r.fail("expected a text or a list of texts", "values", values)
    return Category(
        id=r.text("id"),
        label_vi=r.text("label_vi"),
        label_en=r.text("label_en"),
        attribute=r.text("attribute", None),
        values=tuple(values),
        max_age=r.integer("max_age", None),
        group=r.text("group", None),
    )


def _event(r: _Reader) -> UnitEvent:
    kind = r.text("type")
    when = r.day("date")
    if kind == "rename":
        return Rename(when, r.text("unit"), r.text("name"))
    if kind == "move":
        return Move(when, r.text("unit"), r.text("parent", None))
    if kind == "merge":
        return Merge(when, r.ids("sources"), r.text("into"))
    if kind == "split":
        return Split(when, r.text("source"), r.ids("into"), r.text("heir", None))
    if kind == "establish":
        return Establish(when, r.text("unit"))
    if kind == "dissolve":
        return Dissolve(when, r.text("unit"))
    raise r.fail(
        "unknown event type; use rename, move, merge, split, establish, dissolve", "type", kind
    )


def _claim(r: _Reader) -> Claim:
    return Claim(
        id=r.text("id"),
        unit=r.text("unit"),
        kind=r.text("kind"),
        stated=r.text("stated"),
        text=r.text("text", ""),
        source=r.text("source", ""),
        term=r.text("term", None),
        period=r.period("period", None),
        as_of=r.day("as_of", None),
        category=r.text("category", None),
        comparison=r.text("comparison", "exact"),
        target_source=r.text("target_source", None),
        note=r.text("note", ""),
        base=r.text("base", None),
    )


def _recognition(r: _Reader) -> Recognition:
    return Recognition(r.text("person"), r.day("date"), r.text("outcome", "official"))


def _probation(r: _Reader) -> ProbationTally:
    return ProbationTally(
        unit=r.text("unit"),
        period=r.period("period"),
        recognised=r.integer("recognised", None),
        recognised_on_time=r.integer("recognised_on_time", None),
        not_recognised=r.integer("not_recognised", None),
        probationary=r.integer("probationary", None),
        overdue=r.integer("overdue", None),
        inclusive=r.boolean("inclusive", False),
    )


def _movement(r: _Reader) -> Movement:
    if "date" in r.data:
        day = r.day("date")
        period = Period.between(day, day)
        if "period" in r.data:
            raise r.fail("give a date or a period, not both", "period", r.raw("period"))
    else:
        period = r.period("period")
    return Movement(
        unit=r.text("unit"),
        period=period,
        kind=r.text("kind"),
        count=r.integer("count", None),
        person=r.text("person", None),
        inclusive=r.boolean("inclusive", False),
    )


def _pipeline(r: _Reader) -> PipelineCount:
    return PipelineCount(
        unit=r.text("unit"),
        period=r.period("period"),
        stage=r.text("stage"),
        count=r.integer("count"),
        inclusive=r.boolean("inclusive", False),
    )


def _villages(r: _Reader) -> VillageCount:
    return VillageCount(
        r.text("unit"),
        r.day("date"),
        r.integer("villages"),
        r.integer("without_members"),
        r.integer("without_cells"),
    )


def _village_target(r: _Reader) -> VillageTarget:
    return VillageTarget(
        unit=r.text("unit"),
        measure=r.text("measure"),
        at_most=r.integer("at_most"),
        by=r.day("by", None),
        note=r.text("note", ""),
    )


_READERS: dict[str, Callable[[_Reader], Any]] = {
    "levels": _level,
    "units": _unit,
    "terms": _term,
    "targets": _target,
    "admissions": _admission,
    "tallies": _tally,
    "memberships": _membership,
    "categories": _category,
    "events": _event,
    "claims": _claim,
    "recognitions": _recognition,
    "probation": _probation,
    "movements": _movement,
    "pipeline": _pipeline,
    "villages": _villages,
    "village_targets": _village_target,
}
COLLECTIONS: tuple[str, ...] = tuple(_READERS)
"""The record collections of a ledger, in the order they are written."""


# -- fast paths --------------------------------------------------------------------------
#
# A national ledger has some 300,000 units and as many targets, nearly all of them
# plain: known keys, values of the exact expected types.  A fast reader builds such a
# record from the dict directly; for anything else (an unknown key, a value of another
# type, a record its constructor refuses) it returns None, and the general _Reader
# builds the record or raises the located error, so records and errors are the same.


class _Shared:
    """What the records of one collection share: each distinct period or date text
    parsed once, and one string object per distinct unit or term id (300,000
    targets name 60,000 units; equal strings, one copy)."""

    def __init__(self, levels: Mapping[str, DeclaredLevel] | None = None) -> None:
        self.parsed: dict[str, Any] = {}
        self.text: dict[str, str] = {}
        self.shapes: dict[Any, int | None] = {}  # shape key -> number, see _shape_numbers
        self.models: list[Target] = []  # the target of each shape number
        self.levels: Mapping[str, DeclaredLevel] = levels or {}


_BUILTIN_IDS = frozenset(level.value for level in BUILTIN_LEVELS)
_UNIT_KEYS = frozenset({"id", "name", "level", "parent"})
_TARGET_KEYS = frozenset(
    {"unit", "term", "value", "kind", "high", "reference", "per_year", "period", "source"}
    | {"category", "derived", "note"}
)
_MEMBERSHIP_KEYS = frozenset({"unit", "date", "members"})


def _small(value: object) -> TypeGuard[int]:
    """Whether *value* is an int the general reader accepts (see :data:`_LARGEST`)."""
    return type(value) is int and -_LARGEST < value < _LARGEST


def _text_or(item: Mapping[str, Any], key: str, default: str) -> str | None:
    """*item[key]* when it is text, *default* when absent; ``None`` to take the general path."""
    value = item.get(key, default)
    return value if type(value) is str else None


def _fast_unit(item: Mapping[str, Any], shared: _Shared) -> Unit | None:
    if not _UNIT_KEYS.issuperset(item):
        return None
    unit_id, name, level = item.get("id"), item.get("name"), item.get("level")
    parent = item.get("parent")
    if type(unit_id) is not str or type(name) is not str or type(level) is not str:
        return None
    if parent is not None and type(parent) is not str:
        return None
    if level in shared.levels:
        return None  # a declared level: the general reader picks the level object
    return Unit(unit_id, name, level, parent)


def _unit_columns(items: list[Any], shared: _Shared) -> UnitTable | None:
    """Plain units straight into a table's columns (checked there by :class:`Unit`'s
    rules); ``None`` when one is not plain or is refused: the records are then read
    one at a time, and the general reader names whatever is wrong.  A single record
    is left to :func:`_fast_unit` (``ledger_problems`` reads records one at a time)."""
    if len(items) < 2 or not (
        set(map(type, items)) <= {dict} and all(map(_UNIT_KEYS.issuperset, items))
    ):
        return None
    get = dict.get
    ids = list(map(get, items, repeat("id")))
    names = list(map(get, items, repeat("name")))
    levels = list(map(get, items, repeat("level")))
    parents = list(map(get, items, repeat("parent")))
    if not (
        set(map(type, ids)) | set(map(type, names)) | set(map(type, levels)) <= {str}
        and set(map(type, parents)) <= {str, type(None)}
        and shared.levels.keys().isdisjoint(levels)  # declared: the general reader picks them
    ):
        return None
    try:
        return UnitTable.from_columns(ids=ids, names=names, levels=levels, parents=parents)
    except PartydevError:
        return None


_SHAPE_KEYS = tuple(sorted(_TARGET_KEYS - {"unit", "term"}))
_ABSENT = object()


def _target_shape(item: Mapping[str, Any], shared: _Shared) -> int | None:
    """The shape number of a plain target (every field but the unit and the term,
    with its type): the first target of each shape is built with the constructor
    (:data:`_Shared.models`), the others share it."""
    if not _TARGET_KEYS.issuperset(item):
        return None  # "percent" is not among them: its exact-number rules take the general path
    unit, term = item.get("unit"), item.get("term")
    if type(unit) is not str or type(term) is not str:
        return None
    names = tuple(key for key in _SHAPE_KEYS if key in item)
    values = tuple(map(item.get, names))
    return _shape_numbers([(names, *values, *map(type, values))], [item], shared)[0]


def _shape_numbers(
    keys: list[tuple[Any, ...]], items: list[Mapping[str, Any]], shared: _Shared
) -> list[int | None]:
    """The shape number of each target of *items*, given its shape key: the names
    of the fields it is read from (every field but the unit and the term), their
    values (absent for a field it lacks; absent is not null: kind=null fails), then
    their types (1 and True are equal keys, not equal targets).  ``None`` for a
    target whose shape is not plain.  The first target of each new shape is built
    with the constructor (:data:`_Shared.models`)."""
    first = dict(zip(reversed(keys), reversed(items), strict=True))  # each shape's first
    for key in dict.fromkeys(keys):  # in order of first appearance
        if key in shared.shapes:
            continue
        item = first[key]
        model = _plain_target(item, item["unit"], item["term"])
        if model is None:
            shared.shapes[key] = None
        else:
            shared.shapes[key] = len(shared.models)
            shared.models.append(model)
    return list(map(shared.shapes.__getitem__, keys))


def _fast_target(item: Mapping[str, Any], shared: _Shared) -> Target | None:
    """A plain target: a :meth:`Target.for_unit` copy of its shape's model."""
    number = _target_shape(item, shared)
    if number is None:
        return None
    text = shared.text.setdefault
    unit, term = item["unit"], item["term"]
    return shared.models[number].for_unit(text(unit, unit), text(term, term))


def _target_table(items: list[Any], shared: _Shared) -> TargetTable | None:
    """Every target as the columns of a :class:`TargetTable` when each is plain (no
    :class:`Target` per record); ``None`` when one is not (see :func:`_read_all_fast`)."""
    if len(items) < 2 or not (
        set(map(type, items)) <= {dict} and all(map(_TARGET_KEYS.issuperset, items))
    ):
        return None  # one record, or one not plain: read one at a time (_fast_target)
    get = dict.get
    units = cast("list[str]", list(map(get, items, repeat("unit"))))
    terms = cast("list[str]", list(map(get, items, repeat("term"))))
    if not set(map(type, units)) | set(map(type, terms)) <= {str}:
        return None
    # Each target's shape key column by column, in C, from the fields any target has
    # (most national targets give a value only).
    given = set(chain.from_iterable(items))  # every field name, read once
    names = tuple(key for key in _SHAPE_KEYS if key in given)
    fields = [list(map(get, items, repeat(key), repeat(_ABSENT))) for key in names]
    types = (map(type, field) for field in fields)
    try:  # the names once per target: with no field at all, zip has nothing else to stop it
        shape = _shape_numbers(
            list(zip(repeat(names, len(items)), *fields, *types, strict=True)), items, shared
        )
    except (PartydevError, TypeError, ValueError):
        return None
    if None in shape:
        return None
    text = shared.text.setdefault
    return TargetTable.from_columns(
        units=list(map(text, units, units)),
        terms=list(map(text, terms, terms)),
        shape=cast("list[int]", shape),
        shapes=shared.models,
    )


def _plain_target(item: Mapping[str, Any], unit: str, term: str) -> Target | None:
    """The target of *item* when every field has the type the general reader
    takes as is, else ``None``; its period read as :func:`period_from_data` reads it."""
    value, high = item.get("value"), item.get("high")
    per_year, derived = item.get("per_year", False), item.get("derived", False)
    category, period_text = item.get("category"), item.get("period")
    kind = _text_or(item, "kind", "exact")
    reference = _text_or(item, "reference", "start_of_year")
    source = _text_or(item, "source", "resolution")
    note = _text_or(item, "note", "")
    if (
        kind is None
        or reference is None
        or source is None
        or note is None
        or not (value is None or _small(value))
        or not (high is None or _small(high))
        or type(per_year) is not bool
        or type(derived) is not bool
        or not (category is None or type(category) is str)
        or not (period_text is None or type(period_text) is str)
    ):
        return None
    return Target(
        unit=unit,
        term=term,
        value=value,
        kind=kind,  # type: ignore[arg-type]  # checked by Target, as on the general path
        high=high,
        percent=None,
        reference=reference,  # type: ignore[arg-type]
        per_year=per_year,
        period=None if period_text is None else period_from_data(period_text),
        source=source,  # type: ignore[arg-type]
        category=category,
        derived=derived,
        note=note,
    )


def _fast_membership(item: Mapping[str, Any], shared: _Shared) -> Membership | None:
    if not _MEMBERSHIP_KEYS.issuperset(item):
        return None
    unit, text, members = item.get("unit"), item.get("date"), item.get("members")
    if type(unit) is not str or type(text) is not str or not _small(members):
        return None
    day = shared.parsed.get(text)
    if day is None:
        day = shared.parsed[text] = _plain_date(text)  # in the calendar, as the general path
    return Membership(shared.text.setdefault(unit, unit), day, members)


_FAST: dict[str, Callable[[Mapping[str, Any], _Shared], Any]] = {
    "units": _fast_unit,
    "targets": _fast_target,
    "memberships": _fast_membership,
}
_COLUMNS: dict[str, Callable[[list[Any], _Shared], Sequence[Any] | None]] = {
    "units": _unit_columns,
    "targets": _target_table,
}
"""Collections read straight into columns when every record is plain."""


def _read_fast(
    fast: Callable[[Mapping[str, Any], _Shared], Any], item: Any, shared: _Shared
) -> Any:
    """The record from *fast*, or ``None`` when the general reader must decide."""
    if type(item) is not dict:
        return None
    try:
        return fast(item, shared)
    except (PartydevError, TypeError, ValueError):
        return None


def _read_all_fast(
    fast: Callable[[Mapping[str, Any], _Shared], Any], items: list[Any], shared: _Shared
) -> list[Any] | None:
    """Every record from *fast* when each is plain, in one pass with no step per
    record but *fast*'s own; ``None`` when one is not: the records are then read
    one at a time, and the general reader names whatever is wrong."""
    if not set(map(type, items)) <= {dict}:
        return None
    try:
        records = list(map(fast, items, repeat(shared)))
    except (PartydevError, TypeError, ValueError):
        return None
    return None if any(map(is_, records, repeat(None))) else records


def read_records(
    collection: str,
    items: object,
    offset: int = 0,
    levels: Mapping[str, DeclaredLevel] | None = None,
) -> Sequence[Any]:
    """Build the records of one collection, naming ``collection[i].field`` on errors.

    *levels* are the ledger's declared levels by id, which units may name.
    When every record is plain, units come as a :class:`~partydev.model.units.UnitTable`
    and targets as a :class:`~partydev.model.targets.TargetTable`, read straight
    into columns.
    """
    if not isinstance(items, list):
        raise ValidationError("expected a list of records", path=collection)
    reader = _READERS[collection]
    fast = _FAST.get(collection)
    shared = _Shared(levels)
    columns = _COLUMNS.get(collection)
    if columns is not None and (table := columns(items, shared)) is not None:
        return table
    if fast is not None and (records := _read_all_fast(fast, items, shared)) is not None:
        return records
    out = []
    for i, item in enumerate(items, start=offset):
        if fast is not None:
            record = _read_fast(fast, item, shared)
            if record is not None:
                out.append(record)
                continue
        r = _Reader(item, f"{collection}[{i}]", levels)
        try:
            record = reader(r)
        except PartydevError as error:
            raise error.located(path=r.path) from None
        r.finish()
        out.append(record)
    return out


def join_records(parts: Sequence[Sequence[Any]]) -> Sequence[Any]:
    """The records of several parts of one collection (a document's own and the
    files it names), in order; admissions read as columns stay columns
    (:meth:`AdmissionTable.concat`)."""
    if any(isinstance(part, AdmissionTable) for part in parts):
        return AdmissionTable.concat(parts)
    if len(parts) == 1:
        return parts[0]
    return [record for part in parts for record in part]


def ledger_from_data(
    data: Mapping[str, Any],
    extra: Mapping[str, Iterable[Any]] | None = None,
    *,
    consume: dict[str, Any] | None = None,
) -> Ledger:
    """Build and validate a :class:`Ledger` from its plain form.

    Args:
        data: The parsed TOML or JSON document.
        extra: Records read elsewhere (from CSV files), added to each collection.
        consume: The same dict as *data* when the caller owns it: each
            collection's plain records are dropped once read, so that a national
            document is not held twice, as dicts and as records.
    """
    if not isinstance(data, Mapping):
        raise ValidationError("a ledger is a table of collections")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise ValidationError(
            f"unsupported ledger schema; this version reads {SCHEMA}", field="schema", value=schema
        )
    known = {"schema", "title", "source", "files", "covers", "eligibility", *COLLECTIONS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError("unknown top-level key", field=unknown[0], path=unknown[0])
    collections: dict[str, Sequence[Any]] = {}
    levels: dict[str, DeclaredLevel] = {}
    for name in COLLECTIONS:
        records = read_records(name, data.get(name, []), levels=levels)
        if name == "levels":  # read first: units may name them
            levels.update((level.id, level) for level in records)
        if consume is not None:
            consume.pop(name, None)
        if extra and name in extra:
            more = extra[name]
            records = join_records([records, more if isinstance(more, Sequence) else list(more)])
        collections[name] = records
    title = data.get("title", "")
    source = data.get("source", "")
    if not isinstance(title, str) or not isinstance(source, str):
        raise ValidationError("title and source are text", field="title")
    covers: list[Any] = covers_from_data(data["covers"]) if "covers" in data else []
    if extra and "covers" in extra:
        covers.extend(extra["covers"])
    eligibility = _eligibility(data["eligibility"]) if "eligibility" in data else None
    return Ledger(
        title=title, source=source, covers=covers, eligibility=eligibility, **collections
    )


def _eligibility(value: object) -> Eligibility:
    """The ``eligibility`` table: the data the eligibility rules check against."""
    r = _Reader(value, "eligibility")
    levels = r.raw("education_levels", [])
    if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
        raise r.fail("expected a list of levels", "education_levels", levels)
    try:
        rules = Eligibility(
            min_age=r.integer("min_age", 18),
            max_age=r.integer("max_age", 60),
            exception_attribute=r.text("exception_attribute", "age_decision"),
            awareness_attribute=r.text("awareness_attribute", "awareness_class"),
            education_attribute=r.text("education_attribute", "general_education"),
            education_levels=levels,
            min_education=r.text("min_education", None),
        )
    except PartydevError as error:
        raise error.located(path=error.path or "eligibility") from None
    r.finish()
    return rules


def _drop_defaults(record: Data, defaults: Mapping[str, Any]) -> Data:
    return {k: v for k, v in record.items() if k not in defaults or defaults[k] != v}


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def ledger_to_data(ledger: Ledger) -> Data:
    """The plain, JSON-ready form of *ledger*: ISO dates, exact decimals as text, no defaults."""
    out: Data = {"schema": SCHEMA, "title": ledger.title, "source": ledger.source}
    if ledger.levels:  # absent when none are declared, as ledgers written before levels
        out["levels"] = [
            {"id": v.id, "label_vi": v.label_vi, "label_en": v.label_en, "tier": v.tier}
            for v in ledger.levels
        ]
    out["units"] = [_unit_to_data(u) for u in ledger.units]
    out["terms"] = [_term_to_data(t) for t in ledger.terms]
    out["targets"] = _targets_to_data(ledger.targets)
    out["admissions"] = [_admission_to_data(a) for a in ledger.admissions]
    out["tallies"] = [_tally_to_data(t) for t in ledger.tallies]
    out["memberships"] = [
        {"unit": m.unit, "date": m.date.isoformat(), "members": m.members}
        for m in ledger.memberships
    ]
    out["categories"] = [_category_to_data(c) for c in ledger.categories]
    out["events"] = [_event_to_data(e) for e in ledger.events]
    out["claims"] = [_claim_to_data(c) for c in ledger.claims]
    if ledger.covers:
        out["covers"] = covers_to_data(ledger.covers)
    out.update(_lifecycle_to_data(ledger))
    if ledger.eligibility is not None:
        out["eligibility"] = _eligibility_to_data(ledger.eligibility)
    return out


def _unit_to_data(unit: Unit) -> Data:
    return _drop_defaults(
        {"id": unit.id, "name": unit.name, "level": unit.level.value, "parent": unit.parent},
        {"parent": None},
    )


def _term_to_data(term: Term) -> Data:
    return _drop_defaults(
        {
            "id": term.id,
            "label": term.label,
            "start": term.start.isoformat(),
            "end": term.end.isoformat(),
            "first_target_year": term.first_target_year,
            "last_target_year": term.last_target_year,
            "congress": term.congress,
            "count_from": term.count_from,
        },
        {"congress": None, "count_from": "target_years"},
    )


_TARGET_DEFAULTS: Data = {
    "value": None,
    "high": None,
    "percent": None,
    "reference": "start_of_year",
    "per_year": False,
    "period": None,
    "category": None,
    "derived": False,
    "note": "",
}


def _target_to_data(target: Target) -> Data:
    return _drop_defaults(
        {
            "unit": target.unit,
            "term": target.term,
            "kind": target.kind,
            "value": target.value,
            "high": target.high,
            "percent": None if target.percent is None else str(target.percent),
            "reference": target.reference,
            "per_year": target.per_year,
            "period": None if target.period is None else period_to_data(target.period),
            "source": target.source,
            "category": target.category,
            "derived": target.derived,
            "note": target.note,
        },
        _TARGET_DEFAULTS,
    )


def _targets_to_data(targets: TargetTable) -> list[Data]:
    """Each target's plain form, as :func:`_target_to_data` writes it (unit and term
    first), each distinct shape's fields written once: no :class:`Target` per row."""
    shapes = []
    for shape in targets.shapes:
        fields = _target_to_data(shape)
        del fields["unit"], fields["term"]
        shapes.append(fields)
    return [
        {"unit": unit, "term": term, **shapes[k]}
        for unit, term, k in zip(targets.units, targets.terms, targets.shape, strict=True)
    ]


def _admission_to_data(admission: Admission) -> Data:
    return _drop_defaults(
        {
            "unit": admission.unit,
            "date": admission.date.isoformat(),
            "person": admission.person,
            "birth_date": _date(admission.birth_date),
            "age": admission.age,
            "attributes": dict(admission.attributes),
        },
        {"person": None, "birth_date": None, "age": None, "attributes": {}},
    )


def _tally_to_data(tally: Tally) -> Data:
    return _drop_defaults(
        {
            "unit": tally.unit,
            "period": period_to_data(tally.period),
            "count": tally.count,
            "breakdown": dict(tally.breakdown),
            "inclusive": tally.inclusive,
        },
        {"breakdown": {}, "inclusive": False},
    )


def _category_to_data(category: Category) -> Data:
    return _drop_defaults(
        {
            "id": category.id,
            "label_vi": category.label_vi,
            "label_en": category.label_en,
            "attribute": category.attribute,
            "values": list(category.values),
            "max_age": category.max_age,
            "group": category.group,
        },
        {"attribute": None, "values": [], "max_age": None, "group": None},
    )


_CLAIM_DEFAULTS: Data = {
    "text": "",
    "source": "",
    "term": None,
    "period": None,
    "as_of": None,
    "category": None,
    "comparison": "exact",
    "target_source": None,
    "note": "",
    "base": None,
}


def _claim_to_data(claim: Claim) -> Data:
    return _drop_defaults(
        {
            "id": claim.id,
            "unit": claim.unit,
            "kind": claim.kind,
            "stated": claim.stated,
            "text": claim.text,
            "source": claim.source,
            "term": claim.term,
            "period": None if claim.period is None else period_to_data(claim.period),
            "as_of": _date(claim.as_of),
            "category": claim.category,
            "comparison": claim.comparison,
            "target_source": claim.target_source,
            "note": claim.note,
            "base": claim.base,
        },
        _CLAIM_DEFAULTS,
    )


def _eligibility_to_data(rules: Eligibility) -> Data:
    return _drop_defaults(
        {
            "min_age": rules.min_age,
            "max_age": rules.max_age,
            "exception_attribute": rules.exception_attribute,
            "awareness_attribute": rules.awareness_attribute,
            "education_attribute": rules.education_attribute,
            "education_levels": list(rules.education_levels),
            "min_education": rules.min_education,
        },
        {"education_levels": [], "min_education": None},
    )


def _lifecycle_to_data(ledger: Ledger) -> Data:
    """The sections of what follows admission, each only when it has records."""
    out: Data = {}
    if ledger.recognitions:
        out["recognitions"] = [
            _drop_defaults(
                {"person": r.person, "date": r.date.isoformat(), "outcome": r.outcome},
                {"outcome": "official"},
            )
            for r in ledger.recognitions
        ]
    if ledger.probation:
        out["probation"] = [_probation_to_data(t) for t in ledger.probation]
    if ledger.movements:
        out["movements"] = [_movement_to_data(m) for m in ledger.movements]
    if ledger.pipeline:
        out["pipeline"] = [_pipeline_to_data(p) for p in ledger.pipeline]
    if ledger.villages:
        out["villages"] = [
            {
                "unit": v.unit,
                "date": v.date.isoformat(),
                "villages": v.villages,
                "without_members": v.without_members,
                "without_cells": v.without_cells,
            }
            for v in ledger.villages
        ]
    if ledger.village_targets:
        out["village_targets"] = [_village_target_to_data(t) for t in ledger.village_targets]
    return out


def _probation_to_data(tally: ProbationTally) -> Data:
    """A probation tally with its unknown (``None``) counts left out."""
    pairs = (
        ("unit", tally.unit),
        ("period", period_to_data(tally.period)),
        ("recognised", tally.recognised),
        ("recognised_on_time", tally.recognised_on_time),
        ("not_recognised", tally.not_recognised),
        ("probationary", tally.probationary),
        ("overdue", tally.overdue),
        ("inclusive", tally.inclusive or None),
    )
    return {key: value for key, value in pairs if value is not None}


def _pipeline_to_data(count: PipelineCount) -> Data:
    return _drop_defaults(
        {
            "unit": count.unit,
            "period": period_to_data(count.period),
            "stage": count.stage,
            "count": count.count,
            "inclusive": count.inclusive,
        },
        {"inclusive": False},
    )


def _village_target_to_data(target: VillageTarget) -> Data:
    return _drop_defaults(
        {
            "unit": target.unit,
            "measure": target.measure,
            "at_most": target.at_most,
            "by": _date(target.by),
            "note": target.note,
        },
        {"by": None, "note": ""},
    )


def _movement_to_data(movement: Movement) -> Data:
    when: Data = (
        {"date": movement.period.start.isoformat()}
        if movement.person is not None
        else {"period": period_to_data(movement.period)}
    )
    return _drop_defaults(
        {
            "unit": movement.unit,
            **when,
            "kind": movement.kind,
            "count": movement.count,
            "person": movement.person,
            "inclusive": movement.inclusive,
        },
        {"count": None, "person": None, "inclusive": False},
    )


def _event_to_data(event: UnitEvent) -> Data:
    head: Data = {"type": event.kind, "date": event.date.isoformat()}
    if isinstance(event, Rename):
        return {**head, "unit": event.unit, "name": event.name}
    if isinstance(event, Move):
        return {**head, "unit": event.unit, "parent": event.parent}
    if isinstance(event, Merge):
        return {**head, "sources": list(event.sources), "into": event.into}
    if isinstance(event, Split):
        return _drop_defaults(
            {**head, "source": event.source, "into": list(event.into), "heir": event.heir},
            {"heir": None},
        )
    return {**head, "unit": event.unit}
