"""Draw a report's chart with matplotlib (Agg, no pyplot, no global state) and save it.

Determinism: the figure has a fixed size and resolution, the fonts are the
DejaVu Sans shipped with matplotlib (it has every Vietnamese glyph), and every
timestamp or version stamp a backend would write is removed through
``metadata``; SVG ids come from a fixed hash salt.  The same report and
options give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from partydev.errors import ExportError
from partydev.report import Report
from partydev.report.charting import ChartData, chart_data

__all__ = ["DPI", "METADATA", "draw", "figure_size", "save"]

DPI = 100
"""Pixels per inch: a width of 1000 pixels is 10 inches."""

FONT = "DejaVu Sans"
"""Ships with matplotlib and covers Vietnamese (ạ ế ờ ữ…)."""

METADATA: Mapping[str, Mapping[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
"""What each format would stamp with the clock or matplotlib's version, removed."""

_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 11,
    "svg.hashsalt": "partydev-chart",
    "svg.fonttype": "none",  # text stays text: searchable, and read back by the tests
    "path.simplify": False,
}

BAR_COLOUR = "#2f6db5"
LINE_COLOUR = "#c0392b"
MIN_HEIGHT = 360
ROW_HEIGHT = 40
FRAME_HEIGHT = 190


def figure_size(data: ChartData, width: int, height: int) -> tuple[int, int]:
    """The figure's size in pixels: *height* if given, else enough for every bar.

    >>> from partydev.shell.testing import sample_report
    >>> figure_size(chart_data(sample_report()), 1000, 0)
    (1000, 360)
    """
    if height > 0:
        return width, height
    return width, max(MIN_HEIGHT, FRAME_HEIGHT + ROW_HEIGHT * len(data.bars))


def draw(data: ChartData, locale: str, width: int, height: int) -> Figure:
    """A horizontal bar per unit (percent of target, labelled) and the elapsed share.

    One vertical reference line when every unit shares the elapsed share;
    otherwise a mark on each bar at its own.
    """
    px_width, px_height = figure_size(data, width, height)
    figure = Figure(figsize=(px_width / DPI, px_height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # Agg, never pyplot: no window, no global figure list
    axes = figure.add_subplot()
    names = [bar.name for bar in data.bars]
    values = [float(bar.percent) for bar in data.bars]  # drawing only: labels are exact text
    positions = range(len(names))
    bars = axes.barh(positions, values, color=BAR_COLOUR, height=0.6, label=_percent_name(locale))
    axes.bar_label(
        bars, labels=[data.percent_text(bar.percent, locale) for bar in data.bars], padding=4
    )
    axes.set_yticks(list(positions), names)
    # A free slot above the first bar holds the reference line's label (no legend to read).
    axes.set_ylim(len(names) - 0.5, -1.1)
    _mark_elapsed(axes, data, locale)
    top = max([*values, float(data.elapsed or 0), 100.0])
    axes.set_xlim(0, top * 1.15)
    axes.xaxis.set_major_formatter(_PercentTicks(locale))
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    _label_elapsed(axes, data, locale)
    axes.set_xlabel(_percent_name(locale))
    figure.suptitle(data.title(locale), x=0.01, ha="left", fontweight="bold")
    note = data.note(locale)
    if note:
        # A figure label, so that the constrained layout makes room for it.
        figure.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#444444", wrap=True)
    return figure


def _mark_elapsed(axes: Axes, data: ChartData, locale: str) -> None:
    """The elapsed share: one dashed line when the units share it, else a mark per bar."""
    if data.elapsed is not None:
        axes.axvline(
            float(data.elapsed),
            color=LINE_COLOUR,
            linestyle="--",
            linewidth=1.6,
            label=data.elapsed_label(locale),
        )
        return
    points = [(i, float(b.elapsed)) for i, b in enumerate(data.bars) if b.elapsed is not None]
    axes.scatter(
        [x for _, x in points],
        [i for i, _ in points],
        marker="|",
        s=600,
        color=LINE_COLOUR,
        label=data.elapsed_label(locale),
        zorder=3,
    )


def _label_elapsed(axes: Axes, data: ChartData, locale: str) -> None:
    """The elapsed share's label, in the free slot above the first bar."""
    marks = [float(b.elapsed) for b in data.bars if b.elapsed is not None]
    if marks:
        axes.annotate(
            data.elapsed_label(locale),
            (float(data.elapsed) if data.elapsed is not None else marks[0], -0.8),
            xytext=(5, 0),
            textcoords="offset points",
            color=LINE_COLOUR,
            va="center",
        )


def _percent_name(locale: str) -> str:
    return "Tỷ lệ đạt chỉ tiêu" if locale == "vi" else "Percent of target"


class _PercentTicks(mpl.ticker.Formatter):
    """Axis ticks as whole percents in the locale (``"50%"``); ticks are whole numbers."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{round(x):,}%".replace(",", "." if self.locale == "vi" else ",")


def save(report: Report, stream: IO[bytes], fmt: str, options: Mapping[str, Any]) -> None:
    """Draw *report* and write it to *stream* as *fmt* (``png``, ``svg`` or ``pdf``).

    Raises:
        ExportError: the report has no summary to chart, or no unit of the level asked for.
    """
    level = options["level"] or None
    data = chart_data(report, level=level, limit=options["limit"])
    if data is None:
        raise ExportError(
            "this report has no summary with unit_name, percent and elapsed_percent to chart"
        )
    if not data.bars:
        if level:
            raise ExportError(
                f"no unit with a percent of target to chart at level {level!r}",
                field="level",
                value=level,
            )
        # No level was asked for: the root's sub-units were compared, and none has a
        # percent (the root itself may have one): say so, and how to chart another level.
        raise ExportError(
            "no unit with a percent of target to chart: "
            f"{data.unknown} of {data.total} compared have no target or no count; "
            "chart another level with -O level=LEVEL"
        )
    with mpl.rc_context(_RC):  # type: ignore[arg-type]  # the keys are valid rcParams
        figure = draw(data, options["locale"], options["width"], options["height"])
        figure.savefig(stream, format=fmt, dpi=DPI, metadata=dict(METADATA[fmt]))
