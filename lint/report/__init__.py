"""Turning lint results into text, JSON, JSON Lines or SARIF.

A formatter is a streaming writer (``begin``/``file``/``end``, see
:mod:`lint.report.stream`) or a function ``format(result, rules, options) -> str``; the
built-in plugin registers them through the ``filinglint_formatters`` hook.  Formatters
are imported on first use (SARIF's object model is slow to import)."""

from typing import TYPE_CHECKING, Any

from .options import FormatOptions

__all__ = ["FORMATTERS", "FormatOptions", "format_json", "format_jsonl", "format_sarif", "format_text"]

if TYPE_CHECKING:  # pragma: no cover
    from .formatters import FORMATTERS, format_json, format_jsonl, format_sarif, format_text


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import formatters

        return getattr(formatters, name)
    raise AttributeError(name)
