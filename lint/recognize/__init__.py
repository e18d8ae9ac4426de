"""Recognizers: a Document's blocks -> tables (pandas panels with cell locations) and
narrative claims.  The engine calls these once per filing; rules only read the result."""

from .tables import read_metadata, recognize_tables

__all__ = ["recognize_tables", "read_metadata"]
