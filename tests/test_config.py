"""The configuration is validated against a schema: wrong types, values and keys are a
one-line usage error naming the file and key (exit 2), never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lint.cli import main
from lint.config import SCHEMA, load_config, validate
from lint.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"

BAD = [
    ('fail-on = "fatal"', "fail-on", "must be one of error, warning, note"),
    ("lang = 3", "lang", "expected a string"),
    ('lang = "fr"', "lang", "must be one of zh, en"),
    ('severity = "x"', "severity", "expected a table"),
    ('[severity]\nT001 = "fatal"', "severity.T001", "must be one of"),
    ('[severity]\nT001 = 2', "severity", "expected a table"),
    ('[severity]\n"t 1" = "note"', "severity.t 1", "rule code or prefix"),
    ('select = "TX"', "select", "expected a list of strings"),
    ('select = ["T", 3]', "select", "expected a list of strings"),
    ('ignore = ["t001"]', "ignore", "rule code or prefix"),
    ('extend-select = 1', "extend-select", "expected a list"),
    ("format = 3", "format", "expected a string"),
    ("rules = 3", "rules", "expected a list"),
    ("plugins = [1]", "plugins", "expected a list"),
    ('template = ["a"]', "template", "expected a string"),
    ('encoding = "no-such-codec"', "encoding", "unknown encoding"),
    ("selct = []", "selct", "did you mean select?"),
    ('[[suppress]]\nrule = "T002"', "suppress[0].reason", "missing"),
    ('[[suppress]]\nrule = "T002"\nreason = "  "', "suppress[0].reason", "must not be empty"),
    ('[[suppress]]\nrule = "T002"\nreason = "x"\nwhy = 1', "suppress[0].why", "unknown key"),
    ('[[suppress]]\nrule = 5\nreason = "x"', "suppress[0].rule", "expected a string"),
    ('suppress = "T002"', "suppress", "array of tables"),
]


@pytest.mark.parametrize("body, key, needle", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_config_is_one_line_usage_error_naming_file_and_key(tmp_path, capsys, monkeypatch, body, key, needle):
    cfg = tmp_path / "filinglint.toml"
    cfg.write_text("# settings\n" + body + "\n", encoding="utf-8")
    shutil.copy(SEED0, tmp_path / "f.txt")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--lang", "en", "--no-entry-points", "f.txt"])
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(cfg) in lines[0] and f"config key {key}:" in lines[0] and needle in lines[0]
    assert "Traceback" not in err and out == ""
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in lines[0].replace(str(cfg), ""))  # English only


@pytest.mark.parametrize("body, key, needle", [
    ('fail-on = "fatal"', "fail-on", "应为 error, warning, note 之一，实际为 'fatal'"),
    ("lang = 3", "lang", "应为字符串，实际为 int 3"),
    ("selct = []", "selct", "是否想写 select？"),
    ('[[suppress]]\nrule = "T002"', "suppress[0].reason", "缺少必填项"),
])
def test_config_errors_are_chinese_by_default(tmp_path, capsys, monkeypatch, body, key, needle):
    (tmp_path / "filinglint.toml").write_text(body + "\n", encoding="utf-8")
    shutil.copy(SEED0, tmp_path / "f.txt")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-entry-points", "f.txt"])
    err = capsys.readouterr().err
    assert code == 2 and f"配置项 {key}：" in err and needle in err and "config key" not in err


def test_error_names_the_line_of_the_key(tmp_path):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.ruff]\nselect = ["E"]\nlang = 3\n\n[tool.filinglint]\nselect = ["T"]\nlang = "fr"\n',
                   encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_config(str(cfg))
    assert e.value.line == 7 and "lang" in str(e.value)


def test_a_string_is_never_iterated_per_character(tmp_path):
    with pytest.raises(UsageError, match="select"):
        validate({"select": "TX"}, "x.toml")
    # where a single value is natural it becomes a one-item list
    assert validate({"plugins": "my_pack", "pack": "hunan"}, "x.toml") == {"plugins": ["my_pack"], "pack": ["hunan"]}


def test_valid_config_passes_unchanged():
    good = {"select": ["T", "X001"], "ignore": ["H003"], "extend-select": ["ALL"], "fail-on": "error",
            "lang": "en", "format": "sarif", "severity": {"N002": "note"}, "encoding": "gbk",
            "suppress": [{"rule": "T002", "file": "*.txt", "match": "2010399", "reason": "copied from the budget"}]}
    assert validate(dict(good), "x.toml") == good


def test_suppress_schema_is_there_for_the_report_to_use():
    s = SCHEMA["suppress"]
    assert s.kind == "tables" and set(s.fields) == {"rule", "file", "match", "reason"}
    assert set(s.required) == {"rule", "reason"}


@pytest.mark.parametrize("args, needle", [
    (["--select", "ZZZ"], "'ZZZ'"),
    (["--ignore", "T0011"], "是否想找 T011"),
    (["--extend-select", "Q"], "'Q'"),
    (["--severity", "X9=note"], "'X9'"),
])
def test_unknown_selector_on_command_line_is_usage_error(capsys, args, needle):
    code = main(["check", "--no-entry-points", *args, str(SEED0)])
    _, err = capsys.readouterr()
    assert code == 2 and "未知的规则代码或前缀" in err and needle in err


def test_unknown_selector_in_config_is_usage_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "filinglint.toml").write_text('select = ["T", "TX"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-entry-points", str(SEED0)])
    _, err = capsys.readouterr()
    assert code == 2 and "'TX'" in err and "未知的规则代码或前缀" in err
    assert str(tmp_path / "filinglint.toml") in err  # says where the bad selector was written


def test_known_prefixes_and_all_still_select(capsys):
    code = main(["check", "--no-entry-points", "--select", "ALL", "--ignore", "N,P,H", "--extend-select", "T00",
                 str(SEED0)])
    out, err = capsys.readouterr()
    assert code == 1 and " T002 " in out and " N00" not in out and err == ""
