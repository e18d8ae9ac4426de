"""Find the tables of a filing and turn each into panels of cells.

A table is anchored on its title line (matched against the template titles), with
its number line (``公开 03 表``, ``公开03表`` …), unit line and 部门 line nearby, then
the tab-separated rows up to the first prose line after them (a note ``注：…`` or
the next heading).  Blank lines inside a table (page breaks) are not blocks, so they
never split it.  The title decides which template table it is; a printed number
that disagrees is kept as a note for the structure rules.
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from functools import lru_cache
from itertools import groupby
from typing import Callable, Mapping, Sequence

from .templates import TableSpec
from .titles import NUMBER_RE as _TITLE_NUMBER_RE, clean_title, title_index, title_similarity
from ..i18n import tr
from ..model import Block, BlockKind, Document, Panel, Span, Table
from ..numbers import is_code, parse_number
from .layouts import BUILTIN_LAYOUTS, LayoutContext, flat, header_paths, is_column_number_row, match_path

# 公开03表 / 公开 03 表 (most provinces), 附表3 / 表 3 (others).  Two groups, one per
# style; number_of() takes whichever matched.
NUMBER_RE = _TITLE_NUMBER_RE


def number_of(m: re.Match) -> str:
    return (m.group(1) or m.group(2)).zfill(2)
UNIT_RE = re.compile(r"^(?:金额)?(?:单\s*)?位\s*[:：]\s*(\S+)")
DEPT_RE = re.compile(r"^(?:编制|填报|预算)?(?:部门|单位)(?:名称)?\s*[:：]\s*(.+)$")
_PREAMBLE_RE = re.compile(r"^(?:\d{4}\s*年度?|预算代码[:：].*|\(?（?\d{4}年度）?\)?)$")
_NOTE_RE = re.compile(r"^\s*(?:注|备注)\s*[:：]")
_UNIT_TAIL = re.compile(r"\s*(?:金额)?单位\s*[:：]\s*(\S+)")
_DEPT_ALONE_RE = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]$")

# How far (in prose blocks) the number, unit and 部门 lines may stand from the title.
_PREAMBLE_BLOCKS = 8


def recognize_tables(document: Document, specs: Mapping[str, TableSpec],
                     numbering: Mapping[str, str] | None = None,
                     layouts: Mapping[str, Callable] | None = None) -> list[Table]:
    """Recognize every table of ``document`` whose title is one of ``specs``."""
    layouts = {**BUILTIN_LAYOUTS, **(layouts or {})}
    blocks = document.blocks
    titles = title_index(specs)
    anchors = [(i, m) for i, text in _blocks_work(document).title_texts(titles.needs_biao)
               if (m := titles.match(text)) is not None and (blocks[i].kind is BlockKind.TEXT or m.how != "near")]
    tables: list[Table] = []
    for n, (i, m) in enumerate(anchors):
        end_limit = anchors[n + 1][0] if n + 1 < len(anchors) else len(blocks)
        table = _read_table(document, blocks, i, end_limit, m.spec, numbering or {}, layouts)
        if table is not None:
            if m.how != "exact":
                table.notes.append(f"title-match:{m.how}:{m.score}:{m.matched}")
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


class _BlocksWork:
    """What is read off one document's blocks whatever the table specs: worked out once
    and shared by the passes over the same filing (all templates' tables, then the
    detected template's; the blocks no table claimed).  A document whose block list is
    replaced (or shortened) is read afresh; blocks are never changed in place once read."""

    def __init__(self, document: Document):
        # Neither the document nor its blocks are kept alive by this: they go with the
        # filing, not when the next one comes.
        self.document = weakref.ref(document)
        self.blocks_id = id(document.blocks)
        self.count = len(document.blocks)
        self._title_texts: dict[bool, list[tuple[int, str]]] = {}
        self._lines: list[int] | None = None
        self._parsed: dict[tuple, tuple] = {}

    def fits(self, document: Document) -> bool:
        return self.document() is document and id(document.blocks) == self.blocks_id \
            and len(document.blocks) == self.count

    def parse(self, first: int, rows: list[Block], spec: TableSpec, parse: Callable,
              ctx: LayoutContext) -> dict[str, Panel]:
        """``parse(rows, spec, ctx)``, or the panels a pass before read from the same
        rows with the same built-in layout and panel specs (a built-in layout reads
        nothing else of the spec).  The first pass's tables are alive while the second
        pass runs, so their panels are held weakly: nothing outlives its tables."""
        if parse not in _BUILTIN_PARSERS:
            return parse(rows, spec, ctx)
        key = (first, len(rows), parse, spec.id, id(spec.panels))
        hit = self._parsed.get(key)
        if hit is not None and hit[0] is spec.panels:
            panels = {name: ref() for name, ref in hit[1]}
            if all(p is not None for p in panels.values()):
                ctx.notes.extend(hit[2])
                return panels  # type: ignore[return-value]
        before = len(ctx.notes)
        panels = parse(rows, spec, ctx)
        self._parsed[key] = (spec.panels, tuple((name, weakref.ref(p)) for name, p in panels.items()),
                             tuple(ctx.notes[before:]))
        return panels

    def index_of(self, block: Block) -> int | None:
        """Where ``block`` stands in the document's blocks (found by its line: blocks
        are in line order; by a scan if that fails)."""
        blocks = self.document().blocks
        if self._lines is None:
            self._lines = [b.line for b in blocks]
        i = bisect.bisect_left(self._lines, block.line)
        if i < len(blocks) and blocks[i] is block:
            return i
        return next((i for i, b in enumerate(blocks) if b is block), None)

    def title_texts(self, with_biao: bool = False) -> list[tuple[int, str]]:
        """(block index, the title it may be) for each block that may be a title; only
        those whose title has a 表 in it when ``with_biao`` (then a block neither holding
        one nor followed by a line holding one is passed over: its title is made of its
        own text or its first cell, cut, and the next line's, and loses characters only)."""
        out = self._title_texts.get(with_biao)
        if out is None:
            blocks = self.document().blocks
            last = len(blocks) - 1
            out = []
            candidates: Sequence[int] = range(len(blocks))
            if with_biao:  # the blocks with a 表 and those above such a prose line (every
                # reader's cells are parts of their row's text: a row without one has none)
                hits = [i for i, b in enumerate(blocks) if "表" in b.text]
                candidates = sorted({*hits, *(i - 1 for i in hits if i and blocks[i].kind is BlockKind.TEXT)})
            for i in candidates:
                b = blocks[i]
                if b.kind is BlockKind.TEXT:
                    own = b.text
                else:  # (most rows fail _title_text's first test: kept here)
                    cells = b.cells
                    if not cells or not cells[0].text or (len(cells) > 1 and cells[1].text):
                        continue
                    own = cells[0].text
                if with_biao and "表" not in own and (
                        i == last or blocks[i + 1].kind is not BlockKind.TEXT or "表" not in blocks[i + 1].text):
                    continue
                if (text := _title_text(blocks, i)) and (not with_biao or "表" in text):
                    out.append((i, text))
            self._title_texts[with_biao] = out
        return out


_BUILTIN_PARSERS = frozenset(BUILTIN_LAYOUTS.values())
_LAST = threading.local()  # the last document's _BlocksWork, per thread: never more than one kept


def _blocks_work(document: Document) -> _BlocksWork:
    work = getattr(_LAST, "work", None)
    if work is None or not work.fits(document):
        work = _LAST.work = _BlocksWork(document)
    return work


# A 部门 or 单位 line run into the title by the export ("收入预算总表部门：…单位：万元").
_RUN_TOGETHER = re.compile(r"(?:编制|填报)?(?:部门|单位)(?:名称)?\s*[:：]")


def _title_text(blocks: Sequence[Block], i: int) -> str | None:
    """The title a block may be: a prose line; the only filled cell of a row (a title
    laid out as a table row); a line whose last character(s) wrapped onto the next
    line (``…支出预算`` / ``表``); without a 部门/单位 line run into it."""
    b = blocks[i]
    if b.kind is BlockKind.TEXT:
        text = b.text
    else:
        cells = b.cells  # the first cell filled, the rest blank (most rows fail at the second)
        if not cells or not cells[0].text or (len(cells) > 1 and cells[1].text) \
                or any(c.text for c in cells[2:]):
            return None
        text = cells[0].text
    if (":" in text or "：" in text) and (m := _RUN_TOGETHER.search(text)) and m.start() > 0:
        text = text[:m.start()]
    if len(text) > 80:
        return None
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is not None and nxt.kind is BlockKind.TEXT and "表" in nxt.text:  # (cheap tests first)
        flat_text, flat_next = flat(text), flat(nxt.text)
        if not flat_text.endswith(("表", "）", ")")) and len(flat_next) <= 2 and flat_next.endswith("表"):
            text = flat_text + flat_next
    return text


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
    head = title_block.text if title_block.kind is BlockKind.TEXT else (title_block.cells[0].text if title_block.cells else "")
    if (run := _RUN_TOGETHER.search(head)) and run.start() > 0:  # 部门/单位 run into the title
        at = title_block.text.find(head) + run.start()
        _preamble_line(Block(BlockKind.TEXT, title_block.line, " " * at + title_block.text[at:].split("\t")[0]),
                       found, notes)
    prose_seen = 0
    first_row = None
    for i in range(start + 1, limit):  # (not a slice: the next title may stand far below)
        b = blocks[i]
        if b.kind is BlockKind.ROW:
            if not rows:
                first_row = i
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
        notes.append(f"{spec.id}: " + tr("未知的表格版式 {layout}", layout=repr(spec.layout)))
        return None
    panels = _blocks_work(document).parse(first_row, rows, spec, parse, ctx)
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
        # "编制部门：  单位：元": the unit stands on the same line, the name is blank.
        dept = _UNIT_TAIL.split(m.group(1))[0].strip()
        if "dept" not in found and dept:
            found["dept"] = (dept, Span.on_line(b.line, lead + m.start(1) + 1, len(dept)))
        if unit := _UNIT_TAIL.search(m.group(1)):
            found.setdefault("unit", (unit.group(1), Span.on_line(b.line, lead + m.start(1) + unit.start() + 1,
                                                                   len(unit.group(0).strip()))))
        return True
    if _DEPT_ALONE_RE.match(text):  # "部门：" with the name on the next line
        found.setdefault("dept_next", True)
        return True
    if found.get("dept_next") is True and "dept" not in found and len(text) <= 40 and not re.search(r"[。；，,:：]", text):
        found["dept_next"] = False
        found["dept"] = (text, Span.on_line(b.line, lead + 1, len(text)))
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
_COVER_DEPT_RE = re.compile(r"^(\S{2,40}?)(?:19|20)\d{2}年度?(?:区级|市级|省级|县级|本级)?(?:部门|单位)(?:预算|决算)")
_COVER_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:区级|市级|省级|县级|本级)?(?:部门|单位)(?:预算|决算)")


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
    if "report_year" not in meta:  # a cover without 年度: "某某市某区2025年区级部门预算"
        for b in document.blocks[:30]:
            if b.kind is BlockKind.TEXT and (m := _COVER_YEAR_RE.search(b.text)):
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
    else:  # no table names it: the cover title does ("某某省审计厅2018年部门预算")
        for b in document.blocks[:5]:
            if b.kind is BlockKind.TEXT and (m := _COVER_DEPT_RE.match(flat(b.text))):
                meta["department"] = m.group(1)
                break
    units = [t.unit for t in tables if t.unit]
    if units:
        meta["unit"] = max(sorted(set(units)), key=units.count)
    return meta


# --------------------------------------------------------------------------- blocks left over


# A run of table rows is "table-like" when it has this many rows, numbers in this many.
_MIN_RUN_ROWS = 3
_MIN_NUMERIC_ROWS = 2
# Header evidence needed to read a block under a template table it has no title of.
_MIN_HEADER_COLUMNS = 2
_MIN_HEADER_SHARE = 0.8
_MARGIN = 0.1


def row_runs(document: Document) -> list[list[Block]]:
    """Consecutive ROW blocks (blank lines are not blocks, so a page break does not
    split a run) with at least a few rows and numbers in some of them."""
    return [run for run in _row_stretches(document) if _numeric_rows(run)]


def _row_stretches(document: Document) -> list[list[Block]]:
    """Consecutive ROW blocks, at least a few of them (numbers or not)."""
    runs: list[list[Block]] = []
    blocks = document.blocks
    row = BlockKind.ROW
    start = 0
    for is_row, same in groupby([b.kind is row for b in blocks]):  # (stretches found in C)
        size = len(list(same))
        if is_row and size >= _MIN_RUN_ROWS:
            runs.append(blocks[start:start + size])
        start += size
    return runs


def _numeric_rows(rows: Sequence[Block]) -> bool:
    """Do enough of ``rows`` hold an amount?  (Stops counting once they do.)"""
    n = 0
    for r in rows:
        if any(_amount_cell(c.text) for c in r.cells if c.text):
            n += 1
            if n >= _MIN_NUMERIC_ROWS:
                return True
    return False


@lru_cache(maxsize=1 << 14)  # pure; asked of every cell of every table-like run (0.00 …)
def _amount_cell(text: str) -> bool:
    """An amount, not a code, a 序号 or a count (1, 2, 12: up to three bare digits)."""
    t = text.strip()
    return bool(t) and not is_code(t) and not re.fullmatch(r"\d{1,3}", t) and parse_number(t) is not None


def _extents(tables: Sequence[Table]) -> list[tuple[int, int]]:
    out = []
    for t in tables:
        lines = [r.line for p in t.panels.values() for r in p.rows] + [t.span.line]
        out.append((min(lines), max(lines)))
    return out


def read_unclaimed(document: Document, tables: Sequence[Table], specs: Mapping[str, TableSpec],
                   layouts: Mapping[str, Callable] | None = None,
                   pack_tables: Sequence[str] = ()) -> tuple[list[Table], list[str]]:
    """Table-like blocks no recognized table covers: each is read as the template table
    its header names (the title unknown), or listed as not read, with why.

    Returns the tables read this way (noted ``recognized-by-header``) and one line per
    block left unread (``第 N 行起的表格（M 行，标题“…”）未能识别：…``).  A block
    titled like one of ``pack_tables`` is a pack's own (read by its Python rules)."""
    layouts = {**BUILTIN_LAYOUTS, **(layouts or {})}
    extents = _extents(tables)
    have = {t.id for t in tables}
    read: list[Table] = []
    unread: list[str] = []
    for run in _row_stretches(document):  # row_runs(), the runs tables cover left out first
        first, last = run[0].line, run[-1].line
        if any(lo <= last and first <= hi for lo, hi in extents) or not _numeric_rows(run):
            continue
        title_block = _title_in(run) or _title_above(document, run[0])
        title = flat(_title_text([title_block], 0) or "") if title_block is not None else ""
        if title and any(clean_title(title).endswith(clean_title(p)) for p in pack_tables):
            continue
        spec, why = identify_by_header(run, title, specs, have)
        table = None
        if spec is not None:
            table = _read_by_header(document, run, title_block, spec, layouts)
            if table is None:
                why = tr("表头像“{title}”，但读不出数值", title=spec.titles[0])
        if table is not None:
            table.notes.append(f"recognized-by-header:{why}")
            read.append(table)
            have.add(table.id)
            continue
        shown = tr("标题“{title}”", title=title[:30]) if title else tr("无标题")
        unread.append(tr("第 {line} 行起的表格（{rows} 行，{title}）未能识别：{why}", line=first, rows=len(run),
                         title=shown, why=why))
    return read, unread


def _title_in(run: Sequence[Block]) -> Block | None:
    """A title laid out as the first rows' only filled cell (``\t项目绩效目标完成情况表``)."""
    for b in run[:3]:
        filled = [c for c in b.cells if c.text]
        if len(filled) == 1 and flat(filled[0].text).endswith("表") and len(flat(filled[0].text)) <= 40:
            return Block(BlockKind.ROW, b.line, b.text, tuple(filled))
    return None


def _title_above(document: Document, first_row: Block) -> Block | None:
    """The nearest prose line above a block of rows that is not a unit/部门/number line."""
    blocks = document.blocks
    idx = _blocks_work(document).index_of(first_row)
    if idx is None:
        return None
    for b in reversed(blocks[max(0, idx - 4):idx]):
        if b.kind is BlockKind.ROW:
            return _title_in([b])
        text = b.text.strip()
        if UNIT_RE.match(text) or DEPT_RE.match(text) or _DEPT_ALONE_RE.match(text) or _PREAMBLE_RE.match(flat(text)) \
                or (NUMBER_RE.search(text) and len(flat(NUMBER_RE.sub("", text))) < 2):
            continue
        if len(text) > 60 or text.endswith(("。", "；")):
            return None
        return b
    return None


def _header_rows(run: Sequence[Block]) -> list[Block]:
    out = []
    for b in run[:6]:
        if is_column_number_row(b.cells):
            continue
        if any(_amount_cell(c.text) for c in b.cells) or any(is_code(c.text) for c in b.cells[:3]):
            break
        out.append(b)
    return out


def header_columns(run: Sequence[Block]) -> list[list[str]]:
    """Each column's header texts, top row first (spanning parents included)."""
    rows = _header_rows(run)
    if not rows:
        return []
    width = max(len(b.cells) for b in rows)
    return header_paths([b.cells for b in rows], width)


def header_share(paths: Sequence[Sequence[str]], spec: TableSpec) -> tuple[int, int]:
    """How many of ``spec``'s value columns some header names, of how many."""
    n = m = 0
    for pspec in spec.panels:
        for col in pspec.columns:
            n += 1
            if any(match_path(p, [col]) for p in paths if p):
                m += 1
    return m, n


def _value_columns(run: Sequence[Block]) -> list[int]:
    """Columns holding amounts below the header (codes, 行次 and labels are not)."""
    cols: set[int] = set()
    for b in run:
        if is_column_number_row(b.cells):
            continue
        for j, c in enumerate(b.cells):
            if _amount_cell(c.text):
                cols.add(j)
    return sorted(cols)


def _other_kind(title: str, spec: TableSpec) -> bool:
    final = any("决算" in t for t in spec.titles)
    if "决算" in title:
        return not final
    return "预算" in title.replace("一般公共预算", "").replace("经营预算", "").replace("基金预算", "") and final


def identify_by_header(run: Sequence[Block], title: str, specs: Mapping[str, TableSpec],
                       have: set[str] = frozenset()) -> tuple[TableSpec | None, str]:
    """The template table a block's header names, and why (or None and why not).

    A table qualifies when its column names head at least two of the block's amount
    columns and at least 80% of them (a header naming a column the table lacks says
    it is another table).  Among those, the score is that share, plus half the share
    of the table's own columns printed, plus a little for a title like its own; the
    best must lead the next by a clear margin, and must not be a table the filing
    already printed."""
    paths = header_columns(run)
    if not paths:
        return None, tr("没有表头")
    values = [j for j in _value_columns(run) if j < len(paths) and paths[j]]
    if not values:
        return None, tr("表头下没有数值列")
    scored = []
    for spec in specs.values():
        cols = [c for p in spec.panels for c in p.columns]
        named = sum(1 for j in values if match_path(paths[j], cols))
        if named < _MIN_HEADER_COLUMNS or named / len(values) < _MIN_HEADER_SHARE:
            continue
        m, n = header_share([paths[j] for j in values], spec)
        if _other_kind(title, spec):
            continue  # a 决算 title never names a budget table, nor the reverse
        sim = max((title_similarity(title, t) for t in spec.titles), default=0.0) if title else 0.0
        scored.append((round(named / len(values) + 0.5 * m / n + 0.3 * sim, 3), named, spec, m, n))
    if not scored:
        return None, tr("表头与任何表样都不相符")
    scored.sort(key=lambda x: (-x[0], -x[1], x[2].id))
    best = scored[0]
    rivals = [s for s in scored[1:] if s[2].id != best[2].id and best[0] - s[0] < _MARGIN]
    if rivals:
        return None, tr("表头与“{first}”“{second}”都相符，无法确定", first=best[2].titles[0], second=rivals[0][2].titles[0])
    if best[2].id in have:
        return None, tr("表头像“{title}”，但该表已识别", title=best[2].titles[0])
    return best[2], tr("表头 {named}/{values} 列是“{title}”的列（共 {columns} 列）", named=best[1], values=len(values),
                       title=best[2].titles[0], columns=best[4])


def _read_by_header(document: Document, run: Sequence[Block], title_block: Block | None, spec: TableSpec,
                    layouts: Mapping[str, Callable]) -> Table | None:
    parse = layouts.get(spec.layout)
    if parse is None:
        return None
    notes: list[str] = []
    panels = parse(list(run), spec, LayoutContext(spec.id, notes))
    if not any(c.amount is not None for p in panels.values() for c in p.iter_cells()):
        return None
    anchor = title_block or run[0]
    return Table(id=spec.id, title=flat(title_block.text) if title_block is not None else "", number=None,
                 span=_text_span(anchor), panels=panels, template_id="", notes=notes)
