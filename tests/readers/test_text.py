"""The plain-text reader: lines, blocks and cell spans exactly as in the file, the
same blocks whatever the encoding or line ends, clear errors for what is not a filing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.errors import InputError
from lint.model import BlockKind, Span
from lint.readers.text import read_text_file

MARK = re.compile(r"\[(?:bookmark|image):[^\]]*\]")


def seed(seeds_dir: Path, number: str) -> Path:
    return next(seeds_dir.glob(f"{number}_*.txt"))


def raw_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def blocks_of(doc) -> list[tuple]:
    return [(b.kind, b.line, b.text, b.cells) for b in doc.blocks]


ALL_SEEDS = ["000", "001", "002", "003", "004"]


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("number", ALL_SEEDS)
def test_each_seed_reads_line_for_line(seeds_dir, number):
    path = seed(seeds_dir, number)
    doc = read_text_file(path)
    lines = raw_lines(path)
    assert doc.encoding == "utf-8"
    assert doc.lines == lines
    assert doc.path == str(path)
    non_blank = [i + 1 for i, ln in enumerate(lines) if MARK.sub("", ln).strip()]
    assert [b.line for b in doc.blocks] == non_blank
    for b in doc.blocks:
        assert (b.kind is BlockKind.ROW) == ("\t" in lines[b.line - 1])
        assert len(b.text) == len(lines[b.line - 1]), "blanking marks keeps every column"
        assert b.span == Span(b.line, 1, b.line, len(b.text) + 1)


@pytest.mark.parametrize("number", ALL_SEEDS)
def test_cell_spans_cover_their_text(seeds_dir, number):
    doc = read_text_file(seed(seeds_dir, number))
    rows = [b for b in doc.blocks if b.kind is BlockKind.ROW]
    assert rows or number == "004"
    for b in rows:
        fields = b.text.split("\t")
        assert len(b.cells) == len(fields)
        start = 0
        for field, cell in zip(fields, b.cells):
            assert cell.text == field.strip()
            assert cell.span.line == cell.span.end_line == b.line
            if cell.text:
                assert b.text[cell.span.col - 1:cell.span.end_col - 1] == cell.text
                assert cell.span.col == start + 1 + len(field) - len(field.lstrip())
            else:
                assert cell.span.end_col == cell.span.col + 1
            start += len(field) + 1


def test_seed_000_line_157_third_cell(seeds_dir):
    path = seed(seeds_dir, "000")
    line = raw_lines(path)[156]
    fields = line.split("\t")
    assert fields[0] == "2010399" and fields[2] == "76.21"
    col = len(fields[0]) + 1 + len(fields[1]) + 1 + 1
    doc = read_text_file(path)
    block = next(b for b in doc.blocks if b.line == 157)
    cell = block.cells[2]
    assert cell.text == "76.21"
    assert cell.span == Span(157, col, 157, col + len("76.21"))
    assert line[cell.span.col - 1:cell.span.end_col - 1] == "76.21"


def test_reader_marks_are_blanked_in_place(seeds_dir):
    path = seed(seeds_dir, "004")
    lines = raw_lines(path)
    doc = read_text_file(path)
    marked = [i + 1 for i, ln in enumerate(lines) if MARK.search(ln)]
    assert len(marked) > 10
    by_line = {b.line: b for b in doc.blocks}
    for n in marked:
        raw = lines[n - 1]
        assert doc.lines[n - 1] == raw, "Document.lines keep the marks"
        rest = MARK.sub("", raw)
        if not rest.strip():
            assert n not in by_line, "a line holding only marks is not a block"
            continue
        text = by_line[n].text
        assert "[bookmark:" not in text and "[image:" not in text
        assert len(text) == len(raw)
        for m in MARK.finditer(raw):
            assert text[m.start():m.end()] == " " * (m.end() - m.start())
        # what follows the marks stays at its column
        tail = raw[max(m.end() for m in MARK.finditer(raw)):]
        assert text.endswith(tail)
    first = lines[0]
    assert first.lstrip().startswith("[bookmark:")
    heading = MARK.sub("", first).strip()
    assert heading == "第一部分 部门概况"
    assert by_line[1].text.index(heading) == first.index(heading) == len(first) - len(heading)


def test_relative_paths_stay_relative(seeds_dir, monkeypatch):
    path = seed(seeds_dir, "001")
    monkeypatch.chdir(seeds_dir)
    assert read_text_file(path.name).path == path.name


# --------------------------------------------------------------------------- encodings and line ends


@pytest.mark.parametrize("number", ["000", "002", "003"])
@pytest.mark.parametrize("encoding, newline, bom, reported", [
    ("gbk", "\n", b"", "gb18030"),
    ("gb18030", "\n", b"", "gb18030"),
    ("utf-8", "\n", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-8", "\r\n", b"", "utf-8"),
    ("gbk", "\r\n", b"", "gb18030"),
    ("utf-8", "\r", b"", "utf-8"),
])
def test_encodings_and_line_ends_give_the_same_blocks(seeds_dir, tmp_path, number, encoding, newline, bom, reported):
    path = seed(seeds_dir, number)
    original = read_text_file(path)
    text = path.read_text(encoding="utf-8").replace("\n", newline)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(bom + text.encode(encoding))
    doc = read_text_file(copy)
    assert doc.encoding == reported
    assert doc.lines == original.lines
    assert blocks_of(doc) == blocks_of(original)


def test_gb18030_reads_what_gbk_cannot_encode(seeds_dir, tmp_path):
    path = seed(seeds_dir, "004")
    text = path.read_text(encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    copy = tmp_path / "gb18030.txt"
    copy.write_bytes(text.encode("gb18030"))
    assert blocks_of(read_text_file(copy)) == blocks_of(read_text_file(path))


def test_encoding_override(seeds_dir, tmp_path):
    path = seed(seeds_dir, "000")
    data = path.read_text(encoding="utf-8").encode("gbk")
    copy = tmp_path / "gbk.txt"
    copy.write_bytes(data)
    doc = read_text_file(copy, encoding="gbk")
    assert doc.encoding == "gbk"
    assert doc.lines == read_text_file(path).lines
    # forcing the wrong encoding fails at the first byte that does not fit, with its position
    with pytest.raises(InputError) as err:
        read_text_file(copy, encoding="utf-8")
    offset = next(i for i, byte in enumerate(data) if byte >= 0x80)
    line = data[:offset].count(b"\n") + 1
    col = offset - (data[:offset].rfind(b"\n") + 1) + 1
    assert (err.value.line, err.value.col) == (line, col)
    assert str(err.value).startswith(f"{copy}:{line}:{col}: ")
    assert "utf-8" in err.value.message


def test_unknown_encoding_name_is_an_input_error(seeds_dir):
    with pytest.raises(InputError) as err:
        read_text_file(seed(seeds_dir, "001"), encoding="no-such-codec")
    assert "no-such-codec" in err.value.message and err.value.path.endswith(".txt")


def test_only_cr_and_lf_end_lines(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_text("一\x0b二\x1c三\u2028四\t5.00\n第二行\f末尾\r\n第三行", encoding="utf-8")
    doc = read_text_file(path)
    assert doc.lines == ["一\x0b二\x1c三\u2028四\t5.00", "第二行 末尾", "第三行"]
    row = doc.blocks[0]
    assert row.kind is BlockKind.ROW and row.cells[1].span == Span(1, 9, 1, 13)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_empty_files_are_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_text_file(path)
    assert err.value.path == str(path)
    assert str(err.value).startswith(f"{path}: ") and "empty" in str(err.value)


def test_binary_file_is_refused_with_the_position_of_the_first_nul(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("收入决算表\n合计\t12.5\x00\x00\x01\x02".encode("utf-8"))
    with pytest.raises(InputError) as err:
        read_text_file(path)
    # byte column: "合计\t12.5" is 2*3 + 1 + 4 = 11 bytes, the NUL is byte 12
    assert (err.value.line, err.value.col) == (2, 12)
    assert str(err.value).startswith(f"{path}:2:12: ") and "binary" in str(err.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as err:
        read_text_file(path)
    assert err.value.path == str(path) and "文件不存在" in str(err.value)


def test_directory(tmp_path):
    with pytest.raises(InputError) as err:
        read_text_file(tmp_path)
    assert err.value.path == str(tmp_path) and "directory" in str(err.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_read_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    try:
        doc = read_text_file(path)
    except InputError as err:
        assert err.path == str(path)
        assert str(err).startswith(str(path))
    else:
        assert all(b.line <= len(doc.lines) for b in doc.blocks)
        assert all(b.text.strip() for b in doc.blocks)
