"""The XLSX reader: what a sheet shows is what is linted (visible sheets/rows/columns,
merged cells, cached formula values, displayed number formats), each cell's place."""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from lint.engine.linter import Linter, LintOptions
from lint.model import BlockKind
from lint.readers.xlsx import format_value, read_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import generator as g  # noqa: E402
from synth.office import text_to_xlsx  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus (the real filings) is not present")


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _line_of(doc, text: str) -> int:
    return next(i for i, ln in enumerate(doc.lines, start=1) if ln == text)


def _row_blocks_by_sheet(doc) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for b in doc.blocks:
        if b.kind is BlockKind.ROW:
            sheet = doc.places[b.line][0][2].sheet
            rows, width = out.get(sheet, (0, 0))
            out[sheet] = (rows + 1, max(width, len(b.cells)))
    return out


def _places(doc, line: int) -> list[tuple[str, str, str]]:
    return [(p.sheet, p.cell, p.text) for _, _, p in doc.places[line]]


# --------------------------------------------------------------------------- the corpus, read in place


@needs_corpus
@pytest.mark.parametrize("kind,title,sheets", [("dept", "部门", 17), ("unit", "单位", 16)])
def test_blank_budget_templates(kind, title, sheets):
    doc = read_xlsx(str(CORPUS / f"sh-putuo-2026-{kind}-budget-template-blank.xlsx"))
    seen = {p.sheet for segs in doc.places.values() for _, _, p in segs}
    assert len(seen) == sheets and "封面" in seen and "目录" in seen
    grids = _row_blocks_by_sheet(doc)
    assert grids[f"{title}收入总表"] == ((13 if kind == "dept" else 8), 9)
    assert grids[f"{title}一般公共预算拨款基本支出明细表"] == (9, 6)
    assert grids[f"{title}“三公”经费和机关运行费预算表"] == (3, 7)
    # the income table: its title and 编制部门/单位 line are prose, its header a row of 9 cells
    head = _line_of(doc, "功能分类科目编码\t\t\t功能分类科目名称\t合计\t财政拨款收入\t事业收入\t事业单位 经营收入\t其他收入")
    assert _places(doc, head)[0] == (f"{title}收入总表", "A7", "功能分类科目编码")
    assert _places(doc, head)[5] == (f"{title}收入总表", "F7", "财政拨款收入")
    assert doc.lines[head - 4] == ("编制部门： 单位：元" if kind == "dept" else "编制单位： 单位：元")
    assert [c for _, c, _ in _places(doc, head - 3)] == ["A4", "I4"]
    # codes kept as written (text cells '02', '05'), never turned into numbers
    code_row = next(b for b in doc.blocks if b.kind is BlockKind.ROW and b.text.startswith("205\t02\t05\t"))
    assert [c.text for c in code_row.cells[:4]] == ["205", "02", "05", "高等教育"]
    assert [c for _, c, _ in _places(doc, code_row.line)[:3]] == ["A11", "B11", "C11"]
    # a text cell of several paragraphs is one line each
    assert "主要职能包括：" in doc.lines


@needs_corpus
@pytest.mark.parametrize("kind,sheet", [("dept", "2026年部门预算 "), ("unit", "2026年单位预算 ")])
def test_justice_workbooks_are_review_checklists_not_budget_tables(kind, sheet):
    """The corpus' justice .xlsx files are the district's publication checklists (one sheet,
    是/否 per section, screenshots), not the budget workbook the PDF was made from."""
    path = CORPUS / f"sh-putuo-justice-2026-{kind}-budget.xlsx"
    doc = read_xlsx(str(path))
    assert _row_blocks_by_sheet(doc) == {sheet: (19, 5)}
    assert doc.lines[0].endswith("预算公开情况检查表")
    assert _places(doc, 1)[0][:2] == (sheet, "A1")
    assert _places(doc, 3)[0][1] == "A3" and "上海市普陀区司法局" in doc.lines[2]
    row = next(b for b in doc.blocks if b.kind is BlockKind.ROW and "预算编制说明" in b.text)
    assert [c.text for c in row.cells[1:4]] == ["预算编制说明", "", "否"]
    assert _places(doc, row.line)[3][:2] == (sheet, "D12")
    long = next(b for b in doc.blocks if b.kind is BlockKind.ROW and "项目经费情况说明" in b.text)
    assert _places(doc, long.line)[1][:2] == (sheet, "B23")  # B23:C23 merged: its value in B23, C23 blank
    assert long.cells[2].text == "" and _places(doc, long.line)[2][:2] == (sheet, "C23")


# --------------------------------------------------------------------------- what a sheet shows


@pytest.mark.parametrize("value,fmt,shown", [
    (1367.756, "#,##0.00", "1,367.76"), (1367.756, "0.00", "1367.76"), (1367.7, "#,##0.00_ ", "1,367.70"),
    (-5.5, "#,##0.00;[Red]-#,##0.00", "-5.50"), (-5.5, "#,##0.00_);(#,##0.00)", "(5.50)"),
    (0, '#,##0.00;-#,##0.00;"-"', "-"), (0.1234, "0.0%", "12.3%"), (1234567, "#,##0,", "1,235"),
    (1367.76, "General", "1367.76"), (1367.7600000000002, "General", "1367.76"), (12, "0.00", "12.00"),
    (3, "@", "3"), (2.5, "#,##0.##", "2.5"), (1000, '#,##0"元"', "1,000元"), (7, "[$-804]0.0", "7.0"),
    (Decimal("0.005"), "0.00", "0.01"), ("文字", "0.00", "文字"), (True, "General", "TRUE"),
    (datetime.date(2021, 3, 5), "yyyy年m月d日", "2021年3月5日"), (datetime.datetime(2021, 3, 5), "yyyy-mm-dd", "2021-03-05"),
    (datetime.datetime(2021, 3, 5, 9, 30), "yyyy-mm-dd hh:mm", "2021-03-05 09:30:00"),
])
def test_displayed_number_format(value, fmt, shown):
    assert format_value(value, fmt) == shown


def _save(wb, path) -> Path:
    wb.save(path)
    return path


def test_hidden_sheets_rows_columns_skipped_merged_cells_blank_formats_displayed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支出决算表"
    ws["A1"] = "支出决算表"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["D2"] = "部门：某局", "单位：万元"
    ws.append(["科目编码", "科目名称", "秘密列", "合计"])
    ws.append(["2010301", "行政运行", "x", 1367.756])
    ws.append(["2010302", "一般行政管理事务", "y", 20])
    ws.append(["隐藏行", "", "", 999])
    ws.merge_cells("A7:B7")
    ws["A7"], ws["D7"] = "合计", 1387.756
    for row in (4, 5, 7):
        ws[f"D{row}"].number_format = "#,##0.00"
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[6].hidden = True
    hidden = wb.create_sheet("草稿")
    hidden["A1"] = "不应读到"
    hidden.sheet_state = "hidden"
    doc = read_xlsx(str(_save(wb, tmp_path / "w.xlsx")))
    assert doc.lines == ["支出决算表", "部门：某局 单位：万元", "科目编码\t科目名称\t合计",
                         "2010301\t行政运行\t1,367.76", "2010302\t一般行政管理事务\t20.00", "合计\t\t1,387.76"]
    row = doc.blocks[3]
    assert doc.place_of(row.cells[2].span).cell == "D4"
    assert doc.place_of(doc.blocks[5].cells[1].span).cell == "B7"  # the merged-away half: blank, its own cell


def test_formulas_read_their_cached_values_in_the_cells_format(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["项目", "金额"])
    ws.append(["基本支出", 1000.5])
    ws.append(["项目支出", 367.256])
    ws.append(["合计", "=SUM(B2:B3)"])
    ws["B4"].number_format = "#,##0.00"
    raw = tmp_path / "raw.xlsx"
    wb.save(raw)
    # openpyxl writes no cached value; Excel would: put one in, as a saved workbook has it
    out = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text, n = re.subn(r"(<f>SUM\(B2:B3\)</f>)(<v\s*/>|<v></v>)?", r"\1<v>1367.756</v>", text)
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)
    doc = read_xlsx(str(out))
    assert doc.lines[-1] == "合计\t1,367.76"


# --------------------------------------------------------------------------- generated filings, one error


@pytest.mark.parametrize("seed", [1, 7])
def test_generated_xlsx_with_one_table_error_gives_that_finding_at_that_sheet_cell(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=False)
    clean, _ = text_to_xlsx(filing.lines, tmp_path / "clean.xlsx")
    result = linter.lint_file(str(clean))
    assert result.template == "hunan-2020" and result.findings == []
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + Decimal("12.34"))
    path, where = text_to_xlsx(bad.lines, tmp_path / "bad.xlsx")
    result = linter.lint_file(str(path))
    assert len(result.findings) == 1, [(f.code, f.message.zh) for f in result.findings]
    [f] = result.findings
    line, col, _ = bad.cells[key]
    field = bad.lines[line - 1][:col - 1].count("\t")
    place = f.location.place
    assert f"{place.sheet}!{place.cell}" == where[(line, field)]
    ws = openpyxl.load_workbook(path)[place.sheet]
    assert Decimal(str(ws[place.cell].value)) == filing.values[key] + Decimal("12.34")
    assert place.text == bad.cell_text(key)


def test_generated_xlsx_amount_with_hidden_decimals_is_read_as_displayed(linter, tmp_path):
    """A cell holding 12.3449 shown as 12.34 is the stated 12.34: no finding when the
    displayed numbers add up."""
    filing = g.generate(seed=2, template="hunan-2020", narrative=False)
    path, where = text_to_xlsx(filing.lines, tmp_path / "f.xlsx")
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    line, col, _ = filing.cells[key]
    sheet, cell = where[(line, filing.lines[line - 1][:col - 1].count("\t"))].split("!")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = float(filing.values[key]) + 0.0049  # invisible at 2 decimals
    wb.save(path)
    assert linter.lint_file(str(path)).findings == []


# --------------------------------------------------------------------------- PDF and XLSX of one form


def _tables(linter, document, template="shanghai-budget"):
    from lint.recognize import recognize_tables

    specs = linter.library.get(template).tables
    return {t.id: t for t in recognize_tables(document, specs, None, linter.layouts)}


@needs_corpus
@pytest.mark.parametrize("kind", ["dept", "unit"])
def test_justice_pdf_and_the_blank_workbook_of_its_form_yield_the_same_tables(linter, kind):
    """The justice filing as PDF and the district's blank budget workbook (XLSX) of the
    same form: the same tables, titles, panels and columns.  (The corpus' justice .xlsx
    files are checklists, not the workbook — see the test above — so the values are
    compared in the next test.)"""
    pdf = _tables(linter, linter.read(str(CORPUS / f"sh-putuo-justice-2026-{kind}-budget.pdf")))
    xlsx = _tables(linter, read_xlsx(str(CORPUS / f"sh-putuo-2026-{kind}-budget-template-blank.xlsx")))
    assert len(pdf) == 9 and set(pdf) == set(xlsx)
    for tid, t in pdf.items():
        assert xlsx[tid].title == t.title
        assert set(xlsx[tid].panels) == set(t.panels)
        for name, panel in t.panels.items():  # the form's named columns; a filled form may show more
            named = [c for c in panel.columns if not c.startswith("col")]
            assert [c for c in xlsx[tid].panels[name].columns if not c.startswith("col")] == named, (tid, name)


@needs_corpus
@pytest.mark.parametrize("kind", ["dept", "unit"])
def test_justice_pdf_tables_put_in_a_workbook_read_back_with_the_same_values(linter, tmp_path, kind):
    """The PDF's tables written into a workbook the way Excel holds them (numbers with a
    display format, codes as text, one sheet per table) and read back: every table,
    row and value is the same, each value placed at its sheet cell."""
    document = linter.read(str(CORPUS / f"sh-putuo-justice-2026-{kind}-budget.pdf"))
    path, _ = text_to_xlsx(document.lines, tmp_path / "justice.xlsx")
    workbook = read_xlsx(str(path))
    pdf, xlsx = _tables(linter, document), _tables(linter, workbook)
    assert set(pdf) == set(xlsx) and len(pdf) == 9
    cells = 0
    for tid, t in pdf.items():
        for name, panel in t.panels.items():
            other = xlsx[tid].panels[name]
            assert [r.key for r in other.rows] == [r.key for r in panel.rows], tid
            for c in panel.iter_cells():
                o = other.cell(c.row, c.column)
                assert o is not None and o.value == c.value and o.text == c.text, (tid, c.row, c.column)
                if c.text:
                    place = workbook.place_of(o.span)
                    assert place.kind == "xlsx" and place.text == c.text and re.fullmatch(r"[A-Z]+\d+", place.cell)
                cells += c.value is not None
    assert cells > 100
