"""Pack ``hunan``: the Hunan 部门决算 table templates (2020 edition with 9 tables, 2018
edition with 8 and the older 功能分类 names) and their detection."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.recognize.templates import load_template, score_template
from lint.plugins import hookimpl

HERE = Path(__file__).parent
TEMPLATES = ("hunan-2020", "hunan-2018")


@hookimpl
def filinglint_packs():
    return [Pack(
        name="hunan",
        version="0.1.0",
        description="湖南省部门决算公开表（2020 版 9 张表；2018 版 8 张表）",
        applies_to=TEMPLATES,
        rule_files=sorted(HERE.glob("*.rules")),
        template_files=sorted((HERE / "templates").glob("*.toml")),
    )]


BASE = HERE.parent / "core" / "templates" / "final-accounts.toml"


@hookimpl
def filinglint_detect_template(document, tables):
    numbered = [t for t in tables if t.number]
    if not numbered:
        return None  # the Hunan forms always print 公开NN表
    packs = ("core", "hunan") + (("performance",) if _has_performance_tables(document) else ())
    specs = [load_template(HERE / "templates" / f"{t}.toml", BASE) for t in TEMPLATES]
    best = max((score_template(spec, document, tables, packs) for spec in specs),
               key=lambda m: (m.score, m.template))
    return best if best.score > 0 else None


def _has_performance_tables(document) -> bool:
    return any("绩效自评表" in line or "绩效目标完成情况表" in line for line in document.lines)
