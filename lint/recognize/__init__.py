"""Recognizers: a Document's blocks -> tables (pandas panels with cell locations) and
narrative claims.  The engine calls these once per filing; rules only read the result.

The table recognizer (and with it pandas) is imported on first use, so listing rules or
printing help never pays for pandas."""

from typing import TYPE_CHECKING, Any

__all__ = ["recognize_tables", "read_metadata"]

if TYPE_CHECKING:  # pragma: no cover
    from .tables import read_metadata, recognize_tables


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import tables

        return getattr(tables, name)
    raise AttributeError(name)
