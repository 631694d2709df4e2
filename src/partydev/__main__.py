"""``python -m partydev``: the same as the ``partydev`` command."""

from .shell.cli import main

raise SystemExit(main())
