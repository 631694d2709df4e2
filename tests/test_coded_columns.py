"""Coded report columns (partydev.model.columnar.CodedColumn): a tuple's cells, held small."""

from __future__ import annotations

import csv
import json
import pickle
from array import array
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partydev.errors import ValidationError
from partydev.model.columnar import CodedColumn, codes_for, repeat_each
from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager
from partydev.report import Column, Report, Table
from partydev.shell.export import export

CELLS = st.one_of(st.none(), st.text(max_size=4), st.integers(-5, 300))
COLUMNS = st.lists(CELLS, min_size=1, max_size=6, unique=True).flatmap(
    lambda values: st.tuples(
        st.just(values), st.lists(st.integers(0, len(values) - 1), max_size=40)
    )
)


def _cells(values: list[Any], codes: list[int]) -> tuple[Any, ...]:
    return tuple(values[code] for code in codes)


@given(COLUMNS, st.integers(-45, 45), st.integers(-45, 45), st.sampled_from([None, 1, 2, -1, 3]))
def test_behaves_as_the_tuple_of_its_cells(
    column: tuple[list[Any], list[int]], start: int, stop: int, step: int | None
) -> None:
    """Length, items (negative too), slices, iteration, equality and hash are the tuple's."""
    values, codes = column
    coded, cells = CodedColumn(values, codes), _cells(values, codes)
    assert len(coded) == len(cells)
    assert tuple(coded) == cells
    assert coded[start:stop:step] == cells[start:stop:step]
    assert isinstance(coded[start:stop:step], tuple)
    for i in range(-len(cells), len(cells)):
        assert coded[i] == cells[i]
    assert coded == cells
    assert cells == coded
    assert coded == list(cells)
    assert hash(coded) == hash(cells)
    more = ("x",)
    assert coded + more == (*cells, "x")  # joined as a tuple joins, either side
    assert more + coded == ("x", *cells)
    assert coded + coded == cells + cells
    assert coded * 2 == 2 * coded == cells * 2
    assert pickle.loads(pickle.dumps(coded)) == coded


@given(COLUMNS)
def test_from_cells_numbers_each_distinct_cell_once(column: tuple[list[Any], list[int]]) -> None:
    """from_cells gives the same cells, its values distinct and in order of first appearance."""
    cells = _cells(*column)
    coded = CodedColumn.from_cells(cells)
    assert coded == cells
    assert list(coded.values) == list(dict.fromkeys(cells))


@given(st.lists(CELLS, max_size=5), st.integers(0, 4))
def test_repeated_and_cycled_lay_values_out_as_the_tables_do(
    values: list[Any], times: int
) -> None:
    """repeated gives each value times in a row, cycled the values over and over."""
    assert CodedColumn.repeated(values, times) == tuple(v for v in values for _ in range(times))
    rows = len(values) * times + (1 if values else 0)
    expected = tuple(values[i % len(values)] for i in range(rows)) if values else ()
    assert CodedColumn.cycled(values, rows) == expected
    assert list(repeat_each(len(values), times)) == [
        i for i in range(len(values)) for _ in range(times)
    ]


@given(COLUMNS, st.data())
def test_kept_and_with_values_follow_the_codes(
    column: tuple[list[Any], list[int]], data: st.DataObject
) -> None:
    """kept keeps the rows compress would; with_values puts other values on the same codes."""
    values, codes = column
    coded = CodedColumn(values, codes)
    keep = data.draw(st.lists(st.booleans(), min_size=len(codes), max_size=len(codes)))
    assert coded.kept(keep) == tuple(
        c for c, k in zip(_cells(values, codes), keep, strict=True) if k
    )
    other = [f"v{i}" for i in range(len(values))]
    assert coded.with_values(other) == _cells(other, codes)


@given(st.integers(0, 30), st.dictionaries(st.integers(0, 29), st.text(max_size=3), max_size=5))
def test_sparse_is_the_default_but_where_given(rows: int, given_cells: dict[int, str]) -> None:
    """sparse holds the default on every row but those the mapping gives."""
    cells = {row: text for row, text in given_cells.items() if row < rows}
    assert CodedColumn.sparse(rows, cells, None) == tuple(cells.get(i) for i in range(rows))


def test_codes_take_the_smallest_array_that_numbers_the_values() -> None:
    """One byte a code up to 256 values, two up to 65,536, four beyond."""
    assert [codes_for(n, [0]).itemsize for n in (1, 256, 257, 65_536, 65_537)] == [1, 1, 2, 2, 4]
    assert CodedColumn.repeated(range(300), 2).codes.itemsize == 2


def test_a_code_outside_the_values_is_refused() -> None:
    """A code that numbers no value is a ValueError at construction, not a late IndexError."""
    with pytest.raises(ValueError, match="outside"):
        CodedColumn(("a", "b"), [0, 2])
    with pytest.raises(ValueError, match="outside"):
        CodedColumn(("a",), array("b", [0, -1]))
    with pytest.raises(IndexError):
        CodedColumn(("a",), [0])[1]


def test_codes_are_read_only() -> None:
    """The codes a column shows cannot be changed through it (columns share them)."""
    coded = CodedColumn.repeated(("a", "b"), 2)
    with pytest.raises(TypeError):
        coded.codes[0] = 1
    assert coded == ("a", "a", "b", "b")


HEAD = [Column("unit_id", "text", "Mã", "Id"), Column("percent", "percent", "Tỷ lệ", "Percent", 1)]


def _tables() -> tuple[Table, Table]:
    ids, percents = (
        ("a", "a", "b", "=cmd"),
        (Decimal("50.0"), None, Decimal("7.5"), Decimal("1.0")),
    )
    plain = Table.from_columns("t", "Bảng", "Table", HEAD, [ids, percents])
    coded = Table.from_columns(
        "t", "Bảng", "Table", HEAD, [CodedColumn.from_cells(ids), CodedColumn(percents, range(4))]
    )
    return plain, coded


def test_a_table_keeps_a_coded_column_and_equals_the_table_of_tuples() -> None:
    """A table built from coded columns holds them as they are, equal to one built from tuples."""
    plain, coded = _tables()
    assert isinstance(coded.columns_data[0], CodedColumn)
    assert coded == plain
    assert hash(coded) == hash(plain)
    assert coded.rows == plain.rows
    assert coded.column_values("unit_id") == ("a", "a", "b", "=cmd")
    assert isinstance(coded.column_values("unit_id"), tuple)


def test_a_table_checks_the_cells_a_coded_column_uses() -> None:
    """A used value of the wrong type is refused, naming the column; an unused one is no cell."""
    with pytest.raises(ValidationError, match="must be percent") as caught:
        Table.from_columns("t", "B", "T", HEAD, [("a", "b"), CodedColumn((Decimal(1), 2), [0, 1])])
    assert caught.value.field == "percent"
    table = Table.from_columns("t", "B", "T", HEAD, [("a",), CodedColumn((Decimal(1), 2), [0])])
    assert table.rows == (("a", Decimal(1)),)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_exports_of_coded_and_plain_tables_are_the_same_bytes(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every exporter, the installed plugins' too, writes a table of coded columns as
    it writes the table of tuples."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "partydev-xlsx,partydev-markdown")
    reset_plugin_manager()
    written = []
    for name, table in zip(("plain", "coded"), _tables(), strict=True):
        report = Report("Báo cáo", "Report", tables=(table,), metadata=())
        path = tmp_path / f"{name}.{fmt}"
        export(report, fmt, path)
        written.append(path.read_bytes())
    assert written[0] == written[1]


def test_a_coded_table_reads_back_through_csv_and_json(tmp_path: Path) -> None:
    """Read back with the csv and json modules: the cells, a formula-like text neutralised."""
    report = Report("Báo cáo", "Report", tables=(_tables()[1],), metadata=())
    export(report, "csv", tmp_path / "t.csv")
    export(report, "json", tmp_path / "t.json")
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == ["a", "a", "b", "'=cmd"]
    data = json.loads((tmp_path / "t.json").read_text("utf-8"), parse_float=Decimal)
    (table,) = data["tables"]
    assert [row[1] for row in table["rows"]] == [
        Decimal("50.0"),
        None,
        Decimal("7.5"),
        Decimal("1.0"),
    ]


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_dataframes_of_coded_and_plain_tables_are_equal(kind: str) -> None:
    """A table with coded columns becomes the same DataFrame (or Arrow table) as the
    table of tuples."""
    pytest.importorskip({"pandas": "pandas", "polars": "polars", "arrow": "pyarrow"}[kind])
    plain, coded = (getattr(table, f"to_{kind}")() for table in _tables())
    assert plain.equals(coded)
    assert (coded.num_rows if kind == "arrow" else coded.shape[0]) == 4
