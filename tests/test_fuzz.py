"""Fuzzing (issue 12): a few hundred damaged filings — text seeds and generated DOCX,
XLSX and PDF — never give a traceback, a rule-crash notice or an exit code outside
{0, 1, 2}, and every input is accounted for in the report.

Bounded for CI (``FILINGLINT_FUZZ_SCALE`` multiplies the counts).  The long run is
``benchmarks/fuzz.py`` (see its docstring for the figures of the last run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from .synth.mutate import check_batch, pdf_bytes_mutant, pdf_text_mutant, text_mutant, zip_mutant
except ImportError:
    from synth.mutate import check_batch, pdf_bytes_mutant, pdf_text_mutant, text_mutant, zip_mutant

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
SCALE = float(os.environ.get("FILINGLINT_FUZZ_SCALE", "1"))
BATCH = 20


def _n(count: int) -> int:
    return max(1, int(count * SCALE))


def _run(tmp_path: Path, mutants, suffix: str) -> None:
    failures = []
    mutants = list(mutants)
    for start in range(0, len(mutants), BATCH):
        batch = mutants[start:start + BATCH]
        paths = []
        for m in batch:
            p = tmp_path / f"{m.name}{suffix}"
            p.write_bytes(m.data)
            paths.append(str(p))
        code, problems = check_batch(paths)
        if problems:
            # find the mutant(s) to blame, one by one
            for m, p in zip(batch, paths):
                _, own = check_batch([p])
                if own:
                    failures.append(f"{m.name} ops={m.ops}: {own}")
            if not failures:
                failures.append(f"batch {start}: {problems}")
    assert not failures, "\n".join(failures[:5])


@pytest.mark.parametrize("seed_file", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_text_mutants(tmp_path, seed_file):
    text = seed_file.read_text(encoding="utf-8")
    stem = seed_file.name[:3]
    _run(tmp_path, (text_mutant(f"t{stem}", text, s) for s in range(_n(40))), ".txt")


@pytest.fixture(scope="module")
def office_sources(tmp_path_factory):
    from synth.office import text_to_docx, text_to_xlsx

    d = tmp_path_factory.mktemp("office")
    lines = SEEDS[0].read_text(encoding="utf-8").split("\n")
    text_to_docx(lines, d / "s.docx", numbering=False)
    text_to_xlsx(lines, d / "s.xlsx")
    return {"docx": (d / "s.docx").read_bytes(), "xlsx": (d / "s.xlsx").read_bytes()}


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_mutants(tmp_path, office_sources, fmt):
    data = office_sources[fmt]
    _run(tmp_path, (zip_mutant(fmt, data, s) for s in range(_n(30))), f".{fmt}")


def test_pdf_mutants(tmp_path):
    from synth import generator
    from synth.pdf import render

    filing = generator.generate(3, scale="small", narrative=True)
    src = tmp_path / "src.pdf"
    render(filing.text, src)
    data = src.read_bytes()
    _run(tmp_path, (pdf_bytes_mutant("pdf", data, s) for s in range(_n(15))), ".pdf")


def test_pdf_mutants_of_damaged_text(tmp_path):
    from synth import generator
    from synth.pdf import render

    text = generator.generate(5, scale="small", narrative=True).text
    _run(tmp_path, (pdf_text_mutant("pdftext", text, s, render, tmp_path) for s in range(_n(6))), ".pdf")


@pytest.mark.parametrize("value", [1e308, 10**30, float("1" * 40)])
def test_found_by_fuzzing_huge_number_under_a_number_format(tmp_path, value):
    # an XLSX cell holding 1e308 shown as "#,##0.00": the reader raised InvalidOperation
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "合计", value
    ws["B1"].number_format = "#,##0.00"
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    code, problems = check_batch([str(path)])
    assert problems == [] and code in (0, 1, 2)
