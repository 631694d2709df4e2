"""What a share claim is a share of: the number admitted, the target, or the membership.

A share ("chiếm 20,14%") is normally a share of the intake, but some publishers
divide by the unit's target for the period, or by its whole membership.  A claim
that states its base (:data:`~partydev.claims.ShareBase`) is checked on that base
alone; one that does not is checked on the number admitted first, then, for an
exact figure, on the targets and on the membership, and the first base that
reproduces it is the one found.  The share check and the GRIM check across a
unit's shares both take their base from :func:`resolve_share`, so that they never
disagree about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs

from ..labels import label
from ..model.claims import ShareBase
from ..model.targets import ResolvedTarget
from ..numbers import format_date
from ._claim_context import Context, Job
from ._comparing import PercentCheck, candidate_targets, check_percent
from ._reasons import Text, num, scope

__all__ = ["SHARE_BASES", "Base", "Resolution", "bases", "resolve_share"]

SHARE_BASES: tuple[ShareBase, ...] = ("admitted", "target", "members")
"""The bases tried for a share that states none, in order."""

_SHORT: dict[ShareBase, Text] = {
    "admitted": ("số kết nạp", "the number admitted"),
    "target": ("chỉ tiêu", "the target"),
    "members": ("tổng số đảng viên", "the membership"),
}


@attrs.frozen
class Base:
    """One number a share may be a share of."""

    kind: ShareBase
    value: int
    target: ResolvedTarget | None = None
    on: date | None = None
    """The date of a membership snapshot."""

    def of(self, job: Job) -> Text:
        """The base as the object of "of": ``the 1,351 admitted in 2023``."""
        if self.kind == "members":
            day = self.on or job.when
            return (
                f"{num(self.value, 'vi')} đảng viên (ngày {format_date(day, 'vi')})",
                f"the {num(self.value, 'en')} members (on {format_date(day, 'en')})",
            )
        vi_scope, en_scope = scope(job.claim.period, job.term)
        if self.kind == "target" and self.target is not None:
            source = self.target.source
            return (
                f"chỉ tiêu {num(self.value, 'vi')} ({label(source, 'vi')}) {vi_scope}",
                f"the target {num(self.value, 'en')} ({label(source, 'en')}) {en_scope}",
            )
        return (
            f"{num(self.value, 'vi')} người được kết nạp {vi_scope}",
            f"the {num(self.value, 'en')} admitted {en_scope}",
        )

    def short(self) -> Text:
        """The base named with its number: ``the target (2,800)``."""
        vi, en = _SHORT[self.kind]
        return f"{vi} ({num(self.value, 'vi')})", f"{en} ({num(self.value, 'en')})"


def bases(context: Context, job: Job, kind: ShareBase) -> list[Base]:
    """The bases of *kind* the ledger has for *job*'s claim; several targets by source."""
    claim = job.claim
    if kind == "admitted":
        got = context.admitted(claim.unit, job.period, job.when)
        return [Base("admitted", got)] if got else []
    if kind == "target":
        return [
            Base("target", resolved.count, resolved)
            for resolved in candidate_targets(context.ledger, claim, job.term)
            if resolved.count > 0
        ]
    snapshot = context.ledger.membership_snapshot(claim.unit, job.when)
    if snapshot is None or snapshot.members <= 0:
        return []
    return [Base("members", snapshot.members, on=snapshot.date)]


@attrs.frozen
class Resolution:
    """The base a share claim is checked on, and how the check went.

    ``base`` is the first base that reproduces the share, else the one the claim
    states (or the number admitted); ``None`` when the ledger lacks that base.
    ``check`` is the check on ``base``; ``None`` without the category's count.
    ``missed`` are the bases tried that do not reproduce it, in order;
    ``elsewhere`` is a base other than the stated one that would.
    """

    number: int | None
    base: Base | None
    check: PercentCheck | None = None
    missed: tuple[Base, ...] = ()
    elsewhere: Base | None = None

    @property
    def found(self) -> bool:
        """Whether a base reproduces the share."""
        return self.check is not None and self.check.ok


def _first(
    context: Context, job: Job, kinds: Sequence[ShareBase], number: int, value: Decimal
) -> tuple[list[tuple[Base, PercentCheck]], Base | None]:
    """Every base of *kinds* checked in order until one reproduces the share."""
    tried: list[tuple[Base, PercentCheck]] = []
    for kind in kinds:
        for base in bases(context, job, kind):
            check = check_percent(
                Fraction(number, base.value), job.claim, value, job.places, job.nearly
            )
            tried.append((base, check))
            if check.ok:
                return tried, base
    return tried, None


def resolve_share(context: Context, job: Job, value: Decimal) -> Resolution:
    """Find the base *job*'s share claim is a share of (see the module's docstring).

    Raises:
        LedgerError: for an unknown category.
    """
    claim = job.claim
    number = None
    if claim.category is not None:
        category = context.ledger.category(claim.category)
        number = context.category_count(claim.unit, job.period, job.when, category.id)
    exact = claim.comparison == "exact"
    kinds: tuple[ShareBase, ...] = (
        (claim.base,) if claim.base else SHARE_BASES if exact else ("admitted",)
    )
    default = next(iter(bases(context, job, kinds[0])), None)
    if number is None or default is None:
        return Resolution(number, default)
    tried, found = _first(context, job, kinds, number, value)
    missed = tuple(base for base, check in tried if not check.ok)
    if found is not None:
        return Resolution(number, found, tried[-1][1], missed)
    elsewhere = None
    if claim.base is not None and exact:
        others = [kind for kind in SHARE_BASES if kind != claim.base]
        elsewhere = _first(context, job, others, number, value)[1]
    return Resolution(number, default, tried[0][1], missed, elsewhere)
