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
are inconsistent even when the ledger has no breakdown to recompute them.  A
share's base is the one its claim states (``base``), else the one that
reproduces it: a share the admitted intake cannot give but the target can
(564 of a 2.800 target printed as "20,14%" beside 1.351 admitted) is
consistent, flagged ``base_differs``, and the GRIM test groups it with the
target's shares, not the intake's.

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
59.75% and 7.48% need a group of at least 815, more than the 335 admitted in the term
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ..calc.achieved import RollUp, check_rollup_mode
from ..errors import PartydevError, ValidationError
from ..model.ledger import Ledger
from ._claim_context import Context, Job, verdict
from ._claim_rules import RULES
from ._grim import impossible_shares
from ._rollup import RollupFinding, check_rollup
from ._verdict import FLAGS, NEARLY_FLOOR, Figure, Verdict, VerdictStatus
from ._verdict_report import verdicts_report
from .rounding import CONVENTIONS

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
    check_rollup_mode(rollup)
    if not 0 <= nearly <= 1:
        raise ValidationError("nearly must be between 0 and 1", field="nearly", value=nearly)
    context = Context(ledger, rollup)
    latest = max((c.as_of for c in ledger.claims if c.as_of is not None), default=None)
    jobs: list[Job] = []
    for claim in ledger.claims:
        term = ledger.term(claim.term)
        when = claim.as_of or as_of or (claim.period.end if claim.period else None)
        when = when or latest or term.end
        jobs.append(
            Job(
                claim,
                term,
                claim.period or term.target_period,
                when,
                ledger.unit(claim.unit).name,
                places,
                nearly,
            )
        )
    grim = impossible_shares(context, jobs)
    return tuple(_check(context, job, grim) for job in jobs)


def _check(context: Context, job: Job, grim: dict[str, Verdict]) -> Verdict:
    """The rule's verdict on *job*'s claim, unless it is unverifiable and GRIM says impossible."""
    found = _rule(context, job)
    if found.status == "unverifiable" and job.claim.id in grim:
        return grim[job.claim.id]
    return found


def _rule(context: Context, job: Job) -> Verdict:
    claim = job.claim
    value: Figure = claim.figure  # read and checked when the claim was made
    try:
        return RULES[claim.kind](context, job, value)
    except PartydevError as error:
        return verdict(
            job,
            "unverifiable",
            (f"không kiểm tra được: {error}", f"cannot be checked: {error}"),
            stated_value=value,
        )
