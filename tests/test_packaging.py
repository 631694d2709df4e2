"""Every distribution builds into a wheel and an sdist that PyPI would accept and show right.

The distributions are the root project and each ``plugins/*`` folder with a
``pyproject.toml``.  They are built offline (``python -m build --no-isolation``,
with hatchling from the ``test`` extra) and checked with ``twine check --strict``;
without ``build``, ``hatchling`` or ``twine`` installed the tests are skipped.
"""

from __future__ import annotations

import email
import importlib.util
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = [ROOT, *sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))]

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in ("build", "hatchling", "twine")),
    reason="building needs build, hatchling and twine (pip install -e '.[test]')",
)


def _name(folder: Path) -> str:
    with (folder / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["name"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each distribution's (wheel, sdist), built once for the module."""
    out = tmp_path_factory.mktemp("dist")
    result: dict[str, tuple[Path, Path]] = {}
    for folder in DISTRIBUTIONS:
        target = out / folder.name
        done = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "-o", str(target), str(folder)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, f"building {folder.name} failed:\n{done.stderr[-2000:]}"
        wheel = next(target.glob("*.whl"))
        sdist = next(target.glob("*.tar.gz"))
        result[_name(folder)] = (wheel, sdist)
    return result


def _metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_every_plugin_folder_is_a_distribution() -> None:
    """The partydev-xlsx and partydev-markdown plugins are among the distributions built."""
    names = {_name(folder) for folder in DISTRIBUTIONS}
    assert {"partydev", "partydev-xlsx", "partydev-markdown"} <= names


def test_twine_check_passes(built: dict[str, tuple[Path, Path]]) -> None:
    """twine check --strict accepts every wheel and sdist (the README renders on PyPI)."""
    files = [str(path) for pair in built.values() for path in pair]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("folder", DISTRIBUTIONS, ids=lambda f: f.name)
def test_wheel_contents(folder: Path, built: dict[str, tuple[Path, Path]]) -> None:
    """The wheel has the licence, py.typed in each package, Project-URLs and no tests."""
    wheel, _ = built[_name(folder)]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(re.search(r"\.dist-info/licenses/LICENSE$", n) for n in names), names
    packages = {n.split("/")[0] for n in names if n.endswith("/__init__.py")}
    assert packages, names
    for package in packages:
        assert f"{package}/py.typed" in names, f"{package} has no py.typed"
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    metadata = _metadata(wheel)
    assert metadata["License-Expression"] == "MIT"
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    assert "Typing :: Typed" in (metadata.get_all("Classifier") or [])


@pytest.mark.parametrize("folder", DISTRIBUTIONS, ids=lambda f: f.name)
def test_sdist_contents(folder: Path, built: dict[str, tuple[Path, Path]]) -> None:
    """The sdist has the licence, the README and the pyproject at its top."""
    _, sdist = built[_name(folder)]
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "pyproject.toml"} <= names


@pytest.mark.parametrize("folder", DISTRIBUTIONS, ids=lambda f: f.name)
def test_readme_reads_right_on_pypi(folder: Path, built: dict[str, tuple[Path, Path]]) -> None:
    """The long description links nowhere relative (PyPI has no ../../README.md)."""
    wheel, _ = built[_name(folder)]
    description = _metadata(wheel).get_payload()
    assert isinstance(description, str)
    assert not re.findall(r"\]\((?!https?://|#)[^)]*\)", description)
    assert "pip install" in description


def test_plugins_declare_their_entry_point(built: dict[str, tuple[Path, Path]]) -> None:
    """Each plugin wheel registers itself in the partydev entry-point group."""
    for name, (wheel, _) in built.items():
        if name == "partydev":
            continue
        with zipfile.ZipFile(wheel) as archive:
            entry = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
            assert "[partydev]" in archive.read(entry).decode("utf-8"), name


def test_extras_name_the_plugin_distributions(built: dict[str, tuple[Path, Path]]) -> None:
    """partydev[xlsx], [chart], [markdown], [terminal], [fast] and [all] install what they say."""
    metadata = _metadata(built["partydev"][0])
    requires = metadata.get_all("Requires-Dist") or []

    def extra(name: str) -> set[str]:
        return {
            re.split(r"[<>=;\s\[]", r, maxsplit=1)[0].lower()
            for r in requires
            if f"extra == '{name}'" in r
        }

    assert extra("xlsx") == {"partydev-xlsx"}
    assert extra("chart") == {"partydev-chart"}
    assert extra("markdown") == {"partydev-markdown"}
    assert extra("terminal") == {"rich"}
    assert {"partydev-xlsx", "partydev-chart", "partydev-markdown", "rich"} <= extra("all")
    assert {"pandas", "polars", "pyarrow"} <= extra("all")
    assert extra("fast") == {"numpy", "pyarrow"}
    assert "numpy" in extra("all")
    core = {re.split(r"[<>=;\s]", r, maxsplit=1)[0].lower() for r in requires if "extra" not in r}
    assert core == {"attrs", "pluggy", "python-dateutil"}
