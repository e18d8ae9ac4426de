"""Static checks: names are resolved against the templates' vocabulary and every
mistake is reported with file:line:col, a caret under the offending text and, where
possible, a suggestion."""

from __future__ import annotations

import re

import pytest

from lint.dsl import DslFunction, Vocabulary, compile_rules
from lint.dsl import evaluate as E
from lint.errors import PluginError, RuleFileError
from lint.model import Severity

from .conftest import language

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def err(vocab, body: str, header: str = "rule T001 x\n") -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        compile_rules(header + body, "rules.rules", vocab)
    return info.value


def errs(vocab, body: str, header: str = "rule T001 x\n") -> tuple[RuleFileError, RuleFileError]:
    """The error in Chinese (the default) and in English (``--lang en``): one language
    each, at the same place with the same caret excerpt."""
    zh = err(vocab, body, header)
    with language("en"):
        en = err(vocab, body, header)
    assert (en.path, en.line, en.col, en.context) == (zh.path, zh.line, zh.col, zh.context)
    assert set(CJK.findall(en.message)) <= set(header + body), en.message  # only what the rule file says
    return zh, en


def caret_col(e: RuleFileError) -> int:
    """1-based column of the caret (ASCII lines only)."""
    return e.context.splitlines()[1].index("^") + 1


def test_unknown_column_with_suggestion(vocab):
    e, en = errs(vocab, "  assert table03.basci == 1\n")
    assert str(e) == "rules.rules:2:18: 未知的列 'basci'（表 table03）；是否想写 'basic'？"
    assert str(en) == "rules.rules:2:18: unknown column 'basci' in table03; did you mean 'basic'?"
    assert en.render() == str(en) + "\n  assert table03.basci == 1\n                 ^~~~~"
    assert e.context == "  assert table03.basci == 1\n                 ^~~~~"
    assert caret_col(e) == e.col == 18
    assert (e.path, e.line) == ("rules.rules", 2)


def test_unknown_table(vocab):
    e, en = errs(vocab, "  assert table33.basic == 1\n")
    assert e.message == "未知的表 'table33'；是否想写 'table03'？"
    assert en.message == "unknown table 'table33'; did you mean 'table03'?"
    assert caret_col(e) == 10 and e.context.endswith("^~~~~~~")


def test_unknown_panel_column_in_two_sided_table(vocab):
    e, en = errs(vocab, "  assert table04.expense.genral_budget == 1\n")
    assert e.message == "未知的列 'genral_budget'（表 table04.expense）；是否想写 'general_budget'？"
    assert en.message == "unknown column 'genral_budget' in table04.expense; did you mean 'general_budget'?"
    assert caret_col(e) == 26


def test_unknown_panel(vocab):
    e, en = errs(vocab, "  assert table04.expens.total.total == 1\n")
    assert e.message == "未知的部分或行别名 'expens'（表 table04，可用部分 income、expense）；是否想写 'expense'？"
    assert en.message == ("unknown panel or row alias 'expens' in table04 (panels: income, expense); "
                          "did you mean 'expense'?")
    assert caret_col(e) == 18 and e.context.endswith("^~~~~~")


def test_unknown_report_field_and_column_followed_by_name(vocab):
    e, en = errs(vocab, "  assert report.yaer == 1\n")
    assert e.message == "report 没有 'yaer'（可用 year、unit）；是否想写 'year'？"
    assert en.message == "report has no 'yaer' (use year or unit); did you mean 'year'?"
    assert caret_col(e) == 17
    e, en = errs(vocab, "  assert table03.basic.total == 1\n")
    assert e.message.startswith("'basic' 是列，后面不能再接名称或 [ ]") and caret_col(e) == 18
    assert en.message.startswith("'basic' is a column, nothing can follow it; row aliases are ")


def test_unknown_row_alias(vocab):
    e, en = errs(vocab, "  assert table05.totl.basic == 1\n")
    assert e.message == "未知的行别名 'totl'（表 table05）；是否想写 'total'？"
    assert en.message == "unknown row alias 'totl' in table05; did you mean 'total'?"
    assert caret_col(e) == 18


def test_unknown_function(vocab):
    e, en = errs(vocab, "  assert summ(table03.total) == 1\n")
    assert e.message == "未知的函数 'summ'；是否想写 'sum'？"
    assert en.message == "unknown function 'summ'; did you mean 'sum'?"
    assert caret_col(e) == 10 and e.context.endswith("^~~~")


def test_unknown_row_attribute_or_column_in_loop(vocab):
    e, en = errs(vocab, "  for each row in table03:\n    assert row.basci == 1\n")
    assert e.message == "未知的列 'basci'（表 table03）；是否想写 'basic'？"
    assert en.message == "unknown column 'basci' in table03; did you mean 'basic'?"
    assert (e.line, e.col) == (3, 16)


def test_unknown_name_suggests_table(vocab):
    e, en = errs(vocab, "  for each row in table05:\n    assert row.basic <= tabel03[row.code].basic\n")
    assert e.message == "未知的名称 'tabel03'；是否想写 'table03'？"
    assert en.message == "unknown name 'tabel03'; did you mean 'table03'?"
    assert (e.line, e.col) == (3, 25)


def test_duplicate_code(vocab):
    e, en = errs(vocab, "  assert 1 == 1\nrule T001 y\n  assert 2 == 2\n")
    assert str(e) == "rules.rules:3:6: 规则代码 T001 重复（第 1 行已定义）"
    assert str(en) == "rules.rules:3:6: rule code T001 is already defined on line 1"
    assert e.context == "rule T001 y\n     ^~~~"


def test_unknown_field_and_severity(vocab):
    e, en = errs(vocab, "  sevrity: error\n  assert 1 == 1\n")
    assert e.message == "未知的字段 'sevrity'；是否想写 'severity'？"
    assert en.message == "unknown field 'sevrity'; did you mean 'severity'?"
    assert (e.line, e.col) == (2, 3)
    e, en = errs(vocab, "  severity: eror\n  assert 1 == 1\n")
    assert e.message == "未知的严重级别 'eror'（可用 error、warning、note）；是否想写 'error'？"
    assert en.message == "unknown severity 'eror' (use error, warning or note); did you mean 'error'?"
    assert (e.line, e.col) == (2, 13)


def test_field_given_twice(vocab):
    e, en = errs(vocab, '  summary: "a"\n  summary: "b"\n  assert 1 == 1\n')
    assert e.message == "字段 'summary' 重复" and e.line == 3
    assert en.message == "field 'summary' given twice"


def test_rule_without_assertion(vocab):
    e, en = errs(vocab, '  summary: "a"\n')
    assert (e.message, en.message) == ("规则 T001 没有任何断言", "rule T001 has no assertion")


def test_unknown_placeholder(vocab):
    e, en = errs(vocab, '  message: "{where}：{expcted}"\n  assert 1 == 1\n')
    assert e.message == "未知的占位符 '{expcted}'；是否想写 'expected'？"
    assert en.message == "unknown placeholder '{expcted}'; did you mean 'expected'?"
    assert e.col == 21
    assert caret_col(e) == 22  # '：' before it is two terminal columns wide
    assert e.context.endswith("^~~~~~~~~")


def test_placeholder_may_not_have_format_spec(vocab):
    e, en = errs(vocab, '  message: "{diff:>5}"\n  assert 1 == 1\n')
    assert e.message == "占位符 '{diff}' 只能是一个名称"
    assert en.message == "placeholder '{diff}' must be a plain name"


def test_loop_variable_placeholder_is_allowed(vocab):
    rules = compile_rules('rule T001 x\n  message: "{c} {row}"\n  for each column c in table03:\n'
                          '    for each row in table03: assert row[c] >= 0\n', "r.rules", vocab)
    assert rules[0].message == "{c} {row}"


def test_whole_row_where_number_needed(vocab):
    e, en = errs(vocab, "  assert table05.total == 1\n")
    assert e.message == "这是一整行（有 subtotal、basic、project 等多列），请指明列，如 …total.subtotal"
    assert en.message == ("this is a whole row with several columns (subtotal, basic, project); name one, "
                          "e.g. …total.subtotal")
    assert caret_col(e) == 10


def test_columns_of_two_tables_row_by_row(vocab):
    e, en = errs(vocab, "  assert table03.total == table05.subtotal\n")
    assert e.message.startswith("同一条断言里按行比较了不同的行集合（table03 与 table05）")
    assert en.message.startswith("one assertion compares whole columns of different row sets (table03 and table05)")
    assert caret_col(e) == 27


def test_ambiguous_name_in_two_sided_table(vocab):
    e, en = errs(vocab, "  assert table01.total == 1\n")
    assert e.message.startswith("'total' 在 table01 的多个部分（income、expense）中都有")
    assert en.message.startswith("'total' is in several panels of table01 (income, expense)")
    e, en = errs(vocab, '  assert table01["总计"].amount == 1\n')
    assert "table01.income[\"总计\"]" in e.message and en.message.endswith("write table01.income[\"总计\"]")
    e, en = errs(vocab, "  for each row in table01:\n    assert 1 == 1\n")
    assert e.message == "table01 有多个部分（income、expense），请指明，如 table01.income"
    assert en.message == "table01 has several panels (income, expense); name one, e.g. table01.income"


def test_bare_name_needs_a_single_table(vocab):
    e, en = errs(vocab, "  assert table03.basic == table05.total.basic + total\n")
    assert "指代不明" in e.message and "ambiguous" in en.message and "ambiguous" not in e.message
    e, en = errs(vocab, "  assert basic == 1\n")
    assert (e.message, en.message) == ("未知的名称 'basic'", "unknown name 'basic'")


def en(vocab, body: str) -> str:
    """The English message (after checking the Chinese one is Chinese only)."""
    zh, english = errs(vocab, body)
    assert CJK.search(zh.message) and not re.search(r"\b(not|must|takes|cannot)\b", zh.message), zh.message
    return english.message


def test_type_errors(vocab):
    assert err(vocab, '  assert 1 + "a" == 1\n').message == "这里需要数值，却是文字"
    assert en(vocab, '  assert 1 + "a" == 1\n') == "a number is needed here, not a text"
    assert en(vocab, "  assert table03.total\n") == (
        "an assertion must be a comparison or condition (such as a == b), not a whole column")
    assert err(vocab, "  assert table03.total\n").message == "断言应是比较或条件（如 a == b），这里是整列"
    assert en(vocab, '  assert "a" == 1\n') == "a text can only be compared with a text, not a number"
    assert en(vocab, "  assert count(children(table03)) == 1\n") == "children() takes a row, not a table"
    assert en(vocab, "  assert count(columns(1)) == 1\n") == "columns() takes a table, not a number"
    assert "pick a row before a column" in en(vocab, "  for each column c in table03:\n    assert table03[c] == 1\n")
    assert "cannot be used here" in en(vocab, "  for each row in table03 where table03.total > 0:\n"
                                              "    assert 1 == 1\n")
    assert en(vocab, "  assert 1 == 1 and 2\n") == (
        "each side of `and` must be a comparison or condition (such as a == b), not a number")


def test_arity_and_keywords(vocab):
    e, english = errs(vocab, "  assert round(1, 2, 3) == 1\n")
    assert (e.message, english.message) == ("函数 round 需要 1–2 个参数，这里给了 3 个", "round() takes 1–2 argument(s), 3 given")
    assert en(vocab, '  assert abs(1, kind="x") == 1\n') == "abs() takes no kind= argument"
    e, english = errs(vocab, '  for each c in claims(knd="share"):\n    assert 1 == 1\n')
    assert e.message.startswith("claims() 不接受 knd=") and e.message.endswith("；是否想写 'kind'？")
    assert english.message.startswith("claims() takes no knd= (use ") and english.message.endswith("did you mean 'kind'?")
    assert "only sum, count" in en(vocab, "  assert abs(r for each r in table03) == 1\n")


def test_loop_kind_words(vocab):
    e, english = errs(vocab, "  for each colum c in table03:\n    assert 1 == 1\n")
    assert (e.line, e.col) == (2, 12)
    assert e.message == "for each 之后应写 row、column 或 claim，却是 'colum'；是否想写 'column'？"
    assert english.message == "after `for each` write row, column or claim, not 'colum'; did you mean 'column'?"
    e, english = errs(vocab, "  for each row c in columns(table03):\n    assert 1 == 1\n")
    assert (e.message, english.message) == ("这里遍历的是列集合，不是 row", "this goes over a set of columns, not rows")
    assert "names a table" in en(vocab, "  for each table03 in table03:\n    assert 1 == 1\n")
    assert caret_col(err(vocab, "  for each table03 in table03:\n    assert 1 == 1\n")) == 12


# ----------------------------------------------------------------- resolution


def compiled_stmt(vocab, body: str):
    (rule,) = compile_rules("rule T001 x\n" + body, "r.rules", vocab)
    return rule.statements[0]


def test_resolution_column_row_alias_panel(vocab):
    # one name: a column, lifted to a per-row loop over the table's main panel
    s = compiled_stmt(vocab, "  assert table03.total >= 0\n")
    assert isinstance(s, E.ForStmt) and isinstance(s.gen.source, E.AllRows)
    assert s.gen.source.panel.table_id == "table03"
    cell = s.body[0].expr.left
    assert isinstance(cell, E.CellRef) and cell.column == "total"
    # row alias then column: a single cell, no loop
    s = compiled_stmt(vocab, "  assert table05.total.basic >= 0\n")
    assert isinstance(s, E.AssertStmt)
    left = s.expr.left
    assert isinstance(left.row, E.RowLookup) and left.row.alias == "total" and left.column == "basic"
    # the row alias of a single-column panel is a number
    s = compiled_stmt(vocab, "  assert table06.personnel >= 0\n")
    assert isinstance(s.expr.left, E.RowAsNum) and s.expr.left.row.alias == "personnel"
    # panel, row alias, column
    s = compiled_stmt(vocab, "  assert table04.expense.total.general_budget >= 0\n")
    assert s.expr.left.row.panel == "expense" and s.expr.left.column == "general_budget"
    # table03.total.total: row alias total, column total
    s = compiled_stmt(vocab, "  assert table03.total.total >= 0\n")
    assert s.expr.left.row.alias == "total" and s.expr.left.column == "total"


def test_resolution_row_by_code_and_label(vocab):
    s = compiled_stmt(vocab, '  assert table03["2010301"].basic >= 0\n')
    assert isinstance(s.expr.left.row.key, E.Const) and s.expr.left.row.key.value == "2010301"
    s = compiled_stmt(vocab, "  assert table03[2010301].basic >= 0\n")
    assert s.expr.left.row.key.value == "2010301"  # a code is a key, not an amount
    s = compiled_stmt(vocab, '  assert table01["本年收入合计"].amount >= 0\n')
    assert s.expr.left.row.panel is None  # searched in every panel
    s = compiled_stmt(vocab, '  assert table01.income["本年收入合计"].amount >= 0\n')
    assert s.expr.left.row.panel == "income"


def test_bare_name_is_a_column_of_the_only_table(vocab):
    s = compiled_stmt(vocab, "  table03.basic + table03.project == total\n")
    assert isinstance(s, E.ForStmt)
    right = s.body[0].expr.right
    assert isinstance(right, E.CellRef) and right.column == "total"


def test_bare_name_is_a_column_of_the_loop_row(vocab):
    s = compiled_stmt(vocab, "  for each row in table05:\n    assert subtotal == basic + project\n")
    left = s.body[0].expr.left
    assert isinstance(left, E.CellRef) and isinstance(left.row, E.Var) and left.row.name == "row"


def test_aggregate_of_whole_column(vocab):
    s = compiled_stmt(vocab, "  assert sum(table03.basic) >= table03.total.basic\n")
    agg = s.expr.left
    assert isinstance(agg, E.Aggregate) and agg.name == "sum"
    assert isinstance(agg.gen.source, E.AllRows) and isinstance(agg.body, E.CellRef)


def test_metadata_and_severity(vocab):
    text = ('rule T001 table.a\n  severity: note\n  summary: "摘要"\n  summary_en: "Summary"\n'
            "  assert table05.total.basic == table06.personnel + table06.public\n"
            "rule X002 table.b\n  assert 1 == 1\n")
    a, b = compile_rules(text, "dir/f.rules", vocab, pack="mine")
    assert a.meta.severity is Severity.NOTE and a.meta.summary == "摘要" and a.meta.summary_en == "Summary"
    assert a.meta.tables == ("table05", "table06") and a.meta.pack == "mine" and a.meta.origin == "dir/f.rules:1"
    assert b.meta.severity is Severity.ERROR and b.meta.summary == "1 == 1" and b.meta.origin == "dir/f.rules:6"
    assert b.meta.doc.startswith("1 == 1\n\n## What it does\n\n```rules\nrule X002 table.b\n  assert 1 == 1\n```")


def test_plugin_functions_are_checked_by_name_and_arity(library):
    double = DslFunction("double", 1, 1, lambda x: x * 2)
    vocab = Vocabulary.from_library(library, {"double": double})
    compile_rules("rule T001 x\n  assert double(table05.total.basic) >= 0\n", "r.rules", vocab)
    with pytest.raises(RuleFileError) as info:
        compile_rules("rule T001 x\n  assert doubel(1) >= 0\n", "r.rules", vocab)
    assert info.value.message == "未知的函数 'doubel'；是否想写 'double'？"
    with pytest.raises(RuleFileError) as info, language("en"):
        compile_rules("rule T001 x\n  assert double(1, 2) >= 0\n", "r.rules", vocab)
    assert info.value.message == "double() takes 1 argument(s), 2 given"


def test_plugin_function_may_not_shadow_a_builtin(library):
    with pytest.raises(PluginError, match="^DSL 函数 'sum' 与内置函数重名$"):
        Vocabulary.from_library(library, {"sum": DslFunction("sum", 1, 1, sum)})
    with language("en"), pytest.raises(PluginError, match="^DSL function 'sum' clashes with a built-in$"):
        Vocabulary.from_library(library, {"sum": DslFunction("sum", 1, 1, sum)})
    with pytest.raises(PluginError, match="不是 DslFunction"):
        Vocabulary.from_library(library, {"f": lambda x: x})
