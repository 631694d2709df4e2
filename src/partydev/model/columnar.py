"""Records held as columns: the read-only sequence every table of the model is.

A national ledger holds about a million admissions, 300,000 units and as many
targets.  As objects they would cost a constructor call each when read and,
worse, sit in the garbage collector's lists for as long as the ledger lives, to
be walked at every full collection.  :class:`~partydev.model.store.AdmissionTable`,
:class:`~partydev.model.units.UnitTable` and
:class:`~partydev.model.targets.TargetTable` keep them as tuples of plain values
instead and make a record when one is asked for.  This module is what they share:
indexing, slicing, equality with any sequence of the same records, and a short
``repr``.  Each table says how to make its row *i* (``_row``), how many rows it
has, and when two tables of its kind hold the same records (``_same``, column
by column, without making a record).

A column whose cells repeat a few values (the unit of a million admissions, a
report's unit names on every period row) is a :class:`CodedColumn`: each distinct
value held once and, per row, the number of its value in a compact
:class:`array.array` (one byte a row for up to 256 values), columns that repeat the
same way sharing one array of codes.  It is a read-only sequence equal to the tuple
of its cells, so it is read as a tuple would be (index, slice, iterate, compare);
readers that want to do a value's work once (check its type, format it) may look at
:attr:`~CodedColumn.values` and :attr:`~CodedColumn.codes`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress, count
from operator import eq
from typing import Generic, TypeVar, overload

__all__ = ["CodedColumn", "RecordTable", "codes_for", "repeat_each", "tuple_or_coded"]

R = TypeVar("R")
V = TypeVar("V")
W = TypeVar("W")


class RecordTable(Sequence[R]):
    """A read-only sequence of records held as columns (see the module docstring).

    ``table[i]`` makes record *i*; a slice is a tuple of records; a table equals
    another table of its kind holding the same records, and any other sequence
    (a list, a tuple) of the same records in the same order.
    """

    __slots__ = ()

    noun = "record"
    """What a row is, for the ``repr`` and the index error (``"admission"``)."""

    def _row(self, i: int) -> R:
        """Record *i* (0 ≤ *i* < ``len(self)``), made from the columns."""
        raise NotImplementedError

    def _same(self, other: RecordTable[R]) -> bool:
        """Whether *other*, a table of the same class, holds the same records."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[R, ...]: ...

    def __getitem__(self, index: int | slice) -> R | tuple[R, ...]:
        if isinstance(index, slice):
            return tuple(map(self._row, range(*index.indices(len(self)))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"{self.noun} row out of range")
        return self._row(index)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, RecordTable)
            return len(self) == len(other) and self._same(other)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True)
            )
        return NotImplemented

    def __hash__(self) -> int:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self):,} {self.noun}s>"


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
    the same order, and hashes as the tuple of its cells; a slice is a tuple, and
    so is the column joined to a tuple (``+``) or repeated (``*``).

    Args:
        values: The distinct cells (any may be ``None``), kept as a tuple.
        codes: Per row, the number of its value in *values*; kept as it is when
            it is an :class:`array.array` (several columns may share one: do not
            change it afterwards), made into the smallest one otherwise
            (:func:`codes_for`).

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

    def __add__(self, other: object) -> tuple[V, ...]:
        """Joined to a tuple or another column: a tuple, as tuples join."""
        if isinstance(other, tuple | CodedColumn):
            return (*self, *other)
        return NotImplemented

    def __radd__(self, other: object) -> tuple[V, ...]:
        if isinstance(other, tuple):
            return (*other, *self)
        return NotImplemented

    def __mul__(self, times: int) -> tuple[V, ...]:
        """Repeated *times*: a tuple, as a tuple repeats."""
        return tuple(self) * times

    __rmul__ = __mul__

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
