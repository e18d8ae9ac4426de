"""Document hygiene rules (H001…, F001…) on small texts, hand-built tables and the seeds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from lint.engine.rules import RuleContext, TableSet
from lint.model import Cell, Document, Panel, RowInfo, Span, Table
from lint.numbers import parse_number
from lint.readers.text import read_text_file, split_blocks
from lint.recognize import read_metadata, recognize_tables
from lint.rules.core import hygiene

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def run(rule, document: Document, tables=(), year: int | None = 2020):
    ctx = RuleContext(document=document, tables=TableSet(list(tables)), report_year=year)
    return list(rule().check(ctx))


def lines_of(findings) -> list[int]:
    return [f.location.span.line for f in findings]


def make_table(tid: str, title: str, number: str | None, line: int, cells: list[tuple[str, str]],
               department: str | None = None, column: str = "amount", panel: str = "main") -> Table:
    """A one-column table: ``cells`` are (row label, cell text), one row per line after the title."""
    rows, values, objs = [], {}, {}
    for i, (label, text) in enumerate(cells):
        key = f"r{i}"
        rows.append(RowInfo(key=key, label=label, code=None, line=line + 1 + i))
        amount = parse_number(text) if text else None
        cell = Cell(key, column, text, Span.on_line(line + 1 + i, len(label) + 2, len(text)), amount)
        values[key] = amount.value if amount else None
        objs[key] = cell
    frame = pd.DataFrame({column: pd.Series(values, dtype=object)})
    cellframe = pd.DataFrame({column: pd.Series(objs, dtype=object)})
    p = Panel(panel, rows, [column], frame, cellframe)
    return Table(id=tid, title=title, number=number, span=Span.on_line(line, 1, len(title)), panels={panel: p},
                 template_id="test", department=department,
                 department_span=Span.on_line(line, 4, len(department)) if department else None)


# =========================================================================== H001


@pytest.mark.parametrize("text, kind, snippet", [
    ("因公出国（境）支出决算比2019年增加/减少0万。", "alternatives", "增加/减少"),
    ("9.一般公共服务（类）…（款）…（项）：指……。", "ellipsis", "…（款）…（项）：指……"),
    ("……", "ellipsis", "……"),
    ("公务接待费支出决算0万元%；", "stray-percent", "%"),
    ("因公出国（境）经费支出0万元0。全年安排团组0次。", "stray-digit", "万元0"),
    ("（名词解释部分请根据各部门实际列支情况罗列，并根据本部门职责职能增减名词解释内容。）", "instruction", None),
    ("本部门自行组织了绩效评价。（非涉密部门均需公开部门整体支出评价报告，若未组织项目绩效评价，则只需说明整体情况）",
     "instruction", None),
    ("本年支出决算为万元，比上年增加。", "missing-number", "万元"),
    ("其他收入72.48万元，占", "missing-number", "占"),
    ("截至20XX年12月31日，共有车辆0辆。", "placeholder", "XX"),
    ("××局2020年度部门决算", "placeholder", "××"),
    ("上级补助收入0万元，占%；", "missing-number", "%"),
])
def test_h001_reports_template_text(text, kind, snippet):
    found = run(hygiene.TemplateLeftover, doc(text))
    assert [f.properties["kind"] for f in found] == [kind]
    f = found[0]
    if snippet is not None:
        # The finding points at the leftover itself: the last character(s) of the snippet.
        assert snippet.endswith(f.actual)
        assert f.location.span.col == text.index(snippet) + len(snippet) - len(f.actual) + 1
    assert "模板" in f.message.zh and "template" in f.message.en


@pytest.mark.parametrize("text", [
    "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "八、机关运行经费：为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
    "（一）负责指导、协调、推进全区行政审批制度改革工作。",
    "申请材料（申请人须提交身份证明）",
    "单位：万元",
    "项目支出名称\t专项名称\t\t平台\t\t项目总投资（万元）\t\t10\t",
    "年度项目资金（万元）\t年度资金总额\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分（分值×执行率）",
    "与上年相比，增加 88.31 万元，增长 71%，主要是因为年中调整预算。",
    "在 45 个社区（村）规范设置 1-2 个综合服务窗口。",
    "单位价值 50 万元以上通用设备 0 台（套）。",
    "共有车辆 0 辆，其中主要领导干部用车 0 辆。",
    "全区经济平稳增长，营商环境持续改善。",
    "请登录门户网站查询（请登录区政府门户网站查询）。",
])
def test_h001_leaves_real_text_alone(text):
    assert run(hygiene.TemplateLeftover, doc(text)) == []


def test_h001_merges_ellipses_of_one_line():
    (f,) = run(hygiene.TemplateLeftover, doc("10.外交（类）…（款）…（项）：指……。"))
    assert "3处" in f.message.zh


# =========================================================================== H002


TOC = "目录\n\n- 一、收入支出决算总表\n- 二、收入决算表\n- 三、支出决算表\n\n第一部分 概况\n\n"


def _tables(*specs):
    return [make_table(*s) for s in specs]


def test_h002_consistent_contents():
    tables = _tables(("table01", "收入支出决算总表", "01", 20, [("合计", "1.00"), ("a", "2.00"), ("b", "3.00")]),
                     ("table02", "收入决算表", "02", 30, [("合计", "4.00"), ("a", "5.00"), ("b", "6.00")]),
                     ("table03", "支出决算表", "03", 40, [("合计", "7.00"), ("a", "8.00"), ("b", "9.00")]))
    assert run(hygiene.ContentsMismatch, doc(TOC), tables) == []


def test_h002_missing_and_duplicate_and_renumbered():
    same = [("合计", "1.00"), ("a", "2.00"), ("b", "3.00")]
    tables = _tables(("table03", "支出决算表", "01", 20, same),
                     ("table02", "收入决算表", "02", 30, [("合计", "4.00"), ("a", "5.00"), ("b", "6.00")]),
                     ("table03", "支出决算表", "03", 40, same))
    found = run(hygiene.ContentsMismatch, doc(TOC), tables)
    by_line = {f.location.span.line: f for f in found}
    assert sorted(by_line) == [3, 20]
    assert "印了两次" in by_line[20].message.zh and "内容完全相同" in by_line[20].message.zh
    assert "按目录，公开01表应为「收入支出决算总表」" in by_line[20].message.zh
    assert "没有印出" in by_line[3].message.zh and "公开01表印的是「支出决算表」" in by_line[3].message.zh


def test_h002_renumbered_and_extra():
    tables = _tables(("table01", "收入支出决算总表", "01", 20, [("合计", "1.00"), ("a", "2.00"), ("b", "3.00")]),
                     ("table02", "收入决算表", "03", 30, [("合计", "4.00"), ("a", "5.00"), ("b", "6.00")]),
                     ("table03", "支出决算表", "02", 40, [("合计", "7.00"), ("a", "8.00"), ("b", "9.00")]),
                     ("table05", "一般公共预算财政拨款支出决算表", "05", 50, [("合计", "1.50")]))
    found = run(hygiene.ContentsMismatch, doc(TOC), tables)
    assert sorted(lines_of(found)) == [30, 40, 50]
    msgs = {f.location.span.line: f.message.zh for f in found}
    assert "目录中它是第2张表" in msgs[30] and "未列入目录" in msgs[50]


def test_h002_same_numbers_under_two_titles():
    same = [("合计", "1.00"), ("a", "2.00"), ("b", "3.00")]
    tables = _tables(("table01", "收入支出决算总表", "01", 20, same), ("table02", "收入决算表", "02", 30, same))
    (f,) = run(hygiene.ContentsMismatch, doc("正文"), tables)
    assert f.location.span.line == 30 and "数字完全相同" in f.message.zh
    # All-zero tables are alike without being copies.
    zeros = [("合计", "0.00"), ("a", "0.00"), ("b", "0.00")]
    tables = _tables(("table08", "政府性基金预算财政拨款收入支出决算表", "08", 20, zeros),
                     ("table09", "国有资本经营预算财政拨款支出决算表", "09", 30, zeros))
    assert run(hygiene.ContentsMismatch, doc("正文"), tables) == []


# =========================================================================== H003


@pytest.mark.parametrize("text, line, word", [
    ("一、甲\n二、乙\n四、丁", 3, "不连续"),
    ("一、甲\n二、乙\n二、丙", 3, "重复"),
    ("1.甲\n2.乙\n3.丙\n2.丁", 4, "倒退"),
    ("三、甲\n四、乙", 1, "未从头开始"),
    ("第一部分 概况\n第二部分 表\n第四部分 名词", 3, "不连续"),
])
def test_h003_sequence(text, line, word):
    (f,) = run(hygiene.NumberingBroken, doc(text))
    assert f.location.span.line == line and word in f.message.zh


def test_h003_mixed_styles_reported_once():
    text = "1、甲\n2、乙\n3、丙\n四、丁\n五、戊\n六、己\n七、庚\n8、辛\n九、壬"
    (f,) = run(hygiene.NumberingBroken, doc(text))
    assert "样式混用" in f.message.zh and "第1、2、3、8行" in f.message.zh
    assert len(f.related) == 3


@pytest.mark.parametrize("text", [
    "一、甲\n（一）子\n1.孙\n2.孙\n（二）子\n1.孙\n二、乙\n（一）子\n(二) 子",
    "目录\n第一部分 概况\n一、职责\n二、机构\n第二部分 表\n一、总表\n第一部分\n一、职责",
    "注：1. 本表反映收支。\n2. 本套报表金额单位转换时可能存在尾数误差。",
    "附件：1、2020 年度部门整体支出绩效自评表\n2、2020 年度项目支出绩效自评表",
    "一、甲\n二、乙\n三、丙\n（一）子\n1、孙\n2、孙\n（二）子\n1、孙",
    "一、甲\n二、标题以制表符结尾\t\n三、下一节",
])
def test_h003_well_numbered(text):
    assert run(hygiene.NumberingBroken, doc(text)) == []


# =========================================================================== H004 / H005


def test_h004_header_departments():
    text = "\n".join(["部门：株洲市政务服务中心", "x", "部门：株洲市政务服务中心", "部门：株洲市政务服务大厅", "部门：株洲",
                      "部门名称\t株洲市政务服务中心\t\t", "部门：株洲市政务服务中心（本级）", "单位：万元"])
    found = run(hygiene.DepartmentNameMismatch, doc(text))
    assert lines_of(found) == [4, 5]
    assert "不一致" in found[0].message.zh and found[0].actual == "株洲市政务服务大厅"
    assert "截断" in found[1].message.zh and found[1].location.span.col == 4


def test_h004_ignores_a_department_column():
    text = "部门：示例局\n部门：示例局\n部门\t金额\t备注\n财政局\t1.00\t"
    assert run(hygiene.DepartmentNameMismatch, doc(text)) == []


def test_h004_uses_table_headers_and_accepts_abbreviations():
    t1 = make_table("table01", "收入支出决算总表", "01", 1, [("合计", "1.00")], department="攀枝花市西区行政审批局")
    t2 = make_table("table02", "收入决算表", "02", 5, [("合计", "1.00")], department="攀枝花市西区行政审批局")
    t3 = make_table("table03", "支出决算表", "03", 9, [("合计", "1.00")], department="西区行政审批局")
    t4 = make_table("table04", "财政拨款收入支出决算总表", "04", 13, [("合计", "1.00")], department="东区财政局")
    found = run(hygiene.DepartmentNameMismatch, doc("\n" * 20), [t1, t2, t3, t4])
    assert lines_of(found) == [13]


def test_h005_near_miss_names_in_text():
    text = ("部门：株洲市政务服务中心\n部门：株洲市政务服务中心\n"
            "株洲市政务服务大厅部门决算包括：株洲市政府服务中心本级决算。\n"
            "株洲市政务服务大厅共有 6 个内设科室。株洲市政府门户网站公开。")
    found = run(hygiene.DepartmentNameVariant, doc(text))
    assert sorted(f.actual for f in found) == sorted(["株洲市政府服务中心", "株洲市政务服务大厅"])
    hall = next(f for f in found if f.actual.endswith("大厅"))
    assert hall.location.span.line == 3 and len(hall.related) == 1 and "共2处" in hall.message.zh


# =========================================================================== H006


@pytest.mark.parametrize("text, wrong", [
    ("截至2021年底，共有车辆0辆。", "2021"),
    ("截止 2019 年 12 月 31 日，保有量为 0 辆。", "2019"),
    ("2019 年年末实有在职人数 17 人。", "2019"),
    ("公务接待费支出决算比2018年增加0万元。", "2018"),
    ("与 2018 年相比，增加 10 万元。", "2018"),
    ("纳入财政部 2019 年度部门决算编制范围的单位包括本级。", "2019"),
])
def test_h006_wrong_years(text, wrong):
    (f,) = run(hygiene.YearOutOfContext, doc(text), year=2020)
    assert f.actual == wrong and f.location.span.col == text.index(wrong) + 1


@pytest.mark.parametrize("text", [
    "截止 2020 年 12 月 31 日，我单位公务用车保有量为 0 辆。",
    "与2019年相比，收、支总计各增加17.05万元。",
    "该专项费用在2020年未支付结余至2021年。",
    "在制定2021年度单位预算时，参考本单位上一年的预算执行情况。",
    "主要是因为2019年6月新成立的单位。",
    "2020年度部门决算",
    "与2019年度决算相比有所增加。",
])
def test_h006_fitting_years(text):
    assert run(hygiene.YearOutOfContext, doc(text), year=2020) == []


def test_h006_needs_report_year():
    assert run(hygiene.YearOutOfContext, doc("截至2021年底，共有车辆0辆。"), year=None) == []


# =========================================================================== F001 … F003


def test_f001_decimal_comma_in_cells_and_text():
    d = doc("20103\t政府办公厅\t125,27\t125,27\t0.00\n2010301\t行政运行\t1,367.76\t49.06\n收入 125,27 万元，共 3,4 个。")
    found = run(hygiene.DecimalComma, d)
    assert lines_of(found) == [1, 3]
    assert found[0].properties["cells"] == 2 and found[0].location.span == Span(1, 13, 1, 26)
    assert found[1].actual == "125,27"


def test_f002_space_in_number():
    d = doc("合计\t\t186. 67\t107.20\n1. 2020 年度概况\n收入 186. 67 万元。")
    found = run(hygiene.SpaceInNumber, d)
    assert lines_of(found) == [1, 3] and found[0].actual == "186. 67"


def test_f003_fullwidth_digits():
    d = doc("合计\t\t１２５．２７\t1.00\n本年收入合计１２５．４６万元。\n本年收入合计125.46万元。")
    found = run(hygiene.FullwidthDigits, d)
    assert lines_of(found) == [1, 2] and found[1].actual == "１２５．４６"


# =========================================================================== F004


def test_f004_blank_and_zero_in_one_column():
    mixed = make_table("table01", "收入支出决算总表", "01", 1,
                       [("一、一般公共服务支出", "125.27"), ("二、外交支出", "0.00"), ("三、国防支出", ""), ("", "")])
    (f,) = run(hygiene.BlankAndZeroMixed, doc("\n" * 10), [mixed])
    assert f.location.span.line == 4 and "空白与0混用" in f.message.zh
    clean = make_table("table01", "收入支出决算总表", "01", 1,
                       [("一、一般公共服务支出", "125.27"), ("二、外交支出", "0.00"), ("", "")])
    assert run(hygiene.BlankAndZeroMixed, doc("\n" * 10), [clean]) == []


# =========================================================================== F005 / F006


def test_f005_amount_without_unit():
    d = doc("2020年一般公共预算支出决算数为332.77，完成预算97.89%。\n"
            "2018 年支出执行数 619.54\n万元，其中基本支出 579.54 万元。\n"
            "项目支出决算为 40.00 万元。")
    found = run(hygiene.AmountWithoutUnit, d)
    assert lines_of(found) == [1] and found[0].actual == "332.77"


@pytest.mark.parametrize("text, bad", [
    ("位：万元", True), ("额单位：万元", True), ("金额单位：万", True), ("单位：万元", False),
    ("金额单位：万元", False), ("其中：万元", False), ("⇥单位：万元".replace("⇥", "\t"), False),
])
def test_f006_unit_line(text, bad):
    assert bool(run(hygiene.UnitLineCut, doc(text))) is bad


# =========================================================================== robustness

_PIECES = ["\t", "\n", "目录", "一、", "（二）", "3.", "4、", "第五部分", "收入支出决算总表", "公开01表", "部门：",
           "示例局", "株洲", "单位：万元", "位：万", "125,27", "186. 67", "１２", "0.00", "增加/减少", "…", "XX",
           "（请根据实际填写", "）", "截至2021年底", "比2018年增加", "决算数为3.20", "，", "。", "万元", "%"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80))
def test_rules_never_crash(pieces):
    d = doc("".join(pieces))
    table = make_table("table01", "收入支出决算总表", "01", 1, [("合计", "0.00"), ("a", ""), ("b", "1.00")],
                       department="示例局")
    for rule in hygiene.RULES:
        for f in run(rule, d, [table]):
            assert f.message.zh and f.message.en


# =========================================================================== seeds


def _seed_findings(prefix: str, library) -> list:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    d = read_text_file(path)
    spec = library.get("hunan-2018" if prefix == "003" else "hunan-2020")
    tables = recognize_tables(d, spec.tables, spec.numbering)
    year = read_metadata(d, tables).get("report_year")
    ctx = RuleContext(document=d, tables=TableSet(tables), report_year=year)
    found = []
    for rule in hygiene.RULES:
        found.extend(rule().check(ctx))
    return found


# Text-only findings verified by hand against the seeds.
SEED_TEXT_FINDINGS = {
    "000": [("H001", 398), ("F001", 134), ("F001", 135)],
    "001": [("H003", 153), ("H003", 199)],
    # the whole of 公开05表 is written "186. 67": one finding for the run of rows
    "002": [("F002", 277), ("F006", 199)],
    "003": [("H003", 542), ("H005", 79), ("H005", 85), ("H006", 494), ("F006", 94)],
    "004": [("H001", 63), ("H001", 63), ("H001", 64), ("H001", 64), ("H001", 65), ("H001", 68), ("H001", 85),
            ("H001", 611), ("H001", 646), ("H001", 654), ("H001", 652), ("H001", 644), ("H001", 645)]
           # runs of unfilled lines are one finding each, at their first line
           + [("H001", 617), ("H001", 624)]
           + [("H003", 25), ("H003", 52), ("H003", 614), ("H003", 623), ("H003", 676), ("H003", 717), ("H003", 720),
              ("H006", 64), ("H006", 65), ("F005", 46)],
}
TABLE_CODES = {"H002", "H004", "F004"}


@pytest.mark.parametrize("prefix", sorted(SEED_TEXT_FINDINGS))
def test_seed_text_findings(prefix, library):
    found = _seed_findings(prefix, library)
    text_only = sorted((f.code, f.location.span.line) for f in found if f.code not in TABLE_CODES)
    assert text_only == sorted(SEED_TEXT_FINDINGS[prefix])
    for f in found:
        assert f.message.zh and f.message.en


def test_seed003_contents_and_headers(library):
    found = _seed_findings("003", library)
    h002 = {f.location.span.line: f.message.zh for f in found if f.code == "H002"}
    # The 目录 lists 收入支出决算总表 first, but 公开01表 prints 财政拨款收入支出决算总表 (again as 公开04表).
    assert "收入支出决算总表" in h002[17] and "没有印出" in h002[17]
    assert "印了两次" in h002[91] and "公开04表" in h002[91]
    h004 = sorted((f.location.span.line, f.actual) for f in found if f.code == "H004")
    assert h004 == [(165, "株洲市政务服务大厅"), (237, "株洲"), (265, "株洲市政务服务大厅")]


def test_seed002_table_printed_twice(library):
    found = _seed_findings("002", library)
    (f,) = [f for f in found if f.code == "H002"]
    assert f.location.span.line == 124 and "内容完全相同" in f.message.zh


def test_seed000_blank_and_zero(library):
    found = _seed_findings("000", library)
    assert sorted(f.location.span.line for f in found if f.code == "F004") == [91, 180]
    assert not [f for f in found if f.code in ("H002", "H004")]


def test_seed004_year_and_template_text(library):
    found = _seed_findings("004", library)
    years = [(f.location.span.line, f.actual, f.expected) for f in found if f.code == "H006"]
    assert years == [(64, "2018", "2019"), (65, "2018", "2019")]
    kinds = {f.properties.get("kind") for f in found if f.code == "H001"}
    assert kinds == {"stray-percent", "stray-digit", "alternatives", "instruction", "ellipsis"}


def test_every_rule_has_a_documented_code():
    seen = set()
    for rule in hygiene.RULES:
        meta = rule.meta("core")
        assert meta.code not in seen and meta.code[0] in "HF"
        seen.add(meta.code)
        assert "## What it does" in meta.doc and "## Why is this bad?" in meta.doc and "## Example" in meta.doc


def test_h001_groups_a_run_of_unfilled_lines(library):
    found = [f for f in _seed_findings("004", library) if f.code == "H001" and f.location.span.line == 624]
    [run] = found
    assert [r.span.line for r in run.related] == list(range(625, 642))
    assert "第624–641行，连续 18 行" in run.message.zh and "lines 624–641" in run.message.en


def test_h001_two_placeholder_lines_stay_separate():
    text = "1.一般公共服务（类）…（款）…（项）：指……。\n2.外交（类）…（款）…（项）：指……。\n"
    lines = text.splitlines()
    doc = Document("t.txt", "utf-8", lines, split_blocks(lines))
    ctx = RuleContext(document=doc, tables=TableSet([]), report_year=2020)
    from lint.rules.core.hygiene import TemplateLeftover

    found = list(TemplateLeftover().check(ctx))
    assert [f.location.span.line for f in found] == [1, 2] and all(not f.related for f in found)


def test_f002_groups_a_table_written_wrong_on_every_row(library):
    [f] = [f for f in _seed_findings("002", library) if f.code == "F002"]
    assert [r.span.line for r in f.related] == list(range(278, 286))
    assert "第277–285行，连续 9 行" in f.message.zh
