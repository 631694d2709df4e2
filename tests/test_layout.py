"""The package layout: one sub-package per layer, imports only downwards, and the old
names and module paths still working (with a warning naming where they went)."""

from __future__ import annotations

import ast
import importlib
import pickle
import sys
import warnings
from pathlib import Path

import pytest

import partydev
from partydev import _moved
from partydev.model.periods import Period

SRC = Path(__file__).resolve().parent.parent / "src" / "partydev"

LAYERS = {
    "": 0,  # errors, numbers, labels, _version, _moved: the vocabulary
    "model": 1,
    "calc": 2,
    "report": 3,
    "checks": 4,
    "plugins": 4,
    "shell": 5,
}
"""Each layer's floor: a module imports only from its own floor and the ones below, and
the two layers on one floor (checks, plugins) not from each other."""


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""


def _imports() -> list[tuple[str, str]]:
    """(importing module, imported module) for every import of partydev inside src."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        module = ".".join(parts)
        base = parts if is_package else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    target = base[: len(base) - node.level + 1]
                    name = ".".join(target + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                for alias in node.names:
                    sub = f"{name}.{alias.name}"
                    found.append((module, sub if _is_module(sub) else name))
            elif isinstance(node, ast.Import):
                found += [(module, alias.name) for alias in node.names]
    top = {"partydev", "partydev.__main__"}  # the package's face and `python -m partydev`
    return [(a, b) for a, b in found if b.startswith("partydev.") and a not in top]


def _is_module(dotted: str) -> bool:
    path = SRC.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_imports_run_downwards() -> None:
    """No module imports a layer above its own, nor the other layer of its floor."""
    wrong = [
        f"{importer} → {imported}"
        for importer, imported in _imports()
        if LAYERS[_layer(imported)] > LAYERS[_layer(importer)]
        or (
            LAYERS[_layer(imported)] == LAYERS[_layer(importer)]
            and _layer(imported) != _layer(importer)
        )
    ]
    assert wrong == []


def test_layer_faces_are_not_imported_inside() -> None:
    """Inside src a module imports the module that defines a name, never a layer's
    __init__ (which imports the whole layer and could close a circle)."""
    faces = {f"partydev.{layer}" for layer in LAYERS if layer}
    assert [(a, b) for a, b in _imports() if b in faces] == []


def test_no_module_left_flat() -> None:
    """Only the vocabulary and the package's own files stay at the top of src/partydev."""
    flat = sorted(path.name for path in SRC.glob("*.py"))
    assert flat == [
        "__init__.py",
        "__main__.py",
        "_moved.py",
        "_version.py",
        "errors.py",
        "labels.py",
        "numbers.py",
    ]


@pytest.mark.parametrize("old", sorted(_moved.MODULES))
def test_old_module_path_is_the_new_module(old: str) -> None:
    """An old module path imports the very module of its new path, with a warning naming
    that path, and leaves the module's own name and spec alone."""
    new = _moved.MODULES[old]
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=rf"{old} is deprecated: import {new}$"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    assert module.__name__ == new
    assert module.__spec__ is not None
    assert module.__spec__.name == new


@pytest.mark.parametrize("name", sorted(_moved.NAMES))
def test_moved_name_warns_and_is_the_same_object(name: str) -> None:
    """A name that left partydev.__all__ still works, with a warning naming its namespace,
    and is the object that namespace exports."""
    home = _moved.NAMES[name]
    with pytest.warns(DeprecationWarning, match=rf"partydev\.{name} is deprecated: use {home}"):
        value = getattr(partydev, name)
    assert value is getattr(importlib.import_module(home), name)
    assert name not in partydev.__all__
    assert name in importlib.import_module(home).__all__


def test_from_import_of_a_moved_name_warns() -> None:
    """``from partydev import achievement`` works, with the warning pointing at the caller."""
    with pytest.warns(DeprecationWarning, match="use partydev.calc.achievement") as caught:
        from partydev import achievement  # noqa: F401
    assert caught[0].filename == __file__


def test_unknown_name_is_an_attribute_error() -> None:
    """A name partydev never had is an AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        partydev.nonsense  # noqa: B018


def test_importing_an_old_path_keeps_the_top_level_function() -> None:
    """``import partydev.export`` (an old module path) leaves ``partydev.export`` the
    function, and likewise ``partydev.achieved``."""
    sys.modules.pop("partydev.export", None)
    sys.modules.pop("partydev.achieved", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        importlib.import_module("partydev.export")
        importlib.import_module("partydev.achieved")
    assert callable(partydev.export)
    assert callable(partydev.achieved)
    assert partydev.export.__module__ == "partydev.shell.export"


def test_pickles_of_the_flat_layout_load() -> None:
    """A pickle written before the move (naming partydev.periods) loads as today's class."""
    period = Period.year(2023)
    old = pickle.dumps(period, protocol=0).replace(b"partydev.model.periods", b"partydev.periods")
    assert b"partydev.periods" in old
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert pickle.loads(old) == period
    assert pickle.loads(pickle.dumps(period)) == period


def test_top_level_names_resolve_without_warning() -> None:
    """Every name of partydev.__all__ is an attribute of its own, with no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in partydev.__all__:
            assert getattr(partydev, name) is not None
