"""A small filing on disk (CJK text, tab-separated rows), findings placed on it, rule metadata."""

from __future__ import annotations

from pathlib import Path

from lint.engine.rules import RuleMeta
from lint.model import Finding, Location, Message, Severity, Span

FILING = [
    "某省某部门2020年度部门决算",
    "收入支出决算总表",
    "项目\t行次\t金额",
    "本年收入合计\t1\t125.27",
    "合计\t\t本年支出\t76.21",
    "注：本表反映部门本年度的总收支和年末结转结余情况。",
]

T001_DOC = """本年收支合计不平衡

## What it does

Checks that a table's total row equals the sum of its items.

Totals are compared rounding-aware.

## Why is this bad?

A total that does not add up misstates the filing.

## Example

```
合计\t125.27
```
"""

RULES = {
    "T001": RuleMeta("T001", "table.total-mismatch", Severity.ERROR, "本年收支合计不平衡", T001_DOC,
                     pack="core", origin="rules/core/totals.rule:3", summary_en="Totals do not balance"),
    "H002": RuleMeta("H002", "document.note-missing-unit", Severity.NOTE, "说明缺少单位", "说明缺少单位\n",
                     pack="core", origin="rules/core/hygiene.py"),
    "N001": RuleMeta("N001", "narrative.amount-mismatch", Severity.ERROR, "叙述金额与表不符", "叙述金额与表不符\n",
                     pack="core", origin="rules/core/narrative.py"),
}


def span_of(lines: list[str], needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` (code-point columns)."""
    seen = 0
    for number, text in enumerate(lines, start=1):
        start = text.find(needle)
        while start >= 0:
            if seen == nth:
                return Span.on_line(number, start + 1, len(needle))
            seen += 1
            start = text.find(needle, start + 1)
    raise AssertionError(f"{needle!r} not in filing")


def write_filing(path: Path, lines: list[str] = FILING, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def findings_on(path: str, lines: list[str]) -> list[Finding]:
    """Three findings of different severities, positioned by searching the text, so
    they follow the text when lines move."""
    total = Finding(
        "T001", Severity.ERROR,
        Message("本年支出合计应为 125.27，实际为 76.21（相差 49.06）",
                "total expenditure should be 125.27, found 76.21 (off by 49.06)"),
        Location(path, span_of(lines, "76.21"), "合计/本年支出"),
        related=(Location(path, span_of(lines, "125.27"), "本年收入合计"),),
        expected="125.27", actual="76.21", rule_name="table.total-mismatch",
        properties={"difference": "49.06", "table": "table01"},
    )
    # Reported as a warning although T001 defaults to error: the level must survive.
    downgraded = Finding(
        "T001", Severity.WARNING, Message("行次列不连续", "row numbers are not consecutive"),
        Location(path, span_of(lines, "行次"), "行次"), rule_name="table.total-mismatch",
    )
    note = Finding(
        "H002", Severity.NOTE, Message("说明未注明金额单位", "the note gives no unit"),
        Location(path, span_of(lines, "注："), ""), rule_name="document.note-missing-unit",
    )
    return [total, downgraded, note]
