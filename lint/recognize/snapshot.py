"""Small, picklable copies of the recognized tables, for reports that draw them.

A :class:`lint.model.Table` holds pandas frames and every cell object: too heavy to
send from a worker process or to keep while a report is written.  A report only needs
the table as printed — its title and its rows of cell texts with their columns — to
draw it and mark the cells a finding points at (findings locate cells by span).
"""

from __future__ import annotations

from typing import Iterable

from ..model import BlockKind, Document, Table, TableSnapshot

# A report draws tables for people to look at; past this many rows the rest of a
# (malformed, runaway) table is left out so one file cannot blow up the report.
MAX_ROWS = 600


def snapshot_tables(document: Document, tables: Iterable[Table]) -> tuple[TableSnapshot, ...]:
    """One snapshot per table, in source order: every tab-separated line from the
    title down to the table's last recognized row (header rows included)."""
    rows_by_line = {b.line: b for b in document.blocks if b.kind == BlockKind.ROW}
    out = []
    for table in sorted(tables, key=lambda t: t.span.line):
        rows = []
        for line in range(table.span.line, table.last_line + 1):
            block = rows_by_line.get(line)
            if block is None:
                continue
            rows.append((line, tuple((c.text, c.span.col, c.span.end_col) for c in block.cells)))
            if len(rows) >= MAX_ROWS:
                break
        out.append(TableSnapshot(table.id, table.title, table.span.line, tuple(rows)))
    return tuple(out)
