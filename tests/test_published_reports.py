"""Ledgers written from published reports in their own shape: report, check, every exporter."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import partydev
from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager
from partydev.shell.cli import main

DATA = Path(__file__).parent / "data"
LUC_NGAN = DATA / "luc-ngan-2018.toml"


def test_luc_ngan_half_year_against_the_annual_plan() -> None:
    """Lục Ngạn admitted 113 in H1 2018 of a plan of at least 290: 39,0 %, printed 'trên 38,1%'."""
    ledger = partydev.load_ledger(LUC_NGAN)
    report = partydev.build_report(ledger, as_of=date(2018, 6, 30), period="6 tháng đầu năm 2018")
    rows = {r["unit_id"]: r for r in report.summary.records()}
    district = rows["luc-ngan"]
    assert (district["achieved"], district["target"], district["percent"]) == (
        113,
        290,
        Decimal("39.0"),
    )
    assert district["target_source"] == "internal"
    assert district["share_female"] == Decimal("50.4")
    # The communes' figures run to the end of May: June is missing, never 0.
    for unit, known in (("thanh-hai", 11), ("dong-coc", 8), ("tan-son", 6)):
        assert rows[unit]["achieved"] is None
        assert rows[unit]["achieved_known"] == known
        assert rows[unit]["note_en"] == f"no data for June 2018; at least {known} known"
    assert report.meta["term_id"] == "2015-2020"


def test_luc_ngan_claims_check_against_the_year() -> None:
    """The half-year percent is checked against the 2018 plan; the shares reproduce."""
    verdicts = {v.claim: v for v in partydev.check_claims(partydev.load_ledger(LUC_NGAN))}
    assert {k: v.status for k, v in verdicts.items()} == {
        "h1-percent": "consistent",
        "h1-female": "consistent",
        "h1-ethnic": "consistent",
    }


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_luc_ngan_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every exporter, the installed plugins' too, writes the half-year report; unknown
    counts stay empty with a note."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out = tmp_path / f"r.{fmt}"
    code = main(["report", str(LUC_NGAN), "--period", "2018-H1", "-f", fmt, "-o", str(out)])
    assert code == 0
    assert "30/6/2018" in capsys.readouterr().err  # the date it chose, said
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert [r["Đã kết nạp"] for r in rows] == ["113", "", "", ""]
        assert rows[1]["Ghi chú"] == "chưa có số liệu tháng 6/2018; đã biết ít nhất 11"
    elif fmt == "json":
        table = json.loads(out.read_text("utf-8"))["tables"][0]
        at = [c["key"] for c in table["columns"]].index("achieved")
        assert [row[at] for row in table["rows"]] == [113, None, None, None]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        # The headings sit below the sheet's title block.
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        at = [c.value for c in sheet[head]].index("Đã kết nạp")
        cells = [sheet.cell(r, at + 1).value for r in range(head + 1, head + 5)]
        assert cells == [113, None, None, None]
    else:
        assert "chưa có số liệu tháng 6/2018" in out.read_text("utf-8")


# Quảng Bình, first half of 2019 (Báo Quảng Bình, 22/7/2019): one half-year, a breakdown,
# a membership total, and no target at all.
QUANG_BINH = DATA / "quang-binh-2019-h1.toml"
QB_PERIOD = "6 tháng đầu năm 2019"


def test_quang_binh_half_year_without_a_target() -> None:
    """603 admitted in H1 2019 with no target stated: the target and percent stay empty,
    never 0; the shares come from the breakdown; years before 2019 are unknown."""
    ledger = partydev.load_ledger(QUANG_BINH)
    report = partydev.build_report(ledger, as_of=date(2019, 6, 30), period=QB_PERIOD)
    (row,) = report.summary.records()
    assert (row["achieved"], row["target"], row["percent"], row["exceedance"]) == (
        603,
        None,
        None,
        None,
    )
    assert (row["members"], row["members_date"]) == (74108, date(2019, 6, 30))
    # 359/603, 14/603, 5/603, 20/603 at one decimal, rounded half up.
    shares = {
        k: row[f"share_{k}"] for k in ("female", "ethnic_minority", "religious", "enterprise")
    }
    assert shares == {
        "female": Decimal("59.5"),
        "ethnic_minority": Decimal("2.3"),
        "religious": Decimal("0.8"),
        "enterprise": Decimal("3.3"),
    }
    # The ledger says nothing of 2016-2018: unknown, not zero admissions.
    assert [row[f"achieved_{y}"] for y in (2016, 2017, 2018, 2019)] == [None, None, None, 603]
    periods = {r["period"]: r for r in report.table("periods").records()}
    assert periods["2017"]["achieved"] is None
    assert periods["2017"]["note_en"] == "no data for 2017"


def test_quang_binh_empty_percent_has_a_note() -> None:
    """A percent left empty because the ledger has no target says so in the note."""
    ledger = partydev.load_ledger(QUANG_BINH)
    report = partydev.build_report(ledger, as_of=date(2019, 6, 30), period=QB_PERIOD)
    (row,) = report.summary.records()
    assert row["percent"] is None
    assert (row["note"], row["note_en"]) == ("chưa có chỉ tiêu năm 2019", "no target for 2019")


def test_sub_year_periods_give_no_yearly_rates() -> None:
    """A half-year's count doubled is no average per year, and with two months of the
    year left no 'required per remaining year' is given: both empty, the remaining
    count stays."""
    half = partydev.build_report(
        partydev.load_ledger(QUANG_BINH), as_of=date(2019, 6, 30), period=QB_PERIOD
    )
    (row,) = half.summary.records()
    assert (row["achieved"], row["average_per_year"]) == (603, None)
    year = partydev.build_report(
        partydev.load_ledger(BINH_THUAN), as_of=date(2019, 10, 31), period="2019"
    )
    province = next(year.summary.records())
    assert (province["remaining"], province["required_per_year"]) == (331, None)


def test_quang_binh_claims_reproduce() -> None:
    """The stated count and membership total are reproduced from the ledger."""
    verdicts = partydev.check_claims(partydev.load_ledger(QUANG_BINH))
    assert {v.claim: (v.status, v.computed) for v in verdicts} == {
        "h1-count": ("consistent", 603),
        "members": ("consistent", 74108),
    }


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_quang_binh_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table exporter writes the half-year report: 603, the percent empty, the
    shares, and the unknown years with their note."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out = tmp_path / f"r.{fmt}"
    code = main(["report", str(QUANG_BINH), "--period", QB_PERIOD, "-f", fmt, "-o", str(out)])
    assert code == 0
    assert "30/6/2019" in capsys.readouterr().err
    if fmt == "csv":
        (row,) = csv.DictReader(out.open(encoding="utf-8-sig"))
        assert (row["Đã kết nạp"], row["Chỉ tiêu"], row["Tỷ lệ đạt (%)"]) == ("603", "", "")
        assert row["Tỷ lệ Nữ (%)"] == "59.5"
        assert row["Tổng số đảng viên"] == "74108"
        assert row["Kết nạp năm 2018"] == ""
    elif fmt == "json":
        tables = {t["key"]: t for t in json.loads(out.read_text("utf-8"))["tables"]}
        summary = tables["summary"]
        keys = [c["key"] for c in summary["columns"]]
        (row,) = summary["rows"]
        assert [row[keys.index(k)] for k in ("achieved", "target", "percent")] == [603, None, None]
        periods = tables["periods"]
        pkeys = [c["key"] for c in periods["columns"]]
        notes = {r[pkeys.index("period")]: r[pkeys.index("note")] for r in periods["rows"]}
        assert notes["2016"] == "chưa có số liệu năm 2016"
        assert notes["2019"] is None
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        names = [c.value for c in sheet[head]]
        cells = {n: sheet.cell(head + 1, i + 1).value for i, n in enumerate(names)}
        assert (cells["Đã kết nạp"], cells["Chỉ tiêu"], cells["Tỷ lệ đạt (%)"]) == (
            603,
            None,
            None,
        )
        assert cells["Tổng số đảng viên"] == 74108
    else:
        text = out.read_text("utf-8")
        assert "| 359 | 603 | 59,5% |" in text
        assert "chưa có số liệu năm 2018" in text


def test_quang_binh_chart_refuses_without_a_percent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart of percents of target has nothing to draw without a target: one line, exit 4,
    no file, saying how many units lack one and how to chart another level."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-chart")
    reset_plugin_manager()
    out = tmp_path / "r.png"
    code = main(["report", str(QUANG_BINH), "--period", QB_PERIOD, "-f", "png", "-o", str(out)])
    assert code == 4
    assert not out.exists()
    err = capsys.readouterr().err
    assert "no unit with a percent of target to chart: 1 of 1 compared have no target" in err
    assert "(field 'level')" not in err


# Ninh Thuận, first quarter (baoninhthuan.com.vn 57447; the year is not in the text, 2016
# is the ledger's placeholder): a count and a percent for the province, percents only for
# four units.
NINH_THUAN = DATA / "ninh-thuan-q1.toml"
NT_UNITS = ("quan-su", "ninh-son", "thuan-nam", "cong-an")


def test_ninh_thuan_quarter_with_units_without_counts() -> None:
    """The province's 187 is known, its plan is not; the four units have percents only,
    so their counts are unknown with a note, never 0."""
    ledger = partydev.load_ledger(NINH_THUAN)
    report = partydev.build_report(ledger, as_of=date(2016, 3, 31), period="quý I/2016")
    rows = {r["unit_id"]: r for r in report.summary.records()}
    assert (rows["ninh-thuan"]["achieved"], rows["ninh-thuan"]["percent"]) == (187, None)
    for unit in NT_UNITS:
        assert (rows[unit]["achieved"], rows[unit]["achieved_known"]) == (None, None)
        assert rows[unit]["note_en"] == "no data for Q1 2016"
    assert report.meta["term_id"] == "2015-2020"


def test_ninh_thuan_check_finds_the_plan() -> None:
    """24,93% of 187 implies the plan 750; the units' percents cannot be checked without
    their counts, and say so."""
    verdicts = {v.claim: v for v in partydev.check_claims(partydev.load_ledger(NINH_THUAN))}
    assert {v.status for v in verdicts.values()} == {"unverifiable"}
    assert verdicts["q1-percent"].implied == range(750, 751)
    assert verdicts["q1-percent"].reason_en.endswith("24.93% of 187 implies a target of 750")
    for unit in NT_UNITS:
        (verdict,) = (v for v in verdicts.values() if v.unit == unit)
        assert verdict.implied is None
        assert verdict.reason_en.startswith("the ledger cannot give the admissions of")


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        # 42,85% is 3/7 cut after two decimals; rounded half up it needs a plan of 1.181.
        (["42,85%"], ["  1.181  (làm tròn nửa lên, làm tròn nửa về chẵn)", "  7  (cắt bỏ"]),
        # 45,09% is 78/173 rounded half up, or 23/51 cut.
        (["45,09%"], ["  173  (làm tròn nửa lên, làm tròn nửa về chẵn)", "  51  (cắt bỏ"]),
        # 61,90% and 45,16% are 13/21 and 14/31 whichever way.
        (["61,90%"], ["  21  (làm tròn nửa lên, cắt bỏ"]),
        (["45,16%"], ["  31  (làm tròn nửa lên, cắt bỏ"]),
        (["24,93%", "--achieved", "187"], ["  750  (làm tròn nửa lên, cắt bỏ"]),
        (["42,85%", "--denominator", "7"], ["  có thể  (cắt bỏ (không làm tròn))"]),
    ],
)
def test_ninh_thuan_percents_and_their_rounding(
    args: list[str], lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """check --percent says which stated percents need truncation rather than half up."""
    assert main(["check", "--no-pager", "--percent", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    for line in lines:
        assert any(o.startswith(line) for o in out), (line, out)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_ninh_thuan_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quarter's report and its check export with the unknown counts empty and noted,
    and the implied plan of 750 kept."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out, checked = tmp_path / f"r.{fmt}", tmp_path / f"c.{fmt}"
    assert (
        main(["report", str(NINH_THUAN), "--period", "quý I/2016", "-f", fmt, "-o", str(out)]) == 0
    )
    assert main(["check", str(NINH_THUAN), "-f", fmt, "-o", str(checked)]) == 0
    capsys.readouterr()
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert [r["Đã kết nạp"] for r in rows] == ["187", "", "", "", ""]
        assert [r["Ghi chú"] for r in rows[1:]] == ["chưa có số liệu quý I/2016"] * 4
        verdicts = list(csv.DictReader(checked.open(encoding="utf-8-sig")))
        assert [v["Kết luận"] for v in verdicts] == ["unverifiable"] * 5
        assert (
            verdicts[0]["Chỉ tiêu suy từ tỷ lệ (từ)"],
            verdicts[0]["Chỉ tiêu suy từ tỷ lệ (đến)"],
        ) == (
            "750",
            "750",
        )
    elif fmt == "json":
        table = json.loads(out.read_text("utf-8"))["tables"][0]
        keys = [c["key"] for c in table["columns"]]
        assert [r[keys.index("achieved")] for r in table["rows"]] == [187, None, None, None, None]
        assert [r[keys.index("note_en")] for r in table["rows"]][1:] == ["no data for Q1 2016"] * 4
        verdicts = json.loads(checked.read_text("utf-8"))["tables"][0]
        vkeys = [c["key"] for c in verdicts["columns"]]
        first = verdicts["rows"][0]
        assert [first[vkeys.index(k)] for k in ("implied_low", "implied_high")] == [750, 750]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        at = [c.value for c in sheet[head]].index("Đã kết nạp")
        assert [sheet.cell(r, at + 1).value for r in range(head + 1, head + 6)] == [
            187,
            None,
            None,
            None,
            None,
        ]
        verdicts = openpyxl.load_workbook(checked).worksheets[0]
        texts = [c.value for row in verdicts.iter_rows() for c in row if isinstance(c.value, str)]
        assert any("cho thấy chỉ tiêu là 750" in t for t in texts)
    else:
        # Four units, each in the summary and in the table by period.
        assert out.read_text("utf-8").count("chưa có số liệu quý I/2016") == 8
        assert "cho thấy chỉ tiêu là 750" in checked.read_text("utf-8")


# Bình Thuận, 2019 "to date" (btctu.binhthuan.dcs.vn 180993; undated: 31/10/2019 is the
# ledger's placeholder): a yearly-average resolution target, a year cut short, five units
# "above 100%" without figures.
BINH_THUAN = DATA / "binh-thuan-2019.toml"
BT_UNITS = ("ham-thuan-nam", "phu-quy", "tanh-linh", "tuy-phong", "khoi-co-quan-dn")


def test_binh_thuan_year_to_date_against_the_yearly_average() -> None:
    """1.669 of the 2.000 a year: 83,5 % at one decimal; the five units are unknown."""
    ledger = partydev.load_ledger(BINH_THUAN)
    report = partydev.build_report(ledger, as_of=date(2019, 10, 31), period="2019")
    rows = {r["unit_id"]: r for r in report.summary.records()}
    province = rows["binh-thuan"]
    assert (province["achieved"], province["target"], province["percent"]) == (
        1669,
        2000,
        Decimal("83.5"),
    )
    assert province["target_source"] == "resolution"
    assert province["members"] == 36607
    for unit in BT_UNITS:
        assert (rows[unit]["achieved"], rows[unit]["percent"]) == (None, None)
        assert rows[unit]["note_en"] == "no data for 2019-01-01 – 2019-10-31"


def test_binh_thuan_claims() -> None:
    """83,45% reproduces at its two decimals and implies exactly 2.000; "trên 100%" of
    units without figures cannot be checked."""
    verdicts = {v.claim: v for v in partydev.check_claims(partydev.load_ledger(BINH_THUAN))}
    percent = verdicts["2019-percent"]
    assert (percent.status, percent.computed, percent.implied) == (
        "consistent",
        Decimal("83.45"),
        range(2000, 2001),
    )
    assert percent.roundings[0] == "ROUND_HALF_UP"
    assert verdicts["members"].status == "consistent"
    assert {verdicts[f"over-{u}"].status for u in ("phu-quy", "tuy-phong", "khoi")} == {
        "unverifiable"
    }


def test_binh_thuan_chart_of_the_province(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No sub-unit has a percent, so the chart compares the province itself (its
    83,5 %), by default as at the province's level; the sub-units' level is refused."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-chart")
    reset_plugin_manager()
    out = tmp_path / "r.svg"
    args = ["report", str(BINH_THUAN), "--period", "2019", "-f", "svg", "-o", str(out)]
    assert main(args) == 0
    assert "83,5%" in out.read_text("utf-8")
    assert main([*args, "-O", "level=province"]) == 0
    assert "83,5%" in out.read_text("utf-8")
    assert main([*args, "-O", "level=district"]) == 4
    assert "no unit with a percent of target to chart" in capsys.readouterr().err


# Ninh Thuận, first half of 2022 (baoninhthuan.com.vn 131984): the province and five
# units, each a count and a percent of the year's target; the targets are the ones those
# imply (marked derived); Thuận Nam is a unit the article gives no figure for.
NINH_THUAN_2022 = DATA / "ninh-thuan-2022-h1.toml"
NT22_PERCENTS = {
    "ninh-thuan": (288, 815, Decimal("35.34")),
    "cong-an": (21, 20, Decimal("105.00")),
    "ninh-phuoc": (52, 102, Decimal("50.98")),
    "quan-su": (5, 10, Decimal("50.00")),
    "bien-phong": (4, 8, Decimal("50.00")),
    "ninh-son": (13, 75, Decimal("17.33")),
}


def test_ninh_thuan_2022_half_year_against_the_year() -> None:
    """The half-year against the year's target gives the article's six percents at its
    two decimals; Thuận Nam's count and percent are empty with a note, never 0."""
    ledger = partydev.load_ledger(NINH_THUAN_2022)
    report = partydev.build_report(
        ledger, as_of=date(2022, 6, 30), period="6 tháng đầu năm 2022", places=2
    )
    rows = {r["unit_id"]: r for r in report.summary.records()}
    for unit, figures in NT22_PERCENTS.items():
        assert (rows[unit]["achieved"], rows[unit]["target"], rows[unit]["percent"]) == figures
    assert (rows["ninh-thuan"]["target_source"], rows["ninh-thuan"]["target_derived"]) == (
        "assigned",
        "yes",
    )
    empty = rows["thuan-nam"]
    assert (empty["achieved"], empty["target"], empty["percent"]) == (None, None, None)
    assert empty["note_en"] == "no data for H1 2022"


def test_ninh_thuan_2022_claims_and_rollup() -> None:
    """Every stated figure reproduces with its derived target; the province's 288 is
    checked against the known part of its sub-units, 95, as a lower bound, naming the
    sub-unit without a figure."""
    ledger = partydev.load_ledger(NINH_THUAN_2022)
    verdicts = partydev.check_claims(ledger)
    claims = ("percent", "cong-an", "ninh-phuoc", "quan-su", "bien-phong", "ninh-son")
    assert {v.claim: v.status for v in verdicts} == {
        **{f"h1-{claim}": "consistent" for claim in claims},
        "members": "consistent",
    }
    assert next(v for v in verdicts if v.claim == "h1-percent").implied == range(815, 816)
    (finding,) = partydev.check_rollup(ledger)
    assert (finding.reported, finding.summed, finding.gap, finding.flags) == (
        288,
        None,
        288 - 95,
        ("partial",),
    )
    assert "Đảng bộ huyện Thuận Nam: no data for H1 2022; at least 95 known" in finding.reason_en
    assert finding.status == "unverifiable"  # Thuận Nam's figure could close or pass the gap
    assert finding.reason_en.endswith(
        "the known part is within the total (gap at most 193), but it cannot be confirmed"
        " while some sub-units' figures are missing"
    )
    assert finding.reason_vi.endswith(
        "phần đã biết không vượt tổng số (chênh lệch tối đa 193), nhưng chưa kiểm chứng"
        " được vì có đơn vị cấp dưới chưa có số liệu"
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_ninh_thuan_2022_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The half-year report and the check export through every exporter, read back: the
    percents as stated, Thuận Nam empty with its note, the roll-up's known part 95."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out, checked = tmp_path / f"r.{fmt}", tmp_path / f"c.{fmt}"
    period = ["--period", "6 tháng đầu năm 2022", "--places", "2"]
    assert main(["report", str(NINH_THUAN_2022), *period, "-f", fmt, "-o", str(out)]) == 0
    assert main(["check", str(NINH_THUAN_2022), "-f", fmt, "-o", str(checked)]) == 0
    capsys.readouterr()
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert [r["Đã kết nạp"] for r in rows] == ["288", "21", "52", "5", "4", "13", ""]
        assert rows[-1]["Ghi chú"] == "chưa có số liệu 6 tháng đầu năm 2022"
        assert [r["Tỷ lệ đạt (%)"] for r in rows] == [
            "35.34",
            "105.00",
            "50.98",
            "50.00",
            "50.00",
            "17.33",
            "",
        ]
    elif fmt == "json":
        document = json.loads(out.read_text("utf-8"), parse_float=Decimal)
        table = document["tables"][0]
        keys = [c["key"] for c in table["columns"]]
        got = [r[keys.index("achieved")] for r in table["rows"]]
        assert got == [288, 21, 52, 5, 4, 13, None]
        percents = [r[keys.index("percent")] for r in table["rows"]]
        assert percents == [*(figures[2] for figures in NT22_PERCENTS.values()), None]
        assert str(percents[1]) == "105.00"  # written at the report's places
        rollup = json.loads(checked.read_text("utf-8"))["tables"][1]
        rkeys = [c["key"] for c in rollup["columns"]]
        (row,) = rollup["rows"]
        assert [row[rkeys.index(k)] for k in ("children_sum", "children_known", "gap")] == [
            None,
            95,
            193,
        ]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        at = [c.value for c in sheet[head]].index("Đã kết nạp")
        got = [sheet.cell(r, at + 1).value for r in range(head + 1, head + 8)]
        assert got == [288, 21, 52, 5, 4, 13, None]
    else:
        text = out.read_text("utf-8")
        assert "35,34" in text
        assert text.count("chưa có số liệu 6 tháng đầu năm 2022") >= 1
        assert "Thuận Nam" in checked.read_text("utf-8")


# Quảng Trị, first quarter of 2024 (vietnam.vn, 15/4/2024): the province's 333 with its
# composition (young 213, women 122, ethnic minorities 30, Youth Union 262) and "137
# more" than the same quarter of 2023; six named units; no target; Gio Linh a unit the
# article gives no figure for.
QUANG_TRI = DATA / "quang-tri-2024-q1.toml"
QT_COUNTS = [333, 58, 46, 42, 41, 33, 32, None]
QT_SHARES = {
    "young": Decimal("64.0"),
    "female": Decimal("36.6"),
    "ethnic_minority": Decimal("9.0"),
    "youth_union": Decimal("78.7"),
}


def test_quang_tri_quarter_with_composition_and_the_same_quarter_before() -> None:
    """The quarter's counts, the province's shares of its intake and its change on the
    same quarter of 2023 (333 against 196: 69.9 %); no target, so no percent, with a
    note; Gio Linh's count empty with a note, never 0."""
    ledger = partydev.load_ledger(QUANG_TRI)
    report = partydev.build_report(ledger, as_of=date(2024, 3, 31), period="quý I năm 2024")
    rows = list(report.summary.records())
    assert [r["achieved"] for r in rows] == QT_COUNTS
    province, gio_linh = rows[0], rows[-1]
    assert (province["same_period_last_year"], province["change"]) == (196, Decimal("69.9"))
    assert {k: province[f"share_{k}"] for k in QT_SHARES} == QT_SHARES
    assert {r["percent"] for r in rows} == {None}
    assert province["note"] == "chưa có chỉ tiêu năm 2024"
    assert gio_linh["note_en"] == "no data for Q1 2024"
    composition = report.table("composition")
    assert [(r["category"], r["count"], r["base"], r["share"]) for r in composition.records()] == [
        (category, count, 333, share)
        for (category, share), count in zip(QT_SHARES.items(), (213, 122, 30, 262), strict=True)
    ]
    young = partydev.build_report(
        ledger, as_of=date(2024, 3, 31), period="2024-Q1", places=0
    ).summary.column_values("share_young")[0]
    assert young == Decimal("64")  # "213/333 ... chiếm 64%"


def test_quang_tri_claims_and_rollup() -> None:
    """The four stated figures reproduce; the province's 333 against its named units'
    252 is a lower bound, the gap at most 81, naming Gio Linh: unverifiable, not consistent."""
    ledger = partydev.load_ledger(QUANG_TRI)
    verdicts = partydev.check_claims(ledger)
    assert {v.claim: v.status for v in verdicts} == dict.fromkeys(
        ("q1-count", "q1-young", "khoi-count", "huong-hoa-count"), "consistent"
    )
    (finding,) = partydev.check_rollup(ledger)
    assert (finding.reported, finding.summed, finding.gap, finding.flags) == (
        333,
        None,
        81,
        ("partial",),
    )
    assert "Đảng bộ huyện Gio Linh: no data for Q1 2024" in finding.reason_en
    assert finding.status == "unverifiable"


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_quang_tri_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quarter's report exports through every exporter, read back: the counts, Gio
    Linh empty, the change on the same quarter, and the composition's shares."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out = tmp_path / f"r.{fmt}"
    assert main(["report", str(QUANG_TRI), "--period", "2024-Q1", "-f", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert [r["Đã kết nạp"] for r in rows] == [str(n or "") for n in QT_COUNTS]
        assert [r["So với cùng kỳ (%)"] for r in rows][:2] == ["69.9", ""]
    elif fmt == "json":
        document = json.loads(out.read_text("utf-8"), parse_float=Decimal)
        tables = {t["key"]: t for t in document["tables"]}
        keys = [c["key"] for c in tables["composition"]["columns"]]
        shares = {
            r[keys.index("category")]: r[keys.index("share")]
            for r in tables["composition"]["rows"]
        }
        assert shares == QT_SHARES
        periods = tables["periods"]
        pkeys = [c["key"] for c in periods["columns"]]
        notes = [
            r[pkeys.index("note_en")]
            for r in periods["rows"]
            if r[pkeys.index("unit_id")] == "gio-linh"
        ]
        assert notes[-1] == "no data for Q1 2024"  # the year 2024 so far: its first quarter
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        at = [c.value for c in sheet[head]].index("Đã kết nạp")
        assert [sheet.cell(r, at + 1).value for r in range(head + 1, head + 9)] == QT_COUNTS
    else:
        text = out.read_text("utf-8")
        assert "333" in text
        assert "69,9" in text
        assert "Đảng bộ huyện Gio Linh" in text


# Nhơn Trạch, the whole year 2021 (Báo Đồng Nai, January 2022): "127/120, vượt 5,83% so
# với chỉ tiêu tỉnh giao", a higher internal plan of 157, 8 admitted in enterprises, 189
# transferred in, 4.459 members (dated 31/12/2021 by the ledger); Hiệp Phước a sub-unit
# the article gives no figure for.
NHON_TRACH = DATA / "nhon-trach-2021.toml"


def test_nhon_trach_whole_year_against_the_assigned_plan() -> None:
    """127 of the province's 120 for 2021: 105,83 %, 5,83 % above, at the article's two
    decimals; the assigned plan is compared, not the internal 157; the departures of the
    year and the sub-unit's count are unknown, never 0."""
    ledger = partydev.load_ledger(NHON_TRACH)
    report = partydev.build_report(ledger, as_of=date(2021, 12, 31), period="2021", places=2)
    district, hiep_phuoc = report.summary.records()
    assert (district["achieved"], district["target"], district["target_source"]) == (
        127,
        120,
        "assigned",
    )
    assert (district["percent"], district["exceedance"]) == (Decimal("105.83"), Decimal("5.83"))
    assert (district["status"], district["remaining"]) == ("achieved", 0)
    assert (district["members"], district["members_date"]) == (4459, date(2021, 12, 31))
    assert district["share_enterprise"] == Decimal("6.30")  # 8/127, not stated
    assert (district["transferred_in"], district["removed"], district["transferred_out"]) == (
        189,
        None,
        None,
    )
    assert district["members_start"] is None
    assert str(district["balance_note_en"]).startswith(
        "Unknown: Members at the start (2020-12-31): Đảng bộ huyện Nhơn Trạch"
    )
    assert (hiep_phuoc["achieved"], hiep_phuoc["achieved_known"]) == (None, None)
    assert (hiep_phuoc["note"], hiep_phuoc["note_en"]) == (
        "chưa có số liệu năm 2021",
        "no data for 2021",
    )


def test_nhon_trach_internal_plan_on_request() -> None:
    """Asked for the internal plan, the same 127 is 80,89 % of 157, 30 short; with no
    congress target the resolution's percent is empty with a note."""
    ledger = partydev.load_ledger(NHON_TRACH)
    internal = partydev.build_report(
        ledger, as_of=date(2021, 12, 31), period="2021", places=2, target_source="internal"
    )
    district = next(internal.summary.records())
    assert (district["target"], district["percent"], district["remaining"]) == (
        157,
        Decimal("80.89"),
        30,
    )
    resolution = partydev.build_report(
        ledger, as_of=date(2021, 12, 31), period="2021", target_source="resolution"
    )
    district = next(resolution.summary.records())
    assert (district["target"], district["percent"]) == (None, None)
    assert district["note_en"] == "no target for 2021"


def test_nhon_trach_claims_and_rollup() -> None:
    """The count, both plans, the exceedance (implying exactly 120, whichever rounding)
    and the membership reproduce; with no sub-unit figure there is no roll-up to check."""
    ledger = partydev.load_ledger(NHON_TRACH)
    verdicts = {v.claim: v for v in partydev.check_claims(ledger)}
    assert {k: (v.status, v.computed) for k, v in verdicts.items()} == {
        "2021-count": ("consistent", 127),
        "2021-target": ("consistent", 120),
        "2021-exceedance": ("consistent", Decimal("5.83")),
        "2021-internal-target": ("consistent", 157),
        "members": ("consistent", 4459),
    }
    exceedance = verdicts["2021-exceedance"]
    assert exceedance.implied == range(120, 121)
    assert exceedance.roundings[0] == "ROUND_HALF_UP"
    assert exceedance.reason_en.endswith("5.83% implies a target of exactly 120")
    assert partydev.check_rollup(ledger) == ()


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_nhon_trach_exports(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The year's report and its check export through every exporter, read back: 105,83 %
    and 5,83 % at two decimals, Hiệp Phước empty with its note, the departures empty."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    out, checked = tmp_path / f"r.{fmt}", tmp_path / f"c.{fmt}"
    period = ["--period", "2021", "--places", "2"]
    assert main(["report", str(NHON_TRACH), *period, "-f", fmt, "-o", str(out)]) == 0
    assert "31/12/2021" in capsys.readouterr().err
    assert main(["check", str(NHON_TRACH), "-f", fmt, "-o", str(checked)]) == 0
    capsys.readouterr()
    if fmt == "csv":
        district, hiep_phuoc = csv.DictReader(out.open(encoding="utf-8-sig"))
        assert (district["Đã kết nạp"], district["Chỉ tiêu"], district["Nguồn chỉ tiêu"]) == (
            "127",
            "120",
            "assigned",
        )
        assert (district["Tỷ lệ đạt (%)"], district["Vượt (%)"]) == ("105.83", "5.83")
        assert (district["Chuyển đến"], district["Chuyển đi"]) == ("189", "")
        assert (hiep_phuoc["Đã kết nạp"], hiep_phuoc["Ghi chú"]) == (
            "",
            "chưa có số liệu năm 2021",
        )
        verdicts = list(csv.DictReader(checked.open(encoding="utf-8-sig")))
        assert [v["Kết luận"] for v in verdicts] == ["consistent"] * 5
    elif fmt == "json":
        table = json.loads(out.read_text("utf-8"), parse_float=Decimal)["tables"][0]
        keys = [c["key"] for c in table["columns"]]
        district, hiep_phuoc = (dict(zip(keys, row, strict=True)) for row in table["rows"])
        assert [district[k] for k in ("achieved", "target", "percent", "exceedance")] == [
            127,
            120,
            Decimal("105.83"),
            Decimal("5.83"),
        ]
        assert (district["removed"], district["transferred_out"]) == (None, None)
        assert (hiep_phuoc["achieved"], hiep_phuoc["note_en"]) == (None, "no data for 2021")
        tables = {t["key"]: t for t in json.loads(checked.read_text("utf-8"))["tables"]}
        vkeys = [c["key"] for c in tables["verdicts"]["columns"]]
        rows = {r[vkeys.index("claim_id")]: r for r in tables["verdicts"]["rows"]}
        exceedance = rows["2021-exceedance"]
        assert [exceedance[vkeys.index(k)] for k in ("implied_low", "implied_high")] == [120, 120]
        assert tables["rollup"]["rows"] == []
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = next(r for r in range(1, 20) if "Đã kết nạp" in [c.value for c in sheet[r]])
        names = [c.value for c in sheet[head]]
        cells = {n: sheet.cell(head + 1, i + 1) for i, n in enumerate(names)}
        assert (cells["Đã kết nạp"].value, cells["Chỉ tiêu"].value) == (127, 120)
        # Percents are stored as fractions and shown at the report's places.
        percent, exceedance = cells["Tỷ lệ đạt (%)"], cells["Vượt (%)"]
        assert (percent.value, percent.number_format) == (1.0583, "0.00%")
        assert (exceedance.value, exceedance.number_format) == (0.0583, "0.00%")
        at = names.index("Đã kết nạp")
        assert sheet.cell(head + 2, at + 1).value is None
    else:
        text = out.read_text("utf-8")
        assert "| 127 | 105,83% | 5,83% |" in text
        assert "| 8 | 127 | 6,30% |" in text
        assert "chưa có số liệu năm 2021" in text
        assert "5,83% cho thấy chỉ tiêu đúng bằng 120" in checked.read_text("utf-8")
