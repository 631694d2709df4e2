"""A sheet ready to print: the title block above the table, page setup, header and footer.

Every table sheet starts with the same block of :data:`TITLE_ROWS` rows
(organisation, table title, report title with its period and date, source, a
blank row); the column headings follow on :data:`HEADER_ROW`.  Pages are A4
landscape, one page wide, with the heading row repeated on each page, the
organisation, table title and date in the page header, and the source and
"Trang 1/3" in the footer.  Nothing here reads the clock: the footer's print
date is Excel's ``&D`` field, filled in when the sheet is printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from partydev.numbers import format_date
from partydev.report import Report, metadata_label

from ._formats import Formats

__all__ = [
    "HEADER_ROW",
    "TITLE_ROWS",
    "Heading",
    "display_order",
    "heading",
    "set_page",
    "write_title_block",
]

TITLE_ROWS = 5
"""Rows above a table's headings: organisation, title, report title, source, blank."""

HEADER_ROW = TITLE_ROWS
"""The 0-based row of a table's column headings."""

A4 = 9
"""XlsxWriter's paper code for A4."""

_PART = 80
"""Most characters of one part of a page header or footer (Excel allows 255 in all)."""

_PAGE = ("Trang &P/&N", "Page &P of &N")
_PRINTED = ("In ngày &D", "Printed &D")
_NO_SOURCE = ("không ghi", "not stated")


@attrs.frozen
class Heading:
    """What the title block and the page header say about the report, in one locale."""

    organisation: str
    title: str
    as_of: str
    source: str


def _organisation(report: Report) -> str:
    """The root unit's name (the summary's only unit without a parent), else the ledger title."""
    table = report.summary
    try:
        uid, name, parent = map(table.column_index, ("unit_id", "unit_name", "parent_id"))
    except KeyError:
        uid = name = parent = -1
    if uid >= 0:
        ids = set(table.columns_data[uid])
        names, parents = table.columns_data[name], table.columns_data[parent]
        roots = [n for n, p in zip(names, parents, strict=True) if p not in ids]
        if len(roots) == 1 and isinstance(roots[0], str):
            return roots[0]
    title = report.meta.get("title")
    return title if isinstance(title, str) else ""


def heading(report: Report, locale: str) -> Heading:
    """The title-block texts of *report* in *locale*.

    >>> from partydev.shell.testing import sample_report
    >>> heading(sample_report(), "en")  # doctest: +NORMALIZE_WHITESPACE
    Heading(organisation='Đảng bộ tỉnh Quảng Nam',
        title='Party-member development, term 2020–2025, as of 2023-06-30',
        as_of='As of: 2023-06-30', source='Data source: Báo Quảng Nam, 7/7/2023')
    """
    as_of = report.meta.get("as_of")
    source = report.meta.get("source")
    vi = locale == "vi"
    return Heading(
        organisation=_organisation(report),
        title=report.title(locale),
        as_of=(
            f"{metadata_label('as_of', locale)}: {format_date(as_of, locale)}"
            if isinstance(as_of, date)
            else ""
        ),
        source=f"{metadata_label('source', locale)}: "
        + (source if isinstance(source, str) and source else _NO_SOURCE[0 if vi else 1]),
    )


def write_title_block(sheet: Any, head: Heading, table_title: str, formats: Formats) -> None:
    """Write the rows above the headings (rows in order, as constant-memory mode needs)."""
    lines = (
        (head.organisation, "organisation"),
        (table_title, "title"),
        (head.title, "subtitle"),
        (head.source, "source"),
    )
    for row, (text, style) in enumerate(lines):
        if text:
            sheet.write_string(row, 0, text, formats.style(style))


def _escape(text: str) -> str:
    """*text* safe in a page header: ``&`` doubled, cut to a part's length."""
    if len(text) > _PART:
        text = text[: _PART - 1] + "…"
    return text.replace("&", "&&")


def set_page(sheet: Any, head: Heading, table_title: str, locale: str, header_row: int) -> None:
    """A4 landscape, one page wide, headings repeated, header and footer in *locale*."""
    vi = locale == "vi"
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    if header_row >= 0:
        sheet.repeat_rows(header_row)
    sheet.set_header(
        f"&L{_escape(head.organisation)}&C&B{_escape(table_title)}&B&R{_escape(head.as_of)}",
        {"margin": 0.3},
    )
    page = _PAGE[0] if vi else _PAGE[1]
    printed = _PRINTED[0] if vi else _PRINTED[1]
    sheet.set_footer(f"&L{_escape(head.source)}&C{page}&R{printed}", {"margin": 0.3})


def display_order(keys: Sequence[str]) -> list[int]:
    """Column positions as shown: the unit's name first, machine ids and keys last.

    An id is a key ending in ``_id``, or a code shown beside its words
    (``period`` next to ``period_vi``).

    >>> display_order(["unit_id", "unit_name", "period", "period_vi", "achieved", "parent_id"])
    [1, 3, 4, 0, 2, 5]
    """
    present = set(keys)
    ids = [i for i, key in enumerate(keys) if key.endswith("_id") or f"{key}_vi" in present]
    names = [i for i, key in enumerate(keys) if key == "unit_name"]
    rest = [i for i in range(len(keys)) if i not in ids and i not in names]
    return names + rest + ids
