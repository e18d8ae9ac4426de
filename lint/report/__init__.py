"""Turning a :class:`lint.model.RunResult` into text, JSON or SARIF.

Each formatter is ``format(result, rules, options) -> str``; the built-in plugin
registers them through the ``filinglint_formatters`` hook."""

from .formatters import FORMATTERS, format_json, format_sarif, format_text
from .options import FormatOptions

__all__ = ["FORMATTERS", "FormatOptions", "format_json", "format_sarif", "format_text"]
