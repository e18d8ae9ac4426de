"""End to end on generated 部门预算 filings (Shanghai and Jiangsu layouts): consistent
ones are silent with every table recognized; one wrong cell — in a table or in a total
copied from another table — gives exactly one finding, naming that cell (located at it
when two identities meet there)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lint.engine.linter import Linter, LintOptions

from synth import budget as b

SHANGHAI_TABLES = {"budget_summary", "budget_income", "budget_expense", "budget_fiscal_summary", "budget_general",
                   "budget_gov_fund", "budget_state_capital", "budget_general_basic", "budget_three_public"}
JIANGSU_TABLES = {"budget_summary", "budget_income_sources", "budget_expense", "budget_fiscal_summary",
                  "budget_fiscal_expense", "budget_fiscal_basic", "budget_general", "budget_general_basic",
                  "budget_three_public", "budget_gov_fund", "budget_admin_cost"}


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _lint(linter, budget, tmp_path, name="f.txt"):
    return linter.lint_file(str(b.write(budget, tmp_path / name)))


def _describe(findings):
    return [(f.code, f.location.span.line, f.location.span.col, f.message.zh[:100]) for f in findings]


@pytest.mark.parametrize("layout,tables", [("shanghai", SHANGHAI_TABLES), ("jiangsu", JIANGSU_TABLES)])
@pytest.mark.parametrize("seed", range(4))
def test_consistent_budget_is_silent_and_fully_recognized(linter, tmp_path, layout, tables, seed):
    budget = b.generate(seed, layout)
    result = _lint(linter, budget, tmp_path)
    assert result.template.startswith(layout)
    assert {t.split("@")[0] for t in result.tables} == tables
    assert {t.split("@")[0]: int(t.split("@")[1]) for t in result.tables} == budget.tables
    assert result.findings == [], _describe(result.findings)


def _targets(budget):
    """Every printed non-zero amount, most of them both in a row or column identity
    and in a cross-table one."""
    # (Jiangsu's 收入预算总表 lists fund sources in groups whose rows a PDF does not keep
    # in order; only its 收入总计 is checked.)
    return sorted(k for k, v in budget.values.items()
                  if v != 0 and (k[0] != "budget_income_sources" or k[1] == "收入总计"))


@pytest.mark.parametrize("layout", ["shanghai", "jiangsu"])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("delta", ["1.00", "-0.30"])
def test_one_injected_error_is_one_finding_at_that_cell(linter, tmp_path, layout, seed, delta):
    budget = b.generate(seed, layout)
    targets = _targets(budget)
    rng = __import__("random").Random(seed * 7 + len(delta))
    misses = []
    for key in rng.sample(targets, min(12, len(targets))):
        old = budget.values[key]
        bad = b.inject(budget, *key, old + Decimal(delta))
        result = _lint(linter, bad, tmp_path, name=f"inj{seed}.txt")
        cell = bad.cells[key]
        # One finding, naming the cell: at it when two identities meet there (a row
        # and its column, a total and its copy), else among the cells of the one
        # identity it breaks (the 合计 a leaf adds up to cannot tell which leaf).
        ok = len(result.findings) == 1 and cell in [
            (loc.span.line, loc.span.col, loc.span.end_col)
            for loc in (result.findings[0].location, *result.findings[0].related)]
        if not ok:
            misses.append((key, _describe(result.findings)))
    assert misses == []


@pytest.mark.parametrize("layout,key", [
    ("shanghai", ("budget_summary", "收入总计", "income.amount")),
    ("shanghai", ("budget_general_basic", "合计", "total")),
    ("jiangsu", ("budget_summary", "收入合计", "income.amount")),
    ("jiangsu", ("budget_expense", "total", "basic")),
])
def test_one_wrong_cross_table_total_is_one_finding(linter, tmp_path, layout, key):
    budget = b.generate(5, layout)
    bad = b.inject(budget, *key, budget.values[key] + Decimal("10.00"))
    result = _lint(linter, bad, tmp_path)
    assert len(result.findings) == 1, _describe(result.findings)
    [f] = result.findings
    assert (f.location.span.line, f.location.span.col, f.location.span.end_col) == bad.cells[key]
    assert f.code.startswith(("B", "JS"))


@pytest.mark.parametrize("column", ["total", "abroad", "car_subtotal", "reception"])
def test_three_public_narrative_agrees_with_the_budget_table(linter, tmp_path, column):
    budget = b.generate(2, "shanghai", narrative=True)
    assert _lint(linter, budget, tmp_path).findings == []
    key = ("narrative", "三公", column)
    bad = b.inject(budget, *key, budget.values[key] + Decimal("0.50"))
    result = _lint(linter, bad, tmp_path, "bad.txt")
    line, col, _ = bad.cells[key]
    # the figure disagrees with its table cell: one finding there; the paragraph's own
    # sum (合计 vs its items) may break too, and that finding names the same line
    at_cell = [f for f in result.findings if (f.location.span.line, f.location.span.col) == (line, col)
               and "三公”经费和机关运行经费预算表" in f.message.zh]
    assert len(at_cell) == 1, _describe(result.findings)
    assert len(result.findings) <= 2, _describe(result.findings)
    for f in result.findings:
        assert f.code.startswith("N") and line in [loc.span.line for loc in (f.location, *f.related)], \
            _describe(result.findings)
