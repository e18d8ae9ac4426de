"""The design's literal examples, given as a --rules file, on a real seed."""

from __future__ import annotations

import json
from pathlib import Path

from lint.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"

DESIGN_RULE = '''
rule Z001 design.basic-plus-project
  severity: error
  summary: "基本支出 + 项目支出 = 本年支出合计"
  message: "{where}：应为 {expected}，实际为 {actual}"
  doc: """
  ## What it does
  The design's example.
  ## Why is this bad?
  Parts must add up.
  ## Example
  Any row.
  """
  assert table03.basic + table03.project == total
end
'''


def test_design_example_via_rules_option_reports_row_2010399(tmp_path):
    rules = tmp_path / "design.rules"
    rules.write_text(DESIGN_RULE, encoding="utf-8")
    out = tmp_path / "o.json"
    code = main(["check", "--rules", str(rules), "--select", "Z", "--format", "json", "-o", str(out), str(SEED0)])
    assert code == 1
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("Z001", 157)]
    cells = sorted([findings[0]["col"], *[r["col"] for r in findings[0]["related"]]])
    src = SEED0.read_text(encoding="utf-8").splitlines()[156]
    texts = sorted(src[c - 1:c - 1 + 5] for c in cells)
    assert texts == sorted(["76.21", "49.06", "76.21"])


def test_rule_file_syntax_error_is_reported_with_caret(tmp_path, capsys):
    rules = tmp_path / "broken.rules"
    rules.write_text(DESIGN_RULE.replace("== total", "== == total"), encoding="utf-8")
    assert main(["check", "--rules", str(rules), str(SEED0)]) == 2
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith(f"filinglint: {rules}:14:")
    assert "^" in err and "Traceback" not in err


def test_rules_check_reports_rules_that_can_never_apply(tmp_path, capsys):
    assert main(["rules", "--check"]) == 0
    capsys.readouterr()
