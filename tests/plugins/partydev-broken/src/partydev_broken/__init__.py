"""A partydev plugin that raises on import, to test that partydev survives it."""

raise RuntimeError("partydev-broken fails on import on purpose")
