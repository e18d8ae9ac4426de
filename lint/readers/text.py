"""The plain-text reader: exports of PDF/DOCX filings, one source line per block.

Decoding (:func:`decode`): a BOM (UTF-8/16/32) decides; else UTF-8, then GB18030 (a
superset of GBK/GB2312), then whatever charset-normalizer detects.  A few bad bytes do
not lose the file: they are replaced and reported (F008).  Binary input (a NUL byte
anywhere, PDF, zip) and empty files are refused with a message, never guessed at.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..i18n import tr
from ..model import Block, BlockKind, CellText, Document, Span

# Marks the exporter inserts; blanked with spaces so columns keep matching the file.
_MARK = re.compile(r"\[(?:bookmark|image):[^\]]*\]")

SUPPORTED_SUFFIXES = (".txt", ".text")


# Most undecodable places reported one by one; beyond that only their number.
MAX_REPORTED_PLACES = 50


@dataclass
class Decoded:
    """Text decoded from bytes, with the places that could not be decoded."""

    text: str
    encoding: str
    bad: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, bytes as hex), first ones
    bad_count: int = 0


_RECORDED = threading.local()


def _record(exc: UnicodeDecodeError):
    _RECORDED.places.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("filinglint.record", _record)


def _decode_lenient(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]]:
    """Decode with U+FFFD for each undecodable sequence; return the text and the byte
    ranges replaced."""
    _RECORDED.places = places = []
    try:
        text = data.decode(encoding, errors="filinglint.record")
    finally:
        _RECORDED.places = []
    return text, places


_BREAK = re.compile(r"\r\n|\r|\n")


def _places_to_lines(data: bytes, encoding: str, places: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(line, column in code points, bytes) of the first undecodable places."""
    out = []
    line, col, prev = 1, 1, 0
    for start, end in places[:MAX_REPORTED_PLACES]:
        seg = data[prev:start].decode(encoding, errors="replace")
        breaks = list(_BREAK.finditer(seg))
        if breaks:
            line += len(breaks)
            col = len(seg) - breaks[-1].end() + 1
        else:
            col += len(seg)
        out.append((line, col, data[start:end].hex(" ")))
        col += 1  # the U+FFFD standing in for them
        prev = end
    return out


def _few(bad: int, text: str) -> bool:
    """Few enough undecodable places for the guess of encoding to be right: a damaged
    byte or a cut last character, not a file in another encoding."""
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    return bad <= 3 or bad * 20 <= wide


def decode_bytes(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding_used)`` or raise :class:`InputError` (see :func:`decode`)."""
    d = decode(data, path, encoding)
    return d.text, d.encoding


def decode(data: bytes, path: str, encoding: str | None = None) -> Decoded:
    """Decode a text export.

    UTF-8/UTF-16/UTF-32 by their BOM; else UTF-8, else GB18030, else what
    charset-normalizer detects.  A few undecodable bytes in an otherwise valid file (a
    damaged byte, a last character cut off) do not lose the file: they become U+FFFD and
    are listed in ``Decoded.bad`` (the F008 finding).  A NUL byte anywhere outside
    UTF-16/32 means binary, refused; so is a PDF or a zip (DOCX/XLSX) handed to the
    text reader."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise InputError(tr("文件为空"), path)
    bom = next(((enc, n) for prefix, enc, n in _BOMS if data.startswith(prefix)), None)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(tr("未知的编码 {encoding}", encoding=repr(encoding)), path)
        return _lenient(data, encoding, path)
    if bom is not None:
        enc, n = bom
        return _lenient(data[n:], enc, path, "utf-8-sig" if enc == "utf-8" else enc)
    if data.startswith(b"%PDF-") or data.startswith(b"PK\x03\x04"):
        raise InputError(tr("这是 PDF 或 zip（DOCX/XLSX）文件，不是文本导出"), path)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _line_col(data, offset)
        raise InputError(tr("这是二进制文件，不是文本导出"), path, line, col)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    # Valid multi-byte UTF-8 is a strong signal (random bytes seldom form it), so UTF-8
    # with a few bad places wins over a clean-looking GB18030 reading of the same bytes.
    for enc in ("utf-8", "gb18030"):
        # Count with the C-level "replace" first (an upper bound: the text may hold real
        # U+FFFD too); record places one by one only for a file worth reading that way,
        # not for megabytes of binary noise.
        rough = data.decode(enc, errors="replace")
        if not _looks_textual(rough) or not _few(rough.count("\ufffd"), rough):
            continue
        text, places = _decode_lenient(data, enc)
        if _few(len(places), text):
            return Decoded(text, enc, _places_to_lines(data, enc, places), len(places))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is treated as "unknown"
        best = None
    if best is not None and _looks_textual(str(best)):
        return Decoded(str(best), best.encoding)
    line, col = _line_col(data, first_bad)
    raise InputError(tr("无法识别文件编码，可用 --encoding 指定"),
                     path, line, col)


_BOMS = [  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", 4), (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xef\xbb\xbf", "utf-8", 3), (b"\xff\xfe", "utf-16-le", 2), (b"\xfe\xff", "utf-16-be", 2),
]


def _lenient(data: bytes, encoding: str, path: str, shown: str | None = None) -> Decoded:
    try:
        return Decoded(data.decode(encoding), shown or encoding)
    except UnicodeDecodeError:
        pass
    text, places = _decode_lenient(data, encoding)
    used = shown or encoding
    if not places:
        return Decoded(text, used)
    if not _few(len(places), text) or not _looks_textual(text):  # the wrong encoding, not a damaged byte
        line, col = _line_col(data, places[0][0])
        raise InputError(tr("不能按 {encoding} 解码", encoding=encoding), path, line, col)
    return Decoded(text, used, _places_to_lines(data, encoding, places), len(places))


def _looks_textual(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample) < 0.01


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def split_blocks(lines: list[str]) -> list[Block]:
    """One block per non-blank line; tab-separated lines are table rows with cells.
    A file without tabs may hold space-aligned tables (lint/readers/columns.py)."""
    from .columns import split_layout

    layout = split_layout(lines, _MARK)
    if layout is not None:
        return layout
    blocks: list[Block] = []
    append = blocks.append
    row, prose = BlockKind.ROW, BlockKind.TEXT
    for number, raw in enumerate(lines, start=1):
        text = _MARK.sub(_blank_mark, raw) if "[" in raw else raw
        if not text or (text[0].isspace() and not text.strip()):
            continue
        if "\t" in text:
            append(Block(row, number, text, _cells(text, number)))
        else:
            append(Block(prose, number, text, ()))
    return blocks


def _blank_mark(m: re.Match) -> str:
    return " " * len(m.group(0))


def _cells(text: str, line: int) -> tuple[CellText, ...]:
    # This runs for every field of every row (most of the reader's time): Span.on_line
    # is written out.
    cells = []
    append = cells.append
    start = 0
    for field in text.split("\t"):
        if field:
            stripped = field.strip()
            n = len(stripped)
            width = len(field)
            col = start + 1 if n == width else start + width - len(field.lstrip()) + 1
            end = col + (n if n > 1 else 1)
        else:  # (a third of a table's fields are empty)
            stripped, width, col = field, 0, start + 1
            end = col + 1
        append(CellText(stripped, Span(line, col, line, end)))
        start += width + 1
    return tuple(cells)


def read_text_file(path: str | Path, encoding: str | None = None) -> Document:
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputError(tr("文件不存在"), shown)
    if p.is_dir():
        raise InputError(tr("这是目录，不是文件"), shown)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(tr("无法读取：{why}", why=exc.strerror), shown)
    decoded = decode(data, shown, encoding)
    if not decoded.text.strip(" \t\r\n\ufeff\x00"):
        raise InputError(tr("文件为空"), shown)
    # splitlines() would also split on \x0b, \x1c, \u2028 …, shifting line numbers
    # against what editors show; only \r\n, \r and \n end a line here.
    text = decoded.text
    lines = text.split("\n") if "\r" not in text else _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    if "\f" in text:
        lines = [ln.replace("\f", " ") for ln in lines]
    doc = Document(path=shown, encoding=decoded.encoding, lines=lines, blocks=split_blocks(lines))
    if decoded.bad_count:
        # read by the F008 rule: each place is a finding, the rest of the file is linted
        doc.metadata["undecodable"] = list(decoded.bad)
        doc.metadata["undecodable_count"] = decoded.bad_count
    return doc
