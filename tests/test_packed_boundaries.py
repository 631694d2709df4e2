"""The engine's figures are exact when sums reach each machine width's edge exactly."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest
from tests.model_strategies import TERM
from tests.reference_counts import reference_vectors

from partydev import build_report
from partydev.calc.achieved import ROLLUPS, Achievements, achieved
from partydev.model.coverage import Coverage
from partydev.model.kernels import Kernels, NumpyKernels, PythonKernels
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.model.records import Admission, Category, Tally
from partydev.model.units import Unit

YOUNG = Category("young", "Trẻ", "Young", max_age=30)
FEMALE = Category("female", "Nữ", "Women", attribute="sex", values=("female",))
UNITS = [
    Unit("p", "Tỉnh", "province"),
    Unit("d1", "Huyện 1", "district", "p"),
    Unit("d2", "Huyện 2", "district", "p"),
    Unit("c1", "Chi bộ 1", "cell", "d1"),
    Unit("c2", "Chi bộ 2", "cell", "d1"),
]
ADMISSIONS = [
    Admission("c1", date(2021, 3, 1), age=25, attributes={"sex": "female"}),
    Admission("c1", date(2022, 3, 1), age=45),
    Admission("d2", date(2021, 5, 1), age=29, attributes={"sex": "male"}),
]
EDGES = [255, 256, 65_535, 65_536, 2**32 - 1, 2**32, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 2**64]
"""Sums at the edges of the 8, 16, 32 and 64-bit fields (and just past them): a field
one machine width too narrow for its sums overflows here (the generated ledgers of
tests/test_fast_paths.py seldom land on an edge)."""


def _kernels() -> list[Kernels | None]:
    found: list[Kernels | None] = [None, PythonKernels()]
    if importlib.util.find_spec("numpy") is not None:
        found.append(NumpyKernels())
    return found


def _ledger(total: int) -> Ledger:
    """Tallies whose counts, with the admissions, add up to *total* at the province
    (less the admissions, so that the sum is *total* exactly), one at each width's edge."""
    rest = total - len(ADMISSIONS)
    first = rest // 2
    tallies = [
        Tally("c2", Period.year(2021), first, {"young": first // 3, "female": first}),
        Tally("d2", Period.year(2022), rest - first, {"young": rest - first}),
        Tally("d1", Period.year(2023), 7, {"female": 7}, inclusive=True),
    ]
    covers = [Coverage(Period.years(2021, 2022), None, False)]
    return Ledger(
        units=UNITS,
        terms=[TERM],
        admissions=ADMISSIONS,
        tallies=tallies,
        categories=[YOUNG, FEMALE],
        covers=covers,
    )


@pytest.mark.parametrize("total", EDGES)
def test_counts_at_each_field_width_edge_equal_the_reference(total: int) -> None:
    """Every unit's count and category counts equal the day-by-day reference, and the
    province's term count is the exact sum, whatever width the sums need."""
    ledger = _ledger(total)
    as_of = date(2022, 12, 31)
    for kernels in _kernels():
        engine = Achievements(ledger, as_of, kernels=kernels)
        for period in (Period.year(2021), Period.years(2021, 2022), TERM.target_period):
            for rollup in ROLLUPS:
                for categories in ([], [YOUNG, FEMALE]):
                    expected = reference_vectors(engine, period, rollup, categories)
                    assert engine.vectors(period, rollup, categories) == expected
    assert achieved(ledger, "p", as_of=as_of) == total
    summary = next(t for t in build_report(ledger, as_of=as_of).tables if t.key == "summary")
    at = [column.key for column in summary.columns].index("achieved")
    assert {row[0]: row[at] for row in summary.rows}["p"] == total
