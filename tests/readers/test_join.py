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
    paths = ["d/a-text.pdf", "d/a-tables.pdf", "d/b.pdf", "d/c_正文.docx", "d/c_表格.docx", "e/a-tables.pdf",
             "f/x-text.docx", "f/x-tables.xlsx", "g/y-text.pdf", "g/y-tables.pdf", "g/y-tables.xlsx"]
    assert pair_members(paths) == ["d/a-text.pdf+d/a-tables.pdf", "d/b.pdf", "d/c_正文.docx+d/c_表格.docx",
                                   "e/a-tables.pdf", "f/x-text.docx+f/x-tables.xlsx",
                                   "g/y-text.pdf", "g/y-tables.pdf", "g/y-tables.xlsx"]  # ambiguous: left alone


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


def test_narrative_and_tables_in_two_files_are_checked_against_each_other(tmp_path):
    """A sentence in the narrative file states an amount the table in the other file
    contradicts: found only when the two are linted as one filing, placed in the
    narrative file, its related table cell in the tables file."""
    filing = g.generate(seed=3, template="hunan-2020")
    claim = next(c for c in filing.claims if c["kind"] == "amount" and c.get("refs"))
    bad = g.inject_narrative(filing, "amount", subject=claim["subject"])
    lines = bad.lines
    part3 = max(i for i, ln in enumerate(lines) if ln.strip() == "第三部分")  # where the narrative starts
    tables = text_to_xlsx(lines[:part3], tmp_path / "f-tables.xlsx")[0]
    narrative = text_to_docx(lines[part3:], tmp_path / "f-text.docx")
    linter = Linter(LintOptions())
    alone = linter.lint_file(str(tables))
    joined = linter.lint_file(f"{tables}+{narrative}")
    whole = linter.lint_file(str(g.write(bad, tmp_path / "whole.txt")))
    assert whole.findings and all(f.code.startswith("N") for f in whole.findings)
    assert not any(f.code.startswith("N") for f in alone.findings)  # the tables alone hold no sentence
    assert sorted(f.code for f in joined.findings) == sorted(f.code for f in whole.findings), \
        [(f.code, f.message.zh) for f in joined.findings]
    for f in joined.findings:
        assert f.location.place.file == str(narrative) and f.location.place.kind == "docx"
        assert any(r.place is not None and r.place.file == str(tables) and r.place.kind == "xlsx"
                   for r in f.related)


CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus (the real filings) is not present")
def test_jiangsu_split_filings_are_paired_in_a_directory_run_and_read_as_one():
    found = expand_paths([str(CORPUS)], (".pdf",))
    pairs = [p for p in found if "+" in p]
    assert len(pairs) == 4
    for p in pairs:
        text, tables = p.split("+")
        assert text.endswith("-budget-text.pdf") and tables == text.replace("-text.pdf", "-tables.pdf")
    assert not any(p.endswith(("-text.pdf", "-tables.pdf")) for p in found if "+" not in p)
    linter = Linter(LintOptions())
    pair = next(p for p in pairs if "cppcc-2018" in p)
    doc = linter.read(pair)
    text, tables = pair.split("+")
    files = [p.file for segs in doc.places.values() for _, _, p in segs]
    assert set(files) == {text, tables}
    # the narrative comes first, the tables after it, each line placed in its own file
    first_table = min(line for line, segs in doc.places.items() if segs[0][2].file == tables)
    assert all(segs[0][2].file == text for line, segs in doc.places.items() if line < first_table)
    result = linter.lint_file(pair)
    assert result.template and "jiangsu" in result.template
    assert len(result.tables) >= 8
