"""One filing in several files: a+b read as one Document, places naming their member;
directory runs pair -text/-tables files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions, expand_paths
from lint.errors import InputError
from lint.readers.join import members, pair_members

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import generator as g  # noqa: E402
from synth.office import text_to_docx, text_to_xlsx  # noqa: E402


def test_pairing_by_name():
    paths = ["d/a-text.pdf", "d/a-tables.pdf", "d/b.pdf", "d/c_正文.docx", "d/c_表格.docx", "e/a-tables.pdf"]
    assert pair_members(paths) == ["d/a-text.pdf+d/a-tables.pdf", "d/b.pdf", "d/c_正文.docx+d/c_表格.docx",
                                   "e/a-tables.pdf"]


def test_members_only_when_the_path_does_not_exist(tmp_path):
    real = tmp_path / "a+b.txt"
    real.write_text("x", encoding="utf-8")
    assert members(str(real)) is None
    assert members("x.pdf+y.pdf") == ["x.pdf", "y.pdf"]
    with pytest.raises(InputError):
        members("x.pdf+")


def test_a_filing_split_in_two_docx_files_lints_as_one_with_places_in_each_member(tmp_path):
    """Split at a blank line between two tables, each half alone is not the filing;
    joined, the injected table error is found once, placed in the member holding it."""
    filing = g.generate(seed=3, template="hunan-2020")
    key = next(k for k, v in sorted(filing.values.items())
               if k[0] == "table03" and len(k[1]) == 7 and k[2] == "basic" and v != 0)
    bad = g.inject(filing, *key, filing.values[key] + 1)
    lines = bad.lines
    cut = bad.tables["table03"]["title_line"] - 1 if "title_line" in bad.tables["table03"] else None
    cut = cut or min(v for k, v in bad.tables["table03"].items() if isinstance(v, int)) - 1
    while lines[cut - 1].strip():
        cut -= 1
    first = text_to_docx(lines[:cut], tmp_path / "f-text.docx")
    second = text_to_docx(lines[cut:], tmp_path / "f-tables.docx")
    linter = Linter(LintOptions())
    whole = linter.lint_file(str(g.write(bad, tmp_path / "whole.txt")))
    joined = linter.lint_file(f"{first}+{second}")
    assert joined.template == whole.template
    assert sorted(f.code for f in joined.findings) == sorted(f.code for f in whole.findings)
    [f] = [f for f in joined.findings if f.location.place and f.location.place.table is not None
           and f.location.place.text == bad.cell_text(key)]
    assert f.location.place.file == str(second)
    assert expand_paths([str(tmp_path)], (".docx",)) == [f"{first}+{second}"]
