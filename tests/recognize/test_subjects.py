"""Subject normal forms and roles."""

from __future__ import annotations

import pytest

from lint.recognize.subjects import ACTUAL, BUDGET, clean_subject, compose, is_generic, normalize_subject, split_role


@pytest.mark.parametrize("raw, norm", [
    ("2020 年度财政拨款支出决算数", "财政拨款支出"),
    ("本年收入合计", "收入合计"),
    ("“三公”经费财政拨款支出决算", "三公经费财政拨款支出"),
    ("社会保障和就业（类）支出", "社会保障和就业支出"),
    ("一般公共服务支出(类)", "一般公共服务支出"),
    ("本部门2020年度机关运行经费支出", "机关运行经费支出"),
    ("2020年度收、支总计", "收支总计"),
    ("公务接待费支出预算数", "公务接待费支出预算"),
    ("其中：人员经费", "人员经费"),
    ("（1）互联网+政务服务建设费", "互联网+政务服务建设费"),
])
def test_normalize(raw, norm):
    assert normalize_subject(raw) == norm


def test_qualifiers_are_kept():
    assert normalize_subject("财政拨款基本支出") != normalize_subject("基本支出")
    assert normalize_subject("上年支出") != normalize_subject("支出")


def test_clean_keeps_what_was_written():
    assert clean_subject("，其中：本年收入合计为") == "本年收入合计"
    assert clean_subject("本年收入合计") == "本年收入合计"  # 合计 is part of the name


def test_roles():
    assert split_role("公务接待费支出预算") == ("公务接待费", BUDGET, "支出预算")
    assert split_role("支出决算数") == ("", ACTUAL, "支出决算数")
    assert split_role("三公经费预算数合计")[1] == BUDGET
    assert split_role("基本支出")[1] is None


def test_generic_subjects():
    assert is_generic("支出决算")
    assert is_generic("年初预算")
    assert is_generic("项目全年预算数")
    assert is_generic(None)
    assert not is_generic("公务接待费支出决算")
    assert not is_generic("本年收入合计")


def test_compose():
    assert compose("公务接待费支出", "支出决算") == "公务接待费支出决算"
    assert compose("公务用车购置及运行费", "支出决算") == "公务用车购置及运行费支出决算"
