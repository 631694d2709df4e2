"""Targets: their shapes, sources and how resolve_target picks one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from partydev.errors import PartydevError, UndeterminedError, ValidationError
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.model.records import Membership
from partydev.model.targets import ResolvedTarget, Target, resolve_target
from partydev.model.terms import Term
from partydev.model.units import Unit

TERM = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))


def _one(target: Target, period: Period | None = None) -> ResolvedTarget:
    resolved = resolve_target([target], TERM, period)
    assert resolved is not None
    return resolved


def test_exact_whole_term() -> None:
    """An exact whole-term target resolves to its value for the term."""
    target = Target("u", "t", 450)
    resolved = _one(target)
    assert (resolved.count, resolved.high, resolved.targets) == (450, None, (target,))
    assert resolve_target([target], TERM, Period.year(2022)) is None


def test_minimum() -> None:
    """A minimum ('từ 90 trở lên') resolves to its value with no upper bound."""
    resolved = _one(
        Target("u", "t", 90, kind="minimum", period=Period.year(2022)), Period.year(2022)
    )
    assert (resolved.count, resolved.high) == (90, None)


def test_range() -> None:
    """A range ('90 – 100') resolves to its low bound and keeps the high one."""
    target = Target("u", "t", 90, kind="range", high=100, per_year=True)
    assert (_one(target, Period.year(2023)).count, _one(target, Period.year(2023)).high) == (
        90,
        100,
    )
    whole = _one(target)
    assert (whole.count, whole.high) == (450, 500)


def test_per_year_whole_term() -> None:
    """A per-year target counts once for a year and once per target year for the term."""
    target = Target("u", "t", 1500, per_year=True)
    assert _one(target).count == 7500
    assert _one(target, Period.year(2021)).count == 1500
    assert _one(target, Period.year(2025)).count == 1500


def test_per_year_not_for_years_outside_term() -> None:
    """A per-year term target does not apply to a year outside the target years."""
    target = Target("u", "t", 1500, per_year=True)
    assert resolve_target([target], TERM, Period.year(2020)) is None
    assert resolve_target([target], TERM, Period.year(2026)) is None


def test_whole_term_not_per_year_for_a_year() -> None:
    """A whole-term total ('nhiệm kỳ 450') is not a yearly target."""
    assert resolve_target([Target("u", "t", 450)], TERM, Period.year(2022)) is None


def test_share_of_members_rounded_up() -> None:
    """3% of 71,441 members at the start of the year is 2,143.23, rounded up to 2,144."""
    target = Target("u", "t", kind="share_of_members", percent=Decimal("3"), per_year=True)
    members = {date(2024, 1, 1): 71441}
    resolved = resolve_target(
        [target], TERM, Period.year(2024), members_at=lambda day: members.get(day)
    )
    assert resolved is not None
    assert resolved.count == 2144


def test_share_of_members_through_ledger_snapshots() -> None:
    """A share target reads the latest snapshot on or before 1 January of each year."""
    ledger = Ledger(
        units=[Unit("u", "U", "province")],
        terms=[TERM],
        targets=[
            Target("u", "t", kind="share_of_members", percent="3", per_year=True),
        ],
        memberships=[
            Membership("u", date(2020, 12, 31), 70000),
            Membership("u", date(2021, 12, 31), 71441),
            Membership("u", date(2022, 7, 1), 99999),
        ],
    )

    def members_at(day: date) -> int | None:
        return ledger.members("u", day)

    def year(y: int) -> int:
        resolved = resolve_target(ledger.targets, TERM, Period.year(y), members_at=members_at)
        assert resolved is not None
        return resolved.count

    assert year(2021) == 2100  # 3% of 70,000
    assert year(2022) == 2144  # 3% of 71,441 = 2,143.23, up
    assert year(2023) == 3000  # 3% of 99,999 = 2,999.97, up


def test_share_of_members_start_of_term() -> None:
    """With reference start_of_term the share is of the members when the term opened."""
    target = Target("u", "t", kind="share_of_members", percent="3.5", reference="start_of_term")
    seen: list[date] = []

    def members_at(day: date) -> int:
        seen.append(day)
        return 1000

    resolved = resolve_target([target], TERM, members_at=members_at)
    assert resolved is not None
    assert resolved.count == 35
    assert seen == [TERM.start]


def test_share_without_membership_undetermined() -> None:
    """A share target without a membership figure is undetermined, naming the unit."""
    target = Target("u", "t", kind="share_of_members", percent="3", per_year=True)
    with pytest.raises(UndeterminedError) as info:
        resolve_target([target], TERM, Period.year(2022))
    assert info.value.unit == "u"
    assert "2022-01-01" in str(info.value)
    with pytest.raises(UndeterminedError):
        target.amount(1)


def test_category_sub_target() -> None:
    """A category sub-target is found only when that category is asked for."""
    general = Target("u", "t", 450)
    students = Target("u", "t", 150, category="student")
    assert _one(general).count == 450
    resolved = resolve_target([general, students], TERM, category="student")
    assert resolved is not None
    assert (resolved.count, resolved.targets) == (150, (students,))
    assert resolve_target([general, students], TERM) == ResolvedTarget(450, (general,))
    assert resolve_target([general], TERM, category="student") is None


def test_exact_scope_preferred_over_per_year() -> None:
    """For a year, a target scoped to exactly that year wins over a per-year term target."""
    per_year = Target("u", "t", 100, kind="minimum", per_year=True)
    plan = Target("u", "t", 110, period=Period.year(2021), source="assigned")
    resolved = resolve_target([per_year, plan], TERM, Period.year(2021))
    assert resolved is not None
    assert (resolved.count, resolved.source) == (110, "assigned")
    other = resolve_target([per_year, plan], TERM, Period.year(2022))
    assert other is not None
    assert (other.count, other.source) == (100, "resolution")


def test_annual_targets_summed_for_term() -> None:
    """Without a whole-term target, one annual target per target year is summed."""
    annual = [Target("u", "t", 100 + y, period=Period.year(2020 + y)) for y in range(1, 6)]
    resolved = resolve_target(annual, TERM)
    assert resolved is not None
    assert resolved.count == 101 + 102 + 103 + 104 + 105
    assert resolved.targets == tuple(annual)
    assert resolved.high is None


def test_annual_ranges_summed_with_high() -> None:
    """Summed annual ranges sum their high bounds too."""
    annual = [
        Target("u", "t", 90, kind="range", high=100, period=Period.year(y))
        for y in range(2021, 2026)
    ]
    resolved = resolve_target(annual, TERM)
    assert resolved is not None
    assert (resolved.count, resolved.high) == (450, 500)


def test_annual_targets_missing_a_year_give_none() -> None:
    """If one target year has no annual target the term target is unknown (None)."""
    annual = [Target("u", "t", 100, period=Period.year(y)) for y in range(2021, 2025)]
    assert resolve_target(annual, TERM) is None


def test_whole_term_preferred_over_annual_sum() -> None:
    """A whole-term target is used before summing annual ones."""
    annual = [Target("u", "t", 100, period=Period.year(y)) for y in range(2021, 2026)]
    whole = Target("u", "t", 450)
    resolved = resolve_target([*annual, whole], TERM)
    assert resolved is not None
    assert (resolved.count, resolved.targets) == (450, (whole,))


def test_source_preference_and_explicit_source() -> None:
    """Resolution beats assigned beats internal, unless a source is asked for."""
    internal = Target("u", "t", 600, source="internal")
    assigned = Target("u", "t", 500, source="assigned")
    resolution = Target("u", "t", 450, source="resolution")
    pool = [internal, assigned, resolution]
    chosen = resolve_target(pool, TERM)
    assert chosen is not None
    assert (chosen.count, chosen.source) == (450, "resolution")
    chosen = resolve_target([internal, assigned], TERM)
    assert chosen is not None
    assert chosen.source == "assigned"
    for source, count in (("internal", 600), ("assigned", 500), ("resolution", 450)):
        picked = resolve_target(pool, TERM, source=source)
        assert picked is not None
        assert (picked.count, picked.source) == (count, source)
    assert resolve_target([resolution], TERM, source="internal") is None


def test_other_terms_ignored() -> None:
    """Targets of another term are not considered."""
    assert resolve_target([Target("u", "other", 450)], TERM) is None


def test_derived_flag_carried() -> None:
    """A resolved target says whether its figure is derived rather than stated."""
    resolved = _one(Target("u", "t", 350, derived=True, note="implied"))
    assert resolved.derived
    assert not _one(Target("u", "t", 350)).derived


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"value": 1, "kind": "maximum"}, "kind", "maximum"),
        ({"value": 1, "source": "rumour"}, "source", "rumour"),
        ({"value": 1, "reference": "end_of_year"}, "reference", "end_of_year"),
        ({"kind": "share_of_members"}, "percent", None),
        ({"kind": "share_of_members", "percent": "0"}, "percent", Decimal("0")),
        ({"kind": "exact"}, "value", None),
        ({"value": 100, "kind": "range", "high": 90}, "high", 90),
        ({"value": 100, "kind": "range"}, "high", None),
        ({"value": 100, "high": 120}, "high", 120),
        ({"value": -1}, "value", -1),
        ({"value": 10, "kind": "range", "high": -5}, "high", -5),
        ({"value": True}, "value", True),
    ],
)
def test_validation_errors(kwargs: dict[str, object], field: str, value: object) -> None:
    """Each invalid target names the unit, the field and the value."""
    with pytest.raises(ValidationError) as info:
        Target("u", "t", **kwargs)  # type: ignore[arg-type]
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert (error.unit, error.field, error.value) == ("u", field, value)
    assert f"field {field!r}" in str(error)


def test_float_percent_refused() -> None:
    """A float percent is refused: a figure must be exact."""
    with pytest.raises(ValidationError):
        Target("u", "t", kind="share_of_members", percent=3.5)  # type: ignore[arg-type]


def test_for_unit_copies_every_field_but_unit_and_term() -> None:
    """A target set for another unit and term equals one built for them with the same fields."""
    target = Target(
        unit="a", term="t", value=90, kind="range", high=100, per_year=True, period="2023",
        source="assigned", category="young", derived=True, note="x",
    )  # fmt: skip
    copy = target.for_unit("b", "s")
    assert copy == attrs.evolve(target, unit="b", term="s")
    assert target.unit == "a"
