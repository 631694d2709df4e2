"""The GRIM test across claims: shares of one intake that no intake of its size can give.

All exact share claims of a unit over one period, as of one date, and on one
base are shares of the same group: the number admitted, unless a claim states
another base or another base is the one that reproduces it
(:func:`~partydev._shares.resolve_share`).  When no rounding convention lets all
of them be whole shares of that number (:func:`~partydev.percent_possible`),
those that no convention allows (else, when only their conventions differ, all of
them) are inconsistent, whatever breakdown the ledger lacks: impossibility beats
missing data.  A claim the ledger's breakdown decides keeps that verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ..errors import PartydevError, ValidationError
from ..model.claims import ShareBase
from ..model.periods import Period
from ._claim_context import Context, Job, verdict
from ._reasons import Text, num, quoted
from ._shares import SHARE_BASES, Base, bases, resolve_share
from ._verdict import Verdict
from .rounding import CONVENTIONS, min_denominator, percent_possible

__all__ = ["impossible_shares"]


def _base(context: Context, job: Job) -> Base | None:
    """The base *job*'s share is tested on; ``None`` when the ledger lacks it or the intake."""
    try:
        if not context.admitted(job.claim.unit, job.period, job.when):
            return None
        return resolve_share(context, job, Decimal(job.claim.figure)).base
    except PartydevError:
        return None


def _possible(size: int, job: Job, places: int | None) -> bool:
    """Whether *job*'s share alone is a whole share of *size* under some convention."""
    return any(percent_possible(size, job.claim.stated, places, mode) for mode in CONVENTIONS)


def impossible_shares(context: Context, jobs: Iterable[Job]) -> dict[str, Verdict]:
    """Inconsistent verdicts, by claim id, for shares of one base that its size cannot give."""
    groups: dict[tuple[str, Period, date, ShareBase, int], tuple[Base, list[Job]]] = {}
    for job in jobs:
        if job.claim.kind == "share" and job.claim.comparison == "exact":
            base = _base(context, job)
            if base is None:
                continue
            key = (job.claim.unit, job.period, job.when, base.kind, base.value)
            groups.setdefault(key, (base, []))[1].append(job)
    out: dict[str, Verdict] = {}
    for base, members in groups.values():
        try:
            out.update(_group(context, base, members))
        except PartydevError:
            continue
    return out


def _elsewhere(context: Context, job: Job) -> Base | None:
    """For a share that states no base: another base it can be a share of, if any."""
    if job.claim.base is not None:
        return None
    for kind in SHARE_BASES[1:]:
        for base in bases(context, job, kind):
            if _possible(base.value, job, job.places):
                return base
    return None


def _group(context: Context, base: Base, members: list[Job]) -> dict[str, Verdict]:
    """The verdicts on the shares of one *base* that its size cannot give."""
    places = members[0].places
    size = base.value
    if any(
        all(percent_possible(size, job.claim.stated, places, mode) for job in members)
        for mode in CONVENTIONS
    ):
        return {}
    out: dict[str, Verdict] = {}
    fields: dict[str, object] = {
        "base": base.kind,
        "base_value": size,
        "base_source": base.target.source if base.target else None,
    }
    of = base.of(members[0])
    alone = [job for job in members if not _possible(size, job, places)]
    for job in alone:
        other = _elsewhere(context, job)
        if other is not None:
            there = other.short()
            out[job.claim.id] = verdict(
                job,
                "unverifiable",
                (
                    f"{job.claim.stated} không thể là tỷ lệ của {of[0]}, nhưng có thể là tỷ lệ "
                    f"trên {there[0]}; sổ số liệu không có số liệu chia theo nhóm để biết",
                    f"{quoted(job.claim.stated, 'en')} cannot be a share of {of[1]}, "
                    "but can be one of "
                    f"{there[1]}; the ledger has no breakdown to tell",
                ),
                stated_value=job.claim.figure,
                **fields,
            )
    guilty = [job for job in alone if job.claim.id not in out] if alone else members
    if not guilty:
        return out
    stated = [job.claim.stated for job in guilty]
    try:
        needed: int | None = min_denominator(stated, places)
    except ValidationError:
        needed = None
    reason = _impossible(stated, needed, size, of)
    for job in guilty:
        out[job.claim.id] = verdict(
            job,
            "inconsistent",
            reason,
            stated_value=job.claim.figure,
            min_group=needed,
            **fields,
        )
    return out


def _impossible(stated: list[str], needed: int | None, size: int, of: Text) -> Text:
    """Why the *stated* shares cannot all be shares of *of* (a group of *size*): the
    smallest group they need (*needed*) is larger, or no rounding gives them all."""
    joined_vi = " và ".join(stated)
    joined_en = " and ".join(quoted(text, "en") for text in stated)
    plural = len(stated) > 1
    if needed is not None and needed > size:
        return (
            f"{joined_vi} cần một nhóm ít nhất {num(needed, 'vi')} người, nhiều hơn {of[0]}",
            f"{joined_en} {'need' if plural else 'needs'} a group of at least "
            f"{num(needed, 'en')}, more than {of[1]}",
        )
    return (
        f"{joined_vi} không thể cùng là tỷ lệ của {of[0]}, theo bất kỳ cách làm tròn nào",
        f"{joined_en} cannot {'all ' if plural else ''}be shares of "
        f"{of[1]} under any rounding convention",
    )
