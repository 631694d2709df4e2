"""DataFrames out and in: report tables as pandas, polars or Arrow; ledgers from frames.

Each library is optional (``pip install "partydev[frames]"`` installs all three);
asking for one that is not installed raises :class:`ImportError` naming it.

Column types are kept, one rule per library:

* text and code columns: pandas ``string``, polars ``String``, Arrow ``string``;
* integer columns: pandas ``Int64`` (nullable), polars ``Int64``, Arrow ``int64``;
* percent and decimal columns: in pandas an ``object`` column of
  :class:`~decimal.Decimal`, in polars ``Decimal(38, places)``, in Arrow
  ``decimal128(38, places)`` (*places* the column's own, else the most its cells use);
* date columns: in pandas an ``object`` column of :class:`datetime.date`, in polars
  ``Date``, in Arrow ``date32``.

A cell that is ``None`` (a figure the data does not give) is a missing value
(``<NA>``, ``null``), never 0 and never NaN.  pandas has no exact decimal or
date-only type of its own, so those columns hold the Python objects; a float
never stands in for a published figure.

Frames are converted over the public :attr:`Table.columns` and
:attr:`Table.columns_data` only, column by column.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import ModuleType
from typing import Any

from ..errors import PartydevError, ValidationError
from ..model.codec import COLLECTIONS, ledger_from_data
from ..model.flat import flat_record
from ..model.ledger import Ledger
from .table import Cell, Column, Table

__all__ = [
    "EXTRA",
    "ledger_from_frames",
    "table_to_arrow",
    "table_to_pandas",
    "table_to_polars",
]

EXTRA = "frames"
"""The extra that installs pandas, polars and pyarrow: ``pip install "partydev[frames]"``."""

_PRECISION = 38
"""Digits of the exact decimal types (the widest Arrow's decimal128 holds)."""


def _require(module: str, package: str | None = None) -> ModuleType:
    """Import *module*, or say which package to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = package or module
        raise ImportError(
            f"this needs {package}, which is not installed: "
            f'pip install {package} (or pip install "partydev[{EXTRA}]")',
            name=module,
        ) from None


def _columns(table: Table) -> list[tuple[Column, list[Cell]]]:
    """Each column with its cells, top to bottom."""
    return [
        (column, list(values))
        for column, values in zip(table.columns, table.columns_data, strict=True)
    ]


def _scale(column: Column, values: Iterable[Cell]) -> int:
    """The decimal places of a percent or decimal column: its own, else the most used."""
    if column.places is not None:
        return column.places
    exponents = [
        -exponent
        for value in values
        if isinstance(value, Decimal)
        and isinstance(exponent := value.as_tuple().exponent, int)
        and exponent < 0
    ]
    return max(exponents, default=0)


def table_to_pandas(table: Table) -> Any:
    """*table* as a :class:`pandas.DataFrame`, columns named by their keys.

    Raises:
        ImportError: naming pandas when it is not installed.
    """
    pd = _require("pandas")
    data: dict[str, Any] = {}
    for column, values in _columns(table):
        if column.type in ("text", "code"):
            data[column.key] = pd.array(values, dtype="string")
        elif column.type == "integer":
            data[column.key] = pd.array(values, dtype="Int64")
        else:
            data[column.key] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, index=pd.RangeIndex(table.row_count))


def table_to_polars(table: Table) -> Any:
    """*table* as a :class:`polars.DataFrame`, columns named by their keys.

    Raises:
        ImportError: naming polars when it is not installed.
    """
    pl = _require("polars")
    series = []
    for column, values in _columns(table):
        if column.type in ("text", "code"):
            dtype: Any = pl.String
        elif column.type == "integer":
            dtype = pl.Int64
        elif column.type == "date":
            dtype = pl.Date
        else:
            dtype = pl.Decimal(_PRECISION, _scale(column, values))
        series.append(pl.Series(column.key, values, dtype=dtype))
    return pl.DataFrame(series)


def table_to_arrow(table: Table) -> Any:
    """*table* as a :class:`pyarrow.Table`, columns named by their keys; each
    field's metadata holds the column's ``type`` and its Vietnamese and English labels.

    Raises:
        ImportError: naming pyarrow when it is not installed.
    """
    pa = _require("pyarrow")
    arrays, fields = [], []
    for column, values in _columns(table):
        if column.type in ("text", "code"):
            kind: Any = pa.string()
        elif column.type == "integer":
            kind = pa.int64()
        elif column.type == "date":
            kind = pa.date32()
        else:
            kind = pa.decimal128(_PRECISION, _scale(column, values))
        arrays.append(pa.array(values, type=kind))
        metadata = {"type": column.type, "label_vi": column.label_vi, "label_en": column.label_en}
        fields.append(pa.field(column.key, kind, metadata=metadata))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# -- frames in ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A frame's cell as a plain Python value; missing values (NA, NaN, NaT) as ``None``."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        # A count column with a gap becomes float in pandas: 3.0 was 3.  Other
        # floats are read as the shortest decimal that prints them, never as binary.
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, bool | str | int | Decimal):
        return value
    if isinstance(value, datetime):  # pandas.Timestamp too
        if value != value:  # NaT
            return None
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    item = getattr(value, "item", None)  # a numpy scalar
    if callable(item):
        return _plain(item())
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    return value


def _rows(frame: Any) -> list[dict[str, Any]]:
    """The rows of a pandas or polars DataFrame, an Arrow table, or a list of dicts."""
    if isinstance(frame, list):
        rows = frame
    elif hasattr(frame, "to_pylist"):  # pyarrow.Table
        rows = frame.to_pylist()
    elif hasattr(frame, "to_dicts"):  # polars
        rows = frame.to_dicts()
    elif hasattr(frame, "to_dict"):  # pandas
        rows = frame.to_dict("records")
    else:
        raise ValidationError(
            "expected a pandas or polars DataFrame, a pyarrow Table or a list of dicts",
            value=type(frame).__name__,
        )
    return [{str(key): _plain(value) for key, value in row.items()} for row in rows]


def ledger_from_frames(
    *,
    units: Any,
    terms: Any = None,
    targets: Any = None,
    admissions: Any = None,
    tallies: Any = None,
    memberships: Any = None,
    categories: Any = None,
    claims: Any = None,
    covers: Any = None,
    title: str = "",
    source: str = "",
    **others: Any,
) -> Ledger:
    """A ledger from DataFrames (pandas, polars), Arrow tables or lists of dicts.

    Each frame holds one collection with the fields of the ledger format
    (:doc:`/reference/ledger-format`) as columns, flat as in a CSV file: in
    *admissions* every other column is an attribute; in *tallies*
    ``breakdown.<category>`` columns make the breakdown.  A missing value
    (``None``, NA, NaN, NaT) is "not recorded", never 0.  Dates may be dates,
    timestamps at midnight or ISO text; a whole float (``3.0``, a pandas count
    column with a gap) is the integer.

    Args:
        units: The units.
        terms: The congress terms (required by the ledger, given here or not at all
            only if no record needs one).
        targets: Targets, admissions, tallies, memberships, categories, claims:
            the other collections.
        covers: What the person-level admissions cover (``{period, units, subunits}``
            rows, or one dict).
        others: Any other collection of the ledger format by its name
            (``levels=``, ``movements=`` …).
        title: The ledger's title.
        source: Where its figures come from.

    Raises:
        PartydevError: naming the collection and row (``admissions[12].date``),
            the field and the value.
    """
    given = {
        "units": units,
        "terms": terms,
        "targets": targets,
        "admissions": admissions,
        "tallies": tallies,
        "memberships": memberships,
        "categories": categories,
        "claims": claims,
    }
    unknown = sorted(set(others) - set(COLLECTIONS))
    if unknown:
        raise ValidationError("not a collection of the ledger format", field=unknown[0])
    given.update(others)
    data: dict[str, Any] = {"title": title, "source": source}
    for collection, frame in given.items():
        if frame is None:
            continue
        try:
            rows = _rows(frame)
        except PartydevError as error:
            raise error.located(path=collection) from None
        data[collection] = [flat_record(collection, row) for row in rows]
    if covers is not None:
        data["covers"] = covers if isinstance(covers, Mapping) else _rows(covers)
    return ledger_from_data(data)
