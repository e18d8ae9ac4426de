"""Turning a position in a rule file into a :class:`lint.errors.RuleFileError` that
shows the line and a caret under the offending text, with "did you mean …?" hints."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Iterable

from ..errors import RuleFileError
from ..i18n import tr


def _display_width(text: str) -> int:
    # CJK characters take two terminal columns; keep the caret under the right text.
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def caret_context(text: str, line: int, column: int, length: int = 1) -> str:
    """The source line ``line`` of ``text`` followed by ``^~~~`` under ``length``
    characters starting at 1-based ``column``.  Tabs before the column are copied so
    the caret lines up in any terminal."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    src = lines[line - 1]
    col = max(1, min(column, len(src) + 1))
    before = src[: col - 1]
    pad = "".join(ch if ch == "\t" else " " * _display_width(ch) for ch in before)
    target = src[col - 1: col - 1 + max(1, length)]
    width = max(1, _display_width(target)) if target else 1
    return f"{src}\n{pad}^{'~' * (width - 1)}"


def rule_error(message: str, source: str, text: str, line: int, column: int, length: int = 1) -> RuleFileError:
    """A rule-file error at ``source:line:column`` with the caret context filled in."""
    return RuleFileError(message, source, line or None, column or None,
                         caret_context(text, line, column, length) or None)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (difflib), or ``None``."""
    pool = sorted(set(choices))
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if found:
        return found[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(word.lower())


def hint(word: str, choices: Iterable[str]) -> str:
    """A suffix in the run's language: ``；是否想写 'basic'？`` (``; did you mean 'basic'?``
    in English), or ``""`` when nothing is close."""
    best = did_you_mean(word, choices)
    if best is None:
        return ""
    return tr("；是否想写 '{best}'？", best=best)
