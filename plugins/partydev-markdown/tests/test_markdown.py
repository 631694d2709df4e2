"""The Markdown exporter, tested the way a plugin author would: through partydev.testing."""

from __future__ import annotations

from pathlib import Path

import partydev_markdown

from partydev.shell.export import export, format_for_path
from partydev.shell.testing import registered, sample_report


def test_sample_report_as_markdown(tmp_path: Path) -> None:
    """The sample report becomes titled pipe tables with Vietnamese figures."""
    target = tmp_path / "report.md"
    with registered(partydev_markdown):
        export(sample_report(), "markdown", target)
    text = target.read_text("utf-8")
    report = sample_report()
    assert text.startswith(f"# {report.title('vi')}\n")
    assert text.count("\n## ") == len(report.tables)
    assert "4.537" in text
    assert "60,5%" in text


def test_english_locale(tmp_path: Path) -> None:
    """locale=en writes English headings and English number formats."""
    target = tmp_path / "report.md"
    with registered(partydev_markdown):
        export(sample_report(), "markdown", target, {"locale": "en"})
    text = target.read_text("utf-8")
    assert "4,537" in text
    assert "60.5%" in text


def test_suffix_chooses_markdown() -> None:
    """Files ending in .md or .markdown are exported as Markdown."""
    with registered(partydev_markdown):
        assert format_for_path("report.md") == "markdown"
        assert format_for_path("REPORT.markdown") == "markdown"


def test_escape() -> None:
    """Pipes and backslashes are escaped and line breaks become <br>."""
    assert partydev_markdown.escape("a|b\\c\nd") == "a\\|b\\\\c<br>d"
