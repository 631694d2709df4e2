"""``python -m partydev``: the same as the ``partydev`` command."""

from .cli import main

raise SystemExit(main())
