"""The numpy kernels give the same figures as the pure-Python ones, object for object
(numpy comes with the test extra; without it this module is skipped)."""

from __future__ import annotations

import decimal

import pytest
from hypothesis import given
from tests import kernel_strategies as ks
from tests.strategies import rounding_modes

from partydev.errors import ValidationError
from partydev.model.kernels import ENV_VAR, NumpyKernels, PythonKernels, kernels

np = pytest.importorskip("numpy", reason="the numpy kernels need numpy (partydev[fast])")

PY = PythonKernels()
NP = NumpyKernels()


def _same(left: object, right: object) -> bool:
    """Equal, and of the same types all the way down (int is not numpy.int64)."""
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return type(left) is type(right) and left == right and str(left) == str(right)


@given(ks.admissions())
def test_counts_agree(rows: ks.Admissions) -> None:
    """Both backends count the same rows per unit and window, from lists or arrays."""
    expected = PY.count_by_unit_and_window(rows.unit_index, rows.days, rows.n_units, rows.windows)
    assert _same(
        NP.count_by_unit_and_window(rows.unit_index, rows.days, rows.n_units, rows.windows),
        expected,
    )
    arrays = (np.array(rows.unit_index, dtype=np.int32), np.array(rows.days, dtype=np.int64))
    assert _same(NP.count_by_unit_and_window(*arrays, rows.n_units, rows.windows), expected)


@given(ks.categories())
def test_category_sums_agree(data: ks.Categories) -> None:
    """Both backends give the same category figures, None in the same places."""
    rows = data.rows
    arguments = (rows.unit_index, rows.days, data.codes, data.hits, data.opens)
    assert _same(
        NP.sum_categories_by_unit_and_window(*arguments, rows.n_units, rows.windows),
        PY.sum_categories_by_unit_and_window(*arguments, rows.n_units, rows.windows),
    )


@given(ks.trees())
def test_roll_ups_agree(tree: ks.Tree) -> None:
    """Both backends roll up the same totals, unknown spreading the same way."""
    assert _same(
        NP.roll_up(tree.parents, tree.columns, tree.unknown),
        PY.roll_up(tree.parents, tree.columns, tree.unknown),
    )


@given(ks.percents(rounding_modes))
def test_percents_agree(data: ks.Percents) -> None:
    """Both backends give the same Decimals (digits and exponent) in every rounding mode."""
    arguments = (data.numerators, data.denominators, data.places, data.rounding)
    assert _same(NP.percent(*arguments), PY.percent(*arguments))


def test_huge_values_are_handed_to_python() -> None:
    """Values beyond int64 give Python's exact figures rather than wrapping around."""
    big = 2**62
    assert NP.roll_up([-1, 0, 0], [[big, big, big]]) == [[3 * big, big, big]]
    assert NP.percent([2**70], [3], 0) == PY.percent([2**70], [3], 0)


def test_deep_trees_agree() -> None:
    """A chain deeper than the numpy roll-up's levels gives Python's totals."""
    parents = list(range(-1, 199))
    assert NP.roll_up(parents, [[1] * 200]) == [list(range(200, 0, -1))]


def test_numpy_checks_like_python() -> None:
    """The numpy backend refuses what the Python one refuses, naming the same field."""
    for backend in (PY, NP):
        with pytest.raises(ValidationError) as caught:
            backend.roll_up([1, 2, 0, -1], [[1, 1, 1, 1]])
        assert caught.value.field == "parent_index"
        with pytest.raises(ValidationError) as caught:
            backend.count_by_unit_and_window(np.array([0.5]), [ks.FIRST], 1, [])
        assert caught.value.field == "unit_index"
        with pytest.raises(ValidationError) as caught:
            backend.percent(np.array([1]), np.array([-2]), 1, decimal.ROUND_UP)
        assert caught.value.field == "denominators"


def test_kernels_prefers_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """With numpy installed the default kernels are numpy's, and the variable can ask for them."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert kernels().name == "numpy"
    assert isinstance(kernels(environ={ENV_VAR: "numpy"}), NumpyKernels)
