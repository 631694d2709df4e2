"""The built-in CSV exporter, read back with the csv module."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from partydev import Report, ValidationError
from partydev.numbers import format_date
from partydev.shell.export import export
from partydev.shell.testing import sample_report

HYPERLINK = '=HYPERLINK("http://x","y")'  # the formula-like unit name in conftest.report


def _export(report: Report, tmp_path: Path, **options: object) -> bytes:
    target = tmp_path / "report.csv"
    export(report, "csv", target, options)
    return target.read_bytes()


def _rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_default_is_excel_friendly(report: Report, tmp_path: Path) -> None:
    """By default the file starts with a BOM and every line ends with CRLF."""
    data = _export(report, tmp_path)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 5  # a header and four rows
    assert data.replace(b"\r\n", b"").count(b"\n") == 1  # only the one inside a quoted cell
    assert data.endswith(b"\r\n")


def test_header_and_raw_values(report: Report, tmp_path: Path) -> None:
    """The header holds Vietnamese labels; values are raw numbers, ISO dates, codes."""
    rows = _rows(_export(report, tmp_path))
    assert rows[0] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Cấp",
        "Số kết nạp",
        "Tỷ lệ đạt (%)",
        "Bình quân mỗi năm",
        "Tính đến ngày",
        "Tiến độ",
    ]
    assert rows[1] == [
        "quang-nam",
        "Tỉnh Quảng Nam",
        "province",
        "4537",
        "60.50",
        "1814.80",
        "2023-06-30",
        "ahead",
    ]
    assert rows[2][5:7] == ["", ""]
    assert [row[0] for row in rows[1:]] == ["quang-nam", "nam-giang", "evil", "quote"]


def test_formula_neutralised_numbers_untouched(report: Report, tmp_path: Path) -> None:
    """Text cells that look like formulas get a quote; negative numbers stay as they are."""
    rows = _rows(_export(report, tmp_path))
    evil = rows[3]
    assert evil[1] == "'" + HYPERLINK
    assert evil[2] == "'-cell"
    assert evil[3] == "-3"
    assert evil[4] == "-0.5"
    assert evil[5] == "1000"


def test_quoting_round_trips(report: Report, tmp_path: Path) -> None:
    """Quotes, commas and newlines inside a cell survive RFC 4180 quoting."""
    data = _export(report, tmp_path)
    assert b'"Chi b\xe1\xbb\x99 ""Tam K\xe1\xbb\xb3"", 1\nline two"' in data
    assert _rows(data)[4][1] == 'Chi bộ "Tam Kỳ", 1\nline two'


def test_semicolon_no_bom_english_formatted(report: Report, tmp_path: Path) -> None:
    """Options: ';' delimiter, no BOM, English headings and formatted values."""
    data = _export(report, tmp_path, delimiter=";", bom="false", numbers="formatted", locale="en")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = _rows(data, ";")
    assert rows[0][0] == "Unit id"
    assert rows[1] == [
        "quang-nam",
        "Tỉnh Quảng Nam",
        "Province",
        "4,537",
        "60.50%",
        "1,814.80",
        format_date(date(2023, 6, 30), "en"),
        "Ahead",
    ]


def test_formatted_vietnamese(report: Report, tmp_path: Path) -> None:
    """Formatted Vietnamese values use '.' for thousands and ',' for decimals."""
    rows = _rows(_export(report, tmp_path, numbers="formatted"))
    assert rows[1][2:8] == [
        "Tỉnh, thành phố",
        "4.537",
        "60,50%",
        "1.814,80",
        "30/6/2023",
        "Vượt tiến độ",
    ]
    assert rows[3][3] == "-3"


def test_other_table(report: Report, tmp_path: Path) -> None:
    """The table option picks another table by key."""
    rows = _rows(_export(report, tmp_path, table="periods"))
    assert rows == [["Năm", "Số"], ["2021", "1732"], ["2022", "1877"]]


def test_unknown_table(report: Report, tmp_path: Path) -> None:
    """An unknown table key is an error listing the tables."""
    with pytest.raises(Exception, match="summary, periods") as info:
        _export(report, tmp_path, table="nope")
    assert isinstance(info.value.__cause__, ValidationError)


def test_bad_delimiter(report: Report, tmp_path: Path) -> None:
    """A delimiter outside the choices is refused before anything is written."""
    with pytest.raises(ValidationError, match="delimiter"):
        _export(report, tmp_path, delimiter="|")
    assert not (tmp_path / "report.csv").exists()


def test_sample_report(tmp_path: Path) -> None:
    """The Quảng Nam sample's summary row reads 4537 admitted and 60.5 percent."""
    rows = _rows(_export(sample_report(), tmp_path))
    assert rows[1][:2] == ["quang-nam", "Đảng bộ tỉnh Quảng Nam"]
    assert "4537" in rows[1]
    assert "60.5" in rows[1]
