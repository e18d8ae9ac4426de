"""Suppressions with reasons and baselines (lint/report/review.py), and how SARIF
shows suppressed findings and fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_helpers import FILING, RULES, findings_on, write_filing
from test_sarif_format import _validate

from lint.errors import UsageError
from lint.model import FileResult, RunResult
from lint.report import FormatOptions
from lint.report.formatters.json import format_json, format_jsonl
from lint.report.formatters.sarif import format_sarif
from lint.report.formatters.text import format_text
from lint.report.review import Review, Suppression, read_baseline, suppressions_from_config


def _result(path: Path, lines=FILING) -> FileResult:
    return FileResult(str(path), findings_on(str(path), lines), template="hunan-2020", source_lines=list(lines))


def test_a_suppression_takes_its_finding_out_of_text_and_json_but_sarif_keeps_it_justified(filing, tmp_path):
    fr = _result(filing)
    codes = sorted(f.code for f in fr.findings)
    sup = Suppression(rule="T001", reason="合计按上年口径列示，经财政局确认", match="合计/本年支出")
    review = Review([sup], cwd=str(tmp_path), config_dir=str(tmp_path))
    out = review.apply(fr)
    assert codes == ["H002", "T001", "T001"]
    assert sorted(f.code for f in out.findings) == ["H002", "T001"]  # the other T001 is not matched
    assert [s.finding.location.label for s in out.suppressed] == ["合计/本年支出"] and sup.used == 1
    options = FormatOptions(cwd=str(tmp_path))
    text = format_text(RunResult([out]), RULES, options)
    assert "本年支出合计应为" not in text and "行次列不连续" in text
    data = json.loads(format_json(RunResult([out]), RULES, options))
    records = data["findings"]
    assert [r["label"] for r in records if r["code"] == "T001"] == ["行次"]
    # JSON lists the suppressed finding apart, marked with its reason, outside the counts.
    (hidden,) = data["suppressed"]
    assert (hidden["code"], hidden["label"]) == ("T001", "合计/本年支出")
    assert hidden["suppressed"] == {"rule": "T001", "reason": "合计按上年口径列示，经财政局确认"}
    assert sum(data["summary"].values()) == len(records) == 2 and data["files"][0]["problems"] == 2
    lines = [json.loads(x) for x in format_jsonl(RunResult([out]), RULES, options).splitlines()]
    assert [x["type"] for x in lines] == ["finding", "finding", "suppressed", "file", "summary"]
    assert {k: v for k, v in lines[2].items() if k != "type"} == hidden
    log = json.loads(format_sarif(RunResult([out]), RULES, options))
    _validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == len(codes)  # suppressed ones are still there …
    sup_results = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in sup_results] == ["T001"]  # … and only they carry suppressions
    assert sup_results[0]["suppressions"] == [{"kind": "external", "status": "accepted",
                                               "justification": "合计按上年口径列示，经财政局确认"}]
    # one fingerprint per finding, the same in JSON (reported or suppressed) and SARIF
    assert sorted(r["fingerprint"] for r in [*records, hidden]) == sorted(
        r["partialFingerprints"]["filinglint/v1"] for r in results)


def test_suppression_matching_rule_prefix_file_glob_and_text(filing, tmp_path):
    fr = _result(filing)
    total = next(f for f in fr.findings if f.code == "T001")
    line = FILING[total.location.span.line - 1]
    assert Suppression("T", "r").matches(total, "决算.txt", line)
    assert not Suppression("N", "r").matches(total, "决算.txt", line)
    assert Suppression("T001", "r", file="*.txt").matches(total, "sub/决算.txt", line)
    assert Suppression("T001", "r", file="**/决算.txt").matches(total, "决算.txt", line)
    assert not Suppression("T001", "r", file="other/*.txt").matches(total, "sub/决算.txt", line)
    assert Suppression("T001", "r", match="相差 49.06").matches(total, "决算.txt", line)  # message
    assert Suppression("T001", "r", match="off by 49.06").matches(total, "决算.txt", line)  # English message
    assert Suppression("T001", "r", match="本年支出\t76.21").matches(total, "决算.txt", line)  # the line
    assert Suppression("T001", "r", match=f"{total.location.span.line}:{total.location.span.col}").matches(
        total, "决算.txt", line)  # the place
    assert not Suppression("T001", "r", match="2010399").matches(total, "决算.txt", line)


def test_unused_suppressions_are_listed(filing, tmp_path):
    used, unused = Suppression("T001", "理由一"), Suppression("X999", "理由二", index=1)
    review = Review([used, unused], cwd=str(tmp_path))
    review.apply(_result(filing))
    assert review.unused() == [unused]


def test_suppressions_need_a_reason():
    with pytest.raises(UsageError, match="reason"):
        suppressions_from_config([{"rule": "T001", "reason": "  "}], "pyproject.toml")
    assert suppressions_from_config([{"rule": "T001", "reason": "x", "file": "a/*.txt"}], "p")[0].file == "a/*.txt"


def test_baseline_hides_known_findings_and_shows_new_ones(filing, tmp_path):
    base = tmp_path / "baseline.json"
    writer = Review(write_baseline=str(base), cwd=str(tmp_path))
    first = writer.apply(_result(filing))
    writer.finish()
    assert len(first.findings) == 3  # writing a baseline still reports everything
    assert len(read_baseline(str(base))) == 3
    data = json.loads(base.read_text(encoding="utf-8"))
    assert data["format"] == "filinglint-baseline/2" and {e["code"] for e in data["findings"]} == {"T001", "H002"}

    # A line inserted above: every finding moves, none is new.
    edited = FILING[:1] + ["（单位：万元）"] + FILING[1:]
    write_filing(filing, edited)
    again = Review(baseline=str(base), cwd=str(tmp_path)).apply(_result(filing, edited))
    assert again.findings == []


def test_a_bad_baseline_file_is_a_usage_error(tmp_path):
    from lint import i18n

    with pytest.raises(UsageError, match="基线文件不存在"):
        read_baseline(str(tmp_path / "missing.json"))
    (tmp_path / "x.json").write_text('{"findings": []}', encoding="utf-8")
    with pytest.raises(UsageError, match="不是 filinglint 基线文件"):
        read_baseline(str(tmp_path / "x.json"))
    i18n.set_language("en")
    try:
        with pytest.raises(UsageError, match="^[^\u4e00-\u9fff]*not a filinglint baseline"):
            read_baseline(str(tmp_path / "x.json"))
    finally:
        i18n.set_language("zh")


def test_sarif_fix_replaces_the_cell_with_the_expected_value(filing, tmp_path):
    fr = _result(filing)
    log = json.loads(format_sarif(RunResult([fr]), RULES, FormatOptions(cwd=str(tmp_path))))
    _validate(log)
    total = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "T001" and r["level"] == "error")
    (fix,) = total["fixes"]
    (change,) = fix["artifactChanges"]
    (rep,) = change["replacements"]
    assert rep["insertedContent"]["text"] == "125.27"
    region = rep["deletedRegion"]
    line = FILING[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "76.21"
    assert change["artifactLocation"]["uri"] == total["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    # a finding without an expected value gets no fix
    assert all("fixes" not in r for r in log["runs"][0]["results"] if r["ruleId"] != "T001")
