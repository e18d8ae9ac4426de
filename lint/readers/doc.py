"""The DOC reader: legacy Word documents (Word 97–2003 ``.doc``; WPS Writer's ``.wps``,
which is the same format) by way of LibreOffice.

Many departments, above all for older years, publish their filings as ``.doc``.  No
maintained, permissively licensed Python library reads Word's binary format (the
text sits in pieces addressed by a piece table, tables are paragraphs with cell marks),
so this reader has LibreOffice (MPL-2.0; run as a separate program, never linked)
convert the file to DOCX and reads that with the DOCX reader.  Paragraphs, tables,
rows and cells are the same things in a ``.doc`` as in the DOCX LibreOffice writes, so
places keep the DOCX reader's kind (``Place("docx", table=2, row=3, column=4)``) and
are reported against the ``.doc``: ``filing.doc:t2r3c4``.

What LibreOffice opens, and so what comes here: a Word binary file (an OLE2 compound
file with a ``WordDocument`` stream, whatever its name — ``lint.readers.sniff_format``
routes it by that stream), and a file named ``.doc``/``.wps`` that is really RTF or an
HTML page (what Word's "save as web page" and many web systems' "export to Word" give).

The conversion runs ``soffice --headless --convert-to docx`` (no shell) on a copy of the
bytes in a private temporary directory, with its own throw-away LibreOffice profile
there (parallel runs do not collide and the user's profile is never touched; macros
are off in it), under a time limit; the directory is removed whatever happens, and the
process group is killed if it is still running (a per-file ``--timeout`` also ends it).
The converted DOCX is cached by the file's content (``lint/cache.py``;
``FILINGLINT_NO_CACHE=1`` turns that off), so a second run over the same filing does not
start LibreOffice again; a cached DOCX is still checked as any untrusted package.

``FILINGLINT_SOFFICE`` names the LibreOffice program to use; otherwise ``soffice`` or
``libreoffice`` on ``PATH``.  Without one, a ``.doc`` is one line saying how to install it
(or to save the file as DOCX), exit 2 — as is a file LibreOffice cannot load, a
conversion that does not finish in time, and a password-protected ``.doc`` (Word's
``fEncrypted`` flag, found before LibreOffice is started).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import InputError
from ..i18n import tr
from ..model import Document
from .package import OLE_MAGIC, ole_streams, read_bytes

SUFFIXES = (".doc", ".wps")
WORD_STREAM = "WordDocument"
SOFFICE_ENV = "FILINGLINT_SOFFICE"
TIMEOUT_ENV = "FILINGLINT_SOFFICE_TIMEOUT"
DEFAULT_TIMEOUT = 120.0  # seconds for one conversion; a filing takes 1–5 s
CACHE_KIND = "doc2docx"
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"

# Where LibreOffice installs itself when it is not on PATH.
_KNOWN_PLACES = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                 "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                 r"C:\Program Files\LibreOffice\program\soffice.exe")

# Word's FIB (the stream's first bytes): wIdent, then flags at offset 10 whose bit 8 is
# fEncrypted (a password to open; XOR obfuscation sets it too).
_WORD_IDENTS = {b"\xec\xa5", b"\xdc\xa5"}  # Word 97 and later; Word 6/95
_F_ENCRYPTED = 0x0100

# The profile LibreOffice starts with: no macros run, no link in a document followed
# (a filing is read, never trusted).
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def find_soffice() -> str:
    """The LibreOffice program: ``$FILINGLINT_SOFFICE``, else ``soffice``/``libreoffice``
    on PATH, else a usual install place.  Raises :class:`LookupError` (its argument says
    why) when there is none."""
    override = os.environ.get(SOFFICE_ENV, "").strip()
    if override:
        found = shutil.which(override)
        if found is None:
            raise LookupError(override)
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _KNOWN_PLACES:
        if os.path.isfile(place) and os.access(place, os.X_OK):
            return place
    raise LookupError("")


def _timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def source_kind(path: str, data: bytes) -> str:
    """What LibreOffice is to read the bytes as: ``doc``, ``rtf`` or ``html``; raises
    :class:`InputError` for anything else, and for a password-protected or damaged
    Word file (no LibreOffice needed to tell)."""
    if data.startswith(OLE_MAGIC):
        streams = ole_streams(data)
        if not streams:  # its directory cannot be read: truncated or damaged
            raise InputError(tr("旧版 Word 文件（.doc）已损坏：无法读取其复合文档目录（文件可能不完整）"), path)
        if WORD_STREAM.lower() not in streams:
            from .package import ole_error

            raise ole_error(path)
        fib = _word_stream_head(data)
        if fib is None or fib[:2] not in _WORD_IDENTS or len(fib) < 12:
            raise InputError(tr("旧版 Word 文件（.doc）已损坏：WordDocument 流不是 Word 格式"), path)
        if int.from_bytes(fib[10:12], "little") & _F_ENCRYPTED:
            raise InputError(tr("文件有密码保护（已加密），请去掉密码后另存再检查"), path)
        return "doc"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) and b"<html" in data[:65536].lower():
        return "html"  # Word's "web page" and web systems' "export to Word"
    if head.startswith(b"pk\x03\x04"):
        raise InputError(tr("这是 zip 包，但不是 DOCX 或 XLSX 文件"), path)
    raise InputError(tr("不是 Word 文件：内容既不是 Word 二进制格式（.doc），也不是 RTF 或网页"), path)


def _word_stream_head(data: bytes) -> bytes | None:
    import io

    from xlrd.compdoc import CompDoc

    try:
        return CompDoc(data, logfile=io.StringIO()).get_named_stream(WORD_STREAM)[:64]
    except Exception:  # a damaged compound file
        return None


def read_doc(path: str, encoding: str | None = None) -> Document:
    """Read a legacy Word document (or RTF/HTML named ``.doc``) through LibreOffice;
    raise :class:`InputError` (one line) for what cannot be read."""
    from .docx import read_docx

    data = read_bytes(path)
    if not data.strip(b" \t\r\n\x00"):
        raise InputError(tr("文件为空"), path)
    kind = source_kind(path, data)
    docx_bytes = convert_to_docx(path, data, kind)
    with tempfile.TemporaryDirectory(prefix="filinglint-doc-") as tmp:
        converted = os.path.join(tmp, "converted.docx")
        with open(converted, "wb") as fh:
            fh.write(docx_bytes)
        try:
            document = read_docx(converted, encoding)
        except InputError as exc:  # named after the file the user gave, not the temporary copy
            raise InputError(exc.message, path) from None
    document.path = path
    document.format = "doc"
    document.encoding = "doc"
    return document


def convert_to_docx(path: str, data: bytes, kind: str = "doc") -> bytes:
    """The DOCX LibreOffice makes of ``data`` (the bytes of ``path``), from the cache
    when this content was converted before."""
    from .. import cache

    try:
        soffice = find_soffice()
    except LookupError as missing:
        if missing.args and missing.args[0]:
            raise InputError(tr("环境变量 {env} 指定的 LibreOffice（{program}）不存在或不可执行；读取旧版 Word 文件（.doc）需要它"
                                "（{hint}），或先用 Word/WPS 另存为 DOCX", env=SOFFICE_ENV,
                                program=missing.args[0], hint=INSTALL_HINT), path) from None
        raise InputError(tr("读取旧版 Word 文件（.doc）需要 LibreOffice：请安装（{hint}），或先用 Word/WPS 另存为 DOCX",
                            hint=INSTALL_HINT), path) from None
    digest = cache.key(CACHE_KIND, kind, hashlib.sha256(data).hexdigest(), _program_id(soffice))
    cached = cache.load(CACHE_KIND, digest)
    if isinstance(cached, bytes) and cached.startswith(b"PK"):
        return cached
    docx_bytes = _run_soffice(path, soffice, data, kind)
    cache.store(CACHE_KIND, digest, docx_bytes)
    return docx_bytes


def _program_id(program: str) -> str:
    """The converter's identity for the cache key: its real path and modification time
    (an upgraded LibreOffice converts afresh)."""
    real = os.path.realpath(program)
    try:
        return f"{real}\0{os.stat(real).st_mtime_ns}"
    except OSError:
        return real


def _run_soffice(path: str, soffice: str, data: bytes, kind: str) -> bytes:
    timeout = _timeout()
    tmp = tempfile.mkdtemp(prefix="filinglint-doc-")
    proc: subprocess.Popen | None = None
    try:
        source = os.path.join(tmp, f"filing.{kind}")  # a plain name: the original's may be anything
        with open(source, "wb") as fh:
            fh.write(data)
        profile = os.path.join(tmp, "profile")
        os.makedirs(os.path.join(profile, "user"))
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as fh:
            fh.write(_PROFILE_SETTINGS)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, source]
        env = {**os.environ, "TMPDIR": tmp, "TMP": tmp, "TEMP": tmp}  # its scratch files go with the rest
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env, cwd=tmp,
                                    start_new_session=(os.name == "posix"))
        except OSError as exc:  # not a program at all, no permission
            raise InputError(tr("无法启动 LibreOffice（{program}）：{error}", program=soffice,
                                error=exc.strerror or type(exc).__name__), path) from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise InputError(tr("LibreOffice 转换旧版 Word 文件（.doc）超过 {seconds} 秒未完成，已停止（可用环境变量 {env} 调整）",
                                seconds=f"{timeout:g}", env=TIMEOUT_ENV), path) from None
        result = os.path.join(out, "filing.docx")
        if not os.path.isfile(result) or os.path.getsize(result) == 0:
            said = _last_line(stderr) or _last_line(stdout) or f"exit status {proc.returncode}"
            raise InputError(tr("LibreOffice 无法转换此旧版 Word 文件（.doc），可能已损坏：{error}", error=said), path)
        with open(result, "rb") as fh:
            return fh.read()
    finally:
        if proc is not None and proc.poll() is None:  # timed out, or the file's --timeout struck
            _kill(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _kill(proc: subprocess.Popen) -> None:
    """End LibreOffice and what it started (``soffice`` is a launcher of ``soffice.bin``)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - an unkillable process
        pass


def _last_line(output: bytes | None) -> str:
    """LibreOffice's last message, as one short line (``Error: source file could not be
    loaded``); its warnings about Java are noise."""
    text = (output or b"").decode(sys.getfilesystemencoding() or "utf-8", errors="replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and "javaldx" not in ln]
    return lines[-1][:200] if lines else ""


class DocReader:
    """``filinglint_readers`` entry: Word binary documents (any OLE2 file holding a
    ``WordDocument`` stream, whatever its name), and ``.doc``/``.wps`` files that are RTF
    or HTML."""

    name = "doc"
    suffixes = SUFFIXES
    ole_stream = WORD_STREAM  # an OLE2 compound file holding this stream is this reader's

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_doc(path, encoding)
