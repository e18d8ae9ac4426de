"""A linted filing is freed by reference counting, not left to the garbage collector.

The collector is paused while a file is linted (lint/engine/linter.py): everything the
filing made that is still alive afterwards — or dead but kept by a reference cycle — is
traversed when it runs again, and the full passes over what piles up cost about a third
of a warm run's time.  So no reference cycle may hold a filing: these tests watch the
document, its tables and the rules' context through weak references.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from lint.engine import linter as linter_module
from lint.engine.linter import Linter, LintOptions
from lint.engine.rules import RuleContext

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_a_linted_filing_is_freed_without_the_collector(linter, seed, monkeypatch):
    watched: list[weakref.ref] = []
    real_read, real_ctx_init = Linter.read, RuleContext.__init__

    def read(self, path):
        document = real_read(self, path)
        watched.append(weakref.ref(document))
        return document

    def ctx_init(self, *args, **kwargs):
        real_ctx_init(self, *args, **kwargs)
        watched.append(weakref.ref(self))
        watched.extend(weakref.ref(t) for t in self.tables.all)

    monkeypatch.setattr(Linter, "read", read)
    monkeypatch.setattr(linter_module, "RuleContext", type("Ctx", (RuleContext,), {"__init__": ctx_init}))
    linter.lint_file(str(seed))  # warm: caches of the first use are the process's, not the filing's
    watched.clear()
    was = gc.isenabled()
    gc.disable()
    try:
        result = linter.lint_file(str(seed))
        assert result.findings and len(watched) >= 2  # the document, the context (and the tables)
        del result
        alive = [type(r()).__name__ for r in watched if r() is not None]
        assert alive == [], f"kept alive by a reference cycle after linting {seed.name}: {alive}"
    finally:
        if was:
            gc.enable()


def test_the_objects_made_per_cell_and_line_are_slotted():
    """Made by the thousand per filing and read many times each: a slotted object is
    smaller and its fields read faster than through an instance dict (lint/model.py)."""
    from lint.model import Block, BlockKind, Cell, CellText, Claim, RowInfo, Span

    span = Span(1, 2, 1, 4)
    made = [span, CellText("12.00", span), Block(BlockKind.ROW, 1, "a\t12.00", ()),
            Cell("201", "total", "12.00", span), RowInfo("201", "一般公共服务支出", "201", 1), Claim("amount", span, "s")]
    for obj in made:
        assert not hasattr(obj, "__dict__"), type(obj).__name__
    assert hash(Span(1, 2, 1, 4)) == hash(span) and Span(1, 2, 1, 4) == span and {span: 1}[Span(1, 2, 1, 4)] == 1
    assert sorted([Span(2, 1, 2, 3), span]) == [span, Span(2, 1, 2, 3)]
