"""filinglint_example: how a third-party pack plugs into filinglint.

Implement the ``filinglint_*`` hooks (see ``lint.plugins.hookspecs``) with the
``lint.plugins.hookimpl`` marker and list the module under the ``filinglint``
entry-point group in your pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from lint.engine.registry import Pack
from lint.recognize.templates import load_template, score_template
from lint.plugins import hookimpl

HERE = Path(__file__).parent


@hookimpl
def filinglint_packs():
    from .rules import ProjectOverspent  # imported when the pack is asked for, not at discovery

    return [Pack(
        name="example",
        version="0.1.0",
        description="示例：县级部门决算的项目支出明细表",
        applies_to=("example-county",),
        rule_files=sorted(HERE.glob("*.rules")),
        python_rules=[ProjectOverspent],
        template_files=sorted((HERE / "templates").glob("*.toml")),
    )]


@hookimpl
def filinglint_detect_template(document, tables):
    if not any(t.id == "table10" for t in tables):
        return None
    from lint.rules.core import HERE as CORE

    spec = load_template(HERE / "templates" / "example-county.toml", CORE / "templates" / "final-accounts.toml")
    # Outranks the regional templates: only this template has table10.
    match = score_template(spec, document, tables, ("core", "example"))
    return match
