"""The report: typed, bilingual tables plus metadata, ready for any exporter.

A :class:`Report` is what :func:`partydev.build_report` returns and what every
exporter receives.  It is immutable and self-describing: each :class:`Table`
has typed :class:`Column` objects (a key, a type, a Vietnamese and an English
label, decimal places) and plain cells held column by column (rows are made
from them on demand), and the report carries its metadata (title, term, as-of
date, conventions, partydev version; never the wall clock), so that the same
input always gives the same bytes.

Cell values by column type:

============  ===============================================================
``text``      :class:`str` (free text such as a unit name)
``code``      :class:`str` from :data:`partydev.labels.LABELS` (rendered per locale)
``integer``   :class:`int`
``percent``   :class:`~decimal.Decimal` percent already rounded (``60.5`` means 60.5 %)
``decimal``   :class:`~decimal.Decimal` already rounded to the column's places
``date``      :class:`datetime.date`
============  ===============================================================

Any cell may be ``None`` when the figure cannot be computed from the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, Literal, TypeAlias

import attrs

from ..errors import ValidationError
from ..labels import label
from ..model.columnar import CodedColumn, tuple_or_coded
from ..model.periods import Period
from ..numbers import check_locale, format_date, format_number, nfc

__all__ = [
    "METADATA_LABELS",
    "PERIOD_COLUMNS",
    "UNIT_ID",
    "UNIT_NAME",
    "Cell",
    "Column",
    "ColumnType",
    "Report",
    "Table",
    "format_cell",
    "metadata_label",
    "period_cells",
]

ColumnType: TypeAlias = Literal["text", "code", "integer", "percent", "decimal", "date"]
"""The types a column can have; see the module documentation for the cell values."""

Cell: TypeAlias = str | int | Decimal | date | None
"""A value in a table."""

_CELL_TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "code": (str,),
    "integer": (int,),
    "percent": (Decimal,),
    "decimal": (Decimal,),
    "date": (date,),
}

_EXACT_TYPES: dict[str, frozenset[type]] = {
    kind: frozenset({type(None), *types}) for kind, types in _CELL_TYPES.items()
}
"""Per column type, the exact cell types that pass without a closer look."""


def _code_labels(
    value: Mapping[str, tuple[str, str]] | Iterable[tuple[str, str, str]],
) -> tuple[tuple[str, str, str], ...]:
    items = (
        [(code, *pair) for code, pair in value.items()]
        if isinstance(value, Mapping)
        else list(value)
    )
    out = []
    for item in items:
        if len(item) != 3 or not all(isinstance(text, str) for text in item):
            raise ValidationError("column labels map a code to (vi, en) text", value=item)
        code, vi, en = item
        out.append((code, nfc(vi), nfc(en)))
    return tuple(sorted(out))


@attrs.frozen
class Column:
    """One typed column of a :class:`Table`.

    Args:
        key: A stable, locale-free identifier (``"percent"``, ``"achieved_2021"``).
        type: One of :data:`ColumnType`.
        label_vi: The Vietnamese heading.
        label_en: The English heading.
        places: Decimal places of ``percent`` and ``decimal`` cells.
        labels: Names of this column's codes that :data:`partydev.labels.LABELS`
            lacks or names otherwise, as ``{code: (vi, en)}`` (the levels a
            ledger declares); stored as sorted ``(code, vi, en)`` triples.
    """

    key: str
    type: ColumnType
    label_vi: str = attrs.field(converter=nfc)
    label_en: str = attrs.field(converter=nfc)
    places: int | None = None
    labels: tuple[tuple[str, str, str], ...] = attrs.field(
        default=(), converter=_code_labels, kw_only=True
    )

    def label(self, locale: str = "vi") -> str:
        """The heading in *locale*."""
        return self.label_vi if check_locale(locale) == "vi" else self.label_en

    def code_label(self, code: str, locale: str = "vi") -> str:
        """The word for *code* in this column: its own :attr:`labels` first, else
        :func:`partydev.label`."""
        for each, vi, en in self.labels:
            if each == code:
                return vi if check_locale(locale) == "vi" else en
        return label(code, locale)


def _table_tuple(tables: Iterable[Table]) -> tuple[Table, ...]:
    return tuple(tables)


def _row_list(rows: object) -> Sequence[Sequence[Cell]]:
    """*rows* as a sequence of sequences (each row a tuple or a list)."""
    if not isinstance(rows, tuple | list):
        raise ValidationError("rows must be a sequence of sequences", field="rows")
    if set(map(type, rows)) <= {tuple, list}:
        return rows
    return [tuple(row) for row in rows]


def _first_bad(column: Column, cells: Sequence[Cell]) -> tuple[int, Cell] | None:
    """The row number and value of the first cell of *column* that is neither
    ``None`` nor of the column's type (a bool is not an integer)."""
    expected = _CELL_TYPES[column.type]
    for number, cell in enumerate(cells):
        if cell is not None and (isinstance(cell, bool) or not isinstance(cell, expected)):
            return number, cell
    return None


@attrs.frozen(init=False)
class Table:
    """A titled table of typed columns and their cells.

    A table holds its cells column by column (:attr:`columns_data`, one sequence
    per column, read one with :meth:`column_values`); :attr:`rows` gives the
    same cells row by row, made on first use.  Build a table from rows
    (``Table(key, title_vi, title_en, columns, rows)``) or from columns
    (:meth:`from_columns`); the two are equal when they hold the same cells.

    Cells are checked against the columns at construction: every row has one
    cell per column, and every cell is ``None`` or of its column's type.

    .. versionchanged:: 0.3
       Cells are held by column; :attr:`columns_data`, :attr:`row_count`,
       :meth:`column_values` and :meth:`from_columns` added.

    .. versionchanged:: 0.10
       A column of :attr:`columns_data` may be a
       :class:`~partydev.model.columnar.CodedColumn` instead of a tuple.
    """

    key: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    columns_data: tuple[Sequence[Cell], ...]
    """The cells, one sequence per column in :attr:`columns` order, top to bottom:
    a tuple, or a :class:`~partydev.model.columnar.CodedColumn` (equal to the tuple
    of its cells) for a column that repeats a few values."""
    row_count: int
    """The number of rows."""
    _rows: tuple[tuple[Cell, ...], ...] | None = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        key: str,
        title_vi: str,
        title_en: str,
        columns: Iterable[Column],
        rows: Sequence[Sequence[Cell]],
    ) -> None:
        checked = _row_list(rows)
        heads = tuple(columns)
        width = len(heads)
        if not set(map(len, checked)) <= {width}:
            for number, row in enumerate(checked):
                if len(row) != width:
                    raise ValidationError(
                        f"row {number} of table {key!r} has {len(row)} cells, expected {width}",
                        field="rows",
                    )
        data = tuple(zip(*checked, strict=True)) if checked else ((),) * width
        self.__attrs_init__(key, nfc(title_vi), nfc(title_en), heads, data, len(checked), None)

    @classmethod
    def from_columns(
        cls,
        key: str,
        title_vi: str,
        title_en: str,
        columns: Iterable[Column],
        values: Iterable[Iterable[Cell]],
    ) -> Table:
        """A table from its cells column by column: one sequence per column, in
        *columns* order, all of the same length (with no columns, no rows).

        >>> t = Table.from_columns(
        ...     "t", "Bảng", "Table",
        ...     [Column("unit_id", "text", "Mã", "Id"), Column("n", "integer", "Số", "Count")],
        ...     [("a", "b"), (1, None)],
        ... )
        >>> t.rows
        (('a', 1), ('b', None))

        .. versionadded:: 0.3
        """
        heads = tuple(columns)
        data: tuple[Sequence[Cell], ...] = tuple(map(tuple_or_coded, values))
        if len(data) != len(heads):
            raise ValidationError(
                f"table {key!r} has {len(heads)} columns but {len(data)} columns of cells",
                field="columns",
            )
        count = len(data[0]) if data else 0
        for column, cells in zip(heads, data, strict=True):
            if len(cells) != count:
                raise ValidationError(
                    f"column {column.key!r} of table {key!r} has {len(cells)} cells, "
                    f"expected {count}",
                    field=column.key,
                )
        table = cls.__new__(cls)
        table.__attrs_init__(key, nfc(title_vi), nfc(title_en), heads, data, count, None)
        return table

    def __attrs_post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValidationError("duplicate column keys", field="columns", value=self.key)
        # A column at a time, exact types in C (a national report has tens of
        # millions of cells); only when that fails is the column searched for the
        # offending cell (a subclass, a bool, a wrong type), in row order.
        bad: list[tuple[int, int, Cell]] = []
        for index, column in enumerate(self.columns):
            cells = self.columns_data[index]
            distinct = cells.values if isinstance(cells, CodedColumn) else cells
            if not set(map(type, distinct)) <= _EXACT_TYPES[column.type]:
                found = _first_bad(column, cells)
                if found is not None:
                    bad.append((found[0], index, found[1]))
        if bad:
            _, index, cell = min(bad, key=itemgetter(0, 1))  # the first in row order
            column = self.columns[index]
            raise ValidationError(
                f"cell of column {column.key!r} in table {self.key!r} must be {column.type}",
                field=column.key,
                value=cell,
            )

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        """The cells row by row (one tuple per row, in column order), made on first use."""
        rows = self._rows
        if rows is None:
            rows = (
                tuple(zip(*self.columns_data, strict=True))
                if self.columns
                else ((),) * self.row_count
            )
            object.__setattr__(self, "_rows", rows)
        return rows

    def column_values(self, key: str) -> tuple[Cell, ...]:
        """The cells of the column *key*, top to bottom; :class:`KeyError` if there is none.

        The same as ``tuple(row[table.column_index(key)] for row in table.rows)``,
        without making the rows.

        .. versionadded:: 0.3
        """
        cells = self.columns_data[self.column_index(key)]
        return cells if isinstance(cells, tuple) else tuple(cells)

    def title(self, locale: str = "vi") -> str:
        """The table title in *locale*."""
        return self.title_vi if check_locale(locale) == "vi" else self.title_en

    def column_index(self, key: str) -> int:
        """Position of the column *key*; :class:`KeyError` if there is none."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def column(self, key: str) -> Column:
        """The column *key*."""
        return self.columns[self.column_index(key)]

    def records(self) -> Iterator[dict[str, Cell]]:
        """Each row as a dict from column key to cell, in column order."""
        keys = [c.key for c in self.columns]
        for row in zip(*self.columns_data, strict=True) if keys else self.rows:
            yield dict(zip(keys, row, strict=True))

    def to_pandas(self) -> Any:
        """This table as a :class:`pandas.DataFrame`; types as in :mod:`partydev.frames`.

        .. versionadded:: 0.3
        """
        from .frames import table_to_pandas

        return table_to_pandas(self)

    def to_polars(self) -> Any:
        """This table as a :class:`polars.DataFrame`; types as in :mod:`partydev.frames`.

        .. versionadded:: 0.3
        """
        from .frames import table_to_polars

        return table_to_polars(self)

    def to_arrow(self) -> Any:
        """This table as a :class:`pyarrow.Table`; types as in :mod:`partydev.frames`.

        .. versionadded:: 0.3
        """
        from .frames import table_to_arrow

        return table_to_arrow(self)


def _freeze_metadata(items: object) -> tuple[tuple[str, Cell], ...]:
    pairs = items.items() if isinstance(items, Mapping) else items
    if not isinstance(pairs, Iterable):
        raise ValidationError("metadata must be pairs of key and value", field="metadata")
    return tuple((str(key), value) for key, value in pairs)


@attrs.frozen
class Report:
    """A finished report: tables, metadata, and the bilingual title.

    ``tables[0]`` is the summary (one row per unit); further tables (per
    period, composition, stated claims) follow in a fixed order.  ``metadata``
    is an ordered tuple of ``(key, value)`` pairs whose keys have labels in
    :data:`partydev.labels.LABELS` or :data:`METADATA_LABELS`.
    """

    title_vi: str = attrs.field(converter=nfc)
    title_en: str = attrs.field(converter=nfc)
    tables: tuple[Table, ...] = attrs.field(converter=_table_tuple)
    metadata: tuple[tuple[str, Cell], ...] = attrs.field(converter=_freeze_metadata)

    def __attrs_post_init__(self) -> None:
        if not self.tables:
            raise ValidationError("a report needs at least one table", field="tables")
        keys = [t.key for t in self.tables]
        if len(set(keys)) != len(keys):
            raise ValidationError("duplicate table keys", field="tables", value=keys)

    def title(self, locale: str = "vi") -> str:
        """The report title in *locale*."""
        return self.title_vi if check_locale(locale) == "vi" else self.title_en

    @property
    def summary(self) -> Table:
        """The first table: one row per unit."""
        return self.tables[0]

    def table(self, key: str) -> Table:
        """The table *key*; :class:`KeyError` if the report has none."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def meta(self) -> Mapping[str, Cell]:
        """The metadata as a read-only dict."""
        return dict(self.metadata)


METADATA_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Tiêu đề", "Title"),
    "term": ("Nhiệm kỳ", "Term"),
    "term_id": ("Mã nhiệm kỳ", "Term id"),
    "as_of": ("Tính đến ngày", "As of"),
    "target_period": ("Các năm thực hiện chỉ tiêu", "Target years"),
    "rollup": ("Cách cộng dồn", "Roll-up"),
    "elapsed": ("Cách tính thời gian đã qua", "Elapsed-time convention"),
    "rounding": ("Cách làm tròn", "Rounding"),
    "places": ("Số chữ số thập phân", "Decimal places"),
    "pace_tolerance": ("Ngưỡng đánh giá tiến độ (%)", "Pace tolerance (%)"),
    "target_source": ("Chỉ tiêu so sánh", "Target compared against"),
    "young_age": ("Tuổi tối đa của đảng viên trẻ", "Young member age bound"),
    "locale": ("Ngôn ngữ", "Language"),
    "generator": ("Phần mềm", "Generated by"),
    "version": ("Phiên bản", "Version"),
    "source": ("Nguồn số liệu", "Data source"),
}
"""Metadata key → (Vietnamese, English) label."""


UNIT_ID = Column("unit_id", "text", "Mã đơn vị", "Unit id")
"""The column tables about units start with: the unit's id."""

UNIT_NAME = Column("unit_name", "text", "Đơn vị", "Unit")
"""The unit's name, as it stands on the report date."""

PERIOD_COLUMNS: tuple[Column, ...] = (
    Column("period", "text", "Mã kỳ", "Period key"),
    Column("period_vi", "text", "Kỳ", "Period (Vietnamese)"),
    Column("period_en", "text", "Kỳ (tiếng Anh)", "Period"),
)
"""A period as three cells: its key and its name in both languages (:func:`period_cells`)."""


def period_cells(period: Period) -> tuple[str, str, str]:
    """The cells of :data:`PERIOD_COLUMNS` for *period*: its key and its vi and en names."""
    return period.key, period.label("vi"), period.label("en")


def metadata_label(key: str, locale: str = "vi") -> str:
    """The label of a metadata key in *locale* (the key itself if unknown)."""
    pair = METADATA_LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if check_locale(locale) == "vi" else pair[1]


def format_cell(column: Column, value: Cell, locale: str = "vi") -> str:
    """Render one cell as text for *locale*: ``"4.537"``, ``"60,5%"``, ``"30/6/2023"``.

    ``None`` becomes the empty string; codes become their label.  This is the
    single place where report values turn into words, shared by the terminal
    table and every text exporter.
    """
    if value is None:
        return ""
    if column.type == "code":
        return column.code_label(str(value), locale)
    if column.type == "integer" and isinstance(value, int):
        return format_number(value, locale)
    if column.type == "percent" and isinstance(value, Decimal):
        return format_number(value, locale) + "%"
    if column.type == "decimal" and isinstance(value, Decimal):
        return format_number(value, locale)
    if column.type == "date" and isinstance(value, date):
        return format_date(value, locale)
    return str(value)
