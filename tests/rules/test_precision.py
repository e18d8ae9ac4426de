"""Issue 11: classes of false findings seen on real filings, and the checks reviewers make.

Every false-finding class has its real-world shape (our own wording, the structure of
what was seen) where the rule used to fire and now stays silent, with the true case
beside it still reported.  Every new check has a correct and an incorrect example.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lint.engine.rules import RuleContext, TableSet
from lint.model import Cell, Document, Panel, RowInfo, Severity, Span, Table
from lint.numbers import parse_number
from lint.readers.text import split_blocks
from lint.recognize.claims import extract_claims
from rules.core import hygiene, narrative, wording

SUBJECTS = narrative.load_subjects(Path(__file__).resolve().parents[2] / "rules" / "core" / "subjects.toml")
ALL = [*narrative.RULES, *hygiene.RULES, *wording.RULES]


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def lint(text: str, *tables: Table, year: int | None = 2020, codes: str | tuple = ()) -> list:
    d = doc(text)
    ctx = RuleContext(document=d, tables=TableSet(list(tables)), claims=extract_claims(d), report_year=year,
                      data={"subjects": SUBJECTS})
    codes = (codes,) if isinstance(codes, str) else codes
    out = []
    for rule in ALL:
        if not codes or rule.code in codes:
            out.extend(rule().check(ctx))
    return [f for f in out if f.severity is not Severity.NOTE]


def found(text: str, *tables: Table, **kw) -> list[tuple[str, int]]:
    return sorted((f.code, f.location.span.line) for f in lint(text, *tables, **kw))


def panel(name: str, rows: list[tuple], columns: list[str], data: dict, line: int = 900, codes: bool = False) -> Panel:
    infos = [RowInfo(key=k, label=lbl, code=k if codes else None, line=line + i, alias=alias)
             for i, (k, lbl, alias) in enumerate(rows)]
    keys = [r.key for r in infos]
    values = pd.DataFrame(index=keys, columns=columns, dtype=object)
    cells = pd.DataFrame(index=keys, columns=columns, dtype=object)
    for i, r in enumerate(infos):
        for j, c in enumerate(columns):
            text = data.get((r.key, c), "")
            amount = parse_number(text)
            cells.at[r.key, c] = Cell(r.key, c, text, Span.on_line(r.line, 1 + 10 * j, max(len(text), 1)), amount)
            values.at[r.key, c] = amount.value if amount else None
    return Panel(name, infos, columns, values, cells)


def table(tid: str, title: str, panels: dict, line: int = 800, unit: str | None = None) -> Table:
    return Table(id=tid, title=title, number=None, span=Span(line, 1, line, 10), panels=panels, template_id="test",
                 unit=unit)


# =========================================================================== false-finding classes


def test_same_word_in_different_items_is_not_one_quantity():
    """N008: each numbered item (a project, a class of spending) states its own 预算执行数."""
    text = "\n".join([
        "七、项目经费情况说明",
        "1. 甲类事务支出 25.77 万元，主要用于普查。",
        "2022 年当年预算执行数为 60.13 万元，2023 年预算安排 25.77 万元，比 2022 年预算执行数减少 57.14%。",
        "2. 乙类事务支出 42.60 万元，主要用于社区事务。",
        "2022 年当年预算执行数为 45.41 万元，2023 年预算安排 42.60 万元，比 2022 年预算执行数减少 6.19%。",
    ])
    assert found(text, year=2023, codes="N008") == []
    # One item stating its 预算执行数 twice, differently, is still reported.
    twice = text + "2022 年当年预算执行数为 45.14 万元。"
    assert [c for c, _ in found(twice, year=2023, codes="N008")] == ["N008"]


def test_procurement_breakdown_amounts_keep_their_qualifiers():
    """N008: 采购金额 of 中小企业 / 小微企业 / other projects are different quantities."""
    text = ("六、政府采购情况\n2020 年度本部门面向中小企业预留政府采购项目预算金额 80.00 万元。在面向中小企业预留的项目中，"
            "由中小企业供应商中标的，采购金额 70.00 万元；在面向小微企业预留的项目中，由小微企业供应商中标的，"
            "采购金额 0 万元；在其他政府采购项目中，由中小企业供应商中标的，采购金额 5.10 万元。")
    assert found(text, codes="N008") == []


def test_growth_rate_takes_the_base_of_its_own_clause():
    """N002: an elliptical change after a numbered item is about that item, not the total."""
    text = "\n".join([
        "（二）支出预算总计 9,000.00 万元。包括：",
        "1. 一般公共服务（类）支出 6,543.55 万元，主要用于行政运行。与上年相比减少 108.56 万元，下降 1.63%。",
        "2. 社会保障和就业（类）支出 1,500.00 万元，主要用于离退休。与上年相比增加 100.00 万元，增长 7.14%。",
    ])
    assert found(text, codes="N002") == []
    wrong = text.replace("下降 1.63%", "下降 1.19%")  # 108.56 / 9108.56: the total's rate
    assert found(wrong, codes="N002") == [("N002", 2)]


def test_a_closing_total_is_not_one_of_the_parts():
    """N006: "…，合计 1170.00 万" restates the whole; it is not one more part."""
    text = "六、年度预算安排\n2025 年度项目总预算 1170.00 万，其中支持甲 870.00 万，支持乙 70.00 万，支持丙 180.00 万，支持丁 50.00 万，合计 1170.00 万。"
    assert found(text, year=2025, codes="N006") == []
    short = text.replace("支持丁 50.00 万，", "")
    assert [c for c, _ in found(short, year=2025, codes="N006")] == ["N006"]


def test_nested_numbered_lists_are_not_siblings():
    """N006: （一） items are the parts; 1、 items under them are parts of the parts."""
    text = "\n".join([
        "基本支出预算 5,836.27 万元，其中：",
        "（一）人员经费 4,704.35 万元",
        "1、工资福利支出（类）2,097.51 万元",
        "（二）公用经费 1,131.92 万元",
    ])
    assert found(text, codes="N006") == []
    wrong = text.replace("1,131.92", "1,311.92")
    assert [c for c, _ in found(wrong, codes="N006")] == ["N006"]


def test_an_item_list_goes_on_after_a_nested_list():
    """N006: （三） continues the （一）（二） list after （二）'s own 其中 list."""
    text = "\n".join([
        "2026 年“三公”经费预算数为 10.81 万元，比 2025 年预算持平。其中：",
        "（一）因公出国（境）费 0 万元，与 2025 年预算持平。",
        "（二）公务用车购置及运行费 9.98 万元，与 2025 年预算持平。其中：公务用车购置费 0 万元；公务用车运行费 9.98 万元。",
        "（三）公务接待费 0.83 万元。与 2025 年预算持平。",
    ])
    assert found(text, year=2026, codes="N006") == []
    wrong = text.replace("0.83", "0.38")
    assert [c for c, _ in found(wrong, year=2026, codes="N006")] == ["N006"]


def test_a_name_ending_in_a_direction_word_is_no_change():
    """"支持商销稳增长 30.00 万" is a part named 稳增长, not an increase."""
    text = "一、年度预算安排\n2025 年度项目总预算 400.00 万，其中支持外贸发展 370.00 万，支持商销稳增长 30.00 万，合计 400.00 万。"
    assert found(text, year=2025) == []


def test_comparison_with_this_years_budget_is_not_a_wrong_year():
    """N009/H006: "与 2020 年度预算相比" in a 2020 report compares with its own budget."""
    text = "三、支出决算情况\n2020 年度支出决算 90.00 万元，与 2020 年度预算相比减少 10.00 万元，下降 10.00%。"
    assert found(text, codes=("N009", "H006")) == []
    wrong = "三、支出决算情况\n2020 年度支出决算 90.00 万元，与 2018 年相比减少 10.00 万元，下降 10.00%。"
    assert {c for c, _ in found(wrong, codes=("N009", "H006"))} == {"N009", "H006"}


def test_a_budgets_year_end_figures_are_of_the_year_before():
    """H006: a 2023 budget states assets at the end of 2022."""
    budget = "示例区示例局2023年部门预算\n截止2022年12月31日，本部门共有车辆 3 辆。"
    assert found(budget, year=2023, codes="H006") == []
    final = "示例区示例局2023年度部门决算\n截止2022年12月31日，本部门共有车辆 3 辆。"
    assert found(final, year=2023, codes="H006") == [("H006", 2)]


def test_share_on_the_next_line_or_page():
    """H001: "占" ends a line; its percentage opens the next (after a page number)."""
    text = "本年支出 100.00 万元，其中基本支出 60.00 万元，占\n7\n60.00%；项目支出 40.00 万元，占 40.00%。"
    assert found(text, codes="H001") == []
    assert found("其中基本支出 60.00 万元，占；项目支出 40.00 万元。", codes="H001") == [("H001", 1)]


def test_numbering_inside_lines_tables_and_repeated_part_headings():
    """H003: an item opened inside a line, table rows, a part heading reprinted on the
    tables' pages and a list numbered on across sub-headings are not broken numbering."""
    text = "\n".join([
        "第一部分 概况",
        "（七）负责会计管理工作。（八）负责非税收入管理。",
        "（九）负责国库管理。",
        "具体包括：1. 本部",
        "2. 服务中心",
        "第二部分 部门预算表",
        "收入\t项目\t金额",
        "二、政府性基金\t\t",
        "第二部分 部门预算表",
        "（一）甲",
        "1.甲一。",
        "2.甲二。",
        "（二）乙",
        "3.乙一。",
        "第三部分 说明",
    ])
    text = "（一）一\n（二）二\n（三）三\n（四）四\n（五）五\n（六）六\n" + text
    assert found(text, codes="H003") == []
    assert [c for c, _ in found(text.replace("（九）", "（十）"), codes="H003")] == ["H003"]


def test_amount_without_unit_only_in_prose():
    """F005: a table row laid out as text is not prose; the unit may follow a page break."""
    rows = "其他人大事务支出 580.00\n收入合计 15897.44 支出合计 15897.44"
    assert found(rows, codes="F005") == []
    broken = "其中人大事务支出 403.75\n24\n万元，主要用于履职。"
    assert found(broken, codes="F005") == []
    assert found("2020年一般公共预算支出决算数为84.26，完成预算96.35%。", codes="F005") == [("F005", 1)]


def test_department_name_suffixes_and_wrapped_headers():
    """H004: （本级）/本部 is no truncation; a name wrapped onto the unit line is whole."""
    text = "\n".join(["部门：示例市示例区财政局", "部门：示例市示例区财政局（本级）", "部门名称：示例市示例",
                      "单位:万元区财政局", "部门：示例市示例区财政局"])
    assert found(text, codes="H004") == []
    cut = "部门：示例市示例区财政局\n部门：示例市示例\n部门：示例市示例区财政局"
    assert found(cut, codes="H004") == [("H004", 2)]


def test_blank_and_zero_is_a_note_by_default():
    assert hygiene.BlankAndZeroMixed.severity is Severity.NOTE


def test_contents_titles_worded_a_little_differently():
    """H002: the 目录 and the page may word a table's title differently."""
    toc = "目录\n一、2024年部门收支预算总表\n二、政府采购支出预算表\n三、政府性基金支出预算表\n\n正文"
    t1 = table("t1", "公开01表：收支预算总表", {"main": panel("main", [("合计", "合计", "total")], ["amount"],
                                                              {("合计", "amount"): "1.00"})}, line=20)
    t2 = table("t2", "2024年政府采购预算表", {"main": panel("main", [("合计", "合计", "total")], ["amount"],
                                                            {("合计", "amount"): "2.00"})}, line=30)
    t3 = table("t3", "财政拨款政府性基金支出预算表", {"main": panel("main", [("合计", "合计", "total")], ["amount"],
                                                                  {("合计", "amount"): "3.00"})}, line=40)
    assert found(toc + "\n" * 50, t1, t2, t3, codes="H002") == []
    assert [c for c, _ in found(toc + "\n" * 50, t1, t3, codes="H002")] == ["H002"]


def test_a_second_name_the_body_carries_is_not_a_variant():
    """H005: "加挂示例区经济委员会牌子" names the body's other plate, not a typo."""
    head = "部门：示例市示例区商务委员会\n部门：示例市示例区商务委员会\n"
    text = head + "示例市示例区商务委员会是区政府工作部门，加挂示例市示例区经济委员会牌子。"
    assert found(text, codes="H005") == []
    typo = head + "示例市示例区商务委员会是区政府工作部门。示例市示例区商务委圆会负责…"
    assert [c for c, _ in found(typo, codes="H005")] == ["H005"]


def test_rounded_shares_balanced_to_one_hundred_is_a_note():
    """N001: shares adjusted by one last-digit unit so they add up to 100% (a note)."""
    text = ("三、支出预算情况\n本年支出预算合计 15897.44 万元，其中：基本支出 7877.76 万元，占 49.55%；"
            "项目支出 6333.96 万元，占 39.84%；机动经费 1685.72 万元，占 10.61%。")
    assert found(text, codes="N001") == []
    wrong = text.replace("10.61%", "10.71%").replace("39.84%", "39.74%")
    assert [c for c, _ in found(wrong, codes="N001")] == ["N001", "N001"]


# =========================================================================== new checks


def test_n010_direction_words_against_the_numbers():
    ok = "1. 甲 45.00 万元。2019年当年预算执行数为45.41万元，2020年预算安排42.60万元，比2019年预算执行数减少6.19%。"
    assert found(ok, codes="N010") == []
    bad = ok.replace("减少6.19%", "增加6.19%")
    assert found(bad, codes="N010") == [("N010", 1)]
    flat_ok = "2. 乙 10.00 万元。2019年当年预算执行数为10.00万元，2020年预算安排10.00万元，比2019年预算执行数持平。"
    assert found(flat_ok, codes="N010") == []
    assert found(flat_ok.replace("2020年预算安排10.00", "2020年预算安排12.00"), codes="N010") == [("N010", 1)]
    versus = "“三公”经费年初预算为 9.15 万元，支出决算为 17.99 万元，完成年初预算的 196.6%，决算数大于预算数的主要原因是新增接待任务。"
    assert found(versus, codes="N010") == []
    assert found(versus.replace("大于", "小于"), codes="N010") == [("N010", 1)]


def test_n002_growth_from_a_zero_base_and_across_sentences():
    text = "3. 丙 20.00 万元。2019年当年预算执行数为0.00万元，2020年预算安排20.00万元，比2019年预算执行数增加100.00%。"
    fs = lint(text, codes="N002")
    assert [(f.code, f.severity) for f in fs] == [("N002", Severity.WARNING)] and "无从计算" in fs[0].message.zh
    # The amounts stated a sentence before the rate are linked to it.
    text = "4. 丁 11.91 万元。2019年当年预算执行数为9.00万元。2020年预算安排11.91万元，比2019年预算执行数增加32.33%。"
    assert found(text, codes="N002") == []
    assert found(text.replace("32.33%", "23.33%"), codes="N002") == [("N002", 1)]


def test_n011_completion_rate_on_the_other_budget():
    ok = "“三公”经费年初预算为 80.00 万元，全年预算为 100.00 万元，支出决算为 90.00 万元，完成年初预算的 112.50%。"
    assert found(ok, codes=("N004", "N011")) == []
    bad = ok.replace("112.50%", "90.00%")
    fs = lint(bad, codes=("N004", "N011"))
    assert [f.code for f in fs] == ["N011"] and "全年预算" in fs[0].message.zh


def test_n012_narrative_grand_total_against_the_tables():
    summary = table("budget_summary", "财务收支预算总表", {"main": panel(
        "main", [("收入总计", "收入总计", "grand_total"), ("支出总计", "支出总计", None)], ["amount"],
        {("收入总计", "amount"): "29,616,800.00", ("支出总计", "amount"): "29,616,800.00"})}, unit="元")
    ok = "四、预算编制说明\n2024 年度收入支出预算总计 2,961.68 万元。其中财政拨款收入预算总计 2,900.00 万元。"
    assert found(ok, summary, year=2024, codes="N012") == []
    assert found(ok.replace("2,961.68", "2,961.86"), summary, year=2024, codes="N012") == [("N012", 2)]


def _three_public(budget: dict, final: dict) -> Table:
    cols = ["total", "abroad", "reception"]
    data = {("budget", c): v for c, v in budget.items()}
    data.update({("final", c): v for c, v in final.items()})
    p = panel("main", [("budget", "预算数", "budget"), ("final", "决算数", "final")], cols, data)
    return table("table07", "财政拨款“三公”经费支出决算表", {"main": p})


def test_n013_three_public_budget_with_blank_actual():
    t = _three_public({"total": "0.95", "abroad": "", "reception": "0.95"}, {"total": "", "abroad": "", "reception": ""})
    silent = "七、“三公”经费支出决算情况说明\n本部门 2024 年度公务接待费支出决算为 0.00 万元，当年未发生公务接待。"
    assert found(silent, t, year=2024, codes="N013") == []
    fs = lint("七、其他说明\n本部门无其他需说明的事项。", t, year=2024, codes="N013")
    assert len(fs) == 2 and all(f.code == "N013" for f in fs)  # 合计 and 公务接待费


def test_n013_a_nonzero_amount_or_a_note_on_the_columns_explains_no_blank():
    """Old behaviour: 为0 matched 为0.69, and a paragraph naming 三公 anywhere with 结转
    in it (the table's note defining 决算数) explained every blank."""
    t = _three_public({"total": "0.95", "abroad": "0.95", "reception": ""}, {"total": "", "abroad": "", "reception": ""})
    text = ("七、“三公”经费支出决算情况说明\n“三公”经费财政拨款支出预算为 1.17 万元，支出决算为 0.69 万元。\n"
            "注：本表反映“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数；"
            "决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。")
    assert found(text, t, year=2024, codes="N013") == [("N013", 901), ("N013", 901)]  # 合计 and 因公出国（境）费 on the 决算数 row
    explained = text + "\n因公出国（境）费支出决算为 0 万元，当年未安排出国团组。"
    assert found(explained, t, year=2024, codes="N013") == []


def test_h007_department_level_dropped_from_a_header():
    cover = "示例市示例区司法局2026年部门预算\n"
    ok = cover + "部门：示例市示例区司法局\n部门：示例区司法局"
    assert found(ok, codes="H007") == []
    bad = cover + "部门：示例市示例区司法局\n部门：示例市司法局"
    fs = lint(bad, codes=("H004", "H007"))
    assert [(f.code, f.location.span.line) for f in fs] == [("H007", 3)] and "示例区" in fs[0].message.zh


@pytest.mark.parametrize("text, code", [
    ("一般公共预算财政拨款支出比上年增长 13.95。", "F010"),
    ("其中基本支出 60.00 万元，占 76.23；", "F010"),
    ("202 年度一般公共预算财政拨款支出 88.31 万元。", "F011"),
    ("“三公经费财政拨款支出决算为 0.95 万元。", "F012"),
    ("开展“调解协议检查”、优秀案例”活动。", "F012"),
])
def test_broken_units_years_and_quotes(text, code):
    assert found(text, codes=("F010", "F011", "F012")) == [(code, 1)]


@pytest.mark.parametrize("text", [
    "一般公共预算财政拨款支出比上年增长 13.95%。",
    "其中基本支出 60.00 万元，占 76.23%；",
    "比上年下降 2 个百分点。",
    "2020 年度一般公共预算财政拨款支出 88.31 万元。",
    "该馆历经 200 年风雨。",
    "“三公”经费财政拨款支出决算为 0.95 万元。",
    "增长\n13.95%。",
])
def test_well_written_units_years_and_quotes(text):
    assert found(text, codes=("F010", "F011", "F012")) == []


def test_a_block_of_items_repeated_word_for_word_is_no_numbering_slip():
    """H003: a PDF's hidden text layer repeats items already printed (（七）… after （十）)."""
    text = "（一）一。\n（二）二。\n（三）甲项工作。\n（四）乙项工作。\n（三）甲项工作。\n（四）乙项工作。\n（五）五。"
    assert found(text, codes="H003") == []
    slip = "（一）一。\n（二）二。\n（三）甲项工作。\n（四）乙项工作。\n（三）丙项工作。"
    assert found(slip, codes="H003") == [("H003", 5)]


def test_a_list_of_units_is_no_department_header():
    """H004: "序号 | 单位名称 | 备注" heads the list of the department's units."""
    text = "部门：示例区财政局\n序号\t单位名称\t备注\n1\t示例区财政局（本级）\t\n部门：示例区财政局"
    assert found(text, codes="H004") == []
    assert found(text + "\n部门名称\t示例区税务局\t", codes="H004") == [("H004", 5)]


def test_n014_an_item_restating_its_own_amount():
    ok = ("财政拨款支出主要内容如下：\n12、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）201.50万元。主要用于：缴纳公积金。"
          "2025年当年预算执行数为198.34万元，2026年预算安排201.50万元，比2025年预算执行数增加1.59%。")
    assert found(ok, year=2026, codes=("N014", "N002", "N005", "N008")) == []
    bad = ok.replace("（01项）201.50万元", "（01项）208.8万元")
    assert found(bad, year=2026, codes=("N014", "N002", "N005", "N008")) == [("N014", 2)]
    # Last year's amount in the same item is another quantity.
    assert found(ok.replace("2025年当年预算执行数为198.34", "2025年预算安排198.34"), year=2026, codes="N014") == []


def test_f013_doubled_punctuation():
    assert found("主要用于信息化建设等方面的支出。。2025年预算执行数为60.41万元。", codes="F013") == [("F013", 1)]
    assert found("主要用于信息化建设等方面的支出。2025年……", codes="F013") == []
    assert found("主要用于信息化建设等。。。", codes="F013") == []


def test_n015_class_named_otherwise_than_in_the_tables():
    rows = [("210", "卫生健康支出", None), ("21011", "行政事业单位医疗", None), ("2101101", "行政单位医疗", None)]
    p = panel("main", rows, ["total"], {("210", "total"): "1.00"}, codes=True)
    t = table("budget_general", "一般公共预算支出功能分类预算表", {"main": p})
    ok = "财政拨款支出主要内容如下：\n11、卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）114.97万元。"
    assert found(ok, t, year=2026, codes="N015") == []
    old = ok.replace("卫生健康支出（210类）", "医疗卫生与计划生育支出（210类）")
    fs = lint(old, t, year=2026, codes="N015")
    assert [(f.code, f.location.span.line) for f in fs] == [("N015", 2)] and "卫生健康支出" in fs[0].message.zh


def test_n014_budget_and_actual_of_one_project_are_two_quantities():
    text = ("三、项目绩效\n（2）甲项目绩效目标完成情况。项目全年预算数39.6万元，执行数为33.9万元，完成预算的85.61%。\n"
            "（4）乙项目。项目全年预算数5万元，执行数为5万元，完成预算的100%。通过项目实施对平台维护\n"
            "（5）丙项目。项目全年预算数30.74万元，执行数为30.74万元，完成预算的100%。")
    assert found(text, codes="N014") == []


def test_wrapped_contents_entry_and_name_broken_by_the_unit():
    """H002: a 目录 entry wrapped onto the next line; H004: the layout put the unit inside
    the department's name ("…办 单位：万元公厅")."""
    toc = "目录\n十一、一般公共预算“三公”经费、会议费、培训费支\n出预算表\n\n正文"
    t = table("t11", "“三公”经费、会议费、培训费支出预算", {"main": panel(
        "main", [("合计", "合计", "total")], ["amount"], {("合计", "amount"): "3.00"})}, line=20)
    assert found(toc + "\n" * 30, t, codes="H002") == []
    heads = "部门：示例省示例委员会办公厅\n部门：示例省示例委员会办 单位：万元公厅\n部门：示例省示例委员会办公厅"
    assert found(heads, codes="H004") == []
    assert found(heads.replace(" 单位：万元公厅", " 单位：万元"), codes="H004") == [("H004", 2)]


def test_performance_stages_are_different_quantities():
    """N008: the funds of projects at different 绩效 stages (编报 / 跟踪 / 自评)."""
    text = ("五、绩效管理情况\n2020 年编报绩效目标的项目 5 个，预算资金 100.00 万元；开展绩效跟踪的项目 4 个，"
            "预算资金 80.00 万元；开展绩效自评的项目 3 个，预算资金 60.00 万元。")
    assert found(text, codes="N008") == []
    again = text + "\n开展绩效自评的项目 3 个，预算资金 66.00 万元。"
    assert [c for c, _ in found(again, codes="N008")] == ["N008"]
