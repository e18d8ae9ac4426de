"""Nothing useful is rejected: every input is linted as far as it was understood, and
every input appears in the JSON and SARIF reports with its status and reason.

The made-up province (fixtures/madeup/haiyue-2024-final.txt) prints its tables under
titles no template knows, with its own numbering (表一, 表二) and column order; they
are read by their headers, linted with zero findings, and one injected error gives
exactly one finding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

ROOT = Path(__file__).resolve().parents[2]
MADEUP = ROOT / "fixtures" / "madeup" / "haiyue-2024-final.txt"
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def run(args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "lint", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def test_made_up_province_is_read_by_its_headers_with_zero_findings(linter):
    r = linter.lint_file(str(MADEUP))
    assert r.findings == []
    assert [t.split("@")[0] for t in r.tables] == ["table02", "table03"]
    assert (r.kind, r.scope, r.template, r.region) == ("final-accounts", "department", None, None)
    assert r.status == "partial" and "表样未识别" in r.status_reason and "按表头识别" in r.status_reason
    # 表三 (a table no template has) is reported as not read, at its first row.
    lines = MADEUP.read_text(encoding="utf-8").splitlines()
    asset_row = next(i for i, x in enumerate(lines, 1) if x.startswith("资产类别"))
    assert len(r.unread) == 1 and r.unread[0].startswith(f"第 {asset_row} 行起的表格")
    assert "国有资产占用情况表" in r.unread[0]


def test_made_up_province_columns_are_mapped_by_header_meaning(linter):
    from lint.readers.text import read_text_file
    from lint.recognize.tables import read_unclaimed

    doc = read_text_file(MADEUP)
    specs = {k: v for k, v in linter.library.all_table_specs().items() if k in ("table02", "table03", "table05")}
    tables, unread = read_unclaimed(doc, [], specs)
    income = next(t for t in tables if t.id == "table02").main
    # Printed order 财政拨款收入 | 事业收入 | 其他收入 | 本年收入合计, mapped by meaning.
    assert income.columns == ["fiscal", "business", "other", "total"]
    assert str(income.cell("2010301", "total").value) == "110.00"
    expense = next(t for t in tables if t.id == "table03").main
    # 经营支出 makes it the 支出决算表 and not the 一般公共预算财政拨款支出决算表 (which has no such column).
    assert expense.columns == ["basic", "project", "business", "total"]
    assert all("recognized-by-header" in n for t in tables for n in t.notes[-1:])


@pytest.mark.parametrize("row, col, new", [("2080505", 5, "21.00"), ("2010302", 3, "25.00")])
def test_made_up_province_one_injected_error_is_one_finding(tmp_path, linter, row, col, new):
    lines = MADEUP.read_text(encoding="utf-8").splitlines()
    # Inject into the second table (支出) when the row is printed twice.
    idx = [i for i, x in enumerate(lines) if x.split("\t")[0] == row][-1]
    cells = lines[idx].split("\t")
    cells[col] = new
    lines[idx] = "\t".join(cells)
    f = tmp_path / "injected.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = linter.lint_file(str(f))
    assert len(r.findings) == 1, [x.message.zh for x in r.findings]
    on = {r.findings[0].location.span.line, *(x.span.line for x in r.findings[0].related)}
    assert idx + 1 in on


def test_narrative_only_document_is_linted_not_rejected(tmp_path, linter):
    # A lone “三公” paragraph: no table, no cover, yet a fiscal text with claims.
    f = tmp_path / "三公.txt"
    f.write_text("2022年“三公”经费支出12.50万元，其中：因公出国（境）费0.00万元，公务用车购置及运行费"
                 "8.50万元，公务接待费4.00万元。\n", encoding="utf-8")
    r = linter.lint_file(str(f))
    assert r.status == "narrative" and r.tables == [] and r.template is None
    assert "只检查叙述" in r.status_reason


def test_unknown_template_filing_keeps_its_tables(tmp_path, linter):
    # A seed's tables under a cover naming no province's form: the template is still
    # found from the tables; with its regional signals removed it would be unknown.
    r = linter.lint_file(str(SEED0))
    assert r.status == "linted" and r.template == "hunan-2020" and r.region == "湖南"
    assert (r.kind, r.scope) == ("final-accounts", "department") and r.unread == ()


def test_every_input_in_json_and_sarif_with_status(tmp_path):
    bad = tmp_path / "note.txt"
    bad.write_text("hello, nothing fiscal here\n", encoding="utf-8")
    narrative = tmp_path / "narr.txt"
    narrative.write_text("某厅2019年度部门预算\n一、部门概况\n本部门负责全省某项工作。\n", encoding="utf-8")
    args = [str(bad), str(narrative), str(MADEUP)]
    p = run(["check", "--format", "json", *args])
    assert p.returncode == 2, p.stderr  # the non-filing is still an input error
    files = {Path(f["path"]).name: f for f in json.loads(p.stdout)["files"]}
    assert {n: files[n]["status"] for n in files} == {"note.txt": "rejected", "narr.txt": "narrative",
                                                    "haiyue-2024-final.txt": "partial"}
    assert "不是财政公开文件" in files["note.txt"]["reason"]
    assert files["narr.txt"]["kind"] == "budget" and files["narr.txt"]["scope"] == "department"
    assert len(files["haiyue-2024-final.txt"]["unread"]) == 1
    s = run(["check", "--format", "sarif", *args])
    assert s.returncode == 2
    sfiles = {Path(f["path"]).name: f for f in json.loads(s.stdout)["runs"][0]["properties"]["filinglint"]["files"]}
    assert {n: f["status"] for n, f in sfiles.items()} == {n: f["status"] for n, f in files.items()}
    assert sfiles["note.txt"]["reason"] == files["note.txt"]["reason"]
    lines = run(["check", "--format", "jsonl", *args]).stdout.splitlines()
    statuses = {Path(d["path"]).name: d["status"] for d in map(json.loads, lines) if d["type"] == "file"}
    assert statuses == {n: f["status"] for n, f in files.items()}


def test_a_file_that_is_not_a_filing_exits_2_with_one_line(tmp_path):
    f = tmp_path / "readme.txt"
    f.write_text("Installation notes\nRun make.\n", encoding="utf-8")
    p = run(["check", str(f)])
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "readme.txt" in p.stderr


def test_a_file_named_by_a_tool_notice_but_not_linted_is_listed_as_failed():
    from lint.model import ToolNotice
    from lint.report.records import rejected_records

    notices = [ToolNotice("检查超时", "", "a.pdf"), ToolNotice("规则出错", "T001", "b.txt"),
               ToolNotice("文件为空", "", "c.txt", kind="input"), ToolNotice("插件加载失败", "p")]
    assert [(r["path"], r["status"]) for r in rejected_records(notices, ["b.txt"])] == [
        ("a.pdf", "failed"), ("c.txt", "rejected")]
    # Without the list of linted files only input errors are known not to be linted.
    assert [(r["path"], r["status"]) for r in rejected_records(notices)] == [("c.txt", "rejected")]
