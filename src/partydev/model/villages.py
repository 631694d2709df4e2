"""Villages and residential groups without members or without a party cell.

Reports count the villages and residential groups (*thôn, tổ dân phố*) of a
unit that still have no party member (*chưa có đảng viên*) or no party cell
(*chưa có chi bộ*), and resolutions set targets to bring them down, often to
none ("xóa thôn, tổ dân phố chưa có đảng viên").  A :class:`VillageCount` is
such a count on a date; a :class:`VillageTarget` says "at most N" (0 included)
for one of the two measures; :func:`village_status` compares them at a date.

Counts are snapshots of the unit itself, never summed from sub-units (a
province states its own): a unit without a snapshot on or before the date has
unknown counts, never 0.

>>> from datetime import date
>>> counts = [VillageCount("x", date(2020, 12, 31), 120, 9, 14),
...           VillageCount("x", date(2023, 6, 30), 120, 3, 8)]
>>> status = village_status(counts, [VillageTarget("x", "without_members", 0)], date(2023, 6, 30))
>>> status.counts.without_members, status.targets[0].reached, status.targets[0].progress.percent(1)
(3, False, Decimal('66.7'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, TypeAlias

import attrs

from ..errors import ValidationError
from ..numbers import Ratio
from .records import whole_count

__all__ = [
    "MEASURES",
    "Measure",
    "TargetStatus",
    "VillageCount",
    "VillageStatus",
    "VillageTarget",
    "village_status",
]

Measure: TypeAlias = Literal["without_members", "without_cells"]
"""What a village target limits: villages without a member, or without a cell."""

MEASURES: tuple[Measure, ...] = Measure.__args__  # type: ignore[attr-defined]
"""Every :data:`Measure`."""


@attrs.frozen
class VillageCount:
    """A unit's villages and residential groups on a date.

    Args:
        unit: The unit id.
        date: The date of the count.
        villages: How many villages and residential groups the unit has.
        without_members: How many of them have no party member.
        without_cells: How many have no party cell (at least *without_members*:
            a village without a member has no cell).
    """

    unit: str
    date: dt.date
    villages: int = attrs.field(validator=whole_count)
    without_members: int = attrs.field(validator=whole_count)
    without_cells: int = attrs.field(validator=whole_count)

    def __attrs_post_init__(self) -> None:
        if self.without_cells > self.villages:
            raise ValidationError(
                f"more villages without a cell than villages ({self.without_cells} > "
                f"{self.villages})",
                unit=self.unit,
                field="without_cells",
                value=self.without_cells,
            )
        if self.without_members > self.without_cells:
            raise ValidationError(
                "a village without a member has no cell either: without_members "
                f"({self.without_members}) exceeds without_cells ({self.without_cells})",
                unit=self.unit,
                field="without_members",
                value=self.without_members,
            )

    def measure(self, measure: Measure) -> int:
        """The count of *measure*."""
        return self.without_members if measure == "without_members" else self.without_cells


@attrs.frozen
class VillageTarget:
    """At most *at_most* villages of *unit* without members (or cells), by *by*.

    Args:
        unit: The unit id.
        measure: ``"without_members"`` or ``"without_cells"`` (:data:`Measure`).
        at_most: The most that may remain (0: none).
        by: The date it is to be reached by, if stated (the end of the term).
        note: Where the target comes from.
    """

    unit: str
    measure: Measure
    at_most: int = attrs.field(validator=whole_count)
    by: dt.date | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValidationError(
                "unknown measure; use without_members or without_cells",
                unit=self.unit,
                field="measure",
                value=self.measure,
            )


@attrs.frozen
class TargetStatus:
    """Where a :class:`VillageTarget` stands on a date.

    Args:
        target: The target.
        current: The measure on the latest count on or before the date (``None``: no count).
        baseline: The measure on the unit's first count.
        reached: Whether *current* is at most the target (``None`` when unknown).
        remaining: How many more must go (0 once reached).
        progress: The share of the way from the baseline to the target gone,
            ``None`` when the baseline was already within the target.
    """

    target: VillageTarget
    current: int | None
    baseline: int | None
    reached: bool | None
    remaining: int | None
    progress: Ratio | None


@attrs.frozen
class VillageStatus:
    """A unit's village counts and targets on a date.

    Args:
        unit: The unit id.
        on: The date.
        counts: The latest :class:`VillageCount` on or before *on* (``None``: unknown).
        targets: Each target's :class:`TargetStatus`.
    """

    unit: str
    on: dt.date
    counts: VillageCount | None
    targets: tuple[TargetStatus, ...]


def village_status(
    counts: Iterable[VillageCount], targets: Iterable[VillageTarget], on: dt.date
) -> VillageStatus:
    """The village counts and the targets of one unit on *on*.

    *counts* and *targets* are the unit's own (other units' are ignored: the
    unit is the one of the first count, or else of the first target).
    """
    counts = sorted(counts, key=lambda c: c.date)
    targets = list(targets)
    unit = counts[0].unit if counts else targets[0].unit if targets else ""
    mine = [c for c in counts if c.unit == unit]
    seen = [c for c in mine if c.date <= on]
    latest = seen[-1] if seen else None
    first = mine[0] if mine else None
    statuses: list[TargetStatus] = []
    for target in (t for t in targets if t.unit == unit):
        current = None if latest is None else latest.measure(target.measure)
        baseline = None if first is None or first.date > on else first.measure(target.measure)
        reached = None if current is None else current <= target.at_most
        remaining = None if current is None else max(0, current - target.at_most)
        progress = None
        if current is not None and baseline is not None and baseline > target.at_most:
            progress = Ratio(baseline - current, baseline - target.at_most)
        statuses.append(TargetStatus(target, current, baseline, reached, remaining, progress))
    return VillageStatus(unit, on, latest, tuple(statuses))
