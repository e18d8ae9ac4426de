"""Seconds per PDF page and per filing: filinglint (read + recognize + lint) against
pdfplumber's own ``extract_text`` + ``find_tables`` on the same files, in one run.

    .venv/bin/python benchmarks/bench_pdf.py [CORPUS_DIR] [--repeat N]

Ours ("check") is ``Linter.lint_file`` — read, recognize, lint — in-process with a warm
Linter (rules compiled once, as in a run over many files); "read" is the PDF reader
alone.  The baseline opens each file with pdfplumber and calls ``page.extract_text()``
and ``page.find_tables()`` on every page: text and tables only, none of the linting.

Each figure is the best of N runs (default 1), in CPU seconds of this process (on a
shared machine wall time mostly measures the neighbours); the totals also give wall
seconds.  Figures only: nothing here asserts on time (goal: a 30-page filing in under
0.5 s, at least 4x faster than the baseline).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lint.engine.linter import Linter, LintOptions  # noqa: E402
from lint.errors import FilinglintError  # noqa: E402
from lint.readers.pdf import read_pdf  # noqa: E402


def _timed(fn) -> tuple[float, float]:
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c0, time.perf_counter() - w0


def _check(linter: Linter, path: Path) -> None:
    try:
        linter.lint_file(str(path))
    except FilinglintError:
        pass  # a file with no recognizable table still costs its reading


def _baseline(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.find_tables()
            page.flush_cache()


def main() -> None:
    argv = sys.argv[1:]
    repeat = 1
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        del argv[i:i + 2]
    corpus = Path(argv[0]) if argv else ROOT / ".." / "shared" / "corpus"
    files = sorted(corpus.glob("*.pdf"))
    if not files:
        sys.exit(f"no PDF in {corpus}")
    linter = Linter(LintOptions())
    _check(linter, files[0])  # warm: plugin loading, rule compilation, template caches
    _baseline(files[0])

    print(f"{'file':44} {'pages':>5} {'read':>7} {'check':>7} {'s/page':>7} {'base':>7} {'s/page':>7} {'x':>5}")
    tot = {"pages": 0, "read": 0.0, "ours": 0.0, "base": 0.0, "ours_wall": 0.0, "base_wall": 0.0}
    for f in files:
        pages = read_pdf(str(f)).metadata["pages"]
        read = min(_timed(lambda: read_pdf(str(f)))[0] for _ in range(repeat))
        ours_cpu, ours_wall = min((_timed(lambda: _check(linter, f)) for _ in range(repeat)))
        base_cpu, base_wall = min((_timed(lambda: _baseline(f)) for _ in range(repeat)))
        for k, v in (("pages", pages), ("read", read), ("ours", ours_cpu), ("base", base_cpu),
                     ("ours_wall", ours_wall), ("base_wall", base_wall)):
            tot[k] += v
        print(f"{f.name:44} {pages:5d} {read:7.3f} {ours_cpu:7.3f} {ours_cpu / pages:7.4f} "
              f"{base_cpu:7.3f} {base_cpu / pages:7.4f} {base_cpu / ours_cpu:5.1f}")
    n, p = len(files), tot["pages"]
    print(f"{'TOTAL (' + str(n) + ' filings), CPU s':44} {p:5d} {tot['read']:7.3f} {tot['ours']:7.3f} "
          f"{tot['ours'] / p:7.4f} {tot['base']:7.3f} {tot['base'] / p:7.4f} {tot['base'] / tot['ours']:5.1f}")
    print(f"per filing (CPU): check {tot['ours'] / n:.3f} s, baseline {tot['base'] / n:.3f} s; "
          f"per page: check {tot['ours'] / p:.4f} s, baseline {tot['base'] / p:.4f} s")
    print(f"a 30-page filing at the mean rate (CPU): check {30 * tot['ours'] / p:.3f} s, "
          f"baseline {30 * tot['base'] / p:.3f} s; speed-up {tot['base'] / tot['ours']:.1f}x")
    print(f"wall total: check {tot['ours_wall']:.2f} s, baseline {tot['base_wall']:.2f} s "
          f"(x{tot['base_wall'] / tot['ours_wall']:.1f})")


if __name__ == "__main__":
    main()
