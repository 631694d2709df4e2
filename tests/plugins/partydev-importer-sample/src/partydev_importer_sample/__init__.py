"""A sample importer plugin: ``.pdl`` files are a ``#pdl`` line, then a JSON ledger."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from partydev import Ledger, Option, ValidationError, hookimpl, loads_ledger
from partydev.plugins import Importer, LedgerSource

MAGIC = "#pdl"


def read(source: LedgerSource, options: Mapping[str, Any]) -> Ledger:
    """The ledger after the ``#pdl`` line; with ``title``, that title instead of its own."""
    text = source.path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if first.strip() != MAGIC:
        raise ValidationError("a .pdl file starts with #pdl", line=1, value=first)
    ledger = loads_ledger(rest, "ledger.json")
    return attrs.evolve(ledger, title=options["title"]) if options["title"] else ledger


IMPORTER = Importer(
    name="pdl",
    title_vi="Sổ theo dõi mẫu .pdl",
    title_en="Sample .pdl ledger",
    suffixes=(".pdl",),
    read=read,
    options=(Option("title", str, "", "Tiêu đề thay thế", "A title to use instead"),),
)


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    """Register the ``pdl`` format."""
    register(IMPORTER)
