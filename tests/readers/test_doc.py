"""The DOC reader: a legacy Word .doc (LibreOffice converts it to DOCX) reads and lints
exactly as the DOCX it was saved from — lines, places, findings — with every place
reported against the .doc; what cannot be read (no LibreOffice, a damaged or encrypted
.doc, a conversion that fails or hangs) is one line naming the file, exit 2.

The .doc files are made here, from the synthetic DOCX filings, by the same LibreOffice
(DOCX → DOC, all in one soffice call per session)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from xlrd.compdoc import CompDoc

from lint.engine.linter import Linter, LintOptions
from lint.errors import InputError
from lint.i18n import set_language
from lint.plugins.builtin import filinglint_readers
from lint.readers import doc as doc_reader
from lint.readers import read_document, select_reader
from lint.readers.doc import read_doc
from lint.readers.docx import read_docx
from lint.readers.text import read_text_file

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from synth import generator as g  # noqa: E402
from synth.office import numbered_docx, text_to_docx  # noqa: E402
from synth.reports import mixed_run  # noqa: E402

READERS = filinglint_readers()
SEED = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _soffice() -> str:
    try:
        return doc_reader.find_soffice()
    except LookupError:
        pytest.fail("LibreOffice (soffice) is not installed: scripts/test.sh installs it "
                    "(apt-get install --no-install-recommends libreoffice-writer-nogui)")


# --------------------------------------------------------------------------- making .doc files


def _separate_tables(path: Path) -> Path:
    """Put an empty paragraph between two tables that touch.  A Word binary file cannot
    hold two tables with nothing between them (Word itself joins them into one table), so
    saving such a DOCX as .doc joins them; a real Word document never has them."""
    d = docx.Document(str(path))
    for tbl in list(d.element.body.iter(f"{W}tbl")):
        after = tbl.getnext()
        if after is not None and after.tag == f"{W}tbl":
            tbl.addnext(OxmlElement("w:p"))
    d.save(str(path))
    return path


def _lists_docx(path: Path) -> Path:
    """Word automatic numbering: list A continues across other paragraphs (one list
    instance, no override); list B's instance restarts it (``startOverride``)."""
    abstract = "".join(
        f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        for aid, text in ((1, "第%1部分"), (2, "%1、"), (3, "（%1）")))
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    nums = "".join(f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{extra}</w:num>'
                   for nid, aid, extra in ((1, 1, ""), (2, 2, ""), (3, 3, override)))
    return numbered_docx(path, abstract, nums, [
        (text, num, 0) for text, num in (("部门概况", 1), ("主要职能", 2), ("机构设置", 2), ("部门决算表", 1), ("收入", 3),
                                         ("支出", 3), ("决算情况说明", 1), ("人员情况", 2), ("名词解释", 1))])


def _injected_filing():
    filing = g.generate(seed=7, template="hunan-2020", narrative=True)
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    return g.inject(filing, *key, filing.values[key] + Decimal("12.34")), key


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """DOCX filings and the .doc LibreOffice saves each as: {name: (docx, doc)}."""
    soffice = _soffice()
    base = tmp_path_factory.mktemp("doc")
    src, out = base / "docx", base / "doc"
    src.mkdir()
    bad, _ = _injected_filing()
    files = {
        "seed": _separate_tables(text_to_docx(read_text_file(SEED).lines, src / "seed.docx", numbering=False)),
        "generated": _separate_tables(text_to_docx(bad.lines, src / "generated.docx", numbering=False)),
        "lists": _lists_docx(src / "lists.docx"),
    }
    started = time.perf_counter()
    p = subprocess.run([soffice, f"-env:UserInstallation={(base / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(out), *map(str, files.values())],
                       capture_output=True, text=True, timeout=600)
    made = {name: (path, out / f"{path.stem}.doc") for name, path in files.items()}
    missing = [d for _, d in made.values() if not d.is_file()]
    assert not missing, (missing, p.stdout, p.stderr)
    print(f"\nDOCX -> DOC for {len(files)} files: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return made


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cached(cache_dir, monkeypatch):
    """Conversions cached in one directory for the session (each .doc converted once)."""
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    return cache_dir


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("zh")


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _places(document) -> dict:
    return {line: [(start, stop, p.kind, p.paragraph, p.table, p.row, p.column, p.text)
                   for start, stop, p in segments] for line, segments in document.places.items()}


def _where(location):
    p = location.place
    return None if p is None else (p.kind, p.paragraph, p.table, p.row, p.column, p.text, p.file)


def _finding_keys(result):
    return [(f.code, f.severity, f.message.zh, f.message.en, f.expected, f.actual, f.location.span,
             _where(f.location), [_where(r) for r in f.related]) for f in result.findings]


# --------------------------------------------------------------------------- a .doc reads as its DOCX


@pytest.mark.parametrize("name", ["seed", "generated"])
def test_a_doc_reads_and_lints_exactly_as_the_docx_it_was_saved_from(made, cached, linter, name):
    source, doc = made[name]
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # really a Word binary file
    assert select_reader(str(doc), READERS).name == "doc"
    a, b = read_docx(str(source)), read_doc(str(doc))
    assert b.path == str(doc) and b.format == "doc"
    assert b.lines == a.lines and len(b.lines) > 100
    assert [(k.kind, k.line, k.text) for k in b.blocks] == [(k.kind, k.line, k.text) for k in a.blocks]
    assert _places(b) == _places(a)
    expected, found = linter.lint_file(str(source)), linter.lint_file(str(doc))
    assert found.template == expected.template
    keys = _finding_keys(found)
    assert keys == _finding_keys(expected) and keys
    assert all(f.location.path == str(doc) for f in found.findings)
    assert all(f.location.place is not None and f.location.place.kind == "docx" for f in found.findings)


def test_the_injected_table_error_is_reported_at_its_cell_of_the_doc(made, cached, linter):
    bad, key = _injected_filing()
    _, doc = made["generated"]
    result = linter.lint_file(str(doc))
    line = bad.cells[key][0]
    hits = [f for f in result.findings if f.location.span.line == line and f.location.place.table is not None]
    assert hits, [(f.code, f.location.span.line) for f in result.findings]
    place = hits[0].location.place
    assert place.text == bad.cell_text(key)
    # the cell named is that cell of the Word table: its text in the .doc is the injected amount
    table = docx.Document(str(made["generated"][0])).tables[place.table - 1]
    assert table.rows[place.row - 1].cells[place.column - 1].text == bad.cell_text(key)


def test_word_numbering_survives_but_an_instance_that_restarts_may_restart_each_item(made, cached):
    """List A (one list instance continuing over other paragraphs) keeps its numbers
    through .doc.  LibreOffice (7.4) writes a list instance with ``startOverride`` to
    .doc so that every one of its items restarts: those lines may differ from the
    DOCX's, and only in their list marker (docs/formats.md, Known limits)."""
    source, doc = made["lists"]
    a, b = read_docx(str(source)), read_doc(str(doc))
    assert a.lines == ["第一部分部门概况", "一、主要职能", "二、机构设置", "第二部分部门决算表", "（一）收入", "（二）支出",
                       "第三部分决算情况说明", "三、人员情况", "第四部分名词解释"]
    assert len(b.lines) == len(a.lines)
    for x, y in zip(a.lines, b.lines):
        if x.startswith("（"):  # list B: a marker of its own kind before the same text
            assert y.startswith("（") and y.split("）", 1)[1] == x.split("）", 1)[1]
        else:
            assert y == x


def test_the_conversion_is_cached_by_content(made, cached, monkeypatch, tmp_path):
    _, doc = made["seed"]
    first = read_doc(str(doc))
    assert any(p.name.startswith("doc2docx-") for p in cached.iterdir())

    def no_soffice(*args, **kwargs):
        raise AssertionError("LibreOffice started for a cached conversion")

    monkeypatch.setattr(doc_reader, "_run_soffice", no_soffice)
    copy = tmp_path / "renamed copy.wps"
    shutil.copyfile(doc, copy)
    again = read_document(str(copy), READERS)
    assert again.lines == first.lines and again.path == str(copy)
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    with pytest.raises(AssertionError, match="cached conversion"):
        read_doc(str(doc))


def test_a_word_file_is_chosen_by_content_whatever_its_name(made, tmp_path):
    data = made["lists"][1].read_bytes()
    for name in ("report.xls", "report.txt", "report", "报告.wps"):
        (tmp_path / name).write_bytes(data)
        assert select_reader(str(tmp_path / name), READERS).name == "doc", name


# --------------------------------------------------------------------------- RTF and web pages named .doc

RTF = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil SimSun;}}"
       r"\pard \u19968?\u12289?\u25910?\u20837?\par"  # 一、收入
       r"\trowd\cellx2000\cellx4000 \intbl \u21512?\u35745?\cell \intbl 1,367.76\cell\row"  # 合计 | 1,367.76
       r"\pard \u27880?\u65306?\u26080?\par}")  # 注：无

HTML = ('<html><head><meta charset="utf-8"><title>t</title></head><body><p>一、收入</p>'
        '<table border="1"><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1,367.76</td></tr></table>'
        '<p>注：无</p></body></html>')


@pytest.mark.parametrize("content", [RTF.encode("ascii"), HTML.encode("utf-8")], ids=["rtf", "html"])
def test_rtf_and_web_pages_named_doc_are_read_through_libreoffice(cached, tmp_path, content):
    path = tmp_path / "导出.doc"
    path.write_bytes(content)
    document = read_document(str(path), READERS)
    lines = [ln for ln in document.lines if ln.strip()]
    assert lines == ["一、收入", *(["项目\t金额"] if b"<html" in content else []), "合计\t1,367.76", "注：无"]
    cells = [p for segs in document.places.values() for _, _, p in segs if p.table is not None]
    assert ("合计", 1, 2 if b"<html" in content else 1, 1) in {(p.text, p.table, p.row, p.column) for p in cells}
    assert document.path == str(path)


# --------------------------------------------------------------------------- what cannot be read


def _word_stream_offset(data: bytes) -> int:
    stream = CompDoc(data, logfile=io.StringIO()).get_named_stream("WordDocument")
    offset = data.find(stream[:256])
    assert offset > 0 and data.count(stream[:256]) == 1
    return offset


def _encrypted(data: bytes) -> bytes:
    out = bytearray(data)
    out[_word_stream_offset(data) + 11] |= 0x01  # FIB flags, bit 8: fEncrypted
    return bytes(out)


def _bad_fib(data: bytes) -> bytes:
    out = bytearray(data)
    at = _word_stream_offset(data)
    out[at:at + 2] = b"\x00\x00"  # wIdent: not Word's
    return bytes(out)


@pytest.mark.parametrize("make,needle", [
    (_encrypted, "password-protected"),
    (_bad_fib, "WordDocument stream is not in Word's format"),
    (lambda d: d[:len(d) // 2], "compound-file directory cannot be read"),
    (lambda d: b"just some text, no Word inside\n", "not a Word file"),
    (lambda d: b"", "empty"),
])
def test_what_cannot_be_read_is_one_named_line_without_starting_libreoffice(made, english, monkeypatch, tmp_path,
                                                                           make, needle):
    monkeypatch.setattr(doc_reader, "_run_soffice", lambda *a: pytest.fail("LibreOffice started"))
    path = tmp_path / "filing.doc"
    path.write_bytes(make(made["lists"][1].read_bytes()))
    with pytest.raises(InputError) as err:
        read_document(str(path), READERS)
    assert needle in err.value.message and err.value.path == str(path)
    assert "\n" not in err.value.message


def test_without_libreoffice_the_line_says_how_to_install_it(made, english, monkeypatch):
    monkeypatch.delenv("FILINGLINT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(doc_reader, "_KNOWN_PLACES", ())
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    doc = made["lists"][1]
    with pytest.raises(InputError) as err:
        read_doc(str(doc))
    assert err.value.path == str(doc) and "\n" not in err.value.message
    assert "needs LibreOffice" in err.value.message and "apt-get install libreoffice-writer-nogui" in err.value.message
    assert "DOCX" in err.value.message


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    """A stand-in for soffice (a shell script) that records its arguments."""
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n"
                      f'printf "%s\\n" "$@" > "{tmp_path}/args"\n'
                      f"{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _outdir(args: list[str]) -> str:
    return args[args.index("--outdir") + 1]


def test_soffice_runs_headless_with_a_private_profile_and_no_trace_is_left(made, english, monkeypatch, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    source, doc = made["lists"]
    # the stand-in "converts" by copying the DOCX the .doc was made from
    fake = _fake_soffice(tmp_path, f'for a; do last="$a"; done\n'
                                   f'out=$(sed -n "/^--outdir$/{{n;p;}}" "{tmp_path}/args")\n'
                                   f'ls "$(dirname "$last")/profile/user" > "{tmp_path}/profile"\n'
                                   f'cp "{source}" "$out/$(basename "${{last%.*}}").docx"')
    monkeypatch.setenv("FILINGLINT_SOFFICE", str(fake))
    document = read_doc(str(doc))
    assert document.lines == read_docx(str(source)).lines and document.path == str(doc)
    args = (tmp_path / "args").read_text(encoding="utf-8").splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file:///"))
    assert "--headless" in args and args[args.index("--convert-to") + 1].startswith("docx")
    work = Path(_outdir(args)).parent
    assert profile == f"-env:UserInstallation={(work / 'profile').as_uri()}" and work.parent == scratch
    assert args[-1] == str(work / "filing.doc")  # a copy under a plain name, never the user's path
    assert "registrymodifications.xcu" in (tmp_path / "profile").read_text()  # macros off in that profile
    assert list(scratch.iterdir()) == []  # the copy, the profile and the output are gone


@pytest.mark.parametrize("body,timeout,needle", [
    ('echo "Error: source file could not be loaded" >&2', None, "could not convert"),
    ("exit 3", None, "exit status 3"),
    ("sleep 60 & echo $! > PIDFILE; wait", "1", "did not convert"),
])
def test_a_failed_or_hung_conversion_is_one_line_and_leaves_nothing_running(made, english, monkeypatch, tmp_path,
                                                                            body, timeout, needle):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("FILINGLINT_SOFFICE", str(_fake_soffice(tmp_path, body.replace("PIDFILE", str(pidfile)))))
    if timeout:
        monkeypatch.setenv("FILINGLINT_SOFFICE_TIMEOUT", timeout)
    doc = made["lists"][1]
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        read_doc(str(doc))
    assert needle in err.value.message and err.value.path == str(doc) and "\n" not in err.value.message
    assert time.monotonic() - started < 30
    assert list(scratch.iterdir()) == []
    if pidfile.exists():  # the hung converter's own child was killed with it
        _assert_gone(int(pidfile.read_text()))


def _assert_gone(pid: int) -> None:
    """The process ``pid`` ends within five seconds (it was killed with its group)."""
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"the converter's child {pid} still runs")


def test_the_files_timeout_stops_a_conversion_too(made, monkeypatch, tmp_path):
    """``--timeout`` (a SIGALRM deadline around the whole file) ends a conversion that is
    still within its own limit: LibreOffice's process group is killed, the directory goes."""
    from lint.parallel import FileTimeout, deadline

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    monkeypatch.setenv("FILINGLINT_SOFFICE_TIMEOUT", "120")
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("FILINGLINT_SOFFICE", str(_fake_soffice(tmp_path, f"sleep 60 & echo $! > {pidfile}; wait")))
    started = time.monotonic()
    with pytest.raises(FileTimeout), deadline(1.5):
        read_doc(str(made["lists"][1]))
    assert time.monotonic() - started < 30
    assert list(scratch.iterdir()) == []
    _assert_gone(int(pidfile.read_text()))


# --------------------------------------------------------------------------- the command line


def _cli(*args, **env):
    return subprocess.run([sys.executable, "-m", "lint", "check", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **env})


def test_cli_scans_a_directory_with_doc_files_and_names_their_cells(made, cache_dir, tmp_path):
    folder = tmp_path / "filings"
    folder.mkdir()
    shutil.copyfile(made["generated"][1], folder / "a.doc")
    shutil.copyfile(made["generated"][0], folder / "a.docx")
    shutil.copyfile(made["lists"][1], folder / "b.wps")
    (folder / "locked.doc").write_bytes(_encrypted(made["lists"][1].read_bytes()))
    p = _cli("--format", "json", "--lang", "en", folder, FILINGLINT_CACHE_DIR=str(cache_dir))
    files, by_file = mixed_run(p, "locked.doc")  # the encrypted .doc is the one input error
    assert set(files) >= {"a.doc", "a.docx", "b.wps", "locked.doc"}
    assert files["a.doc"]["status"] == "linted"
    assert by_file["a.doc"] and [(f["code"], f["message"], f["place"]) for f in by_file["a.doc"]] == \
        [(f["code"], f["message"], f["place"]) for f in by_file["a.docx"]]


def test_cli_without_libreoffice_is_one_line_and_exit_2(made, tmp_path):
    missing = tmp_path / "no-such-soffice"
    p = _cli("--lang", "en", made["lists"][1], FILINGLINT_SOFFICE=str(missing), FILINGLINT_NO_CACHE="1")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert str(made["lists"][1]) in lines[0] and str(missing) in lines[0]
    assert "apt-get install libreoffice-writer-nogui" in lines[0]
