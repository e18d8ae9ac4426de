"""How a report is rendered: language, base directory, colour, tool version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FormatOptions:
    """Options every formatter accepts.

    ``lang`` picks which half of each bilingual message is printed (``"zh"`` or
    ``"en"``); ``cwd`` is the directory artifact URIs and fingerprints are made
    relative to, so a report does not change when the checkout moves.
    ``unused_suppressions``: one record per configured suppression that matched nothing
    in the run (:meth:`lint.report.review.Review.unused_records`); the command line
    fills it before the report's ``end``, and the machine formats list it."""

    lang: str = "zh"
    cwd: str = "."
    color: bool = False
    tool_version: str = "0.1.0"
    show_source: bool = True
    unused_suppressions: list[dict[str, Any]] = field(default_factory=list)
