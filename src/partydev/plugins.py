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
keeps working.  That holds for any exception, ``SystemExit`` included; only
``KeyboardInterrupt`` (Ctrl-C) goes through.  Two plugins registering an
exporter under one name disable that name only, with a warning naming both;
the other formats keep working.

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
    # Exporter names claimed by more than one plugin → the claimants.
    clashes: dict[str, list[str]] = attrs.Factory(dict)
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
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit at import must not end the caller
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
            except KeyboardInterrupt:
                raise
            except BaseException as error:
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
        state.clashes = _clashes(by_plugin)
        for name, claimants in state.clashes.items():
            if f"exporter {name}" not in state.warned:
                state.warned.add(f"exporter {name}")
                warnings.warn(_clash_message(name, claimants), PartydevPluginWarning, stacklevel=4)
        state.collected_for = key
        return state


def _clashes(by_plugin: dict[str, list[Exporter]]) -> dict[str, list[str]]:
    claimants: dict[str, list[str]] = {}
    for plugin_name, found in by_plugin.items():
        for exporter in found:
            claimants.setdefault(exporter.name, []).append(plugin_name)
    return {name: owners for name, owners in claimants.items() if len(owners) > 1}


def _clash_message(name: str, claimants: list[str]) -> str:
    return (
        f"two plugins register an exporter called {name!r}: "
        f"{' and '.join(map(repr, claimants))}; the format is disabled until one is removed"
    )


def exporters() -> dict[str, Exporter]:
    """Every registered exporter by name, in registration order (built-ins first).

    A name that two plugins register is left out (a
    :class:`PartydevPluginWarning` names both), so that one clash does not
    stop the other formats.

    .. versionchanged:: 0.2
       A duplicate name disables that name instead of raising.
    """
    state = _collect(get_plugin_manager())
    return {
        exporter.name: exporter
        for found in state.by_plugin.values()
        for exporter in found
        if exporter.name not in state.clashes
    }


def get_exporter(name: str) -> Exporter:
    """The exporter called *name*.

    Raises:
        PluginError: if there is none, the message listing the available
            formats; or if two plugins register it, the message naming both.
    """
    available = exporters()
    clash = _state.clashes.get(name)
    if clash is not None:
        raise PluginError(_clash_message(name, clash), value=name)
    try:
        return available[name]
    except KeyError:
        from ._known_formats import install_hint

        hint = install_hint(name)
        raise PluginError(
            f"unknown export format {name!r}; "
            + (f"{hint}; " if hint else "")
            + f"available: {', '.join(sorted(available))}",
            value=name,
        ) from None


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])


def _clashes_of(state: _State, plugin_name: str) -> str | None:
    """The clashes *plugin_name* is part of, as one message, or ``None``."""
    messages = [
        _clash_message(name, claimants)
        for name, claimants in state.clashes.items()
        if plugin_name in claimants
    ]
    return "; ".join(messages) or None


def plugin_info() -> list[dict[str, Any]]:
    """What is installed, for ``partydev plugins``: one JSON-ready dict per plugin.

    Each dict has ``name``, ``module``, ``distribution``, ``version``,
    ``builtin``, ``hooks``, ``exporters`` and ``error`` (``None`` when the
    plugin works; for an exporter name another plugin registers too, the
    clash, shown on both).  Plugins that failed to load are listed too.  Never raises
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
                "error": state.register_errors.get(name) or _clashes_of(state, name),
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
