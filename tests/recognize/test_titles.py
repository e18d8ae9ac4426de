"""Titles are matched by content: numbers, ordinals, years, scope and department
prefixes, quotes, spaces and qualifiers do not hide a template title; sentences,
headings and the other kind's titles never match."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.recognize.templates import TableSpec
from lint.recognize.titles import TitleIndex, clean_title, title_similarity


def _spec(tid: str, *titles: str) -> TableSpec:
    return TableSpec(tid, titles, "classified", ())


SPECS = {s.id: s for s in [
    _spec("summary", "财务收支预算总表", "收支预算总表"),
    _spec("income", "部门收入预算总表"),
    _spec("fiscal_expense", "财政拨款支出预算表"),
    _spec("gov_fund", "政府性基金支出预算表"),
    _spec("three_public", "“三公”经费、会议费、培训费支出预算表"),
    _spec("final_expense", "支出决算表"),
    _spec("final_income", "收入决算表"),
]}


@pytest.fixture(scope="module")
def index() -> TitleIndex:
    return TitleIndex(SPECS)


@pytest.mark.parametrize("printed, table, how", [
    ("财务收支预算总表", "summary", "exact"),
    ("公开01表：收支预算总表", "summary", "exact"),
    ("一、收支预算总表", "summary", "exact"),
    ("1. 2026年部门财务收支预算总表", "summary", "prefix"),
    ("2025年预算单位财务收支预算总表", "summary", "prefix"),
    ("2024 年 部门收入预算总表", "income", "exact"),
    ("财政拨款支出预算表（功能科目）", "fiscal_expense", "qualifier"),
    ("上海市普陀区司法局2026年财务收支预算总表", "summary", "prefix"),
    ("上海市普陀区司法局财务收支预算总表", "summary", "name-prefix"),
    ('一般公共预算"三公"经费、会议费、培训费支出预算表', "three_public", "contains"),
    ("十、政府性基金财政拨款支出预算表", "gov_fund", "contains"),
    ("公开03表 支出决算表（2024年度）", "final_expense", "exact"),
])
def test_variants_of_a_title_match_with_a_score(index, printed, table, how):
    m = index.match(printed)
    assert m is not None and m.spec.id == table and m.how == how
    assert 0.7 <= m.score <= 1.0
    assert (m.score == 1.0) == (how == "exact")


def test_scores_order_by_how_much_was_dropped(index):
    scores = [index.match(t).score for t in ("财务收支预算总表", "2026年部门财务收支预算总表",
                                             "财政拨款支出预算表（功能科目）", "某某局财务收支预算总表")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


@pytest.mark.parametrize("printed", [
    "关于2025年财务收支预算总表的说明",          # a heading about the table
    "财务收支预算总表反映了本部门全部收支。",      # a sentence
    "收入预算表",                                 # a budget title is not the 决算 收入决算表
    "支出预算表",
    "政府性基金预算财政拨款收入支出决算表",        # a 决算 title matches no budget table
    "项目支出绩效目标表",
    "",
])
def test_what_is_not_one_of_the_titles_does_not_match(index, printed):
    assert index.match(printed) is None


def test_a_fiscal_qualifier_before_a_title_is_not_a_department_name(index):
    # 政府性基金预算… is another table than 财政拨款支出预算表, not the same one with a name in front.
    m = index.match("政府性基金预算财政拨款支出预算表")
    assert m is None or m.spec.id == "gov_fund"


def test_clean_title_and_similarity():
    assert clean_title("公开 03 表：2024年 “三公” 经费支出预算表") == "三公经费支出预算表"
    assert title_similarity("2026年部门收入预算总表", "部门收入预算总表") == 1.0
    assert title_similarity("部门支出情况明细表", "收入决算表") < 0.5


ROWS = "科目编码\t科目名称\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t6.00\t4.00\n"


@pytest.mark.parametrize("head, dept", [
    ("一般公共预算财政拨款支出决算\n表\n单位：万元\n", None),                         # wrapped onto the next line
    ("一般公共预算财政拨款支出决算表\t\t\t\t\n单位：万元\n", None),                  # laid out as a row
    ("一般公共预算财政拨款支出决算表部门：海岳省某局 单位：万元\t\t\t\t\n", "海岳省某局"),  # run together
])
def test_titles_as_exports_lay_them_out(tmp_path, head, dept):
    from lint.readers.text import read_text_file
    from lint.recognize import recognize_tables
    from lint.recognize.templates import TemplateLibrary

    root = Path(__file__).resolve().parents[2]
    lib = TemplateLibrary()
    lib.load_file(root / "rules/core/templates/final-accounts.toml")
    f = tmp_path / "t.txt"
    f.write_text("某局2024年度部门决算\n" + head + ROWS, encoding="utf-8")
    [t] = recognize_tables(read_text_file(f), lib.all_table_specs())
    assert t.id == "table05" and t.span.line == 2
    assert str(t.main.cell("201", "basic").value) == "6.00"
    assert t.unit == "万元" and t.department == dept
