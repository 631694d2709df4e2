"""The plugin machinery and the API plugins are written against.

The manager (:mod:`partydev.plugins.manager`, re-exported here as
:mod:`partydev.plugins` always was), the hook specifications
(:mod:`partydev.plugins.hookspecs`), and the values plugins register: exporters
(:mod:`partydev.plugins.exporting`) and importers (:mod:`partydev.plugins.importing`).
"""

from __future__ import annotations

from .exporting import (
    Exporter,
    Option,
)
from .hookspecs import hookimpl
from .importing import (
    CSV_ENGINES,
    CsvEngine,
    Importer,
    LedgerSource,
)
from .manager import (
    DEFAULT_PLUGINS,
    LOAD_PLUGINS_ENV,
    PartydevPluginWarning,
    clear_exporter_cache,
    exporters,
    get_exporter,
    get_importer,
    get_plugin_manager,
    importer_for_path,
    importers,
    plugin_info,
    reset_plugin_manager,
)

__all__ = [
    "CSV_ENGINES",
    "DEFAULT_PLUGINS",
    "LOAD_PLUGINS_ENV",
    "CsvEngine",
    "Exporter",
    "Importer",
    "LedgerSource",
    "Option",
    "PartydevPluginWarning",
    "clear_exporter_cache",
    "exporters",
    "get_exporter",
    "get_importer",
    "get_plugin_manager",
    "hookimpl",
    "importer_for_path",
    "importers",
    "plugin_info",
    "reset_plugin_manager",
]
