"""How a report is rendered: language, base directory, colour, tool version."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FormatOptions:
    """Options every formatter accepts.

    ``lang`` picks which half of each bilingual message is printed (``"zh"`` or
    ``"en"``); ``cwd`` is the directory artifact URIs and fingerprints are made
    relative to, so a report does not change when the checkout moves."""

    lang: str = "zh"
    cwd: str = "."
    color: bool = False
    tool_version: str = "0.1.0"
    show_source: bool = True
