"""What every claim check shares: one claim's job, the lookups, and the verdict it yields.

The lookups (achievement engines, counts per unit, breakdowns, which units
have data) are computed once per (as-of, period) for all claims, so checking
many claims of one ledger stays linear in the ledger's size.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs

from ..calc.achieved import Achievements, RollUp
from ..model.claims import Claim
from ..model.ledger import Ledger
from ..model.periods import Period
from ..model.terms import Term
from ._reasons import Text
from ._verdict import Verdict, VerdictStatus

__all__ = ["Context", "Job", "units_with_data", "verdict"]


@attrs.frozen
class Job:
    """One claim with everything resolved that every kind needs."""

    claim: Claim
    term: Term
    period: Period
    when: date
    name: str
    places: int | None
    nearly: Fraction


def verdict(job: Job, status: VerdictStatus, reason: Text, **fields: object) -> Verdict:
    """The verdict on *job*'s claim; *fields* fill the rest of :class:`~partydev.Verdict`."""
    claim = job.claim
    return Verdict(
        claim=claim.id,
        unit=claim.unit,
        kind=claim.kind,
        comparison=claim.comparison,
        status=status,
        stated=claim.stated,
        reason_vi=reason[0],
        reason_en=reason[1],
        as_of=job.when,
        period=job.period,
        stated_base=claim.base,
        **fields,  # type: ignore[arg-type]
    )


@attrs.define
class Context:
    """Engines and counts per (as-of, period), each computed once for all claims."""

    ledger: Ledger
    rollup: RollUp
    engines: dict[date, Achievements] = attrs.field(factory=dict)
    counts: dict[tuple[date, Period], dict[str, int | None]] = attrs.field(factory=dict)
    shares: dict[tuple[date, Period, str], dict[str, tuple[int | None, ...]]] = attrs.field(
        factory=dict
    )
    with_data: dict[tuple[date, Period], set[str]] = attrs.field(factory=dict)

    def engine(self, when: date) -> Achievements:
        if when not in self.engines:
            self.engines[when] = Achievements(self.ledger, when)
        return self.engines[when]

    def count(self, unit: str, period: Period, when: date) -> int | None:
        key = (when, period)
        if key not in self.counts:
            self.counts[key] = self.engine(when).counts(period, self.rollup)
        return self.counts[key].get(unit)

    def category_count(self, unit: str, period: Period, when: date, category: str) -> int | None:
        key = (when, period, category)
        if key not in self.shares:
            chosen = [self.ledger.category(category)]
            self.shares[key] = self.engine(when).vectors(period, self.rollup, chosen)
        vector = self.shares[key].get(unit)
        return None if vector is None else vector[1]

    def has_data(self, unit: str, period: Period, when: date) -> bool:
        """Whether the unit or a sub-unit has any record in *period* up to *when*."""
        key = (when, period)
        if key not in self.with_data:
            self.with_data[key] = units_with_data(self.ledger, self.engine(when), period)
        return unit in self.with_data[key]

    def admitted(self, unit: str, period: Period, when: date) -> int | None:
        """The unit's admissions in *period* up to *when*; None without any record there."""
        if not self.has_data(unit, period, when):
            return None
        return self.count(unit, period, when)


def units_with_data(ledger: Ledger, engine: Achievements, period: Period) -> set[str]:
    """The units that, or whose sub-units, have a record in *period* up to the engine's date."""
    clipped = period.until(engine.as_of)
    found: set[str] = set()
    if clipped is None:
        return found
    hierarchy = engine.hierarchy
    for unit in reversed(hierarchy.order()):
        if any(child in found for child in hierarchy.children(unit)) or any(
            ledger.admission_count(source, clipped) > 0
            or any(t.period.overlaps(clipped) for t in ledger.tallies_of(source))
            for source in engine.sources(unit)
        ):
            found.add(unit)
    return found
