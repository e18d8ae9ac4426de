"""Parsing: every construct of the language, the grammar's location, syntax errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from lint.dsl import ast, grammar_path
from lint.dsl.parser import get_parser, parse
from lint.errors import RuleFileError

from .conftest import REPO, language

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def one(body: str) -> ast.Node:
    """The single statement of a rule whose body is ``body``."""
    f = parse(f"rule T001 x\n  {body}\n")
    (stmt,) = f.rules[0].body
    return stmt


def expr(text: str) -> ast.Node:
    return one("assert " + text).expr


def test_grammar_file_is_in_the_checkout():
    assert grammar_path() == REPO / "grammar" / "assertions.lark"
    assert grammar_path().read_text(encoding="utf-8").startswith("//")


def test_grammar_beside_an_installed_package_wins(tmp_path, monkeypatch):
    import lint.dsl.parser as parser_module

    fake_pkg = tmp_path / "lint"
    (fake_pkg / "_grammar").mkdir(parents=True)
    (fake_pkg / "_grammar" / "assertions.lark").write_text("// bundled\n", encoding="utf-8")
    (fake_pkg / "dsl").mkdir()
    monkeypatch.setattr(parser_module, "__file__", str(fake_pkg / "dsl" / "parser.py"))
    assert parser_module.grammar_path() == fake_pkg / "_grammar" / "assertions.lark"


def test_parser_is_built_once():
    assert get_parser() is get_parser()


def test_rule_header_fields_and_end():
    text = '''# a comment line
rule T001 table.row-sum-mismatch   # trailing comment
  severity: warning
  summary: "支出决算表每行：\\"合计\\""
  summary_en: "Rows"
  doc: """
  ## What it does
    indented more
  """
  assert table03.total == table03.basic
end

rule X002 other
  assert 1 == 1
'''
    f = parse(text, "f.rules")
    assert [r.code for r in f.rules] == ["T001", "X002"]
    r = f.rules[0]
    assert r.name == "table.row-sum-mismatch"
    assert {fl.name: fl.value for fl in r.fields} == {
        "severity": "warning", "summary": '支出决算表每行："合计"', "summary_en": "Rows",
        "doc": "## What it does\n  indented more",
    }
    assert isinstance(r.body[0], ast.Assert) and r.body[0].explicit
    assert r.body[0].text == "table03.total == table03.basic"


def test_end_is_optional_and_crlf_and_bom_are_accepted():
    f = parse("\ufeffrule T001 a\r\n  assert 1 == 1\r\nrule T002 b\r\n  assert 2 == 2")
    assert [r.code for r in f.rules] == ["T001", "T002"]


def test_bare_comparison_is_an_assertion():
    s = one("table03.basic + table03.project == total")
    assert isinstance(s, ast.Assert) and not s.explicit
    assert s.expr == ast.Compare("==", ast.BinOp("+", ast.Attr(ast.Name("table03"), "basic"),
                                                  ast.Attr(ast.Name("table03"), "project")), ast.Name("total"))


@pytest.mark.parametrize("text,node", [
    ("1.50", ast.Number(Decimal("1.50"), "1.50")),
    ("100%", ast.Number(Decimal(1), "100%", percent=True)),
    ("39.3%", ast.Number(Decimal("0.393"), "39.3%", percent=True)),
    ('"2010301"', ast.String("2010301")),
    ("row", ast.Name("row")),
    ("table03.total", ast.Attr(ast.Name("table03"), "total")),
    ('table03["2010301"].basic', ast.Attr(ast.Index(ast.Name("table03"), ast.String("2010301")), "basic")),
    ("row[c]", ast.Index(ast.Name("row"), ast.Name("c"))),
    ("-a", ast.Unary("-", ast.Name("a"))),
    ("+a", ast.Unary("+", ast.Name("a"))),
    ("a - b * c / d", ast.BinOp("-", ast.Name("a"), ast.BinOp("/", ast.BinOp("*", ast.Name("b"), ast.Name("c")),
                                                              ast.Name("d")))),
    ("(a + b) * c", ast.BinOp("*", ast.BinOp("+", ast.Name("a"), ast.Name("b")), ast.Name("c"))),
    ("abs(a)", ast.Call("abs", (ast.Name("a"),))),
    ("max(a, b,)", ast.Call("max", (ast.Name("a"), ast.Name("b")))),
    ('claims(kind="share")', ast.Call("claims", (), (ast.Keyword("kind", ast.String("share")),))),
    ("sum(r.total for each r in table03 where r.level == 1)",
     ast.Call("sum", (ast.Attr(ast.Name("r"), "total"),), (),
              ast.Generator("r", None, ast.Name("table03"),
                            ast.Compare("==", ast.Attr(ast.Name("r"), "level"), ast.Number(Decimal(1), "1"))))),
    ("count(row r in t)", None),  # not valid: a generator needs `for each`
])
def test_expressions(text, node):
    if node is None:
        with pytest.raises(RuleFileError):
            expr(text)
        return
    assert expr(text + " == 0").left == node


@pytest.mark.parametrize("op,written", [("==", "=="), ("!=", "!="), ("<", "<"), ("<=", "<="), (">", ">"),
                                        (">=", ">="), ("<=", "≤"), (">=", "≥"), ("!=", "≠")])
def test_comparison_operators(op, written):
    assert expr(f"a {written} b").op == op


def test_tolerances():
    assert expr("a == b within 0.05").tolerance == ast.Tolerance(ast.Number(Decimal("0.05"), "0.05"))
    assert expr("a == b within 1%").tolerance == ast.Tolerance(ast.Number(Decimal("0.01"), "1%", percent=True))
    assert expr("a == b exact").tolerance == ast.Tolerance(None)
    assert expr("a == b").tolerance is None


def test_boolean_operators_and_membership():
    e = expr('not a == 1 or b == 2 and c in ("301", "303")')
    assert isinstance(e, ast.BoolOp) and e.op == "or"
    assert isinstance(e.left, ast.Not)
    assert e.right.op == "and"
    assert e.right.right == ast.Member(ast.Name("c"), ast.Tuple((ast.String("301"), ast.String("303"))))


def test_comparisons_do_not_chain():
    with pytest.raises(RuleFileError):
        expr("a == b == c")


def test_for_each_block_one_liner_and_nesting():
    text = """rule T001 x
  for each row in table05: assert row.subtotal <= table03[row.code].total
  for each column c in table03:
    for each row in table03 where exists(children(row)):
      assert row[c] == sum(children(row)[c])
    assert 1 == 1
"""
    f = parse(text)
    first, second = f.rules[0].body
    assert isinstance(first, ast.For) and first.var == "row" and first.kind is None
    assert len(first.body) == 1 and first.cond is None
    assert second.kind == "column" and second.var == "c" and second.source == ast.Name("table03")
    inner, tail = second.body
    assert inner.cond == ast.Call("exists", (ast.Call("children", (ast.Name("row"),)),))
    assert isinstance(tail, ast.Assert)


def test_claims_loop():
    s = one('for each claim in claims(kind="share"): assert claim.percent == claim.amount / claim.base')
    assert s.source == ast.Call("claims", (), (ast.Keyword("kind", ast.String("share")),))


def test_percent_fields_sum_to_100():
    s = one("percent fields sum to 100")
    assert s == ast.PercentsSum(ast.Number(Decimal(100), "100"))
    assert one("percent  fields sum  to 100%") == ast.PercentsSum(ast.Number(Decimal(1), "100%", percent=True))


def test_percent_is_still_a_name_elsewhere():
    assert expr("claim.percent == 1").left == ast.Attr(ast.Name("claim"), "percent")


def test_long_lines_wrap_in_parentheses_or_with_backslash():
    s = one("assert (a +\n      b) == c")
    assert s.text == "(a + b) == c"
    s = one("assert a + \\\n      b == c")
    assert s.expr.left == ast.BinOp("+", ast.Name("a"), ast.Name("b"))


def test_assert_text_excludes_comment():
    assert one("assert a == b   # because").text == "a == b"


def test_chinese_names_are_names():
    assert expr("支出 == 1").left == ast.Name("支出")


# ------------------------------------------------------------------ syntax errors


def error_of(text: str, lang: str = "zh") -> RuleFileError:
    with language(lang), pytest.raises(RuleFileError) as info:
        parse(text, "bad.rules")
    return info.value


def errors_of(text: str) -> tuple[RuleFileError, RuleFileError]:
    """The syntax error in Chinese (default) and English: same place and caret excerpt,
    one language each."""
    zh, en = error_of(text), error_of(text, "en")
    assert (en.line, en.col, en.context) == (zh.line, zh.col, zh.context)
    assert not CJK.search(en.message) and not re.search(r"syntax error|expected|found", zh.message)
    return zh, en


def test_syntax_error_names_expected_tokens_with_caret():
    e, en = errors_of("rule T001 x\n  assert table03.basic ==\n")
    assert str(e) == "bad.rules:2:26: 语法错误：此处应为 表达式，却是 行尾"
    assert str(en) == "bad.rules:2:26: syntax error: expected an expression, found end of line"
    assert e.context == "  assert table03.basic ==\n                         ^"
    assert en.render() == str(en) + "\n" + e.context


def test_single_equals_gets_a_hint():
    e, en = errors_of("rule T001 x\n  assert a = 1\n")
    assert (e.line, e.col) == (2, 12)
    assert e.message == "语法错误：比较是否相等要写 '=='，不是 '='"
    assert en.message == "syntax error: write '==' to compare, not '='"
    assert e.context.splitlines()[1] == " " * 11 + "^"


def test_bad_rule_code():
    e, en = errors_of("rule t001 x\n  assert 1 == 1\n")
    assert (e.line, e.col) == (1, 6)
    assert "规则代码" in e.message and "a rule code (1-3 capital letters" in en.message
    assert e.context.splitlines()[1] == "     ^~~~"


def test_missing_colon_after_for():
    e, en = errors_of("rule T001 x\n  for each row in table03\n    assert 1 == 1\n")
    assert e.message == "语法错误：此处应为 ':'、'where'，却是 行尾"
    assert en.message == "syntax error: expected ':' or 'where', found end of line"
    assert (e.line, e.col) == (2, 26)


def test_unclosed_parenthesis_points_at_it():
    e = error_of('rule T001 x\n  doc: """(unbalanced\n  """\n  assert (a == 1\n')
    assert (e.line, e.col) == (4, 10)
    assert e.message == "语法错误：括号 '(' 没有闭合"
    assert error_of('rule T001 x\n  assert (a == 1\n', "en").message == "syntax error: '(' is never closed"


def test_unexpected_character():
    e, en = errors_of("rule T001 x\n  assert 1 == 1 @\n")
    assert (e.line, e.col) == (2, 17)
    assert (e.message, en.message) == ("语法错误：无法识别的字符 '@'", "syntax error: unexpected character '@'")


def test_unexpected_indentation():
    e, en = errors_of("rule T001 x\n  assert 1 == 1\n    assert 2 == 2\n")
    assert (e.line, e.col) == (3, 5)
    assert e.message == "语法错误：多余的缩进，这一行不应比上一行缩进更多"
    assert en.message == ("syntax error: unexpected indentation; this line should not be indented more "
                          "than the one before")


def test_inconsistent_dedent():
    e, en = errors_of("rule T001 x\n    assert 1 == 1\n  assert 2 == 2\n")
    assert (e.line, e.col) == (3, 3)
    assert e.message == "缩进不一致：这一行的缩进与前面任何一层都对不上"
    assert en.message.startswith("inconsistent indentation: this line does not line up")


def test_caret_accounts_for_wide_characters():
    e = error_of('rule T001 x\n  summary: "支出" "x"\n')
    line, caret = e.context.splitlines()
    # '  summary: "支出" ' is 16 characters but 18 terminal columns wide
    assert e.col == 17
    assert caret == " " * 18 + "^~~"


def test_empty_file_has_no_rules():
    assert parse("# nothing here\n").rules == ()
    assert parse("").rules == ()


def test_rule_file_path_is_kept():
    assert parse("rule T001 a\n  assert 1 == 1\n", "x/y.rules").source == "x/y.rules"


def test_parse_accepts_path_like_names():
    f = parse("rule T001 a\n  assert 1 == 1\n", str(Path("a") / "b.rules"))
    assert f.rules[0].line == 1
