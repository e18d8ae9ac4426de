"""End to end on generated filings: consistent ones are silent, one injected error
gives exactly one finding, at the injected cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.engine.linter import Linter, LintOptions

from synth import generator as g


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _lint(linter, filing, tmp_path, name="f.txt", **kw):
    path = g.write(filing, tmp_path / name, **kw)
    return linter.lint_file(str(path))


def _describe(findings):
    return [(f.code, f.location.span.line, f.location.span.col, f.message.zh[:80]) for f in findings]


@pytest.mark.parametrize("template", ["hunan-2020", "hunan-2018"])
@pytest.mark.parametrize("seed", range(4))
def test_consistent_generated_filing_has_no_findings(linter, tmp_path, seed, template):
    filing = g.generate(seed=seed, template=template, performance=seed % 2 == 0)
    result = _lint(linter, filing, tmp_path)
    assert result.template == template
    assert result.findings == [], _describe(result.findings)


def _leaf_cells(filing, table_id):
    """Cells of 项-level rows (7-digit codes) with a non-zero value."""
    return sorted(k for k, v in filing.values.items()
                  if k[0] == table_id and len(k[1]) == 7 and k[1].isdigit() and v != 0)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), table=st.sampled_from(["table02", "table03", "table05"]),
       pick=st.integers(0, 50), delta=st.sampled_from(["1.00", "-0.50", "12.34", "0.03"]))
def test_one_injected_table_error_is_one_finding_at_that_cell(linter, tmp_path, seed, table, pick, delta):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=False)
    cells = _leaf_cells(filing, table)
    if not cells:
        return
    key = cells[pick % len(cells)]
    old = filing.values[key]
    bad = g.inject(filing, *key, old + Decimal(delta))
    result = _lint(linter, bad, tmp_path, name=f"inj{seed}.txt")
    line, col, end_col = bad.cells[key]
    assert len(result.findings) == 1, _describe(result.findings)
    [f] = result.findings
    assert (f.location.span.line, f.location.span.col, f.location.span.end_col) == (line, col, end_col)
    assert f.code.startswith(("T", "X"))
    if f.properties.get("merged") and f.expected is not None:
        # Row and column identities agree on the value the cell should hold: the original.
        assert Decimal(f.expected) == old and Decimal(f.actual) == old + Decimal(delta)


def test_difference_within_rounding_is_silent_and_one_cent_more_fires(linter, tmp_path):
    filing = g.generate(seed=3, template="hunan-2020", narrative=False)
    # A 项 row of table03: total = basic + project + ... (up to 6 two-decimal operands).
    key = next(k for k in _leaf_cells(filing, "table03") if k[2] == "total")
    row = key[1]
    parts = [k for k in filing.values if k[0] == "table03" and k[1] == row and k[2] != "total"]
    nonzero = [k for k in parts if filing.values[k] != 0]
    # rounding bound: half a cent per stated non-zero operand (zeros are exact)
    bound = Decimal("0.005") * (len(nonzero) + 1)
    within = (bound * 100).to_integral_value(rounding="ROUND_FLOOR") / 100
    ok = g.inject(filing, *key, filing.values[key] + within)
    findings = [f for f in _lint(linter, ok, tmp_path, "ok.txt").findings if f.location.span.line == ok.cells[key][0]]
    assert findings == [], _describe(findings)
    too_far = g.inject(filing, *key, filing.values[key] + within + Decimal("0.01"))
    findings = _lint(linter, too_far, tmp_path, "bad.txt").findings
    assert any(f.location.span.line == too_far.cells[key][0] for f in findings), _describe(findings)


@pytest.mark.parametrize("style, code", [("decimal-comma", "F001"), ("space-in-number", "F002"),
                                         ("fullwidth-digits", "F003")])
def test_misformatted_number_is_reported_but_value_still_read(linter, tmp_path, style, code):
    filing = g.generate(seed=5, template="hunan-2020", narrative=False)
    key = _leaf_cells(filing, "table03")[0]
    bad = g.misformat(filing, *key, style)
    result = _lint(linter, bad, tmp_path)
    assert [f.code for f in result.findings] == [code], _describe(result.findings)
    assert result.findings[0].location.span.line == bad.cells[key][0]


@pytest.mark.parametrize("encoding, newline, bom", [("gbk", "\n", False), ("utf-8", "\r\n", True),
                                                    ("gb18030", "\r\n", False)])
def test_encodings_and_line_endings_give_the_same_findings(linter, tmp_path, encoding, newline, bom):
    filing = g.generate(seed=7, template="hunan-2020", narrative=False)
    key = _leaf_cells(filing, "table05")[0]
    bad = g.inject(filing, *key, filing.values[key] + Decimal("3"))
    base = _lint(linter, bad, tmp_path, "u.txt")
    other = _lint(linter, bad, tmp_path, "o.txt", encoding=encoding, newline=newline, bom=bom)
    spans = lambda r: [(f.code, f.location.span) for f in r.findings]  # noqa: E731
    assert spans(base) == spans(other) and spans(base)
