"""Layout text: tables whose columns are runs of spaces (pdftotext -layout, copy-pastes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions
from lint.model import BlockKind
from lint.readers.columns import split_layout
from lint.readers.text import read_text_file, split_blocks

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))


def to_layout(lines: list[str], right_align_numbers: bool = False) -> list[str]:
    """The tab rows of ``lines`` written as space-aligned columns (each column as wide as
    its widest field, two spaces between columns); every other line unchanged."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and ("\t" in lines[j] or (not lines[j].strip() and j + 1 < len(lines)
                                                      and "\t" in lines[j + 1])):
            j += 1
        block = lines[i:j]
        width = [0] * max(len(ln.split("\t")) for ln in block)
        for ln in block:
            for k, f in enumerate(ln.split("\t")):
                width[k] = max(width[k], len(f.strip()))
        for ln in block:
            if not ln.strip():
                out.append("")
                continue
            fields = [f.strip() for f in ln.split("\t")]
            out.append("".join((f.rjust(width[k]) if right_align_numbers and f.replace(".", "").replace(",", "")
                                .isdigit() and k else f.ljust(width[k])) + "  " for k, f in enumerate(fields)).rstrip())
        i = j
    return out


def _key(f):
    return f.code, f.location.span.line, f.message.zh, f.expected, f.actual


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


@pytest.mark.parametrize("seed", SEEDS[:4], ids=lambda p: p.name[:3])
def test_seed_as_space_aligned_columns_gives_the_same_tables_and_findings(linter, tmp_path, seed):
    lines = seed.read_text(encoding="utf-8").split("\n")
    layout = tmp_path / "layout.txt"
    layout.write_text("\n".join(to_layout(lines)), encoding="utf-8")
    tabbed, spaced = linter.lint_file(str(seed)), linter.lint_file(str(layout))
    assert spaced.tables == tabbed.tables and spaced.template == tabbed.template
    assert sorted(map(_key, spaced.findings)) == sorted(map(_key, tabbed.findings))
    # every row's cells are the tab version's cells (blank cells kept), spans into the layout line
    rows_tab = {b.line: b for b in read_text_file(seed).blocks if b.kind is BlockKind.ROW}
    doc = read_text_file(layout)
    rows = {b.line: b for b in doc.blocks if b.kind is BlockKind.ROW}
    assert set(rows) <= set(rows_tab)
    for line in set(rows_tab) - set(rows):  # "heading<TAB>": one field, no columns to align
        assert sum(1 for c in rows_tab[line].cells if c.text) <= 1
    for line, b in rows.items():  # the same cells in the same order; only blank columns may differ
        assert [c.text for c in b.cells if c.text] == [c.text for c in rows_tab[line].cells if c.text], line
        for c in b.cells:
            if c.text:
                assert doc.lines[line - 1][c.span.col - 1:c.span.end_col - 1] == c.text


def test_tab_separated_files_are_never_read_as_layout():
    for seed in SEEDS:
        lines = read_text_file(seed).lines
        assert split_layout(lines) is None
        assert split_blocks(lines) == read_text_file(seed).blocks


def _at(*cells: tuple[str, int, str, int]) -> str:
    """A line with each (text, start, "l"|"r", width) cell placed as a PDF page sets it."""
    line = ""
    for text, start, align, width in cells:
        line = line.ljust(start) + (text.rjust(width) if align == "r" else text.ljust(width))
    return line.rstrip()


def test_pdftotext_style_table_right_aligned_amounts_spanning_headers_blank_cells():
    grid = [(2, 8), (12, 18), (32, 10), (45, 10), (58, 10), (71, 8)]

    def row(*texts, aligns="llrrrr"):
        return _at(*[(t, grid[i][0], aligns[i], grid[i][1]) for i, t in enumerate(texts)])

    lines = [
        "                      收入决算表",
        "                                                 单位：万元",
        _at(("本年收入合计", 33, "l", 12), ("财政拨款收入", 50, "l", 12), ("其他收入", 72, "l", 8)),
        row("科目编码", "科目名称", "合计", "小计", "其中：基本", "", aligns="llllll"),
        row("2010301", "行政运行", "49.06", "49.06", "49.06", ""),
        row("2010302", "一般行政管理事务", "125.27", "125.00", "80.00", "0.27"),
        row("合计", "", "174.33", "174.06", "129.06", "0.27"),
        "",
        "注：本表反映部门本年度取得的各项收入情况。",
    ]
    blocks = split_layout(lines)
    assert [(b.line, b.kind) for b in blocks] == [
        (1, BlockKind.TEXT), (2, BlockKind.TEXT), (3, BlockKind.ROW), (4, BlockKind.ROW), (5, BlockKind.ROW),
        (6, BlockKind.ROW), (7, BlockKind.ROW), (9, BlockKind.TEXT)]
    cells = {b.line: [c.text for c in b.cells] for b in blocks if b.kind is BlockKind.ROW}
    assert cells[4] == ["科目编码", "科目名称", "合计", "小计", "其中：基本", ""]  # 小计 over right-aligned amounts
    assert cells[5] == ["2010301", "行政运行", "49.06", "49.06", "49.06", ""]
    assert cells[6] == ["2010302", "一般行政管理事务", "125.27", "125.00", "80.00", "0.27"]
    assert cells[7] == ["合计", "", "174.33", "174.06", "129.06", "0.27"]
    assert [c for c in cells[3] if c] == ["本年收入合计", "财政拨款收入", "其他收入"] and len(cells[3]) == 6
    amount = next(b for b in blocks if b.line == 6).cells[5]
    assert lines[5][amount.span.col - 1:amount.span.end_col - 1] == "0.27"


def test_prose_with_one_double_space_is_not_a_table():
    lines = ["一、部门职责", "负责全区行政审批制度改革工作。  统筹协调电子政务。", "二、机构设置"]
    assert split_layout(lines) is None
