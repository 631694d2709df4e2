"""Roll-up consistency: whether a parent's reported total covers what its sub-units report.

A parent's inclusive total for a period must be at least its own records plus
its sub-units' figures; when the sub-units are known to be exhaustive, it must
equal them.  A sub-unit without a figure leaves only a lower bound: it can show
the total too small (inconsistent), never confirm it (unverifiable), since the
missing figure could be anything from 0 up.
"""

from __future__ import annotations

from datetime import date

import attrs

from ..calc.achieved import Achievements, Figure, Shortfall
from ..calc.notes import shortfall_note
from ..model.ledger import Ledger
from ..model.periods import Period
from ..report.progress import default_as_of
from ._claim_context import units_with_data
from ._reasons import num
from ._verdict import VerdictStatus

__all__ = ["RollupFinding", "check_rollup"]


@attrs.frozen
class RollupFinding:
    """Whether a parent's reported total covers what its sub-units report.

    Args:
        unit: The parent unit id.
        period: The period compared (cut at the as-of date).
        reported: The parent's reported (inclusive) total.
        children: Each sub-unit with a figure for the period, and that figure
            (``None`` where undetermined); for a tally compared with the finer
            tallies of the same unit that tile it (flag ``"nested_tallies"``),
            each finer tally's period key and count.
        summed: The parent's own records plus its sub-units' figures, or
            ``None`` when some figure is undetermined.
        gap: ``reported`` minus the sum of the determined figures.
        exhaustive: Whether the sub-units were taken to cover the whole.
        status: ``"consistent"``, ``"inconsistent"`` or ``"unverifiable"``.
        reason_vi: Why, in Vietnamese.
        reason_en: Why, in English.
        flags: ``("partial",)`` when some sub-unit's figure is undetermined;
            ``("nested_tallies",)`` for a tally against its finer tallies.
    """

    unit: str
    period: Period
    reported: int
    children: tuple[tuple[str, int | None], ...]
    summed: int | None
    gap: int
    exhaustive: bool
    status: VerdictStatus
    reason_vi: str
    reason_en: str
    flags: tuple[str, ...] = ()


def _declares(ledger: Ledger, engine: Achievements, unit: str, period: Period) -> bool:
    """Whether *unit* reports an inclusive total covering exactly *period*."""
    found = False
    for source in engine.sources(unit):
        tallies = [
            t for t in ledger.tallies_of(source) if t.inclusive and t.period.overlaps(period)
        ]
        if not tallies:
            continue
        if not all(period.contains(t.period) for t in tallies):
            return False
        if sum(t.period.days for t in tallies) != period.days:
            return False
        found = True
    return found


def check_rollup(
    ledger: Ledger,
    as_of: date | None = None,
    period: Period | None = None,
    *,
    exhaustive: bool = False,
) -> tuple[RollupFinding, ...]:
    """Compare each parent's reported total with what its sub-units report.

    For every unit with an inclusive total covering a period (each of its
    inclusive tally periods and the term to date, or only *period*) and at
    least one sub-unit with records in it, the sub-units' figures plus the
    parent's own records must not exceed the parent's total; with
    *exhaustive*, they must equal it.

    Args:
        ledger: The validated ledger.
        as_of: Nothing after this date counts; periods are cut at it.  By
            default the last date the ledger's data speaks for, as
            :func:`~partydev.check_claims` defaults it
            (:func:`~partydev.progress.default_as_of`).
        period: Check only this period.
        exhaustive: The sub-units are known to cover all of the parent's admissions.

    Returns:
        One finding per (unit, period), parents first, periods in order.
    """
    if as_of is None:
        as_of = default_as_of(ledger)
    engine = Achievements(ledger, as_of)
    hierarchy = engine.hierarchy
    position = {unit: i for i, unit in enumerate(hierarchy.order())}
    findings: list[tuple[int, Period, RollupFinding]] = []
    for piece in _periods(ledger, engine, as_of, period):
        for finding in _parent_findings(ledger, engine, piece, exhaustive):
            findings.append((position[finding.unit], piece, finding))
    for unit in hierarchy.order():
        for source in engine.sources(unit):
            for finding in _nested_tallies(ledger, source):
                findings.append((position[unit], finding.period, finding))
    findings.sort(key=lambda item: (item[0], item[1]))
    return tuple(f for _, _, f in findings)


def _periods(
    ledger: Ledger, engine: Achievements, as_of: date, period: Period | None
) -> list[Period]:
    """The periods to compare, cut at *as_of*: *period*, else every inclusive tally's
    period and every term's target period."""
    wanted: set[Period] = set()
    if period is not None:
        wanted.add(period)
    else:
        for unit in engine.hierarchy.order():
            for source in engine.sources(unit):
                wanted.update(t.period for t in ledger.tallies_of(source) if t.inclusive)
        wanted.update(term.target_period for term in ledger.terms)
    return sorted({p for p in (w.until(as_of) for w in wanted) if p is not None})


def _parent_findings(
    ledger: Ledger, engine: Achievements, piece: Period, exhaustive: bool
) -> list[RollupFinding]:
    """A finding for each parent that reports a total for *piece* and has sub-units
    with records in it, parents in hierarchy order."""
    hierarchy = engine.hierarchy
    parents = [
        u
        for u in hierarchy.order()
        if hierarchy.children(u) and _declares(ledger, engine, u, piece)
    ]
    if not parents:
        return []
    reported = engine.counted(piece, "reported")
    summed = engine.counted(piece, "sum")
    data = units_with_data(ledger, engine, piece)
    out = []
    for parent in parents:
        children = tuple(
            (child, reported.count(child)) for child in hierarchy.children(parent) if child in data
        )
        total = reported.count(parent)
        if children and total is not None:
            out.append(
                _finding(ledger, parent, piece, total, children, summed.figure(parent), exhaustive)
            )
    return out


def _nested_tallies(ledger: Ledger, unit: str) -> list[RollupFinding]:
    """A tally against the finer tallies of the same unit and kind that tile it
    exactly (a year and its halves): their sum must equal it.  (A sum above it
    is refused when the ledger is built; below it is a contradiction to report.)"""
    out: list[RollupFinding] = []
    for inclusive in (False, True):
        same = [t for t in ledger.tallies_of(unit) if t.inclusive is inclusive]
        for outer in same:
            inner = [
                t
                for t in same
                if t is not outer
                and outer.period.contains(t.period)
                and not any(
                    o is not t
                    and o is not outer
                    and o.period.contains(t.period)
                    and outer.period.contains(o.period)
                    and o.period != outer.period
                    for o in same
                )
            ]
            if not inner or sum(t.period.days for t in inner) != outer.period.days:
                continue
            total = sum(t.count for t in inner)
            gap = outer.count - total
            name = ledger.unit(unit).name
            parts = {
                loc: " + ".join(f"{t.period.label(loc)} {num(t.count, loc)}" for t in inner)
                for loc in ("vi", "en")
            }
            head_vi = f"{name} báo cáo {num(outer.count, 'vi')} ({outer.period.label('vi')})"
            head_en = f"{name} reports {num(outer.count, 'en')} ({outer.period.label('en')})"
            if gap == 0:
                vi = f"{head_vi}, bằng các kỳ nhỏ hơn: {parts['vi']}"
                en = f"{head_en}, equal to its parts: {parts['en']}"
            else:
                vi = f"{head_vi}, nhưng các kỳ nhỏ hơn cộng lại {num(total, 'vi')}: {parts['vi']}"
                en = f"{head_en}, but its parts add up to {num(total, 'en')}: {parts['en']}"
            out.append(
                RollupFinding(
                    unit=unit,
                    period=outer.period,
                    reported=outer.count,
                    children=tuple((t.period.key, t.count) for t in inner),
                    summed=total,
                    gap=gap,
                    exhaustive=True,
                    status="consistent" if gap == 0 else "inconsistent",
                    reason_vi=vi,
                    reason_en=en,
                    flags=("nested_tallies",),
                )
            )
    return out


def _finding(
    ledger: Ledger,
    parent: str,
    period: Period,
    total: int,
    children: tuple[tuple[str, int | None], ...],
    summed: Figure,
    exhaustive: bool,
) -> RollupFinding:
    lower = summed.known  # the sum itself when known, else what its known parts add up to
    gap = total - lower
    partial = summed.value is None
    name = ledger.unit(parent).name
    parts = {
        loc: " + ".join(
            f"{ledger.unit(child).name} {'?' if count is None else num(count, loc)}"
            for child, count in children
        )
        for loc in ("vi", "en")
    }
    what = (
        f"{name} báo cáo {num(total, 'vi')} ({period.label('vi')}); cấp dưới: {parts['vi']}"
        f" = {_sum_text(summed, parent, ledger, 'vi')}",
        f"{name} reports {num(total, 'en')} ({period.label('en')}); sub-units: {parts['en']}"
        f" = {_sum_text(summed, parent, ledger, 'en')}",
    )
    status, vi, en = _judged(what, gap, partial, exhaustive)
    return RollupFinding(
        unit=parent,
        period=period,
        reported=total,
        children=children,
        summed=summed.value,
        gap=gap,
        exhaustive=exhaustive,
        status=status,
        reason_vi=vi,
        reason_en=en,
        flags=("partial",) if partial else (),
    )


def _judged(
    what: tuple[str, str], gap: int, partial: bool, exhaustive: bool
) -> tuple[VerdictStatus, str, str]:
    """The verdict on a parent's total and its reasons (Vietnamese, English), *what*
    being the sum the reasons state: a gap below 0 refutes the total; a partial sum,
    a lower bound, cannot confirm it; with exhaustive sub-units only no gap agrees."""
    status: VerdictStatus
    if gap < 0:
        status = "inconsistent"
        vi = f"{what[0]}, nhiều hơn tổng số {num(-gap, 'vi')}"
        en = f"{what[1]}, {num(-gap, 'en')} more than the total"
    elif partial:  # a lower bound can show the total too small, never confirm it
        status = "unverifiable"
        vi = (
            f"{what[0]}: phần đã biết không vượt tổng số (chênh lệch tối đa"
            f" {num(gap, 'vi')}), nhưng chưa kiểm chứng được vì có đơn vị cấp dưới"
            " chưa có số liệu"
        )
        en = (
            f"{what[1]}: the known part is within the total (gap at most"
            f" {num(gap, 'en')}), but it cannot be confirmed while some sub-units'"
            " figures are missing"
        )
    elif exhaustive and gap != 0:
        status = "inconsistent"
        vi = f"{what[0]}, ít hơn tổng số {num(gap, 'vi')} dù cấp dưới được coi là đầy đủ"
        en = (
            f"{what[1]}, {num(gap, 'en')} short of the total although the sub-units are exhaustive"
        )
    else:
        status = "consistent"
        vi = f"{what[0]}, không vượt tổng số (chênh lệch {num(gap, 'vi')})"
        en = f"{what[1]}, within the total (gap {num(gap, 'en')})"
    return status, vi, en


def _sum_text(summed: Figure, parent: str, ledger: Ledger, locale: str) -> str:
    """The sub-units' sum as a reason states it: the number, or, when some sub-unit's
    figure is missing, the known part as a lower bound and what is missing (the
    report's own note for an unknown figure)."""
    if summed.value is not None:
        return num(summed.value, locale)
    shortfall = Shortfall(summed.known, summed.gaps, summed.more)
    return f"? ({shortfall_note(shortfall, parent, lambda unit: ledger.unit(unit).name, locale)})"
