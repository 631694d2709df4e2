"""Stated claims: figures a report or article printed, kept with their source.

A :class:`Claim` records what a source asserts ("đạt 60,5% chỉ tiêu"), exactly
as printed, with enough structure for :func:`partydev.check_claims` to
recompute it: which unit, which kind of figure, over which period, against
which target, for which category.  Claims travel with the ledger and the
report so that a reader sees stated and computed figures side by side.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from ..errors import ParseError, ValidationError
from ..numbers import nfc, parse_count, parse_stated_percent
from ._fields import (
    check_optional_date,
    check_optional_period,
    to_optional_date,
    to_optional_period,
)
from .periods import Period
from .targets import Source

__all__ = ["PERCENT_KINDS", "Claim", "ClaimKind", "Comparison", "ShareBase"]

ClaimKind: TypeAlias = Literal[
    "count",
    "percent_of_target",
    "exceedance",
    "share",
    "members",
    "average_exceedance",
    "target",
    "members_balance",
]
"""What a claim asserts: an admitted count; achieved as a percent of a target;
the excess over a target ("vượt 17%"); a category's share of an intake; a
membership total; an average yearly excess; a target itself; or a membership
total at the end of a period, checked against the balance of the period
(:func:`partydev.membership.membership_balance`)."""

Comparison: TypeAlias = Literal["exact", "more_than", "less_than", "nearly"]
"""How the figure is worded: exactly, "hơn" (more than), "dưới" (less than),
"gần đạt" (nearly)."""

ShareBase: TypeAlias = Literal["admitted", "target", "members"]
"""What a share is a share of: the number admitted (the usual base), the unit's
target, or its total membership."""

PERCENT_KINDS: frozenset[ClaimKind] = frozenset(
    {"percent_of_target", "exceedance", "share", "average_exceedance"}
)
"""The claim kinds whose stated figure is a percent; the others state a count."""

_KINDS = frozenset(ClaimKind.__args__)  # type: ignore[attr-defined]
_COMPARISONS = frozenset(Comparison.__args__)  # type: ignore[attr-defined]
_BASES = frozenset(ShareBase.__args__)  # type: ignore[attr-defined]


@attrs.frozen
class Claim:
    """A figure as a source printed it.

    Args:
        id: A stable identifier within the ledger.
        unit: The unit the figure is about.
        kind: What it asserts (:data:`ClaimKind`).
        stated: The figure exactly as printed (``"60,5%"``, ``"1.732"``).
        text: The sentence it comes from, quoted.
        source: The publication (``"Báo Quảng Nam, 7/7/2023"``).
        term: The term id, if the figure is about a term.
        period: The period the figure covers; ``None`` means term to date.
        as_of: The date the figure is "as of" (*tính đến ngày*).
        category: The category of a share claim.
        comparison: How the figure is worded (:data:`Comparison`).
        target_source: The target the figure compares against, if the source says.
        note: What a careful reader should know (why it cannot be reproduced …).
        base: For a share claim, what the source says it is a share of
            (:data:`ShareBase`); ``None`` lets the check find the base that
            reproduces it.

    The stated figure is read at construction, as a clerk may type it: a percent
    (for the kinds in :data:`PERCENT_KINDS`) by :func:`~partydev.parse_stated_percent`
    (``"60,5%"`` or ``"60.5%"``), a count by :func:`~partydev.parse_count`
    (``"1.732"``); it cannot be negative.  :attr:`figure` holds the number read.

    Raises:
        ValidationError: naming the field, for an unknown kind or comparison or a
            stated figure that is not a percent or a count.
    """

    id: str
    unit: str
    kind: ClaimKind
    stated: str = attrs.field(converter=nfc)
    text: str = attrs.field(default="", converter=nfc)
    source: str = attrs.field(default="", converter=nfc)
    term: str | None = None
    period: Period | None = attrs.field(
        default=None, converter=to_optional_period, validator=check_optional_period
    )
    as_of: date | None = attrs.field(
        default=None, converter=to_optional_date, validator=check_optional_date
    )
    category: str | None = None
    comparison: Comparison = "exact"
    target_source: Source | None = None
    note: str = attrs.field(default="", converter=nfc)
    base: ShareBase | None = None
    figure: int | Decimal = attrs.field(init=False, eq=False, repr=False)
    """The stated figure read as a number: a percent (``Decimal("60.5")``) or a count."""

    def __attrs_post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValidationError(
                "unknown claim kind", unit=self.unit, field="kind", value=self.kind
            )
        if self.comparison not in _COMPARISONS:
            raise ValidationError(
                "unknown comparison", unit=self.unit, field="comparison", value=self.comparison
            )
        if self.base is not None and self.base not in _BASES:
            raise ValidationError(
                "unknown share base; use admitted, target or members",
                unit=self.unit,
                field="base",
                value=self.base,
            )
        if self.base is not None and self.kind != "share":
            raise ValidationError(
                "only a share claim states a base", unit=self.unit, field="base", value=self.base
            )
        if not self.stated.strip():
            raise ValidationError(
                "a claim needs the stated figure",
                unit=self.unit,
                field="stated",
                value=self.stated,
            )
        try:
            figure = (
                parse_stated_percent(self.stated)
                if self.kind in PERCENT_KINDS
                else parse_count(self.stated)
            )
        except ParseError as error:
            raise ValidationError(
                error.message, unit=self.unit, field="stated", value=self.stated
            ) from None
        if figure < 0:
            raise ValidationError(
                "a stated figure cannot be negative",
                unit=self.unit,
                field="stated",
                value=self.stated,
            )
        object.__setattr__(self, "figure", figure)
