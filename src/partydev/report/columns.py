"""Columns of cells that repeat a few values, held as one small code per row.

A national report repeats much of what it says: the composition table names each
unit on every one of its category rows and each category on every unit, and the
per-period table names each unit once per period.  As tuples those columns are a
pointer per cell, tens of megabytes each (two million rows), and every cell is
checked and converted one by one.  A :class:`CodedColumn` keeps the distinct
values once and, per row, the number of its value in a compact :class:`array.array`
(one byte a row for up to 256 values); columns that repeat the same way share one
array of codes.  It is a read-only sequence equal to the tuple of its cells, so a
:class:`~partydev.report.Table` holds it as it would a tuple, and anything that
reads a table's columns (exporters, plugins) indexes, slices and iterates it the
same way.  Readers that want to do a value's work once (check its type, format
it) may look at :attr:`~CodedColumn.values` and :attr:`~CodedColumn.codes`.

.. versionadded:: 0.10
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress, count
from operator import eq
from typing import Generic, TypeVar, overload

__all__ = ["CodedColumn", "codes_for", "repeat_each", "tuple_or_coded"]

V = TypeVar("V")
W = TypeVar("W")

_TYPECODES = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32))
"""The array type codes, smallest first, with how many distinct values each can number."""


def codes_for(count: int, codes: Iterable[int]) -> array[int]:
    """*codes* (each from 0 to *count* - 1) as the smallest array that holds them:
    one byte a code for up to 256 values, two for up to 65,536, four beyond.

    >>> codes_for(3, [0, 2, 1]).itemsize
    1
    """
    return array(_typecode(count), codes)


def _typecode(count: int) -> str:
    """The smallest array type code that numbers *count* values."""
    for typecode, limit in _TYPECODES:
        if count <= limit:
            return typecode
    raise ValueError(f"{count} values are more than a column can number")


def _zeros(count: int, rows: int) -> array[int]:
    """*rows* codes 0, in the smallest array that numbers *count* values."""
    codes = array(_typecode(count))
    codes.frombytes(bytes(codes.itemsize * rows))
    return codes


class CodedColumn(Sequence[V], Generic[V]):
    """A read-only column of cells: row *i* holds ``values[codes[i]]``.

    Equal to any sequence (a tuple, a list, another column) of the same cells in
    the same order, and hashes as the tuple of its cells; a slice is a tuple.

    Args:
        values: The distinct cells (any may be ``None``), kept as a tuple.
        codes: Per row, the number of its value in *values*; kept as it is when
            it is an :class:`array.array` (several columns may share one), made
            into the smallest one otherwise (:func:`codes_for`).

    Raises:
        ValueError: if a code does not number one of *values*.

    >>> column = CodedColumn(("Hà Nội", "Huế"), [0, 0, 1])
    >>> list(column), column[-1], column[:2]
    (['Hà Nội', 'Hà Nội', 'Huế'], 'Huế', ('Hà Nội', 'Hà Nội'))
    >>> column == ("Hà Nội", "Hà Nội", "Huế")
    True
    """

    __slots__ = ("_codes", "_values")

    def __init__(self, values: Iterable[V], codes: Iterable[int]) -> None:
        self._values: tuple[V, ...] = tuple(values)
        held = codes if isinstance(codes, array) else codes_for(len(self._values), codes)
        if len(held) and not (min(held) >= 0 and max(held) < len(self._values)):
            raise ValueError(f"a code outside the column's {len(self._values)} values")
        self._codes: array[int] = held

    @classmethod
    def _numbering(cls, values: Iterable[V], codes: array[int]) -> CodedColumn[V]:
        """A column of *codes* known to number *values* (made here: not checked again,
        a scan of two million codes each time a column shares them)."""
        column = cls.__new__(cls)
        column._values = tuple(values)
        column._codes = codes
        return column

    @classmethod
    def repeated(cls, values: Iterable[V], times: int) -> CodedColumn[V]:
        """Each of *values* on *times* rows in a row: ``a a b b`` for ``(a, b)``, 2.

        >>> tuple(CodedColumn.repeated("xy", 2))
        ('x', 'x', 'y', 'y')
        """
        held = tuple(values)
        return cls._numbering(held, repeat_each(len(held), times))

    @classmethod
    def cycled(cls, values: Iterable[V], rows: int) -> CodedColumn[V]:
        """*values* over and over, on *rows* rows: ``a b a b`` for ``(a, b)``, 4.

        >>> tuple(CodedColumn.cycled("xy", 4))
        ('x', 'y', 'x', 'y')
        """
        held = tuple(values)
        cycle = codes_for(len(held), range(len(held)))
        whole, part = divmod(rows, len(held)) if held else (0, 0)
        return cls._numbering(held, cycle * whole + cycle[:part])

    @classmethod
    def from_cells(cls, cells: Iterable[V]) -> CodedColumn[V]:
        """*cells* coded by their distinct values, in order of first appearance.

        Equal cells share a value, so this is for cells whose equal values are
        interchangeable: text, codes, whole numbers, ``None`` (not decimals that
        differ in places only, such as ``Decimal("1.0")`` and ``Decimal("1.00")``).

        >>> column = CodedColumn.from_cells(["plan", "plan", None, "plan"])
        >>> column.values, list(column.codes)
        (('plan', None), [0, 0, 1, 0])
        """
        held = cells if isinstance(cells, Sequence) else tuple(cells)
        number: dict[V, int] = dict(zip(dict.fromkeys(held), count()))
        return cls._numbering(number, codes_for(len(number), map(number.__getitem__, held)))

    @classmethod
    def sparse(cls, rows: int, cells: Mapping[int, V], default: V) -> CodedColumn[V]:
        """*rows* cells of *default*, but for those *cells* gives by row number.

        >>> tuple(CodedColumn.sparse(4, {2: "chưa có số liệu"}, None))
        (None, None, 'chưa có số liệu', None)
        """
        codes = _zeros(1 + len(cells), rows)
        for code, row in enumerate(cells, start=1):
            codes[row] = code
        return cls._numbering((default, *cells.values()), codes)

    @property
    def values(self) -> tuple[V, ...]:
        """The distinct cells the codes number (each at least once, or unused)."""
        return self._values

    @property
    def codes(self) -> memoryview:
        """Per row, the number of its cell in :attr:`values` (read-only)."""
        return memoryview(self._codes).toreadonly()

    def with_values(self, values: Iterable[W]) -> CodedColumn[W]:
        """A column of *values* on the same codes: ``values[codes[i]]`` on row *i*
        (one array of codes shared by columns that repeat the same way).

        >>> CodedColumn.repeated(("a", "b"), 2).with_values(("x", "y")) == tuple("xxyy")
        True
        """
        held = tuple(values)
        if len(held) < len(self._values):  # some codes may number nothing now
            return CodedColumn(held, self._codes)
        return CodedColumn._numbering(held, self._codes)

    def kept(self, keep: Iterable[object]) -> CodedColumn[V]:
        """The rows where *keep* is true, in order (as :func:`itertools.compress`)."""
        kept = array(self._codes.typecode, compress(self._codes, keep))
        return type(self)._numbering(self._values, kept)

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[V]:
        return map(self._values.__getitem__, self._codes)

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[V, ...]: ...

    def __getitem__(self, index: int | slice) -> V | tuple[V, ...]:
        if isinstance(index, slice):
            return tuple(map(self._values.__getitem__, self._codes[index]))
        try:
            return self._values[self._codes[index]]
        except IndexError:
            raise IndexError("column row out of range") from None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CodedColumn) and other._values == self._values:
            return other._codes == self._codes
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(map(eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<CodedColumn of {len(self):,} cells, {len(self._values):,} values>"

    def __reduce__(self) -> tuple[type[CodedColumn[V]], tuple[tuple[V, ...], array[int]]]:
        return type(self), (self._values, self._codes)


def repeat_each(count: int, times: int) -> array[int]:
    """The codes 0 … *count* - 1, each *times* in a row (what :meth:`CodedColumn.repeated` holds).

    >>> list(repeat_each(2, 3))
    [0, 0, 0, 1, 1, 1]
    """
    codes = _zeros(count, count * times)
    each = codes_for(count, range(count))
    for offset in range(times):  # every times-th code from offset: one slice in C
        codes[offset::times] = each
    return codes


def tuple_or_coded(cells: Iterable[V]) -> Sequence[V]:
    """*cells* as a table keeps them: a :class:`CodedColumn` or a tuple as it is,
    anything else copied into a tuple."""
    return cells if isinstance(cells, tuple | CodedColumn) else tuple(cells)
