"""Layout text: tables whose columns are separated by runs of spaces, not tabs.

``pdftotext -layout`` and many copy-pastes write a table as lines of fields padded with
spaces.  Here such lines become table rows like tab-separated ones: fields are runs of
text separated by two or more spaces (one space stays inside a field: ``项 目``), and the
columns of a table are found by alignment — the horizontal extents of the fields of its
body rows, united where they overlap.  Each field goes to the column it overlaps most,
so a row keeps blank cells where a column is empty, and a header spanning several
columns lands in one of them.  Positions are counted in characters (code points), the
way ``pdftotext -layout`` aligns; every cell's span points into the line as it is in the
file, so carets and columns stay true.

Only files without any tab use this: a tab-separated export is read exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, BlockKind, CellText, Span

# Runs of text; two or more spaces (ASCII or ideographic) end a field.  Other blanks
# (a no-break space after （三）) are part of the text, as in a tab export.
_FIELD = re.compile("[^ \u3000]+(?:[ \u3000][^ \u3000]+)*")
_NUMBER = re.compile(r"^[-+(（]?[\d,，]*\d(?:\.\d+)?[)）%]?$")


@dataclass
class _Field:
    start: int  # 0-based, inclusive
    end: int  # exclusive
    text: str


def _fields(text: str) -> list[_Field]:
    return [_Field(m.start(), m.end(), m.group()) for m in _FIELD.finditer(text) if m.group().strip()]


def _columns(lines: list[list[_Field]]) -> list[tuple[int, int]]:
    """Column extents: field extents of the rows, united where they overlap."""
    spans = sorted((f.start, f.end) for fields in lines for f in fields)
    out: list[list[int]] = []
    for s, e in spans:
        if out and s < out[-1][1] + 1:  # touching or overlapping: one column
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _assign(fields: list[_Field], columns: list[tuple[int, int]]) -> list[list[_Field]]:
    """Each field to the column it overlaps most (else the nearest one)."""
    cells: list[list[_Field]] = [[] for _ in columns]
    for f in fields:
        def score(c: tuple[int, int]) -> tuple[int, int]:
            s, e = c
            overlap = min(e, f.end) - max(s, f.start)
            return (overlap, 0) if overlap > 0 else (0, -min(abs(f.start - e), abs(s - f.end), abs(s - f.start)))
        best = max(range(len(columns)), key=lambda i: score(columns[i]))
        cells[best].append(f)
    # Two fields in one column (a header over columns no number fills): the later one
    # takes the next column when that is empty in this row.
    for i in range(len(cells) - 1):
        while len(cells[i]) > 1 and not cells[i + 1]:
            cells[i + 1].append(cells[i].pop())
    return cells


def _is_numeric(f: _Field) -> bool:
    return bool(_NUMBER.match(f.text.replace(" ", "")))


def split_layout(lines: list[str], marks: re.Pattern | None = None) -> list[Block] | None:
    """Blocks for a space-aligned text, or None when it holds no such table."""
    if any("\t" in ln for ln in lines):
        return None
    texts = [marks.sub(lambda m: " " * len(m.group(0)), ln) if marks else ln for ln in lines]
    texts = [t.replace("\f", " ") for t in texts]
    fields = [_fields(t) for t in texts]
    regions = _regions(fields)
    if not regions:
        return None
    row_lines: dict[int, list[CellText]] = {}
    for region in regions:
        rows = [i for i in region if fields[i]]
        body = [fields[i] for i in rows if len(fields[i]) >= 2 and any(_is_numeric(f) for f in fields[i])]
        columns = _columns(body if len(body) >= 2 else [fields[i] for i in rows if len(fields[i]) >= 2])
        if len(columns) < 2:
            continue
        for i in rows:
            cells = []
            for col, (s, _) in zip(_assign(fields[i], columns), columns):
                if col:
                    start, end = col[0].start, col[-1].end
                    text = texts[i][start:end]
                    cells.append(CellText(text, Span.on_line(i + 1, start + 1, end - start)))
                else:  # a blank cell: a one-column span where the column starts (within the line)
                    at = min(s, len(texts[i]))
                    cells.append(CellText("", Span.on_line(i + 1, at + 1, 0)))
            row_lines[i] = cells
    if not row_lines:
        return None
    blocks: list[Block] = []
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        if i in row_lines:
            blocks.append(Block(BlockKind.ROW, i + 1, text, tuple(row_lines[i])))
        else:
            blocks.append(Block(BlockKind.TEXT, i + 1, text))
    return blocks


def _regions(fields: list[list[_Field]]) -> list[list[int]]:
    """Line indices of each table: runs of non-blank lines holding at least two lines of
    several fields.  Lines of one field before the first such line are its title, after
    the last its notes; between them they are rows (a label with blank cells).  A run
    that starts with indented one-field lines right after a table (a page break inside
    it) continues that table."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, fs in enumerate(fields):
        if fs:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    tables: list[list[int]] = []
    previous_ended_table = False
    for run in runs:
        multi = [i for i in run if len(fields[i]) >= 2]
        if len(multi) < 2 and not (previous_ended_table and multi):
            previous_ended_table = False
            continue
        first, last = multi[0], multi[-1]
        while last + 1 in run and fields[last + 1][0].start > 0:  # indented labels of blank rows
            last += 1
        lead = [i for i in run if i < first]
        if previous_ended_table and lead and all(fields[i][0].start > 0 for i in lead):
            tables[-1].extend(run[: run.index(last) + 1])  # the same table, after a page break
        else:
            tables.append([i for i in run if first <= i <= last])
        previous_ended_table = run[-1] == last
    return tables
