"""Micro benchmark of the vector kernels (partydev.model.kernels): pure Python against numpy.

Draws a national-scale columnar store (by default 1,000,000 admissions in 300,000
units: a nation, provinces, districts, grassroots organisations and cells) and times
each kernel on the same inputs with both backends, the way a report uses them:

* ``count``: admissions per unit in the term and in each of its five years;
* ``categories``: per unit and window, eight categories summed from 2,000 attribute
  combinations (some undetermined, as a missing birth date leaves "young" open);
* ``roll_up``: the 54 count and category columns rolled up the tree, unknown
  spreading to the ancestors;
* ``percent``: each unit's achieved count over its target, per window, half up to
  two places.

The Python backend takes lists and the numpy backend numpy arrays (what each kind of
store holds); converting results back to Python objects is part of the timing.  Both
results are compared and the run fails if they differ.  Seconds are the median of
``--rounds`` rounds.

    python bench/kernels.py                      # 1,000,000 rows / 300,000 units
    python bench/kernels.py --rows 100000 --units 30000 --rounds 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from partydev.model.kernels import NumpyKernels, PythonKernels

YEARS = range(2021, 2026)
WINDOWS = [(date(2021, 1, 1).toordinal(), date(2025, 12, 31).toordinal())] + [
    (date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()) for y in YEARS
]
LEVELS = (1, 60, 700, 50_000)
"""Units per level above the cells (nation, provinces, districts, grassroots)."""


def draw(rows: int, units: int, categories: int, combos: int, seed: int) -> dict[str, Any]:
    """The inputs, as lists: a tree, admissions, category tables and targets."""
    rng = random.Random(seed)
    parents: list[int] = []
    above: list[int] = []
    for size in LEVELS:
        size = min(size, max(units - len(parents), 0))
        level = [rng.choice(above) if above else -1 for _ in range(size)]
        above = list(range(len(parents), len(parents) + size))
        parents.extend(level)
    parents.extend(rng.choice(above) for _ in range(units - len(parents)))
    first, last = WINDOWS[0]
    unit_index = [rng.randrange(units) for _ in range(rows)]
    days = [rng.randint(first, last) for _ in range(rows)]
    hits = [[int(rng.random() < 0.4) for _ in range(categories)] for _ in range(combos)]
    opens = [[int(rng.random() < 0.002) for _ in range(categories)] for _ in range(combos)]
    codes = [rng.randrange(combos) for _ in range(rows)]
    targets = [rng.choice((0, 1, 2, 3, 5, 8, 10, 20, 50)) for _ in range(units)]
    return {
        "parents": parents,
        "unit_index": unit_index,
        "days": days,
        "codes": codes,
        "hits": hits,
        "opens": opens,
        "targets": targets,
        "units": units,
    }


def run(
    kernels: Any,
    data: dict[str, Any],
    arrays: Callable[[list[int]], Any],
    flags: Callable[[list[bool]], Any],
) -> dict[str, Any]:
    """Each kernel once, timed; returns its seconds and results."""
    units, days, codes = (arrays(data[k]) for k in ("unit_index", "days", "codes"))
    parents, n_units = arrays(data["parents"]), data["units"]
    out: dict[str, Any] = {}

    start = time.perf_counter()
    counts = kernels.count_by_unit_and_window(units, days, n_units, WINDOWS)
    out["count"] = (time.perf_counter() - start, counts)

    start = time.perf_counter()
    sums = kernels.sum_categories_by_unit_and_window(
        units, days, codes, data["hits"], data["opens"], n_units, WINDOWS
    )
    out["categories"] = (time.perf_counter() - start, sums)

    columns = counts + [column for window in sums for column in window]
    unknown = [flags([value is None for value in column]) for column in columns]
    plain = [[0 if value is None else value for value in column] for column in columns]
    start = time.perf_counter()
    rolled = kernels.roll_up(parents, [arrays(c) for c in plain], unknown)
    out["roll_up"] = (time.perf_counter() - start, rolled)

    achieved = [value for column in rolled[: len(WINDOWS)] for value in column]
    tops = arrays([0 if value is None else value for value in achieved])
    bottoms = arrays(data["targets"] * len(WINDOWS))
    start = time.perf_counter()
    percents = kernels.percent(tops, bottoms, 2)
    out["percent"] = (time.perf_counter() - start, percents)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=300_000)
    parser.add_argument("--categories", type=int, default=8)
    parser.add_argument("--combos", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    import numpy as np

    data = draw(args.rows, args.units, args.categories, args.combos, args.seed)
    print(
        f"{args.rows:,} rows, {args.units:,} units, {len(WINDOWS)} windows, "
        f"{args.categories} categories; median of {args.rounds} round(s)"
    )
    timings: dict[str, dict[str, list[float]]] = {"python": {}, "numpy": {}}
    agree = True
    for _ in range(args.rounds):
        slow = run(PythonKernels(), data, list, list)
        fast = run(
            NumpyKernels(),
            data,
            lambda column: np.asarray(column, dtype=np.int64),
            lambda column: np.asarray(column, dtype=bool),
        )
        for name, (seconds, result) in slow.items():
            timings["python"].setdefault(name, []).append(seconds)
            timings["numpy"].setdefault(name, []).append(fast[name][0])
            agree = agree and result == fast[name][1]
    print(f"{'kernel':<12}{'python s':>10}{'numpy s':>10}{'ratio':>8}")
    total = {"python": 0.0, "numpy": 0.0}
    for name in timings["python"]:
        py = statistics.median(timings["python"][name])
        nu = statistics.median(timings["numpy"][name])
        total["python"] += py
        total["numpy"] += nu
        print(f"{name:<12}{py:>10.2f}{nu:>10.2f}{py / nu:>7.1f}x")
    py, nu = total["python"], total["numpy"]
    print(f"{'all':<12}{py:>10.2f}{nu:>10.2f}{py / nu:>7.1f}x")
    print("identical results" if agree else "RESULTS DIFFER")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
