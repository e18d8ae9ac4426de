"""Python rules of the example pack."""

from __future__ import annotations

from lint.engine.rules import Rule
from lint.model import Severity
from lint.numbers import fmt


class ProjectOverspent(Rule):
    """项目支出明细表：执行数超过预算数。

    ## What it does
    Checks that no row of the 项目支出明细表 spends more than its budget.

    ## Why is this bad?
    Spending above the approved budget needs an adjustment (调整预算) that the filing
    should show; an overspent row usually means a typo in one of the two columns.

    ## Example
    ```
    201	一般公共服务支出	10.00	12.00	-2.00
    ```
    Use instead: the adjusted budget, or the correct amount spent.
    """

    code = "EX101"
    name = "example.project-overspent"
    severity = Severity.WARNING
    tables = ("table10",)

    def check(self, ctx):
        table = ctx.tables.get("table10")
        if table is None:
            return
        panel = table.main
        for row in panel.rows:
            budget, spent = panel.cell(row.key, "budget"), panel.cell(row.key, "spent")
            if budget is None or spent is None or budget.value is None or spent.value is None:
                continue
            if spent.value > budget.value + budget.amount.rounding + spent.amount.rounding:
                yield self.finding(
                    ctx, spent.span,
                    f"项目支出明细表 {row.key}：执行数 {fmt(spent.value)} 超过预算数 {fmt(budget.value)}",
                    f"project table {row.key}: spent {fmt(spent.value)} exceeds the budget {fmt(budget.value)}",
                    label=f"{row.key} 执行数", related=[ctx.location(budget.span, f"{row.key} 预算数")],
                    expected=f"≤ {fmt(budget.value)}", actual=fmt(spent.value))
