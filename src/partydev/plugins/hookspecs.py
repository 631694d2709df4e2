"""Hook specifications: the markers and the hooks a partydev plugin can implement.

This module holds only markers and specifications, so that importing it costs
nothing.  A plugin is a module with functions decorated by :data:`hookimpl`::

    from partydev import Exporter, hookimpl

    @hookimpl
    def register_exporters(register):
        register(Exporter(name="markdown", ...))

and ``register_importers`` likewise registers :class:`~partydev.Importer` objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .exporting import Exporter
    from .importing import Importer

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "register_exporters", "register_importers"]

PROJECT_NAME = "partydev"
"""The pluggy project name, which is also the entry-point group plugins declare."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification (for partydev itself)."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a hook implementation in a plugin: ``@partydev.hookimpl``."""


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register export formats by calling ``register(exporter)`` once for each.

    Args:
        register: Call it with an :class:`~partydev.Exporter`.  Two exporters
            with one name are an error naming both plugins.
    """


@hookspec
def register_importers(register: Callable[[Importer], None]) -> None:
    """Register ledger formats partydev reads by calling ``register(importer)`` once for each.

    Args:
        register: Call it with an :class:`~partydev.Importer`.  Two importers
            with one name are an error naming both plugins.

    .. versionadded:: 0.3
    """
