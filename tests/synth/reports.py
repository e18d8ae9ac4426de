"""Reading a command-line run's JSON report back, for tests that lint a folder of mixed files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def mixed_run(p: subprocess.CompletedProcess, locked: str) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """The ``--format json --lang en`` report of a folder where only the file named
    ``locked`` (password-protected) cannot be read: checks that it is one clear input
    error (exit 2, no traceback) and returns the report's files and findings by file name."""
    assert p.returncode == 2, p.stderr  # the locked file is an input error; the others are linted
    assert "Traceback" not in p.stderr
    errors = [ln for ln in p.stderr.splitlines() if locked in ln]
    assert len(errors) == 1 and "password-protected" in errors[0]
    report = json.loads(p.stdout)
    files = {Path(f["path"]).name: f for f in report["files"]}
    by_file: dict[str, list[dict]] = {}
    for f in report["findings"]:
        by_file.setdefault(Path(f["path"]).name, []).append(f)
    return files, by_file
