"""Writing workbooks as legacy Excel ``.xls`` (BIFF8 in an OLE2 compound file) with xlwt,
for the XLS reader's tests.

:func:`workbook_to_xls` writes an openpyxl workbook cell by cell — values, number formats,
merged ranges, hidden sheets, rows and columns — so a test can build one workbook and
compare what the XLSX and XLS readers make of the same sheets.  :func:`text_to_xls` is
``office.text_to_xlsx`` (text filing -> workbook, amounts as formatted numbers) saved as
``.xls``, with the same ``where`` map of cell references.

:func:`encrypted_xls` and :func:`renamed_stream` make the compound files Office writes
for what the reader must refuse: a password-protected workbook (a FILEPASS record after
the workbook's BOF), a Word ``.doc`` and an encrypted DOCX/XLSX (an OLE2 file whose
stream is ``WordDocument`` / ``EncryptedPackage`` instead of ``Workbook``).
"""

from __future__ import annotations

import datetime
import struct
import tempfile
from pathlib import Path


def _hidden_columns(ws) -> set[int]:
    out: set[int] = set()
    for dim in ws.column_dimensions.values():
        if getattr(dim, "hidden", False):
            out.update(range(dim.min or 0, (dim.max or 0) + 1))
    return out


def _book(wb):
    """An xlwt workbook holding ``wb``'s sheets (openpyxl), cell for cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, object] = {}

    def style(fmt: str | None):
        fmt = fmt or "General"
        if fmt not in styles:
            s = xlwt.XFStyle()
            s.num_format_str = fmt
            styles[fmt] = s
        return styles[fmt]

    for ws in wb.worksheets:
        out = book.add_sheet(ws.title, cell_overwrite_ok=True)
        if ws.sheet_state == "hidden":
            out.visibility = 1
        elif ws.sheet_state == "veryHidden":
            out.visibility = 2
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or not hasattr(cell, "column"):
                    continue
                if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                    value = datetime.datetime.combine(value, datetime.time())
                out.write(cell.row - 1, cell.column - 1, value, style(cell.number_format))
        for rng in ws.merged_cells.ranges:
            out.merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1)
        for r, dim in ws.row_dimensions.items():
            if dim.hidden:
                out.row(r - 1).hidden = True
        for c in _hidden_columns(ws):
            out.col(c - 1).hidden = True
    visible = next((i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible"), 0)
    book.active_sheet = visible
    return book


def workbook_to_xls(wb, path: str | Path) -> Path:
    """Save the openpyxl workbook ``wb`` as an ``.xls`` at ``path``."""
    out = Path(path)
    _book(wb).save(str(out))
    return out


def text_to_xls(lines: list[str], path: str | Path, *, sheet_per_table: bool = True) -> tuple[Path, dict]:
    """``office.text_to_xlsx``, saved as ``.xls``: the same sheets, cells and ``where``."""
    import openpyxl

    from .office import text_to_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        xlsx, where = text_to_xlsx(lines, Path(tmp) / "filing.xlsx", sheet_per_table=sheet_per_table)
        wb = openpyxl.load_workbook(xlsx)
        return workbook_to_xls(wb, path), where


def encrypted_xls(wb, path: str | Path) -> Path:
    """``wb`` as an ``.xls`` marked password-protected: a FILEPASS record (RC4) right
    after the workbook globals' BOF, where Excel writes it.  The records after it are
    left in clear — a reader must stop at FILEPASS whatever follows."""
    from xlwt.CompoundDoc import XlsDoc

    stream = _book(wb).get_biff_data()
    rtype, length = struct.unpack("<HH", stream[:4])
    assert rtype == 0x0809, "a BIFF8 workbook stream starts with its BOF"
    bof_end = 4 + length
    payload = struct.pack("<HHH", 1, 1, 1) + bytes(range(48))  # RC4: version 1.1, salt, verifier, hash
    filepass = struct.pack("<HH", 0x002F, len(payload)) + payload
    out = Path(path)
    with out.open("wb") as f:
        XlsDoc().save(f, stream[:bof_end] + filepass + stream[bof_end:])
    return out


def renamed_stream(data: bytes, new: str, old: str = "Workbook") -> bytes:
    """The compound file ``data`` with its ``old`` stream renamed ``new`` in the
    directory (the entry's UTF-16 name and its byte count), so an ``.xls`` becomes what
    a ``.doc`` (``WordDocument``) or an encrypted OOXML (``EncryptedPackage``) looks like
    from outside."""
    name = old.encode("utf-16-le") + b"\x00\x00"
    at = data.index(name)
    assert struct.unpack("<H", data[at + 64:at + 66])[0] == len(name)
    field = (new.encode("utf-16-le") + b"\x00\x00").ljust(64, b"\x00")
    assert len(field) == 64
    return data[:at] + field + struct.pack("<H", len(new) * 2 + 2) + data[at + 66:]
