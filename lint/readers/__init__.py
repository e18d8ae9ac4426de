"""Readers: a file on disk -> :class:`lint.model.Document`.

Readers are contributed through the ``filinglint_readers`` hook: objects with ``name``,
``suffixes`` and ``read(path, encoding) -> Document``; optionally ``sniff(head) -> bool``
(the file's first bytes are this reader's format), ``container_part`` (a zip holding
this member is this reader's format, as ``word/document.xml`` marks a DOCX) or
``ole_stream`` (an OLE2 compound file holding this stream is, as ``WordDocument`` marks
a Word ``.doc``).

:func:`select_reader` chooses by content first — a PDF named ``.txt`` is read as PDF, a
workbook renamed ``.docx`` as a workbook — and by suffix when the content says nothing
(text).  :func:`read_document` also reads ``a.pdf+b.pdf`` as one filing (see join.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..errors import FilinglintError, InputError
from ..i18n import tr
from ..model import Document
from .join import members, pair_members, read_joined
from .package import OLE_MAGIC, ole_error, ole_streams, zip_members
from .text import decode_bytes, read_text_file, split_blocks

__all__ = ["read_text_file", "decode_bytes", "split_blocks", "select_reader", "read_document", "pair_members",
           "sniff_format"]

HEAD_BYTES = 2048


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(HEAD_BYTES)
    except OSError:
        return b""  # the chosen reader reports the missing or unreadable file in its words


def sniff_format(path: str, readers: Sequence[Any]) -> Any | None:
    """The reader whose format the file's content is, or None when content says nothing."""
    head = _head(path)
    if not head:
        return None
    if head.startswith(OLE_MAGIC):  # .doc, .xls and encrypted OOXML all are OLE2: the streams tell
        claims = [r for r in readers if isinstance(getattr(r, "ole_stream", None), str)]
        if claims:
            try:
                with open(path, "rb") as f:
                    streams = ole_streams(f.read())
            except OSError:
                streams = set()
            suffix = Path(path).suffix.lower()
            for r in claims:  # one too damaged to list goes to the reader its name says
                if r.ole_stream.lower() in streams or (not streams and suffix in getattr(r, "suffixes", ())):
                    return r
    for r in readers:
        sniff = getattr(r, "sniff", None)
        if sniff is not None:
            try:
                if sniff(head):
                    return r
            except Exception:  # a plugin's sniffer must not stop the choice
                continue
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return next((r for r in readers if getattr(r, "name", "") == "pdf"), None)
    if head.startswith(b"PK\x03\x04"):
        try:
            with open(path, "rb") as f:
                names = zip_members(f.read())
        except OSError:
            names = None
        for r in readers:
            part = getattr(r, "container_part", None)
            if part and names and part in names:
                return r
    return None


def select_reader(path: str, readers: Sequence[Any]) -> Any:
    """The reader for ``path``: by content, else by suffix, else the text reader."""
    if not readers:
        raise InputError(tr("没有可用的读取器"), path)
    by_content = sniff_format(path, readers)
    if by_content is not None:
        return by_content
    if _head(path).startswith(OLE_MAGIC):
        raise ole_error(path)
    suffix = Path(path).suffix.lower()
    head = _head(path)
    for r in readers:
        if suffix in getattr(r, "suffixes", ()):
            # A .docx/.xlsx that is no zip at all still goes to its reader, which says
            # what is wrong with it; but a text reader never gets a zip.
            return r
    if head.startswith(b"PK\x03\x04"):
        raise InputError(tr("这是 zip 包，但不是 DOCX 或 XLSX 文件"), path)
    return next((r for r in readers if getattr(r, "name", "") == "text"), readers[0])


def read_document(path: str, readers: Sequence[Any], encoding: str | None = None) -> Document:
    """Read ``path`` (or the members ``a+b`` names, as one filing) with the right reader."""
    parts = members(path)
    if parts is not None:
        return read_joined(path, parts, lambda p: _read_one(p, readers, encoding))
    return _read_one(path, readers, encoding)


def _read_one(path: str, readers: Sequence[Any], encoding: str | None) -> Document:
    reader = select_reader(path, readers)
    try:
        return reader.read(path, encoding)
    except FilinglintError:
        raise
    except (Exception, SystemExit) as exc:  # a reader that trips over a damaged file must not end the run
        name = getattr(reader, "name", type(reader).__name__)
        raise InputError(tr("读取器 {name} 无法读取此文件，可能已损坏：{error}", name=name,
                            error=f"{type(exc).__name__}: {str(exc)[:200]}"), path) from None
