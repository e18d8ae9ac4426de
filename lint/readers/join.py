"""One filing in several files: members read separately, then laid end to end.

Some provinces publish a filing's narrative and its tables as two files (Jiangsu's
``…-text.pdf`` + ``…-tables.pdf``).  Checks across them (a sentence's amount against
a table cell) need both in one :class:`~lint.model.Document`.  The members' lines are
joined with a blank line between them; every place keeps the member it came from in
``Place.file``, so a finding names the right file, page and box.

How a user asks for it (see docs/formats.md):

- ``filinglint check a-text.pdf+a-tables.pdf`` — ``+`` joins the files it separates
  (a path that exists as written is never split);
- a directory run pairs ``<stem>-text.<ext>`` with ``<stem>-tables.<ext>`` (also
  ``_text``/``_tables``, ``-narrative``, ``-正文``/``-表格``; the two may be of different
  formats: ``a-text.docx`` + ``a-tables.xlsx``) automatically.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from ..errors import InputError
from ..i18n import tr
from ..model import Block, CellText, Document, Place, Span

JOIN = "+"

# The parts a split filing names its files by: narrative first, then tables.
_PART = re.compile(r"^(?P<stem>.+?)[-_.](?P<part>text|narrative|正文|说明|tables?|报表|表格)$", re.IGNORECASE)
_NARRATIVE = {"text", "narrative", "正文", "说明"}


def members(path: str) -> list[str] | None:
    """The member files ``path`` joins, or None when it names one file."""
    if JOIN not in path or os.path.exists(path):
        return None
    parts = [p for p in path.split(JOIN)]
    if len(parts) < 2 or any(not p.strip() for p in parts):
        raise InputError(tr("用 + 连接的文件名中有空的部分"), path)
    return parts


def join_path(paths: Sequence[str]) -> str:
    return JOIN.join(paths)


def pair_members(paths: Sequence[str]) -> list[str]:
    """``paths`` with each split filing's members (same directory, same stem, one
    narrative part and one table part) replaced by one joined path, at the place of
    its first member; everything else unchanged and in order."""
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    for p in paths:
        key = _part_key(p)
        if key is not None:
            groups.setdefault(key[0], {}).setdefault(key[1], []).append(p)
    joined: dict[str, str] = {}
    for parts in groups.values():
        # exactly one narrative and one table file (any formats: a-text.docx + a-tables.xlsx)
        if set(parts) == {"narrative", "tables"} and all(len(v) == 1 for v in parts.values()):
            combined = join_path([parts["narrative"][0], parts["tables"][0]])
            joined[parts["narrative"][0]] = combined
            joined[parts["tables"][0]] = combined
    out: list[str] = []
    for p in paths:
        q = joined.get(p, p)
        if q not in out:
            out.append(q)
    return out


def _part_key(path: str) -> tuple[tuple[str, str], str] | None:
    p = Path(path)
    m = _PART.match(p.stem)
    if not m:
        return None
    part = "narrative" if m.group("part").lower() in _NARRATIVE else "tables"
    return (str(p.parent), m.group("stem")), part


def read_joined(path: str, parts: Sequence[str], read_one: Callable[[str], Document]) -> Document:
    """Read every member with ``read_one`` and lay them out as one Document."""
    docs = [read_one(p) for p in parts]
    lines: list[str] = []
    blocks: list[Block] = []
    places: dict[int, tuple[tuple[int, int, Place], ...]] = {}
    metadata: dict = {}
    for member, doc in zip(parts, docs):
        if lines:
            lines.append("")  # members never run into each other
        offset = len(lines)
        lines.extend(doc.lines)
        for b in doc.blocks:
            blocks.append(Block(b.kind, b.line + offset, b.text,
                                tuple(CellText(c.text, _shift(c.span, offset)) for c in b.cells)))
        for line, segments in doc.places.items():
            places[line + offset] = tuple((s, e, replace(p, file=p.file or member)) for s, e, p in segments)
        for k, v in doc.metadata.items():
            metadata.setdefault(k, v)
    formats = sorted({d.format for d in docs})
    return Document(path=path, encoding="+".join(d.encoding for d in docs), lines=lines, blocks=blocks,
                    metadata={**metadata, "members": list(parts)}, places=places,
                    format=formats[0] if len(formats) == 1 else "+".join(formats))


def _shift(span: Span, offset: int) -> Span:
    return Span(span.line + offset, span.col, span.end_line + offset, span.end_col)
