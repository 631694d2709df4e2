"""The ``partydev`` command: the imperative shell around the library.

Every command turns its arguments into library calls and the results into
output; errors become one line on standard error and an exit code:

====  =====================================================================
0     success
1     the data has problems (``validate``) or a claim is inconsistent (``check``)
2     the command line is wrong (unknown option, bad date)
3     the input is invalid (a ledger error naming file, line, field, value)
4     an export failed (the destination was left untouched; a full disk)
5     a plugin or format problem (unknown format, two exporters with one name,
      a plugin raising ``SystemExit``)
130   interrupted by Ctrl-C; 128 + N after signal N (SIGTERM 143, SIGHUP 129)
====  =====================================================================

``--debug`` shows the traceback instead of the one line.

Output to the terminal is written in the terminal's encoding, letters it
cannot show losing their accents (``Tiến độ`` becomes ``Tien do`` in ASCII);
data (``-o -``, ``--json``, ``plugins``) goes to standard output as UTF-8
bytes whatever the locale.  On SIGTERM or SIGHUP, as on Ctrl-C, a write in
progress removes its temporary file before the command exits.
"""

from __future__ import annotations

import argparse
import codecs
import errno
import gc
import json
import os
import re
import signal
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from types import FrameType
from typing import IO, Any

from .._version import __version__
from ..calc.achieved import ROLLUPS
from ..errors import ExportError, ParseError, PartydevError, PluginError
from ..labels import label
from ..model.eligibility import check_admissions
from ..model.kernels import ENV_VAR, Kernels, kernels
from ..model.ledger import Ledger
from ..model.periods import GRANULARITIES
from ..model.targets import SOURCE_PREFERENCE
from ..model.units import BUILTIN_LEVELS
from ..numbers import ROUNDING_MODES, format_date, format_number, parse_date
from ..plugins.exporting import Exporter
from ..plugins.importing import CsvEngine, Importer
from ..plugins.manager import exporters, get_importer, importer_for_path, importers, plugin_info
from ..report.options import PERIOD_TABLE_GRANULARITIES
from ..report.progress import build_report, default_as_of
from ..report.table import Column, Report, Table
from ..report.terminal import fit_encoding, render_report, render_table
from . import _console
from ._cli_vi import localize_parser
from .csv_records import csv_engine
from .export import (
    STALE_AFTER,
    STDOUT,
    STDOUT_NAME,
    export,
    export_error,
    format_for_path,
    remove_stale_temporaries,
    write_atomically,
)
from .io import (
    DEFAULT_MAX_BYTES,
    dumps_ledger,
    load_ledger,
    sample_ledger,
    validate_ledger_file,
)

__all__ = ["EXIT_CODES", "build_parser", "main"]

EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "problems": 1,
    "usage": 2,
    "invalid_input": 3,
    "export_failed": 4,
    "plugin": 5,
    "interrupted": 130,
}
"""The documented exit codes, by meaning (after signal N other than SIGINT: 128 + N)."""

_DEGRADE = "partydev.degrade"
"""The codec error handler writing what a terminal's encoding cannot show without accents."""

_DEGRADED_ERRORS = ("strict", "replace", "backslashreplace", "surrogateescape")
"""The stream error modes :data:`_DEGRADE` replaces while the command runs."""

Command = Callable[[argparse.Namespace], int]


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ParseError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _option(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _size(text: str) -> int:
    """A byte count for ``--max-bytes``: ``5000000``, ``500M``, ``2G`` (powers of 1024)."""
    digits = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = digits[-1:] if digits[-1:] in _SIZE_UNITS else ""
    number = digits.removesuffix(unit) if unit else digits
    if not number.isdigit() or len(number) > 15 or int(number) == 0:
        raise argparse.ArgumentTypeError(f"expected a size such as 500M or 2G, got {text!r}")
    return int(number) * _SIZE_UNITS[unit]


ROUNDING_NAMES: dict[str, str] = {
    mode.removeprefix("ROUND_").lower().replace("_", "-"): mode
    for mode in sorted(ROUNDING_MODES, key=lambda m: (m != "ROUND_HALF_UP", m))
}
"""``--rounding`` names a person reads (``half-up``, ``down`` …) → :mod:`decimal` modes."""


def _rounding(text: str) -> str:
    """A rounding name (``half-up``) or a :mod:`decimal` constant (``ROUND_HALF_UP``)."""
    name = text.strip()
    if name.upper() in ROUNDING_MODES:
        return name.upper()
    mode = ROUNDING_NAMES.get(name.lower().replace("_", "-"))
    if mode is None:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(ROUNDING_NAMES)}, got {text!r}"
        )
    return mode


def _column_keys(text: str) -> list[str]:
    """``--columns unit_name,achieved,percent``: summary column keys, comma-separated."""
    keys = [key.strip() for key in text.split(",") if key.strip()]
    if not keys:
        raise argparse.ArgumentTypeError("expected column keys such as achieved,percent")
    return keys


def locale_from_environment(environ: Mapping[str, str]) -> str:
    """``vi`` or ``en`` from ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (the first set);
    ``vi``, the project's language, when it names neither (``C.UTF-8``, unset)."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key, "")
        if value:
            language = value.lower()[:2]
            return language if language in ("vi", "en") else "vi"
    return "vi"


def _locale_in(arguments: Sequence[str], environ: Mapping[str, str]) -> str:
    """The locale the command speaks: ``--locale`` on the command line, else the environment's."""
    for index, word in enumerate(arguments):
        if word == "--":
            break
        if word == "--locale" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif word.startswith("--locale="):
            value = word.partition("=")[2]
        else:
            continue
        if value in ("vi", "en"):
            return value
    return locale_from_environment(environ)


class _Refused(PartydevError):
    """A command line asking for something that would harm the terminal (exit 2)."""


def _ledger(args: argparse.Namespace) -> Ledger:
    if args.ledger is None:
        return sample_ledger()
    return load_ledger(
        args.ledger,
        max_bytes=args.max_bytes,
        allow_outside=args.allow_outside,
        engine=_csv_engine(),
    )


def _as_of(args: argparse.Namespace, ledger: Ledger) -> date:
    """``--as-of``, else the last date the ledger's data speaks for (never the clock);
    for a ledger file the choice is said on stderr."""
    if args.as_of is not None:
        return args.as_of  # type: ignore[no-any-return]
    chosen = default_as_of(ledger)
    if args.ledger is not None:
        vi = args.locale == "vi"
        said = (
            f"tính đến ngày {format_date(chosen, 'vi')}, ngày cuối cùng có số liệu trong sổ"
            " (chọn ngày khác bằng --as-of)"
            if vi
            else f"as of {format_date(chosen, 'en')}, the last date the ledger's data covers"
            " (choose another with --as-of)"
        )
        print(f"partydev: {said}", file=sys.stderr)
    return chosen


def _say(key: str, locale: str, *values: object) -> str:
    """The command's message *key* (``cli_*`` in :data:`partydev.labels.LABELS`), filled in."""
    return label(f"cli_{key}", locale).format(*values)


def _write_text(text: str, output: str | None) -> None:
    """Write *text* to the terminal (``None``), as UTF-8 data to stdout (``-``), or to a file.

    Raises:
        ExportError: if writing fails (``no space left on …`` for a full disk).
    """
    data = text.encode("utf-8")

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    try:
        if output is None:
            sys.stdout.write(text)  # in the terminal's encoding, see _degrading_output
            sys.stdout.flush()
        elif output == STDOUT:
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is None:
                sys.stdout.write(text)
            else:
                binary.write(data)
                binary.flush()
        else:
            write_atomically(output, write)
    except OSError as error:
        where = STDOUT_NAME if output in (None, STDOUT) else str(output)
        raise export_error(error, where) from error


Render = Callable[[Report, str, int | None], str]
"""Lays a report out as text: (report, locale, width or ``None`` for no limit)."""


def _emit(
    report: Report,
    args: argparse.Namespace,
    render: Render,
    progress: _console.Progress | None = None,
) -> None:
    """Print *report* as a terminal table, or export it with ``-f``/``-o``/``-O``.

    Without ``--format`` the format is guessed from the output's suffix; the
    command's ``--locale`` becomes the exporter's ``locale`` option if it has one.
    A file written is announced on stderr with its rows and size; binary data is
    not written to a terminal unless ``-o -`` asks for it.
    """
    fmt = args.format
    if fmt is None and args.output not in (None, STDOUT):
        fmt = format_for_path(args.output)
    if fmt is None:
        if progress is not None:
            progress.stop()
        if args.output is None:
            _show(report, args, render)
        else:
            _write_text(render(report, args.locale, None), args.output)
            _wrote(report, args)
        return
    options = dict(args.option or [])
    exporter = exporters().get(fmt)
    if exporter is not None and any(o.name == "locale" for o in exporter.options):
        options.setdefault("locale", args.locale)
    binary = exporter is not None and exporter.binary
    if binary and args.output is None and _console.is_terminal(sys.stdout):
        raise _Refused(_say("binary_to_terminal", args.locale, fmt))
    if progress is not None:
        if args.output in (None, STDOUT):
            progress.stop()
        else:
            progress(_say("writing", args.locale, args.output))
    export(report, fmt, args.output or STDOUT, options)
    if progress is not None:
        progress.stop()
    _wrote(report, args)


def _show(report: Report, args: argparse.Namespace, render: Render) -> None:
    """The terminal table: fitted to the width, coloured and paged on a terminal."""
    environ = os.environ
    width = None if getattr(args, "wide", False) else _console.terminal_width(sys.stdout, environ)
    text = render(report, args.locale, width)
    if not _console.is_terminal(sys.stdout):
        _write_text(text, None)
        return
    if _console.use_colour(sys.stdout, environ):
        text = _console.colourize(text, args.locale)
    height = _console.terminal_height(sys.stdout, environ)
    tall = height is not None and text.count("\n") >= height
    if tall and not getattr(args, "no_pager", False):
        sys.stdout.flush()
        if _console.page(text, sys.stdout, environ):
            return
    _write_text(text, None)


def _wrote(report: Report | None, args: argparse.Namespace) -> None:
    """``partydev: wrote FILE (N rows, size)`` on stderr after writing a regular file
    (without *report*, the size alone)."""
    if args.output in (None, STDOUT) or not os.path.isfile(args.output):
        return
    locale = getattr(args, "locale", "vi")
    size = _console.file_size(os.stat(args.output).st_size, locale)
    if report is None:
        said = _say("wrote_size", locale, args.output, size)
    else:
        rows = format_number(report.tables[0].row_count if report.tables else 0, locale)
        said = _say("wrote", locale, args.output, rows, size)
    print(f"partydev: {said}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    """Build the progress report and print it or export it."""
    with _console.progress(sys.stderr, os.environ) as progress:
        progress(_say("loading", args.locale))
        ledger = _ledger(args)
        progress(_say("building", args.locale))
        report = _build(args, ledger)
        if args.columns is not None:
            _check_columns(report, args.columns)
        _emit(report, args, _report_renderer(args.columns), progress)
    return 0


def _check_columns(report: Report, keys: Sequence[str]) -> None:
    """``--columns`` names only columns of the report's summary."""
    known = [column.key for column in report.summary.columns]
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise _Refused(
            f"unknown column {', '.join(map(repr, unknown))}; the report has: {', '.join(known)}"
        )


def _report_renderer(columns: Sequence[str] | None) -> Render:
    def render(report: Report, locale: str, width: int | None) -> str:
        return render_report(report, locale, width=width, columns=columns)

    return render


def _csv_engine() -> CsvEngine:
    """``pyarrow`` when the fast path is asked for (``PARTYDEV_KERNELS=numpy``) and
    pyarrow is installed, else ``python``: the same ledger either way, read sooner."""
    if os.environ.get(ENV_VAR, "").strip().lower() != "numpy":
        return "python"
    try:
        return csv_engine("pyarrow")
    except ImportError:
        return "python"


def _vector_kernels() -> Kernels | None:
    """The kernels ``PARTYDEV_KERNELS`` names, if it is set; else none: the engine's
    own counting (every unit at once, in a few passes over the rows) is as quick as
    numpy's kernels once their results are turned back into Python lists (bench scale
    1.0: pipeline 27.1 s without, 29.9 s with numpy's)."""
    if not os.environ.get(ENV_VAR):
        return None
    return kernels(environ=os.environ)


def _build(args: argparse.Namespace, ledger: Ledger) -> Report:
    return build_report(
        ledger,
        as_of=_as_of(args, ledger),
        period=args.period,
        term=args.term,
        level=args.level,
        rollup="own" if args.no_rollup else args.rollup,
        periods=args.periods,
        places=args.places,
        rounding=args.rounding,
        elapsed=args.elapsed,
        target_source=args.target_source,
        young_age=args.young_age,
        units=args.unit or None,
        kernels=_vector_kernels(),
    )


_DIRECTIONS = {"export": ("xuất", "export"), "import": ("nhập", "import")}
"""How ``partydev formats`` names a format's direction, in Vietnamese and English."""


def cmd_formats(args: argparse.Namespace) -> int:
    """List the export and import formats with the plugin and version providing each."""
    rows: list[dict[str, Any]] = []
    infos = plugin_info()
    both: tuple[tuple[str, Mapping[str, Exporter | Importer]], ...] = (
        ("export", exporters()),
        ("import", importers()),
    )
    for direction, registered in both:
        providers: dict[str, tuple[str, str]] = {}
        for info in infos:
            for name in info.get(f"{direction}ers", []):
                providers[name] = (str(info.get("name")), str(info.get("version") or ""))
        for name, fmt in sorted(registered.items()):
            plugin, version = providers.get(name, ("", ""))
            rows.append(
                {
                    "name": name,
                    "direction": direction,
                    "suffixes": list(fmt.suffixes),
                    "media_type": getattr(fmt, "media_type", None),
                    "binary": getattr(fmt, "binary", None),
                    "title": fmt.title_vi if args.locale == "vi" else fmt.title_en,
                    "plugin": plugin,
                    "version": version,
                    "options": [o.name for o in fmt.options],
                }
            )
    if args.json:
        _write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", STDOUT)
        return 0

    heads = {
        "name": ("Định dạng", "Format"),
        "suffixes": ("Đuôi tệp", "Suffixes"),
        "plugin": ("Plugin", "Plugin"),
        "version": ("Phiên bản", "Version"),
        "direction": ("Chiều", "Direction"),
        "title": ("Mô tả", "Description"),
    }
    table = Table(
        "formats",
        "Định dạng xuất",
        "Export formats",
        [Column(k, "text", vi, en) for k, (vi, en) in heads.items()],
        [
            (
                r["name"],
                " ".join(r["suffixes"]),
                r["plugin"],
                r["version"],
                _DIRECTIONS[r["direction"]][args.locale == "en"],
                r["title"],
            )
            for r in rows
        ],
    )
    width = _console.terminal_width(sys.stdout, os.environ)
    _write_text(render_table(table, args.locale, indent_key=None, width=width) + "\n", None)
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    """Print installed plugins, their hooks, versions and load errors as JSON."""
    _write_text(json.dumps(plugin_info(), ensure_ascii=False, indent=2) + "\n", STDOUT)
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    """Remove the temporary files and folders that killed runs left behind."""
    folders = args.folder or [".", tempfile.gettempdir()]
    removed: list[str] = []
    for folder in folders:
        removed += remove_stale_temporaries(
            folder, older_than=args.older_than, dry_run=args.dry_run
        )
    for path in removed:
        print(_say("would_remove" if args.dry_run else "removed", args.locale, path))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem found in a ledger file, with its location."""
    problems = validate_ledger_file(
        args.ledger, max_bytes=args.max_bytes, allow_outside=args.allow_outside
    )
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if problems:
        print(_say("problems", args.locale, len(problems), args.ledger), file=sys.stderr)
        return EXIT_CODES["problems"]
    if args.rules:
        _print_rule_warnings(args)
    print(_say("valid", args.locale, args.ledger))
    return 0


def _print_rule_warnings(args: argparse.Namespace) -> None:
    """List the eligibility warnings of a valid ledger's admissions, each with file and line."""
    ledger = load_ledger(
        args.ledger,
        max_bytes=args.max_bytes,
        allow_outside=args.allow_outside,
        engine=_csv_engine(),
    )
    found = check_admissions(ledger.admissions, ledger.eligibility)
    lines: list[int] = []
    if found and str(args.ledger).lower().endswith(".toml"):
        text = Path(args.ledger).read_text(encoding="utf-8-sig")
        lines = [
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if re.match(r"\s*\[\[\s*admissions\s*\]\]", line)
        ]
    for warning in found:
        line = f":{lines[warning.index]}" if warning.index < len(lines) else ""
        print(f"{args.ledger}{line}: {warning.path}: {warning.message(args.locale)}")
    print(_say("rule_warnings", args.locale, len(found), args.ledger))


def cmd_export_ledger(args: argparse.Namespace) -> int:
    """Write a ledger (the bundled sample by default) as JSON or another ledger format."""
    writer = _ledger_writer(args.format, args.output)
    if writer.name == "json":
        _write_text(dumps_ledger(_ledger(args)), args.output or STDOUT)  # data: UTF-8
    else:
        _write_ledger(_ledger(args), writer, args.output)
    _wrote(None, args)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the blank ledger a clerk fills in (an XLSX workbook with partydev-xlsx)."""
    _write_ledger(
        Ledger(units=(), terms=()), _ledger_writer(args.format, args.output), args.output
    )
    return 0


def _ledger_writer(fmt: str | None, output: str | None) -> Importer:
    """The ledger format to write: *fmt*, else the one *output*'s suffix names, else JSON."""
    if fmt is None:
        found = None if output in (None, STDOUT) else importer_for_path(output)
        fmt = found.name if found is not None and found.write is not None else "json"
    importer = get_importer(fmt)
    if importer.write is None:
        able = sorted(name for name, i in importers().items() if i.write is not None)
        raise PluginError(
            f"partydev reads {fmt!r} ledgers but does not write them; it writes: "
            + ", ".join(able),
            value=fmt,
        )
    return importer


def _write_ledger(ledger: Ledger, importer: Importer, output: str | None) -> None:
    """*ledger* in *importer*'s format to *output* (a file, written atomically, or stdout)."""
    write = importer.write
    assert write is not None  # _ledger_writer checked it

    def to(stream: IO[bytes]) -> None:
        write(ledger, stream)

    try:
        if output in (None, STDOUT):
            sys.stdout.flush()
            to(sys.stdout.buffer)
            sys.stdout.flush()
        else:
            write_atomically(output, to)
    except OSError as error:
        where = STDOUT_NAME if output in (None, STDOUT) else str(output)
        raise export_error(error, where, importer.name) from error


def cmd_check(args: argparse.Namespace) -> int:
    """Check a ledger's stated claims and roll-ups, or answer a direct percent question.

    Exit 1 when a claim or a roll-up is inconsistent (on the bundled sample,
    Tam Kỳ's 59,75 % and 7,48 % cannot be shares of its 335 admissions), or
    when a percent asked about directly cannot be true under any rounding.
    """
    from ..checks._checktext import answer_percents, render_verdicts
    from ..checks.verdicts import check_claims, check_rollup, verdicts_report

    if args.percent:
        text, fine = answer_percents(
            args.percent,
            achieved=args.achieved,
            denominator=args.denominator,
            places=args.places,
            locale=args.locale,
        )
        _write_text(text, args.output)
        return 0 if fine else EXIT_CODES["problems"]
    with _console.progress(sys.stderr, os.environ) as progress:
        progress(_say("loading", args.locale))
        ledger = _ledger(args)
        progress(_say("checking", args.locale))
        as_of = args.as_of or default_as_of(ledger)
        verdicts = check_claims(ledger, args.as_of, places=args.places, rollup=args.rollup)
        findings = check_rollup(ledger, as_of, exhaustive=args.exhaustive)
        report = verdicts_report(
            verdicts, findings, ledger=ledger, as_of=as_of, rollup=args.rollup, places=args.places
        )

        def render(report: Report, locale: str, width: int | None) -> str:
            return render_verdicts(report, locale, width=width)

        _emit(report, args, render, progress)
    bad = any(v.status == "inconsistent" for v in verdicts) or any(
        f.status == "inconsistent" for f in findings
    )
    return EXIT_CODES["problems"] if bad else 0


def _add_input_options(p: argparse.ArgumentParser) -> None:
    """The options every command that reads a ledger file shares."""
    p.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help="refuse a ledger or CSV file larger than this, e.g. 500M or 2G (default: 1G)",
    )
    p.add_argument(
        "--allow-outside",
        action="store_true",
        help="read CSV files the ledger lists outside its own folder "
        "(absolute paths, '..', symbolic links pointing out)",
    )


def _add_ledger_format(p: argparse.ArgumentParser) -> None:
    """``-f``: the ledger format a command writes (``export-ledger``, ``template``)."""
    p.add_argument(
        "-f",
        "--format",
        metavar="FORMAT",
        help="ledger format (default: from the output's suffix, else json)",
    )


def _add_output_options(p: argparse.ArgumentParser, what: str) -> None:
    """The options every command that prints or exports a report shares."""
    p.add_argument(
        "-f",
        "--format",
        metavar="NAME",
        help=f"export the {what} in this format (see 'partydev formats'); "
        "default: a terminal table",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH|-",
        help="write to PATH atomically, or '-' for standard output",
    )
    p.add_argument(
        "-O",
        "--option",
        type=_option,
        action="append",
        metavar="NAME=VALUE",
        help="an exporter option, e.g. -O delimiter=';' (repeatable)",
    )
    _add_locale(p)
    p.add_argument(
        "--wide",
        action="store_true",
        help="show every column, however wide the terminal (default: fit its width)",
    )
    p.add_argument(
        "--no-pager",
        action="store_true",
        help="do not page output taller than the terminal (default: $PAGER, else less)",
    )


def _add_locale(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--locale",
        choices=("vi", "en"),
        default="vi",
        help="language of messages, labels and numbers (default: from LANG, else vi)",
    )


def _add_report(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="print or export the progress report (default: the bundled Quảng Nam sample)",
        description="Build the progress report of a ledger as of a date. Without LEDGER, "
        "the bundled Quảng Nam sample is reported as of 30/6/2023.",
    )
    p.add_argument("ledger", nargs="?", metavar="LEDGER", help="a .toml or .json ledger file")
    _add_input_options(p)
    _add_report_when(p)
    _add_output_options(p, "report")
    _add_report_units(p)
    _add_report_figures(p)
    p.set_defaults(func=cmd_report)


def _add_report_when(p: argparse.ArgumentParser) -> None:
    """``report``'s date, period and term."""
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="report date, 2023-06-30 or 30/6/2023 (default: the last date the "
        "ledger's data covers: the latest tally end, admission or claim date)",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help='the period reported, e.g. 2022, "6 tháng đầu năm 2022", "quý I/2024", '
        '"tháng 3/2020", 2024-2025, "nhiệm kỳ" (default: the term to date); a period '
        "inside a year is compared with that year's target",
    )
    p.add_argument(
        "--term", metavar="ID", help="term id (default: the term in force on the report date)"
    )


def _add_report_units(p: argparse.ArgumentParser) -> None:
    """``report``'s choice of units and how their figures roll up."""
    p.add_argument(
        "--level",
        metavar="LEVEL",
        help="report down to this level: "
        + ", ".join(level.value for level in BUILTIN_LEVELS)
        + ", or a level the ledger declares",
    )
    p.add_argument(
        "--unit",
        action="append",
        metavar="ID",
        help="report only this unit and its sub-units (repeatable)",
    )
    p.add_argument(
        "--no-rollup",
        action="store_true",
        help="each unit's own figure, without its sub-units (--rollup own)",
    )
    p.add_argument(
        "--rollup",
        choices=ROLLUPS,
        default="reported",
        help="roll-up mode (default: reported totals, else sum of sub-units)",
    )


def _add_report_figures(p: argparse.ArgumentParser) -> None:
    """``report``'s tables, percentages and counting conventions."""
    p.add_argument(
        "--periods",
        choices=PERIOD_TABLE_GRANULARITIES,
        default="year",
        help="granularity of the per-period table (default: year)",
    )
    p.add_argument(
        "--places",
        type=int,
        default=1,
        metavar="N",
        help="decimal places of percentages (default: 1)",
    )
    p.add_argument(
        "--rounding",
        default="ROUND_HALF_UP",
        type=_rounding,
        metavar="MODE",
        help=f"rounding of percentages: {', '.join(ROUNDING_NAMES)} (default: half-up)",
    )
    p.add_argument(
        "--columns",
        type=_column_keys,
        metavar="KEYS",
        help="the table's columns, e.g. achieved,percent,status (keys as in the CSV export; "
        "default: as many as fit the terminal)",
    )
    p.add_argument(
        "--elapsed",
        choices=GRANULARITIES,
        default="month",
        help="elapsed-time convention (default: whole months)",
    )
    p.add_argument(
        "--target-source",
        choices=SOURCE_PREFERENCE,
        help="compare against targets from this source only",
    )
    p.add_argument(
        "--young-age",
        type=int,
        metavar="AGE",
        help="the age bound of young members (default: the category's, 30)",
    )


def build_parser(locale: str = "vi") -> argparse.ArgumentParser:
    """The argument parser of the ``partydev`` command (also used to document it).

    Args:
        locale: The language of the help (``"vi"`` or ``"en"``), also the default
            of every ``--locale`` option.

    .. versionchanged:: 0.3
       *locale*.
    """
    parser = argparse.ArgumentParser(
        prog="partydev",
        description="Track party-member development (phát triển đảng viên) against "
        "congress-term targets, exactly.",
        epilog="Exit codes: 0 ok; 1 problems found; 2 usage; 3 invalid input; "
        "4 export failed; 5 plugin or format problem; 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"partydev {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_report(sub)
    _add_formats(sub)
    _add_plugins(sub)
    _add_clean(sub)
    _add_validate(sub)
    _add_export_ledger(sub)
    _add_template(sub)
    _add_check(sub)
    for register in COMMAND_REGISTRARS:
        register(sub)
    return localize_parser(parser, locale)


def _add_formats(sub: Any) -> None:
    """``formats``: the export and import formats and who provides them."""
    p = sub.add_parser(
        "formats", help="list export and import formats and the plugins providing them"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_locale(p)
    p.set_defaults(func=cmd_formats)


def _add_plugins(sub: Any) -> None:
    """``plugins``: the installed plugins as JSON."""
    p = sub.add_parser("plugins", help="print installed plugins, hooks, versions, errors as JSON")
    p.set_defaults(func=cmd_plugins)


def _add_clean(sub: Any) -> None:
    """``clean``: remove stale temporary files."""
    p = sub.add_parser(
        "clean",
        help="remove temporary files that interrupted or killed runs left behind",
        description="Remove partydev's temporary files (*.partydev-tmp, also the XLSX "
        "plugin's partydev-xlsx-*.partydev-tmp folders) that nothing has changed for an hour. "
        "A write removes the stale temporary files of its own destination anyway; this "
        "cleans whole folders.",
    )
    p.add_argument(
        "folder",
        nargs="*",
        metavar="FOLDER",
        help="folders to clean (default: the current folder and the system's temporary folder)",
    )
    p.add_argument(
        "--older-than",
        type=float,
        default=STALE_AFTER,
        metavar="SECONDS",
        help=f"only files untouched this long (default: {STALE_AFTER:g})",
    )
    p.add_argument("--dry-run", action="store_true", help="list, remove nothing")
    _add_locale(p)
    p.set_defaults(func=cmd_clean)


def _add_validate(sub: Any) -> None:
    """``validate``: check a ledger file."""
    p = sub.add_parser("validate", help="check a ledger file and print every problem")
    p.add_argument("ledger", metavar="LEDGER")
    p.add_argument(
        "--rules",
        action="store_true",
        help="also list admissions the eligibility rules warn about (age, awareness class, "
        "education); warnings do not change the exit code",
    )
    _add_input_options(p)
    _add_locale(p)
    p.set_defaults(func=cmd_validate)


def _add_export_ledger(sub: Any) -> None:
    """``export-ledger``: write a ledger."""
    p = sub.add_parser(
        "export-ledger", help="write a ledger (default: the sample) as JSON, or with -f as XLSX"
    )
    p.add_argument("ledger", nargs="?", metavar="LEDGER")
    _add_input_options(p)
    p.add_argument("-o", "--output", metavar="PATH|-", help="output file (default: stdout)")
    _add_ledger_format(p)
    _add_locale(p)
    p.set_defaults(func=cmd_export_ledger)


def _add_template(sub: Any) -> None:
    """``template``: write a blank ledger."""
    p = sub.add_parser(
        "template",
        help="write the blank ledger a clerk fills in (e.g. -o mau.xlsx)",
        description="Write an empty ledger in a format partydev reads and writes: with "
        "partydev-xlsx installed, 'partydev template -o mau.xlsx' writes a workbook with a "
        "sheet per collection, bilingual headers, a notes row and drop-down lists.",
    )
    p.add_argument("-o", "--output", required=True, metavar="PATH|-", help="output file")
    _add_ledger_format(p)
    p.set_defaults(func=cmd_template)


def _add_check(sub: Any) -> None:
    """``check``: recompute published figures and roll-ups."""
    p = sub.add_parser(
        "check",
        help="check a ledger's published figures and roll-ups (exit 1 if any is inconsistent)",
        description="Recompute every stated claim of a ledger (default: the bundled Quảng Nam "
        "sample, which exits 1: Tam Kỳ's 59,75% and 7,48% cannot be shares of its 335 "
        "admissions) and compare parents' totals with their sub-units. With --percent, answer "
        "directly: the targets a percent implies (--achieved N), whether it is possible for a "
        "group (--denominator N), or the smallest group several percents fit.",
    )
    p.add_argument("ledger", nargs="?", metavar="LEDGER", help="a .toml or .json ledger file")
    _add_input_options(p)
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="date for claims that state none (default: each claim's own date)",
    )
    _add_output_options(p, "verdicts")
    p.add_argument(
        "--places",
        type=int,
        metavar="N",
        help="decimal places of stated percents (default: as written)",
    )
    p.add_argument(
        "--rollup",
        choices=ROLLUPS,
        default="reported",
        help="roll-up mode of achieved counts (default: reported)",
    )
    p.add_argument(
        "--exhaustive",
        action="store_true",
        help="sub-units cover all of a parent's admissions: their sum must equal its total",
    )
    p.add_argument(
        "--percent",
        action="append",
        metavar="PERCENT",
        help="a stated percent such as '76,57%%' to ask about directly (repeatable)",
    )
    p.add_argument(
        "--achieved", type=int, metavar="N", help="with --percent: the targets it implies"
    )
    p.add_argument(
        "--denominator",
        type=int,
        metavar="N",
        help="with --percent: whether it is possible for a group of N",
    )
    p.set_defaults(func=cmd_check)


COMMAND_REGISTRARS: list[Callable[[Any], None]] = []
"""Functions adding further sub-commands to the parser (kept for modules like ``check``)."""


def _fail(code: str, error: BaseException, debug: bool, stream: IO[str], text: str = "") -> int:
    if debug:
        traceback.print_exception(error, file=stream)
    else:
        print(f"partydev: error: {text or error}", file=stream)
    return EXIT_CODES[code]


def _format_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    return f"partydev: warning: {message}\n"


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that writes in progress clean up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second signal must not cut the clean-up short
    raise _Stopped(signum)


@contextmanager
def _stopping_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`_Stopped` while the command runs.

    Only here, in the shell: the library never installs handlers.  A signal
    that is ignored (``nohup``) stays ignored; the old handlers come back after.
    """
    previous: dict[int, Any] = {}
    try:
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _raise_stopped)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _degrade(error: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    if all("\udc80" <= char <= "\udcff" for char in text):
        # Undecodable bytes of a file name: written back as they were (surrogateescape).
        return bytes(ord(char) - 0xDC00 for char in text), error.end
    return fit_encoding(text, error.encoding), error.end


@contextmanager
def _degrading_output() -> Iterator[None]:
    """Let standard output and error drop accents they cannot encode instead of raising."""
    codecs.register_error(_DEGRADE, _degrade)
    changed: list[tuple[Any, str]] = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        errors = getattr(stream, "errors", None)
        if reconfigure is not None and errors in _DEGRADED_ERRORS:
            try:
                reconfigure(errors=_DEGRADE)
            except (OSError, ValueError):
                continue
            changed.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in changed:
            with suppress(OSError, ValueError):  # stdout broken already: nothing to restore
                stream.reconfigure(errors=errors)


def _flush_stdout() -> None:
    """Flush standard output; a failure is an ExportError and stdout is silenced.

    Silencing (pointing the descriptor at the null device) keeps Python's own
    flush at exit from printing "Exception ignored" about the same failure.
    """
    try:
        sys.stdout.flush()
    except OSError as error:
        _silence_stdout()
        raise export_error(error, STDOUT_NAME) from error


def _silence_stdout() -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no descriptor (a test's stream)
        pass


def _interrupted(error: KeyboardInterrupt, locale: str) -> int:
    signum = getattr(error, "signum", None)
    if signum is None:
        print(f"partydev: {_say('interrupted', locale)}", file=sys.stderr)
        return EXIT_CODES["interrupted"]
    print(f"partydev: {_say('stopped', locale, signal.Signals(signum).name)}", file=sys.stderr)
    return 128 + int(signum)


def _export_failed(error: ExportError, args: argparse.Namespace, locale: str) -> int:
    with_stdout = error.file == STDOUT_NAME
    if with_stdout:
        try:
            sys.stdout.flush()
        except OSError:  # what is left in the buffer cannot go anywhere either
            _silence_stdout()
    if isinstance(error.__cause__, BrokenPipeError):  # `partydev report -f csv | head`
        return 0
    text = ""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        where = _say("stdout", locale) if with_stdout else error.file
        text = _say("no_space", locale, where)
    return _fail("export_failed", error, args.debug, sys.stderr, text)


@contextmanager
def _shell_settings() -> Iterator[None]:
    """What the shell sets for the length of one command, restored after it: warnings
    as one ``partydev: warning:`` line, and the cyclic garbage collector paused.

    A command builds a ledger of millions of objects that all live until it ends,
    so every collection during the load scans a growing heap and frees nothing
    (about a fifth of the load time at national scale).  The library leaves the
    collector alone; the shell, which owns the process, may pause it.
    """
    collecting, formatting = gc.isenabled(), warnings.formatwarning
    warnings.formatwarning = _format_warning
    gc.disable()
    try:
        yield
    finally:
        warnings.formatwarning = formatting
        if collecting:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_CODES`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_locale_in(arguments, os.environ))
    args = parser.parse_args(arguments)
    if getattr(args, "func", None) is None:  # plain `partydev`: the main job
        args = parser.parse_args([*arguments, "report"])
    func: Command = args.func
    locale = getattr(args, "locale", None) or "vi"
    with _shell_settings(), _stopping_on_signals(), _degrading_output():
        try:
            code = func(args)
            _flush_stdout()
            return code
        except KeyboardInterrupt as error:
            return _interrupted(error, locale)
        except ExportError as error:
            return _export_failed(error, args, locale)
        except PluginError as error:
            return _fail("plugin", error, args.debug, sys.stderr)
        except _Refused as error:
            return _fail("usage", error, args.debug, sys.stderr)
        except PartydevError as error:
            return _fail("invalid_input", error, args.debug, sys.stderr)
        except BrokenPipeError:  # pragma: no cover - e.g. `partydev report | head`
            _silence_stdout()
            return 0
