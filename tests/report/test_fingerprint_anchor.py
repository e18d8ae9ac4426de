"""Fingerprints stand on the finding's own row and cell, not on its line number."""

import pickle

from lint.model import Span
from lint.report.records import anchor_text, fingerprint

ROW = "2010399\t其他政府办公厅（室）及相关机构事务支出\t76.21\t49.06\t76.21\t0.00"


def _col(line: str, field: int) -> int:
    return sum(len(f) + 1 for f in line.split("\t")[:field]) + 1


def test_another_cell_of_the_row_changing_keeps_the_anchor():
    span = Span.on_line(1, _col(ROW, 3), 5)
    edited = ROW.replace("\t76.21\t0.00", "\t76.20\t0.00")
    assert edited != ROW
    assert anchor_text(edited, span) == anchor_text(ROW, span)


def test_the_cell_itself_changing_changes_the_anchor():
    span = Span.on_line(1, _col(ROW, 3), 5)
    assert anchor_text(ROW.replace("\t49.06\t", "\t49.07\t"), span) != anchor_text(ROW, span)


def test_two_cells_of_one_row_have_different_anchors_even_with_equal_text():
    first, third = Span.on_line(1, _col(ROW, 2), 5), Span.on_line(1, _col(ROW, 4), 5)
    assert ROW.split("\t")[2] == ROW.split("\t")[4]  # same text, different cells
    a, b = anchor_text(ROW, first), anchor_text(ROW, third)
    assert a != b
    assert fingerprint("f.txt", "T002", a, 0) != fingerprint("f.txt", "T002", b, 0)


def test_row_name_keeps_codes_and_labels_not_amounts():
    name = anchor_text(ROW, Span.on_line(1, 1, 7)).split("\x1f")[0]
    assert name == "2010399\t其他政府办公厅（室）及相关机构事务支出"
    assert anchor_text("合计\t1,367.76\t125,27\t12%\t", Span.on_line(1, 1, 2)).split("\x1f")[0] == "合计"


def test_prose_anchor_is_the_line_and_the_spanned_text():
    line = "  本年收入合计 125.27 万元，比上年增长 10%。"
    a = anchor_text(line, Span.on_line(1, 9, 6))
    b = anchor_text(line, Span.on_line(1, 22, 3))
    assert a != b and a.startswith(line.strip())


def test_snapshots_of_a_seed_are_small_picklable_and_cover_table_rows(tmp_path):
    from pathlib import Path

    from lint.engine.linter import Linter, LintOptions

    seed = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
    result = Linter(LintOptions(snapshots=True)).lint_file(str(seed))
    snaps = result.snapshots
    assert len(snaps) == len(result.tables) >= 5
    assert pickle.loads(pickle.dumps(snaps)) == snaps
    lines = seed.read_text(encoding="utf-8").splitlines()
    for snap in snaps:
        assert snap.rows and snap.rows[0][0] >= snap.line
        for line, cells in snap.rows:
            for text, col, end_col in cells:  # every cell's columns point at its text
                assert lines[line - 1][col - 1:end_col - 1].strip() == text or text == ""
    table03 = next(s for s in snaps if s.id == "table03")
    row = next(c for line, c in table03.rows if c[0][0] == "2010399")
    assert [t for t, _, _ in row][2:4] == ["76.21", "49.06"]
    assert not Linter(LintOptions()).lint_file(str(seed)).snapshots  # only when asked for
