"""Model constructors read date and period text, and refuse anything else at once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from partydev.errors import ValidationError
from partydev.model.claims import Claim
from partydev.model.codec import ledger_from_data
from partydev.model.periods import Period
from partydev.model.records import Admission, Membership, Tally
from partydev.model.targets import Target
from partydev.model.terms import Term


def test_tally_reads_period_text_and_years() -> None:
    """Tally('u', '2017', 1614) reads the period; a year int is that year."""
    assert Tally("u", "2017", 1614).period == Period.year(2017)
    assert Tally("u", 2017, 1614) == Tally("u", Period.year(2017), 1614)
    assert Tally("u", "6 tháng đầu năm 2023", 1).period == Period.half(2023, 1)


def test_target_and_claim_read_period_text() -> None:
    """Target and Claim periods accept the text parse_period reads."""
    assert Target("u", "t", 5, period="quý II/2023").period == Period.quarter(2023, 2)
    claim = Claim("c", "u", "count", "5", period="2021", as_of="30/6/2023")
    assert (claim.period, claim.as_of) == (Period.year(2021), date(2023, 6, 30))


def test_dates_read_iso_and_day_first_text() -> None:
    """Term, Membership and Admission dates accept ISO and '30/6/2023' text."""
    term = Term("t", "2020–2025", "1/10/2020", "2025-12-31")
    assert (term.start, term.end, term.first_target_year) == (
        date(2020, 10, 1),
        date(2025, 12, 31),
        2021,
    )
    assert Membership("u", "30/6/2023", 5).date == date(2023, 6, 30)
    admission = Admission("u", "2022-03-01", birth_date="1/1/2000")
    assert (admission.date, admission.birth_date) == (date(2022, 3, 1), date(2000, 1, 1))


def _refused(build: Any, field: str, unit: str | None = "u") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        build()
    assert (info.value.field, info.value.unit) == (field, unit), info.value
    assert isinstance(info.value, ValueError)
    return info.value


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Tally("u", "2017x", 1614), "period"),
        (lambda: Tally("u", 2017.0, 1614), "period"),
        (lambda: Tally("u", None, 1), "period"),
        (lambda: Tally("u", 10**30, 1), "period"),
        (lambda: Target("u", "t", 5, period="someday"), "period"),
        (lambda: Target("u", "t", 5, period=date(2023, 1, 1)), "period"),
        (lambda: Claim("c", "u", "count", "5", period=["2021"]), "period"),
        (lambda: Claim("c", "u", "count", "5", as_of="31/6/2023"), "as_of"),
        (lambda: Membership("u", "yesterday", 5), "date"),
        (lambda: Membership("u", 20230630, 5), "date"),
        (lambda: Admission("u", "2022-02-30"), "date"),
        (lambda: Admission("u", date(2022, 1, 1), birth_date=2000), "birth_date"),
    ],
)
def test_bad_dates_and_periods_name_field_and_unit(build: Any, field: str) -> None:
    """Anything that is not a date/period or text naming one is a ValidationError at once."""
    _refused(build, field)


def test_term_bad_date_names_field() -> None:
    """A Term with a start that is no date names 'start' instead of failing on .year."""
    error = _refused(lambda: Term("t", "x", "the congress", date(2025, 12, 31)), "start", None)
    assert "the congress" in str(error)


def test_unreadable_text_keeps_the_parsers_reason() -> None:
    """The error quotes why the text could not be read."""
    error = _refused(lambda: Membership("u", "31/6/2023", 5), "date")
    assert "not a valid date" in error.message


@pytest.mark.parametrize(
    "build",
    [
        lambda: Membership("u", datetime(2023, 6, 30, 8, 0), 5),
        lambda: Term("t", "x", datetime(2020, 10, 1, 8, 0), date(2025, 12, 31)),
        lambda: Claim("c", "u", "count", "5", as_of=datetime(2023, 6, 30)),
        lambda: Period(datetime(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_datetimes_are_refused(build: Any) -> None:
    """A datetime is not a date: refused at construction, not a TypeError when compared."""
    with pytest.raises(ValidationError, match="time of day"):
        build()


def test_toml_datetime_is_a_located_error() -> None:
    """A TOML datetime in a term or membership is a located error naming the field."""
    data: dict[str, Any] = {
        "units": [{"id": "p", "name": "P", "level": "province"}],
        "terms": [
            {"id": "t", "label": "x", "start": datetime(2020, 10, 1, 8), "end": "2025-12-31"}
        ],
    }
    with pytest.raises(ValidationError) as info:
        ledger_from_data(data)
    assert (info.value.path, info.value.field) == ("terms[0].start", "start")
    data["terms"][0]["start"] = "2020-10-01"
    data["memberships"] = [{"unit": "p", "date": datetime(2023, 6, 30, 8), "members": 1}]
    with pytest.raises(ValidationError) as info:
        ledger_from_data(data)
    assert info.value.path == "memberships[0].date"
    data["memberships"] = [
        {"unit": "p", "date": "2023-06-30", "members": 1},
    ]
    data["tallies"] = [
        {
            "unit": "p",
            "period": {"start": datetime(2021, 1, 1, 8), "end": date(2021, 12, 31)},
            "count": 1,
        }
    ]
    with pytest.raises(ValidationError) as info:
        ledger_from_data(data)
    assert info.value.path == "tallies[0].period"
