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
