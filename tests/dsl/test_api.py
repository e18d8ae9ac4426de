"""The package's public entry points: compile_rules and load_rule_file."""

from __future__ import annotations

import pytest

from lint.dsl import CompiledRule, compile_rules, load_rule_file
from lint.errors import RuleFileError

from .conftest import full_filing, language


def test_load_rule_file(tmp_path, vocab):
    p = tmp_path / "mine.rules"
    p.write_text("rule T950 mine.check\n  assert table03.total.total >= 400\n", encoding="utf-8")
    (r,) = load_rule_file(p, vocab, pack="mine")
    assert isinstance(r, CompiledRule) and r.code == "T950"
    assert r.meta.origin == f"{p}:1" and r.meta.pack == "mine"
    assert list(r.check(full_filing().context())) == []


def test_load_rule_file_errors(tmp_path, vocab):
    with pytest.raises(RuleFileError) as info:
        load_rule_file(tmp_path / "missing.rules", vocab)
    assert info.value.path.endswith("missing.rules") and info.value.message.startswith("无法读取规则文件：")
    bad = tmp_path / "gbk.rules"
    bad.write_bytes("rule T001 x\n  summary: \"支出\"\n  assert 1 == 1\n".encode("gbk"))
    with pytest.raises(RuleFileError) as info:
        load_rule_file(bad, vocab)
    assert "UTF-8" in info.value.message
    syntax = tmp_path / "syntax.rules"
    syntax.write_text("rule T001 x\n  assert 1 ==\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(syntax, vocab)
    assert info.value.render().startswith(f"{syntax}:2:14: 语法错误")
    with language("en"), pytest.raises(RuleFileError) as info:
        load_rule_file(bad, vocab)
    assert info.value.message.startswith("rule file is not UTF-8: ")


def test_compile_rules_returns_rules_in_file_order(vocab):
    rules = compile_rules("rule T002 b\n  assert 1 == 1\nrule T001 a\n  assert 1 == 1\n", "x.rules", vocab)
    assert [r.code for r in rules] == ["T002", "T001"]
