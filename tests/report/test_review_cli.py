"""The review workflow through the command line: --write-baseline / --baseline and
[[tool.filinglint.suppress]] from the config."""

from __future__ import annotations

import json
from pathlib import Path

from test_sarif_format import _validate

from lint.cli import main

SEED0 = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _codes(path: Path) -> list[tuple[str, int]]:
    return [(r["code"], r["line"]) for r in json.loads(path.read_text(encoding="utf-8"))["findings"]]


def test_baseline_then_a_paragraph_above_and_one_changed_cell_gives_exactly_the_one_new_finding(tmp_path, capsys):
    filing = tmp_path / "决算.txt"
    lines = SEED0.read_text(encoding="utf-8").splitlines()
    filing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base, first = tmp_path / "baseline.json", tmp_path / "first.json"
    assert main(["check", str(filing), "--write-baseline", str(base), "--format", "json", "-o", str(first)]) == 1
    before = _codes(first)
    assert len(before) >= 10
    assert len(json.loads(base.read_text(encoding="utf-8"))["findings"]) == len(before)

    # Unchanged filing against its own baseline: nothing to report, exit 0.
    again = tmp_path / "again.json"
    capsys.readouterr()
    assert main(["check", str(filing), "--baseline", str(base), "--format", "json", "-o", str(again)]) == 0
    assert _codes(again) == []
    assert f"基线中已有的 {len(before)} 个问题未报告" in capsys.readouterr().err

    # A paragraph inserted at the top (every line moves down 2) and one cell changed.
    row = next(i for i, line in enumerate(lines) if line.startswith("2299901\t") and "\t0.00\t" in line)
    fields = lines[row].split("\t")
    fields[3] = "0.20"  # 财政拨款收入 of a row whose total says 0.19
    lines[row] = "\t".join(fields)
    edited = ["本报告由部门编制，数据为决算数。", ""] + lines
    filing.write_text("\n".join(edited) + "\n", encoding="utf-8")
    everything, new = tmp_path / "all.json", tmp_path / "new.json"
    main(["check", str(filing), "--format", "json", "-o", str(everything)])
    assert len(_codes(everything)) == len(before) + 1  # all old findings still there, moved
    assert main(["check", str(filing), "--baseline", str(base), "--format", "json", "-o", str(new)]) == 1
    assert _codes(new) == [("T001", row + 3)]


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("""
[tool.filinglint]
lang = "zh"

[[tool.filinglint.suppress]]
rule = "T002"
file = "*.txt"
match = "2010399"
reason = "该行按财政局口径填列，已书面确认"

[[tool.filinglint.suppress]]
rule = "H"
match = "这段文字不在任何问题里"
reason = "旧的抑制"
""", encoding="utf-8")
    return cfg


def test_suppressed_finding_absent_from_text_present_in_sarif_and_unused_ones_reported(tmp_path, capsys):
    filing = tmp_path / "决算.txt"
    filing.write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    cfg = _config(tmp_path)
    (tmp_path / "plain.toml").write_text('lang = "zh"\n', encoding="utf-8")
    everything, kept = tmp_path / "all.json", tmp_path / "kept.json"
    main(["check", str(filing), "--config", str(tmp_path / "plain.toml"), "--format", "json", "-o", str(everything)])
    main(["check", str(filing), "--config", str(cfg), "--format", "json", "-o", str(kept)])
    codes = [c for c, _ in _codes(everything)]
    assert codes.count("T002") == 1
    assert [c for c, _ in _codes(kept)] == [c for c in codes if c != "T002"]  # only that one is gone
    capsys.readouterr()
    assert main(["check", str(filing), "--config", str(cfg)]) == 1
    out, err = capsys.readouterr()
    assert " T002 " not in out and f"共 {len(codes) - 1} 个问题" in out
    assert "suppress[1]" in err and "未使用的抑制" in err and "suppress[0]" not in err

    sarif = tmp_path / "report.sarif"
    main(["check", str(filing), "--config", str(cfg), "--format", "sarif", "-o", str(sarif)])
    log = json.loads(sarif.read_text(encoding="utf-8"))
    _validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["T002"]
    assert suppressed[0]["suppressions"][0]["justification"] == "该行按财政局口径填列，已书面确认"
    assert any("fixes" in r for r in log["runs"][0]["results"])  # and fixes validate too


def test_machine_formats_list_suppressed_findings_and_unused_suppressions(tmp_path, capsys):
    filing = tmp_path / "决算.txt"
    filing.write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    cfg = _config(tmp_path)
    report, lines, sarif = tmp_path / "r.json", tmp_path / "r.jsonl", tmp_path / "r.sarif"
    assert main(["check", str(filing), "--config", str(cfg), "--format", "json", "-o", str(report)]) == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    (hidden,) = data["suppressed"]
    assert hidden["code"] == "T002" and "2010399" in hidden["label"]
    assert hidden["suppressed"] == {"rule": "T002", "reason": "该行按财政局口径填列，已书面确认"}
    assert "T002" not in [r["code"] for r in data["findings"]]
    assert sum(data["summary"].values()) == len(data["findings"]) == data["files"][0]["problems"]
    (unused,) = data["unused_suppressions"]
    assert {k: unused[k] for k in ("config", "index", "rule", "match", "reason")} == {
        "config": str(cfg), "index": 1, "rule": "H", "match": "这段文字不在任何问题里", "reason": "旧的抑制"}
    assert "未使用的抑制 suppress[1]" in unused["message"]

    # A suppression that matches everything leaves nothing to fail on: exit 0, the finding kept apart.
    only = tmp_path / "only.toml"
    only.write_text('[[suppress]]\nrule = "ALL"\nreason = "全部已确认"\n', encoding="utf-8")
    assert main(["check", str(filing), "--config", str(only), "--format", "jsonl", "-o", str(lines)]) == 0
    records = [json.loads(x) for x in lines.read_text(encoding="utf-8").splitlines()]
    kinds = [r["type"] for r in records]
    assert "finding" not in kinds and kinds.count("suppressed") == len(data["findings"]) + 1
    assert records[-1]["type"] == "summary" and records[-1]["error"] == records[-1]["warning"] == 0

    capsys.readouterr()
    assert main(["check", str(filing), "--config", str(cfg), "--format", "sarif", "--lang", "en",
                 "-o", str(sarif)]) == 1
    log = json.loads(sarif.read_text(encoding="utf-8"))
    _validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True and "toolExecutionNotifications" not in invocation
    (note,) = invocation["toolConfigurationNotifications"]
    assert note.get("level", "warning") == "warning"  # SARIF's default level for a notification
    assert note["properties"]["kind"] == "unused-suppression"
    assert note["properties"]["index"] == 1 and note["properties"]["reason"] == "旧的抑制"
    assert "unused suppression suppress[1]" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("pyproject.toml")
    assert "unused suppression suppress[1]" in capsys.readouterr().err  # still said on stderr too

    # GitHub Actions: a warning annotation on the config file.
    assert main(["check", str(filing), "--config", str(cfg), "--format", "github"]) == 1
    (warning,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("::warning file=") and "suppress[" in x]
    assert warning.startswith(f"::warning file={cfg},title=filinglint 未使用的抑制::")
    assert "未使用的抑制 suppress[1]" in warning


def test_without_the_suppression_the_finding_is_reported(tmp_path, capsys):
    filing = tmp_path / "决算.txt"
    filing.write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.filinglint]\nlang = "zh"\n', encoding="utf-8")
    main(["check", str(filing), "--config", str(tmp_path / "pyproject.toml")])
    out, err = capsys.readouterr()
    assert " T002 " in out and "未使用的抑制" not in err


def test_a_suppression_without_reason_is_a_config_error(tmp_path, capsys):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[[tool.filinglint.suppress]]\nrule = "T002"\n', encoding="utf-8")
    assert main(["check", str(SEED0), "--config", str(cfg)]) == 2
    assert "reason" in capsys.readouterr().err


def test_a_baseline_works_from_another_working_directory(tmp_path, monkeypatch, capsys):
    """Paths in a baseline are relative to its own directory: written from one working
    directory, it hides the same findings when the run starts somewhere else (another
    directory, another relative path to the filing, the checkout moved)."""
    project = tmp_path / "project"
    (project / "reports").mkdir(parents=True)
    filing = project / "reports" / "决算.txt"
    filing.write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "ci").mkdir()
    monkeypatch.chdir(project)
    report = tmp_path / "first.json"
    assert main(["check", "reports/决算.txt", "--write-baseline", "ci/known.json", "--format", "json",
                 "-o", str(report)]) == 1
    count = len(_codes(report))
    recorded = json.loads((project / "ci" / "known.json").read_text(encoding="utf-8"))
    assert recorded["format"] == "filinglint-baseline/2" and len(recorded["findings"]) == count >= 10
    assert {e["path"] for e in recorded["findings"]} == {"../reports/决算.txt"}  # relative to ci/

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["check", "../project/reports/决算.txt", "--baseline", "../project/ci/known.json"]) == 0
    assert f"基线中已有的 {count} 个问题未报告" in capsys.readouterr().err

    # The whole project moved: the baseline travels with the filings.
    moved = tmp_path / "moved"
    project.rename(moved)
    monkeypatch.chdir(moved / "reports")
    assert main(["check", "决算.txt", "--baseline", str(moved / "ci" / "known.json")]) == 0

    # A new finding is still new from anywhere.
    moved_filing = moved / "reports" / "决算.txt"
    text = moved_filing.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(text) if line.startswith("2299901\t") and "\t0.00\t" in line)
    fields = text[row].split("\t")
    fields[3] = "0.20"
    text[row] = "\t".join(fields)
    moved_filing.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "new.json"
    assert main(["check", "决算.txt", "--baseline", "../ci/known.json", "--format", "json", "-o", str(out)]) == 1
    assert _codes(out) == [("T001", row + 1)]


def test_an_old_baseline_with_working_directory_paths_is_still_read(tmp_path, monkeypatch, capsys):
    filing = tmp_path / "决算.txt"
    filing.write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # Written in the working directory, /1 and /2 fingerprints are the same values: a /1
    # file is this one with its old format name.
    main(["check", "决算.txt", "--write-baseline", "known.json"])
    data = json.loads((tmp_path / "known.json").read_text(encoding="utf-8"))
    data["format"] = "filinglint-baseline/1"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "old.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    # /1 paths are relative to the working directory, wherever the file itself is.
    assert main(["check", "决算.txt", "--baseline", "sub/old.json"]) == 0
    assert f"基线中已有的 {len(data['findings'])} 个问题未报告" in capsys.readouterr().err
