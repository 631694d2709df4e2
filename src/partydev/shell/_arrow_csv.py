"""A CSV file's rows parsed by pyarrow, as the chunks of columns the bulk readers fill from.

:mod:`partydev.shell.csv_records` reads the header with the csv module and hands
the bytes after it to :func:`arrow_chunks`: every column is read as text (no type
inference, no nulls: an empty cell is ``""``), a record batch at a time, and
dictionary-encoded, so that a batch's column is its distinct cells and, per
row, the number of its cell.  The bulk reader's rules then read each distinct
cell once (the same code as for the csv module's rows), and the values go back
to the rows by numpy's ``take``: the columns end as plain Python lists.

pyarrow and numpy (``partydev[fast]``) are imported when a file is read, never
by ``import partydev``.  Whatever pyarrow does not parse as the csv module would
raises :class:`Refused`, and the csv module reads the file instead: rows of
unequal length, bytes that are not UTF-8, a header pyarrow names otherwise, a
cell longer than :func:`csv.field_size_limit`.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "ArrowCells",
    "ArrowChunk",
    "ListedCells",
    "NumberedCells",
    "Refused",
    "arrow_available",
    "arrow_chunks",
]

K = TypeVar("K")
T = TypeVar("T")

BLOCK_SIZE = 1 << 22
"""Bytes pyarrow parses into one record batch (about 130,000 admissions)."""


class Refused(Exception):
    """A file the fast path does not take as is: the csv module reads it instead."""


def arrow_available() -> bool:
    """Whether pyarrow and numpy can be imported (``pip install "partydev[fast]"``)."""
    return all(importlib.util.find_spec(name) is not None for name in ("pyarrow", "numpy"))


def arrow_chunks(data: memoryview, header: list[str], limit: int) -> Iterator[ArrowChunk]:
    """The rows of a CSV file's *data* (UTF-8, no byte-order mark), a record batch at a
    time, every column as text; *header* is the first row as the csv module read it.

    Raises:
        Refused: when pyarrow parses the file otherwise than the csv module would
            (checked as the batches come), or a cell is longer than *limit*.
    """
    pa: Any = importlib.import_module("pyarrow")
    pacsv: Any = importlib.import_module("pyarrow.csv")
    compute: Any = importlib.import_module("pyarrow.compute")
    try:
        reader = pacsv.open_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if reader.schema.names != header:
            raise Refused("pyarrow reads another header")
        listed: set[int] = set()  # columns with about as many distinct cells as rows
        for batch in reader:
            lengths = (compute.max(compute.utf8_length(cells)).as_py() for cells in batch)
            if max((n or 0 for n in lengths), default=0) > limit:  # n: None when no rows
                raise Refused("a cell longer than the csv module reads")
            if batch.num_rows:
                yield ArrowChunk(batch, listed)
    except pa.ArrowException as error:  # ragged rows, bad UTF-8, ...
        raise Refused(str(error)) from None
    finally:  # the batches are gone: give their memory back rather than keep it for later
        pa.default_memory_pool().release_unused()


class ArrowChunk:
    """A record batch of text columns, as a chunk of the bulk readers.

    A column is dictionary-encoded (its distinct cells, and per row the number of
    its cell), unless it has about as many distinct cells as rows (unit ids):
    then it is a list of its cells, as the csv module's rows give it.  The first
    batch decides, for the batches that follow (*listed*).
    """

    def __init__(self, batch: Any, listed: set[int]) -> None:
        self.batch = batch
        self.listed = listed

    def _encoded(self, at: int) -> tuple[list[str], NDArray[Any]]:
        """Column *at*'s distinct cells and, per row, the number of its cell."""
        import numpy as np

        array = self.batch.column(at).dictionary_encode()
        return array.dictionary.to_pylist(), np.asarray(array.indices)

    def column(self, at: int) -> ArrowCells[str] | ListedCells[str]:
        """The cells at position *at*."""
        if at in self.listed:
            return ListedCells(self.texts(at))
        cells, numbers = self._encoded(at)
        if 2 * len(cells) > len(numbers):
            self.listed.add(at)
        return ArrowCells(cells, numbers)

    def texts(self, at: int) -> list[str]:
        """Each row's cell at position *at*."""
        cells: list[str] = self.batch.column(at).to_pylist()
        return cells

    def combined(self, positions: list[int]) -> ArrowCells[tuple[str, ...]]:
        """Each row's cells at *positions* as a tuple: the distinct combinations are
        found on the cells' numbers (numpy's ``unique``), each made once."""
        import numpy as np

        codes = np.zeros(self.batch.num_rows, dtype=np.int64)
        first = np.zeros(1, dtype=np.intp)
        columns = []
        for at in positions:
            cells, numbers = self._encoded(at)
            columns.append((cells, numbers))
            # numbers of the combinations so far, times this column's cells: < 2**62
            _, first, codes = np.unique(
                codes * len(cells) + numbers, return_index=True, return_inverse=True
            )
        if not positions:
            return ArrowCells([()], codes)
        parts = [[cells[n] for n in numbers[first].tolist()] for cells, numbers in columns]
        return ArrowCells(list(zip(*parts, strict=True)), codes.reshape(-1))


class ListedCells(Generic[K]):
    """A column as the list of its rows' cells (the csv module's rows give these)."""

    def __init__(self, cells: list[K]) -> None:
        self.cells = cells

    def distinct(self) -> list[K]:
        return self.cells

    def each(self, values: Mapping[K, T]) -> list[T]:
        return list(map(values.__getitem__, self.cells))

    def texts(self) -> list[K]:
        return self.cells


class NumberedCells(Generic[K]):
    """A column as its distinct cells and, per row, the number of its cell."""

    def __init__(self, cells: list[K], numbers: Iterable[int]) -> None:
        self.cells = cells
        self.numbers = numbers

    def distinct(self) -> list[K]:
        return self.cells

    def each(self, values: Mapping[K, T]) -> list[T]:
        """Each row's value: the distinct cells' values, taken by the rows' numbers."""
        return self._taken(list(map(values.__getitem__, self.cells)))

    def texts(self) -> list[K]:
        return self._taken(self.cells)

    def _taken(self, values: list[T]) -> list[T]:
        """``[values[n] for n in numbers]``, the loop in C."""
        return list(map(values.__getitem__, self.numbers))


class ArrowCells(NumberedCells[K]):
    """:class:`NumberedCells` whose numbers are a numpy array (taken by numpy)."""

    def _taken(self, values: list[T]) -> list[T]:
        return _taken(values, cast("NDArray[Any]", self.numbers))


def _taken(values: list[T], numbers: NDArray[Any]) -> list[T]:
    """``[values[n] for n in numbers]``, the loop in C: the same Python objects."""
    import numpy as np

    table: np.ndarray[Any, np.dtype[np.object_]] = np.fromiter(
        values, dtype=object, count=len(values)
    )
    taken: list[T] = table.take(numbers).tolist()
    return taken
