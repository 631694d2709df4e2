"""An importer plugin whose registration fails on purpose."""

from __future__ import annotations

from collections.abc import Callable

from partydev import hookimpl
from partydev.plugins import Importer


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    """Fail, as a plugin missing a dependency would."""
    raise RuntimeError("partydev-importer-sample's broken importer fails on purpose")
