"""Pack ``shanghai``: the Shanghai 部门预算/单位预算 form (nine unnumbered tables, amounts
in 元, “三公”经费 with 机关运行经费 in one table) and the 2024 部门决算 form (the national
titles: 财政拨款“三公”经费支出决算表 with 预算数 and 决算数 side by side,
国有资本经营预算财政拨款收入支出决算表), and their detection."""

from __future__ import annotations

import sys
from pathlib import Path

from lint.engine.registry import Pack
from lint.plugins import hookimpl
from lint.recognize.templates import load_template, score_template

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
CORE = HERE.parent / "core" / "templates"
# template id -> the core template it extends
TEMPLATES = {"shanghai-budget": CORE / "budget.toml", "shanghai-final": CORE / "final-accounts.toml"}


@hookimpl
def filinglint_packs():
    return [Pack(
        name="shanghai",
        version="0.1.0",
        description="上海市部门预算/单位预算公开表（9 张表）与部门决算公开表（2024 版）",
        applies_to=tuple(TEMPLATES),
        rule_files=sorted(HERE.glob("*.rules")),
        template_files=sorted((HERE / "templates").glob("*.toml")),
        # the budget 三公 table's cells for the narrative subjects (extends the core map)
        data={"subjects": tomllib.loads((HERE / "subjects.toml").read_text(encoding="utf-8"))},
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    # A form another province shares (the national titles) is not 上海's unless the
    # filing says where it is from.
    if not tables or "上海" not in document.flat_text:
        return None
    specs = [load_template(HERE / "templates" / f"{tid}.toml", base) for tid, base in TEMPLATES.items()]
    best = max((score_template(spec, document, tables, ("core", "shanghai")) for spec in specs),
               key=lambda m: (m.score, m.template))
    # At least a few of the form's own tables and one of its signals: the national
    # titles alone are shared with every other province.
    return best if best.score >= 4 else None
