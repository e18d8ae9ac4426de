"""Pack ``sichuan``: the narrative-first Sichuan 部门决算 template (the 公开 tables are
images; the numbers to check are in the 情况说明 and the 绩效目标完成情况表)."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.recognize.templates import load_template, score_template
from lint.plugins import hookimpl

HERE = Path(__file__).parent


@hookimpl
def filinglint_packs():
    return [Pack(
        name="sichuan",
        version="0.1.0",
        description="四川省部门决算（叙述型模板：情况说明在前，公开表为图片）",
        applies_to=("sichuan-2020",),
        rule_files=sorted(HERE.glob("*.rules")),
        template_files=sorted((HERE / "templates").glob("*.toml")),
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    spec = load_template(HERE / "templates" / "sichuan-2020.toml")
    match = score_template(spec, document, tables, ("core", "sichuan", "performance"))
    # Needs the 决算 narrative structure, not just one stray phrase.
    return match if match.score >= 4 else None
