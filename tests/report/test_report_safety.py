"""Reports never name machine paths for rules, never point past a line's end, and carry
input errors with their place (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lint.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _sarif(capsys, *args) -> dict:
    main(["check", "--no-entry-points", "--format", "sarif", *args])
    return json.loads(capsys.readouterr().out)


def test_rule_origins_are_relative_even_outside_the_checkout(tmp_path, capsys, monkeypatch):
    shutil.copy(SEED0, tmp_path / "f.txt")
    monkeypatch.chdir(tmp_path)  # the checkout (and site-packages) are outside cwd
    log = _sarif(capsys, "f.txt")
    origins = [r["properties"]["origin"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert origins and all(o and not o.startswith("/") and ":\\" not in o for o in origins)
    assert str(ROOT) not in json.dumps(log["runs"][0]["tool"])
    t002 = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "T002")
    assert t002["properties"]["origin"].split(":")[0].endswith(".rules")


def test_no_region_points_past_the_end_of_its_line(capsys):
    log = _sarif(capsys, str(SEED0))
    lines = SEED0.read_text(encoding="utf-8").split("\n")
    results = log["runs"][0]["results"]
    assert any(r["ruleId"] == "F004" for r in results)
    for r in results:
        for loc in r["locations"] + r.get("relatedLocations", []):
            reg = loc["physicalLocation"]["region"]
            if reg.get("endLine", reg["startLine"]) == reg["startLine"]:
                assert reg.get("endColumn", 1) <= len(lines[reg["startLine"] - 1]) + 1, (r["ruleId"], reg)


def test_input_error_notification_carries_kind_and_place(tmp_path, capsys):
    f = tmp_path / "bin.txt"
    f.write_bytes(b"abc\ndef\x00ghi\n")
    log = _sarif(capsys, str(f))
    inv = log["runs"][0]["invocations"][0]
    note, = inv["toolExecutionNotifications"]
    assert inv["executionSuccessful"] is False
    assert note["properties"]["kind"] == "input"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 4}


def test_json_notice_has_kind_and_place(tmp_path, capsys):
    f = tmp_path / "bin.txt"
    f.write_bytes(b"abc\ndef\x00ghi\n")
    main(["check", "--no-entry-points", "--format", "json", str(f)])
    n, = json.loads(capsys.readouterr().out)["notices"]
    assert (n["kind"], n["path"], n["line"], n["col"]) == ("input", str(f), 2, 4)
