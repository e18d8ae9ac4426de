"""The syntax tree keeps where each construct was written."""

from __future__ import annotations

import dataclasses

import pytest

from lint.dsl import ast
from lint.dsl.parser import parse, parse_tree
from lint.dsl.transformer import to_ast, unescape

TEXT = '''rule T001 table.row-sum-mismatch
  severity: error
  message: "{where}：应为 {expected}"
  assert table03.total == table03.basic + table03.project within 0.05
  for each column c in table03:
    for each row in table03 where exists(children(row)):
      assert row[c] == sum(children(row)[c])
end
'''


@pytest.fixture(scope="module")
def rule() -> ast.RuleDef:
    return parse(TEXT, "t.rules").rules[0]


def test_rule_position(rule):
    assert (rule.line, rule.column) == (1, 1)
    assert rule.code_column == 6
    assert rule.end_line == 8


def test_field_positions(rule):
    sev, msg = rule.fields
    assert (sev.line, sev.column, sev.value_line, sev.value_column) == (2, 3, 2, 13)
    assert (msg.value_line, msg.value_column) == (3, 12)
    assert msg.value == "{where}：应为 {expected}"


def test_assert_positions(rule):
    a = rule.body[0]
    assert (a.line, a.column) == (4, 3)
    cmp = a.expr
    assert (cmp.line, cmp.column) == (4, 10)
    left = cmp.left
    assert isinstance(left, ast.Attr)
    assert (left.line, left.column, left.end_column) == (4, 10, 23)
    assert (left.name_line, left.name_column) == (4, 18)
    plus = cmp.right
    assert (plus.column, plus.end_column) == (27, 58)
    assert cmp.tolerance.amount.text == "0.05"
    assert a.text == "table03.total == table03.basic + table03.project within 0.05"


def test_loop_positions(rule):
    outer = rule.body[1]
    assert (outer.line, outer.column) == (5, 3)
    assert (outer.var_line, outer.var_column, outer.kind_column) == (5, 19, 12)
    inner = outer.body[0]
    assert (inner.var_line, inner.var_column, inner.kind_column) == (6, 14, 0)
    assert inner.cond.line == 6 and inner.cond.column == 35
    stmt = inner.body[0]
    assert (stmt.line, stmt.column) == (7, 7)


def test_positions_do_not_affect_equality():
    a = parse("rule T001 a\n  assert x == 1\n").rules[0].body[0].expr
    b = parse("rule T001 a\n\n\n      assert   x ==   1\n").rules[0].body[0].expr
    assert a == b and hash(a) == hash(b)
    assert (a.line, a.column) != (b.line, b.column)


def test_nodes_are_frozen(rule):
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.code = "T999"


def test_walk_visits_in_source_order(rule):
    names = [n.id for n in ast.walk(rule.body) if isinstance(n, ast.Name)]
    assert names == ["table03", "table03", "table03", "table03", "table03", "row", "row", "c", "row", "c"]


def test_to_ast_from_raw_tree():
    tree = parse_tree("rule T001 a\n  assert 1 == 1\n")
    f = to_ast(tree, "rule T001 a\n  assert 1 == 1\n", "x.rules")
    assert f.rules[0].code == "T001" and f.source == "x.rules"


@pytest.mark.parametrize("raw,text", [
    ('"a\\"b"', 'a"b'), ('"a\\\\b"', "a\\b"), ('"line\\nbreak"', "line\nbreak"), ('"\\d"', "\\d"),
])
def test_string_escapes(raw, text):
    assert unescape(raw) == text
