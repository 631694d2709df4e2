"""The plugin manager: built-in formats plus installed plugins, loaded on first use.

partydev finds export formats through the hook ``register_exporters`` and the
ledger formats it reads through ``register_importers``.  The built-in formats
are ordinary modules listed in :data:`DEFAULT_PLUGINS` and registered exactly
like third-party plugins, which are distributions declaring an entry point in
the ``partydev`` group::

    [project.entry-points.partydev]
    markdown = "partydev_markdown"

The manager is built on the first call to :func:`get_plugin_manager`, never at
import time.  A plugin that fails to import or to register its exporters gives
one :class:`PartydevPluginWarning` naming it and its error (once per plugin
and hook until :func:`reset_plugin_manager`, however often the formats are
collected again), is listed by :func:`plugin_info` with that error, and everything else
keeps working.  That holds for any exception, ``SystemExit`` included; only
``KeyboardInterrupt`` (Ctrl-C) goes through.  Two plugins registering an
exporter (or an importer) under one name disable that name only, with a warning naming both;
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

from .._version import __version__
from ..errors import PluginError
from . import hookspecs
from .exporting import Exporter
from .importing import Importer

__all__ = [
    "DEFAULT_PLUGINS",
    "LOAD_PLUGINS_ENV",
    "PartydevPluginWarning",
    "clear_exporter_cache",
    "exporters",
    "get_exporter",
    "get_importer",
    "get_plugin_manager",
    "importer_for_path",
    "importers",
    "plugin_info",
    "reset_plugin_manager",
]

DEFAULT_PLUGINS: tuple[str, ...] = (
    "partydev.shell.exporters.csv",
    "partydev.shell.exporters.json",
    "partydev.shell.importers.builtin",
)
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


@attrs.frozen
class _Kind:
    """A registration hook: its name, the class it registers, and the word for one."""

    hook: str
    cls: type
    noun: str


_KINDS = {
    "exporters": _Kind("register_exporters", Exporter, "exporter"),
    "importers": _Kind("register_importers", Importer, "importer"),
}


@attrs.define
class _Collected:
    """One hook's results, valid while the registered plugins are the same."""

    key: tuple[tuple[str, object], ...] | None = None
    by_plugin: dict[str, list[Any]] = attrs.Factory(dict)
    errors: dict[str, str] = attrs.Factory(dict)
    # Names claimed by more than one plugin → the claimants.
    clashes: dict[str, list[str]] = attrs.Factory(dict)


@attrs.define
class _State:
    manager: pluggy.PluginManager | None = None
    sources: dict[str, _Source] = attrs.Factory(dict)
    load_errors: list[tuple[_Source, str]] = attrs.Factory(list)
    # Per kind ("exporters", "importers"), the cached hook results.
    collected: dict[str, _Collected] = attrs.Factory(dict)
    # Plugins already warned about: collecting again (after a registration
    # changes) records the error again but does not repeat the warning.
    warned: set[tuple[str, str]] = attrs.Factory(set)


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
        _state.collected.clear()


def _registrations(pm: pluggy.PluginManager) -> tuple[tuple[str, object], ...]:
    return tuple((name or "", plugin) for name, plugin in pm.list_name_plugin())


def _collect(pm: pluggy.PluginManager, kind: str = "exporters") -> _Collected:
    """Run one registration hook once per plugin, cached until registrations change.

    Each implementation is called on its own (rather than the hook as a whole)
    so that what it registers can be attributed to its plugin and one plugin
    raising does not take the others down.
    """
    spec = _KINDS[kind]
    with _lock:
        state = _state
        key = _registrations(pm)
        done = state.collected.get(kind)
        if done is not None and done.key == key:
            return done
        collected = _Collected(key=key)
        # get_hookimpls() lists in registration order: built-ins first.
        for impl in getattr(pm.hook, spec.hook).get_hookimpls():
            found: list[Any] = []

            def register(item: object, found: list[Any] = found) -> None:
                if not isinstance(item, spec.cls):
                    raise PluginError(
                        f"register() takes an {spec.cls.__name__}, not {type(item).__name__}"
                    )
                found.append(item)

            arguments = {"register": register}
            try:
                impl.function(*(arguments[name] for name in impl.argnames))
            except KeyboardInterrupt:
                raise
            except BaseException as error:
                message = _describe(error)
                collected.errors[impl.plugin_name] = message
                source = state.sources.get(impl.plugin_name) or _Source(
                    impl.plugin_name, impl.plugin_name, None, None
                )
                if (impl.plugin_name, kind) not in state.warned:
                    state.warned.add((impl.plugin_name, kind))
                    _warn(source, f"could not register its {kind}", message)
                continue
            collected.by_plugin[impl.plugin_name] = found
        collected.clashes = _clashes(collected.by_plugin)
        for name, claimants in collected.clashes.items():
            if (name, spec.noun) not in state.warned:
                state.warned.add((name, spec.noun))
                warnings.warn(
                    _clash_message(name, claimants, spec.noun), PartydevPluginWarning, stacklevel=4
                )
        state.collected[kind] = collected
        return collected


def _clashes(by_plugin: dict[str, list[Any]]) -> dict[str, list[str]]:
    claimants: dict[str, list[str]] = {}
    for plugin_name, found in by_plugin.items():
        for item in found:
            claimants.setdefault(item.name, []).append(plugin_name)
    return {name: owners for name, owners in claimants.items() if len(owners) > 1}


def _clash_message(name: str, claimants: list[str], noun: str = "exporter") -> str:
    return (
        f"two plugins register an {noun} called {name!r}: "
        f"{' and '.join(map(repr, claimants))}; the format is disabled until one is removed"
    )


def _registered(kind: str) -> dict[str, Any]:
    """Every registered item of *kind* by name, in registration order, clashes left out."""
    collected = _collect(get_plugin_manager(), kind)
    return {
        item.name: item
        for found in collected.by_plugin.values()
        for item in found
        if item.name not in collected.clashes
    }


def exporters() -> dict[str, Exporter]:
    """Every registered exporter by name, in registration order (built-ins first).

    A name that two plugins register is left out (a
    :class:`PartydevPluginWarning` names both), so that one clash does not
    stop the other formats.

    .. versionchanged:: 0.2
       A duplicate name disables that name instead of raising.
    """
    return _registered("exporters")


def get_exporter(name: str) -> Exporter:
    """The exporter called *name*.

    Raises:
        PluginError: if there is none, the message listing the available
            formats; or if two plugins register it, the message naming both.
    """
    available = exporters()
    clash = _collect(get_plugin_manager()).clashes.get(name)
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


def importers() -> dict[str, Importer]:
    """Every registered importer by name, in registration order (built-ins first).

    A name that two plugins register is left out, with a
    :class:`PartydevPluginWarning` naming both, as for :func:`exporters`.

    .. versionadded:: 0.3
    """
    return _registered("importers")


def get_importer(name: str) -> Importer:
    """The importer called *name*.

    Raises:
        PluginError: if there is none, the message listing the available
            formats; or if two plugins register it, the message naming both.

    .. versionadded:: 0.3
    """
    available = importers()
    clash = _collect(get_plugin_manager(), "importers").clashes.get(name)
    if clash is not None:
        raise PluginError(_clash_message(name, clash, "importer"), value=name)
    try:
        return available[name]
    except KeyError:
        raise PluginError(
            f"unknown import format {name!r}; available: {', '.join(sorted(available))}",
            value=name,
        ) from None


def importer_for_path(path: str | os.PathLike[str], *, ledger: bool = True) -> Importer | None:
    """The first importer (built-ins first) reading *path*'s suffix, or ``None``.

    With *ledger* (the default) only importers reading a whole ledger count;
    without it, only those reading the bulk records a ``files`` table names.

    .. versionadded:: 0.3
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    for importer in importers().values():
        reads = importer.read if ledger else importer.read_records
        if reads is not None and suffix in importer.suffixes:
            return importer
    return None


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])


def _error_of(pm: pluggy.PluginManager, plugin_name: str) -> str | None:
    """What is wrong with *plugin_name*: its registration errors and the clashes
    it is part of, as one message, or ``None``."""
    messages: list[str] = []
    for kind, spec in _KINDS.items():
        collected = _collect(pm, kind)
        if plugin_name in collected.errors:
            messages.append(collected.errors[plugin_name])
        messages += [
            _clash_message(name, claimants, spec.noun)
            for name, claimants in collected.clashes.items()
            if plugin_name in claimants
        ]
    return "; ".join(messages) or None


def plugin_info() -> list[dict[str, Any]]:
    """What is installed, for ``partydev plugins``: one JSON-ready dict per plugin.

    Each dict has ``name``, ``module``, ``distribution``, ``version``,
    ``builtin``, ``hooks``, ``exporters``, ``importers`` and ``error`` (``None`` when the
    plugin works; for an exporter name another plugin registers too, the
    clash, shown on both).  Plugins that failed to load are listed too.  Never raises
    for a broken plugin: this is what a user runs to find one.
    """
    pm = get_plugin_manager()
    exported, imported = _collect(pm, "exporters"), _collect(pm, "importers")
    state = _state
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
                "exporters": [e.name for e in exported.by_plugin.get(name, [])],
                "importers": [i.name for i in imported.by_plugin.get(name, [])],
                "error": _error_of(pm, name),
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
                "importers": [],
                "error": error,
            }
        )
    return rows
