"""Writing a report to a file, atomically: the shell around the exporters.

Exporters only write to a stream.  :func:`export` chooses the exporter, checks
its options, and for a path writes to a temporary file beside the destination,
flushes it to disk and renames it over the destination in one step, so that a
reader sees either the old file or the complete new one, never half a report.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from typing import IO, Any

from .errors import ExportError, PluginError
from .exporting import Exporter
from .plugins import exporters, get_exporter
from .report import Report

__all__ = ["STDOUT", "export", "format_for_path", "write_atomically"]

STDOUT = "-"
"""The destination meaning standard output."""

_TEMP_SUFFIX = ".partydev-tmp"


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The export format whose suffix *path* has (``report.csv`` → ``"csv"``).

    The longest matching suffix wins, then the first registered exporter.

    Raises:
        PluginError: if no exporter claims the suffix; the message lists the suffixes.
    """
    name = os.path.basename(os.fspath(path)).lower()
    best: tuple[int, str] | None = None
    known: list[str] = []
    for exporter in exporters().values():
        for suffix in exporter.suffixes:
            known.append(suffix)
            if name.endswith(suffix.lower()) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), exporter.name)
    if best is None:
        raise PluginError(
            f"cannot tell the export format from the file name; known suffixes: "
            f"{', '.join(known)}",
            file=os.fspath(path),
        )
    return best[1]


def _write_stream(exporter: Exporter, report: Report, stream: IO[Any], options: Any) -> None:
    """Write to a caller's stream, adapting text and binary where needed."""
    is_text = isinstance(stream, io.TextIOBase)
    if exporter.binary == (not is_text):
        exporter.write(report, stream, options)
    elif exporter.binary:
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise PluginError(f"format {exporter.name!r} writes bytes; give a binary stream")
        stream.flush()
        exporter.write(report, buffer, options)
        buffer.flush()
    else:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            exporter.write(report, text, options)
            text.flush()
        finally:
            text.detach()  # leave the caller's stream open
    stream.flush()


def _create_temporary(path: str) -> tuple[int, str]:
    directory, base = os.path.split(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        candidate = os.path.join(directory, f".{base}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
        try:
            # 0o666 so that the umask gives the file the usual permissions.
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {path}")


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(stream)`` on a temporary file beside *path*, then rename it over *path*.

    The data is flushed to disk before the rename, and an existing file keeps
    its permissions.  If *write* (or anything else) fails, *path* is left as it
    was and the temporary file is removed.  Used for every file partydev
    writes: reports and ledgers alike.
    """
    target = os.fspath(path)
    fd, temporary = _create_temporary(target)
    try:
        with open(fd, "wb") as raw:
            write(raw)
            raw.flush()
            os.fsync(raw.fileno())
        with contextlib.suppress(FileNotFoundError):  # keep an existing file's mode
            os.chmod(temporary, os.stat(target).st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _fsync_directory(os.path.dirname(target))


def _write_file(exporter: Exporter, report: Report, path: str, options: Any) -> None:
    def write(raw: IO[bytes]) -> None:
        if exporter.binary:
            exporter.write(report, raw, options)
        else:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            exporter.write(report, text, options)
            text.flush()
            text.detach()

    write_atomically(path, write)


def export(
    report: Report,
    format: str,
    destination: str | os.PathLike[str] | IO[Any],
    options: Mapping[str, Any] | None = None,
) -> None:
    """Write *report* in *format* to *destination*.

    A path is replaced atomically: the report is written to a temporary file
    in the same directory, flushed to disk, then renamed over *destination*.
    If anything fails, *destination* is left as it was and the temporary file
    is removed.  ``"-"`` writes to standard output; an open stream is written
    to as it is (text exporters get UTF-8 when handed a binary stream).

    Args:
        report: The report to write.
        format: An exporter name (``"csv"``, ``"json"``, or a plugin's).
        destination: A path, ``"-"`` for standard output, or an open stream.
        options: Exporter options, as values or as command-line text.

    Raises:
        PluginError: for an unknown format or option (nothing is written).
        ValidationError: for an option value of the wrong type (nothing is written).
        ExportError: if writing fails; it names the format and destination and
            chains the cause.
    """
    exporter = get_exporter(format)
    resolved = exporter.resolve_options(options)
    if isinstance(destination, str | os.PathLike):
        target = os.fspath(destination)
        if target == STDOUT:
            described, stream = "standard output", sys.stdout
        else:
            described, stream = target, None
    else:
        described, stream = getattr(destination, "name", None) or repr(destination), destination
    try:
        if stream is None:
            _write_file(exporter, report, described, resolved)
        else:
            _write_stream(exporter, report, stream, resolved)
    except Exception as error:
        raise ExportError(
            f"could not write the {format!r} export: {type(error).__name__}: {error}",
            file=str(described),
        ) from error
