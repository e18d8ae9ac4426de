"""The shanghai and jiangsu packs: loaded like any pack, their templates extend the
national forms, and `filinglint rules --check` says which rules apply to each template."""

from __future__ import annotations

import pytest

from lint.cli import main
from lint.engine.linter import Linter, LintOptions


def test_regional_packs_and_templates_load():
    linter = Linter(LintOptions(use_entry_points=False))
    assert {"shanghai", "jiangsu"} <= set(linter.packs)
    assert not linter.notices
    sh = linter.library.get("shanghai-budget")
    assert sh.extends == "cn-budget" and sh.kind == "budget" and sh.region == "上海"
    assert len(sh.tables) == 9 and "admin_cost" in [c.key for c in sh.tables["budget_three_public"].panels[0].columns]
    for tid in ("jiangsu-budget-2017", "jiangsu-budget-2018"):
        js = linter.library.get(tid)
        assert js.extends == "cn-budget" and len(js.tables) == 12 and sorted(js.numbering.values()) == [
            f"{i:02d}" for i in range(1, 13)]
        assert [p.name for p in js.tables["budget_summary"].panels] == ["income", "expense", "use"]
    # same tables, two orders
    assert linter.library.get("jiangsu-budget-2017").numbering["budget_gov_fund"] == "07"
    assert linter.library.get("jiangsu-budget-2018").numbering["budget_gov_fund"] == "10"
    final = linter.library.get("shanghai-final")
    assert final.extends == "cn-final-accounts" and len(final.tables) == 9


def test_rules_check_lists_the_rules_each_template_gets(capsys):
    assert main(["rules", "--check", "--no-entry-points"]) == 0
    out = capsys.readouterr().out
    lines = {line.split("：")[0]: line for line in out.splitlines() if line.startswith("表样 ")}
    def codes(template):
        return lines[f"表样 {template}"].rsplit("：", 1)[-1].split(",")
    sh, js = codes("shanghai-budget"), codes("jiangsu-budget-2018")
    assert "B001" in sh and "B105" in sh and not any(c.startswith("JS") for c in sh)
    assert "B001" in js and "JS001" in js and "JS005" in js
    assert not any(c.startswith(("B", "JS")) for c in codes("hunan-2020")) and "T001" in codes("hunan-2020")
    assert "T001" in codes("shanghai-final")
    # a Jiangsu rule is not reported as "cannot apply" to Shanghai's template: it never runs there
    assert not [line for line in out.splitlines() if " JS0" in line and "shanghai-budget" in line]


STATE_CAPITAL_2024 = "\n".join([
    "上海市示例局2024年度部门决算", "国有资本经营预算财政拨款收入支出决算表", "单位：万元",
    "项目\t\t\t\t年初结转和 结余\t本年收入\t本年支出\t\t\t年末结转和 结余",
    "支出功能分类 科目编码\t\t\t科目名称\t\t\t小计\t基本支出\t项目支出\t",
    "类\t款\t项\t\t\t\t\t\t\t",
    "223\t\t\t国有资本经营预算支出\t5.00\t20.00\t18.00\t0.00\t18.00\t{close}",
    "合计\t\t\t\t5.00\t20.00\t18.00\t0.00\t18.00\t{close}", ""])


@pytest.mark.parametrize("close,found", [("7.00", []), ("9.00", ["T007", "T007"])])
def test_2024_state_capital_table_reads_its_income_columns(tmp_path, close, found):
    path = tmp_path / "final.txt"
    path.write_text(STATE_CAPITAL_2024.format(close=close), encoding="utf-8")
    result = Linter(LintOptions(use_entry_points=False, template="shanghai-final")).lint_file(str(path))
    assert [f.code for f in result.findings] == found
