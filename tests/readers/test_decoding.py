"""Decoding (issue 12): a bad byte or a cut last character loses only that place (F008),
UTF-16/32 with a BOM is read, a NUL anywhere means binary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint.cli import main
from lint.errors import InputError
from lint.readers.text import decode, read_text_file

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
DATA = SEED0.read_bytes()
LINES = DATA.decode("utf-8").split("\n")
if LINES[-1] == "":
    LINES.pop()


def _offset(line: int, col: int) -> int:
    """Byte offset of (line, col) in the UTF-8 seed."""
    before = "\n".join(LINES[:line - 1]) + "\n"
    return len(before.encode()) + len(LINES[line - 1][:col - 1].encode())


def test_one_bad_byte_is_replaced_and_placed(tmp_path):
    at = _offset(135, 4)
    f = tmp_path / "f.txt"
    f.write_bytes(DATA[:at] + b"\xff" + DATA[at:])
    doc = read_text_file(f)
    assert doc.encoding == "utf-8"
    assert doc.metadata["undecodable"] == [(135, 4, "ff")]
    assert doc.lines[134] == LINES[134][:3] + "\ufffd" + LINES[134][3:]
    assert doc.lines[:134] == LINES[:134] and doc.lines[135:] == LINES[135:]


def test_cut_last_character_is_replaced(tmp_path):
    f = tmp_path / "f.txt"
    f.write_bytes(DATA.rstrip(b"\n") + "表".encode()[:2])
    doc = read_text_file(f)
    (line, col, hexbytes), = doc.metadata["undecodable"]
    assert line == len(LINES) and col == len(LINES[-1]) + 1 and hexbytes == "e8 a1"


def test_gbk_file_with_a_bad_byte_is_still_gbk(tmp_path):
    gbk = DATA.decode().encode("gb18030")
    at = gbk.index("行政运行".encode("gb18030"))
    doc = read_text_file(_write(tmp_path, gbk[:at] + b"\xff\xff" + gbk[at:]))
    assert doc.encoding == "gb18030" and doc.metadata["undecodable_count"] >= 1
    assert sum(ln.count("\ufffd") for ln in doc.lines) == doc.metadata["undecodable_count"]
    assert "行政运行" in "".join(doc.lines)


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                        ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_utf16_and_utf32_with_bom_are_read(tmp_path, codec, bom):
    doc = read_text_file(_write(tmp_path, bom + DATA.decode().encode(codec)))
    assert doc.encoding == codec and doc.lines == LINES and "undecodable" not in doc.metadata


def test_nul_anywhere_marks_binary(tmp_path):
    big = DATA * (70_000 // len(DATA) + 2)
    assert len(big) > 65536
    with pytest.raises(InputError, match="binary") as e:
        read_text_file(_write(tmp_path, big + b"\x00tail\n"))
    assert e.value.line == big.count(b"\n") + 1


@pytest.mark.parametrize("head", [b"%PDF-1.7\n", b"PK\x03\x04\x14\x00"])
def test_pdf_and_zip_are_not_text(tmp_path, head):
    with pytest.raises(InputError, match="不是文本导出"):
        decode(head + b"some bytes\n", "x")


def test_wrong_forced_encoding_still_fails_at_its_first_byte(tmp_path):
    gbk = DATA.decode().encode("gbk")
    with pytest.raises(InputError, match="不能按 utf-8 解码"):
        read_text_file(_write(tmp_path, gbk), encoding="utf-8")


def test_forced_encoding_reads_past_one_bad_byte(tmp_path):
    at = _offset(135, 4)
    doc = read_text_file(_write(tmp_path, DATA[:at] + b"\xff" + DATA[at:]), encoding="utf-8")
    assert doc.metadata["undecodable"] == [(135, 4, "ff")]


def test_bad_byte_is_a_finding_and_the_rest_is_linted(tmp_path, capsys):
    at = _offset(20, 2)
    f = _write(tmp_path, DATA[:at] + b"\xc3" + DATA[at:])
    code = main(["check", "--no-entry-points", "--format", "json", str(f)])
    report = json.loads(capsys.readouterr().out)
    at_lines = {(x["code"], x["line"], x["col"]) for x in report["findings"]}
    assert ("F008", 20, 2) in at_lines
    assert any(c == "T002" and line == 157 for c, line, _ in at_lines)  # the rest is still checked
    assert code == 1 and report["notices"] == []


def _write(tmp_path: Path, data: bytes) -> Path:
    f = tmp_path / "f.txt"
    f.write_bytes(data)
    return f
