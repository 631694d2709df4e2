"""The model: frozen, validated values and the ledger that holds them.

Units and their lineage, congress terms, targets, admissions and tallies, what the
data covers, life after admission, villages, published claims and the ledger's plain
data form (:mod:`partydev.model.codec`).  Nothing here reads files, the clock or the
environment, and nothing imports the calculations, the report, the checks or the
shell.
"""

from __future__ import annotations

from .claims import Claim
from .codec import (
    ledger_from_data,
    ledger_to_data,
)
from .coverage import Coverage
from .ledger import Ledger
from .lifecycle import (
    Movement,
    ProbationTally,
    Recognition,
    probation_due,
)
from .lineage import (
    Dissolve,
    Establish,
    Lineage,
    Merge,
    Move,
    Rename,
    Split,
    UnitEvent,
)
from .periods import (
    Period,
    parse_period,
)
from .records import (
    Admission,
    Category,
    Membership,
    Tally,
)
from .targets import (
    ResolvedTarget,
    Source,
    Target,
    resolve_target,
)
from .terms import Term
from .units import (
    DeclaredLevel,
    Hierarchy,
    Level,
    Unit,
)

__all__ = [
    "Admission",
    "Category",
    "Claim",
    "Coverage",
    "DeclaredLevel",
    "Dissolve",
    "Establish",
    "Hierarchy",
    "Ledger",
    "Level",
    "Lineage",
    "Membership",
    "Merge",
    "Move",
    "Movement",
    "Period",
    "ProbationTally",
    "Recognition",
    "Rename",
    "ResolvedTarget",
    "Source",
    "Split",
    "Tally",
    "Target",
    "Term",
    "Unit",
    "UnitEvent",
    "ledger_from_data",
    "ledger_to_data",
    "parse_period",
    "probation_due",
    "resolve_target",
]
