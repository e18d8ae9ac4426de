"""Merging identity findings that share a cell into one finding at that cell."""

from __future__ import annotations

from lint.engine.localize import localize
from lint.model import Finding, Location, Message, Severity, Span


def loc(line, col, label=""):
    return Location("f.txt", Span.on_line(line, col, 5), label)


def f(code, primary, *related, sev=Severity.ERROR):
    return Finding(code, sev, Message(f"{code} 中文", f"{code} english"), primary, tuple(related))


def test_row_and_column_identity_sharing_one_cell_become_one_finding():
    culprit = loc(157, 60, "公开03表 2010399 基本支出")
    row = f("T001", loc(157, 48, "total"), culprit, loc(157, 66, "project"))
    col = f("T004", loc(155, 60, "20103 basic"), loc(156, 40, "2010301 basic"), culprit)
    out = localize([row, col])
    assert len(out) == 1
    m = out[0]
    assert m.location.span == culprit.span and m.code == "T001"
    assert m.properties["merged"] == ["T001", "T004"]
    assert {r.span.line for r in m.related} == {155, 156, 157}
    assert culprit.span not in [r.span for r in m.related]
    assert "T001" in m.message.zh and "T004" in m.message.zh and "probably wrong" in m.message.en


def test_unrelated_findings_stay_apart_and_narrative_is_never_merged():
    a = f("T001", loc(10, 1), loc(10, 8))
    b = f("T001", loc(20, 1), loc(20, 8))
    n1 = f("N001", loc(30, 1), loc(10, 1))
    out = localize([b, n1, a])
    assert [x.location.span.line for x in out] == [10, 20, 30]
    assert all("merged" not in x.properties for x in out)


def test_merge_is_deterministic_regardless_of_input_order():
    shared = loc(5, 5)
    items = [f("T002", loc(5, 1), shared), f("X001", loc(9, 1), shared), f("T001", loc(7, 1), shared)]
    a = localize(items)
    b = localize(list(reversed(items)))
    assert a == b and len(a) == 1 and a[0].properties["merged"] == ["T001", "T002", "X001"]


def test_merged_finding_states_the_value_both_identities_imply():
    lines = ["x" * 59 + "49.06"]
    culprit = Location("f.txt", Span.on_line(1, 60, 5), "cell")
    row = Finding("T002", Severity.ERROR, Message("行", "row"), loc(1, 1), (culprit,), expected="125.27",
                  actual="76.21", properties={"difference": "-49.06"})
    col = Finding("T010", Severity.ERROR, Message("列", "col"), loc(2, 1), (culprit,), expected="98.12",
                  actual="49.06")
    [m] = localize([row, col], lines)
    assert (m.expected, m.actual) == ("0.00", "49.06")
    assert "应为 0.00" in m.message.zh


def test_no_value_claimed_when_identities_disagree():
    lines = ["x" * 59 + "10.00"]
    culprit = Location("f.txt", Span.on_line(1, 60, 5), "cell")
    a = Finding("T002", Severity.ERROR, Message("a", "a"), loc(1, 1), (culprit,), expected="12.00", actual="10.00")
    b = Finding("T010", Severity.ERROR, Message("b", "b"), loc(2, 1), (culprit,), expected="13.00", actual="10.00")
    [m] = localize([a, b], lines)
    assert m.expected is None and m.actual is None and "推算" not in m.message.zh
