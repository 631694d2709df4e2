"""The pure-Python vector kernels (partydev.model.kernels): their definitions, their checks,
and how a backend is chosen.  The numpy backend's agreement is in test_kernels_numpy.py."""

from __future__ import annotations

import decimal
import importlib.util
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from tests.kernel_strategies import (
    FIRST,
    Admissions,
    Categories,
    Percents,
    Tree,
    admissions,
    categories,
    naive_count,
    naive_roll_up,
    naive_sum,
    percents,
    trees,
)
from tests.strategies import rounding_modes

from partydev.errors import ValidationError
from partydev.model.kernels import ENV_VAR, MAX_DAY, PythonKernels, kernels
from partydev.numbers import Ratio

PY = PythonKernels()
SUM = PY.sum_categories_by_unit_and_window


@given(admissions())
def test_count_is_rows_of_the_unit_inside_the_window(rows: Admissions) -> None:
    """Each count is the number of the unit's rows whose day lies in the window."""
    assert PY.count_by_unit_and_window(
        rows.unit_index, rows.days, rows.n_units, rows.windows
    ) == naive_count(rows)


@given(categories())
def test_category_sums_are_hits_or_none(data: Categories) -> None:
    """A category's figure is the rows that belong, or None once one row is undetermined."""
    rows = data.rows
    got = PY.sum_categories_by_unit_and_window(
        rows.unit_index, rows.days, data.codes, data.hits, data.opens, rows.n_units, rows.windows
    )
    assert got == naive_sum(data)


@given(trees())
def test_roll_up_is_the_subtree_total(tree: Tree) -> None:
    """A node's rolled-up value is its subtree's sum, None if any value in it is unknown."""
    assert PY.roll_up(tree.parents, tree.columns, tree.unknown) == naive_roll_up(tree)


@given(percents(rounding_modes))
def test_percent_is_ratio_percent(data: Percents) -> None:
    """Each percent is Ratio.percent of the pair, in every rounding mode; 0 gives None."""
    expected = [
        None if bottom == 0 else Ratio(top, bottom).percent(data.places, data.rounding)
        for top, bottom in zip(data.numerators, data.denominators, strict=True)
    ]
    got = PY.percent(data.numerators, data.denominators, data.places, data.rounding)
    assert got == expected
    assert [str(v) for v in got] == [str(v) for v in expected]


def test_count_example() -> None:
    """Rows out of order are counted per unit and window; a unit without rows has 0."""
    days = [FIRST + 10, FIRST, FIRST + 5, FIRST + 400]
    got = PY.count_by_unit_and_window(
        [2, 0, 2, 2], days, 4, [(FIRST, FIRST + 10), (FIRST + 5, FIRST + 5)]
    )
    assert got == [[1, 0, 2, 0], [0, 0, 1, 0]]


def test_category_example() -> None:
    """One undetermined row makes its unit's figure None for that category only."""
    got = PY.sum_categories_by_unit_and_window(
        [0, 0, 1], [FIRST, FIRST, FIRST], [0, 1, 0], [[1, 1], [1, 0]], [[0, 0], [0, 1]], 2,
        [(FIRST, FIRST)],
    )  # fmt: skip
    assert got == [[[2, 1], [None, 1]]]


def test_roll_up_keeps_unknown_away_from_other_branches() -> None:
    """An unknown leaf makes its ancestors unknown, not its siblings or other roots."""
    parents = [1, -1, 1, -1]
    got = PY.roll_up(parents, [[5, 1, 7, 3]], [[True, False, False, False]])
    assert got == [[None, None, 7, 3]]


def test_percent_rounds_exact_halves_half_up() -> None:
    """48.25 % is 48.3 at one place (half up), 48.2 half even, and a 0 target is None."""
    assert PY.percent([193, 193, 5], [400, 400, 0], 1) == [Decimal("48.3"), Decimal("48.3"), None]
    assert PY.percent([193], [400], 1, decimal.ROUND_HALF_EVEN) == [Decimal("48.2")]


def test_results_are_plain_python_objects() -> None:
    """Results hold int, None and Decimal only, whatever sequence came in."""
    counts = PY.count_by_unit_and_window((0,), (FIRST,), 1, [(FIRST, FIRST)])
    assert type(counts[0][0]) is int
    assert PY.roll_up(range(-1, 0), [range(1)]) == [[0]]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: PY.count_by_unit_and_window([0, 3], [FIRST, FIRST], 3, []), "unit_index"),
        (lambda: PY.count_by_unit_and_window([-1], [FIRST], 3, []), "unit_index"),
        (lambda: PY.count_by_unit_and_window([0], [0], 1, []), "days"),
        (lambda: PY.count_by_unit_and_window([0], [MAX_DAY + 1], 1, []), "days"),
        (lambda: PY.count_by_unit_and_window([0], [FIRST, FIRST], 1, []), "days"),
        (lambda: PY.count_by_unit_and_window([0.0], [FIRST], 1, []), "unit_index"),  # type: ignore[list-item]
        (lambda: PY.count_by_unit_and_window([True], [FIRST], 1, []), "unit_index"),
        (lambda: PY.count_by_unit_and_window([0], [FIRST], -1, []), "n_units"),
        (lambda: PY.count_by_unit_and_window([0], [FIRST], 1, [(FIRST, FIRST - 1)]), "windows"),
        (lambda: PY.count_by_unit_and_window([0], [FIRST], 1, [(0, FIRST)]), "windows"),
        (lambda: SUM([0], [FIRST], [1], [[1]], [[0]], 1, []), "codes"),
        (lambda: SUM([0], [FIRST], [0], [[2]], [[0]], 1, []), "hits"),
        (lambda: SUM([0], [FIRST], [0], [[1]], [[0, 0]], 1, []), "opens"),
        (lambda: PY.roll_up([0], [[1]]), "parent_index"),
        (lambda: PY.roll_up([1, 2, 0, -1], [[1, 1, 1, 1]]), "parent_index"),
        (lambda: PY.roll_up([-1, 5], [[1, 1]]), "parent_index"),
        (lambda: PY.roll_up([-1, 0], [[1]]), "columns"),
        (lambda: PY.roll_up([-1, 0], [[1, 1]], [[True]]), "unknown"),
        (lambda: PY.percent([1], [-1]), "denominators"),
        (lambda: PY.percent([1, 2], [1]), "denominators"),
        (lambda: PY.percent([1], [1], -1), "places"),
        (lambda: PY.percent([1], [1], 1, "half"), "rounding"),
    ],
)  # fmt: skip
def test_bad_arguments_raise_naming_the_field(call: object, field: str) -> None:
    """A bad column, index, day, window, table, tree or percent argument is a ValidationError
    naming the argument."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field


def test_kernels_prefer_python() -> None:
    """kernels('python') is the pure-Python backend."""
    assert kernels("python").name == "python"


def test_kernels_env_var_forces_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """PARTYDEV_KERNELS=python in the environment passed chooses pure Python even when
    numpy is installed; the process environment itself is not read."""
    assert isinstance(kernels(environ={ENV_VAR: "Python"}), PythonKernels)
    monkeypatch.setenv(ENV_VAR, "cuda")
    kernels()  # not consulted: no error


def test_kernels_unknown_name() -> None:
    """An unknown backend name, from the argument or the variable, is a ValidationError."""
    with pytest.raises(ValidationError, match="python"):
        kernels("fortran")
    with pytest.raises(ValidationError) as caught:
        kernels(environ={ENV_VAR: "cuda"})
    assert caught.value.field == ENV_VAR


def test_kernels_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numpy the default is pure Python, and asking for numpy names the extra."""
    real = importlib.util.find_spec

    def hidden(name: str, package: str | None = None) -> object:
        return None if name == "numpy" else real(name, package)

    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", hidden)
    assert kernels().name == "python"
    with pytest.raises(ImportError, match=r"partydev\[fast\]"):
        kernels("numpy")


def test_import_does_not_import_numpy() -> None:
    """Importing partydev and its kernels module leaves numpy unimported."""
    code = "import sys, partydev, partydev.model.kernels; print('numpy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
