"""What each real filing in ../shared/corpus is taken for: kind (预算/决算), scope
(部门/单位), region, and how far it was read (status), with the tables it could not
read.  The template and the tables themselves are asserted in test_corpus_tables.py.

Read in place, never copied.  Each expectation was checked against the filing: the
cover says 部门预算 or 单位预算 (区级单位预算 for a unit), the tables' titles and
headers say which province's form it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
if not CORPUS.is_dir():  # pragma: no cover - CI has ../shared beside the checkout
    pytest.skip(f"the corpus directory {CORPUS} is absent", allow_module_level=True)

B, F = "budget", "final-accounts"
D, U = "department", "unit"
SH, JS = "上海", "江苏"

# file: (kind, scope, region, status, report year)
EXPECTED = {
    "sh-putuo-wanli-2023-dept-budget.pdf": (B, D, SH, "partial", 2023),  # + five 绩效目标填报表 no pack reads
    "sh-putuo-wanli-2024-dept-budget.pdf": (B, D, SH, "linted", 2024),
    "sh-putuo-wanli-2025-dept-budget.pdf": (B, D, SH, "linted", 2025),
    "sh-putuo-govoffice-2025-dept-budget.pdf": (B, D, SH, "linted", 2025),
    "sh-putuo-govoffice-2025-unit-budget.pdf": (B, U, SH, "linted", 2025),
    "sh-putuo-commerce-2025-dept-budget.pdf": (B, D, SH, "linted", 2025),
    "sh-putuo-commerce-2025-unit-budget.pdf": (B, U, SH, "linted", 2025),
    "sh-putuo-justice-2026-dept-budget.pdf": (B, D, SH, "linted", 2026),
    "sh-putuo-justice-2026-unit-budget.pdf": (B, U, SH, "linted", 2026),
    "sh-putuo-2026-dept-budget-template-blank.xlsx": (B, D, SH, "linted", 2026),
    "sh-putuo-2026-unit-budget-template-blank.xlsx": (B, U, SH, "linted", 2026),
    # The justice workbooks are the district's review checklists of those filings: no
    # table of any form, yet about a 部门/单位预算 — linted as narrative, not rejected.
    "sh-putuo-justice-2026-dept-budget.xlsx": (B, D, None, "narrative", 2026),
    "sh-putuo-justice-2026-unit-budget.xlsx": (B, U, None, "narrative", 2026),
    "sh-putuo-finance-2024-final.pdf": (F, D, SH, "linted", 2024),
    "sh-2024-final-template-blank.pdf": (F, D, SH, "linted", 2024),
    "js-procuratorate-2017-budget.pdf": (B, D, JS, "linted", 2017),
    "js-procuratorate-2018-budget.pdf": (B, D, JS, "linted", 2018),
    "js-npc-2017-budget.pdf": (B, D, JS, "linted", 2017),
    "js-npc-2018-budget.pdf": (B, D, JS, "linted", 2018),
    # The -tables halves have no cover: the kind comes from their tables, the scope is
    # not printed (the -text half says 部门预算; the two read together as one filing).
    "js-partyoffice-2017-budget-tables.pdf": (B, None, JS, "linted", None),
    "js-partyoffice-2018-budget-tables.pdf": (B, D, JS, "linted", 2018),
    "js-cppcc-2017-budget-tables.pdf": (B, None, JS, "linted", None),
    "js-cppcc-2018-budget-tables.pdf": (B, None, JS, "linted", None),
    # The -text halves: narrative only, linted by the narrative rules.
    "js-partyoffice-2017-budget-text.pdf": (B, D, None, "narrative", 2017),
    "js-partyoffice-2018-budget-text.pdf": (B, D, None, "narrative", 2018),
    "js-cppcc-2017-budget-text.pdf": (B, D, None, "narrative", 2017),
    "js-cppcc-2018-budget-text.pdf": (B, D, None, "narrative", 2018),
}


def test_every_corpus_file_is_listed():
    present = {p.name for p in CORPUS.iterdir() if p.suffix.lower() in (".pdf", ".xlsx")}
    assert present == set(EXPECTED)


@pytest.fixture(scope="module")
def results(corpus_results):
    return corpus_results


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_kind_scope_region_and_status(results, name):
    kind, scope, region, status, year = EXPECTED[name]
    r = results(name)
    assert (r.kind, r.scope, r.region, r.status, r.report_year) == (kind, scope, region, status, year)
    # A template is always of the filing's kind; a narrative file has no table.
    if r.template:
        assert r.template.startswith(("shanghai", "jiangsu")) and (("final" in r.template) == (kind == F))
    if status == "narrative":
        assert r.tables == [] and r.template is None
    if status == "linted":
        assert r.unread == () and r.tables
    assert status == "partial" or not r.unread


def test_unread_tables_are_named_with_line_and_title(results):
    r = results("sh-putuo-wanli-2023-dept-budget.pdf")
    # Five 绩效目标填报表 printed over pages (how many blocks depends on how the reader
    # joins a table continued on the next page); no pack reads them.
    assert 1 <= len(r.unread) <= 5
    assert all("财政项目支出绩效目标填报表" in u and u.startswith("第 ") for u in r.unread)
    lines = [int(u.split()[1]) for u in r.unread]
    assert lines == sorted(lines)
    assert all(r.source_lines[n - 1].strip() for n in lines)


def test_a_split_filing_read_as_one_has_the_text_halfs_cover(results):
    """``-text`` and ``-tables`` read together: the cover gives the scope and year."""
    linter = Linter(LintOptions())
    joined = "+".join(str(CORPUS / f"js-cppcc-2018-budget-{p}.pdf") for p in ("text", "tables"))
    r = linter.lint_file(joined)
    assert (r.kind, r.scope, r.region, r.report_year) == (B, D, JS, 2018)
    assert r.template == "jiangsu-budget-2018" and len(r.tables) == 12
