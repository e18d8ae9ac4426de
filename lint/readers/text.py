"""The plain-text reader: exports of PDF/DOCX filings, one source line per block.

Decoding: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312),
then whatever charset-normalizer detects.  Binary input (NUL bytes, mostly control
characters) and empty files are refused with a message, never guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Block, BlockKind, CellText, Document, Span

# Marks the exporter inserts; blanked with spaces so columns keep matching the file.
_MARK = re.compile(r"\[(?:bookmark|image):[^\]]*\]")

SUPPORTED_SUFFIXES = (".txt", ".text")


def decode_bytes(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding_used)`` or raise :class:`InputError`."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise InputError("文件为空 (file is empty)", path)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            pos = getattr(exc, "start", 0)
            line, col = _line_col(data, pos)
            raise InputError(f"不能按 {encoding} 解码 (cannot decode as {encoding}): {exc}", path, line, col)
    if b"\x00" in data[:65536]:
        offset = data.index(b"\x00")
        line, col = _line_col(data, offset)
        raise InputError("这是二进制文件，不是文本导出 (binary file, not a text export)", path, line, col)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and _looks_textual(text):
            return text, "gb18030"
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
        except Exception:  # pragma: no cover - detector failure is treated as "unknown"
            best = None
        if best is not None and _looks_textual(str(best)):
            return str(best), best.encoding
        line, col = _line_col(data, utf8_error.start)
        raise InputError("无法识别文件编码，可用 --encoding 指定 (unknown encoding; pass --encoding)",
                         path, line, col)


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
    """One block per non-blank line; tab-separated lines are table rows with cells."""
    blocks: list[Block] = []
    for number, raw in enumerate(lines, start=1):
        text = _MARK.sub(lambda m: " " * len(m.group(0)), raw)
        if not text.strip():
            continue
        if "\t" in text:
            blocks.append(Block(BlockKind.ROW, number, text, tuple(_cells(text, number))))
        else:
            blocks.append(Block(BlockKind.TEXT, number, text))
    return blocks


def _cells(text: str, line: int) -> list[CellText]:
    cells = []
    start = 0
    for field in text.split("\t"):
        stripped = field.strip()
        lead = len(field) - len(field.lstrip())
        col = start + lead + 1
        cells.append(CellText(stripped, Span.on_line(line, col, len(stripped))))
        start += len(field) + 1
    return cells


def read_text_file(path: str | Path, encoding: str | None = None) -> Document:
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputError("文件不存在 (no such file)", shown)
    if p.is_dir():
        raise InputError("这是目录，不是文件 (is a directory)", shown)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取 (cannot read): {exc.strerror}", shown)
    text, used = decode_bytes(data, shown, encoding)
    # splitlines() would also split on \x0b, \x1c, \u2028 …, shifting line numbers
    # against what editors show; only \r\n, \r and \n end a line here.
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln.replace("\f", " ") for ln in lines]
    return Document(path=shown, encoding=used, lines=lines, blocks=split_blocks(lines))
