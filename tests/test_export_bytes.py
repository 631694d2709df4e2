"""The CSV and JSON exporters' bytes are pinned: speed work must not change one byte."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from decimal import Decimal
from typing import Any

import pytest
from tests.export_synthetic import synthetic_report

from partydev import Column, Report, Table, ValidationError
from partydev.shell.exporters.csv import EXPORTER as CSV
from partydev.shell.exporters.csv import neutralise, raw_cell, write_csv
from partydev.shell.exporters.json import dumps, report_document, write_json
from partydev.shell.testing import sample_report


def _csv_bytes(report: Report) -> bytes:
    """Every table of *report* in every CSV option combination, concatenated."""
    out = io.BytesIO()
    for table, numbers, locale, delimiter, bom in itertools.product(
        [t.key for t in report.tables],
        ["raw", "formatted"],
        ["vi", "en"],
        [",", ";"],
        [True, False],
    ):
        options: dict[str, Any] = CSV.resolve_options(
            {
                "table": table,
                "numbers": numbers,
                "locale": locale,
                "delimiter": delimiter,
                "bom": bom,
            }
        )
        stream = io.StringIO(newline="")
        write_csv(report, stream, options)
        out.write(stream.getvalue().encode("utf-8"))
    return out.getvalue()


def _json_bytes(report: Report) -> bytes:
    stream = io.StringIO(newline="")
    write_json(report, stream, {})
    return stream.getvalue().encode("utf-8")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sample", "b5b15ff7f716d21c366af0e1a959b05e0f0a6772cd2b7ca21e29db2a8cce743e"),
        ("fixture", "e443a9ee1e37b8c006fdfd612f51ed1303d117dd83c81a6e05dea26db18fa879"),
        ("synthetic", "253f2f32d4ca0dba62cc2be1b4fa224849cab5d57f1041de49e79bf54f9b67ae"),
    ],
)
def test_csv_bytes_are_pinned(name: str, expected: str, report: Report) -> None:
    """The CSV bytes of the sample, the fixture and a synthetic report are unchanged."""
    chosen = {"sample": sample_report, "fixture": lambda: report, "synthetic": synthetic_report}
    assert _digest(_csv_bytes(chosen[name]())) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sample", "4719eed2eb111dd14c03e1494b57e23d4b94e04d2ebd3090d268c2435a2a7463"),
        ("fixture", "6687104727c29d4deb26a4a61e22952eefcfd38c5f64f0d6ad187c482623635e"),
        ("synthetic", "29c8427f5f531cc77b92e9fd312ca7d58adcf1984632ffaf138cb4e48f887226"),
    ],
)
def test_json_bytes_are_pinned(name: str, expected: str, report: Report) -> None:
    """The JSON bytes of the sample, the fixture and a synthetic report are unchanged."""
    chosen = {"sample": sample_report, "fixture": lambda: report, "synthetic": synthetic_report}
    assert _digest(_json_bytes(chosen[name]())) == expected


def test_json_stream_equals_whole_document() -> None:
    """Streamed rows, across chunk boundaries, give exactly dumps(report_document())."""
    big = synthetic_report(seed=7, rows=10_000)
    expected = dumps(report_document(big)) + "\n"
    assert _json_bytes(big) == expected.encode("utf-8")


def test_json_non_finite_writes_nothing() -> None:
    """A NaN percent is refused before a single character reaches the stream."""
    table = Table(
        "t",
        "T",
        "T",
        [Column("p", "percent", "p", "p", places=1)],
        [[Decimal(1)], [Decimal("NaN")]],
    )
    stream = io.StringIO()
    with pytest.raises(ValidationError, match="finite"):
        write_json(Report("R", "R", [table], {}), stream, {})
    assert stream.getvalue() == ""


def test_csv_chunks_equal_cell_by_cell() -> None:
    """Raw CSV across chunk boundaries equals converting every cell with raw_cell."""
    big = synthetic_report(seed=8, rows=10_000)
    for table in big.tables:
        options = CSV.resolve_options({"table": table.key})
        stream = io.StringIO(newline="")
        write_csv(big, stream, options)
        expected = io.StringIO(newline="")
        expected.write("\ufeff")
        writer = csv.writer(expected, lineterminator="\r\n")
        writer.writerow(neutralise(c.label("vi")) for c in table.columns)
        for row in table.rows:
            writer.writerow(
                neutralise(raw_cell(v))
                if c.type in ("text", "code") and v is not None
                else raw_cell(v)
                for c, v in zip(table.columns, row, strict=True)
            )
        assert stream.getvalue() == expected.getvalue()
