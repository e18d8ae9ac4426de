"""Seconds per PDF page and per filing: filinglint (read + recognize + lint) against
pdfplumber's own ``extract_text`` + ``find_tables`` on the same files, in one run.

    .venv/bin/python benchmarks/bench_pdf.py [CORPUS_DIR] [--repeat N]

Ours ("ours s") is ``Linter.lint_file`` (read, recognize, lint) timed in-process with a warm Linter (rules compiled once, as in a run over
many files); each figure is the best of N runs (default 1).  The baseline opens each
file with pdfplumber and calls ``page.extract_text()`` and ``page.find_tables()`` on
every page — text and tables only, none of the linting.  Figures only: nothing here
asserts on time (goal: a 30-page filing in under 0.5 s, at least 4x the baseline).
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


def _ours(linter: Linter, path: Path) -> tuple[float, float, int]:
    """(reading alone, the whole check including its own reading, pages)."""
    t0 = time.perf_counter()
    doc = read_pdf(str(path))
    t1 = time.perf_counter()
    try:
        linter.lint_file(str(path))
    except FilinglintError:
        pass  # a file with no recognizable table still costs its reading
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, doc.metadata["pages"]


def _baseline(path: Path) -> float:
    import pdfplumber

    t0 = time.perf_counter()
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.find_tables()
            page.flush_cache()
    return time.perf_counter() - t0


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    if "--repeat" in sys.argv:
        args = [a for a in args if a != str(repeat)]
    corpus = Path(args[0]) if args else ROOT / ".." / "shared" / "corpus"
    files = sorted(corpus.glob("*.pdf"))
    if not files:
        sys.exit(f"no PDF in {corpus}")
    linter = Linter(LintOptions())
    _ours(linter, files[0])  # warm: plugin loading, rule compilation, template caches

    print(f"{'file':44} {'pages':>5} {'read s':>7} {'rest s':>7} {'ours s':>7} {'s/page':>7} "
          f"{'base s':>7} {'s/page':>7} {'x':>5}")
    tot = {"pages": 0, "ours": 0.0, "base": 0.0, "read": 0.0}
    for f in files:
        runs = [_ours(linter, f) for _ in range(repeat)]
        read, ours, pages = min(runs, key=lambda r: r[1])
        lint = ours - read
        base = min(_baseline(f) for _ in range(repeat))
        tot["pages"] += pages
        tot["ours"] += ours
        tot["base"] += base
        tot["read"] += read
        print(f"{f.name:44} {pages:5d} {read:7.3f} {lint:7.3f} {ours:7.3f} {ours / pages:7.4f} "
              f"{base:7.3f} {base / pages:7.4f} {base / ours:5.1f}")
    n = len(files)
    print(f"{'TOTAL (' + str(n) + ' filings)':44} {tot['pages']:5d} {tot['read']:7.3f} {'':7} {tot['ours']:7.3f} "
          f"{tot['ours'] / tot['pages']:7.4f} {tot['base']:7.3f} {tot['base'] / tot['pages']:7.4f} "
          f"{tot['base'] / tot['ours']:5.1f}")
    print(f"per filing: ours {tot['ours'] / n:.3f} s, baseline {tot['base'] / n:.3f} s; "
          f"30 pages at the mean rate: ours {30 * tot['ours'] / tot['pages']:.3f} s, "
          f"baseline {30 * tot['base'] / tot['pages']:.3f} s")


if __name__ == "__main__":
    main()
