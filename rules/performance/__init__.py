"""Pack ``performance``: 绩效自评 tables (部门整体支出绩效自评表, 项目支出绩效自评表,
项目绩效目标完成情况表) — scores, caps, execution rates and grades."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.recognize.templates import load_template, score_template
from lint.plugins import hookimpl

HERE = Path(__file__).parent


@hookimpl
def filinglint_packs():
    from . import checks

    return [Pack(
        name="performance",
        version="0.1.0",
        description="绩效自评表：分值、得分、执行率与等级",
        applies_to=("performance-report",),
        python_rules=list(checks.RULES),
        template_files=sorted((HERE / "templates").glob("*.toml")),
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    if tables:
        return None
    head = "".join(line.strip() for line in document.lines[:12])
    spec = load_template(HERE / "templates" / "performance-report.toml")
    if not any(p in head for p in spec.signals.get("title", ())):
        return None  # the report's own title must say so, not a later attachment
    match = score_template(spec, document, tables, ("core", "performance"))
    return match if match.score > 0 else None
