"""What the command shows a person at a terminal: width, colour, a pager, progress.

The imperative shell's side of the terminal (:mod:`partydev.terminal` lays the
text out; this module decides how it reaches the screen).  Nothing here runs
unless standard output or error is a terminal: in a pipe, a file or a CI log the
command writes the plain text and nothing else.

Colour and progress bars use `rich <https://rich.readthedocs.io>`_ when it is
installed (``pip install "partydev[terminal]"``); without it the text is the same,
uncoloured, and progress is a one-line counter.  The pager is the one git uses:
``$PAGER``, else ``less`` with ``LESS=FRX``.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from ..labels import label
from ..numbers import format_number

__all__ = [
    "PROGRESS_DELAY",
    "Progress",
    "colourize",
    "file_size",
    "is_terminal",
    "page",
    "progress",
    "progress_wanted",
    "terminal_height",
    "terminal_width",
    "use_colour",
]

PROGRESS_DELAY = 1.0
"""Seconds a step must last before a progress bar appears (quick commands show none)."""

STYLES: dict[str, str] = {
    "ahead": "green",
    "on_track": "green",
    "achieved": "bold green",
    "behind": "bold red",
    "consistent": "green",
    "inconsistent": "bold red",
    "unverifiable": "yellow",
    "base_differs": "yellow",
    "partial": "yellow",
    "uninformative": "yellow",
}
"""The colour of each status and verdict, by code (its words come from the labels)."""


def is_terminal(stream: IO[Any]) -> bool:
    """Whether *stream* is a terminal (a test's or a closed stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def terminal_width(stream: IO[Any], environ: Mapping[str, str]) -> int | None:
    """The columns a table may take: ``$COLUMNS``, else the terminal's width, else no limit.

    Output to a pipe or a file is not narrowed unless ``COLUMNS`` is set.
    """
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not is_terminal(stream):
        return None
    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None
    return width if width > 0 else None


def terminal_height(stream: IO[Any], environ: Mapping[str, str]) -> int | None:
    """The terminal's rows (``$LINES`` first), or ``None`` when unknown."""
    lines = environ.get("LINES", "")
    if lines.isdigit() and int(lines) > 0:
        return int(lines)
    try:
        height = os.get_terminal_size(stream.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return None
    return height if height > 0 else None


def use_colour(stream: IO[Any], environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, never with ``NO_COLOR`` set (no-color.org) or ``TERM=dumb``."""
    if environ.get("NO_COLOR", "") != "" or environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def progress_wanted(stream: IO[Any], environ: Mapping[str, str]) -> bool:
    """Progress on a terminal only: never in a pipe, a file, ``TERM=dumb`` or a CI log."""
    if environ.get("CI", "") not in ("", "0", "false") or environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def _pattern(codes: list[str], locale: str) -> re.Pattern[str]:
    words = sorted({label(code, locale) for code in codes}, key=len, reverse=True)
    # A status is a cell: after two spaces, before two spaces or the line's end.
    return re.compile(r"(?<=  )(?:" + "|".join(map(re.escape, words)) + r")(?=  |$)", re.M)


def colourize(text: str, locale: str) -> str:
    """*text* with statuses and verdicts coloured with ANSI escapes (needs rich).

    Without rich, *text* comes back unchanged.
    """
    try:
        from rich.console import Console
        from rich.text import Text
    except ImportError:
        return text
    import io

    styled = Text(text)
    for style in sorted(set(STYLES.values())):
        codes = [code for code, s in STYLES.items() if s == style]
        styled.highlight_regex(_pattern(codes, locale), style)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=max(1, *(len(line) for line in text.splitlines() or [""])),
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(styled, end="", soft_wrap=True)
    return buffer.getvalue()


def page(text: str, stream: IO[str], environ: Mapping[str, str]) -> bool:
    """Show *text* through the pager, as git does; False if there is no pager to run.

    ``$PAGER`` (``cat`` or empty: no pager), else ``less``; ``LESS`` defaults
    to ``FRX`` (quit if one screen, keep colours, leave the text on screen).
    """
    command = environ.get("PAGER", "less")
    if command.strip() in ("", "cat"):
        return False
    env = dict(environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    encoding = getattr(stream, "encoding", None) or "utf-8"
    data = text.encode(encoding, errors="replace")
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert pager.stdin is not None
    with suppress(BrokenPipeError):  # the reader quit before the end: fine
        pager.stdin.write(data)
    with suppress(BrokenPipeError):
        pager.stdin.close()
    while True:
        try:
            pager.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager, as in git
            continue
    return pager.returncode != 127  # 127: the shell found no such program


def file_size(size: int, locale: str) -> str:
    """A file size for a person: ``812 B``, ``6,2 kB``, ``1,3 MB`` (powers of 1000).

    >>> file_size(6234, "vi"), file_size(6234, "en"), file_size(812, "en")
    ('6,2 kB', '6.2 kB', '812 B')
    """
    if size < 1000:
        return f"{format_number(size, locale)} B"
    value = Decimal(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_number(shown, locale)} {unit}"


class Progress:
    """One progress display on standard error, its text changed step by step.

    It appears only once a step has lasted :data:`PROGRESS_DELAY` seconds, and
    goes away without a trace when stopped (the terminal's text stays clean).
    """

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._lock = threading.Lock()
        self._description = ""
        self._shown: Any = None
        self._timer: threading.Timer | None = None
        self._stopped = False
        self._started_at = time.monotonic()

    def __call__(self, description: str) -> None:
        """Start the step *description* (the display shows it from now on)."""
        if not self._enabled:
            return
        with self._lock:
            if self._stopped:
                return
            self._description = description
            if self._shown is not None:
                self._shown.update(description)
                return
            if self._timer is None:
                self._timer = threading.Timer(PROGRESS_DELAY, self._show)
                self._timer.daemon = True
                self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._stopped or self._shown is not None:
                return
            self._shown = _display(self._stream, self._description)

    def stop(self) -> None:
        """Take the display away (before the command writes to the terminal)."""
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
            shown, self._shown = self._shown, None
        if shown is not None:
            shown.stop()


class _RichDisplay:
    def __init__(self, stream: IO[str], description: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bars

        console = Console(file=stream, highlight=False, markup=False)
        self._bars = Bars(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=True,  # messages (the as-of note) print above the bar
        )
        self._task = self._bars.add_task(description, total=None)
        self._bars.start()

    def update(self, description: str) -> None:
        self._bars.update(self._task, description=description)

    def stop(self) -> None:
        self._bars.stop()


class _PlainDisplay:
    """Without rich: the step and the seconds it has taken, on one line redrawn in place."""

    def __init__(self, stream: IO[str], description: str) -> None:
        self._stream = stream
        self._description = description
        self._start = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _draw(self) -> None:
        seconds = int(time.monotonic() - self._start)
        with suppress(OSError, ValueError):
            self._stream.write(f"\r\x1b[K{self._description} … {seconds} s")
            self._stream.flush()

    def _run(self) -> None:
        self._draw()
        while not self._done.wait(0.5):
            self._draw()

    def update(self, description: str) -> None:
        self._description = description

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        with suppress(OSError, ValueError):
            self._stream.write("\r\x1b[K")
            self._stream.flush()


def _display(stream: IO[str], description: str) -> _RichDisplay | _PlainDisplay:
    try:
        return _RichDisplay(stream, description)
    except ImportError:
        return _PlainDisplay(stream, description)


@contextmanager
def progress(stream: IO[str], environ: Mapping[str, str]) -> Iterator[Progress]:
    """A :class:`Progress` on *stream*, shown only if :func:`progress_wanted`; stopped after."""
    shown = Progress(stream, progress_wanted(stream, environ))
    try:
        yield shown
    finally:
        shown.stop()
