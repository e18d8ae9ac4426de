"""The plugin manager: hookspecs, then every plugin of the ``filinglint`` entry-point
group (the built-in ones included), then ``-p`` modules.

A plugin that cannot be imported or registered does not stop the run: it becomes a
:class:`ToolNotice` and the remaining plugins load.  ``check_pending`` makes a
misspelled hook implementation fail loudly instead of being silently ignored.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass, field
from typing import Sequence

import pluggy

from ..model import ToolNotice
from . import PROJECT, hookspecs


@dataclass
class LoadedPlugins:
    pm: pluggy.PluginManager
    notices: list[ToolNotice] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    eps = importlib.metadata.entry_points()
    group = eps.select(group=PROJECT) if hasattr(eps, "select") else eps.get(PROJECT, [])
    # Entry points of an editable install and a regular one can both be visible;
    # the first of a name wins, in a stable order.
    seen, out = set(), []
    for ep in sorted(group, key=lambda e: (e.name, e.value)):
        if ep.name not in seen:
            seen.add(ep.name)
            out.append(ep)
    return out


_BUILTIN = {
    "builtin": "lint.plugins.builtin",
    "core": "rules.core",
    "hunan": "rules.hunan",
    "sichuan": "rules.sichuan",
    "performance": "rules.performance",
}


def load_plugins(extra: Sequence[str] = (), use_entry_points: bool = True) -> LoadedPlugins:
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    loaded = LoadedPlugins(pm)
    sources: list[tuple[str, str]] = []
    if use_entry_points:
        sources.extend((ep.name, ep.value) for ep in _entry_points())
    # Running from a checkout without installing: the built-in plugins still load.
    for name, module in _BUILTIN.items():
        if all(n != name for n, _ in sources):
            sources.append((name, module))
    sources.extend((m, m) for m in extra)
    for name, target in sources:
        _register(loaded, name, target)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        loaded.notices.append(ToolNotice(f"插件钩子名无效 (unknown hook implementation): {exc}", str(exc.plugin)))
    return loaded


def _register(loaded: LoadedPlugins, name: str, target: str) -> None:
    module_name, _, attr = target.partition(":")
    try:
        obj = importlib.import_module(module_name)
        if attr:
            for part in attr.split("."):
                obj = getattr(obj, part)
        if loaded.pm.is_registered(obj):
            return
        loaded.pm.register(obj, name=name)
        loaded.names.append(name)
    except Exception as exc:  # any failure inside third-party code becomes a notice
        loaded.notices.append(ToolNotice(
            f"插件 {name!r}（{target}）加载失败 (plugin failed to load): {type(exc).__name__}: {exc}", name))
