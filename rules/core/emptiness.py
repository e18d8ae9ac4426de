"""Tables a note declares empty (codes ``N016``…).

Official templates print every table even when a department has nothing to show in it
(no 政府性基金, no 国有资本经营预算, no “三公” budget) and ask for a note under it saying
so (``注：本部门无……，故本表为空表``).  The note belongs to the table it follows: from
the line after the table's last row to the next table's title.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from lint.engine.rules import Rule, RuleContext
from lint.model import Block, BlockKind, Cell, Finding, Location, Severity, Table

from .hygiene import _quote, _spans_of
from .wording import _text_lines

# The note speaks of its own table (本表/此表/该表), not of another one by number.
_DECLARED_EMPTY = re.compile(
    r"(?:本|此|该)表(?:为|是|系)?(?:空表|为空|无数据|无内容|数据为空|无相关数据)|"
    r"(?:以|按)空表(?:列示|公开|形式)|空表公开")
# What every declaration above holds: 空表, or 表 and what the table lacks (a search
# that starts with a literal, over all lines at once).
_MAY_DECLARE_EMPTY = re.compile(r"表(?:为|是|系)?(?:为空|无数据|无内容|数据为空|无相关数据)")
# A note is a few lines: past this many, the text has moved on to other things.
_NOTE_LINES = 8
_TEXT = BlockKind.TEXT  # (an enum member read from its class costs ~20x a global)


def _notes_after(blocks: list[Block], lines: list[int], start: int, stop: int) -> Iterator[Block]:
    """Prose lines after a table's last row (line ``start``), up to the next table's
    title (``stop``) or the next table-like row; ``lines`` are the blocks' lines."""
    seen = 0
    for k in range(bisect_right(lines, start), len(blocks)):
        b = blocks[k]
        if b.line >= stop or seen >= _NOTE_LINES or b.kind is not _TEXT:
            return
        if b.text.strip():
            seen += 1
            yield b


def _filled(table: Table) -> list[tuple[str, Cell]]:
    """Cells holding a non-zero amount, with their column's name (codes and 行次 are
    keys, never amounts)."""
    return [(panel.header(c.column), c) for panel in table.panels.values() for c in panel.iter_cells()
            if c.amount is not None and not c.amount.percent and c.amount.value != 0]


class DeclaredEmptyTableFilled(Rule):
    """表注称本表为空表，表中却有金额

    ## What it does
    Finds a table whose note (the lines under it, before the next table) says the
    table is empty — ``本表为空表``, ``本表无数据``, ``以空表列示`` — while the table's
    cells hold non-zero amounts.

    ## Why is this bad?
    The note and the table contradict each other: either the department has no such
    budget and the amounts were left over from another table or another year, or the
    amounts are real and the note is a template sentence copied without reading.
    Readers cannot tell which.

    ## Example
    ```text
    部门“三公”经费和机关运行经费预算表
    合计 因公出国(境)费 公务接待费 …
    47.91 0 1.35 46.56 …
    注：本部门无“三公”经费和机关运行经费预算，故本表为空表。
    ```

    ## Known false positives
    A note under a table that speaks of a different table without naming it as
    such ("本表为空表" written under the table that precedes the empty one).
    """

    code = "N016"
    name = "narrative.declared-empty-table-filled"
    severity = Severity.ERROR
    summary_en = "a note says the table is empty, yet the table holds amounts"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        text = _text_lines(ctx)
        if "空表" not in text and not _MAY_DECLARE_EMPTY.search(text):
            return  # (no line of the filing could declare a table empty)
        tables = sorted(ctx.tables.all, key=lambda t: t.span.line)
        blocks = ctx.document.blocks
        lines = [b.line for b in blocks]
        for i, t in enumerate(tables):
            stop = tables[i + 1].span.line if i + 1 < len(tables) else 1 << 30
            note = next(((b, m) for b in _notes_after(blocks, lines, t.last_line, stop)
                         if (m := _DECLARED_EMPTY.search(b.text))), None)
            if note is None:
                continue
            filled = _filled(t)
            if not filled:
                continue
            b, m = note
            shown = "、".join(c.text for _, c in filled[:3]) + ("…" if len(filled) > 3 else "")
            yield self.finding(
                ctx, _spans_of(b, m.start(), m.end()),
                f"表注称「{_quote(m.group(0))}」，但{t.title}中有 {len(filled)} 个非零金额（{shown}）",
                f"the note says '{_quote(m.group(0))}', but {t.title} holds {len(filled)} non-zero "
                f"amount(s) ({shown})",
                related=[Location(ctx.path, c.span, f"{t.title}：{header}") for header, c in filled[:3]],
                expected="空表", actual=shown, label=t.title)


RULES = [DeclaredEmptyTableFilled]
