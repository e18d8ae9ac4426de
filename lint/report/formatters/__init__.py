"""The built-in output formats, by the name ``--format`` takes."""

from .json import format_json
from .sarif import format_sarif
from .text import format_text

FORMATTERS = {"text": format_text, "json": format_json, "sarif": format_sarif}

__all__ = ["FORMATTERS", "format_json", "format_sarif", "format_text"]
