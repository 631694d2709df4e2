"""The documentation's pages for users and for maintainers, and how code shows in them."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

VIETNAMESE_MONOSPACE = {
    "Noto Sans Mono",
    "DejaVu Sans Mono",
    "Cascadia Mono",
    "Cascadia Code",
    "Consolas",
    "Source Code Pro",
    "Roboto Mono",
    "Liberation Mono",
    "Ubuntu Mono",
}
"""Monospace fonts with the precomposed Vietnamese letters (ế, ộ, ả, ữ …)."""


def _conf() -> dict[str, Any]:
    """docs/conf.py's settings (docs/ is not a package)."""
    return runpy.run_path(str(DOCS / "conf.py"))


def test_monospace_fonts_have_vietnamese_letters() -> None:
    """Code blocks ask for fonts with Vietnamese letters before the generic fallback."""
    conf = _conf()
    for mode in ("light_css_variables", "dark_css_variables"):
        stack = conf["html_theme_options"][mode]["font-stack--monospace"]
        fonts = [font.strip().strip('"') for font in stack.split(",")]
        assert fonts[-1] == "monospace"
        assert fonts[:-1]
        assert set(fonts[:-1]) <= VIETNAMESE_MONOSPACE, fonts


def test_captions_keep_their_underscores() -> None:
    """A caption naming __init__.py escapes its underscores (MyST would make them bold)."""
    for page in DOCS.rglob("*.md"):
        for caption in re.findall(r"^:caption: (.*)$", page.read_text("utf-8"), re.MULTILINE):
            assert not re.search(r"(?<!\\)__", caption), f"{page.name}: {caption}"


def test_maintainer_notes_are_on_the_contributing_page() -> None:
    """Building the docs and the generated blocks are explained to contributors only."""
    contributing = (DOCS / "contributing.md").read_text("utf-8")
    assert "sphinx-build -W" in contributing
    assert "Do not edit the" in contributing
    for page in ("index.md", "reference/cli.md"):
        text = (DOCS / page).read_text("utf-8")
        assert "Do not edit the" not in text, page
        assert "## Building these docs" not in text, page


def test_new_pages_are_in_a_table_of_contents() -> None:
    """Changelog, contributing, troubleshooting and plugin-testing pages are reachable."""
    tocs = {
        "index.md": ["changelog", "contributing"],
        "how-to/index.md": ["troubleshooting"],
        "reference/index.md": ["plugin-testing"],
    }
    for page, entries in tocs.items():
        text = (DOCS / page).read_text("utf-8")
        for entry in entries:
            assert f"\n{entry}\n" in text, f"{entry} missing from {page}"


def test_changelog_page_includes_the_changelog() -> None:
    """docs/changelog.md shows CHANGELOG.md itself, not a copy that could drift."""
    assert "{include} ../CHANGELOG.md" in (DOCS / "changelog.md").read_text("utf-8")


def test_performance_figures_are_tables() -> None:
    """The performance page gives its measurements as tables, not a raw text dump."""
    text = (DOCS / "explanation" / "performance.md").read_text("utf-8")
    assert "stage               seconds" not in text
    assert text.count("| stage | seconds |") == 3


def test_every_command_has_an_example_in_the_reference() -> None:
    """Each sub-command's section of reference/cli.md starts with example command lines."""
    text = (DOCS / "reference" / "cli.md").read_text("utf-8")
    sections = re.findall(r"\n### `partydev ([\w-]+)`\n\n```bash\n(.*?)```", text, re.DOTALL)
    assert {name for name, _ in sections} >= {"report", "check", "formats", "validate"}
    for name, body in sections:
        assert all(line.startswith(f"partydev {name}") for line in body.splitlines())


def test_plugin_column_types_are_documented() -> None:
    """Every cell type a report can hold is a row of the plugin-testing reference."""
    from partydev.shell.testing import sample_report

    text = (DOCS / "reference" / "plugin-testing.md").read_text("utf-8")
    types = {c.type for table in sample_report().tables for c in table.columns}
    for kind in types:
        assert f"\n| `{kind}` |" in text, kind
    for name in ("sample_report", "registered", "reset_plugin_manager", "LOAD_PLUGINS_ENV"):
        assert f"partydev.shell.testing.{name}" in text, name
