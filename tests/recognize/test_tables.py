"""The table recognizer on the seed filings and on small hand-written tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lint.recognize.templates import TemplateLibrary
from lint.readers.text import read_text_file, split_blocks
from lint.model import Document
from lint.recognize import read_metadata, recognize_tables

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


def _recognize(name: str, library: TemplateLibrary, template: str = "hunan-2020"):
    doc = read_text_file(SEEDS / name)
    spec = library.get(template)
    return doc, recognize_tables(doc, spec.tables, spec.numbering)


def _col_of(doc: Document, line: int, text: str, occurrence: int = 1) -> int:
    """1-based column of the n-th occurrence of ``text`` in a source line."""
    src = doc.lines[line - 1]
    idx = -1
    for _ in range(occurrence):
        idx = src.index(text, idx + 1)
    return idx + 1


# Which tables each seed prints, with (panel -> (rows, columns)).
EXPECTED_SHAPES = {
    "000_98add52c02d21372.txt": {
        "table01": {"income": (12, 1), "expense": (30, 1)},
        "table02": {"main": (8, 7)},
        "table03": {"main": (8, 6)},
        "table04": {"income": (9, 1), "expense": (29, 4)},
        "table05": {"main": (5, 3)},
        "table06": {"main": (82, 1)},
        "table07": {"main": (2, 6)},
        "table08": {"main": (1, 6)},
        "table09": {"main": (1, 3)},
    },
}


def test_seed000_all_nine_tables_with_shapes(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    shapes = {t.id: {k: p.values.shape for k, p in t.panels.items()} for t in tables}
    assert shapes == EXPECTED_SHAPES["000_98add52c02d21372.txt"]
    assert [t.number for t in tables] == [f"{i:02d}" for i in range(1, 10)]
    assert all(t.unit == "万元" for t in tables)
    assert {t.department for t in tables} == {doc.lines[3].strip()}


def test_seed000_table03_duplicated_cell_value_and_location(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    t03 = next(t for t in tables if t.id == "table03")
    panel = t03.main
    assert panel.columns == ["total", "basic", "project", "upper", "business", "subsidiary"]
    row = panel.row_info("2010399")
    assert row.line == 157 and row.kind == "classification" and row.level == 3
    basic = panel.cell("2010399", "basic")
    assert basic.value == Decimal("49.06") and basic.text == "49.06"
    assert basic.span.line == 157
    assert basic.span.col == _col_of(doc, 157, "49.06")
    assert basic.span.end_col == basic.span.col + 5
    total = panel.cell("2010399", "total")
    assert total.span.col == _col_of(doc, 157, "76.21", 1)
    assert panel.cell("2010399", "project").span.col == _col_of(doc, 157, "76.21", 2)
    # the 合计 row is keyed and aliased, 栏次 row skipped (never a data row)
    assert panel.values.index[0] == "合计" and panel.find_row("total").key == "合计"
    assert panel.values.at["合计", "basic"] == Decimal("49.25")
    assert "栏次" not in panel.values.index


def test_decimal_comma_parsed_and_flagged(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    t02 = next(t for t in tables if t.id == "table02")
    c = t02.main.cell("20103", "total")
    assert c.text == "125,27" and c.value == Decimal("125.27") and c.amount.anomaly == "decimal-comma"
    assert t02.main.cell("2010301", "fiscal").amount.anomaly == "decimal-comma"
    assert t02.main.cell("201", "total").amount.anomaly is None


def test_two_sided_table_blank_versus_zero_and_keys(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    t01 = next(t for t in tables if t.id == "table01")
    inc, exp = t01.panels["income"], t01.panels["expense"]
    assert inc.find_row("total").label == "本年收入合计"
    assert inc.values.at["本年收入合计", "amount"] == Decimal("125.46")
    assert exp.values.at["其他支出", "amount"] == Decimal("0.19")
    assert exp.cell("卫生健康支出", "amount").blank  # blank, not 0.00
    assert exp.values.at["卫生健康支出", "amount"] is None
    assert exp.values.at["外交支出", "amount"] == Decimal("0")
    assert exp.row_info("一般公共服务支出").kind == "item"
    # 行次 is a key, never a value: no row holds the line numbers 1..26 as amounts
    assert all(r.kind in ("item", "total", "other") for r in exp.rows)
    # page-break blank line inside the table does not split it
    assert exp.row_info("援助其他地区支出") is not None and exp.row_info("抗疫特别国债安排的支出") is not None


def test_table04_duplicate_labels_get_distinct_keys(library):
    _, tables = _recognize("000_98add52c02d21372.txt", library)
    inc = next(t for t in tables if t.id == "table04").panels["income"]
    assert inc.find_row("general_budget").key == "一般公共预算财政拨款"
    sub = inc.row_info("年初财政拨款结转和结余/一般公共预算财政拨款")
    assert sub.line > inc.row_info("一般公共预算财政拨款").line and sub.alias is None


def test_economic_three_panels_and_summary_rows(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    t06 = next(t for t in tables if t.id == "table06")
    p = t06.main
    assert p.values.at["301", "amount"] == Decimal("36.21")
    assert p.values.at["30217", "amount"] == Decimal("0.00")
    assert p.values.at["39999", "amount"] == Decimal("0.00")
    assert p.find_row("personnel").kind == "total"
    assert p.cell(p.find_row("personnel").key, "amount").value == Decimal("43.30")
    assert p.cell(p.find_row("public").key, "amount").value == Decimal("5.76")
    # codes are keys: the code column never becomes an amount
    assert all(r.code is None or r.code == r.key for r in p.rows)


def test_single_row_sanggong_table(library):
    doc, tables = _recognize("003_24af73ecf2cd4e14.txt", library, "hunan-2018")
    t07 = next(t for t in tables if t.id == "table07")
    v = t07.main.values
    assert list(v.index) == ["budget", "final"]
    assert v.at["budget", "total"] == Decimal("8.00") and v.at["final", "reception"] == Decimal("0.44")
    assert t07.main.cell("final", "car_operation").span.line == 314


def test_empty_tables_have_only_blank_total(library):
    _, tables = _recognize("000_98add52c02d21372.txt", library)
    for tid in ("table08", "table09"):
        t = next(t for t in tables if t.id == tid)
        assert t.empty and list(t.main.values.index) == ["合计"]


def test_seed002_printed_twice_and_missing_table(library):
    _, tables = _recognize("002_97ec0fee91833ab7.txt", library)
    ids = [t.id for t in tables]
    assert ids.count("table01") == 2 and ids.count("table03") == 1
    assert "duplicate-of:79" in tables[1].notes
    t03 = next(t for t in tables if t.id == "table03")
    assert t03.unit == "万"  # the unit line is broken across two lines in this filing


def test_seed003_2018_template_renumbered_and_split_total_label(library):
    doc, tables = _recognize("003_24af73ecf2cd4e14.txt", library, "hunan-2018")
    ids = [(t.id, t.number) for t in tables]
    assert ids[0] == ("table04", "01")  # 财政拨款总表 printed under 公开01表
    assert "printed-number:01:template-number:04" in tables[0].notes
    assert "unit-line-cut" in tables[0].notes  # "位：万元"
    t03 = next(t for t in tables if t.id == "table03")
    # "合\t计" split across the code and name columns still reads as the total row
    assert t03.main.find_row("total").key == "合计"
    assert t03.main.values.at["合计", "total"] == Decimal("619.54")
    assert t03.main.values.at["210", "total"] == Decimal("21.72")
    t04 = [t for t in tables if t.id == "table04"]
    assert t04[0].panels["expense"].columns == ["total", "general_budget", "gov_fund"]
    # integers written without decimals keep decimals=0
    c = t04[0].panels["expense"].cell("社会保障和就业支出", "total")
    assert c.value == Decimal("20.1") and c.amount.decimals == 1
    # table 08's 栏次 numbers stand in its 合计 row: structure, not data
    t08 = next(t for t in tables if t.id == "table08")
    assert t08.main.values.shape[0] == 0


@pytest.mark.parametrize("name", ["001_8f2ce6975d7cd745.txt", "004_3ac8441545fefd6e.txt"])
def test_narrative_seeds_have_no_public_tables(library, name):
    _, tables = _recognize(name, library)
    assert tables == []


def test_metadata_year_and_department(library):
    doc, tables = _recognize("000_98add52c02d21372.txt", library)
    meta = read_metadata(doc, tables)
    assert meta["report_year"] == 2020 and meta["unit"] == "万元"
    doc, tables = _recognize("003_24af73ecf2cd4e14.txt", library, "hunan-2018")
    assert read_metadata(doc, tables)["report_year"] == 2018


def test_toc_entries_and_headings_are_not_tables(library):
    text = "目录\n\n支出决算表\n\n一、收入支出决算总体情况说明\n\n本年支出合计 10 万元，其中：基本支出 10 万元，占 100%。这是一句很长的说明文字用于测试。\n"
    doc = Document("x.txt", "utf-8", text.splitlines(), split_blocks(text.splitlines()))
    assert recognize_tables(doc, library.get("hunan-2020").tables) == []


def test_hand_written_table_with_thousands_separators(library):
    lines = [
        "支出决算表", "公开03表", "单位：万元", "部门：某某局",
        "项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
        "功能分类科目编码\t科目名称\t\t\t\t\t\t",
        "栏次\t\t1\t2\t3\t4\t5\t6",
        "合计\t\t1,367.76\t1,000.00\t367.76\t0.00\t0.00\t0.00",
        "201\t一般公共服务支出\t1,367.76\t1,000.00\t367.76\t0.00\t0.00\t0.00",
        "注：本表反映部门本年度各项支出情况。",
    ]
    doc = Document("x.txt", "utf-8", lines, split_blocks(lines))
    [t] = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    c = t.main.cell("合计", "total")
    assert c.value == Decimal("1367.76") and c.amount.anomaly is None
    assert t.department == "某某局" and t.number == "03" and t.notes == []


SPLIT_CODE_TABLE = [
    "支出决算表", "公开03表", "单位：万元", "部门：某某局",
    "项目\t\t\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
    "类\t款\t项\t科目名称\t\t\t\t\t\t",
    "栏次\t\t\t\t1\t2\t3\t4\t5\t6",
    "合计\t\t\t\t30.00\t20.00\t10.00\t0.00\t0.00\t0.00",
    "201\t\t\t一般公共服务支出\t30.00\t20.00\t10.00\t0.00\t0.00\t0.00",
    "\t03\t\t政府办公厅（室）及相关机构事务\t30.00\t20.00\t10.00\t0.00\t0.00\t0.00",
    "\t\t01\t行政运行\t20.00\t20.00\t0.00\t0.00\t0.00\t0.00",
    "201\t03\t99\t其他政府办公厅（室）及相关机构事务支出\t10.00\t0.00\t10.00\t0.00\t0.00\t0.00",
]


def test_function_codes_split_into_class_item_subitem_columns(library):
    doc = Document("x.txt", "utf-8", SPLIT_CODE_TABLE, split_blocks(SPLIT_CODE_TABLE))
    [t] = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    p = t.main
    assert list(p.values.index) == ["合计", "201", "20103", "2010301", "2010399"]
    assert p.columns == ["total", "basic", "project", "upper", "business", "subsidiary"]
    assert p.row_info("2010301").label == "行政运行" and p.row_info("2010301").level == 3
    assert p.values.at["2010399", "project"] == Decimal("10.00")
    assert p.cell("20103", "total").span.col == SPLIT_CODE_TABLE[9].index("30.00") + 1


def test_split_code_table_is_checked_like_any_other(tmp_path):
    from lint.engine.linter import Linter, LintOptions

    lines = list(SPLIT_CODE_TABLE)
    lines[10] = lines[10].replace("20.00\t20.00", "20.00\t12.00")  # 行政运行: basic no longer adds up
    f = tmp_path / "split.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = Linter(LintOptions(template="hunan-2020")).lint_file(str(f))
    t = [x for x in result.findings if x.code.startswith("T")]
    assert len(t) == 1 and t[0].location.span.line == 11
    assert t[0].location.span.col == lines[10].index("12.00") + 1


@pytest.mark.parametrize("title, number_line, number", [
    ("支出决算表（2021年度）", "公开03表", "03"),
    ("2021年度支出决算表", "附表3", "03"),
    ("支出决算表", "表 3", "03"),
    ("附表3 支出决算表", None, "03"),
])
def test_title_and_number_variants(library, title, number_line, number):
    lines = [title] + ([number_line] if number_line else []) + SPLIT_CODE_TABLE[2:]
    doc = Document("x.txt", "utf-8", lines, split_blocks(lines))
    [t] = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    assert t.id == "table03" and t.number == number and t.notes == []


def test_a_sentence_ending_in_a_title_word_is_not_numbered(library):
    lines = ["支出决算表", "单位：万元"] + SPLIT_CODE_TABLE[4:] + ["注：见表1和表2。"]
    doc = Document("x.txt", "utf-8", lines, split_blocks(lines))
    [t] = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    assert t.number is None


def test_number_unit_and_department_printed_above_the_title(library):
    lines = ["公开03表", "部门：某某局", "支出决算表", "单位：万元"] + SPLIT_CODE_TABLE[4:]
    doc = Document("x.txt", "utf-8", lines, split_blocks(lines))
    [t] = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    assert (t.number, t.department, t.unit) == ("03", "某某局", "万元")
    assert t.number_span.line == 1 and t.department_span.line == 2


def test_the_previous_tables_lines_are_not_taken(library):
    first = ["收入决算表", "公开02表", "单位：万元",
             "项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
             "合计\t\t1.00\t1.00\t0.00\t0.00\t0.00\t0.00\t0.00"]
    lines = first + ["支出决算表"] + SPLIT_CODE_TABLE[4:]
    doc = Document("x.txt", "utf-8", lines, split_blocks(lines))
    t02, t03 = recognize_tables(doc, library.get("hunan-2020").tables, library.get("hunan-2020").numbering)
    assert t02.number == "02" and t03.number is None and t03.unit is None


SEED_TABLES = {
    # seed: (template, [(table id, printed number, title line, {panel: shape})])
    "000_98add52c02d21372.txt": ("hunan-2020", [
        ("table01", "01", 74, {"income": (12, 1), "expense": (30, 1)}), ("table02", "02", 121, {"main": (8, 7)}),
        ("table03", "03", 143, {"main": (8, 6)}), ("table04", "04", 164, {"income": (9, 1), "expense": (29, 4)}),
        ("table05", "05", 210, {"main": (5, 3)}), ("table06", "06", 228, {"main": (82, 1)}),
        ("table07", "07", 268, {"main": (2, 6)}), ("table08", "08", 283, {"main": (1, 6)}),
        ("table09", "09", 297, {"main": (1, 3)})]),
    "002_97ec0fee91833ab7.txt": ("hunan-2020", [
        ("table01", "01", 79, {"income": (12, 1), "expense": (30, 1)}),
        ("table01", "01", 124, {"income": (12, 1), "expense": (30, 1)}),
        ("table02", "02", 168, {"main": (12, 7)}), ("table03", "03", 194, {"main": (12, 6)}),
        ("table04", "04", 220, {"income": (9, 1), "expense": (29, 4)}), ("table05", "05", 266, {"main": (9, 3)}),
        ("table06", "06", 289, {"main": (82, 1)}), ("table07", "07", 331, {"main": (2, 6)}),
        ("table08", "08", 347, {"main": (1, 6)}), ("table09", "09", 363, {"main": (1, 3)})]),
    "003_24af73ecf2cd4e14.txt": ("hunan-2018", [
        ("table04", "01", 91, {"income": (7, 1), "expense": (24, 3)}), ("table02", "02", 131, {"main": (13, 7)}),
        ("table03", "03", 159, {"main": (13, 6)}), ("table04", "04", 188, {"income": (7, 1), "expense": (24, 3)}),
        ("table05", "05", 231, {"main": (13, 3)}), ("table06", "06", 260, {"main": (81, 1)}),
        ("table07", "07", 301, {"main": (2, 6)}), ("table08", "08", 318, {"main": (0, 6)})]),
}

# (seed, table id, row, column, text as printed, source line)
SEED_CELLS = [
    ("002_97ec0fee91833ab7.txt", "table03", "合计", "total", "259.15", 205),
    ("002_97ec0fee91833ab7.txt", "table03", "2150510", "project", "48.99", 213),
    ("002_97ec0fee91833ab7.txt", "table05", "2010301", "subtotal", "108. 06", 280),
    ("002_97ec0fee91833ab7.txt", "table02", "229", "other", "72.48", 188),
    ("003_24af73ecf2cd4e14.txt", "table02", "2101103", "total", "5.20", 155),
    ("003_24af73ecf2cd4e14.txt", "table06", "30226", "amount", "55.91", 289),
    ("003_24af73ecf2cd4e14.txt", "table05", "208", "basic", "20.10", 250),
]


@pytest.mark.parametrize("seed", sorted(SEED_TABLES))
def test_each_seed_tables_numbers_and_shapes(library, seed):
    template, expected = SEED_TABLES[seed]
    _, tables = _recognize(seed, library, template)
    got = [(t.id, t.number, t.span.line, {k: p.values.shape for k, p in t.panels.items()}) for t in tables]
    assert got == expected


@pytest.mark.parametrize("seed, tid, row, column, text, line", SEED_CELLS)
def test_each_seed_cell_values_and_locations(library, seed, tid, row, column, text, line):
    template, _ = SEED_TABLES[seed]
    doc, tables = _recognize(seed, library, template)
    table = next(t for t in tables if t.id == tid)
    cell = table.main.cell(row, column)
    assert cell.text == text and cell.span.line == line
    if table.main is not None and tid != "table06":  # code | name | values: field 2 + column index
        fields = doc.lines[line - 1].split("\t")
        k = 2 + table.main.columns.index(column)
        assert cell.span.col == sum(len(f) + 1 for f in fields[:k]) + 1 + (len(fields[k]) - len(fields[k].lstrip()))
    assert doc.lines[line - 1][cell.span.col - 1:cell.span.end_col - 1] == text
    assert cell.value == Decimal(text.replace(" ", ""))
