"""End to end on generated narratives: consistent text is silent; one wrong number in
one sentence is found there."""

from __future__ import annotations

import pytest

from lint.engine.linter import Linter, LintOptions

from synth import generator as g


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _lint(linter, filing, tmp_path):
    return linter.lint_file(str(g.write(filing, tmp_path / "n.txt")))


@pytest.mark.parametrize("seed", [1, 2, 6, 9])
@pytest.mark.parametrize("kind, code", [("share", "N001"), ("change", "N002"), ("completion", "N004")])
def test_one_wrong_percent_is_exactly_one_finding_there(linter, tmp_path, seed, kind, code):
    filing = g.generate(seed=seed, template="hunan-2020")
    assert _lint(linter, filing, tmp_path).findings == []
    claims = filing.claims_of(kind)
    with_percent = [i for i, c in enumerate(claims) if "percent" in c["values"]]
    index = with_percent[seed % len(with_percent)]
    # Five points off: clearly beyond what rounding of the stated amounts can explain
    # (a +1 step can be within rounding when an amount is written with one decimal).
    bad = g.inject_narrative(filing, kind, index=index, new_value=claims[index]["values"]["percent"] + 5)
    ch = bad.changes[-1]
    findings = _lint(linter, bad, tmp_path).findings
    assert [(f.code, f.location.span.line, f.location.span.col) for f in findings] == [(code, ch["line"], ch["col"])]


@pytest.mark.parametrize("subject", ["收、支总计", "政府采购支出总额"])
def test_wrong_amount_is_reported_at_that_amount(linter, tmp_path, subject):
    filing = g.generate(seed=1, template="hunan-2020")
    kind = "parts" if subject == "政府采购支出总额" else "amount"
    bad = g.inject_narrative(filing, kind, subject=subject)
    ch = bad.changes[-1]
    findings = _lint(linter, bad, tmp_path).findings
    assert findings, "the changed amount must be reported"
    assert all(f.code.startswith("N") for f in findings)
    # Everything reported stands in the sentence that was changed.
    assert {f.location.span.line for f in findings} == {ch["line"]}
    assert any(f.location.span.col == ch["col"] for f in findings)
