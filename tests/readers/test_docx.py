"""The DOCX reader: Word numbering rendered, tables with merged cells, places; the seeds
written as auto-numbered DOCX lint exactly like their text exports."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from lint.engine.linter import Linter, LintOptions
from lint.model import BlockKind
from lint.readers.docx import format_number, read_docx
from lint.readers.text import read_text_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import generator as g  # noqa: E402
from synth.office import export_text, numbered_docx, text_to_docx  # noqa: E402

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _norm(line: str) -> str:
    """A text-export line as a DOCX lays it out: marks gone, runs of spaces one space."""
    line = re.sub(r"\[(?:bookmark|image):[^\]]*\]", "", line).replace("\f", " ")
    if not line.strip():
        return "\t" * line.count("\t") if "\t" in line else ""
    if "\t" in line:
        return "\t".join(" ".join(x.split()) for x in line.split("\t"))
    return " ".join(line.split())


def _key(f):
    return f.code, f.location.span.line, f.message.zh, f.expected, f.actual


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_as_auto_numbered_docx_reads_and_lints_like_its_text_export(linter, tmp_path, seed):
    text = read_text_file(seed)
    path = text_to_docx(text.lines, tmp_path / "seed.docx")
    numbered = docx.Document(str(path)).element.body.findall(f".//{W}numPr")
    assert len(numbered) >= 5  # the markers really are Word numbering now, not text
    exported = export_text(path)
    assert sum(1 for ln in exported if re.match(r"^(第[一二三四五]部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", ln)) \
        < sum(1 for ln in text.lines if re.match(r"^(第[一二三四五]部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", ln))
    document = read_docx(str(path))
    assert document.lines == [_norm(ln) for ln in text.lines]
    from_text = linter.lint_file(str(seed))
    from_docx = linter.lint_file(str(path))
    assert from_docx.template == from_text.template
    assert sorted(map(_key, from_docx.findings)) == sorted(map(_key, from_text.findings))
    assert all(f.location.place is not None and f.location.place.kind == "docx" for f in from_docx.findings)


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.name[:3] in ("001", "004")], ids=lambda p: p.name[:3])
def test_an_export_that_loses_the_numbers_causes_numbering_findings_the_docx_has_not(linter, tmp_path, seed):
    path = text_to_docx(read_text_file(seed).lines, tmp_path / "seed.docx")
    export = tmp_path / "export.txt"
    export.write_text("\n".join(export_text(path)) + "\n", encoding="utf-8")
    from_docx = {_key(f) for f in linter.lint_file(str(path)).findings}
    from_export = {_key(f) for f in linter.lint_file(str(export)).findings}
    caused = from_export - from_docx
    assert caused and {k[0] for k in caused} == {"H003"}
    assert {k for k in from_export if k[0] != "H003"} == {k for k in from_docx if k[0] != "H003"}


# --------------------------------------------------------------------------- numbering


def _numbering_doc(tmp_path, abstract_xml: str, nums_xml: str, paragraphs: list[tuple[str, int | None, int]],
                   styles: dict[str, int] | None = None) -> Path:
    return numbered_docx(tmp_path / "n.docx", abstract_xml, nums_xml, paragraphs, styles)


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


MULTI = ('<w:abstractNum w:abstractNumId="1">'
         + _lvl(0, "chineseCounting", "%1、", extra='<w:suff w:val="nothing"/>')
         + _lvl(1, "chineseCountingThousand", "（%2）", extra='<w:suff w:val="nothing"/>')
         + _lvl(2, "decimal", "%3.")
         + _lvl(3, "decimal", "%1.%2.%4", extra='<w:isLgl/>')
         + "</w:abstractNum>")


def test_multilevel_list_counts_per_level_and_restarts_deeper_levels(tmp_path):
    path = _numbering_doc(tmp_path, MULTI, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>', [
        ("部门职责", 5, 0), ("主要职能", 5, 1), ("内设机构", 5, 1), ("行政运行", 5, 2), ("机关服务", 5, 2),
        ("机构设置", 5, 0), ("人员", 5, 1), ("在职", 5, 2), ("深层", 5, 3), ("", None, 0), ("预算", 5, 0)])
    assert read_docx(str(path)).lines == [
        "一、部门职责", "（一）主要职能", "（二）内设机构", "1. 行政运行", "2. 机关服务",
        "二、机构设置", "（一）人员", "1. 在职", "2.1.1 深层", "", "三、预算"]


def test_num_instances_share_the_abstract_counter_unless_start_overridden(tmp_path):
    nums = ('<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
            '<w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
            '<w:num w:numId="7"><w:abstractNumId w:val="1"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            '<w:num w:numId="8"><w:abstractNumId w:val="1"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>')
    path = _numbering_doc(tmp_path, MULTI, nums, [
        ("a", 5, 0), ("b", 6, 0), ("c", 7, 0), ("d", 7, 0), ("e", 8, 0), ("f", 0, 0)])
    assert read_docx(str(path)).lines == ["一、a", "二、b", "一、c", "二、d", "四、e", "f"]


def test_numbering_through_the_paragraph_style_and_start_values(tmp_path):
    abstract = ('<w:abstractNum w:abstractNumId="2">'
                + _lvl(0, "ideographTraditional", "%1.", start=1)
                + _lvl(1, "decimal", "(%2)", start=3)
                + "</w:abstractNum>")
    path = _numbering_doc(tmp_path, abstract, '<w:num w:numId="9"><w:abstractNumId w:val="2"/></w:num>',
                          [("甲项", "style:ListX", 0), ("子项", "style:ListX", 1), ("乙项", "style:ListX", 0)],
                          styles={"ListX": 9})
    assert read_docx(str(path)).lines == ["甲. 甲项", "(3)子项", "乙. 乙项"]


@pytest.mark.parametrize("n,fmt,shown", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (20, "chineseCounting", "二十"), (23, "chineseCountingThousand", "二十三"), (105, "chineseCounting", "一百零五"),
    (3, "ideographTraditional", "丙"), (12, "ideographTraditional", "乙"), (2, "decimalEnclosedCircle", "②"),
    (4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"), (28, "upperLetter", "BB"), (7, "decimalZero", "07"),
    (12, "decimalFullWidth", "１２"), (3, "chineseLegalSimplified", "叁"), (5, "bullet", ""), (9, "decimal", "9"),
])
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


# --------------------------------------------------------------------------- tables, exclusions, places


def test_merged_cells_keep_text_in_the_first_grid_cell_and_places_per_cell(tmp_path):
    d = docx.Document()
    d.add_paragraph("收入支出决算总表")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "收入"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "支出"
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text, t.cell(1, 3).text = "项目", "决算数", "项目", "决算数"
    t.cell(1, 3).merge(t.cell(2, 3))
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 2).text = "一、财政拨款收入", "1,367.76", "一、一般公共服务支出"
    d.sections[0].header.paragraphs[0].text = "页眉文字不是内容"
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    d.add_paragraph("注：本表反映部门本年度的总收支。")
    path = tmp_path / "t.docx"
    d.save(path)
    doc = read_docx(str(path))
    assert doc.lines == ["收入支出决算总表", "收入\t\t支出\t", "项目\t决算数\t项目\t决算数",
                         "一、财政拨款收入\t1,367.76\t一、一般公共服务支出\t", "注：本表反映部门本年度的总收支。"]
    assert not any("页眉" in ln or "第 1 页" in ln for ln in doc.lines)
    row = doc.blocks[3]
    assert row.kind is BlockKind.ROW
    place = doc.place_of(row.cells[1].span)
    assert (place.kind, place.table, place.row, place.column, place.text) == ("docx", 1, 3, 2, "1,367.76")
    assert doc.place_of(doc.blocks[1].cells[2].span).column == 3  # 支出 stands in grid column 3
    assert doc.place_of(doc.blocks[4].span).paragraph == 2


def test_deleted_revisions_hidden_runs_and_field_codes_are_not_text(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("支出")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>999.00</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>125.27</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText>PAGE</w:instrText></w:r>'))
    p.add_run("万元")
    path = tmp_path / "r.docx"
    d.save(path)
    assert read_docx(str(path)).lines == ["支出125.27万元"]


# --------------------------------------------------------------------------- generated filings, one error


def _docx_of(filing, tmp_path, name="f.docx") -> Path:
    return text_to_docx(filing.lines, tmp_path / name)


@pytest.mark.parametrize("seed", [1, 7])
def test_generated_docx_with_one_table_error_gives_that_finding_at_that_table_cell(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=False)
    clean_docx = _docx_of(filing, tmp_path, "clean.docx")
    assert linter.lint_file(str(clean_docx)).findings == []
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + Decimal("12.34"))
    path = _docx_of(bad, tmp_path)
    result = linter.lint_file(str(path))
    assert len(result.findings) == 1, [(f.code, f.message.zh) for f in result.findings]
    [f] = result.findings
    place = f.location.place
    shown = bad.cell_text(key)
    assert place.kind == "docx" and place.table is not None and place.text == shown
    cell = docx.Document(str(path)).tables[place.table - 1].cell(place.row - 1, place.column - 1)
    assert cell.text == shown
    row_cells = docx.Document(str(path)).tables[place.table - 1].rows[place.row - 1].cells
    assert row_cells[0].text == key[1]  # the row of the injected 功能分类 code


def test_generated_docx_with_one_narrative_error_gives_that_finding_at_that_paragraph(linter, tmp_path):
    filing = g.generate(seed=3, template="hunan-2020")
    claim = next(c for c in filing.claims if c["kind"] == "share" and c.get("refs"))
    bad = g.inject_narrative(filing, "share", subject=claim["subject"])
    path = _docx_of(bad, tmp_path)
    result = linter.lint_file(str(path))
    text_result = linter.lint_file(str(g.write(bad, tmp_path / "f.txt")))
    assert len(text_result.findings) == 1
    assert len(result.findings) == 1, [(f.code, f.message.zh) for f in result.findings]
    [f] = result.findings
    assert f.code == text_result.findings[0].code
    place = f.location.place
    assert place.kind == "docx" and place.paragraph is not None
    paragraph = docx.Document(str(path)).paragraphs[place.paragraph - 1]
    line = bad.lines[f.location.span.line - 1]
    assert paragraph.text and paragraph.text in line


def test_a_list_taking_its_levels_from_a_list_style(tmp_path):
    abstract = ('<w:abstractNum w:abstractNumId="3">'
                + _lvl(0, "chineseCounting", "第%1部分", extra='<w:suff w:val="nothing"/>')
                + '<w:styleLink w:val="PartList"/></w:abstractNum>'
                '<w:abstractNum w:abstractNumId="4"><w:numStyleLink w:val="PartList"/></w:abstractNum>')
    nums = ('<w:num w:numId="20"><w:abstractNumId w:val="3"/></w:num>'
            '<w:num w:numId="21"><w:abstractNumId w:val="4"/></w:num>')
    path = _numbering_doc(tmp_path, abstract, nums, [("部门概况", 21, 0), ("决算表", 21, 0), ("说明", 20, 0)],
                          styles={"PartList": 20})
    assert read_docx(str(path)).lines == ["第一部分部门概况", "第二部分决算表", "第三部分说明"]


@pytest.mark.parametrize("seed", SEEDS[:4], ids=lambda p: p.name[:3])
def test_a_docx_without_empty_paragraphs_finds_the_same(linter, tmp_path, seed):
    """Word documents rarely hold the empty paragraphs a text export puts between
    paragraphs: without them the same problems are found (at other line numbers)."""
    lines = [ln for ln in read_text_file(seed).lines if ln.strip()]
    path = text_to_docx(lines, tmp_path / "dense.docx")
    found = linter.lint_file(str(path))
    expected = linter.lint_file(str(seed))
    assert found.template == expected.template and len(found.tables) == len(expected.tables)
    assert sorted((f.code, f.location.place.text if f.location.place else "") for f in found.findings) == \
        sorted((f.code, _place_text(f, seed)) for f in expected.findings)


def _place_text(finding, seed) -> str:
    """The text a DOCX place would carry for a finding of the text export: its cell's
    text on a table row, its paragraph (whitespace collapsed, markers gone) otherwise."""
    line = _norm(read_text_file(seed).lines[finding.location.span.line - 1])
    if "\t" in line:
        col = finding.location.span.col
        raw = read_text_file(seed).lines[finding.location.span.line - 1]
        index = raw[:col - 1].count("\t")
        return line.split("\t")[index]
    return line
