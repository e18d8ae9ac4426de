"""Tables printed without ruling lines are read from alignment (``_borderless_tables``):
a generated budget rendered without rules reads as the same tables, the same template
and the same findings as the ruled rendering; prose is never turned into a table."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions
from lint.model import BlockKind
from lint.readers.pdf import read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import budget as synth_budget  # noqa: E402
from synth import generator as g  # noqa: E402
from synth import pdf as synth_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _ids(result) -> set[str]:
    return {str(t).split("@")[0] for t in result.tables}


def _rows(doc) -> list[str]:
    return [b.text for b in doc.blocks if b.kind is BlockKind.ROW]


@pytest.mark.parametrize("seed, layout", [(0, "jiangsu"), (1, "shanghai"), (2, "jiangsu")])
def test_a_budget_without_rules_is_the_same_template_and_tables(linter, tmp_path, seed, layout):
    text = "\n".join(synth_budget.generate(seed, layout).lines)
    ruled = linter.lint_file(str(synth_pdf.render(text, tmp_path / "ruled.pdf").path))
    bare_pdf = synth_pdf.render(text, tmp_path / "bare.pdf", ruled=False).path
    bare = linter.lint_file(str(bare_pdf))
    assert bare.template == ruled.template
    # Tables with rows of amounts are read; those with one row of amounts or none (无),
    # or whose header the page broke from a two-sided body, are left as prose — never
    # a false finding from them.
    assert len(_ids(bare)) >= 4, (_ids(ruled), _ids(bare))
    assert _ids(bare) <= _ids(ruled)
    assert ruled.findings == [] and bare.findings == [], [(f.code, f.message.zh[:60]) for f in bare.findings]
    # Every labelled table row of the ruled reading with two amounts or more is read the
    # same (a table of one row of bare amounts, as the 三公 table, is left as prose).
    doc_ruled, doc_bare = read_pdf(str(tmp_path / "ruled.pdf")), read_pdf(str(bare_pdf))
    norm = lambda t: t.rstrip("\t")  # noqa: E731
    amount = lambda c: c.replace(",", "").replace(".", "").isdigit() and "." in c  # noqa: E731
    body = [norm(r) for r in _rows(doc_ruled)
            if sum(map(amount, r.split("\t"))) >= 2 and not amount(r.split("\t")[0])]
    got = {norm(r) for r in _rows(doc_bare)}
    missing = [r for r in body if r not in got]
    assert len(missing) <= len(body) // 10, missing[:5]


@pytest.mark.parametrize("seed, layout", [(1, "jiangsu"), (2, "shanghai")])
def test_an_error_in_a_table_without_rules_is_found_at_its_cell(linter, tmp_path, seed, layout):
    budget = synth_budget.generate(seed, layout)
    leaf = next(k for k in sorted(budget.values) if len(k[1]) == 7 and budget.values[k] != 0)
    bad = synth_budget.inject(budget, *leaf, budget.values[leaf] + Decimal("1.00"))
    text = "\n".join(bad.lines)
    ruled = linter.lint_file(str(synth_pdf.render(text, tmp_path / "ruled.pdf").path))
    bare = linter.lint_file(str(synth_pdf.render(text, tmp_path / "bare.pdf", ruled=False).path))
    assert ruled.findings, "the ruled rendering reports the injected error"
    key = lambda f: (f.code, f.location.place.page, f.location.place.text)  # noqa: E731
    tables = lambda r: {t.split("@")[0] for t in r.tables}  # noqa: E731
    if tables(bare) == tables(ruled):
        assert sorted(map(key, bare.findings)) == sorted(map(key, ruled.findings))
    else:
        # An empty table (no row of amounts) printed without rules stays prose; a rule
        # that needs it does not run (optional() never counts a missing table as zeros),
        # so another identity reports the same wrong cell.
        assert tables(bare) < tables(ruled)
        ln, col, end = bad.cells[leaf]
        wrong = bad.lines[ln - 1][col - 1:end - 1]
        assert bare.findings and all(
            wrong in {loc.place.text for loc in (f.location, *f.related)} for f in bare.findings)
    for f in bare.findings:  # the reported box holds the cell's text on the page
        assert f.location.place.box[2] - f.location.place.box[0] > 10


@pytest.mark.parametrize("seed, template", [(0, "hunan-2020"), (1, "hunan-2018")])
def test_final_accounts_without_rules_give_no_false_findings(linter, tmp_path, seed, template):
    """The national 决算 forms (headers of several levels, 栏次 rows, three-panel tables)
    printed without rules: what is read as tables reads true, nothing false is found."""
    filing = g.generate(seed=seed, template=template)
    r = synth_pdf.render(filing.text, tmp_path / "bare.pdf", ruled=False)
    result = linter.lint_file(str(r.path))
    assert result.template == template
    assert len(_ids(result)) >= 4
    assert result.findings == [], [(f.code, f.message.zh[:60]) for f in result.findings]


def test_prose_with_numbers_is_never_a_table(tmp_path):
    """Paragraphs full of amounts, numbered items with amounts, and lines of figures
    that do not line up stay prose."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "prose.pdf"
    c = canvas.Canvas(str(path), pagesize=(synth_pdf.PAGE_W, synth_pdf.PAGE_H))
    c.setFont(synth_pdf.FONT, 10.5)
    y = synth_pdf.PAGE_H - 80
    lines = ["2024年收入预算1,986,987.00元，比上年增加120.50元，增长6.45%。",
             "一、基本支出1,042,564.00元，主要用于人员经费和公用经费。",
             "二、项目支出944,423.00元，主要用于专项业务。",
             "其中：人员经费683,460.00元  公用经费359,104.00元",
             "机关运行经费359,104.00元  “三公”经费14.01万元",
             "会议费2.50万元    培训费3.75万元    差旅费12.00万元"]
    for k, text in enumerate(lines):
        c.drawString(synth_pdf.LEFT + (k % 3) * 7, y, text)
        y -= 20
    # Figures in two columns, but with no header over them: a list, not a table.
    for k in range(4):
        c.drawString(synth_pdf.LEFT, y, f"第{k + 1}项")
        c.drawRightString(300, y, f"{1000 + 17 * k:,.2f}")
        c.drawRightString(450, y, f"{200 + 3 * k:,.2f}")
        y -= 20
    c.showPage()
    c.save()
    doc = read_pdf(str(path))
    assert not [b for b in doc.blocks if b.kind is BlockKind.ROW]
    assert any("1,042,564.00" in ln for ln in doc.lines)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus directory {CORPUS} absent")
def test_no_table_without_rules_is_read_in_the_corpus():
    """Every table in the corpus is ruled: none of its prose pages yields a table read
    from alignment (a false table would turn sentences into cells)."""
    from lint.readers import pdf as reader

    found = []
    original = reader._borderless_tables

    def spy(*args, **kw):
        tables, rest = original(*args, **kw)
        found.extend(tables)
        return tables, rest

    reader._borderless_tables = spy
    try:
        for path in sorted(CORPUS.glob("*.pdf")):
            read_pdf(str(path))
    finally:
        reader._borderless_tables = original
    assert found == []
