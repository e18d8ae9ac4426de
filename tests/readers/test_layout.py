"""The builder every non-text reader lays its source out with."""

from lint.model import BlockKind, Place, Span
from lint.readers.layout import DocumentBuilder


def test_rows_become_tab_rows_with_cell_places():
    b = DocumentBuilder("t.xlsx", "xlsx")
    b.text("收入决算表", Place("xlsx", sheet="S", cell="A1"))
    b.break_()
    b.row([("2010301", Place("xlsx", sheet="S", cell="A3")), ("", Place("xlsx", sheet="S", cell="B3")),
           ("1,367.76", Place("xlsx", sheet="S", cell="C3"))])
    doc = b.build()
    assert doc.lines == ["收入决算表", "", "2010301\t\t1,367.76"]
    row = doc.blocks[1]
    assert row.kind is BlockKind.ROW and row.line == 3
    assert [c.text for c in row.cells] == ["2010301", "", "1,367.76"]
    value = row.cells[2]
    assert doc.lines[2][value.span.col - 1:value.span.end_col - 1] == "1,367.76"
    assert doc.place_of(value.span).cell == "C3"
    assert doc.place_of(row.cells[1].span).cell == "B3"


def test_cell_text_with_line_breaks_and_tabs_is_one_cell():
    b = DocumentBuilder("t.docx", "docx")
    b.row([("本年收入\n合计", None), ("a\tb", None)])
    assert [c.text for c in b.build().blocks[0].cells] == ["本年收入 合计", "a b"]


def test_prose_from_pieces_keeps_each_piece_place():
    b = DocumentBuilder("t.pdf", "pdf")
    b.text("", [("机关运行经费支出", Place("pdf", 2, (10, 10, 90, 20))), ("184.65", Place("pdf", 2, (95, 12, 120, 22))),
                ("万元。", Place("pdf", 2, (125, 10, 150, 20)))])
    doc = b.build()
    assert doc.lines == ["机关运行经费支出 184.65 万元。"]
    assert doc.place_of(Span(1, 10, 1, 16)).box == (95, 12, 120, 22)
    assert doc.place_of(Span(1, 1, 1, 16)).box == (10, 10, 120, 22)


def test_blank_rows_and_empty_text_are_dropped():
    b = DocumentBuilder("t.pdf", "pdf")
    b.row([("", None), (" ", None)])
    b.text("  ", Place("pdf", 1))
    assert b.build().lines == []
