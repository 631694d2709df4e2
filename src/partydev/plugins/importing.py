"""The importer contract: what a ledger format is, its options, and how it reads.

An :class:`Importer` is the reading twin of an :class:`~partydev.Exporter`: a
name, bilingual titles, the file suffixes it reads, a ``read(source, options)``
function giving a whole :class:`~partydev.Ledger`, and typed
:class:`~partydev.Option` objects.  A format that holds the bulk records a
ledger's ``files`` table names (CSV) gives ``read_records`` instead of, or as
well as, ``read``; a format partydev also writes ledgers in gives ``write``.
Importers never decide where the file comes from:
:func:`partydev.load_ledger` hands them a :class:`LedgerSource` carrying the
path and the reading limits (``max_bytes``, ``allow_outside``) they must keep,
and the CSV engine asked for (``csv_engine``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final, Literal, TypeAlias

import attrs

from ..errors import ValidationError
from ..model.ledger import Ledger
from ..numbers import nfc
from ._reading import read_bounded
from .exporting import Option, resolve_options

__all__ = [
    "CSV_ENGINES",
    "CsvEngine",
    "Importer",
    "LedgerSource",
    "ReadFunction",
    "RecordsFunction",
    "WriteLedgerFunction",
]

CsvEngine: TypeAlias = Literal["python", "pyarrow"]
"""What parses a CSV file: ``python`` (the standard library's csv, the default) or
``pyarrow`` (``pip install "partydev[fast]"``); both give the same records and errors.

.. versionadded:: 0.9
"""

CSV_ENGINES: Final[tuple[CsvEngine, ...]] = ("python", "pyarrow")
"""Every CSV engine, the pure-Python default first.

.. versionadded:: 0.9
"""


@attrs.frozen
class LedgerSource:
    """A file to read and the limits to read it within.

    Args:
        path: The file.
        name: The path as the user gave it, for error messages.
        max_bytes: The largest file an importer may read (the ledger or any
            file it names).
        allow_outside: Whether files named inside the ledger may lie outside
            its folder.
        csv_engine: What parses the CSV files the ledger names (``None``: the
            default, ``python``); an importer reading CSV may honour it.

    .. versionchanged:: 0.9
       *csv_engine*.
    """

    path: Path = attrs.field(converter=Path)
    name: str
    max_bytes: int
    allow_outside: bool = False
    csv_engine: CsvEngine | None = None

    def read_bytes(self, what: str = "the ledger") -> bytes:
        """The file's bytes, refusing anything but a regular file of at most
        :attr:`max_bytes` (errors name the file).

        .. versionadded:: 0.3
        """
        return read_bounded(self.path, self.name, self.max_bytes, what)

    @classmethod
    def of(
        cls,
        path: str | os.PathLike[str],
        *,
        max_bytes: int,
        allow_outside: bool = False,
        csv_engine: CsvEngine | None = None,
    ) -> LedgerSource:
        """The source for *path*, named as given."""
        return cls(Path(path), str(path), max_bytes, allow_outside, csv_engine)


ReadFunction = Callable[[LedgerSource, Mapping[str, Any]], Ledger]
"""``read(source, options)``: the whole ledger in the file, validated."""

RecordsFunction = Callable[[LedgerSource, str, Mapping[str, Any]], Sequence[Any]]
"""``read_records(source, collection, options)``: the records (``admissions``,
``tallies``) of a file that a ledger's ``files`` table names."""


WriteLedgerFunction = Callable[[Ledger, IO[bytes]], None]
"""``write(ledger, stream)``: the ledger in this format, to a binary stream, such that
``read`` gives an equal ledger back.  Given an empty ledger, it writes the blank form a
clerk fills in (``partydev template``)."""


def _suffixes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(value.lower() for value in values)


def _options(values: Iterable[Option]) -> tuple[Option, ...]:
    return tuple(values)


@attrs.frozen
class Importer:
    """A ledger format partydev reads, registered through ``register_importers``.

    Args:
        name: The format's name (``toml``, ``xlsx``), for ``load_ledger(path, format=...)``.
        title_vi: A short Vietnamese description.
        title_en: A short English description.
        suffixes: File suffixes it reads, lower case, first one preferred.
        read: ``read(source, options)`` giving the ledger, or ``None`` for a
            format that only holds bulk records.
        options: The typed options ``read`` and ``read_records`` understand.
        read_records: ``read_records(source, collection, options)`` for the
            files a ledger's ``files`` table names, or ``None``.
        write: ``write(ledger, stream)`` for a format partydev also writes
            ledgers in (``export-ledger -f``, ``template``), or ``None``.

    .. versionadded:: 0.3
    """

    name: str
    title_vi: str = attrs.field(converter=nfc)
    title_en: str = attrs.field(converter=nfc)
    suffixes: tuple[str, ...] = attrs.field(converter=_suffixes)
    read: ReadFunction | None = attrs.field(default=None, eq=False)
    options: tuple[Option, ...] = attrs.field(default=(), converter=_options)
    read_records: RecordsFunction | None = attrs.field(default=None, eq=False)
    write: WriteLedgerFunction | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.read is None and self.read_records is None:
            raise ValidationError("an importer reads a ledger, records, or both", field=self.name)
        if not self.suffixes or not all(s.startswith(".") for s in self.suffixes):
            raise ValidationError(
                "an importer's suffixes start with a dot", field=self.name, value=self.suffixes
            )

    def resolve_options(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """All options with defaults filled in, each checked and converted.

        Raises:
            PluginError: for an option this importer does not have.
            ValidationError: for a value of the wrong type or not among the choices.
        """
        return resolve_options(f"importer {self.name!r}", self.options, given)
