"""Write the generated parts of the command-line reference from the parser itself.

``python docs/generate_cli.py`` rewrites the blocks between
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` in
``docs/reference/cli.md`` (the ``--help`` of ``partydev`` and of every
sub-command the parser has, and the exit codes) and in
``docs/reference/errors.md`` (the exit codes).  ``--check`` rewrites nothing
and exits 1 when a page differs from what the parser gives.

Help text is rendered in English (``partydev --help`` speaks Vietnamese unless
``--locale en`` or ``LANG`` says otherwise), 80 columns wide, without colour, so it
does not depend on the terminal; argparse's layout differs between Python versions, so the page
records the version it was generated with and ``tests/test_docs.py`` compares
the text only under that version.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOCS = Path(__file__).resolve().parent
CLI_PAGE = DOCS / "reference" / "cli.md"
ERRORS_PAGE = DOCS / "reference" / "errors.md"
WIDTH = "80"

EXIT_MEANINGS: dict[str, tuple[str, str]] = {
    "ok": ("success", "—"),
    "problems": (
        "the data has problems (`validate`) or a claim is inconsistent (`check`)",
        "—",
    ),
    "usage": ("the command line is wrong: unknown command or option, bad date", "—"),
    "invalid_input": (
        "the input is invalid: one line naming file, line or path, field and value",
        "`PartydevError` (`ValidationError`, `ParseError`, `UndeterminedError` …)",
    ),
    "export_failed": ("an export failed; the destination was left untouched", "`ExportError`"),
    "plugin": (
        "a plugin or format problem: unknown format or option, two exporters with one "
        "name, a plugin raising `SystemExit`",
        "`PluginError`",
    ),
    "interrupted": (
        "interrupted by Ctrl-C, the temporary file removed; after another signal N, "
        "128 + N (SIGTERM 143, SIGHUP 129)",
        "`KeyboardInterrupt`",
    ),
}
"""What each of :data:`partydev.cli.EXIT_CODES` means, and the error that leads to it."""

EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "report": [
        ("partydev report", "the bundled Quảng Nam sample as of 30/6/2023"),
        ("partydev report ledger.toml --as-of 30/6/2023 --level district", "down to districts"),
        ('partydev report --period "6 tháng đầu năm 2023" --locale en', "a half-year, in English"),
        (
            "partydev report --columns achieved,percent,status --rounding half-even",
            "chosen columns",
        ),
        ("partydev report -f xlsx -o baocao.xlsx", "a workbook (partydev[xlsx])"),
    ],
    "formats": [("partydev formats --json", "the export formats, with their plugins and options")],
    "plugins": [("partydev plugins", "installed plugins, their hooks, versions and load errors")],
    "clean": [("partydev clean --dry-run", "list the stale temporary files, remove nothing")],
    "validate": [
        ("partydev validate ledger.toml", "every problem of a ledger, with its location")
    ],
    "export-ledger": [
        ("partydev export-ledger ledger.toml -o ledger.json", "a TOML ledger rewritten as JSON"),
        ("partydev export-ledger ledger.toml -o so.xlsx", "as a workbook (partydev-xlsx)"),
    ],
    "template": [
        ("partydev template -o mau.xlsx", "the blank workbook a clerk fills in (partydev-xlsx)"),
    ],
    "check": [
        ("partydev check", "recompute every published figure of the sample (exits 1)"),
        ('partydev check --percent "76,57%" --achieved 268', "the targets 76,57% implies: 350"),
        ('partydev check --percent "59,75%" --percent "7,48%"', "the smallest group both fit"),
    ],
}
"""One or more example command lines per sub-command, each with what it does."""

_BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)",
    re.DOTALL,
)


@contextmanager
def _fixed_terminal() -> Iterator[None]:
    """80 columns and no colour, whatever the terminal running this is."""
    keys = ("COLUMNS", "NO_COLOR", "PYTHON_COLORS")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update({"COLUMNS": WIDTH, "NO_COLOR": "1", "PYTHON_COLORS": "0"})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-commands of *parser* by name, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help(parser: argparse.ArgumentParser) -> str:
    with _fixed_terminal():
        return parser.format_help()


def _fenced(text: str) -> str:
    return f"```text\n{text.rstrip()}\n```\n"


def _examples(name: str) -> str:
    """The examples of the sub-command *name* as a bash block, each with its comment."""
    lines = EXAMPLES[name]
    width = max(len(command) for command, _ in lines)
    body = "\n".join(f"{command.ljust(width)}  # {what}" for command, what in lines)
    return f"```bash\n{body}\n```\n"


def exit_code_table() -> str:
    """The exit codes as a Markdown table, from :data:`partydev.cli.EXIT_CODES`."""
    from partydev.shell.cli import EXIT_CODES

    missing = sorted(set(EXIT_CODES) - set(EXIT_MEANINGS))
    if missing:
        raise SystemExit(f"describe these exit codes in EXIT_MEANINGS: {', '.join(missing)}")
    lines = ["| code | name | meaning | raised for |", "|---|---|---|---|"]
    for name, code in sorted(EXIT_CODES.items(), key=lambda item: item[1]):
        meaning, error = EXIT_MEANINGS[name]
        lines.append(f"| {code} | `{name}` | {meaning} | {error} |")
    return "\n".join(lines) + "\n"


def blocks() -> dict[str, str]:
    """The body of every generated block, by block name."""
    from partydev.shell.cli import build_parser

    parser = build_parser("en")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    out = {
        "python": f"Generated from the parser by `python docs/generate_cli.py` "
        f"under Python {version}.\n",
        "help": _fenced(_help(parser)),
        "exit-codes": exit_code_table(),
    }
    names = list(commands(parser))
    out["commands"] = "".join(f"- [`partydev {name}`](#partydev-{name})\n" for name in names)
    missing = [name for name in names if name not in EXAMPLES]
    if missing:
        raise SystemExit(f"give examples in EXAMPLES for: {', '.join(missing)}")
    out["command-help"] = "".join(
        f"\n### `partydev {name}`\n\n{_examples(name)}\n{_fenced(_help(sub))}"
        for name, sub in commands(parser).items()
    ).lstrip("\n")
    return out


def render(text: str, generated: dict[str, str]) -> str:
    """*text* with each generated block replaced by its new body."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in generated:
            raise SystemExit(f"unknown generated block {name!r}")
        return f"{match.group(1)}{generated[name]}{match.group(4)}"

    return _BLOCK.sub(replace, text)


def pages() -> dict[Path, str]:
    """Each page with generated blocks and its text as it should be."""
    generated = blocks()
    return {
        page: render(page.read_text(encoding="utf-8"), generated)
        for page in (CLI_PAGE, ERRORS_PAGE)
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite the pages, or with ``--check`` report the ones that drifted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is out of date")
    args = parser.parse_args(argv)
    drifted = []
    for page, text in pages().items():
        if page.read_text(encoding="utf-8") == text:
            continue
        drifted.append(page)
        if not args.check:
            page.write_text(text, encoding="utf-8")
    for page in drifted:
        verb = "is out of date" if args.check else "rewritten"
        print(f"{page.relative_to(DOCS.parent)} {verb}", file=sys.stderr)
    return 1 if args.check and drifted else 0


if __name__ == "__main__":
    raise SystemExit(main())
