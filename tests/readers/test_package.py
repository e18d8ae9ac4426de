"""Untrusted Office files and reader choice: zip bombs, entity declarations, a zip of
something else, files whose content contradicts their suffix — one line, exit 2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from lint.errors import InputError
from lint.readers import read_document, select_reader
from lint.readers.docx import read_docx
from lint.readers.package import MAX_RATIO, RATIO_FLOOR
from lint.readers.xlsx import read_xlsx
from lint.plugins.builtin import filinglint_readers

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "lint", "check", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ})


def _one_line_exit_2(path, needle: str, *options):
    p = _cli(path, *options)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr + p.stdout
    lines = [ln for ln in p.stderr.splitlines() if str(path) in ln]
    assert len(lines) == 1 and needle in lines[0], p.stderr


def _docx(tmp_path, name="d.docx") -> Path:
    d = docx.Document()
    d.add_paragraph("一、收入支出决算总体情况说明")
    path = tmp_path / name
    d.save(path)
    return path


def _rewrite(src: Path, dst: Path, member: str, data: bytes, **extra: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == member else zin.read(item))
        for name, payload in extra.items():
            zout.writestr(name, payload)
    return dst


def test_zip_bomb_disguised_as_xlsx_is_refused_before_parsing(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "收入决算表"
    src = tmp_path / "src.xlsx"
    wb.save(src)
    bomb = b"<x>" + b" " * (RATIO_FLOOR * 8) + b"</x>"  # 32 MB of blanks: compresses ~1000:1
    path = _rewrite(src, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", bomb)
    assert os.path.getsize(path) < RATIO_FLOOR / 8
    with pytest.raises(InputError, match="疑似压缩炸弹"):
        read_xlsx(str(path))
    _one_line_exit_2(path, "zip bomb", "--lang", "en")
    assert MAX_RATIO < 1000


def test_entity_expansion_in_a_docx_is_refused(tmp_path):
    src = _docx(tmp_path, "src.docx")
    with zipfile.ZipFile(src) as z:
        body = z.read("word/document.xml").decode()
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                        for i in range(1, 10))
              + "]>\n")
    body = laughs + body.split("?>", 1)[1].replace("一、收入支出决算总体情况说明", "&lol9;")
    path = _rewrite(src, tmp_path / "laughs.docx", "word/document.xml", body.encode())
    with pytest.raises(InputError, match="DOCTYPE"):
        read_docx(str(path))
    _one_line_exit_2(path, "DOCTYPE")


def test_a_doctype_hidden_after_a_long_prolog_is_refused(tmp_path):
    src = _docx(tmp_path, "src.docx")
    with zipfile.ZipFile(src) as z:
        body = z.read("word/document.xml").decode()
    body = '<?xml version="1.0"?>\n<!--' + "x" * 100_000 + '-->\n<!DOCTYPE w [<!ENTITY a "b">]>' + body.split("?>", 1)[1]
    path = _rewrite(src, tmp_path / "long.docx", "word/document.xml", body.encode())
    with pytest.raises(InputError, match="XML 开头过长|DOCTYPE"):
        read_docx(str(path))


def test_a_docx_that_is_a_zip_of_something_else(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("report/readme.txt", "not a word document")
    _one_line_exit_2(path, "word/document.xml")


def test_a_workbook_renamed_docx_is_read_as_the_workbook_it_is(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "项目", "金额"
    wb.save(tmp_path / "book.xlsx")
    renamed = tmp_path / "book.docx"
    renamed.write_bytes((tmp_path / "book.xlsx").read_bytes())
    assert select_reader(str(renamed), filinglint_readers()).name == "xlsx"
    assert read_document(str(renamed), filinglint_readers()).lines == ["项目\t金额"]
    with pytest.raises(InputError, match="XLSX"):  # asked for directly as DOCX: says what it really is
        read_docx(str(renamed))


def test_text_named_docx_and_truncated_docx(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("一、部门职责\n", encoding="utf-8")
    with pytest.raises(InputError, match="不是 zip 包"):
        read_docx(str(fake))
    good = _docx(tmp_path)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[: os.path.getsize(good) // 2])
    _one_line_exit_2(cut, "cut.docx")


def test_an_xlsx_with_nothing_in_it(tmp_path):
    wb = openpyxl.Workbook()
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    _one_line_exit_2(path, "no visible cell", "--lang", "en")


def test_an_xlsx_with_text_but_no_tables(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "会议纪要"
    wb.active["A3"] = "今天讨论了绿化。"
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    _one_line_exit_2(path, "no recognizable table", "--lang", "en")


# --------------------------------------------------------------------------- choosing a reader


class _Fake:
    def __init__(self, name, suffixes, sniff=None):
        self.name, self.suffixes = name, suffixes
        if sniff:
            self.sniff = sniff

    def read(self, path, encoding=None):
        raise AssertionError


def test_reader_chosen_by_content_before_suffix(tmp_path):
    readers = [*filinglint_readers(), _Fake("pdf", (".pdf",), staticmethod(lambda head: head.startswith(b"%PDF")))]
    pdf_named_txt = tmp_path / "filing.txt"
    pdf_named_txt.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert select_reader(str(pdf_named_txt), readers).name == "pdf"
    docx_named_txt = tmp_path / "doc.txt"
    docx_named_txt.write_bytes(_docx(tmp_path).read_bytes())
    assert select_reader(str(docx_named_txt), readers).name == "docx"
    assert select_reader(str(SEED0), readers).name == "text"
    unknown = tmp_path / "filing.dat"
    unknown.write_text("收入\t支出\n", encoding="utf-8")
    assert select_reader(str(unknown), readers).name == "text"
    assert select_reader(str(tmp_path / "missing.docx"), readers).name == "docx"  # says 'no such file' itself


def test_a_docx_named_txt_lints_as_docx(tmp_path):
    path = tmp_path / "filing.txt"
    d = docx.Document()
    for line in SEED0.read_text(encoding="utf-8").splitlines()[:3]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(buf.getvalue())
    doc = read_document(str(path), filinglint_readers())
    assert doc.format == "docx"


CORPUS = ROOT / ".." / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus (the real filings) is not present")
def test_a_real_pdf_named_txt_is_read_as_pdf(tmp_path):
    link = tmp_path / "filing.txt"  # a link, not a copy: the corpus file is read in place
    link.symlink_to((CORPUS / "sh-putuo-justice-2026-dept-budget.pdf").resolve())
    readers = filinglint_readers()
    assert select_reader(str(link), readers).name == "pdf"
    doc = read_document(str(link), readers)
    assert doc.format == "pdf" and any(p.kind == "pdf" for segs in doc.places.values() for _, _, p in segs)


def test_a_directory_lints_every_supported_format(tmp_path):
    import json

    sys.path.insert(0, str(ROOT / "tests"))
    from synth import generator as g
    from synth.office import text_to_docx, text_to_xlsx

    filing = g.generate(seed=5, template="hunan-2020", narrative=False)
    text_to_docx(filing.lines, tmp_path / "a.docx")
    text_to_xlsx(filing.lines, tmp_path / "b.xlsx")
    g.write(filing, tmp_path / "c.txt")
    (tmp_path / "notes.md").write_text("not a filing", encoding="utf-8")
    p = _cli("--format", "json", tmp_path)
    assert p.returncode == 0, p.stderr
    files = [f["path"] for f in json.loads(p.stdout)["files"]]
    assert [Path(f).name for f in files] == ["a.docx", "b.xlsx", "c.txt"]


@pytest.mark.parametrize("name,needle", [("old.doc", "damaged legacy Word .doc"),  # the Word reader's name
                                         ("locked.xlsx", "password-protected"), ("renamed.txt", "password-protected")])
def test_legacy_or_password_protected_office_files_are_named_as_such(tmp_path, name, needle):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)  # an OLE2 compound file
    _one_line_exit_2(path, needle, "--lang", "en")
