"""Table layouts: how the rows of one printed table become panels.

Each layout is a function ``parse(rows, spec, ctx) -> (panels, notes)`` registered by
name; templates say which layout a table uses.  Plugins add layouts through the
``filinglint_table_layouts`` hook.

Structure is never an amount: the 栏次 row (1 2 3 …), 行次 columns and classification
codes become keys or are skipped, never values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .templates import ColumnSpec, PanelSpec, TableSpec, norm_title
from ..i18n import tr
from ..model import Block, Cell, CellText, Panel, RowInfo
from ..numbers import is_code, parse_number

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_SPACES = re.compile(r"\s+")
_SMALL_INT = re.compile(r"\d{1,2}")
_TOTAL_LABELS = ("合计", "总计", "本年收入合计", "本年支出合计", "人员经费合计", "公用经费合计")


# The dtype itself, not ``object``: pandas resolves ``dtype=object`` through its dtype
# registry under a warnings filter on every call, a numpy dtype it takes as it is.
_OBJECT = np.dtype(object)


def _public_index(items: Sequence[str]) -> pd.Index:
    return pd.Index(items, dtype=_OBJECT)


def _public_frame(values: np.ndarray, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(values, index=index, columns=columns, dtype=_OBJECT, copy=False)


def _direct_index(items: Sequence[str]) -> pd.Index:
    array = np.empty(len(items), dtype=_OBJECT)
    array[:] = items
    return pd.Index._simple_new(array)


try:  # pandas' internals, for _direct_frame (checked by _direct_works before use)
    from pandas._libs.internals import BlockPlacement
    from pandas.core.internals.blocks import new_block_2d
    from pandas.core.internals.managers import BlockManager
except ImportError:  # pragma: no cover - another pandas: the public constructors serve
    BlockPlacement = new_block_2d = BlockManager = None


def _direct_frame(values: np.ndarray, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
    block = new_block_2d(values.T, placement=BlockPlacement(slice(0, values.shape[1])))
    manager = BlockManager((block,), [columns, index], verify_integrity=False)
    return pd.DataFrame._from_mgr(manager, axes=manager.axes)


def _direct_works() -> bool:
    """Do the direct constructors make what pandas' public ones make, in this pandas?"""
    try:
        for keys, cols in ((["a", "合计"], ["x", "y", "z"]), ([], ["x"]), (["a"], [])):
            grid = np.empty((len(keys), len(cols)), dtype=_OBJECT)
            grid[:] = [[f"{k}{c}" for c in cols] for k in keys] if keys and cols else grid
            want = _public_frame(grid, _public_index(keys), _public_index(cols))
            got = _direct_frame(grid, _direct_index(keys), _direct_index(cols))
            if not (want.equals(got) and want.shape == got.shape and want.index.equals(got.index)
                    and want.columns.equals(got.columns) and want.dtypes.equals(got.dtypes)
                    and want.index.dtype == got.index.dtype and want.columns.dtype == got.columns.dtype):
                return False
        return True
    except Exception:
        return False


# A panel's two frames are small: pandas' public constructors spend most of their time
# checking and converting input that is already right (object arrays, string labels),
# ~4x the cost of making them.  The direct way is used when this pandas makes the same
# frames by it (checked once at import), else the public one.
_object_index, _object_frame = (_direct_index, _direct_frame) if _direct_works() else (_public_index, _public_frame)


@dataclass
class LayoutContext:
    table_id: str
    notes: list[str] = field(default_factory=list)


Layout = Callable[[Sequence[Block], TableSpec, LayoutContext], dict[str, Panel]]


@lru_cache(maxsize=1 << 14)  # pure; asked of every cell and label of every table, most of them repeated
def flat(text: str) -> str:
    return _SPACES.sub("", text)


@lru_cache(maxsize=1 << 14)  # pure; asked of every label of every two-sided and items table
def strip_numbering(label: str) -> tuple[str, bool]:
    m = _NUMBERING.match(label)
    if m:
        return flat(label[m.end():]), True
    return flat(label), False


def is_column_number_row(cells: Sequence[CellText]) -> bool:
    """The 栏次 row: its numeric cells are exactly 1, 2, 3 … (integers, in order)."""
    texts = [c.text for c in cells]
    if "栏" in "".join(texts) and any(flat(t) in ("栏次", "栏 次") for t in texts):
        return True
    ints = [t for t in texts if 0 < len(t) < 3 and _SMALL_INT.fullmatch(t)]
    if len(ints) < 3 or len(ints) < sum(1 for t in texts if t) - 2:
        return False
    seq = [int(t) for t in ints]
    return seq == list(range(seq[0], seq[0] + len(seq))) and seq[0] in (1, 2)


class _PanelBuilder:
    def __init__(self, name: str, columns: list[str], spec: PanelSpec | None = None):
        self.name = name
        self.columns = columns
        self.headers = {c.key: c.names[0] for c in (spec.columns if spec else ()) if c.names}
        self.rows: list[RowInfo] = []
        self.cells: dict[str, dict[str, Cell]] = {}

    def unique_key(self, key: str) -> str:
        if key not in self.cells:
            return key
        n = 2
        while f"{key}#{n}" in self.cells:
            n += 1
        return f"{key}#{n}"

    def add_row(self, info: RowInfo, values: Sequence[CellText | None]) -> None:
        self.rows.append(info)
        key = info.key
        self.cells[key] = {col: Cell(key, col, ct.text, ct.span, parse_number(ct.text))
                           for col, ct in zip(self.columns, values) if ct is not None}

    def build(self) -> Panel:
        keys = [r.key for r in self.rows]
        shape = (len(keys), len(self.columns))
        index, columns = _object_index(keys), _object_index(self.columns)
        # Built as 2-D object arrays (pandas reads a list of lists column by column, ~3x
        # slower), each filled in one step from the row-major list of its cells.
        row_cells = [row.get(c) for row in map(self.cells.__getitem__, keys) for c in self.columns]
        grid = np.empty(len(row_cells), dtype=_OBJECT)
        grid[:] = row_cells
        plain = np.empty(len(row_cells), dtype=_OBJECT)
        plain[:] = [c.amount.value if c is not None and c.amount is not None else None for c in row_cells]
        cells = _object_frame(grid.reshape(shape), index, columns)
        values = _object_frame(plain.reshape(shape), index, columns)
        return Panel(self.name, self.rows, list(self.columns), values, cells,
                     {c: self.headers[c] for c in self.columns if c in self.headers})


def _alias_for(label: str, panel: PanelSpec) -> str | None:
    return _row_aliases(panel).get(norm_title(label))


_ALIASES: dict[int, tuple[PanelSpec, dict[str, str]]] = {}


def _row_aliases(panel: PanelSpec) -> dict[str, str]:
    """Normalized row name -> its alias (the first alias naming it), once per panel spec
    (specs are frozen; asked for most rows of every table)."""
    entry = _ALIASES.get(id(panel))
    if entry is None or entry[0] is not panel:
        if len(_ALIASES) >= 1024:  # specs live as long as their templates: a bound for tests
            _ALIASES.clear()
        names: dict[str, str] = {}
        for alias, xs in panel.rows.items():
            for x in xs:
                names.setdefault(norm_title(x), alias)
        entry = _ALIASES[id(panel)] = (panel, names)
    return entry[1]


def _header_key(hn: str, specs: Sequence[ColumnSpec]) -> str | None:
    """The column a normalized header names: exact names first, then the longest name
    the header ends with."""
    for spec in specs:
        if any(hn == norm_title(n) for n in spec.names):
            return spec.key
    best = None
    for spec in specs:
        for n in spec.names:
            nn = norm_title(n)
            if nn and hn.endswith(nn) and (best is None or len(nn) > best[1]):
                best = (spec.key, len(nn))
    return best[0] if best else None


_HEADER_KEYS: dict[int, tuple[Sequence[ColumnSpec], dict]] = {}
_UNSEEN = object()


def _header_keys(specs: Sequence[ColumnSpec]) -> dict:
    """Header -> column key answers for one panel spec's columns, kept while the specs
    live (they are frozen; the same headers come back in every filing)."""
    entry = _HEADER_KEYS.get(id(specs))
    if entry is None or entry[0] is not specs or len(entry[1]) > 4096:
        if len(_HEADER_KEYS) >= 1024:
            _HEADER_KEYS.clear()
        entry = _HEADER_KEYS[id(specs)] = (specs, {})
    return entry[1]


def _match_columns(headers: list[str], specs: Sequence[ColumnSpec], notes: list[str], where: str) -> list[str]:
    """Canonical keys for the value columns, by header text when every header is
    recognised (and unambiguous), otherwise by the template's column order."""
    known = _header_keys(specs)
    keys: list[str | None] = []
    for h in headers:
        hn = norm_title(h)
        found = known.get(hn, _UNSEEN)
        if found is _UNSEEN:
            found = known[hn] = _header_key(hn, specs)
        keys.append(found)
    positional = [s.key for s in specs][: len(headers)]
    if all(keys) and len(set(keys)) == len(keys):
        return [k for k in keys if k]
    if len(headers) > len(specs):
        notes.append(f"{where}: " + tr("表头有 {found} 列数值，表样只有 {expected} 列", found=len(headers), expected=len(specs)))
    return positional + [f"col{i + 1}" for i in range(len(positional), len(headers))]


def _first_label(cells: Sequence[CellText]) -> str:
    return flat("".join(c.text for c in cells[:2]))


# --------------------------------------------------------------------------- classified


def _split_codes(rows: Sequence[Block]) -> int:
    """How many columns the code is split over: 3 for 功能分类 printed as 类 | 款 | 项,
    2 for 经济分类 printed as 类 | 款, 0 for a code in one column."""
    for b in rows[:6]:
        head = [flat(c.text) for c in b.cells[:3]] + [""] * 3
        if head[:3] == ["类", "款", "项"]:
            return 3
        if head[:2] == ["类", "款"]:
            return 2
    return 0


class _SplitCode:
    """Rebuilds full codes from 类 | 款 | 项 (or 经济分类 类 | 款) columns, where a child
    row may leave the class (and the 款) blank to mean "the same as above"."""

    def __init__(self, width: int = 3) -> None:
        self.cls = self.kuan = ""
        self.width = width

    def code(self, cells: Sequence[CellText]) -> str | None:
        parts = [flat(c.text) for c in cells[:self.width]] + [""] * 3
        cls, kuan = parts[:2]
        xiang = parts[2] if self.width == 3 else ""
        if not re.fullmatch(r"(\d{3})?", cls) or not re.fullmatch(r"(\d{1,2})?", kuan) \
                or not re.fullmatch(r"(\d{1,2})?", xiang) or not (cls or kuan or xiang):
            return None
        # A workbook cell formatted as a number drops the leading zero (款 07 → 7).
        kuan, xiang = (p.zfill(2) if p else p for p in (kuan, xiang))
        if cls:
            self.cls, self.kuan = cls, ""
        if kuan:
            self.kuan = kuan
        if not self.cls or (xiang and not self.kuan):
            return None
        if xiang:
            return self.cls + self.kuan + xiang
        return self.cls + (kuan if kuan else "")


def _numbered_item(cells: Sequence[CellText]) -> bool:
    """A numbered item (一、… 1.…) or a 收入/支出总计: without a code, another table's row
    run on (a two-sided summary whose title was not recognized), not part of this one."""
    return any(strip_numbering(c.text)[1] or flat(c.text) in ("收入总计", "支出总计") for c in cells)


def parse_classified(rows: Sequence[Block], spec: TableSpec, ctx: LayoutContext) -> dict[str, Panel]:
    """Rows keyed by 功能分类 code (or 合计): code | name | value columns, the code in
    one column or split into 类 | 款 | 项."""
    pspec = spec.panels[0]
    split = _split_codes(rows)
    if len(pspec.columns) == 1 and not split:
        return {"main": _parse_single_amount(rows, pspec)}
    lead = split + 1 if split else 2  # columns before the values: code(s) and name
    if any(len(b.cells) > lead and flat(b.cells[lead].text) == "行次" for b in rows[:8]):
        lead += 1  # a 行次 column after the name is structure, never an amount
    codes = _SplitCode(split or 3)
    header_rows: list[Block] = []
    data_rows: list[tuple[Block, str | None]] = []
    # A code read twice, or a second 合计: the rows of the next table (whose title was
    # not recognized) run on; a classification lists each code once.
    codes_read: set[str] = set()
    total_read = False
    for b in rows:
        cells = b.cells
        if is_column_number_row(cells):
            continue
        first = flat(cells[0].text) if cells else ""
        label = _first_label(cells) if not split else flat("".join(c.text for c in cells[:lead]))
        code = codes.code(cells) if split else (first if is_code(first) else None)
        if code is not None:
            if code in codes_read:
                break
            codes_read.add(code)
        elif label.startswith(("合计", "总计")):
            if total_read:
                break
        elif not (data_rows and not _numbered_item(cells) and any(parse_number(c.text) for c in cells[lead:])):
            if not data_rows:
                header_rows.append(b)
            continue
        data_rows.append((b, code))
        if code is None and _first_label(cells).startswith(("合计", "总计")):
            total_read = True
    blocks = [b for b, _ in data_rows] + header_rows
    width = max([len(b.cells) for b in blocks] or [lead])
    nvalues = max(width - lead, 0)
    # Trailing columns that are empty in every row are export padding, not columns.
    while nvalues > 0 and all(len(b.cells) <= nvalues + lead - 1 or not b.cells[nvalues + lead - 1].text
                              for b in blocks):
        nvalues -= 1
    headers = []
    for j in range(nvalues):
        headers.append("".join(b.cells[j + lead].text for b in header_rows if len(b.cells) > j + lead))
    columns = _match_columns(headers, pspec.columns, ctx.notes, spec.id) if nvalues else []
    builder = _PanelBuilder("main", columns, pspec)
    for b, code in data_rows:
        cells = b.cells
        if code is not None:
            label = cells[lead - 1].text if len(cells) >= lead else ""
            kind, alias, key = "classification", None, code
        else:
            label = _first_label(cells) if not split else flat("".join(c.text for c in cells[:lead]))
            kind = "total" if label.startswith(("合计", "总计")) else "other"
            alias, key = _alias_for(label, pspec), label
        key = builder.unique_key(key)
        # (a short row's missing cells are left out, as None ones are)
        builder.add_row(RowInfo(key, label, code, b.line, kind, alias), cells[lead:lead + len(columns)])
    return {"main": builder.build()}


def _parse_single_amount(rows: Sequence[Block], pspec: PanelSpec) -> Panel:
    """code | name | amount tables read without trusting column positions.

    Word-made PDFs draw such a table on a grid that shifts from row to row and page to
    page, and print a class's amount on the line below its code and name (or the 合计
    amount above its label).  With one amount per row, the row is its code (the first
    cell), its name (the first text) and its number wherever they stand."""
    key = pspec.columns[0].key
    builder = _PanelBuilder("main", [key], pspec)
    parsed = []
    for b in rows:
        cells = [c for c in b.cells if c.text.strip()]
        if is_column_number_row(b.cells) or not cells:
            continue
        code = flat(cells[0].text) if is_code(cells[0].text) and len(cells) > 1 \
            and parse_number(cells[1].text) is None else None
        rest = cells[1:] if code else cells
        texts = [c for c in rest if parse_number(c.text) is None]
        numbers = [c for c in rest if parse_number(c.text) is not None]
        parsed.append((b, code, flat(texts[0].text) if texts else "", numbers[-1] if numbers else None))
    i = 0
    while i < len(parsed):
        b, code, label, value = parsed[i]
        is_total = label.startswith(("合计", "总计"))
        if (code is not None and code in builder.cells) or (is_total and any(
                r.kind == "total" for r in builder.rows)):
            break  # the next table's rows (a code or 合计 again)
        if code is None and not is_total:
            if not label and value is not None and i + 1 < len(parsed):
                nb, ncode, nlabel, nvalue = parsed[i + 1]
                if ncode is None and nlabel.startswith(("合计", "总计")) and nvalue is None:
                    # 合计's amount printed on the line above its label
                    parsed[i + 1] = (nb, None, nlabel, value)
            i += 1
            continue
        if value is None and i + 1 < len(parsed):
            nb, ncode, nlabel, nvalue = parsed[i + 1]
            if ncode is None and not nlabel and nvalue is not None:
                value = nvalue  # the amount printed on the line below
                i += 1
        if code:
            info = RowInfo(builder.unique_key(code), label, code, b.line, "classification")
        else:
            info = RowInfo(builder.unique_key(label), label, None, b.line, "total", _alias_for(label, pspec))
        builder.add_row(info, [value])
        i += 1
    return builder.build()


# --------------------------------------------------------------------------- two-sided


# Header cells that head a panel's label column.
_LABEL_HEADS = frozenset({"项目", "项目名称", "科目名称", "功能科目名称", "功能分类科目名称", "支出功能分类科目名称"})


def parse_two_sided(rows: Sequence[Block], spec: TableSpec, ctx: LayoutContext) -> dict[str, Panel]:
    """Panels side by side, each ``项目 | [行次] | values``: income | expenditure (and, in
    Jiangsu's 收支预算总表, expenditure by function | expenditure by use).

    Each panel starts at a label header (项目, 项目名称, 功能科目名称 …) of the header row;
    the value headers are read down the header rows above it and the rows below it that
    hold no item yet."""
    npanels = len(spec.panels)
    starts: list[int] = []
    header_idx = None
    # The label heads may stand on different header lines (Jiangsu: 项目名称 over the
    # income side, 功能科目名称 and 项目名称 a line lower under 功能分类 | 支出用途).
    heads: set[int] = set()
    for i, b in enumerate(rows):
        if any(parse_number(c.text) is not None for c in b.cells) and not is_column_number_row(b.cells):
            break
        idx = [j for j, c in enumerate(b.cells) if flat(c.text) in _LABEL_HEADS]
        if idx:
            heads.update(idx)
            header_idx = i
    if len(heads) >= min(2, npanels):
        starts = sorted(heads)[:npanels]
    else:
        header_idx = None
    if not starts:
        ctx.notes.append(f"{spec.id}: " + tr("找不到左右两栏的“项目”表头，按表样列位解析"))
        starts, pos = [], 0
        for pspec in spec.panels:
            starts.append(pos)
            pos += 2 + len(pspec.columns)
        header_idx = 0
    width = max((len(b.cells) for b in rows), default=0)
    body = rows[header_idx + 1:]
    # Header continuation rows (a value header on two lines): no label, no number.
    extra = 0
    for b in body:
        if any(parse_number(c.text) is not None for c in b.cells) or any(
                s < len(b.cells) and b.cells[s].text and flat(b.cells[s].text) not in _LABEL_HEADS for s in starts):
            break
        extra += 1
    header_rows = [b.cells for b in rows[:header_idx + 1 + extra]]
    sides = []
    for pi, pspec in enumerate(spec.panels[:len(starts)]):
        lo = starts[pi]
        hi = starts[pi + 1] if pi + 1 < len(starts) else width
        hcells = ["".join(r[j].text for r in header_rows if j < len(r)) for j in range(lo, hi)]
        has_line_no = len(hcells) > 1 and flat(hcells[1]) == "行次"
        first_value = lo + (2 if has_line_no else 1)
        value_headers = [flat(t) for t in hcells[(2 if has_line_no else 1):]]
        while value_headers and not value_headers[-1] and len(value_headers) > len(pspec.columns):
            value_headers.pop()
        # A header over a column no row uses is the next panel's heading drawn wide
        # (功能分类 above Jiangsu's function panel), not a value column of this one.
        while len(value_headers) > len(pspec.columns) and not any(
                len(b.cells) > first_value + len(value_headers) - 1
                and b.cells[first_value + len(value_headers) - 1].text for b in body[extra:]):
            value_headers.pop()
        if not any(value_headers):
            value_headers = [""] * len(pspec.columns)
        columns = _match_columns(value_headers, pspec.columns, ctx.notes, f"{spec.id}.{pspec.name}")
        sides.append((pspec, lo, first_value, columns))
    builders = {p.name: _PanelBuilder(p.name, cols, p) for p, _, _, cols in sides}
    # The bottom line (总计, else 合计) ends the table: what follows is the next table's,
    # when its title was not recognized.
    last = "grand_total" if any("grand_total" in p.rows for p in spec.panels) else "total"
    pending: dict[str, list] = {}  # panel -> [label, numbered, values, has value, line]
    ended = [False]  # a row of some panel is the bottom line (set by emit, not searched for per row)

    def emit(pspec: PanelSpec, label: str, numbered: bool, values, line: int) -> None:
        builder = builders[pspec.name]
        kind = "total" if label in _TOTAL_LABELS else ("item" if numbered else "other")
        key = label
        if label in builder.cells:
            # A repeated label is a breakdown of the row above it (年初财政拨款结转和结余 →
            # 一般公共预算财政拨款 …): key it under that parent, as a reader would say it.
            parent = next((r.label for r in reversed(builder.rows) if r.key == r.label), None)
            key = builder.unique_key(f"{parent}/{label}" if parent else label)
        alias = _alias_for(label, pspec) if key == label else None
        builder.add_row(RowInfo(key, label, None, line, kind, alias), values)
        if alias == last:
            ended[0] = True

    def flush(pspec: PanelSpec) -> None:
        p = pending.pop(pspec.name, None)
        if p is not None:
            emit(pspec, p[0], p[1], p[2], p[4])

    for b in body[extra:]:
        if ended[0]:
            break
        if is_column_number_row(b.cells) and not any(parse_number(c.text) and "." in c.text for c in b.cells):
            continue
        cells = b.cells
        for si, (pspec, lo, first_value, columns) in enumerate(sides):
            if len(cells) <= lo:
                continue
            label, numbered = strip_numbering(cells[lo].text)
            values: list[CellText | None] = list(cells[first_value:first_value + len(columns)])
            has_value = any(v.text for v in values)
            if len(values) < len(columns):  # a short row: the missing cells are None
                values += [None] * (len(columns) - len(values))
            p = pending.get(pspec.name)
            # Word-made PDFs wrap a long item over lines: 1.一般公共预 / (amount) / 算.
            if not label or label in ("栏次",):
                if p is not None and has_value and not p[3]:
                    p[2], p[3] = values, True  # the amount on the line under the wrapped label
                continue
            if p is not None and not numbered and len(label) <= 4 and label not in _TOTAL_LABELS \
                    and _alias_for(label, pspec) is None and not (has_value and p[3]):
                p[0] += label  # the label's last characters
                if has_value:
                    p[2], p[3] = values, True
                continue
            flush(pspec)
            waiting = bool(pending) and any(
                q is not None and not q[3] for q in (pending.get(sp.name) for sp, *_ in sides[si + 1:]))
            if len(columns) == 1 and not has_value and not waiting:
                spilled = _spilled_value(b, sides, si)
                if spilled:
                    values, has_value = spilled, True
            if numbered and not has_value and _alias_for(label, pspec) is None:
                pending[pspec.name] = [label, numbered, values, False, b.line]
                continue
            emit(pspec, label, numbered, values, b.line)
    for pspec, *_ in sides:
        flush(pspec)
    return {name: bld.build() for name, bld in builders.items()}


def _spilled_value(b: Block, sides, si: int) -> list[CellText] | None:
    """A total printed across the panels to its right (Jiangsu's 当年支出小计 spans the
    function and use panels): the one number of the next panels whose labels are blank."""
    found = None
    for pspec, lo, first_value, columns in sides[si + 1:]:
        if len(b.cells) > lo and b.cells[lo].text:
            return None
        for j in range(first_value, min(first_value + len(columns), len(b.cells))):
            if b.cells[j].text:
                if found is not None or parse_number(b.cells[j].text) is None:
                    return None
                found = b.cells[j]
    return [found] if found is not None else None


# --------------------------------------------------------------------------- economic panels


def parse_economic_panels(rows: Sequence[Block], spec: TableSpec, ctx: LayoutContext) -> dict[str, Panel]:
    """经济分类 code | name | amount, repeated side by side; one list read column-wise."""
    pspec = spec.panels[0]
    starts: list[int] = []
    for b in rows:
        idx = [j for j, c in enumerate(b.cells) if "编码" in c.text]
        if len(idx) >= 2:
            starts = idx
            break
    if not starts:
        width = max(len(b.cells) for b in rows) if rows else 0
        starts = list(range(0, width, 3))
    summary_labels = {norm_title(n): alias for alias, names in pspec.rows.items() for n in names}
    builder = _PanelBuilder("main", ["amount"], pspec)
    pending_summaries: list[tuple[RowInfo, CellText | None]] = []
    per_group: list[list[tuple[RowInfo, CellText | None]]] = [[] for _ in starts]
    # A group whose code is printed as 类 | 款 (301 | 01) has one more column.
    split = [any(len(b.cells) > s + 1 and flat(b.cells[s].text) == "类" and flat(b.cells[s + 1].text) == "款"
                 for b in rows[:8]) for s in starts]
    codes = [_SplitCode(2) for _ in starts]
    for b in rows:
        cells = b.cells
        for gi, s in enumerate(starts):
            if split[gi]:
                first, second = (flat(cells[k].text) if len(cells) > k else "" for k in (s, s + 1))
                is_row = re.fullmatch(r"\d{3}", first) or (not first and re.fullmatch(r"\d{1,2}", second))
                code = codes[gi].code(cells[s:s + 2]) if is_row else None
                if code:
                    name = cells[s + 2].text if len(cells) > s + 2 else ""
                    value = cells[s + 3] if len(cells) > s + 3 else None
                    per_group[gi].append((RowInfo(code, name, code, b.line, "classification"), value))
                continue
            if len(cells) > s and is_code(cells[s].text):
                code = flat(cells[s].text)
                name = cells[s + 1].text if len(cells) > s + 1 else ""
                value = cells[s + 2] if len(cells) > s + 2 else None
                per_group[gi].append((RowInfo(code, name, code, b.line, "classification"), value))
        # Summary rows (人员经费合计 … 公用经费合计 …): label then the next number to its right.
        for j, c in enumerate(cells):
            if "计" not in c.text:  # (…合计, maybe spaced out: most cells are not)
                continue
            alias = summary_labels.get(norm_title(c.text))
            if alias and flat(c.text).endswith("合计"):
                value = None
                for k in range(j + 1, len(cells)):
                    if cells[k].text and norm_title(cells[k].text) in summary_labels:
                        break
                    if parse_number(cells[k].text) is not None:
                        value = cells[k]
                        break
                label = flat(c.text)
                pending_summaries.append((RowInfo(label, label, None, b.line, "total", alias), value))
    for group in per_group:
        for info, value in group:
            key = builder.unique_key(info.key)
            if key != info.key:
                info = RowInfo(key, info.label, info.code, info.line, info.kind, info.alias)
            builder.add_row(info, [value])
    for info, value in pending_summaries:
        key = builder.unique_key(info.key)
        builder.add_row(RowInfo(key, info.label, None, info.line, "total", info.alias), [value])
    return {"main": builder.build()}


# --------------------------------------------------------------------------- header paths


def header_paths(header_rows: Sequence[Sequence[CellText]], width: int) -> list[list[str]]:
    """For each column, its header texts from the top header row down (a parent header
    spanning several columns is printed once, in its first column).

    A blank header cell takes the nearest text to its left in the same row, unless a
    header in a row above starts between that text and this column: a span never
    crosses the boundary of its parent."""
    grid = [[flat(r[j].text) if j < len(r) else "" for j in range(width)] for r in header_rows]
    paths: list[list[str]] = []
    for j in range(width):
        path: list[str] = []
        for r, row in enumerate(grid):
            if row[j]:
                path.append(row[j])
                continue
            p = next((k for k in range(j - 1, -1, -1) if row[k]), None)
            if p is None or any(grid[q][k] for q in range(r) for k in range(p + 1, j + 1)):
                continue
            path.append(row[p])
        paths.append(path)
    return paths


def match_path(path: Sequence[str], specs: Sequence[ColumnSpec]) -> str | None:
    """The column a header path names: the longest template name equal to a suffix of
    the path (``公务用车购置及运行费`` + ``小计``), else one the joined path ends with."""
    suffixes = [norm_title("".join(path[i:])) for i in range(len(path))]
    best: tuple[int, str] | None = None
    for spec in specs:
        for n in spec.names:
            nn = norm_title(n)
            if nn and nn in suffixes and (best is None or len(nn) > best[0]):
                best = (len(nn), spec.key)
    if best:
        return best[1]
    joined = suffixes[0] if suffixes else ""
    for spec in specs:
        for n in spec.names:
            nn = norm_title(n)
            if nn and joined.endswith(nn) and (best is None or len(nn) > best[0]):
                best = (len(nn), spec.key)
    return best[1] if best else None


# --------------------------------------------------------------------------- single row


def _row_label_of(text: str, pspec: PanelSpec) -> str | None:
    n = norm_title(text)
    for label in pspec.row_labels:
        if any(n == norm_title(x) for x in pspec.rows.get(label, (label,))):
            return label
    return None


def _single_row_by_header(rows: Sequence[Block], value_row: Block, pspec: PanelSpec,
                          labels: list[str]) -> dict[tuple[str, str], CellText] | None:
    """Map the value row's cells through the header paths: ``(row label, column) ->
    cell``.  A header whose last line is a row label (预算数 / 决算数 printed under each
    item) puts that column on that row.  None when a header is not understood."""
    header = [b.cells for b in rows if b is not value_row and b.line < value_row.line
              and not is_column_number_row(b.cells)]
    if not header:
        return None
    width = len(value_row.cells)
    paths = header_paths(header, width)
    out: dict[tuple[str, str], CellText] = {}
    for j, path in enumerate(paths):
        cell = value_row.cells[j]
        if not path:
            if cell.text:
                return None
            continue
        at = next((i for i, t in enumerate(path) if _row_label_of(t, pspec)), None) if len(labels) > 1 else None
        label = _row_label_of(path[at], pspec) if at is not None else None
        key = match_path([t for i, t in enumerate(path) if i != at], pspec.columns)
        if key is None:
            if cell.text:
                return None
            continue
        row = label or labels[0]
        if (row, key) in out:
            return None
        out[(row, key)] = cell
    return out if out else None


def parse_single_row(rows: Sequence[Block], spec: TableSpec, ctx: LayoutContext) -> dict[str, Panel]:
    """A table printed as one row of values: the 三公 table, Jiangsu's 支出预算总表.

    Columns are mapped by their headers (several header rows, spanning parents); the
    决算 三公 table's 预算数 | 决算数 pairs under each item become two rows.  Without
    readable headers, the numbers are taken in the template's column order, one group
    per row label (the older form prints the budget group, then the final group)."""
    pspec = spec.panels[0]
    columns = pspec.column_keys()
    n = len(columns)
    labels = list(pspec.row_labels) or ["main"]
    builder = _PanelBuilder("main", columns, pspec)
    for b in rows:
        if is_column_number_row(b.cells):
            continue
        numeric = [c for c in b.cells if c.text and parse_number(c.text) is not None]
        if not numeric:
            continue
        mapped = _single_row_by_header(rows, b, pspec, labels)
        if mapped is not None:
            for label in labels:
                if any(r == label for r, _ in mapped):
                    names = pspec.rows.get(label, (label,))
                    builder.add_row(RowInfo(label, names[0], None, b.line, "other", label),
                                    [mapped.get((label, c)) for c in columns])
            break
        if len(numeric) < n:
            continue
        cells = [c for c in b.cells if c.text]
        groups = [cells[i * n:(i + 1) * n] for i in range(len(cells) // n)]
        for label, group in zip(labels, groups):
            names = pspec.rows.get(label, (label,))
            builder.add_row(RowInfo(label, names[0], None, b.line, "other", label), group)
        if len(groups) < len(labels):
            ctx.notes.append(f"{spec.id}: " + tr("只找到 {found} 组数值（表样 {expected} 组）", found=len(groups), expected=len(labels)))
        break
    return {"main": builder.build()}


# --------------------------------------------------------------------------- items


def parse_items(rows: Sequence[Block], spec: TableSpec, ctx: LayoutContext) -> dict[str, Panel]:
    """A list of labelled amounts, possibly grouped (Jiangsu's 收入预算总表: a fund
    source, then its items; 政府采购预算表): each row's labels joined with ``/`` are its
    key, its last number the amount.  Rows before the first number are the header."""
    pspec = spec.panels[0]
    key = pspec.columns[0].key if pspec.columns else "amount"
    header_names = {norm_title(n) for c in pspec.columns for n in c.names} | {"项目", "项目名称"}
    builder = _PanelBuilder("main", [key], pspec)
    started = False
    for b in rows:
        if is_column_number_row(b.cells):
            continue
        numbers = [c for c in b.cells if c.text and parse_number(c.text) is not None]
        labels = [flat(c.text) for c in b.cells if c.text and parse_number(c.text) is None]
        started = started or bool(numbers)
        if not labels or (not started and all(norm_title(t) in header_names for t in labels)):
            continue
        clean = [strip_numbering(t)[0] for t in labels]
        alias = next((a for t in clean if (a := _alias_for(t, pspec))), None)
        kind = "total" if any(t in _TOTAL_LABELS for t in clean) else "item"
        row_key = builder.unique_key("/".join(clean))
        builder.add_row(RowInfo(row_key, clean[-1], None, b.line, kind, alias),
                        [numbers[-1] if numbers else None])
    return {"main": builder.build()}


BUILTIN_LAYOUTS: dict[str, Layout] = {
    "classified": parse_classified,
    "two-sided": parse_two_sided,
    "economic-panels": parse_economic_panels,
    "single-row": parse_single_row,
    "items": parse_items,
}
