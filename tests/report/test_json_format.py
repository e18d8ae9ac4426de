import json

from report_helpers import RULES

from lint.model import RunResult, ToolNotice
from lint.report import FormatOptions, format_json, format_sarif
from lint.report.records import finding_from_record, ordered_findings


def test_json_round_trips_every_finding(result, tmp_path):
    out = format_json(result, RULES, FormatOptions(cwd=str(tmp_path)))
    data = json.loads(out)
    assert list(data) == ["tool", "version", "findings", "suppressed", "files", "notices", "unused_suppressions",
                          "summary"]
    assert data["suppressed"] == [] and data["unused_suppressions"] == []
    assert [finding_from_record(r) for r in data["findings"]] == ordered_findings(result)
    assert data["summary"] == {"error": 1, "warning": 1, "note": 1}


def test_json_is_readable_utf8_with_fixed_key_order(result, tmp_path):
    out = format_json(result, RULES, FormatOptions(cwd=str(tmp_path)))
    assert "本年支出合计应为 125.27" in out and "\\u" not in out
    first = json.loads(out)["findings"][0]
    assert list(first) == ["path", "line", "col", "end_line", "end_col", "code", "name", "severity", "message",
                           "message_zh", "message_en", "label", "expected", "actual", "related", "properties",
                           "fingerprint"]


def test_json_message_follows_lang(result, tmp_path):
    zh = json.loads(format_json(result, RULES, FormatOptions(lang="zh", cwd=str(tmp_path))))
    en = json.loads(format_json(result, RULES, FormatOptions(lang="en", cwd=str(tmp_path))))
    assert zh["findings"][1]["message"] == zh["findings"][1]["message_zh"]
    assert en["findings"][1]["message"] == en["findings"][1]["message_en"]


def test_json_files_are_sorted_and_notices_listed(result, tmp_path):
    result.notices.append(ToolNotice("规则 X001 运行出错", source="acme", path=None))
    data = json.loads(format_json(result, RULES, FormatOptions(cwd=str(tmp_path))))
    assert data["files"][0]["packs"] == ["core", "hunan"]
    assert data["files"][0]["tables"] == ["table01@2", "table03@3"]
    assert data["files"][0]["problems"] == 3
    assert data["notices"] == [{"message": "规则 X001 运行出错", "source": "acme", "path": None, "kind": "tool",
                                "line": None, "col": None}]


def test_json_fingerprints_match_sarif(result, tmp_path):
    options = FormatOptions(cwd=str(tmp_path))
    records = json.loads(format_json(result, RULES, options))["findings"]
    sarif = json.loads(format_sarif(result, RULES, options))
    assert [r["fingerprint"] for r in records] == [
        r["partialFingerprints"]["filinglint/v1"] for r in sarif["runs"][0]["results"]]


def test_json_is_deterministic(result, tmp_path):
    options = FormatOptions(cwd=str(tmp_path))
    again = RunResult([type(result.files[0])(**{**vars(result.files[0]),
                                               "findings": list(reversed(result.files[0].findings)),
                                               "packs": ["core", "hunan"]})])
    assert format_json(result, RULES, options) == format_json(again, RULES, options)
