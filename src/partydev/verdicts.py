"""Checking a ledger's published figures: one verdict per claim, and roll-up findings.

:func:`check_claims` recomputes every :class:`~partydev.Claim` of a ledger from
the ledger's own records and says whether the stated figure is
``"consistent"``, ``"inconsistent"`` (with the computed figure beside it) or
``"unverifiable"`` (naming what is missing).  Like statcheck for statistics,
it never assumes one rounding convention: it tries half up, truncation, half
even and rounding up (in that order, see :func:`~partydev.reproducing_roundings`)
and names those that reproduce the figure, and the base it used (which
target, or the number admitted).  When a figure is reproduced only against
another base (a share computed against the target instead of the intake, a
percent of an internal target where the source says the assigned one) the
verdict is consistent with the flag ``base_differs`` and says so.

Impossibility beats missing data: shares of one intake that no group of the
size admitted can give (the GRIM test, :func:`~partydev.min_denominator`)
are inconsistent even when the ledger has no breakdown to recompute them.

Wording (:data:`~partydev.claims.Comparison`): ``more_than`` and ``less_than``
compare the exact value with the stated one; ``nearly`` (*gần đạt*) holds when
the exact value is below the stated one but at least :data:`NEARLY_FLOOR`
(90 %) of it.

:func:`check_rollup` compares what a parent reports for a period with what its
sub-units add up to.  :func:`verdicts_report` turns both into a
:class:`~partydev.Report` for the exporter plugins.

>>> from partydev import sample_ledger
>>> verdicts = {v.claim: v for v in check_claims(sample_ledger())}
>>> verdicts["qn-term-percent"].status, verdicts["qn-term-percent"].computed
('consistent', Decimal('60.5'))
>>> verdicts["ng-percent"].implied
range(350, 351)
>>> print(verdicts["tk-vocational"].reason_en)
59,75% and 7,48% need a group of at least 815, more than the 335 admitted in the term
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from ._version import __version__
from .achieved import ROLLUPS, Achievements, RollUp
from .checks import (
    implied_targets,
    informative,
    min_denominator,
    percent_possible,
    reproducing_roundings,
)
from .claims import Claim, ClaimKind, Comparison
from .errors import PartydevError, ValidationError
from .labels import label
from .ledger import Ledger
from .numbers import format_date, format_number, parse_number, parse_percent, percent_places
from .numbers import round_fraction as _round
from .periods import Period
from .report import Cell, Column, Report, Table
from .targets import SOURCE_PREFERENCE, ResolvedTarget, Source, resolve_target
from .terms import Term

__all__ = [
    "CONVENTIONS",
    "FLAGS",
    "NEARLY_FLOOR",
    "RollupFinding",
    "Verdict",
    "VerdictStatus",
    "check_claims",
    "check_rollup",
    "verdicts_report",
]

VerdictStatus: TypeAlias = Literal["consistent", "inconsistent", "unverifiable"]
"""What the data says about a stated figure."""

CONVENTIONS: tuple[str, ...] = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_UP,
)
"""The rounding conventions tried, most common first."""

NEARLY_FLOOR = Fraction(9, 10)
"""``nearly`` (*gần đạt*) holds from this share of the stated figure up to (not including) it."""

FLAGS: tuple[str, ...] = ("uninformative", "derived_target", "base_differs", "partial")
"""Flags a verdict or finding may carry: the GRIM check could flag nothing at this group
size; the target compared against is derived, not stated; the figure is reproduced
only against another base than the one the claim names; some sub-units' figures are
undetermined."""

_Text = tuple[str, str]
"""A (Vietnamese, English) pair."""

Figure: TypeAlias = int | Decimal


@attrs.frozen
class Verdict:
    """What the ledger says about one stated claim.

    Args:
        claim: The claim id.
        unit: The unit id.
        kind: The claim's kind.
        comparison: The claim's wording (exact, more_than, less_than, nearly).
        status: ``"consistent"``, ``"inconsistent"`` or ``"unverifiable"``.
        stated: The figure as printed (``"60,5%"``).
        stated_value: The figure read as a number, or ``None`` if unreadable.
        computed: The figure recomputed from the ledger (a percent is rounded at
            the stated precision with the first convention that reproduces it,
            else half up), or ``None``.
        roundings: The conventions that reproduce the figure, in order tried.
        base: What the figure was computed against: ``"target"``,
            ``"admitted"``, ``"members"``, ``"annual_targets"``,
            ``"pooled_annual_targets"``, or ``None``.
        base_value: The number of that base (the target 7500, the 335 admitted).
        base_source: The source of a target base.
        implied: Whole targets (or group sizes) the stated figure implies, if computed.
        min_group: The smallest group the unit's stated shares fit, for share claims.
        reason_vi: Why, in Vietnamese.
        reason_en: Why, in English.
        flags: Codes from :data:`FLAGS`.
        as_of: The date the claim was checked as of.
        period: The period the figure was computed over.
    """

    claim: str
    unit: str
    kind: ClaimKind
    status: VerdictStatus
    stated: str
    reason_vi: str
    reason_en: str
    comparison: Comparison = "exact"
    stated_value: Figure | None = None
    computed: Figure | None = None
    roundings: tuple[str, ...] = ()
    base: str | None = None
    base_value: int | None = None
    base_source: Source | None = None
    implied: range | None = None
    min_group: int | None = None
    flags: tuple[str, ...] = ()
    as_of: date | None = None
    period: Period | None = None

    def reason(self, locale: str = "vi") -> str:
        """The reason in *locale*."""
        return self.reason_vi if locale == "vi" else self.reason_en

    def describe_base(self, locale: str = "vi") -> str:
        """The base in words: ``"target 7,500 (Congress resolution)"``, ``"admitted 335"``."""
        if self.base is None:
            return ""
        text = label(self.base, locale)
        if self.base_value is not None:
            text += " " + format_number(self.base_value, locale)
        if self.base_source is not None:
            text += f" ({label(self.base_source, locale)})"
        return text


@attrs.frozen
class RollupFinding:
    """Whether a parent's reported total covers what its sub-units report.

    Args:
        unit: The parent unit id.
        period: The period compared (cut at the as-of date).
        reported: The parent's reported (inclusive) total.
        children: Each sub-unit with a figure for the period, and that figure
            (``None`` where undetermined).
        summed: The parent's own records plus its sub-units' figures, or
            ``None`` when some figure is undetermined.
        gap: ``reported`` minus the sum of the determined figures.
        exhaustive: Whether the sub-units were taken to cover the whole.
        status: ``"consistent"``, ``"inconsistent"`` or ``"unverifiable"``.
        reason_vi: Why, in Vietnamese.
        reason_en: Why, in English.
        flags: ``("partial",)`` when some sub-unit's figure is undetermined.
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


# -- shared lookups ------------------------------------------------------------------------


@attrs.define
class _Context:
    """Engines and counts per (as-of, period), each computed once for all claims."""

    ledger: Ledger
    rollup: RollUp
    engines: dict[date, Achievements] = attrs.field(factory=dict)
    counts: dict[tuple[date, Period], dict[str, int | None]] = attrs.field(factory=dict)
    shares: dict[tuple[date, Period, str], dict[str, tuple[int | None, ...]]] = attrs.field(
        factory=dict
    )
    with_data: dict[tuple[date, Period], set[str]] = attrs.field(factory=dict)

    def engine(self, when: date) -> Achievements:
        if when not in self.engines:
            self.engines[when] = Achievements(self.ledger, when)
        return self.engines[when]

    def count(self, unit: str, period: Period, when: date) -> int | None:
        key = (when, period)
        if key not in self.counts:
            self.counts[key] = self.engine(when).counts(period, self.rollup)
        return self.counts[key].get(unit)

    def category_count(self, unit: str, period: Period, when: date, category: str) -> int | None:
        key = (when, period, category)
        if key not in self.shares:
            chosen = [self.ledger.category(category)]
            self.shares[key] = self.engine(when).vectors(period, self.rollup, chosen)
        vector = self.shares[key].get(unit)
        return None if vector is None else vector[1]

    def has_data(self, unit: str, period: Period, when: date) -> bool:
        """Whether the unit or a sub-unit has any record in *period* up to *when*."""
        key = (when, period)
        if key not in self.with_data:
            self.with_data[key] = _units_with_data(self.ledger, self.engine(when), period)
        return unit in self.with_data[key]


def _units_with_data(ledger: Ledger, engine: Achievements, period: Period) -> set[str]:
    clipped = period.until(engine.as_of)
    found: set[str] = set()
    if clipped is None:
        return found
    hierarchy = engine.hierarchy
    for unit in reversed(hierarchy.order()):
        if any(child in found for child in hierarchy.children(unit)) or any(
            ledger.admission_count(source, clipped) > 0
            or any(t.period.overlaps(clipped) for t in ledger.tallies_of(source))
            for source in engine.sources(unit)
        ):
            found.add(unit)
    return found


def _n(value: int, locale: str) -> str:
    return format_number(value, locale)


def _pct(value: Decimal, locale: str) -> str:
    return format_number(value, locale) + "%"


def _span(values: range, locale: str) -> str:
    if len(values) == 1:
        return _n(values[0], locale)
    return f"{_n(values[0], locale)}–{_n(values[-1], locale)}"


def _scope(period: Period | None, term: Term) -> _Text:
    if period is None or period == term.target_period:
        return "trong nhiệm kỳ", "in the term"
    return period.label("vi"), f"in {period.label('en')}"


def _conventions(modes: Sequence[str]) -> _Text:
    return (
        ", ".join(label(m, "vi").lower() for m in modes),
        ", ".join(label(m, "en").lower() for m in modes),
    )


def _compare(exact: Fraction, stated: Fraction, comparison: Comparison, nearly: Fraction) -> bool:
    if comparison == "more_than":
        return exact > stated
    if comparison == "less_than":
        return exact < stated
    if comparison == "nearly":
        return stated * nearly <= exact < stated
    return exact == stated


def _wording(comparison: Comparison) -> _Text:
    return {
        "exact": ("", ""),
        "more_than": ("hơn ", "more than "),
        "less_than": ("dưới ", "less than "),
        "nearly": ("gần đạt ", "nearly "),
    }[comparison]


# -- percents ------------------------------------------------------------------------------


@attrs.frozen
class _PercentCheck:
    ok: bool
    roundings: tuple[str, ...]
    computed: Decimal


def _percent(
    ratio: Fraction,
    claim: Claim,
    value: Decimal,
    places: int | None,
    nearly: Fraction,
) -> _PercentCheck:
    """Compare an exact ratio (not yet times 100) with a stated percent."""
    written = places if places is not None else percent_places(value)
    if claim.comparison == "exact":
        modes = reproducing_roundings(
            ratio.numerator, ratio.denominator, claim.stated, places, CONVENTIONS
        )
        mode = modes[0] if modes else decimal.ROUND_HALF_UP
        return _PercentCheck(bool(modes), modes, _round(ratio * 100, written, mode))
    ok = _compare(ratio * 100, Fraction(value), claim.comparison, nearly)
    return _PercentCheck(ok, (), _round(ratio * 100, max(written, 1)))


def _implied(achieved: int, value: Decimal, places: int | None, mode: str) -> range | None:
    try:
        return implied_targets(achieved, value, places, mode)
    except ValidationError:
        return None


def _sources(claim: Claim) -> list[Source | None]:
    if claim.target_source is None:
        return list(SOURCE_PREFERENCE)
    return [claim.target_source, *(s for s in SOURCE_PREFERENCE if s != claim.target_source)]


def _candidates(ledger: Ledger, claim: Claim, term: Term) -> list[ResolvedTarget]:
    """The targets a claim may compare against: the named source first, then the others."""
    found: list[ResolvedTarget] = []
    for source in _sources(claim):
        try:
            resolved = resolve_target(
                ledger.targets_of(claim.unit),
                term,
                claim.period,
                source=source,
                members_at=lambda day: ledger.members(claim.unit, day),
            )
        except PartydevError:
            resolved = None
        if resolved is not None and resolved.targets not in [r.targets for r in found]:
            found.append(resolved)
    return found


# -- the checker ---------------------------------------------------------------------------


@attrs.frozen
class _Job:
    """One claim with everything resolved that every kind needs."""

    claim: Claim
    term: Term
    period: Period
    when: date
    name: str
    places: int | None
    nearly: Fraction


def check_claims(
    ledger: Ledger,
    as_of: date | None = None,
    *,
    places: int | None = None,
    rollup: RollUp = "reported",
    nearly: Fraction = NEARLY_FLOOR,
) -> tuple[Verdict, ...]:
    """Check every claim of *ledger* against its records; one :class:`Verdict` per claim.

    Args:
        ledger: The validated ledger with its claims.
        as_of: The date for claims without one of their own; a claim without
            either is checked as of the end of its period, else as of the
            latest date any claim states, else the end of its term.
        places: The precision of stated percents; by default each one's written decimals.
        rollup: How achieved counts include sub-units (:data:`~partydev.RollUp`).
        nearly: The lower bound of ``nearly``, as a share of the stated figure.

    Returns:
        The verdicts, in claim order.

    Raises:
        ValidationError: for an unknown roll-up or a bad *nearly*.
    """
    if rollup not in ROLLUPS:
        raise ValidationError(
            "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
        )
    if not 0 <= nearly <= 1:
        raise ValidationError("nearly must be between 0 and 1", field="nearly", value=nearly)
    context = _Context(ledger, rollup)
    latest = max((c.as_of for c in ledger.claims if c.as_of is not None), default=None)
    jobs: list[_Job] = []
    for claim in ledger.claims:
        term = ledger.term(claim.term)
        when = claim.as_of or as_of or (claim.period.end if claim.period else None)
        when = when or latest or term.end
        jobs.append(
            _Job(
                claim,
                term,
                claim.period or term.target_period,
                when,
                ledger.unit(claim.unit).name,
                places,
                nearly,
            )
        )
    grim = _grim_groups(context, jobs)
    return tuple(_check(context, job, grim) for job in jobs)


def _base_verdict(job: _Job, status: VerdictStatus, reason: _Text, **fields: object) -> Verdict:
    claim = job.claim
    return Verdict(
        claim=claim.id,
        unit=claim.unit,
        kind=claim.kind,
        comparison=claim.comparison,
        status=status,
        stated=claim.stated,
        reason_vi=reason[0],
        reason_en=reason[1],
        as_of=job.when,
        period=job.period,
        **fields,  # type: ignore[arg-type]
    )


def _check(context: _Context, job: _Job, grim: dict[str, Verdict]) -> Verdict:
    claim = job.claim
    if claim.id in grim:
        return grim[claim.id]
    try:
        value: Figure = (
            parse_percent(claim.stated)
            if claim.kind in ("percent_of_target", "exceedance", "share", "average_exceedance")
            else parse_number(claim.stated)
        )
    except PartydevError as error:
        return _base_verdict(
            job,
            "unverifiable",
            (f"không đọc được số liệu: {error}", f"the stated figure cannot be read: {error}"),
        )
    try:
        return _KINDS[claim.kind](context, job, value)
    except PartydevError as error:
        return _base_verdict(
            job,
            "unverifiable",
            (f"không kiểm tra được: {error}", f"cannot be checked: {error}"),
            stated_value=value,
        )


def _achieved(context: _Context, job: _Job) -> int | None:
    if not context.has_data(job.claim.unit, job.period, job.when):
        return None
    return context.count(job.claim.unit, job.period, job.when)


def _no_count(job: _Job, value: Figure) -> Verdict:
    vi_scope, en_scope = _scope(job.claim.period, job.term)
    return _base_verdict(
        job,
        "unverifiable",
        (
            f"sổ số liệu không cho biết số kết nạp của {job.name} {vi_scope}",
            f"the ledger cannot give the admissions of {job.name} {en_scope}",
        ),
        stated_value=value,
    )


def _whole(value: Figure, job: _Job) -> int:
    if isinstance(value, int):
        return value
    raise ValidationError("a count must be a whole number", unit=job.claim.unit, value=value)


def _check_count(context: _Context, job: _Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    got = _achieved(context, job)
    if got is None:
        return _no_count(job, value)
    ok = _compare(Fraction(got), Fraction(stated), job.claim.comparison, job.nearly)
    vi_scope, en_scope = _scope(job.claim.period, job.term)
    wvi, wen = _wording(job.claim.comparison)
    if ok:
        reason = (
            f"sổ số liệu ghi {_n(got, 'vi')} đảng viên kết nạp {vi_scope}, khớp với "
            f"{wvi}{job.claim.stated}",
            f"the ledger records {_n(got, 'en')} admitted {en_scope}, matching "
            f"{wen}{job.claim.stated}",
        )
    else:
        reason = (
            f"sổ số liệu ghi {_n(got, 'vi')} đảng viên kết nạp {vi_scope}, không phải "
            f"{wvi}{job.claim.stated}",
            f"the ledger records {_n(got, 'en')} admitted {en_scope}, not {wen}{job.claim.stated}",
        )
    return _base_verdict(
        job,
        "consistent" if ok else "inconsistent",
        reason,
        stated_value=stated,
        computed=got,
    )


def _check_members(context: _Context, job: _Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    snapshot = context.ledger.membership_snapshot(job.claim.unit, job.when)
    if snapshot is None:
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"sổ số liệu không có tổng số đảng viên của {job.name} đến ngày "
                f"{format_date(job.when, 'vi')}",
                f"the ledger has no membership total for {job.name} on or before "
                f"{format_date(job.when, 'en')}",
            ),
            stated_value=stated,
        )
    ok = _compare(Fraction(snapshot.members), Fraction(stated), job.claim.comparison, job.nearly)
    verb = ("khớp với", "matching") if ok else ("không phải", "not")
    wvi, wen = _wording(job.claim.comparison)
    return _base_verdict(
        job,
        "consistent" if ok else "inconsistent",
        (
            f"ngày {format_date(snapshot.date, 'vi')} {job.name} có "
            f"{_n(snapshot.members, 'vi')} đảng viên, {verb[0]} {wvi}{job.claim.stated}",
            f"on {format_date(snapshot.date, 'en')} {job.name} had "
            f"{_n(snapshot.members, 'en')} members, {verb[1]} {wen}{job.claim.stated}",
        ),
        stated_value=stated,
        computed=snapshot.members,
        base="members",
    )


def _check_target(context: _Context, job: _Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    claim = job.claim
    candidates = _candidates(context.ledger, claim, job.term)
    vi_scope, en_scope = _scope(claim.period, job.term)
    if not candidates:
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"sổ số liệu không có chỉ tiêu của {job.name} {vi_scope}",
                f"the ledger has no target for {job.name} {en_scope}",
            ),
            stated_value=stated,
        )

    def fits(resolved: ResolvedTarget) -> bool:
        if claim.comparison == "more_than":
            minimum = resolved.targets[0].kind == "minimum"
            return resolved.count > stated or (resolved.count == stated and minimum)
        top = resolved.high if resolved.high is not None else resolved.count
        return _compare(Fraction(top), Fraction(stated), claim.comparison, job.nearly)

    chosen = next((r for r in candidates if fits(r)), None)
    shown = chosen or candidates[0]
    flags = _target_flags(claim, shown, chosen is not None and chosen is not candidates[0])
    wvi, wen = _wording(claim.comparison)
    what = (
        f"chỉ tiêu {_n(shown.count, 'vi')} ({label(shown.source, 'vi')}) {vi_scope}",
        f"the target {_n(shown.count, 'en')} ({label(shown.source, 'en')}) {en_scope}",
    )
    reason = (
        (f"{what[0]} khớp với {wvi}{claim.stated}", f"{what[1]} matches {wen}{claim.stated}")
        if chosen
        else (
            f"{what[0]} không khớp với {wvi}{claim.stated}",
            f"{what[1]} does not match {wen}{claim.stated}",
        )
    )
    return _base_verdict(
        job,
        "consistent" if chosen else "inconsistent",
        reason,
        stated_value=stated,
        computed=shown.count,
        base="target",
        base_value=shown.count,
        base_source=shown.source,
        flags=flags,
    )


def _target_flags(claim: Claim, resolved: ResolvedTarget, other: bool) -> tuple[str, ...]:
    flags = []
    if resolved.derived:
        flags.append("derived_target")
    if other and claim.target_source is not None and resolved.source != claim.target_source:
        flags.append("base_differs")
    return tuple(flags)


def _check_of_target(context: _Context, job: _Job, value: Figure) -> Verdict:
    """``percent_of_target`` ("đạt X%") and ``exceedance`` ("vượt X%")."""
    assert isinstance(value, Decimal)
    claim = job.claim
    excess = claim.kind == "exceedance"
    got = _achieved(context, job)
    if got is None:
        return _no_count(job, value)
    offset = Decimal(100) if excess else Decimal(0)
    implied = (
        _implied(got, value + offset, job.places, decimal.ROUND_HALF_UP)
        if claim.comparison == "exact"
        else None
    )
    candidates = _candidates(context.ledger, claim, job.term)
    vi_scope, en_scope = _scope(claim.period, job.term)
    if not candidates:
        vi = f"sổ số liệu không có chỉ tiêu của {job.name} {vi_scope}"
        en = f"the ledger has no target for {job.name} {en_scope}"
        if implied:
            vi += (
                f"; {claim.stated} của {_n(got, 'vi')} cho thấy chỉ tiêu là {_span(implied, 'vi')}"
            )
            en += f"; {claim.stated} of {_n(got, 'en')} implies a target of {_span(implied, 'en')}"
        return _base_verdict(
            job, "unverifiable", (vi, en), stated_value=value, implied=implied, base="admitted"
        )
    checks: list[tuple[ResolvedTarget, _PercentCheck]] = []
    for resolved in candidates:
        if resolved.count <= 0:
            continue
        ratio = Fraction(got - resolved.count if excess else got, resolved.count)
        checks.append((resolved, _percent(ratio, claim, value, job.places, job.nearly)))
    if not checks:
        raise ValidationError("the target is 0", unit=claim.unit, field="target")
    index = next((i for i, (_, c) in enumerate(checks) if c.ok), None)
    resolved, result = checks[0 if index is None else index]
    if implied is not None and result.roundings and result.roundings[0] != decimal.ROUND_HALF_UP:
        implied = _implied(got, value + offset, job.places, result.roundings[0])
    flags = _target_flags(claim, resolved, bool(index))
    target_vi = f"chỉ tiêu {_n(resolved.count, 'vi')} ({label(resolved.source, 'vi')})"
    target_en = f"the target {_n(resolved.count, 'en')} ({label(resolved.source, 'en')})"
    what_vi = "vượt" if excess else "đạt"
    what_en = "exceeds" if excess else "reaches"
    gives = (
        f"{_n(got, 'vi')} so với {target_vi} {vi_scope} {what_vi} {_pct(result.computed, 'vi')}",
        f"{_n(got, 'en')} against {target_en} {en_scope} {what_en} {_pct(result.computed, 'en')}",
    )
    wvi, wen = _wording(claim.comparison)
    if result.ok:
        vi, en = gives
        if result.roundings:
            conv = _conventions(result.roundings)
            vi += f" ({conv[0]})"
            en += f" ({conv[1]})"
        vi += f", khớp với {wvi}{claim.stated}"
        en += f", consistent with {wen}{claim.stated}"
    else:
        vi = f"{gives[0]}, không phải {wvi}{claim.stated} theo bất kỳ cách làm tròn nào"
        en = f"{gives[1]}, not {wen}{claim.stated} under any rounding convention"
        if claim.comparison != "exact":
            vi, en = (
                f"{gives[0]}, không phải {wvi}{claim.stated}",
                f"{gives[1]}, not {wen}{claim.stated}",
            )
    if "base_differs" in flags:
        named = label(claim.target_source or "", "vi"), label(claim.target_source or "", "en")
        vi += f"; chỉ khớp khi so với chỉ tiêu này, không phải chỉ tiêu {named[0].lower()}"
        en += f"; reproduced only against this target, not the {named[1].lower()} one"
    if resolved.derived:
        vi += "; chỉ tiêu này được suy ra từ số liệu, không được nêu trong nguồn"
        en += "; this target is derived from the figures, not stated in the source"
    if implied is not None:
        if implied:
            vi += f"; {claim.stated} cho thấy chỉ tiêu là {_span(implied, 'vi')}"
            en += f"; {claim.stated} implies a target of {_span(implied, 'en')}"
        else:
            vi += f"; không có chỉ tiêu nguyên nào cho {claim.stated}"
            en += f"; no whole target gives {claim.stated}"
    if len(implied or ()) == 1:
        vi = vi.replace("chỉ tiêu là", "chỉ tiêu đúng bằng")
        en = en.replace("implies a target of", "implies a target of exactly")
    return _base_verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        (vi, en),
        stated_value=value,
        computed=result.computed,
        roundings=result.roundings,
        base="target",
        base_value=resolved.count,
        base_source=resolved.source,
        implied=implied,
        flags=flags,
    )


def _check_average(context: _Context, job: _Job, value: Figure) -> Verdict:
    """``average_exceedance``: "bình quân mỗi năm vượt X%" over the complete years."""
    assert isinstance(value, Decimal)
    claim = job.claim
    years = [y for y in job.term.target_years if date(y, 12, 31) <= job.when]
    source = claim.target_source
    src = (f" ({label(source, 'vi').lower()})", f" ({source})") if source else ("", "")
    if not years:
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"chưa hết năm nào của nhiệm kỳ tính đến ngày {format_date(job.when, 'vi')}",
                f"no year of the term is complete on {format_date(job.when, 'en')}",
            ),
            stated_value=value,
        )
    targets: dict[int, int] = {}
    for year in years:
        resolved = resolve_target(
            context.ledger.targets_of(claim.unit),
            job.term,
            Period.year(year),
            source=source,
            members_at=lambda day: context.ledger.members(claim.unit, day),
        )
        if resolved is not None and resolved.count > 0:
            targets[year] = resolved.count
    missing = [y for y in years if y not in targets]
    if missing:
        listed = ", ".join(str(y) for y in missing)
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"sổ số liệu không có chỉ tiêu từng năm{src[0]} của {job.name}: {listed}",
                f"annual targets for {job.name}{src[1]} are not in the ledger: {listed}",
            ),
            stated_value=value,
        )
    achieved: dict[int, int | None] = {
        y: context.count(claim.unit, Period.year(y), job.when) for y in years
    }
    unknown = [y for y, a in achieved.items() if a is None]
    if unknown:
        listed = ", ".join(str(y) for y in unknown)
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"sổ số liệu không cho biết số kết nạp từng năm của {job.name}: {listed}",
                f"the ledger cannot give {job.name}'s admissions in {listed}",
            ),
            stated_value=value,
        )
    mean = sum(
        (Fraction((achieved[y] or 0) - targets[y], targets[y]) for y in years), Fraction(0)
    ) / len(years)
    total = sum(targets.values())
    pooled = Fraction(sum(a or 0 for a in achieved.values()) - total, total)
    first = _percent(mean, claim, value, job.places, job.nearly)
    second = _percent(pooled, claim, value, job.places, job.nearly)
    base, result = ("annual_targets", first) if first.ok or not second.ok else ("pooled", second)
    verb = ("khớp với", "consistent with") if result.ok else ("không phải", "not")
    return _base_verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        (
            f"bình quân mỗi năm ({', '.join(map(str, years))}) vượt "
            f"{_pct(result.computed, 'vi')}, {verb[0]} {claim.stated}",
            f"on average over {', '.join(map(str, years))} the targets were exceeded by "
            f"{_pct(result.computed, 'en')}, {verb[1]} {claim.stated}",
        ),
        stated_value=value,
        computed=result.computed,
        roundings=result.roundings,
        base="annual_targets" if base == "annual_targets" else "pooled_annual_targets",
        base_value=total,
        base_source=source,
    )


def _check_share(context: _Context, job: _Job, value: Figure) -> Verdict:
    """``share``: a category's share of the intake, after the GRIM check passed."""
    assert isinstance(value, Decimal)
    claim = job.claim
    flags: tuple[str, ...] = ()
    if claim.category is None:
        raise ValidationError("a share claim needs a category", unit=claim.unit, field="category")
    category = context.ledger.category(claim.category)
    got = _achieved(context, job)
    if got is None:
        return _no_count(job, value)
    if got == 0:
        return _base_verdict(
            job,
            "unverifiable",
            (f"{job.name} chưa kết nạp ai", f"{job.name} admitted no one"),
            stated_value=value,
            base="admitted",
            base_value=0,
        )
    written = job.places if job.places is not None else percent_places(value)
    if not informative(got, written):
        flags = ("uninformative",)
    number = context.category_count(claim.unit, job.period, job.when, category.id)
    vi_scope, en_scope = _scope(claim.period, job.term)
    if number is None:
        return _base_verdict(
            job,
            "unverifiable",
            (
                f"sổ số liệu không có số liệu {job.name} kết nạp {vi_scope} chia theo nhóm "
                f"“{category.label_vi}”",
                f"the ledger has no breakdown of {job.name}'s intake {en_scope} by "
                f"“{category.label_en}”",
            ),
            stated_value=value,
            base="admitted",
            base_value=got,
            flags=flags,
        )
    result = _percent(Fraction(number, got), claim, value, job.places, job.nearly)
    base, base_value, source = "admitted", got, None
    if not result.ok and claim.comparison == "exact":
        for resolved in _candidates(context.ledger, attrs.evolve(claim, period=None), job.term):
            if resolved.count <= 0:
                continue
            other = _percent(
                Fraction(number, resolved.count), claim, value, job.places, job.nearly
            )
            if other.ok:
                result, base, base_value, source = other, "target", resolved.count, resolved.source
                flags = (*flags, "base_differs")
                break
    gives = (
        f"{_n(number, 'vi')} trên {_n(base_value, 'vi')} "
        f"{'chỉ tiêu' if base == 'target' else 'người được kết nạp'} {vi_scope} là "
        f"{_pct(result.computed, 'vi')}",
        f"{_n(number, 'en')} of {_n(base_value, 'en')} "
        f"{'(the target)' if base == 'target' else 'admitted'} {en_scope} is "
        f"{_pct(result.computed, 'en')}",
    )
    verb = ("khớp với", "consistent with") if result.ok else ("không phải", "not")
    return _base_verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        (f"{gives[0]}, {verb[0]} {claim.stated}", f"{gives[1]}, {verb[1]} {claim.stated}"),
        stated_value=value,
        computed=result.computed,
        roundings=result.roundings,
        base=base,
        base_value=base_value,
        base_source=source,
        flags=flags,
    )


_KINDS = {
    "count": _check_count,
    "members": _check_members,
    "target": _check_target,
    "percent_of_target": _check_of_target,
    "exceedance": _check_of_target,
    "average_exceedance": _check_average,
    "share": _check_share,
}


def _grim_groups(context: _Context, jobs: Iterable[_Job]) -> dict[str, Verdict]:
    """Inconsistent verdicts for shares of one intake that its size cannot give.

    All exact share claims of a unit over one period, as of one date, are
    shares of the same group: the number admitted.  When no rounding
    convention lets all of them be whole shares of that number, each is
    inconsistent, whatever breakdown the ledger has or lacks.
    """
    groups: dict[tuple[str, Period, date], list[_Job]] = {}
    for job in jobs:
        if job.claim.kind == "share" and job.claim.comparison == "exact":
            groups.setdefault((job.claim.unit, job.period, job.when), []).append(job)
    out: dict[str, Verdict] = {}
    for (unit, period, when), members in groups.items():
        stated = [job.claim.stated for job in members]
        places = members[0].places
        try:
            admitted = (
                context.count(unit, period, when) if context.has_data(unit, period, when) else None
            )
            if not admitted:
                continue
            if any(
                all(percent_possible(admitted, text, places, mode) for text in stated)
                for mode in CONVENTIONS
            ):
                continue
            try:
                needed: int | None = min_denominator(stated, places)
            except ValidationError:
                needed = None
        except PartydevError:
            continue
        job = members[0]
        vi_scope, en_scope = _scope(job.claim.period, job.term)
        joined_vi = " và ".join(stated)
        joined_en = " and ".join(stated)
        plural = len(stated) > 1
        if needed is not None and needed > admitted:
            reason = (
                f"{joined_vi} cần một nhóm ít nhất {_n(needed, 'vi')} người, nhiều hơn "
                f"{_n(admitted, 'vi')} người được kết nạp {vi_scope}",
                f"{joined_en} {'need' if plural else 'needs'} a group of at least "
                f"{_n(needed, 'en')}, more than the {_n(admitted, 'en')} admitted {en_scope}",
            )
        else:
            reason = (
                f"{joined_vi} không thể cùng là tỷ lệ của {_n(admitted, 'vi')} người được "
                f"kết nạp {vi_scope}, theo bất kỳ cách làm tròn nào",
                f"{joined_en} cannot {'all ' if plural else ''}be shares of the "
                f"{_n(admitted, 'en')} admitted {en_scope} under any rounding convention",
            )
        for member in members:
            out[member.claim.id] = _base_verdict(
                attrs.evolve(member, period=period),
                "inconsistent",
                reason,
                stated_value=parse_percent(member.claim.stated),
                base="admitted",
                base_value=admitted,
                min_group=needed,
            )
    return out


# -- roll-up -------------------------------------------------------------------------------


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
    as_of: date,
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
        as_of: Nothing after this date counts; periods are cut at it.
        period: Check only this period.
        exhaustive: The sub-units are known to cover all of the parent's admissions.

    Returns:
        One finding per (unit, period), parents first, periods in order.
    """
    engine = Achievements(ledger, as_of)
    hierarchy = engine.hierarchy
    wanted: set[Period] = set()
    if period is not None:
        wanted.add(period)
    else:
        for unit in hierarchy.order():
            for source in engine.sources(unit):
                wanted.update(t.period for t in ledger.tallies_of(source) if t.inclusive)
        wanted.update(term.target_period for term in ledger.terms)
    clipped = sorted({p for p in (w.until(as_of) for w in wanted) if p is not None})
    findings: list[tuple[int, Period, RollupFinding]] = []
    position = {unit: i for i, unit in enumerate(hierarchy.order())}
    for piece in clipped:
        parents = [
            u
            for u in hierarchy.order()
            if hierarchy.children(u) and _declares(ledger, engine, u, piece)
        ]
        if not parents:
            continue
        reported = engine.counts(piece, "reported")
        summed = engine.counts(piece, "sum")
        data = _units_with_data(ledger, engine, piece)
        for parent in parents:
            children = tuple(
                (child, reported[child]) for child in hierarchy.children(parent) if child in data
            )
            total = reported[parent]
            if not children or total is None:
                continue
            findings.append(
                (
                    position[parent],
                    piece,
                    _finding(ledger, parent, piece, total, children, summed[parent], exhaustive),
                )
            )
    findings.sort(key=lambda item: (item[0], item[1]))
    return tuple(f for _, _, f in findings)


def _finding(
    ledger: Ledger,
    parent: str,
    period: Period,
    total: int,
    children: tuple[tuple[str, int | None], ...],
    summed: int | None,
    exhaustive: bool,
) -> RollupFinding:
    known = sum(c or 0 for _, c in children)
    lower = summed if summed is not None else known
    gap = total - lower
    partial = summed is None
    name = ledger.unit(parent).name
    parts = {
        loc: " + ".join(
            f"{ledger.unit(child).name} {'?' if count is None else _n(count, loc)}"
            for child, count in children
        )
        for loc in ("vi", "en")
    }
    what = (
        f"{name} báo cáo {_n(total, 'vi')} ({period.label('vi')}); cấp dưới: {parts['vi']}"
        f" = {_n(lower, 'vi')}",
        f"{name} reports {_n(total, 'en')} ({period.label('en')}); sub-units: {parts['en']}"
        f" = {_n(lower, 'en')}",
    )
    status: VerdictStatus
    if gap < 0:
        status = "inconsistent"
        vi = f"{what[0]}, nhiều hơn tổng số {_n(-gap, 'vi')}"
        en = f"{what[1]}, {_n(-gap, 'en')} more than the total"
    elif exhaustive and partial:
        status = "unverifiable"
        vi = f"{what[0]}; có đơn vị cấp dưới không xác định được số liệu"
        en = f"{what[1]}; some sub-units' figures are undetermined"
    elif exhaustive and gap != 0:
        status = "inconsistent"
        vi = f"{what[0]}, ít hơn tổng số {_n(gap, 'vi')} dù cấp dưới được coi là đầy đủ"
        en = f"{what[1]}, {_n(gap, 'en')} short of the total although the sub-units are exhaustive"
    else:
        status = "consistent"
        vi = f"{what[0]}, không vượt tổng số (chênh lệch {_n(gap, 'vi')})"
        en = f"{what[1]}, within the total (gap {_n(gap, 'en')})"
    return RollupFinding(
        unit=parent,
        period=period,
        reported=total,
        children=children,
        summed=summed,
        gap=gap,
        exhaustive=exhaustive,
        status=status,
        reason_vi=vi,
        reason_en=en,
        flags=("partial",) if partial else (),
    )


# -- the report ----------------------------------------------------------------------------


def _decimal(value: Figure | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def verdicts_report(
    verdicts: Iterable[Verdict],
    findings: Iterable[RollupFinding] = (),
    *,
    ledger: Ledger | None = None,
    as_of: date | None = None,
    rollup: RollUp = "reported",
    places: int | None = None,
) -> Report:
    """The verdicts and roll-up findings as a :class:`~partydev.Report` for any exporter.

    Args:
        verdicts: From :func:`check_claims`.
        findings: From :func:`check_rollup`.
        ledger: Gives unit names, the title and the source, when passed.
        as_of: Recorded in the metadata.
        rollup: Recorded in the metadata.
        places: Recorded in the metadata.

    Returns:
        A report with the tables ``verdicts`` and ``rollup``.
    """

    def name(unit: str) -> str | None:
        if ledger is None or unit not in ledger.hierarchy:
            return None
        return ledger.unit(unit).name

    rows: list[tuple[Cell, ...]] = []
    for v in verdicts:
        rows.append(
            (
                v.claim,
                v.unit,
                name(v.unit),
                v.kind,
                v.comparison,
                v.period.key if v.period else None,
                v.as_of,
                v.stated,
                _decimal(v.stated_value),
                _decimal(v.computed),
                v.status,
                v.roundings[0] if v.roundings else None,
                v.base,
                v.base_value,
                v.base_source,
                v.implied[0] if v.implied else None,
                v.implied[-1] if v.implied else None,
                v.min_group,
                *(_yes(flag in v.flags) for flag in FLAGS[:3]),
                v.reason_vi,
                v.reason_en,
            )
        )
    verdict_table = Table(
        "verdicts",
        "Kiểm tra số liệu đã công bố",
        "Checks of published figures",
        [
            Column("claim_id", "text", "Mã", "Claim id"),
            Column("unit_id", "text", "Mã đơn vị", "Unit id"),
            Column("unit_name", "text", "Đơn vị", "Unit"),
            Column("kind", "code", "Loại số liệu", "Kind"),
            Column("comparison", "code", "Cách diễn đạt", "Wording"),
            Column("period", "text", "Kỳ", "Period"),
            Column("as_of", "date", "Tính đến ngày", "As of"),
            Column("stated", "text", "Số liệu công bố", "Stated"),
            Column("stated_value", "decimal", "Giá trị công bố", "Stated value"),
            Column("computed", "decimal", "Tính lại", "Computed"),
            Column("status", "code", "Kết luận", "Verdict"),
            Column("rounding", "code", "Cách làm tròn khớp", "Reproducing rounding"),
            Column("base", "code", "Cơ sở tính", "Base"),
            Column("base_value", "integer", "Giá trị cơ sở", "Base value"),
            Column("base_source", "code", "Nguồn chỉ tiêu", "Target source"),
            Column("implied_low", "integer", "Chỉ tiêu suy ra (từ)", "Implied target (from)"),
            Column("implied_high", "integer", "Chỉ tiêu suy ra (đến)", "Implied target (to)"),
            Column("min_group", "integer", "Quy mô nhóm tối thiểu", "Smallest possible group"),
            Column("uninformative", "code", "Kiểm tra không phân biệt", "Uninformative"),
            Column("derived_target", "code", "Chỉ tiêu suy ra", "Target derived"),
            Column("base_differs", "code", "Khớp với cơ sở khác", "Other base"),
            Column("reason_vi", "text", "Lý do", "Reason (Vietnamese)"),
            Column("reason_en", "text", "Lý do (tiếng Anh)", "Reason"),
        ],
        rows,
    )
    rollup_rows: list[tuple[Cell, ...]] = []
    for f in findings:
        rollup_rows.append(
            (
                f.unit,
                name(f.unit),
                f.period.key,
                f.period.label("vi"),
                f.period.label("en"),
                f.reported,
                f.summed,
                f.gap,
                " + ".join(f"{c}={'?' if n is None else n}" for c, n in f.children),
                _yes(f.exhaustive),
                f.status,
                f.reason_vi,
                f.reason_en,
            )
        )
    rollup_table = Table(
        "rollup",
        "Đối chiếu số liệu cấp trên và cấp dưới",
        "Roll-up consistency",
        [
            Column("unit_id", "text", "Mã đơn vị", "Unit id"),
            Column("unit_name", "text", "Đơn vị", "Unit"),
            Column("period", "text", "Mã kỳ", "Period key"),
            Column("period_vi", "text", "Kỳ", "Period (Vietnamese)"),
            Column("period_en", "text", "Kỳ (tiếng Anh)", "Period"),
            Column("reported", "integer", "Cấp trên báo cáo", "Reported"),
            Column("children_sum", "integer", "Tổng cấp dưới", "Sub-units' sum"),
            Column("gap", "integer", "Chênh lệch", "Gap"),
            Column("children", "text", "Đơn vị cấp dưới", "Sub-units"),
            Column("exhaustive", "code", "Cấp dưới đầy đủ", "Exhaustive"),
            Column("status", "code", "Kết luận", "Verdict"),
            Column("reason_vi", "text", "Lý do", "Reason (Vietnamese)"),
            Column("reason_en", "text", "Lý do (tiếng Anh)", "Reason"),
        ],
        rollup_rows,
    )
    metadata: list[tuple[str, Cell]] = [
        ("title", ledger.title or None if ledger else None),
        ("as_of", as_of),
        ("rollup", f"rollup_{rollup}"),
        ("places", places),
        ("source", ledger.source or None if ledger else None),
        ("generator", "partydev"),
        ("version", __version__),
    ]
    when_vi = f", tính đến ngày {format_date(as_of, 'vi')}" if as_of else ""
    when_en = f", as of {format_date(as_of, 'en')}" if as_of else ""
    return Report(
        title_vi=f"Kiểm tra số liệu phát triển đảng viên đã công bố{when_vi}",
        title_en=f"Checks of published party-member development figures{when_en}",
        tables=(verdict_table, rollup_table),
        metadata=[(k, v) for k, v in metadata if v is not None],
    )
