"""Claims read from the narrative: kinds, subjects, values (in 万元) and exact spans."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lint.model import Document, Span
from lint.readers.text import read_text_file, split_blocks
from lint.recognize.claims import extract_claims, money_value
from lint.model import Amount

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def claims(text: str, kind: str | None = None):
    out = extract_claims(doc(text))
    return [c for c in out if kind is None or c.kind == kind]


def one(text: str, kind: str, subject: str | None = None):
    found = [c for c in claims(text, kind) if subject is None or c.subject == subject]
    assert len(found) == 1, [(c.kind, c.subject) for c in claims(text)]
    return found[0]


def v(claim, role: str) -> Decimal:
    return claim.values[role].value


def col(line: str, needle: str, nth: int = 0) -> int:
    """1-based column of ``needle`` in ``line``."""
    start = -1
    for _ in range(nth + 1):
        start = line.index(needle, start + 1)
    return start + 1


# ---------------------------------------------------------------------- amounts


def test_plain_amount_subject_value_and_span():
    line = "本年收入合计 125.46 万元。"
    c = one(line, "amount")
    assert c.subject == "本年收入合计"
    assert v(c, "amount") == Decimal("125.46")
    assert c.values["amount"].decimals == 2
    assert c.unit == "万元"
    assert c.span == Span(1, 1, 1, col(line, "万元") + 2)
    assert c.spans["amount"] == Span(1, col(line, "125.46"), 1, col(line, "万元") + 2)


def test_amount_after_a_role_word_with_spaces_inside_words():
    line = "“三公”经费财政拨款支出预算为 8 万元，支 出决算为 4.21 万元。"
    budget, actual = claims(line, "amount")
    assert budget.subject == "“三公”经费财政拨款支出预算"
    assert v(budget, "amount") == 8
    # "支 出决算" (a space inside the word) is read as 支出决算 and takes the sentence's topic.
    assert actual.subject == "“三公”经费财政拨款支出决算"
    assert v(actual, "amount") == Decimal("4.21")
    assert actual.spans["amount"].col == col(line, "4.21")


def test_class_subject_keeps_its_mark():
    c = one("社会保障和就业（类）支出 12.30 万元。", "amount")
    assert c.subject == "社会保障和就业（类）支出"
    assert c.values["amount"].decimals == 2


def test_yuan_is_normalised_to_wan_with_its_precision():
    c = one("开支培训费 5000 元。", "amount")
    assert c.unit == "元"
    assert v(c, "amount") == Decimal("0.5")
    assert c.values["amount"].decimals == 4
    assert c.values["amount"].rounding == Decimal("0.00005")
    assert c.values["amount"].text == "5000"


def test_yi_yuan_keeps_a_coarse_rounding():
    c = one("各类收费 12.58 亿元。", "amount")
    assert c.unit == "亿元"
    assert v(c, "amount") == Decimal("125800")
    assert c.values["amount"].rounding == Decimal("50")


def test_money_value_keeps_wan_unchanged():
    a = Amount(Decimal("1.5"), 1, "1.5")
    assert money_value(a, Decimal(1)) is a


def test_wanyuan_left_out_in_a_money_context():
    line = "2020年一般公共预算支出决算数为332.77，完成预算97.89%。"
    c = one(line, "amount")
    assert c.unit is None
    assert v(c, "amount") == Decimal("332.77")
    comp = one(line, "completion")
    assert v(comp, "actual") == Decimal("332.77")
    assert v(comp, "percent") == Decimal("97.89")


def test_bare_number_outside_money_context_is_not_an_amount():
    assert claims("公开01表。项目编号为 3。", "amount") == []


def test_fullwidth_digits_are_read_and_flagged():
    line = "本年收入合计１２５．４６万元，其中：财政拨款收入１２５．２７万元，占９９．８％。"
    total = one(line, "amount", "本年收入合计")
    assert v(total, "amount") == Decimal("125.46")
    assert total.values["amount"].anomaly == "fullwidth-digits"
    assert total.values["amount"].text == "１２５．４６"
    share = one(line, "share")
    assert v(share, "percent") == Decimal("99.8")
    assert v(share, "base") == Decimal("125.46")


def test_threshold_is_not_an_amount():
    assert claims("单位价值 50 万元以上通用设备 0 台（套）。", "amount") == []


def test_counts_are_their_own_kind():
    text = "本单位共有车辆 2 辆，全年接待来宾 36 人次，单位价值 100 万元以上专用设备 3 台（套）。"
    counts = claims(text, "count")
    assert [(c.subject, v(c, "count"), c.unit) for c in counts] == [
        ("本单位共有车辆", 2, "辆"), ("全年接待来宾", 36, "人次"), ("单位价值100万元以上专用设备", 3, "台（套）")]
    assert claims(text, "amount") == []


def test_years_and_dates_are_not_values():
    assert claims("截至 2020 年 12 月 31 日，本单位无变化。") == []


# ---------------------------------------------------------------------- lines


def test_sentence_broken_across_a_page_break():
    text = "3、公务用车购置费及运行维护费支出决算为 0 万元，其中：公务用车\n\n购置费 1.5 万元，更新公务用车 0 辆。"
    c = one(text, "amount", "公务用车购置费")
    assert v(c, "amount") == Decimal("1.5")
    first = text.split("\n")[0]
    assert (c.span.line, c.span.col) == (1, col(first, "公务用车", 1))
    assert (c.span.end_line, c.span.end_col) == (3, col("购置费 1.5 万元", "万元") + 2)
    assert c.spans["amount"] == Span(3, 5, 3, 11)
    parts = one(text, "parts")
    assert [p.subject for p in parts.parts] == ["公务用车购置费"]


def test_number_broken_across_lines():
    text = "本年收入合计 12\n5.46 万元。"
    c = one(text, "amount")
    assert v(c, "amount") == Decimal("125.46")
    assert c.spans["amount"] == Span(1, 8, 2, 8)


def test_rate_on_the_next_page():
    text = "1、行政运行（项）。年初预算为102.55万元，支出决算为108.06万元，完成年初预算的\n\n105.9%，主要原因是工资变动。"
    c = one(text, "completion")
    assert (v(c, "budget"), v(c, "actual"), v(c, "percent")) == (Decimal("102.55"), Decimal("108.06"), Decimal("105.9"))
    assert c.spans["percent"] == Span(3, 1, 3, 7)


def test_heading_is_not_joined_to_the_sentence():
    c = one("二、收入决算情况说明\n本年收入合计 1.00 万元。", "amount")
    assert c.subject == "本年收入合计"
    assert c.span.line == 2


def test_title_line_is_not_joined():
    c = one("基本支出情况\n人员经费 3 万元。", "amount")
    assert c.subject == "人员经费"


def test_glossary_and_notes_state_no_claims():
    text = "\n".join([
        "注：本表金额 5 万元为示例。",
        "第四部分",
        "名词解释",
        "一、财政拨款收入：指单位从同级财政部门取得的 3 万元。",
        "二、其他收入：指单位取得的其他 4 万元。",
        "第五部分 附件",
        "项目支出 6 万元。",
    ])
    amounts = claims(text, "amount")
    assert [(c.subject, v(c, "amount")) for c in amounts] == [("项目支出", 6)]


def test_definition_sentence_is_skipped():
    assert claims("基本支出是指为保障机构正常运转的支出 5 万元。", "amount") == []


# ---------------------------------------------------------------------- shares and parts


def test_share_of_the_whole_named_earlier():
    line = "本年收入合计 125.46 万元，其中：财政拨款收入 125.27 万元，占 99%；其他收入 0.19 万元，占 1%。"
    shares = claims(line, "share")
    assert [(s.subject, v(s, "amount"), v(s, "percent"), v(s, "base"), s.base) for s in shares] == [
        ("财政拨款收入", Decimal("125.27"), 99, Decimal("125.46"), "本年收入合计"),
        ("其他收入", Decimal("0.19"), 1, Decimal("125.46"), "本年收入合计"),
    ]
    assert shares[1].spans["percent"] == Span(1, col(line, "1%"), 1, col(line, "1%") + 2)
    assert shares[0].spans["base"] == Span(1, col(line, "125.46"), 1, col(line, "125.46") + 9)
    parts = one(line, "parts")
    assert parts.subject == "本年收入合计"
    assert v(parts, "amount") == Decimal("125.46")
    assert [p.kind for p in parts.parts] == ["share", "share"]
    assert parts.span.col == 1 and parts.span.end_col == col(line, "1%") + 2


def test_share_with_explicit_base_suffix_of_the_whole():
    line = "2020 年度财政拨款基本支出 49.06 万元，其中：人员经费 43.30 万元，占基本支出的 88.2%，主要包括基本工资等；公用经费 5.76 万元，占基本支出的 11.8%。"
    shares = claims(line, "share")
    assert [(s.subject, s.base, v(s, "base")) for s in shares] == [
        ("人员经费", "基本支出", Decimal("49.06")), ("公用经费", "基本支出", Decimal("49.06"))]


def test_share_base_found_in_an_earlier_sentence():
    text = "本年支出合计 376.83 万元。\n2020年一般公共预算财政拨款支出332.77万元，占本年支出合计的88.31%。"
    s = one(text, "share")
    assert s.base == "本年支出合计"
    assert v(s, "base") == Decimal("376.83")
    assert s.spans["base"].line == 1


def test_share_base_unknown_is_left_out():
    s = one("共涉及资金 76.21 万元，占项目支出预算总额的 100%。", "share")
    assert s.base == "项目支出预算总额"
    assert "base" not in s.values


def test_share_of_a_different_subject_is_not_attached():
    text = "财政拨款支出 10 万元，主要用于：卫生健康（类）支出 1 万元，农林水（类）支出 0 万元，三类合计占 3.5%。"
    assert claims(text, "share") == []


def test_named_whole_without_amount():
    text = "2020 年度“三公”经费财政拨款支出决算中，公务接待费支出决算 0.44 万元，占 10.45%；公务用车购置及运行费 3.77 万元，占比 89.55%。"
    parts = one(text, "parts")
    assert parts.subject == "2020年度“三公”经费财政拨款支出决算"
    assert "amount" not in parts.values
    assert [p.subject for p in parts.parts] == ["公务接待费支出决算", "公务用车购置及运行费"]
    assert [s.base for s in claims(text, "share")] == [parts.subject, parts.subject]


def test_named_whole_takes_the_amount_stated_before():
    text = ("“三公”经费财政拨款支出预算为 8 万元，支出决算为 4.21 万元。\n"
            "“三公”经费财政拨款支出决算中，公务接待费支出决算 0.44 万元，占 10.45%。")
    share = one(text, "share")
    assert v(share, "base") == Decimal("4.21")
    assert share.spans["base"].line == 1


def test_list_opening_a_sentence_belongs_to_the_previous_amount():
    text = "实际预算收入929.65万元，均为财政拨款收入。其中基本支出拨款收入596.04万元，占64.11%；项目支出拨款收入333.61万元，占35.89%。"
    parts = one(text, "parts")
    assert v(parts, "amount") == Decimal("929.65")
    assert [v(p, "amount") for p in parts.parts] == [Decimal("596.04"), Decimal("333.61")]


def test_parenthetical_amount_is_not_the_whole():
    text = "2020年全年预算数384.49万元（含上年结转项目收入93.3万元），其中：基本支出224.01万元、项目支出160.48万元。"
    parts = one(text, "parts")
    assert v(parts, "amount") == Decimal("384.49")
    # Parts of a budget are budgets.
    assert [p.subject for p in parts.parts] == ["基本支出预算", "项目支出预算"]


def test_parts_list_continues_in_the_next_paragraph():
    text = ("2020年一般公共预算财政拨款基本支出221.27万元，其中：\n人员经费203.86万元，主要包括：基本工资等。\n"
            "　　日常公用经费17.41万元，主要包括：办公费等。")
    parts = one(text, "parts")
    assert [(p.subject, v(p, "amount")) for p in parts.parts] == [
        ("人员经费", Decimal("203.86")), ("日常公用经费", Decimal("17.41"))]
    assert parts.span.end_line == 3


def test_next_sentence_that_overshoots_is_not_a_part():
    text = "基本支出 10.00 万元，其中：人员经费 6.00 万元。公用经费 5.00 万元。"
    parts = one(text, "parts")
    assert [p.subject for p in parts.parts] == ["人员经费"]


def test_budget_and_actual_pairs_are_not_mixed_into_parts():
    text = ("“三公”经费财政拨款支出预算为 8 万元，支出决算为 4.21 万元，完成预算的 52.62%，其中：因公出国（境）费支出预算数 0 万元，"
            "支出决算 0 万元；公务接待费支出预算数 4 万元，支出决算 0.44 万元，占预算的 11%；公务用车购置及运行费年初预算 4 万元，"
            "支出决算为 3.77 万元，占预算的 94.25%。")
    parts = one(text, "parts")
    assert [(p.subject, v(p, "amount")) for p in parts.parts] == [
        ("因公出国（境）费支出决算", 0), ("公务接待费支出决算", Decimal("0.44")),
        ("公务用车购置及运行费支出决算", Decimal("3.77"))]
    comps = claims(text, "completion")
    assert [(c.subject, v(c, "budget"), v(c, "actual"), v(c, "percent")) for c in comps] == [
        ("“三公”经费财政拨款", 8, Decimal("4.21"), Decimal("52.62")),
        ("公务接待费", 4, Decimal("0.44"), 11),
        ("公务用车购置及运行费", 4, Decimal("3.77"), Decimal("94.25")),
    ]


def test_enumeration_with_dunhao():
    text = "本部门政府采购支出总额 0 万元，其中：政府采购货物支出 13.36 万元、政府采购工程支出 0 万元、政府采购服务支出 0 万元。"
    parts = one(text, "parts")
    assert parts.subject == "本部门政府采购支出总额"
    assert [v(p, "amount") for p in parts.parts] == [Decimal("13.36"), 0, 0]


def test_shou_zhi_total_is_one_name():
    c = one("2020 年度收、支总计 125.46 万元。", "amount")
    assert c.subject == "2020年度收、支总计"


# ---------------------------------------------------------------------- changes


def test_change_with_current_in_the_previous_sentence():
    line = "2020 年度收、支总计 125.46 万元。与上年相比，增加 88.31 万元，增长 71%，主要是因为调整预算。"
    c = one(line, "change")
    assert (v(c, "current"), v(c, "delta"), v(c, "percent")) == (Decimal("125.46"), Decimal("88.31"), 71)
    assert c.direction == "increase"
    assert c.base == "上年"
    assert c.subject == "2020年度收、支总计"
    assert c.spans["delta"] == Span(1, col(line, "88.31"), 1, col(line, "88.31") + 8)
    assert c.spans["percent"] == Span(1, col(line, "71%"), 1, col(line, "71%") + 3)
    assert c.spans["current"].col == col(line, "125.46")


def test_decrease_against_the_budget():
    c = one("本部门 2020 年度机关运行经费支出 5.76 万元，比年初预算数减少 1.84 万元，降低 24.2%。", "change")
    assert c.direction == "decrease"
    assert c.base == "年初预算数"
    assert c.subject == "本部门2020年度机关运行经费支出"
    assert "compared_year" not in c.values
    assert v(c, "year") == 2020


def test_change_with_previous_value_stated():
    line = "2018 年收入 608.72 万元，其中财政拨款收入 608.72 万元，占总收入的 100%；与 2017 年的收入 591.15 万元相比增加 17.57 万元增长 2.9%。"
    c = one(line, "change")
    assert (v(c, "current"), v(c, "previous"), v(c, "delta"), v(c, "percent")) == (
        Decimal("608.72"), Decimal("591.15"), Decimal("17.57"), Decimal("2.9"))
    assert v(c, "compared_year") == 2017
    assert c.spans["compared_year"] == Span(1, col(line, "2017"), 1, col(line, "2017") + 4)
    assert c.spans["previous"].col == col(line, "591.15")
    # The previous year's value is not an amount of this year.
    assert Decimal("591.15") not in [v(a, "amount") for a in claims(line, "amount")]


def test_change_without_xiangbi():
    c = one("2018 年支出 619.54 万元与 2017 年的支出 597.72 万元增加 21.82 万元增长 3.6%。", "change")
    assert (v(c, "current"), v(c, "previous")) == (Decimal("619.54"), Decimal("597.72"))


def test_rate_only_change():
    c = one("实际支出三公经费 4.22 万元，比上年减少 30%。", "change")
    assert c.direction == "decrease"
    assert "delta" not in c.values and v(c, "percent") == 30
    assert v(c, "current") == Decimal("4.22")


def test_approximate_rate_is_not_read():
    assert claims("新增企业11417户，同比增长约5.7%。", "change") == []


def test_unspecified_direction():
    c = one("公务接待费支出决算比2019年增加/减少0万元。", "change")
    assert c.direction is None
    assert v(c, "compared_year") == 2019
    assert v(c, "delta") == 0


def test_named_change_subject():
    text = "2020 年度财政拨款支出 125.27 万元，占本年支出合计的 99.9%，与上年相比，财政拨款支出增加 88.12 万元，增长 237.2%。"
    c = one(text, "change")
    assert c.subject == "财政拨款支出"
    assert v(c, "current") == Decimal("125.27")


# ---------------------------------------------------------------------- completion


@pytest.mark.parametrize("text, budget, actual, pct", [
    ("年初预算为 44.93 万元，支出决算为 125.27 万元，完成年初预算的 278.8%。", "44.93", "125.27", "278.8"),
    ("项目全年预算数67.18万元，执行数为67.18万元，完成预算的100%。", "67.18", "67.18", "100"),
    ("工作经费年初预算23.5万元，实际支出18.21万元，执行率为77.49%，剩余5.29万元上缴财政。", "23.5", "18.21", "77.49"),
    ("行政运行年初预算 435.88 万元支出决算为 485.47 万元，完成年初预算的 111%。", "435.88", "485.47", "111"),
])
def test_completion_shapes(text, budget, actual, pct):
    c = one(text, "completion")
    assert (v(c, "budget"), v(c, "actual"), v(c, "percent")) == (Decimal(budget), Decimal(actual), Decimal(pct))
    assert c.spans["budget"].col == col(text, budget) and c.spans["actual"].col == col(text, actual, 1 if budget == actual else 0)


def test_completion_without_budget():
    c = one("1.行政运行（项）: 支出决算为77.74万元，完成预算100%。", "completion")
    assert "budget" not in c.values and v(c, "actual") == Decimal("77.74")


# ---------------------------------------------------------------------- whole documents


def test_deterministic():
    text = "本年收入合计 125.46 万元，其中：财政拨款收入 125.27 万元，占 99%。与上年相比，增加 1 万元，增长 1%。"
    assert extract_claims(doc(text)) == extract_claims(doc(text))


def test_every_claim_span_is_inside_the_source():
    for path in SEEDS:
        d = read_text_file(path)
        for c in extract_claims(d):
            for span in [c.span, *c.spans.values()]:
                assert 1 <= span.line <= span.end_line <= len(d.lines)
                assert span.col >= 1
                if span.line == span.end_line:
                    assert span.end_col > span.col
            if c.kind in ("amount", "share"):
                a = c.spans["amount"]
                if a.line == a.end_line:
                    written = d.lines[a.line - 1][a.col - 1:a.end_col - 1]
                    assert c.values["amount"].text.replace(" ", "") in written.replace(" ", "")


def test_seeds_yield_the_sentences_a_reader_sees():
    by_seed = {p.name[:3]: extract_claims(read_text_file(p)) for p in SEEDS}
    assert set(by_seed) == {"000", "001", "002", "003", "004"}
    changes = {(c.span.line, v(c, "percent")) for c in by_seed["000"] if c.kind == "change" and "percent" in c.values}
    assert (318, 71) in changes
    parts = [c for c in by_seed["004"] if c.kind == "parts" and c.span.line == 78]
    assert parts and v(parts[0], "amount") == 0 and v(parts[0].parts[0], "amount") == Decimal("13.36")
    comps = [c for c in by_seed["001"] if c.kind == "completion"]
    assert len(comps) == 5
    # The glossary of each seed yields nothing.
    for seed, cs in by_seed.items():
        assert all("：指" not in c.sentence for c in cs), seed


# ---------------------------------------------------------------------- robustness

from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "本年收入合计", "基本支出", "其中：", "占", "的", "%", "％", "万元", "元", "亿元", "个", "辆", "，", "。", "；", "、",
    "与上年相比", "增加", "减少", "增长", "降低", "完成预算的", "执行率为", "年初预算为", "支出决算为", "（", "）",
    "中，", "比2018年", "2020年度", "12", "125.46", "０．５", "0", "1,367.76", "\n", "\n\n", " ", "　", "注：",
    "名词解释", "第四部分", "一、", "（一）", "1、", "收、支总计", "：指", "以上", "约", "增加/减少", "\t",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_text_yields_well_formed_claims(pieces):
    d = doc("".join(pieces))
    for c in extract_claims(d):
        assert c.kind in {"amount", "share", "change", "completion", "parts", "count"}
        for span in [c.span, *c.spans.values()]:
            assert 1 <= span.line <= span.end_line <= len(d.lines)
            assert span.col >= 1 and (span.end_line > span.line or span.end_col > span.col)
        for value in c.values.values():
            assert isinstance(value.value, Decimal)
