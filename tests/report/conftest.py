"""Fixtures for the report tests; the data they are built from is in report_helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import FILING, findings_on, write_filing

from lint.model import FileResult, RunResult


@pytest.fixture
def filing(tmp_path: Path) -> Path:
    return write_filing(tmp_path / "决算.txt")


@pytest.fixture
def result(filing: Path) -> RunResult:
    return RunResult(
        files=[FileResult(str(filing), findings_on(str(filing), FILING), template="hunan-2020",
                          packs=["hunan", "core"], tables=["table03@3", "table01@2"])],
    )
