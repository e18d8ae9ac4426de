"""Long flat expressions compile and evaluate without deep recursion; nesting that is
really deep is a clear error at file:line:col; a constant zero divisor names its rule."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from lint import dsl
from lint.cli import main
from lint.dsl import ast
from lint.dsl.parser import parse
from lint.dsl.transformer import MAX_DEPTH
from lint.errors import RuleFileError

from .conftest import language

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _value(node) -> Decimal:
    if isinstance(node, ast.Number):
        return node.value
    if isinstance(node, ast.Unary):
        return -_value(node.operand) if node.op == "-" else _value(node.operand)
    a, b = _value(node.left), _value(node.right)
    return {"+": a + b, "-": a - b, "*": a * b}[node.op]


def _depth(node) -> int:
    if isinstance(node, ast.BinOp):
        return 1 + max(_depth(node.left), _depth(node.right))
    return 1


def _rule(expr: str, code: str = "Z001") -> str:
    return f'rule {code} test.deep\n  severity: error\n  summary: "x"\n  assert {expr}\nend\n'


@pytest.mark.parametrize("n", [3, 17, 600, 2000])
def test_long_flat_sum_parses_balanced_with_the_same_value(n, monkeypatch):
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    rng = random.Random(n)
    nums = [rng.randint(0, 99) for _ in range(n)]
    ops = [rng.choice("+-") for _ in range(n - 1)]
    text = str(nums[0]) + "".join(f" {o} {x}" for o, x in zip(ops, nums[1:]))
    expected = Decimal(nums[0])
    for o, x in zip(ops, nums[1:]):
        expected = expected + x if o == "+" else expected - x
    tree = parse(_rule(f"1 == {text}"), "deep.rules")
    cmp = tree.rules[0].body[0].expr
    assert _value(cmp.right) == expected
    assert _depth(cmp.right) <= n.bit_length() + 1
    # the balanced node still spans the whole written expression
    assert (cmp.right.line, cmp.right.column) == (4, len("  assert 1 == ") + 1)


@pytest.mark.parametrize("joiner", [" + ", " - ", " and "])
def test_600_term_rule_file_runs_on_a_filing(tmp_path, capsys, monkeypatch, joiner):
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    if joiner == " and ":
        expr = " and ".join(["table03.total >= 0"] * 600)
    else:
        expr = "table03.total == table03.total + 0" + "".join(f"{joiner}table03.basic * 0" for _ in range(600))
    expr += " and table03.total == sum(" + ", ".join(["table03.basic"] * 600) + ") / 600 * 0 + table03.total"
    rules = tmp_path / "deep.rules"
    rules.write_text(_rule(expr), encoding="utf-8")
    code = main(["check", "--no-entry-points", "--select", "Z", "--rules", str(rules), str(SEED0)])
    out, err = capsys.readouterr()
    assert "Recursion" not in out + err and "Traceback" not in err
    assert code == 0, out + err  # the identity holds on every row: no finding, no notice


def test_really_deep_nesting_is_an_error_at_its_place(tmp_path):
    text = _rule("table03.total == " + "- " * (MAX_DEPTH + 50) + "table03.basic")
    with pytest.raises(RuleFileError) as e:
        parse(text, "neg.rules")
    assert e.value.path == "neg.rules" and e.value.line == 4
    assert f"表达式嵌套过深（超过 {MAX_DEPTH} 层），请拆分" in str(e.value)
    with language("en"), pytest.raises(RuleFileError) as e:
        parse(text, "neg.rules")
    assert "expression too deep" in str(e.value) and e.value.line == 4


def test_division_by_constant_zero_names_the_rule(tmp_path, capsys):
    rules = tmp_path / "div.rules"
    rules.write_text(_rule("table03.total == table03.basic / (2 - 2)", "Z002"), encoding="utf-8")
    code = main(["check", "--no-entry-points", "--lang", "en", "--rules", str(rules), str(SEED0)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "rule Z002 divides by a constant zero" in err and f"{rules}:4:" in err and "常数" not in err
    assert main(["check", "--no-entry-points", "--rules", str(rules), str(SEED0)]) == 2
    _, err = capsys.readouterr()
    assert "规则 Z002 除以常数零" in err and "divides" not in err
