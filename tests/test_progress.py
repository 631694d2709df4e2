"""The progress report built from the Quảng Nam sample reproduces the seed's figures."""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import partydev
from partydev import Report, build_report, sample_ledger

AS_OF = date(2023, 6, 30)


def _rows(report: Report, table: str = "summary") -> dict[str, dict[str, object]]:
    return {str(r["unit_id"]): r for r in report.table(table).records()}


@pytest.fixture(scope="module")
def report() -> Report:
    """The default mid-term report of the sample."""
    return build_report(sample_ledger(), as_of=AS_OF)


def test_province_mid_term_figures(report: Report) -> None:
    """4,537 of 7,500 is 60.5 %, half the term has elapsed, and the province is ahead."""
    row = _rows(report)["quang-nam"]
    assert row["achieved"] == 4537
    assert row["target"] == 7500
    assert row["percent"] == Decimal("60.5")
    assert row["elapsed_percent"] == Decimal("50.0")
    assert row["pace"] == Decimal("1.21")
    assert row["status"] == "ahead"
    assert row["remaining"] == 2963
    assert row["required_per_year"] == 1186
    assert row["projected"] == 9074
    assert row["members"] == 71441
    assert row["share_of_members"] == Decimal("6.4")
    assert (row["achieved_2021"], row["achieved_2022"], row["achieved_2023"]) == (1732, 1877, 928)
    assert row["achieved_2024"] is None


def test_units_and_their_targets(report: Report) -> None:
    """Nam Giang 268 of 350, Tam Kỳ 335 of 500 (at least 100 a year), the bloc 485 of 500."""
    rows = _rows(report)
    assert (rows["nam-giang"]["achieved"], rows["nam-giang"]["target"]) == (268, 350)
    assert rows["nam-giang"]["target_derived"] == "yes"
    assert (rows["tam-ky"]["achieved"], rows["tam-ky"]["target"]) == (335, 500)
    assert rows["khoi-co-quan"]["percent"] == Decimal("97.0")
    assert list(rows) == ["quang-nam", "nam-giang", "tam-ky", "khoi-co-quan"]
    assert [rows[u]["depth"] for u in rows] == [0, 1, 1, 1]


def test_two_decimal_places_give_nam_giang_figure() -> None:
    """At two places, 268 of 350 prints as the seed's 76.57 %."""
    rows = _rows(build_report(sample_ledger(), as_of=AS_OF, places=2))
    assert rows["nam-giang"]["percent"] == Decimal("76.57")
    assert rows["quang-nam"]["percent"] == Decimal("60.49")


def test_period_table_has_tam_ky_plans(report: Report) -> None:
    """Tam Kỳ reached 104.5 % of its 2021 plan and 121.7 % of its 2022 plan."""
    periods = {(r["unit_id"], r["period"]): r for r in report.table("periods").records()}
    assert periods["tam-ky", "2021"]["percent"] == Decimal("104.5")
    assert periods["tam-ky", "2021"]["target"] == 110
    assert periods["tam-ky", "2022"]["percent"] == Decimal("121.7")
    assert periods["tam-ky", "2022"]["change"] == Decimal("21.7")
    assert periods["quang-nam", "2021"]["percent"] == Decimal("115.5")
    assert periods["quang-nam", "2023"]["complete"] == "no"
    # A running year compares with the same days of the previous year, which
    # the province reported only as a whole year: undetermined, not -50 %.
    assert periods["quang-nam", "2023"]["change"] is None


def test_half_year_periods() -> None:
    """With half-year periods the table has 2023-H1 and leaves straddled halves blank."""
    report = build_report(sample_ledger(), as_of=AS_OF, periods="half")
    periods = {(r["unit_id"], r["period"]): r for r in report.table("periods").records()}
    assert periods["tam-ky", "2023-H1"]["achieved"] == 80
    assert periods["quang-nam", "2021-H1"]["achieved"] is None
    assert ("quang-nam", "2023-H2") not in periods


def test_rollup_modes() -> None:
    """'sum' adds the sub-units (1,088); 'reported' and 'own' use the province's own total."""
    ledger = sample_ledger()
    summed = _rows(build_report(ledger, as_of=AS_OF, rollup="sum"))
    own = _rows(build_report(ledger, as_of=AS_OF, rollup="own"))
    assert summed["quang-nam"]["achieved"] == 268 + 335 + 485
    assert own["quang-nam"]["achieved"] == 4537
    assert own["tam-ky"]["achieved"] == 335


def test_elapsed_by_days_and_truncation() -> None:
    """By days 911/1826 of the term has elapsed (49.9 %); truncation gives 60.4 %."""
    rows = _rows(
        build_report(sample_ledger(), as_of=AS_OF, elapsed="day", rounding=decimal.ROUND_DOWN)
    )
    assert rows["quang-nam"]["elapsed_percent"] == Decimal("49.8")
    assert rows["quang-nam"]["percent"] == Decimal("60.4")
    half_up = _rows(build_report(sample_ledger(), as_of=AS_OF, elapsed="day"))
    assert half_up["quang-nam"]["elapsed_percent"] == Decimal("49.9")


def test_level_and_unit_selection() -> None:
    """--level province keeps the province; units= keeps a subtree."""
    ledger = sample_ledger()
    assert list(_rows(build_report(ledger, as_of=AS_OF, level="province"))) == ["quang-nam"]
    only = build_report(ledger, as_of=AS_OF, units=["tam-ky"])
    assert list(_rows(only)) == ["tam-ky"]
    assert _rows(only)["tam-ky"]["depth"] == 0
    assert {r["unit_id"] for r in only.table("claims").records()} == {"tam-ky"}


def test_target_source_choice() -> None:
    """Asking for assigned plans leaves units without one blank instead of guessing."""
    rows = _rows(build_report(sample_ledger(), as_of=AS_OF, target_source="assigned"))
    assert rows["quang-nam"]["target"] is None
    assert rows["quang-nam"]["percent"] is None
    assert rows["quang-nam"]["achieved"] == 4537


def test_metadata_states_conventions_and_never_the_clock(report: Report) -> None:
    """The metadata names every convention and two builds are equal."""
    meta = report.meta
    assert meta["as_of"] == AS_OF
    assert meta["elapsed"] == "elapsed_month"
    assert meta["rollup"] == "rollup_reported"
    assert meta["rounding"] == decimal.ROUND_HALF_UP
    assert meta["version"] == partydev.__version__
    assert meta["pace_tolerance"] == Decimal("5.00")
    assert build_report(sample_ledger(), as_of=AS_OF) == report


def test_report_is_immutable(report: Report) -> None:
    """Reports are frozen: fields cannot be reassigned."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.tables = ()  # type: ignore[misc]


def test_before_the_term_nothing_is_counted() -> None:
    """Before the target years start, achieved counts are blank and elapsed is 0 %."""
    rows = _rows(build_report(sample_ledger(), as_of=date(2020, 12, 31)))
    assert rows["quang-nam"]["achieved"] is None
    assert rows["quang-nam"]["elapsed_percent"] == Decimal("0.0")


def test_tolerance_changes_status() -> None:
    """A huge tolerance turns 'ahead' into 'on_track'."""
    rows = _rows(build_report(sample_ledger(), as_of=AS_OF, tolerance=Fraction(1)))
    assert rows["quang-nam"]["status"] == "on_track"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("rollup", "everything"),
        ("periods", "week"),
        ("elapsed", "fortnight"),
        ("rounding", "ROUND_SOMETIMES"),
        ("places", 9),
        ("target_source", "rumour"),
        ("level", "village"),
    ],
)
def test_bad_options_are_named(option: str, value: object) -> None:
    """An invalid option raises a ValidationError naming the option and value."""
    with pytest.raises(partydev.ValidationError) as info:
        build_report(sample_ledger(), as_of=AS_OF, **{option: value})  # type: ignore[arg-type]
    assert info.value.field == option
    assert repr(value) in str(info.value)
