"""Cross-year checks: a change stated against last year is compared with last year's
filing of the same department, given with --previous or found among the run's inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lint.engine.crossyear import find_previous, profile_from, subject_key
from lint.engine.linter import Linter, LintOptions

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"


def filing(year: int, income: str, change: str, car: str, car_change: str, dept: str = "海岳省农业农村厅") -> str:
    return (f"{dept}{year}年部门预算\n"
            "一、部门收支预算情况\n"
            f"{year}年，{dept}收入预算{income}万元，其中：财政拨款收入{income}万元，比{year - 1}年预算{change}。\n"
            f"二、“三公”经费预算情况说明\n"
            f"公务用车购置费{car}万元，比{year - 1}年预算{car_change}，主要原因是车辆更新。\n")


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def y001(result) -> list:
    return [f for f in result.findings if f.code == "Y001"]


def test_consistent_years_give_no_finding(tmp_path):
    prev = write(tmp_path, "a.txt", filing(2024, "900.00", "增加100.00万元", "25.00", "持平"))
    cur = write(tmp_path, "b.txt", filing(2025, "1,000.00", "增加100.00万元", "15.00", "减少10.00万元"))
    r = Linter(LintOptions(previous=prev)).lint_file(cur)
    assert y001(r) == []


def test_a_change_that_does_not_match_last_year_is_reported_at_the_change(tmp_path):
    prev = write(tmp_path, "a.txt", filing(2024, "900.00", "增加100.00万元", "20.00", "持平"))
    text = filing(2025, "1,000.00", "增加100.00万元", "15.00", "减少10.00万元")
    cur = write(tmp_path, "b.txt", text)
    r = Linter(LintOptions(previous=prev)).lint_file(cur)
    [f] = y001(r)
    line = text.splitlines()[f.location.span.line - 1]
    assert "公务用车购置费" in line and line[f.location.span.col - 1:].startswith("10.00")
    assert f.expected == "20.00" and f.actual == "25.00"
    assert "2024" in f.message.zh and "a.txt" in f.message.zh


def test_other_department_or_year_is_not_paired(tmp_path):
    a = profile_from("a", {"department": "甲局", "report_year": 2024, "kind": "budget", "scope": "department"}, [])
    b = profile_from("b", {"department": "乙局", "report_year": 2024, "kind": "budget", "scope": "department"}, [])
    c = profile_from("c", {"department": "甲局", "report_year": 2025, "kind": "budget", "scope": "department"}, [])
    d = profile_from("d", {"department": "甲局", "report_year": 2024, "kind": "budget", "scope": "unit"}, [])
    assert find_previous(c, [a, b, d]) is a
    assert find_previous(c, [b, d]) is None
    assert find_previous(a, [c]) is None  # the year after is not the year before


def test_subject_key_ignores_year_and_budget_wording():
    assert subject_key("2025年“三公”经费预算数") == subject_key("2024年“三公”经费预算数") == "三公经费"


def test_run_pairs_the_same_department_automatically(tmp_path):
    prev = write(tmp_path, "a.txt", filing(2024, "900.00", "增加100.00万元", "20.00", "持平"))
    cur = write(tmp_path, "b.txt", filing(2025, "1,000.00", "增加100.00万元", "15.00", "减少10.00万元"))
    other = write(tmp_path, "c.txt", filing(2024, "500.00", "增加1.00万元", "20.00", "持平", dept="云岭省水利厅"))
    p = subprocess.run([sys.executable, "-m", "lint", "check", "--select", "Y", "--format", "json", other, cur, prev],
                       cwd=ROOT, capture_output=True, text=True)
    findings = json.loads(p.stdout)["findings"]
    assert [(Path(f["path"]).name, f["code"]) for f in findings] == [("b.txt", "Y001")], p.stderr
    # Given explicitly, the same; a missing --previous file is a usage error.
    q = subprocess.run([sys.executable, "-m", "lint", "check", "--select", "Y", "--previous", prev, cur],
                       cwd=ROOT, capture_output=True, text=True)
    assert q.returncode == 1 and "Y001" in q.stdout
    m = subprocess.run([sys.executable, "-m", "lint", "check", "--previous", str(tmp_path / "none.txt"), cur],
                       cwd=ROOT, capture_output=True, text=True)
    assert m.returncode == 2 and "none.txt" in m.stderr and "Traceback" not in m.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus directory ../shared/corpus is absent")
def test_corpus_consecutive_years_pair_and_agree():
    files = [str(CORPUS / f"sh-putuo-wanli-{y}-dept-budget.pdf") for y in (2023, 2024, 2025)]
    linter = Linter(LintOptions(run_inputs=files))
    results = [linter.lint_file(p) for p in files]
    assert [r.report_year for r in results] == [2023, 2024, 2025]
    assert len({r.department for r in results}) == 1 and results[0].department
    profiles = [linter._profiles[p] for p in files]
    assert find_previous(profiles[2], profiles) is profiles[1]
    assert find_previous(profiles[1], profiles) is profiles[0]
    assert find_previous(profiles[0], profiles) is None
    # Every change against last year stated in 2024 and 2025 agrees with the year before.
    assert [f for r in results for f in y001(r)] == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus directory ../shared/corpus is absent")
def test_corpus_changes_are_actually_compared():
    """The agreement above is not vacuous: 2025's changes find their items in 2024."""
    from lint.engine.linter import call_each
    from lint.rules.core.crossyear import _subject_of

    linter = Linter(LintOptions())
    prev = linter.profile(str(CORPUS / "sh-putuo-wanli-2024-dept-budget.pdf"))
    doc = linter.read(str(CORPUS / "sh-putuo-wanli-2025-dept-budget.pdf"))
    claims = [c for _, cs in call_each(linter.plugins, "filinglint_extract_claims", [], document=doc, tables=[])
              for c in cs]
    compared = [c for c in claims if c.kind == "change" and "current" in c.values
                and (s := _subject_of(c, claims)) and prev.value_of(subject_key(s))]
    assert len(compared) >= 4


def test_pairing_over_many_inputs_recognizes_only_last_years_and_keeps_few_profiles(tmp_path):
    """Each filing states changes; only one other input is of the year before.  Inputs of
    the same year are never recognized to look for a pair (they are read for their year
    once), and the full profiles kept stay bounded whatever the number of files."""
    from lint.engine import crossyear

    prev = write(tmp_path, "z-prev.txt", filing(2024, "900.00", "增加100.00万元", "20.00", "持平"))
    cur = write(tmp_path, "a-cur.txt", filing(2025, "1,000.00", "增加100.00万元", "15.00", "减少10.00万元"))
    others = [write(tmp_path, f"m{i:03d}.txt", filing(2025, "500.00", "增加1.00万元", "20.00", "持平",
                                                     dept=f"云岭省第{i}厅"))
              for i in range(crossyear._KEEP + 8)]
    files = [cur, *others, prev]
    linter = Linter(LintOptions(run_inputs=tuple(files)))
    profiled, reads = [], []
    real_profile, real_read = linter.profile, linter.read
    linter.profile = lambda p: profiled.append(p) or real_profile(p)
    linter.read = lambda p: reads.append(p) or real_read(p)
    results = [linter.lint_file(p) for p in files]
    assert [(Path(r.path).name, f.code) for r in results for f in y001(r)] == [("a-cur.txt", "Y001")]
    assert profiled == [prev]  # the one input of 2024, recognized once (later linted from the cache)
    # Every file is read to be linted, and once more at most for its year (the one of
    # 2024 also to be profiled).
    assert max(reads.count(p) for p in [cur, *others]) <= 2 and reads.count(prev) == 3
    assert len(linter._profiles) <= crossyear._KEEP
