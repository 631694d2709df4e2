"""Checking one claim by its kind: a count, a target, a percent of it, an excess, a share.

Each rule recomputes the stated figure from the ledger and returns a
:class:`~partydev.Verdict`.  Percents are compared under every convention of
:data:`~partydev.checks.CONVENTIONS`; a figure that is reproduced only against
another target than the one the claim names is consistent with the flag
``base_differs``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..calc.membership import Lifecycle, describe_missing
from ..errors import ValidationError
from ..labels import label
from ..model.claims import Claim, ClaimKind
from ..model.periods import Period
from ..model.records import Category
from ..model.targets import ResolvedTarget
from ..numbers import format_date
from ._claim_context import Context, Job, verdict
from ._comparing import (
    PercentCheck,
    candidate_targets,
    check_percent,
    compare,
    resolve_claim_target,
    target_flags,
    targets_implied,
    written_places,
)
from ._reasons import Text, conventions, no_target, num, pct, quoted, scope, span, wording
from ._shares import Base, Resolution, resolve_share
from ._verdict import Figure, Verdict
from .rounding import informative

__all__ = ["RULES"]


def _no_count(job: Job, value: Figure) -> Verdict:
    vi_scope, en_scope = scope(job.claim.period, job.term)
    return verdict(
        job,
        "unverifiable",
        (
            f"sổ số liệu không cho biết số kết nạp của {job.name} {vi_scope}",
            f"the ledger cannot give the admissions of {job.name} {en_scope}",
        ),
        stated_value=value,
    )


def _verb(ok: bool, agrees_en: str) -> Text:
    """How the recomputed figure relates to the stated one: agrees or not."""
    return ("khớp với", agrees_en) if ok else ("không phải", "not")


def _whole(value: Figure, job: Job) -> int:
    if isinstance(value, int):
        return value
    raise ValidationError("a count must be a whole number", unit=job.claim.unit, value=value)


def _check_count(context: Context, job: Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    got = context.admitted(job.claim.unit, job.period, job.when)
    if got is None:
        return _no_count(job, value)
    ok = compare(Fraction(got), Fraction(stated), job.claim.comparison, job.nearly)
    vi_scope, en_scope = scope(job.claim.period, job.term)
    wvi, wen = wording(job.claim.comparison)
    verb = _verb(ok, "matching")
    return verdict(
        job,
        "consistent" if ok else "inconsistent",
        (
            f"sổ số liệu ghi {num(got, 'vi')} đảng viên kết nạp {vi_scope}, {verb[0]} "
            f"{wvi}{job.claim.stated}",
            f"the ledger records {num(got, 'en')} admitted {en_scope}, {verb[1]} "
            f"{wen}{quoted(job.claim.stated, 'en')}",
        ),
        stated_value=stated,
        computed=got,
    )


def _check_members(context: Context, job: Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    snapshot = context.ledger.membership_snapshot(job.claim.unit, job.when)
    if snapshot is None:
        return verdict(
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
    ok = compare(Fraction(snapshot.members), Fraction(stated), job.claim.comparison, job.nearly)
    verb = _verb(ok, "matching")
    wvi, wen = wording(job.claim.comparison)
    return verdict(
        job,
        "consistent" if ok else "inconsistent",
        (
            f"ngày {format_date(snapshot.date, 'vi')} {job.name} có "
            f"{num(snapshot.members, 'vi')} đảng viên, {verb[0]} {wvi}{job.claim.stated}",
            f"on {format_date(snapshot.date, 'en')} {job.name} had "
            f"{num(snapshot.members, 'en')} members, "
            f"{verb[1]} {wen}{quoted(job.claim.stated, 'en')}",
        ),
        stated_value=stated,
        computed=snapshot.members,
        base="members",
    )


def _check_target(context: Context, job: Job, value: Figure) -> Verdict:
    stated = _whole(value, job)
    claim = job.claim
    candidates = candidate_targets(context.ledger, claim, job.term)
    vi_scope, en_scope = scope(claim.period, job.term)
    if not candidates:
        return verdict(
            job, "unverifiable", no_target(job.name, (vi_scope, en_scope)), stated_value=stated
        )

    def fits(resolved: ResolvedTarget) -> bool:
        if claim.comparison == "more_than":
            minimum = resolved.targets[0].kind == "minimum"
            return resolved.count > stated or (resolved.count == stated and minimum)
        top = resolved.high if resolved.high is not None else resolved.count
        return compare(Fraction(top), Fraction(stated), claim.comparison, job.nearly)

    chosen = next((r for r in candidates if fits(r)), None)
    shown = chosen or candidates[0]
    flags = target_flags(claim, shown, chosen is not None and chosen is not candidates[0])
    wvi, wen = wording(claim.comparison)
    what = (
        f"chỉ tiêu {num(shown.count, 'vi')} ({label(shown.source, 'vi')}) {vi_scope}",
        f"the target {num(shown.count, 'en')} ({label(shown.source, 'en')}) {en_scope}",
    )
    reason = (
        (
            f"{what[0]} khớp với {wvi}{claim.stated}",
            f"{what[1]} matches {wen}{quoted(claim.stated, 'en')}",
        )
        if chosen
        else (
            f"{what[0]} không khớp với {wvi}{claim.stated}",
            f"{what[1]} does not match {wen}{quoted(claim.stated, 'en')}",
        )
    )
    return verdict(
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


def _percent_reason(gives: Text, claim: Claim, result: PercentCheck) -> Text:
    """*gives* (the recomputed percent in words), then whether it matches the stated one:
    under which rounding conventions, or under none."""
    wvi, wen = wording(claim.comparison)
    if result.ok:
        vi, en = gives
        if result.roundings:
            vi += f" ({conventions(result.roundings, 'vi')})"
            en += f" ({conventions(result.roundings, 'en')})"
        return (
            f"{vi}, khớp với {wvi}{claim.stated}",
            f"{en}, consistent with {wen}{quoted(claim.stated, 'en')}",
        )
    if claim.comparison != "exact":
        return (
            f"{gives[0]}, không phải {wvi}{claim.stated}",
            f"{gives[1]}, not {wen}{quoted(claim.stated, 'en')}",
        )
    return (
        f"{gives[0]}, không phải {wvi}{claim.stated} theo bất kỳ cách làm tròn nào",
        f"{gives[1]}, not {wen}{quoted(claim.stated, 'en')} under any rounding convention",
    )


def _target_notes(text: Text, claim: Claim, resolved: ResolvedTarget, other: bool) -> Text:
    """*text*, then what a reader should know of the target: another source than the
    claim names (*other*), or a target derived from the figures."""
    vi, en = text
    if other:
        named = label(claim.target_source or "", "vi"), label(claim.target_source or "", "en")
        vi += f"; chỉ khớp khi so với chỉ tiêu này, không phải chỉ tiêu {named[0].lower()}"
        en += f"; reproduced only against this target, not the {named[1].lower()} one"
    if resolved.derived:
        vi += "; chỉ tiêu này được suy ra từ số liệu, không được nêu trong nguồn"
        en += "; this target is derived from the figures, not stated in the source"
    return vi, en


def _check_of_target(context: Context, job: Job, value: Figure) -> Verdict:
    """``percent_of_target`` ("đạt X%") and ``exceedance`` ("vượt X%")."""
    assert isinstance(value, Decimal)
    claim = job.claim
    excess = claim.kind == "exceedance"
    got = context.admitted(job.claim.unit, job.period, job.when)
    if got is None:
        return _no_count(job, value)
    offset = Decimal(100) if excess else Decimal(0)
    implied = (
        targets_implied(got, value + offset, job.places, decimal.ROUND_HALF_UP)
        if claim.comparison == "exact"
        else None
    )
    candidates = candidate_targets(context.ledger, claim, job.term)
    vi_scope, en_scope = scope(claim.period, job.term)
    if not candidates:
        return _no_target_implied(job, value, got, implied)
    resolved, result, other = _first_reproducing(candidates, job, value, got, excess)
    if implied is not None and result.roundings and result.roundings[0] != decimal.ROUND_HALF_UP:
        implied = targets_implied(got, value + offset, job.places, result.roundings[0])
    flags = target_flags(claim, resolved, other)
    target_vi = f"chỉ tiêu {num(resolved.count, 'vi')} ({label(resolved.source, 'vi')})"
    target_en = f"the target {num(resolved.count, 'en')} ({label(resolved.source, 'en')})"
    what_vi = "vượt" if excess else "đạt"
    what_en = "exceeds" if excess else "reaches"
    gives = (
        f"{num(got, 'vi')} so với {target_vi} {vi_scope} {what_vi} {pct(result.computed, 'vi')}",
        f"{num(got, 'en')} against {target_en} {en_scope} {what_en} {pct(result.computed, 'en')}",
    )
    vi, en = _percent_reason(gives, claim, result)
    vi, en = _target_notes((vi, en), claim, resolved, "base_differs" in flags)
    return verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        _implied_note((vi, en), claim, implied),
        stated_value=value,
        computed=result.computed,
        roundings=result.roundings,
        base="target",
        base_value=resolved.count,
        base_source=resolved.source,
        implied=implied,
        flags=flags,
    )


def _no_target_implied(job: Job, value: Decimal, got: int, implied: range | None) -> Verdict:
    """A percent of a target the ledger lacks: unverifiable, with the targets it implies."""
    claim = job.claim
    vi, en = no_target(job.name, scope(claim.period, job.term))
    if implied:
        vi += f"; {claim.stated} của {num(got, 'vi')} cho thấy chỉ tiêu là {span(implied, 'vi')}"
        en += (
            f"; {quoted(claim.stated, 'en')} of {num(got, 'en')} "
            f"implies a target of {span(implied, 'en')}"
        )
    return verdict(
        job, "unverifiable", (vi, en), stated_value=value, implied=implied, base="admitted"
    )


def _first_reproducing(
    candidates: list[ResolvedTarget], job: Job, value: Decimal, got: int, excess: bool
) -> tuple[ResolvedTarget, PercentCheck, bool]:
    """The first candidate target whose percent reproduces *value*, else the first one,
    with its check and whether it is another than the first candidate."""
    checks: list[tuple[ResolvedTarget, PercentCheck]] = []
    for resolved in candidates:
        if resolved.count <= 0:
            continue
        ratio = Fraction(got - resolved.count if excess else got, resolved.count)
        checks.append((resolved, check_percent(ratio, job.claim, value, job.places, job.nearly)))
    if not checks:
        raise ValidationError("the target is 0", unit=job.claim.unit, field="target")
    index = next((i for i, (_, c) in enumerate(checks) if c.ok), None)
    resolved, result = checks[0 if index is None else index]
    return resolved, result, bool(index)


def _implied_note(text: Text, claim: Claim, implied: range | None) -> Text:
    """*text*, then the targets the stated percent implies (``None``: not asked)."""
    vi, en = text
    if implied is not None:
        if implied:
            vi += f"; {claim.stated} cho thấy chỉ tiêu là {span(implied, 'vi')}"
            en += f"; {quoted(claim.stated, 'en')} implies a target of {span(implied, 'en')}"
        else:
            vi += f"; không có chỉ tiêu nguyên nào cho {claim.stated}"
            en += f"; no whole target gives {quoted(claim.stated, 'en')}"
    if implied and implied[0] == implied[-1]:
        vi = vi.replace("chỉ tiêu là", "chỉ tiêu đúng bằng")
        en = en.replace("implies a target of", "implies a target of exactly")
    return vi, en


def _check_average(context: Context, job: Job, value: Figure) -> Verdict:
    """``average_exceedance``: "bình quân mỗi năm vượt X%" over the complete years."""
    assert isinstance(value, Decimal)
    claim = job.claim
    years = [y for y in job.term.target_years if date(y, 12, 31) <= job.when]
    if not years:
        return verdict(
            job,
            "unverifiable",
            (
                f"chưa hết năm nào của nhiệm kỳ tính đến ngày {format_date(job.when, 'vi')}",
                f"no year of the term is complete on {format_date(job.when, 'en')}",
            ),
            stated_value=value,
        )
    targets = _annual_targets(context, job, years)
    missing = [y for y in years if y not in targets]
    if missing:
        source = claim.target_source
        src = (f" ({label(source, 'vi').lower()})", f" ({source})") if source else ("", "")
        return _years_lacking(
            job,
            value,
            missing,
            (
                f"sổ số liệu không có chỉ tiêu từng năm{src[0]} của {job.name}: ",
                f"annual targets for {job.name}{src[1]} are not in the ledger: ",
            ),
        )
    achieved: dict[int, int | None] = {
        y: context.count(claim.unit, Period.year(y), job.when) for y in years
    }
    unknown = [y for y, a in achieved.items() if a is None]
    if unknown:
        return _years_lacking(
            job,
            value,
            unknown,
            (
                f"sổ số liệu không cho biết số kết nạp từng năm của {job.name}: ",
                f"the ledger cannot give {job.name}'s admissions in ",
            ),
        )
    base, result = _average_check(job, value, achieved, targets)
    return verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        _average_reason(claim, years, result),
        stated_value=value,
        computed=result.computed,
        roundings=result.roundings,
        base=base,
        base_value=sum(targets.values()),
        base_source=claim.target_source,
    )


def _average_reason(claim: Claim, years: list[int], result: PercentCheck) -> Text:
    """The average excess over *years* in words, and whether it matches the claim."""
    verb = _verb(result.ok, "consistent with")
    return (
        f"bình quân mỗi năm ({', '.join(map(str, years))}) vượt "
        f"{pct(result.computed, 'vi')}, {verb[0]} {claim.stated}",
        f"on average over {', '.join(map(str, years))} the targets were exceeded by "
        f"{pct(result.computed, 'en')}, {verb[1]} {quoted(claim.stated, 'en')}",
    )


def _years_lacking(job: Job, value: Decimal, years: list[int], lacking: Text) -> Verdict:
    """Unverifiable: the ledger lacks something (*lacking*, in words) for *years*."""
    listed = ", ".join(str(y) for y in years)
    return verdict(
        job,
        "unverifiable",
        (lacking[0] + listed, lacking[1] + listed),
        stated_value=value,
    )


def _annual_targets(context: Context, job: Job, years: list[int]) -> dict[int, int]:
    """The claim's positive target of each of *years* that has one."""
    targets: dict[int, int] = {}
    source = job.claim.target_source
    for year in years:
        period = Period.year(year)
        resolved = resolve_claim_target(context.ledger, job.claim, job.term, period, source)
        if resolved is not None and resolved.count > 0:
            targets[year] = resolved.count
    return targets


def _average_check(
    job: Job, value: Decimal, achieved: dict[int, int | None], targets: dict[int, int]
) -> tuple[str, PercentCheck]:
    """The base and check of an average excess: the mean of the yearly excesses,
    else the excess of the years pooled when only that reproduces *value*."""
    years = list(achieved)
    mean = sum(
        (Fraction((achieved[y] or 0) - targets[y], targets[y]) for y in years), Fraction(0)
    ) / len(years)
    total = sum(targets.values())
    pooled = Fraction(sum(a or 0 for a in achieved.values()) - total, total)
    first = check_percent(mean, job.claim, value, job.places, job.nearly)
    second = check_percent(pooled, job.claim, value, job.places, job.nearly)
    if first.ok or not second.ok:
        return "annual_targets", first
    return "pooled_annual_targets", second


def _check_share(context: Context, job: Job, value: Figure) -> Verdict:
    """``share``: a category's share of a base.

    The base is the one the claim states, else the first that reproduces the
    share (:func:`~partydev._shares.resolve_share`).  An unverifiable verdict
    gives way to the GRIM check's, when that finds the share impossible.
    """
    assert isinstance(value, Decimal)
    claim = job.claim
    if claim.category is None:
        raise ValidationError("a share claim needs a category", unit=claim.unit, field="category")
    category = context.ledger.category(claim.category)
    got = context.admitted(job.claim.unit, job.period, job.when)
    if got is None:
        return _no_count(job, value)
    if got == 0:
        return verdict(
            job,
            "unverifiable",
            (f"{job.name} chưa kết nạp ai", f"{job.name} admitted no one"),
            stated_value=value,
            base="admitted",
            base_value=0,
        )
    found = resolve_share(context, job, value)
    base = found.base
    if base is None:
        where = scope(claim.period, job.term)
        return verdict(job, "unverifiable", _no_share_base(job, where), stated_value=value)
    flags: tuple[str, ...] = ()
    if not informative(base.value, written_places(job.places, value)):
        flags = ("uninformative",)
    fields: dict[str, object] = {
        "stated_value": value,
        "base": base.kind,
        "base_value": base.value,
        "base_source": base.target.source if base.target else None,
    }
    if found.number is None or found.check is None:
        return verdict(job, "unverifiable", _no_breakdown(job, category), flags=flags, **fields)
    result = found.check
    moved = claim.base is None and result.ok and base.kind != "admitted"
    more, other_source = _share_base_flags(claim, found, base, result, moved)
    return verdict(
        job,
        "consistent" if result.ok else "inconsistent",
        _share_reason(job, found, base, result, moved, other_source),
        computed=result.computed,
        roundings=result.roundings,
        flags=(*flags, *more),
        **fields,
    )


def _no_breakdown(job: Job, category: Category) -> Text:
    """Why a share cannot be checked: the ledger does not break the intake down."""
    vi_scope, en_scope = scope(job.claim.period, job.term)
    return (
        f"sổ số liệu không có số liệu {job.name} kết nạp {vi_scope} chia theo nhóm "
        f"“{category.label_vi}”",
        f"the ledger has no breakdown of {job.name}'s intake {en_scope} by “{category.label_en}”",
    )


def _share_base_flags(
    claim: Claim, found: Resolution, base: Base, result: PercentCheck, moved: bool
) -> tuple[tuple[str, ...], bool]:
    """The flags a share's base adds (its target's; ``base_differs`` when *moved* to
    another base than the admitted) and whether the target is of another source."""
    flags: tuple[str, ...] = ()
    other_source = False
    if base.target is not None:
        earlier = result.ok and any(b.target is not None for b in found.missed)
        flags = target_flags(claim, base.target, earlier)
        other_source = "base_differs" in flags
    if moved and not other_source:
        flags = (*flags, "base_differs")
    return flags, other_source


def _share_reason(
    job: Job, found: Resolution, base: Base, result: PercentCheck, moved: bool, other: bool
) -> Text:
    """The recomputed share in words and whether it matches, then the bases that
    reproduce it or do not (*moved*: only another base than the admitted does), then
    what a reader should know of the target (*other*: another source than named)."""
    claim = job.claim
    assert found.number is not None
    of = base.of(job)
    gives = (
        f"{num(found.number, 'vi')} trên {of[0]} là {pct(result.computed, 'vi')}",
        f"{num(found.number, 'en')} of {of[1]} is {pct(result.computed, 'en')}",
    )
    vi, en = _percent_reason(gives, claim, result)
    if moved:
        here, there = base.short(), found.missed[0].short()
        vi += f"; khớp khi tính trên {here[0]}, không phải {there[0]}"
        en += f"; reproduced on {here[1]}, not on {there[1]}"
    elif found.elsewhere is not None:
        there = found.elsewhere.short()
        vi += f"; {claim.stated} khớp khi tính trên {there[0]}"
        en += f"; {quoted(claim.stated, 'en')} is reproduced on {there[1]} instead"
    elif not result.ok and claim.base is None and len(found.missed) > 1:
        others = [b.short() for b in found.missed[1:]]
        vi += "; cũng không khớp khi tính trên " + " hay ".join(o[0] for o in others)
        en += "; nor on " + " or ".join(o[1] for o in others)
    if base.target is not None:
        vi, en = _target_notes((vi, en), claim, base.target, other)
    return vi, en


def _no_share_base(job: Job, where: Text) -> Text:
    """Why a share cannot be checked: the ledger lacks the base the claim states."""
    if job.claim.base == "target":
        return no_target(job.name, where)
    return (
        f"sổ số liệu không có tổng số đảng viên của {job.name} đến ngày "
        f"{format_date(job.when, 'vi')}",
        f"the ledger has no membership total for {job.name} on or before "
        f"{format_date(job.when, 'en')}",
    )


def _check_balance(context: Context, job: Job, value: Figure) -> Verdict:
    """A stated membership total against the balance: start + admitted − losses ± transfers."""
    stated = _whole(value, job)
    lifecycle = Lifecycle(context.ledger, job.when)
    lifecycle.hierarchy.get(job.claim.unit)
    balance = lifecycle.balances(job.period, [job.claim.unit])[job.claim.unit]
    expected = balance.expected_end
    if expected is None:
        hierarchy = lifecycle.hierarchy

        def name_of(unit_id: str) -> str | None:
            return hierarchy.get(unit_id).name if unit_id in hierarchy else None

        missing = balance.missing
        return verdict(
            job,
            "unverifiable",
            (
                f"không lập được cân đối đảng viên của {job.name}: "
                + (describe_missing(missing, balance.period, "vi", name_of) or ""),
                f"the membership balance of {job.name} cannot be drawn up: "
                + (describe_missing(missing, balance.period, "en", name_of) or ""),
            ),
            stated_value=stated,
        )
    ok = compare(Fraction(expected), Fraction(stated), job.claim.comparison, job.nearly)
    verb = _verb(ok, "matching")
    wvi, wen = wording(job.claim.comparison)
    reason_vi = (
        f"cân đối đảng viên của {job.name} cho {num(expected, 'vi')}, {verb[0]} "
        f"{wvi}{job.claim.stated}"
    )
    reason_en = (
        f"the membership balance of {job.name} gives {num(expected, 'en')}, {verb[1]} "
        f"{wen}{job.claim.stated}"
    )
    flags: tuple[str, ...] = ()
    if balance.gap:
        assert balance.end is not None
        flags = ("balance_gap",)
        reason_vi += f"; sổ ghi {num(balance.end, 'vi')} đảng viên cuối kỳ"
        reason_en += f"; the ledger's end snapshot is {num(balance.end, 'en')}"
    return verdict(
        job,
        "consistent" if ok else "inconsistent",
        (reason_vi, reason_en),
        stated_value=stated,
        computed=expected,
        base="members",
        flags=flags,
    )


RULES: dict[ClaimKind, Callable[[Context, Job, Figure], Verdict]] = {
    "count": _check_count,
    "members": _check_members,
    "target": _check_target,
    "percent_of_target": _check_of_target,
    "exceedance": _check_of_target,
    "average_exceedance": _check_average,
    "share": _check_share,
    "members_balance": _check_balance,
}
