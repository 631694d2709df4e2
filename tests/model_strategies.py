"""Hypothesis strategies for the domain model: hierarchies, admissions and ledgers.

Kept apart from tests/strategies.py (arithmetic strategies) so both can grow
independently; sizes are small because every example builds a whole ledger.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import strategies as st

from partydev.model.coverage import Coverage
from partydev.model.ledger import Ledger
from partydev.model.lifecycle import (
    MOVEMENT_KINDS,
    STAGES,
    Movement,
    PipelineCount,
    ProbationTally,
)
from partydev.model.periods import Period
from partydev.model.records import Admission, Membership
from partydev.model.targets import Target
from partydev.model.terms import Term
from partydev.model.units import Unit

TERM = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31), congress="XXII")
"""The term every generated ledger uses."""

_LEVELS = ("province", "district", "grassroots", "cell", "cell", "cell", "cell", "cell")


def days_in(period: Period) -> st.SearchStrategy[date]:
    """Dates inside *period*."""
    return st.integers(0, period.days - 1).map(lambda n: period.start + timedelta(days=n))


@st.composite
def hierarchies(draw: st.DrawFn, max_units: int = 7) -> list[Unit]:
    """A tree of 1 to *max_units* units, each under an earlier one, in a shuffled order."""
    size = draw(st.integers(1, max_units))
    units: list[Unit] = []
    depth: dict[int, int] = {0: 0}
    for i in range(size):
        if i == 0:
            units.append(Unit("u0", "Tỉnh 0", "province"))
            continue
        parent = draw(st.integers(0, i - 1))
        depth[i] = depth[parent] + 1
        units.append(Unit(f"u{i}", f"Đơn vị {i}", _LEVELS[depth[i]], f"u{parent}"))
    return draw(st.permutations(units))


@st.composite
def admissions_for(draw: st.DrawFn, units: list[Unit], max_size: int = 20) -> list[Admission]:
    """Person-level admissions dated inside the term, in units of *units*."""
    ids = [unit.id for unit in units]
    return draw(
        st.lists(
            st.builds(
                Admission,
                unit=st.sampled_from(ids),
                date=days_in(TERM.period),
                age=st.none() | st.integers(18, 60),
            ),
            max_size=max_size,
        )
    )


@st.composite
def person_ledgers(draw: st.DrawFn) -> Ledger:
    """A ledger of a generated hierarchy with person-level admissions only, stated
    to cover the whole term for every unit (so a unit without admissions has 0)."""
    units = draw(hierarchies())
    return Ledger(
        units=units,
        terms=[TERM],
        admissions=draw(admissions_for(units)),
        covers=[Coverage(TERM.period)],
    )


def periods_within(outer: Period) -> st.SearchStrategy[Period]:
    """Sub-periods of *outer*."""
    return st.tuples(days_in(outer), days_in(outer)).map(
        lambda pair: Period.between(min(pair), max(pair))
    )


@st.composite
def rich_ledgers(draw: st.DrawFn) -> Ledger:
    """A ledger with targets, memberships and admissions carrying attributes (for codecs)."""
    units = draw(hierarchies(max_units=5))
    ids = [unit.id for unit in units]
    admissions = [
        attrs.evolve(
            admission,
            attributes=draw(
                st.dictionaries(
                    st.sampled_from(["sex", "education", "ethnic_minority"]),
                    st.sampled_from(["female", "male", "university", "yes", "Kinh"]),
                    max_size=2,
                )
            ),
            # A person is admitted once: the index keeps generated ids distinct.
            person=draw(
                st.none() | st.text("abc123", min_size=1, max_size=4).map(f"{i}-".__add__)
            ),
        )
        for i, admission in enumerate(draw(admissions_for(units, max_size=6)))
    ]
    targets = draw(
        st.lists(
            st.builds(
                Target,
                unit=st.sampled_from(ids),
                term=st.just("t"),
                value=st.integers(0, 5000),
                kind=st.sampled_from(["exact", "minimum"]),
                per_year=st.booleans(),
                period=st.none() | st.integers(2021, 2025).map(Period.year),
                source=st.sampled_from(["resolution", "internal", "assigned"]),
                derived=st.booleans(),
                note=st.text(max_size=8),
            ),
            max_size=4,
        )
    )
    memberships = draw(
        st.lists(
            st.builds(
                Membership,
                unit=st.sampled_from(ids),
                date=days_in(TERM.period),
                members=st.integers(0, 10**6),
            ),
            max_size=3,
        )
    )
    return Ledger(
        units=units,
        terms=[TERM],
        targets=targets,
        admissions=admissions,
        memberships=memberships,
        title=draw(st.text(max_size=10)),
        movements=draw(movements_for(ids)),
        probation=draw(probation_for(ids)),
        pipeline=draw(
            st.lists(
                st.builds(
                    PipelineCount,
                    unit=st.sampled_from(ids),
                    period=st.integers(2021, 2025).map(Period.year),
                    stage=st.sampled_from(STAGES),
                    count=st.integers(0, 900),
                    inclusive=st.booleans(),
                ),
                max_size=2,
                unique_by=lambda p: (p.unit, p.stage, p.inclusive, p.period),
            )
        ),
    )


def movements_for(ids: list[str]) -> st.SearchStrategy[list[Movement]]:
    """Movement counts (one per unit, kind, inclusiveness and year) and people's movements."""
    counts = st.lists(
        st.builds(
            Movement,
            unit=st.sampled_from(ids),
            period=st.integers(2021, 2025).map(Period.year),
            kind=st.sampled_from(MOVEMENT_KINDS),
            count=st.integers(0, 500),
            inclusive=st.booleans(),
        ),
        max_size=4,
        unique_by=lambda m: (m.unit, m.kind, m.inclusive, m.period),
    )
    people = st.lists(
        st.builds(
            Movement,
            unit=st.sampled_from(ids),
            period=days_in(TERM.period).map(lambda d: Period.between(d, d)),
            kind=st.sampled_from(MOVEMENT_KINDS),
            person=st.text("xyz", min_size=1, max_size=3),
        ),
        max_size=2,
    )
    return st.tuples(counts, people).map(lambda pair: [*pair[0], *pair[1]])


def probation_for(ids: list[str]) -> st.SearchStrategy[list[ProbationTally]]:
    """Probation tallies, one per unit, inclusiveness and year."""
    return st.lists(
        st.builds(
            ProbationTally,
            unit=st.sampled_from(ids),
            period=st.integers(2021, 2025).map(Period.year),
            recognised=st.integers(0, 50),
            not_recognised=st.none() | st.integers(0, 5),
            probationary=st.none() | st.integers(0, 80),
            inclusive=st.booleans(),
        ),
        max_size=2,
        unique_by=lambda t: (t.unit, t.inclusive, t.period),
    )
