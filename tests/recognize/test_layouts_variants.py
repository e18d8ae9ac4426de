"""Table layouts on the form variants of budgets and of the 2024 决算 form: header paths
over spanning headers, 预算数 | 决算数 pairs, 经济分类 codes split 类 | 款 (and a 款 that
lost its leading zero), a 行次 column, items wrapped over lines in two-sided tables,
one-amount tables drawn on a shifting grid, grouped items."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lint.readers.text import read_text_file
from lint.recognize import recognize_tables
from lint.recognize.layouts import header_paths, match_path
from lint.recognize.templates import ColumnSpec, TemplateLibrary
from lint.model import CellText, Span

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> TemplateLibrary:
    lib = TemplateLibrary()
    for f in ("final-accounts.toml", "budget.toml"):
        lib.load_file(ROOT / "rules/core/templates" / f)
    for pack in ("shanghai", "jiangsu"):
        for f in sorted((ROOT / "rules" / pack / "templates").glob("*.toml")):
            lib.load_file(f)
    return lib


def _tables(tmp_path, library, template: str, text: str):
    path = tmp_path / "f.txt"
    path.write_text(text, encoding="utf-8")
    spec = library.get(template)
    return {t.id: t for t in recognize_tables(read_text_file(path), spec.tables, spec.numbering)}


def _values(table, panel="main"):
    p = table.panels[panel]
    return {(r.key, c): p.values.at[r.key, c] for r in p.rows for c in p.columns
            if p.values.at[r.key, c] is not None}


def _cells(*texts):
    return [CellText(t, Span.on_line(1, 1, max(len(t), 1))) for t in texts]


def test_header_paths_follow_spans_but_never_cross_a_parent_boundary():
    rows = [_cells("财政拨款“三公”经费", "", "", "", "", ""),
            _cells("合计", "", "公务用车购置及运行费", "", "", "公务接待费"),
            _cells("", "", "小计", "", "公务用车运行费", ""),
            _cells("预算数", "决算数", "预算数", "决算数", "预算数", "决算数")]
    paths = header_paths(rows, 6)
    assert paths[1] == ["财政拨款“三公”经费", "合计", "决算数"]
    assert paths[3] == ["财政拨款“三公”经费", "公务用车购置及运行费", "小计", "决算数"]
    # 公务接待费 starts a new group: the 运行费 to its left does not span over it
    assert paths[5] == ["财政拨款“三公”经费", "公务接待费", "决算数"]
    specs = [ColumnSpec("car_subtotal", ("公务用车购置及运行费小计", "公务用车购置及运行费")),
             ColumnSpec("three", ("小计",))]
    assert match_path(["X", "公务用车购置及运行费", "小计"], specs) == "car_subtotal"


def test_final_three_public_table_with_budget_and_final_side_by_side(tmp_path, library):
    t = _tables(tmp_path, library, "shanghai-final", "\n".join([
        "财政拨款“三公”经费支出决算表", "单位：万元",
        "财政拨款“三公”经费\t\t\t\t\t\t\t\t\t\t\t",
        "合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t\t\t\t\t公务接待费\t",
        "\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行费\t\t\t",
        "预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
        "12.00\t10.50\t2.00\t1.00\t6.00\t5.50\t0.00\t0.00\t6.00\t5.50\t4.00\t4.00",
        "注：本表反映……", ""]))["table07"]
    v = _values(t)
    assert v[("budget", "total")] == Decimal("12.00") and v[("final", "total")] == Decimal("10.50")
    assert v[("budget", "car_subtotal")] == Decimal("6.00") and v[("final", "car_operation")] == Decimal("5.50")
    assert v[("final", "abroad")] == Decimal("1.00") and v[("final", "reception")] == Decimal("4.00")


def test_economic_codes_split_over_two_columns_and_a_kuan_without_its_zero(tmp_path, library):
    t = _tables(tmp_path, library, "shanghai-budget", "\n".join([
        "2026年部门一般公共预算基本支出部门预算经济分类预算表", "单位：元",
        "项目\t\t\t一般公共预算基本支出\t\t",
        "部门预算经济分类科目 编码\t\t经济分类科目名称\t合计\t人员经费\t公用经费",
        "类\t款\t\t\t\t",
        "301\t\t工资福利支出\t300.00\t300.00\t0",
        "301\t01\t基本工资\t100.00\t100.00\t0",
        "301\t7\t绩效工资\t200.00\t200.00\t0",
        "合计\t\t\t300.00\t300.00\t0", "", "其他"]))["budget_general_basic"]
    keys = [r.key for r in t.panels["main"].rows]
    assert keys == ["301", "30101", "30107", "合计"]
    assert _values(t)[("30107", "personnel")] == Decimal("200.00")


def test_final_economic_panels_with_split_codes(tmp_path, library):
    t = _tables(tmp_path, library, "shanghai-final", "\n".join([
        "一般公共预算财政拨款基本支出决算表", "单位：万元",
        "经济分类 科目编码\t\t科目名称\t决算数\t经济分类 科目编码\t\t科目名称\t决算数",
        "类\t款\t\t\t类\t款\t\t",
        "301\t\t工资福利支出\t10.00\t302\t\t商品和服务支出\t3.00",
        "301\t01\t基本工资\t10.00\t302\t01\t办公费\t3.00",
        "人员经费合计\t\t\t10.00\t公用经费合计\t\t\t3.00", "", "注：……"]))["table06"]
    v = _values(t)
    assert v[("30101", "amount")] == Decimal("10.00") and v[("30201", "amount")] == Decimal("3.00")
    assert v[("人员经费合计", "amount")] == Decimal("10.00")


def test_a_line_number_column_is_structure(tmp_path, library):
    t = _tables(tmp_path, library, "shanghai-final", "\n".join([
        "一般公共预算财政拨款支出决算表", "单位：万元",
        "科目编码\t科目名称\t行次\t合计\t基本支出\t项目支出",
        "栏次\t\t\t1\t2\t3",
        "201\t一般公共服务支出\t1\t30.00\t20.00\t10.00",
        "合计\t\t2\t30.00\t20.00\t10.00", "", "注：……"]))["table05"]
    v = _values(t)
    assert v[("201", "subtotal")] == Decimal("30.00") and v[("201", "project")] == Decimal("10.00")
    assert not any(val == 1 for val in v.values())


def test_jiangsu_summary_with_wrapped_items_and_a_spilled_total(tmp_path, library):
    t = _tables(tmp_path, library, "jiangsu-budget-2018", "\n".join([
        "公开01表", "收支预算总表", "部门：示例厅", "单位：万元",
        "收入\t\t\t支出\t\t\t\t",
        "\t\t功能分类\t\t\t支出用途\t\t",
        "项目名称\t金额\t\t\t\t\t\t",
        "\t\t\t功能科目名称\t金额\t\t项目名称\t金额",
        "一、财政拨款\t100.00\t\t一、一般公共服务支出\t100.00\t\t一、基本支出\t60.00",
        "1.一般公共预\t\t\t\t\t\t\t",
        "\t100.00\t\t二、外交支出\t\t\t二、项目支出\t30.00",
        "算\t\t\t\t\t\t\t",
        "\t\t\t\t\t\t三、单位预留机动\t",
        "\t\t\t三、国防支出\t\t\t\t10.00",
        "\t\t\t\t\t\t经费\t",
        "当年收入小计\t100.00\t\t当年支出小计\t\t\t\t100.00",
        "收入合计\t100.00\t\t支出合计\t\t\t\t100.00", "", "公开02表"]))["budget_summary"]
    inc, exp, use = (_values(t, p) for p in ("income", "expense", "use"))
    assert inc[("一般公共预算", "amount")] == Decimal("100.00")
    assert use[("单位预留机动经费", "amount")] == Decimal("10.00")
    assert ("国防支出", "amount") not in exp  # the 10.00 beside it is the use panel's
    assert exp[("当年支出小计", "amount")] == Decimal("100.00") and exp[("支出合计", "amount")] == Decimal("100.00")
    aliases = {r.alias for r in t.panels["use"].rows}
    assert {"basic", "project", "reserve"} <= aliases


def test_one_amount_table_on_a_shifting_grid(tmp_path, library):
    t = _tables(tmp_path, library, "jiangsu-budget-2018", "\n".join([
        "公开08表：一般公共预算基本支出预算表", "部门：示例厅", "单位：万元",
        "\t科目编码\t\t科目名称\t\t金额\t",
        "\t\t\t\t21.00\t",
        "\t\t合计\t\t\t",
        "301\t\t工资福利支出\t\t\t\t",
        "\t\t\t\t\t21.00",
        "30101\t\t基本工资\t\t21.00\t",
        "", "30102\t津贴补贴\t0.00", "", "公开09表"]))["budget_general_basic"]
    v = _values(t)
    assert v == {("合计", "total"): Decimal("21.00"), ("301", "total"): Decimal("21.00"),
                 ("30101", "total"): Decimal("21.00"), ("30102", "total"): Decimal("0.00")}


def test_grouped_items(tmp_path, library):
    t = _tables(tmp_path, library, "jiangsu-budget-2018", "\n".join([
        "公开02表", "收入预算总表", "部门：示例厅", "单位：万元",
        "项目名称\t\t金额",
        "收入总计\t\t110.00",
        "一般公共预算资金\t小计\t100.00",
        "\t公共财政拨款(补助)资金\t100.00",
        "其他资金\t小计\t10.00", "", "公开03表"]))["budget_income_sources"]
    rows = {r.key: r.alias for r in t.panels["main"].rows}
    assert rows["收入总计"] == "total" and "一般公共预算资金/小计" in rows and "其他资金/小计" in rows
    assert _values(t)[("收入总计", "amount")] == Decimal("110.00")
