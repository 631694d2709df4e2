"""The export formats partydev's own plugin distributions add, to name them in errors.

``partydev report -f xlsx`` without the XLSX plugin should say what to install,
not only that the format is unknown.
"""

from __future__ import annotations

import os

__all__ = ["KNOWN_PLUGIN_FORMATS", "install_hint"]

KNOWN_PLUGIN_FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "xlsx": ("partydev-xlsx", "xlsx", (".xlsx",)),
    "markdown": ("partydev-markdown", "markdown", (".md", ".markdown")),
    "png": ("partydev-chart", "chart", (".png",)),
    "svg": ("partydev-chart", "chart", (".svg",)),
    "pdf": ("partydev-chart", "chart", (".pdf",)),
}
"""Format → (distribution, the ``partydev[extra]`` installing it, file suffixes)."""


def install_hint(name: str) -> str:
    """What to install for the format *name* or a file name with its suffix; ``""`` if unknown.

    >>> install_hint("xlsx")
    "the 'xlsx' format comes with the partydev-xlsx plugin: pip install 'partydev[xlsx]'"
    >>> install_hint("chart.svg")
    "the 'svg' format comes with the partydev-chart plugin: pip install 'partydev[chart]'"
    """
    lowered = os.path.basename(name).lower()
    for fmt, (distribution, extra, suffixes) in KNOWN_PLUGIN_FORMATS.items():
        if lowered == fmt or lowered.endswith(suffixes):
            return (
                f"the {fmt!r} format comes with the {distribution} plugin: "
                f"pip install 'partydev[{extra}]'"
            )
    return ""
