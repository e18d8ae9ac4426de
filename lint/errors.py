"""Errors that end a run (or one file's check) with a clear one-line message.

Every error knows where it is (file, and line/column when it has them) so the CLI can
print ``path:line:col: error: message`` and exit 2 instead of a traceback."""

from __future__ import annotations

import re

# C0/C1 controls, DEL and the bidi overrides/isolates: a file name or a quoted line
# holding them must not move the cursor, recolour or reorder the user's terminal.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``); tab
    and newline are kept (messages use them for layout)."""
    s = str(text)
    if not _UNPRINTABLE.search(s):
        return s
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", s)


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
        return printable(f"{where}: {self.message}" if where else self.message).replace("\n", " ")

    def render(self) -> str:
        text = f"{self}"
        if self.context:
            text += "\n" + printable(self.context)
        return text


class InputError(FilinglintError):
    """A filing that cannot be read: missing, empty, binary, undecodable, no tables."""


class UsageError(FilinglintError):
    """Bad command-line arguments or configuration."""


class RuleFileError(FilinglintError):
    """A rule file that does not parse or names something that does not exist."""


class PluginError(FilinglintError):
    """A plugin that cannot be loaded or registered."""
