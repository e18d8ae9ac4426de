"""Cross-year checks: this year's statements about last year, against last year's filing.

The previous filing reaches the rule as ``ctx.data["previous"]`` (a
:class:`lint.engine.crossyear.YearProfile`), set by the linter from ``--previous FILE``
or from the run's other inputs (same department, kind and scope, the year before)."""

from __future__ import annotations

from typing import Iterator

from lint.engine.crossyear import YearProfile, subject_key
from lint.engine.rules import Rule, RuleContext
from lint.model import Claim, Finding, Severity
from lint.numbers import fmt


def _subject_of(change: Claim, claims: list[Claim]) -> str | None:
    """What a change is about: the amount stated just before it in the same sentence
    with the change's current value ("财政拨款收入15,621.11万元，比2023年预算减少…")."""
    current = change.values.get("current")
    best = None
    for c in claims:
        if c.kind != "amount" or c.span.line != change.span.line or c.sentence != change.sentence:
            continue
        if (c.span.line, c.span.col) > (change.span.line, change.span.col):
            continue
        a = c.values.get("amount")
        if current is not None and a is not None and a.value == current.value:
            best = c
    return best.subject if best is not None else None


class PreviousYearMismatch(Rule):
    """较上年的增减与上年公开文件所列数不符

    ## What it does
    For each statement of a change against last year ("比2024年预算增加3,355.65万元",
    "比上年减少10万元", "持平"), takes this year's amount and the change, computes what
    last year's amount must have been, and compares it with the amount last year's
    filing of the same department states for the same item.

    ## Why is this bad?
    A change is only as right as both its ends.  A reader holding both years' filings
    sees at once that the figures do not follow from each other.

    ## Example
    ```
    2025年：公务用车购置费15万元，比2024年预算减少10万元。
    2024年文件：公务用车购置费20万元。        ← 15 + 10 = 25, not 20
    ```

    ## Known problems
    Runs only when last year's filing is given (``--previous``) or is among the inputs
    of the run; items are matched by their wording, so an item renamed between the
    years is not compared.
    """

    code = "Y001"
    name = "crossyear.previous-year-mismatch"
    severity = Severity.ERROR
    summary_en = "a change against last year does not match last year's filing"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        prev: YearProfile | None = ctx.data.get("previous")
        if prev is None or not prev.year:
            return
        for c in ctx.claims:
            if c.kind != "change" or "current" not in c.values:
                continue
            year = c.values.get("compared_year")
            if year is not None and int(year.value) != prev.year:
                continue
            if year is None and not (c.base and "上年" in c.base and ctx.report_year == prev.year + 1):
                continue
            subject = _subject_of(c, ctx.claims)
            stated = prev.value_of(subject_key(subject)) if subject else None
            if stated is None:
                continue
            current, delta = c.values["current"], c.values.get("delta")
            if c.direction == "increase" and delta is not None:
                implied, tol = current.value - delta.value, current.rounding + delta.rounding
            elif c.direction == "decrease" and delta is not None:
                implied, tol = current.value + delta.value, current.rounding + delta.rounding
            elif c.direction in ("flat", "same", "unchanged") and delta is None:
                implied, tol = current.value, current.rounding
            else:
                continue
            amount, where = stated
            if abs(implied - amount.value) <= tol + amount.rounding:
                continue
            span = c.spans.get("delta", c.span) if c.spans else c.span
            said = {"increase": "增加", "decrease": "减少"}.get(c.direction or "", "持平")
            said_en = {"increase": "up", "decrease": "down"}.get(c.direction or "", "unchanged")
            yield self.finding(
                ctx, span,
                f"{subject}{fmt(current.value, current.decimals)}比{prev.year}年{said}"
                f"{fmt(delta.value, delta.decimals) if delta is not None else ''}，上年应为 {fmt(implied)}，"
                f"但{prev.year}年文件（{prev.path} 第 {where.line} 行）为 {amount.text}（相差 {fmt(abs(implied - amount.value))}）",
                f"{subject} {fmt(current.value, current.decimals)} is said to be {said_en} on {prev.year}, which "
                f"implies {fmt(implied)} last year, but the {prev.year} filing ({prev.path} line {where.line}) "
                f"states {amount.text}",
                expected=amount.text, actual=fmt(implied), previous_file=prev.path, previous_line=where.line,
            )


RULES = [PreviousYearMismatch]
