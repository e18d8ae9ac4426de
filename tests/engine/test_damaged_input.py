"""Damaged filings (lines lost, duplicated, cells shifted, bytes garbled) never crash:
they lint, or fail with an InputError naming the file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.engine.linter import Linter, LintOptions
from lint.errors import InputError

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _damage(lines: list[str], rng: random.Random, n: int) -> list[str]:
    lines = list(lines)
    for _ in range(n):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.choice(["drop", "dup", "tab", "untab", "cut", "swap", "junk"])
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "tab":
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + "\t" + lines[i][j:]
        elif op == "untab":
            lines[i] = lines[i].replace("\t", "", 1)
        elif op == "cut":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == "swap" and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i] + rng.choice(["125,27", "１２.５", "186. 67", "合计\t\t", "公开03表", "栏次\t1\t2"])
    return lines


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**9), which=st.integers(0, len(SEEDS) - 1), n=st.integers(1, 40))
def test_damaged_seed_never_crashes(linter, tmp_path, seed, which, n):
    lines = SEEDS[which].read_text(encoding="utf-8").splitlines()
    damaged = _damage(lines, random.Random(seed), n)
    path = tmp_path / f"damaged{which}.txt"
    path.write_text("\n".join(damaged) + "\n", encoding="utf-8")
    try:
        result = linter.lint_file(str(path))
    except InputError as exc:
        assert str(path) in str(exc)
        return
    for f in result.findings:
        assert 1 <= f.location.span.line <= len(damaged)
    assert not linter.notices, [n.message for n in linter.notices]
