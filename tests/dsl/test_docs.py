"""docs/dsl.md: every ```rules example compiles and runs; the error shown is real."""

from __future__ import annotations

import re

import pytest

from lint.dsl import compile_rules
from lint.errors import RuleFileError
from lint.model import Claim

from .conftest import REPO, full_filing, language

DOC = (REPO / "docs" / "dsl.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```rules\n(.*?)```", DOC, re.S)


def test_the_page_has_examples_for_every_construct():
    joined = "\n".join(EXAMPLES)
    for construct in ("severity:", "summary_en:", "message_en:", 'doc: """', "assert ", "for each row in",
                      "for each column c in", " where ", "within 0.05", "within 1%", " exact", "optional(",
                      "children(row)", "row.level", "exists(", "count(", "sum(", "max(", "abs(", "round(",
                      "claims(kind=", "percent fields sum to 100", '["2010301"]', '["本年收入合计"]',
                      "table04.expense.total.general_budget", "table06.personnel", " in (", "not ", " or ",
                      "100%", "(table02.total", "table03.basic + table03.project == total"):
        assert construct in joined, construct


@pytest.mark.parametrize("example", EXAMPLES, ids=[re.search(r"rule (\w+)", e).group(1) for e in EXAMPLES])
def test_example_compiles_and_runs(vocab, example):
    rules = compile_rules(example, "docs/dsl.md", vocab)
    assert rules
    filing = full_filing()
    share = filing.claim("基本支出 280.00 万元，占 67.4%", "share", {"amount": "280.00", "percent": "67.4%"},
                         subject="基本支出")
    parts = tuple(filing.claim(f"占 {p}", "share", {"percent": p}) for p in ("67.4%", "32.6%"))
    filing.claims += [share, Claim("parts", parts[0].span, "…", parts=parts)]
    ctx = filing.context()
    for r in rules:
        list(r.check(ctx))  # runs without error on a complete filing


def test_design_example_is_silent_on_a_consistent_filing(vocab):
    example = next(e for e in EXAMPLES if "example.design" in e)
    (r,) = compile_rules(example, "docs/dsl.md", vocab)
    assert list(r.check(full_filing().context())) == []
    broken = full_filing({("table03", "2010101", "basic"): "210.00"})
    (f,) = r.check(broken.context())
    assert f.location.label == "公开03表 2010101 本年支出合计"


def test_documented_error_messages_are_the_real_ones(vocab):
    shown = re.findall(r"    (my\.rules:3:18: .*)\n    (.*)\n    (.*)\n", DOC)
    assert len(shown) == 2  # the Chinese message (default), then the English one
    for lang, (message, line, caret) in zip(("zh", "en"), shown):
        text = "rule T001 x\n  summary: \"s\"\n" + line + "\n"
        with language(lang), pytest.raises(RuleFileError) as info:
            compile_rules(text, "my.rules", vocab)
        assert str(info.value) == message
        assert info.value.context == f"{line}\n{caret}"
