"""The shipped rule files: they load against the real templates, stay silent on a
consistent filing, and each rule fires on the inconsistency it is about."""

from __future__ import annotations

import re
import time

import pytest

from lint.dsl import Vocabulary, load_rule_file
from lint.engine.rules import RuleContext, TableSet
from lint.readers.text import read_text_file
from lint.recognize.tables import recognize_tables

from .conftest import REPO, full_filing, load_library

RULE_FILES = sorted((REPO / "rules").glob("**/*.rules"))


def run_rules(rules, filing):
    ctx = filing.context()
    return [f for r in rules for f in r.check(ctx)]


def test_rule_files_exist_and_load(vocab):
    assert {p.name for p in RULE_FILES} >= {"tables.rules", "crosstable.rules"}
    for path in RULE_FILES:
        rules = load_rule_file(path, vocab, pack="core")
        assert rules, path
        for r in rules:
            assert r.meta.origin.startswith(str(path) + ":")
            # table rules name the tables they read; narrative rules read claims only
            assert bool(r.meta.tables) != (path.name == "narrative.rules"), r.meta.code


def test_rule_codes_follow_prefixes(core_rules):
    codes = [r.meta.code for r in core_rules]
    assert len(codes) == len(set(codes))
    for r in core_rules:
        source = r.meta.origin.split(":")[0]
        prefix = "T" if source.endswith("tables.rules") else "N" if source.endswith("narrative.rules") else "X"
        assert re.fullmatch(prefix + r"\d{3}", r.meta.code)


def test_rule_docs_are_complete(core_rules):
    for r in core_rules:
        m = r.meta
        assert m.summary and m.summary_en, m.code
        assert re.search(r"[\u4e00-\u9fff]", m.summary), m.code  # zh summary
        doc = m.doc
        assert doc.index("## What it does") < doc.index("## Why is this bad?") < doc.index("## Example"), m.code
        assert r.message and r.message_en, m.code


def test_compiling_all_rule_files_is_fast(vocab):
    load_rule_file(RULE_FILES[0], vocab)  # the grammar is built once per process
    t0 = time.perf_counter()
    for path in RULE_FILES:
        load_rule_file(path, vocab)
    elapsed_ms = (time.perf_counter() - t0) * 1000
    assert elapsed_ms < 2000


def test_consistent_filing_is_silent(core_rules):
    assert run_rules(core_rules, full_filing()) == []


def test_rules_missing_tables_do_not_fire(core_rules):
    f = full_filing()
    f.tables = [t for t in f.tables if t.id in ("table03",)]
    assert run_rules(core_rules, f) == []


# (overrides, dropped rows) -> the code that must fire, and the cell it points at
BREAKS = [
    ("T001", {("table02", "2010102", "total"): "71.00"}, (), ("table02", "2010102", "total")),
    ("T002", {("table03", "2010102", "basic"): "200.00"}, (), ("table03", "2010102", "total")),
    ("T003", {("table05", "2010101", "subtotal"): "221.00"}, (), ("table05", "2010101", "subtotal")),
    ("T004", {("table08", "2120801", "subtotal"): "31.00"}, (), ("table08", "2120801", "subtotal")),
    ("T005", {("table08", "合计", "carry_out"): "5.00"}, (), ("table08", "合计", "carry_out")),
    ("T006", {("table09", "合计", "subtotal"): "10.00", ("table09", "合计", "basic"): "2.00",
              ("table09", "合计", "project"): "9.00"}, (), ("table09", "合计", "subtotal")),
    ("T010", {("table03", "20101", "project"): "90.00"}, (), ("table03", "20101", "project")),
    ("T011", {("table03", "合计", "basic"): "290.00"}, (), ("table03", "合计", "basic")),
    ("T020", {("table01", "八、其他收入", "amount"): "6.50"}, (), ("table01", "本年收入合计", "amount")),
    ("T021", {("table01", "一、一般公共服务支出", "amount"): "310.00"}, (), ("table01", "本年支出合计", "amount")),
    ("T022", {("table01", "年初结转和结余", "amount"): "25.00"}, (), ("table01", "总计", "amount")),
    ("T023", {("table01", "expense/总计", "amount"): "466.50"}, (), ("table01", "总计", "amount")),
    ("T030", {("table04", "年初财政拨款结转和结余", "amount"): "16.00"}, (), ("table04", "总计", "amount")),
    ("T031", {("table04", "三、城乡社区支出", "gov_fund"): "31.00"}, (), ("table04", "本年支出合计", "gov_fund")),
    ("T032", {("table04", "总计", "total"): "446.00"}, (), ("table04", "总计", "amount")),
    ("T033", {("table04", "二、社会保障和就业支出", "total"): "81.00"}, (),
     ("table04", "二、社会保障和就业支出", "total")),
    ("T040", {("table06", "30101", "amount"): "121.00"}, (), ("table06", "301", "amount")),
    ("T041", {("table06", "人员经费合计", "amount"): "221.00"}, (), ("table06", "人员经费合计", "amount")),
    ("T050", {("table07", "决算数", "reception"): "6.00"}, (), ("table07", "决算数", "total")),
    ("X001", {("table02", "合计", "total"): "446.50"}, (), ("table01", "本年收入合计", "amount")),
    ("X002", {("table01", "本年支出合计", "amount"): "416.50"}, (), ("table01", "本年支出合计", "amount")),
    ("X003", {("table02", "合计", "business"): "11.00"}, (), ("table02", "合计", "business")),
    ("X004", {("table04", "一、一般公共预算财政拨款", "amount"): "401.00"}, (),
     ("table04", "一、一般公共预算财政拨款", "amount")),
    ("X005", {("table05", "合计", "subtotal"): "381.00"}, (), ("table04", "本年支出合计", "general_budget")),
    ("X006", {("table08", "合计", "income"): "31.00"}, (), ("table04", "二、政府性基金预算财政拨款", "amount")),
    ("X007", {("table06", "公用经费合计", "amount"): "61.00"}, (), ("table05", "合计", "basic")),
    ("X008", {("table06", "30217", "amount"): "6.00"}, (), ("table06", "30217", "amount")),
    ("X009", {("table03", "2010102", "project"): "70.00", ("table03", "2010102", "total"): "70.00"}, (),
     ("table05", "2010102", "subtotal")),
    ("X010", {}, (("table03", "2010102"),), ("table05", "2010102", None)),
]


def _cell_span(filing, table_id, row, column):
    t = next(t for t in filing.tables if t.id == table_id)
    for p in t.panels.values():
        for r in p.rows:
            if row in (r.code, r.label, r.key):
                if column is None:
                    return r.line
                c = p.cell(r.key, column if column in p.columns else p.columns[0])
                return c.span
    raise KeyError(row)


@pytest.mark.parametrize("code,overrides,drop,where", BREAKS, ids=[b[0] for b in BREAKS])
def test_each_rule_fires_on_its_inconsistency(core_rules, code, overrides, drop, where):
    filing = full_filing(overrides, drop)
    findings = run_rules(core_rules, filing)
    mine = [f for f in findings if f.code == code]
    assert mine, f"{code} did not fire; got {[f.code for f in findings]}"
    target = _cell_span(filing, *where)
    if where[2] is None:
        assert any(f.location.span.line == target for f in mine)
    else:
        assert any(f.location.span == target for f in mine), [f.location for f in mine]
    for f in mine:
        assert f.message.zh and f.message.en and "{" not in f.message.zh + f.message.en
        assert f.location.path == "filing.txt"


def test_every_shipped_rule_has_a_breaking_case(core_rules):
    assert {r.meta.code for r in core_rules} == {b[0] for b in BREAKS}


def test_rounding_differences_stay_silent(core_rules):
    # 200.00 + 20.00 printed as a total one cent off, and the 07 budget row written
    # with integers and one decimal: all explainable by rounding.
    overrides = {
        ("table06", "人员经费合计", "amount"): "220.01",
        ("table07", "预算数", "total"): "40",
        ("table07", "预算数", "car_subtotal"): "30.0",
        ("table07", "预算数", "car_operation"): "30",
        ("table07", "预算数", "reception"): "10.0",
    }
    findings = run_rules(core_rules, full_filing(overrides))
    assert findings == []


def test_one_cent_beyond_rounding_fires(core_rules):
    # personnel = 301 + 303: three printed numbers allow 0.015; 0.02 is too much.
    findings = run_rules(core_rules, full_filing({("table06", "人员经费合计", "amount"): "220.02"}))
    assert {f.code for f in findings} == {"T041", "X007"}
    t041 = next(f for f in findings if f.code == "T041")
    assert t041.properties["tolerance"] == "0.015"
    assert t041.properties["within_rounding"] is False
    assert t041.expected == "220.00" and t041.actual == "220.02"


def test_empty_table_gives_no_findings(core_rules):
    blank = {("table08", row, col): "" for row in ("合计", "212", "21208", "2120801")
             for col in ("carry_in", "income", "subtotal", "basic", "project", "carry_out")}
    alone = full_filing(blank)
    alone.tables = [t for t in alone.tables if t.id == "table08"]
    assert run_rules(core_rules, alone) == []
    # Beside the other tables, the missing government funds are reported where they
    # are stated (04), never at the empty table's blank cells.
    blank[("table04", "二、政府性基金预算财政拨款", "amount")] = "0.00"
    findings = run_rules(core_rules, full_filing(blank))
    assert {f.code for f in findings} == {"T030", "X006"}
    assert all(not f.location.label.startswith("公开08表") for f in findings)


# --------------------------------------------------------------- real filings


@pytest.fixture(scope="module")
def seed_run():
    lib = load_library()
    vocab = Vocabulary.from_library(lib)
    rules = [r for p in RULE_FILES for r in load_rule_file(p, vocab, pack="core")]

    def _run(name: str, template: str):
        doc = read_text_file(str(REPO / "fixtures/seeds" / name))
        tpl = lib.get(template)
        tables = recognize_tables(doc, tpl.tables, tpl.numbering)
        ctx = RuleContext(doc, TableSet(tables))
        return [f for r in rules for f in r.check(ctx)]

    return _run


def test_seed_000_duplicated_basic_expenditure(seed_run):
    findings = seed_run("000_98add52c02d21372.txt", "hunan-2020")
    row = [f for f in findings if f.code == "T002"]
    assert len(row) == 1
    f = row[0]
    assert f.location.span.line == 157
    assert f.location.label == "公开03表 2010399 本年支出合计"
    assert f.expected == "125.27" and f.actual == "76.21"
    assert f.message.zh.startswith("公开03表 2010399（其他政府办公厅（室）及相关机构事务支出）：")
    labels = [loc.label for loc in f.related]
    assert labels[:2] == ["公开03表 2010399 基本支出", "公开03表 2010399 项目支出"]
    assert all(loc.span.line == 157 for loc in f.related)
    # The same duplicated 49.06 breaks the 款 20103 = Σ 项 identity on 基本支出.
    assert {(g.code, g.location.span.line) for g in findings} == {("T002", 157), ("T010", 155)}


def test_seed_with_integers_and_rounding_has_no_false_alarm(seed_run):
    # A 2018 filing printing `0` and `20.1` next to two-decimal numbers, whose totals
    # differ from their parts by a cent (608.72 + 19.44 printed as 628.15).  The one
    # finding is a real one: 301 is printed 9.02 below the sum of its items.
    findings = seed_run("003_24af73ecf2cd4e14.txt", "hunan-2018")
    assert [(f.code, f.location.span.line) for f in findings] == [("T040", 269)]


def test_second_2020_seed_is_consistent(seed_run):
    assert seed_run("002_97ec0fee91833ab7.txt", "hunan-2020") == []
