"""Every way of running filinglint ends in a defined state (issue 12): no report written
over an input, no input silently skipped, every failure visible in every format."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


@pytest.fixture
def seed(tmp_path) -> Path:
    f = tmp_path / "filing.txt"
    shutil.copy(SEED0, f)
    return f


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-entry-points", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ data loss


def test_output_that_is_an_input_is_refused(seed, capsys):
    before = seed.read_bytes()
    code, out, err = cli(capsys, "-o", str(seed), str(seed))
    assert code == 2
    assert "输出文件就是输入文件之一" in err and str(seed) in err
    assert seed.read_bytes() == before


def test_output_reached_through_another_spelling_is_refused(seed, capsys, monkeypatch):
    monkeypatch.chdir(seed.parent)
    code, _, err = cli(capsys, "-o", "./filing.txt", str(seed))
    assert code == 2 and "输出文件就是输入文件之一" in err


def test_output_that_is_a_member_of_a_joined_input_is_refused(seed, capsys):
    other = seed.with_name("tables.txt")
    shutil.copy(SEED0, other)
    code, _, err = cli(capsys, "-o", str(other), f"{seed}+{other}")
    assert code == 2 and "输出文件就是输入文件之一" in err
    assert other.read_bytes() == SEED0.read_bytes()


def test_directory_run_does_not_lint_its_own_earlier_report(seed, capsys, monkeypatch):
    monkeypatch.chdir(seed.parent)
    first = cli(capsys, "-o", "report.txt", ".")
    assert first[0] == 1 and Path("report.txt").exists()
    second = cli(capsys, "-o", "report.txt", ".")
    assert second[0] == 1, second[2]
    assert "report.txt" not in second[2]


def test_directory_given_twice_is_linted_once(seed, capsys):
    once = cli(capsys, "--format", "json", str(seed.parent))
    twice = cli(capsys, "--format", "json", str(seed.parent), str(seed.parent), str(seed))
    a, b = json.loads(once[1]), json.loads(twice[1])
    assert [f["path"] for f in b["files"]] == [f["path"] for f in a["files"]] == [str(seed)]
    assert len(b["findings"]) == len(a["findings"]) > 0


# ------------------------------------------------------------------ odd inputs


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loop_and_dangling_link_are_reported(seed, capsys):
    d = seed.parent
    os.symlink(d, d / "loop")
    os.symlink(d / "missing.txt", d / "dangling.txt")
    code, out, err = cli(capsys, str(d))
    assert code == 2
    assert "dangling.txt" in err and "符号链接指向不存在的" in err
    assert "loop" in err and "符号链接形成循环" in err
    assert "filing.txt:157:" in out  # the real filing is still linted, once
    assert out.count("filing.txt:157:35") == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_fifo_is_refused_not_waited_on(tmp_path, capsys):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code, out, err = cli(capsys, str(fifo))  # would block forever if opened
    assert code == 2 and "不是普通文件" in err and str(fifo) in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_fifo_inside_a_walked_directory_is_reported(seed, capsys):
    os.mkfifo(seed.parent / "pipe.txt")
    code, out, err = cli(capsys, str(seed.parent))
    assert code == 2 and "pipe.txt" in err and "不是普通文件" in err
    assert "filing.txt:157:" in out


# ------------------------------------------------------------------ every format says it


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_unreadable_input_is_in_every_format(tmp_path, seed, capsys, fmt):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = cli(capsys, "--format", fmt, str(seed), str(empty))
    assert code == 2
    assert "empty.txt" in err and "文件为空" in err
    if fmt == "text":
        assert "empty.txt" in out and "文件为空" in out
    elif fmt == "json":
        notices = json.loads(out)["notices"]
        assert any(n["path"] == str(empty) and "文件为空" in n["message"] for n in notices)
    else:
        inv = json.loads(out)["runs"][0]["invocations"][0]
        assert inv["executionSuccessful"] is False
        assert any("文件为空" in n["message"]["text"] for n in inv["toolExecutionNotifications"])


def test_tool_notices_reach_stderr_even_with_output_file(seed, tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "fl_safety_broken.py").write_text("raise RuntimeError('boom in plugin')\n", encoding="utf-8")
    try:
        code, out, err = cli(capsys, "-p", "fl_safety_broken", "-o", str(tmp_path / "r.sarif"),
                             "--format", "sarif", str(seed))
    finally:
        sys.modules.pop("fl_safety_broken", None)
    assert code == 3
    assert out == ""
    assert "boom in plugin" in err and "fl_safety_broken" in err
    log = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_error_lines_never_echo_control_bytes(tmp_path, capsys):
    bad = tmp_path / "evil\x1b[2J\x07name.txt"
    bad.write_bytes(b"")
    code, out, err = cli(capsys, str(bad))
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err and "\x1b" not in out
    assert "\\x1b[2J\\x07name.txt" in err


def test_decode_error_quoting_control_bytes_is_escaped(tmp_path, capsys):
    f = tmp_path / "f.txt"
    f.write_bytes("表\x1b[31m\r\n".encode("utf-8") * 3)
    code, out, err = cli(capsys, "--encoding", "ascii", str(f))
    assert code == 2 and "不能按 ascii 解码" in err
    assert "\x1b" not in err and "\r" not in err


def test_report_lines_never_carry_control_bytes_from_the_filing(tmp_path, capsys):
    lines = SEED0.read_text(encoding="utf-8").split("\n")
    cells = lines[156].split("\t")
    cells[1] += "\x1b[2J\x1b[31m"  # a row name that would clear and recolour the terminal
    lines[156] = "\t".join(cells)
    f = tmp_path / "esc\x1b[0m.txt"
    f.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = cli(capsys, str(f))
    assert code == 1 and "T002" in out
    assert "\x1b" not in out and "\x1b" not in err
    assert "\\x1b[2J" in out  # shown, escaped


def test_unknown_encoding_is_a_usage_error_before_any_file(seed, capsys):
    code, out, err = cli(capsys, "--encoding", "klingon", str(seed), str(seed.parent))
    assert code == 2 and err.count("未知的编码") == 1 and out == ""
