"""Template detection on the seeds: each filing linted with the packs its template calls for."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


@pytest.mark.parametrize("seed, template, packs", [
    ("000_98add52c02d21372.txt", "hunan-2020", {"core", "hunan", "performance"}),
    ("002_97ec0fee91833ab7.txt", "hunan-2020", {"core", "hunan", "performance"}),
    ("003_24af73ecf2cd4e14.txt", "hunan-2018", {"core", "hunan"}),
    ("004_3ac8441545fefd6e.txt", "sichuan-2020", {"core", "sichuan", "performance"}),
    ("001_8f2ce6975d7cd745.txt", "performance-report", {"core", "performance"}),
])
def test_detected_template_and_packs(linter, seed, template, packs):
    result = linter.lint_file(str(SEEDS / seed))
    assert result.template == template
    assert set(result.packs) == packs
    assert result.reasons  # --verbose and SARIF say why


def test_forced_template_and_pack(tmp_path):
    linter = Linter(LintOptions(template="hunan-2018", packs=["performance"]))
    result = linter.lint_file(str(SEEDS / "000_98add52c02d21372.txt"))
    assert result.template == "hunan-2018" and "performance" in result.packs
    # table09 is not in the 2018 form: not recognized under the forced template
    assert not any(t.startswith("table09") for t in result.tables)


def test_unknown_pack_is_a_clear_error():
    from lint.errors import FilinglintError

    with pytest.raises(FilinglintError, match="hunnan"):
        Linter(LintOptions(packs=["hunnan"]))


def test_every_seed_parses_without_crash(linter):
    for seed in sorted(SEEDS.glob("*.txt")):
        result = linter.lint_file(str(seed))
        assert result.template is not None
        assert result.findings == sorted(result.findings, key=lambda f: f.sort_key())
    assert not linter.notices


def test_unknown_template_is_a_clear_error():
    from lint.errors import FilinglintError

    with pytest.raises(FilinglintError, match="hunan-2020"):
        Linter(LintOptions(template="hunan-2002"))


def test_regional_pack_data_extends_the_core_maps():
    from lint.engine.linter import _merge_data

    core = {"subjects": {"本年收入合计": {"cells": ["a"]}}, "qualifiers": [{"section": "x"}]}
    region = {"subjects": {"本地专项": {"cells": ["b"]}}, "qualifiers": [{"section": "y"}]}
    merged = _merge_data(core, region)
    assert set(merged["subjects"]) == {"本年收入合计", "本地专项"}
    assert [q["section"] for q in merged["qualifiers"]] == ["x", "y"]
    assert core["subjects"] == {"本年收入合计": {"cells": ["a"]}}  # inputs untouched
