"""Checks of 绩效自评表 and of what the prose says about them (codes ``P001``…).

Scores and weights are awarded in the precision they are written (an indicator's 得分
is "18", not "about 18"), so sums of them are compared exactly; money amounts and
percentages are compared rounding-aware, each operand allowed half a unit of its last
written decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Iterator

from lint.engine.rules import Rule, RuleContext
from lint.model import Amount, Finding
from lint.numbers import fmt

from .narrative import Paragraph, grade_statements, paragraphs, project_claims, ratio_percent
from .tables import (NATIONAL_BANDS, BandDefinition, FundRow, PerfTable, Value, canonical_grade,
                     document_bands, read_performance_tables)


def _n(d: Decimal) -> str:
    """A score or weight for messages: as few decimals as it needs."""
    return format(d.normalize(), "f")


def _rate(v: Value) -> tuple[Decimal, Decimal]:
    """A stated 执行率 as (percent, rounding).  Some tables write 0.95 for 95%."""
    a = v.amount
    if not a.percent and a.value <= Decimal("1.5"):
        return a.value * 100, a.rounding * 100
    return a.value, a.rounding


def _same(a: Amount, b: Amount) -> bool:
    """Could ``a`` and ``b`` be the same quantity, each rounded as written?  Rounding
    intervals are half-open, so 42.60 and 42.61 cannot both stand for one value."""
    diff = abs(a.value - b.value)
    return diff == 0 or diff < a.rounding + b.rounding


def _amount(v: Value | None) -> Amount | None:
    return v.amount if v is not None and v.amount is not None and not v.amount.percent else None


def _spent(row: FundRow) -> tuple[Amount, Amount, tuple[Decimal, Decimal]] | None:
    """The row's 全年预算数, its 全年执行数, and the interval (percent) 执行数 ÷ 预算数 can
    take; ``None`` when either amount is missing or the budget may be zero."""
    budget, executed = _amount(row.get("budget")), _amount(row.get("executed"))
    if budget is None or executed is None:
        return None
    interval = ratio_percent(executed, budget)
    return None if interval is None else (budget, executed, interval)


def _indicator_values(table: PerfTable, column: str) -> list[Value] | None:
    """Every indicator's ``weight`` or ``score``; ``None`` when one of them is missing."""
    values = [getattr(i, column) for i in table.indicators()]
    return None if not values or any(v is None for v in values) else values


def _money(a: Amount) -> str:
    return fmt(a.value, max(a.decimals, 2))


class _PerfRule(Rule):
    """Shared reading for the rules of this module."""

    def perf_tables(self, ctx: RuleContext) -> list[PerfTable]:
        # Eleven rules read the same tables: parse them once per filing.
        return ctx.cached("performance-tables", lambda c: read_performance_tables(c.document))

    def perf_paragraphs(self, ctx: RuleContext) -> list[Paragraph]:
        """The prose outside the performance tables (read once per filing)."""
        return ctx.cached("performance-paragraphs", lambda c: paragraphs(c.document, self.perf_tables(c)))

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for table in self.perf_tables(ctx):
            yield from self.check_table(ctx, table)

    def check_table(self, ctx: RuleContext, table: PerfTable) -> Iterator[Finding]:  # pragma: no cover
        return iter(())


# --------------------------------------------------------------------------- weights and scores


class SectionWeightMismatch(_PerfRule):
    """一级指标下各三级指标分值之和与标注的分值不符

    ## What it does
    In a 绩效自评表 whose 一级指标 cells state a cap (``产出指标 (50分)``), adds up the 分值
    of the indicators under it and compares the sum with the cap.

    ## Why is this bad?
    The cap is the share of the 100 points the template gives that dimension; weights
    that add up to something else mean an indicator was dropped, duplicated or mistyped,
    and the table's 总分 no longer rests on 100 points.

    ## Example
    ```
    ⇥产出指标（40 分）⇥数量指标⇥…⇥15⇥15
    ⇥⇥质量指标⇥…⇥10⇥9
    ⇥⇥时效指标⇥…⇥5⇥5
    ⇥⇥成本指标⇥…⇥5⇥4
    ```
    The weights add up to 35, not 40.
    """

    code = "P001"
    name = "performance.section-weight-mismatch"
    summary_en = "Indicator weights of a 一级指标 do not add up to its stated points"

    def check_table(self, ctx, table):
        for section in table.sections:
            if section.cap is None or section.cap.amount is None or not section.indicators:
                continue
            weights = [i.weight for i in section.indicators]
            if any(w is None for w in weights):
                continue
            total = sum((w.value for w in weights), Decimal(0))
            cap = section.cap.amount.value
            if total == cap:
                continue
            yield self.finding(
                ctx, section.cap.span,
                f"「{table.label}」中{section.name}标注为{_n(cap)}分，但其下{len(weights)}个三级指标的分值合计为"
                f"{_n(total)}分（第{section.span.line}行起）。",
                f"In '{table.label}', {section.name} states {_n(cap)} points but the weights of its "
                f"{len(weights)} indicators add up to {_n(total)} (from line {section.span.line}).",
                label=section.name, expected=_n(cap), actual=_n(total),
                related=[ctx.location(w.span, i.name) for w, i in zip(weights, section.indicators)],
            )


class TotalWeightMismatch(_PerfRule):
    """各项分值（含预算执行率）合计不等于总分

    ## What it does
    Adds the 分值 of every indicator and of the 预算执行率 item and compares the sum with
    the 总分 row's 分值 (100 when the row states none).

    ## Why is this bad?
    The self-evaluation is scored out of 100; when the weights add up to less or more,
    every score and the grade derived from them are on a wrong scale.

    ## Example
    ```
    ⇥合计⇥⇥0⇥24.00⇥21.60⇥10⇥90%⇥9       (执行率 item: 10 points)
    … indicators weighing 50 + 20 + 10 …
    总分⇥⇥⇥⇥⇥⇥100⇥88⇥等级：良
    ```
    10 + 80 = 90, not 100.
    """

    code = "P002"
    name = "performance.total-weight-mismatch"
    summary_en = "Weights of all items do not add up to the total points"

    def check_table(self, ctx, table):
        weights = _indicator_values(table, "weight")
        if weights is None:
            return
        rate_weight = table.fund("weight")
        if rate_weight is None and table.kind != "completion" and table.funds:
            return  # the 执行率 item's weight is missing: the sum would be short for that alone
        total = sum((w.value for w in weights), Decimal(0)) + (rate_weight.value if rate_weight else Decimal(0))
        stated = table.total_weight
        expected = stated.value if stated is not None and stated.amount is not None else Decimal(100)
        if table.total_weight is None and table.total_score is None and not any(s.cap for s in table.sections):
            return  # an unscored table (e.g. 目标完成情况表): nothing to add up to
        if total == expected:
            return
        where = stated.span if stated is not None else (table.total_span or table.span)
        parts = f"执行率{_n(rate_weight.value)}分 + " if rate_weight else ""
        yield self.finding(
            ctx, where,
            f"「{table.label}」各项分值合计应为{_n(expected)}分，实际为{parts}指标分值"
            f"{_n(total - (rate_weight.value if rate_weight else 0))}分 = {_n(total)}分。",
            f"In '{table.label}', the weights should add up to {_n(expected)} but "
            f"{'the 执行率 item ' + _n(rate_weight.value) + ' + ' if rate_weight else ''}the indicators "
            f"{_n(total - (rate_weight.value if rate_weight else 0))} = {_n(total)}.",
            label="总分", expected=_n(expected), actual=_n(total),
        )


class ScoreExceedsWeight(_PerfRule):
    """得分高于该项分值

    ## What it does
    Compares each indicator's 得分 (and the 预算执行率 item's) with its 分值.

    ## Why is this bad?
    A score is the part of the weight earned; more than the weight is impossible and
    usually means the two columns were swapped or a digit was mistyped.

    ## Example
    ```
    ⇥⇥时效指标⇥按期完成系统验收⇥100%⇥100%⇥10⇥12
    ```
    """

    code = "P003"
    name = "performance.score-exceeds-weight"
    summary_en = "A score is higher than the item's weight"

    def check_table(self, ctx, table):
        items = [(i.name or i.category, i.weight, i.score) for i in table.indicators()]
        total = table.fund_total
        if total is not None:
            items.insert(0, ("预算执行率", total.get("weight"), total.get("score")))
        for name, weight, score in items:
            if weight is None or score is None or weight.amount is None or score.amount is None:
                continue
            if score.value > weight.value:
                yield self.finding(
                    ctx, score.span,
                    f"「{table.label}」中「{name}」得分{_n(score.value)}分，高于其分值{_n(weight.value)}分"
                    f"（第{score.span.line}行）。",
                    f"In '{table.label}', '{name}' scores {_n(score.value)}, more than its weight "
                    f"{_n(weight.value)} (line {score.span.line}).",
                    label=name, expected=f"≤ {_n(weight.value)}", actual=_n(score.value),
                    related=[ctx.location(weight.span, "分值")],
                )


class TotalScoreMismatch(_PerfRule):
    """总分得分不等于各项得分之和

    ## What it does
    Adds the 得分 of every indicator and of the 预算执行率 item and compares the sum with
    the 得分 stated in the 总分 row.

    ## Why is this bad?
    The 总分 decides the grade; a total that is not the sum of its parts misstates the
    result of the evaluation.

    ## Example
    ```
    … scores 9 + 45 + 27 + 8 …
    ⇥总分⇥⇥⇥⇥⇥100⇥91⇥等级: 优
    ```
    The parts add up to 89.
    """

    code = "P004"
    name = "performance.total-score-mismatch"
    summary_en = "The total score is not the sum of the item scores"

    def check_table(self, ctx, table):
        stated = table.total_score
        if stated is None or stated.amount is None:
            return
        scores = _indicator_values(table, "score")
        if scores is None:
            return
        rate_score = table.fund("score")
        parts = scores + ([rate_score] if rate_score is not None else [])
        total = sum((s.value for s in parts), Decimal(0))
        # A total written with fewer decimals than its parts was rounded; otherwise exact.
        tolerance = stated.amount.rounding if stated.amount.decimals < max(p.amount.decimals for p in parts) else 0
        if abs(total - stated.value) <= tolerance:
            return
        yield self.finding(
            ctx, stated.span,
            f"「{table.label}」总分得分为{_n(stated.value)}分，但各项得分合计为{_n(total)}分"
            f"（{'执行率' + _n(rate_score.value) + '分 + ' if rate_score else ''}指标"
            f"{_n(total - (rate_score.value if rate_score else 0))}分）。",
            f"In '{table.label}', the total score is {_n(stated.value)} but the item scores add up to "
            f"{_n(total)}.",
            label="总分", expected=_n(total), actual=_n(stated.value),
        )


# --------------------------------------------------------------------------- execution rate


class ExecutionRateMismatch(_PerfRule):
    """执行率与全年执行数÷全年预算数不符

    ## What it does
    Divides the 全年执行数 of the 资金情况 total row by its 全年预算数 and compares the
    result with the stated 执行率, allowing for how precisely each number was written.

    ## Why is this bad?
    The 执行率 earns the 预算执行率 points; a rate that does not follow from the amounts
    beside it misstates both the execution and the score.

    ## Example
    ```
    ⇥合计⇥⇥0⇥24.00⇥21.60⇥10⇥95%⇥9.5
    ```
    21.60 / 24.00 = 90%, not 95%.
    """

    code = "P005"
    name = "performance.execution-rate-mismatch"
    summary_en = "执行率 is not 全年执行数 / 全年预算数"

    def check_table(self, ctx, table):
        total = table.fund_total
        if total is None:
            return
        rate, spent = total.get("rate"), _spent(total)
        if rate is None or rate.amount is None or spent is None:
            return
        budget, executed, (lo, hi) = spent
        r = rate.amount
        pct, rounding = _rate(rate)
        r_lo, r_hi = pct - rounding, pct + rounding
        if r_hi >= lo and r_lo <= hi:
            return
        # Many templates cap the rate at 100% when more than the budget was spent.
        if lo > 100 and pct == 100:
            return
        computed = executed.value / budget.value * 100
        yield self.finding(
            ctx, rate.span,
            f"「{table.label}」执行率写为{rate.text}，但全年执行数{_money(executed)}万元 ÷ 全年预算数"
            f"{_money(budget)}万元 = {fmt(computed, max(r.decimals, 2))}%。",
            f"In '{table.label}', the execution rate reads {rate.text} but 全年执行数 {_money(executed)} / "
            f"全年预算数 {_money(budget)} = {fmt(computed, max(r.decimals, 2))}%.",
            label="执行率", expected=f"{fmt(computed, max(r.decimals, 2))}%", actual=rate.text,
            related=[ctx.location(total.values["executed"].span, "全年执行数"),
                     ctx.location(total.values["budget"].span, "全年预算数")],
        )


class RateScoreMismatch(_PerfRule):
    """预算执行率得分不等于分值×执行率

    ## What it does
    Multiplies the 预算执行率 item's 分值 by its 执行率 (the stated rate, or 执行数/预算数
    when none is stated; at most 100%) and compares the product with its 得分.

    ## Why is this bad?
    The template defines the score as 分值 × 执行率 (the column header says so); any other
    number misstates the total.

    ## Example
    ```
    ⇥合计⇥⇥0⇥24.00⇥21.60⇥10⇥90%⇥10
    ```
    10 × 90% = 9, not 10.
    """

    code = "P006"
    name = "performance.rate-score-mismatch"
    summary_en = "The execution-rate score is not weight × rate"

    def check_table(self, ctx, table):
        total = table.fund_total
        if total is None:
            return
        weight, score, rate = total.get("weight"), total.get("score"), total.get("rate")
        if weight is None or score is None:
            return
        if rate is not None and rate.amount is not None:
            pct, rounding = _rate(rate)
            r_lo, r_hi = pct - rounding, pct + rounding
            rate_text = rate.text
        else:
            spent = _spent(total)
            if spent is None:
                return
            budget, executed, (r_lo, r_hi) = spent
            rate_text = f"{fmt(executed.value / budget.value * 100, 2)}%"
        cap = Decimal(100)
        lo = weight.value * min(r_lo, cap) / 100
        hi = weight.value * min(r_hi, cap) / 100
        s = score.amount
        if s.value + s.rounding >= lo and s.value - s.rounding <= hi:
            return
        mid = weight.value * min((r_lo + r_hi) / 2, cap) / 100
        yield self.finding(
            ctx, score.span,
            f"「{table.label}」预算执行率得分应为分值{_n(weight.value)} × 执行率{rate_text} = "
            f"{_n(mid.quantize(Decimal('0.01')))}分，表中写为{score.text}分。",
            f"In '{table.label}', the execution-rate score should be {_n(weight.value)} × {rate_text} = "
            f"{_n(mid.quantize(Decimal('0.01')))}, the table says {score.text}.",
            label="执行率得分", expected=_n(mid.quantize(Decimal("0.01"))), actual=score.text,
        )


# --------------------------------------------------------------------------- grades


def _bands(ctx: RuleContext, tables: list[PerfTable], table: PerfTable | None = None) -> BandDefinition:
    if table is not None and table.bands is not None:
        return table.bands
    return document_bands(ctx.document, tables) or NATIONAL_BANDS


def _band_source(bands: BandDefinition) -> tuple[str, str]:
    if bands.span is None:
        return "通用等级标准（90分及以上为优，80—90分为良，60—80分为中，60分以下为差）", \
            "the usual national bands (≥90 优, 80–90 良, 60–80 中, <60 差)"
    return f"文件第{bands.span.line}行的等级划分", f"the bands defined on line {bands.span.line}"


class GradeMismatch(_PerfRule):
    """自评表的等级与总分不符

    ## What it does
    Looks up the 总分 in the grade bands the filing itself prints (``备注：…85分（含）—100分
    为优，70分（含）—85分为良…``; either bracket width, ``以上``/``以下``) and compares the
    grade with the one stated beside the total.  Only when the filing prints no bands are
    the usual national ones used (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60).

    ## Why is this bad?
    The grade is what readers and the budget office act on; a grade the total does not
    earn under the filing's own scale is a misstatement.

    ## Example
    ```
    ⇥总分⇥⇥⇥⇥⇥100⇥85⇥等级: 良
    备注: … 85分(含)—100分为优,70分(含)—85分为良 …
    ```
    85 is 优 under the printed bands (良 only under the national ones).
    """

    code = "P007"
    name = "performance.grade-mismatch"
    summary_en = "The stated grade does not match the total score"

    def check(self, ctx):
        tables = self.perf_tables(ctx)
        for table in tables:
            if table.grade is None or table.total_score is None or table.total_score.amount is None:
                continue
            stated = canonical_grade(table.grade.text)
            if stated is None:
                continue
            bands = _bands(ctx, tables, table)
            band = bands.band_for(table.total_score.value)
            if band is None or canonical_grade(band.grade) == stated:
                continue
            src_zh, src_en = _band_source(bands)
            yield self.finding(
                ctx, table.grade.span,
                f"「{table.label}」总分{_n(table.total_score.value)}分，按{src_zh}应为「{band.grade}」"
                f"（{band.describe()}），表中等级为「{table.grade.text}」。",
                f"In '{table.label}', a total of {_n(table.total_score.value)} is '{band.grade}' under "
                f"{src_en}, but the table grades it '{table.grade.text}'.",
                label="等级", expected=band.grade, actual=table.grade.text,
                related=[ctx.location(table.total_score.span, "总分")]
                + ([ctx.location(bands.span, "等级划分")] if bands.span else []),
            )


class NarrativeGradeMismatch(_PerfRule):
    """正文所述自评等级与得分不符

    ## What it does
    Finds sentences that state a score and a grade (``自评得分为92分，等级为良``,
    ``项目支出绩效自评成绩为96分，自评等级为良好``) and checks the grade against the
    bands the filing prints, or the usual national bands when it prints none.

    ## Why is this bad?
    The report's conclusion contradicts its own scoring rule.

    ## Example
    ```
    项目支出绩效自评成绩为96分，自评等级为良好。
    ```
    96 points is 优 (优秀).
    """

    code = "P008"
    name = "performance.narrative-grade-mismatch"
    summary_en = "A grade stated in the text does not match the score stated with it"

    def check(self, ctx):
        tables = self.perf_tables(ctx)
        bands = _bands(ctx, tables)
        src_zh, src_en = _band_source(bands)
        for st in grade_statements(self.perf_paragraphs(ctx)):
            stated = canonical_grade(st.grade)
            band = bands.band_for(st.score.value)
            if stated is None or band is None or canonical_grade(band.grade) == stated:
                continue
            yield self.finding(
                ctx, st.grade_span,
                f"正文称得分{_n(st.score.value)}分、等级为「{st.grade}」，但按{src_zh}，{_n(st.score.value)}分"
                f"应为「{band.grade}」（{band.describe()}）。",
                f"The text states {_n(st.score.value)} points graded '{st.grade}', but under {src_en} "
                f"{_n(st.score.value)} points is '{band.grade}'.",
                label="等级", expected=band.grade, actual=st.grade,
                related=[ctx.location(st.score_span, "得分")]
                + ([ctx.location(bands.span, "等级划分")] if bands.span else []),
            )


# --------------------------------------------------------------------------- amounts


_ROLE_ZH = {"budget": "预算", "initial": "年初预算", "executed": "执行（支付）", "balance": "结余",
            "headline": "金额", "rate": "执行率"}
_ROLE_EN = {"budget": "budget", "initial": "initial budget", "executed": "amount spent", "balance": "balance",
            "headline": "amount", "rate": "execution rate"}


class ProjectAmountInconsistent(_PerfRule):
    """自评表内的金额互相矛盾（预算、执行、支付、结余）

    ## What it does
    Reads the money amounts written inside indicator cells (``2022年预算资金24.00万元``,
    ``2022年支付资金216.00万元``, ``支出21.6万元，结余2.4万元``) and checks them against the
    table's own 预算数 and 执行数: a year's budget (after any 追加/追减 stated with it)
    must be the 预算数, a year's payment must be the 执行数 and cannot exceed the budget,
    and 预算 − 执行 must equal a stated 结余.

    ## Why is this bad?
    One table stating two different amounts for the same money leaves the reader unable
    to tell what was spent; it is typically a typo or a cell copied from another project.

    ## Example
    ```
    ⇥预算数:⇥24.00万元⇥执行数:⇥21.60万元
    …
    ⇥2022年预算资金24.00万元
    ⇥2022年支付资金216.00万元
    ```
    """

    code = "P009"
    name = "performance.project-amount-inconsistent"
    summary_en = "Amounts inside one performance table contradict each other"

    def check_table(self, ctx, table):
        budget, executed = _amount(table.fund("budget")), _amount(table.fund("executed"))
        groups: dict[int, list] = {}
        for st in table.statements:
            groups.setdefault(st.group, []).append(st)
        for statements in groups.values():
            adjust = sum((s.amount.value if s.role == "adjust_up" else -s.amount.value
                          for s in statements if s.role in ("adjust_up", "adjust_down")), Decimal(0))
            adjust_rounding = sum((s.amount.rounding for s in statements if s.role.startswith("adjust")), Decimal(0))
            cell_budget = next((s for s in statements if s.role == "budget"), None)
            cell_exec = next((s for s in statements if s.role == "executed"), None)
            for s in statements:
                if s.role == "budget" and s.whole and budget is not None:
                    stated = s.amount.value + adjust
                    if abs(stated - budget.value) > s.amount.rounding + adjust_rounding + budget.rounding:
                        how = f"（{_money(s.amount)}万元经追加/追减后为{fmt(stated)}万元）" if adjust else ""
                        yield self.finding(
                            ctx, s.span,
                            f"「{table.label}」指标中写预算{_money(s.amount)}万元{how}，与表头预算数"
                            f"{_money(budget)}万元不符。",
                            f"In '{table.label}', an indicator states a budget of {_money(s.amount)} "
                            f"({fmt(stated)} after adjustments) but the table's 预算数 is {_money(budget)}.",
                            label="预算", expected=_money(budget), actual=fmt(stated),
                            related=[ctx.location(table.fund("budget").span, "预算数")],
                        )
                elif s.role == "executed":
                    limit = budget
                    over = limit is not None and s.amount.value - s.amount.rounding > limit.value + limit.rounding
                    wrong = (s.whole and s.column != "target" and executed is not None
                             and not _same(s.amount, executed))
                    if not (over or wrong):
                        continue
                    parts_zh, parts_en = [], []
                    if wrong:
                        parts_zh.append(f"表头执行数为{_money(executed)}万元")
                        parts_en.append(f"the table's 执行数 is {_money(executed)}")
                    if over:
                        parts_zh.append(f"超过预算数{_money(limit)}万元")
                        parts_en.append(f"it exceeds the 预算数 {_money(limit)}")
                    related = [ctx.location(v.span, k) for k, v in (("执行数", table.fund("executed")),
                                                                   ("预算数", table.fund("budget"))) if v]
                    yield self.finding(
                        ctx, s.span,
                        f"「{table.label}」指标中写{s.keyword}{_money(s.amount)}万元，但{'，且'.join(parts_zh)}。",
                        f"In '{table.label}', an indicator states {_money(s.amount)} paid/spent, but "
                        f"{' and '.join(parts_en)}.",
                        label=s.keyword, expected=_money(executed) if executed is not None else None,
                        actual=_money(s.amount), related=related,
                    )
                elif s.role == "balance":
                    b = cell_budget.amount if cell_budget is not None else budget
                    e = cell_exec.amount if cell_exec is not None else executed
                    if b is None or e is None:
                        continue
                    diff = b.value + (adjust if cell_budget is not None else 0) - e.value
                    tol = b.rounding + e.rounding + s.amount.rounding + adjust_rounding
                    if abs(diff - s.amount.value) <= tol:
                        continue
                    yield self.finding(
                        ctx, s.span,
                        f"「{table.label}」写结余{_money(s.amount)}万元，但预算{_money(b)}万元 − 执行"
                        f"{_money(e)}万元 = {fmt(diff)}万元。",
                        f"In '{table.label}', the stated balance {_money(s.amount)} is not budget {_money(b)} − "
                        f"spent {_money(e)} = {fmt(diff)}.",
                        label="结余", expected=fmt(diff), actual=_money(s.amount),
                    )


class NarrativeProjectAmountMismatch(_PerfRule):
    """正文所述项目金额与该项目自评表不符

    ## What it does
    Finds the paragraphs that name a project having its own 绩效自评表 (matched by the
    project's name) and compares the amounts they state — the amount right after the
    name, 预算/总金额, 实际支出/执行数, 结余, 完成预算的…% — with the table's 预算数 and
    执行数, allowing for rounding.

    ## Why is this bad?
    The report's text and its table describe the same money; a different figure in one
    of them is a typo or an out-of-date number, and the reader cannot tell which is right.

    ## Example
    ```
    …新增“示例信息系统运维费”42.61 万元…
    项目支出绩效自评表: 全年预算数 42.60, 全年执行数 42.60
    ```
    """

    code = "P010"
    name = "performance.narrative-amount-mismatch"
    summary_en = "An amount the text states for a project differs from the project's table"

    def check(self, ctx):
        for claim in project_claims(self.perf_paragraphs(ctx), self.perf_tables(ctx)):
            yield from self._check_claim(ctx, claim)

    def _check_claim(self, ctx, claim):
        t = claim.table
        budget, executed = _amount(t.fund("budget")), _amount(t.fund("executed"))
        initial, investment = _amount(t.fund("initial")), _amount(t.investment)
        a = claim.amount
        role = claim.role
        if role == "rate":
            if budget is None or executed is None:
                return
            interval = ratio_percent(executed, budget)
            if interval is None or (a.value + a.rounding >= interval[0] and a.value - a.rounding <= interval[1]):
                return
            computed = fmt(executed.value / budget.value * 100, max(a.decimals, 2))
            yield self._finding(ctx, claim, f"{computed}%", f"{a.text}",
                                f"执行数{_money(executed)} ÷ 预算数{_money(budget)}", f"{_money(executed)} / {_money(budget)}")
            return
        if role == "balance":
            if budget is None or executed is None:
                return
            diff = budget.value - executed.value
            if abs(diff - a.value) <= budget.rounding + executed.rounding + a.rounding:
                return
            yield self._finding(ctx, claim, fmt(diff), _money(a), f"预算数{_money(budget)} − 执行数{_money(executed)}",
                                f"budget {_money(budget)} − spent {_money(executed)}")
            return
        candidates = {
            "budget": [budget, investment],
            "initial": [initial],
            "executed": [executed],
            "headline": [budget, executed, initial, investment],
        }[role]
        known = [c for c in candidates if c is not None]
        if not known or any(_same(a, c) for c in known):
            return
        ref = known[0]
        yield self._finding(ctx, claim, _money(ref), _money(a), f"表中{_ROLE_ZH.get(role if role != 'headline' else 'budget')}数",
                            f"the table's {_ROLE_EN.get(role if role != 'headline' else 'budget')}")

    def _finding(self, ctx, claim, expected: str, actual: str, basis_zh: str, basis_en: str) -> Finding:
        t = claim.table
        unit = "" if claim.role == "rate" else "万元"
        related = [ctx.location(v.span, k) for k, v in (("预算数", t.fund("budget")), ("执行数", t.fund("executed")))
                   if v is not None]
        return self.finding(
            ctx, claim.span,
            f"正文写项目「{t.project.text}」的{_ROLE_ZH[claim.role]}为{actual}{unit}，但其绩效自评表"
            f"（第{t.span.line}行）为{expected}{unit}（{basis_zh}）。",
            f"The text gives {actual} as the {_ROLE_EN[claim.role]} of project '{t.project.text}', but its "
            f"performance table (line {t.span.line}) gives {expected} ({basis_en}).",
            label=t.project.text, expected=expected, actual=actual, related=related,
        )


class FundBreakdownMismatch(_PerfRule):
    """资金情况“合计”不等于其中各项之和

    ## What it does
    In the 资金情况 / 年度项目资金 block, adds the 其中 rows (当年财政拨款, 上年结转资金,
    其他资金) column by column (年初预算数, 全年预算数, 全年执行数) and compares each sum
    with the 合计 row, when at least one part of that column is stated.

    ## Why is this bad?
    The 合计 row is the base of the execution rate; parts that do not add up to it mean
    one of them is wrong.

    ## Example
    ```
    ⇥合计⇥80.00⇥136.50⇥136.50
    ⇥其中: 当年财政拨款⇥80.00⇥98.20
    ⇥其他资金⇥⇥28.30
    ```
    98.20 + 28.30 = 126.50, not 136.50.
    """

    code = "P011"
    name = "performance.fund-breakdown-mismatch"
    summary_en = "The parts of the funding block do not add up to its total"

    def check_table(self, ctx, table):
        total = table.fund_total
        if total is None:
            return
        parts = [r for r in table.funds if r is not total]
        for col, zh in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
            whole = _amount(total.get(col))
            stated = [r.get(col) for r in parts if r.get(col) is not None]
            amounts = [v.amount for v in stated if v.amount is not None and not v.amount.percent]
            if whole is None or not amounts:
                continue
            s = sum((a.value for a in amounts), Decimal(0))
            tol = whole.rounding + sum((a.rounding for a in amounts), Decimal(0))
            if abs(s - whole.value) <= tol:
                continue
            yield self.finding(
                ctx, total.values[col].span,
                f"「{table.label}」资金情况合计的{zh}为{_money(whole)}万元，但其中各项合计为{fmt(s)}万元。",
                f"In '{table.label}', the total {zh} is {_money(whole)} but its parts add up to {fmt(s)}.",
                label=zh, expected=fmt(s), actual=_money(whole),
                related=[ctx.location(v.span, zh) for v in stated],
            )


RULES = [
    SectionWeightMismatch,
    TotalWeightMismatch,
    ScoreExceedsWeight,
    TotalScoreMismatch,
    ExecutionRateMismatch,
    RateScoreMismatch,
    GradeMismatch,
    NarrativeGradeMismatch,
    ProjectAmountInconsistent,
    NarrativeProjectAmountMismatch,
    FundBreakdownMismatch,
]
