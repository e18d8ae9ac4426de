"""Issue 11 on generated filings: a consistent filing is silent; one injected error of
each new kind gives exactly that finding, at that place."""

from __future__ import annotations

import re

import pytest

from lint.engine.linter import Linter, LintOptions

from synth import generator as g


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _lint(linter, filing, tmp_path, name="f.txt"):
    return [(f.code, f.location.span.line, f.location.span.col)
            for f in linter.lint_file(str(g.write(filing, tmp_path / name))).findings if f.severity.value != "note"]


def _find(filing, pattern: str, group: int = 0):
    """The first narrative match of ``pattern``: (line, col, end_col) of ``group``."""
    for i, line in enumerate(filing.lines, 1):
        m = re.search(pattern, line)
        if m and "\t" not in line:
            return i, m.start(group) + 1, m.end(group) + 1
    raise AssertionError(f"no line matches {pattern!r}")


@pytest.mark.parametrize("seed", [1, 2, 6])
def test_generated_filings_are_silent(linter, tmp_path, seed):
    assert _lint(linter, g.generate(seed=seed, template="hunan-2020"), tmp_path) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_direction_word_flipped_is_n010_there(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020")
    line, col, end = _find(filing, r"决算数(小于|大于)", 1)
    word = filing.at((line, col, end))
    bad, _ = g._replace(filing, (line, col, end), "大于" if word == "小于" else "小于")
    assert _lint(linter, bad, tmp_path) == [("N010", line, col)]


def test_percent_sign_dropped_is_f010_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"(?:增长|下降)(\d+(?:\.\d+)?)%", 1)
    bad, _ = g._replace(filing, (line, end, end + 1), "")
    assert _lint(linter, bad, tmp_path) == [("F010", line, col)]


def test_year_cut_short_is_f011_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"(\d{4})年度收、支总计", 1)
    bad, _ = g._replace(filing, (line, col, end), filing.at((line, col, end))[:3])
    assert _lint(linter, bad, tmp_path) == [("F011", line, col)]


def test_closing_quote_lost_is_f012_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"“三公(”)经费")
    close = (line, end - 3, end - 2)  # the ” of “三公”经费
    assert filing.at(close) == "”"
    bad, _ = g._replace(filing, close, "")
    found = _lint(linter, bad, tmp_path)
    assert [c for c, _, _ in found] == ["F012"] and found[0][1] == line


def test_full_stop_doubled_is_f013_there(linter, tmp_path):
    filing = g.generate(seed=2, template="hunan-2020")
    line, col, end = _find(filing, r"万元(。)", 1)
    bad, _ = g._replace(filing, (line, col, end), "。。")
    assert _lint(linter, bad, tmp_path) == [("F013", line, col)]


def test_rate_on_the_adjusted_budget_is_n011_there(linter, tmp_path):
    """One error of substance: the rate called 年初 is taken on a 全年预算 the text also states."""
    filing = g.generate(seed=1, template="hunan-2020")
    c = next(c for c in filing.claims_of("completion") if c["values"]["actual"] != c["values"]["budget"])
    line = c["line"]
    actual = filing.at(c["spans"]["actual"])
    pl, pc, pe = c["spans"]["percent"]
    bad, _ = g._replace(filing, (pl, pc, pe), "100.0")  # the rate on a 全年预算 equal to the actual
    bl, bc, be = c["spans"]["budget"]
    bad, _ = g._replace(bad, (bl, be + 2, be + 2), f"，全年预算为{actual}万元")
    found = _lint(linter, bad, tmp_path)
    assert [(code, ln) for code, ln, _ in found] == [("N011", line)]
