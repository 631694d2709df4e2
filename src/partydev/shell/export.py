"""Writing a report to a file, atomically: the shell around the exporters.

Exporters only write to a stream.  :func:`export` chooses the exporter, checks
its options, and for a path writes to a temporary file beside the destination,
flushes it to disk and renames it over the destination in one step, so that a
reader sees either the old file or the complete new one, never half a report.

A destination that is not a regular file (a device, a FIFO, ``/dev/stdout``)
is written to directly instead, and a symbolic link is followed, so that the
file it points to is the one replaced.  Temporary files are called
``.NAME.<random>.partydev-tmp``; one that a killed process left behind is
removed by the next write to the same destination once it is an hour old, or
by :func:`remove_stale_temporaries` (``partydev clean``).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

from ..errors import ExportError, PluginError
from ..plugins.exporting import Exporter
from ..plugins.manager import exporters, get_exporter
from ..report.table import Report

__all__ = [
    "STALE_AFTER",
    "STDOUT",
    "STDOUT_NAME",
    "TEMP_SUFFIX",
    "export",
    "export_error",
    "format_for_path",
    "remove_stale_temporaries",
    "write_atomically",
]

STDOUT = "-"
"""The destination meaning standard output."""

STDOUT_NAME = "standard output"
"""How errors name standard output (their ``file``)."""

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}

TEMP_SUFFIX = ".partydev-tmp"
"""The end of the name of every temporary file or folder partydev and its plugins make."""

STALE_AFTER = 3600.0
"""Seconds after which an untouched temporary file is taken as left behind by a dead process."""

# Names that stand for an open stream, not a file to replace: reopening them
# reaches whatever the process's descriptor points at (a terminal, a pipe, or
# a file the shell opened), so they are written to in place.
_STREAM_NAMES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


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
        from ..plugins._known_formats import install_hint

        hint = install_hint(name)
        raise PluginError(
            "cannot tell the export format from the file name; "
            + (f"{hint}; " if hint else "")
            + f"known suffixes: {', '.join(known)}",
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


def _newest_change(path: str) -> float:
    """The latest modification time of *path* or, for a folder, of anything in it."""
    newest = os.lstat(path).st_mtime
    if os.path.isdir(path) and not os.path.islink(path):
        for root, folders, files in os.walk(path):
            for name in (*folders, *files):
                with contextlib.suppress(OSError):
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return newest


def remove_stale_temporaries(
    directory: str | os.PathLike[str] = ".",
    *,
    prefix: str = "",
    older_than: float = STALE_AFTER,
    dry_run: bool = False,
) -> list[str]:
    """Remove the temporary files and folders a killed process left in *directory*.

    An entry is removed when its name starts with *prefix*, ends with
    :data:`TEMP_SUFFIX` and nothing in it changed for *older_than* seconds, so
    that a write still in progress is left alone.  Entries that cannot be
    removed (another user's) are skipped.  :func:`write_atomically` calls this
    for the destination it writes; ``partydev clean`` for whole folders.

    Args:
        directory: The folder to look in (not its sub-folders).
        prefix: Only names starting with this (``".report.csv."``).
        older_than: The age in seconds from which an entry is stale.
        dry_run: List what would be removed, remove nothing.

    Returns:
        The paths removed (or that would be), sorted.

    .. versionadded:: 0.2
    """
    folder = os.fspath(directory)
    deadline = time.time() - older_than
    removed: list[str] = []
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return removed
    for name in sorted(n for n in names if n.endswith(TEMP_SUFFIX) and n.startswith(prefix)):
        path = os.path.join(folder, name)
        try:
            if _newest_change(path) > deadline:
                continue
            if not dry_run:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
        except OSError:
            continue
        removed.append(path)
    return removed


def _create_temporary(path: str) -> tuple[int, str]:
    directory, base = os.path.split(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        candidate = os.path.join(directory, f".{base}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
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


def _writes_in_place(path: str) -> bool:
    """Whether *path* is a stream to write into rather than a file to replace."""
    if os.path.abspath(path).startswith(_STREAM_NAMES):
        return True
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", path)
    return not stat.S_ISREG(mode)


def _write_in_place(path: str, write: Callable[[IO[bytes]], None]) -> None:
    # O_APPEND: through /dev/stdout a file the shell opened with `>>` is
    # appended to, and one opened with `>` (already empty) is filled from its start.
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0)
    with open(os.open(path, flags), "wb") as raw:
        write(raw)
        raw.flush()


def write_atomically(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(stream)`` on a temporary file beside *path*, then rename it over *path*.

    The data is flushed to disk before the rename, and an existing file keeps
    its permissions.  If *write* (or anything else) fails, *path* is left as it
    was and the temporary file is removed.  Used for every file partydev
    writes: reports and ledgers alike.

    A symbolic link is followed: the file it points to is replaced and the
    link stays.  A destination that exists and is not a regular file (a
    device such as ``/dev/null``, a FIFO) or that names a standard stream
    (``/dev/stdout``, ``/dev/fd/1``) is written to directly, never replaced.
    Temporary files of earlier writes to *path* that are more than
    :data:`STALE_AFTER` seconds old are removed first.

    .. versionchanged:: 0.2
       Symbolic links, devices and FIFOs are written through, not replaced.
    """
    target = os.fspath(path)
    if _writes_in_place(target):
        _write_in_place(target, write)
        return
    target = os.path.realpath(target) if os.path.islink(target) else target
    directory, base = os.path.split(target)
    remove_stale_temporaries(directory, prefix=f".{base}.")
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
    stream: IO[Any] | None
    if isinstance(destination, str | os.PathLike):
        target = os.fspath(destination)
        described, stream = (STDOUT_NAME, sys.stdout) if target == STDOUT else (target, None)
    else:
        described, stream = getattr(destination, "name", None) or repr(destination), destination
    try:
        if stream is None:
            _write_file(exporter, report, described, resolved)
        else:
            if stream is sys.stdout:
                stream = _stdout_bytes()
            _write_stream(exporter, report, stream, resolved)
    except Exception as error:
        raise export_error(error, str(described), format) from error
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        # SystemExit or the like from a plugin's code: the plugin's fault, not the caller's.
        raise PluginError(
            f"the {format!r} exporter stopped the export: {_describe(error)}",
            file=str(described),
        ) from error


def _stdout_bytes() -> IO[Any]:
    """Standard output as bytes when it has them: data written there is always UTF-8."""
    sys.stdout.flush()
    return getattr(sys.stdout, "buffer", None) or sys.stdout


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _no_space(error: BaseException | None) -> bool:
    """Whether *error*, or an error it was raised from, is a full disk."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _NO_SPACE:
            return True
        error = error.__cause__ or error.__context__
    return False


def export_error(error: BaseException, destination: str, format: str | None = None) -> ExportError:
    """The :class:`ExportError` for *error* met while writing to *destination*.

    A full disk (found anywhere in the chain of causes) reads ``no space left
    on DESTINATION`` and has ``errno`` :data:`errno.ENOSPC`; anything else
    names the format and the cause.  Chain the cause with
    ``raise export_error(error, ...) from error``.

    .. versionadded:: 0.2
    """
    if _no_space(error):
        full = ExportError(f"no space left on {destination}", file=destination)
        full.errno = errno.ENOSPC
        return full
    what = f"the {format!r} export" if format is not None else "the output"
    return ExportError(f"could not write {what}: {_describe(error)}", file=destination)
