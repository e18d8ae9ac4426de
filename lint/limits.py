"""How big a filing filinglint reads: a documented limit with a clear error above it,
rather than a run that goes on for hours.

Every stage is linear in the size of a filing (tests/test_scale.py counts the work), so
time grows with size at roughly 150–300 KB of text per second per core; a real filing
is 20–200 KB of text, a whole budget book a few MB.  Limits, per filing:

* a text file (``.txt``, or anything read as text) of more than ``max_mb`` MiB
  (default 8) is refused before it is read;
* any other file (PDF, DOCX, XLSX) of more than ``8 × max_mb`` MiB is refused before it
  is read, and after reading, a filing whose text comes to more than ``max_mb`` Mi
  characters is refused too.

``filinglint check --max-size MB`` raises (or lowers) ``max_mb``.  A refused file is an
input error (exit 2) naming the file, its size and the limit; the other files still
run.
"""

from __future__ import annotations

import os

from .errors import InputError
from .i18n import tr
from .model import Document

DEFAULT_MAX_MB = 8.0
BINARY_FACTOR = 8  # a PDF/DOCX/XLSX holds far fewer characters than bytes
TEXT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".md", "")
MIB = 1 << 20


def _too_large(what: str, size: float, limit: float, path: str) -> InputError:
    return InputError(tr("输入过大：{what} {size} MiB，超过上限 {limit} MiB，可用 --max-size 调整",
                         what=what, size=f"{size / MIB:.2f}", limit=f"{limit / MIB:.2f}"), path)


def check_file(path: str, max_mb: float | None = None) -> None:
    """Refuse ``path`` (or each member of ``a+b``) when its size on disk is over the limit."""
    from .readers.join import members

    limit = (max_mb or DEFAULT_MAX_MB) * MIB
    for member in members(path) or [path]:
        try:
            size = os.stat(member).st_size
        except OSError:
            continue  # missing or unreadable: the reader says so in its words
        text_like = os.path.splitext(member)[1].lower() in TEXT_SUFFIXES
        cap = limit if text_like else limit * BINARY_FACTOR
        if size > cap:
            raise _too_large(tr("文件"), size, cap, member)


def check_document(document: Document, max_mb: float | None = None) -> None:
    """Refuse a filing whose text, as read, is over the limit."""
    limit = (max_mb or DEFAULT_MAX_MB) * MIB
    chars = 0
    for line in document.lines:
        chars += len(line) + 1
        if chars > limit:
            raise _too_large(tr("文本"), chars, limit, document.path)
