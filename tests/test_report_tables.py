"""A report table checks its rows against its typed columns and names the bad cell."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
