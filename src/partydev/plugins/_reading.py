"""The limits every input file passes before it is parsed: kind, size, encoding, nesting, paths.

A ledger or a CSV file comes from a user, a script or an attacker alike, so
each rule here turns a way reading could hang, exhaust memory or escape into a
Python exception into one located :class:`~partydev.ValidationError` or
:class:`~partydev.ParseError`:

* only regular files are opened (a FIFO, a device or a directory is refused
  from its ``stat``, before any read, and opened non-blocking in case it was
  swapped in since);
* a file larger than *max_bytes* is refused before it is read;
* bytes that are not UTF-8 name the line and the byte;
* nesting deeper than :data:`MAX_DEPTH` is refused before a parser recurses;
* a path from a ledger's ``files`` table stays inside the ledger's folder
  unless the caller allows otherwise.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import ParseError, PartydevError, ValidationError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "check_nesting",
    "confined",
    "decode",
    "decode_failure",
    "nesting_failure",
    "open_bounded",
    "read_bounded",
]

DEFAULT_MAX_BYTES = 1 << 30
"""The largest file read unless the caller says otherwise: 1 GiB (a national ledger is ~70 MB)."""

MAX_DEPTH = 64
"""The deepest nesting of arrays and tables read; a ledger needs 4."""

_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    """What a non-regular file is, in words; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _checked(status: os.stat_result, name: str, max_bytes: int) -> None:
    kind = _not_regular(status.st_mode)
    if kind is not None:
        raise ValidationError(f"cannot read {kind}; give a regular file", file=name)
    if status.st_size > max_bytes:
        raise _too_large(name, max_bytes, status.st_size)


def _too_large(name: str, max_bytes: int, size: int) -> ValidationError:
    return ValidationError(
        f"the file is larger than the limit of {max_bytes:,} bytes "
        "(raise it with max_bytes, or --max-bytes on the command line)",
        file=name,
        value=size,
    )


def open_bounded(
    path: str | os.PathLike[str], name: str, max_bytes: int, what: str = ""
) -> BinaryIO:
    """Open a regular file of at most *max_bytes* for reading, without ever blocking.

    *what* names the file in the error when it cannot be opened (``"the ledger"``).

    Raises:
        ValidationError: naming *name* when the file cannot be read, is not a
            regular file, or is too large.
    """
    try:
        status = os.stat(path)
        _checked(status, name, max_bytes)  # refuses /dev/zero or a FIFO before opening it
        descriptor = os.open(path, os.O_RDONLY | _NON_BLOCKING)
    except PartydevError:
        raise
    except OSError as exc:
        raise ValidationError(
            f"cannot read{what and ' '}{what}: {exc.strerror}", file=name
        ) from None
    except ValueError:  # a NUL in the name
        raise ValidationError("cannot read: not a valid file name", file=name) from None
    try:
        _checked(os.fstat(descriptor), name, max_bytes)  # the file opened is the one checked
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bounded(path: str | os.PathLike[str], name: str, max_bytes: int, what: str = "") -> bytes:
    """The bytes of a regular file of at most *max_bytes* (see :func:`open_bounded`)."""
    with open_bounded(path, name, max_bytes, what) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while being read
        raise _too_large(name, max_bytes, len(data))
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); bad bytes raise a located :class:`ParseError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise decode_failure(data, exc, name) from None


def decode_failure(data: bytes, exc: UnicodeDecodeError, name: str) -> ParseError:
    """The error naming the line and the byte where *data* stops being UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseError("the file is UTF-16; save it as UTF-8", file=name, line=1)
    bad = data[exc.start : exc.end]
    return ParseError(
        f"not UTF-8 text: byte {bad[:1].hex(' ').upper()} cannot start or continue a character",
        file=name,
        line=data.count(b"\n", 0, exc.start) + 1,
        value=bad,
    )


_UNIFY = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def check_nesting(data: bytes, name: str, toml: bool) -> None:
    """Refuse arrays and tables nested deeper than :data:`MAX_DEPTH`, before parsing.

    Every bracket counts, in strings too, which costs about 0.1 s for a 70 MB
    document; only when that count exceeds the limit does the exact scan,
    which skips strings and comments, decide and name the line.  A document
    whose strings hide its depth still meets the parser's own guard, which
    :func:`nesting_failure` turns into the same error.
    """
    skeleton = data.translate(_UNIFY, _NOT_BRACKETS)
    for _ in range(MAX_DEPTH):
        if b"[]" not in skeleton:
            return
        skeleton = skeleton.replace(b"[]", b"")
    if b"[]" in skeleton:
        error = nesting_failure(data.decode("utf-8", "replace"), name, toml)
        if error is not None:
            raise error


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_TOML_TOKENS = re.compile(
    r'#[^\n]*|"""(?:[^\\]|\\.)*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[\[\]{}]'
)


def nesting_failure(text: str, name: str, toml: bool) -> ParseError | None:
    """The error naming the first line nested deeper than :data:`MAX_DEPTH`, if there is one."""
    depth = 0
    for match in (_TOML_TOKENS if toml else _JSON_TOKENS).finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return ParseError(
                    f"arrays and tables are nested more than {MAX_DEPTH} deep",
                    file=name,
                    line=text.count("\n", 0, match.start()) + 1,
                )
        elif token in "]}":
            depth -= 1
    return None


def confined(folder: Path, entry: str, allow_outside: bool) -> Path:
    """The path of a ``files`` entry, relative to the ledger's *folder*.

    Unless *allow_outside*, the path must stay inside *folder* once ``..`` and
    symbolic links are resolved, so that a ledger cannot make partydev read
    ``/etc/passwd`` or ``../../secret.csv``.

    Raises:
        ValidationError: for a path that leaves the folder (the caller adds where).
    """
    path = folder / entry
    if allow_outside:
        return path
    if Path(entry).is_absolute() or Path(entry).drive:
        raise ValidationError(
            "a files entry is a path relative to the ledger's folder, not an absolute one "
            "(allow it with allow_outside=True, or --allow-outside)",
            value=entry,
        )
    try:
        leaves = not path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a symlink loop
        raise ValidationError("not a valid file name", value=entry) from None
    if leaves:
        raise ValidationError(
            "a files entry leaves the ledger's folder (through '..' or a symbolic link); "
            "allow it with allow_outside=True, or --allow-outside",
            value=entry,
        )
    return path
