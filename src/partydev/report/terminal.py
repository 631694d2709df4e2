"""A report table as aligned text for the terminal.

Widths are measured in terminal cells, not code points: combining marks take
none and East Asian wide characters take two, so Vietnamese names written in
decomposed form, or mixed with CJK, still line up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .table import Column, Report, Table, format_cell

__all__ = [
    "COLUMN_PRIORITY",
    "SHORT_LABELS",
    "TERMINAL_COLUMNS",
    "display_width",
    "fit_encoding",
    "render_report",
    "render_table",
    "wrap_text",
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

COLUMN_PRIORITY: tuple[str, ...] = (
    "unit_name",
    "achieved",
    "target",
    "percent",
    "status",
    "elapsed_percent",
    "remaining",
    "required_per_year",
    "projected",
)
"""Which columns a narrow terminal keeps, most important first; per-year columns come
after these, the latest year first.  The order on screen stays :data:`TERMINAL_COLUMNS`."""

_WRAPPED_MIN = 16
"""The fewest cells the wrapping column (the unit name, a reason) is narrowed to."""

_GAP = 2
"""Cells between two columns."""

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


def wrap_text(text: str, width: int, hang: int = 0) -> list[str]:
    """*text* broken into lines of at most *width* terminal cells, at spaces where it can.

    The text's own leading spaces (a unit's depth) are kept on the first line, and
    continuation lines are indented by them plus *hang*; a word longer than a line is
    cut.  A *width* under 1 is taken as 1.

    >>> wrap_text("Đảng bộ Khối các cơ quan tỉnh", 16, hang=2)
    ['Đảng bộ Khối các', '  cơ quan tỉnh']
    """
    width = max(width, 1)
    if display_width(text) <= width:
        return [text]
    body = text.lstrip(" ")
    indent = " " * (len(text) - len(body))
    if display_width(indent) > (width - 1) // 2:  # no room for a deep indent
        indent = ""
    follow = indent + " " * hang
    if display_width(follow) > (width - 1) // 2:
        follow = indent
    lines: list[str] = []
    line = indent
    for word in body.split(" "):
        lead = line if line.strip() == "" else line + " "
        if display_width(lead + word) <= width:
            line = lead + word
            continue
        if line.strip():
            lines.append(line)
            line = follow
        while display_width(line + word) > width:  # a word wider than the line is cut
            room = width - display_width(line)
            head, word = _split_cells(word, max(room, 1))
            lines.append(line + head)
            line = follow
        line += word
    if line.strip():
        lines.append(line)
    return lines


def _split_cells(text: str, cells: int) -> tuple[str, str]:
    """*text* cut after *cells* terminal cells (at least one character goes first)."""
    width = 0
    for index, char in enumerate(text):
        step = display_width(char)
        if width + step > cells and index > 0 and step:
            return text[:index], text[index:]
        width += step
    return text, ""


def render_table(
    table: Table,
    locale: str = "vi",
    keys: Sequence[str] | None = None,
    indent_key: str | None = "depth",
    short: bool = False,
    *,
    width: int | None = None,
    priority: Sequence[str] | None = None,
) -> str:
    """Render *table* (or the columns *keys* of it) as aligned text, one line per row.

    The ``unit_name`` column is indented by the row's ``depth`` when both exist;
    *short* uses the compact terminal headings of :data:`SHORT_LABELS`.

    With *width*, no line is longer than *width* terminal cells: the unit name (or
    else the widest text column) wraps onto further lines, and when even that is not
    enough, the columns last in *priority* (default: right to left) are left out.

    .. versionchanged:: 0.3
       *width* and *priority*.
    """
    return "\n".join(_layout(table, locale, keys, indent_key, short, width, priority)[0])


def _layout(
    table: Table,
    locale: str,
    keys: Sequence[str] | None,
    indent_key: str | None,
    short: bool,
    width: int | None,
    priority: Sequence[str] | None,
) -> tuple[list[str], list[str]]:
    """The table's lines, and the headings of the columns left out to fit *width*."""
    columns = [table.column(k) for k in keys] if keys is not None else list(table.columns)
    indexes = [table.column_index(c.key) for c in columns]
    depth_at = None
    if indent_key is not None and any(c.key == indent_key for c in table.columns):
        depth_at = table.column_index(indent_key)
    header = [
        _heading(c.key, c.label(locale), locale) if short else c.label(locale) for c in columns
    ]
    body = _body(table, columns, indexes, depth_at, locale)
    widths = [
        max([display_width(header[i]), *(display_width(r[i]) for r in body)])
        for i in range(len(columns))
    ]
    right = [c.type in _NUMERIC for c in columns]
    shown = list(range(len(columns)))
    wrapped: int | None = None
    if width is not None and columns:
        shown, wrapped, wrap_width = _fit(columns, widths, header, width, priority)
        if wrapped is not None:
            widths[wrapped] = wrap_width
    hidden = [header[i] for i in range(len(columns)) if i not in shown]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(cells[i], widths[i], right[i]) for i in shown).rstrip()

    def lines(cells: list[str]) -> list[str]:
        if wrapped is None or display_width(cells[wrapped]) <= widths[wrapped]:
            return [line(cells)]
        hang = 2 if columns[wrapped].key == "unit_name" else 0
        parts = wrap_text(cells[wrapped], widths[wrapped], hang=hang)
        first = [*cells[:wrapped], parts[0], *cells[wrapped + 1 :]]
        rest = [[""] * len(cells) for _ in parts[1:]]
        for extra, part in zip(rest, parts[1:], strict=True):
            extra[wrapped] = part
        return [line(first), *(line(extra) for extra in rest)]

    rule = "  ".join("─" * widths[i] for i in shown)
    out = [*lines(header), rule]
    for cells in body:
        out += lines(cells)
    return out, hidden


def _body(
    table: Table,
    columns: Sequence[Column],
    indexes: Sequence[int],
    depth_at: int | None,
    locale: str,
) -> list[list[str]]:
    """The text of each shown cell of each row: an unknown count as :data:`UNKNOWN`,
    the unit name indented by its depth (the column at *depth_at*)."""
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
    return body


def _fit(
    columns: Sequence[Column],
    widths: Sequence[int],
    header: Sequence[str],
    width: int,
    priority: Sequence[str] | None,
) -> tuple[list[int], int | None, int]:
    """Which columns fit *width* cells, which one wraps, and how wide it becomes."""
    keys = [c.key for c in columns]
    if "unit_name" in keys:
        wrapped: int | None = keys.index("unit_name")
    else:
        texts = [i for i, c in enumerate(columns) if c.type == "text"]
        wrapped = max(texts, key=lambda i: widths[i]) if texts else None
    if wrapped is None:
        return list(range(len(columns))), None, 0
    order = [keys.index(k) for k in priority or () if k in keys]
    order += [i for i in range(len(columns)) if i not in order]
    natural = widths[wrapped]
    floor = min(natural, max(_WRAPPED_MIN, width * 3 // 10, display_width(header[wrapped])))
    kept = {wrapped}
    used = floor
    for index in order:
        if index == wrapped:
            continue
        if used + _GAP + widths[index] > width:
            break  # the rest of the priority order goes too: no holes in it
        kept.add(index)
        used += _GAP + widths[index]
    shown = sorted(kept)
    return shown, wrapped, min(natural, max(width - (used - floor), 1))


def render_report(
    report: Report,
    locale: str = "vi",
    *,
    width: int | None = None,
    columns: Sequence[str] | None = None,
) -> str:
    """The report's title, its summary in the terminal columns, and the key conventions.

    Args:
        report: The report to show.
        locale: ``"vi"`` or ``"en"``.
        width: The most terminal cells a line may take (``None``: no limit, every
            terminal column).  Unit names wrap first; then the columns last in
            :data:`COLUMN_PRIORITY` are left out, and a line under the table names them.
        columns: The summary columns to show, by key, in this order (the unit name
            always comes first); default: :data:`TERMINAL_COLUMNS` and the years with
            a figure.

    .. versionchanged:: 0.3
       *width* and *columns*.
    """
    summary = report.summary
    keep = _summary_keys(summary, columns)
    from .table import metadata_label

    meta = report.meta
    notes = [
        f"{metadata_label(key, locale)}: {_meta_text(meta[key], locale)}"
        for key in ("elapsed", "rollup", "rounding", "source")
        if key in meta
    ]
    years_last_first = sorted((k for k in keep if _year_column(k)), reverse=True)
    table, hidden = _layout(
        summary, locale, keep, "depth", True, width, (*COLUMN_PRIORITY, *years_last_first)
    )
    remarks = _remarks(summary, locale)
    if hidden:
        shown = ", ".join(hidden)
        remarks = [
            "",
            f"(Ẩn {len(hidden)} cột cho vừa màn hình: {shown})"
            if locale == "vi"
            else f"({len(hidden)} columns hidden to fit the screen: {shown})",
            *remarks,
        ]
    lines = [report.title(locale), "", *table, *remarks, "", *notes]
    if width is not None:
        lines = [part for text in lines for part in (wrap_text(text, width, 2) or [""])]
    return "\n".join(lines) + "\n"


def _summary_keys(summary: Table, columns: Sequence[str] | None) -> list[str]:
    """The summary columns shown: the unit name and *columns* that exist, else
    :data:`TERMINAL_COLUMNS` and each year that has a figure."""
    if columns is not None:
        known = {c.key for c in summary.columns}
        return ["unit_name", *(k for k in columns if k != "unit_name" and k in known)]
    years = [c.key for c in summary.columns if _year_column(c.key)]
    keys = [k for k in (*TERMINAL_COLUMNS, *years) if any(c.key == k for c in summary.columns)]
    # Drop per-year columns with no figure at all (years after the as-of date).
    return [
        k
        for k in keys
        if not _year_column(k)
        or any(row[summary.column_index(k)] is not None for row in summary.rows)
    ]


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
    from ..labels import label

    return label(str(value), locale)
