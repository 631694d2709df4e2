"""DataFrames out and in: report tables keep their types in pandas, polars and Arrow;
ledgers come back from frames equal."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.model_strategies import rich_ledgers

from partydev import Column, Ledger, Table, ValidationError, ledger_from_frames
from partydev.model import ledger_to_data
from partydev.model.codec import COLLECTIONS
from partydev.model.flat import flatten
from partydev.shell.testing import sample_report

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

_CELLS: dict[str, st.SearchStrategy[Any]] = {
    "text": st.text(max_size=6),
    "code": st.sampled_from(["province", "district", "on_track"]),
    "integer": st.integers(-(2**62), 2**62),
    "percent": st.decimals(-(10**6), 10**6, places=1, allow_nan=False, allow_infinity=False),
    "decimal": st.decimals(-(10**9), 10**9, places=2, allow_nan=False, allow_infinity=False),
    "date": st.dates(date(1800, 1, 1), date(2999, 12, 31)),
}
_PLACES = {"percent": 1, "decimal": 2}


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """A table with columns of every type and some None cells."""
    types = draw(st.lists(st.sampled_from(sorted(_CELLS)), min_size=1, max_size=6))
    columns = [
        Column(f"c{i}", kind, f"cột {i}", f"column {i}", places=_PLACES.get(kind))  # type: ignore[arg-type]
        for i, kind in enumerate(types)
    ]
    rows = draw(
        st.lists(
            st.tuples(*(st.none() | _CELLS[kind] for kind in types)).map(list),
            max_size=5,
        )
    )
    return Table("t", "Bảng", "Table", columns, rows)


def _back(frame_rows: list[dict[str, Any]], table: Table) -> list[tuple[Any, ...]]:
    """Rows of a converted frame in the table's column order, missing values as None."""
    keys = [c.key for c in table.columns]
    return [tuple(None if v is pd.NA else v for v in (row[k] for k in keys)) for row in frame_rows]


@settings(max_examples=60, deadline=None)
@given(tables())
def test_tables_round_trip_through_every_library(table: Table) -> None:
    """Every cell comes back equal from pandas, polars and Arrow, None as missing."""
    expected = [tuple(row) for row in table.rows]
    assert _back(table.to_pandas().to_dict("records"), table) == expected
    assert _back(table.to_polars().to_dicts(), table) == expected
    assert _back(table.to_arrow().to_pylist(), table) == expected


def test_pandas_types_are_exact() -> None:
    """Counts are nullable Int64, percents Decimal objects, dates date objects, text string."""
    frame = sample_report().summary.to_pandas()
    assert str(frame["achieved"].dtype) == "Int64"
    assert str(frame["unit_name"].dtype) == "string"
    assert frame["achieved"].tolist()[:1] == [4537]
    percent = frame["percent"].tolist()[0]
    assert isinstance(percent, Decimal)
    assert percent == Decimal("60.5")
    assert frame["members_date"].tolist()[0] == date(2023, 6, 30)


def test_polars_and_arrow_types() -> None:
    """polars and Arrow get exact decimals at the column's places and date types."""
    table = sample_report().summary
    frame = table.to_polars()
    assert frame.schema["percent"] == pl.Decimal(38, 1)
    assert frame.schema["members_date"] == pl.Date
    assert frame.schema["achieved"] == pl.Int64
    arrow = table.to_arrow()
    field = arrow.schema.field("percent")
    assert field.type == pa.decimal128(38, 1)
    assert field.metadata[b"label_vi"].decode() == table.column("percent").label_vi
    assert arrow.column("percent").to_pylist()[0] == Decimal("60.5")


def test_unknown_is_missing_never_zero() -> None:
    """A None count is <NA> in pandas and null in polars and Arrow, not 0 or NaN."""
    table = Table("t", "B", "T", [Column("n", "integer", "Số", "Count")], [[None], [3]])
    assert table.to_pandas()["n"].isna().tolist() == [True, False]
    assert table.to_polars()["n"].null_count() == 1
    assert table.to_arrow().column("n").null_count == 1


@pytest.mark.parametrize(
    ("method", "package"),
    [("to_pandas", "pandas"), ("to_polars", "polars"), ("to_arrow", "pyarrow")],
)
def test_missing_library_is_named(
    monkeypatch: pytest.MonkeyPatch, method: str, package: str
) -> None:
    """Without the library, the error names the package and the extra to install."""
    monkeypatch.setitem(sys.modules, package, None)
    with pytest.raises(ImportError, match=rf"needs {package}.*partydev\[frames\]"):
        getattr(sample_report().summary, method)()


def _frames(ledger: Ledger, make: Any) -> dict[str, Any]:
    """The ledger's collections as frames made by *make* from flat rows."""
    data = ledger_to_data(ledger)
    return {
        name: make([flatten(name, record) for record in data[name]])
        for name in COLLECTIONS
        if data.get(name) and name != "events"
    }


@settings(max_examples=25, deadline=None)
@given(rich_ledgers())
def test_ledger_from_frames_round_trips(ledger: Ledger) -> None:
    """A ledger's collections as pandas or polars frames give the same ledger back."""
    for make in (pd.DataFrame, pl.DataFrame):
        frames = _frames(ledger, make)
        again = ledger_from_frames(title=ledger.title, **frames)
        assert again == ledger


def test_pandas_gaps_are_not_recorded() -> None:
    """NaN, NA and NaT cells are left out; a float count column with a gap reads as ints."""
    units = pd.DataFrame({"id": ["p", "c"], "name": ["Tỉnh", "Chi bộ"],
                          "level": ["province", "cell"], "parent": [None, "p"]})  # fmt: skip
    terms = pd.DataFrame({"id": ["t"], "label": ["2020–2025"], "start": [date(2020, 10, 1)],
                          "end": [date(2025, 12, 31)]})  # fmt: skip
    tallies = pd.DataFrame({"unit": ["c", "c"], "period": ["2021", "2022"], "count": [3.0, 4.0],
                            "breakdown.young": [2.0, float("nan")]})  # fmt: skip
    admissions = pd.DataFrame({"unit": ["p"], "date": [pd.Timestamp("2021-05-04")],
                               "sex": [pd.NA], "age": [float("nan")]})  # fmt: skip
    categories = [{"id": "young", "label_vi": "Trẻ", "label_en": "Young", "max_age": 30}]
    ledger = ledger_from_frames(
        units=units, terms=terms, tallies=tallies, admissions=admissions, categories=categories
    )
    assert [(t.count, dict(t.breakdown)) for t in ledger.tallies] == [(3, {"young": 2}), (4, {})]
    assert ledger.admissions[0].date == date(2021, 5, 4)
    assert ledger.admissions[0].age is None
    assert dict(ledger.admissions[0].attributes) == {}


def test_frame_errors_name_collection_and_row() -> None:
    """A bad cell is reported with its collection, row and field."""
    units = pl.DataFrame({"id": ["p"], "name": ["Tỉnh"], "level": ["province"]})
    terms = [{"id": "t", "label": "x", "start": date(2020, 1, 1), "end": date(2025, 12, 31)}]
    tallies = pl.DataFrame({"unit": ["p", "p"], "period": ["2021", "2022"], "count": [1, -4]})
    with pytest.raises(ValidationError) as info:
        ledger_from_frames(units=units, terms=terms, tallies=tallies)
    assert info.value.path is not None
    assert info.value.path.startswith("tallies[1]")
    with pytest.raises(ValidationError, match="expected a pandas or polars DataFrame"):
        ledger_from_frames(units="units.csv")
