"""Layout text: tables whose columns are separated by runs of spaces, not tabs.

``pdftotext -layout`` and many copy-pastes write a table as lines of fields padded with
spaces.  Here such lines become table rows like tab-separated ones:

- fields are runs of text separated by two or more spaces (one space stays inside a
  field: ``项 目``);
- a table's columns are the runs of positions its rows' fields cover — except a field
  under which another row holds two separate fields (a header spanning columns), which
  would weld them together;
- a column of header text only, never in a row with its neighbouring number column,
  is that column's header (``小计`` left-aligned over right-aligned amounts);
- each field goes to the column it overlaps most, so blank cells stay blank.

Positions are counted in characters (code points), the way ``pdftotext -layout``
aligns; every cell's span points into the line as it is in the file, so carets and
columns stay true.  Only files without any tab use this: a tab-separated export is
read exactly as before.
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
    """Column extents: runs of positions that the fields of the rows cover.

    A field that bridges a gap the other rows leave between their fields (a header
    cell spanning several columns, an overlong label) does not count, so it does not
    weld those columns together; it is still placed, in the column it overlaps most."""
    if not lines:
        return []
    width = max(f.end for fields in lines for f in fields)
    cover = [0] * (width + 1)
    for fields in lines:
        for f in fields:
            for p in range(f.start, f.end):
                cover[p] += 1
    for fields in lines:
        for f in fields:
            if _bridges(f, lines):
                for p in range(f.start, f.end):
                    cover[p] -= 1
    out: list[tuple[int, int]] = []
    start = None
    for p, n in enumerate(cover):
        if n > 0 and start is None:
            start = p
        elif n == 0 and start is not None:
            out.append((start, p))
            start = None
    return out


def _bridges(f: _Field, lines: list[list[_Field]]) -> bool:
    """Does another row hold two separate fields under ``f`` (so ``f`` spans columns)?"""
    for fields in lines:
        if any(g is f for g in fields):
            continue
        if sum(1 for g in fields if g.start < f.end and g.end > f.start) >= 2:
            return True
    return False


def _join_headers(columns: list[tuple[int, int]], lines: list[list[_Field]]) -> list[tuple[int, int]]:
    """A column holding only header text (no number), never in a row with its number
    neighbour, is that neighbour's header: ``小计`` left-aligned over right-aligned
    amounts leaves a gap no row crosses.  Joined with the nearer such neighbour."""
    while len(columns) > 1:
        rows: list[set[int]] = [set() for _ in columns]
        numeric = [False] * len(columns)
        for r, fields in enumerate(lines):
            for i, col in enumerate(_assign(fields, columns)):
                if col:
                    rows[i].add(r)
                    numeric[i] = numeric[i] or any(_is_numeric(f) for f in col)
        best = None
        for h in range(len(columns)):
            if numeric[h]:
                continue
            for n in (h - 1, h + 1):
                if 0 <= n < len(columns) and numeric[n] and not rows[h] & rows[n]:
                    gap = columns[n][0] - columns[h][1] if n > h else columns[h][0] - columns[n][1]
                    if best is None or gap < best[0]:
                        best = (gap, h, n)
        if best is None:
            break
        _, h, n = best
        a, b = sorted((h, n))
        columns = columns[:a] + [(columns[a][0], columns[b][1])] + columns[b + 1:]
    return columns


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
        multi = [fields[i] for i in rows if len(fields[i]) >= 2]
        columns = _join_headers(_columns(multi), multi)
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
