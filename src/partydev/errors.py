"""Exceptions raised by partydev.

Every error is a :class:`PartydevError`; the ones caused by bad input also
subclass :class:`ValueError`, so that ``except ValueError`` keeps working for
callers who do not know partydev.  An error carries *where* it happened (unit,
field, value, file, line or path) as attributes, and its message names them, so
that the command line can print one useful line.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CycleError",
    "DuplicateError",
    "ExportError",
    "InconsistentDataError",
    "LedgerErrors",
    "ParseError",
    "PartydevError",
    "PartydevWarning",
    "PluginError",
    "UndeterminedError",
    "UnknownReferenceError",
    "ValidationError",
]

_LOCATION_FIELDS = ("file", "line", "path", "unit", "field", "value")

_SHOWN = 200
"""The most characters of an offending value a message quotes."""


def _shown(value: Any) -> str:
    """*value* as :func:`repr` shows it, cut to a line: an error about a value nested
    1,000 deep or an integer of 4,000 digits still prints."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # too deep, or an int past the digits limit
        brief = reprlib.Repr()
        brief.maxlong = 40
        try:
            text = brief.repr(value)
        except (RecursionError, ValueError):
            text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class PartydevError(Exception):
    """Base class of every error partydev raises.

    Args:
        message: What went wrong, in one sentence.
        unit: The id of the unit involved, if any.
        field: The name of the offending field, if any.
        value: The offending value, if any (shown with :func:`repr`).
        file: The file being read, if any.
        line: The 1-based line in *file*, if known.
        path: A JSON-style path inside *file* (``units[3].parent``), if known.
    """

    def __init__(
        self,
        message: str,
        *,
        unit: str | None = None,
        field: str | None = None,
        value: Any = None,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.unit = unit
        self.field = field
        self.value = value
        self.file = file
        self.line = line
        self.path = path
        super().__init__(message)

    def located(
        self, *, file: str | None = None, line: int | None = None, path: str | None = None
    ) -> PartydevError:
        """Return this error with a file location filled in where it was missing.

        Loaders call this while re-raising, so that the model can stay free of
        file names and still produce errors that point at a line.
        """
        if file is not None and self.file is None:
            self.file = file
        if line is not None and self.line is None:
            self.line = line
        if path is not None and self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        where: list[str] = []
        if self.file is not None:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
            where.append(loc)
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.path is not None:
            where.append(self.path)
        details: list[str] = []
        if self.unit is not None:
            details.append(f"unit {self.unit!r}")
        if self.field is not None:
            details.append(f"field {self.field!r}")
        if self.value is not None:
            details.append(f"value {_shown(self.value)}")
        text = self.message
        if details:
            text += f" ({', '.join(details)})"
        if where:
            text = f"{': '.join(where)}: {text}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {name: getattr(self, name) for name in _LOCATION_FIELDS}
        return (_rebuild, (type(self), self.message, kwargs))


def _rebuild(cls: type[PartydevError], message: str, kwargs: dict[str, Any]) -> PartydevError:
    return cls(message, **kwargs)


class ValidationError(PartydevError, ValueError):
    """A value or a record is invalid on its own (a negative count, an empty id)."""


class ParseError(PartydevError, ValueError):
    """Text (a number, a percent, a date, a period) could not be read unambiguously."""


class DuplicateError(ValidationError):
    """Two records claim the same identity (two units with one id)."""


class UnknownReferenceError(ValidationError):
    """A record refers to a unit, term or category that does not exist."""


class CycleError(ValidationError):
    """The unit hierarchy contains a cycle; the message lists the units in it."""


class InconsistentDataError(ValidationError):
    """Records are valid alone but contradict each other (overlapping tallies)."""


class LedgerErrors(ValidationError):
    """Several problems found in one validation, every one a located error of its own.

    A ledger with one problem raises that error; with more, this one, which
    carries them all in :attr:`errors` (in the order found) and takes its
    location from the first, so that one line still says where to start:
    ``ledger.toml: 3 problems; first: targets[0]: no such unit …``.

    Args:
        errors: The problems, at least one.

    Attributes:
        errors: The problems, a tuple of located :class:`PartydevError`.
    """

    def __init__(self, errors: Iterable[PartydevError], **location: Any) -> None:
        self.errors: tuple[PartydevError, ...] = tuple(errors)
        if not self.errors:
            raise ValueError("LedgerErrors needs at least one error")
        first = self.errors[0]
        super().__init__(
            f"{len(self.errors)} problems; first: {first}",
            **{name: getattr(first, name) for name in ("unit", "field", "value")},
            **location,
        )

    def located(
        self, *, file: str | None = None, line: int | None = None, path: str | None = None
    ) -> PartydevError:
        """Fill in *file* on every problem (and here); *line* and *path* belong to each problem."""
        for error in self.errors:
            error.located(file=file)
        return super().located(file=file)

    def __str__(self) -> str:
        first = self.errors[0]
        text = f"{len(self.errors)} problems; first: {first}"
        return text if self.file is None or first.file is not None else f"{self.file}: {text}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_many, (self.errors,))


def _rebuild_many(errors: tuple[PartydevError, ...]) -> LedgerErrors:
    return LedgerErrors(errors)


class UndeterminedError(PartydevError, LookupError):
    """A figure cannot be computed from the data: it is missing or only partly covered."""


class ExportError(PartydevError, OSError):
    """An export could not be completed; the destination was left untouched."""


class PluginError(PartydevError, RuntimeError):
    """A plugin is misconfigured (two exporters claim one name, an unknown format)."""


class PartydevWarning(UserWarning):
    """Something a report was built on that a reader should know (an as-of date
    outside the term, a term chosen for lack of one in force)."""
