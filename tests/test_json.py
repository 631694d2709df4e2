"""The built-in JSON exporter: exact decimals, stable bytes, a schema it follows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from partydev import Report
from partydev.shell.export import export
from partydev.shell.exporters.json import SCHEMA_ID, dumps
from partydev.shell.testing import sample_report

HYPERLINK = '=HYPERLINK("http://x","y")'  # the formula-like unit name in conftest.report


def _export(report: Report, path: Path) -> bytes:
    export(report, "json", path)
    return path.read_bytes()


def _schema() -> Any:
    text = resources.files("partydev").joinpath("schemas/report-1.schema.json").read_text("utf-8")
    return json.loads(text)


def test_round_trip(report: Report, tmp_path: Path) -> None:
    """Reading the JSON back gives the report's data, decimals exactly."""
    data = _export(report, tmp_path / "r.json")
    doc = json.loads(data.decode("utf-8"), parse_float=Decimal)
    assert doc["schema"] == SCHEMA_ID
    assert doc["schema_version"] == 1
    assert doc["title"] == {"vi": "Báo cáo giữa nhiệm kỳ", "en": "Mid-term report"}
    assert doc["metadata"] == {
        "term": "2020–2025",
        "as_of": "2023-06-30",
        "places": 1,
        "pace_tolerance": Decimal("2.5"),
        "source": None,
    }
    summary = doc["tables"][0]
    assert summary["key"] == "summary"
    assert summary["columns"][4] == {
        "key": "percent",
        "type": "percent",
        "label": {"vi": "Tỷ lệ đạt (%)", "en": "Reached (%)"},
        "places": 1,
    }
    assert summary["columns"][0]["places"] is None
    expected = [
        [
            None if cell is None else cell.isoformat() if isinstance(cell, date) else cell
            for cell in row
        ]
        for row in report.summary.rows
    ]
    assert summary["rows"] == expected
    assert summary["rows"][2][1] == HYPERLINK
    assert doc["labels"]["ahead"] == {"vi": "Vượt tiến độ", "en": "Ahead"}
    assert "-cell" not in doc["labels"]
    assert [t["key"] for t in doc["tables"]] == ["summary", "periods"]


def test_decimal_digits_are_exact(report: Report, tmp_path: Path) -> None:
    """Decimal('60.50') is written 60.50, never via float or exponent notation."""
    text = _export(report, tmp_path / "r.json").decode("utf-8")
    assert '"Tỉnh Quảng Nam", "province", 4537, 60.50, 1814.80, "2023-06-30", "ahead"]' in text
    assert "-0.5, 1000," in text
    assert "E+" not in text


def test_bytes_are_stable(report: Report, tmp_path: Path) -> None:
    """Two exports of one report are byte-identical, UTF-8 with a final newline."""
    first = _export(report, tmp_path / "a.json")
    second = _export(report, tmp_path / "b.json")
    assert first == second
    assert first.endswith(b"}\n")
    assert "Quảng Nam".encode() in first
    assert b"\r" not in first


def test_valid_against_schema(report: Report, tmp_path: Path) -> None:
    """The output validates against the shipped JSON Schema (draft 2020-12)."""
    doc = json.loads(_export(report, tmp_path / "r.json"))
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert schema["$id"] == SCHEMA_ID


def test_dumps_matches_standard_layout() -> None:
    """Without decimals, dumps matches json.dumps(indent=2) except one-line scalar arrays."""
    value = {"a": [1, 2], "b": {"c": 'đ"\n', "d": [], "e": {}}, "f": [{"g": True}]}
    assert json.loads(dumps(value)) == value
    assert dumps({"b": {"c": None}}) == json.dumps({"b": {"c": None}}, indent=2)


def test_sample_report_is_schema_valid(tmp_path: Path) -> None:
    """The Quảng Nam sample report exports to schema-valid JSON with 60.5 exact."""
    doc_bytes = _export(sample_report(), tmp_path / "qn.json")
    jsonschema.Draft202012Validator(_schema()).validate(json.loads(doc_bytes))
    doc = json.loads(doc_bytes, parse_float=Decimal)
    summary = doc["tables"][0]
    keys = [c["key"] for c in summary["columns"]]
    quang_nam = dict(zip(keys, summary["rows"][0], strict=True))
    assert quang_nam["percent"] == Decimal("60.5")
    assert ", 60.5, " in doc_bytes.decode("utf-8")
