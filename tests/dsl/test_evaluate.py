"""Running compiled rules on hand-built tables: values, iteration, aggregates,
blanks, missing rows, locations and messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lint.dsl import DslFunction, Vocabulary, compile_rules
from lint.model import Severity, Span

from .conftest import T03_COLUMNS, table03_rows


def rule(body: str, header: str = "rule T900 test.rule\n") -> str:
    return header + body


@pytest.fixture
def office(filing):
    """A 支出决算表 whose 2010399 row repeats 行政运行's 基本支出 (49.06)."""
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows())}, "支出决算表")
    return filing


# ------------------------------------------------------------ design example


def test_design_example_reports_the_2010399_row(run, office):
    findings = run(rule("  table03.basic + table03.project == total\n"), office)
    assert len(findings) == 1
    f = findings[0]
    t = office.tables[0]
    row = t.main.row_info("2010399")
    cells = {c: t.main.cell("2010399", c) for c in T03_COLUMNS}
    # the left side is two cells, so the finding points at the first cell involved
    assert f.location.span == cells["total"].span
    assert f.location.label == "公开03表 2010399 本年支出合计"
    assert [loc.span for loc in f.related] == [cells["basic"].span, cells["project"].span]
    assert [loc.label for loc in f.related] == ["公开03表 2010399 基本支出", "公开03表 2010399 项目支出"]
    assert f.expected == "76.21" and f.actual == "125.27"
    assert f.properties == {"expression": "table03.basic + table03.project == total", "within_rounding": False,
                            "tolerance": "0.015", "difference": "49.06"}
    assert f.message.zh.startswith(f"公开03表 2010399（{row.label}）：table03.basic + table03.project == total 不成立")
    assert f.message.en.startswith(f"table 03 2010399 ({row.label}): table03.basic + table03.project == total "
                                   "does not hold")
    assert f.code == "T900" and f.rule_name == "test.rule" and f.severity is Severity.ERROR
    assert f.location.path == "filing.txt"


def test_single_cell_left_side_is_the_primary_location(run, office):
    text = rule('  message: "{where}：{column}应为 {expected}，实际为 {actual}（相差 {diff}，允许 {tolerance}）"\n'
                "  assert table03.total == table03.basic + table03.project + table03.upper"
                " + table03.business + table03.subsidiary\n")
    (f,) = run(text, office)
    cells = {c: office.tables[0].main.cell("2010399", c) for c in T03_COLUMNS}
    assert f.location.span == cells["total"].span
    # every other cell that took part, in source order; 0.00 cells took part too
    assert [loc.span for loc in f.related] == [cells[c].span for c in T03_COLUMNS[1:]]
    assert f.message.zh == ("公开03表 2010399（其他政府办公厅（室）及相关机构事务支出）："
                            "本年支出合计应为 125.27，实际为 76.21（相差 49.06，允许 0.015）")


def test_correct_rows_are_silent(run, filing):
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows(r2010399_basic="0.00"))})
    assert run(rule("  assert table03.total == table03.basic + table03.project\n"), filing) == []


def test_where_without_printed_number(run, filing):
    filing.table("table03", None, {"main": (T03_COLUMNS, table03_rows())})
    (f,) = run(rule("  assert table03.total == table03.basic + table03.project\n"), filing)
    assert f.message.zh.startswith("table03 2010399（")
    assert f.location.label == "table03 2010399 本年支出合计"


def test_where_uses_the_printed_table_label(run, filing):
    filing.table("table03", "3", {"main": (T03_COLUMNS, table03_rows())}, printed="表3")
    (f,) = run(rule("  assert table03.total == table03.basic + table03.project\n"), filing)
    assert f.location.label == "表3 2010399 本年支出合计"


# -------------------------------------------------------------------- rounding


def rows_with(total: str, a: str, b: str, c: str):
    return [(None, "合计", total, a, b, c, {"alias": "total", "kind": "total"})]


def test_three_operand_sum_within_rounding_is_silent(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        (None, "合计", "43.30", "36.21", "7.10"),
    ])})
    assert run(rule("  assert table05.subtotal == table05.basic + table05.project\n"), filing) == []


def test_one_cent_more_than_rounding_fires(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        (None, "合计", "43.33", "36.21", "7.10"),
    ])})
    (f,) = run(rule("  assert table05.subtotal == table05.basic + table05.project\n"), filing)
    assert f.properties["tolerance"] == "0.015" and f.properties["difference"] == "0.02"


def test_integers_and_one_decimal_are_rounded_accordingly(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        ("208", "社会保障和就业支出", "20.1", "20.10", "0"),
        ("210", "卫生健康支出", "22", "21.72", "0"),
    ])})
    assert run(rule("  assert table05.subtotal == table05.basic + table05.project\n"), filing) == []


def test_within_and_exact(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        (None, "合计", "43.30", "36.21", "7.10"),
    ])})
    assert run(rule("  assert table05.subtotal == table05.basic + table05.project within 0.05\n"), filing) == []
    (f,) = run(rule("  assert table05.subtotal == table05.basic + table05.project exact\n"), filing)
    assert f.properties["tolerance"] == "0" or f.properties["tolerance"].startswith("0.00")
    assert run(rule("  assert table05.subtotal == table05.basic + table05.project within 1%\n"), filing) == []


# ----------------------------------------------------------------------- blanks


def test_all_blank_instance_is_skipped_and_partly_blank_is_checked(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        (None, "合计", "", "", ""),
        ("201", "一般公共服务支出", "10.00", "", "10.00"),
        ("208", "社会保障和就业支出", "", "5.00", ""),
    ])})
    findings = run(rule("  assert table05.subtotal == table05.basic + table05.project\n"), filing)
    assert len(findings) == 1
    f = findings[0]
    # the blank 小计 is the left-hand side and still the place to look
    cell = filing.tables[0].main.cell("208", "subtotal")
    assert f.location.span == cell.span
    assert f.actual == "0.00" and f.expected == "5.00"
    assert [loc.label for loc in f.related] == ["公开05表 208 基本支出"]  # blanks are not related


def test_table_absent_from_the_filing(run, filing):
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [(None, "合计", "1.00", "1.00", "0.00")])})
    text = rule("  assert table03.total == table03.basic\n"
                "  assert table05.total.subtotal == table03.total.total\n"
                "  for each row in table05: assert row.subtotal <= table03[row.code].total\n")
    assert run(text, filing) == []


def test_missing_row_skips_only_that_row(run, filing):
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows(r2010399_basic="0.00"))})
    filing.table("table05", "05", {"main": (["subtotal", "basic", "project"], [
        ("2010301", "行政运行", "60.00", "60.00", "0.00"),  # more than 03 says: 49.06
        ("2010302", "一般行政管理事务", "5.00", "5.00", "0.00"),  # not in 03: skipped
    ])})
    findings = run(rule("  for each row in table05: assert row.subtotal <= table03[row.code].total\n"), filing)
    assert len(findings) == 1
    f = findings[0]
    assert f.location.label == "公开05表 2010301 小计"
    assert [loc.label for loc in f.related] == ["公开03表 2010301 本年支出合计"]
    assert f.message.zh.startswith("公开05表 2010301（行政运行）：")


def test_optional_counts_a_missing_column_as_zero(run, filing):
    filing.table("table04", "04", {
        "income": (["amount"], [(None, "本年收入合计", "10.00", {"alias": "total", "kind": "total"})]),
        "expense": (["total", "general_budget", "gov_fund"], [
            (None, "一般公共服务支出", "10.00", "6.00", "4.00"),
            (None, "外交支出", "9.00", "6.00", "4.00"),
        ]),
    })
    text = rule("  assert table04.expense.total == table04.expense.general_budget + table04.expense.gov_fund"
                " + optional(table04.expense.state_capital)\n")
    (f,) = run(text, filing)
    assert f.location.label == "公开04表 外交支出 合计"
    # without optional() the missing column skips every row
    assert run(rule("  assert table04.expense.total == table04.expense.general_budget + table04.expense.gov_fund"
                    " + table04.expense.state_capital\n"), filing) == []


def test_optional_never_counts_a_missing_table_as_zero(run, filing):
    # A table printed but not recognized must not read as a table of zeros.
    filing.table("table04", "04", {
        "income": (["amount"], [(None, "本年收入合计", "10.00", {"alias": "total", "kind": "total"})]),
        "expense": (["total", "general_budget"], [(None, "一般公共服务支出", "10.00", "6.00")]),
    })
    assert run(rule("  assert table04.expense.total == table04.expense.general_budget"
                    " + optional(table08.total.income)\n"), filing) == []
    # the same shape with the table there still fires
    (f,) = run(rule("  assert table04.expense.total == table04.expense.general_budget"
                    " + optional(table04.expense.gov_fund)\n"), filing)
    assert f.expected == "6.00" and f.actual == "10.00"


# ------------------------------------------------------------------- references


@pytest.fixture
def two_sided(filing):
    filing.table("table01", "01", {
        "income": (["amount"], [
            (None, "一、一般公共预算财政拨款收入", "100.00", {"alias": "general_budget"}),
            (None, "八、其他收入", "0.50", {"alias": "other"}),
            (None, "本年收入合计", "100.50", {"alias": "total", "kind": "total"}),
            (None, "总计", "100.50", {"alias": "grand_total", "kind": "total"}),
        ]),
        "expense": (["amount"], [
            (None, "一、一般公共服务支出", "100.50", {}),
            (None, "本年支出合计", "100.50", {"alias": "total", "kind": "total"}),
            (None, "总计", "100.60", {"alias": "grand_total", "kind": "total"}),
        ]),
    }, "收入支出决算总表")
    filing.table("table02", "02", {"main": (["total", "fiscal"], [
        (None, "合计", "100.50", "100.00"),
    ])})
    return filing


def test_label_lookup_alias_and_panel_paths(run, two_sided):
    text = rule('  assert table01["本年收入合计"].amount == table02.total.total\n'
                '  assert table01.income["本年收入合计"].amount == table02.total.total\n'
                '  assert table01.income.total == table01.income.general_budget + table01.income.other\n'
                '  assert table01["一般公共服务支出"].amount == table01.expense.total\n'
                "  assert table01.expense.total.amount == table01.income.total\n"
                "  assert table01.income.grand_total == table01.expense.grand_total\n")
    (f,) = run(text, two_sided)
    assert f.location.label == "公开01表 总计 决算数"
    assert f.expected == "100.60" and f.actual == "100.50"
    assert f.message.zh.startswith("公开01表 总计：")


def test_row_alias_found_by_template_label_when_recognizer_left_it_unset(run, filing):
    filing.table("table06", "06", {"main": (["amount"], [
        ("301", "工资福利支出", "36.21"),
        ("303", "对个人和家庭的补助", "7.10"),
        (None, "人员经费合计", "43.40", {"alias": None, "kind": "total"}),
    ])})
    (f,) = run(rule('  assert table06.personnel == table06["301"] + table06["303"]\n'), filing)
    assert f.actual == "43.40" and f.expected == "43.31"


def test_children_level_and_for_each_column(run, office):
    text = rule("  for each column c in table03:\n"
                "    for each row in table03 where exists(children(row)):\n"
                "      assert row[c] == sum(children(row)[c])\n"
                "    assert table03.total[c] == sum(r[c] for each r in table03 where r.level == 1)\n")
    findings = run(text, office)
    assert [(f.location.label, f.expected, f.actual) for f in findings] == [
        ("公开03表 20103 基本支出", "98.12", "49.06"),
    ]
    f = findings[0]
    assert [loc.label for loc in f.related] == ["公开03表 2010301 基本支出", "公开03表 2010399 基本支出"]


def test_columns_function_and_column_placeholder(run, office):
    text = rule('  message: "{where} {c} {column} {code} {label} {row} {table}"\n'
                "  for each c in columns(table03):\n"
                '    for each row in table03 where row.code == "20103":\n'
                "      assert row[c] == sum(children(row)[c])\n")
    (f,) = run(text, office)
    assert f.message.zh == ("公开03表 20103（政府办公厅（室）及相关机构事务） 基本支出 基本支出 20103 "
                            "政府办公厅（室）及相关机构事务 20103 公开03表")


def test_row_attributes(run, office):
    text = rule("  for each row in table03 where row.is_total:\n"
                '    assert row.label == "合计"\n'
                '    assert row.alias == "total"\n'
                "  for each row in table03 where row.level == 3:\n"
                '    assert row.code in ("2010301", "2010399", "2299901")\n'
                "  for each row in table03 where row.level == 2:\n"
                "    assert count(children(row)) >= 1\n"
                "  assert count(r for each r in table03 where r.level == 1) == 2\n"
                "  assert count(table03) == 8\n"
                "  assert count(table03.total) == 8\n")
    assert run(text, office) == []


def test_aggregates_over_columns(run, office):
    text = rule("  assert sum(table03.project) == 76.21 * 4\n"
                "  assert max(table03.basic) == 49.25\n"
                "  assert min(table03.total) == 0.19\n"
                "  assert exists(table03.basic)\n"
                "  assert not exists(table03.upper)\n"  # all 0.00: present but… see below
                "  assert sum(1, 2, 3) == 6\n"
                "  assert max(1, table03.total.total) == 125.46\n")
    findings = run(text, office)
    # 0.00 is a value, so exists(table03.upper) is true and `not exists` fails
    assert [f.properties["expression"] for f in findings] == ["not exists(table03.upper)"]
    assert findings[0].expected is None and findings[0].actual is None


def test_exists_on_rows_tables_and_codes(run, office):
    text = rule('  assert exists(table03["2010301"])\n'
                '  assert not exists(table03["2010302"])\n'
                "  assert exists(table03)\n"
                "  assert not exists(table08)\n"
                '  assert exists(r for each r in table03 where r.code == "229")\n'
                '  assert not exists(r for each r in table08)\n')
    assert run(text, office) == []


def test_arithmetic_functions(run, office):
    text = rule("  assert abs(table03.total.basic - table03.total.total) == 76.21\n"
                "  assert round(table03.total.total / 3, 1) == 41.8\n"
                "  assert table03.total.basic / table03.total.total <= 40%\n"
                "  assert -table03.total.total < 0\n"
                "  assert +table03.total.total > 0\n"
                "  assert table03.total.total * 2 == 250.92\n")
    assert run(text, office) == []


def test_boolean_assertions_report_the_failing_comparison(run, office):
    text = rule("  assert table03.total.total > 0 and table03.total.basic == 1\n"
                "  assert table03.total.total < 0 or table03.total.basic == 1\n")
    findings = run(text, office)
    assert [(f.expected, f.actual) for f in findings] == [("1.00", "49.25"), ("0.00", "125.46")]


def test_report_metadata(vocab, office):
    text = rule("  assert report.year == 2020\n"
                '  assert report.unit == "万元"\n')
    ctx = office.context()
    ctx.report_year = 2019
    ctx.document.metadata["unit"] = "万元"
    findings = [f for r in compile_rules(text, "t.rules", vocab) for f in r.check(ctx)]
    assert [(f.expected, f.actual) for f in findings] == [("2020.00", "2019.00")]
    ctx.document.metadata.pop("unit")
    ctx.report_year = None
    assert [f for r in compile_rules(text, "t.rules", vocab) for f in r.check(ctx)] == []  # unknown: skipped


def test_plugin_function_receives_plain_values(library, office):
    seen = []

    def share(part, whole):
        seen.append((part, whole))
        return part / whole

    vocab = Vocabulary.from_library(library, {"share": DslFunction("share", 2, 2, share)})
    (r,) = compile_rules("rule T900 t\n  assert share(table03.total.basic, table03.total.total) <= 0.30\n",
                         "t.rules", vocab)
    (f,) = list(r.check(office.context()))
    assert seen == [(Decimal("49.25"), Decimal("125.46"))]
    # the left side depends on two cells: the finding points at the first of them
    assert f.location.label == "公开03表 合计 本年支出合计"
    assert [loc.label for loc in f.related] == ["公开03表 合计 基本支出"]


def test_finding_without_cells_points_at_the_row(run, office):
    text = rule('  message: "{where}：科目 {code} 没有下级"\n'
                "  for each row in table03 where row.level == 1:\n"
                "    assert count(children(row)) == 0\n")
    findings = run(text, office)
    assert [f.message.zh for f in findings] == ["公开03表 201（一般公共服务支出）：科目 201 没有下级",
                                                 "公开03表 229（其他支出）：科目 229 没有下级"]
    line = office.tables[0].main.row_info("201").line
    assert findings[0].location.span == Span(line, 1, line, len(office.lines[line - 1]) + 1)
    assert findings[0].expected == "0.00" and findings[0].actual == "1.00"


def test_deterministic_order(run, office):
    text = rule("  for each column c in table03:\n    for each row in table03: assert row[c] <= 50\n")
    a = run(text, office)
    b = run(text, office)
    assert a == b and len(a) > 3
