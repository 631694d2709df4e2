"""The ``partydev`` command: the imperative shell around the library.

Every command turns its arguments into library calls and the results into
output; errors become one line on standard error and an exit code:

====  =====================================================================
0     success
1     the data has problems (``validate``) or a claim is inconsistent (``check``)
2     the command line is wrong (unknown option, bad date)
3     the input is invalid (a ledger error naming file, line, field, value)
4     an export failed (the destination was left untouched)
5     a plugin or format problem (unknown format, two exporters with one name)
====  =====================================================================

``--debug`` shows the traceback instead of the one line.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, Any

from . import __version__
from .errors import ExportError, ParseError, PartydevError, PluginError
from .export import STDOUT, export, format_for_path, write_atomically
from .io import dumps_ledger, load_ledger, sample_ledger, validate_ledger_file
from .ledger import Ledger
from .numbers import parse_date
from .plugins import exporters, plugin_info
from .progress import build_report
from .report import Column, Report, Table
from .terminal import render_report, render_table
from .units import BUILTIN_LEVELS

__all__ = ["EXIT_CODES", "build_parser", "main"]

EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "problems": 1,
    "usage": 2,
    "invalid_input": 3,
    "export_failed": 4,
    "plugin": 5,
}
"""The documented exit codes, by meaning."""

SAMPLE_AS_OF = date(2023, 6, 30)
"""The date of the bundled Quảng Nam figures, used when no ledger is given."""

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


def _ledger(path: str | None) -> Ledger:
    return sample_ledger() if path is None else load_ledger(path)


def _as_of(args: argparse.Namespace) -> date:
    if args.as_of is not None:
        return args.as_of  # type: ignore[no-any-return]
    if args.ledger is None:
        return SAMPLE_AS_OF
    return date.today()


def _write_text(text: str, output: str | None) -> None:
    if output is None or output == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    data = text.encode("utf-8")

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    try:
        write_atomically(output, write)
    except OSError as error:
        raise ExportError(f"could not write: {error}", file=output) from error


def _emit(report: Report, args: argparse.Namespace, render: Callable[[Report, str], str]) -> None:
    """Print *report* as a terminal table, or export it with ``-f``/``-o``/``-O``.

    Without ``--format`` the format is guessed from the output's suffix; the
    command's ``--locale`` becomes the exporter's ``locale`` option if it has one.
    """
    fmt = args.format
    if fmt is None and args.output not in (None, STDOUT):
        fmt = format_for_path(args.output)
    if fmt is None:
        _write_text(render(report, args.locale), args.output)
        return
    options = dict(args.option or [])
    exporter = exporters().get(fmt)
    if exporter is not None and any(o.name == "locale" for o in exporter.options):
        options.setdefault("locale", args.locale)
    export(report, fmt, args.output or STDOUT, options)


def cmd_report(args: argparse.Namespace) -> int:
    """Build the progress report and print it or export it."""
    ledger = _ledger(args.ledger)
    report = build_report(
        ledger,
        as_of=_as_of(args),
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
    )
    _emit(report, args, render_report)
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    """List the export formats with the plugin and version providing each."""
    providers: dict[str, tuple[str, str]] = {}
    for info in plugin_info():
        for name in info.get("exporters", []):
            providers[name] = (str(info.get("name")), str(info.get("version") or ""))
    rows: list[dict[str, Any]] = []
    for name, exporter in sorted(exporters().items()):
        plugin, version = providers.get(name, ("", ""))
        rows.append(
            {
                "name": name,
                "suffixes": list(exporter.suffixes),
                "media_type": exporter.media_type,
                "binary": exporter.binary,
                "title": exporter.title_vi if args.locale == "vi" else exporter.title_en,
                "plugin": plugin,
                "version": version,
                "options": [o.name for o in exporter.options],
            }
        )
    if args.json:
        _write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None)
        return 0

    heads = {
        "name": ("Định dạng", "Format"),
        "suffixes": ("Đuôi tệp", "Suffixes"),
        "plugin": ("Plugin", "Plugin"),
        "version": ("Phiên bản", "Version"),
        "title": ("Mô tả", "Description"),
    }
    table = Table(
        "formats",
        "Định dạng xuất",
        "Export formats",
        [Column(k, "text", vi, en) for k, (vi, en) in heads.items()],
        [
            (r["name"], " ".join(r["suffixes"]), r["plugin"], r["version"], r["title"])
            for r in rows
        ],
    )
    _write_text(render_table(table, args.locale, indent_key=None) + "\n", None)
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    """Print installed plugins, their hooks, versions and load errors as JSON."""
    _write_text(json.dumps(plugin_info(), ensure_ascii=False, indent=2) + "\n", None)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem found in a ledger file, with its location."""
    problems = validate_ledger_file(args.ledger)
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {args.ledger}", file=sys.stderr)
        return EXIT_CODES["problems"]
    print(f"{args.ledger}: ok")
    return 0


def cmd_export_ledger(args: argparse.Namespace) -> int:
    """Write a ledger (the bundled sample by default) as JSON."""
    _write_text(dumps_ledger(_ledger(args.ledger)), args.output)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check a ledger's stated claims and roll-ups, or answer a direct percent question.

    Exit 1 when a claim or a roll-up is inconsistent (on the bundled sample,
    Tam Kỳ's 59,75 % and 7,48 % cannot be shares of its 335 admissions), or
    when a percent asked about directly cannot be true under any rounding.
    """
    from ._checktext import answer_percents, render_verdicts
    from .verdicts import check_claims, check_rollup, verdicts_report

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
    ledger = _ledger(args.ledger)
    stated = [c.as_of for c in ledger.claims if c.as_of is not None]
    as_of = args.as_of or (max(stated) if stated else _as_of(args))
    verdicts = check_claims(ledger, args.as_of, places=args.places, rollup=args.rollup)
    findings = check_rollup(ledger, as_of, exhaustive=args.exhaustive)
    report = verdicts_report(
        verdicts, findings, ledger=ledger, as_of=as_of, rollup=args.rollup, places=args.places
    )
    _emit(report, args, render_verdicts)
    bad = any(v.status == "inconsistent" for v in verdicts) or any(
        f.status == "inconsistent" for f in findings
    )
    return EXIT_CODES["problems"] if bad else 0


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
    p.add_argument(
        "--locale",
        choices=("vi", "en"),
        default="vi",
        help="language of labels and number format (default: vi)",
    )


def _add_report(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="print or export the progress report (default: the bundled Quảng Nam sample)",
        description="Build the progress report of a ledger as of a date. Without LEDGER, "
        "the bundled Quảng Nam sample is reported as of 30/6/2023.",
    )
    p.add_argument("ledger", nargs="?", metavar="LEDGER", help="a .toml or .json ledger file")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="report date, 2023-06-30 or 30/6/2023 (default: the sample's "
        "30/6/2023, or today for a ledger file)",
    )
    p.add_argument("--term", metavar="ID", help="term id (default: the latest term)")
    _add_output_options(p, "report")
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
        choices=("reported", "sum", "own"),
        default="reported",
        help="roll-up mode (default: reported totals, else sum of sub-units)",
    )
    p.add_argument(
        "--periods",
        choices=("year", "half", "quarter", "month"),
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
        choices=("ROUND_HALF_UP", "ROUND_DOWN", "ROUND_HALF_EVEN"),
        help="rounding of percentages (default: ROUND_HALF_UP)",
    )
    p.add_argument(
        "--elapsed",
        choices=("month", "quarter", "half", "year", "day"),
        default="month",
        help="elapsed-time convention (default: whole months)",
    )
    p.add_argument(
        "--target-source",
        choices=("resolution", "assigned", "internal"),
        help="compare against targets from this source only",
    )
    p.add_argument(
        "--young-age",
        type=int,
        metavar="AGE",
        help="the age bound of young members (default: the category's, 30)",
    )
    p.set_defaults(func=cmd_report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``partydev`` command (also used to document it)."""
    parser = argparse.ArgumentParser(
        prog="partydev",
        description="Track party-member development (phát triển đảng viên) against "
        "congress-term targets, exactly.",
        epilog="Exit codes: 0 ok; 1 problems found; 2 usage; 3 invalid input; "
        "4 export failed; 5 plugin or format problem.",
    )
    parser.add_argument("--version", action="version", version=f"partydev {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_report(sub)
    p = sub.add_parser("formats", help="list export formats and the plugins providing them")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--locale", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_formats)
    p = sub.add_parser("plugins", help="print installed plugins, hooks, versions, errors as JSON")
    p.set_defaults(func=cmd_plugins)
    p = sub.add_parser("validate", help="check a ledger file and print every problem")
    p.add_argument("ledger", metavar="LEDGER")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("export-ledger", help="write a ledger (default: the sample) as JSON")
    p.add_argument("ledger", nargs="?", metavar="LEDGER")
    p.add_argument("-o", "--output", metavar="PATH|-", help="output file (default: stdout)")
    p.set_defaults(func=cmd_export_ledger)
    p = sub.add_parser(
        "check",
        help="check a ledger's published figures and roll-ups (exit 1 if any is inconsistent)",
        description="Recompute every stated claim of a ledger (default: the bundled Quảng Nam "
        "sample, which exits 1: Tam Kỳ's 59,75%% and 7,48%% cannot be shares of its 335 "
        "admissions) and compare parents' totals with their sub-units. With --percent, answer "
        "directly: the targets a percent implies (--achieved N), whether it is possible for a "
        "group (--denominator N), or the smallest group several percents fit.",
    )
    p.add_argument("ledger", nargs="?", metavar="LEDGER", help="a .toml or .json ledger file")
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
        choices=("reported", "sum", "own"),
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
    for register in COMMAND_REGISTRARS:
        register(sub)
    return parser


COMMAND_REGISTRARS: list[Callable[[Any], None]] = []
"""Functions adding further sub-commands to the parser (kept for modules like ``check``)."""


def _fail(code: str, error: BaseException, debug: bool, stream: IO[str]) -> int:
    if debug:
        traceback.print_exception(error, file=stream)
    else:
        print(f"partydev: error: {error}", file=stream)
    return EXIT_CODES[code]


def _format_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    return f"partydev: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_CODES`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if getattr(args, "func", None) is None:  # plain `partydev`: the main job
        args = parser.parse_args([*arguments, "report"])
    func: Command = args.func
    warnings.formatwarning = _format_warning
    try:
        return func(args)
    except ExportError as error:
        if isinstance(error.__cause__, BrokenPipeError):  # `partydev report -f csv | head`
            return 0
        return _fail("export_failed", error, args.debug, sys.stderr)
    except PluginError as error:
        return _fail("plugin", error, args.debug, sys.stderr)
    except PartydevError as error:
        return _fail("invalid_input", error, args.debug, sys.stderr)
    except BrokenPipeError:  # pragma: no cover - e.g. `partydev report | head`
        return 0
