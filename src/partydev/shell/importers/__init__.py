"""The built-in ledger formats partydev reads, each an ordinary plugin module.

Each module implements ``register_importers`` exactly as an installed plugin
would, and is listed in :data:`partydev.plugins.DEFAULT_PLUGINS`.
"""
