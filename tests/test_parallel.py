"""Running a corpus (lint/parallel.py, streaming in lint/cli.py): --jobs N and --dask
give the same report byte for byte as one process; reports stream; summaries."""

from __future__ import annotations

import csv
import gc
import json
import pickle
import shutil
import weakref
from collections import Counter
from pathlib import Path

import pytest

from lint.cli import main
from lint.engine.linter import Linter, LintOptions
from lint.model import FileResult, Finding, Location, Message, Place, Severity, Span
from lint.parallel import iter_results
from lint.report import FormatOptions
from lint.report.formatters.json import JsonLinesWriter, JsonWriter
from lint.report.formatters.sarif import SarifWriter
from lint.report.formatters.text import TextWriter

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds twice over, plus an unreadable file in the middle (its input notice
    must land in the same place whatever runs the files)."""
    d = tmp_path_factory.mktemp("corpus")
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        shutil.copy(seed, d / f"a{i}.txt")
        shutil.copy(seed, d / f"c{i}.txt")
    (d / "b_empty.txt").write_text("", encoding="utf-8")
    return d


def _run(args, capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif"])
def test_jobs_2_writes_the_same_bytes_as_jobs_1(fmt, corpus, capsys, tmp_path):
    one = _run(["check", "--no-entry-points", "--format", fmt, "--jobs", "1", str(corpus)], capsys)
    two = _run(["check", "--no-entry-points", "--format", fmt, "--jobs", "2", str(corpus)], capsys)
    assert one[0] == two[0] == 2  # the empty file is an input error
    assert one[1] == two[1] and one[2] == two[2]
    assert "b_empty.txt" in one[2] and one[1].count("a0.txt") >= 1
    if fmt in ("json", "sarif"):
        json.loads(one[1])  # still one valid document


def test_results_arrive_in_input_order_with_notices_in_file_order(corpus):
    linter = Linter(LintOptions(use_entry_points=True))
    errors = []
    order = [fr.path for fr in iter_results(linter, [str(corpus)], jobs=2, on_error=errors.append)]
    expected = sorted(str(p) for p in corpus.glob("*.txt") if p.name != "b_empty.txt")
    assert order == expected
    assert [e.path for e in errors] == [str(corpus / "b_empty.txt")]
    assert [n.path for n in linter.notices if n.kind == "input"] == [str(corpus / "b_empty.txt")]


def test_a_long_run_is_sent_in_batches_and_keeps_the_order_and_an_errors_place(tmp_path, capsys):
    """Two workers get a long run's files a few at a time (lint/parallel.py): the
    report is still the serial one, and an unreadable file inside a batch is still
    reported where it stands."""
    from lint.parallel import batch_size

    assert batch_size(10, 2) == 1 and batch_size(71, 2) == 2 and batch_size(500, 2) == 8
    assert batch_size(100_000, 2) == 8 and batch_size(500, 64) == 1
    small = min(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    for i in range(70):
        shutil.copy(small, tmp_path / f"f{i:02d}.txt")
    (tmp_path / "f33_empty.txt").write_text("", encoding="utf-8")  # inside a batch of two
    one = _run(["check", "--no-entry-points", "--format", "jsonl", "--jobs", "1", str(tmp_path)], capsys)
    two = _run(["check", "--no-entry-points", "--format", "jsonl", "--jobs", "2", str(tmp_path)], capsys)
    assert one[0] == two[0] == 2
    assert one[1] == two[1] and one[2] == two[2]
    assert "f33_empty.txt" in two[2]
    records = [json.loads(line) for line in two[1].splitlines()]
    linted = [r["path"] for r in records if r["type"] == "file" and not r["path"].endswith("_empty.txt")]
    assert linted == sorted(str(p) for p in tmp_path.glob("f??.txt"))  # in input order


def test_dask_local_cluster_gives_byte_identical_findings(corpus, capsys, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.jsonl"
    assert main(["check", "--format", "jsonl", "-j", "1", "-o", str(local), str(corpus)]) == 2
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = tmp_path / "dask.jsonl"
        # Through the command line, as against a real scheduler (tcp://…).
        assert main(["check", "--format", "jsonl", "--dask", cluster.scheduler_address, "-o", str(remote),
                     str(corpus)]) == 2
        with distributed.Client(cluster) as client:
            linter = Linter(LintOptions())
            via_api = [fr.path for fr in iter_results(linter, [str(corpus)], dask=client, on_error=lambda e: None)]
    assert local.read_bytes() == remote.read_bytes()
    assert b'"type":"finding"' in local.read_bytes()
    assert via_api == sorted(str(p) for p in corpus.glob("*.txt") if p.name != "b_empty.txt")
    capsys.readouterr()


def test_jsonl_lines_are_records_files_notices_and_a_summary(corpus, capsys):
    code, out, _ = _run(["check", "--format", "jsonl", "-j", "1", str(corpus)], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    kinds = [x["type"] for x in lines]
    assert kinds[-1] == "summary" and "notice" in kinds and "file" in kinds and "finding" in kinds
    findings = [x for x in lines if x["type"] == "finding"]
    summary = lines[-1]
    assert sum(summary[s] for s in ("error", "warning", "note")) == len(findings)
    # Each file line follows that file's findings and counts them.
    per_file = Counter(x["path"] for x in findings)
    for x in lines:
        if x["type"] == "file":
            assert x["problems"] == per_file.get(x["path"], 0)
    data = json.loads(_run(["check", "--format", "json", "-j", "1", str(corpus)], capsys)[1])
    assert [{k: v for k, v in x.items() if k != "type"} for x in findings] == data["findings"]


def test_statistics_counts_per_rule_template_and_department(corpus, capsys):
    data = json.loads(_run(["check", "--format", "json", "-j", "1", str(corpus)], capsys)[1])
    code, out, _ = _run(["check", "--statistics", "-j", "2", str(corpus)], capsys)
    assert code == 2
    per_rule = Counter(f["code"] for f in data["findings"])
    rows = {}
    for line in out.split("\n\n")[0].splitlines()[1:]:
        n, rule, *_ = line.split("\t")
        rows[rule] = int(n)
    assert rows == dict(per_rule)
    assert "各表样（文件数、错误、警告、提示）：" in out and "各部门（文件数、错误、警告、提示）：" in out
    linted = [f for f in data["files"] if f["status"] != "rejected"]  # rejected inputs are listed too
    assert len(linted) < len(data["files"])
    templates = Counter(f["template"] or "—" for f in linted)
    for template, n in templates.items():
        assert any(line.startswith(f"{n}\t") and line.endswith(f"\t{template}") for line in out.splitlines())
    assert f"共 {len(linted)} 个文件，{len(data['findings'])} 个问题" in out
    assert rows and not any(f"{f['path']}:" in out for f in data["findings"])  # counts, not the findings


def test_findings_table_csv_has_every_finding(corpus, capsys, tmp_path):
    table = tmp_path / "all.csv"
    out_json = tmp_path / "r.json"
    main(["check", "--format", "json", "-o", str(out_json), "--findings-table", str(table), str(corpus)])
    capsys.readouterr()
    data = json.loads(out_json.read_text(encoding="utf-8"))
    with open(table, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(data["findings"]) > 0
    assert [r["fingerprint"] for r in rows] == [f["fingerprint"] for f in data["findings"]]
    assert [r["code"] for r in rows] == [f["code"] for f in data["findings"]]
    assert {r["department"] for r in rows} - {""}  # departments read from the filings
    import pandas as pd

    frame = pd.read_csv(table)
    assert list(frame.columns[:4]) == ["path", "department", "report_year", "template"]


def test_findings_table_parquet_or_a_clear_error(corpus, capsys, tmp_path):
    target = tmp_path / "all.parquet"
    code = main(["check", "-j", "1", "--findings-table", str(target), str(SEEDS / "000_98add52c02d21372.txt")])
    err = capsys.readouterr().err
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert code == 2 and "pyarrow" in err and "Traceback" not in err
        return
    import pandas as pd

    assert code == 1 and len(pd.read_parquet(target)) > 0


def test_statistics_follow_lang(capsys):
    seed = str(SEEDS / "000_98add52c02d21372.txt")
    _, zh, _ = _run(["check", "--statistics", "-j", "1", seed], capsys)
    _, en, _ = _run(["check", "--statistics", "-j", "1", "--lang", "en", seed], capsys)
    assert zh.startswith("各规则问题数：\n") and "共 1 个文件，" in zh and "findings" not in zh
    assert en.startswith("Findings per rule:\n") and "Per template: files, errors, warnings, notes" in en
    words = [line for line in en.splitlines() if line and not line[0].isdigit()]  # not the count rows
    assert en.rstrip().endswith("findings in 1 files") and not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(words))


def test_findings_table_refuses_other_suffixes(capsys, tmp_path):
    assert main(["check", "--findings-table", str(tmp_path / "x.xlsx"), str(SEEDS)]) == 2
    assert ".csv" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(corpus, capsys):
    _, _, err = _run(["check", "-j", "1", "--format", "json", str(SEEDS)], capsys)
    assert "\x1b" not in err and "━" not in err and "\r" not in err


# ----------------------------------------------------------------------- streaming


def _file_result(tmp_path: Path) -> FileResult:
    path = tmp_path / "f.txt"
    path.write_text("a\t1\nb\t2\n", encoding="utf-8")
    place = Place("pdf", page=3, box=(1.0, 2.0, 3.0, 4.0), text="1")
    loc = Location(str(path), Span(1, 3, 1, 4), "cell", place)
    f = Finding("T001", Severity.ERROR, Message("错", "wrong"), loc, related=(loc,), expected="2", actual="1")
    return FileResult(str(path), [f], template="t", packs=["core"], source_lines=["a\t1", "b\t2"],
                      department="某部门", report_year=2020)


@pytest.mark.parametrize("writer", [TextWriter, JsonWriter, JsonLinesWriter, SarifWriter])
def test_writers_keep_no_file_result(writer, tmp_path):
    w = writer({}, FormatOptions(cwd=str(tmp_path)))
    w.begin()
    fr = _file_result(tmp_path)
    ref, finding = weakref.ref(fr), weakref.ref(fr.findings[0])
    assert w.file(fr)
    del fr
    gc.collect()
    assert ref() is None and finding() is None  # memory stays flat in the number of files
    assert w.end([])


def test_results_with_places_cross_process_boundaries(tmp_path):
    fr = _file_result(tmp_path)
    assert pickle.loads(pickle.dumps(fr)) == fr


DYING_WORKER = """
import os
from lint.plugins import hookimpl

PARENT = os.getpid()  # imported by the parent; forked workers have other ids


@hookimpl
def filinglint_extract_claims(document, tables):
    if os.getpid() != PARENT:
        os._exit(9)  # as the kernel's OOM killer would end it
    return []
"""


def test_a_worker_that_dies_is_a_one_line_error(corpus, tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "fl_dies.py").write_text(DYING_WORKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    p = subprocess.run([sys.executable, "-m", "lint", "check", "-j", "2", "-p", "fl_dies", str(corpus)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 2
    assert "检查进程意外退出" in p.stderr and "--jobs 1" in p.stderr
    assert "Traceback" not in p.stderr


def test_a_pool_pairs_years_as_one_process_does_reading_each_inputs_year_once(tmp_path):
    """Cross-year pairing needs every input's report year: a pool reads them once,
    spread over its workers, before linting (not once per worker), and pairs as --jobs 1."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "engine"))
    try:
        from test_crossyear import filing
    finally:
        sys.path.pop(0)
    import lint.parallel as parallel

    inputs = tmp_path / "in"
    inputs.mkdir()
    names = []
    for i in range(6):
        for year in (2024, 2025):
            p = inputs / f"{year}-{i}.txt"
            p.write_text(filing(year, "1,000.00", "增加100.00万元", f"{20 + i}.00", "减少10.00万元",
                                dept=f"海岳省第{i}厅"), encoding="utf-8")
            names.append(str(p))
    serial = Linter(LintOptions())
    one = [(Path(r.path).name, f.code, f.expected) for r in iter_results(serial, [str(inputs)], jobs=1)
           for f in r.findings if f.code == "Y001"]
    pooled = Linter(LintOptions())
    two = [(Path(r.path).name, f.code, f.expected) for r in iter_results(pooled, [str(inputs)], jobs=2)
           for f in r.findings if f.code == "Y001"]
    assert two == one and {n.split("-")[0] for n, *_ in one} == {"2025"}  # each 2025 filing paired
    assert pooled._pairing["years"] == {p: int(Path(p).name[:4]) for p in sorted(names)}
    # The year pass reads each input once: a worker linting later finds them all known.
    log = tmp_path / "reads.txt"
    real = parallel._year_task
    parallel._year_task = _counting_year_task
    _YEAR_LOG["path"], _YEAR_LOG["real"] = log, real
    try:
        list(iter_results(Linter(LintOptions()), [str(inputs)], jobs=2))
    finally:
        parallel._year_task = real
    assert sorted(log.read_text(encoding="utf-8").split()) == sorted(names)


_YEAR_LOG: dict = {}


def _counting_year_task(path):  # module level: the pool pickles it by name
    with open(_YEAR_LOG["path"], "a", encoding="utf-8") as fh:
        fh.write(path + "\n")
    return _YEAR_LOG["real"](path)
