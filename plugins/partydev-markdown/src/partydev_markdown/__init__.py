"""Export partydev reports as Markdown: one GitHub pipe table per report table.

The example partydev plugin.  It implements one hook, ``register_exporters``,
and is found through the entry point declared in its ``pyproject.toml``::

    [project.entry-points.partydev]
    markdown = "partydev_markdown"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import IO, Any

from partydev import Report, format_cell
from partydev.plugins.exporting import Exporter, Option
from partydev.plugins.hookspecs import hookimpl

__all__ = ["EXPORTER", "escape", "register_exporters", "write_markdown"]

_RIGHT_ALIGNED = frozenset({"integer", "percent", "decimal"})


def escape(text: str) -> str:
    r"""Make *text* safe inside a table cell: escape ``|`` and ``\``, join lines.

    >>> escape("a|b\nc")
    'a\\|b<br>c'
    """
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.splitlines())


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |\n"


def write_markdown(report: Report, stream: IO[str], options: Mapping[str, Any]) -> None:
    """Write every table of *report* as a titled Markdown table."""
    locale = options["locale"]
    stream.write(f"# {escape(report.title(locale))}\n")
    for table in report.tables:
        stream.write(f"\n## {escape(table.title(locale))}\n\n")
        stream.write(_row([escape(column.label(locale)) for column in table.columns]))
        stream.write(_row(["---:" if c.type in _RIGHT_ALIGNED else "---" for c in table.columns]))
        for row in table.rows:
            cells = zip(table.columns, row, strict=True)
            stream.write(_row([escape(format_cell(c, value, locale)) for c, value in cells]))


EXPORTER = Exporter(
    name="markdown",
    title_vi="Bảng Markdown",
    title_en="Markdown tables",
    suffixes=(".md", ".markdown"),
    media_type="text/markdown",
    binary=False,
    write=write_markdown,
    options=(
        Option(
            "locale",
            str,
            "vi",
            help_vi="Ngôn ngữ của bảng",
            help_en="Language of the tables",
            choices=("vi", "en"),
        ),
    ),
)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``markdown`` format."""
    register(EXPORTER)
