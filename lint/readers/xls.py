"""The XLS reader: legacy Excel workbooks (BIFF, Excel 97–2003; WPS's ``.et``) as text
lines, each cell with its place — the same layout as an XLSX (``lint/readers/xlsx.py``).

Many departments still publish their tables as ``.xls``.  xlrd (BSD) parses the BIFF
records; this module only turns its sheets into :class:`~lint.readers.xlsx.Sheet`
descriptions — visible sheets, cells with their stored value and number format, merged
ranges, hidden rows and columns — and the XLSX reader's layout does the rest, so a
workbook saved as ``.xls`` and as ``.xlsx`` gives the same lines, findings and places
(``Place("xlsx", sheet=…, cell="D7")``, shown ``file.xls:Sheet!D7``).

What is read, as in an XLSX: the cached value of a formula (BIFF always stores one), a
number as its number format displays it (``#,##0.00`` → ``1,367.76``), a date as a date,
an error cell as its text (``#DIV/0!``).

A "workbook" that is really text — a tab-separated export named ``.xls``, as web
systems offer "Excel" downloads — is read by the text reader; an HTML or XML page named
``.xls`` is refused with one line saying so.

An OLE2 compound file is also how Office stores a Word ``.doc`` and a password-protected
DOCX/XLSX.  Every OLE2 file no other reader claims by its streams (the DOC reader takes
those with a ``WordDocument``) comes here (:meth:`XlsReader.sniff`), and one that holds
no workbook, or an encrypted one, is refused with one line saying which it is.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from ..i18n import tr
from ..model import Document
from .package import OLE_MAGIC, ole_error, ole_streams, read_bytes
from .xlsx import Sheet, lay_out_workbook

SUFFIXES = (".xls", ".et")

# OLE2 streams that say what a compound file is when it holds no workbook.
_ENCRYPTED_STREAMS = {"encryptedpackage", "encryptioninfo"}  # an encrypted DOCX/XLSX/PPTX
_WORD_STREAMS = {"worddocument"}
# The BOF record a workbook stream starts with: BIFF2, 3, 4, 5/8 (Excel 2.x-95 files are
# bare streams, no compound file around them).
_BIFF_BOFS = {b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08"}


def read_xls(path: str, encoding: str | None = None) -> Document:
    """Read a legacy Excel workbook; raise :class:`InputError` (one line) for anything
    else.  ``encoding`` (``--encoding``) is the code page of an Excel 95 file that does
    not declare one; Excel 97 and later store text as UTF-16."""
    data = read_bytes(path)
    if not data.strip(b" \t\r\n\x00"):
        raise InputError(tr("文件为空"), path)
    if data.startswith(b"PK\x03\x04"):
        raise InputError(tr("这是 zip 包，但不是 DOCX 或 XLSX 文件"), path)
    text = _as_text(data)
    if text is not None:
        # Not a workbook at all but text under a workbook's name, as web systems export "Excel"
        if text.lstrip("\ufeff \t\r\n").startswith("<"):  # an HTML table or Excel 2003 XML: no reader for those
            raise InputError(tr("这是网页或 XML 文件，只是扩展名为 {suffix}，不是 Excel 工作簿：请用 Excel 打开后另存为 XLSX",
                                suffix=Path(path).suffix or ".xls"), path)
        if "\t" in text:  # a tab-separated export: exactly what the text reader reads
            from .text import read_text_file

            return read_text_file(path, encoding)
    book = _open(path, data, encoding)
    try:
        return lay_out_workbook(path, "xls", _sheets(book))
    finally:
        book.release_resources()


def _as_text(data: bytes) -> str | None:
    """The start of ``data`` as text when it is text rather than a workbook: UTF-16 with
    its BOM (Excel's "Unicode text"), or bytes without NUL that are neither a compound
    file nor a BIFF stream."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[:65536].decode("utf-16", errors="ignore")
    if data.startswith(OLE_MAGIC) or data[:2] in _BIFF_BOFS or b"\x00" in data[:4096]:
        return None
    return data[:65536].decode("ascii", errors="ignore")  # what is looked for ("<", tabs) is ASCII


def _open(path: str, data: bytes, encoding: str | None):
    import xlrd

    log = io.StringIO()  # xlrd writes its warnings to stdout by default: the report may be there
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, logfile=log,
                                  encoding_override=encoding or None)
    except xlrd.XLRDError as exc:
        message = str(exc)
        if "encrypted" in message.lower():  # a FILEPASS record: the workbook has a password
            raise InputError(tr("文件有密码保护（已加密），请去掉密码后另存再检查"), path)
        if data.startswith(OLE_MAGIC) and "find workbook" in message:
            raise _not_a_workbook(path, data)
        raise _damaged(path, data, exc)
    except Exception as exc:  # a damaged compound file or BIFF record: one line, never a traceback
        raise _damaged(path, data, exc)


def _not_a_workbook(path: str, data: bytes) -> InputError:
    """The error for an OLE2 compound file without a workbook stream: what it is instead."""
    names = ole_streams(data)
    if names & _ENCRYPTED_STREAMS:
        return InputError(tr("文件有密码保护（已加密），请去掉密码后另存再检查"), path)
    if names & _WORD_STREAMS:
        return InputError(tr("这是旧版 Word 二进制文件（.doc），请另存为 DOCX"), path)
    return ole_error(path)


def _damaged(path: str, data: bytes, exc: Exception) -> InputError:
    if data.startswith(OLE_MAGIC) and Path(path).suffix.lower() not in SUFFIXES:
        return ole_error(path)  # an unreadable compound file not named as a workbook: say what it may be
    return InputError(tr("{kind} 文件无法解析，可能已损坏：{error}", kind="XLS",
                         error=f"{type(exc).__name__}: {str(exc)[:200]}"), path)


def _sheets(book) -> Iterator[Sheet]:
    for sh in book.sheets():
        if sh.visibility != 0:  # 1 hidden, 2 very hidden
            continue
        yield Sheet(
            title=sh.name,
            cells=_cells(book, sh),
            hidden_rows={r + 1 for r, info in sh.rowinfo_map.items() if getattr(info, "hidden", 0)},
            hidden_cols={c + 1 for c, info in sh.colinfo_map.items() if getattr(info, "hidden", 0)},
            # xlrd: (first row, row after the last, first column, column after the last), 0-based
            merged=[(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells])


def _cells(book, sh) -> Iterator[tuple[int, int, Any, str | None]]:
    import xlrd
    from xlrd.biffh import error_text_from_code

    formats: dict[int, str | None] = {}  # XF index -> number format string

    def number_format(xf: int) -> str | None:
        if xf not in formats:
            try:
                fmt = book.format_map.get(book.xf_list[xf].format_key)
            except (IndexError, AttributeError):
                fmt = None
            formats[xf] = fmt.format_str if fmt is not None else None
        return formats[xf]

    for r in range(sh.nrows):
        types, values = sh.row_types(r), sh.row_values(r)
        for c, (kind, value) in enumerate(zip(types, values)):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if kind == xlrd.XL_CELL_DATE:
                value = _date(value, book.datemode)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = error_text_from_code.get(value, "#N/A")
            elif kind == xlrd.XL_CELL_TEXT and not value:
                continue
            yield r + 1, c + 1, value, number_format(sh.cell_xf_index(r, c))


def _date(value: float, datemode: int) -> Any:
    """A date-formatted number as openpyxl gives it: a time of day below 1, else a
    datetime; a number no date can be (negative, too large) stays a number."""
    from xlrd.xldate import xldate_as_datetime

    try:
        if 0 <= value < 1:
            moment = xldate_as_datetime(value, datemode)
            return _dt.time(moment.hour, moment.minute, moment.second, moment.microsecond)
        return xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, ArithmeticError):
        return value


class XlsReader:
    """``filinglint_readers`` entry: legacy Excel workbooks, and every OLE2 compound file
    (to name a ``.doc`` or an encrypted Office file as such)."""

    name = "xls"
    suffixes = SUFFIXES

    @staticmethod
    def sniff(head: bytes) -> bool:
        return head.startswith(OLE_MAGIC)

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_xls(path, encoding)
