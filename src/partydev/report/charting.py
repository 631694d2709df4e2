"""What a chart of a report shows: the units a reader compares, their percent of target
and the elapsed share of time as a reference.

Shared by every exporter that draws (the XLSX plugin's native chart, the
``partydev-chart`` plugin's PNG/SVG/PDF), so that they all pick the same units
and say the same things.  Pure: a report in, a :class:`ChartData` out.

The units compared are the root's direct sub-units (when the summary has one
root; the roots otherwise), or every unit of the *level* asked for.  They are
sorted by percent of target, highest first; when there are more than *limit*,
the highest half and the lowest half are kept and :meth:`ChartData.note` says
so.  Units without a percent (no target, or unknown admissions) are never drawn
as zero: the note names how many there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from ..numbers import check_locale, format_date, format_number
from .table import Cell, Report, Table

__all__ = ["Bar", "ChartData", "chart_data"]

DEFAULT_LIMIT = 25
"""Most units a chart shows by default."""

_TITLE = ("Tỷ lệ đạt chỉ tiêu so với thời gian đã qua", "Percent of target against time elapsed")
_AS_OF = ("tính đến ngày", "as of")


@attrs.frozen
class Bar:
    """One unit of a chart: its name, percent of target and elapsed share (percent)."""

    unit_id: str
    name: str
    percent: Decimal
    elapsed: Decimal | None


@attrs.frozen
class ChartData:
    """The units a chart draws, the reference line, and what is left out.

    Attributes:
        bars: The units drawn, in order (highest percent first).
        elapsed: The elapsed share (percent) every drawn unit shares, drawn as one
            reference line; ``None`` when they differ (then each bar has its own).
        as_of: The report date, for the title.
        total: Units compared, drawn or not.
        unknown: Units compared that have no percent of target.
        places: Decimal places of the percentages.
    """

    bars: tuple[Bar, ...]
    elapsed: Decimal | None
    as_of: date | None
    total: int
    unknown: int
    places: int

    def title(self, locale: str = "vi") -> str:
        """The chart title with the date: ``"… tính đến ngày 30/6/2023"``."""
        vi = check_locale(locale) == "vi"
        title = _TITLE[0] if vi else _TITLE[1]
        if self.as_of is None:
            return title
        return f"{title}, {_AS_OF[0] if vi else _AS_OF[1]} {format_date(self.as_of, locale)}"

    def percent_text(self, value: Decimal, locale: str = "vi") -> str:
        """A percent as the report prints it: ``"60,5%"`` (vi), ``"60.5%"`` (en)."""
        return format_number(value, locale) + "%"

    def elapsed_label(self, locale: str = "vi") -> str:
        """The reference line's legend: ``"Thời gian đã qua (50,0%)"``."""
        vi = check_locale(locale) == "vi"
        name = "Thời gian đã qua" if vi else "Time elapsed"
        if self.elapsed is None:
            return name
        return f"{name} ({self.percent_text(self.elapsed, locale)})"

    def note(self, locale: str = "vi") -> str | None:
        """What the chart leaves out, or ``None`` when it shows every unit compared."""
        vi = check_locale(locale) == "vi"
        parts = []
        drawn = len(self.bars)
        known = self.total - self.unknown
        if drawn < known:
            high = (drawn + 1) // 2
            low = drawn - high
            parts.append(
                f"Biểu đồ thể hiện {drawn} trên {known} đơn vị: {high} đơn vị có tỷ lệ cao nhất "
                f"và {low} đơn vị có tỷ lệ thấp nhất; đủ các đơn vị ở bảng tiến độ."
                if vi
                else f"The chart shows {drawn} of {known} units: the {high} highest and the "
                f"{low} lowest percentages; every unit is in the progress table."
            )
        if self.unknown:
            parts.append(
                f"{self.unknown} đơn vị chưa có tỷ lệ đạt chỉ tiêu (thiếu chỉ tiêu hoặc số liệu), "
                "không vẽ."
                if vi
                else f"{self.unknown} units have no percent of target (no target or no data) "
                "and are not drawn."
            )
        return " ".join(parts) or None


def _column(table: Table, key: str) -> int | None:
    try:
        return table.column_index(key)
    except KeyError:
        return None


def chart_data(
    report: Report, level: str | None = None, limit: int = DEFAULT_LIMIT
) -> ChartData | None:
    """The units of *report* a chart compares, or ``None`` if its summary cannot be charted.

    Args:
        report: A progress report (its summary needs ``unit_id``, ``unit_name``,
            ``percent`` and ``elapsed_percent``).
        level: Compare every unit of this level code (``"district"``); by default
            the root's direct sub-units.
        limit: Most units drawn (at least 2); more are cut to the highest and
            lowest halves.

    >>> from partydev.shell.testing import sample_report
    >>> data = chart_data(sample_report())
    >>> [(bar.name, str(bar.percent)) for bar in data.bars]
    [('Đảng bộ Khối các cơ quan tỉnh', '97.0'), ('Đảng bộ huyện Nam Giang', '76.6'), \
('Đảng bộ thành phố Tam Kỳ', '67.0')]
    >>> data.title("en"), data.elapsed_label("en"), data.note("en")
    ('Percent of target against time elapsed, as of 2023-06-30', 'Time elapsed (50.0%)', None)
    """
    table = report.summary
    try:
        uid, name, percent, elapsed_at = map(
            table.column_index, ("unit_id", "unit_name", "percent", "elapsed_percent")
        )
    except KeyError:
        return None
    if not table.rows:
        return None
    rows = table.rows
    chosen: list[Sequence[Cell]]
    if level is not None:
        at = _column(table, "level")
        chosen = [row for row in rows if at is not None and row[at] == level]
    else:
        chosen = _sub_units(table, rows, uid, lambda row: isinstance(row[percent], Decimal))
    known = [row for row in chosen if isinstance(row[percent], Decimal)]
    bars = tuple(
        Bar(
            str(row[uid]),
            str(row[name]),
            row[percent],  # type: ignore[arg-type]
            row[elapsed_at] if isinstance(row[elapsed_at], Decimal) else None,  # type: ignore[arg-type]
        )
        for row in _highest_and_lowest(known, percent, limit)
    )
    shares = {bar.elapsed for bar in bars}
    places = table.columns[percent].places
    as_of = report.meta.get("as_of")
    return ChartData(
        bars=bars,
        elapsed=shares.pop() if len(shares) == 1 else None,
        as_of=as_of if isinstance(as_of, date) else None,
        total=len(chosen),
        unknown=len(chosen) - len(known),
        places=1 if places is None else places,
    )


def _sub_units(
    table: Table,
    rows: Sequence[Sequence[Cell]],
    uid: int,
    known: Callable[[Sequence[Cell]], bool],
) -> list[Sequence[Cell]]:
    """The root's direct sub-units (by ``parent_id``), or the roots when there are several.

    A root is a unit whose parent is not in the table (a report on part of a ledger).
    Without a ``parent_id`` column the ``depth`` column tells, else every unit is compared.
    When no sub-unit has a *known* percent (a published report gives the province's
    figure only), the root itself is charted rather than nothing.
    """
    parent = _column(table, "parent_id")
    if parent is None:
        return _by_depth(table, rows, known)
    ids = {row[uid] for row in rows}
    roots = [row for row in rows if row[parent] not in ids]
    if len(roots) != 1:
        return roots or list(rows)
    root = roots[0][uid]
    children = [row for row in rows if row[parent] == root]
    return children if any(map(known, children)) else roots


def _by_depth(
    table: Table, rows: Sequence[Sequence[Cell]], known: Callable[[Sequence[Cell]], bool]
) -> list[Sequence[Cell]]:
    """The units one level below the shallowest, when only one unit is that shallow
    and one of them has a *known* percent."""
    depth = _column(table, "depth")
    if depth is None:
        return list(rows)
    levels = [row[depth] for row in rows if isinstance(row[depth], int)]
    if not levels:
        return list(rows)
    top = min(levels)  # type: ignore[type-var]
    roots = [row for row in rows if row[depth] == top]
    below = [row for row in rows if row[depth] == top + 1]  # type: ignore[operator]
    return below if len(roots) == 1 and any(map(known, below)) else roots


def _highest_and_lowest(
    rows: list[Sequence[Cell]], percent: int, limit: int
) -> list[Sequence[Cell]]:
    """*rows* by the percent at *percent*, highest first (ties in order), cut to the
    highest and lowest halves of *limit* (at least 2) when there are more."""
    ordered = sorted(rows, key=lambda row: -row[percent])  # type: ignore[operator]
    limit = max(limit, 2)
    if len(ordered) > limit:
        high = (limit + 1) // 2
        ordered = ordered[:high] + ordered[len(ordered) - (limit - high) :]
    return ordered
