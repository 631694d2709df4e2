"""The xlsx ledger format: the template, a filled workbook, located errors, round trips."""

from __future__ import annotations

import io
import textwrap
import warnings
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from partydev_xlsx.ledger import IMPORTER, write_ledger

from partydev import Ledger, PartydevError, sample_ledger
from partydev.errors import PartydevWarning
from partydev.plugins import get_importer
from partydev.shell.cli import main
from partydev.shell.io import load_ledger

pytestmark = pytest.mark.usefixtures("only_xlsx")


def _template(tmp_path: Path) -> Path:
    path = tmp_path / "mau.xlsx"
    assert main(["template", "-o", str(path)]) == 0
    return path


def _bytes(ledger: Ledger) -> bytes:
    stream = io.BytesIO()
    write_ledger(ledger, stream)
    return stream.getvalue()


def test_importer_registered_through_the_entry_point() -> None:
    """load_ledger finds the xlsx importer by suffix, and it writes ledgers too."""
    assert get_importer("xlsx") is IMPORTER
    assert IMPORTER.write is not None


def test_template_has_the_form_and_reads_back_empty(tmp_path: Path) -> None:
    """The template: a sheet per collection, headers, a notes row, drop-downs, formats."""
    path = _template(tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["Đơn vị", "Nhiệm kỳ", "Chỉ tiêu", "Kết nạp"]
    units = book["Đơn vị"]
    assert [c.value for c in units[1]] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"]
    assert str(units["A2"].value).startswith("#")
    lists = {str(v.sqref): v.formula1 for v in units.data_validations.dataValidation}
    assert '"nation,province,district,city,bloc,grassroots,cell"' in lists.values()
    admissions = book["Kết nạp"]
    assert admissions.column_dimensions["B"].number_format == "d/m/yyyy"
    assert book["Số liệu tổng hợp"].column_dimensions["C"].number_format == "#,##0"
    assert load_ledger(path) == Ledger(units=(), terms=())


TOML = textwrap.dedent(
    """\
    title = "Huyện mẫu"
    [[units]]
    id = "h"
    name = "Huyện"
    level = "district"
    [[units]]
    id = "x"
    name = "Xã"
    level = "grassroots"
    parent = "h"
    [[terms]]
    id = "t"
    label = "2020–2025"
    start = 2020-10-01
    end = 2025-12-31
    [[targets]]
    unit = "h"
    term = "t"
    value = 1500
    per_year = true
    source = "assigned"
    [[tallies]]
    unit = "h"
    period = "2021"
    count = 1732
    inclusive = true
    [[memberships]]
    unit = "h"
    date = 2023-06-30
    members = 71441
    [[admissions]]
    unit = "x"
    date = 2023-05-04
    attributes = { sex = "nữ" }
    """
)


def _fill(path: Path) -> None:
    """Fill the template as a clerk would: text counts, text dates, English headers."""
    book = openpyxl.load_workbook(path)
    book["Thông tin"].append(["Huyện mẫu"])
    book["Đơn vị"].append(["h", "Huyện", "district", None])
    book["Đơn vị"].append(["x", "Xã", "grassroots", "h"])
    terms = book["Nhiệm kỳ"]
    terms.append(["t", "2020–2025", "1/10/2020", datetime(2025, 12, 31)])
    targets = book["Chỉ tiêu"]
    targets.append(["h", "t", "1.500", None, None, None, None, "có", None, "assigned"])
    tallies = book["Số liệu tổng hợp"]
    for col, header in enumerate(["Unit id", "Period", "Count", "Inclusive"], start=1):
        tallies.cell(1, col, header)  # English headers are read too
    tallies.append(["h", 2021, "1.732", "yes"])  # a year as a number, a count as text
    book["Tổng số đảng viên"].append(["h", "30/6/2023", 71441])
    admissions = book["Kết nạp"]
    admissions.cell(1, 6, "sex")
    admissions.append(["x", date(2023, 5, 4), None, None, None, "nữ"])
    book.save(path)


def test_filled_template_loads_as_the_toml(tmp_path: Path) -> None:
    """A filled template gives the same ledger as the equivalent TOML."""
    path = _template(tmp_path)
    _fill(path)
    toml = tmp_path / "same.toml"
    toml.write_text(TOML, encoding="utf-8")
    assert load_ledger(path) == load_ledger(toml)


def _workbook_with(tmp_path: Path, sheet: str, rows: list[list[Any]]) -> Path:
    """The sample ledger as a workbook, with *rows* appended to *sheet*."""
    path = tmp_path / "l.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(_bytes(sample_ledger())))
    for row in rows:
        book[sheet].append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("sheet", "row", "where", "message"),
    [
        ("Kết nạp", ["tam-ky", "31/2/2023"], "Kết nạp!B", "date"),
        ("Kết nạp", ["nowhere", "1/2/2023"], "Kết nạp!A", "no such unit"),
        ("Số liệu tổng hợp", ["tam-ky", "2024", "1,5"], "Số liệu tổng hợp!C", "not a count"),
        ("Số liệu tổng hợp", ["tam-ky", "2024", "nhiều"], "Số liệu tổng hợp!C", "not a count"),
        ("Số liệu tổng hợp", ["tam-ky", "2024", 3, "có lẽ"], "Số liệu tổng hợp!D", "yes or no"),
        ("Tổng số đảng viên", ["tam-ky", "30/6/2023", -5], "Tổng số đảng viên!C", "negative"),
        ("Đơn vị", ["u", "Đơn vị", "village"], "Đơn vị!C", "unknown level"),
        ("Chỉ tiêu", ["tam-ky", "t9", 5], "Chỉ tiêu!B", "term"),
    ],
)
def test_errors_are_located_by_sheet_and_cell(
    tmp_path: Path, sheet: str, row: list[Any], where: str, message: str
) -> None:
    """Every error names the sheet and the cell: the column letter and the row."""
    path = _workbook_with(tmp_path, sheet, [row])
    last = openpyxl.load_workbook(path)[sheet].max_row
    with pytest.raises(PartydevError) as info:
        load_ledger(path)
    assert info.value.file == str(path)
    assert info.value.path == f"{where}{last}"
    assert message in str(info.value).lower()


def test_header_errors_are_located(tmp_path: Path) -> None:
    """An unknown or doubled column, or a missing required one, names the header cell."""
    book = openpyxl.load_workbook(io.BytesIO(_bytes(sample_ledger())))
    book["Đơn vị"].cell(1, 6, "Địa chỉ")
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(PartydevError, match=r"Đơn vị!F1: unknown column") as info:
        load_ledger(tmp_path / "a.xlsx")
    assert info.value.value == "Địa chỉ"
    book["Đơn vị"].cell(1, 6, "Level")
    book.save(tmp_path / "b.xlsx")
    with pytest.raises(PartydevError, match=r"Đơn vị!F1: two columns for one field \(C and F\)"):
        load_ledger(tmp_path / "b.xlsx")
    book["Đơn vị"]["F1"].value = None
    book["Đơn vị"]["C1"].value = None
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(PartydevError, match=r"Đơn vị!1:1: the sheet has no column 'Cấp'"):
        load_ledger(tmp_path / "c.xlsx")


def test_formula_without_a_value_warns_and_is_not_recorded(tmp_path: Path) -> None:
    """A formula saved without a value is read as not recorded, with a warning naming it."""
    path = _workbook_with(tmp_path, "Số liệu tổng hợp", [["tam-ky", "2024", "=1+1"]])
    last = openpyxl.load_workbook(path)["Số liệu tổng hợp"].max_row
    warns = pytest.warns(PartydevWarning, match=rf"Số liệu tổng hợp!C{last}: a formula has no")
    with warns, pytest.raises(PartydevError) as info:  # a tally needs its count
        load_ledger(path)
    assert info.value.path == f"Số liệu tổng hợp!C{last}"
    assert "missing" in str(info.value)


def test_formula_with_a_cached_value_is_read(tmp_path: Path) -> None:
    """A formula's saved value is what is read, without a warning."""
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    units = book.add_worksheet("Units")
    units.write_row(0, 0, ["id", "name", "level"])
    units.write_row(1, 0, ["h", "Huyện", "district"])
    terms = book.add_worksheet("Terms")
    terms.write_row(0, 0, ["id", "label", "start", "end"])
    terms.write_row(1, 0, ["t", "2020–2025", "1/10/2020", "31/12/2025"])
    tallies = book.add_worksheet("Tallies")
    tallies.write_row(0, 0, ["unit", "period", "count"])
    tallies.write_row(1, 0, ["h", "2021"])
    tallies.write_formula(1, 2, "=1700+32", None, 1732)
    book.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_ledger(path).tallies[0].count == 1732


def test_cli_export_ledger_then_load(tmp_path: Path) -> None:
    """`export-ledger -f xlsx` then load_ledger gives the sample back."""
    path = tmp_path / "sổ.xlsx"
    assert main(["export-ledger", "-f", "xlsx", "-o", str(path)]) == 0
    assert load_ledger(path) == sample_ledger()
    again = tmp_path / "again.xlsx"
    assert main(["export-ledger", str(path), "-o", str(again)]) == 0  # suffix picks xlsx
    assert again.read_bytes() == path.read_bytes()


def test_files_table_names_a_workbook(tmp_path: Path) -> None:
    """A TOML ledger's files table may name a workbook: its Admissions sheet is read."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Admissions"
    sheet.append(["unit", "date", "sex"])
    sheet.append(["x", "4/5/2023", "nữ"])
    sheet.append(["x", "31/2/2023", "nam"])
    book.save(tmp_path / "kn.xlsx")
    ledger = TOML.split("[[admissions]]")[0]
    (tmp_path / "l.toml").write_text(
        'files = { admissions = ["kn.xlsx"] }\n' + ledger, encoding="utf-8"
    )
    with pytest.raises(PartydevError) as info:
        load_ledger(tmp_path / "l.toml")
    assert info.value.file == str(tmp_path / "kn.xlsx")
    assert info.value.path == "Admissions!B3"
    sheet.delete_rows(3)
    book.save(tmp_path / "kn.xlsx")
    loaded = load_ledger(tmp_path / "l.toml")
    assert [(a.unit, a.date, dict(a.attributes)) for a in loaded.admissions] == [
        ("x", date(2023, 5, 4), {"sex": "nữ"})
    ]


def test_writer_refuses_what_it_has_no_sheet_for() -> None:
    """A ledger with records the workbook has no sheet for is refused, never cut short."""
    from partydev.model.lineage import Rename

    ledger = sample_ledger()
    renamed = Ledger(
        units=ledger.units,
        terms=ledger.terms,
        events=[Rename(unit="tam-ky", date=date(2024, 1, 1), name="Tam Kỳ mới")],
    )
    with pytest.raises(PartydevError, match="no sheet for events; write this ledger as JSON"):
        _bytes(renamed)
