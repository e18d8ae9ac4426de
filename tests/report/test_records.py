from decimal import Decimal
from urllib.parse import unquote, urlsplit

from report_helpers import FILING, findings_on

from lint.model import FileResult, Finding, Location, Message, RunResult, Severity, Span
from lint.report.records import (artifact_uri, base_uri, fingerprint, fingerprints, finding_from_record,
                                 finding_record, jsonable, ordered_findings, relative_path, severity_counts)
from lint.report.source import SourceCache


def test_relative_path_uses_forward_slashes_and_stays_absolute_outside(tmp_path):
    inner = tmp_path / "子目录" / "决算.txt"
    assert relative_path(str(inner), str(tmp_path)) == "子目录/决算.txt"
    outside = tmp_path.parent / "别处.txt"
    assert relative_path(str(outside), str(tmp_path)) == outside.as_posix()


def test_artifact_uri_percent_encodes_and_marks_relative(tmp_path):
    uri, relative = artifact_uri(str(tmp_path / "子 目录" / "决算#1.txt"), str(tmp_path))
    assert relative
    assert uri == "%E5%AD%90%20%E7%9B%AE%E5%BD%95/%E5%86%B3%E7%AE%97%231.txt"
    assert uri.isascii() and unquote(uri) == "子 目录/决算#1.txt"
    uri, relative = artifact_uri(str(tmp_path.parent / "别处.txt"), str(tmp_path))
    assert not relative and urlsplit(uri).scheme == "file"


def test_base_uri_ends_with_slash(tmp_path):
    assert base_uri(str(tmp_path)).startswith("file:///") and base_uri(str(tmp_path)).endswith("/")


def test_fingerprint_ignores_line_numbers_and_surrounding_space():
    assert fingerprint("a.txt", "T001", "合计\t76.21", 0) == fingerprint("a.txt", "T001", "  合计\t76.21 ", 0)
    assert fingerprint("a.txt", "T001", "合计\t76.21", 0) != fingerprint("a.txt", "T001", "合计\t76.22", 0)
    assert fingerprint("a.txt", "T001", "x", 0) != fingerprint("a.txt", "T001", "x", 1)
    assert fingerprint("a.txt", "T001", "x", 0) != fingerprint("b.txt", "T001", "x", 0)


def test_identical_line_and_code_pairs_get_distinct_fingerprints(tmp_path):
    lines = ["合计\t1\t1", "合计\t1\t1"]
    path = str(tmp_path / "f.txt")
    fs = [Finding("T001", Severity.ERROR, Message("z", "e"), Location(path, Span(n, 1, n, 3)))
          for n in (1, 2)]
    result = RunResult([FileResult(path, fs, source_lines=lines)])
    prints = fingerprints(ordered_findings(result), SourceCache(result), str(tmp_path))
    assert len(set(prints.values())) == 2


def test_severity_counts_has_every_level():
    findings = findings_on("x.txt", FILING)
    assert severity_counts(findings) == {"error": 1, "warning": 1, "note": 1}
    assert list(severity_counts([])) == ["error", "warning", "note"]


def test_jsonable_never_yields_floats_for_decimals():
    data = jsonable({"b": Decimal("1.10"), "a": {3, 1}, "span": Span(1, 2, 1, 4), "sev": Severity.NOTE})
    assert data == {"a": [1, 3], "b": "1.10", "sev": "note",
                    "span": {"line": 1, "col": 2, "end_line": 1, "end_col": 4}}
    assert list(data) == ["a", "b", "sev", "span"]


def test_record_round_trip():
    for f in findings_on("决算.txt", FILING):
        record = finding_record(f, "en", "abc")
        assert record["message"] == f.message.en and record["fingerprint"] == "abc"
        assert finding_from_record(record) == f
