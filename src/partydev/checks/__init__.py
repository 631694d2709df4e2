"""The claim checks: do published figures agree with the ledger and with themselves?

The rounding arithmetic (:mod:`partydev.checks.rounding`, re-exported here as
:mod:`partydev.checks` always was) and the verdicts on a ledger's claims and roll-ups
(:mod:`partydev.checks.verdicts`); the underscore modules are their private parts.
"""

from __future__ import annotations

from .rounding import (
    CONVENTIONS,
    RoundingInterval,
    implied_targets,
    informative,
    min_denominator,
    percent_possible,
    reproducing_roundings,
    rounding_interval,
    shares_can_sum,
)
from .verdicts import (
    RollupFinding,
    Verdict,
    check_claims,
    check_rollup,
    verdicts_report,
)

__all__ = [
    "CONVENTIONS",
    "RollupFinding",
    "RoundingInterval",
    "Verdict",
    "check_claims",
    "check_rollup",
    "implied_targets",
    "informative",
    "min_denominator",
    "percent_possible",
    "reproducing_roundings",
    "rounding_interval",
    "shares_can_sum",
    "verdicts_report",
]
