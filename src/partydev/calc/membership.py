"""Probation figures and the membership balance, per unit, from a ledger at a date.

Two questions boards ask after admissions (records: :mod:`partydev.lifecycle`):

* **Probation.**  How many members are on probation (*đảng viên dự bị*) at a
  date, how many were recognised as full members in a period, how many of them
  on time, how many were not recognised, how many are overdue.
* **The balance.**  How the membership total moved over a period: the total
  at the start (the snapshot at the close of the day before the period), plus
  admissions, minus deaths, expulsions, removals and resignations, plus
  transfers in, minus transfers out, gives the *expected* end; the end
  snapshot, if the ledger has one, against it gives the *gap*.

Unknown is never zero.  A figure is known only where data covers it, and a
:class:`Balance` or :class:`Probation` lists what is missing:

* a snapshot counts only on its exact date (a unit with sub-units and no
  snapshot of its own adds up its sub-units' snapshots when all have one);
* a movement kind is known over a period when the unit's counts of that kind
  (``0`` included) and the person-level coverage the ledger states for the
  unit (``covers``) span the period, no count running across its ends; a unit
  with sub-units adds its own records, if any, to theirs;
* person-level probation figures need the unit's admissions covered from 12
  months (plus the grace) before the period to its end, each with a person id;
  otherwise a :class:`~partydev.lifecycle.ProbationTally` must give them.

Figures roll up as admissions do: a unit's reported total (an ``inclusive``
record) where it spans the period, else its own records plus its sub-units'.
Merged and split units pass their records to the unit that carries them
(:meth:`~partydev.Lineage.carrier`), probationers, movements and snapshots
included.  Roll-ups count every transfer of every sub-unit, so a transfer
between two sub-units adds one in and one out and cancels in the expected end.

>>> from datetime import date
>>> from partydev import sample_ledger
>>> from partydev.model.periods import Period
>>> balance = membership_balance(sample_ledger(), "quang-nam", Period.half(2023, 1))
>>> balance.end, balance.start, balance.gap
(71441, None, None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

import attrs
from dateutil.relativedelta import relativedelta

from ..errors import ValidationError
from ..labels import label
from ..model.coverage import Span, covers, merge
from ..model.eligibility import check_admission
from ..model.ledger import Ledger
from ..model.lifecycle import (
    LOSSES,
    MOVEMENT_KINDS,
    PROBATION_FIGURES,
    PROBATION_MONTHS,
    STAGES,
    Movement,
    MovementKind,
    PipelineCount,
    ProbationTally,
    Recognition,
    probation_due,
)
from ..model.periods import Period
from ..model.records import Admission
from ..numbers import Ratio, format_date
from .achieved import Achievements

__all__ = [
    "Balance",
    "Lifecycle",
    "Pipeline",
    "Probation",
    "describe_missing",
    "membership_balance",
    "probation_figures",
]

Missing = tuple[tuple[str, str], ...]
"""What a figure lacks: (figure code, unit id) pairs."""

MAX_MISSING = 3
"""How many missing pieces a note names."""


@attrs.frozen
class Balance:
    """How a unit's membership moved over a period.

    Args:
        unit: The unit id.
        period: The period (cut at the as-of date).
        start: Members at the close of the day before *period* starts.
        admitted: Admitted in the period.
        moved: Each :data:`~partydev.lifecycle.MovementKind`'s count, in
            :data:`~partydev.lifecycle.MOVEMENT_KINDS` order.
        end: Members at the end of the period, if the ledger has a snapshot.
        missing: What is unknown: (figure, unit) pairs, figure being ``start``,
            ``end``, ``admitted`` or a movement kind.
    """

    unit: str
    period: Period
    start: int | None
    admitted: int | None
    moved: tuple[int | None, ...]
    end: int | None
    missing: Missing = ()

    def count(self, kind: MovementKind) -> int | None:
        """The count of one movement *kind* (``None`` when unknown)."""
        return self.moved[MOVEMENT_KINDS.index(kind)]

    @property
    def removed(self) -> int | None:
        """Deaths, expulsions, removals and resignations together."""
        return _total(self.count(kind) for kind in LOSSES)

    @property
    def expected_end(self) -> int | None:
        """The start, plus admissions and transfers in, minus losses and transfers out."""
        removed = self.removed
        parts = (self.start, self.admitted, removed)
        got_in, got_out = self.count("transfer_in"), self.count("transfer_out")
        if None in parts or got_in is None or got_out is None:
            return None
        assert self.start is not None
        assert self.admitted is not None
        assert removed is not None
        return self.start + self.admitted - removed + got_in - got_out

    @property
    def gap(self) -> int | None:
        """The end snapshot minus the expected end: 0 when the balance closes."""
        expected = self.expected_end
        return None if expected is None or self.end is None else self.end - expected


@attrs.frozen
class Probation:
    """A unit's probation figures over a period, as of its end.

    Args:
        unit: The unit id.
        period: The period (cut at the as-of date).
        probationary: On probation at the end of the period.
        recognised: Recognised as full members within the period.
        recognised_on_time: Of those, decided by the due date plus the grace.
        not_recognised: Not recognised within the period.
        overdue: On probation past the due date plus the grace at the end.
        missing: What is unknown: (figure, unit) pairs.
    """

    unit: str
    period: Period
    probationary: int | None
    recognised: int | None
    recognised_on_time: int | None
    not_recognised: int | None
    overdue: int | None
    missing: Missing = ()


@attrs.frozen
class Pipeline:
    """A unit's candidate pipeline over a period.

    Args:
        unit: The unit id.
        period: The period (cut at the as-of date).
        source_pool: Candidates brought into the source pool in the period.
        awareness_class: Candidates who completed the awareness class in the period.
        admitted: Admitted in the period.
        missing: What is unknown: (figure, unit) pairs.
    """

    unit: str
    period: Period
    source_pool: int | None
    awareness_class: int | None
    admitted: int | None
    missing: Missing = ()

    @property
    def admitted_per_graduate(self) -> Ratio | None:
        """Admitted ÷ awareness-class graduates of the same period (``None`` when
        either is unknown or no one completed the class)."""
        if self.admitted is None or not self.awareness_class:
            return None
        return Ratio(self.admitted, self.awareness_class)


def _total(values: Iterable[int | None]) -> int | None:
    out = 0
    for value in values:
        if value is None:
            return None
        out += value
    return out


def _span(period: Period) -> Span:
    return period.start.toordinal(), period.end.toordinal()


class Lifecycle:
    """Probation figures and balances of every unit of *ledger* as of *as_of*.

    Built on the :class:`~partydev.Achievements` of the same date: the same
    hierarchy (as of the date), the same carriers of merged units, the same
    admitted counts (roll-up ``"reported"``).

    Args:
        ledger: The validated ledger.
        as_of: Records after this date never count; periods are cut here.
        grace: Days after the due date a decision still counts as on time, and
            an undecided member is not yet overdue (default 0).
    """

    def __init__(self, ledger: Ledger, as_of: date, grace: int = 0) -> None:
        if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
            raise ValidationError(
                "the grace is a whole number of days", field="grace", value=grace
            )
        self.ledger = ledger
        self.as_of = as_of
        self.grace = grace
        self.engine = Achievements(ledger, as_of)
        self.hierarchy = self.engine.hierarchy
        self._movements: dict[str, list[Movement]] = {}
        for movement in ledger.movements:
            self._movements.setdefault(movement.unit, []).append(movement)
        self._probation: dict[str, list[ProbationTally]] = {}
        for tally in ledger.probation:
            self._probation.setdefault(tally.unit, []).append(tally)
        self._decisions: dict[str, Recognition] = {r.person: r for r in ledger.recognitions}
        self._left: dict[str, date] = {}  # person -> first day off the unit's rolls
        for movement in ledger.movements:
            if movement.person is not None and movement.kind != "transfer_in":
                day = movement.period.start
                self._left[movement.person] = min(day, self._left.get(movement.person, day))

    # -- the two figures -----------------------------------------------------------------

    def window(self, period: Period) -> Period:
        """*period* cut at the as-of date.

        Raises:
            ValidationError: the period starts after the as-of date.
        """
        window = period.until(self.as_of)
        if window is None:
            raise ValidationError(
                "the period starts after the as-of date", field="period", value=period.key
            )
        return window

    def balances(self, period: Period, units: Iterable[str] | None = None) -> dict[str, Balance]:
        """The :class:`Balance` of every unit (or of *units*) over *period*."""
        window = self.window(period)
        first, last = _span(window)
        before = window.start - timedelta(days=1)
        admitted = self.engine.counts(period)
        figures: list[str] = ["start", "end", *MOVEMENT_KINDS]

        def own(unit_id: str, structural: bool) -> dict[str, int | None]:
            out: dict[str, int | None] = {
                "start": self._snapshot(unit_id, before),
                "end": self._snapshot(unit_id, window.end, carried=False),
            }
            for kind in MOVEMENT_KINDS:
                out[kind] = self._moved(unit_id, kind, first, last, structural)
            return out

        def declared(unit_id: str) -> dict[str, int | None]:
            return {
                kind: self._moved_inclusive(unit_id, kind, first, last) for kind in MOVEMENT_KINDS
            }

        values, missing = self._rollup(figures, own, declared, stocks=("start", "end"))
        wanted = self.hierarchy.order() if units is None else tuple(units)
        out: dict[str, Balance] = {}
        for unit_id in wanted:
            got = values[unit_id]
            lacks = list(missing[unit_id])
            if admitted.get(unit_id) is None:
                lacks.insert(0, ("admitted", unit_id))
            out[unit_id] = Balance(
                unit=unit_id,
                period=window,
                start=got["start"],
                admitted=admitted.get(unit_id),
                moved=tuple(got[kind] for kind in MOVEMENT_KINDS),
                end=got["end"],
                missing=tuple(lacks),
            )
        return out

    def probations(
        self, period: Period, units: Iterable[str] | None = None
    ) -> dict[str, Probation]:
        """The :class:`Probation` figures of every unit (or of *units*) over *period*."""
        window = self.window(period)
        first, last = _span(window)

        def own(unit_id: str, structural: bool) -> dict[str, int | None]:
            parts = [self._probation_own(s, window, structural) for s in self._sources(unit_id)]
            return {f: _total(p[f] for p in parts) for f in PROBATION_FIGURES}

        def declared(unit_id: str) -> dict[str, int | None]:
            return self._probation_tallied(unit_id, first, last, inclusive=True)

        values, missing = self._rollup(list(PROBATION_FIGURES), own, declared, stocks=())
        wanted = self.hierarchy.order() if units is None else tuple(units)
        return {
            u: Probation(
                u, window, **{f: values[u][f] for f in PROBATION_FIGURES}, missing=missing[u]
            )
            for u in wanted
        }

    def pipelines(self, period: Period, units: Iterable[str] | None = None) -> dict[str, Pipeline]:
        """The :class:`Pipeline` of every unit (or of *units*) over *period*.

        A stage's count is known where the unit's counts of that stage (``0``
        included) span the period; a unit with sub-units adds its own, if any, to
        theirs, unless its reported total (``inclusive``) spans the period.
        """
        window = self.window(period)
        first, last = _span(window)
        admitted = self.engine.counts(period)
        records: dict[str, list[PipelineCount]] = {}
        for item in self.ledger.pipeline:
            records.setdefault(item.unit, []).append(item)

        def picked(unit_id: str, stage: str, inclusive: bool) -> list[PipelineCount]:
            return [
                p
                for s in self._sources(unit_id)
                for p in records.get(s, ())
                if p.stage == stage and p.inclusive is inclusive
            ]

        def own(unit_id: str, structural: bool) -> dict[str, int | None]:
            out: dict[str, int | None] = {}
            for stage in STAGES:
                items = picked(unit_id, stage, False)
                inside = [
                    p
                    for p in items
                    if p.period.start <= window.end and p.period.end >= window.start
                ]
                if structural and not inside:
                    out[stage] = 0
                else:
                    out[stage] = _tiled(inside, first, last, lambda p: p.count)
            return out

        def declared(unit_id: str) -> dict[str, int | None]:
            return {
                stage: _tiled(picked(unit_id, stage, True), first, last, lambda p: p.count)
                for stage in STAGES
            }

        values, missing = self._rollup(list(STAGES), own, declared, stocks=())
        wanted = self.hierarchy.order() if units is None else tuple(units)
        return {
            u: Pipeline(
                u,
                window,
                values[u]["source_pool"],
                values[u]["awareness_class"],
                admitted.get(u),
                missing[u],
            )
            for u in wanted
        }

    def eligibility_warnings(
        self, period: Period, units: Iterable[str] | None = None
    ) -> dict[str, int]:
        """How many eligibility warnings (:mod:`partydev.eligibility`, with the
        ledger's rules) the admissions of each unit and its sub-units in *period* get."""
        window = self.window(period)
        rules = self.ledger.eligibility
        hierarchy = self.hierarchy
        found: dict[str, int] = {}
        for unit_id in reversed(hierarchy.order()):
            own = sum(
                len(check_admission(admission, rules))
                for source in self._sources(unit_id)
                for admission in self.ledger.admissions_of(source, window)
            )
            found[unit_id] = own + sum(found[c] for c in hierarchy.children(unit_id))
        wanted = hierarchy.order() if units is None else tuple(units)
        return {u: found[u] for u in wanted}

    # -- roll-up -------------------------------------------------------------------------

    def _rollup(
        self,
        figures: list[str],
        own: Callable[[str, bool], dict[str, int | None]],
        declared: Callable[[str], dict[str, int | None]],
        stocks: Sequence[str],
    ) -> tuple[dict[str, dict[str, int | None]], dict[str, Missing]]:
        """Bottom-up: the declared figure where known, else own plus the sub-units'.

        A stock (a snapshot) of a unit is its own where it has one; only a unit
        without one adds up its sub-units'.
        """
        hierarchy = self.hierarchy
        values: dict[str, dict[str, int | None]] = {}
        missing: dict[str, list[tuple[str, str]]] = {}
        for unit_id in reversed(hierarchy.order()):
            children = hierarchy.children(unit_id)
            mine = own(unit_id, bool(children))
            stated = declared(unit_id)
            got: dict[str, int | None] = {}
            lacks: list[tuple[str, str]] = []
            for figure in figures:
                if stated.get(figure) is not None:
                    got[figure] = stated[figure]
                    continue
                if figure in stocks and (mine[figure] is not None or not children):
                    got[figure] = mine[figure]
                    if mine[figure] is None:
                        lacks.append((figure, unit_id))
                    continue
                parts = [] if figure in stocks else [mine[figure]]
                parts.extend(values[c][figure] for c in children)
                got[figure] = _total(parts)
                if figure in stocks:
                    if got[figure] is None:
                        lacks.append((figure, unit_id))
                    continue
                if mine[figure] is None:
                    lacks.append((figure, unit_id))
                for child in children:
                    if values[child][figure] is None:
                        lacks.extend(p for p in missing[child] if p[0] == figure)
            values[unit_id] = got
            missing[unit_id] = lacks
        return values, {k: tuple(v) for k, v in missing.items()}

    def _sources(self, unit_id: str) -> tuple[str, ...]:
        return self.engine.sources(unit_id)

    # -- snapshots and movements ---------------------------------------------------------

    def _snapshot(self, unit_id: str, day: date, carried: bool = True) -> int | None:
        """Members of the unit (with the units it carries) at the close of *day*."""
        sources = self._sources(unit_id) if carried else (unit_id,)
        total = 0
        for source in sources:
            snapshot = self.ledger.membership_snapshot(source, day)
            if snapshot is None or snapshot.date != day:
                return None
            total += snapshot.members
        return total

    def _moved(
        self, unit_id: str, kind: MovementKind, first: int, last: int, structural: bool
    ) -> int | None:
        """The unit's own count of *kind* over ``first..last`` (with the units it carries)."""
        total = 0
        for source in self._sources(unit_id):
            items = [
                m for m in self._movements.get(source, ()) if m.kind == kind and not m.inclusive
            ]
            spans: list[Span] = []
            for movement in items:
                start, end = _span(movement.period)
                if end < first or start > last:
                    continue
                if movement.count is None:
                    total += 1
                    continue
                if start < first or end > last:
                    return None  # a count cannot be cut by date
                total += movement.count
                spans.append((start, end))
            if self.ledger.states_coverage(source):
                spans.extend(self.ledger.coverage(source))
            if not structural and not covers(merge(spans), first, last):
                return None
        return total

    def _moved_inclusive(
        self, unit_id: str, kind: MovementKind, first: int, last: int
    ) -> int | None:
        """The unit's reported total of *kind* when its inclusive counts span the period."""
        picked = [
            m
            for s in self._sources(unit_id)
            for m in self._movements.get(s, ())
            if m.kind == kind and m.inclusive
        ]
        return _tiled(picked, first, last, lambda m: m.count)

    # -- probation -----------------------------------------------------------------------

    def _probation_own(
        self, source: str, window: Period, structural: bool
    ) -> dict[str, int | None]:
        first, last = _span(window)
        if any(
            t.period.overlaps(window) for t in self._probation.get(source, ()) if not t.inclusive
        ):
            return self._probation_tallied(source, first, last, inclusive=False, carried=False)
        unknown: dict[str, int | None] = dict.fromkeys(PROBATION_FIGURES)
        ledger = self.ledger
        earliest = (
            window.start - relativedelta(months=PROBATION_MONTHS) - timedelta(days=self.grace)
        )
        relevant = ledger.admissions_of(source, Period.between(earliest, window.end))
        if not ledger.admission_days(source) and structural:
            return dict.fromkeys(PROBATION_FIGURES, 0)
        if not covers(ledger.coverage(source), earliest.toordinal(), last):
            return unknown
        if any(a.person is None for a in relevant):
            return unknown
        return self._count_people(
            ledger.admissions_of(source, Period.between(date.min, window.end)), window
        )

    def _count_people(
        self, admissions: Sequence[Admission], window: Period
    ) -> dict[str, int | None]:
        grace = timedelta(days=self.grace)
        out: dict[str, int | None] = dict.fromkeys(PROBATION_FIGURES, 0)
        counts: dict[str, int] = dict.fromkeys(PROBATION_FIGURES, 0)
        for admission in admissions:
            person = admission.person
            if person is None:
                continue
            due = probation_due(admission.date)
            decision = self._decisions.get(person)
            if decision is not None and window.start <= decision.date <= window.end:
                if decision.outcome == "official":
                    counts["recognised"] += 1
                    counts["recognised_on_time"] += decision.date <= due + grace
                else:
                    counts["not_recognised"] += 1
            if decision is not None and decision.date <= window.end:
                continue
            left = self._left.get(person)
            if left is not None and left <= window.end:
                continue
            counts["probationary"] += 1
            counts["overdue"] += window.end > due + grace
        out.update(counts)
        return out

    def _probation_tallied(
        self, unit_id: str, first: int, last: int, *, inclusive: bool, carried: bool = True
    ) -> dict[str, int | None]:
        sources = self._sources(unit_id) if carried else (unit_id,)
        tallies = [
            t for s in sources for t in self._probation.get(s, ()) if t.inclusive is inclusive
        ]
        out: dict[str, int | None] = {}
        for figure in ("recognised", "recognised_on_time", "not_recognised"):
            out[figure] = _tiled(tallies, first, last, lambda t, f=figure: getattr(t, f))
        for figure in ("probationary", "overdue"):
            ending = [getattr(t, figure) for t in tallies if t.period.end.toordinal() == last]
            out[figure] = _total(ending) if ending else None
        return out


def _tiled(
    records: Sequence[Movement | ProbationTally | PipelineCount],
    first: int,
    last: int,
    value: Callable[..., int | None],
) -> int | None:
    """The sum of *value* over the records inside ``first..last`` when they span it
    and none runs across its ends; else ``None``."""
    total = 0
    spans: list[Span] = []
    for record in records:
        start, end = _span(record.period)
        if end < first or start > last:
            continue
        if start < first or end > last:
            return None
        number = value(record)
        if number is None:
            return None
        total += number
        spans.append((start, end))
    return total if spans and covers(merge(spans), first, last) else None


def membership_balance(
    ledger: Ledger, unit: str, period: Period, *, as_of: date | None = None
) -> Balance:
    """How *unit*'s membership moved over *period* (cut at *as_of*, default its end).

    >>> from partydev import sample_ledger
    >>> b = membership_balance(sample_ledger(), "quang-nam", Period.year(2021))
    >>> b.admitted, b.start, b.expected_end
    (1732, None, None)
    """
    when = period.end if as_of is None else as_of
    lifecycle = Lifecycle(ledger, when)
    lifecycle.hierarchy.get(unit)
    return lifecycle.balances(period, [unit])[unit]


def probation_figures(
    ledger: Ledger, unit: str, period: Period, *, as_of: date | None = None, grace: int = 0
) -> Probation:
    """*unit*'s :class:`Probation` figures over *period* (cut at *as_of*, default its end)."""
    when = period.end if as_of is None else as_of
    lifecycle = Lifecycle(ledger, when, grace)
    lifecycle.hierarchy.get(unit)
    return lifecycle.probations(period, [unit])[unit]


def describe_missing(
    missing: Missing,
    period: Period,
    locale: str,
    name_of: Callable[[str], str | None] | None = None,
) -> str | None:
    """What a figure lacks, in words, by figure (``None`` when nothing does): the
    units lacking each of the first :data:`MAX_MISSING` figures (and how many more),
    then the other figures lacking, by name.

    >>> describe_missing((("start", "a"), ("death", "a"), ("death", "b")), Period.year(2022), "en")
    'Unknown: Members at the start (2021-12-31): a; Deaths: a, b'
    """
    if not missing:
        return None
    by_figure: dict[str, list[str]] = {}
    for figure, unit_id in missing:
        found = name_of(unit_id) if name_of is not None else None
        names = by_figure.setdefault(figure, [])
        if (found or unit_id) not in names:
            names.append(found or unit_id)
    parts: list[str] = []
    for figure, names in list(by_figure.items())[:MAX_MISSING]:
        what = label(f"figure_{figure}", locale)
        if figure == "start":
            what += f" ({format_date(period.start - timedelta(days=1), locale)})"
        elif figure == "end":
            what += f" ({format_date(period.end, locale)})"
        more = f" +{len(names) - MAX_MISSING}" if len(names) > MAX_MISSING else ""
        parts.append(f"{what}: " + ", ".join(names[:MAX_MISSING]) + more)
    rest = [label(f"figure_{figure}", locale) for figure in list(by_figure)[MAX_MISSING:]]
    tail = f"; {label('figure_unknown_also', locale)}: {', '.join(rest)}" if rest else ""
    return f"{label('figure_unknown', locale)}: " + "; ".join(parts) + tail
