"""The PDF reader: the real filings in ../shared/corpus (read in place), generated
filings rendered to PDF with one injected error each, and damaged PDFs."""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lint.cli import main
from lint.engine.linter import Linter, LintOptions
from lint.errors import InputError
from lint.model import BlockKind
from lint.readers.pdf import MAX_OBJECTS_PER_PAGE, MAX_PAGES, PdfReader, read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import generator as g  # noqa: E402
from synth import pdf as synth_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus directory {CORPUS} absent")

# Per corpus file: pages in all, pages holding table rows, and cells (text, page) that
# must come out as one table cell on that page; their boxes are checked against
# pdfplumber's own words (an independent extraction).  A title that must stand as a
# line of its own, so the recognizer can anchor the table on it.
CORPUS_TABLE = {
    "js-cppcc-2017-budget-tables.pdf": (13, 13, [("9,066.79", 1), ("737.94", 9)], "收支预算总表"),
    "js-cppcc-2017-budget-text.pdf": (20, 0, [], "一、收支预算总表"),
    "js-cppcc-2018-budget-tables.pdf": (12, 12, [("10,070.48", 1), ("163.13", 7)], "收支预算总表"),
    "js-cppcc-2018-budget-text.pdf": (17, 0, [], "一、收支预算总表"),
    "js-npc-2017-budget.pdf": (31, 17, [("13,649.07", 7), ("120.00", 23)], "一、收支预算总表"),
    "js-npc-2018-budget.pdf": (31, 11, [("428.36", 13), ("30.00", 18)], "一、收支预算总表"),
    "js-partyoffice-2017-budget-tables.pdf": (14, 14, [("20,702.25", 1), ("50.00", 9)], "收支预算总表"),
    "js-partyoffice-2017-budget-text.pdf": (13, 0, [], "一、收支预算总表"),
    "js-partyoffice-2018-budget-tables.pdf": (15, 13, [("24,458.43", 3), ("10,403.11", 3)], "收支预算总表"),
    "js-partyoffice-2018-budget-text.pdf": (13, 0, [], "一、收支预算总表"),
    "js-procuratorate-2017-budget.pdf": (25, 9, [("17,981.68", 10), ("75.64", 14)], "一、收支预算总表"),
    "js-procuratorate-2018-budget.pdf": (31, 11, [("21,940.96", 13), ("1,073.77", 18)], "一、收支预算总表"),
    "sh-2024-final-template-blank.pdf": (23, 11, [], "一、收入支出决算总表"),
    "sh-putuo-commerce-2025-dept-budget.pdf": (26, 13, [("371,514,655.00", 9), ("171.01", 21)],
                                               "4．2025年部门财政拨款收支预算总表"),
    "sh-putuo-commerce-2025-unit-budget.pdf": (22, 13, [("371,514,655.00", 9), ("171.01", 21)],
                                               "4．2025年预算单位财政拨款收支预算总表"),
    "sh-putuo-finance-2024-final.pdf": (25, 15, [("2,940.05", 6), ("187.19", 11), ("0.95", 18)], "收入支出决算总表"),
    "sh-putuo-govoffice-2025-dept-budget.pdf": (22, 13, [("91,016,775.35", 8), ("213.28", 20)],
                                                "2025年部门财务收支预算总表"),
    "sh-putuo-govoffice-2025-unit-budget.pdf": (21, 13, [("91,016,775.35", 8), ("3,609,125.22", 13)],
                                                "4．2025年预算单位财政拨款收支预算总表"),
    "sh-putuo-justice-2026-dept-budget.pdf": (23, 12, [("96,282,213.44", 10), ("217.83", 21)],
                                              "2026年部门财务收支预算总表"),
    "sh-putuo-justice-2026-unit-budget.pdf": (21, 13, [("86,959,408.34", 8), ("1,791,459.00", 12)],
                                              "4．2026年预算单位财政拨款收支预算总表"),
    "sh-putuo-wanli-2023-dept-budget.pdf": (35, 24, [("4,563,800.00", 33), ("22.91", 28)],
                                            "4．2023年部门财政拨款收支预算总表"),
    "sh-putuo-wanli-2024-dept-budget.pdf": (33, 22, [("443.18", 31)], "2024年部门财务收支预算总表"),
    "sh-putuo-wanli-2025-dept-budget.pdf": (31, 21, [("464.64", 29)], "2025年部门财务收支预算总表"),
}


def _rows(doc):
    return [b for b in doc.blocks if b.kind is BlockKind.ROW]


def _pages_with_rows(doc) -> set[int]:
    return {seg[2].page for b in _rows(doc) for seg in doc.places[b.line]}


@needs_corpus
def test_the_table_covers_every_pdf_in_the_corpus():
    assert sorted(p.name for p in CORPUS.glob("*.pdf")) == sorted(CORPUS_TABLE)


@needs_corpus
@pytest.mark.parametrize("name", sorted(CORPUS_TABLE))
def test_corpus_pdf_structure(name):
    import pdfplumber

    pages, row_pages, cells, title = CORPUS_TABLE[name]
    doc = read_pdf(str(CORPUS / name))
    assert doc.metadata["pages"] == pages
    assert len(_pages_with_rows(doc)) == row_pages
    assert title in [b.text for b in doc.blocks if b.kind is BlockKind.TEXT]
    # Every line is placed, on a page that exists.
    for block in doc.blocks:
        assert block.line in doc.places
        assert all(1 <= seg[2].page <= pages for seg in doc.places[block.line])
    with pdfplumber.open(str(CORPUS / name)) as pdf:
        for text, page in cells:
            found = [(b, c) for b in _rows(doc) for c in b.cells
                     if c.text == text and doc.place_of(c.span).page == page]
            assert found, f"{name}: no cell {text!r} on page {page}"
            words = [w for w in pdf.pages[page - 1].extract_words() if w["text"].endswith(text)
                     or w["text"] == text]
            assert words, f"pdfplumber sees no {text!r} on page {page}"
            boxes = [doc.place_of(c.span).box for _, c in found]
            # pdfplumber's word lies inside the cell box we report (2 pt slack).
            assert any(all(w["x0"] >= b[0] - 2 and w["x1"] <= b[2] + 2 and w["top"] >= b[1] - 2
                           and w["bottom"] <= b[3] + 2 for w in words[:1]) or
                       any(w["x0"] >= b[0] - 2 and w["x1"] <= b[2] + 2 and w["top"] >= b[1] - 2
                           and w["bottom"] <= b[3] + 2 for w in words) for b in boxes), (text, boxes, words)


@needs_corpus
def test_numbers_on_a_shifted_baseline_rejoin_their_sentence():
    doc = read_pdf(str(CORPUS / "sh-putuo-finance-2024-final.pdf"))
    want = "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%"
    [line] = [n for n, text in enumerate(doc.lines, 1) if want in text]
    segments = doc.places[line]
    assert {seg[2].page for seg in segments} == {24}
    # "184.65" has its own word box, right after the words before it.
    col = doc.lines[line - 1].index("184.65") + 1
    place = [p for s, e, p in segments if s == col][0]
    assert place.text == "184.65" and place.box[2] - place.box[0] < 40
    # Wrapped lines of one paragraph are one line: "支出决算为1511.89万" + "元。"
    assert any("支出决算为1511.89万元。决算数小于预算数" in text for text in doc.lines)


@needs_corpus
def test_a_table_over_two_pages_is_one_table_without_page_numbers():
    doc = read_pdf(str(CORPUS / "sh-putuo-wanli-2025-dept-budget.pdf"))
    rows = _rows(doc)
    # 收入预算总表 runs over pages 10-13: one run of row lines, no break between.
    first = next(b for b in rows if b.text.startswith("201\t\t\t一般公共服务支出"))
    run = [b for b in rows if first.line <= b.line]
    lines = [b.line for b in run]
    end = next(i for i, (a, b) in enumerate(zip(lines, lines[1:])) if b != a + 1)
    pages = {seg[2].page for b in run[:end + 1] for seg in doc.places[b.line]}
    assert pages == {10, 11, 12, 13}
    assert run[end].text.startswith("合计")
    assert not any(re.fullmatch(r"[-—\s]*\d{1,3}[-—\s]*", t) for t in doc.lines)


@needs_corpus
def test_a_last_row_set_without_rules_on_the_next_page_stays_in_its_table():
    doc = read_pdf(str(CORPUS / "sh-putuo-wanli-2025-dept-budget.pdf"))
    rows = _rows(doc)
    # 支出预算总表's 合计 row stands alone at the top of the next page, unruled.
    total = next(b for b in rows if "合计" in [c.text for c in b.cells] and "189,767,551" in b.text
                 and "88,425,805" in b.text)
    before = next(b for b in rows if b.line == total.line - 1)  # the row above it, no prose between
    pages = lambda b: {seg[2].page for seg in doc.places[b.line]}  # noqa: E731
    assert pages(total) == {pages(before).pop() + 1}
    assert len(total.cells) == len(before.cells)
    # each amount sits in its own column's box
    boxes = [doc.place_of(c.span).box for c in total.cells if c.text]
    assert all(a[2] <= b[0] + 0.5 for a, b in zip(boxes, boxes[1:]))


@needs_corpus
def test_a_row_broken_by_the_page_is_one_row():
    """Word breaks a row whose label wraps: 八、社会保障和就 | 业支出, 当年收入 | 小计."""
    doc = read_pdf(str(CORPUS / "js-npc-2017-budget.pdf"))
    texts = [[c.text for c in b.cells] for b in _rows(doc)]
    assert any("八、社会保障和就业支出" in t and "1,608.51" in t for t in texts)
    assert any("当年收入小计" in t and "13,649.07" in t for t in texts)
    assert not any([x for x in t if x] in (["小计"], ["业支出"]) for t in texts)


@needs_corpus
def test_finance_final_accounts_tables_are_recognized():
    """The national 决算 form's tables in the Shanghai 决算 are recognized by the
    recognizer built for the Hunan text exports: the reader lays them out the same way."""
    result = Linter(LintOptions()).lint_file(str(CORPUS / "sh-putuo-finance-2024-final.pdf"))
    ids = {str(t).split("@")[0] for t in result.tables}
    assert {"table01", "table02", "table03", "table04", "table05", "table06"} <= ids, ids


# --------------------------------------------------------------------------- generated


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _render(filing, tmp_path, name, **kw):
    return synth_pdf.render(filing.text, tmp_path / name, **kw)


@pytest.mark.parametrize("seed, template, repeat", [(1, "hunan-2020", True), (0, "hunan-2018", False),
                                                    (5, "hunan-2018", True), (4, "hunan-2020", False)])
def test_generated_pdf_reads_back_as_its_text_export(tmp_path, seed, template, repeat):
    """Paragraphs wrapped at the margin (numbers broken over lines included), header
    cells merged and wrapped, tables over pages with and without repeated headers, an
    orphan header row at a page foot, running header and page numbers: the reader gives
    back exactly the lines of the text export."""
    filing = g.generate(seed=seed, template=template, performance=seed % 2 == 0)
    r = _render(filing, tmp_path, "f.pdf", repeat_header=repeat)
    assert r.pages > 3
    doc = read_pdf(str(r.path))
    norm = lambda lines: [ln.strip(" ").rstrip("\t") for ln in lines if ln.strip()]  # noqa: E731
    # Same lines, same cells (a row drawn with more columns only gains blank cells at its end).
    assert norm(doc.lines) == norm(filing.text.split("\n"))


@pytest.mark.parametrize("seed", [0, 2])
def test_consistent_generated_pdf_has_no_findings(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020")
    r = _render(filing, tmp_path, f"c{seed}.pdf")
    result = linter.lint_file(str(r.path))
    assert result.findings == [], [(f.code, f.message.zh[:60]) for f in result.findings]


def _leaf(filing, table):
    return sorted(k for k, v in filing.values.items() if k[0] == table and len(k[1]) == 7 and v != 0)


def _close(a, b, tol=1.5):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.mark.parametrize("seed, table", [(3, "table03"), (4, "table05"), (6, "table02")])
def test_injected_table_error_is_found_at_its_page_and_cell_box(linter, tmp_path, seed, table):
    filing = g.generate(seed=seed, template="hunan-2020", narrative=False)
    key = _leaf(filing, table)[0]
    bad = g.inject(filing, *key, filing.values[key] + Decimal("1.00"))
    r = _render(bad, tmp_path, f"inj{seed}.pdf", repeat_header=seed % 2 == 0)
    result = linter.lint_file(str(r.path))
    [f] = result.findings
    line, col, _ = bad.cells[key]
    page, box = r.box_of(line, col)
    place = f.location.place
    assert place is not None and place.kind == "pdf"
    assert place.page == page and _close(place.box, box), (place, page, box)
    assert Decimal(place.text.replace(",", "")) == filing.values[key] + Decimal("1.00")


def test_injected_narrative_error_is_found_at_the_number_in_its_sentence(linter, tmp_path):
    filing = g.generate(seed=8, template="hunan-2020")
    bad = g.inject_narrative(filing, "share")
    r = _render(bad, tmp_path, "narr.pdf")
    result = linter.lint_file(str(r.path))
    [f] = result.findings
    change = bad.changes[-1]
    line, col, end = change["line"], change["col"], change["end_col"]
    page, box = r.span_box(line, col, end)
    place = f.location.place
    assert place.page == page
    # the reported word box holds the changed number's drawn characters
    assert place.box[0] <= box[0] + 1 and place.box[2] >= box[2] - 1 and abs(place.box[1] - box[1]) < 4


def test_text_json_and_sarif_name_the_page(tmp_path, capsys):
    filing = g.generate(seed=3, template="hunan-2020", narrative=False)
    key = _leaf(filing, "table03")[0]
    bad = g.inject(filing, *key, filing.values[key] + Decimal("1.00"))
    r = _render(bad, tmp_path, "fmt.pdf")
    page, box = r.box_of(*bad.cells[key][:2])
    assert main(["check", str(r.path)]) == 1
    out = capsys.readouterr().out
    assert f"fmt.pdf:{page}: " in out and f"第 {page} 页 [x0 " in out
    assert main(["check", "--format", "json", str(r.path)]) == 1
    [record] = json.loads(capsys.readouterr().out)["findings"]
    assert record["place"]["kind"] == "pdf" and record["place"]["page"] == page
    assert _close(record["place"]["box"], box)
    assert main(["check", "--format", "sarif", str(r.path)]) == 1
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == page
    assert region["properties"]["filinglint/place"] == record["place"]


# --------------------------------------------------------------------------- bad input


def _check_one_line(path, capsys, *words):
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert Path(path).name in err
    for w in words:
        assert w in err, err


def test_scanned_pdf_says_run_ocr(tmp_path, capsys):
    _check_one_line(synth_pdf.scanned_pdf(tmp_path / "scan.pdf"), capsys, "没有文本层", "OCR")


def test_encrypted_pdf_is_one_line(tmp_path, capsys):
    _check_one_line(synth_pdf.encrypted_pdf(tmp_path / "locked.pdf"), capsys, "加密", "密码")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_one_line(tmp_path, capsys, keep):
    filing = g.generate(seed=1, template="hunan-2020", narrative=False)
    whole = _render(filing, tmp_path, "whole.pdf").path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: int(len(whole) * keep)])
    _check_one_line(cut, capsys, "PDF")


def test_garbage_after_the_header_is_one_line(tmp_path, capsys):
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    _check_one_line(p, capsys, "PDF")


def _raw_pdf(path: Path, content: bytes, pages: int = 1) -> Path:
    """A minimal PDF: ``pages`` pages sharing one content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_page_with_too_many_objects_is_refused(tmp_path, capsys):
    n = MAX_OBJECTS_PER_PAGE + 10
    content = b"0.1 w\n" + b"".join(b"%d 10 m %d 11 l S\n" % (i % 500, i % 500) for i in range(n))
    huge = _raw_pdf(tmp_path / "huge.pdf", content)
    _check_one_line(huge, capsys, "第 1 页对象过多", str(MAX_OBJECTS_PER_PAGE))
    assert main(["check", "--lang", "en", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "page 1: too many objects" in err and "对象" not in err


def test_too_many_pages_is_refused_before_reading_them(tmp_path, capsys):
    _check_one_line(_raw_pdf(tmp_path / "long.pdf", b"", pages=MAX_PAGES + 1), capsys, "页数过多")


def test_pages_without_any_text_say_run_ocr(tmp_path, capsys):
    _check_one_line(_raw_pdf(tmp_path / "blank.pdf", b"0 0 m 100 100 l S", pages=2), capsys, "OCR")


def test_reader_plugin_interface():
    assert PdfReader.name == "pdf" and ".pdf" in PdfReader.suffixes
    assert PdfReader.sniff(b"%PDF-1.7\n%\xe2\xe3") and not PdfReader.sniff(b"PK\x03\x04")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        read_pdf(str(tmp_path / "nope.pdf"))
