"""Draw the documentation's pictures when Sphinx starts, from the code and data they show.

- ``sample-chart-vi.svg``, ``sample-chart-en.svg``: the bundled Quảng Nam sample as
  the ``partydev-chart`` plugin draws it (``partydev report -o chart.svg``);
- ``architecture.svg``: the layers of the library and where plugins meet it;
- ``performance.svg``: the measured seconds of ``docs/explanation/performance-data.csv``.

They are written to ``docs/_generated/`` (not kept in git) and only when their bytes
change.  Every picture is an SVG with text kept as text, no timestamp and a fixed
hash salt, so the same sources give the same files; nothing is fetched.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

ROOT = Path(__file__).resolve().parents[2]
# The chart plugin, importable from a checkout even when it is not installed.
sys.path.insert(0, str(ROOT / "plugins" / "partydev-chart" / "src"))

import partydev_chart  # noqa: E402

from partydev.shell.testing import sample_report  # noqa: E402

RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "svg.hashsalt": "partydev-docs",
    "svg.fonttype": "none",
}
BLUE, GREY, RED = "#2f6db5", "#9aa5b1", "#c0392b"


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def sample_chart(locale: str) -> bytes:
    """The sample report drawn by the chart plugin."""
    buffer = io.BytesIO()
    partydev_chart.write(sample_report(), buffer, {"locale": locale, "width": 900}, "svg")
    return buffer.getvalue()


_LAYERS = (
    ("ledger files", "TOML · JSON · CSV · XLSX workbooks · DataFrames", "#eeeeee"),
    (
        "partydev.shell: io, importers",
        "bounded, confined reads; located errors → Ledger",
        "#e6eef8",
    ),
    (
        "partydev.model",
        "units, terms, targets, records, coverage, lineage, lifecycle, ledger, store, codec\n"
        "frozen, validated values  —  no I/O, clock or environment",
        "#d6e6f6",
    ),
    (
        "partydev.calc  ·  partydev.checks",
        "achieved counts, arithmetic, membership figures  ·  claims, roundings, verdicts\n"
        "pure functions, exact values  —  no I/O, clock or environment",
        "#d6e6f6",
    ),
    (
        "partydev.report",
        "build_report, options → Report = typed tables + metadata (immutable)",
        "#e6eef8",
    ),
    (
        "partydev.plugins",
        "manager · hookspecs · exporting, importing · entry points",
        "#e6eef8",
    ),
    ("partydev.shell: export, exporters", "temporary file → atomic rename", "#e6eef8"),
    (
        "partydev.shell: cli",
        "partydev report | check | validate | template | formats | clean",
        "#eeeeee",
    ),
)
"""The boxes top to bottom: where data flows.  Each layer imports only the ones drawn
above it that are not files, and the vocabulary under them all."""
_VOCABULARY = "numbers · errors · labels: the vocabulary of every layer"
_EXPORTERS = (
    ("csv", True),
    ("json", True),
    ("xlsx", False),
    ("markdown", False),
    ("chart", False),
)


def architecture() -> bytes:
    """Boxes for the layers, top to bottom, and the exporters beside the plugin layer."""
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(9.0, 7.9), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, 90)
        axes.set_ylim(0, 79)
        axes.axis("off")
        top, height, gap = 75.0, 6.0, 2.6
        for index, (name, what, colour) in enumerate(_LAYERS):
            y = top - index * (height + gap) - height
            axes.add_patch(
                FancyBboxPatch(
                    (2, y), 58, height, boxstyle="round,pad=0.3", fc=colour, ec="#5b6b7b"
                )
            )
            axes.text(4, y + height - 1.6, name, weight="bold", va="center")
            axes.text(4, y + 1.9, what, va="center", fontsize=9, linespacing=1.3)
            if index:
                axes.annotate(
                    "",
                    (31, y + height + 0.4),
                    (31, y + height + gap - 0.4),
                    arrowprops={"arrowstyle": "-|>", "color": "#5b6b7b"},
                )
        bottom = top - len(_LAYERS) * (height + gap) - 2.0
        axes.add_patch(
            FancyBboxPatch(
                (2, bottom), 58, 2.6, boxstyle="round,pad=0.3", fc="#f4f4f4", ec="#9aa5b1"
            )
        )
        axes.text(31, bottom + 1.3, _VOCABULARY, ha="center", va="center", fontsize=9)
        plugin_y = top - 5 * (height + gap) - height
        for index, (name, builtin) in enumerate(_EXPORTERS):
            y = top - index * 7.4 - 16
            colour = "#e6eef8" if builtin else "#fdf0d5"
            axes.add_patch(
                FancyBboxPatch((68, y), 18, 5, boxstyle="round,pad=0.3", fc=colour, ec="#5b6b7b")
            )
            kind = "built in" if builtin else f"partydev-{name}"
            axes.text(77, y + 3.3, name, ha="center", weight="bold", va="center")
            axes.text(77, y + 1.3, kind, ha="center", fontsize=8, va="center")
            axes.annotate(
                "",
                (67.5, y + 2.5),
                (60.5, plugin_y + height / 2),
                arrowprops={"arrowstyle": "-|>", "color": "#8a6d3b" if not builtin else "#5b6b7b"},
            )
        axes.text(77, top - 6, "exporters", ha="center", weight="bold")
        return _svg(figure)


def _measured() -> list[dict[str, str]]:
    path = ROOT / "docs" / "explanation" / "performance-data.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def performance() -> bytes:
    """Seconds per stage at national scale beside the baseline, and cost per admission."""
    rows = _measured()
    national = [row for row in rows if row["scale"] == "1"]
    pipelines = [row for row in rows if row["stage"] == "pipeline"]
    pipelines.sort(key=lambda row: int(row["admissions"]))
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(10.0, 4.2), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        left, right = figure.subplots(1, 2, width_ratios=(3, 2))
        positions = range(len(national))
        ours = [float(row["partydev_seconds"]) for row in national]
        theirs = [float(row["baseline_seconds"]) for row in national]
        left.barh([p - 0.2 for p in positions], ours, 0.4, color=BLUE, label="partydev")
        left.barh(
            [p + 0.2 for p in positions], theirs, 0.4, color=GREY, label="pandas / raw writer"
        )
        left.set_yticks(list(positions), [row["stage"] for row in national])
        left.invert_yaxis()
        left.set_xlabel("seconds at scale 1.0 (1,000,000 admissions, 300,761 units)")
        left.legend(frameon=False, loc="center right")
        left.set_title("Each stage against its baseline", loc="left", weight="bold")
        admissions = [int(row["admissions"]) for row in pipelines]
        for key, colour, name in (
            ("partydev_seconds", BLUE, "partydev"),
            ("baseline_seconds", GREY, "pandas"),
        ):
            micro = [
                float(row[key]) / n * 1e6 for row, n in zip(pipelines, admissions, strict=True)
            ]
            right.plot(admissions, micro, marker="o", color=colour, label=name)
        right.set_xscale("log")
        right.set_ylim(bottom=0)
        right.set_xlabel("admissions in the ledger")
        right.set_ylabel("µs per admission (load + report)")
        right.legend(frameon=False)
        right.set_title("Cost per admission", loc="left", weight="bold")
        for axes in (left, right):
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
        return _svg(figure)


PICTURES: dict[str, Callable[[], bytes]] = {
    "sample-chart-vi.svg": lambda: sample_chart("vi"),
    "sample-chart-en.svg": lambda: sample_chart("en"),
    "architecture.svg": architecture,
    "performance.svg": performance,
}
"""File name in ``docs/_generated/`` → what draws it."""


def write_pictures(srcdir: str | Path) -> list[Path]:
    """Draw every picture into *srcdir*/_generated, rewriting only those that changed."""
    out = Path(srcdir) / "_generated"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in PICTURES.items():
        path = out / name
        data = draw()
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


def _on_builder_inited(app: Any) -> None:
    write_pictures(app.srcdir)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point: draw the pictures before any page is read."""
    app.connect("builder-inited", _on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
