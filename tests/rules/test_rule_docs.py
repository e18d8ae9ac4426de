"""Every rule, from every pack, is documented the same way (ruff's shape)."""

from __future__ import annotations

import re

import pytest

from lint.engine.linter import Linter, LintOptions
from lint.engine.rules import CODE_RE

LINTER = Linter(LintOptions())
METAS = LINTER.registry.metas()


def test_there_are_rules_from_every_shipped_pack():
    packs = {m.pack for m in METAS}
    assert {"core", "performance"} <= packs
    assert len(METAS) >= 60


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.code)
def test_rule_is_documented(meta):
    assert CODE_RE.match(meta.code)
    assert re.fullmatch(r"[a-z]+(?:\.[a-z0-9-]+)+", meta.name), meta.name
    assert meta.summary and len(meta.summary) < 120
    for section in ("## What it does", "## Why is this bad?", "## Example"):
        assert section in meta.doc, f"{meta.code} lacks {section}"
    assert meta.doc.index("## What it does") < meta.doc.index("## Why is this bad?") < meta.doc.index("## Example")
    assert meta.origin


def test_rule_names_are_unique():
    names = [m.name for m in METAS]
    assert len(names) == len(set(names))


def test_rules_name_no_seed_filing():
    """Rules are judged on filings never seen: nothing in them names a seed."""
    banned = re.compile(r"98add52c|8f2ce697|97ec0fee|24af73ec|3ac84415|石峰|雨花|攀枝花|株洲")
    for m in METAS:
        assert not banned.search(m.doc + m.summary), m.code
