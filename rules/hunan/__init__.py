"""Pack ``hunan``: the Hunan 部门决算 table templates (2020 edition with 9 tables, 2018
edition with 8 and the older 功能分类 names) and their detection."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.engine.templates import TemplateLibrary, score_template
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


_library: TemplateLibrary | None = None


def _templates() -> TemplateLibrary:
    global _library
    if _library is None:
        lib = TemplateLibrary()
        lib.load_file(HERE.parent / "core" / "templates" / "final-accounts.toml")
        for f in sorted((HERE / "templates").glob("*.toml")):
            lib.load_file(f)
        _library = lib
    return _library


@hookimpl
def filinglint_detect_template(document, tables):
    numbered = [t for t in tables if t.number]
    if not numbered:
        return None  # the Hunan forms always print 公开NN表
    packs = ("core", "hunan") + (("performance",) if _has_performance_tables(document) else ())
    lib = _templates()
    best = max((score_template(lib.get(t), document, tables, packs) for t in TEMPLATES),
               key=lambda m: (m.score, m.template))
    return best if best.score > 0 else None


def _has_performance_tables(document) -> bool:
    return any("绩效自评表" in line or "绩效目标完成情况表" in line for line in document.lines)
