"""The shanghai and jiangsu packs: loaded like any pack, their templates extend the
national forms, and `filinglint rules --check` says which rules apply to each template."""

from __future__ import annotations

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
        return lines[f"表样 {template}"].rsplit(" ", 1)[-1].split(",")
    sh, js = codes("shanghai-budget"), codes("jiangsu-budget-2018")
    assert "B001" in sh and "B105" in sh and not any(c.startswith("JS") for c in sh)
    assert "B001" in js and "JS001" in js and "JS005" in js
    assert not any(c.startswith(("B", "JS")) for c in codes("hunan-2020")) and "T001" in codes("hunan-2020")
    assert "T001" in codes("shanghai-final")
    # a Jiangsu rule is not reported as "cannot apply" to Shanghai's template: it never runs there
    assert not [line for line in out.splitlines() if " JS0" in line and "shanghai-budget" in line]
