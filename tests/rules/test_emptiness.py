"""N016: a note under a table says the table is empty while the table holds amounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED = SEEDS / "000_98add52c02d21372.txt"
EMPTY_TOTAL = "合计\t\t\t\t"  # table 09's 合计 row, printed blank
NOTE = "注：本单位无国有资本经营预算拨款，故本表无数据。"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(LintOptions())


def _lint(linter: Linter, tmp_path: Path, text: str) -> list:
    p = tmp_path / "filing.txt"
    p.write_text(text, encoding="utf-8")
    return [f for f in linter.lint_file(str(p)).findings if f.code == "N016"]


def _with_table09_total(total: str) -> str:
    text = SEED.read_text(encoding="utf-8")
    at = text.index(NOTE)
    row = text.rindex(EMPTY_TOTAL, 0, at)
    return text[:row] + f"合计\t\t{total}\t{total}\t" + text[row + len(EMPTY_TOTAL):]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_with_their_empty_tables_explained_are_clean(linter, seed):
    assert [f for f in linter.lint_file(str(seed)).findings if f.code == "N016"] == []


def test_amount_under_a_note_declaring_the_table_empty(linter, tmp_path):
    found = _lint(linter, tmp_path, _with_table09_total("12.50"))
    assert len(found) == 1
    f = found[0]
    text = _with_table09_total("12.50").split("\n")
    assert text[f.location.span.line - 1] == NOTE
    assert "本表无数据" in f.message.zh and "12.50" in f.message.zh
    assert f.actual == "12.50、12.50"
    # The filled cells are the related places, on the 合计 row.
    assert {text[r.span.line - 1].split("\t")[0] for r in f.related} == {"合计"}


def test_zeros_under_the_note_are_still_empty(linter, tmp_path):
    assert _lint(linter, tmp_path, _with_table09_total("0.00")) == []


def test_note_about_another_table_is_not_read_as_this_ones(linter, tmp_path):
    text = _with_table09_total("12.50").replace(NOTE, "注：表8为空表，本表反映国有资本经营预算支出。")
    assert _lint(linter, tmp_path, text) == []
