"""The progress report: one row per unit, built purely from a ledger at a date.

:func:`build_report` is the main job of partydev.  It counts what each unit
admitted (with the chosen roll-up), resolves the target it is compared with,
and computes percent of target, elapsed share, pace and status, what remains
and what is required per remaining year, the linear projection, the intake's
composition, and the figures per period.  Everything is exact until the cell,
where ratios are rounded once, in the report's rounding mode.

>>> from datetime import date
>>> from partydev import sample_ledger
>>> report = build_report(sample_ledger(), as_of=date(2023, 6, 30))
>>> row = next(report.summary.records())
>>> row["unit_name"], row["achieved"], row["target"], row["percent"], row["status"]
('Đảng bộ tỉnh Quảng Nam', 4537, 7500, Decimal('60.5'), 'ahead')
"""

from __future__ import annotations

import decimal
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial
from itertools import chain, compress, repeat
from operator import is_, is_not
from typing import TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from .._version import __version__
from ..calc import arithmetic as calc
from ..calc.achieved import Achievements, Counted, RollUp
from ..calc.notes import shortfall_note
from ..errors import PartydevWarning, UnknownReferenceError, ValidationError
from ..model.columnar import CodedColumn
from ..model.kernels import Kernels
from ..model.ledger import Ledger
from ..model.periods import Granularity, Period, parse_period
from ..model.records import Category
from ..model.targets import Source, TargetColumn, compared_span
from ..model.terms import Term
from ..model.units import DeclaredLevel, Hierarchy, Level
from ..numbers import Ratio, format_date, nfc, round_fraction
from .membership_report import summary_extras
from .options import ReportOptions
from .table import PERIOD_COLUMNS, UNIT_ID, UNIT_NAME, Cell, Column, Report, Table, period_cells

_V = TypeVar("_V")

__all__ = [
    "NOTE_COLUMNS",
    "TERM_WORDS",
    "Scope",
    "build_report",
    "choose_term",
    "default_as_of",
    "report_period",
]


_PROJECTED = {
    "term": ("Dự báo cuối nhiệm kỳ", "Projected by term end"),
    "year": ("Dự báo cả năm", "Projected for the year"),
    "years": ("Dự báo cả giai đoạn", "Projected for the span"),
}
"""The projection's heading by the span it projects to (:attr:`Scope.compared`)."""


def _columns(
    places: int,
    years: Sequence[int],
    categories: Sequence[Category],
    span: str = "term",
    levels: Mapping[str, tuple[str, str]] | None = None,
) -> list[Column]:
    pct = places
    cols = [
        UNIT_ID,
        UNIT_NAME,
        Column("level", "code", "Cấp", "Level", labels=levels or {}),
        Column("parent_id", "text", "Mã đơn vị cấp trên", "Parent id"),
        Column("depth", "integer", "Cấp bậc trong báo cáo", "Depth"),
        Column("target", "integer", "Chỉ tiêu", "Target"),
        Column("target_high", "integer", "Chỉ tiêu (mức trên)", "Target (upper bound)"),
        Column("target_source", "code", "Nguồn chỉ tiêu", "Target source"),
        Column("target_derived", "code", "Chỉ tiêu suy ra", "Target derived"),
        Column("achieved", "integer", "Đã kết nạp", "Admitted"),
        Column("percent", "percent", "Tỷ lệ đạt (%)", "Percent of target", pct),
        Column("exceedance", "percent", "Vượt (%)", "Exceeded by", pct),
        Column("elapsed_percent", "percent", "Thời gian đã qua (%)", "Time elapsed", pct),
        Column("pace", "decimal", "Chỉ số tiến độ", "Pace index", 2),
        Column("status", "code", "Đánh giá tiến độ", "Status"),
        Column("remaining", "integer", "Còn phải kết nạp", "Remaining"),
        Column(
            "required_per_year",
            "integer",
            "Cần kết nạp mỗi năm còn lại",
            "Required per remaining year",
        ),
        Column("projected", "integer", *_PROJECTED[span]),
        Column("average_per_year", "decimal", "Bình quân mỗi năm", "Average per year", 1),
        Column("members", "integer", "Tổng số đảng viên", "Total members"),
        Column("members_date", "date", "Số đảng viên tính đến", "Members as of"),
        Column(
            "share_of_members",
            "percent",
            "Kết nạp so với tổng số đảng viên (%)",
            "Admitted as a share of members",
            pct,
        ),
        Column(
            "same_period_last_year",
            "integer",
            "Cùng kỳ năm trước",
            "Same period last year",
        ),
        Column("change", "percent", "So với cùng kỳ (%)", "Change on the same period", pct),
    ]
    for year in years:
        cols.append(
            Column(f"achieved_{year}", "integer", f"Kết nạp năm {year}", f"Admitted in {year}")
        )
    for category in categories:
        cols.append(
            Column(
                f"share_{category.id}",
                "percent",
                f"Tỷ lệ {category.label_vi} (%)",
                f"Share: {category.label_en}",
                pct,
            )
        )
    cols.extend(NOTE_COLUMNS)
    return cols


def _select(
    hierarchy: Hierarchy,
    units: Iterable[str] | None,
    level: Level | DeclaredLevel | str | None,
    levels: Callable[[str], Level | DeclaredLevel],
) -> tuple[str, ...]:
    """The units a report shows, in hierarchy order: every unit's is the hierarchy's
    own :meth:`~Hierarchy.order` tuple, which the counts recognise (see
    :meth:`~partydev.calc.achieved.Counted.column`)."""
    order = hierarchy.order()
    if units is not None:
        wanted: set[str] = set()
        for unit_id in units:
            hierarchy.get(unit_id)
            wanted.add(unit_id)
            wanted.update(hierarchy.descendants(unit_id))
        order = tuple(u for u in order if u in wanted)
    if level is not None:
        try:
            tier = levels(level if isinstance(level, str) else level.value).tier
        except UnknownReferenceError:
            raise ValidationError("unknown level", field="level", value=level) from None
        of_unit = hierarchy.units.levels
        tiers = {each: each.tier for each in set(of_unit)}
        rows = hierarchy.positions(order)
        order = tuple(u for u, r in zip(order, rows, strict=True) if tiers[of_unit[r]] <= tier)
    return order


def _pct(ratio_value: Ratio | None, places: int, rounding: str) -> Decimal | None:
    return None if ratio_value is None else ratio_value.percent(places, rounding)


class _Percents:
    """Rounded percentages, each distinct (numerator, denominator) computed once.

    A national report rounds millions of ratios of small counts, most of them
    repeated (1 of 4, 3 of 5 …): remembering each result saves the work and
    shares one :class:`~decimal.Decimal` among the cells that show it.  A miss
    calls the :mod:`partydev.calc` function, so values and errors are its own.
    """

    def __init__(self, places: int, rounding: str) -> None:
        self.places = places
        self.rounding = rounding
        self._known: dict[tuple[str, int, int], Decimal | None] = {}

    def _rounded(
        self, kind: str, first: int, second: int, ratio: Callable[[int, int], Ratio | None]
    ) -> Decimal | None:
        """``ratio(first, second)`` as a rounded percentage (``None`` where there is no
        ratio), computed once per *kind* of ratio and pair."""
        key = (kind, first, second)
        if key not in self._known:
            self._known[key] = _pct(ratio(first, second), self.places, self.rounding)
        return self._known[key]

    def achievement(self, got: int, target: int) -> Decimal | None:
        """``calc.achievement(got, target)`` as a rounded percentage."""
        return self._rounded("achievement", got, target, calc.achievement)

    def share(self, category: str, number: int, got: int) -> Decimal | None:
        """``calc.composition({category: number}, got)[category]`` as a rounded percentage."""

        def ratio(part: int, whole: int) -> Ratio:
            return calc.composition({category: part}, whole)[category]

        return self._rounded("share", number, got, ratio)  # the same for every category

    def of_members(self, got: int, members: int) -> Decimal | None:
        """``calc.share_of_membership(got, members)`` as a rounded percentage."""
        return self._rounded("members", got, members, calc.share_of_membership)

    def change(self, got: int, before: int) -> Decimal | None:
        """``calc.change(got, before)`` as a rounded percentage (``None`` after 0)."""
        return self._rounded("change", got, before, calc.change)

    def achievements(
        self, gots: Iterable[int | None], targets: Iterable[int | None]
    ) -> tuple[Decimal | None, ...]:
        """:meth:`achievement` of each pair, ``None`` for an unknown count or no target."""
        return self._pairs(gots, targets, self.achievement, zero=False)

    def changes(
        self, gots: Iterable[int | None], befores: Iterable[int | None]
    ) -> tuple[Decimal | None, ...]:
        """:meth:`change` of each pair, ``None`` where either count is unknown."""
        return self._pairs(gots, befores, self.change, zero=True)

    def shares(
        self, category: str, numbers: Iterable[int | None], gots: Iterable[int | None]
    ) -> tuple[Decimal | None, ...]:
        """:meth:`share` of each (number, intake), ``None`` for an unknown number or
        an unknown or empty intake."""
        return self._pairs(numbers, gots, partial(self.share, category), zero=False)

    @staticmethod
    def _pairs(
        firsts: Iterable[int | None],
        seconds: Iterable[int | None],
        compute: Callable[[int, int], Decimal | None],
        zero: bool,
    ) -> tuple[Decimal | None, ...]:
        """``compute(first, second)`` of each pair, once per distinct pair; ``None``
        where either is unknown, or where *second* is 0 unless *zero*."""

        def cell(pair: tuple[int | None, int | None]) -> Decimal | None:
            first, second = pair
            if first is None or second is None or (second == 0 and not zero):
                return None
            return compute(first, second)

        # Once per distinct pair; zip's tuples are not kept (a national report's columns
        # repeat a few thousand small pairs hundreds of thousands of times).  A tuple,
        # which a table keeps as it is.
        firsts, seconds = list(firsts), list(seconds)
        values = {pair: cell(pair) for pair in set(zip(firsts, seconds, strict=True))}
        return tuple(map(values.__getitem__, zip(firsts, seconds, strict=True)))


TERM_WORDS = frozenset({"nhiệm kỳ", "nhiệm kì", "cả nhiệm kỳ", "term", "the term", "whole term"})
"""Texts that name the report's term as its period (``--period "nhiệm kỳ"``)."""


def _names_the_term(text: str) -> bool:
    """Whether *text* is one of :data:`TERM_WORDS` (spacing, case and NFC aside)."""
    return nfc(" ".join(text.split())).lower() in TERM_WORDS


def report_period(value: Period | str, term: Term) -> Period:
    """The period a report covers, from a :class:`Period` or any text
    :func:`~partydev.parse_period` reads; ``"nhiệm kỳ"`` / ``"term"`` is *term*'s
    target period.

    >>> from partydev import sample_ledger
    >>> report_period("6 tháng đầu năm 2022", sample_ledger().term()).key
    '2022-H1'
    >>> report_period("nhiệm kỳ", sample_ledger().term()).key
    '2021-01-01..2025-12-31'
    """
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise ValidationError("a period is a Period or text", field="period", value=value)
    if _names_the_term(value):
        return term.target_period
    return parse_period(value)


def default_as_of(ledger: Ledger) -> date:
    """The date a report or a check is made as of when none is given: the last
    date the ledger's data speaks for (:meth:`Ledger.latest_date`), else the end
    of its latest term; never the clock.

    >>> from partydev import sample_ledger
    >>> default_as_of(sample_ledger())
    datetime.date(2023, 6, 30)
    """
    latest = ledger.latest_date()
    return latest if latest is not None else ledger.term(None).end


def choose_term(
    ledger: Ledger, term: str | None, as_of: date, period: Period | str | None = None
) -> Term:
    """The term a report is about: *term* if given; else the term in force at the
    start of *period* (or on *as_of*); else the latest, with a warning.  A
    warning also says when *as_of* lies outside the chosen term."""
    if term is not None:
        chosen = ledger.term(term)
    else:
        day = as_of
        if isinstance(period, Period):
            day = period.start
        elif isinstance(period, str) and not _names_the_term(period):
            day = parse_period(period).start
        found = ledger.term_at(day)
        if found is None:
            chosen = ledger.term(None)
            warnings.warn(
                PartydevWarning(
                    f"no term is in force on {day.isoformat()}; reporting the latest, {chosen.id}"
                ),
                stacklevel=3,
            )
        else:
            chosen = found
    inside = (
        min(chosen.start, chosen.target_period.start)
        <= as_of
        <= max(chosen.end, chosen.target_period.end)
    )
    if not inside:
        warnings.warn(
            PartydevWarning(f"the as-of date {as_of.isoformat()} lies outside term {chosen.id}"),
            stacklevel=3,
        )
    return chosen


@attrs.frozen
class Scope:
    """What a report compares: a period counted up to a date against a target's span.

    Args:
        period: The period counted (a year, a half-year, a quarter, the term …).
        compared: The span whose target the count is compared with
            (:func:`~partydev.targets.compared_span`): the term's target period
            for the term, the calendar year for a period inside one year (year
            to date, as the press writes), else the whole years the period spans.
        window: The part of *period* up to the as-of date (``None`` before it).
        elapsed: The share of *compared* that *window* spans, in the elapsed
            convention (0 before the period starts).
        to_date: Whether *window* starts where *compared* starts, so that what
            remains and the projection are meaningful.
        years_left: The years of *compared* left after the as-of date.
        years_gone: The years *window* spans, in the elapsed convention.
        is_term: Whether *compared* is the term (its target is the term target).
    """

    period: Period
    compared: Period
    window: Period | None
    elapsed: Ratio
    to_date: bool
    years_left: Fraction
    years_gone: Fraction
    is_term: bool

    @classmethod
    def build(cls, period: Period, term: Term, as_of: date, elapsed: Granularity) -> Scope:
        """The scope of *period* in *term* as of *as_of*."""
        span = term.target_period
        compared = compared_span(period, term)
        window = period.until(as_of)
        before = calc.elapsed_share(compared, period.start - timedelta(days=1), elapsed)
        end = calc.elapsed_share(compared, window.end, elapsed) if window is not None else before
        share = Ratio(end.numerator - before.numerator, end.denominator)
        years = calc.period_years(compared)
        return cls(
            period=period,
            compared=compared,
            window=window,
            elapsed=share,
            to_date=window is not None and window.start == compared.start,
            years_left=calc.remaining_years(compared, as_of, elapsed),
            years_gone=years * share.fraction,
            is_term=compared == span,
        )

    def last_year(self) -> Period | None:
        """The same stretch one year earlier ("cùng kỳ năm trước"), for a period
        inside one year (a year, a half, a quarter, a month, as the press compares
        them); ``None`` for the term or several years."""
        if self.window is None or self.period.start.year != self.period.end.year:
            return None
        year = relativedelta(years=1)
        return Period.between(self.window.start - year, self.window.end - year)

    def titles(self, term: Term, as_of: date) -> tuple[str, str]:
        """The report's title in Vietnamese and English."""
        vi_day, en_day = format_date(as_of, "vi"), format_date(as_of, "en")
        if self.is_term and self.period == self.compared:
            return (
                f"Tiến độ phát triển đảng viên nhiệm kỳ {term.label}, tính đến ngày {vi_day}",
                f"Party-member development, term {term.label}, as of {en_day}",
            )
        return (
            f"Kết quả phát triển đảng viên {self.period.title('vi')}, tính đến ngày {vi_day}",
            f"Party-member development, {self.period.title('en')}, as of {en_day}",
        )


def build_report(
    ledger: Ledger,
    *,
    as_of: date,
    period: Period | str | None = None,
    term: str | None = None,
    units: Iterable[str] | None = None,
    level: Level | DeclaredLevel | str | None = None,
    rollup: RollUp = "reported",
    periods: Granularity = "year",
    places: int = 1,
    rounding: str = decimal.ROUND_HALF_UP,
    elapsed: Granularity = "month",
    tolerance: Fraction = calc.DEFAULT_TOLERANCE,
    target_source: Source | None = None,
    young_age: int | None = None,
    categories: Sequence[str] | None = None,
    kernels: Kernels | None = None,
) -> Report:
    """Build the progress report of *ledger* as of *as_of*.

    Args:
        ledger: The validated ledger.
        as_of: The reporting date; nothing after it counts.
        period: The period reported (default: the term to date): a
            :class:`Period` or text such as ``"2022"``, ``"6 tháng đầu năm
            2022"``, ``"quý I/2024"``, ``"2024-2025"`` or ``"nhiệm kỳ"``.  A
            period inside one year is compared with that year's target (year to
            date), several whole years with their target, the term with the
            term's; see :class:`Scope`.
        term: The term id; by default the term in force at the start of
            *period* (or on *as_of*), see :func:`choose_term`.
        units: Report only these units and their sub-units (default: all).
        level: Report down to this level (``"district"`` keeps provinces and
            the units at the district tier); a level the ledger declares counts
            by its declared tier.
        rollup: ``"reported"`` (default), ``"sum"`` or ``"own"``; see
            :mod:`partydev.achieved`.
        periods: The granularity of the per-period table (``"year"``,
            ``"half"``, ``"quarter"``, ``"month"``).  The summary always has
            one achieved column per target year (``achieved_2021`` …).
        places: Decimal places of percentages.
        rounding: A :mod:`decimal` rounding constant (half up by default).
        elapsed: The elapsed-time convention: whole ``"month"`` (default),
            ``"quarter"``, ``"half"``, ``"year"``, or ``"day"``.
        tolerance: How far the pace may stray from 1 and count as on track.
        target_source: Compare against targets from this source only
            (default: the first of :data:`~partydev.targets.SOURCE_PREFERENCE`
            that exists).
        young_age: Overrides the age bound of age categories ("young").
        categories: Composition categories to report (default: every
            category the data can answer for some unit).
        kernels: Vector kernels for the counting (``partydev.model.kernels.kernels()``:
            numpy when ``partydev[fast]`` is installed); the default counts unit
            by unit in pure Python.  The figures are the same.

    Returns:
        An immutable :class:`~partydev.Report` with the tables ``summary``,
        ``periods``, ``composition`` and ``claims``.  A figure the data does
        not give is empty (``None``), never 0: ``achieved_known`` then holds
        the lower bound the known parts give and ``note``/``note_en`` say
        what is missing.
    """
    options = ReportOptions(
        rollup=rollup,
        periods=periods,
        places=places,
        rounding=rounding,
        elapsed=elapsed,
        tolerance=tolerance,
        target_source=target_source,
        young_age=young_age,
    )
    if isinstance(period, str) and not _names_the_term(period):
        period = parse_period(period)  # once: the term and the counted period both need it
    the_term = choose_term(ledger, term, as_of, period)
    counted_period = the_term.target_period if period is None else report_period(period, the_term)
    scope = Scope.build(counted_period, the_term, as_of, options.elapsed)
    engine = Achievements(ledger, as_of, max_age=options.young_age, kernels=kernels)
    selected = _select(engine.hierarchy, units, level, ledger.level)
    tables = _tables(ledger, engine, the_term, scope, selected, categories, options)
    title_vi, title_en = scope.titles(the_term, as_of)
    metadata = _metadata(ledger, the_term, as_of, scope, period is None, options)
    return Report(title_vi=title_vi, title_en=title_en, tables=tables, metadata=metadata)


def _tables(
    ledger: Ledger,
    engine: Achievements,
    the_term: Term,
    scope: Scope,
    selected: Sequence[str],
    categories: Sequence[str] | None,
    options: ReportOptions,
) -> tuple[Table, ...]:
    """The report's four tables: every count of one engine, each unit's targets
    resolved once for the summary and the periods table."""
    as_of = engine.as_of
    main, wanted = _main_counts(ledger, engine, scope, selected, categories, options.rollup)
    before = scope.last_year()
    years = the_term.target_years
    counts = engine.count_periods(
        [*(Period.year(y) for y in years), *([before] if before else [])], options.rollup
    )
    pieces = [p for p in the_term.target_period.split(options.periods) if p.start <= as_of]
    compared = None if scope.is_term else scope.compared
    targets = ledger.targets.resolve(
        selected,
        the_term,
        [compared, *pieces],
        source=options.target_source,
        members_at=ledger.members,
    )
    summary, composition = _summary(
        ledger,
        engine.hierarchy,
        selected,
        scope,
        the_term,
        main,
        [(y, counts[Period.year(y)]) for y in years],
        counts[before] if before else None,
        wanted,
        options,
        targets[0],
    )
    return (
        summary,
        _period_table(engine, selected, pieces, targets[1:], options),
        composition,
        _claims_table(ledger, selected),
    )


def _main_counts(
    ledger: Ledger,
    engine: Achievements,
    scope: Scope,
    selected: Sequence[str],
    categories: Sequence[str] | None,
    rollup: RollUp,
) -> tuple[Counted, list[Category]]:
    """The figures of the report's period with the composition categories: those
    asked for, or every category the data can answer for some selected unit."""
    wanted = (
        [ledger.category(c) for c in categories]
        if categories is not None
        else list(ledger.categories)
    )
    main = engine.counted(scope.period, rollup, wanted)
    if categories is None:
        got = main.column(0, selected)
        keep = [
            category
            for k, category in enumerate(wanted)
            if any(
                number is not None and count
                for number, count in zip(main.column(1 + k, selected), got, strict=True)
            )
        ]
        if len(keep) < len(wanted):
            wanted = keep
            main = engine.counted(scope.period, rollup, wanted)
    return main, wanted


def _composition_table(values: Sequence[Sequence[Cell]], places: int) -> Table:
    return Table.from_columns(
        "composition",
        "Cơ cấu đảng viên mới kết nạp",
        "Composition of the intake",
        [
            UNIT_ID,
            UNIT_NAME,
            Column("category", "text", "Mã nhóm", "Category id"),
            Column("category_vi", "text", "Nhóm", "Category (Vietnamese)"),
            Column("category_en", "text", "Nhóm (tiếng Anh)", "Category"),
            Column("count", "integer", "Số lượng", "Count"),
            Column("base", "integer", "Tổng số kết nạp", "Admitted"),
            Column("share", "percent", "Tỷ lệ (%)", "Share", places),
        ],
        values,
    )


def _metadata(
    ledger: Ledger,
    term: Term,
    as_of: date,
    scope: Scope,
    default_period: bool,
    options: ReportOptions,
) -> list[tuple[str, Cell]]:
    """The report's metadata: what it is about and every convention it used."""
    pairs: list[tuple[str, Cell]] = [
        ("title", ledger.title or None),
        ("term", term.label),
        ("term_id", term.id),
        ("as_of", as_of),
        ("period", None if scope.is_term and default_period else scope.period.key),
        ("target_period", scope.compared.key),
        ("rollup", f"rollup_{options.rollup}"),
        ("elapsed", f"elapsed_{options.elapsed}"),
        ("rounding", options.rounding),
        ("places", options.places),
        ("pace_tolerance", round_fraction(options.tolerance * 100, 2)),
        ("target_source", options.target_source or "auto"),
        ("young_age", options.young_age),
        ("source", ledger.source or None),
        ("generator", "partydev"),
        ("version", __version__),
    ]
    return [(k, v) for k, v in pairs if v is not None]


def _with_target_notes(
    notes_vi: Sequence[Cell],
    notes_en: Sequence[Cell],
    targets: Sequence[int | None],
    compared: Period,
) -> tuple[list[Cell], list[Cell]]:
    """The notes, where a unit's count is known but it has no target for *compared*
    (*targets*: each unit's target count) saying so: its percent and what follows
    from it are empty for that reason.  (A unit whose count is unknown already has a
    note saying which data is missing.)"""

    def noted(notes: Sequence[Cell], text: str) -> list[Cell]:
        return [
            text if target is None and not note else note
            for note, target in zip(notes, targets, strict=True)
        ]

    return (
        noted(notes_vi, f"chưa có chỉ tiêu {compared.title('vi')}"),
        noted(notes_en, f"no target for {compared.title('en')}"),
    )


def _summary(
    ledger: Ledger,
    hierarchy: Hierarchy,
    selected: Sequence[str],
    scope: Scope,
    term: Term,
    main: Counted,
    by_year: Sequence[tuple[int, Counted]],
    last_year: Counted | None,
    wanted: Sequence[Category],
    options: ReportOptions,
    targets: TargetColumn,
) -> tuple[Table, Table]:
    """The summary table (one row per unit) and the composition table, built
    column by column; *targets* holds each selected unit's resolved target."""
    span = "term" if scope.is_term else "year" if scope.compared.kind == "year" else "years"
    columns = _columns(options.places, term.target_years, wanted, span, ledger.level_labels())
    extra_columns, extra_cells = summary_extras(
        ledger,
        scope.period,
        scope.window.end if scope.window else scope.period.start,
        selected,
        _names(hierarchy),
        options.rounding,
    )
    columns.extend(extra_columns)  # the lifecycle columns (partydev.membership_report)
    builder = _SummaryColumns(ledger, hierarchy, selected, scope, main, wanted, options)
    data = builder.identity()
    data.update(builder.progress(targets))
    data["note"], data["note_en"] = _with_target_notes(
        data["note"], data["note_en"], targets.count, scope.compared
    )
    data.update(builder.context(by_year, last_year))
    data.update(builder.shares())
    if extra_columns:
        data.update(
            zip(
                (c.key for c in extra_columns),
                zip(*(extra_cells[u] for u in selected), strict=True),
                strict=False,
            )
        )
    blank = (None,) * len(selected)
    summary = Table.from_columns(
        "summary",
        "Tiến độ phát triển đảng viên",
        "Member development progress",
        columns,
        (data.pop(c.key, blank) for c in columns),  # each list let go once copied
    )
    return summary, _composition_table(builder.composition(), options.places)


_PROGRESS_KEYS = (
    "percent",
    "exceedance",
    "pace",
    "status",
    "remaining",
    "required_per_year",
    "projected",
)
"""The summary cells that follow from a count and its target alone."""

_YES_NO: dict[bool | None, str | None] = {True: "yes", False: "no", None: None}
"""The cells of a yes/no column (``target_derived``), empty where there is no answer."""


class _SummaryColumns:
    """The summary's columns, each a list of cells in the order of the selected
    units; what depends only on a count (and its target) is computed once per
    distinct value, since a national report repeats small counts many times."""

    def __init__(
        self,
        ledger: Ledger,
        hierarchy: Hierarchy,
        selected: Sequence[str],
        scope: Scope,
        main: Counted,
        wanted: Sequence[Category],
        options: ReportOptions,
    ) -> None:
        self.ledger, self.hierarchy, self.scope = ledger, hierarchy, scope
        self.selected, self.main, self.wanted, self.options = selected, main, wanted, options
        self.percents = _Percents(options.places, options.rounding)
        self.got: Sequence[int | None] = main.column(0, selected)
        self.name_of = _names(hierarchy)
        self.numbers: list[Sequence[int | None]] = []
        self.share_columns: list[tuple[Decimal | None, ...]] = []

    def identity(self) -> dict[str, Sequence[Cell]]:
        """The unit's identity, its count, the elapsed share and the notes of unknowns."""
        hierarchy, selected = self.hierarchy, self.selected
        rows, table = hierarchy.positions(selected), hierarchy.units
        levels = table.levels
        level_code = {level: level.value for level in set(levels)}
        depths = hierarchy.depths(selected)
        base = min(depths, default=0)
        elapsed = self.scope.elapsed.percent(self.options.places, self.options.rounding)
        shortfalls = self.main.shortfalls
        short = [
            shortfalls.get(u) if got is None else None
            for u, got in zip(selected, self.got, strict=True)
        ]
        name_of = self.name_of
        return {
            "unit_id": list(selected),
            "unit_name": _names_at(hierarchy, selected),
            "level": list(map(level_code.__getitem__, map(levels.__getitem__, rows))),
            "parent_id": list(map(table.parents.__getitem__, rows)),
            "depth": [depth - base for depth in depths],
            "achieved": self.got,
            "elapsed_percent": [elapsed] * len(selected),
            "achieved_known": [None if s is None else s.known or None for s in short],
            "note": [
                None if s is None else shortfall_note(s, u, name_of, "vi")
                for s, u in zip(short, selected, strict=True)
            ],
            "note_en": [
                None if s is None else shortfall_note(s, u, name_of, "en")
                for s, u in zip(short, selected, strict=True)
            ],
            "average_per_year": self._averages(),
        }

    def _averages(self) -> list[Cell]:
        """Admissions per elapsed year, once a year or more has elapsed (a half-year's
        count doubled is not an average of anything)."""
        years = self.scope.years_gone
        if years < 1:
            return [None] * len(self.got)
        rounding = self.options.rounding
        averages: dict[int, Decimal] = {}
        for got in set(self.got):
            if got is not None:
                averages[got] = round_fraction(calc.average_per_year(got, years), 1, rounding)
        return [None if got is None else averages[got] for got in self.got]

    def progress(self, targets: TargetColumn) -> dict[str, Sequence[Cell]]:
        """The target's cells and what follows from the count and the target, each
        distinct (count, target) worked out once; only units with a known count and
        a target above 0 have those cells (in a national report, a sixth of them)."""
        got, count = self.got, targets.count
        columns: list[list[Cell]] = [[None] * len(got) for _ in _PROGRESS_KEYS]
        rows: dict[tuple[int, int], tuple[Cell, ...]] = {}
        for i in compress(range(len(got)), count):  # a target above 0
            value, target = got[i], count[i]
            if value is None or target is None:
                continue
            row = rows.get((value, target))
            if row is None:
                row = rows[value, target] = self._progress(value, target)
            for column, cell in zip(columns, row, strict=True):
                column[i] = cell
        data: dict[str, Sequence[Cell]] = dict(zip(_PROGRESS_KEYS, columns, strict=True))
        data["target"] = count
        data["target_high"] = targets.high
        data["target_source"] = targets.source
        data["target_derived"] = list(map(_YES_NO.__getitem__, targets.derived))
        return data

    def _progress(self, got: int, target: int) -> tuple[Cell, ...]:
        """The cells of :data:`_PROGRESS_KEYS` for *got* of *target* (target > 0)."""
        scope, options = self.scope, self.options
        places, rounding, share_of = options.places, options.rounding, scope.elapsed
        pace = calc.pace(got, target, share_of)
        remaining: tuple[Cell, ...] = (None, None, None)
        if scope.to_date:
            projected = calc.projection(got, share_of)
            # Per remaining *year* only while a year or more remains: with months
            # left, a yearly rate scaled up from them misleads; the remaining count
            # is the figure that matters.
            years_left = scope.years_left
            remaining = (
                calc.remaining(got, target),
                calc.required_per_year(got, target, years_left) if years_left >= 1 else None,
                None if projected is None else calc.round_half_up(projected),
            )
        return (
            self.percents.achievement(got, target),
            calc.exceedance(got, target).percent(places, rounding),
            None if pace is None else pace.quantize(2, rounding),
            calc.pace_status(got, target, share_of, options.tolerance),
            *remaining,
        )

    def context(
        self, by_year: Sequence[tuple[int, Counted]], last_year: Counted | None
    ) -> dict[str, Sequence[Cell]]:
        """The cells that put the count in context: last year, members, the years."""
        selected, got, percents = self.selected, self.got, self.percents
        data: dict[str, Sequence[Cell]] = {}
        if last_year is not None:
            before = last_year.column(0, selected)
            data["same_period_last_year"] = before
            data["change"] = percents.changes(got, before)
        scope = self.scope
        day = scope.window.end if scope.window is not None else scope.period.start
        snapshots = self.ledger.membership_snapshots(selected, day)
        data["members"] = [None if s is None else s.members for s in snapshots]
        data["members_date"] = [None if s is None else s.date for s in snapshots]
        data["share_of_members"] = [
            percents.of_members(g, s.members)
            if g is not None and s is not None and s.members > 0
            else None
            for g, s in zip(got, snapshots, strict=True)
        ]
        for year, counted in by_year:
            data[f"achieved_{year}"] = counted.column(0, selected)
        return data

    def shares(self) -> dict[str, Sequence[Cell]]:
        """Each composition category's share of the intake (of a known, non-zero count)."""
        self.numbers = [self.main.column(1 + k, self.selected) for k in range(len(self.wanted))]
        self.share_columns = [
            self.percents.shares(category.id, numbers, self.got)
            for category, numbers in zip(self.wanted, self.numbers, strict=True)
        ]
        return {
            f"share_{category.id}": cells
            for category, cells in zip(self.wanted, self.share_columns, strict=True)
        }

    def composition(self) -> list[Sequence[Cell]]:
        """The composition table's columns (after :meth:`shares`): one row per unit
        with a known, non-zero count and category with a known count, unit by unit.

        The cells of every (unit, category) are laid out unit by unit, and those
        with a share (exactly those rows) are kept."""
        width = len(self.wanted)
        if not width:
            return [[] for _ in range(8)]
        shares = list(chain.from_iterable(zip(*self.share_columns, strict=True)))
        keep = list(map(is_not, shares, repeat(None)))
        unit_names = _names_at(self.hierarchy, self.selected)
        # The columns that name a unit or a category are coded (a national composition
        # has two million rows): one array of codes each for the unit and the category
        # columns, shared, and each value held once.
        units = CodedColumn.repeated(self.selected, width).kept(keep)
        categories = CodedColumn.cycled(self.wanted, width * len(self.selected)).kept(keep)

        def per_unit(values: Iterable[Cell]) -> CodedColumn[Cell]:
            """A value per unit, on each kept row of that unit."""
            return units.with_values(values)

        def per_category(values: Iterable[Cell]) -> CodedColumn[Cell]:
            """A value per category, on each kept row of that category."""
            return categories.with_values(values)

        wanted = self.wanted
        return [  # tuples and coded columns, which the table keeps as they are
            per_unit(self.selected),
            per_unit(unit_names),
            per_category([c.id for c in wanted]),
            per_category([c.label_vi for c in wanted]),
            per_category([c.label_en for c in wanted]),
            tuple(compress(chain.from_iterable(zip(*self.numbers, strict=True)), keep)),
            per_unit(self.got),
            tuple(compress(shares, keep)),
        ]


def _names_at(hierarchy: Hierarchy, selected: Sequence[str]) -> list[str]:
    """The name of each selected unit, read from the hierarchy's names column."""
    return list(map(hierarchy.units.names.__getitem__, hierarchy.positions(selected)))


def _names(hierarchy: Hierarchy) -> Callable[[str], str | None]:
    def name_of(unit_id: str) -> str | None:
        return hierarchy.name(unit_id) if unit_id in hierarchy else None

    return name_of


_PERIOD_TABLE_HEAD: tuple[Column, ...] = (
    UNIT_ID,
    UNIT_NAME,
    *PERIOD_COLUMNS,
    Column("complete", "code", "Đã hết kỳ", "Complete"),
    Column("achieved", "integer", "Đã kết nạp", "Admitted"),
    Column("target", "integer", "Chỉ tiêu", "Target"),
    Column("target_source", "code", "Nguồn chỉ tiêu", "Target source"),
)


def _period_table(
    engine: Achievements,
    selected: Sequence[str],
    pieces: Sequence[Period],
    targets: Sequence[TargetColumn],
    options: ReportOptions,
) -> Table:
    """One row per unit and period of the target years begun by the as-of date
    (*pieces*), built column by column; *targets* holds each unit's resolved target,
    one column per piece."""
    steps = _period_steps(engine, pieces, options)
    percents = _Percents(options.places, options.rounding)
    name_of = _names(engine.hierarchy)
    unit_names = _names_at(engine.hierarchy, selected)
    width = len(pieces)

    # Tuples and coded columns, which the table keeps as they are (a list would be
    # copied into a tuple, doubling a national table's columns, a million and a half
    # cells each, at the peak).  The columns that repeat a unit's or a piece's cells
    # are coded, on one shared array of codes each.
    ids = CodedColumn.repeated(selected, width)
    pieces_column = CodedColumn.cycled(pieces, len(ids))

    def unit_by_unit(per_piece: Iterable[Iterable[_V]]) -> tuple[_V, ...]:
        """Columns given piece by piece (each one cell per unit), laid out unit by unit."""
        return tuple(chain.from_iterable(zip(*per_piece, strict=True)))

    got = unit_by_unit(now.column(0, selected) for now, _, _ in steps)
    before = unit_by_unit(
        [None] * len(selected) if then is None else then.column(0, selected)
        for _, then, _ in steps
    )
    target = unit_by_unit(column.count for column in targets)
    notes: list[dict[int, Cell]] = [{} for _ in NOTE_COLUMNS]  # by row: the rare unknowns
    for i in compress(range(len(got)), map(is_, got, repeat(None))):
        short = steps[i % width][0].shortfalls[ids[i]]
        notes[0][i] = short.known or None
        notes[1][i] = shortfall_note(short, ids[i], name_of, "vi")
        notes[2][i] = shortfall_note(short, ids[i], name_of, "en")
    piece_cells = [tuple(column) for column in zip(*(cells for _, _, cells in steps), strict=True)]
    values: list[Sequence[Cell]] = [
        ids,
        ids.with_values(unit_names),
        *(pieces_column.with_values(column) for column in piece_cells or [()] * 4),
        got,
        target,
        CodedColumn.from_cells(unit_by_unit(column.source for column in targets)),
        percents.achievements(got, target),
        percents.changes(got, before),
        *(CodedColumn.sparse(len(got), cells, None) for cells in notes),
    ]
    return Table.from_columns(
        "periods", "Kết quả theo từng kỳ", "Results by period", _period_columns(options), values
    )


def _period_columns(options: ReportOptions) -> list[Column]:
    """The per-period table's columns."""
    return [
        *_PERIOD_TABLE_HEAD,
        Column("percent", "percent", "Tỷ lệ đạt (%)", "Percent of target", options.places),
        Column(
            "change", "percent", "So với cùng kỳ (%)", "Change on the same period", options.places
        ),
        *NOTE_COLUMNS,
    ]


def _period_steps(
    engine: Achievements, pieces: Sequence[Period], options: ReportOptions
) -> list[tuple[Counted, Counted | None, tuple[Cell, ...]]]:
    """Per piece, what every row shares: the figures, those of the same stretch one
    year earlier (for a piece still running, the same days of the previous year),
    and the piece's own cells (key, names, complete)."""
    per_year = 12 // {"year": 12, "half": 6, "quarter": 3, "month": 1}[options.periods]
    earlier: list[Period | None] = []
    for index, piece in enumerate(pieces):
        if index < per_year:
            earlier.append(None)
        elif piece.end <= engine.as_of:
            earlier.append(pieces[index - per_year])
        else:
            year = relativedelta(years=1)
            earlier.append(Period.between(piece.start - year, engine.as_of - year))
    counted = engine.count_periods(
        [*pieces, *(p for p in earlier if p is not None)], options.rollup
    )
    return [
        (
            counted[piece],
            None if before is None else counted[before],
            (*period_cells(piece), "yes" if piece.end <= engine.as_of else "no"),
        )
        for piece, before in zip(pieces, earlier, strict=True)
    ]


NOTE_COLUMNS: tuple[Column, ...] = (
    Column("achieved_known", "integer", "Đã biết (ít nhất)", "Known so far (at least)"),
    Column("note", "text", "Ghi chú", "Note (Vietnamese)"),
    Column("note_en", "text", "Ghi chú (tiếng Anh)", "Note"),
)
"""What a row says when its count is unknown: the lower bound the known parts
give (never shown as the total) and what is missing, in both languages."""


def _claims_table(ledger: Ledger, selected: Sequence[str]) -> Table:
    chosen = set(selected)
    rows = [
        (c.id, c.unit, c.kind, c.stated, c.comparison, c.text, c.source, c.note or None)
        for c in ledger.claims
        if c.unit in chosen
    ]
    return Table(
        "claims",
        "Số liệu đã công bố",
        "Stated figures",
        [
            Column("claim_id", "text", "Mã", "Claim id"),
            UNIT_ID,
            Column("kind", "code", "Loại số liệu", "Kind"),
            Column("stated", "text", "Số liệu công bố", "Stated"),
            Column("comparison", "code", "Cách diễn đạt", "Wording"),
            Column("text", "text", "Trích dẫn", "Quotation"),
            Column("source", "text", "Nguồn", "Source"),
            Column("note", "text", "Ghi chú", "Note"),
        ],
        rows,
    )
