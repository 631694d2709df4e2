"""A report table checks its cells against its typed columns and names the bad cell;
it holds its cells column by column and gives the same cells row by row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from tests.strategies import tables

from partydev import Column, Table, ValidationError

COLUMNS = [
    Column("unit_id", "text", "Mã", "Id"),
    Column("achieved", "integer", "Kết nạp", "Admitted"),
    Column("percent", "percent", "Tỷ lệ", "Percent", 1),
]


def test_valid_rows_pass() -> None:
    """Rows of the right width and types, with blanks, make a table."""
    table = Table("t", "Bảng", "Table", COLUMNS, [("a", 1, Decimal("60.5")), ("b", None, None)])
    assert table.rows[1] == ("b", None, None)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (("a", True, Decimal("1")), "achieved"),
        (("a", 1.5, Decimal("1")), "achieved"),
        (("a", 1, 60.5), "percent"),
        ((7, 1, Decimal("1")), "unit_id"),
    ],
)
def test_bad_cell_is_named(row: tuple[object, ...], field: str) -> None:
    """A bool, a float or a wrong type in a typed column is refused, naming the column."""
    with pytest.raises(ValidationError) as info:
        Table("t", "Bảng", "Table", COLUMNS, [("ok", 1, Decimal("2")), row])
    assert info.value.field == field


def test_wrong_width_is_named() -> None:
    """A row with too few cells is refused with its number."""
    with pytest.raises(ValidationError, match="row 1 of table 't' has 2 cells, expected 3"):
        Table("t", "Bảng", "Table", COLUMNS, [("ok", 1, Decimal("2")), ("x", 1)])


def test_column_values_are_the_column() -> None:
    """column_values(key) is the column's cells top to bottom; an unknown key is a KeyError."""
    table = Table("t", "Bảng", "Table", COLUMNS, [("a", 1, Decimal("60.5")), ("b", None, None)])
    assert table.column_values("unit_id") == ("a", "b")
    assert table.column_values("achieved") == (1, None)
    assert table.row_count == 2
    with pytest.raises(KeyError):
        table.column_values("nope")


@given(tables(min_columns=1))
def test_columns_are_the_rows_transposed(table: Table) -> None:
    """Every column holds the cells of the rows at its position, and a table built from
    those columns equals the table built from the rows (same rows, same records).
    (Without columns there are no cells to count rows by: see the test below.)"""
    assert table.row_count == len(table.rows)
    for index, column in enumerate(table.columns):
        assert table.column_values(column.key) == tuple(row[index] for row in table.rows)
    assert len(table.columns_data) == len(table.columns)
    again = Table.from_columns(
        table.key, table.title_vi, table.title_en, table.columns, table.columns_data
    )
    assert again == table
    assert hash(again) == hash(table)
    assert again.rows == table.rows
    assert list(again.records()) == list(table.records())


def test_from_columns_makes_rows() -> None:
    """A table built from columns gives its rows in order, and lists of cells are frozen."""
    table = Table.from_columns(
        "t", "Bảng", "Table", COLUMNS, [["a", "b"], [1, None], [Decimal("60.5"), None]]
    )
    assert table.rows == (("a", 1, Decimal("60.5")), ("b", None, None))
    assert table.columns_data == (("a", "b"), (1, None), (Decimal("60.5"), None))


def test_from_columns_checks_types() -> None:
    """A bad cell in a column is refused naming its column, as from rows."""
    with pytest.raises(ValidationError) as info:
        Table.from_columns("t", "Bảng", "Table", COLUMNS, [["a"], [True], [Decimal("1")]])
    assert info.value.field == "achieved"


def test_from_columns_checks_lengths() -> None:
    """Columns of unequal length, or a number of columns unlike the headings, are refused."""
    with pytest.raises(ValidationError, match="column 'achieved' of table 't' has 1 cells"):
        Table.from_columns("t", "Bảng", "Table", COLUMNS, [["a", "b"], [1], [None, None]])
    with pytest.raises(ValidationError, match="3 columns but 2 columns of cells"):
        Table.from_columns("t", "Bảng", "Table", COLUMNS, [["a"], [1]])


def test_first_bad_cell_in_row_order_is_named() -> None:
    """With bad cells in two columns, the one a reader meets first (by row) is named."""
    with pytest.raises(ValidationError) as info:
        Table("t", "Bảng", "Table", COLUMNS, [("a", 1, 2.5), ("b", "x", Decimal("1"))])
    assert info.value.field == "percent"


def test_table_without_columns_keeps_its_rows() -> None:
    """A table with no columns still counts its (empty) rows."""
    table = Table("t", "Bảng", "Table", [], [(), ()])
    assert table.rows == ((), ())
    assert table.row_count == 2
    assert table.columns_data == ()
