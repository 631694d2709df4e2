"""After admission: probation and recognition, and the movements of the membership.

An admitted person is a probationary member (*đảng viên dự bị*) for 12 months
and is then recognised as a full member (*công nhận đảng viên chính thức*) or
not.  A :class:`Recognition` records that decision for one person of a
person-level :class:`~partydev.records.Admission`; a :class:`ProbationTally`
gives the same figures as counts, for units without person-level records.

The membership total moves by admissions and by :class:`Movement` s: deaths,
expulsions (*khai trừ*), removals from the rolls (*xóa tên*), resignations
(*xin ra khỏi Đảng*), transfers in and out.  A movement is a count over a
period (``0`` is a statement too) or one person on a date.

Before admission, a :class:`PipelineCount` says how many candidates entered
the source pool or completed the awareness class in a period.

This module holds the records and the rules that tie them to the rest of a
ledger (:func:`check_records`, run by :class:`~partydev.Ledger`); the figures
are computed by :mod:`partydev.membership`.

>>> from datetime import date
>>> probation_due(date(2024, 2, 29))
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeAlias

import attrs
from dateutil.relativedelta import relativedelta

from ..errors import (
    DuplicateError,
    InconsistentDataError,
    PartydevError,
    UnknownReferenceError,
    ValidationError,
)
from .periods import Period
from .records import Admission, optional_count, whole_count

__all__ = [
    "LOSSES",
    "MOVEMENT_KINDS",
    "PROBATION_FIGURES",
    "PROBATION_MONTHS",
    "STAGES",
    "Movement",
    "MovementKind",
    "Outcome",
    "PipelineCount",
    "ProbationTally",
    "Recognition",
    "Stage",
    "check_records",
    "probation_due",
]

PROBATION_MONTHS = 12
"""The length of probation (*thời kỳ dự bị*), in calendar months."""

Outcome: TypeAlias = Literal["official", "not_recognised"]
"""A probation's outcome: recognised as a full member, or not recognised."""

MovementKind: TypeAlias = Literal[
    "death", "expulsion", "removal", "resignation", "transfer_in", "transfer_out"
]
"""What moved a member in or out of a unit's rolls."""

Stage: TypeAlias = Literal["source_pool", "awareness_class"]
"""A stage of the candidate pipeline: candidates brought into the source pool
(*tạo nguồn*, *quần chúng ưu tú*), or people who completed the awareness class
(*lớp bồi dưỡng nhận thức về Đảng*)."""

STAGES: tuple[Stage, ...] = Stage.__args__  # type: ignore[attr-defined]
"""Every :data:`Stage`, in pipeline order."""

MOVEMENT_KINDS: tuple[MovementKind, ...] = MovementKind.__args__  # type: ignore[attr-defined]
"""Every :data:`MovementKind`, in the order reports list them."""

LOSSES: tuple[MovementKind, ...] = ("death", "expulsion", "removal", "resignation")
"""The movements that take a member off the rolls for good (the report's ``removed``)."""

_OUTCOMES = frozenset(Outcome.__args__)  # type: ignore[attr-defined]

PROBATION_FIGURES: tuple[str, ...] = (
    "probationary",
    "recognised",
    "recognised_on_time",
    "not_recognised",
    "overdue",
)
"""The probation figures, in the order reports list them."""


def probation_due(admitted: dt.date) -> dt.date:
    """The day probation ends: *admitted* plus 12 calendar months.

    A month without the day takes its last day (``relativedelta``): admitted on
    29 February, due on 28 February of the next year; admitted on 31 May 2023,
    due on 31 May 2024.

    >>> probation_due(dt.date(2023, 5, 31))
    datetime.date(2024, 5, 31)
    """
    return admitted + relativedelta(months=PROBATION_MONTHS)


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError("must be non-empty text", field=attribute.name, value=value)


def _date(instance: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError("must be a date", field=attribute.name, value=value)


def _period(instance: object, attribute: attrs.Attribute[Period], value: object) -> None:
    if not isinstance(value, Period):
        raise ValidationError(
            "must be a Period",
            unit=getattr(instance, "unit", None),
            field=attribute.name,
            value=value,
        )


@attrs.frozen
class Recognition:
    """The decision on one probationary member.

    Args:
        person: The ``person`` id of the member's :class:`~partydev.records.Admission`.
        date: The date of the decision.
        outcome: ``"official"`` (recognised as a full member) or
            ``"not_recognised"`` (:data:`Outcome`).
    """

    person: str = attrs.field(validator=_text)
    date: dt.date = attrs.field(validator=_date)
    outcome: Outcome = "official"

    def __attrs_post_init__(self) -> None:
        if self.outcome not in _OUTCOMES:
            raise ValidationError(
                "unknown outcome; use official or not_recognised",
                field="outcome",
                value=self.outcome,
            )


@attrs.frozen
class ProbationTally:
    """Probation figures of a unit as counts, for units without person-level records.

    The decisions (*recognised*, *recognised_on_time*, *not_recognised*) are
    those taken within *period*; *probationary* and *overdue* are the members
    on probation, and those of them past due, at the end of *period*.  A figure
    left out (``None``) is unknown, never 0.

    Args:
        unit: The unit id.
        period: The period counted.
        recognised: Recognised as full members in the period.
        recognised_on_time: Of those, recognised by the due date (plus the grace
            the unit counts with).
        not_recognised: Not recognised in the period.
        probationary: On probation at the end of the period.
        overdue: Of those, past the due date at the end of the period.
        inclusive: ``True`` when the figures include the unit's sub-units.
    """

    unit: str = attrs.field(validator=_text)
    period: Period = attrs.field(validator=_period)
    recognised: int | None = attrs.field(default=None, validator=optional_count)
    recognised_on_time: int | None = attrs.field(default=None, validator=optional_count)
    not_recognised: int | None = attrs.field(default=None, validator=optional_count)
    probationary: int | None = attrs.field(default=None, validator=optional_count)
    overdue: int | None = attrs.field(default=None, validator=optional_count)
    inclusive: bool = False

    def __attrs_post_init__(self) -> None:
        pairs = (("recognised_on_time", "recognised"), ("overdue", "probationary"))
        for part, whole in pairs:
            small, large = getattr(self, part), getattr(self, whole)
            if small is not None and large is not None and small > large:
                raise ValidationError(
                    f"{part} exceeds {whole} ({small} > {large})",
                    unit=self.unit,
                    field=part,
                    value=small,
                )
        if all(getattr(self, name) is None for name in PROBATION_FIGURES):
            raise ValidationError(
                "a probation tally needs at least one figure", unit=self.unit, field="period"
            )


@attrs.frozen
class Movement:
    """Members leaving or joining a unit's rolls otherwise than by admission.

    Either a *count* over *period* (``0`` states that none moved) or one
    *person* on a day (*period* of one day).  A count is the unit's own unless
    *inclusive* (its reported total with its sub-units), as for tallies.

    Args:
        unit: The unit id.
        period: The period counted, or the day of a person's movement.
        kind: What moved them (:data:`MovementKind`).
        count: How many, for a count.
        person: Who, for one person (the ``person`` of their admission, if any).
        inclusive: Whether a count includes the unit's sub-units.
    """

    unit: str = attrs.field(validator=_text)
    period: Period = attrs.field(validator=_period)
    kind: MovementKind
    count: int | None = attrs.field(default=None, validator=optional_count)
    person: str | None = None
    inclusive: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind not in MOVEMENT_KINDS:
            raise ValidationError(
                "unknown movement kind; use " + ", ".join(MOVEMENT_KINDS),
                unit=self.unit,
                field="kind",
                value=self.kind,
            )
        if (self.count is None) == (self.person is None):
            raise ValidationError(
                "a movement has either a count or a person", unit=self.unit, field="count"
            )
        if self.person is not None:
            if self.period.start != self.period.end:
                raise ValidationError(
                    "a person's movement falls on one day",
                    unit=self.unit,
                    field="date",
                    value=self.period.key,
                )
            if self.inclusive:
                raise ValidationError(
                    "only a count can include sub-units", unit=self.unit, field="inclusive"
                )

    @property
    def size(self) -> int:
        """How many members the record moves: its count, or 1 for a person."""
        return 1 if self.count is None else self.count


@attrs.frozen
class PipelineCount:
    """How many candidates reached a stage of the pipeline in a unit over a period.

    Args:
        unit: The unit id.
        period: The period counted.
        stage: ``"source_pool"`` or ``"awareness_class"`` (:data:`Stage`).
        count: How many (``0`` states that none did).
        inclusive: ``True`` when the count includes the unit's sub-units.
    """

    unit: str = attrs.field(validator=_text)
    period: Period = attrs.field(validator=_period)
    stage: Stage
    count: int = attrs.field(validator=whole_count)
    inclusive: bool = False

    def __attrs_post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValidationError(
                "unknown stage; use " + " or ".join(STAGES),
                unit=self.unit,
                field="stage",
                value=self.stage,
            )


def _at(error: PartydevError, collection: str, index: int) -> PartydevError:
    return error.located(path=f"{collection}[{index}]")


def check_records(
    check_unit: Callable[[str, int, str], None],
    admissions: Sequence[Admission],
    recognitions: Sequence[Recognition],
    probation: Sequence[ProbationTally],
    movements: Sequence[Movement],
    pipeline: Sequence[PipelineCount] = (),
    problems: list[PartydevError] | None = None,
) -> None:
    """Check the lifecycle records against each other and the admissions.

    *check_unit(collection, index, unit_id)* reports a unit that is unknown.
    With *problems*, every contradiction is added to it; without, the first
    is raised.

    Raises:
        UnknownReferenceError: a recognition names a person no admission has.
        DuplicateError: two recognitions of one person, or two admissions with
            the person id a recognition names.
        InconsistentDataError: a recognition before the probation's end; two
            probation tallies, two movement counts of one kind, or two
            pipeline counts of one stage, of one unit that overlap.
    """
    found: list[PartydevError] = [] if problems is None else problems
    if recognitions:
        _check_recognitions(admissions, recognitions, found)
    for i, tally in enumerate(probation):
        check_unit("probation", i, tally.unit)
    _check_disjoint(
        "probation",
        ((i, (t.unit, t.inclusive), t.period) for i, t in enumerate(probation)),
        "two probation tallies of one unit overlap",
        found,
    )
    for i, movement in enumerate(movements):
        check_unit("movements", i, movement.unit)
    _check_disjoint(
        "movements",
        (
            (i, (m.unit, m.kind, m.inclusive), m.period)
            for i, m in enumerate(movements)
            if m.count is not None
        ),
        "two movement counts of one unit and kind overlap",
        found,
    )
    for i, item in enumerate(pipeline):
        check_unit("pipeline", i, item.unit)
    _check_disjoint(
        "pipeline",
        ((i, (p.unit, p.stage, p.inclusive), p.period) for i, p in enumerate(pipeline)),
        "two pipeline counts of one unit and stage overlap",
        found,
    )
    if problems is None and found:
        raise found[0]


def _check_recognitions(
    admissions: Sequence[Admission],
    recognitions: Sequence[Recognition],
    problems: list[PartydevError],
) -> None:
    people: dict[str, Admission | None] = {}  # None: two admissions share the id
    for admission in admissions:
        if admission.person is not None:
            people[admission.person] = None if admission.person in people else admission
    decided: set[str] = set()
    for i, item in enumerate(recognitions):
        problem = _recognition_problem(item, people, decided)
        if problem is not None:
            problems.append(_at(problem, "recognitions", i))


def _recognition_problem(
    item: Recognition, people: dict[str, Admission | None], decided: set[str]
) -> PartydevError | None:
    """What is wrong with one recognition, if anything; a person whose admission it
    names is added to *decided* (a second recognition of them is a duplicate)."""
    if item.person not in people:
        return UnknownReferenceError(
            "no admission has this person id", field="person", value=item.person
        )
    admission = people[item.person]
    if admission is None:
        return DuplicateError(
            "two admissions share this person id", field="person", value=item.person
        )
    if item.person in decided:
        return DuplicateError(
            "a second recognition of one person",
            unit=admission.unit,
            field="person",
            value=item.person,
        )
    decided.add(item.person)
    due = probation_due(admission.date)
    if item.date < due:
        return InconsistentDataError(
            f"decided before probation ends on {due.isoformat()}",
            unit=admission.unit,
            field="date",
            value=item.date.isoformat(),
        )
    return None


def _check_disjoint(
    collection: str,
    items: Iterable[tuple[int, tuple[object, ...], Period]],
    message: str,
    problems: list[PartydevError],
) -> None:
    groups: dict[tuple[object, ...], list[tuple[int, Period]]] = {}
    for i, key, period in items:
        groups.setdefault(key, []).append((i, period))
    for key, entries in groups.items():
        entries.sort(key=lambda e: e[1].start)
        for (_, before), (j, after) in itertools.pairwise(entries):
            if after.start <= before.end:
                problems.append(
                    _at(
                        InconsistentDataError(
                            f"{message}: {before.key} and {after.key}",
                            unit=str(key[0]),
                            field="period",
                            value=after.key,
                        ),
                        collection,
                        j,
                    )
                )
