"""Plugin plumbing: the hook specifications, the marker plugins use, the manager.

Third-party packs do ``from lint.plugins import hookimpl`` and implement the
``filinglint_*`` hooks documented in :mod:`lint.plugins.hookspecs`."""

import pluggy

PROJECT = "filinglint"

hookimpl = pluggy.HookimplMarker(PROJECT)
hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]
