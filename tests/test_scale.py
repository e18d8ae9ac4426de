"""Size: work grows linearly with the filing (counted, never timed), inputs above the
documented limit are refused, and a plugin that hangs is bounded (lint/limits.py,
lint/parallel.py)."""

from __future__ import annotations

import cProfile
import os
import pstats
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lint.cli import main
from lint.engine.linter import Linter, LintOptions

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(LintOptions())


def calls(linter: Linter, path: Path, warm: bool = True) -> int:
    """The work of linting ``path``: Python function calls (and generator steps) made,
    as the profiler counts them.  Deterministic, unlike time, and it sees a loop that
    calls a helper per pair of items just as it sees the time it would take."""
    if warm:
        linter.lint_file(str(path))  # warm the caches shared between files
    profiler = cProfile.Profile()
    profiler.enable()
    linter.lint_file(str(path))
    profiler.disable()
    return sum(row[1] for row in pstats.Stats(profiler).stats.values())


def repeated(text: str, times: int, path: Path) -> Path:
    path.write_text((text.rstrip("\n") + "\n") * times, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", ["000_98add52c02d21372", "004_3ac8441545fefd6e"])
def test_a_filing_16_times_as_long_costs_at_most_about_16_times_the_work(seed, linter, tmp_path):
    # 000: a 决算 with every table kind; 004: a 绩效自评 with many projects in prose.
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    one = calls(linter, repeated(text, 1, tmp_path / "x1.txt"))
    sixteen = calls(linter, repeated(text, 16, tmp_path / "x16.txt"), warm=False)
    assert sixteen <= 16 * one * 1.15, (one, sixteen, sixteen / one)


def test_one_long_sentence_is_linear(linter, tmp_path):
    seed = (SEEDS / "000_98add52c02d21372.txt").read_text(encoding="utf-8")
    clause = "本年支出合计比上年增加1.00万元，增长1.5%，主要原因是人员增加。"
    counts = []
    for n in (500, 2000):  # the narrative grows 4x, all of it one printed line
        path = tmp_path / f"s{n}.txt"
        path.write_text(seed + "\n" + clause * n + "\n", encoding="utf-8")
        counts.append(calls(linter, path))
    base = calls(linter, SEEDS / "000_98add52c02d21372.txt")
    grown = [c - base for c in counts]  # the work the long line adds
    assert grown[1] <= 4 * grown[0] * 1.2, grown


def test_one_wide_table_row_is_linear(linter, tmp_path):
    lines = (SEEDS / "000_98add52c02d21372.txt").read_text(encoding="utf-8").split("\n")
    at = next(k for k, line in enumerate(lines) if line.count("\t") >= 4 and any(c.isdigit() for c in line))
    counts = []
    for cells in (250, 2000):  # ~2 KB and ~16 KB rows with a decimal comma in every cell
        wide = lines[:at] + [lines[at] + "\t125,27" * cells] + lines[at + 1:]
        path = tmp_path / f"r{cells}.txt"
        path.write_text("\n".join(wide), encoding="utf-8")
        main(["check", "-j", "1", "--format", "text", "-o", str(tmp_path / "out.txt"), str(path)])
        counts.append(calls(linter, path))
    base = calls(linter, SEEDS / "000_98add52c02d21372.txt")
    grown = [c - base for c in counts]
    assert grown[1] <= 8 * grown[0] * 1.2, grown


# --------------------------------------------------------------------------- limits


def test_input_over_the_size_limit_is_refused_and_the_rest_still_run(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: 9 MiB on paper, nothing on disk
        fh.truncate(9 << 20)
    code = main(["check", "-j", "1", str(big), str(SEEDS / "001_8f2ce6975d7cd745.txt")])
    out = capsys.readouterr()
    assert code == 2
    assert "big.txt" in out.err and "--max-size" in out.err and "Traceback" not in out.err
    assert "001_8f2ce6975d7cd745.txt" in out.out or "共" in out.out  # the other file was linted
    # The limit is adjustable: a tiny one refuses a seed, naming the limit.
    code = main(["check", "-j", "1", "--max-size", "0.01", str(SEEDS / "001_8f2ce6975d7cd745.txt")])
    err = capsys.readouterr().err
    assert code == 2 and "0.01 MiB" in err
    assert main(["check", "--max-size", "-3", str(SEEDS)]) == 2
    assert "--max-size" in capsys.readouterr().err


def test_text_read_from_a_document_is_limited_too(tmp_path):
    from lint.errors import InputError
    from lint.limits import check_document
    from lint.model import Document

    doc = Document(str(tmp_path / "x.pdf"), "utf-8", ["甲" * 1000] * 20, [])
    check_document(doc, 0.1)  # 20,020 characters < 0.1 Mi
    with pytest.raises(InputError, match=r"输入过大：文本 [\d.]+ MiB，超过上限 0.01 MiB，可用 --max-size 调整$"):
        check_document(doc, 0.01)
    from lint import i18n

    i18n.set_language("en")
    try:
        with pytest.raises(InputError, match=r": input too large: text [\d.]+ MiB > limit 0.01 MiB; raise it with --max-size$"):
            check_document(doc, 0.01)
    finally:
        i18n.set_language("zh")


# --------------------------------------------------------------------------- plugin time

HANGING_HOOK = """
import time
from lint.plugins import hookimpl

@hookimpl
def filinglint_extract_claims(document, tables):
    time.sleep(60)
    return []
"""

HANGING_IMPORT = "import time\ntime.sleep(60)\n"


def _run(args, plugin_dir):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_dir), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "lint", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_hook_that_hangs_is_cut_off_and_named(tmp_path):
    (tmp_path / "fl_hangs.py").write_text(textwrap.dedent(HANGING_HOOK), encoding="utf-8")
    seed = str(SEEDS / "001_8f2ce6975d7cd745.txt")
    p = _run(["check", "-j", "1", "--timeout", "2", "-p", "fl_hangs", "--format", "json", seed], tmp_path)
    assert p.returncode == 3, p.stderr
    assert "检查超时：2 秒内未完成" in p.stdout and "Traceback" not in p.stderr
    assert "检查超时：2 秒内未完成" in p.stderr  # notices reach stderr when the report is JSON


def test_a_plugin_import_that_hangs_is_cut_off(tmp_path):
    (tmp_path / "fl_hangs_on_import.py").write_text(HANGING_IMPORT, encoding="utf-8")
    p = _run(["check", "--timeout", "2", "-p", "fl_hangs_on_import", str(SEEDS)], tmp_path)
    assert p.returncode == 2
    assert "加载插件与规则包超时（2 秒）" in p.stderr and "Traceback" not in p.stderr
