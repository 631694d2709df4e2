"""The ledger: every record of a dataset, checked against each other once.

A :class:`Ledger` holds units, their dated events, terms, targets, admissions,
tallies, membership snapshots, categories and stated claims, and what follows
admission (:mod:`partydev.lifecycle`): recognitions, probation tallies,
membership movements, the candidate pipeline, and the villages without
members or cells (:mod:`partydev.villages`).  Construction
validates the whole: every reference resolves, counts are not negative, a
breakdown never exceeds its count, admissions fall inside a term (and inside
the span their :class:`~partydev.coverage.Coverage` states), and two tallies
of one unit of the same kind (own or reported total) are either disjoint or
nested, a finer one never larger than the coarser one that contains it (a
year and its halves, a quarter and a month of it).  Each violation raises a specific
:class:`~partydev.PartydevError` naming the unit, field, value and the
record's position (``admissions[12]``), which loaders turn into file lines.

Indexes (admissions by unit in date order, tallies by unit, snapshots by
unit) are built once, in O(n log n), so that figures for hundreds of
thousands of units cost one pass.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain, groupby, repeat
from operator import attrgetter
from typing import Any, TypeVar

import attrs

from ..errors import (
    DuplicateError,
    InconsistentDataError,
    LedgerErrors,
    PartydevError,
    UnknownReferenceError,
)
from .claims import Claim
from .coverage import Coverage, Span, covers, merge
from .eligibility import Eligibility
from .lifecycle import Movement, PipelineCount, ProbationTally, Recognition, check_records
from .lineage import Lineage, UnitEvent
from .periods import Period
from .records import Admission, Category, Membership, Tally
from .store import AdmissionIndex, AdmissionTable
from .targets import Target, TargetTable
from .terms import Term
from .units import DeclaredLevel, Hierarchy, Level, Unit, UnitTable
from .villages import VillageCount, VillageTarget

__all__ = ["Ledger"]

T = TypeVar("T")


def _tuple(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(items)


def _admission_table(items: Iterable[Admission]) -> AdmissionTable:
    return AdmissionTable.from_records(items)


def _unit_table(items: Iterable[Unit]) -> UnitTable:
    return UnitTable.from_records(items)


def _target_table(items: Iterable[Target]) -> TargetTable:
    return TargetTable.from_records(items)


_unit_of = attrgetter("unit")
_category_of = attrgetter("category")
_date_of = attrgetter("date")
_breakdown_of = attrgetter("breakdown")
_span_of = attrgetter("period.start", "period.end")  # how periods order, without comparing them


def _at(error: PartydevError, collection: str, index: int) -> PartydevError:
    return error.located(path=f"{collection}[{index}]")


@attrs.frozen(eq=False)
class _Index:
    """Per-unit indexes, built once by the ledger."""

    admissions: AdmissionIndex
    tallies: dict[str, tuple[Tally, ...]]
    memberships: dict[str, tuple[Membership, ...]]
    membership_days: dict[str, tuple[int, ...]]
    coverage: dict[str, tuple[Span, ...]]
    everyone: tuple[Span, ...]
    default: tuple[Span, ...]


class _Checker:
    """The problems of one ledger, and the reference checks every collection makes."""

    def __init__(self) -> None:
        self.problems: list[PartydevError] = []
        self.unit_ids: set[str] = set()
        self.terms: set[str] = set()
        self.categories: set[str] = set()

    def add(self, error: PartydevError, collection: str, index: int) -> None:
        self.problems.append(_at(error, collection, index))

    def unit(self, collection: str, index: int, unit_id: str) -> None:
        if unit_id not in self.unit_ids:
            error = UnknownReferenceError(
                "no such unit", unit=unit_id, field="unit", value=unit_id
            )
            self.add(error, collection, index)

    def term(self, collection: str, index: int, owner: str, term_id: str | None) -> None:
        if term_id is not None and term_id not in self.terms:
            error = UnknownReferenceError("no such term", unit=owner, field="term", value=term_id)
            self.add(error, collection, index)

    def category(self, collection: str, index: int, owner: str, category_id: str | None) -> None:
        if category_id is not None and category_id not in self.categories:
            error = UnknownReferenceError(
                "no such category", unit=owner, field="category", value=category_id
            )
            self.add(error, collection, index)

    def finish(self) -> None:
        """Raise the one problem found, or all of them (:class:`LedgerErrors`)."""
        if self.problems:
            problems = self.problems
            raise problems[0] if len(problems) == 1 else LedgerErrors(problems)


def _outside(unit_id: str, when: date, where: str) -> InconsistentDataError:
    return InconsistentDataError(
        f"the admission date falls outside {where}",
        unit=unit_id,
        field="date",
        value=when.isoformat(),
    )


def _inside(index: AdmissionIndex, unit_id: str, spans: tuple[Span, ...]) -> bool:
    """Whether every admission of *unit_id* falls inside *spans* (by bisection)."""
    start, stop = index.run(unit_id)
    return sum(index.count(unit_id, first, last) for first, last in spans) == stop - start


def _suspect_rows(table: AdmissionTable, days: set[int], units: set[str]) -> set[int]:
    """The rows dated on one of *days* or naming one of *units* (an error path)."""
    if not days and not units:
        return set()
    return {
        i
        for i, (unit_id, day) in enumerate(zip(table.units, table.days, strict=True))
        if day in days or unit_id in units
    }


@attrs.frozen(eq=True)
class Ledger:
    """All the records of a dataset, validated together.

    Equality compares the records, so a ledger written to JSON and read back
    equals the original.

    *levels* are the levels the ledger declares (:class:`DeclaredLevel`), in
    addition to or renaming the built-in :class:`Level` list.

    Every contradiction is collected: one is raised as itself, several as one
    :class:`LedgerErrors` carrying them all.

    Raises:
        DuplicateError: two units, terms, categories, claims or levels share an
            id; one person id is admitted twice.
        UnknownReferenceError: a record names a unit, term, category or level
            that is not there.
        CycleError: the unit hierarchy has a cycle.
        InconsistentDataError: admissions outside every term or outside their
            stated coverage; tallies that overlap without nesting; a tally larger
            than the one that contains it.
        ValidationError: a record is invalid on its own.
        LedgerErrors: more than one of the above.
    """

    units: UnitTable = attrs.field(converter=_unit_table)
    terms: tuple[Term, ...] = attrs.field(converter=_tuple)
    targets: TargetTable = attrs.field(
        factory=lambda: TargetTable.from_records(()), converter=_target_table
    )
    admissions: AdmissionTable = attrs.field(
        factory=lambda: AdmissionTable.from_records(()), converter=_admission_table
    )
    tallies: tuple[Tally, ...] = attrs.field(default=(), converter=_tuple)
    memberships: tuple[Membership, ...] = attrs.field(default=(), converter=_tuple)
    categories: tuple[Category, ...] = attrs.field(default=(), converter=_tuple)
    events: tuple[UnitEvent, ...] = attrs.field(default=(), converter=_tuple)
    claims: tuple[Claim, ...] = attrs.field(default=(), converter=_tuple)
    levels: tuple[DeclaredLevel, ...] = attrs.field(default=(), converter=_tuple)
    title: str = ""
    source: str = ""
    covers: tuple[Coverage, ...] = attrs.field(default=(), converter=_tuple)
    recognitions: tuple[Recognition, ...] = attrs.field(default=(), converter=_tuple)
    probation: tuple[ProbationTally, ...] = attrs.field(default=(), converter=_tuple)
    movements: tuple[Movement, ...] = attrs.field(default=(), converter=_tuple)
    eligibility: Eligibility | None = None
    pipeline: tuple[PipelineCount, ...] = attrs.field(default=(), converter=_tuple)
    villages: tuple[VillageCount, ...] = attrs.field(default=(), converter=_tuple)
    village_targets: tuple[VillageTarget, ...] = attrs.field(default=(), converter=_tuple)
    _hierarchy: Hierarchy = attrs.field(init=False, eq=False, repr=False)
    _lineage: Lineage = attrs.field(init=False, eq=False, repr=False)
    _index: _Index = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Every check adds to the checker's problems instead of raising, so that one
        # validation names every contradiction; construction fails at the end.
        check = _Checker()
        hierarchy = self._structure(check)
        self._targets(check)
        everyone, coverage = self._coverage(hierarchy, check.unit)
        admissions = self._admissions(check, everyone, coverage)
        tallies = self._tallies(check)
        memberships = self._memberships(check)
        self._other_records(check)
        check.finish()
        # Plain dicts, not read-only proxies: the index is private and never handed
        # out, and a report looks units up millions of times (a proxy's get costs
        # several times a dict's).
        index = _Index(
            admissions=admissions,
            tallies=tallies,
            memberships=memberships,
            membership_days={
                k: tuple(m.date.toordinal() for m in v) for k, v in memberships.items()
            },
            coverage=coverage,
            everyone=everyone,
            default=merge(
                (min(t.start, t.target_period.start).toordinal(), t.end.toordinal())
                for t in self.terms
            ),
        )
        object.__setattr__(self, "_index", index)

    def _structure(self, check: _Checker) -> Hierarchy | None:
        """The hierarchy and lineage, unique ids, declared levels; what the
        reference checks compare against."""
        hierarchy: Hierarchy | None = None
        try:
            hierarchy = Hierarchy(self.units)
            object.__setattr__(self, "_hierarchy", hierarchy)
            object.__setattr__(self, "_lineage", Lineage(self.units, self.events))
        except PartydevError as error:
            # Point at the record at fault: for a duplicate, the second unit with the id.
            matches = [i for i, u in enumerate(self.units.ids) if u == error.unit]
            pick = -1 if isinstance(error, DuplicateError) else 0
            where = matches[pick] if matches else None
            check.problems.append(error if where is None else _at(error, "units", where))
        problems = check.problems
        check.terms = _unique(self.terms, "terms", lambda t: t.id, problems)
        check.categories = _unique(self.categories, "categories", lambda c: c.id, problems)
        _unique(self.claims, "claims", lambda c: c.id, problems)
        _unique(self.levels, "levels", lambda v: v.id, problems)
        check.unit_ids = set(self.units.ids)  # the hierarchy's ids, as a plain set
        levels = self.units.levels
        if not any(isinstance(level, DeclaredLevel) for level in set(levels)):
            return hierarchy  # no unit names a declared level
        declared = {level.id: level for level in self.levels}
        for i, (unit_id, level) in enumerate(zip(self.units.ids, levels, strict=True)):
            if isinstance(level, DeclaredLevel) and declared.get(level.id) != level:
                check.add(
                    UnknownReferenceError(
                        "the level is not declared in the ledger's levels",
                        unit=unit_id,
                        field="level",
                        value=level.id,
                    ),
                    "units",
                    i,
                )
        return hierarchy

    def _targets(self, check: _Checker) -> None:
        """Each target must name a known unit, term and category (checked on the
        distinct names of the table's columns; a record at a time only when one of
        them is unknown, so that the problems come in the records' order)."""
        targets = self.targets
        if not (
            check.unit_ids.issuperset(targets.units)
            and check.terms.issuperset(targets.terms)
            and check.categories.issuperset(set(map(_category_of, targets.shapes)) - {None})
        ):
            for i, target in enumerate(targets):
                check.unit("targets", i, target.unit)
                check.term("targets", i, target.unit, target.term)
                check.category("targets", i, target.unit, target.category)

    def _admissions(
        self,
        check: _Checker,
        everyone: tuple[Span, ...],
        coverage: dict[str, tuple[Span, ...]],
    ) -> AdmissionIndex:
        """The admissions by unit in date order; each must name a unit and fall
        inside a term and inside the span its records are said to cover.

        The checks run on distinct values (a million admissions fall on a few
        thousand days and name a few hundred thousand units) and, for a unit
        with its own stated coverage, on bisections of its run; a row is looked
        at on its own only when one of those finds a problem.
        """
        table = self.admissions
        index = AdmissionIndex(table)
        spans = merge((t.start.toordinal(), t.end.toordinal()) for t in self.terms)
        distinct_days = set(table.days)  # once: a million rows, a few thousand days
        bad_days = {day for day in distinct_days if not covers(spans, day, day)}
        unknown = set(index.units()).difference(check.unit_ids)
        # Units whose own coverage is stated: their runs are checked by bisection;
        # every other unit is held to the spans stated for everyone, by distinct day.
        listed = [u for u in index.units() if u in coverage]
        outside_everyone = (
            {day for day in distinct_days if not covers(everyone, day, day)} - bad_days
            if everyone
            else set()
        )
        suspects = [u for u in listed if not _inside(index, u, coverage[u])]
        if not (bad_days or unknown or outside_everyone or suspects):
            return index
        rows = sorted(
            _suspect_rows(table, bad_days | outside_everyone, unknown)
            | {int(r) for u in suspects for r in index.order(*index.run(u))}
        )
        units, days = table.units, table.days
        for i in rows:
            unit_id, day = units[i], days[i]
            if unit_id in unknown:
                check.unit("admissions", i, unit_id)
            when = date.fromordinal(day)
            stated = coverage.get(unit_id, everyone)
            if day in bad_days:
                check.add(_outside(unit_id, when, "every term"), "admissions", i)
            elif stated and not covers(stated, day, day):
                check.add(_outside(unit_id, when, "the span its records cover"), "admissions", i)
        return index

    def _tallies(self, check: _Checker) -> dict[str, tuple[Tally, ...]]:
        """Tallies by unit in period order; one unit's of one kind nest or are disjoint."""
        named = {name for name, _ in set(chain.from_iterable(map(_breakdown_of, self.tallies)))}
        known = check.unit_ids.issuperset(map(_unit_of, self.tallies))
        if not (known and check.categories.issuperset(named)):
            for i, tally in enumerate(self.tallies):
                check.unit("tallies", i, tally.unit)
                for name, _ in tally.breakdown:
                    check.category("tallies", i, tally.unit, name)
        tallies: dict[str, list[tuple[int, Tally]]] = {}
        for i, tally in enumerate(self.tallies):
            tallies.setdefault(tally.unit, []).append((i, tally))
        for unit_id, items in tallies.items():
            for inclusive in (False, True):
                _check_nesting(
                    unit_id,
                    [(i, t) for i, t in items if t.inclusive is inclusive],
                    check.problems,
                )
        return {k: tuple(sorted((t for _, t in v), key=_span_of)) for k, v in tallies.items()}

    def _memberships(self, check: _Checker) -> dict[str, tuple[Membership, ...]]:
        if not check.unit_ids.issuperset(map(_unit_of, self.memberships)):
            for i, snapshot in enumerate(self.memberships):
                check.unit("memberships", i, snapshot.unit)
        memberships: dict[str, list[Membership]] = {}
        for unit_id, run in groupby(self.memberships, _unit_of):
            memberships.setdefault(unit_id, []).extend(run)
        return {  # most units have one snapshot: nothing to sort
            key: (items[0],) if len(items) == 1 else tuple(sorted(items, key=_date_of))
            for key, items in memberships.items()
        }

    def _other_records(self, check: _Checker) -> None:
        """The member lifecycle, villages, claims and person ids."""
        check_records(
            check.unit,
            self.admissions,
            self.recognitions,
            self.probation,
            self.movements,
            self.pipeline,
            check.problems,
        )
        for i, count in enumerate(self.villages):
            check.unit("villages", i, count.unit)
        for i, goal in enumerate(self.village_targets):
            check.unit("village_targets", i, goal.unit)
        for i, claim in enumerate(self.claims):
            check.unit("claims", i, claim.unit)
            check.term("claims", i, claim.unit, claim.term)
            check.category("claims", i, claim.unit, claim.category)
        _unique_persons(self.admissions, check.problems)

    def _coverage(
        self, hierarchy: Hierarchy | None, check: Any
    ) -> tuple[tuple[Span, ...], dict[str, tuple[Span, ...]]]:
        """The spans stated for every unit, and those stated for some units only
        (each listed unit's sub-units included where the coverage says so)."""
        everyone: list[Span] = []
        listed: dict[str, list[Span]] = {}
        for i, item in enumerate(self.covers):
            span = (item.period.start.toordinal(), item.period.end.toordinal())
            if item.units is None:
                everyone.append(span)
                continue
            for unit_id in item.units:
                check("covers", i, unit_id)
                listed.setdefault(unit_id, []).append(span)
                if item.subunits and hierarchy is not None and unit_id in hierarchy:
                    for below in hierarchy.descendants(unit_id):
                        listed.setdefault(below, []).append(span)
        return merge(everyone), {k: merge([*v, *everyone]) for k, v in listed.items()}

    # -- structure -----------------------------------------------------------

    @property
    def hierarchy(self) -> Hierarchy:
        """The units as first known (before any dated event)."""
        return self._hierarchy

    @property
    def lineage(self) -> Lineage:
        """The units with their dated events; ask it for the hierarchy on a date."""
        return self._lineage

    def unit(self, unit_id: str) -> Unit:
        """The unit *unit_id* as first known."""
        return self._hierarchy.get(unit_id)

    def term(self, term_id: str | None = None) -> Term:
        """The term *term_id*; with ``None``, the only term (or the latest one)."""
        if term_id is None:
            if not self.terms:
                raise UnknownReferenceError("the ledger has no term", field="term")
            return max(self.terms, key=lambda t: t.start)
        for term in self.terms:
            if term.id == term_id:
                return term
        raise UnknownReferenceError("no such term", field="term", value=term_id)

    def level(self, level_id: str) -> Level | DeclaredLevel:
        """The level *level_id*: declared by the ledger (a renamed built-in one
        included), else built in; :class:`UnknownReferenceError` if neither."""
        for declared in self.levels:
            if declared.id == level_id:
                return declared
        try:
            return Level(level_id)
        except ValueError:
            raise UnknownReferenceError("no such level", field="level", value=level_id) from None

    def level_labels(self) -> dict[str, tuple[str, str]]:
        """The (Vietnamese, English) names of the ledger's declared levels, by id,
        for a report's level column; built-in levels not declared are not listed."""
        return {level.id: (level.label_vi, level.label_en) for level in self.levels}

    def category(self, category_id: str) -> Category:
        """The category *category_id*."""
        for item in self.categories:
            if item.id == category_id:
                return item
        raise UnknownReferenceError("no such category", field="category", value=category_id)

    # -- records by unit ---------------------------------------------------------

    def targets_of(self, unit_id: str) -> tuple[Target, ...]:
        """The targets set for *unit_id*, in ledger order."""
        return self.targets.of_unit(unit_id)

    def tallies_of(self, unit_id: str) -> tuple[Tally, ...]:
        """The tallies of *unit_id* in period order."""
        return self._index.tallies.get(unit_id, ())

    def admissions_of(self, unit_id: str, period: Period | None = None) -> Sequence[Admission]:
        """The admissions of *unit_id* in date order, within *period* if given
        (O(log n) to find them; the objects are made for the call)."""
        index = self._index.admissions
        if period is None:
            start, stop = index.run(unit_id)
        else:
            start, stop = index.bounds(unit_id, period.start.toordinal(), period.end.toordinal())
        return self.admissions.rows(index.order(start, stop))

    def admission_days(self, unit_id: str) -> tuple[int, ...]:
        """The day ordinals of *unit_id*'s own admissions, in order (for counting by bisection)."""
        return self._index.admissions.days(unit_id)

    @property
    def admission_index(self) -> AdmissionIndex:
        """The admissions by unit in date order (:class:`~partydev.model.store.AdmissionIndex`):
        what the counting engine asks for a unit's own counts."""
        return self._index.admissions

    def coverage(self, unit_id: str) -> tuple[Span, ...]:
        """The spans (day ordinals) over which *unit_id*'s own admissions are complete.

        What the ledger's ``covers`` states for the unit; else, when the unit has
        admissions, its terms (from the earlier of the congress and the first
        target year to the term's end); else nothing: no records, no coverage.
        """
        (spans,) = self.coverages((unit_id,))
        return spans

    def coverages(self, unit_ids: Iterable[str]) -> list[tuple[Span, ...]]:
        """The :meth:`coverage` of each of *unit_ids*, in order (the spans are shared:
        units that cover the same spans get the same tuple)."""
        ids = unit_ids if isinstance(unit_ids, Sequence) else tuple(unit_ids)
        index = self._index
        admitting, default = index.admissions, index.default
        stated = map(index.coverage.get, ids, repeat(index.everyone))
        return [
            spans or (default if unit_id in admitting else ())
            for unit_id, spans in zip(ids, stated, strict=True)
        ]

    def states_coverage(self, unit_id: str) -> bool:
        """Whether ``covers`` speaks for *unit_id* (even with no admissions)."""
        return bool(self._index.coverage.get(unit_id, self._index.everyone))

    def term_at(self, day: date) -> Term | None:
        """The term in force on *day* (the latest to open, if terms overlap), or ``None``.

        A term is in force from the earlier of its opening and its first target
        year to the later of its closing and its last target year.
        """
        found = [
            t
            for t in self.terms
            if min(t.start, t.target_period.start) <= day <= max(t.end, t.target_period.end)
        ]
        return max(found, key=lambda t: t.start) if found else None

    def latest_date(self) -> date | None:
        """The last date the ledger's data speaks for: the latest tally end,
        admission date, end of stated coverage or claim as-of date (``None`` for
        a ledger without any)."""
        days = [t.period.end for t in self.tallies]
        days.extend(c.period.end for c in self.covers)
        index = self._index.admissions
        days.extend(date.fromordinal(d) for u in index.units() if (d := index.last_day(u)))
        days.extend(c.as_of for c in self.claims if c.as_of is not None)
        return max(days, default=None)

    def admission_count(self, unit_id: str, period: Period) -> int:
        """How many admissions *unit_id* recorded itself within *period* (O(log n))."""
        return self._index.admissions.count(
            unit_id, period.start.toordinal(), period.end.toordinal()
        )

    def members(self, unit_id: str, on: date) -> int | None:
        """The latest membership total of *unit_id* on or before *on*, or ``None``."""
        snapshot = self.membership_snapshot(unit_id, on)
        return None if snapshot is None else snapshot.members

    def membership_snapshot(self, unit_id: str, on: date) -> Membership | None:
        """The latest :class:`Membership` of *unit_id* on or before *on*, or ``None``."""
        return self.membership_snapshots((unit_id,), on)[0]

    def membership_snapshots(self, unit_ids: Iterable[str], on: date) -> list[Membership | None]:
        """:meth:`membership_snapshot` of each of *unit_ids* on *on*, in order; a
        unit without any snapshot costs one dictionary look-up (most units of a
        national ledger have none)."""
        day = on.toordinal()
        days, snapshots = self._index.membership_days, self._index.memberships
        out: list[Membership | None] = []
        for unit_id in unit_ids:
            found = days.get(unit_id)
            position = 0 if found is None else bisect_right(found, day)
            out.append(None if position == 0 else snapshots[unit_id][position - 1])
        return out

    def evolve(self, **changes: Any) -> Ledger:
        """A new, re-validated ledger with some collections replaced."""
        return attrs.evolve(self, **changes)


def _check_nesting(
    unit_id: str, items: list[tuple[int, Tally]], problems: list[PartydevError]
) -> None:
    """Tallies of one unit and kind are disjoint or nested (a laminar family), and
    the finer ones inside a tally never add up to more than it."""
    ordered = sorted(
        items, key=lambda item: (item[1].period.start, -item[1].period.end.toordinal())
    )
    stack: list[tuple[Tally, list[int]]] = []  # open tallies with their direct children's sum
    for j, tally in ordered:
        period = tally.period
        while stack and stack[-1][0].period.end < period.start:
            stack.pop()
        if stack:
            outer, inner = stack[-1]
            if outer.period == period or period.end > outer.period.end:
                problems.append(
                    _at(
                        InconsistentDataError(
                            "two tallies of one unit overlap: "
                            f"{outer.period.key} and {period.key}",
                            unit=unit_id,
                            field="period",
                            value=period.key,
                        ),
                        "tallies",
                        j,
                    )
                )
                continue
            inner[0] += tally.count
            if inner[0] > outer.count:
                what = (
                    f"the tally for {period.key} ({tally.count}) is larger than"
                    if tally.count > outer.count
                    else f"the tallies inside {outer.period.key} add up to {inner[0]}, more than"
                )
                problems.append(
                    _at(
                        InconsistentDataError(
                            f"{what} the tally for {outer.period.key} ({outer.count})",
                            unit=unit_id,
                            field="count",
                            value=tally.count,
                        ),
                        "tallies",
                        j,
                    )
                )
        stack.append((tally, [0]))


def _unique(
    items: Sequence[T], collection: str, key: Any, problems: list[PartydevError]
) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        value = key(item)
        if value in seen:
            problems.append(
                _at(
                    DuplicateError(
                        f"two {collection} share the id {value!r}", field="id", value=value
                    ),
                    collection,
                    i,
                )
            )
        seen.add(value)
    return seen


def _unique_persons(admissions: AdmissionTable, problems: list[PartydevError]) -> None:
    """A person is admitted once: a second admission of one person id is a problem
    naming both records (``admissions[j]``, and ``admissions[i]`` in its message)."""
    persons = admissions.persons
    distinct = set(persons)
    distinct.discard(None)
    if len(distinct) == len(persons) - persons.count(None):  # the common case: no loop
        return
    first: dict[str, int] = {}
    for i, (person, unit_id) in enumerate(zip(admissions.persons, admissions.units, strict=True)):
        if person is None:
            continue
        if person in first:
            problems.append(
                _at(
                    DuplicateError(
                        f"the person is admitted twice: also at admissions[{first[person]}]",
                        unit=unit_id,
                        field="person",
                        value=person,
                    ),
                    "admissions",
                    i,
                )
            )
        else:
            first[person] = i
