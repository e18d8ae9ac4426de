"""Pack ``jiangsu``: the Jiangsu provincial 部门预算 form (公开01表 … 公开12表: 收支预算总表
with its 功能分类 and 支出用途 columns, 收入预算总表 by fund source, a one-row 支出预算总表,
财政拨款 and 机关运行经费 tables, “三公”经费 with 会议费 and 培训费, 政府采购预算表) in
its 2017 and 2018 orders, and their detection."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from lint.engine.registry import Pack
from lint.plugins import hookimpl
from lint.recognize.templates import TemplateMatch, load_template, score_template

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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
        # the budget 三公 table's cells for the narrative subjects (extends the core map)
        data={"subjects": tomllib.loads((HERE / "subjects.toml").read_text(encoding="utf-8"))},
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    # A form another province shares (the national titles) is not 江苏's unless the
    # filing says where it is from.
    if not tables or "江苏" not in document.flat_text:
        return None
    specs = [load_template(HERE / "templates" / f"{t}.toml", BASE) for t in TEMPLATES]
    best = max((_in_order(score_template(spec, document, tables, ("core", "jiangsu")), spec, tables)
                for spec in specs), key=lambda m: (m.score, m.template))
    return best if best.score >= 4 else None


def _in_order(match: TemplateMatch, spec, tables) -> TemplateMatch:
    """The two editions print the same tables in different orders, and the 2017 one
    rarely prints 公开NN表: the order the tables stand in tells them apart."""
    ids = [t.id for t in sorted(tables, key=lambda t: t.span.line) if t.id in spec.numbering]
    if len(ids) < 3 or ids != sorted(ids, key=lambda i: int(spec.numbering[i])):
        return match
    return replace(match, score=match.score + 1, reasons=(*match.reasons, "表的次序与此表样一致"))
