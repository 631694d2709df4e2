"""Reports on partial data: any period against its own target, and unknown is never zero."""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partydev
from partydev import Period, Tally, build_report, export, loads_ledger
from partydev.calc.achieved import Achievements
from partydev.errors import InconsistentDataError, PartydevWarning
from partydev.model.ledger import Ledger
from partydev.report.progress import default_as_of
from partydev.shell.cli import main

HEAD = """\
schema = "partydev-ledger/1"
title = "Thử nghiệm"

[[units]]
id = "tinh"
name = "Đảng bộ tỉnh"
level = "province"

[[units]]
id = "a"
name = "Huyện A"
level = "district"
parent = "tinh"

[[units]]
id = "b"
name = "Huyện B"
level = "district"
parent = "tinh"

[[terms]]
id = "2020-2025"
label = "2020–2025"
start = 2020-10-01
end = 2025-12-31

[[targets]]
unit = "tinh"
term = "2020-2025"
value = 815
per_year = true
"""


def _ledger(*tallies: tuple[str, str, int, bool], extra: str = "", top: str = "") -> Ledger:
    text = top + HEAD + extra
    for unit, period, count, inclusive in tallies:
        text += (
            f'\n[[tallies]]\nunit = "{unit}"\nperiod = "{period}"\ncount = {count}\n'
            f"inclusive = {'true' if inclusive else 'false'}\n"
        )
    return loads_ledger(text)


def _row(report: partydev.Report, unit: str, table: str = "summary") -> dict[str, Any]:
    return next(r for r in report.table(table).records() if r["unit_id"] == unit)


# -- one half-year only ------------------------------------------------------------------


def test_a_half_year_against_the_annual_target() -> None:
    """288 admitted in H1 2022 is 35,34% of the year's 815, as the press writes it."""
    ledger = _ledger(("tinh", "2022-H1", 288, True))
    report = build_report(ledger, as_of=date(2022, 6, 30), period="6 tháng đầu năm 2022", places=2)
    row = _row(report, "tinh")
    assert (row["achieved"], row["target"], row["percent"]) == (288, 815, Decimal("35.34"))
    assert row["elapsed_percent"] == Decimal("50.00")
    assert row["remaining"] == 815 - 288
    assert report.title_vi == (
        "Kết quả phát triển đảng viên 6 tháng đầu năm 2022, tính đến ngày 30/6/2022"
    )
    assert report.title_en == "Party-member development, first half of 2022, as of 2022-06-30"
    assert report.meta["period"] == "2022-H1"
    assert report.meta["target_period"] == "2022"


def test_a_half_year_only_leaves_the_term_unknown() -> None:
    """With only H1 2022 tallied, the term to date is empty with a note, never 0 or 288."""
    report = build_report(_ledger(("tinh", "2022-H1", 288, True)), as_of=date(2022, 6, 30))
    row = _row(report, "tinh")
    assert row["achieved"] is None
    assert row["percent"] is None
    assert row["achieved_known"] == 288
    assert row["achieved_2021"] is None  # nothing is known about 2021: not 0
    assert "chưa có số liệu" in row["note"]
    assert "2021" in row["note"]
    assert row["note_en"].startswith("no data for")
    assert "at least 288 known" in row["note_en"]


def test_sub_units_without_figures_are_unknown_not_zero() -> None:
    """Districts with no record at all are empty for 2022-H1, each with its note."""
    report = build_report(
        _ledger(("tinh", "2022-H1", 288, True)), as_of=date(2022, 6, 30), period="2022-H1"
    )
    for unit in ("a", "b"):
        row = _row(report, unit)
        assert row["achieved"] is None
        assert row["achieved_known"] is None  # nothing known: no lower bound either
        assert row["note_en"] == "no data for H1 2022"


# -- one year missing ----------------------------------------------------------------------


def test_a_missing_year_is_named_and_the_rest_is_a_lower_bound() -> None:
    """Tallies for 2021 and 2023 but not 2022: the term is unknown, at least their sum."""
    ledger = _ledger(("tinh", "2021", 700, True), ("tinh", "2023", 900, True))
    report = build_report(ledger, as_of=date(2023, 12, 31))
    row = _row(report, "tinh")
    assert row["achieved"] is None
    assert row["achieved_known"] == 1600
    assert row["note_en"] == "no data for 2022; at least 1,600 known"
    assert (row["achieved_2021"], row["achieved_2022"], row["achieved_2023"]) == (
        700,
        None,
        900,
    )
    years = {r["period"]: r for r in report.table("periods").records() if r["unit_id"] == "tinh"}
    assert years["2022"]["achieved"] is None
    assert years["2022"]["note"] == (  # the province did not report it, nor did its districts
        "Huyện A: chưa có số liệu năm 2022; Huyện B: chưa có số liệu năm 2022"
    )
    assert years["2023"]["change"] is None  # against an unknown 2022: no change either


def test_partition_of_the_term_to_date_is_known() -> None:
    """2021 + 2022 + 2023-H1 tile the term to 30/6/2023: the figure is their sum."""
    ledger = _ledger(
        ("tinh", "2021", 700, True), ("tinh", "2022", 800, True), ("tinh", "2023-H1", 300, True)
    )
    row = _row(build_report(ledger, as_of=date(2023, 6, 30)), "tinh")
    assert row["achieved"] == 1800
    assert row["note"] is None


def test_months_partition_a_quarter() -> None:
    """January–February plus March is the first quarter."""
    ledger = _ledger(("a", "2024-01-01..2024-02-29", 5, False), ("a", "2024-03", 2, False))
    engine = Achievements(ledger, date(2024, 3, 31))
    assert engine.figure("a", Period.quarter(2024, 1)).value == 7
    assert engine.figure("a", Period.month(2024, 2)).value is None


# -- real zeros, coverage ------------------------------------------------------------------


def test_a_real_zero_stays_zero() -> None:
    """Covered by a statement and nobody admitted: 0, not empty."""
    ledger = _ledger(top='covers = "2021-01-01..2022-12-31"\n')
    report = build_report(ledger, as_of=date(2022, 12, 31), period="2022")
    assert [_row(report, u)["achieved"] for u in ("tinh", "a", "b")] == [0, 0, 0]
    assert _row(report, "tinh")["percent"] == Decimal("0.0")


def test_coverage_for_listed_units_only() -> None:
    """covers listing one district: the other stays unknown and the province with it."""
    extra = '\n[[covers]]\nperiod = "2022"\nunits = ["a"]\n'
    engine = Achievements(_ledger(extra=extra), date(2022, 12, 31))
    figures = {u: engine.figure(u, Period.year(2022)) for u in ("tinh", "a", "b")}
    assert figures["a"].value == 0
    assert figures["b"].value is None
    assert figures["tinh"].value is None
    assert [g.unit for g in figures["tinh"].gaps] == ["b"]


def test_admission_outside_its_stated_coverage_is_located() -> None:
    """An admission dated outside the span its records are said to cover is an error."""
    extra = '\n[[admissions]]\nunit = "a"\ndate = 2023-02-01\n'
    with pytest.raises(InconsistentDataError) as info:
        _ledger(extra=extra, top='covers = "2022"\n')
    assert (info.value.unit, info.value.field, info.value.path) == ("a", "date", "admissions[0]")


def test_file_coverage_speaks_for_the_units_in_the_file(tmp_path: Path) -> None:
    """A CSV file's covers applies to its units, or to the units it lists and below."""
    (tmp_path / "a.csv").write_text("unit,date\na,2022-03-01\n", encoding="utf-8")
    ledger_file = tmp_path / "l.toml"
    for entry, expected in (
        ('{ path = "a.csv", covers = "2022" }', {"a": 1, "b": None, "tinh": None}),
        ('{ path = "a.csv", covers = "2022", units = ["tinh"] }', {"a": 1, "b": 0, "tinh": 1}),
    ):
        ledger_file.write_text(HEAD + f"\n[files]\nadmissions = [{entry}]\n", encoding="utf-8")
        ledger = partydev.load_ledger(ledger_file)
        counts = Achievements(ledger, date(2022, 12, 31)).counts(Period.year(2022))
        assert counts == expected
        assert partydev.model.ledger_from_data(partydev.model.ledger_to_data(ledger)) == ledger


# -- nested tallies --------------------------------------------------------------------------


def test_nested_tallies_count_the_coarsest_exact_cover() -> None:
    """A year and its first half: the year counts for the year, the half for the half."""
    ledger = _ledger(("tinh", "2022", 900, True), ("tinh", "2022-H1", 400, True))
    engine = Achievements(ledger, date(2022, 12, 31))
    assert engine.figure("tinh", Period.year(2022)).value == 900
    assert engine.figure("tinh", Period.half(2022, 1)).value == 400
    second = engine.figure("tinh", Period.half(2022, 2))
    assert second.value is None
    assert second.gaps[0].reason == "split"


def test_check_reports_halves_that_contradict_their_year() -> None:
    """Halves adding up to less than their year's tally are an inconsistent finding."""
    ledger = _ledger(
        ("tinh", "2022", 900, True), ("tinh", "2022-H1", 400, True), ("tinh", "2022-H2", 300, True)
    )
    found = [f for f in partydev.check_rollup(ledger) if "nested_tallies" in f.flags]
    assert [(f.status, f.reported, f.summed, f.gap) for f in found] == [
        ("inconsistent", 900, 700, 200)
    ]
    assert "its parts add up to 700" in found[0].reason_en


# -- which term, which date ------------------------------------------------------------------


TWO_TERMS = """
[[terms]]
id = "2015-2020"
label = "2015–2020"
start = 2015-10-01
end = 2020-09-30
"""


def test_the_term_in_force_on_the_date_is_chosen() -> None:
    """Without a term id, the term that contains the as-of date, not the latest."""
    ledger = _ledger(("tinh", "2018", 50, True), extra=TWO_TERMS)
    report = build_report(ledger, as_of=date(2018, 12, 31), period="2018")
    assert report.meta["term_id"] == "2015-2020"
    assert build_report(ledger, as_of=date(2022, 1, 1)).meta["term_id"] == "2020-2025"


def test_an_as_of_outside_the_term_warns() -> None:
    """Asking for a term the as-of date lies outside gives a PartydevWarning."""
    ledger = _ledger(("tinh", "2018", 50, True), extra=TWO_TERMS)
    with pytest.warns(PartydevWarning, match="outside term 2020-2025"):
        build_report(ledger, as_of=date(2018, 12, 31), term="2020-2025")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_report(ledger, as_of=date(2018, 12, 31))


def test_the_default_date_is_the_last_the_data_covers() -> None:
    """The default as-of date is the latest tally end (never the clock)."""
    ledger = _ledger(("tinh", "2021", 700, True), ("tinh", "2022-H1", 300, True))
    assert default_as_of(ledger) == date(2022, 6, 30)
    assert partydev.check_rollup(ledger) == partydev.check_rollup(ledger, date(2022, 6, 30))


def test_cli_says_which_date_it_chose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`report LEDGER` without --as-of reports as of the data's last date and says so."""
    path = tmp_path / "l.toml"
    path.write_text(HEAD + '\n[[tallies]]\nunit = "tinh"\nperiod = "2022-H1"\ncount = 288\n'
                    'inclusive = true\n', encoding="utf-8")  # fmt: skip
    code = main(["report", str(path), "--period", "6 tháng đầu năm 2022", "--places", "2"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "tính đến ngày 30/6/2022" in err
    assert out.startswith("Kết quả phát triển đảng viên 6 tháng đầu năm 2022")
    assert "35,34%" in out
    code = main(["report", str(path), "--locale", "en"])
    out, err = capsys.readouterr()
    assert "as of 2022-06-30" in err
    line = next(x for x in out.splitlines() if x.startswith("Đảng bộ tỉnh"))
    assert line.split()[4] == "–"  # the term's admitted count is unknown, not 0
    assert "– Đảng bộ tỉnh: no data for 2021" in out


# -- multi-year and assigned targets ---------------------------------------------------------


def test_a_two_year_target_over_its_span() -> None:
    """A target for 2024–2025 is compared with what 2024 and 2025 admitted."""
    extra = '\n[[targets]]\nunit = "a"\nterm = "2020-2025"\nvalue = 200\nperiod = "2024-2025"\n'
    ledger = _ledger(("a", "2024", 90, False), ("a", "2025", 70, False), extra=extra)
    row = _row(build_report(ledger, as_of=date(2025, 12, 31), period="2024-2025"), "a")
    assert (row["achieved"], row["target"], row["percent"]) == (160, 200, Decimal("80.0"))


def test_years_without_their_own_target_sum_the_annual_ones() -> None:
    """For 2022–2023 without a target of its own, the annual targets are summed."""
    ledger = _ledger(("tinh", "2022", 800, True), ("tinh", "2023", 900, True))
    row = _row(build_report(ledger, as_of=date(2023, 12, 31), period="2022-2023"), "tinh")
    assert (row["achieved"], row["target"]) == (1700, 1630)


def test_same_period_last_year() -> None:
    """'So với cùng kỳ': H1 2022 against H1 2021."""
    ledger = _ledger(("tinh", "2021-H1", 200, True), ("tinh", "2022-H1", 250, True))
    row = _row(build_report(ledger, as_of=date(2022, 6, 30), period="2022-H1"), "tinh")
    assert (row["same_period_last_year"], row["change"]) == (200, Decimal("25.0"))


# -- exports carry empty cells and the note ----------------------------------------------------


def test_exports_carry_empty_cells_and_notes(tmp_path: Path) -> None:
    """CSV leaves the cell empty, JSON writes null, both carry the note."""
    report = build_report(_ledger(("tinh", "2022-H1", 288, True)), as_of=date(2022, 6, 30))
    export(report, "csv", tmp_path / "r.csv", {"locale": "en"})
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    province = rows[0]
    assert province["Admitted"] == ""
    assert province["Known so far (at least)"] == "288"
    assert province["Note"].startswith("no data for 2021")
    export(report, "json", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    summary = data["tables"][0]
    keys = [c["key"] for c in summary["columns"]]
    first = dict(zip(keys, summary["rows"][0], strict=True))
    assert first["achieved"] is None
    assert first["achieved_known"] == 288
    assert first["note"].startswith("chưa có số liệu năm 2021")


# -- the law: more data only fills unknowns ----------------------------------------------------

SPANS = [Period.year(2021), Period.year(2022), Period.half(2023, 1), Period.half(2023, 2)]
ASKED = [*SPANS, Period.year(2023), Period.between(date(2021, 1, 1), date(2023, 12, 31))]


@settings(max_examples=100, deadline=None)
@given(
    present=st.lists(
        st.tuples(st.sampled_from(["tinh", "a", "b"]), st.sampled_from(SPANS), st.booleans()),
        unique_by=lambda t: (t[0], t[1], t[2]),
        max_size=6,
    ),
    added=st.tuples(st.sampled_from(["tinh", "a", "b"]), st.sampled_from(SPANS), st.booleans()),
    count=st.integers(0, 50),
)
def test_a_tally_for_a_span_without_data_only_fills_unknowns(
    present: list[tuple[str, Period, bool]], added: tuple[str, Period, bool], count: int
) -> None:
    """Adding a tally where a unit had none never changes a known figure."""
    if any(unit == added[0] and period.overlaps(added[1]) for unit, period, _ in present):
        return  # the added tally must cover a span the unit had no tally for
    base = _ledger()
    tallies = [Tally(u, p, 10 + i, inclusive=inc) for i, (u, p, inc) in enumerate(present)]
    before = base.evolve(tallies=tallies)
    as_of = date(2023, 12, 31)
    if Achievements(before, as_of).figure(added[0], added[1]).value is not None:
        return  # the span had data (a known roll-up): a reported total there is a claim
    after = base.evolve(tallies=[*tallies, Tally(added[0], added[1], count, inclusive=added[2])])
    # 'own' shows a unit's reported total instead of its own records by definition,
    # and a unit with sub-units and no records of its own has an own figure of 0.
    own_known = Achievements(before, as_of).figure(added[0], added[1], "own").value is not None
    skip_own = added[2] or own_known
    for rollup in ("reported", "sum") if skip_own else ("reported", "sum", "own"):
        old = Achievements(before, as_of)
        new = Achievements(after, as_of)
        for period in ASKED:
            was, now = old.counts(period, rollup), new.counts(period, rollup)  # type: ignore[arg-type]
            for unit, value in was.items():
                if value is not None:
                    assert now[unit] == value, (unit, period.key, rollup)
