"""The plugin manager: built-in exporters plus installed plugins, loaded on first use.

partydev finds export formats through one hook, ``register_exporters``.  The
built-in formats are ordinary modules listed in :data:`DEFAULT_PLUGINS` and
registered exactly like third-party plugins, which are distributions declaring
an entry point in the ``partydev`` group::

    [project.entry-points.partydev]
    markdown = "partydev_markdown"

The manager is built on the first call to :func:`get_plugin_manager`, never at
import time.  A plugin that fails to import or to register its exporters gives
one :class:`PartydevPluginWarning` naming it and its error (once per plugin
until :func:`reset_plugin_manager`, however often the exporters are collected
again), is listed by :func:`plugin_info` with that error, and everything else
keeps working.

The environment variable ``PARTYDEV_LOAD_PLUGINS`` chooses the installed
plugins to load: a comma-separated list of entry-point or distribution names.
Set but empty, it loads none (only the built-in formats); unset, it loads all.
This module is the only place that reads it.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
import warnings
from collections.abc import Iterable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from . import hookspecs
from ._version import __version__
from .errors import PluginError
from .exporting import Exporter

__all__ = [
    "DEFAULT_PLUGINS",
    "LOAD_PLUGINS_ENV",
    "PartydevPluginWarning",
    "clear_exporter_cache",
    "exporters",
    "get_exporter",
    "get_plugin_manager",
    "plugin_info",
    "reset_plugin_manager",
]

DEFAULT_PLUGINS: tuple[str, ...] = ("partydev.exporters.csv", "partydev.exporters.json")
"""The built-in plugins, registered first and under their module names."""

LOAD_PLUGINS_ENV = "PARTYDEV_LOAD_PLUGINS"
"""The environment variable choosing which installed plugins load."""


class PartydevPluginWarning(UserWarning):
    """An installed plugin could not be loaded or could not register its exporters."""


@attrs.frozen
class _Source:
    """Where a plugin came from: a built-in module or an installed entry point."""

    name: str
    module: str
    distribution: str | None
    version: str | None


@attrs.define
class _State:
    manager: pluggy.PluginManager | None = None
    sources: dict[str, _Source] = attrs.Factory(dict)
    load_errors: list[tuple[_Source, str]] = attrs.Factory(list)
    # Cache of the hook results, valid while the registered plugins are the same.
    collected_for: tuple[tuple[str, object], ...] | None = None
    by_plugin: dict[str, list[Exporter]] = attrs.Factory(dict)
    register_errors: dict[str, str] = attrs.Factory(dict)
    # Plugins already warned about: collecting again (after a registration
    # changes) records the error again but does not repeat the warning.
    warned: set[str] = attrs.Factory(set)


_state = _State()
_lock = threading.RLock()


def _canonical(name: str) -> str:
    """A distribution name compared the way packaging does (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _warn(source: _Source, what: str, error: str) -> None:
    where = f"{source.name!r}"
    if source.distribution is not None:
        where += f" (distribution {source.distribution} {source.version})"
    warnings.warn(
        f"partydev plugin {where} {what}: {error}",
        PartydevPluginWarning,
        stacklevel=4,
    )


def _wanted(env: str | None) -> set[str] | None:
    """The names in ``PARTYDEV_LOAD_PLUGINS``, or ``None`` for all."""
    if env is None:
        return None
    return {_canonical(name.strip()) for name in env.split(",") if name.strip()}


def _entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=hookspecs.PROJECT_NAME)


def _load_installed(pm: pluggy.PluginManager, state: _State, wanted: set[str] | None) -> None:
    matched: set[str] = set()
    for entry_point in _entry_points():
        dist = entry_point.dist
        dist_name = dist.name if dist is not None else None
        keys = {_canonical(entry_point.name)}
        if dist_name is not None:
            keys.add(_canonical(dist_name))
        if wanted is not None:
            if not keys & wanted:
                continue
            matched |= keys & wanted
        name = entry_point.name
        if pm.get_plugin(name) is not None or pm.is_blocked(name) or name in state.sources:
            continue  # the same distribution seen twice on sys.path
        source = _Source(
            name=name,
            module=entry_point.value,
            distribution=dist_name,
            version=dist.version if dist is not None else None,
        )
        state.sources[name] = source
        try:
            plugin = entry_point.load()
            pm.register(plugin, name=name)
        except Exception as error:
            message = _describe(error)
            state.load_errors.append((source, message))
            _warn(source, "could not be loaded", message)
    for missing in sorted((wanted or set()) - matched):
        source = _Source(name=missing, module="", distribution=None, version=None)
        message = f"no installed plugin is called {missing!r} (from {LOAD_PLUGINS_ENV})"
        state.load_errors.append((source, message))
        _warn(source, "was not found", message)


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, built and cached on the first call.

    Registers the hook specifications, then :data:`DEFAULT_PLUGINS`, then the
    installed plugins chosen by ``PARTYDEV_LOAD_PLUGINS``.

    Returns:
        The shared :class:`pluggy.PluginManager` for the ``partydev`` project.
    """
    with _lock:
        if _state.manager is not None:
            return _state.manager
        pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        pm.add_hookspecs(hookspecs)
        for module_name in DEFAULT_PLUGINS:
            pm.register(importlib.import_module(module_name), name=module_name)
            _state.sources[module_name] = _Source(
                name=module_name, module=module_name, distribution="partydev", version=__version__
            )
        _load_installed(pm, _state, _wanted(os.environ.get(LOAD_PLUGINS_ENV)))
        _state.manager = pm
        return pm


def reset_plugin_manager() -> None:
    """Forget the cached manager and exporters; the next call builds them afresh.

    For tests, and for :mod:`partydev.testing`; ``PARTYDEV_LOAD_PLUGINS`` is
    read again on the next :func:`get_plugin_manager`.
    """
    global _state
    with _lock:
        _state = _State()


def clear_exporter_cache() -> None:
    """Collect the exporters again on next use (after registering a plugin by hand).

    Registering or unregistering through the manager is noticed anyway; this
    is for a plugin whose ``register_exporters`` gives different answers.
    """
    with _lock:
        _state.collected_for = None


def _registrations(pm: pluggy.PluginManager) -> tuple[tuple[str, object], ...]:
    return tuple((name or "", plugin) for name, plugin in pm.list_name_plugin())


def _collect(pm: pluggy.PluginManager) -> _State:
    """Run ``register_exporters`` once per plugin, cached until registrations change.

    Each implementation is called on its own (rather than the hook as a whole)
    so that the exporters can be attributed to their plugin and one plugin
    raising does not take the others down.
    """
    with _lock:
        state = _state
        key = _registrations(pm)
        if state.collected_for == key:
            return state
        by_plugin: dict[str, list[Exporter]] = {}
        errors: dict[str, str] = {}
        # get_hookimpls() lists in registration order: built-ins first.
        for impl in pm.hook.register_exporters.get_hookimpls():
            found: list[Exporter] = []

            def register(exporter: Exporter, found: list[Exporter] = found) -> None:
                if not isinstance(exporter, Exporter):
                    raise PluginError(
                        f"register() takes an Exporter, not {type(exporter).__name__}"
                    )
                found.append(exporter)

            arguments = {"register": register}
            try:
                impl.function(*(arguments[name] for name in impl.argnames))
            except Exception as error:
                message = _describe(error)
                errors[impl.plugin_name] = message
                source = state.sources.get(impl.plugin_name) or _Source(
                    impl.plugin_name, impl.plugin_name, None, None
                )
                if impl.plugin_name not in state.warned:
                    state.warned.add(impl.plugin_name)
                    _warn(source, "could not register its exporters", message)
                continue
            by_plugin[impl.plugin_name] = found
        state.by_plugin = by_plugin
        state.register_errors = errors
        state.collected_for = key
        return state


def exporters() -> dict[str, Exporter]:
    """Every registered exporter by name, in registration order (built-ins first).

    Raises:
        PluginError: if two exporters claim one name; the message names both plugins.
    """
    state = _collect(get_plugin_manager())
    result: dict[str, Exporter] = {}
    owner: dict[str, str] = {}
    for plugin_name, found in state.by_plugin.items():
        for exporter in found:
            if exporter.name in result:
                raise PluginError(
                    f"two plugins register an exporter called {exporter.name!r}: "
                    f"{owner[exporter.name]!r} and {plugin_name!r}",
                    value=exporter.name,
                )
            result[exporter.name] = exporter
            owner[exporter.name] = plugin_name
    return result


def get_exporter(name: str) -> Exporter:
    """The exporter called *name*.

    Raises:
        PluginError: if there is none; the message lists the available formats.
    """
    available = exporters()
    try:
        return available[name]
    except KeyError:
        raise PluginError(
            f"unknown export format {name!r}; available: {', '.join(sorted(available))}",
            value=name,
        ) from None


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])


def plugin_info() -> list[dict[str, Any]]:
    """What is installed, for ``partydev plugins``: one JSON-ready dict per plugin.

    Each dict has ``name``, ``module``, ``distribution``, ``version``,
    ``builtin``, ``hooks``, ``exporters`` and ``error`` (``None`` when the
    plugin works).  Plugins that failed to load are listed too.  Never raises
    for a broken plugin: this is what a user runs to find one.
    """
    pm = get_plugin_manager()
    state = _collect(pm)
    rows: list[dict[str, Any]] = []
    for name, plugin in _registrations(pm):
        source = state.sources.get(name)
        module = source.module if source else getattr(plugin, "__name__", repr(plugin))
        rows.append(
            {
                "name": name,
                "module": module,
                "distribution": source.distribution if source else None,
                "version": source.version if source else None,
                "builtin": name in DEFAULT_PLUGINS,
                "hooks": _hooks_of(pm, plugin),
                "exporters": [e.name for e in state.by_plugin.get(name, [])],
                "error": state.register_errors.get(name),
            }
        )
    for source, error in state.load_errors:
        rows.append(
            {
                "name": source.name,
                "module": source.module or None,
                "distribution": source.distribution,
                "version": source.version,
                "builtin": False,
                "hooks": [],
                "exporters": [],
                "error": error,
            }
        )
    return rows
