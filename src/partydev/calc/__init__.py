"""The calculations: exact figures from the model.

The arithmetic of targets and shares (:mod:`partydev.calc.arithmetic`, re-exported
here as :mod:`partydev.calc` always was), the bottom-up counts of admissions
(:mod:`partydev.calc.achieved`), the notes that say why a count is unknown, and the
membership balance and probation figures (:mod:`partydev.calc.membership`).
"""

from __future__ import annotations

from .achieved import (
    Achievements,
    RollUp,
    achieved,
)
from .arithmetic import (
    DEFAULT_TOLERANCE,
    Status,
    achievement,
    average_per_year,
    change,
    check_tolerance,
    composition,
    elapsed_share,
    exceedance,
    pace,
    pace_status,
    period_years,
    projection,
    remaining,
    remaining_years,
    required_per_year,
    round_half_up,
    share_of_membership,
    shares,
)
from .membership import (
    Balance,
    Probation,
    membership_balance,
    probation_figures,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "Achievements",
    "Balance",
    "Probation",
    "RollUp",
    "Status",
    "achieved",
    "achievement",
    "average_per_year",
    "change",
    "check_tolerance",
    "composition",
    "elapsed_share",
    "exceedance",
    "membership_balance",
    "pace",
    "pace_status",
    "period_years",
    "probation_figures",
    "projection",
    "remaining",
    "remaining_years",
    "required_per_year",
    "round_half_up",
    "share_of_membership",
    "shares",
]
