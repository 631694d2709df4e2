"""A verdict on one stated figure, and the vocabulary verdicts and findings share.

Kept apart from the checks that produce verdicts so that the checks, the
roll-up findings and the report can all use it without importing each other.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from ..labels import label
from ..model.claims import PERCENT_KINDS, ClaimKind, Comparison, ShareBase
from ..model.periods import Period
from ..model.targets import Source
from ..numbers import format_number

__all__ = ["FLAGS", "NEARLY_FLOOR", "PERCENT_KINDS", "Figure", "Verdict", "VerdictStatus"]

VerdictStatus: TypeAlias = Literal["consistent", "inconsistent", "unverifiable"]
"""What the data says about a stated figure."""

NEARLY_FLOOR = Fraction(9, 10)
"""``nearly`` (*gần đạt*) holds from this share of the stated figure up to (not including) it."""

FLAGS: tuple[str, ...] = (
    "uninformative",
    "derived_target",
    "base_differs",
    "partial",
    "balance_gap",
)
"""Flags a verdict or finding may carry: the GRIM check could flag nothing at this group
size; the target compared against is derived, not stated; the figure is reproduced
only against another base than the one the claim names (a share that states no base
reproduced on the target or the membership rather than the number admitted); some
sub-units' figures are undetermined; the membership balance does not close (the
end snapshot differs from the start plus the period's movements)."""


Figure: TypeAlias = int | Decimal
"""A stated or computed figure: a count, or a percent."""


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
            ``"pooled_annual_targets"``, or ``None``.  For a share, the base
            the claim states, else the first that reproduces it (the number
            admitted, a target, the membership), else the number admitted.
        base_value: The number of that base (the target 7500, the 335 admitted).
        base_source: The source of a target base.
        stated_base: The base a share claim states (:data:`~partydev.claims.ShareBase`),
            ``None`` when it states none and the check finds it.
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
    stated_base: ShareBase | None = None
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
