"""The XLS reader: a legacy Excel workbook reads exactly as the same workbook saved as
XLSX — lines, cells, places, findings — and every OLE2 file it cannot read (encrypted,
damaged, a Word .doc, an encrypted DOCX/XLSX) is one line naming the file, exit 2."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlrd
import xlwt

from lint.errors import InputError
from lint.engine.linter import Linter, LintOptions
from lint.i18n import set_language
from lint.model import BlockKind
from lint.plugins.builtin import filinglint_readers
from lint.readers import read_document, select_reader
from lint.readers.xls import read_xls
from lint.readers.xlsx import read_xlsx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from synth import generator as g  # noqa: E402
from synth.office import text_to_xlsx  # noqa: E402
from synth.xls import encrypted_xls, renamed_stream, text_to_xls, workbook_to_xls  # noqa: E402
from synth.reports import mixed_run  # noqa: E402

READERS = filinglint_readers()
CORPUS = ROOT / ".." / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus (the real filings) is not present")


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("zh")


def _places(doc) -> dict:
    return {line: [(start, stop, p.kind, p.sheet, p.cell, p.text) for start, stop, p in segments]
            for line, segments in doc.places.items()}


def _both(wb, tmp_path, name="w"):
    """``wb`` saved as .xlsx and as .xls, each read by its reader."""
    xlsx = tmp_path / f"{name}.xlsx"
    wb.save(xlsx)
    xls = workbook_to_xls(wb, tmp_path / f"{name}.xls")
    return read_xlsx(str(xlsx)), read_xls(str(xls))


def _finding_keys(result):
    return [(f.code, f.severity, f.message.zh, f.message.en, f.location.place.kind, f.location.place.sheet,
             f.location.place.cell, f.location.place.text,
             [(r.place.sheet, r.place.cell) for r in f.related if r.place is not None])
            for f in result.findings]


# --------------------------------------------------------------------------- one workbook, two formats


@pytest.mark.parametrize("seed,narrative", [(1, True), (4, False)])
def test_a_generated_filing_as_xls_reads_as_its_xlsx(tmp_path, seed, narrative):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=narrative)
    xlsx, where = text_to_xlsx(filing.lines, tmp_path / "f.xlsx")
    xls, where_xls = text_to_xls(filing.lines, tmp_path / "f.xls")
    assert xlrd.open_workbook(str(xls)).nsheets > 3 and where_xls == where
    a, b = read_xlsx(str(xlsx)), read_xls(str(xls))
    assert b.lines == a.lines and len(b.lines) > 100
    assert [(k.kind, k.line, k.text) for k in b.blocks] == [(k.kind, k.line, k.text) for k in a.blocks]
    assert _places(b) == _places(a)
    assert b.format == "xls" and {p.kind for segs in b.places.values() for _, _, p in segs} == {"xlsx"}


@pytest.mark.parametrize("seed", [1, 7])
def test_one_table_error_gives_the_same_finding_at_the_same_cell_in_xls_and_xlsx(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=True)
    clean, _ = text_to_xls(filing.lines, tmp_path / "clean.xls")
    result = linter.lint_file(str(clean))
    assert result.template == "hunan-2020"
    clean_keys = _finding_keys(result)
    assert clean_keys == _finding_keys(linter.lint_file(str(text_to_xlsx(filing.lines, tmp_path / "clean.xlsx")[0])))
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + Decimal("12.34"))
    xls, where = text_to_xls(bad.lines, tmp_path / "bad.xls")
    xlsx, _ = text_to_xlsx(bad.lines, tmp_path / "bad.xlsx")
    found, expected = linter.lint_file(str(xls)), linter.lint_file(str(xlsx))
    keys = _finding_keys(found)
    assert keys == _finding_keys(expected) and len(keys) > len(clean_keys)
    new = [f for f, k in zip(found.findings, keys) if k not in clean_keys]
    line, col, _ = bad.cells[key]
    cell = where[(line, bad.lines[line - 1][:col - 1].count("\t"))]
    assert any(f"{f.location.place.sheet}!{f.location.place.cell}" == cell for f in new), (cell, new)
    hit = next(f for f in new if f"{f.location.place.sheet}!{f.location.place.cell}" == cell)
    sheet = xlrd.open_workbook(str(xls)).sheet_by_name(hit.location.place.sheet)
    ref = hit.location.place.cell
    col_index = ord(ref[0]) - ord("A")
    assert Decimal(repr(sheet.cell_value(int(ref[1:]) - 1, col_index))) == filing.values[key] + Decimal("12.34")
    assert hit.location.place.text == bad.cell_text(key)


@needs_corpus
@pytest.mark.parametrize("name", ["sh-putuo-2026-dept-budget-template-blank.xlsx", "sh-putuo-justice-2026-unit-budget.xlsx"])
def test_real_workbooks_saved_as_xls_read_the_same(linter, tmp_path, name):
    """Real workbooks (many sheets, merged title and header cells, multi-paragraph text
    cells, codes as text) written cell for cell as .xls (in tmp only) read the same."""
    source = CORPUS / name
    xls = workbook_to_xls(openpyxl.load_workbook(source, data_only=True), tmp_path / "w.xls")
    a, b = read_xlsx(str(source)), read_xls(str(xls))
    assert b.lines == a.lines and _places(b) == _places(a)
    assert len({p.sheet for segs in b.places.values() for _, _, p in segs}) >= 1 and len(b.lines) > 20
    assert linter.lint_file(str(xls)).template == linter.lint_file(str(source)).template


# --------------------------------------------------------------------------- what a sheet shows


def test_merged_cells_hidden_sheets_rows_columns_and_number_formats_as_in_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支出决算表"
    ws["A1"] = "支出决算表"
    ws.merge_cells("A1:E1")
    ws["A2"], ws["E2"] = "部门：某局", "单位：万元"
    ws["A3"], ws["C3"], ws["E3"] = "科目", "秘密列", "本年支出"
    ws.merge_cells("A3:B3")
    ws.append(["科目编码", "科目名称", "", "合计", "基本支出"])
    ws.append(["2010301", "行政运行", "x", 1367.756, -5.5])
    ws.append(["2010302", "一般行政管理事务", "y", 20, 0])
    ws.append(["隐藏行", "", "", 999, 1])
    ws.append(["合计", None, None, 1387.756, 0.1234])
    ws.merge_cells("A8:B8")
    for row in (5, 6, 8):
        ws[f"D{row}"].number_format = "#,##0.00"
    ws["E5"].number_format = "#,##0.00_);(#,##0.00)"
    ws["E6"].number_format = '#,##0.00;-#,##0.00;"-"'
    ws["E8"].number_format = "0.0%"
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[7].hidden = True
    ws["A10"] = datetime.datetime(2021, 3, 5)
    ws["A10"].number_format = "yyyy年m月d日"
    ws["A11"] = "注：本表金额单位为万元。"
    hidden = wb.create_sheet("草稿")
    hidden["A1"] = "不应读到"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("底稿")
    very["A1"], very["B1"] = "也不应读到", 1
    very.sheet_state = "veryHidden"
    second = wb.create_sheet("表2")
    second["A1"], second["B1"] = "项目", "金额"
    second["A2"], second["B2"] = "合计", 1234567.5
    second["B2"].number_format = "#,##0"
    xlsx, xls = _both(wb, tmp_path)
    assert xls.lines == xlsx.lines
    assert xls.lines == ["支出决算表", "部门：某局 单位：万元", "科目\t\t\t本年支出", "科目编码\t科目名称\t合计\t基本支出",
                         "2010301\t行政运行\t1,367.76\t(5.50)", "2010302\t一般行政管理事务\t20.00\t-",
                         "合计\t\t1,387.76\t12.3%", "2021年3月5日\t\t\t", "注：本表金额单位为万元。", "",
                         "项目\t金额", "合计\t1,234,568"]
    assert _places(xls) == _places(xlsx)
    total = next(b for b in xls.blocks if b.kind is BlockKind.ROW and b.text.startswith("合计\t\t1,387"))
    assert [xls.place_of(c.span).cell for c in total.cells] == ["A8", "B8", "D8", "E8"]  # C hidden, B8 merged away
    assert xls.place_of(total.cells[2].span).sheet == "支出决算表"
    head = xls.blocks[2]
    assert [(xls.place_of(c.span).cell, c.text) for c in head.cells] == [("A3", "科目"), ("B3", ""), ("D3", ""),
                                                                          ("E3", "本年支出")]


def test_a_value_left_in_a_merged_range_is_not_shown(tmp_path):
    """Excel clears the cells a merge covers, but a file may still hold values there
    (xlwt, some exporters): only the top-left cell is displayed, so only it is read."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("收入决算表", cell_overwrite_ok=True)
    rows = [["收入", "不显示", "支出", "也不显示"], ["项目", "金额", "项目", "金额"], ["财政拨款收入", 10, "基本支出", 10]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws._Worksheet__merged_ranges.extend([(0, 0, 0, 1), (0, 0, 2, 3)])  # keep the covered values, as those files do
    path = tmp_path / "m.xls"
    book.save(str(path))
    assert xlrd.open_workbook(str(path)).sheet_by_index(0).cell_value(0, 1) == "不显示"
    doc = read_xls(str(path))
    assert doc.lines[0] == "收入\t\t支出\t"
    assert [doc.place_of(c.span).cell for c in doc.blocks[0].cells] == ["A1", "B1", "C1", "D1"]


def test_numbers_read_as_their_format_displays_them(tmp_path):
    """A cell holding 1367.756 under ``#,##0.00`` is the stated 1,367.76 (a thousands
    separator, two decimals) — the amount the rounding rules compare."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "金额", "比例", "人数"])
    ws.append(["甲", 1367.756, 0.5, 12])
    ws.append(["乙", 1234567.891, 0.125, 3.0])
    ws.append(["丙", True, 1e-7, "02"])
    for r in (2, 3):
        ws[f"B{r}"].number_format = "#,##0.00"
        ws[f"C{r}"].number_format = "0.00%"
        ws[f"D{r}"].number_format = "0"
    xlsx, xls = _both(wb, tmp_path)
    assert xls.lines == xlsx.lines == ["项目\t金额\t比例\t人数", "甲\t1,367.76\t50.00%\t12", "乙\t1,234,567.89\t12.50%\t3",
                                       "丙\tTRUE\t0.0000001\t02"]


def test_error_cells_read_as_their_text_and_dates_as_dates(tmp_path):
    """An error cell reads as Excel shows it (``#DIV/0!``, as openpyxl gives an XLSX's);
    a date-formatted number as its date, a time of day as its time."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("表1")
    ws.write(0, 0, "项目")
    ws.write(0, 1, "比上年增长")
    ws.write(0, 2, "日期")
    ws.write(1, 0, "合计")
    ws.row(1).set_cell_error(1, "#DIV/0!")
    ws.write(1, 2, datetime.datetime(2023, 12, 31), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    ws.write(2, 0, "时间")
    ws.write(2, 2, datetime.time(9, 30), xlwt.easyxf(num_format_str="hh:mm"))
    path = tmp_path / "e.xls"
    book.save(str(path))
    assert read_xls(str(path)).lines == ["项目\t比上年增长\t日期", "合计\t#DIV/0!\t2023-12-31", "时间\t\t09:30:00"]


def test_a_workbook_without_a_visible_value(tmp_path, english):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "   "
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "只在隐藏表中"
    hidden.sheet_state = "hidden"
    path = workbook_to_xls(wb, tmp_path / "empty.xls")
    with pytest.raises(InputError, match="no visible cell"):
        read_xls(str(path))


# --------------------------------------------------------------------------- choosing the reader


def test_an_xls_is_chosen_by_content_whatever_its_name(linter, tmp_path):
    """Web systems hand out BIFF workbooks named .xlsx (or with no known suffix): the
    content decides, and the findings name the file as given."""
    filing = g.generate(seed=3, template="hunan-2020", narrative=False)
    xls, _ = text_to_xls(filing.lines, tmp_path / "f.xls")
    for name in ("misnamed.xlsx", "download.dat", "wps.et"):
        other = tmp_path / name
        other.write_bytes(xls.read_bytes())
        assert select_reader(str(other), READERS).name == "xls"
        doc = read_document(str(other), READERS)
        assert doc.lines == read_xls(str(xls)).lines
    assert linter.lint_file(str(tmp_path / "misnamed.xlsx")).template == "hunan-2020"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_tab_separated_export_named_xls_is_read_as_text(linter, tmp_path, encoding):
    """Systems offer "Excel" downloads that are tab-separated text (GBK, or Excel's own
    "Unicode text", UTF-16 with a BOM): the text reader reads them."""
    filing = g.generate(seed=2, template="hunan-2020", narrative=False)
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + Decimal("1.00"))
    path = tmp_path / "export.xls"
    path.write_bytes("\r\n".join(bad.lines).encode(encoding))
    doc = read_document(str(path), READERS)
    assert doc.format == "text" and doc.lines == bad.lines
    result = linter.lint_file(str(path))
    assert result.template == "hunan-2020" and result.findings
    assert any(f.location.span.line == bad.cells[key][0] for f in result.findings)


# --------------------------------------------------------------------------- what cannot be read


def _wb():
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["合计", 1.5])
    return wb


def _ole(tmp_path) -> bytes:
    return workbook_to_xls(_wb(), tmp_path / "src.xls").read_bytes()


@pytest.mark.parametrize("name,make,needle", [
    ("locked.xls", lambda t: encrypted_xls(_wb(), t / "x.xls").read_bytes(), "password-protected"),
    ("locked-as-named.xlsx", lambda t: renamed_stream(_ole(t), "EncryptedPackage"), "password-protected"),
    ("cut.xls", lambda t: _ole(t)[:3000], "malformed XLS"),
    ("zeros.xls", lambda t: _ole(t)[:8] + b"\x00" * 1024, "malformed XLS"),
    ("zeros.xlsx", lambda t: _ole(t)[:8] + b"\x00" * 1024, "password-protected"),  # a legacy or encrypted file
    ("page.xls", lambda t: b"\xef\xbb\xbf<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
    ("sheet.xls", lambda t: b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
     "web page or XML"),
    ("blank.xls", lambda t: b"\x00" * 600, "empty"),
    ("empty.xls", lambda t: b"", "empty"),
    ("archive.xls", lambda t: _zip(), "zip archive"),
])
def test_what_cannot_be_read_is_one_named_error(tmp_path, english, name, make, needle):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(InputError) as err:
        read_document(str(path), READERS)
    assert needle in err.value.message and err.value.path == str(path)
    assert "\n" not in err.value.message


def test_ole2_files_go_to_the_reader_their_streams_name(tmp_path, english):
    """A compound file holding a workbook is read as XLS whatever its name; one holding
    a Word document goes to the DOC reader whatever its name; one the XLS reader gets
    without a workbook says what it is."""
    data = _ole(tmp_path)
    word = renamed_stream(data, "WordDocument")
    cases = {"book.doc": (data, "xls"), "book.bin": (data, "xls"), "letter.xls": (word, "doc"),
             "letter.dat": (word, "doc"), "locked.docx": (renamed_stream(data, "EncryptedPackage"), "xls")}
    for name, (content, reader) in cases.items():
        (tmp_path / name).write_bytes(content)
        assert select_reader(str(tmp_path / name), READERS).name == reader, name
    assert read_document(str(tmp_path / "book.doc"), READERS).lines == ["项目\t金额", "合计\t1.5"]
    with pytest.raises(InputError, match="legacy Word .doc"):
        read_xls(str(tmp_path / "letter.xls"))  # given a Word file all the same


def _zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data.csv", "a,b\n")
    return buf.getvalue()


def test_damaged_bytes_give_a_document_or_one_input_error_never_another_exception(tmp_path):
    """Bytes changed anywhere (header, sector tables, BIFF records): the reader reads
    the workbook or says it is damaged — no xlrd exception (struct, KeyError, assertion,
    decoding) escapes it, and a damaged file is never silently empty."""
    import random

    filing = g.generate(seed=1, template="hunan-2020", narrative=False)
    data = text_to_xls(filing.lines, tmp_path / "src.xls")[0].read_bytes()
    rng = random.Random(11)
    outcomes = {"read": 0, "refused": 0}
    for i in range(60):
        mutant = bytearray(data)
        for _ in range(rng.choice((1, 4, 16))):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        path = tmp_path / f"m{i}.xls"
        path.write_bytes(bytes(mutant))
        try:
            doc = read_xls(str(path))
        except InputError as err:
            assert err.path == str(path) and "\n" not in err.message
            outcomes["refused"] += 1
        else:
            assert doc.lines and doc.places
            outcomes["read"] += 1
    assert outcomes["read"] and outcomes["refused"], outcomes


def test_damaged_xls_files_through_the_whole_run(tmp_path):
    """The fuzzing check (tests/test_fuzz.py) on .xls mutants: linted or refused, never
    a traceback, a reader or rule crash, an exit code outside {0, 1, 2}, or an input
    the report leaves out — also for mutants the reader reads and the rules then see."""
    from synth.mutate import check_batch, mutate_bytes

    import random

    filing = g.generate(seed=6, template="hunan-2020", narrative=True)
    data = text_to_xls(filing.lines, tmp_path / "src.xls")[0].read_bytes()
    paths = []
    for i in range(24):
        rng = random.Random(1000 + i)
        path = tmp_path / f"x{i}.xls"
        path.write_bytes(mutate_bytes(data, rng, rng.randint(1, 4), []))
        paths.append(str(path))
    stats: dict = {}
    for start in range(0, len(paths), 12):
        code, problems = check_batch(paths[start:start + 12], stats=stats)
        assert not problems and code in (0, 1, 2), problems
    assert stats["linted"] + stats["refused"] == len(paths) and stats["linted"] and stats["refused"], stats


def test_the_encrypted_marker_is_what_a_real_reader_refuses():
    """The synthetic encrypted workbook is refused by xlrd itself for its FILEPASS
    record (what Excel writes for a password), not for being damaged."""
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = encrypted_xls(_wb(), Path(tmp) / "x.xls").read_bytes()
        plain = workbook_to_xls(_wb(), Path(tmp) / "y.xls").read_bytes()
    assert xlrd.open_workbook(file_contents=plain, logfile=io.StringIO()).nsheets == 1
    with pytest.raises(xlrd.XLRDError, match="encrypted"):
        xlrd.open_workbook(file_contents=data, logfile=io.StringIO())


# --------------------------------------------------------------------------- the command line


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "lint", "check", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ})


def test_cli_lints_a_directory_with_xls_files_and_names_their_cells(tmp_path):
    filing = g.generate(seed=7, template="hunan-2020", narrative=False)
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + Decimal("12.34"))
    _, where = text_to_xls(bad.lines, tmp_path / "a.xls")
    text_to_xls(filing.lines, tmp_path / "b.et")
    text_to_xlsx(bad.lines, tmp_path / "c.xlsx")
    (tmp_path / "locked.xls").write_bytes(encrypted_xls(_wb(), tmp_path / "tmp.bin").read_bytes())
    (tmp_path / "tmp.bin").unlink()
    p = _cli("--format", "json", "--lang", "en", tmp_path)
    files, by_file = mixed_run(p, "locked.xls")  # the encrypted workbook is the one input error
    assert set(files) >= {"a.xls", "b.et", "c.xlsx", "locked.xls"}
    assert files["a.xls"]["status"] == "linted" and files["b.et"]["status"] == "linted"
    assert "b.et" not in by_file
    line, col, _ = bad.cells[key]
    cell = where[(line, bad.lines[line - 1][:col - 1].count("\t"))]
    places = [f"{f['place']['sheet']}!{f['place']['cell']}" for f in by_file["a.xls"]]
    assert cell in places
    assert [(f["code"], f["message"], f["place"]) for f in by_file["a.xls"]] == \
        [(f["code"], f["message"], f["place"]) for f in by_file["c.xlsx"]]
    text = _cli("--lang", "en", tmp_path / "a.xls")
    assert text.returncode == 1 and f"a.xls:{cell}:" in text.stdout, text.stdout[:2000]
