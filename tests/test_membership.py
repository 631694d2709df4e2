"""Probation, recognition and the membership balance (partydev.lifecycle, partydev.membership)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev import Claim, build_report, check_claims, sample_ledger
from partydev.calc.membership import (
    MAX_MISSING,
    Lifecycle,
    describe_missing,
    membership_balance,
    probation_figures,
)
from partydev.errors import (
    DuplicateError,
    InconsistentDataError,
    LedgerErrors,
    UnknownReferenceError,
    ValidationError,
)
from partydev.model.codec import ledger_from_data, ledger_to_data
from partydev.model.coverage import Coverage
from partydev.model.ledger import Ledger
from partydev.model.lifecycle import (
    Movement,
    PipelineCount,
    ProbationTally,
    Recognition,
    probation_due,
)
from partydev.model.lineage import Merge
from partydev.model.periods import Period
from partydev.model.records import Admission, Membership, Tally
from partydev.model.terms import Term
from partydev.model.units import Unit

TERM = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
UNITS = [
    Unit("p", "Tỉnh", "province"),
    Unit("a", "Huyện A", "district", "p"),
    Unit("b", "Huyện B", "district", "p"),
]


def _ledger(**records: Any) -> Ledger:
    records.setdefault("units", UNITS)
    return Ledger(**{"terms": [TERM], **records})


def _count(unit: str, period: Period, kind: str, count: int, **more: object) -> Movement:
    return Movement(unit, period, kind, count=count, **more)  # type: ignore[arg-type]


def _day(day: date) -> Period:
    return Period.between(day, day)


# -- the due date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admitted", "due"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),  # leap day: 28 February
        (date(2023, 2, 28), date(2024, 2, 28)),  # into a leap year: stays the 28th
        (date(2023, 1, 31), date(2024, 1, 31)),
        (date(2023, 12, 31), date(2024, 12, 31)),  # across a year end
        (date(2021, 3, 1), date(2022, 3, 1)),
    ],
)
def test_probation_due_adds_twelve_calendar_months(admitted: date, due: date) -> None:
    """The due date is twelve calendar months on; a missing day takes the month's last."""
    assert probation_due(admitted) == due


# -- probation counts ----------------------------------------------------------------------

ADMITTED = date(2022, 3, 15)  # due 2023-03-15


def _people(outcome: str | None = "official", decided: date | None = None) -> Ledger:
    admissions = [
        Admission("a", ADMITTED, person="x1"),
        Admission("a", ADMITTED, person="x2"),
    ]
    recognitions = []
    if outcome is not None:
        recognitions.append(Recognition("x1", decided or date(2023, 3, 20), outcome))  # type: ignore[arg-type]
    return _ledger(
        admissions=admissions,
        recognitions=recognitions,
        covers=[Coverage(Period.between(date(2020, 10, 1), date(2025, 12, 31)))],
    )


@pytest.mark.parametrize(
    ("as_of", "probationary", "overdue"),
    [
        (date(2023, 3, 14), 2, 0),  # the day before the due date
        (date(2023, 3, 15), 2, 0),  # on the due date: not overdue yet
        (date(2023, 3, 16), 2, 2),  # the day after: both overdue
        (date(2023, 3, 20), 1, 1),  # x1 recognised that day
    ],
)
def test_probationary_and_overdue_around_the_due_date(
    as_of: date, probationary: int, overdue: int
) -> None:
    """Members stay probationary until decided and are overdue from the day after the due date."""
    got = probation_figures(_people(), "a", Period.year(2023), as_of=as_of)
    assert (got.probationary, got.overdue) == (probationary, overdue)


def test_grace_delays_overdue_and_counts_late_decisions_on_time() -> None:
    """A grace of days keeps a decision on time and an undecided member not yet overdue."""
    late = _people(decided=date(2023, 3, 20))
    strict = probation_figures(late, "a", Period.year(2023))
    lenient = probation_figures(late, "a", Period.year(2023), grace=10)
    assert (strict.recognised, strict.recognised_on_time) == (1, 0)
    assert (lenient.recognised, lenient.recognised_on_time) == (1, 1)
    on_day = probation_figures(late, "a", Period.year(2023), as_of=date(2023, 3, 20), grace=10)
    assert on_day.overdue == 0


def test_recognised_counts_decisions_inside_the_period_only() -> None:
    """A decision counts in the period it falls in; a not-recognised outcome counts apart."""
    ledger = _people(outcome="not_recognised", decided=date(2023, 3, 15))
    in_2023 = probation_figures(ledger, "a", Period.year(2023))
    assert (in_2023.recognised, in_2023.not_recognised, in_2023.probationary) == (0, 1, 1)
    q2 = probation_figures(ledger, "a", Period.quarter(2023, 2))
    assert (q2.not_recognised, q2.recognised) == (0, 0)


def test_probation_rolls_up_to_the_parent() -> None:
    """A province's probationers are its districts' (it has none of its own)."""
    got = probation_figures(_people(), "p", Period.year(2023), as_of=date(2023, 6, 30))
    assert (got.probationary, got.recognised, got.overdue) == (1, 1, 1)


def test_probation_is_unknown_without_coverage_of_the_year_before() -> None:
    """Recognitions in 2021 come from 2020's admissions: without them, unknown, never 0."""
    ledger = _ledger(
        admissions=[Admission("a", date(2021, 5, 1), person="y")],
        covers=[Coverage(Period.between(date(2021, 1, 1), date(2025, 12, 31)))],
    )
    got = probation_figures(ledger, "a", Period.year(2021))
    assert got.recognised is None
    assert got.probationary is None
    assert ("recognised", "a") in got.missing
    known = probation_figures(ledger, "a", Period.year(2022))
    assert (known.probationary, known.recognised, known.overdue) == (1, 0, 1)


def test_a_member_who_leaves_is_no_longer_probationary() -> None:
    """A person's death on probation ends the probation."""
    ledger = _ledger(
        admissions=[Admission("a", ADMITTED, person="z")],
        movements=[Movement("a", _day(date(2022, 9, 1)), "death", person="z")],
        covers=[Coverage(TERM.period)],
    )
    assert probation_figures(ledger, "a", Period.year(2022)).probationary == 0


def test_probation_tallies_give_the_figures_of_units_without_people() -> None:
    """Tallies give what they state; a stock is taken at the period's end, a flow over it."""
    ledger = _ledger(
        probation=[
            ProbationTally("a", Period.half(2023, 1), recognised=40, recognised_on_time=35),
            ProbationTally("a", Period.half(2023, 2), recognised=20, probationary=70, overdue=3),
            ProbationTally("b", Period.year(2023), recognised=5, probationary=9, overdue=0),
        ]
    )
    year = probation_figures(ledger, "p", Period.year(2023))
    assert (year.recognised, year.probationary, year.overdue) == (65, 79, 3)
    assert year.recognised_on_time is None  # a half states no on-time count
    half = probation_figures(ledger, "a", Period.half(2023, 1))
    assert (half.recognised, half.recognised_on_time, half.probationary) == (40, 35, None)


@pytest.mark.parametrize(
    ("recognitions", "error", "message"),
    [
        ([Recognition("nobody", date(2023, 4, 1))], UnknownReferenceError, "no admission"),
        (
            [Recognition("x1", date(2023, 4, 1)), Recognition("x1", date(2023, 5, 1))],
            DuplicateError,
            "second recognition",
        ),
        ([Recognition("x1", date(2023, 3, 14))], InconsistentDataError, "before probation"),
    ],
)
def test_bad_recognitions_are_located_errors(
    recognitions: list[Recognition], error: type[Exception], message: str
) -> None:
    """An unknown person, a second decision or a decision before the due date names its record."""
    with pytest.raises(error, match=message) as raised:
        _ledger(admissions=[Admission("a", ADMITTED, person="x1")], recognitions=recognitions)
    assert raised.value.path == f"recognitions[{len(recognitions) - 1}]"  # type: ignore[attr-defined]


def test_records_refuse_bad_fields() -> None:
    """A movement needs one of count and person; kinds and outcomes come from the lists."""
    with pytest.raises(ValidationError, match="either a count or a person"):
        Movement("a", Period.year(2023), "death")
    with pytest.raises(ValidationError, match="unknown movement kind"):
        Movement("a", Period.year(2023), "emigration", count=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="one day"):
        Movement("a", Period.year(2023), "death", person="x")
    with pytest.raises(ValidationError, match="unknown outcome"):
        Recognition("x", date(2023, 1, 1), "maybe")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="exceeds"):
        ProbationTally("a", Period.year(2023), recognised=1, recognised_on_time=2)


def test_overlapping_movement_counts_are_refused() -> None:
    """Two counts of one unit and kind over overlapping periods name the second record."""
    with pytest.raises(InconsistentDataError, match="overlap") as raised:
        _ledger(
            movements=[
                _count("a", Period.year(2023), "death", 3),
                _count("a", Period.half(2023, 2), "death", 1),
            ]
        )
    assert raised.value.path == "movements[1]"


# -- the balance -------------------------------------------------------------------------

YEAR = Period.year(2022)


def _year_of(unit: str, deaths: int = 2, moved_in: int = 1, moved_out: int = 0) -> list[Movement]:
    return [
        _count(unit, YEAR, "death", deaths),
        _count(unit, YEAR, "expulsion", 0),
        _count(unit, YEAR, "removal", 1),
        _count(unit, YEAR, "resignation", 0),
        _count(unit, YEAR, "transfer_in", moved_in),
        _count(unit, YEAR, "transfer_out", moved_out),
    ]


def _balanced(end_a: int) -> Ledger:
    return _ledger(
        tallies=[Tally("a", YEAR, 10), Tally("b", YEAR, 4)],
        memberships=[
            Membership("a", date(2021, 12, 31), 100),
            Membership("a", date(2022, 12, 31), end_a),
            Membership("b", date(2021, 12, 31), 50),
            Membership("b", date(2022, 12, 31), 52),
        ],
        movements=[*_year_of("a"), *_year_of("b", deaths=1, moved_out=2)],
    )


def test_a_balance_that_closes() -> None:
    """100 + 10 admitted − 2 deaths − 1 removal + 1 in = 108: the gap is 0."""
    balance = membership_balance(_balanced(108), "a", YEAR)
    assert (balance.start, balance.admitted, balance.removed) == (100, 10, 3)
    assert (balance.expected_end, balance.end, balance.gap) == (108, 108, 0)
    assert balance.missing == ()


def test_a_balance_that_does_not_close() -> None:
    """An end snapshot 3 above the expected figure gives a gap of 3."""
    assert membership_balance(_balanced(111), "a", YEAR).gap == 3


def test_the_province_adds_up_its_districts() -> None:
    """Without a snapshot of its own the province's start and end add up its districts'."""
    balance = membership_balance(_balanced(108), "p", YEAR)
    assert (balance.start, balance.admitted, balance.end) == (150, 14, 160)
    assert balance.expected_end == 150 + 14 - 3 - 2 + 2 - 2
    assert balance.gap == 1


def test_missing_start_or_movements_are_unknown_never_zero() -> None:
    """No snapshot on the day before, or no count of a kind, leaves the figure unknown."""
    ledger = _ledger(
        tallies=[Tally("a", YEAR, 10)],
        memberships=[
            Membership("a", date(2021, 12, 30), 100),  # not the day before: not a start
            Membership("a", date(2022, 12, 31), 108),
        ],
        movements=[_count("a", YEAR, "death", 2)],
    )
    balance = membership_balance(ledger, "a", YEAR)
    assert balance.start is None
    assert balance.expected_end is None
    assert balance.gap is None
    assert balance.count("death") == 2
    assert balance.count("removal") is None
    assert ("start", "a") in balance.missing
    assert ("removal", "a") in balance.missing


def test_a_count_across_the_period_cannot_be_cut() -> None:
    """A yearly count is unknown for a half-year, never guessed by days."""
    ledger = _ledger(movements=[_count("a", YEAR, "death", 2)])
    assert membership_balance(ledger, "a", Period.half(2022, 1)).count("death") is None


def test_stated_coverage_counts_person_movements() -> None:
    """Where covers states person-level records complete, a day without one is 0."""
    ledger = _ledger(
        movements=[Movement("a", _day(date(2022, 4, 2)), "death", person="q")],
        covers=[Coverage(YEAR, units=["a"])],
    )
    balance = membership_balance(ledger, "a", YEAR)
    assert (balance.count("death"), balance.count("transfer_in")) == (1, 0)
    assert membership_balance(ledger, "a", Period.year(2023)).count("death") is None


def test_inclusive_counts_stand_for_the_parent() -> None:
    """A province's reported total of a kind wins over its districts' sum."""
    ledger = _ledger(
        movements=[
            _count("a", YEAR, "death", 2),
            _count("b", YEAR, "death", 1),
            _count("p", YEAR, "death", 7, inclusive=True),
        ]
    )
    assert membership_balance(ledger, "p", YEAR).count("death") == 7
    assert membership_balance(ledger, "a", YEAR).count("death") == 2


def test_transfers_between_two_districts_cancel_in_the_province() -> None:
    """Five moving from A to B change neither the province's expected end nor its gap."""
    plain = _balanced(108)
    moved = plain.evolve(
        movements=[
            *(m for m in plain.movements if m.kind not in ("transfer_in", "transfer_out")),
            *_year_of("a", moved_out=5)[4:],
            *_year_of("b", moved_in=6, moved_out=2)[4:],
        ]
    )
    before = membership_balance(plain, "p", YEAR)
    after = membership_balance(moved, "p", YEAR)
    assert after.count("transfer_out") == 2 + 5
    assert before.count("transfer_out") == 2
    assert (after.expected_end, after.gap) == (before.expected_end, before.gap)


def test_merged_units_pass_their_movements_and_snapshots_to_the_successor() -> None:
    """After A merges into B, B's balance carries A's start, admissions and movements."""
    ledger = _balanced(108).evolve(
        events=[Merge(date(2022, 7, 1), ("a",), "b")],
        memberships=[
            Membership("a", date(2021, 12, 31), 100),
            Membership("b", date(2021, 12, 31), 50),
            Membership("b", date(2022, 12, 31), 160),
        ],
    )
    balance = membership_balance(ledger, "b", YEAR)
    assert (balance.start, balance.admitted, balance.removed) == (150, 14, 5)
    assert balance.expected_end == 150 + 14 - 5 + 2 - 2
    assert "a" not in Lifecycle(ledger, date(2022, 12, 31)).hierarchy


def test_the_sample_states_its_membership_and_no_balance() -> None:
    """The sample's 71,441 members at 30/6/2023 end a half-year whose start is unknown."""
    balance = membership_balance(sample_ledger(), "quang-nam", Period.half(2023, 1))
    assert (balance.end, balance.admitted, balance.start, balance.gap) == (71441, 928, None, None)


def test_lifecycle_records_survive_the_json_round_trip() -> None:
    """Recognitions, probation tallies and movements are written and read back equal."""
    ledger = _people().evolve(
        probation=[ProbationTally("b", YEAR, recognised=3, inclusive=True)],
        movements=[
            *_year_of("a"),
            Movement("b", _day(date(2022, 5, 1)), "transfer_in", person="w"),
        ],
    )
    data = ledger_to_data(ledger)
    assert {"recognitions", "probation", "movements"} <= set(data)
    assert ledger_from_data(data) == ledger
    assert "movements" not in ledger_to_data(_ledger())


# -- properties --------------------------------------------------------------------------

MONTHS = [Period.month(2022, m) for m in range(1, 13)]
KINDS = ("death", "expulsion", "removal", "resignation", "transfer_in", "transfer_out")


@st.composite
def monthly_ledgers(draw: st.DrawFn) -> Ledger:
    """Two districts with monthly counts of every kind and a snapshot at every month end."""
    movements: list[Movement] = []
    tallies: list[Tally] = []
    memberships: list[Membership] = []
    for unit in ("a", "b"):
        memberships.append(Membership(unit, date(2021, 12, 31), draw(st.integers(0, 500))))
        for month in MONTHS:
            tallies.append(Tally(unit, month, draw(st.integers(0, 9))))
            for kind in KINDS:
                movements.append(_count(unit, month, kind, draw(st.integers(0, 4))))
            memberships.append(Membership(unit, month.end, draw(st.integers(0, 500))))
    return _ledger(tallies=tallies, memberships=memberships, movements=movements)


@settings(max_examples=40, deadline=None)
@given(ledger=monthly_ledgers(), cut=st.integers(1, 11), unit=st.sampled_from(["a", "b", "p"]))
def test_balance_is_additive_over_consecutive_periods(ledger: Ledger, cut: int, unit: str) -> None:
    """Flows over two consecutive periods add up, and so do their gaps (the middle cancels)."""
    first = Period.between(date(2022, 1, 1), MONTHS[cut - 1].end)
    second = Period.between(MONTHS[cut].start, date(2022, 12, 31))
    lifecycle = Lifecycle(ledger, date(2022, 12, 31))
    whole = lifecycle.balances(YEAR, [unit])[unit]
    one = lifecycle.balances(first, [unit])[unit]
    two = lifecycle.balances(second, [unit])[unit]
    assert whole.moved == tuple(x + y for x, y in zip(one.moved, two.moved, strict=True))  # type: ignore[operator]
    assert whole.admitted == one.admitted + two.admitted  # type: ignore[operator]
    assert whole.gap == one.gap + two.gap  # type: ignore[operator]
    assert (whole.start, whole.end) == (one.start, two.end)


@settings(max_examples=40, deadline=None)
@given(ledger=monthly_ledgers(), month=st.sampled_from(MONTHS))
def test_balance_is_additive_over_sub_units(ledger: Ledger, month: Period) -> None:
    """The province's balance is the sum of its districts' in every figure."""
    got = Lifecycle(ledger, date(2022, 12, 31)).balances(month)
    p, a, b = got["p"], got["a"], got["b"]
    assert p.moved == tuple(x + y for x, y in zip(a.moved, b.moved, strict=True))  # type: ignore[operator]
    for name in ("start", "admitted", "end", "expected_end", "gap", "removed"):
        assert getattr(p, name) == getattr(a, name) + getattr(b, name), name


# -- claims and the report -----------------------------------------------------------------


def _claimed(stated: str, end_a: int = 108) -> Ledger:
    claim = Claim("a-2022", "a", "members_balance", stated, period=YEAR, term="t")
    return _balanced(end_a).evolve(claims=[claim])


def test_a_stated_total_that_the_balance_gives_is_consistent() -> None:
    """108 stated for A's 2022 balance that closes at 108: consistent, no flag."""
    (verdict,) = check_claims(_claimed("108"))
    assert (verdict.status, verdict.computed, verdict.flags) == ("consistent", 108, ())


def test_a_gap_is_flagged() -> None:
    """The stated 108 matches the balance, but the end snapshot of 111 leaves a gap: flagged."""
    (verdict,) = check_claims(_claimed("108", end_a=111))
    assert verdict.status == "consistent"
    assert verdict.flags == ("balance_gap",)
    assert "111" in verdict.reason_en


def test_a_stated_total_off_the_balance_is_inconsistent() -> None:
    """A stated 110 where the balance gives 108 is inconsistent."""
    (verdict,) = check_claims(_claimed("110"))
    assert (verdict.status, verdict.computed) == ("inconsistent", 108)


def test_a_balance_with_missing_parts_is_unverifiable() -> None:
    """Without the start snapshot the balance cannot be drawn up; the reason names it."""
    claim = Claim("p", "quang-nam", "members_balance", "71.441", period=Period.half(2023, 1))
    (verdict,) = check_claims(sample_ledger().evolve(claims=[claim]))
    assert verdict.status == "unverifiable"
    assert "Members at the start (2022-12-31): Đảng bộ tỉnh Quảng Nam; Deaths: " in (
        verdict.reason_en
    )


def test_the_report_shows_balance_and_probation_columns() -> None:
    """With movements and recognitions the summary gains their columns, unknown left empty."""
    ledger = _balanced(111).evolve(
        admissions=[Admission("b", ADMITTED, person="x1")],
        recognitions=[Recognition("x1", date(2023, 3, 20))],
        covers=[Coverage(Period.between(date(2021, 1, 1), date(2025, 12, 31)), units=["b"])],
    )
    report = build_report(ledger, as_of=date(2022, 12, 31), period="2022")
    rows = {row["unit_id"]: row for row in report.summary.records()}
    assert (rows["a"]["members_start"], rows["a"]["members_end"], rows["a"]["balance_gap"]) == (
        100,
        111,
        3,
    )
    assert rows["a"]["removed"] == 3
    assert rows["b"]["probationary"] == 1
    assert rows["a"]["probationary"] is None  # A has neither people nor tallies
    assert rows["a"]["balance_note"] is None


def test_the_report_without_lifecycle_records_keeps_its_columns() -> None:
    """A ledger without movements or recognitions gets none of the new columns."""
    keys = [c.key for c in build_report(sample_ledger(), as_of=date(2023, 6, 30)).summary.columns]
    assert "members_start" not in keys
    assert "probationary" not in keys


# -- the candidate pipeline ----------------------------------------------------------------


def _stage(unit: str, period: Period, stage: str, count: int, **more: Any) -> PipelineCount:
    return PipelineCount(unit, period, stage, count, **more)  # type: ignore[arg-type]


def _piped() -> Ledger:
    return _ledger(
        tallies=[Tally("a", YEAR, 30), Tally("b", YEAR, 9)],
        pipeline=[
            _stage("a", YEAR, "source_pool", 80),
            _stage("a", YEAR, "awareness_class", 40),
            _stage("b", Period.half(2022, 1), "awareness_class", 6),
            _stage("b", Period.half(2022, 2), "awareness_class", 6),
        ],
    )


def test_the_pipeline_ratio_is_admitted_per_graduate() -> None:
    """30 admitted of 40 who completed the class: 0.75 admitted per graduate."""
    got = Lifecycle(_piped(), date(2022, 12, 31)).pipelines(YEAR)
    assert (got["a"].source_pool, got["a"].awareness_class) == (80, 40)
    assert got["a"].admitted_per_graduate == Fraction(3, 4)
    assert got["b"].admitted_per_graduate == Fraction(9, 12)  # the halves tile the year


def test_a_stage_without_counts_is_unknown_and_rolls_up_unknown() -> None:
    """B states no source pool: unknown for B and for the province, never 0."""
    got = Lifecycle(_piped(), date(2022, 12, 31)).pipelines(YEAR)
    assert got["b"].source_pool is None
    assert got["p"].source_pool is None
    assert ("source_pool", "b") in got["p"].missing
    assert got["p"].awareness_class == 52
    assert got["p"].admitted_per_graduate == Fraction(39, 52)


def test_no_graduates_gives_no_ratio() -> None:
    """A ratio over 0 graduates is not a figure."""
    ledger = _ledger(
        tallies=[Tally("a", YEAR, 3)], pipeline=[_stage("a", YEAR, "awareness_class", 0)]
    )
    assert Lifecycle(ledger, date(2022, 12, 31)).pipelines(YEAR)["a"].admitted_per_graduate is None


def test_pipeline_in_the_report_and_the_round_trip() -> None:
    """The summary shows the stages and the ratio; the JSON round trip keeps the counts."""
    ledger = _piped()
    report = build_report(ledger, as_of=date(2022, 12, 31), period="2022")
    rows = {row["unit_id"]: row for row in report.summary.records()}
    assert (rows["a"]["source_pool"], rows["a"]["admitted_per_graduate"]) == (80, Decimal("0.75"))
    assert ledger_from_data(ledger_to_data(ledger)) == ledger


def test_bad_pipeline_counts_are_refused() -> None:
    """An unknown stage, and overlapping counts of one stage, are located errors."""
    with pytest.raises(ValidationError, match="unknown stage"):
        _stage("a", YEAR, "interview", 1)
    with pytest.raises(InconsistentDataError, match="overlap") as raised:
        _ledger(
            pipeline=[
                _stage("a", YEAR, "source_pool", 5),
                _stage("a", Period.month(2022, 3), "source_pool", 1),
            ]
        )
    assert raised.value.path == "pipeline[1]"


def test_merged_units_pass_probationers_and_pipelines_to_the_successor() -> None:
    """After A merges into B, B carries A's probationers and awareness-class counts."""
    ledger = _people().evolve(
        events=[Merge(date(2023, 1, 1), ("a",), "b")],
        pipeline=[
            _stage("a", YEAR, "awareness_class", 5),
            _stage("b", YEAR, "awareness_class", 2),
        ],
    )
    lifecycle = Lifecycle(ledger, date(2023, 6, 30))
    assert lifecycle.probations(Period.year(2023))["b"].probationary == 1
    assert lifecycle.pipelines(YEAR)["b"].awareness_class == 7


def test_every_lifecycle_problem_is_reported_at_once() -> None:
    """Two bad recognitions and an overlapping movement count are three located problems."""
    with pytest.raises(LedgerErrors) as raised:
        _ledger(
            admissions=[Admission("a", ADMITTED, person="x1")],
            recognitions=[Recognition("nobody", date(2023, 4, 1)), Recognition("x1", ADMITTED)],
            movements=[
                _count("a", YEAR, "death", 1),
                _count("a", Period.month(2022, 5), "death", 1),
            ],
        )
    paths = sorted(error.path or "" for error in raised.value.errors)
    assert paths == ["movements[1]", "recognitions[0]", "recognitions[1]"]


def test_a_long_missing_note_still_names_every_figure() -> None:
    """Past the first figures a note lists with their units, the other missing figures
    are named too (in both languages), never left as a bare count."""
    missing = tuple(
        (figure, unit)
        for figure in ("start", "death", "expulsion", "removal", "transfer_out")
        for unit in ("a", "b", "c", "d", "e")
    )
    vi = describe_missing(missing, Period.year(2022), "vi")
    en = describe_missing(missing, Period.year(2022), "en")
    assert MAX_MISSING == 3
    assert en == (
        "Unknown: Members at the start (2021-12-31): a, b, c +2; Deaths: a, b, c +2; "
        "Expulsions: a, b, c +2; also unknown: Removals, Transfers out"
    )
    assert vi is not None
    assert vi.endswith("; cũng chưa có: Số xóa tên, Số chuyển đi")
