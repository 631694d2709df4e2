"""The TOML, JSON and CSV readers, registered as any importer plugin is."""

from __future__ import annotations

from collections.abc import Callable

from ...plugins.hookspecs import hookimpl
from ...plugins.importing import Importer
from ..io import CSV_IMPORTER, JSON_IMPORTER, TOML_IMPORTER

__all__ = ["register_importers"]


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    """Register the ``toml``, ``json`` and ``csv`` readers."""
    register(TOML_IMPORTER)
    register(JSON_IMPORTER)
    register(CSV_IMPORTER)
