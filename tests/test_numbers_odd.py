"""Strange numbers (issue 12): invisible or odd characters are reported at their cell and
still checked when the value is unambiguous; huge amounts never make a rule raise."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from lint.cli import main
from lint.model import Document
from lint.numbers import MAX_INT_DIGITS, number_problem, parse_number
from lint.readers.text import split_blocks
from lint.engine.rules import RuleContext, TableSet
from lint.rules.core.hygiene import OddNumber

ROOT = Path(__file__).resolve().parents[1]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"

READABLE = [  # still read, as this value, but flagged
    ("49.06\u200b", "49.06"), ("\u200f49.06", "49.06"), ("\ufeff49.06", "49.06"), ("4\u030a9.06", "49.06"),
    ("49\u200d.06", "49.06"), ("\u0664\u0669.\u0660\u0666", "49.06"), ("\u06f4\u06f9\u066b\u06f0\u06f6", "49.06"),
    ("1,367\u200b.76", "1367.76"),
]
UNCLEAR = [  # not read as a value; the problem is named
    ("49.06\u00b2", "superscript"), ("4\u2079.06", "superscript"), ("(49.06)", "parentheses"),
    ("（1,234.00）", "parentheses"), ("1e308", "exponent"), ("-2.5E+3", "exponent"), ("NaN", "not-a-number"),
    ("-inf", "not-a-number"), ("#DIV/0!", "not-a-number"),
    ("12345678901234567890123456.00", "implausible"), ("1,234,567,890,123,456,789.00", "implausible"),
]
PLAIN = ["49.06", "1,367.76", "0.00", "(1)", "（一）", "①", "合计", "2010399", "12345678901234567890", "第1项", ""]


@pytest.mark.parametrize("text, value", READABLE)
def test_odd_character_number_is_read_and_flagged(text, value):
    a = parse_number(text)
    assert a is not None and a.value == Decimal(value) and a.anomaly == "odd-character"
    assert number_problem(text) == "odd-character"


@pytest.mark.parametrize("text, problem", UNCLEAR)
def test_unclear_number_is_not_read_but_named(text, problem):
    assert parse_number(text) is None
    assert number_problem(text) == problem


@pytest.mark.parametrize("text", PLAIN)
def test_plain_numbers_and_labels_are_not_problems(text):
    assert number_problem(text) is None


def test_no_parsed_amount_can_overflow_decimal_arithmetic():
    biggest = parse_number("9" * MAX_INT_DIGITS + ".9999999999")
    assert biggest is not None
    # what rules do with amounts: sums of many, rounding to cents, percentages
    total = sum([biggest.value] * 1000, Decimal(0))
    assert total.quantize(Decimal("0.01")) > 0
    assert (biggest.value * 100 / Decimal("0.01")).quantize(Decimal("0.01"))
    assert parse_number("9" * (MAX_INT_DIGITS + 1) + ".00") is None


def test_f007_reports_each_odd_cell_at_its_place():
    lines = ["支出决算表", "2010301\t行政运行\t49.06\u200b\t(49.06)\t0.00\t1e308"]
    doc = Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))
    found = list(OddNumber().check(RuleContext(document=doc, tables=TableSet([]))))
    got = [(f.location.span.line, f.location.span.col, f.properties["problem"]) for f in found]
    assert got == [(2, 14, "odd-character"), (2, 21, "parentheses"), (2, 34, "exponent")]
    assert "<U+200B>" in found[0].message.zh and "\u200b" not in found[0].message.zh
    assert "checked as 49.06" in found[0].message.en and "not checked" in found[1].message.en


def _seed_with(tmp_path, line: int, column: int, text: str) -> Path:
    lines = SEED0.read_text(encoding="utf-8").split("\n")
    cells = lines[line - 1].split("\t")
    cells[column] = text
    lines[line - 1] = "\t".join(cells)
    f = tmp_path / "filing.txt"
    f.write_text("\n".join(lines), encoding="utf-8")
    return f


@pytest.mark.parametrize("odd", ["49.06\u200b", "\u200f49.06", "4\u030a9.06", "\u0664\u0669.\u0660\u0666"])
def test_unambiguous_odd_number_is_still_checked(tmp_path, capsys, odd):
    # seed 000 line 157: 基本支出 49.06 breaks T002; it still must with the odd character
    f = _seed_with(tmp_path, 157, 3, odd)
    code = main(["check", "--no-entry-points", "--format", "json", str(f)])
    report = json.loads(capsys.readouterr().out)
    at = {(x["code"], x["line"]) for x in report["findings"]}
    assert ("T002", 157) in at and ("F007", 157) in at
    assert report["notices"] == [] and code == 1


@pytest.mark.parametrize("digits", [26, 40, 400])
def test_huge_amount_never_makes_a_rule_raise(tmp_path, capsys, digits):
    f = _seed_with(tmp_path, 157, 2, "1" * digits + ".00")
    code = main(["check", "--no-entry-points", "--format", "json", str(f)])
    report = json.loads(capsys.readouterr().out)
    assert report["notices"] == [], report["notices"]
    assert code == 1
    assert any(x["code"] == "F007" and x["line"] == 157 and x["properties"]["problem"] == "implausible"
               for x in report["findings"])
