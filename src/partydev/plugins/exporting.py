"""The exporter contract: what a format is, its options, and how it writes a report.

An :class:`Exporter` is a value: a name, the file suffixes and media type of the
format, whether it writes text or bytes, typed :class:`Option` objects with
defaults, and a ``write(report, stream, options)`` function.  Exporters never
open files: the shell hands them a stream and takes care of writing
atomically (see :func:`partydev.export`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

import attrs

from ..errors import PluginError, ValidationError
from ..numbers import nfc
from ..report.table import Report

__all__ = ["Exporter", "Option", "WriteFunction", "resolve_options"]

WriteFunction = Callable[[Report, IO[Any], Mapping[str, Any]], None]
"""``write(report, stream, options)``: write *report* to *stream* (text or binary)."""

_OPTION_TYPES: tuple[type, ...] = (str, bool, int)


def _suffixes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _options(values: Iterable[Option]) -> tuple[Option, ...]:
    return tuple(values)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on", "có"}:
        return True
    if lowered in {"0", "false", "no", "off", "không"}:
        return False
    raise ValueError(text)


@attrs.frozen
class Option:
    """A typed option of an exporter, with a default and bilingual help.

    Args:
        name: The option's key (``delimiter``); on the command line ``-O delimiter=;``.
        type: ``str``, ``bool`` or ``int``.
        default: The value used when the option is not given.
        help_vi: One line of help in Vietnamese.
        help_en: One line of help in English.
        choices: The allowed values, if the option is an enumeration.
    """

    name: str
    type: type
    default: Any
    help_vi: str = attrs.field(converter=nfc)
    help_en: str = attrs.field(converter=nfc)
    choices: tuple[Any, ...] | None = None

    def __attrs_post_init__(self) -> None:
        if self.type not in _OPTION_TYPES:
            raise ValidationError("option type must be str, bool or int", field=self.name)
        self.convert(self.default)

    def convert(self, value: Any) -> Any:
        """Check *value* (or convert it from command-line text) and return it."""
        if isinstance(value, str) and self.type is not str:
            try:
                value = _parse_bool(value) if self.type is bool else int(value)
            except ValueError:
                raise ValidationError(
                    f"option {self.name!r} expects {self.type.__name__}",
                    field=self.name,
                    value=value,
                ) from None
        if type(value) is not self.type:
            raise ValidationError(
                f"option {self.name!r} expects {self.type.__name__}",
                field=self.name,
                value=value,
            )
        if self.choices is not None and value not in self.choices:
            raise ValidationError(
                f"option {self.name!r} must be one of {', '.join(map(repr, self.choices))}",
                field=self.name,
                value=value,
            )
        return value


@attrs.frozen
class Exporter:
    """An export format, registered by a plugin through ``register_exporters``.

    Args:
        name: The format's name on the command line (``csv``, ``xlsx``).
        title_vi: A short Vietnamese description.
        title_en: A short English description.
        suffixes: File suffixes, first one preferred (``(".csv",)``).
        media_type: The IANA media type (``text/csv``).
        binary: ``True`` if ``write`` takes a binary stream, else a text stream.
        write: The function that writes a report.
        options: The typed options ``write`` understands.
    """

    name: str
    title_vi: str = attrs.field(converter=nfc)
    title_en: str = attrs.field(converter=nfc)
    suffixes: tuple[str, ...] = attrs.field(converter=_suffixes)
    media_type: str
    binary: bool
    write: WriteFunction = attrs.field(eq=False)
    options: tuple[Option, ...] = attrs.field(default=(), converter=_options)

    def resolve_options(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """All options with defaults filled in, each checked and converted.

        Raises:
            PluginError: for an option this exporter does not have.
            ValidationError: for a value of the wrong type or not among the choices.
        """
        return resolve_options(f"exporter {self.name!r}", self.options, given)


def resolve_options(
    owner: str, options: Iterable[Option], given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """All *options* with defaults filled in, each of *given* checked and converted.

    The one rule for exporters' and importers' options; *owner* names the
    format in messages (``"exporter 'csv'"``).

    Raises:
        PluginError: for an option *owner* does not have.
        ValidationError: for a value of the wrong type or not among the choices.
    """
    known = {option.name: option for option in options}
    given = dict(given or {})
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise PluginError(
            f"{owner} has no option {unknown[0]!r}; options: {', '.join(known) or 'none'}",
            field=unknown[0],
        )
    return {
        name: option.convert(given[name]) if name in given else option.default
        for name, option in known.items()
    }
