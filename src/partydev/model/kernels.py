"""Vector kernels: the counting loops of a columnar store, in pure Python or with numpy.

A columnar store keeps admissions as parallel columns (the unit of each row, its
day ordinal, the code of its attribute combination) and units as a parent index.
Four loops do the heavy work of a report, and each exists here twice, behind one
interface (:class:`Kernels`):

* :meth:`~Kernels.count_by_unit_and_window`: admissions per unit in each window
  of days;
* :meth:`~Kernels.sum_categories_by_unit_and_window`: per category (young,
  women, ...), how many of them belong, or ``None`` where the data cannot tell;
* :meth:`~Kernels.roll_up`: totals over a tree of units, unknown spreading up;
* :meth:`~Kernels.percent`: exact percentages, rounded by
  :meth:`partydev.Ratio.percent` (one rounding rule, every :mod:`decimal` mode).

:class:`PythonKernels` is the standard library only, always available, and the
reference. :class:`NumpyKernels` does the same with numpy arrays
(``pip install "partydev[fast]"``); numpy is imported when it first computes,
never by ``import partydev``.  Both take plain lists or numpy arrays and return
plain Python objects (lists of :class:`int`, ``None``, :class:`~decimal.Decimal`),
so their results compare equal element for element; a property test holds them
to it.  :func:`kernels` picks one: numpy when it is installed, unless the
``PARTYDEV_KERNELS`` environment variable (which the command line passes on) or the
*prefer* argument says
``python`` or ``numpy``.

>>> k = PythonKernels()
>>> k.count_by_unit_and_window([0, 0, 1], [738000, 738400, 738001], 2, [(738000, 738100)])
[[1, 1]]
>>> k.roll_up([-1, 0, 0], [[1, 2, 3]])
[[6, 2, 3]]
>>> k.percent([4537, 1], [7500, 0], 1)
[Decimal('60.5'), None]

.. versionadded:: 0.9
"""

from __future__ import annotations

import functools
import importlib.util
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Concatenate, Final, Literal, ParamSpec, TypeAlias, TypeVar

from ..errors import ValidationError
from ..numbers import Ratio, check_places, check_rounding

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "BACKENDS",
    "ENV_VAR",
    "EXTRA",
    "MAX_DAY",
    "Backend",
    "Flags",
    "Ints",
    "Kernels",
    "NumpyKernels",
    "PythonKernels",
    "Window",
    "kernels",
]

Backend: TypeAlias = Literal["python", "numpy"]
"""The name of a kernel implementation."""

BACKENDS: Final[tuple[Backend, ...]] = ("python", "numpy")
"""Every backend, the pure-Python reference first."""

ENV_VAR: Final = "PARTYDEV_KERNELS"
"""The environment variable that forces a backend: ``python`` or ``numpy``."""

EXTRA: Final = "fast"
"""The extra that installs numpy: ``pip install "partydev[fast]"``."""

MAX_DAY: Final = date.max.toordinal()
"""The largest day ordinal (:meth:`datetime.date.toordinal`); days run from 1 to it."""

Ints: TypeAlias = "Sequence[int] | NDArray[np.integer[Any]]"
"""A column of integers: a list (or any sequence) of :class:`int`, or a 1-D numpy
integer array."""

Flags: TypeAlias = "Sequence[bool] | NDArray[np.bool_]"
"""A column of flags: a list of :class:`bool`, or a 1-D numpy boolean array."""

Window: TypeAlias = tuple[int, int]
"""A window of days ``(first, last)``, both day ordinals, both included."""

_SHIFT: Final = 22
"""The numpy backend sorts rows on ``unit << _SHIFT | day``: every day ordinal fits."""

assert MAX_DAY < 1 << _SHIFT


_DEEPEST: Final = 64
"""The numpy roll-up works a level at a time; deeper trees go to Python."""


class _Unfit(Exception):
    """Numbers too large for int64, or a tree too deep: the numpy backend hands the
    call to Python."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _python_if_unfit(
    method: Callable[Concatenate[Kernels, _P], _R],
) -> Callable[Concatenate[Kernels, _P], _R]:
    """*method*, done by :class:`PythonKernels` when a backend finds the numbers unfit."""

    @functools.wraps(method)
    def handed_over(self: Kernels, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except _Unfit:
            return method(PythonKernels(), *args, **kwargs)

    return handed_over


class Kernels:
    """The kernels, with their arguments checked the same way for every backend.

    A backend converts columns (``_column``), finds their bounds (``_bounds``)
    and computes on checked arguments (``_count``, ``_sum``, ``_roll_up``,
    ``_percent``).  Every check raises :class:`~partydev.ValidationError`
    naming the argument.
    """

    name: Backend
    """Which backend this is."""

    # -- the interface -------------------------------------------------------

    @_python_if_unfit
    def count_by_unit_and_window(
        self, unit_index: Ints, days: Ints, n_units: int, windows: Sequence[Window]
    ) -> list[list[int]]:
        """How many rows each unit has in each window.

        Args:
            unit_index: Per row, the unit's index, from 0 to ``n_units - 1``.
            days: Per row, the day ordinal (``date.toordinal()``).  Rows may come
                in any order.
            n_units: How many units there are.
            windows: The windows of days to count in; they may overlap.

        Returns:
            One list per window, each with one count per unit: ``result[w][u]``.

        Raises:
            ValidationError: if a column is not integers, the columns differ in
                length, or an index, day or window is out of range.

        >>> PythonKernels().count_by_unit_and_window([1, 1], [5, 9], 3, [(1, 5), (1, 9)])
        [[0, 1, 0], [0, 2, 0]]
        """
        units, day_column = self._rows(unit_index, days, n_units)
        return self._count(units, day_column, n_units, _check_windows(windows))

    @_python_if_unfit
    def sum_categories_by_unit_and_window(
        self,
        unit_index: Ints,
        days: Ints,
        codes: Ints,
        hits: Sequence[Sequence[int]],
        opens: Sequence[Sequence[int]],
        n_units: int,
        windows: Sequence[Window],
    ) -> list[list[list[int | None]]]:
        """Per unit, window and category, how many rows belong to the category.

        Rows share a few thousand combinations of attributes; each row names
        its combination by a code, and two small tables say, per combination
        and category, whether a row with it belongs (*hits*) and whether the
        data cannot tell (*opens*: a birth date missing for an age category).

        Args:
            unit_index: Per row, the unit's index, from 0 to ``n_units - 1``.
            days: Per row, the day ordinal, rows in any order.
            codes: Per row, the index of its combination in *hits* and *opens*.
            hits: Per combination, per category, 1 if a row belongs, else 0.
            opens: Per combination, per category, 1 if undetermined, else 0.
            n_units: How many units there are.
            windows: The windows of days to count in.

        Returns:
            ``result[w][c][u]``: the count of category *c* for unit *u* in
            window *w*, or ``None`` if a row in it is undetermined for *c*.

        Raises:
            ValidationError: as :meth:`count_by_unit_and_window`, and if a code
                is out of range or the tables are not rectangular 0/1 tables.

        >>> PythonKernels().sum_categories_by_unit_and_window(
        ...     [0, 0, 1], [5, 6, 5], [0, 1, 1], [[1, 0], [0, 0]], [[0, 0], [0, 1]], 2, [(1, 9)]
        ... )
        [[[1, 0], [None, None]]]
        """
        units, day_column = self._rows(unit_index, days, n_units)
        hit_table, open_table = _check_tables(hits, opens)
        code_column = self._column(codes, "codes")
        if len(code_column) != len(units):
            raise ValidationError("codes and unit_index differ in length", field="codes")
        self._in_range(code_column, 0, len(hit_table) - 1, "codes")
        return self._sum(
            units,
            day_column,
            code_column,
            hit_table,
            open_table,
            n_units,
            _check_windows(windows),
        )

    @_python_if_unfit
    def roll_up(
        self,
        parent_index: Ints,
        columns: Sequence[Ints],
        unknown: Sequence[Flags] | None = None,
    ) -> list[list[int | None]]:
        """Each node's value plus its descendants', for each column.

        Args:
            parent_index: Per node, its parent's index, or ``-1`` for a root.
            columns: Columns of values, one value per node.
            unknown: Per column, per node, ``True`` where the value is unknown;
                ``None`` if every value is known.

        Returns:
            Per column, per node, the total over its subtree, or ``None`` if
            any value in the subtree is unknown (unknown is never zero).

        Raises:
            ValidationError: if a parent index is out of range, the parents
                form a cycle, or a column or mask has the wrong length.

        >>> unknown = [[False, False, True, False]]
        >>> PythonKernels().roll_up([-1, 0, 1, 0], [[1, 10, 100, 1000]], unknown)
        [[None, None, None, 1000]]
        """
        parents = self._column(parent_index, "parent_index")
        count = len(parents)
        self._in_range(parents, -1, count - 1, "parent_index")
        values = []
        for column in columns:
            checked = self._column(column, "columns")
            if len(checked) != count:
                raise ValidationError(
                    "a column's length is not the number of nodes", field="columns"
                )
            values.append(checked)
        if unknown is not None and (
            len(unknown) != len(values) or any(len(mask) != count for mask in unknown)
        ):
            raise ValidationError("unknown must match columns in shape", field="unknown")
        return self._roll_up(parents, values, unknown)

    @_python_if_unfit
    def percent(
        self,
        numerators: Ints,
        denominators: Ints,
        places: int = 1,
        rounding: str = ROUND_HALF_UP,
    ) -> list[Decimal | None]:
        """Each ``numerator / denominator`` as a percentage, exactly rounded.

        The same figures as :meth:`partydev.Ratio.percent`, which rounds each one.

        Args:
            numerators: The numerators.
            denominators: The denominators, 0 or more; 0 gives ``None``.
            places: Decimal places to keep.
            rounding: A :mod:`decimal` rounding constant, half up by default.

        Returns:
            Per pair, the percentage, or ``None`` where the denominator is 0.

        Raises:
            ValidationError: if the columns differ in length, a denominator is
                negative, or *places* or *rounding* is not accepted.

        >>> from decimal import ROUND_DOWN
        >>> PythonKernels().percent([193, 193], [400, 400], 1)
        [Decimal('48.3'), Decimal('48.3')]
        >>> PythonKernels().percent([193], [400], 1, ROUND_DOWN)
        [Decimal('48.2')]
        """
        check_places(places)
        check_rounding(rounding)
        tops = self._column(numerators, "numerators")
        bottoms = self._column(denominators, "denominators")
        if len(tops) != len(bottoms):
            raise ValidationError(
                "numerators and denominators differ in length", field="denominators"
            )
        if len(bottoms) and self._bounds(bottoms)[0] < 0:
            raise ValidationError("a denominator is negative", field="denominators")
        return self._percent(tops, bottoms, places, rounding)

    # -- shared checks -------------------------------------------------------

    def _rows(self, unit_index: Ints, days: Ints, n_units: int) -> tuple[Any, Any]:
        """The unit and day columns, checked."""
        if isinstance(n_units, bool) or not isinstance(n_units, int) or n_units < 0:
            raise ValidationError("n_units must be a whole number", field="n_units", value=n_units)
        units = self._column(unit_index, "unit_index")
        day_column = self._column(days, "days")
        if len(units) != len(day_column):
            raise ValidationError("days and unit_index differ in length", field="days")
        self._in_range(units, 0, n_units - 1, "unit_index")
        self._in_range(day_column, 1, MAX_DAY, "days")
        return units, day_column

    def _in_range(self, column: Any, low: int, high: int, field: str) -> None:
        if len(column) == 0:
            return
        least, most = self._bounds(column)
        if least < low or most > high:
            value = least if least < low else most
            raise ValidationError(f"must be from {low} to {high}", field=field, value=value)

    # -- what a backend provides ---------------------------------------------

    def _column(self, values: Ints, field: str) -> Any:
        raise NotImplementedError

    def _bounds(self, column: Any) -> tuple[int, int]:
        raise NotImplementedError

    def _count(
        self, units: Any, days: Any, n_units: int, windows: list[Window]
    ) -> list[list[int]]:
        raise NotImplementedError

    def _sum(
        self,
        units: Any,
        days: Any,
        codes: Any,
        hits: list[list[int]],
        opens: list[list[int]],
        n_units: int,
        windows: list[Window],
    ) -> list[list[list[int | None]]]:
        raise NotImplementedError

    def _roll_up(
        self, parents: Any, columns: list[Any], unknown: Sequence[Flags] | None
    ) -> list[list[int | None]]:
        raise NotImplementedError

    def _percent(
        self, numerators: Any, denominators: Any, places: int, rounding: str
    ) -> list[Decimal | None]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _check_windows(windows: Sequence[Window]) -> list[Window]:
    checked: list[Window] = []
    for window in windows:
        first, last = window
        for day in (first, last):
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAY:
                raise ValidationError(
                    "a window's days must be day ordinals", field="windows", value=window
                )
        if first > last:
            raise ValidationError(
                "a window must not end before it starts", field="windows", value=window
            )
        checked.append((first, last))
    return checked


def _check_tables(
    hits: Sequence[Sequence[int]], opens: Sequence[Sequence[int]]
) -> tuple[list[list[int]], list[list[int]]]:
    tables = ([list(row) for row in hits], [list(row) for row in opens])
    width = len(tables[0][0]) if tables[0] else 0
    for name, table in zip(("hits", "opens"), tables, strict=True):
        if len(table) != len(tables[0]) or any(len(row) != width for row in table):
            raise ValidationError("hits and opens must be tables of one shape", field=name)
        if any(flag not in (0, 1) or isinstance(flag, bool) for row in table for flag in row):
            raise ValidationError("hits and opens hold only 0 and 1", field=name)
        table[:] = [[int(flag) for flag in row] for row in table]
    return tables


def _cycle() -> ValidationError:
    return ValidationError("the parent indices form a cycle", field="parent_index")


class PythonKernels(Kernels):
    """The kernels in pure Python: the standard library only, and the reference."""

    name: Backend = "python"

    def _column(self, values: Ints, field: str) -> list[int]:
        column = values.tolist() if hasattr(values, "tolist") else list(values)
        if set(map(type, column)) - {int}:  # bool and float are not counts
            raise ValidationError("must be a column of integers", field=field)
        return column

    def _bounds(self, column: list[int]) -> tuple[int, int]:
        return min(column), max(column)

    def _count(
        self, units: list[int], days: list[int], n_units: int, windows: list[Window]
    ) -> list[list[int]]:
        by_unit: list[list[int]] = [[] for _ in range(n_units)]
        for unit, day in zip(units, days, strict=True):
            by_unit[unit].append(day)
        for unit_days in by_unit:
            unit_days.sort()
        return [
            [
                bisect_right(unit_days, last) - bisect_left(unit_days, first) if unit_days else 0
                for unit_days in by_unit
            ]
            for first, last in windows
        ]

    def _sum(
        self,
        units: list[int],
        days: list[int],
        codes: list[int],
        hits: list[list[int]],
        opens: list[list[int]],
        n_units: int,
        windows: list[Window],
    ) -> list[list[list[int | None]]]:
        # Per combination, one int holding a (hit, open) pair of fields per
        # category, each wide enough for a sum over every row: summing codes
        # sums every field at once.
        field = len(units).bit_length() + 1
        mask = (1 << field) - 1
        width = len(hits[0]) if hits else 0
        shifts = [(2 * k * field, (2 * k + 1) * field) for k in range(width)]
        packed = [
            sum(
                (hit << at) | (open_ << open_at)
                for (at, open_at), hit, open_ in zip(shifts, h, o, strict=True)
            )
            for h, o in zip(hits, opens, strict=True)
        ]
        by_unit: list[list[tuple[int, int]]] = [[] for _ in range(n_units)]
        for unit, day, code in zip(units, days, codes, strict=True):
            by_unit[unit].append((day, packed[code]))
        out: list[list[list[int | None]]] = [
            [[0] * n_units for _ in range(width)] for _ in windows
        ]
        for unit, rows in enumerate(by_unit):
            if not rows:
                continue
            rows.sort()
            unit_days = [day for day, _ in rows]
            sums = [0, *accumulate(code for _, code in rows)]
            for w, (first, last) in enumerate(windows):
                total = sums[bisect_right(unit_days, last)] - sums[bisect_left(unit_days, first)]
                if total:
                    for k, (at, open_at) in enumerate(shifts):
                        out[w][k][unit] = (
                            None if (total >> open_at) & mask else (total >> at) & mask
                        )
        return out

    def _roll_up(
        self,
        parents: list[int],
        columns: list[list[int]],
        unknown: Sequence[Flags] | None,
    ) -> list[list[int | None]]:
        depth = _depths(parents)
        order = sorted(range(len(parents)), key=depth.__getitem__, reverse=True)
        steps = [(node, parents[node]) for node in order if parents[node] >= 0]
        out: list[list[int | None]] = []
        for c, column in enumerate(columns):
            total = list(column)
            for node, parent in steps:
                total[parent] += total[node]
            if unknown is None or not any(unknown[c]):
                out.append([*total])
                continue
            lost = [bool(flag) for flag in unknown[c]]
            for node, parent in steps:
                if lost[node]:
                    lost[parent] = True
            out.append([None if gone else value for value, gone in zip(total, lost, strict=True)])
        return out

    def _percent(
        self, numerators: list[int], denominators: list[int], places: int, rounding: str
    ) -> list[Decimal | None]:
        known: dict[tuple[int, int], Decimal] = {}
        out: list[Decimal | None] = []
        for top, bottom in zip(numerators, denominators, strict=True):
            if bottom == 0:
                out.append(None)
                continue
            found = known.get((top, bottom))
            if found is None:
                found = known[top, bottom] = Ratio(top, bottom).percent(places, rounding)
            out.append(found)
        return out


def _depths(parents: list[int]) -> list[int]:
    """Each node's depth (a root's is 0); a :class:`ValidationError` on a cycle."""
    depth = [-1] * len(parents)
    for start in range(len(parents)):
        path: list[int] = []
        node = start
        while node >= 0 and depth[node] < 0:
            if depth[node] == -2:
                raise _cycle()
            depth[node] = -2  # on the path being walked
            path.append(node)
            node = parents[node]
        level = depth[node] if node >= 0 else -1
        for step in reversed(path):
            level += 1
            depth[step] = level
    return depth


class NumpyKernels(Kernels):
    """The kernels on numpy arrays (``pip install "partydev[fast]"``).

    Rows are sorted once on ``(unit, day)``; a window's rows of every unit are
    then found by binary search and counted or summed by differences of
    cumulative sums, all in int64; the roll-up adds a level of the tree at a
    time.  Numbers too large for int64 (far beyond any count) and trees deeper
    than 64 levels are handed to :class:`PythonKernels`, so the results are the
    same.
    """

    name: Backend = "numpy"

    def __init__(self) -> None:
        _require_numpy()

    def _column(self, values: Ints, field: str) -> NDArray[np.int64]:
        import numpy as np

        try:
            array = np.asarray(values)
        except OverflowError:
            raise _Unfit from None
        if array.ndim != 1:
            raise ValidationError("must be a column of integers", field=field)
        if array.dtype == object or array.dtype == np.uint64:
            if all(type(value) is int for value in array.tolist()):
                raise _Unfit
            raise ValidationError("must be a column of integers", field=field)
        if array.size == 0:
            return np.zeros(0, dtype=np.int64)
        if array.dtype.kind not in "iu":
            raise ValidationError("must be a column of integers", field=field)
        return array.astype(np.int64, copy=False)

    def _bounds(self, column: NDArray[np.int64]) -> tuple[int, int]:
        return int(column.min()), int(column.max())

    def _sorted_bounds(
        self,
        units: NDArray[np.int64],
        days: NDArray[np.int64],
        n_units: int,
        windows: list[Window],
    ) -> tuple[NDArray[np.int64], list[tuple[NDArray[np.intp], NDArray[np.intp]]]]:
        """The order that sorts rows on (unit, day), and per window each unit's
        first and past-last row in that order."""
        import numpy as np

        keys = (units << _SHIFT) | days
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.arange(n_units, dtype=np.int64) << _SHIFT
        bounds = [
            (
                np.searchsorted(keys, starts | first, "left"),
                np.searchsorted(keys, starts | last, "right"),
            )
            for first, last in windows
        ]
        return order, bounds

    def _count(
        self,
        units: NDArray[np.int64],
        days: NDArray[np.int64],
        n_units: int,
        windows: list[Window],
    ) -> list[list[int]]:
        _, bounds = self._sorted_bounds(units, days, n_units, windows)
        return [(high - low).tolist() for low, high in bounds]

    def _sum(
        self,
        units: NDArray[np.int64],
        days: NDArray[np.int64],
        codes: NDArray[np.int64],
        hits: list[list[int]],
        opens: list[list[int]],
        n_units: int,
        windows: list[Window],
    ) -> list[list[list[int | None]]]:
        import numpy as np

        order, bounds = self._sorted_bounds(units, days, n_units, windows)
        ordered = codes[order]
        width = len(hits[0]) if hits else 0
        hit_table = np.asarray(hits, dtype=np.int64).reshape(len(hits), width)
        open_table = np.asarray(opens, dtype=np.int64).reshape(len(opens), width)
        out: list[list[list[int | None]]] = [[] for _ in windows]
        running = np.zeros(len(ordered) + 1, dtype=np.int64)
        undetermined = np.zeros(len(ordered) + 1, dtype=np.int64)
        for k in range(width):
            np.cumsum(hit_table[ordered, k], out=running[1:])
            has_open = bool(open_table[:, k].any())
            if has_open:
                np.cumsum(open_table[ordered, k], out=undetermined[1:])
            for w, (low, high) in enumerate(bounds):
                counts: list[int | None] = (running[high] - running[low]).tolist()
                if not has_open:
                    out[w].append(counts)
                    continue
                out[w].append(_blank(counts, undetermined[high] != undetermined[low]))
        return out

    def _roll_up(
        self,
        parents: NDArray[np.int64],
        columns: list[NDArray[np.int64]],
        unknown: Sequence[Flags] | None,
    ) -> list[list[int | None]]:
        import numpy as np

        steps = _steps(parents)
        count = len(parents)
        out: list[list[int | None]] = []
        for c, column in enumerate(columns):
            lost = np.asarray(unknown[c], dtype=bool) if unknown is not None else None
            values = np.where(lost, 0, column) if lost is not None else column.copy()
            if count and int(np.abs(values).max()) >= (1 << 62) // count:
                raise _Unfit
            for nodes, starts, above in steps:
                values[above] += np.add.reduceat(values[nodes], starts)
            if lost is None or not lost.any():
                out.append(values.tolist())
                continue
            for nodes, starts, above in steps:
                lost[above] |= np.logical_or.reduceat(lost[nodes], starts)
            out.append(_blank(values.tolist(), lost))
        return out

    def _percent(
        self,
        numerators: NDArray[np.int64],
        denominators: NDArray[np.int64],
        places: int,
        rounding: str,
    ) -> list[Decimal | None]:
        import numpy as np

        if not len(numerators):
            return []
        low, span = int(numerators.min()), int(denominators.max()) + 1
        if (int(numerators.max()) - low + 1) * span < 1 << 63:
            keys = (numerators - low) * span + denominators
            distinct, which = np.unique(keys, return_inverse=True)
            pairs = [divmod(key, span) for key in distinct.tolist()]
            pairs = [(top + low, bottom) for top, bottom in pairs]
        else:
            stacked = np.stack([numerators, denominators], axis=1)
            unique_rows, which = np.unique(stacked, axis=0, return_inverse=True)
            pairs = [(top, bottom) for top, bottom in unique_rows.tolist()]
        table = np.empty(len(pairs), dtype=object)
        table[:] = [
            None if bottom == 0 else Ratio(top, bottom).percent(places, rounding)
            for top, bottom in pairs
        ]
        found: list[Decimal | None] = table[which.ravel()].tolist()
        return found


def _blank(values: list[int | None], unknown: NDArray[np.bool_]) -> list[int | None]:
    """*values* with ``None`` where *unknown* is true (few places, as a rule)."""
    import numpy as np

    for position in np.flatnonzero(unknown).tolist():
        values[position] = None
    return values


def _steps(
    parents: NDArray[np.int64],
) -> list[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int64]]]:
    """The roll-up as steps, deepest level first: the level's nodes grouped by parent,
    where each group starts, and the group's parent.  A :class:`ValidationError` on a
    cycle."""
    import numpy as np

    count = len(parents)
    depth = (parents >= 0).astype(np.int64)  # the distance to the ancestor in `above`
    above = parents.copy()
    for _ in range(count.bit_length() + 1):  # pointer jumping: 2**k levels at a time
        walking = np.flatnonzero(above >= 0)
        if not len(walking):
            break
        depth[walking] += depth[above[walking]]
        above[walking] = above[above[walking]]
    else:
        raise _cycle()
    if int(depth.max(initial=0)) > _DEEPEST:
        raise _Unfit  # a level at a time would be slow: Python walks it in one pass
    steps = []
    for level in range(int(depth.max(initial=0)), 0, -1):
        nodes = np.flatnonzero(depth == level)
        nodes = nodes[np.argsort(parents[nodes], kind="stable")]
        grouped = parents[nodes]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        steps.append((nodes, starts, grouped[starts]))
    return steps


def _require_numpy() -> None:
    if importlib.util.find_spec("numpy") is None:
        raise ImportError(
            f'the numpy kernels need numpy: pip install "partydev[{EXTRA}]"', name="numpy"
        )


def kernels(prefer: str | None = None, *, environ: Mapping[str, str] | None = None) -> Kernels:
    """The kernels to use: numpy when it is installed, else pure Python.

    Args:
        prefer: ``"python"`` or ``"numpy"`` to choose; ``None`` looks in
            *environ* (the shell passes ``os.environ``: the library itself reads
            no environment) for ``PARTYDEV_KERNELS``, and if that is unset or
            empty takes numpy when it can be imported.
        environ: The environment variables to consult, if any.

    Returns:
        A :class:`NumpyKernels` or a :class:`PythonKernels`.

    Raises:
        ValidationError: if the choice is not a backend's name.
        ImportError: if numpy is asked for and not installed, naming the extra.

    >>> kernels("python")
    PythonKernels()
    """
    source = "prefer"
    choice = prefer
    if choice is None:
        source, choice = ENV_VAR, (environ or {}).get(ENV_VAR, "").strip().lower() or None
    if choice is None:
        return NumpyKernels() if importlib.util.find_spec("numpy") else PythonKernels()
    if choice == "python":
        return PythonKernels()
    if choice == "numpy":
        return NumpyKernels()
    raise ValidationError("unknown kernels; use 'python' or 'numpy'", field=source, value=choice)
