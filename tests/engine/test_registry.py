"""Rule selection (ruff-style prefixes) and severity overrides."""

from __future__ import annotations

from lint.engine.registry import Selection
from lint.model import Severity


def test_default_selects_everything():
    assert Selection().enabled("T001") and Selection().enabled("N999")


def test_select_by_prefix_and_code():
    s = Selection(select=["T", "X002"])
    assert s.enabled("T001") and s.enabled("X002")
    assert not s.enabled("X001") and not s.enabled("N001")


def test_ignore_and_most_specific_wins():
    s = Selection(select=["T001"], ignore=["T"])
    assert s.enabled("T001") and not s.enabled("T002")
    s = Selection(select=["T"], ignore=["T001"])
    assert not s.enabled("T001") and s.enabled("T002")


def test_extend_select_adds_to_select():
    s = Selection(select=["T"], extend_select=["N001"])
    assert s.enabled("N001") and not s.enabled("N002")


def test_severity_override_by_code_or_prefix():
    s = Selection(severity={"N": Severity.NOTE, "N002": Severity.ERROR})
    assert s.severity_for("N001", Severity.WARNING) is Severity.NOTE
    assert s.severity_for("N002", Severity.WARNING) is Severity.ERROR
    assert s.severity_for("T001", Severity.ERROR) is Severity.ERROR
