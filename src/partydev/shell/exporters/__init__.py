"""The built-in export formats, each an ordinary plugin module.

Each module implements ``register_exporters`` exactly as an installed plugin
would, and is listed in :data:`partydev.plugins.DEFAULT_PLUGINS`.
"""
