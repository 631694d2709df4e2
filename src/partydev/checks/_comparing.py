"""Comparing a recomputed figure with a stated one, and the targets a claim may mean.

A count or target is compared under the claim's wording; a percent under every
rounding convention of :data:`~partydev.checks.CONVENTIONS`, naming those that
reproduce it.  A claim that names no target source may mean any of them, the
preferred source first.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import attrs

from ..errors import PartydevError, ValidationError
from ..model.claims import Claim, Comparison
from ..model.ledger import Ledger
from ..model.periods import Period
from ..model.targets import (
    SOURCE_PREFERENCE,
    ResolvedTarget,
    Source,
    compared_span,
    resolve_target,
)
from ..model.terms import Term
from ..numbers import percent_places
from ..numbers import round_fraction as _round
from .rounding import CONVENTIONS, implied_targets, reproducing_roundings

__all__ = [
    "PercentCheck",
    "candidate_targets",
    "check_percent",
    "compare",
    "resolve_claim_target",
    "target_flags",
    "targets_implied",
    "written_places",
]


def compare(exact: Fraction, stated: Fraction, comparison: Comparison, nearly: Fraction) -> bool:
    if comparison == "more_than":
        return exact > stated
    if comparison == "less_than":
        return exact < stated
    if comparison == "nearly":
        return stated * nearly <= exact < stated
    return exact == stated


@attrs.frozen
class PercentCheck:
    ok: bool
    roundings: tuple[str, ...]
    computed: Decimal


def written_places(places: int | None, value: Decimal) -> int:
    """The precision of a stated percent: *places*, else the decimals written."""
    return places if places is not None else percent_places(value)


def check_percent(
    ratio: Fraction,
    claim: Claim,
    value: Decimal,
    places: int | None,
    nearly: Fraction,
) -> PercentCheck:
    """Compare an exact ratio (not yet times 100) with a stated percent."""
    written = written_places(places, value)
    if claim.comparison == "exact":
        modes = reproducing_roundings(
            ratio.numerator, ratio.denominator, claim.stated, places, CONVENTIONS
        )
        mode = modes[0] if modes else decimal.ROUND_HALF_UP
        return PercentCheck(bool(modes), modes, _round(ratio * 100, written, mode))
    ok = compare(ratio * 100, Fraction(value), claim.comparison, nearly)
    return PercentCheck(ok, (), _round(ratio * 100, max(written, 1)))


def targets_implied(achieved: int, value: Decimal, places: int | None, mode: str) -> range | None:
    try:
        return implied_targets(achieved, value, places, mode)
    except ValidationError:
        return None


def _sources(claim: Claim) -> list[Source | None]:
    if claim.target_source is None:
        return list(SOURCE_PREFERENCE)
    return [claim.target_source, *(s for s in SOURCE_PREFERENCE if s != claim.target_source)]


def resolve_claim_target(
    ledger: Ledger, claim: Claim, term: Term, period: Period | None, source: Source | None
) -> ResolvedTarget | None:
    """*claim*'s unit's target for *period* from *source* (:func:`~partydev.resolve_target`)."""
    return resolve_target(
        ledger.targets_of(claim.unit),
        term,
        period,
        source=source,
        members_at=lambda day: ledger.members(claim.unit, day),
    )


def candidate_targets(ledger: Ledger, claim: Claim, term: Term) -> list[ResolvedTarget]:
    """The targets a claim may compare against: the named source first, then the others."""
    found: list[ResolvedTarget] = []
    # A target for the claim's own period first; else the span a report compares
    # that period with (a half-year with its year's target, "đạt …% chỉ tiêu năm").
    spans = [claim.period]
    if claim.period is not None:
        spans.append(compared_span(claim.period, term))
    for source in _sources(claim):
        resolved = None
        for span in dict.fromkeys(spans):
            try:
                resolved = resolve_claim_target(ledger, claim, term, span, source)
            except PartydevError:
                resolved = None
            if resolved is not None:
                break
        if resolved is not None and resolved.targets not in [r.targets for r in found]:
            found.append(resolved)
    return found


def target_flags(claim: Claim, resolved: ResolvedTarget, other: bool) -> tuple[str, ...]:
    flags = []
    if resolved.derived:
        flags.append("derived_target")
    if other and claim.target_source is not None and resolved.source != claim.target_source:
        flags.append("base_differs")
    return tuple(flags)
