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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from . import calc
from ._version import __version__
from .achieved import ROLLUPS, Achievements, RollUp
from .errors import UndeterminedError, UnknownReferenceError, ValidationError
from .ledger import Ledger
from .numbers import ROUNDING_MODES, Ratio, format_date, round_fraction
from .periods import Granularity, Period
from .records import Category
from .report import PERIOD_COLUMNS, UNIT_ID, UNIT_NAME, Cell, Column, Report, Table, period_cells
from .targets import SOURCE_PREFERENCE, ResolvedTarget, Source, _pool, _resolve_in
from .terms import Term
from .units import DeclaredLevel, Hierarchy, Level

__all__ = ["build_report"]

_GRANULARITIES = ("year", "half", "quarter", "month")

_ELAPSED = ("year", "half", "quarter", "month", "day")


def _columns(
    places: int,
    years: Sequence[int],
    categories: Sequence[Category],
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
        Column("projected", "integer", "Dự báo cuối nhiệm kỳ", "Projected by term end"),
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
    return cols


def _select(
    hierarchy: Hierarchy,
    units: Iterable[str] | None,
    level: Level | DeclaredLevel | str | None,
    levels: Callable[[str], Level | DeclaredLevel],
) -> list[str]:
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
        order = tuple(u for u in order if hierarchy.get(u).level.tier <= tier)
    return list(order)


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
        self._achievement: dict[tuple[int, int], Decimal] = {}
        self._share: dict[tuple[int, int], Decimal] = {}
        self._members: dict[tuple[int, int], Decimal] = {}
        self._change: dict[tuple[int, int], Decimal | None] = {}

    def achievement(self, got: int, target: int) -> Decimal:
        """``calc.achievement(got, target)`` as a rounded percentage."""
        key = (got, target)
        value = self._achievement.get(key)
        if value is None:
            ratio = calc.achievement(got, target)
            value = self._achievement[key] = ratio.percent(self.places, self.rounding)
        return value

    def share(self, category: str, number: int, got: int) -> Decimal:
        """``calc.composition({category: number}, got)[category]`` as a rounded percentage."""
        key = (number, got)
        value = self._share.get(key)
        if value is None:
            ratio = calc.composition({category: number}, got)[category]
            value = self._share[key] = ratio.percent(self.places, self.rounding)
        return value

    def of_members(self, got: int, members: int) -> Decimal:
        """``calc.share_of_membership(got, members)`` as a rounded percentage."""
        key = (got, members)
        value = self._members.get(key)
        if value is None:
            ratio = calc.share_of_membership(got, members)
            value = self._members[key] = ratio.percent(self.places, self.rounding)
        return value

    def change(self, got: int, before: int) -> Decimal | None:
        """``calc.change(got, before)`` as a rounded percentage (``None`` after 0)."""
        key = (got, before)
        if key not in self._change:
            self._change[key] = _pct(calc.change(got, before), self.places, self.rounding)
        return self._change[key]


def _resolve(
    ledger: Ledger, unit_id: str, term: Term, period: Period | None, source: Source | None
) -> ResolvedTarget | None:
    return _resolve_each(ledger, unit_id, term, [period], source)[0]


def _resolve_each(
    ledger: Ledger,
    unit_id: str,
    term: Term,
    periods: Sequence[Period | None],
    source: Source | None,
) -> list[ResolvedTarget | None]:
    """``resolve_target`` of the unit's targets for each of *periods* (``None``: the
    term), ``None`` where none fits or membership is missing; the unit's targets
    are filtered and ordered once for all the periods."""
    targets = ledger.targets_of(unit_id)
    if not targets:
        return [None] * len(periods)  # what resolve_target answers for no targets
    pool = _pool(targets, term, source, None)

    def members_at(day: date) -> int | None:
        return ledger.members(unit_id, day)

    out: list[ResolvedTarget | None] = []
    for period in periods:
        try:
            out.append(_resolve_in(pool, term, period, members_at))
        except UndeterminedError:
            out.append(None)
    return out


def build_report(
    ledger: Ledger,
    *,
    as_of: date,
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
) -> Report:
    """Build the progress report of *ledger* as of *as_of*.

    Args:
        ledger: The validated ledger.
        as_of: The reporting date; nothing after it counts.
        term: The term id; by default the ledger's latest term.
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

    Returns:
        An immutable :class:`~partydev.Report` with the tables ``summary``,
        ``periods``, ``composition`` and ``claims``.
    """
    if rollup not in ROLLUPS:
        raise ValidationError(
            "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
        )
    if periods not in _GRANULARITIES:
        raise ValidationError("unknown period granularity", field="periods", value=periods)
    if elapsed not in _ELAPSED:
        raise ValidationError("unknown elapsed-time convention", field="elapsed", value=elapsed)
    if rounding not in ROUNDING_MODES:
        raise ValidationError("unknown rounding mode", field="rounding", value=rounding)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 6:
        raise ValidationError("places must be 0 to 6", field="places", value=places)
    if target_source is not None and target_source not in SOURCE_PREFERENCE:
        raise ValidationError("unknown target source", field="target_source", value=target_source)
    the_term = ledger.term(term)
    span = the_term.target_period
    engine = Achievements(ledger, as_of, max_age=young_age)
    hierarchy = engine.hierarchy
    selected = _select(hierarchy, units, level, ledger.level)
    base_depth = min((hierarchy.depth(u) for u in selected), default=0)

    wanted = (
        [ledger.category(c) for c in categories]
        if categories is not None
        else list(ledger.categories)
    )
    todate = span.until(as_of)
    share_of = calc.elapsed_share(span, as_of, elapsed)
    years_left = calc.remaining_years(span, as_of, elapsed)
    years_gone = calc.period_years(span) * share_of.fraction
    vectors = (
        engine._vectors_of(span, rollup, wanted)  # read only: no copy
        if todate is not None
        else dict.fromkeys(hierarchy.order(), (None,) * (1 + len(wanted)))
    )
    if categories is None:
        keep = [
            k
            for k, _ in enumerate(wanted)
            if any(vectors[u][1 + k] is not None and vectors[u][0] for u in selected)
        ]
        if len(keep) < len(wanted):  # else every vector stays as it is
            wanted = [wanted[k] for k in keep]
            vectors = {u: (v[0], *(v[1 + k] for k in keep)) for u, v in vectors.items()}
    years = the_term.target_years
    engine._count_periods([Period.year(year) for year in years], rollup)  # in one pass
    by_year = {year: engine._counted(Period.year(year), rollup) for year in years}

    columns = _columns(places, years, wanted, ledger.level_labels())
    at = {c.key: i for i, c in enumerate(columns)}  # each cell's position in the row
    blank: list[Cell] = [None] * len(columns)
    percents = _Percents(places, rounding)
    elapsed_percent = share_of.percent(places, rounding)
    year_counts = [(at[f"achieved_{year}"], by_year[year]) for year in years]
    share_keys = [(k, at[f"share_{category.id}"], category) for k, category in enumerate(wanted)]
    averages: dict[int, Decimal] = {}  # by count: years_gone is the same for every unit
    rows: list[tuple[Cell, ...]] = []
    composition_rows: list[tuple[Cell, ...]] = []
    for unit_id in selected:
        unit = hierarchy.get(unit_id)
        resolved = _resolve(ledger, unit_id, the_term, None, target_source)
        target = resolved.count if resolved else None
        vector = vectors[unit_id]
        got = vector[0]
        cells = blank.copy()
        cells[at["unit_id"]] = unit.id
        cells[at["unit_name"]] = unit.name
        cells[at["level"]] = unit.level.value
        cells[at["parent_id"]] = unit.parent
        cells[at["depth"]] = hierarchy.depth(unit_id) - base_depth
        cells[at["achieved"]] = got
        cells[at["elapsed_percent"]] = elapsed_percent
        if resolved:
            cells[at["target"]] = target
            cells[at["target_high"]] = resolved.high
            cells[at["target_source"]] = resolved.source
            cells[at["target_derived"]] = "yes" if resolved.derived else "no"
        if got is not None and target:
            cells[at["percent"]] = percents.achievement(got, target)
            cells[at["exceedance"]] = calc.exceedance(got, target).percent(places, rounding)
            pace = calc.pace(got, target, share_of)
            cells[at["pace"]] = None if pace is None else pace.quantize(2, rounding)
            cells[at["status"]] = calc.pace_status(got, target, share_of, tolerance)
            cells[at["remaining"]] = calc.remaining(got, target)
            cells[at["required_per_year"]] = calc.required_per_year(got, target, years_left)
            projected = calc.projection(got, share_of)
            cells[at["projected"]] = None if projected is None else calc.round_half_up(projected)
        if got is not None and years_gone > 0:
            average = averages.get(got)
            if average is None:
                average = averages[got] = round_fraction(
                    calc.average_per_year(got, years_gone), 1, rounding
                )
            cells[at["average_per_year"]] = average
        snapshot = ledger.membership_snapshot(unit_id, as_of)
        if snapshot is not None:
            cells[at["members"]] = snapshot.members
            cells[at["members_date"]] = snapshot.date
            if got is not None and snapshot.members > 0:
                cells[at["share_of_members"]] = percents.of_members(got, snapshot.members)
        for position, counts in year_counts:
            cells[position] = counts[unit_id]
        for k, position, category in share_keys:
            number = vector[1 + k]
            if number is not None and got:
                share = cells[position] = percents.share(category.id, number, got)
                composition_rows.append(
                    (
                        unit.id,
                        unit.name,
                        category.id,
                        category.label_vi,
                        category.label_en,
                        number,
                        got,
                        share,
                    )
                )
        rows.append(tuple(cells))

    summary = Table(
        "summary", "Tiến độ phát triển đảng viên", "Member development progress", columns, rows
    )
    period_table = _period_table(
        ledger,
        engine,
        the_term,
        selected,
        hierarchy,
        periods,
        rollup,
        places,
        rounding,
        target_source,
    )
    composition = Table(
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
        composition_rows,
    )
    claims = _claims_table(ledger, selected)
    metadata: list[tuple[str, Cell]] = [
        ("title", ledger.title or None),
        ("term", the_term.label),
        ("term_id", the_term.id),
        ("as_of", as_of),
        ("target_period", span.key),
        ("rollup", f"rollup_{rollup}"),
        ("elapsed", f"elapsed_{elapsed}"),
        ("rounding", rounding),
        ("places", places),
        ("pace_tolerance", round_fraction(Fraction(tolerance) * 100, 2)),
        ("target_source", target_source or "auto"),
        ("young_age", young_age),
        ("source", ledger.source or None),
        ("generator", "partydev"),
        ("version", __version__),
    ]
    return Report(
        title_vi=f"Tiến độ phát triển đảng viên nhiệm kỳ {the_term.label}, "
        f"tính đến ngày {format_date(as_of, 'vi')}",
        title_en=f"Party-member development, term {the_term.label}, as of "
        f"{format_date(as_of, 'en')}",
        tables=(summary, period_table, composition, claims),
        metadata=[(k, v) for k, v in metadata if v is not None],
    )


def _period_table(
    ledger: Ledger,
    engine: Achievements,
    term: Term,
    selected: Sequence[str],
    hierarchy: Hierarchy,
    granularity: Granularity,
    rollup: RollUp,
    places: int,
    rounding: str,
    target_source: Source | None,
) -> Table:
    pieces = [p for p in term.target_period.split(granularity) if p.start <= engine.as_of]
    engine._count_periods(pieces, rollup)  # in one pass
    counts = {p: engine._counted(p, rollup) for p in pieces}
    per_year = 12 // {"year": 12, "half": 6, "quarter": 3, "month": 1}[granularity]
    previous = [
        _same_period_last_year(engine, counts, pieces, index, per_year, rollup)
        for index in range(len(pieces))
    ]
    # What depends on the piece alone is computed once per piece, not once per row.
    steps = [
        (
            piece,
            counts[piece],
            previous[index],
            *period_cells(piece),
            "yes" if piece.end <= engine.as_of else "no",
        )
        for index, piece in enumerate(pieces)
    ]
    percents = _Percents(places, rounding)
    change_of = percents.change
    rows: list[tuple[Cell, ...]] = []
    append = rows.append
    for unit_id in selected:
        unit = hierarchy.get(unit_id)
        uid, uname = unit.id, unit.name
        if not ledger.targets_of(unit_id):
            # No target: only the count and the change on last year vary.
            for _, got_by_unit, last_year, key, vi, en, complete in steps:
                got = got_by_unit[unit_id]
                before = None if last_year is None else last_year[unit_id]
                change = change_of(got, before) if got is not None and before is not None else None
                append((uid, uname, key, vi, en, complete, got, None, None, None, change))
            continue
        targets = _resolve_each(ledger, unit_id, term, pieces, target_source)
        for (_, got_by_unit, last_year, key, vi, en, complete), resolved in zip(
            steps, targets, strict=True
        ):
            got = got_by_unit[unit_id]
            target = resolved.count if resolved else None
            before = None if last_year is None else last_year[unit_id]
            append(
                (
                    uid,
                    uname,
                    key,
                    vi,
                    en,
                    complete,
                    got,
                    target,
                    resolved.source if resolved else None,
                    percents.achievement(got, target) if got is not None and target else None,
                    change_of(got, before) if got is not None and before is not None else None,
                )
            )
    return Table(
        "periods",
        "Kết quả theo từng kỳ",
        "Results by period",
        [
            UNIT_ID,
            UNIT_NAME,
            *PERIOD_COLUMNS,
            Column("complete", "code", "Đã hết kỳ", "Complete"),
            Column("achieved", "integer", "Đã kết nạp", "Admitted"),
            Column("target", "integer", "Chỉ tiêu", "Target"),
            Column("target_source", "code", "Nguồn chỉ tiêu", "Target source"),
            Column("percent", "percent", "Tỷ lệ đạt (%)", "Percent of target", places),
            Column("change", "percent", "So với cùng kỳ (%)", "Change on the same period", places),
        ],
        rows,
    )


def _same_period_last_year(
    engine: Achievements,
    counts: Mapping[Period, Mapping[str, int | None]],
    pieces: Sequence[Period],
    index: int,
    per_year: int,
    rollup: RollUp,
) -> Mapping[str, int | None] | None:
    """Every unit's count over the same stretch one year earlier ("so với cùng kỳ").

    For a piece still running at the as-of date, the comparison is with the
    same days of the previous year, not the whole previous piece.
    """
    if index < per_year:
        return None
    piece = pieces[index]
    if piece.end <= engine.as_of:
        return counts[pieces[index - per_year]]
    shifted = Period.between(
        piece.start - relativedelta(years=1), engine.as_of - relativedelta(years=1)
    )
    return engine._counted(shifted, rollup)


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
