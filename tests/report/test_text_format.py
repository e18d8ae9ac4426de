import random
import re

from report_helpers import FILING, RULES, findings_on, write_filing

from lint.model import FileResult, RunResult, ToolNotice
from lint.report import FormatOptions, format_text

EXPECTED_ZH = """\
决算.txt:3:4: 警告 T001 行次列不连续
  3 | 项目⇥行次⇥金额
    |      ^~~~

决算.txt:5:10: 错误 T001 本年支出合计应为 125.27，实际为 76.21（相差 49.06）
  5 | 合计⇥⇥本年支出⇥76.21
    |                ^~~~~
  = 应为: 125.27，实际: 76.21
  相关: 决算.txt:4:10 本年收入合计

决算.txt:6:1: 提示 H002 说明未注明金额单位
  6 | 注：本表反映部门本年度的总收支和年末结转结余情况。
    | ^~~~

共 3 个问题（错误 1，警告 1，提示 1）
"""

EXPECTED_EN = """\
决算.txt:3:4: warning T001 row numbers are not consecutive
  3 | 项目⇥行次⇥金额
    |      ^~~~

决算.txt:5:10: error T001 total expenditure should be 125.27, found 76.21 (off by 49.06)
  5 | 合计⇥⇥本年支出⇥76.21
    |                ^~~~~
  = expected: 125.27, actual: 76.21
  related: 决算.txt:4:10 本年收入合计

决算.txt:6:1: note H002 the note gives no unit
  6 | 注：本表反映部门本年度的总收支和年末结转结余情况。
    | ^~~~

3 problems (1 error, 1 warning, 1 note)
"""


def _relative_result(tmp_path, monkeypatch, **file_kwargs):
    monkeypatch.chdir(tmp_path)
    write_filing(tmp_path / "决算.txt")
    findings = findings_on("决算.txt", FILING)
    random.Random(7).shuffle(findings)  # the formatter, not the caller, fixes the order
    return RunResult([FileResult("决算.txt", findings, **file_kwargs)])


def test_zh_report_reads_source_from_disk(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    assert format_text(result, RULES, FormatOptions(lang="zh")) == EXPECTED_ZH


def test_en_report(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    assert format_text(result, RULES, FormatOptions(lang="en")) == EXPECTED_EN


def test_source_lines_on_the_result_win_over_the_file(tmp_path, monkeypatch):
    edited = list(FILING)
    edited[4] = edited[4].replace("合计", "总计")
    result = _relative_result(tmp_path, monkeypatch, source_lines=edited)
    out = format_text(result, RULES, FormatOptions())
    assert "  5 | 总计⇥⇥本年支出⇥76.21\n" in out


def test_unreadable_source_prints_findings_without_excerpt(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    (tmp_path / "决算.txt").unlink()
    out = format_text(result, RULES, FormatOptions())
    assert "决算.txt:5:10: 错误 T001 " in out
    assert " | " not in out


def test_show_source_off(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    out = format_text(result, RULES, FormatOptions(show_source=False))
    assert "^" not in out and "  = 应为: 125.27，实际: 76.21" in out


def test_gb18030_file_is_quoted_correctly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_filing(tmp_path / "gbk.txt", encoding="gb18030")
    result = RunResult([FileResult("gbk.txt", findings_on("gbk.txt", FILING))])
    assert "  5 | 合计⇥⇥本年支出⇥76.21\n" in format_text(result, RULES, FormatOptions())


def test_notices_and_summary(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    result.notices.append(ToolNotice("插件执行出错: ValueError", source="acme-pack", path="决算.txt"))
    zh = format_text(result, RULES, FormatOptions()).splitlines()
    assert zh[-3:] == ["filinglint: 工具错误: 决算.txt: 插件执行出错: ValueError [acme-pack]", "",
                       "共 3 个问题（错误 1，警告 1，提示 1）"]
    en = format_text(result, RULES, FormatOptions(lang="en")).splitlines()
    assert en[-3] == "filinglint: tool error: 决算.txt: 插件执行出错: ValueError [acme-pack]"


def test_empty_run_summary():
    assert format_text(RunResult([]), {}, FormatOptions()) == "共 0 个问题（错误 0，警告 0，提示 0）\n"
    assert format_text(RunResult([]), {}, FormatOptions(lang="en")) == "0 problems (0 errors, 0 warnings, 0 notes)\n"


def test_color_only_adds_escape_sequences(tmp_path, monkeypatch):
    result = _relative_result(tmp_path, monkeypatch)
    colored = format_text(result, RULES, FormatOptions(color=True))
    assert "\x1b[1;31m错误\x1b[0m" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == EXPECTED_ZH
