"""The plugin manager: hookspecs, then every plugin of the ``filinglint`` entry-point
group (the built-in ones included), then ``-p`` modules.

A plugin that cannot be imported or registered does not stop the run: it becomes a
:class:`ToolNotice` and the remaining plugins load.  ``check_pending`` makes a
misspelled hook implementation fail loudly instead of being silently ignored.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Sequence

import pluggy

from ..model import ToolNotice
from ..i18n import tr
from . import PROJECT, hookspecs


# What plugin code may throw at us.  ``SystemExit`` (a ``sys.exit()`` in a plugin) and
# ``KeyboardInterrupt`` raised by plugin code are the plugin's failure, not the
# program's own exit: caught, they become a notice and the run ends with exit 3.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, KeyboardInterrupt)


def _is_str_dict(value: Any, of_callables: bool = False) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and (callable(v) or not of_callables)
                                           for k, v in value.items())


def check_hook_result(hook: str, result: Any) -> str | None:
    """What is wrong with a plugin's answer to ``hook`` (``None`` when it is usable).

    The loader trusts nothing a plugin returns: a wrong type would otherwise crash it
    far from the plugin that caused it."""
    if hook == "filinglint_packs":
        from ..engine.registry import Pack

        ok = isinstance(result, (list, tuple)) and all(isinstance(p, Pack) for p in result)
        return None if ok else tr("应返回 Pack 列表")
    if hook == "filinglint_readers":
        ok = isinstance(result, (list, tuple)) and all(
            callable(getattr(r, "read", None)) and isinstance(getattr(r, "suffixes", ()), (tuple, list))
            and all(isinstance(x, str) for x in getattr(r, "suffixes", ())) for r in result)
        return None if ok else tr("应返回读取器列表，每个有 read() 与 suffixes")
    if hook in ("filinglint_formatters", "filinglint_table_layouts"):
        return None if _is_str_dict(result, of_callables=True) else \
            tr("应返回以名称为键、可调用对象为值的字典")
    if hook == "filinglint_dsl_functions":
        return None if _is_str_dict(result) else tr("应返回以名称为键、函数为值的字典")
    if hook == "filinglint_detect_template":
        ok = isinstance(getattr(result, "template", None), str) and isinstance(getattr(result, "score", None),
                                                                                (int, float))
        return None if ok else tr("应返回 TemplateMatch 或 None")
    if hook == "filinglint_extract_claims":
        from ..model import Claim

        ok = isinstance(result, (list, tuple)) and all(isinstance(c, Claim) for c in result)
        return None if ok else tr("应返回 Claim 列表")
    return None


@dataclass
class LoadedPlugins:
    pm: pluggy.PluginManager
    notices: list[ToolNotice] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def _entry_points() -> list[tuple[str, str]]:
    """(name, value) of the ``filinglint`` entry points, the first of each name in a
    stable order.  Reading every installed distribution's metadata costs ~15 ms of a
    start, so the answer is kept in filinglint's cache (lint/cache.py), keyed by what it
    depends on: the import path and each distribution's metadata directory on it, with
    its ``entry_points.txt`` (size, modification time).  Installing, removing or
    editing a package changes the key."""
    from .. import cache

    digest = cache.key("entry-points", PROJECT, _distributions()) if cache.cache_dir() is not None else ""
    found = cache.load("entry-points", digest) if digest else None
    if isinstance(found, list) and all(isinstance(x, tuple) and len(x) == 2 for x in found):
        return found
    import importlib.metadata

    eps = importlib.metadata.entry_points()
    group = eps.select(group=PROJECT) if hasattr(eps, "select") else eps.get(PROJECT, [])
    # Entry points of an editable install and a regular one can both be visible;
    # the first of a name wins, in a stable order.
    seen, out = set(), []
    for ep in sorted(group, key=lambda e: (e.name, e.value)):
        if ep.name not in seen:
            seen.add(ep.name)
            out.append((ep.name, ep.value))
    if digest:
        cache.store("entry-points", digest, out)
    return out


def _distributions() -> str:
    """The import path and, on it, every distribution's metadata directory with the
    size and modification time of it and of its ``entry_points.txt``."""
    lines = []
    for entry in sys.path:
        lines.append(f"path {entry}")
        try:
            items = sorted(os.scandir(entry or "."), key=lambda e: e.name)
        except OSError:
            continue
        for item in items:
            if item.name.endswith((".dist-info", ".egg-info", ".egg-link")):
                stamps = []
                for path in (item.path, os.path.join(item.path, "entry_points.txt")):
                    try:
                        st = os.stat(path)
                        stamps.append(f"{st.st_size}:{st.st_mtime_ns}")
                    except OSError:
                        stamps.append("-")
                lines.append(f"{item.name} {' '.join(stamps)}")
    return "\n".join(lines)


_BUILTIN = {
    "builtin": "lint.plugins.builtin",
    "core": "lint.rules.core",
    "hunan": "lint.rules.hunan",
    "sichuan": "lint.rules.sichuan",
    "performance": "lint.rules.performance",
    "shanghai": "lint.rules.shanghai",
    "jiangsu": "lint.rules.jiangsu",
}


def load_plugins(extra: Sequence[str] = (), use_entry_points: bool = True) -> LoadedPlugins:
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    loaded = LoadedPlugins(pm)
    sources: list[tuple[str, str]] = []
    if use_entry_points:
        sources.extend(_entry_points())
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
        loaded.notices.append(ToolNotice(tr("插件钩子名无效：{error}", error=exc), str(exc.plugin)))
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
    except PLUGIN_FAILURES as exc:  # any failure inside third-party code becomes a notice
        loaded.notices.append(ToolNotice(
            tr("插件 {plugin}（{target}）加载失败：{error}", plugin=repr(name), target=target,
               error=f"{type(exc).__name__}: {exc}"), name))
