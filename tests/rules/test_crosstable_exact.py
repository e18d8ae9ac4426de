"""A figure copied from one table to another must be identical (no rounding
allowance); a sum of rounded parts keeps its allowance."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
RULES = ROOT / "rules" / "core" / "crosstable.rules"


def _check(path: Path, select: str) -> list[dict]:
    p = subprocess.run([sys.executable, "-m", "lint", "check", "--select", select, "--format", "json", str(path)],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)["findings"]


def test_a_copied_total_one_cent_off_is_reported(tmp_path):
    lines = SEED0.read_text(encoding="utf-8").splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("本年收入合计\t"))
    assert lines[i].split("\t")[2] == "125.46"
    cells = lines[i].split("\t")
    cells[2] = "125.47"  # 0.01 off: within two printed numbers' rounding, but a copy may not differ at all
    lines[i] = "\t".join(cells)
    f = tmp_path / "copy.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _check(SEED0, "X001") == []
    found = _check(f, "X001")
    assert [(x["code"], x["line"]) for x in found] == [("X001", i + 1)]


def test_copies_are_exact_and_sums_of_parts_are_not():
    text = RULES.read_text(encoding="utf-8")
    for line in re.findall(r"^\s*assert (.+)$", text, re.M):
        parts = re.split(r"\s(==|<=|>=)\s", line.removesuffix(" exact"), maxsplit=1)
        if len(parts) != 3:  # exists(...) and other non-comparisons
            continue
        lhs, op, rhs = parts
        is_sum = "+" in lhs or "+" in rhs
        if op == "==" and not is_sum:
            assert line.endswith(" exact"), line
        if is_sum:
            assert not line.endswith(" exact"), line
