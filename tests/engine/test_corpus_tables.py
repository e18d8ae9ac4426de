"""Every table of every real filing in ../shared/corpus is recognized, in print order,
under the right template — and the budget and regional rules say nothing false there.

The filings are read in place (never copied into the project).  The expected lists are
what each filing prints (its tables, in order), checked by hand against the PDFs and
workbooks; a table the recognizer misses or reads twice fails its file's test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
if not CORPUS.is_dir():  # pragma: no cover - CI has ../shared beside the checkout
    pytest.skip(f"the corpus directory {CORPUS} is absent", allow_module_level=True)

SHANGHAI_BUDGET = ["budget_summary", "budget_income", "budget_expense", "budget_fiscal_summary", "budget_general",
                   "budget_gov_fund", "budget_state_capital", "budget_general_basic", "budget_three_public"]
FINAL = [f"table0{i}" for i in range(1, 10)]
# The Jiangsu form in its two editions' orders.
JS_2018 = ["budget_summary", "budget_income_sources", "budget_expense", "budget_fiscal_summary",
           "budget_fiscal_expense", "budget_fiscal_basic", "budget_general", "budget_general_basic",
           "budget_three_public", "budget_gov_fund", "budget_admin_cost", "budget_procurement"]
JS_2017 = ["budget_summary", "budget_income_sources", "budget_expense", "budget_fiscal_summary",
           "budget_fiscal_expense", "budget_fiscal_basic", "budget_gov_fund", "budget_general",
           "budget_general_basic", "budget_admin_cost", "budget_three_public", "budget_procurement"]
# The NPC office printed 财政拨款支出预算表 before 财政拨款收支预算总表 in 2017.
JS_NPC_2017 = [*JS_2017[:3], JS_2017[4], JS_2017[3], *JS_2017[5:]]

EXPECTED = {
    "sh-putuo-wanli-2023-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-wanli-2024-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-wanli-2025-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-govoffice-2025-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-govoffice-2025-unit-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-commerce-2025-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-commerce-2025-unit-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-justice-2026-dept-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-justice-2026-unit-budget.pdf": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-2026-dept-budget-template-blank.xlsx": ("shanghai-budget", SHANGHAI_BUDGET),
    "sh-putuo-2026-unit-budget-template-blank.xlsx": ("shanghai-budget", SHANGHAI_BUDGET),
    # The two justice workbooks are the district's review checklists of those
    # filings (检查表: 是/否 and remarks), not filings: no table to recognize.
    "sh-putuo-justice-2026-dept-budget.xlsx": (None, []),
    "sh-putuo-justice-2026-unit-budget.xlsx": (None, []),
    "sh-putuo-finance-2024-final.pdf": ("shanghai-final", FINAL),
    "sh-2024-final-template-blank.pdf": ("shanghai-final", FINAL),
    "js-procuratorate-2017-budget.pdf": ("jiangsu-budget-2017", JS_2017),
    "js-procuratorate-2018-budget.pdf": ("jiangsu-budget-2018", JS_2018),
    "js-npc-2017-budget.pdf": ("jiangsu-budget-2017", JS_NPC_2017),
    "js-npc-2018-budget.pdf": ("jiangsu-budget-2018", JS_2018),
    "js-partyoffice-2017-budget-tables.pdf": ("jiangsu-budget-2017", JS_2017),
    "js-partyoffice-2018-budget-tables.pdf": ("jiangsu-budget-2018", JS_2018),
    "js-cppcc-2017-budget-tables.pdf": ("jiangsu-budget-2017", JS_2017),
    "js-cppcc-2018-budget-tables.pdf": ("jiangsu-budget-2018", JS_2018),
    # the narrative halves of the split Jiangsu filings print no table
    "js-partyoffice-2017-budget-text.pdf": (None, []),
    "js-partyoffice-2018-budget-text.pdf": (None, []),
    "js-cppcc-2017-budget-text.pdf": (None, []),
    "js-cppcc-2018-budget-text.pdf": (None, []),
}

# Tables whose title the recognizer does not find yet (issue 10, recognition by title):
# the expectation stays the truth; strict, so the fix must update this list.
TITLE_GAPS: dict[str, str] = {}  # none left: wrapped titles, titles laid out as a row, and
# titles run together with their 部门/单位 line are read (lint/recognize/tables.py _title_text)


def test_every_corpus_file_is_listed():
    present = {p.name for p in CORPUS.iterdir() if p.suffix.lower() in (".pdf", ".xlsx")}
    assert present == set(EXPECTED)


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


@pytest.fixture(scope="module")
def results(corpus_results):
    return corpus_results


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=TITLE_GAPS[n], strict=True)) if n in TITLE_GAPS else n
    for n in sorted(EXPECTED)])
def test_tables_recognized_in_print_order(results, name):
    template, tables = EXPECTED[name]
    result = results(name)
    assert [t.split("@")[0] for t in result.tables] == tables
    assert len(result.tables) == len(tables)
    assert result.template == template


# Budget and regional findings on the corpus that are true errors of the filing (each
# checked by hand against the PDF); any other B/JS finding is a false one.
TRUE_FINDINGS = {
    # 2040601 行政运行: 项目支出 printed 64,840,547.00 (the 204 class's project total)
    # where the row's 合计 equals its 基本支出 — in both function tables.
    ("sh-putuo-justice-2026-unit-budget.pdf", "B005", "64,840,547.00"): 2,
    # 一般公共预算支出功能分类预算表 合计 基本支出 printed 22,118,861 (no cents), the
    # economic table's 合计 22,118,861.34.
    ("sh-putuo-justice-2026-unit-budget.pdf", "B105", "22,118,861.34"): 1,
}


@pytest.mark.parametrize("name", sorted(n for n, (t, _) in EXPECTED.items() if t))
def test_budget_rules_raise_only_true_findings_on_the_corpus(results, name):
    result = results(name)
    found: dict = {}
    for f in result.findings:
        if f.code.startswith(("B", "JS")):
            line = result.source_lines[f.location.span.line - 1]
            text = line[f.location.span.col - 1:f.location.span.end_col - 1]
            found[(name, f.code, text)] = found.get((name, f.code, text), 0) + 1
    assert found == {k: v for k, v in TRUE_FINDINGS.items() if k[0] == name}


def _bump(text: str) -> str:
    """The amount with its units digit one higher (thousands separators kept)."""
    whole, _, cents = text.partition(".")
    digits = whole.replace(",", "")
    bumped = f"{int(digits) + 1:,}" if "," in whole else str(int(digits) + 1)
    return bumped + ("." + cents if cents else "")


_LEAF = __import__("re").compile(r"^(?:\d{3}\t\d{2}\t\d{2}|\d{7})\t")
_AMOUNT = __import__("re").compile(r"^[\d,]*[1-9][\d,]*\.\d{2}$")


@pytest.mark.parametrize("name", ["sh-putuo-justice-2026-dept-budget.pdf", "js-cppcc-2018-budget-tables.pdf",
                                  "sh-putuo-finance-2024-final.pdf"])
def test_one_changed_amount_in_a_real_layout_is_one_more_finding_there(linter, tmp_path, name):
    """The rules run on the real layouts, not only on generated ones: one 功能分类 项
    amount changed in the laid-out filing (kept in a temporary file) gives exactly one
    more finding, naming that line."""
    lines = linter.read(str(CORPUS / name)).lines
    base = tmp_path / "base.txt"
    base.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = linter.lint_file(str(base)).findings
    leaves = [i for i, line in enumerate(lines) if _LEAF.match(line)
              and any(_AMOUNT.match(c) for c in line.split("\t"))]
    assert len(leaves) >= 3
    for i in leaves[:: max(1, len(leaves) // 3)][:3]:
        cells = lines[i].split("\t")
        j = max(k for k, c in enumerate(cells) if _AMOUNT.match(c))
        cells[j] = _bump(cells[j])
        changed = tmp_path / "changed.txt"
        changed.write_text("\n".join([*lines[:i], "\t".join(cells), *lines[i + 1:]]) + "\n", encoding="utf-8")
        after = linter.lint_file(str(changed)).findings
        assert len(after) == len(before) + 1, (i + 1, lines[i])
        new = [f for f in after if any(loc.span.line == i + 1 for loc in (f.location, *f.related))]
        assert new, (i + 1, lines[i])
