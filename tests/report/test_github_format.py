"""--format github: GitHub Actions workflow commands, escaped as GitHub documents."""

from __future__ import annotations

import re
from dataclasses import replace

from report_helpers import FILING, RULES, findings_on

from lint.model import FileResult, Location, Message, Place, RunResult, Span, ToolNotice
from lint.report import FormatOptions
from lint.report.formatters.github import escape_data, escape_property, format_github

# ::command key=value,key=value::message — values and message carry no raw CR/LF, and
# no raw ':' or ',' inside a value.
PROP = r"(?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*"
COMMAND = re.compile(rf"^::(error|warning|notice)(?: {PROP}(?:,{PROP})*)?::[^\r\n]*$")


def _unescape_property(v: str) -> str:
    return v.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND.match(line)
    assert m, line
    head, _, message = line[2:].partition("::")
    name, _, props = head.partition(" ")
    fields = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return name, {k: _unescape_property(v) for k, v in fields.items()}, _unescape_property(message)


def test_each_finding_is_one_command_with_its_place(filing, tmp_path):
    fr = FileResult(str(filing), findings_on(str(filing), FILING))
    out = format_github(RunResult([fr]), RULES, FormatOptions(cwd=str(tmp_path)))
    lines = out.splitlines()
    assert len(lines) == 3
    parsed = [_parse(line) for line in lines]
    # source order (lines 3, 5, 6); severities mapped: warning, error, note -> notice
    assert [name for name, _, _ in parsed] == ["warning", "error", "notice"]
    name, props, message = parsed[1]
    assert props["file"] == "决算.txt" and props["title"] == "T001 table.total-mismatch"
    line, col = int(props["line"]), int(props["col"])
    assert FILING[line - 1][col - 1:int(props["endColumn"]) - 1] == "76.21" and props["endLine"] == props["line"]
    assert message.startswith("本年支出合计应为 125.27") and message.endswith("应为: 125.27，实际: 76.21")
    en = format_github(RunResult([fr]), RULES, FormatOptions(cwd=str(tmp_path), lang="en"))
    assert _parse(en.splitlines()[1])[2].endswith("expected: 125.27, actual: 76.21")


def test_escaping_follows_the_documented_rules():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_hostile_text_cannot_break_out_of_the_command(filing, tmp_path):
    f = findings_on(str(filing), FILING)[0]
    hostile = str(tmp_path / "目录,a:b" / "f.txt")
    evil = replace(f, message=Message("第一行\n::error file=x::伪造, 50% 也:行", "x"), rule_name="a,b:c",
                   location=replace(f.location, path=hostile))
    out = format_github(RunResult([FileResult(hostile, [evil])]),
                        {}, FormatOptions(cwd=str(tmp_path)))
    (line,) = out.splitlines()  # the newline in the message did not start a second command
    name, props, message = _parse(line)
    assert props["file"] == "目录,a:b/f.txt" and props["title"] == "T001 a,b:c"
    assert message.startswith("第一行\n::error file=x::伪造, 50% 也:行")


def test_places_in_pdf_files_name_the_file_and_say_the_page(tmp_path):
    path = str(tmp_path / "决算.pdf")
    f = findings_on(path, FILING)[0]
    placed = replace(f, location=Location(path, f.location.span, "x", Place("pdf", 12, (1.0, 2.0, 3.0, 4.0))))
    (line,) = format_github(RunResult([FileResult(path, [placed])]), RULES,
                            FormatOptions(cwd=str(tmp_path))).splitlines()
    _, props, message = _parse(line)
    assert props == {"file": "决算.pdf", "title": "T001 table.total-mismatch"}
    assert message.startswith("第 12 页: ")


def test_notices_become_error_commands(tmp_path):
    out = format_github(RunResult([], [ToolNotice("文件为空", path=str(tmp_path / "a.txt"), kind="input", line=3)]),
                        RULES, FormatOptions(cwd=str(tmp_path)))
    name, props, message = _parse(out.strip())
    assert name == "error" and props["file"] == "a.txt" and props["line"] == "3" and message == "文件为空"
