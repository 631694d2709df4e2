"""The GRIM test across claims: shares of one intake that no intake of its size can give.

All exact share claims of a unit over one period, as of one date, are shares
of the same group: the number admitted.  When no rounding convention lets all
of them be whole shares of that number (:func:`~partydev.percent_possible`),
each is inconsistent, whatever breakdown the ledger has or lacks: impossibility
beats missing data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ._claim_context import Context, Job, verdict
from ._reasons import num, scope
from ._verdict import Verdict
from .checks import CONVENTIONS, min_denominator, percent_possible
from .errors import PartydevError, ValidationError
from .periods import Period

__all__ = ["impossible_shares"]


def impossible_shares(context: Context, jobs: Iterable[Job]) -> dict[str, Verdict]:
    """Inconsistent verdicts, by claim id, for shares of one intake that its size cannot give."""
    groups: dict[tuple[str, Period, date], list[Job]] = {}
    for job in jobs:
        if job.claim.kind == "share" and job.claim.comparison == "exact":
            groups.setdefault((job.claim.unit, job.period, job.when), []).append(job)
    out: dict[str, Verdict] = {}
    for (unit, period, when), members in groups.items():
        stated = [job.claim.stated for job in members]
        places = members[0].places
        try:
            admitted = context.admitted(unit, period, when)
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
        vi_scope, en_scope = scope(job.claim.period, job.term)
        joined_vi = " và ".join(stated)
        joined_en = " and ".join(stated)
        plural = len(stated) > 1
        if needed is not None and needed > admitted:
            reason = (
                f"{joined_vi} cần một nhóm ít nhất {num(needed, 'vi')} người, nhiều hơn "
                f"{num(admitted, 'vi')} người được kết nạp {vi_scope}",
                f"{joined_en} {'need' if plural else 'needs'} a group of at least "
                f"{num(needed, 'en')}, more than the {num(admitted, 'en')} admitted {en_scope}",
            )
        else:
            reason = (
                f"{joined_vi} không thể cùng là tỷ lệ của {num(admitted, 'vi')} người được "
                f"kết nạp {vi_scope}, theo bất kỳ cách làm tròn nào",
                f"{joined_en} cannot {'all ' if plural else ''}be shares of the "
                f"{num(admitted, 'en')} admitted {en_scope} under any rounding convention",
            )
        for member in members:
            out[member.claim.id] = verdict(
                member,
                "inconsistent",
                reason,
                stated_value=member.claim.figure,
                base="admitted",
                base_value=admitted,
                min_group=needed,
            )
    return out
