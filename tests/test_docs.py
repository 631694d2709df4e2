"""The documentation covers the public API and the hooks, and its examples stay runnable.

The examples themselves run as doctests: pytest collects ``docs/**/*.md``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import shlex
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

import partydev
from partydev.plugins import hookspecs
from partydev.plugins.exporting import Exporter, Option

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"

_DIRECTIVE = re.compile(
    r"^\s*\.\. (auto(?:class|function|exception|data|attribute|method|module)"
    r"|py:(?:class|function|exception|data|attribute|method|module)"
    r"|module|currentmodule)::\s+([\w.]+)\s*$",
    re.MULTILINE,
)


def _sources(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(DOCS)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".md", ".rst"} and "_build" not in path.parts
    }


def _documented() -> set[str]:
    """Every dotted name a reference page documents with a directive.

    A ``py:`` directive names its object relative to the current module
    (``.. py:data:: __version__`` after ``.. module:: partydev``).
    """
    names: set[str] = set()
    for text in _sources(REFERENCE).values():
        current = ""
        for directive, name in _DIRECTIVE.findall(text):
            if directive in {"module", "currentmodule", "py:module"}:
                current = name
                if directive != "currentmodule":
                    names.add(name)
            elif directive.startswith("py:") and current:
                names.add(f"{current}.{name}")
            else:
                names.add(name)
    return names


def _documented_modules() -> list[str]:
    return sorted(
        name
        for name in _documented()
        if name.startswith("partydev.") and isinstance(_resolve(name), ModuleType)
    )


def _resolve(dotted: str) -> object:
    """The object *dotted* names: an attribute before a module of that path
    (``partydev.achieved`` is the function; the old module path is an alias)."""
    module, _, attribute = dotted.rpartition(".")
    try:
        value = getattr(importlib.import_module(module), attribute, None) if module else None
    except ImportError:
        value = None
    return value if value is not None else importlib.import_module(dotted)


def _hookspecs() -> list[str]:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if inspect.isfunction(value) and hasattr(value, marker)
    )


@pytest.mark.parametrize("name", sorted(partydev.__all__))
def test_public_name_documented(name: str) -> None:
    """Every name in partydev.__all__ has a directive of its own in the reference pages."""
    assert f"partydev.{name}" in _documented(), (
        f"partydev.{name} is public but not documented: add an autodoc directive for it "
        "to docs/reference/ (api.md, or errors.md for an error)"
    )


NAMESPACES = (
    "partydev.model",
    "partydev.calc",
    "partydev.report",
    "partydev.checks",
    "partydev.plugins",
    "partydev.numbers",
    "partydev.errors",
    "partydev.labels",
)
"""The namespaces that hold what is not at the top level (one per layer)."""


def _namespace_names() -> list[str]:
    return [f"{space}.{name}" for space in NAMESPACES for name in _all_of(space)]


def _all_of(module: str) -> list[str]:
    return list(getattr(importlib.import_module(module), "__all__", ()))


@pytest.mark.parametrize("dotted", _namespace_names())
def test_namespace_name_documented(dotted: str) -> None:
    """Every name a namespace exports is documented: under the namespace, at the top level
    or in the module that defines it."""
    space, _, name = dotted.rpartition(".")
    assert _places(space, name) & _documented(), (
        f"{dotted} is public but not documented: add an autodoc directive for it to "
        "docs/reference/ (api.md, or errors.md for an error)"
    )


def test_top_level_is_the_entry_points() -> None:
    """partydev.__all__ holds the entry points a user needs first, not every public name."""
    assert 30 <= len(partydev.__all__) <= 45
    assert set(partydev.__all__) <= {
        name for name in dir(partydev) if not name.startswith("_")
    } | {"__version__"}


def test_documented_modules_include_core() -> None:
    """The reference pages document the modules and namespaces that exist now."""
    expected = {
        *NAMESPACES,
        "partydev.model.periods",
        "partydev.plugins.exporting",
        "partydev.plugins.hookspecs",
    }
    assert expected <= set(_documented_modules())


def test_documented_modules_are_complete() -> None:
    """Each documented module's __all__ is documented, at the top level or in the module."""
    documented = _documented()
    missing = [
        f"{module}.{name}"
        for module in _documented_modules()
        for name in getattr(importlib.import_module(module), "__all__", ())
        if not _places(module, name) & documented
    ]
    assert missing == []


def _places(module: str, name: str) -> set[str]:
    """Where *name* of *module* may be documented: there, at the top level, in the
    module that defines it, or in a namespace that exports the same object."""
    value = getattr(importlib.import_module(module), name)
    spaces = [
        space
        for space in ("partydev", *NAMESPACES)
        if vars(importlib.import_module(space)).get(name) is value
    ]
    homes = [  # the defining module (for a constant too), and modules importing it
        loaded
        for loaded, found in list(sys.modules.items())
        if loaded.startswith("partydev.") and vars(found).get(name) is value
    ]
    return {f"{module}.{name}", *(f"{place}.{name}" for place in (*spaces, *homes))}


def test_every_directive_names_something_real() -> None:
    """No reference page documents a name that does not exist (a renamed function)."""
    assert [name for name in sorted(_documented()) if _resolve(name) is None] == []


def test_hookspecs_found() -> None:
    """The hook discovery used below sees the register_exporters hook."""
    assert "register_exporters" in _hookspecs()


@pytest.mark.parametrize("hook", _hookspecs())
def test_hook_documented_with_signature(hook: str) -> None:
    """Every hook has an autodoc entry and its call signature in reference/hooks.md."""
    text = (REFERENCE / "hooks.md").read_text(encoding="utf-8")
    parameters = inspect.signature(getattr(hookspecs, hook)).parameters
    signature = f"{hook}({', '.join(parameters)})"
    assert f".. autofunction:: partydev.plugins.hookspecs.{hook}" in text
    assert signature in text, f"reference/hooks.md should show `{signature}`"


def test_quick_start_commands_match_readme() -> None:
    """The contributing page shows the README's two set-up commands, verbatim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    index = (DOCS / "contributing.md").read_text(encoding="utf-8")
    for marker in ("<!-- main-command -->", "<!-- test-command -->"):
        command = readme[readme.index(marker) + 2]
        assert command.startswith(("pip ", "python "))
        assert f"\n{command}\n" in index


_FENCE = re.compile(r"^(```+)(.*)\n(.*?)^\1\s*$", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", sorted(_sources(DOCS)))
def test_examples_are_doctest_blocks(page: str) -> None:
    """Every >>> example sits in a pycon block ending with a blank line.

    Without the blank line, doctest would read the closing fence as expected output.
    """
    text = (DOCS / page).read_text(encoding="utf-8")
    for match in _FENCE.finditer(text):
        info, body = match.group(2).strip(), match.group(3)
        if ">>>" not in body:
            continue
        line = text.count("\n", 0, match.start()) + 1
        assert info == "pycon", f"{page}:{line}: use ```pycon for >>> examples"
        assert body.endswith("\n\n"), f"{page}:{line}: end the block with a blank line"


# ---------------------------------------------------------------- pasted CLI sessions

_CONSOLE = re.compile(r"^```console\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
CLI_PAGES = ["tutorial/midterm-cli.md"]


def _sessions(page: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a page's console blocks, each with the output shown."""
    sessions: list[tuple[str, str]] = []
    for block in _CONSOLE.findall((DOCS / page).read_text(encoding="utf-8")):
        for chunk in ("\n" + block).split("\n$ ")[1:]:
            command, _, output = chunk.partition("\n")
            sessions.append((command, output))
    return sessions


def _run(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run one pasted command in the current directory: ``partydev …`` or ``cat FILE``."""
    from partydev.shell.cli import main

    words = shlex.split(command)
    if words[0] == "cat":
        text = Path(words[1]).read_text(encoding="utf-8-sig")
        return text.replace("\r\n", "\n")
    assert words[0] == "partydev", f"cannot check the command {command!r}"
    main(words[1:])
    captured = capsys.readouterr()
    return (captured.out + captured.err).replace("\r\n", "\n")


@pytest.mark.parametrize("page", CLI_PAGES)
def test_cli_sessions_match(
    page: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every `$ partydev …` pasted in a page prints exactly the output shown under it."""
    from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")  # a reader who installed partydev alone
    reset_plugin_manager()
    sessions = _sessions(page)
    assert len(sessions) >= 5
    try:
        for command, shown in sessions:
            assert _run(command, capsys) == shown, f"{page}: `$ {command}` output differs"
    finally:
        reset_plugin_manager()


# ---------------------------------------------------------------- built-in exporters


def option_row(option: Option) -> str:
    """The Markdown table row documenting one exporter option (also used to write the page)."""
    default = option.default
    shown = ("true" if default else "false") if isinstance(default, bool) else str(default)
    choices = ", ".join("tab" if c == "\t" else f"`{c}`" for c in option.choices or ()) or "any"
    if option.type is bool:
        choices = "`true`, `false`"
    return (
        f"| `{option.name}` | `{option.type.__name__}` | `{shown}` | {choices} "
        f"| {option.help_vi} | {option.help_en} |"
    )


def _builtin_exporters() -> list[Exporter]:
    from partydev.plugins import DEFAULT_PLUGINS

    found: list[Exporter] = []
    for module in DEFAULT_PLUGINS:
        register = getattr(importlib.import_module(module), "register_exporters", None)
        if register is not None:
            register(found.append)
    return found


def test_builtin_exporters_found() -> None:
    """The built-in plugins register the csv and json formats."""
    assert [e.name for e in _builtin_exporters()] == ["csv", "json"]


@pytest.mark.parametrize("exporter", _builtin_exporters(), ids=lambda e: e.name)
def test_exporter_documented(exporter: Exporter) -> None:
    """reference/exporters.md has a section per built-in format with every option and default."""
    text = (REFERENCE / "exporters.md").read_text(encoding="utf-8")
    heading = f"\n## `{exporter.name}`"
    assert heading in text, f"reference/exporters.md has no section {heading.strip()}"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    for suffix in exporter.suffixes:
        assert f"`{suffix}`" in section
    assert f"`{exporter.media_type}`" in section
    for option in exporter.options:
        assert option_row(option) in section, f"option {option.name} of {exporter.name}"
    if not exporter.options:
        assert "no options" in section


# ---------------------------------------------------------------- report columns

_COMPOSITION_LEDGER = """
schema = "partydev-ledger/1"
[eligibility]
min_age = 18
[[units]]
id = "xa-x"
name = "Đảng bộ xã X"
level = "grassroots"
[[terms]]
id = "2020-2025"
label = "2020–2025"
start = 2020-07-01
end = 2025-12-31
[[targets]]
unit = "xa-x"
term = "2020-2025"
value = 10
[[admissions]]
unit = "xa-x"
date = 2021-05-01
age = 25
attributes = { sex = "female" }
[[categories]]
id = "female"
label_vi = "Nữ"
label_en = "Women"
attribute = "sex"
values = ["female"]
[[movements]]
unit = "xa-x"
period = "2021"
kind = "death"
count = 1
[[probation]]
unit = "xa-x"
period = "2021"
recognised = 3
[[villages]]
unit = "xa-x"
date = 2021-12-31
villages = 12
without_members = 1
without_cells = 2
[[village_targets]]
unit = "xa-x"
measure = "without_members"
at_most = 0
[[pipeline]]
unit = "xa-x"
period = "2021"
stage = "awareness_class"
count = 2
"""


def _report_column_keys() -> list[tuple[str, str]]:
    """(table, key) of every column of the sample report and of one with a composition."""
    from datetime import date

    reports = [
        partydev.build_report(partydev.sample_ledger(), as_of=date(2023, 6, 30)),
        partydev.build_report(
            partydev.loads_ledger(_COMPOSITION_LEDGER), as_of=date(2021, 12, 31), periods="month"
        ),
    ]
    return sorted({(t.key, c.key) for report in reports for t in report.tables for c in t.columns})


def _documented_key(key: str) -> str:
    """Per-year and per-category columns are documented once, by their pattern."""
    if re.fullmatch(r"achieved_\d{4}", key):
        return "achieved_<year>"
    categories = {c.id for c in partydev.loads_ledger(_COMPOSITION_LEDGER).categories}
    categories |= {c.id for c in partydev.sample_ledger().categories}
    if key.startswith("share_") and key.removeprefix("share_") in categories:
        return "share_<category>"
    return key


def test_report_columns_include_patterns() -> None:
    """The reports checked below do contain per-year and per-category columns."""
    keys = {key for _, key in _report_column_keys()}
    assert {"achieved_2021", "share_female", "percent", "claim_id", "share"} <= keys


@pytest.mark.parametrize(("table", "key"), _report_column_keys())
def test_report_column_documented(table: str, key: str) -> None:
    """Every column key build_report produces has a row in its table's section."""
    text = (REFERENCE / "report-columns.md").read_text(encoding="utf-8")
    heading = f"\n## `{table}`"
    assert heading in text, f"reference/report-columns.md has no section for {table}"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    assert f"\n| `{_documented_key(key)}` |" in section


def _generator() -> ModuleType:
    """docs/generate_cli.py, imported by path (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("generate_cli", DOCS / "generate_cli.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated_under() -> str:
    match = re.search(r"under Python (\d+\.\d+)\.", (REFERENCE / "cli.md").read_text("utf-8"))
    assert match, "reference/cli.md should say which Python generated it"
    return match.group(1)


def test_cli_reference_matches_the_parser() -> None:
    """reference/cli.md and errors.md are what docs/generate_cli.py makes from the parser.

    argparse lays out help differently between Python versions, so the text is
    compared under the version that generated the page; the checks below run under
    every version.
    """
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != _generated_under():
        pytest.skip(f"the page was generated under Python {_generated_under()}")
    for page, expected in _generator().pages().items():
        assert page.read_text(encoding="utf-8") == expected, (
            f"{page.relative_to(ROOT)} is out of date: run python docs/generate_cli.py"
        )


def test_every_command_and_option_is_documented() -> None:
    """Each sub-command of the parser has a section, and each of its options appears."""
    from partydev.shell.cli import build_parser

    text = (REFERENCE / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = _generator().commands(parser)
    assert {"report", "formats", "plugins", "validate", "export-ledger"} <= set(commands)
    for name, sub in commands.items():
        assert f"\n### `partydev {name}`\n" in text, f"partydev {name} is not documented"
        section = text.split(f"### `partydev {name}`", 1)[1].split("\n### ", 1)[0]
        for action in sub._actions:
            for option in action.option_strings:
                assert option in section, f"partydev {name} {option} is not documented"


def test_exit_codes_documented() -> None:
    """Every exit code of partydev.cli.EXIT_CODES is in the tables of cli.md and errors.md."""
    from partydev.shell.cli import EXIT_CODES

    for page in ("cli.md", "errors.md"):
        text = (REFERENCE / page).read_text(encoding="utf-8")
        for name, code in EXIT_CODES.items():
            assert f"| {code} | `{name}` |" in text, f"exit code {name} missing from {page}"


def test_generator_check_detects_drift(tmp_path: Path) -> None:
    """generate_cli renders a changed block back and reports an unknown one."""
    generator = _generator()
    stale = "a\n<!-- generated: exit-codes -->\nold\n<!-- end: exit-codes -->\nb\n"
    fresh = generator.render(stale, {"exit-codes": "new\n"})
    assert fresh == "a\n<!-- generated: exit-codes -->\nnew\n<!-- end: exit-codes -->\nb\n"
    with pytest.raises(SystemExit, match="unknown generated block 'nope'"):
        generator.render("<!-- generated: nope -->\n<!-- end: nope -->", {})


@pytest.mark.parametrize("module", ["partydev_markdown", "partydev_xlsx"])
def test_plugin_exporter_options_documented(module: str) -> None:
    """The option tables of the repository's plugins match them, where they are installed."""
    plugin = pytest.importorskip(module)
    text = (REFERENCE / "exporters.md").read_text(encoding="utf-8")
    section = text.split(f"\n### `{plugin.EXPORTER.name}`", 1)[1].split("\n### ", 1)[0]
    for option in plugin.EXPORTER.options:
        assert option_row(option) in section, f"option {option.name} of {module}"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python example runs as written (it exports to a file in the cwd)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("## In Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PARTYDEV_LOAD_PLUGINS", raising=False)
    pytest.importorskip("partydev_xlsx", reason="the README test command installs it")
    with warnings.catch_warnings():  # the deliberately broken test plugin is installed too
        warnings.simplefilter("ignore", partydev.plugins.PartydevPluginWarning)
        exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "baocao.xlsx").stat().st_size > 0


def test_chart_plugin_options_documented() -> None:
    """The chart plugin's options (one set for png, svg and pdf) are in its table."""
    plugin = pytest.importorskip("partydev_chart")
    text = (REFERENCE / "exporters.md").read_text(encoding="utf-8")
    section = text.split("\n### `png`, `svg`, `pdf`", 1)[1].split("\n### ", 1)[0]
    for option in plugin.OPTIONS:
        assert option_row(option) in section, f"option {option.name} of partydev_chart"
    assert {exporter.options for exporter in plugin.EXPORTERS.values()} == {plugin.OPTIONS}


def test_pictures_are_drawn_the_same_each_time(tmp_path: Path) -> None:
    """The docs' pictures are drawn from the sample and the measured data, byte-identical."""
    pytest.importorskip("partydev_chart")
    spec = importlib.util.spec_from_file_location(
        "pictures", ROOT / "docs" / "_ext" / "pictures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    pictures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pictures)
    first = {path.name: path.read_bytes() for path in pictures.write_pictures(tmp_path)}
    assert set(first) == set(pictures.PICTURES)
    again = pictures.write_pictures(tmp_path / "again")
    assert {path.name: path.read_bytes() for path in again} == first
    assert "Đảng bộ huyện Nam Giang" in first["sample-chart-vi.svg"].decode()
    assert "partydev-chart" in first["architecture.svg"].decode()
    assert "export.xlsx" in first["performance.svg"].decode()
