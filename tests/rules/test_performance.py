"""The 绩效自评表 reader and the performance checks (P001…), on small texts and seeds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lint.engine.rules import RuleContext, TableSet
from lint.model import Document, Span
from lint.readers.text import read_text_file, split_blocks
from lint.rules.performance import checks
from lint.rules.performance.narrative import grade_statements, paragraphs, project_claims
from lint.rules.performance.tables import NATIONAL_BANDS, parse_bands, read_performance_tables

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def run(rule, document: Document):
    ctx = RuleContext(document=document, tables=TableSet([]), report_year=2020)
    return list(rule().check(ctx))


# A 项目支出绩效自评表 in the tab layout, with placeholders for the numbers a test varies.
PROJECT = """2020 年度项目支出绩效自评表

部门名称\t\t示例局\t\t\t\t\t\t
项目支出名称\t专项名称\t\t平台建设经费\t\t项目总投资（万元）\t\t{budget}\t
年度项目资金（万元）\t年度资金总额\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分（分值×执行率）
\t合计\t\t0\t{budget}\t{executed}\t10\t{rate}\t{rate_score}
\t其中：当年财政拨款\t\t0\t{part}\t\t\t\t
\t上年结转资金\t\t0\t0\t\t\t\t
年度总体目标\t预期目标\t\t\t\t实际完成情况\t\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
\t产出指标（50 分）\t数量指标\t模块数\t6 个\t6 个\t{w1}\t{s1}\t
\t\t质量指标\t完成任务\t100%\t100%\t20\t20\t
\t\t时效指标\t完成时限\t2020 年底\t2020 年底\t10\t10\t
\t效益指标（30 分）\t社会效益指标\t服务企业\t到位\t到位\t30\t28\t
\t满意度指标（10 分）\t服务对象满意度指标\t满意度\t95%\t95%\t10\t9\t
总分\t\t\t\t\t\t100\t{total}\t等级：{grade}

备注：1.“执行率”=“全年执行数”/“全年预算数”；
2.总分设置为100分，等级划分为：90分（含）—100分为优，80分（含）—90分为良，60分（含）—80分为中，60分以下为差。
"""

GOOD = dict(budget="10.00", executed="6.80", rate="68%", rate_score="6.8", part="10.00", w1="20", s1="18",
            total="91.8", grade="优")


def project(**changes) -> Document:
    return doc(PROJECT.format(**{**GOOD, **changes}))


def codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.location.span.line) for f in findings]


# --------------------------------------------------------------------------- reader


def test_reader_tab_layout():
    (t,) = read_performance_tables(project())
    assert (t.kind, t.layout, t.department.text, t.project.text) == ("project", "tab", "示例局", "平台建设经费")
    assert t.fund("budget").value == Decimal("10.00") and t.fund("executed").value == Decimal("6.80")
    assert t.fund("rate").amount.percent and t.fund("rate").value == 68
    assert [s.name for s in t.sections] == ["产出指标", "效益指标", "满意度指标"]
    assert [s.cap.value for s in t.sections] == [50, 30, 10]
    assert [i.weight.value for i in t.indicators()] == [20, 20, 10, 30, 10]
    assert (t.total_weight.value, t.total_score.value, t.grade.text) == (100, Decimal("91.8"), "优")
    assert t.bands is not None and t.bands.band_for(Decimal(90)).grade == "优"
    # Spans point at the printed cells.
    line = t.grade.span.line
    assert t.grade.span.col == len("总分\t\t\t\t\t\t100\t91.8\t等级：") + 1 and line == 16


def test_reader_cell_layout_with_merged_cells():
    text = "\n".join([
        "\t项目绩效目标完成情况表", "(2020年度)", "",
        "\t项目名称", "\t午餐补助", "",
        "\t预算执行情况(万元)", "\t预算数:", "\t67.18万元", "\t执行数:", "\t60.00万元", "",
        "\t", "\t其中-财政拨款:", "\t67.18万元", "\t其中-财政拨款:", "\t60.00万元", "",
        "\t绩效指标完成情况", "\t一级指标", "\t二级指标", "\t三级指标", "\t预期指标值", "\t实际完成指标值", "",
        "\t", "\t项目完成指标", "\t成本指标", "\t严格预算执行", "\t2020年预算90万元，追减22.82万元", "\t2020年支付60万元",
    ])
    (t,) = read_performance_tables(doc(text))
    assert (t.kind, t.layout, t.project.text) == ("completion", "cell", "午餐补助")
    assert t.fund("budget").value == Decimal("67.18") and t.fund("executed").value == Decimal("60.00")
    assert [(r.label, r.get("executed").value) for r in t.funds] == [("合计", Decimal("60.00")), ("财政拨款", Decimal("60.00"))]
    (ind,) = t.indicators()
    assert (ind.section, ind.category, ind.name) == ("项目完成指标", "成本指标", "严格预算执行")
    assert [(s.role, s.amount.value, s.column, s.whole) for s in t.statements] == [
        ("budget", Decimal("90"), "target", True), ("adjust_down", Decimal("22.82"), "target", False),
        ("executed", Decimal("60"), "actual", True)]


def test_attachment_list_lines_are_not_tables():
    d = doc("附件：1、2020 年度部门整体支出绩效自评表\n2、2020 年度项目支出绩效自评表\n正文。")
    assert read_performance_tables(d) == []


@pytest.mark.parametrize("text, probes", [
    ("90分（含）—100分为优，80分（含）—90分为良，60分（含）—80分为中，60分以下为差。",
     {Decimal(90): "优", Decimal("89.9"): "良", Decimal(80): "良", Decimal(60): "中", Decimal("59.5"): "差"}),
    ("90 分(含) — 100 分为优, 80 分(含) — 90 分为良, 60 分(含) — 80 分为中, 60 分以下为差",
     {Decimal(100): "优", Decimal(90): "优", Decimal(85): "良"}),
    ("85分以上为优秀，70-85分为良好，60-70分为合格，60分以下为不合格",
     {Decimal(85): "优秀", Decimal(84): "良好", Decimal(70): "良好", Decimal(60): "合格", Decimal(10): "不合格"}),
])
def test_parse_bands(text, probes):
    bands = parse_bands(text)
    assert bands is not None
    for score, grade in probes.items():
        assert bands.band_for(score).grade == grade, score


def test_parse_bands_needs_two_grades():
    assert parse_bands("总分设置为100分。") is None
    assert parse_bands("90分以上为优") is None
    assert NATIONAL_BANDS.band_for(Decimal(90)).grade == "优"
    assert NATIONAL_BANDS.band_for(Decimal("89.99")).grade == "良"


# --------------------------------------------------------------------------- P001 … P006


def test_good_table_passes_every_table_rule():
    d = project()
    for rule in checks.RULES:
        assert run(rule, d) == [], rule.code


def test_p001_section_weights_against_cap():
    found = run(checks.SectionWeightMismatch, project(w1="15"))
    assert codes(found) == [("P001", 11)]
    assert "产出指标标注为50分" in found[0].message.zh and "合计为45分" in found[0].message.zh
    assert found[0].location.span.col == len("\t产出指标（") + 1  # the printed "50"


def test_p002_total_weight():
    found = run(checks.TotalWeightMismatch, project(w1="15"))
    assert codes(found) == [("P002", 16)]
    assert found[0].expected == "100" and found[0].actual == "95"


def test_p003_score_above_weight():
    found = run(checks.ScoreExceedsWeight, project(s1="22"))
    assert codes(found) == [("P003", 11)]
    assert "得分22分，高于其分值20分" in found[0].message.zh


def test_p004_total_score_sum():
    assert codes(run(checks.TotalScoreMismatch, project(total="93.8"))) == [("P004", 16)]
    # 6.8 + 18 + 20 + 10 + 28 + 9 = 91.8; a total rounded to fewer decimals is accepted.
    assert run(checks.TotalScoreMismatch, project(total="92", rate_score="6.8")) == []
    assert codes(run(checks.TotalScoreMismatch, project(total="93", rate_score="6.8"))) == [("P004", 16)]


@pytest.mark.parametrize("executed, rate, ok", [
    ("6.80", "68%", True),
    ("6.67", "66.7%", True),  # 6.67/10.00 = 66.70%
    ("6.67", "67%", True),  # 66.7 rounds to 67 at the precision written
    ("6.67", "66%", False),
    ("6.80", "86%", False),
    ("10.50", "100%", True),  # over-spent: capped at 100% by convention
    ("6.80", "0.68", True),  # a rate written as a fraction
    ("6.80", "0.86", False),
])
def test_p005_execution_rate(executed, rate, ok):
    found = run(checks.ExecutionRateMismatch, project(executed=executed, rate=rate))
    assert (found == []) is ok
    if not ok:
        assert found[0].location.span.line == 6 and rate in found[0].message.zh


def test_p006_rate_score():
    assert run(checks.RateScoreMismatch, project(rate="68%", rate_score="6.8")) == []
    found = run(checks.RateScoreMismatch, project(rate="68%", rate_score="10"))
    assert codes(found) == [("P006", 6)]
    assert found[0].expected == "6.8"


def test_p011_fund_breakdown():
    found = run(checks.FundBreakdownMismatch, project(part="9.00"))
    assert codes(found) == [("P011", 6)]
    assert "各项合计为9.00万元" in found[0].message.zh


# --------------------------------------------------------------------------- P007 / P008 grades


def test_p007_grade_against_printed_bands():
    found = run(checks.GradeMismatch, project(grade="良"))
    assert codes(found) == [("P007", 16)]
    assert "第19行的等级划分" in found[0].message.zh and found[0].expected == "优"


def test_p007_uses_national_bands_only_without_printed_ones():
    text = PROJECT.format(**{**GOOD, "total": "86", "grade": "良"})
    no_bands = doc(text.split("\n备注")[0])
    assert run(checks.GradeMismatch, no_bands) == []  # 86 is 良 nationally
    strict = doc(text.replace("90分（含）—100分为优，80分（含）—90分为良", "85分（含）—100分为优，80分（含）—85分为良"))
    found = run(checks.GradeMismatch, strict)
    assert [f.expected for f in found] == ["优"]


def test_p008_narrative_grade():
    d = doc("项目支出绩效自评成绩为100分，自评等级为良好。\n部门整体自评得分为92分，等级为优。")
    found = run(checks.NarrativeGradeMismatch, d)
    assert codes(found) == [("P008", 1)]
    assert found[0].location.span.col == len("项目支出绩效自评成绩为100分，自评等级为") + 1
    assert "100分应为「优」" in found[0].message.zh and "通用等级标准" in found[0].message.zh


def test_p008_uses_the_documents_bands():
    d = doc("等级划分为：95分（含）以上为优，80分（含）—95分为良，80分以下为差。\n自评得分为92分，等级为良。")
    assert run(checks.NarrativeGradeMismatch, d) == []
    assert len(grade_statements(paragraphs(d))) == 1


# --------------------------------------------------------------------------- P009 / P010 amounts


CELL_TABLE = "\n".join([
    "\t项目绩效目标完成情况表", "(2020年度)", "",
    "\t项目名称", "\t物业管理经费", "",
    "\t预算执行情况(万元)", "\t预算数:", "\t30.74万元", "\t执行数:", "\t{executed}万元", "",
    "\t绩效指标完成情况", "\t一级指标", "\t二级指标", "\t三级指标", "\t预期指标值", "\t实际完成指标值", "",
    "\t", "\t项目完成指标", "\t成本指标", "\t费用", "\t2020年预算资金30.74万元", "\t2020年支付资金{paid}万元", "",
    "\t", "\t项目完成指标", "\t成本指标", "\t结余", "\t2020年预算资金30.74万元", "\t2020年支出{executed}万元，结余{left}万元",
])


def test_p009_payment_against_execution_and_budget():
    good = doc(CELL_TABLE.format(executed="30.00", paid="30.00", left="0.74"))
    assert run(checks.ProjectAmountInconsistent, good) == []
    bad = doc(CELL_TABLE.format(executed="30.00", paid="330.00", left="0.74"))
    found = run(checks.ProjectAmountInconsistent, bad)
    assert codes(found) == [("P009", 25)]
    assert "表头执行数为30.00万元" in found[0].message.zh and "超过预算数30.74万元" in found[0].message.zh


def test_p009_balance():
    bad = doc(CELL_TABLE.format(executed="30.00", paid="30.00", left="0.47"))
    found = run(checks.ProjectAmountInconsistent, bad)
    assert codes(found) == [("P009", 32)] and found[0].expected == "0.74"


def test_p009_budget_after_adjustment():
    text = CELL_TABLE.format(executed="30.00", paid="30.00", left="0.74")
    ok = doc(text.replace("\t2020年预算资金30.74万元\n\t2020年支付", "\t2020年预算40万元，追减9.26万元\n\t2020年支付"))
    assert run(checks.ProjectAmountInconsistent, ok) == []
    bad = doc(text.replace("\t2020年预算资金30.74万元\n\t2020年支付", "\t2020年预算40万元，追减19.26万元\n\t2020年支付"))
    assert codes(run(checks.ProjectAmountInconsistent, bad)) == [("P009", 24)]


def test_p010_narrative_amounts_against_project_table():
    table = PROJECT.format(**GOOD)
    text = ("（1）平台建设经费：10 万元。实际支出 6.8 万元，结余 3.2 万元，完成预算的68%。\n"
            "年中新增“平台建设经费”10.01 万元。\n" + table)
    d = doc(text)
    claims = project_claims(paragraphs(d, read_performance_tables(d)), read_performance_tables(d))
    assert [c.role for c in claims] == ["headline", "executed", "balance", "rate", "headline"]
    found = run(checks.NarrativeProjectAmountMismatch, d)
    assert codes(found) == [("P010", 2)]
    assert found[0].actual == "10.01" and found[0].expected == "10.00"


def test_p010_heading_then_paragraph():
    d = doc("(1) 平台建设经费项目\n\n项目支出 6.9 万元，主要用于平台。\n" + PROJECT.format(**GOOD))
    found = run(checks.NarrativeProjectAmountMismatch, d)
    assert codes(found) == [("P010", 3)] and found[0].expected == "6.80"


# --------------------------------------------------------------------------- reading prose fast, same result


def test_widths_normalized_at_once_as_line_by_line():
    from lint.numbers import _FULLWIDTH, normalize_width
    from lint.rules.performance.narrative import _normalize_widths

    every = "".join(map(chr, _FULLWIDTH))
    texts = ["", "预算数１２．５０万元，占１００％", every, every[::-1] + "abc", "－３＋４", "plain 1,2"]
    assert _normalize_widths(texts) == [normalize_width(t) for t in texts]
    assert _normalize_widths([]) == []
    assert "，" not in _normalize_widths(["甲，乙"])[0]


def test_offset_spans_map_pieces_back_to_their_lines():
    from lint.model import Span
    from lint.rules.performance.tables import OffsetSpans

    added = OffsetSpans()
    added.add("第一行", 3, 5)
    added.add("第二行", 4, 1)
    joined = OffsetSpans.joined(["第一行", "第二行"], [(3, 5), (4, 1)])
    assert added.text == joined.text == "第一行第二行"
    for o in (added, joined):
        assert o.span(0, 2) == Span(3, 5, 3, 7)
        assert o.span(3, 4) == Span(4, 1, 4, 2)
        assert o.span(2, 4) == Span(3, 7, 4, 2)  # across the joint
    assert OffsetSpans().span(2, 3) == Span(1, 3, 1, 4)


def test_money_statement_roles_from_the_word_matched():
    from lint.rules.performance.tables import _ROLE_OF, _ROLE_WORDS, OffsetSpans, money_statements

    words = [w for _, ws in _ROLE_WORDS for w in ws.split("|")]
    assert list(_ROLE_OF) == words  # each word once, in the order the roles list them
    text = "年初预算数10万元，追减2万元，支付资金8万元，结余0.5万元，总投资12万元"
    found = money_statements(text, OffsetSpans.of(text, Span(1, 1, 1, 2)))
    assert [(m.role, m.keyword, str(m.amount.value)) for m in found] == [
        ("budget", "年初预算数", "10"), ("adjust_down", "追减", "2"), ("executed", "支付资金", "8"),
        ("balance", "结余", "0.5"), ("budget", "总投资", "12")]
    assert money_statements("预算数十万", OffsetSpans.of("预算数十万", Span(1, 1, 1, 2))) == []


def test_bands_need_a_grade_named():
    assert parse_bands("90分（含）—100分，80分（含）—90分") is None
    assert parse_bands("90分（含）—100分为优，60分以下为差").bands[0].grade == "优"


def test_paragraphs_end_at_rows_and_table_lines():
    d = doc("第一段开头\n接着写完\n甲\t乙\n第二段没有句号\n\n\n第三段。")
    texts = [p.text for p in paragraphs(d)]
    assert texts == ["第一段开头接着写完", "第二段没有句号", "第三段。"]
    around = doc("前文说明\n" + PROJECT.format(**GOOD) + "后文。")
    inside = [p for p in paragraphs(around, read_performance_tables(around)) if "备注" in p.text or "等级划分" in p.text]
    assert inside == []
    assert [p.text for p in paragraphs(around, read_performance_tables(around))][0] == "前文说明"


def test_project_names_found_in_each_paragraph_as_alone():
    table = PROJECT.format(**GOOD)
    d = doc("“平台 建设经费”10.00万元。\n平台建设经费\n结余3.2万元。\n" + table)
    tables = read_performance_tables(d)
    claims = project_claims(paragraphs(d, tables), tables)
    # the quoted name with a space is found; the heading's claims come from the next paragraph
    assert [(c.role, c.span.line) for c in claims] == [("headline", 1), ("balance", 3)]
    assert claims[0].span.col == len("“平台 建设经费”") + 1


# --------------------------------------------------------------------------- robustness

_PIECES = ["\t", "\n", "\n\n", "总分", "等级：", "优", "良好", "得分", "分值", "100", "90", "6.8", "68%", "0",
           "万元", "产出指标（50 分）", "一级指标", "二级指标", "三级指标", "全年预算数", "全年执行数", "执行率",
           "合计", "其中：", "部门名称", "项目名称", "项目支出绩效自评表", "项目绩效目标完成情况表", "预算数:",
           "执行数:", "2020年支付", "结余", "追减", "90分（含）—100分为优", "60分以下为差", "。", "，", "…"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80))
def test_rules_never_crash(pieces):
    d = doc("".join(pieces))
    for rule in checks.RULES:
        for f in run(rule, d):
            assert f.message.zh and f.message.en


# --------------------------------------------------------------------------- seeds


def _seed(prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_text_file(path)


@pytest.mark.parametrize("prefix, count", [("000", 3), ("001", 0), ("002", 5), ("003", 0), ("004", 5)])
def test_seed_tables_found(prefix, count):
    assert len(read_performance_tables(_seed(prefix))) == count


# Verified by hand (see the module docstring of checks and the report):
# 000: the 部门整体 table totals 10 + 46 + 26 + 8 = 90, which the printed bands grade 优, not 良;
#      the 博鳌论坛 table's 效益指标 weights are 5 + 10 + 0 + 10 = 25 (cap 30), so all weights
#      add up to 95; the text twice gives the 四级联动 project 69.42 (table: 69.41 / 69.4092).
# 004: three 完成情况表 state a payment another project's or ten times the budget;
#      the text grades 100 points 良好.
SEED_FINDINGS = {
    "000": [("P001", 622), ("P002", 628), ("P007", 565), ("P010", 330), ("P010", 348)],
    "001": [],
    "002": [],
    "003": [],
    "004": [("P008", 741), ("P009", 267), ("P009", 372), ("P009", 577)],
}


@pytest.mark.parametrize("prefix", sorted(SEED_FINDINGS))
def test_seed_findings(prefix):
    d = _seed(prefix)
    found = []
    for rule in checks.RULES:
        found.extend(run(rule, d))
    assert sorted(codes(found)) == sorted(SEED_FINDINGS[prefix])
    for f in found:
        assert f.message.zh and f.message.en and f.location.path == d.path


def test_seed004_payment_message_names_both_amounts():
    found = run(checks.ProjectAmountInconsistent, _seed("004"))
    f = next(f for f in found if f.location.span.line == 577)
    assert f.actual == "330.74" and f.expected == "30.74"
    assert f.location.span.col == len("\t2020年支付资金") + 1


def test_seed000_grade_points_at_printed_grade():
    (f,) = run(checks.GradeMismatch, _seed("000"))
    assert (f.expected, f.actual) == ("优", "良")
    assert f.location.span == f.location.span.__class__(565, 20, 565, 21)
