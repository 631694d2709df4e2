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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

__all__ = ["RecordTable"]

R = TypeVar("R")


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
