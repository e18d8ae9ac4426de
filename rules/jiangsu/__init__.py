"""Pack ``jiangsu``: the Jiangsu provincial 部门预算 form (公开01表 … 公开12表: 收支预算总表
with its 功能分类 and 支出用途 columns, 收入预算总表 by fund source, a one-row 支出预算总表,
财政拨款 and 机关运行经费 tables, “三公”经费 with 会议费 and 培训费, 政府采购预算表) in
its 2017 and 2018 orders, and their detection."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.plugins import hookimpl
from lint.recognize.templates import load_template, score_template

HERE = Path(__file__).parent
BASE = HERE.parent / "core" / "templates" / "budget.toml"
TEMPLATES = ("jiangsu-budget-2018", "jiangsu-budget-2017")


@hookimpl
def filinglint_packs():
    return [Pack(
        name="jiangsu",
        version="0.1.0",
        description="江苏省部门预算公开表（12 张表；2017 版与 2018 版次序）",
        applies_to=TEMPLATES,
        rule_files=sorted(HERE.glob("*.rules")),
        template_files=sorted((HERE / "templates").glob("*.toml")),
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    if not tables:
        return None
    specs = [load_template(HERE / "templates" / f"{t}.toml", BASE) for t in TEMPLATES]
    best = max((score_template(spec, document, tables, ("core", "jiangsu")) for spec in specs),
               key=lambda m: (m.score, m.template))
    return best if best.score >= 4 else None
