"""Pack ``core``: the national 部门决算 template, its table identities and cross-table
checks (DSL rule files), narrative checks and document hygiene (Python rules)."""

from __future__ import annotations

import sys
from pathlib import Path

from lint.engine.registry import Pack
from lint.plugins import hookimpl

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
VERSION = "0.1.0"


@hookimpl
def filinglint_packs():
    # Rule modules are imported here, not at plugin import, so listing plugins stays cheap.
    from . import crossyear, emptiness, hygiene, narrative, wording

    return [Pack(
        name="core",
        version=VERSION,
        description="全国通用部门决算公开表：表内平衡、表间勾稽、情况说明与报表一致性、文档规范",
        applies_to=("*",),
        rule_files=sorted(HERE.glob("*.rules")),
        python_rules=[*narrative.RULES, *hygiene.RULES, *wording.RULES, *crossyear.RULES, *emptiness.RULES],
        template_files=sorted((HERE / "templates").glob("*.toml")),
        data={"subjects": tomllib.loads((HERE / "subjects.toml").read_text(encoding="utf-8"))
              if (HERE / "subjects.toml").exists() else {}},
    )]
