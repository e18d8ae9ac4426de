"""Opening an Office (OOXML) package from an untrusted file, before any XML library sees it.

DOCX and XLSX files are zip archives of XML parts.  A file from the internet may be a
zip bomb dressed as a workbook (a few kilobytes that inflate to gigabytes), an XML part
declaring entities that expand exponentially ("billion laughs"), or simply a zip of
something else renamed ``.docx``.  :func:`open_package` checks the zip directory and
every XML part's prolog first and refuses such files with one line, so python-docx and
openpyxl only ever load a package whose size is bounded.

Python's :mod:`zipfile` stops inflating a member at the size its directory entry
declares (and checks the CRC), so the declared sizes checked here bound what the
libraries can read even when the directory lies.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError
from ..i18n import tr

# Real filings are a few megabytes; these bounds are generous for them and small
# enough that a hostile file cannot exhaust memory or time.
MAX_FILE_BYTES = 200 * 1024 * 1024  # the archive itself
MAX_MEMBERS = 10_000
MAX_XML_BYTES = 16 * 1024 * 1024  # all XML parts together, inflated (real filings: ~1 MB; 16 MB ≈ 10 s)
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # every member together, inflated (images are stored, not parsed)
MAX_RATIO = 200  # inflated / compressed, for members large enough to matter
RATIO_FLOOR = 4 * 1024 * 1024  # members below this size may compress as well as they like
PROLOG_BYTES = 64 * 1024  # how far into a part its DOCTYPE could hide
_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the root element: no declaration can follow it

# What each format's package must hold: the part its reader starts from.
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
FORMAT_NAMES = {"docx": "DOCX (Word)", "xlsx": "XLSX (Excel)"}


def read_bytes(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputError(tr("文件不存在"), path)
    if p.is_dir():
        raise InputError(tr("这是目录，不是文件"), path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(tr("文件过大（{mb} MB），不予读取", mb=size // (1024 * 1024)), path)
        return p.read_bytes()
    except OSError as exc:
        raise InputError(tr("无法读取文件：{error}", error=exc.strerror), path)


# An OLE2 compound file: the old binary .doc/.xls, and also every password-protected
# DOCX/XLSX (Office wraps the encrypted package in one).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_error(path: str) -> InputError:
    return InputError(tr("这是旧版 Office 二进制文件（.doc/.xls）或加密的 Office 文件，请另存为未加密的 DOCX/XLSX"),
                      path)


def ole_streams(data: bytes) -> set[str]:
    """The lower-case names of an OLE2 compound file's streams and storages (empty when
    ``data`` is not one, or is too damaged to list): ``worddocument`` marks a Word file,
    ``workbook`` an Excel one, ``encryptedpackage`` an encrypted DOCX/XLSX."""
    if not data.startswith(OLE_MAGIC):
        return set()
    from xlrd.compdoc import CompDoc

    try:
        return {d.name.lower() for d in CompDoc(data, logfile=io.StringIO()).dirlist if d.name}
    except Exception:  # a damaged compound file: nothing to say about it here
        return set()


def zip_members(data: bytes) -> list[str] | None:
    """The member names of a zip archive, or None when ``data`` is not one."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None


def open_package(path: str, kind: str) -> io.BytesIO:
    """The file's bytes, checked to be a safe ``kind`` ("docx" or "xlsx") package.

    Raises :class:`InputError` (one line, exit 2) for a file that is not a zip, a zip
    without the format's main part, a zip bomb, or an XML part with a DOCTYPE."""
    data = read_bytes(path)
    name = FORMAT_NAMES[kind]
    if not data.strip():
        raise InputError(tr("文件为空"), path)
    if data.startswith(OLE_MAGIC):
        raise ole_error(path)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(tr("不是有效的 {name} 文件：不是 zip 包，可能已损坏或只是改了扩展名", name=name), path)
    with z:
        infos = z.infolist()
        names = {i.filename for i in infos}
        if MAIN_PART[kind] not in names:
            other = next((k for k, part in MAIN_PART.items() if part in names), None)
            hint = tr("，它其实是 {name} 文件", name=FORMAT_NAMES[other]) if other else ""
            raise InputError(tr("zip 包中没有 {part}，不是 {name} 文件{hint}", part=MAIN_PART[kind], name=name, hint=hint),
                             path)
        _check_sizes(path, infos)
        for info in infos:
            if _is_xml(info.filename):
                _check_prolog(path, z, info)
    return io.BytesIO(data)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _check_sizes(path: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(tr("zip 包中有 {n} 个成员，超过上限 {limit}，疑似恶意文件", n=len(infos), limit=MAX_MEMBERS),
                         path)
    total = xml = 0
    for info in infos:
        size = info.file_size
        total += size
        if _is_xml(info.filename):
            xml += size
        ratio = size / max(info.compress_size, 1)
        if size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(tr("{member} 解压后 {mb} MB，压缩比 {ratio}:1，疑似压缩炸弹，不予读取",
                                member=info.filename, mb=size // (1024 * 1024), ratio=f"{ratio:.0f}"), path)
    if xml > MAX_XML_BYTES or total > MAX_TOTAL_BYTES:
        raise InputError(tr("解压后共 {mb} MB，超过上限，疑似压缩炸弹，不予读取", mb=max(xml, total) // (1024 * 1024)),
                         path)


def _check_prolog(path: str, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DOCTYPE or entities: Office never writes one, and
    entity expansion is how an XML file turns kilobytes into gigabytes."""
    try:
        with z.open(info) as f:
            head = f.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError,
            zlib.error) as exc:  # a damaged archive fails in zlib or in a seek, too
        raise InputError(tr("无法解压 {member}（文件损坏或已加密）：{error}", member=info.filename, error=exc), path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        head = head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", errors="ignore").encode("utf-8")
    root = _ROOT_START.search(head)
    if root is None and info.file_size > len(head):
        raise InputError(tr("{member} 的 XML 开头过长，不予读取", member=info.filename), path)
    prolog = head[:root.start()] if root else head
    upper = prolog.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise InputError(tr("{member} 含有 DOCTYPE/ENTITY 声明（Office 文件不会有），可能是实体膨胀攻击，不予读取",
                            member=info.filename), path)
