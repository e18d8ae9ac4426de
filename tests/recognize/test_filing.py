"""The filing's kind and scope, read from its cover, its text, or its tables."""

from __future__ import annotations

from lint.readers.text import read_text_file
from lint.recognize.filing import read_kind


def _doc(tmp_path, text: str):
    f = tmp_path / "f.txt"
    f.write_text(text, encoding="utf-8")
    return read_text_file(f)


def test_cover_title_gives_kind_and_scope(tmp_path):
    k = read_kind(_doc(tmp_path, "上海市普陀区2025年区级单位预算\n预算单位：上海市普陀区某局\n目录\n"))
    assert (k.kind, k.scope) == ("budget", "unit") and k.span is not None and k.span.line == 1


def test_cover_title_broken_over_two_lines(tmp_path):
    k = read_kind(_doc(tmp_path, "江苏省某某厅2018年度部门\n预算公开\n目 录\n"))
    assert (k.kind, k.scope) == ("budget", "department")


def test_final_accounts_cover(tmp_path):
    k = read_kind(_doc(tmp_path, "上海市XX局2024年度部门决算\n目录\n第一部分 概况\n"))
    assert (k.kind, k.scope) == ("final-accounts", "department")
    assert k.describe() == "部门决算"


def test_budget_unit_is_not_a_scope(tmp_path):
    # "预算单位构成" names budget units; it says nothing about the filing's kind.
    k = read_kind(_doc(tmp_path, "某厅概况\n二、部门机构设置及预算单位构成情况\n本厅下属预算单位3个。\n"))
    assert k.kind is None


def test_text_counts_when_the_cover_is_silent(tmp_path):
    body = "目录\n" + "\n".join(["本节说明。"] * 20) + "\n本表为部门决算公开表。\n部门决算情况说明如下。\n"
    k = read_kind(_doc(tmp_path, body))
    assert (k.kind, k.scope) == ("final-accounts", "department") and "正文" in k.evidence


def test_performance_report(tmp_path):
    k = read_kind(_doc(tmp_path, "某县财政局2021年度部门整体支出绩效自评报告\n一、基本情况\n"))
    assert k.kind == "performance"


def test_nothing_fiscal(tmp_path):
    assert read_kind(_doc(tmp_path, "hello\nworld\n")).kind is None
