"""The XLSX reader: every visible sheet of a workbook as text lines, each cell with its place.

A sheet is laid out the way its printout reads: the lines above a table (its title,
``编制部门：…`` / ``单位：元``) as prose lines, the grid as tab-separated rows, so the one
recognizer serves workbooks too.  What a reader of the sheet sees is what is linted:

- hidden sheets, rows and columns are left out;
- a merged range shows its value in its top-left cell, the rest blank;
- formulas give their cached values (``data_only``; a workbook saved by a program that
  never calculated has none, and those cells read blank);
- numbers are written as the cell's number format displays them: a cell formatted
  ``#,##0.00`` holding 1367.756 reads ``1,367.76`` — a 2-decimal stated number for the
  rounding rules, exactly as in the printed table.

Places: ``Place("xlsx", sheet=title, cell="B7")``.

The layout works on :class:`Sheet` descriptions (cells with value and number format,
merged ranges, hidden rows and columns), not on openpyxl objects: the XLS reader
(``xls.py``, xlrd) feeds it the same way, so an ``.xls`` lays out as its ``.xlsx``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Collection, Iterable, Iterator, Sequence

from ..errors import InputError
from ..i18n import tr
from ..model import Document, Place
from .layout import DocumentBuilder, clean
from .package import open_package

# A number format section: [Red], [$-804], [>=100] are colours, locales and conditions.
_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"([^"]*)"')
_DATE_CODES = re.compile(r"[ymdhsYMDHS]")
_PLACEHOLDERS = set("0#?")

# A label: value cell above a table (编制部门：XX, 单位：元, 金额单位:万元).
_LABEL_VALUE = re.compile(r"^\s*[\w（）()“”\"]{1,10}\s*[:：]")


@lru_cache(maxsize=1024)
def _split_sections(fmt: str) -> tuple[str, ...]:
    sections, buf, quoted, bracket = [], [], False, False
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "\\" and i + 1 < len(fmt):
            buf.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "[" and not quoted:
            bracket = True
        elif ch == "]" and not quoted:
            bracket = False
        if ch == ";" and not quoted and not bracket:
            sections.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    sections.append("".join(buf))
    return tuple(sections)


def _general(value: Decimal) -> str:
    """Excel's General format: up to 11 significant digits, no exponent for the sizes
    a filing holds, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    digits = max(11 - len(str(int(abs(value)))) if abs(value) >= 1 else 11, 0)
    q = value.quantize(Decimal(1).scaleb(-min(digits, 15)), rounding=ROUND_HALF_UP)
    text = format(q.normalize(), "f")
    return text


def format_value(value, number_format: str | None) -> str:
    """``value`` as a cell with ``number_format`` displays it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (_dt.datetime, _dt.date)):
        fmt = number_format or ""
        if not isinstance(value, _dt.datetime) or value.time() == _dt.time(0):
            day = value.date() if isinstance(value, _dt.datetime) else value
            if "年" in fmt:
                return f"{day.year}年{day.month}月{day.day}日" if "日" in fmt else f"{day.year}年{day.month}月"
            return day.isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.time):
        return value.isoformat()
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    fmt = number_format or "General"
    if fmt.strip().lower() in ("general", "", "@"):
        return _general(number)
    sections = _split_sections(fmt)
    if number < 0 and len(sections) >= 2:
        section, number, sign = sections[1], -number, ""
    elif number == 0 and len(sections) >= 3:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if number < 0 else ""
        number = abs(number)
    try:
        return sign + _apply_section(number, section)
    except ArithmeticError:  # 1e308 under "#,##0.00" overflows Decimal's 28 digits: show it as stored
        return str(value)


@lru_cache(maxsize=1024)
def _prepare(section: str) -> tuple[str, tuple[str, ...]]:
    """A format section with colours/conditions, padding and fills removed and its
    literal text set aside (formats repeat over a sheet: prepared once each)."""
    section = _BRACKETS.sub("", section)
    literals: list[str] = []

    def keep(m: re.Match) -> str:  # quoted text and \x escapes are shown as written
        literals.append(m.group(1))
        return chr(0xE000 + len(literals) - 1)  # a stand-in no format code can mistake for a digit

    section = _QUOTED.sub(keep, section)
    section = re.sub(r"\\(.)", keep, section, flags=re.S)
    section = re.sub(r"_.?", "", section)  # padding the width of a character
    section = re.sub(r"\*.", "", section)  # fill
    return section, tuple(literals)


def _apply_section(number: Decimal, section: str) -> str:
    section, literals = _prepare(section)
    if section.lower() == "general" or "general" in section.lower():
        body = _general(number)
        return _restore(section.lower().replace("general", body), literals)
    if "@" in section:
        return _restore(section.replace("@", _general(number)), literals)
    if _DATE_CODES.search(re.sub("[\ue000-\uf8ff]", "", section)) and not re.search(r"[0#?]", section):
        return _general(number)  # a date code on a plain number: show the number
    digits = [i for i, ch in enumerate(section) if ch in _PLACEHOLDERS]
    if not digits:
        return _restore(section, literals)
    first, last = digits[0], digits[-1]
    pattern = section[first:last + 1]
    if "E+" in section.upper() and re.search(r"[eE][+-]", pattern):
        return _general(number)
    if "%" in section:
        number = number * 100
    # Commas right after the last placeholder scale by a thousand each.
    tail = section[last + 1:]
    scale = len(tail) - len(tail.lstrip(","))
    if scale:
        number = number / (Decimal(1000) ** scale)
        tail = tail.lstrip(",")
    point = pattern.find(".")
    decimals = sum(1 for ch in pattern[point + 1:] if ch in _PLACEHOLDERS) if point >= 0 else 0
    min_decimals = sum(1 for ch in pattern[point + 1:] if ch == "0") if point >= 0 else 0
    int_part = pattern[:point] if point >= 0 else pattern
    thousands = "," in int_part
    min_int = sum(1 for ch in int_part if ch == "0")
    q = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{q:f}".partition(".")
    frac = frac.ljust(decimals, "0")
    while len(frac) > min_decimals and frac.endswith("0"):  # '#' places drop trailing zeros
        frac = frac[:-1]
    whole = whole.lstrip("0")
    whole = whole.rjust(min_int, "0") if min_int else whole
    if thousands and whole:
        whole = f"{int(whole):,}"
    text = whole + ("." + frac if frac or (point >= 0 and pattern.endswith(".")) else "")
    if not whole and not frac:
        text = "0" if min_int else ""
    return _restore(section[:first] + text + tail, literals)


def _restore(text: str, literals: tuple[str, ...]) -> str:
    return re.sub("[\ue000-\uf8ff]", lambda m: literals[ord(m.group()) - 0xE000], text)


@lru_cache(maxsize=None)
def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _hidden_columns(ws) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if getattr(dim, "hidden", False):
            lo, hi = dim.min or 0, dim.max or 0
            hidden.update(range(lo, min(hi, 16384) + 1))
    return hidden


@dataclass
class Sheet:
    """One visible worksheet as a spreadsheet reader hands it to the layout.

    The XLSX (openpyxl) and XLS (xlrd) readers both describe their sheets this way, so
    a workbook lays out the same — lines, cells, places — whichever file format holds
    it.  Rows and columns are 1-based; ``cells`` yields ``(row, column, stored value,
    number format)`` for the cells the file defines with a value (never the sheet's
    nominal dimension); ``merged`` holds ``(first row, first column, last row, last
    column)`` ranges, inclusive."""

    title: str
    cells: Iterable[tuple[int, int, Any, str | None]]
    hidden_rows: Collection[int] = frozenset()
    hidden_cols: Collection[int] = frozenset()
    merged: Sequence[tuple[int, int, int, int]] = ()


def _drop_merged(shown: dict, merged: Sequence[tuple[int, int, int, int]]) -> None:
    """A merged range shows its value in its top-left cell: whatever the file holds in
    the cells it covers is not displayed, and they read blank, like the merged cells of
    a text export.  (openpyxl already empties them; an .xls may still hold values.)"""
    for r0, c0, r1, c1 in merged:
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area <= 1:
            continue
        if area <= len(shown):  # walk the range or the shown cells, whichever is smaller
            covered = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) in shown]
        else:
            covered = [k for k in shown if r0 <= k[0] <= r1 and c0 <= k[1] <= c1]
        for key in covered:
            if key != (r0, c0):
                del shown[key]


def lay_out_workbook(path: str, format: str, sheets: Iterable[Sheet]) -> Document:
    """The workbook's visible ``sheets`` laid out as one Document (a blank line between
    sheets); :class:`InputError` when none shows a value."""
    builder = DocumentBuilder(path, format)
    read_any = False
    for sheet in sheets:
        if read_any:
            builder.break_()
        read_any = _read_sheet(builder, sheet) or read_any
    if not read_any:
        raise InputError(tr("工作簿中没有可见的内容"), path)
    return builder.build()


def _read_sheet(builder: DocumentBuilder, sheet: Sheet) -> bool:
    """Lay one sheet out; False when it has no visible value."""
    hidden_rows, hidden_cols = sheet.hidden_rows, sheet.hidden_cols
    shown: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) -> (displayed text, A1 ref)
    for r, c, value, number_format in sheet.cells:
        if r in hidden_rows or c in hidden_cols or value is None:
            continue
        text = format_value(value, number_format).strip()
        if text:
            shown[(r, c)] = (text, f"{_column_letter(c)}{r}")
    if sheet.merged:
        _drop_merged(shown, sheet.merged)
    if not shown:
        return False
    cols = sorted({c for _, c in shown})
    first_col, last_col = cols[0], cols[-1]
    rows = sorted({r for r, _ in shown})
    kinds = {r: _row_kind([shown[(r, c)][0] for c in range(first_col, last_col + 1) if (r, c) in shown])
             for r in rows}
    grid_rows = [r for r in rows if kinds[r] == "grid"]
    top, bottom = (grid_rows[0], grid_rows[-1]) if grid_rows else (None, None)
    title = sheet.title
    previous = None
    for r in rows:
        present = [c for c in range(first_col, last_col + 1) if (r, c) in shown]
        kind = kinds[r]
        if kind == "single" and top is not None and r > bottom and not _note_like(shown[(r, present[0])][0]):
            kind = "grid"  # a 合计 row left alone below the rows above it is still the table's
            bottom = r
        inside = top is not None and top < r <= bottom
        if previous is not None and r > previous + 1 and not inside:
            builder.break_()  # empty rows outside a table separate blocks, as blank lines do
        previous = r
        if kind == "label" or (kind == "single" and not inside):
            pieces = [(shown[(r, c)][0], Place("xlsx", sheet=title, cell=shown[(r, c)][1], text=clean(shown[(r, c)][0])))
                      for c in present]
            if len(pieces) == 1:  # a text cell of several paragraphs: one line each
                text, place = pieces[0]
                for part in text.splitlines():
                    builder.text(part, place)
            else:
                builder.text("", pieces)
            continue
        row = []
        for c in range(first_col, last_col + 1):
            if c in hidden_cols:
                continue
            text, ref = shown.get((r, c), ("", f"{_column_letter(c)}{r}"))
            text = clean(text) if text else text
            row.append((text, Place("xlsx", sheet=title, cell=ref, text=text)))
        builder.row(row)
    return True


def _note_like(text: str) -> bool:
    """A line under a table that is prose: a note, or a sentence."""
    t = text.strip()
    return bool(re.match(r"^(注|说明|备注|附|填报|制表|审核|负责人)", t)) or len(t) > 12 or "。" in t


def _row_kind(cells: list[str]) -> str:
    """"label": only ``编制部门：…`` / ``单位：元`` cells; "single": one cell; "grid": more."""
    if all(_LABEL_VALUE.match(t) for t in cells):
        return "label"
    return "single" if len(cells) == 1 else "grid"


def read_xlsx(path: str, encoding: str | None = None) -> Document:
    """Read an XLSX workbook; raise :class:`InputError` (one line) for anything else."""
    stream = open_package(path, "xlsx")
    try:
        import warnings

        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions, not our business
            wb = openpyxl.load_workbook(stream, data_only=True, read_only=False, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl/zipfile on a malformed package: one line, never a traceback
        raise InputError(tr("{kind} 文件无法解析，可能已损坏：{error}", kind="XLSX", error=f"{type(exc).__name__}: {exc}"), path)
    try:
        return lay_out_workbook(path, "xlsx", _openpyxl_sheets(wb))
    finally:
        wb.close()


def _openpyxl_sheets(wb) -> Iterator[Sheet]:
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            continue
        cells = getattr(ws, "_cells", {})  # only the cells the file defines, never the whole dimension
        yield Sheet(
            title=ws.title,
            cells=((r, c, cell.value, cell.number_format) for (r, c), cell in cells.items() if cell.value is not None),
            hidden_rows={r for r, dim in ws.row_dimensions.items() if getattr(dim, "hidden", False)},
            hidden_cols=_hidden_columns(ws),
            merged=[(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges])


class XlsxReader:
    """``filinglint_readers`` entry: Excel workbooks."""

    name = "xlsx"
    suffixes = (".xlsx", ".xlsm")
    container_part = "xl/workbook.xml"

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_xlsx(path, encoding)
