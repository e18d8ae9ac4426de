"""Find the tables of a filing and turn each into panels of cells.

A table is anchored on its title line (matched against the template titles), with
its number line (``公开 03 表``, ``公开03表`` …), unit line and 部门 line nearby, then
the tab-separated rows up to the first prose line after them (a note ``注：…`` or
the next heading).  Blank lines inside a table (page breaks) are not blocks, so they
never split it.  The title decides which template table it is; a printed number
that disagrees is kept as a note for the structure rules.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

from .templates import TableSpec, norm_title
from ..model import Block, BlockKind, Document, Span, Table
from .layouts import BUILTIN_LAYOUTS, LayoutContext, flat

# 公开03表 / 公开 03 表 (most provinces), 附表3 / 表 3 (others).  Two groups, one per
# style; number_of() takes whichever matched.
NUMBER_RE = re.compile(r"公开\s*0?(\d{1,2})\s*表|(?:^|附)表\s*0?(\d{1,2})(?!\d)")


def number_of(m: re.Match) -> str:
    return (m.group(1) or m.group(2)).zfill(2)
UNIT_RE = re.compile(r"^(?:金额)?(?:单\s*)?位\s*[:：]\s*(\S+)")
DEPT_RE = re.compile(r"^(?:部门|单位)(?:名称)?\s*[:：]\s*(.+)$")
_PREAMBLE_RE = re.compile(r"^(?:\d{4}\s*年度?|预算代码[:：].*|\(?（?\d{4}年度）?\)?)$")
_NOTE_RE = re.compile(r"^\s*(?:注|备注)\s*[:：]")

# How far (in prose blocks) the number, unit and 部门 lines may stand from the title.
_PREAMBLE_BLOCKS = 8


def _titles(specs: Mapping[str, TableSpec]) -> dict[str, TableSpec]:
    """Normalized title → table; where two tables share a title, the one with the
    longest title of all wins."""
    index: dict[str, TableSpec] = {}
    for spec in sorted(specs.values(), key=lambda s: -max(len(t) for t in s.titles)):
        for t in spec.titles:
            index.setdefault(norm_title(t), spec)
    return index


def _title_spec(text: str, titles: Mapping[str, TableSpec]) -> TableSpec | None:
    n = norm_title(NUMBER_RE.sub("", text))
    if not n or len(n) > 40:
        return None
    return titles.get(n)


def recognize_tables(document: Document, specs: Mapping[str, TableSpec],
                     numbering: Mapping[str, str] | None = None,
                     layouts: Mapping[str, Callable] | None = None) -> list[Table]:
    """Recognize every table of ``document`` whose title is one of ``specs``."""
    layouts = {**BUILTIN_LAYOUTS, **(layouts or {})}
    blocks = document.blocks
    titles = _titles(specs)
    anchors = [(i, spec) for i, b in enumerate(blocks)
               if b.kind is BlockKind.TEXT and (spec := _title_spec(b.text, titles)) is not None]
    tables: list[Table] = []
    for n, (i, spec) in enumerate(anchors):
        end_limit = anchors[n + 1][0] if n + 1 < len(anchors) else len(blocks)
        table = _read_table(document, blocks, i, end_limit, spec, numbering or {}, layouts)
        if table is not None:
            tables.append(table)
    apply_numbering(tables, numbering or {})
    _mark_duplicates(tables)
    return tables


def apply_numbering(tables: Sequence[Table], numbering: Mapping[str, str]) -> None:
    """Note each table whose printed number is not the one its template gives it."""
    for t in tables:
        t.notes[:] = [n for n in t.notes if not n.startswith("printed-number:")]
        expected = numbering.get(t.id)
        if t.number and expected and int(t.number) != int(expected):
            t.notes.append(f"printed-number:{t.number}:template-number:{expected}")


def _read_table(document: Document, blocks: Sequence[Block], start: int, limit: int, spec: TableSpec,
                numbering: Mapping[str, str], layouts: Mapping[str, Callable]) -> Table | None:
    title_block = blocks[start]
    number = number_span = unit = unit_span = dept = dept_span = None
    notes: list[str] = []
    m = NUMBER_RE.search(title_block.text)
    if m:
        number, number_span = number_of(m), Span.on_line(title_block.line, m.start() + 1, len(m.group(0)))
    rows: list[Block] = []
    found: dict = {"number": (number, number_span)} if number else {}
    prose_seen = 0
    for b in blocks[start + 1:limit]:
        if b.kind is BlockKind.ROW:
            rows.append(b)
            continue
        text = b.text.strip()
        if rows:
            break  # first prose after the rows: a note or the next part
        prose_seen += 1
        if prose_seen > _PREAMBLE_BLOCKS or _NOTE_RE.match(text):
            break
        if not _preamble_line(b, found, notes) and (len(text) > 30 or text.endswith(("。", "；", "："))):
            # A sentence, not a preamble line: this title was a heading or a 目录
            # entry, not a table.
            break
    if rows:
        # Some exports print the number (or unit, 部门) line above the title.
        for b in reversed(blocks[max(0, start - 3):start]):
            if b.kind is BlockKind.ROW or _NOTE_RE.match(b.text.strip()) or not _preamble_line(b, found, notes):
                break
    number, number_span = found.get("number", (None, None))
    unit, unit_span = found.get("unit", (None, None))
    dept, dept_span = found.get("dept", (None, None))
    if not rows:
        return None
    # Department may also sit in the first row (绩效表-style "部门名称\tX").
    ctx = LayoutContext(spec.id, notes)
    parse = layouts.get(spec.layout)
    if parse is None:
        notes.append(f"{spec.id}: 未知的表格版式 {spec.layout!r}")
        return None
    panels = parse(rows, spec, ctx)
    return Table(
        id=spec.id, title=flat(title_block.text), number=number, span=_text_span(title_block),
        panels=panels, template_id="", department=dept, department_span=dept_span, unit=unit,
        unit_span=unit_span, number_span=number_span, notes=notes,
    )


def _preamble_line(b: Block, found: dict, notes: list[str]) -> bool:
    """Read a number, unit or 部门 line into ``found`` (first of each wins); say whether
    the line is one of the lines that stand around a table's title."""
    text = b.text.strip()
    lead = len(b.text) - len(b.text.lstrip())
    if m := NUMBER_RE.search(text):
        if "number" not in found:
            found["number"] = (number_of(m), Span.on_line(b.line, lead + m.start() + 1, len(m.group(0))))
        return True
    if m := UNIT_RE.match(text):
        if "unit" not in found:
            found["unit"] = (m.group(1), Span.on_line(b.line, lead + 1, len(text)))
            if not re.match(r"^(?:金额)?单", text):
                notes.append("unit-line-cut")
        return True
    if m := DEPT_RE.match(text):
        if "dept" not in found:
            dept = m.group(1).strip()
            found["dept"] = (dept, Span.on_line(b.line, lead + m.start(1) + 1, len(dept)))
        return True
    return bool(_PREAMBLE_RE.match(flat(text)))


def _text_span(b: Block) -> Span:
    text = b.text
    lead = len(text) - len(text.lstrip())
    return Span.on_line(b.line, lead + 1, len(text.strip()))


def _mark_duplicates(tables: list[Table]) -> None:
    seen: dict[str, Table] = {}
    for t in tables:
        if t.id in seen:
            t.notes.append(f"duplicate-of:{seen[t.id].span.line}")
        else:
            seen[t.id] = t


# --------------------------------------------------------------------------- metadata

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度")


def read_metadata(document: Document, tables: Sequence[Table]) -> dict:
    """Report year and department: from the cover/title lines, then the table headers."""
    meta: dict = {}
    for b in document.blocks[:30]:
        if b.kind is BlockKind.TEXT:
            m = _YEAR_RE.search(b.text)
            if m:
                meta["report_year"] = int(m.group(1))
                meta["report_year_span"] = Span.on_line(b.line, m.start(1) + 1, 4)
                break
    if "report_year" not in meta:
        for b in document.blocks:
            if b.kind is BlockKind.TEXT and (m := _YEAR_RE.search(b.text)):
                meta["report_year"] = int(m.group(1))
                meta["report_year_span"] = Span.on_line(b.line, m.start(1) + 1, 4)
                break
    depts = [t.department for t in tables if t.department]
    if depts:
        meta["department"] = max(sorted(set(depts)), key=depts.count)
    units = [t.unit for t in tables if t.unit]
    if units:
        meta["unit"] = max(sorted(set(units)), key=units.count)
    return meta
