"""Errors that end a run (or one file's check) with a clear one-line message.

Every error knows where it is (file, and line/column when it has them) so the CLI can
print ``path:line:col: error: message`` and exit 2 instead of a traceback."""

from __future__ import annotations


class FilinglintError(Exception):
    """Base class: ``str(err)`` is the one-line, user-facing message."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, context: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.context = context  # source line plus caret, when there is one

    def where(self) -> str:
        parts = [p for p in (self.path, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def render(self) -> str:
        text = f"{self}"
        if self.context:
            text += "\n" + self.context
        return text


class InputError(FilinglintError):
    """A filing that cannot be read: missing, empty, binary, undecodable, no tables."""


class UsageError(FilinglintError):
    """Bad command-line arguments or configuration."""


class RuleFileError(FilinglintError):
    """A rule file that does not parse or names something that does not exist."""


class PluginError(FilinglintError):
    """A plugin that cannot be loaded or registered."""
