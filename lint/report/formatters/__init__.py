"""The built-in output formats, by the name ``--format`` takes; each module is imported
when its format is first used."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["FORMATTERS", "format_json", "format_jsonl", "format_sarif", "format_text"]

_WHERE = {"format_text": "text", "format_json": "json", "format_jsonl": "json", "format_sarif": "sarif"}

if TYPE_CHECKING:  # pragma: no cover
    from .json import format_json, format_jsonl
    from .sarif import format_sarif
    from .text import format_text


def __getattr__(name: str) -> Any:
    if name == "FORMATTERS":
        return {"text": format_text, "json": format_json, "jsonl": format_jsonl,  # noqa: F821
                "sarif": format_sarif}  # noqa: F821
    if name in _WHERE:
        value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(name)
