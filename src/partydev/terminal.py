"""A report table as aligned text for the terminal.

Widths are measured in terminal cells, not code points: combining marks take
none and East Asian wide characters take two, so Vietnamese names written in
decomposed form, or mixed with CJK, still line up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .report import Report, Table, format_cell

__all__ = [
    "SHORT_LABELS",
    "TERMINAL_COLUMNS",
    "display_width",
    "fit_encoding",
    "render_report",
    "render_table",
]

TERMINAL_COLUMNS: tuple[str, ...] = (
    "unit_name",
    "target",
    "achieved",
    "percent",
    "elapsed_percent",
    "status",
    "remaining",
    "required_per_year",
    "projected",
)
"""The summary columns shown in the terminal, before the per-year columns."""

_NUMERIC = {"integer", "percent", "decimal"}

SHORT_LABELS: dict[str, tuple[str, str]] = {
    "unit_name": ("Đơn vị", "Unit"),
    "target": ("Chỉ tiêu", "Target"),
    "achieved": ("Kết nạp", "Admitted"),
    "percent": ("Đạt", "Reached"),
    "elapsed_percent": ("Thời gian", "Elapsed"),
    "status": ("Tiến độ", "Status"),
    "remaining": ("Còn lại", "Remaining"),
    "required_per_year": ("Cần/năm", "Needed/yr"),
    "projected": ("Dự báo", "Projected"),
}
"""Short headings for the terminal, where the report's full labels would not fit."""


UNKNOWN = "–"
"""What the terminal prints for an admitted count the data does not give (never 0);
other empty cells (no target, no percent without a count) stay blank."""


def _year_column(key: str) -> bool:
    return key.startswith("achieved_") and key.removeprefix("achieved_").isdigit()


def _heading(key: str, full: str, locale: str) -> str:
    if _year_column(key):
        return key.removeprefix("achieved_")
    pair = SHORT_LABELS.get(key)
    if pair is None:
        return full
    return pair[0] if locale == "vi" else pair[1]


def display_width(text: str) -> int:
    """How many terminal cells *text* occupies.

    >>> display_width("Quảng Nam"), display_width("Qua\u0309ng")
    (9, 5)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


# Characters with no decomposition to fall back on when an encoding lacks them.
_FALLBACK: dict[str, str] = {
    "đ": "d",
    "Đ": "D",
    "─": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "≥": ">=",
    "≤": "<=",
}


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _fit_char(char: str, encoding: str) -> str:
    if _encodes(char, encoding):
        return char
    if unicodedata.combining(char):
        return ""  # a loose accent: the letter before it stays
    letters = unicodedata.normalize("NFD", char)
    while len(letters) > 1:  # drop accents from the outside in: ế → ê (Latin-1) → e
        letters = letters[:-1]
        candidate = unicodedata.normalize("NFC", letters)
        if _encodes(candidate, encoding):
            return candidate
    fallback = _FALLBACK.get(char, "?")
    return fallback if _encodes(fallback, encoding) else "?"


def fit_encoding(text: str, encoding: str) -> str:
    """*text* with every character *encoding* cannot hold replaced by the nearest it can.

    Accents go first (keeping those the encoding has), then a few symbols get
    ASCII stand-ins, and anything else becomes ``?``; a letter keeps its
    terminal width, so tables stay aligned.  The command line writes to a
    terminal through this, so a non-UTF-8 locale degrades instead of crashing.

    >>> fit_encoding("Tiến độ ─ Quảng Nam", "ascii")
    'Tien do - Quang Nam'
    >>> fit_encoding("Tiến độ", "iso-8859-1")
    'Tiên do'

    .. versionadded:: 0.2
    """
    if _encodes(text, encoding):
        return text
    return "".join(_fit_char(char, encoding) for char in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def render_table(
    table: Table,
    locale: str = "vi",
    keys: Sequence[str] | None = None,
    indent_key: str | None = "depth",
    short: bool = False,
) -> str:
    """Render *table* (or the columns *keys* of it) as aligned text, one line per row.

    The ``unit_name`` column is indented by the row's ``depth`` when both exist;
    *short* uses the compact terminal headings of :data:`SHORT_LABELS`.
    """
    columns = [table.column(k) for k in keys] if keys is not None else list(table.columns)
    indexes = [table.column_index(c.key) for c in columns]
    depth_at = None
    if indent_key is not None and any(c.key == indent_key for c in table.columns):
        depth_at = table.column_index(indent_key)
    header = [
        _heading(c.key, c.label(locale), locale) if short else c.label(locale) for c in columns
    ]
    body: list[list[str]] = []
    for row in table.rows:
        cells = []
        for column, index in zip(columns, indexes, strict=True):
            value = row[index]
            counted = column.key == "achieved" or _year_column(column.key)
            text = UNKNOWN if value is None and counted else format_cell(column, value, locale)

            if column.key == "unit_name" and depth_at is not None:
                depth = row[depth_at]
                text = "  " * (depth if isinstance(depth, int) else 0) + text
            cells.append(text)
        body.append(cells)
    widths = [
        max([display_width(header[i]), *(display_width(r[i]) for r in body)])
        for i in range(len(columns))
    ]
    right = [c.type in _NUMERIC for c in columns]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(cell, widths[i], right[i]) for i, cell in enumerate(cells)).rstrip()

    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in body)])


def render_report(report: Report, locale: str = "vi") -> str:
    """The report's title, its summary in the terminal columns, and the key conventions."""
    summary = report.summary
    years = [c.key for c in summary.columns if _year_column(c.key)]
    keys = [k for k in (*TERMINAL_COLUMNS, *years) if any(c.key == k for c in summary.columns)]
    # Drop per-year columns with no figure at all (years after the as-of date).
    keep = [
        k
        for k in keys
        if not _year_column(k)
        or any(row[summary.column_index(k)] is not None for row in summary.rows)
    ]
    from .report import metadata_label

    meta = report.meta
    notes = [
        f"{metadata_label(key, locale)}: {_meta_text(meta[key], locale)}"
        for key in ("elapsed", "rollup", "rounding", "source")
        if key in meta
    ]
    remarks = _remarks(summary, locale)
    return (
        "\n".join(
            [
                report.title(locale),
                "",
                render_table(summary, locale, keep, short=True),
                *remarks,
                "",
                *notes,
            ]
        )
        + "\n"
    )


def _remarks(summary: Table, locale: str) -> list[str]:
    """Below the table, each unknown figure's note: what is missing."""
    key = "note" if locale == "vi" else "note_en"
    if not any(c.key == key for c in summary.columns):
        return []
    name_at, note_at = summary.column_index("unit_name"), summary.column_index(key)
    lines = [f"{UNKNOWN} {row[name_at]}: {row[note_at]}" for row in summary.rows if row[note_at]]
    if not lines:
        return []
    return ["", "Chưa đủ số liệu:" if locale == "vi" else "Missing data:", *lines]


def _meta_text(value: object, locale: str) -> str:
    from .labels import label

    return label(str(value), locale)
