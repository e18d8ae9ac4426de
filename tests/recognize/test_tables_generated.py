"""The recognizer reads every cell of a generated filing back: same value, same span."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lint.model import Document
from lint.readers.text import split_blocks
from lint.recognize import recognize_tables

from synth import generator as g

def _panel_and_column(table, column: str):
    """Generator keys name two-sided columns "income.amount"; single panels "basic"."""
    if "." in column:
        panel, col = column.split(".", 1)
        return table.panels[panel], col
    return table.main, column


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), template=st.sampled_from(["hunan-2020", "hunan-2018"]),
       page_breaks=st.booleans(), quirks=st.booleans())
def test_every_generated_cell_is_recognized_at_its_span(library, seed, template, page_breaks, quirks):
    filing = g.generate(seed=seed, template=template, page_breaks=page_breaks, quirks=quirks, narrative=False)
    lines = filing.text.splitlines()
    doc = Document("gen.txt", "utf-8", lines, split_blocks(lines))
    spec = library.get(template)
    tables = {t.id: t for t in recognize_tables(doc, spec.tables, spec.numbering)}
    assert set(tables) == {tid for tid, _, _ in filing.cells} | ({"table08", "table09"} & set(spec.tables))
    for (tid, row, column), (line, col, end_col) in filing.cells.items():
        panel, key = _panel_and_column(tables[tid], column)
        info = panel.find_row(row) if panel.row_info(row) is None else panel.row_info(row)
        assert info is not None, (tid, row)
        cell = panel.cell(info.key, key)
        assert cell is not None, (tid, row, column)
        assert (cell.span.line, cell.span.col, cell.span.end_col) == (line, col, end_col)
        assert cell.value == filing.values[(tid, row, column)]
    for t in tables.values():
        assert not [n for n in t.notes if n.startswith(("printed-number", "duplicate"))]
