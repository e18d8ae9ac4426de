"""The source lines a report quotes, fetched once per file.

The runner hands them over on ``FileResult.source_lines``; when a result was built
without them (or a finding points into another file) the file is read again with the
same decoding and line splitting as the text reader, so quoted lines and columns
match what the rules saw.  A file that cannot be read just goes unquoted.
"""

from __future__ import annotations

from ..errors import FilinglintError
from ..model import RunResult
from ..readers.text import read_text_file


class SourceCache:
    """Source lines by path, for one report."""

    def __init__(self, result: RunResult | None = None):
        self._lines: dict[str, list[str] | None] = {}
        for file_result in (result.files if result else ()):
            # An empty list means "not provided": the reader refuses empty files.
            lines = getattr(file_result, "source_lines", None)
            if lines:
                self._lines[file_result.path] = list(lines)

    def lines(self, path: str) -> list[str] | None:
        """All lines of ``path``, or ``None`` when the file cannot be read."""
        if path not in self._lines:
            try:
                self._lines[path] = read_text_file(path).lines
            except (FilinglintError, OSError, ValueError):
                self._lines[path] = None
        return self._lines[path]

    def line(self, path: str, number: int) -> str | None:
        """Line ``number`` (1-based) of ``path``; ``None`` when unknown or out of range."""
        lines = self.lines(path)
        if lines is None or not 0 < number <= len(lines):
            return None
        return lines[number - 1]
